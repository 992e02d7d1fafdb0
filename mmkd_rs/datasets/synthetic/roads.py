"""Seeded synthetic road scenes written in DeepGlobe, SpaceNet 3 and Massachusetts layouts.

A scene is a perturbed grid of roads with random edge removal (dead ends and
T-junctions), curved segments, short spurs ending inside the tile, per-road widths,
on a textured background with fields, trees occluding roads and cast shadows.
The label is the road *under* the occluders, as in the real datasets.

Writers produce exactly the on-disk formats of the real datasets so that their
loaders and converters run unchanged:

* :func:`write_deepglobe`: ``<id>_sat.jpg`` + ``<id>_mask.png`` (RGB, 0/255).
* :func:`write_spacenet3`: ``RGB-PanSharpen/RGB-PanSharpen_AOI_9_Synth_img<i>.tif``
  (16- or 8-bit GeoTIFF, EPSG:4326 near Las Vegas) +
  ``geojson/spacenetroads/spacenetroads_AOI_9_Synth_img<i>.geojson`` (CRS84).
* :func:`write_massachusetts`: ``<split>/sat/<id>.tiff`` + ``<split>/map/<id>.tif``.
"""
import json
import os
import os.path as osp

import cv2
import numpy as np

from ..roads.connectivity_labels import lines_to_graph, road_mask_from_graph

# Geographic placement of synthetic SpaceNet tiles (Las Vegas, as SN3 AOI_2).
SN3_ORIGIN_LONLAT = (-115.30, 36.13)
SN3_DEG_PER_PX = 2.7e-6  # about 0.3 m x 0.24 m at 36 deg N, as SN3 RGB-PanSharpen


def _bezier(p0, p1, bend, n=12):
    """Quadratic Bezier from p0 to p1 with control point pushed ``bend`` px sideways."""
    mid = (p0 + p1) / 2.0
    d = p1 - p0
    normal = np.array([-d[1], d[0]]) / max(np.hypot(*d), 1e-6)
    ctrl = mid + bend * normal
    t = np.linspace(0.0, 1.0, n)[:, None]
    return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * ctrl + t ** 2 * p1


def grid_cells(size, block_px=(40, 80)):
    """Range of grid cells per side so that blocks are ``block_px`` wide.

    A 128 px scene gets 2-3 cells per side, a 256 px scene 4-6: junctions and
    dead ends grow with the scene area, so a larger scene holds the several
    junctions per scene that graph metrics (APLS, TOPO) need to tell models apart.
    """
    low = max(2, int(round(size / block_px[1])))
    return low, max(low, int(round(size / block_px[0])))


