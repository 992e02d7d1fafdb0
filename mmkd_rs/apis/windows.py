"""Window plans for inference on rasters of any size.

A raster of ``H x W`` pixels is cut into *cores* (``tile`` x ``tile`` pixels,
the last ones smaller) that tile it without overlap; each core is predicted
from a larger *read window* around it and only the core is written.

The read window depends on the model's test protocol (``test_cfg.mode``):

* ``slide`` (crop ``c``, stride ``s``): windows start on multiples of ``s``
  and reach the end of the last crop any core pixel needs. mmseg's
  ``slide_inference`` run on such a window places its crops exactly where it
  places them on the whole raster, sums them in the same order and divides by
  the same counts: every core pixel gets the same value as in whole-raster
  inference, bit for bit.
* ``whole``: the window is the core plus ``margin`` pixels on each side
  (clipped to the raster), every offset a multiple of ``align`` (the
  network's output stride, so pooling grids line up). The core equals
  whole-raster inference up to the effect of what lies beyond the margin,
  which fades with distance (the receptive field).

Peak memory is bounded by the read window, whatever the raster size.
"""
from dataclasses import dataclass
from typing import Iterator, List, Optional, Tuple

__all__ = ['Span', 'WindowPlan', 'plan_axis']


@dataclass(frozen=True)
class Span:
    """One axis of a window: core ``[core_start, core_stop)`` and read
    ``[read_start, read_stop)`` in raster pixels (``read`` contains ``core``)."""

    core_start: int
    core_stop: int
    read_start: int
    read_stop: int

    @property
    def core_offset(self) -> int:
        """Where the core starts inside the read window."""
        return self.core_start - self.read_start

    @property
    def core_in_read(self) -> slice:
        """The core as a slice of the read window."""
        return slice(self.core_offset, self.core_offset + self.core_stop - self.core_start)

    @property
    def read(self) -> tuple:
        """``(read_start, read_stop)``."""
        return self.read_start, self.read_stop

    @property
    def core(self) -> tuple:
        """``(core_start, core_stop)``."""
        return self.core_start, self.core_stop


def _ceil_to(value: int, step: int) -> int:
    return -(-value // step) * step


def plan_axis(length: int, tile: int, mode: str, crop: Optional[int] = None,
              stride: Optional[int] = None, margin: int = 0, align: int = 1) -> List[Span]:
    """Cores and read windows along one axis of ``length`` pixels.

    Args:
        length (int): Raster size along the axis (px).
        tile (int): Core size (px); rounded up to a multiple of the stride
            (slide) or of ``align`` (whole).
        mode (str): ``'slide'`` or ``'whole'``.
        crop, stride (int): The model's slide crop and stride along the axis.
        margin (int): Context on each side of a core in ``whole`` mode (px),
            rounded up to a multiple of ``align``.
        align (int): Offset granularity in ``whole`` mode (px).

    Returns:
        list[Span]: Cores in order; they tile ``[0, length)``.
    """
    if length <= 0:
        raise ValueError(f'raster length must be positive, got {length}')
    if mode == 'slide':
        if not crop or not stride:
            raise ValueError('slide mode needs crop and stride')
        tile = _ceil_to(max(tile, 1), stride)
    elif mode == 'whole':
        tile = _ceil_to(max(tile, 1), align)
        margin = _ceil_to(max(margin, 0), align)
    else:
        raise ValueError(f"mode must be 'slide' or 'whole', got {mode!r}")
    spans = []
    for start in range(0, length, tile):
        stop = min(start + tile, length)
        if mode == 'slide':
            # the first crop covering `start` begins after start - crop, the
            # last one a core pixel needs at the last stride multiple < stop
            read_start = max(0, _ceil_to(start - crop + 1, stride))
            read_stop = min(length, (stop - 1) // stride * stride + crop)
            if length - crop < stop:
                # the last crop, shifted to end at the raster's end, covers
                # part of this core: the window must end there too and hold it
                read_stop = length
                read_start = min(read_start, max(0, (length - crop) // stride * stride))
        else:
            read_start = max(0, start - margin)
            read_stop = min(length, stop + margin)
        spans.append(Span(start, stop, read_start, read_stop))
    return spans


@dataclass
class WindowPlan:
    """Row and column spans of a ``height x width`` raster.

    Build it with :meth:`for_model`; iterate it for ``(row_span, col_span)``
    pairs in row-major order.
    """

    rows: List[Span]
    cols: List[Span]

    @classmethod
    def for_model(cls, shape: Tuple[int, int], test_cfg: dict, tile: int,
                  margin: int = 128, align: int = 32) -> 'WindowPlan':
        """Plan for a model's ``test_cfg`` (mmseg: ``mode``, ``crop_size``, ``stride``).

        Args:
            shape (tuple): ``(height, width)`` of the raster.
            test_cfg (dict): The segmentor's ``test_cfg``.
            tile (int): Core size (px).
            margin (int): Context of ``whole`` mode (px).
            align (int): Offset granularity of ``whole`` mode (px).
        """
        mode = test_cfg.get('mode', 'whole')
        plans = []
        for axis in range(2):
            if mode == 'slide':
                plans.append(plan_axis(shape[axis], tile, 'slide',
                                       crop=int(test_cfg['crop_size'][axis]),
                                       stride=int(test_cfg['stride'][axis])))
            else:
                plans.append(plan_axis(shape[axis], tile, 'whole', margin=margin,
                                       align=align))
        return cls(*plans)

    def __len__(self) -> int:
        return len(self.rows) * len(self.cols)

    def __iter__(self) -> Iterator[Tuple[Span, Span]]:
        for row in self.rows:
            for col in self.cols:
                yield row, col

    @property
    def max_read_shape(self) -> Tuple[int, int]:
        """Largest read window ``(h, w)``: what bounds the memory."""
        return (max(s.read_stop - s.read_start for s in self.rows),
                max(s.read_stop - s.read_start for s in self.cols))
