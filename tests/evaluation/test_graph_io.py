"""GeoJSON / SpaceNet CSV readers: projection, CRS checks, tile checks, empty rows."""
import json

import numpy as np
import pytest

from mmkd_rs.evaluation.graph import RasterGeoref, apls_score, load_geojson_graph, \
    load_wkt_csv_graph, read_wkt_csv

# a 100 x 100 px tile of 1e-5 deg pixels near Las Vegas (about 0.9 m x 1.1 m)
GEOREF = RasterGeoref((1e-5, 0.0, -115.17, 0.0, -1e-5, 36.24), 'EPSG:4326', (100, 100))


def _geojson(path, coords, crs=None):
    data = {'type': 'FeatureCollection', 'features': [
        {'type': 'Feature', 'properties': {},
         'geometry': {'type': 'LineString', 'coordinates': coords}}]}
    if crs:
        data['crs'] = {'type': 'name', 'properties': {'name': crs}}
    path.write_text(json.dumps(data))
    return path


def test_lonlat_geojson_is_projected_to_utm_metres(tmp_path):
    # 0.001 deg of latitude is about 110.9 m
    path = _geojson(tmp_path / 'a.geojson', [[-115.1695, 36.2395], [-115.1695, 36.2385]],
                    'urn:ogc:def:crs:OGC:1.3:CRS84')
    graph, frame = load_geojson_graph(path, georef=GEOREF)
    assert frame.crs == 'EPSG:32611'
    assert graph.total_length() == pytest.approx(110.9, abs=0.3)


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
    with pytest.raises(ValueError, match='not WGS84'):
        load_geojson_graph(_geojson(tmp_path / 'c.geojson', [[0, 0], [1, 1]], 'EPSG:4269'))
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
