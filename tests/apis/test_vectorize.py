"""Polygons and road graphs from class masks, block by block, in the mask's CRS."""
import json

import numpy as np
import pytest
from _infer_kit import write_raster

from mmkd_rs.apis.vectorize import (mask_polygons, mask_road_graph, polygons_geojson,
                                    road_graph_geojson)

ORIGIN, RES = (600000.0, 5800000.0), 0.5


def _mask_with_shapes():
    mask = np.zeros((40, 36), np.uint8)
    mask[3:30, 5:9] = 1          # a bar crossing several block rows
    mask[26:30, 5:33] = 1        # ... joined to a bar crossing block columns (an L)
    mask[10:22, 14:28] = 1       # a ring crossing block seams, with a hole
    mask[13:19, 17:25] = 0
    mask[33:36, 2:5] = 1         # two squares touching at a corner only:
    mask[36:39, 5:8] = 1         # two polygons (4-connectivity)
    mask[2, 30] = 1              # a single pixel
    mask[31:39, 20:34] = 2       # class 2 next to nodata
    mask[31:39, 34:36] = 255
    return mask


def _reference(path, classes):
    import rasterio
    from rasterio.features import shapes
    from shapely.geometry import shape
    with rasterio.open(path) as src:
        labels = src.read(1)
        keep = np.isin(labels, classes)
        out = [(int(v), shape(g)) for g, v in shapes(labels, mask=keep, connectivity=4,
                                                      transform=src.transform)]
    return _sorted(out)


def _sorted(polygons):
    return sorted(polygons, key=lambda item: (item[0], item[1].bounds[1], item[1].bounds[0]))


@pytest.mark.parametrize('block', [8, 11, 1000])
def test_block_polygons_equal_whole_mask_polygons(tmp_path, block):
    path = write_raster(tmp_path / 'mask.tif', _mask_with_shapes()[None], origin=ORIGIN, res=RES)
    reference = _reference(path, [1, 2])
    polygons = mask_polygons(path, [1, 2], block=block)
    # the L, the ring, two corner-touching squares, the pixel; the class-2 block
    assert [v for v, _ in polygons] == [1, 1, 1, 1, 1, 2]
    polygons = _sorted(polygons)
    assert len(polygons) == len(reference)
    for (value, poly), (ref_value, ref_poly) in zip(polygons, reference):
        assert value == ref_value and poly.equals(ref_poly)
    ring = [p for v, p in polygons if v == 1 and len(p.interiors)]
    assert len(ring) == 1 and ring[0].area == pytest.approx((12 * 14 - 6 * 8) * RES ** 2)


def test_polygon_coordinates_are_pixel_corners_in_the_crs(tmp_path):
    mask = np.zeros((6, 8), np.uint8)
    mask[2, 3] = 1
    path = write_raster(tmp_path / 'mask.tif', mask[None], origin=ORIGIN, res=RES)
    [(value, poly)] = mask_polygons(path, [1], block=4)
    x0, y0 = ORIGIN
    assert poly.bounds == (x0 + 3 * RES, y0 - 3 * RES, x0 + 4 * RES, y0 - 2 * RES)
    collection = polygons_geojson([(value, poly)], ['background', 'building'], 'EPSG:32631')
    feature = json.loads(json.dumps(collection))['features'][0]
    assert feature['properties'] == {'class': 1, 'name': 'building', 'area': RES * RES}
    assert collection['crs']['properties']['name'] == 'EPSG:32631'


def _road_scene(tmp_path):
    """GT road lines in UTM metres (1 m pixels) and their 5 m wide rasterised mask."""
    from rasterio.features import rasterize
    from rasterio.transform import from_origin
    from shapely.geometry import LineString
    x0, y0 = ORIGIN
    lines = [[(5, 50), (155, 50)], [(80, 5), (80, 155)], [(10, 150), (150, 70)],
             [(20, 100), (60, 100), (60, 140)]]
    lines = [np.array([(x0 + x, y0 - y) for x, y in line], float) for line in lines]
    transform = from_origin(x0, y0, 1.0, 1.0)
    mask = rasterize([(LineString(line).buffer(2.5, cap_style='flat'), 1) for line in lines],
                     out_shape=(160, 160), transform=transform, dtype='uint8')
    path = write_raster(tmp_path / 'roads.tif', mask[None], origin=ORIGIN, res=1.0)
    return lines, path


