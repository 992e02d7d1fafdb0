"""The loaders read the real samples exactly as before the geo I/O layer.

The expected values were computed with the readers as they stood before
:mod:`mmkd_rs.geo` replaced them (bi-temporal ``read_raster``, SAR / EO
``read_raster`` + ``GeoGrid``, SpaceNet 3 ``read_geotiff_rgb`` and CRS84 parser,
road-graph ``RasterGeoref`` / ``MetricFrame.utm_for`` and mask reader, inference
``RasterInput``). Each entry is ``sha256[:16]`` of the array bytes (dtype and
shape included); any changed pixel, label, footprint or projected vertex fails.
"""
import hashlib
import json

import numpy as np
import pytest

from _real_data import require_real

CD = {   # (dataset folder, name): (date A, date B, change map)
    ('dsifn_cd_256_changeformer', '0_2'):
        ('9c9cb184a853a0ae', '38eb96f850a1b284', 'f1b648644f5caeb3'),
    ('dsifn_cd_256_changeformer', '2_4'):
        ('e5d523d8193c3e3c', '15a74eeb07a68a87', 'e7f1d94e2970f878'),
    ('dsifn_cd_256_changeformer', '4_4'):
        ('2d6620fdd44846e5', '725552da53d7fb39', 'd536cfae91d2e34c'),
    ('dsifn_cd_256_changeformer', '6_3'):
        ('f9d17c16c5d38e45', '434e0645d24a2307', '514d12199484e529'),
    ('dsifn_cd_256_changeformer', '8_3'):
        ('0012483686e25769', '6affb54e3133f35f', '2d2ad802224ae618'),
    ('levir_cd_1024_ucd_scm', 'test_12'):
        ('f26bcfc3e576f513', '767d05fcf0a65be3', 'a4964f14512f40d0'),
    ('levir_cd_256_bit', 'test_121_0768_0256'):
        ('b3f866873fead5e2', '281a10be9466cb48', '4e92b0ce08184fc5'),
    ('levir_cd_256_bit', 'test_2_0000_0000'):
        ('3b622a5f974ee930', 'ddcb8633e39d40c2', '87555034f4c3b7ac'),
    ('levir_cd_256_bit', 'test_2_0000_0512'):
        ('5edb55c608ea747f', 'bacfbec81b37abcc', '74d68edc24383370'),
    ('levir_cd_256_bit', 'test_55_0256_0000'):
        ('758997f7b5cc6204', '8682ec50673df538', 'c93501251f707e9d'),
    ('levir_cd_256_bit', 'test_77_0512_0256'):
        ('8c425f5ce9bbda95', 'efda549d92e32a88', 'deb94f73ed7fe542'),
    ('levir_cd_256_bit', 'train_36_0512_0512'):
        ('f857f473ec36d7e4', 'bd19ef8240207c1a', 'fbebc3b4800f43b9'),
    ('levir_cd_256_bit', 'train_386_0512_0768'):
        ('9fb7eaee6793b264', '37da2d41048d2f7e', '22a14120a4c14b95'),
    ('levir_cd_256_bit', 'train_412_0512_0768'):
        ('6c55ef53756cfc43', '927ee73523d93df1', '841a253b463eef42'),
    ('levir_cd_256_bit', 'val_27_0000_0256'):
        ('9a5e15f3f7ff9cf8', '87babbc8756c91e0', 'f9a0bbb1769a2e48'),
    ('whu_cd_1024_ucd_scm', '000121'):
        ('8037510459297aba', 'ecb2ec8f468c2954', 'eb6a3809c7b5c86c'),
    ('whu_cd_1024_ucd_scm', '000213'):
        ('e66bf39075e2032e', '0f5f8601efc4aeda', '92a7574cee697077'),
}
SN6_GRID = {'sar': (4.499704846525551, 0.0, 592317.861581054, 0.0, -4.499704846525551,
                    5750102.160218578),
            'eo': (4.499968286507262, 0.0, 592317.861581054, 0.0, -4.499968286507262,
                   5750102.160218578)}
SN6_SAR, SN6_EO, SN6_NODATA = '1b423bc2386feeeb', 'bc4f1932fbb3cfea', '79c73a98b1e1251f'
IMG0_TRANSFORM = (2.7000000000043656e-06, 0.0, -115.1706276, 0.0, -2.7000000769233496e-06,
                  36.2406177)


