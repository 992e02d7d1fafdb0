"""Building footprints are rasterised once per tile: FootprintCache and
LoadBuildingFootprints reuse the mask until the file or the grid changes."""
import json
import os

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from mmkd_rs.datasets.sar_optical import footprint_cache
from mmkd_rs.datasets.sar_optical.footprint_cache import FootprintCache
from mmkd_rs.datasets.sar_optical.geo_io import rasterize_footprints
from mmkd_rs.datasets.transforms import LoadBuildingFootprints
from mmkd_rs.geo import Georef

UTM31 = rasterio.crs.CRS.from_epsg(32631)


def _write(path, squares):
    """GeoJSON (UTM 31N) with one square building (x, y, side in metres) each."""
    features = [dict(type='Feature', properties={}, geometry=dict(type='Polygon', coordinates=[
        [[x, y], [x + s, y], [x + s, y - s], [x, y - s], [x, y]]])) for x, y, s in squares]
    path.write_text(json.dumps(dict(
        type='FeatureCollection', features=features,
        crs=dict(type='name', properties=dict(name='urn:ogc:def:crs:EPSG::32631')))))


@pytest.fixture
def counted(monkeypatch):
    calls = []

    def rasterize(*args, **kwargs):
        calls.append(args[0])
        return rasterize_footprints(*args, **kwargs)

    monkeypatch.setattr(footprint_cache, 'rasterize_footprints', rasterize)
    return calls


def test_cache_returns_the_same_mask_and_rasterises_once(tmp_path, counted):
    path = tmp_path / 'b.geojson'
    _write(path, [(592002, 5750998, 5), (592010, 5750990, 6)])
    grid = Georef(UTM31, from_origin(592000, 5751000, 1.0, 1.0), 20, 30)
    cache = FootprintCache()
    first = cache.rasterize(str(path), grid, 20.0)
    again = cache.rasterize(str(path), grid, 20.0)
    assert np.array_equal(first, rasterize_footprints(str(path), grid, 20.0))
    assert np.array_equal(again, first) and again is not first and again.dtype == np.uint8
    assert int(first.sum()) == 25 + 36 and len(counted) == 1
    again[:] = 0                                          # callers own what they get
    assert cache.rasterize(str(path), grid, 20.0).sum() == 61
    # another grid, area threshold or burn value is another mask
    shifted = Georef(UTM31, from_origin(592001, 5751000, 1.0, 1.0), 20, 30)
    assert cache.rasterize(str(path), shifted, 20.0)[:, 1:6].sum() == 25
    assert cache.rasterize(str(path), grid, 30.0).sum() == 36
    assert set(np.unique(cache.rasterize(str(path), grid, 20.0, burn_value=7))) == {0, 7}
    assert len(counted) == 4 and (cache.hits, cache.misses) == (2, 4)


def test_edited_file_is_rasterised_again(tmp_path, counted):
    path = tmp_path / 'b.geojson'
    _write(path, [(592002, 5750998, 5)])
    grid = Georef(UTM31, from_origin(592000, 5751000, 1.0, 1.0), 20, 20)
    cache = FootprintCache()
    assert cache.rasterize(str(path), grid).sum() == 25
    _write(path, [(592002, 5750998, 7)])
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10 ** 9))
    assert cache.rasterize(str(path), grid).sum() == 49 and len(counted) == 2


def test_cache_is_bounded_in_bytes(tmp_path, counted):
    grid = Georef(UTM31, from_origin(592000, 5751000, 1.0, 1.0), 64, 64)   # 512 B packed
    paths = []
    for k in range(4):
        paths.append(tmp_path / f'b{k}.geojson')
        _write(paths[-1], [(592002 + k, 5750998, 5)])
    cache = FootprintCache(max_mb=1200 / 2 ** 20)                  # room for two masks
    for path in paths:
        cache.rasterize(str(path), grid)
    assert len(cache) == 2 and cache.nbytes == 1024
    cache.rasterize(str(paths[-1]), grid)                           # kept: a hit
    cache.rasterize(str(paths[0]), grid)                            # dropped: rasterised again
    assert len(counted) == 5
    assert len(FootprintCache(0)) == 0
    with pytest.raises(ValueError, match='max_mb'):
        FootprintCache(-1)


def test_load_building_footprints_uses_the_cache(tmp_path, counted):
    path = tmp_path / 'b.geojson'
    _write(path, [(592002, 5750998, 5)])
    grid = Georef(UTM31, from_origin(592000, 5751000, 1.0, 1.0), 20, 20)
    load = LoadBuildingFootprints()
    for flip in (False, True, False):
        out = load(dict(seg_map_path=str(path), geo_grid=grid, orientation_flip=flip))
        assert out['gt_seg_map'].sum() == 25 and out['seg_fields'] == ['gt_seg_map']
        assert out['gt_seg_map'][2:7, 2:7].all() != flip    # turned by 180 degrees
    assert len(counted) == 1
    uncached = LoadBuildingFootprints(cache_mb=0)
    for _ in range(2):
        uncached(dict(seg_map_path=str(path), geo_grid=grid))
    assert len(counted) == 3


def test_sar_nodata_mask_band_by_band_equals_the_reduction():
    from mmkd_rs.datasets.sar_optical.geo_io import sar_nodata_mask
    rng = np.random.default_rng(0)
    sar = rng.normal(size=(30, 40, 4)).astype(np.float32)
    sar[rng.random(sar.shape) < 0.05] = np.nan
    sar[:5] = 0                                   # all bands 0: nodata when 0 is declared
    sar[10:12, :, 2] = 0                          # one band 0: a measurement
    for declared in (None, 0.0, float('nan')):
        expected = np.isnan(sar).any(axis=2)
        if declared is not None and not np.isnan(declared):
            expected |= (sar == declared).all(axis=2)
        assert np.array_equal(sar_nodata_mask(sar, declared), expected)
    assert sar_nodata_mask(sar, 0.0)[:5].all() and not sar_nodata_mask(sar, None)[:5].any()
