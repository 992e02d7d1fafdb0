"""GeoJSON / SpaceNet CSV readers: projection, CRS checks, tile checks, empty rows."""
import json

import numpy as np
import pytest
from rasterio import Affine

from mmkd_rs.evaluation.graph import apls_score, load_geojson_graph, load_wkt_csv_graph, \
    read_wkt_csv
from mmkd_rs.geo import WGS84, Georef, transform_xy

# a 100 x 100 px tile of 1e-5 deg pixels near Las Vegas (about 0.9 m x 1.1 m)
GEOREF = Georef(WGS84, Affine(1e-5, 0.0, -115.17, 0.0, -1e-5, 36.24), 100, 100)


def _geojson(path, coords, crs=None, kind='LineString'):
    data = {'type': 'FeatureCollection', 'features': [
        {'type': 'Feature', 'properties': {},
         'geometry': {'type': kind, 'coordinates': coords}}]}
    if crs:
        data['crs'] = {'type': 'name', 'properties': {'name': crs}}
    path.write_text(json.dumps(data))
    return path


def test_lonlat_geojson_is_projected_to_utm_metres(tmp_path):
    # 0.001 deg of latitude is about 110.9 m in UTM; the edge keeps the reference's
    # great-circle length (sphere of 6371009 m: 111.195 m)
    path = _geojson(tmp_path / 'a.geojson', [[-115.1695, 36.2395], [-115.1695, 36.2385]],
                    'urn:ogc:def:crs:OGC:1.3:CRS84')
    graph, frame = load_geojson_graph(path, georef=GEOREF)
    assert frame.crs == 'EPSG:32611'
    assert graph.geometry_lengths()[0] == pytest.approx(110.9, abs=0.3)
    assert graph.total_length() == pytest.approx(111.195, abs=1e-3)


def _great_circle(a, b):
    (lon1, lat1), (lon2, lat2) = np.deg2rad(a), np.deg2rad(b)
    h = np.sin((lat2 - lat1) / 2) ** 2 + \
        np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return round(2 * np.arcsin(np.sqrt(h)) * 6371009, 3)


def test_multilinestring_parts_and_rings_build_like_the_reference(tmp_path):
    x0, x1, y0, y1 = -115.1695, -115.1690, 36.2395, 36.2390
    joined = [[[x0, y0], [x0, y1]], [[x0, y1], [x1, y1]]]     # two parts meeting end to end
    ring = [[x0 + 0.002, y0], [x1 + 0.002, y0], [x1 + 0.002, y1], [x0 + 0.002, y1],
            [x0 + 0.002, y0]]                                  # an isolated closed part
    path = _geojson(tmp_path / 'm.geojson', joined + [ring], kind='MultiLineString')
    graph, _ = load_geojson_graph(path)
    # the joint of the two parts merges into one edge; the ring keeps its 4 vertices
    assert (graph.num_nodes, graph.num_edges) == (6, 5)
    assert (graph.edges[:, 0] != graph.edges[:, 1]).all()
    expected = sorted([_great_circle(*joined[0]) + _great_circle(*joined[1])]
                      + [_great_circle(ring[i], ring[i + 1]) for i in range(4)])
    assert sorted(graph.edge_lengths().tolist()) == pytest.approx(expected, abs=1e-6)
    # projected lengths on request: within 0.3 % of the great-circle ones
    utm, _ = load_geojson_graph(path, great_circle_lengths=False)
    assert sorted(utm.edge_lengths().tolist()) == pytest.approx(expected, rel=3e-3)
    assert not np.allclose(sorted(utm.edge_lengths()), expected, rtol=1e-4)


def test_csv_pixels_follow_the_geotiff_transform(tmp_path):
    gj = _geojson(tmp_path / 'gt.geojson', [[-115.1695, 36.2395], [-115.1695, 36.2385]])
    csv = tmp_path / 'prop.csv'
    # the same line in pixels, x = 50, rows 50 .. 150 (partly outside the tile: kept)
    csv.write_text('ImageId,WKT_Pix\n'
                   'tile,"LINESTRING (50 50, 50 150)"\n'
                   'empty,LINESTRING EMPTY\n')
    gt, frame = load_geojson_graph(gj, georef=GEOREF)
    prop, _ = load_wkt_csv_graph(csv, 'tile', georef=GEOREF, frame=frame)
    assert apls_score(gt, prop).apls == pytest.approx(1.0)
    assert read_wkt_csv(csv)['empty'] == []
    empty, _ = load_wkt_csv_graph(csv, 'empty', georef=GEOREF, frame=frame)
    assert empty.num_nodes == 0 and apls_score(gt, empty).apls == 0.0
    with pytest.raises(ValueError, match='no rows for ImageId'):
        load_wkt_csv_graph(csv, 'other', georef=GEOREF)
    with pytest.raises(ValueError, match='gsd'):
        load_wkt_csv_graph(csv, 'tile')
    scaled, _ = load_wkt_csv_graph(csv, 'tile', gsd=0.5)
    assert scaled.total_length() == pytest.approx(50.0)


def test_bad_crs_and_outside_tile_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match='unknown GeoJSON crs'):
        load_geojson_graph(_geojson(tmp_path / 'b.geojson', [[0, 0], [1, 1]], 'not-a-crs'))
    with pytest.raises(ValueError, match='not lon/lat'):
        load_geojson_graph(_geojson(tmp_path / 'd.geojson', [[664000, 4011000], [664100, 4011000]]))
    far = _geojson(tmp_path / 'e.geojson', [[-100.0, 40.0], [-100.0, 40.001]])
    with pytest.raises(ValueError, match='outside|inside the reference raster'):
        load_geojson_graph(far, georef=GEOREF)
    # a metric CRS is used as it is
    utm = _geojson(tmp_path / 'f.geojson', [[664000, 4011000], [664100, 4011000]], 'EPSG:32611')
    graph, frame = load_geojson_graph(utm)
    assert frame.crs == 'EPSG:32611' and graph.total_length() == pytest.approx(100.0)
    with pytest.raises(ValueError, match='FeatureCollection'):
        (tmp_path / 'g.geojson').write_text('{"type": "Feature"}')
        load_geojson_graph(tmp_path / 'g.geojson')


def test_lonlat_on_another_datum_is_reprojected_to_wgs84(tmp_path):
    """OSGB 36 lon/lat (EPSG:4277) lies about 100 m off WGS 84 near London. The graph
    reader used to refuse geographic CRSs other than WGS 84 while the road and SAR
    label readers reprojected them; now all reproject: the file gives the graph of
    the same lines written in WGS 84."""
    wgs = np.array([[-0.1300, 51.5000], [-0.1300, 51.5010], [-0.1285, 51.5010]])
    osgb = transform_xy(WGS84, 'EPSG:4277', wgs)
    shift = transform_xy(WGS84, 'EPSG:32630', osgb) - transform_xy(WGS84, 'EPSG:32630', wgs)
    assert np.hypot(*shift.T).min() > 50          # read as WGS 84 it would move this far
    ref, ref_frame = load_geojson_graph(_geojson(tmp_path / 'w.geojson', wgs.tolist()))
    for name in ('EPSG:4277', 'urn:ogc:def:crs:EPSG::4277'):
        graph, frame = load_geojson_graph(_geojson(tmp_path / 'o.geojson', osgb.tolist(), name))
        assert frame.crs == ref_frame.crs == 'EPSG:32630'
        assert np.abs(graph.nodes - ref.nodes).max() < 1e-3           # metres
        assert graph.edge_lengths() == pytest.approx(ref.edge_lengths(), abs=1e-6)
