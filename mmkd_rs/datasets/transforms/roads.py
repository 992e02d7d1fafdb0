"""Road transforms: binary mask + connectivity label loading, and packing them."""
import numpy as np
import mmcv
from mmcv.transforms import to_tensor
from mmengine import fileio
from mmengine.structures import PixelData
from mmseg.datasets.transforms import LoadAnnotations, PackSegInputs

from mmkd_rs.registry import TRANSFORMS
from mmkd_rs.utils.errors import DataFileError

from ..roads.connectivity_labels import load_graph


def _read_label(path, backend_args, backend):
    data = fileio.get(path, backend_args=backend_args)
    try:
        arr = mmcv.imfrombytes(data, flag='unchanged', backend=backend)
    except Exception as err:  # the decoder's own error on an empty or truncated file
        raise DataFileError(f'could not decode label file "{path}" ({type(err).__name__}: '
                            f'{err}); it is empty, truncated or not an image') from None
    if arr is None:
        raise DataFileError(f'could not decode label file "{path}"')
    if arr.ndim == 3:
        if not all((arr[..., c] == arr[..., 0]).all() for c in range(1, arr.shape[2])):
            raise DataFileError(f'label file "{path}" has {arr.shape[2]} channels that differ; '
                             'expected a single-channel (or grey RGB) label')
        arr = arr[..., 0]
    return arr


@TRANSFORMS.register_module()
class LoadRoadAnnotations(LoadAnnotations):
    """Load the road mask (``gt_seg_map``) and, when the data info has
    ``conn_map_path``, the connectivity label (``gt_conn_map``).

    Both are added to ``seg_fields`` so mmseg's geometric transforms (RandomCrop,
    RandomFlip, RandomRotate, Resize) move them together with the image.

    Args:
        binarize_threshold (int, optional): if set, mask = ``value >= threshold``
            (DeepGlobe raw masks are RGB 0/255: use 128).
        check_size (bool): raise ``ValueError`` when image and labels differ in
            size (needs the image loaded first).
        with_graph (bool): also read the road graph of ``graph_path`` into
            ``gt_graph`` (list of ``(K, 2)`` float polylines, pixel coordinates
            of the original image), which :class:`RoadMetric` scores APLS/TOPO
            against. Geometric transforms do not move it: use it in test
            pipelines without cropping or flipping.
    """

    replay_keys = ()

    def __init__(self, binarize_threshold=None, check_size=True, with_graph=False, **kwargs):
        super().__init__(**kwargs)
        self.binarize_threshold = binarize_threshold
        self.check_size = check_size
        self.with_graph = with_graph

    def _check(self, results, label, path):
        img_shape = results.get('ori_shape')
        if self.check_size and img_shape is not None and tuple(label.shape[:2]) != tuple(
                img_shape[:2]):
            raise DataFileError(f'label "{path}" is {label.shape[0]}x{label.shape[1]} but image '
                             f'"{results.get("img_path")}" is {img_shape[0]}x{img_shape[1]}')

    def _load_seg_map(self, results):
        path = results['seg_map_path']
        mask = _read_label(path, self.backend_args, self.imdecode_backend)
        if self.binarize_threshold is not None:
            mask = (mask >= self.binarize_threshold).astype(np.uint8)
        self._check(results, mask, path)
        results['gt_seg_map'] = mask.astype(np.uint8)
        results['seg_fields'].append('gt_seg_map')
        conn_path = results.get('conn_map_path')
        if conn_path is not None:
            conn = _read_label(conn_path, self.backend_args, self.imdecode_backend)
            self._check(results, conn, conn_path)
            results['gt_conn_map'] = conn.astype(np.uint8)
            results['seg_fields'].append('gt_conn_map')
        if self.with_graph:
            if 'graph_path' not in results:
                raise KeyError(f'LoadRoadAnnotations(with_graph=True): "{results.get("img_path")}"'
                               ' has no graph_path; add graph_path to the dataset data_prefix')
            graph, _ = load_graph(results['graph_path'])
            results['gt_graph'] = graph.polylines

    def __repr__(self):
        return (f'{type(self).__name__}(binarize_threshold={self.binarize_threshold}, '
                f'check_size={self.check_size}, with_graph={self.with_graph})')


@TRANSFORMS.register_module()
class PackRoadInputs(PackSegInputs):
    """:class:`PackSegInputs` that also packs ``gt_conn_map`` as a ``PixelData``
    field of the same name (``[1, H, W]`` long tensor) in the data sample, and
    ``gt_graph`` (when loaded) as a metainfo entry of the same name.

    ``meta_keys`` default to mmseg's plus ``sample_idx`` and the recorded
    ``crop_bbox`` / ``rot90_k`` (used by the teacher-output cache)."""

    replay_keys = ()

    def __init__(self, meta_keys=('img_path', 'seg_map_path', 'ori_shape', 'img_shape',
                                  'pad_shape', 'scale_factor', 'flip', 'flip_direction',
                                  'reduce_zero_label', 'sample_idx', 'crop_bbox', 'rot90_k')):
        super().__init__(meta_keys=meta_keys)

    def transform(self, results):
        packed = super().transform(results)
        if 'gt_conn_map' in results:
            conn = to_tensor(results['gt_conn_map'][None].astype(np.int64))
            packed['data_samples'].set_data(dict(gt_conn_map=PixelData(data=conn)))
        if 'gt_graph' in results:
            packed['data_samples'].set_metainfo(dict(gt_graph=results['gt_graph']))
        return packed
