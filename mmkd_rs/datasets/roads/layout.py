"""Writing converted road samples in the mmseg layout, and labels of raster-only datasets.

Layout under ``out_root`` (one sub-folder per split)::

    img_dir/<split>/<name><img_ext>   8-bit RGB image
    ann_dir/<split>/<name>.png        road mask 0/1
    conn_dir/<split>/<name>.png       connectivity label 0..4
    graph_dir/<split>/<name>.json     road graph, pixel coordinates
    centreline_dir/<split>/<name>.png centreline 0/1
    junction_dir/<split>/<name>.png   junction disks 0/1
"""
import os
import os.path as osp

import numpy as np

from mmkd_rs.utils.image_io import imwrite

from .connectivity_labels import (_line_length, _ordered_graph, centreline_mask,
                                  connectivity_label, disk_mask, junction_nodes, save_graph)

DEFAULT_RASTER_CONN_CFG = dict(scheme='topology', centreline_halfwidth_px=1.5,
                               junction_radius_px=8.0, dead_end_radius_px=6.0,
                               border_margin_px=2.0)

#: Version of the labels of raster-only datasets (graph files, connectivity,
#: centreline and junction rasters); see configs/roadcon/README.md.
RASTER_LABEL_VERSION = 2
#: :func:`~mmkd_rs.evaluation.graph.skeleton_graph.mask_to_graph` settings of
#: their road graph: holes up to 20 px filled, no object dropped, polylines
#: through the skeleton's pixel centres (no simplification), every traced node
#: an edge passes through kept.
LABEL_GRAPH_CFG = dict(min_object_area=0, max_hole_area=20, simplify_tolerance=0.0,
                       keep_skeleton_nodes=True)


def _raster_first(points, group, num):
    """Per group 0..num-1: the index of its first point (x, y) in raster order."""
    order = np.lexsort((points[:, 0], points[:, 1], group))
    return order[np.searchsorted(group[order], np.arange(num))]


def _label_numbering(graph):
    """``graph`` numbered as the label graph files number it.

    Edges are taken in raster order of their first skeleton pixel, each from
    the end pixel first in raster order; nodes are numbered in order of first
    appearance along them; each edge then runs from its lower node to its
    higher one, edges ordered by that lower node (stable), with ``lengths``
    measured along the polylines (px). The draw order of the direction labels
    and the graph file follow from it.
    """
    num = graph.num_edges
    inner = [p[1:-1] if len(p) > 2 else p for p in graph.polylines]   # the skeleton pixels
    group = np.repeat(np.arange(num), [len(p) for p in inner])
    pixels = np.concatenate(inner) if num else np.zeros((0, 2))
    first = pixels[_raster_first(pixels, group, num)]
    ends = np.array([[p[1], p[-2]] for p in graph.polylines]).reshape(num, 2, 2)
    flip = _raster_first(ends.reshape(-1, 2), np.repeat(np.arange(num), 2), num) % 2 == 1
    new_id, edges, polylines, lengths = {}, [], [], []
    for e in np.lexsort((first[:, 0], first[:, 1])).tolist():
        (u, v), poly = graph.edges[e].tolist(), graph.polylines[e]
        if flip[e]:
            poly, u, v = poly[::-1], v, u
        a, b = (new_id.setdefault(n, len(new_id)) for n in (u, v))
        lengths.append(_line_length(poly))      # measured in walk order, as it always was
        edges.append((a, b) if a <= b else (b, a))
        polylines.append(poly if a <= b else poly[::-1])
    for n in range(graph.num_nodes):
        new_id.setdefault(n, len(new_id))
    nodes = np.empty_like(graph.nodes)
    nodes[list(new_id.values())] = graph.nodes[list(new_id.keys())]
    return _ordered_graph(nodes, edges, polylines, lengths)


def mask_label_graph(mask, min_spur_px=10):
    """Road graph (px, corner origin) of a road mask for its labels.

    :func:`~mmkd_rs.evaluation.graph.skeleton_graph.mask_to_graph` with
    :data:`LABEL_GRAPH_CFG` and ``min_spur_length=min_spur_px``, moved by half
    a pixel (pixel centres at ``c + 0.5``) and numbered as
    :func:`_label_numbering` says.

    Args:
        mask (np.ndarray): ``(H, W)``, non-zero = road.
        min_spur_px (float): dead-end branches shorter than this (px) are
            pruned (twice, as the graph metrics prune them); 0 keeps them.

    Returns:
        RoadGraph: nodes at the mean of the skeleton's node pixels (ends,
        junctions, traced nodes of degree 2), one edge per skeleton chain
        through its pixel centres, closed loops without a junction as
        self-loops, with ``lengths``.
    """
    from mmkd_rs.evaluation.graph.skeleton_graph import mask_to_graph
    graph = mask_to_graph(mask, min_spur_length=min_spur_px, **LABEL_GRAPH_CFG)
    return _label_numbering(graph.transformed(lambda xy: xy + 0.5))


