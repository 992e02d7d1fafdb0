"""mmkd_rs.geo raster reading: hand-made GeoTIFFs, PNGs and JPEGs written in tmp_path
and read back (pixels, CRS, transform, nodata, windows, bands, errors)."""
import os
import warnings

import cv2
import numpy as np
import pytest
import rasterio
from PIL import Image
from rasterio.crs import CRS
from rasterio.transform import from_origin

from mmkd_rs.geo import Georef, RasterFile, read_raster
from mmkd_rs.utils.errors import DataFileError, DataFileNotFoundError

WEST, NORTH, RES = 592000.0, 5751000.0, 0.5
UTM31 = CRS.from_epsg(32631)


def _geotiff(path, array, crs=UTM31, transform=from_origin(WEST, NORTH, RES, RES), **extra):
    """Write ``(H, W, C)`` ``array`` with rasterio (``crs=None``: no georeference)."""
    profile = dict(driver='GTiff', height=array.shape[0], width=array.shape[1],
                   count=array.shape[2], dtype=array.dtype.name, **extra)
    if crs is not None:
        profile.update(crs=crs, transform=transform)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        with rasterio.open(path, 'w', **profile) as dst:
            dst.write(np.moveaxis(array, -1, 0))
    return str(path)


@pytest.fixture
def tile(tmp_path):
    """A 6 x 8 px, 3-band uint16 GeoTIFF in UTM 31N with nodata 0."""
    array = np.arange(6 * 8 * 3, dtype=np.uint16).reshape(6, 8, 3) + 1
    array[0, 0] = 0
    return _geotiff(tmp_path / 'tile.tif', array, nodata=0), array


def test_geotiff_pixels_crs_transform_and_nodata(tile):
    path, array = tile
    image, profile = read_raster(path)
    assert image.dtype == np.uint16 and image.flags['C_CONTIGUOUS']
    assert np.array_equal(image, array)
    assert profile['crs'] == UTM31 and profile['nodata'] == 0
    assert profile['transform'] == from_origin(WEST, NORTH, RES, RES)
    assert (profile['height'], profile['width'], profile['count']) == (6, 8, 3)
    grid = Georef.from_profile(profile)
    assert grid.shape == (6, 8) and grid.is_georeferenced and not grid.is_geographic
    # corners by hand: 8 columns and 6 rows of 0.5 m
    assert grid.bounds == (WEST, NORTH - 3.0, WEST + 4.0, NORTH)
    assert grid.pixel_size == (0.5, 0.5)
    assert grid.pixel_to_crs([[1.5, 2.5]]).tolist() == [[WEST + 0.75, NORTH - 1.25]]
    assert grid.crs_to_pixel([[WEST + 0.75, NORTH - 1.25]]).tolist() == [[1.5, 2.5]]
    assert Georef.from_file(path) == grid


def test_windows_and_bands(tile):
    path, array = tile
    image, profile = read_raster(path, bands=[3, 1], window=((2, 5), (1, 4)))
    assert np.array_equal(image, array[2:5, 1:4][..., [2, 0]])
    assert (profile['height'], profile['width'], profile['count']) == (3, 3, 2)
    # the window's transform starts 1 column east and 2 rows south of the tile's
    assert profile['transform'] == from_origin(WEST + 0.5, NORTH - 1.0, RES, RES)
    window = Georef.from_profile(profile)
    whole = Georef.from_file(path)
    assert np.array_equal(window.pixel_to_crs([[0, 0], [3, 3]]),
                          whole.pixel_to_crs([[1, 2], [4, 5]]))
    with RasterFile(path) as raster:
        assert np.array_equal(raster.read((4, 6), (5, 8)), array[4:6, 5:8])
        assert np.array_equal(raster.read(), array)
        assert raster.window_profile((4, 6), (5, 8))['transform'] == \
            from_origin(WEST + 2.5, NORTH - 2.0, RES, RES)
        assert raster.declared_nodata(raster.read((0, 2), (0, 2))).tolist() == \
            [[True, False], [False, False]]