def test_block_road_graph_matches_the_ground_truth_and_the_whole_mask_graph(tmp_path):
    from mmkd_rs.evaluation.graph.apls import apls_score
    from mmkd_rs.evaluation.graph.road_graph import graph_from_polylines
    from shapely.geometry import MultiLineString
    from shapely.ops import unary_union
    lines, path = _road_scene(tmp_path)
    noded = unary_union(MultiLineString([line.tolist() for line in lines]))  # junctions
    gt = graph_from_polylines([np.asarray(g.coords) for g in noded.geoms])
    whole = mask_road_graph(path, block=1000)
    blocks = mask_road_graph(path, block=48, margin=32)
    x0, y0 = ORIGIN
    assert blocks.nodes[:, 0].min() > x0 and blocks.nodes[:, 0].max() < x0 + 160
    assert blocks.nodes[:, 1].max() < y0 and blocks.nodes[:, 1].min() > y0 - 160
    assert blocks.total_length() == pytest.approx(whole.total_length(), rel=0.03)
    assert apls_score(whole, blocks).apls > 0.99     # 0.27 without joining line ends
    assert apls_score(gt, blocks).apls > 0.95
    # junctions survive the block borders: the cross (80, 50) is a degree-4 node
    degree = np.bincount(blocks.edges.ravel(), minlength=blocks.num_nodes)
    cross = np.linalg.norm(blocks.nodes - (x0 + 80.5, y0 - 50.5), axis=1)
    assert degree[cross < 3].max() >= 3


def test_road_geojson_reads_back_for_apls(tmp_path):
    from mmkd_rs.evaluation.graph.loaders import load_road_graph
    _, path = _road_scene(tmp_path)
    graph = mask_road_graph(path, block=64)
    out = tmp_path / 'pred.geojson'
    out.write_text(json.dumps(road_graph_geojson(graph, 'EPSG:32631')))
    back, frame = load_road_graph(out)
    assert frame.crs == 'EPSG:32631'
    assert back.total_length() == pytest.approx(graph.total_length(), rel=1e-9)
    assert all(f['geometry']['type'] == 'LineString'
               for f in json.loads(out.read_text())['features'])


def test_road_lines_of_a_real_lonlat_tile_score_against_its_geojson_ground_truth(tmp_path):
    """SpaceNet 3 img0 (EPSG:4326): the GT centrelines rasterised 5 m wide on the
    tile's grid, traced back block by block, score high APLS against the GT."""
    import rasterio
    from rasterio.features import rasterize
    from shapely.geometry import LineString

    from _real_data import require_real
    from mmkd_rs.evaluation.graph.apls import apls_score
    from mmkd_rs.evaluation.graph.geo_io import read_geojson_lines
    from mmkd_rs.evaluation.graph.loaders import common_frame, load_road_graph
    root = require_real('spacenet3_roads_apls')
    gt_path = root / 'gt_json_prop_wkt' / 'ground_truth_randomized' / 'AOI_2_Vegas_img0.geojson'
    with rasterio.open(root / 'images' / 'RGB-PanSharpen_AOI_2_Vegas_img0.tif') as src:
        profile, inverse = src.profile, ~src.transform
    lines, _ = read_geojson_lines(gt_path)
    pixel_lines = [np.stack(inverse * (ln[:, 0], ln[:, 1]), 1) for ln in lines]
    mask = rasterize([(LineString(p).buffer(8.0), 1) for p in pixel_lines],    # 0.3 m px
                     out_shape=(profile['height'], profile['width']), dtype='uint8')
    path = tmp_path / 'mask.tif'
    with rasterio.open(path, 'w', driver='GTiff', height=mask.shape[0], width=mask.shape[1],
                       count=1, dtype='uint8', crs=profile['crs'],
                       transform=profile['transform']) as dst:
        dst.write(mask, 1)
    out = tmp_path / 'pred.geojson'
    out.write_text(json.dumps(road_graph_geojson(mask_road_graph(str(path), block=512),
                                                 'EPSG:4326')))
    frame = common_frame(gt_path, None)
    gt, _ = load_road_graph(gt_path, frame=frame)
    pred, _ = load_road_graph(out, frame=frame)
    assert apls_score(gt, pred).apls > 0.85      # 0.891, the same as tracing it whole
