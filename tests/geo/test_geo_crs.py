"""The one GeoJSON CRS parser (mmkd_rs.geo.geojson_crs) and the cases where the
road-graph, road-label and SAR footprint readers used to disagree.

Before, three parsers read the ``crs`` member:

* road graphs (``evaluation.graph.geo_io``) refused geographic CRSs other than
  WGS 84 ("not WGS84; reproject the file") and read a ``crs`` member without a
  name as WGS 84;
* road labels (``datasets.roads.geo``) handed the name to PROJ (any datum,
  reprojected) and refused a ``crs`` member without a name;
* SAR footprints (``datasets.sar_optical.geo_io``) rewrote URNs by hand, handed
  the rest to PROJ (any datum, reprojected) and read a nameless member as WGS 84.

The road-label and SAR readers were right about other datums: NAD83 or OSGB 36
lon/lat are well-defined coordinates that PROJ transforms exactly as it
transforms WGS 84, so refusing them throws valid data away, and reading them as
WGS 84 would misplace them by the datum shift (about 100 m for OSGB 36). The
road-label reader was right about a nameless (e.g. ``link``) member: nothing
says it is WGS 84, so guessing could misplace every line. All readers now share
:func:`mmkd_rs.geo.geojson_crs` and agree.
"""
import json

import numpy as np
import pytest
from rasterio.crs import CRS
from rasterio.transform import from_origin

from mmkd_rs.datasets.roads.geo import lines_to_pixels, read_road_lines
from mmkd_rs.datasets.sar_optical.geo_io import rasterize_footprints
from mmkd_rs.evaluation.graph import load_geojson_graph
from mmkd_rs.geo import (WGS84, Georef, check_lonlat, geojson_crs, is_wgs84,
                         read_feature_collection, transform_xy)
from mmkd_rs.utils.errors import DataFileError, DataFileNotFoundError


def _named(name):
    return {'type': 'FeatureCollection', 'features': [],
            'crs': {'type': 'name', 'properties': {'name': name}}}


@pytest.mark.parametrize('name', [
    None, 'urn:ogc:def:crs:OGC:1.3:CRS84', 'urn:ogc:def:crs:OGC::CRS84', 'OGC:CRS84',
    'CRS84', 'http://www.opengis.net/def/crs/OGC/1.3/CRS84', 'urn:ogc:def:crs:EPSG::4326',
    'EPSG:4326', 'http://www.opengis.net/def/crs/EPSG/0/4326', 'WGS84'])
def test_every_spelling_of_wgs84_lonlat_is_one_crs(name):
    collection = {'type': 'FeatureCollection', 'features': []} if name is None else _named(name)
    crs = geojson_crs(collection)
    assert crs is WGS84 and crs.to_string() == 'EPSG:4326' and is_wgs84(crs)


@pytest.mark.parametrize('name, epsg', [
    ('urn:ogc:def:crs:EPSG::32616', 32616), ('urn:ogc:def:crs:EPSG:6.6:32616', 32616),
    ('http://www.opengis.net/def/crs/EPSG/0/32616', 32616), ('EPSG:32616', 32616),
    ('urn:ogc:def:crs:EPSG::4269', 4269), ('EPSG:4277', 4277)])
def test_epsg_urns_uris_and_other_datums_are_kept(name, epsg):
    crs = geojson_crs(_named(name))
    assert crs.to_epsg() == epsg and not is_wgs84(crs)
    assert crs.is_geographic == (epsg in (4269, 4277))


def test_unusable_crs_members_raise_naming_the_file(tmp_path):
    link = {'type': 'FeatureCollection', 'features': [],
            'crs': {'type': 'link', 'properties': {'href': 'http://x/crs', 'type': 'proj4'}}}
    with pytest.raises(DataFileError, match='"a.geojson": unreadable "crs" member'):
        geojson_crs(link, 'a.geojson')
    with pytest.raises(DataFileError, match="unknown GeoJSON crs 'not-a-crs'"):
        geojson_crs(_named('not-a-crs'), 'b.geojson')
    assert geojson_crs({'type': 'FeatureCollection', 'features': [], 'crs': None}) is WGS84


