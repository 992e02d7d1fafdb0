"""Base of the task visualizers: titled side-by-side panels with a colour
legend, one ``<sample name>.png`` per drawn sample for ``--show-dir``."""
import os.path as osp
from typing import List, Optional, Sequence, Tuple

import mmcv
import numpy as np
from mmengine.visualization import LocalVisBackend
from mmseg.structures import SegDataSample
from mmseg.visualization import SegLocalVisualizer

from .layout import compose_panels

__all__ = ['PanelVisualizer', 'sample_name']

Panels = List[Tuple[str, np.ndarray]]  # (title, H x W x 3 uint8 RGB)
Legend = List[Tuple[str, Sequence[int]]]  # (label, (R, G, B))

_IMAGE_EXTENSIONS = ('.png', '.jpg', '.jpeg', '.tif', '.tiff', '.bmp', '.jp2')
_HOOK_PREFIXES = ('val_', 'test_')


def sample_name(name: str, data_sample: Optional[SegDataSample] = None) -> str:
    """The file stem a drawn sample is written under.

    mmseg's ``SegVisualizationHook`` names a sample ``'<mode>_<basename of
    img_path>'`` (``SAREOVisualizationHook``: ``'<mode>_<stem>'``); such a
    name becomes the stem of ``img_path`` (``test_12.png`` drawn in test mode
    -> ``test_12``). Any other name is kept, less an image extension.
    """
    path = data_sample.metainfo.get('img_path') if data_sample is not None else None
    if path:
        base = osp.basename(path)
        stem = osp.splitext(base)[0]
        if name in {p + s for p in ('', ) + _HOOK_PREFIXES for s in (base, stem)}:
            return stem
    root, ext = osp.splitext(name)
    return root if ext.lower() in _IMAGE_EXTENSIONS else name


class PanelVisualizer(SegLocalVisualizer):
    """``SegLocalVisualizer`` whose ``add_datasample`` lays out the panels
    returned by :meth:`draw_panels` left to right, each under its title, with
    the legend's colours below (:func:`.layout.compose_panels`), and shows,
    writes (``out_file``) or stores them (what ``SegVisualizationHook`` does
    for ``tools/test.py --show-dir``).

    Stored images are named after the sample: ``<LocalVisBackend
    folder>/<sample name>.png`` (:func:`sample_name`; ``_iter<step>`` added
    when drawn during training), ``_1``, ``_2``, ... appended when a name
    repeats; other backends get the same name through ``add_image``.
    """

    def __init__(self, name: str = 'visualizer', **kwargs):
        super().__init__(name=name, **kwargs)
        self._written = set()

    def draw_panels(self, image: Optional[np.ndarray], data_sample: Optional[SegDataSample],
                    draw_gt: bool = True,
                    draw_pred: bool = True) -> Tuple[Panels, Legend]:
        """Return ``([(title, H x W x 3 uint8 RGB panel), ...], [(label, RGB), ...])``:
        the panels, all of the same size, and the colours the legend explains."""
        raise NotImplementedError

    @staticmethod
    def sample_masks(data_sample: Optional[SegDataSample]) -> tuple:
        """``(ground truth, prediction)``: the ``[H, W]`` label maps of a data
        sample as numpy arrays (None where it has none)."""
        truth = pred = None
        if data_sample is not None and 'gt_sem_seg' in data_sample:
            truth = data_sample.gt_sem_seg.data[0].cpu().numpy()
        if data_sample is not None and 'pred_sem_seg' in data_sample:
            pred = data_sample.pred_sem_seg.data[0].cpu().numpy()
        return truth, pred

    @staticmethod
    def fit_panels(panels: Panels, truth: Optional[np.ndarray], pred: Optional[np.ndarray],
                   image_shape: Sequence[int]) -> Panels:
        """Resize (nearest) every panel to the label maps' size (the prediction's,
        else the ground truth's, else ``image_shape``), so all panels match."""
        reference = pred if pred is not None else truth
        height, width = reference.shape if reference is not None else tuple(image_shape[:2])
        return [(title, panel if panel.shape[:2] == (height, width) else
                 mmcv.imresize(panel, (width, height), interpolation='nearest'))
                for title, panel in panels]

    def _file_stem(self, name: str, data_sample: Optional[SegDataSample], step: int) -> str:
        stem = sample_name(name, data_sample) + (f'_iter{step}' if step else '')
        unique, k = stem, 0
        while unique in self._written:
            k += 1
            unique = f'{stem}_{k}'
        self._written.add(unique)
        return unique

    def add_datasample(self,
                       name: str,
                       image: Optional[np.ndarray] = None,
                       data_sample: Optional[SegDataSample] = None,
                       draw_gt: bool = True,
                       draw_pred: bool = True,
                       show: bool = False,
                       wait_time: float = 0,
                       out_file: Optional[str] = None,
                       step: int = 0,
                       with_labels: Optional[bool] = True) -> None:
        panels, legend = self.draw_panels(image, data_sample, draw_gt, draw_pred)
        drawn = compose_panels(panels, legend)
        self.set_image(drawn)
        if show:
            self.show(drawn, win_name=name, wait_time=wait_time)
        if out_file is not None:
            mmcv.imwrite(mmcv.rgb2bgr(drawn), out_file)
            return
        stem = self._file_stem(name, data_sample, step)
        for backend in self._vis_backends.values():
            if isinstance(backend, LocalVisBackend):
                # mmengine's LocalVisBackend.add_image would name it '<name>_<step>.png';
                # its image folder is absolute once the backend is initialised
                folder = backend.experiment._img_save_dir
                mmcv.imwrite(mmcv.rgb2bgr(drawn), osp.join(folder, stem + '.png'))
            else:
                backend.add_image(stem, drawn, step)
