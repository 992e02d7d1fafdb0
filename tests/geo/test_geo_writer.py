"""mmkd_rs.geo writers: GeoTIFFs on the input's grid, PNG 0/255 without georeference."""
import numpy as np
import pytest
from rasterio import Affine
from rasterio.crs import CRS
from rasterio.transform import from_origin

from mmkd_rs.geo import Georef, PredictionWriter, read_raster, write_raster

GRID = Georef(CRS.from_epsg(32631), from_origin(592000.0, 5751000.0, 2.0, 2.0), 5, 7)


def test_write_raster_round_trip(tmp_path):
    sar = np.linspace(-30, 5, 5 * 7 * 2, dtype=np.float32).reshape(5, 7, 2)
    sar[0, 0] = np.nan
    write_raster(str(tmp_path / 'sar.tif'), sar, GRID, nodata=np.nan)
    image, profile = read_raster(tmp_path / 'sar.tif')
    assert np.array_equal(image, sar, equal_nan=True) and np.isnan(profile['nodata'])
    assert Georef.from_profile(profile) == GRID
    mask = np.eye(5, 7, dtype=np.uint8)
    write_raster(str(tmp_path / 'plain.tif'), mask)                      # (H, W), no grid
    image, profile = read_raster(tmp_path / 'plain.tif')
    assert np.array_equal(image[..., 0], mask) and profile['crs'] is None
    with pytest.raises(ValueError, match='grid of'):
        write_raster(str(tmp_path / 'x.tif'), mask[:4], GRID)


def _predict(writer, mask, probs=None):
    """Write ``mask`` in two windows (left and right part), as inference does."""
    writer.write((0, 5), (0, 3), mask[:, :3], None if probs is None else probs[:, :, :3])
    writer.write((0, 5), (3, 7), mask[:, 3:], None if probs is None else probs[:, :, 3:])
    return writer.finish()


def test_prediction_of_a_georeferenced_input_is_a_geotiff_on_its_grid(tmp_path):
    mask = (np.arange(35).reshape(5, 7) % 3).astype(np.uint8)
    mask[4, 6] = 255
    probs = np.random.default_rng(0).random((3, 5, 7)).astype(np.float32)
    writer = PredictionWriter(str(tmp_path), 'tile', GRID, ['a', 'b', 'c'],
                              [[0, 0, 0], [255, 0, 0], [0, 0, 255]], probs=True)
    paths = _predict(writer, mask, probs)
    assert sorted(paths) == ['mask', 'probs'] and paths['mask'].endswith('tile_mask.tif')
    image, profile = read_raster(paths['mask'])
    assert np.array_equal(image[..., 0], mask) and profile['nodata'] == 255
    assert Georef.from_profile(profile) == GRID
    image, profile = read_raster(paths['probs'])
    assert np.array_equal(np.moveaxis(image, -1, 0), probs) and profile['crs'] == GRID.crs


def test_prediction_of_a_plain_image_is_a_png(tmp_path):
    plain = Georef(None, Affine.identity(), 5, 7)
    mask = np.zeros((5, 7), np.uint8)
    mask[1:3, 2:6] = 1
    mask[4, 0] = 255                                   # nodata: not road
    writer = PredictionWriter(str(tmp_path / 'b'), 'img', plain, ['background', 'road'],
                              [[0, 0, 0], [255, 255, 255]])
    paths = _predict(writer, mask)
    assert paths['mask'].endswith('img_mask.png')
    image, profile = read_raster(paths['mask'])
    expected = np.zeros((5, 7), np.uint8)
    expected[1:3, 2:6] = 255                           # 0 / 255, nodata shown as 0
    assert profile['driver'] == 'PNG' and np.array_equal(image[..., 0], expected)
    assert sorted(p.name for p in (tmp_path / 'b').iterdir()) == ['img_mask.png']
    # more than two classes: the class indices (a palette PNG), read by GDAL
    writer = PredictionWriter(str(tmp_path / 'c'), 'img', plain, ['a', 'b', 'c'],
                              [[0, 0, 0], [255, 0, 0], [0, 0, 255]])
    paths = _predict(writer, (np.arange(35).reshape(5, 7) % 3).astype(np.uint8))
    assert np.array_equal(read_raster(paths['mask'], decoder='gdal')[0][..., 0],
                          np.arange(35).reshape(5, 7) % 3)