def _sha(array):
    array = np.ascontiguousarray(array)
    head = f'{array.dtype.str}{array.shape}'.encode()
    return hashlib.sha256(head + array.tobytes()).hexdigest()[:16]


def _lines_sha(lines):
    return f'{_sha(np.concatenate([np.asarray(ln, np.float64) for ln in lines]))}/{len(lines)}'


@pytest.mark.parametrize('folder', sorted({f for f, _ in CD}))
def test_change_detection_dates_and_labels(folder):
    from mmkd_rs.datasets.transforms.bitemporal import (LoadBiTemporalAnnotations,
                                                        LoadBiTemporalImages)
    root = require_real(folder)
    for (_, name), expected in ((k, v) for k, v in CD.items() if k[0] == folder):
        results = LoadBiTemporalImages(channels_per_date=(3, 3))(dict(
            img_path=str(root / 'A' / f'{name}.png'), img_path2=str(root / 'B' / f'{name}.png'),
            seg_map_path=str(root / 'label' / f'{name}.png')))
        results = LoadBiTemporalAnnotations()(results)
        assert 'crs' not in results and 'transform' not in results
        assert (_sha(results['img']), _sha(results['img2']),
                _sha(results['gt_seg_map'])) == expected, name


@pytest.mark.parametrize('student, teacher', [('sar', 'eo'), ('eo', 'sar'), ('eo', None)])
def test_spacenet6_paired_sar_eo(student, teacher):
    from mmkd_rs.datasets.transforms import LoadPairedModalities
    root = require_real('spacenet6_sar_eo_solaris')
    results = LoadPairedModalities(student=student, teacher=teacher, sar_nodata_value=0.0)(
        dict(sar_path=str(root / 'sar_masked.tif'), eo_path=str(root / 'rgb_unmasked.tif'),
             orientation_flip=True))
    digests = dict(sar=SN6_SAR, eo=SN6_EO)
    assert _sha(results['img']) == digests[student]
    if teacher:
        assert _sha(results['teacher_img']) == digests[teacher]
    assert _sha(results['sar_nodata']) == SN6_NODATA
    grid = results['geo_grid']
    assert grid.crs.to_string() == 'EPSG:32631' and grid.shape == (200, 200)
    assert tuple(grid.transform)[:6] == SN6_GRID[student]


def test_spacenet4_footprints():
    from mmkd_rs.datasets.sar_optical.geo_io import rasterize_footprints
    from mmkd_rs.geo import Georef
    root = require_real('spacenet4_buildings_solaris')
    grid = Georef.from_file(root / 'sample_geotiff.tif')
    labels = str(root / 'geotiff_labels.geojson')
    assert [_sha(rasterize_footprints(labels, grid, area)) for area in (0, 20, 100)] == \
        ['e2f2dc0ca2491503', '2d76a306316f61fb', '42a26d760cfcf23f']