def test_feature_collection_reading_errors(tmp_path):
    with pytest.raises(DataFileNotFoundError, match='none.geojson'):
        read_feature_collection(tmp_path / 'none.geojson')
    (tmp_path / 'cut.geojson').write_text('{"type": "FeatureCollection", "feat')
    with pytest.raises(DataFileError, match='cut.geojson" is not valid JSON'):
        read_feature_collection(tmp_path / 'cut.geojson')
    (tmp_path / 'f.geojson').write_text('{"type": "Feature"}')
    with pytest.raises(DataFileError, match="FeatureCollection .*got type 'Feature'"):
        read_feature_collection(tmp_path / 'f.geojson')
    (tmp_path / 'ok.geojson').write_text(json.dumps(_named('EPSG:32631')))
    assert read_feature_collection(tmp_path / 'ok.geojson') == ([], CRS.from_epsg(32631))


def test_projected_coordinates_in_a_lonlat_file_raise():
    check_lonlat(np.array([[-180.0, -90.0], [180.0, 90.0]]), WGS84)
    check_lonlat(np.array([[664000.0, 4011000.0]]), CRS.from_epsg(32611))   # projected: fine
    with pytest.raises(DataFileError, match='not lon/lat: projected coordinates need a "crs"'):
        check_lonlat(np.array([[664000.0, 4011000.0]]), WGS84, 'x.geojson')


# ---------------------------------------------------------------- the three readers agree
LONDON = np.array([[-0.1300, 51.5000], [-0.1300, 51.5010], [-0.1285, 51.5010]])


def _write(path, geometry, crs=None):
    data = {'type': 'FeatureCollection',
            'features': [{'type': 'Feature', 'properties': {}, 'geometry': geometry}]}
    if crs:
        data['crs'] = {'type': 'name', 'properties': {'name': crs}}
    path.write_text(json.dumps(data))
    return str(path)


@pytest.mark.parametrize('name', ['EPSG:4277', 'urn:ogc:def:crs:EPSG::4277'])
def test_lonlat_on_another_datum_lands_where_the_wgs84_lines_do(tmp_path, name):
    osgb = transform_xy(WGS84, 'EPSG:4277', LONDON)
    utm = transform_xy(WGS84, 'EPSG:32630', LONDON)
    misread = transform_xy(WGS84, 'EPSG:32630', osgb)          # OSGB 36 read as WGS 84
    assert np.hypot(*(misread - utm).T).min() > 50

    # road labels: pixel coordinates on a WGS 84 tile of 1e-5 deg pixels
    line = lambda xy: {'type': 'LineString', 'coordinates': xy.tolist()}   # noqa: E731
    profile = dict(crs=WGS84, transform=from_origin(-0.1310, 51.5020, 1e-5, 1e-5),
                   height=300, width=300)
    pixels = [lines_to_pixels(*read_road_lines(_write(tmp_path / f, line(xy), crs))[::2],
                              profile)[0]
              for f, xy, crs in (('w.geojson', LONDON, None), ('o.geojson', osgb, name))]
    assert np.abs(pixels[0] - pixels[1]).max() < 1e-2          # pixels of 0.7 x 1.1 m

    # road graphs: same nodes in the same UTM frame (used to raise "not WGS84")
    ref, frame = load_geojson_graph(tmp_path / 'w.geojson')
    graph, other = load_geojson_graph(tmp_path / 'o.geojson')
    assert frame == other and np.abs(graph.nodes - ref.nodes).max() < 1e-2     # metres

    # SAR footprints: a 24 m x 24 m building, burnt onto a 1 m UTM 30N grid
    corner = utm[0] + 10
    square = np.array([[0, 0], [24, 0], [24, 24], [0, 24], [0, 0]]) + corner
    grid = Georef(CRS.from_epsg(32630), from_origin(utm[0, 0], utm[0, 1] + 60, 1.0, 1.0),
                  80, 80)
    masks = [rasterize_footprints(_write(tmp_path / f, {'type': 'Polygon', 'coordinates': [
        transform_xy('EPSG:32630', crs or WGS84, square).tolist()]}, crs), grid)
        for f, crs in (('bw.geojson', None), ('bo.geojson', name))]
    assert masks[0].sum() == 24 * 24 and np.array_equal(masks[0], masks[1])