def random_road_lines(rng, size, cells=None, drop_prob=0.3, curve_prob=0.4, spurs=None):
    """Road centrelines of one scene in px (x, y), corner origin.

    Args:
        cells: (min, max) grid cells per side; default :func:`grid_cells`.
        spurs: (min, max) short dead-end spurs; default scales with ``cells``.

    Returns:
        list[np.ndarray]: polylines ``(N, 2)``; grid lines extend past the border.
    """
    cells = cells or grid_cells(size)
    spurs = spurs or (0, max(3, cells[1]))
    n = int(rng.integers(cells[0], cells[1] + 1))
    step = size / n
    # grid node (i, j) position, jittered; the outer ring lies outside the tile
    xs = np.arange(-1, n + 2) * step - step / 2
    grid = np.stack(np.meshgrid(xs, xs, indexing='xy'), axis=-1)
    grid = grid + rng.uniform(-0.25, 0.25, grid.shape) * step
    lines = []
    m = grid.shape[0]
    for i in range(m):
        for j in range(m):
            for di, dj in ((0, 1), (1, 0)):
                a, b = (i, j), (i + di, j + dj)
                if b[0] >= m or b[1] >= m or rng.random() < drop_prob:
                    continue
                p0, p1 = grid[a], grid[b]
                if rng.random() < curve_prob:
                    lines.append(_bezier(p0, p1, rng.uniform(-0.3, 0.3) * step))
                else:
                    lines.append(np.stack([p0, p1]))
    for _ in range(int(rng.integers(spurs[0], spurs[1] + 1))):
        if not lines:
            break
        base = lines[int(rng.integers(len(lines)))]
        start = base[len(base) // 2]
        if not (0 <= start[0] < size and 0 <= start[1] < size):
            continue
        angle = rng.uniform(0, 2 * np.pi)
        end = start + rng.uniform(0.25, 0.45) * step * np.array([np.cos(angle), np.sin(angle)])
        lines.append(np.stack([start, np.clip(end, 4, size - 4)]))
    return lines


def _smooth_noise(rng, size, scale, channels=1):
    noise = rng.standard_normal((size, size, channels)).astype(np.float32)
    k = max(3, int(scale) | 1)
    out = cv2.GaussianBlur(noise, (k, k), scale / 3.0)
    out = out.reshape(size, size, channels)
    return out / (out.std() + 1e-6)


def render_scene(rng, size=256, width_px=(3, 9)):
    """One synthetic scene.

    Returns:
        dict: ``image`` ``(H, W, 3)`` uint8 RGB, ``mask`` ``(H, W)`` uint8 0/1,
        ``lines`` (px polylines), ``widths`` (px per line).
    """
    lines = random_road_lines(rng, size)
    widths = rng.uniform(width_px[0], width_px[1], len(lines))
    mask = np.zeros((size, size), np.uint8)
    for line, width in zip(lines, widths):
        mask |= road_mask_from_graph(lines_to_graph([line]), mask.shape, width)
    # background: soil colour + low-frequency texture + fields of varied tint
    base = np.array(rng.choice([[150, 135, 105], [120, 130, 90], [170, 160, 140]]), np.float32)
    img = (base * (1 + 0.12 * _smooth_noise(rng, size, size / 8))
           + 4 * _smooth_noise(rng, size, size / 8, 3) + 6 * _smooth_noise(rng, size, 3, 3))
    for _ in range(int(rng.integers(2, 6))):
        c = rng.uniform(0, size, 2)
        axes = rng.uniform(size / 10, size / 3, 2)
        field = np.zeros((size, size), np.uint8)
        cv2.ellipse(field, (int(c[0]), int(c[1])), (int(axes[0]), int(axes[1])),
                    float(rng.uniform(0, 180)), 0, 360, 1, -1)
        img[field > 0] += rng.uniform(-20, 20) + rng.uniform(-8, 8, 3).astype(np.float32)
    # roads: grey asphalt with fine noise
    road_col = np.array([95, 95, 100], np.float32) + rng.uniform(-15, 25)
    road = mask.astype(bool)
    img[road] = road_col + 8 * _smooth_noise(rng, size, 3, 3)[road]
    # shadows (darken) and trees (dark green blobs) also over roads
    for _ in range(int(rng.integers(1, 4))):
        sh = np.zeros((size, size), np.uint8)
        c = rng.uniform(0, size, 2)
        cv2.ellipse(sh, (int(c[0]), int(c[1])), (int(rng.uniform(5, size / 8)),
                    int(rng.uniform(3, size / 16))), float(rng.uniform(0, 180)), 0, 360, 1, -1)
        img[sh > 0] *= 0.55
    n_trees = int(rng.integers(size // 16, size // 6))
    for _ in range(n_trees):
        c = rng.uniform(0, size, 2).astype(int)
        r = int(rng.uniform(2, 6))
        cv2.circle(img, (int(c[0]) + r // 2, int(c[1]) + r // 2), r, (40, 40, 35), -1)
        cv2.circle(img, (int(c[0]), int(c[1])), r, (45, 85 + int(rng.integers(0, 30)), 40), -1)
    image = np.clip(img, 0, 255).astype(np.uint8)
    return dict(image=image, mask=mask, lines=lines, widths=widths)


def _scenes(num, size, seed):
    """``(index, render_scene(...))`` for ``num`` scenes drawn from one generator."""
    rng = np.random.default_rng(seed)
    for i in range(num):
        yield i, render_scene(rng, size)


def write_deepglobe(out_dir, num=8, size=256, seed=0):
    """Write ``num`` scenes as DeepGlobe ``<id>_sat.jpg`` + ``<id>_mask.png``."""
    os.makedirs(out_dir, exist_ok=True)
    names = []
    for i, scene in _scenes(num, size, seed):
        name = f'{1000 + i}'
        cv2.imwrite(osp.join(out_dir, f'{name}_sat.jpg'), scene['image'][..., ::-1],
                    [cv2.IMWRITE_JPEG_QUALITY, 95])
        mask = np.repeat(scene['mask'][..., None] * 255, 3, axis=2)
        cv2.imwrite(osp.join(out_dir, f'{name}_mask.png'), mask)
        names.append(name)
    return names


def write_massachusetts(out_dir, num=4, size=256, seed=0, split='training'):
    """Write scenes as Massachusetts Roads ``<split>/sat/<id>.tiff`` + ``map/<id>.tif``."""
    sat, gt = osp.join(out_dir, split, 'sat'), osp.join(out_dir, split, 'map')
    os.makedirs(sat, exist_ok=True)
    os.makedirs(gt, exist_ok=True)
    names = []
    for i, scene in _scenes(num, size, seed):
        name = f'{10078660 + i}_15'
        cv2.imwrite(osp.join(sat, f'{name}.tiff'), scene['image'][..., ::-1])
        cv2.imwrite(osp.join(gt, f'{name}.tif'), scene['mask'] * 255)
        names.append(name)
    return names


def _to_lonlat(line, origin):
    lon = origin[0] + line[:, 0] * SN3_DEG_PER_PX
    lat = origin[1] - line[:, 1] * SN3_DEG_PER_PX
    return np.stack([lon, lat], axis=1)


def write_spacenet3(out_dir, num=4, size=256, seed=0, bit_depth=16):
    """Write scenes as SpaceNet 3 RGB-PanSharpen GeoTIFFs + road GeoJSON (CRS84).

    Tiles are placed side by side east of :data:`SN3_ORIGIN_LONLAT` on a lon/lat
    grid of :data:`SN3_DEG_PER_PX`. 16-bit images hold the 8-bit rendering times
    8 plus an offset (as raw PanSharpen counts), to exercise percentile stretching.
    GeoJSON properties carry ``lane_number`` = round(width / 3 m).
    """
    import rasterio
    from rasterio.transform import from_origin

    img_dir = osp.join(out_dir, 'RGB-PanSharpen')
    geo_dir = osp.join(out_dir, 'geojson', 'spacenetroads')
    os.makedirs(img_dir, exist_ok=True)
    os.makedirs(geo_dir, exist_ok=True)
    gsd_x = SN3_DEG_PER_PX * 111320.0 * np.cos(np.radians(SN3_ORIGIN_LONLAT[1]))
    names = []
    for i, scene in _scenes(num, size, seed):
        origin = (SN3_ORIGIN_LONLAT[0] + i * (size + 10) * SN3_DEG_PER_PX, SN3_ORIGIN_LONLAT[1])
        transform = from_origin(origin[0], origin[1], SN3_DEG_PER_PX, SN3_DEG_PER_PX)
        data = np.moveaxis(scene['image'], -1, 0)
        dtype = 'uint16' if bit_depth == 16 else 'uint8'
        if bit_depth == 16:
            data = data.astype(np.uint16) * 8 + 120
        name = f'AOI_9_Synth_img{i + 1}'
        with rasterio.open(osp.join(img_dir, f'RGB-PanSharpen_{name}.tif'), 'w', driver='GTiff',
                           height=size, width=size, count=3, dtype=dtype, crs='EPSG:4326',
                           transform=transform) as dst:
            dst.write(data)
        feats = []
        for k, line in enumerate(scene['lines']):
            lanes = max(1, int(round(scene['widths'][k] * gsd_x / 3.0)))
            feats.append(dict(type='Feature',
                              properties=dict(road_id=k, lane_number=str(lanes)),
                              geometry=dict(type='LineString',
                                            coordinates=_to_lonlat(line, origin).tolist())))
        with open(osp.join(geo_dir, f'spacenetroads_{name}.geojson'), 'w') as f:
            json.dump(dict(type='FeatureCollection',
                           crs=dict(type='name',
                                    properties=dict(name='urn:ogc:def:crs:OGC:1.3:CRS84')),
                           features=feats), f)
        names.append(name)
    return names


def scene_labels(scene, scheme='topology', junction_radius_px=6.0, dead_end_radius_px=4.0):
    """Exact label rasters of a rendered scene from the generator's own road graph:
    ``mask``, ``graph``, ``centreline``, ``junction``, ``conn``."""
    from ..roads.connectivity_labels import (centreline_mask, connectivity_label, disk_mask,
                                             junction_nodes, node_lines)

    shape = scene['mask'].shape
    graph = lines_to_graph(node_lines(scene['lines']), snap_px=1.0, shape=shape)
    return dict(mask=scene['mask'], graph=graph, centreline=centreline_mask(graph, shape),
                junction=disk_mask(graph, junction_nodes(graph), shape, junction_radius_px),
                conn=connectivity_label(scene['mask'], graph, scheme=scheme,
                                        junction_radius_px=junction_radius_px,
                                        dead_end_radius_px=dead_end_radius_px))


_SPLIT_IDS = {'train': 0, 'val': 1, 'test': 2}


def generate_synthetic_roads(data_root, num_train=32, num_val=8, size=128, seed=0,
                             scheme='topology', junction_radius_px=6.0, dead_end_radius_px=4.0,
                             num_test=0):
    """Write a ready-to-train synthetic road dataset in the converted mmseg layout
    (``img_dir``/``ann_dir``/``conn_dir``/``graph_dir``/``centreline_dir``/
    ``junction_dir`` x ``train``/``val``/``test``; see mmkd_rs.datasets.roads.layout).

    Labels come from the generator's own road graph (no skeletonisation), so the
    connectivity classes are exact. Each scene depends only on ``(seed, split,
    index)``: growing one split never changes another. Used by the quick CPU configs
    (``data/synthetic_roads``) and the benchmark suites (``func(data_root, **kwargs)``).
    """
    from ..roads.layout import write_road_sample

    for split, num in (('train', num_train), ('val', num_val), ('test', num_test)):
        for i in range(num):
            rng = np.random.default_rng([seed, _SPLIT_IDS[split], i])
            scene = render_scene(rng, size)
            labels = scene_labels(scene, scheme, junction_radius_px, dead_end_radius_px)
            write_road_sample(data_root, split, f'{split}_{i:04d}', labels, image=scene['image'])
    return data_root


def write_for_dataset_config(cfg, cls, root, num, size, seed):
    """Synthetic scenes in the layout a road dataset config expects (its
    ``data_prefix`` folders and suffixes); for the synthetic catalog.

    A ``seg_map_suffix`` ending in ``_mask.png`` gets DeepGlobe's raw RGB 0/255
    masks, any other the converted 0/1 masks.
    """
    import inspect

    defaults = {k: v.default for klass in reversed(cls.__mro__)
                if '__init__' in klass.__dict__
                for k, v in inspect.signature(klass.__dict__['__init__']).parameters.items()
                if v.default is not inspect.Parameter.empty}
    suffix = {k: cfg.get(k, defaults.get(k, '.png')) for k in
              ('img_suffix', 'seg_map_suffix', 'conn_suffix', 'graph_suffix')}
    prefix = cfg.get('data_prefix', {})
    rng = np.random.default_rng(seed)
    for i in range(num):
        scene = render_scene(rng, size)
        labels = scene_labels(scene)
        name = f'synthetic_{i:03d}'

        def path(key, suffix_key):
            folder = osp.join(root, prefix.get(key, ''))
            os.makedirs(folder, exist_ok=True)
            return osp.join(folder, name + suffix[suffix_key])

        cv2.imwrite(path('img_path', 'img_suffix'), scene['image'][..., ::-1])
        mask = labels['mask']
        if suffix['seg_map_suffix'].endswith('_mask.png'):
            mask = np.repeat(mask[..., None] * 255, 3, axis=2)
        cv2.imwrite(path('seg_map_path', 'seg_map_suffix'), mask)
        if prefix.get('conn_path'):
            cv2.imwrite(path('conn_path', 'conn_suffix'), labels['conn'])
        if prefix.get('graph_path'):
            from ..roads.connectivity_labels import save_graph
            save_graph(labels['graph'], path('graph_path', 'graph_suffix'), size, size)