def test_synthetic_spacenet6_footprints_splits_and_stats(tmp_path):
    """Lon/lat building GeoJSON without ``crs`` member and NaN SAR nodata (generator seed 3)."""
    from mmkd_rs.datasets.sar_optical.prepare import band_stats, split_spacenet6
    from mmkd_rs.datasets.synthetic.spacenet6 import generate_synthetic_spacenet6
    from mmkd_rs.datasets.transforms import LoadBuildingFootprints, LoadPairedModalities
    generate_synthetic_spacenet6(str(tmp_path), num_tiles=6, size=48, seed=3)
    expected = {   # tile: (SAR, EO, SAR nodata, footprints)
        '20190804101224_20190804101453_tile_0':
            ('c494e82a2ca988b1', '2e5fb9b0e754350e', '149ef64ecc65270a', '565cec12ebd1136e'),
        '20190804101224_20190804101453_tile_2':
            ('ea62fd4d00405ae1', '692684d30f61a05e', '149ef64ecc65270a', '8a047f003e98597f'),
        '20190804101224_20190804101453_tile_4':
            ('04a358ee72c6cee5', '2a82d9ae4cedef2f', '149ef64ecc65270a', 'a87874211ad64d1e'),
        '20190805111224_20190805111453_tile_1':
            ('a48ddff3eebc85e2', '7b66dc90821503d4', '62dbfef2f3ba645b', '3d59e0e52fc963c8'),
        '20190805111224_20190805111453_tile_3':
            ('bedad59084a496aa', '7084af521a86d6af', '149ef64ecc65270a', 'f1e39f0be09bba62'),
        '20190805111224_20190805111453_tile_5':
            ('8bb9b4f1b551dbdd', 'b9991280803914f9', '78998d36565f608d', '18123710f5d5fa2e'),
    }
    load, footprints = LoadPairedModalities(), LoadBuildingFootprints(cache_mb=0)
    prefix = 'SN6_Train_AOI_11_Rotterdam'
    for tid, digests in expected.items():
        results = load(dict(
            sar_path=str(tmp_path / 'SAR-Intensity' / f'{prefix}_SAR-Intensity_{tid}.tif'),
            eo_path=str(tmp_path / 'PS-RGB' / f'{prefix}_PS-RGB_{tid}.tif'),
            seg_map_path=str(tmp_path / 'geojson_buildings' / f'{prefix}_Buildings_{tid}.geojson'),
            orientation_flip=False))
        results = footprints(results)
        assert (_sha(results['img']), _sha(results['teacher_img']), _sha(results['sar_nodata']),
                _sha(results['gt_seg_map'])) == digests, tid
    splits, dropped = split_spacenet6(str(tmp_path))
    assert (splits['train'], splits['val'], dropped) == \
        (sorted(expected), [], ['20190804101224_20190804101453_tile_6'])
    sars = sorted((tmp_path / 'SAR-Intensity').glob('*.tif'))[:5]
    assert band_stats([str(p) for p in sars]) == dict(
        mean=[-16.288, -21.4764, -21.2666, -16.5677], std=[8.8032, 8.4101, 8.2883, 7.9242],
        pixels=8168)


def test_spacenet3_road_labels():
    from mmkd_rs.datasets.roads import geo
    root = require_real('spacenet3_roads_apls')
    image, profile = geo.read_geotiff_rgb(str(root / 'images/RGB-PanSharpen_AOI_2_Vegas_img0.tif'))
    assert _sha(image) == 'ae4970fa2b0fb8eb' and tuple(profile['transform'])[:6] == IMG0_TRANSFORM
    lines, props, crs = geo.read_road_lines(
        str(root / 'gt_json_prop_wkt/ground_truth_randomized/AOI_2_Vegas_img0.geojson'))
    assert _sha(np.concatenate(geo.lines_to_pixels(lines, crs, profile))) == 'b5e1babc9eb42391'
    assert geo.ground_sample_distance(profile) == 0.27262359525698227
    assert geo.metric_crs(profile).to_string() == 'EPSG:32611'
    assert _sha(geo.rasterise_road_mask(lines, crs, profile, width_m=6.0)) == 'e3d271942e7eb84b'
    assert _sha(geo.rasterise_road_mask(lines, crs, profile, props=props, lane_width_m=3.0)) \
        == 'e043eaabda9ab156'


@pytest.mark.parametrize('tile, pixels, mask, gsd', [
    ('img1', '0242770fabab7606', '6b79ff1fae62ad96', 0.272762008551071),
    ('img198', 'b829be5aea650d5f', '5edf372df85b8ece', 0.27269770853302766)])
def test_spacenet3_toy_tiles(tile, pixels, mask, gsd):
    from mmkd_rs.datasets.roads import geo
    from mmkd_rs.geo import Georef
    root = require_real('spacenet3_roads_toy_roadextraction')
    profile = Georef.from_file(
        root / 'masks' / f'RGB-PanSharpen_AOI_2_Vegas_{tile}_mask.tif').to_profile()
    lines, _, crs = geo.read_road_lines(
        str(root / 'labels' / f'spacenetroads_AOI_2_Vegas_{tile}.geojson'))
    assert _sha(np.concatenate(geo.lines_to_pixels(lines, crs, profile))) == pixels
    assert _sha(geo.rasterise_road_mask(lines, crs, profile, width_m=6.0)) == mask
    assert geo.ground_sample_distance(profile) == gsd