def test_float_sar_keeps_nan_and_nan_nodata(tmp_path):
    sar = np.full((4, 5, 2), -12.5, np.float32)
    sar[1, 2] = np.nan
    sar[3, 4, 0] = np.nan
    path = _geotiff(tmp_path / 'sar.tif', sar, nodata=np.nan)
    image, profile = read_raster(path)
    assert image.dtype == np.float32 and np.isnan(profile['nodata'])
    assert np.array_equal(image, sar, equal_nan=True)
    with RasterFile(path) as raster:
        # every band NaN: declared nodata; one band NaN: not
        assert raster.declared_nodata(image).sum() == 1 and raster.declared_nodata(image)[1, 2]


def test_plain_tiff_has_no_georeference_and_alpha_is_found(tmp_path):
    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[..., 3] = 255
    path = _geotiff(tmp_path / 'rgba.tif', rgba, crs=None, photometric='RGB', alpha='YES')
    image, profile = read_raster(path)
    assert profile['crs'] is None and profile['transform'].is_identity
    with RasterFile(path) as raster:
        assert not raster.is_geo and raster.crs is None and raster.transform is None
        assert raster.alpha_band == 3 and raster.count == 4


def test_png_and_jpeg_are_decoded_by_opencv_in_rgb_order(tmp_path):
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (12, 10, 3), dtype=np.uint8)
    cv2.imwrite(str(tmp_path / 'a.png'), rgb[..., ::-1])
    image, profile = read_raster(tmp_path / 'a.png')
    assert np.array_equal(image, rgb)
    assert profile['crs'] is None and profile['transform'].is_identity
    assert (profile['driver'], profile['count'], profile['dtype']) == ('PNG', 3, 'uint8')
    assert np.array_equal(read_raster(tmp_path / 'a.png', decoder='gdal')[0], rgb)
    part, profile = read_raster(tmp_path / 'a.png', window=((2, 7), (3, 5)), bands=[2])
    assert np.array_equal(part, rgb[2:7, 3:5, 1:2])
    assert tuple(profile['transform'])[:6] == (1, 0, 3, 0, 1, 2)
    # JPEG: OpenCV's decoding, as the mmseg pipelines see it
    cv2.imwrite(str(tmp_path / 'a.jpg'), rgb[..., ::-1])
    assert np.array_equal(read_raster(tmp_path / 'a.jpg')[0],
                          cv2.imread(str(tmp_path / 'a.jpg'))[..., ::-1])


def test_palette_png_gives_colours_with_opencv_and_indices_with_gdal(tmp_path):
    indices = np.array([[0, 1], [2, 1]], np.uint8)
    png = Image.fromarray(indices, mode='P')
    png.putpalette([0, 0, 0, 255, 0, 0, 0, 0, 255] + [0] * 759)
    png.save(tmp_path / 'p.png')
    colours, _ = read_raster(tmp_path / 'p.png')
    assert colours[0, 1].tolist() == [255, 0, 0] and colours[1, 0].tolist() == [0, 0, 255]
    assert read_raster(tmp_path / 'p.png', decoder='gdal')[0][..., 0].tolist() == \
        indices.tolist()


def test_file_name_that_is_not_utf8(tmp_path, tile):
    _, array = tile
    name = os.fsdecode(b'caf\xe9.tif')                 # Latin-1, not valid UTF-8
    path = os.path.join(str(tmp_path), name)
    os.rename(_geotiff(tmp_path / 'cafe.tif', array), path)
    assert np.array_equal(read_raster(path)[0], array)


def test_missing_and_unreadable_files_name_the_file(tmp_path, tile):
    with pytest.raises(DataFileNotFoundError, match='nope.tif'):
        read_raster(tmp_path / 'nope.tif')
    data = open(tile[0], 'rb').read()
    (tmp_path / 'cut.tif').write_bytes(data[:len(data) // 2])
    with pytest.raises(DataFileError, match='cannot read ".*cut.tif"'):
        read_raster(tmp_path / 'cut.tif')
    (tmp_path / 'bad.png').write_bytes(b'not a png')
    with pytest.raises(DataFileError, match='cannot decode image file: .*bad.png'):
        read_raster(tmp_path / 'bad.png')
    with pytest.raises(ValueError, match='decoder'):
        read_raster(tile[0], decoder='pil')
