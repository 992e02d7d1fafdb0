"""RoadMetric in a validation loop: the ground truth is prepared once, each mask
is skeletonised once, and the vectorised pieces (skeleton tracing, relaxed
buffers, skeleton after cleaning, TOPO matching of all starts) give exactly
what the straightforward versions give."""
import numpy as np
import pytest
from scipy import ndimage
from skimage.morphology import skeletonize

from mmkd_rs.evaluation.graph import RoadGraph, TopoSettings
from mmkd_rs.evaluation.graph.pixel_scores import within
from mmkd_rs.evaluation.graph.skeleton_graph import clean_mask, cleaned_skeleton
from mmkd_rs.evaluation.graph.skeleton_trace import OFFSETS, trace_skeleton
from mmkd_rs.evaluation.graph.topo import LocalGraph, match_count, topo_node_counts
from mmkd_rs.evaluation.graph.truth_cache import TruthCache
from mmkd_rs.evaluation.metrics.road_metric import RoadMetric


def _speed_script():
    """benchmarks/road_metric_speed.py, whose tiles these tests pin."""
    import importlib.util
    import os.path as osp
    path = osp.join(osp.dirname(__file__), '..', '..', 'benchmarks', 'road_metric_speed.py')
    spec = importlib.util.spec_from_file_location('road_metric_speed', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_SPEED = _speed_script()
grid_tile = _SPEED.road_grid  # dense road network (grid + diagonal)
predictions = _SPEED.predictions  # (blurred, speckled) predictions of a mask


def _sample(pred, gt):
    return dict(pred_sem_seg=dict(data=pred[None].astype(np.int64)),
                gt_sem_seg=dict(data=gt[None].astype(np.int64)))


# counts, APLS and TOPO (tp, fp, fn) of the 1300 x 1300 grid tile (0.3 m/px, top-left
# 40 x 40 px ignored), as computed before the cache and the vectorised tracing existed
PINNED = {
    'blurred': (dict(tp=329477, fp=12294, fn=8347, skel_pred=32023, skel_gt=31976,
                     relaxed_tp_pred=31967, relaxed_tp_gt=31967, skel_pred_in_gt=32019,
                     skel_gt_in_pred=31976), 0.9918723997877309, (27146, 592, 39)),
    'speckled': (dict(tp=328871, fp=14963, fn=8953, skel_pred=37065, skel_gt=31976,
                      relaxed_tp_pred=33761, relaxed_tp_gt=31965, skel_pred_in_gt=34405,
                      skel_gt_in_pred=31921), 0.9918160019481308, (27145, 517, 40)),
}


def test_pinned_values_first_and_later_validations():
    gt = grid_tile()
    label = gt.astype(np.int64)
    label[:40, :40] = 255
    metric = RoadMetric(gsd=0.3, graph_interval=1, prefix='road')
    for _ in range(2):                       # the 2nd validation reads the cached ground truth
        for name, pred in zip(('blurred', 'speckled'), predictions(gt)):
            metric.process(None, [_sample(pred, label)])
            counts, apls, topo = PINNED[name]
            result = metric.results.pop()
            assert result['counts'] == counts, name
            assert result['apls'] == apls and result['topo'] == topo, name
    assert (metric.gt_cache.hits, metric.gt_cache.misses, len(metric.gt_cache)) == (3, 1, 1)


def test_each_mask_is_skeletonised_once_and_the_truth_once_per_run(monkeypatch):
    import skimage.morphology
    calls = []

    def counting(image, **kwargs):
        calls.append(int(np.count_nonzero(image)))
        return skeletonize(image, **kwargs)

    monkeypatch.setattr(skimage.morphology, 'skeletonize', counting)
    gt = grid_tile(220, step=70, width=7)
    pred = predictions(gt)[0]
    metric = RoadMetric(gsd=0.3, graph_interval=1, prefix='road')
    for _ in range(3):
        metric.process(None, [_sample(pred, gt)])
        metric.evaluate(1)
    # ground truth once, then the prediction once per validation (it was 4 per validation)
    assert calls == [int(gt.sum())] + [int(pred.sum())] * 3
    uncached = RoadMetric(gsd=0.3, graph_interval=1, prefix='road', gt_cache_size=0)
    for _ in range(2):
        uncached.process(None, [_sample(pred, gt)])
    assert len(calls) == 4 + 4 and uncached.results[0] == uncached.results[1]


def _walk_trace(skel):
    """The pixel-by-pixel walk trace_skeleton reproduces (its specification)."""
    skel = np.pad(np.asarray(skel, bool), 1)
    h, w = skel.shape
    flat = np.flatnonzero(skel)
    if len(flat) == 0:
        return RoadGraph.empty()
    idx = -np.ones(h * w, np.int64)
    idx[flat] = np.arange(len(flat))
    nbr = [[j for j in row if j >= 0] for row in
           np.stack([idx[flat + dy * w + dx] for dy, dx in OFFSETS], axis=1).tolist()]
    rows, cols = np.divmod(flat, w)
    xy = np.stack([cols - 1, rows - 1], axis=1).astype(np.float64)
    is_node = np.array([len(n) != 2 for n in nbr])
    node_img = np.zeros_like(skel)
    node_img.flat[flat[is_node]] = True
    labels, n_nodes = ndimage.label(node_img, structure=np.ones((3, 3)))
    node_of = (labels.flat[flat] - 1).tolist()
    node_xy = [tuple(xy[is_node & (np.array(node_of) == k)].mean(0)) for k in range(n_nodes)]
    visited = np.zeros(len(flat), bool)
    edges, polylines = [], []
    for p in np.flatnonzero(is_node).tolist():
        for q in nbr[p]:
            if node_of[q] >= 0 or visited[q]:
                continue
            start, path, prev, cur, end = node_of[p], [q], -1, q, -1
            visited[q] = True
            while True:
                nxt = None
                for j in nbr[cur]:
                    if j == prev:
                        continue
                    if node_of[j] >= 0:
                        if node_of[j] != start or len(path) > 1:
                            end = node_of[j]
                            break
                        continue
                    if not visited[j]:
                        nxt = j
                        break
                if end >= 0 or nxt is None:
                    break
                visited[nxt] = True
                path.append(nxt)
                prev, cur = cur, nxt
            if end >= 0:
                edges.append((start, end))
                polylines.append(np.concatenate([[node_xy[start]], xy[path], [node_xy[end]]]))
    for p in np.flatnonzero(~visited & ~is_node).tolist():
        if visited[p]:
            continue
        node_xy.append(tuple(xy[p]))
        path, prev, cur = [p], -1, p
        visited[p] = True
        while True:
            nxt = [j for j in nbr[cur] if j != prev and not visited[j]]
            if not nxt:
                break
            prev, cur = cur, nxt[0]
            visited[cur] = True
            path.append(cur)
        edges.append((len(node_xy) - 1, len(node_xy) - 1))
        polylines.append(np.concatenate([xy[path], xy[path[:1]]]))
    return RoadGraph(np.asarray(node_xy).reshape(-1, 2), np.asarray(edges).reshape(-1, 2),
                     polylines)


def _random_images(rng, count):
    for k in range(count):
        n = int(rng.integers(4, 48))
        if k % 3 == 0:                                       # any bitmap, not only skeletons
            yield rng.random((n, n)) < rng.uniform(0.05, 0.5)
        elif k % 3 == 1:
            yield skeletonize(ndimage.gaussian_filter(rng.random((n, n)), 1.5) > 0.5)
        else:                                                # rings: loops without nodes
            yy, xx = np.ogrid[:n, :n]
            r, c, rad = rng.integers(0, n), rng.integers(0, n), rng.integers(1, 9)
            yield np.abs(np.hypot(yy - r, xx - c) - rad) < 0.7


def test_tracer_matches_the_pixel_walk():
    rng = np.random.default_rng(0)
    for image in list(_random_images(rng, 240)) + [grid_tile(300, 70, 7)]:
        if image.shape[0] > 100:
            image = skeletonize(image)
        ours, walk = trace_skeleton(image), _walk_trace(image)
        assert np.array_equal(ours.nodes, walk.nodes)
        assert np.array_equal(ours.edges, walk.edges)
        assert all(np.array_equal(a, b) for a, b in zip(ours.polylines, walk.polylines))
        assert len(ours.polylines) == len(walk.polylines)


def test_cleaned_skeleton_is_the_skeleton_of_the_cleaned_mask():
    rng = np.random.default_rng(1)
    filled = 0
    for _ in range(80):
        n = int(rng.integers(10, 90))
        raw = ndimage.gaussian_filter(rng.random((n, n)), 1.2) > 0.5
        raw &= rng.random((n, n)) > 0.03                     # pepper: holes to fill
        cleaned = clean_mask(raw, int(rng.integers(0, 30)), int(rng.integers(0, 30)))
        filled += bool((cleaned & ~raw).any())
        assert np.array_equal(cleaned_skeleton(raw, cleaned, skeletonize(raw)),
                              skeletonize(cleaned))
    assert filled > 40                                       # the re-thinning path ran


@pytest.mark.parametrize('rho', [0.0, 1.0, 1.5, 2.0, 8 ** 0.5, 3.0, 5.5])
def test_within_equals_the_distance_transform(rho):
    rng = np.random.default_rng(2)
    for _ in range(20):
        n = int(rng.integers(3, 60))
        mask = rng.random((n, n + 3)) < rng.uniform(0.001, 0.2)
        expected = ndimage.distance_transform_edt(~mask) <= rho if mask.any() else \
            np.zeros_like(mask)
        assert np.array_equal(within(mask, rho), expected)


def test_truth_cache_is_bounded_and_keyed_by_content():
    cache = TruthCache(max_tiles=2)
    a, b, c = (np.zeros((20, 20), bool) for _ in range(3))
    a[5] = True
    b[:, 5] = True
    c[5, :10] = True
    first = cache.get(a)
    assert cache.get(a.copy()) is first                      # same content, other array
    cache.get(b)
    cache.get(a)                                             # a is now the most recent
    cache.get(c)                                             # evicts b
    assert len(cache) == 2 and cache.get(a) is first
    assert (cache.hits, cache.misses) == (3, 3)
    changed = a.copy()
    changed[0, 0] = True
    assert cache.get(changed) is not first
    assert np.array_equal(first.skeleton(), skeletonize(a))
    assert len(TruthCache(0)) == 0 and TruthCache(0).get(a).skeleton().sum() == 20
    with pytest.raises(ValueError, match='max_tiles'):
        TruthCache(-1)


def _random_graph(rng, n, scale):
    nodes = rng.random((n, 2)) * scale
    edges = [(i, int(rng.integers(0, i))) for i in range(1, n)]
    edges += [tuple(int(v) for v in rng.integers(0, n, 2)) for _ in range(n // 3)]
    edges = np.array([e for e in edges if e[0] != e[1]]).reshape(-1, 2)
    polylines = [np.stack([nodes[a], (nodes[a] + nodes[b]) / 2 + rng.normal(0, 3, 2), nodes[b]])
                 for a, b in edges]
    return RoadGraph(nodes, edges, polylines)


def _greedy(holes, marbles, radius):
    """Marbles in order take the nearest empty hole within radius (lower index on ties)."""
    empty, filled = set(range(len(holes))), 0
    for m in marbles:
        d = np.sqrt(((holes - m) ** 2).sum(1)) if len(holes) else np.zeros(0)
        near = [(d[j], j) for j in sorted(empty) if d[j] <= radius]
        if near:
            empty.discard(min(near)[1])
            filled += 1
    return filled


def test_match_count_is_the_one_by_one_rule():
    rng = np.random.default_rng(4)
    for _ in range(300):
        scale = rng.uniform(2, 20)
        holes = rng.random((int(rng.integers(0, 25)), 2)) * scale
        marbles = rng.random((int(rng.integers(0, 25)), 2)) * scale
        assert match_count(holes, marbles, 4.0) == _greedy(holes, marbles, 4.0)


def test_topo_of_all_starts_at_once_equals_start_by_start():
    rng = np.random.default_rng(3)
    settings = TopoSettings()
    for _ in range(25):
        gt = _random_graph(rng, int(rng.integers(2, 60)), rng.uniform(40, 500))
        noise = rng.uniform(0.3, 5)
        prop = RoadGraph(gt.nodes + rng.normal(0, noise, gt.nodes.shape), gt.edges,
                         [p + rng.normal(0, 1, p.shape) for p in gt.polylines])
        holes_of, marbles_of = LocalGraph(gt, settings), LocalGraph(prop, settings)
        expected = np.zeros((gt.num_nodes, 3), np.int64)
        for s in range(gt.num_nodes):
            holes = holes_of.points(s)
            d, p = marbles_of.tree.query(gt.nodes[s], distance_upper_bound=4.0)
            if d > 4.0:
                expected[s] = (0, 0, len(holes))
                continue
            marbles = marbles_of.points(p)
            tp = match_count(holes, marbles, 4.0)
            expected[s] = (tp, len(marbles) - tp, len(holes) - tp)
        assert np.array_equal(topo_node_counts(gt, prop, settings), expected)