def raster_tile_labels(mask, conn_cfg=None, min_spur_px=10):
    """Graph, centreline, junction and connectivity rasters from a road mask alone
    (DeepGlobe, Massachusetts): the graph is the mask's skeleton graph
    (:func:`mask_label_graph`, label version :data:`RASTER_LABEL_VERSION`).

    Args:
        mask (np.ndarray): ``(H, W)`` uint8 0/1.
        conn_cfg (dict, optional): :func:`connectivity_label` arguments in px.
        min_spur_px (float): skeleton spurs shorter than this (px) are pruned.
    """
    cfg = dict(DEFAULT_RASTER_CONN_CFG, **(conn_cfg or {}))
    graph = mask_label_graph(mask, min_spur_px)
    return dict(mask=mask, graph=graph, conn=connectivity_label(mask, graph, **cfg),
                centreline=centreline_mask(graph, mask.shape),
                junction=disk_mask(graph, junction_nodes(graph), mask.shape,
                                   cfg['junction_radius_px']))


def _write_png(path, array):
    os.makedirs(osp.dirname(path), exist_ok=True)
    if not imwrite(path, array):
        raise OSError(f'could not write "{path}"')


def write_road_sample(out_root, split, name, labels, image=None, img_ext='.png'):
    """Write one converted sample.

    Args:
        labels (dict): ``mask`` and optionally ``conn``, ``graph``, ``centreline``,
            ``junction`` (as returned by :func:`raster_tile_labels` or
            :func:`mmkd_rs.datasets.roads.tile_labels.geo_tile_labels`).
        image (np.ndarray, optional): ``(H, W, 3)`` uint8 RGB; None = labels only.
    """
    h, w = labels['mask'].shape
    if image is not None:
        if image.shape[:2] != (h, w):
            raise ValueError(f'{name}: image is {image.shape[0]}x{image.shape[1]} but its '
                             f'labels are {h}x{w}')
        _write_png(osp.join(out_root, 'img_dir', split, name + img_ext),
                   np.ascontiguousarray(image[..., ::-1]))
    _write_png(osp.join(out_root, 'ann_dir', split, name + '.png'), labels['mask'])
    for key, folder in (('conn', 'conn_dir'), ('centreline', 'centreline_dir'),
                        ('junction', 'junction_dir')):
        if labels.get(key) is not None:
            _write_png(osp.join(out_root, folder, split, name + '.png'), labels[key])
    if labels.get('graph') is not None:
        path = osp.join(out_root, 'graph_dir', split, name + '.json')
        os.makedirs(osp.dirname(path), exist_ok=True)
        save_graph(labels['graph'], path, h, w)


def split_names(names, val_ratio, seed=0, test_ratio=0.0):
    """Deterministic split of sorted ``names``: dict split -> names.

    One seeded permutation: its first ``round(n * val_ratio)`` names are
    validation, the next ``round(n * test_ratio)`` test, the rest training
    (each ratio > 0 keeps at least one name, and training keeps one).  The
    ``test`` key is present only with ``test_ratio > 0``, and the train/val
    split of a call without it is unchanged by it.
    """
    names = sorted(names)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(names))
    n_val = int(round(len(names) * val_ratio))
    if val_ratio > 0 and len(names) > 1:
        n_val = min(max(n_val, 1), len(names) - 1)
    n_test = min(int(round(len(names) * test_ratio)), max(len(names) - n_val - 1, 0))
    if test_ratio > 0 and len(names) - n_val > 1:
        n_test = max(n_test, 1)
    val = {names[i] for i in order[:n_val]}
    test = {names[i] for i in order[n_val:n_val + n_test]}
    splits = {'train': [n for n in names if n not in val and n not in test],
              'val': [n for n in names if n in val]}
    if test_ratio > 0:
        splits['test'] = [n for n in names if n in test]
    return splits


def plan_splits(names, source: str, val_ratio=0.1, test_ratio=0.0, seed=0, whole=None):
    """The converters' split of ``names`` (samples found in ``source``).

    ``whole`` (``'train'``, ``'val'`` or ``'test'``) puts every sample into that
    split (e.g. a challenge's separate validation folder); otherwise
    :func:`split_names`.  Raises :class:`UserError` for a split that a ratio
    above 0 asks for but that would be left empty, except for a folder of one
    sample, which goes to ``train`` with a warning.
    """
    from mmkd_rs.utils.errors import UserError
    if whole is not None:
        return {whole: sorted(names)}
    splits = split_names(names, val_ratio, seed, test_ratio)
    asked = dict(train=1.0, val=val_ratio, test=test_ratio)
    empty = [s for s, split_list in splits.items() if not split_list and asked[s] > 0]
    if len(names) == 1 and empty and splits['train']:
        import sys
        print(f'warning: "{source}" holds one sample: it goes to the train split and the '
              f'{" and ".join(empty)} split(s) stay empty (--split names the one split '
              'to write).', file=sys.stderr)
        return {'train': splits['train']}
    for split, split_list in splits.items():
        if not split_list and asked[split] > 0:   # a ratio of 0 asks for no such split
            raise UserError(
                f'the {split} split would be empty: "{source}" holds {len(names)} '
                f'sample(s), split with --val-ratio {val_ratio} and --test-ratio '
                f'{test_ratio}. Give more samples, ratios between 0 and 1 that leave '
                'each split a sample, or put the whole folder into one split with '
                '--split.')
    return splits