def test_road_graph_inputs_in_metres():
    """What the graph loaders hand to the graph builder: projected vertices."""
    from mmkd_rs.evaluation.graph import geo_io, loaders
    from mmkd_rs.geo import Georef
    root = require_real('spacenet3_roads_apls')
    georef = Georef.from_file(root / 'images/RGB-PanSharpen_AOI_2_Vegas_img0.tif')
    frame = geo_io.default_frame(georef)
    assert frame.crs == 'EPSG:32611'
    lines, crs = geo_io.read_geojson_lines(
        root / 'gt_json_prop_wkt/ground_truth_randomized/AOI_2_Vegas_img0.geojson')
    assert _lines_sha(lines) == '104ce339ee38ffa2/38'
    assert _lines_sha(frame.lines_from_crs(crs, lines)) == '77fd84e5ba036658/38'
    csv = next((root / 'gt_json_prop_wkt' / 'proposal').glob('*.csv'))
    pixel_lines = geo_io.read_wkt_csv(csv)['AOI_2_Vegas_img0']
    assert _lines_sha(frame.lines_from_crs(
        georef.crs, [georef.pixel_to_crs(ln) for ln in pixel_lines])) == '01e738d858b50e2b/94'
    expected = {'osm/AOI_2_Vegas_img99': '8c71df5a03b7a608/6',
                'osm/AOI_2_Vegas_img990': '98e1b4bdee579ca9/12',
                'osm/AOI_2_Vegas_img991': 'e7af2b6b572abdb0/21',
                'osm/AOI_2_Vegas_img995': '49e1ad7f53c4b93c/13',
                'spacenetroads/AOI_2_Vegas_img99': 'e77938c85b9fa931/6',
                'spacenetroads/AOI_2_Vegas_img990': 'ee792a9c08a475c6/27',
                'spacenetroads/AOI_2_Vegas_img991': '9a86a35f3a8fd5d5/15',
                'spacenetroads/AOI_2_Vegas_img995': 'c8b79ff08fd17ee9/26'}
    for name, digest in expected.items():
        path = root / 'gt_json_prop_json/AOI_2_Vegas_Train' / f'{name}.geojson'
        _, own = geo_io.load_geojson_graph(path)
        lines, crs = geo_io.read_geojson_lines(path)
        assert own.crs == 'EPSG:32611' and _lines_sha(own.lines_from_crs(crs, lines)) == digest
    # masks read for mask_to_graph: GeoTIFF (own georeference), PNG and JPEG (GDAL)
    toy = require_real('spacenet3_roads_toy_roadextraction')
    mask, own = loaders._read_mask(toy / 'masks/RGB-PanSharpen_AOI_2_Vegas_img1_mask.tif')
    assert _sha(mask) == 'cffe6c3c979bdcda' and geo_io.default_frame(own).crs == 'EPSG:32611'
    deepglobe = require_real('deepglobe_roads_dlinknet') / 'train'
    for name, digest in (('104_mask.png', '8dc563b439cca21c'),
                         ('113_sat.jpg', '5a19e4cce8ced13b')):
        mask, own = loaders._read_mask(deepglobe / name)
        assert _sha(mask) == digest and own is None


@pytest.mark.parametrize('folder, name, digest, crs, transform, alpha', [
    ('spacenet3_roads_apls', 'images/RGB-PanSharpen_AOI_2_Vegas_img0.tif', '9c9e4c9e75b8ce2f',
     'EPSG:4326', IMG0_TRANSFORM, 3),
    ('spacenet6_sar_eo_solaris', 'sar_masked.tif', 'd6c3e386a9eb3892', 'EPSG:32631',
     SN6_GRID['sar'], None),
    ('spacenet6_sar_eo_solaris', 'rgb_unmasked.tif', '6c7d7013bfa6af1c', 'EPSG:32631',
     SN6_GRID['eo'], None),
    ('deepglobe_roads_dlinknet', 'train/104_sat.jpg', 'ca4f40855f876edd', None, None, None),
    ('levir_cd_256_bit', 'A/test_2_0000_0000.png', '6f678fa50c443c6d', None, None, None)])
def test_inference_windows(folder, name, digest, crs, transform, alpha):
    from mmkd_rs.geo import RasterFile
    with RasterFile(require_real(folder) / name) as raster:
        assert _sha(raster.read((3, 150), (7, 190))) == digest
        assert json.dumps([raster.crs and raster.crs.to_string(), raster.alpha_band]) == \
            json.dumps([crs, alpha])
        assert (raster.transform and tuple(raster.transform)[:6]) == transform
        assert raster.nodata is None
