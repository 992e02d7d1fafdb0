"""Change-area ratio (CAR) of labels and partitions of a training set by it.

MTKD (Liu et al., JL1-CD, arXiv:2502.13407) trains one teacher per CAR
partition of the training set and distils each sample from the teacher of its
partition. The same two rules serve both steps:

* ``change_area_ratio(label)``: changed pixels / labelled pixels (ignore
  pixels left out; 0 when nothing is labelled);
* ``car_partition(ratio, thresholds)``: ``k`` = number of thresholds
  ``<= ratio``, so ``thresholds=(0.05, 0.2)`` gives ``0`` for CAR < 0.05,
  ``1`` for 0.05 <= CAR < 0.2 and ``2`` for the rest.

``ChangeRatioPartitionSampler`` trains a teacher on one partition of a
dataset (labels are read once, when the sampler is built);
``tools/dataset_converters/partition_by_change_ratio.py`` writes the same
partitions as ``ann_file`` lists.
"""
import bisect
import os.path as osp
from typing import Iterator, List, Optional, Sequence

import torch
from mmengine.dataset import InfiniteSampler
from mmengine.logging import print_log
from mmseg.datasets.transforms import LoadAnnotations

from mmkd_rs.registry import DATA_SAMPLERS
from mmkd_rs.utils.errors import UserError

__all__ = ['CARPartitionError', 'change_area_ratio', 'car_partition', 'check_thresholds',
           'label_loader', 'dataset_change_ratios', 'sample_stem', 'ChangeRatioPartitionSampler']


class CARPartitionError(UserError, ValueError):
    """CAR thresholds or a partition that cannot be used (tools print it as one paragraph)."""


def change_area_ratio(label, ignore_index: int = 255) -> float:
    """Share of labelled pixels whose class is not 0 (changed).

    Args:
        label (np.ndarray | Tensor): label map of any shape, 0 = unchanged.
        ignore_index (int): label value left out of both counts.

    Returns:
        float: ratio in [0, 1]; 0.0 when every pixel is ``ignore_index``.
    """
    valid = label != ignore_index
    count = int(valid.sum())
    return float(((label > 0) & valid).sum()) / count if count else 0.0


def check_thresholds(thresholds: Sequence[float], where: str) -> List[float]:
    """``thresholds`` as a list; strictly increasing and inside (0, 1) or ``CARPartitionError``."""
    try:
        values = [float(t) for t in thresholds]
    except (TypeError, ValueError):
        values = []
    if not values or any(not 0 < t < 1 for t in values) or any(
            a >= b for a, b in zip(values, values[1:])):
        raise CARPartitionError(f'{where}: CAR thresholds must be a non-empty, strictly '
                                f'increasing sequence of values in (0, 1), got '
                                f'{thresholds!r}')
    return values


def car_partition(ratio: float, thresholds: Sequence[float]) -> int:
    """Partition index of a CAR: how many of the increasing ``thresholds`` are ``<= ratio``."""
    return bisect.bisect_right(list(thresholds), ratio)


def label_loader(dataset) -> LoadAnnotations:
    """The label-loading transform of ``dataset``'s pipeline (its label mapping applies)."""
    for transform in getattr(dataset.pipeline, 'transforms', []):
        if isinstance(transform, LoadAnnotations):
            return transform
    raise CARPartitionError(f'{type(dataset).__name__}: its pipeline has no label-loading '
                            'transform (e.g. LoadBiTemporalAnnotations); change-area ratios '
                            'need one.')


def dataset_change_ratios(dataset, ignore_index: int = 255) -> List[float]:
    """CAR of every sample of ``dataset``, read with its own label loader (whole labels)."""
    loader = label_loader(dataset)
    ratios = []
    for index in range(len(dataset)):
        info = dataset.get_data_info(index)
        if not info.get('seg_map_path'):
            raise CARPartitionError(f'{type(dataset).__name__} sample {index} has no label '
                                    '(seg_map_path); change-area ratios need labels.')
        results = loader(dict(info, seg_fields=[]))
        ratios.append(change_area_ratio(results['gt_seg_map'], ignore_index))
    return ratios


def sample_stem(path: str, suffixes) -> str:
    """File name of ``path`` without the first of ``suffixes`` it ends with."""
    name = osp.basename(path)
    for suffix in ((suffixes, ) if isinstance(suffixes, str) else suffixes):
        if name.lower().endswith(suffix.lower()):
            return name[:-len(suffix)]
    return osp.splitext(name)[0]


@DATA_SAMPLERS.register_module()
class ChangeRatioPartitionSampler(InfiniteSampler):
    """Infinite sampler over the samples of one CAR partition of a dataset.

    The dataset is left whole (its length, validation and test are
    unchanged); only the indices whose CAR falls in ``partition`` are drawn,
    reshuffled every pass when ``shuffle``.

    Args:
        dataset: a dataset with labels and a label-loading transform.
        partition (int): which partition, ``0 .. len(thresholds)``.
        thresholds (Sequence[float]): increasing CAR thresholds
            (default: MTKD's ``< 0.05``, ``< 0.2``, rest).
        ignore_index (int): label value left out of the ratio.
        shuffle (bool): reshuffle each pass.
        seed (int, optional): shuffling seed (synchronised across ranks
            when None).

    Raises:
        CARPartitionError: the partition is empty or out of range.
    """

    def __init__(self, dataset, partition: int, thresholds: Sequence[float] = (0.05, 0.2),
                 ignore_index: int = 255, shuffle: bool = True,
                 seed: Optional[int] = None) -> None:
        thresholds = check_thresholds(thresholds, 'ChangeRatioPartitionSampler')
        if not 0 <= partition <= len(thresholds):
            raise CARPartitionError(f'ChangeRatioPartitionSampler: partition must be in '
                                    f'0..{len(thresholds)} for thresholds {thresholds}, '
                                    f'got {partition}')
        ratios = dataset_change_ratios(dataset, ignore_index)
        self.partition_indices = [i for i, r in enumerate(ratios)
                                  if car_partition(r, thresholds) == partition]
        if not self.partition_indices:
            raise CARPartitionError(
                f'ChangeRatioPartitionSampler: partition {partition} (thresholds '
                f'{thresholds}) of the {len(ratios)} training samples is empty; their CAR '
                f'ranges from {min(ratios):.4f} to {max(ratios):.4f}. Set other thresholds '
                '(tools/dataset_converters/partition_by_change_ratio.py prints the split).')
        super().__init__(dataset, shuffle=shuffle, seed=seed)
        self.size = len(self.partition_indices)
        print_log(f'ChangeRatioPartitionSampler: partition {partition} (thresholds '
                  f'{thresholds}) holds {self.size} of {len(ratios)} samples',
                  logger='current')

    def _infinite_indices(self) -> Iterator[int]:
        generator = torch.Generator()
        generator.manual_seed(self.seed)
        while True:
            order = (torch.randperm(self.size, generator=generator).tolist()
                     if self.shuffle else range(self.size))
            yield from (self.partition_indices[i] for i in order)
