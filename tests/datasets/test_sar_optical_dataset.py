"""SpaceNet 6 / SEN12MS paired loading: real solaris sample and synthetic tiles."""
import json

import numpy as np
import pytest
import rasterio
from mmengine.registry import init_default_scope
from rasterio.transform import from_origin

from _real_data import require_real
from mmkd_rs.datasets.sar_optical import (IGBP_TO_DFC2020, SEN12MSDataset,
                                          SpaceNet6Dataset,
                                          rasterize_footprints)
from mmkd_rs.datasets.sar_optical.geo_io import read_orientations, strip_of_tile
from mmkd_rs.datasets.synthetic.spacenet6 import generate_synthetic_spacenet6
from mmkd_rs.datasets.transforms import (LoadBuildingFootprints, LoadPairedModalities,
                                         MaskSARNoData)
from mmkd_rs.geo import Georef

SN6_REAL = 'spacenet6_sar_eo_solaris'


@pytest.fixture(scope='module')
def sn6(tmp_path_factory):
    root = tmp_path_factory.mktemp('sn6')
    splits = generate_synthetic_spacenet6(str(root), num_tiles=6, size=48,
                                          seed=3)
    return root, splits


def _real_pair():
    root = require_real(SN6_REAL)
    return dict(sar_path=str(root / 'sar_masked.tif'),
                eo_path=str(root / 'rgb_unmasked.tif'))


def test_real_sn6_crs_transform_and_nodata_match_rasterio():
    pair = _real_pair()
    results = LoadPairedModalities()(dict(pair))
    with rasterio.open(pair['sar_path']) as src:
        direct = src.read()
        crs, transform = src.crs, src.transform
    grid = results['geo_grid']
    assert grid.crs.to_epsg() == 32631 and grid.crs.to_string() == 'EPSG:32631'
    assert grid.transform == transform
    assert grid.transform.a == pytest.approx(4.5, abs=1e-3)
    assert grid.transform.c == pytest.approx(592317.86, abs=0.01)
    # NaN counts per value and per pixel agree with a direct rasterio read.
    assert np.isnan(results['img']).sum() == np.isnan(direct).sum() == 62644
    assert results['sar_nodata'].sum() == np.isnan(direct).any(0).sum() == 15661
    assert results['img'].shape == (200, 200, 4)
    assert results['teacher_img'].shape == (200, 200, 3)
    assert results['teacher_img'].dtype == np.uint8


def test_real_sn6_nodata_becomes_ignore_then_filled():
    results = LoadPairedModalities()(_real_pair())
    results['gt_seg_map'] = np.zeros((200, 200), np.uint8)
    results['seg_fields'] = ['gt_seg_map']
    nodata = results['sar_nodata'].copy()
    results = MaskSARNoData(fill_value=-25.0)(results)
    assert (results['gt_seg_map'] == 255).sum() == 15661
    assert np.array_equal(results['gt_seg_map'] == 255, nodata)
    assert not np.isnan(results['img']).any()
    assert (results['img'][nodata] == -25.0).all()
    # the EO image is left untouched
    assert results['teacher_img'][nodata].max() > 0


def test_real_sn6_eo_teacher_config_reads_eo_as_img():
    results = LoadPairedModalities(student='eo', teacher=None)(_real_pair())
    assert results['img'].shape == (200, 200, 3)
    assert 'teacher_img' not in results
    assert results['img_path'].endswith('rgb_unmasked.tif')
    assert results['sar_nodata'].sum() == 15661  # label mask still from SAR


def test_bad_inputs_raise_clear_errors(tmp_path):
    pair = _real_pair()
    with pytest.raises(ValueError, match='expected 2 band'):
        LoadPairedModalities(sar_bands=2)(dict(pair))
    with pytest.raises(ValueError, match='expected 3 band'):
        LoadPairedModalities(eo_bands=3, teacher='eo')(
            dict(sar_path=pair['sar_path'], eo_path=pair['sar_path']))
    # shifted footprint (5 px east)
    shifted = tmp_path / 'shifted.tif'
    small = tmp_path / 'small.tif'
    empty = tmp_path / 'empty.tif'
    with rasterio.open(pair['eo_path']) as src:
        data, profile = src.read(), src.profile
    t = profile['transform']
    profile.update(transform=from_origin(t.c + 5 * t.a, t.f, t.a, -t.e))
    with rasterio.open(shifted, 'w', **profile) as dst:
        dst.write(data)
    with pytest.raises(ValueError, match='Footprint mismatch'):
        LoadPairedModalities()(dict(pair, eo_path=str(shifted)))
    profile.update(transform=t, width=100)
    with rasterio.open(small, 'w', **profile) as dst:
        dst.write(data[:, :, :100])
    with pytest.raises(ValueError, match='Size mismatch'):
        LoadPairedModalities()(dict(pair, eo_path=str(small)))
    with rasterio.open(pair['sar_path']) as src:
        sprofile = src.profile
    with rasterio.open(empty, 'w', **sprofile) as dst:
        dst.write(np.full((4, 200, 200), np.nan, np.float32))
    with pytest.raises(ValueError, match='every SAR pixel is nodata'):
        LoadPairedModalities()(dict(pair, sar_path=str(empty)))
    allowed = LoadPairedModalities(allow_empty=True)(
        dict(pair, sar_path=str(empty)))
    assert allowed['sar_nodata'].all()


def test_rasterize_drops_small_footprints_in_metres(tmp_path):
    grid = Georef(rasterio.crs.CRS.from_epsg(32631),
                  from_origin(592000, 5751000, 1.0, 1.0), 20, 20)
    # 5 m x 5 m (25 m^2, kept) and 4 m x 4 m (16 m^2, dropped), in UTM.
    big = [[592002, 5750998], [592007, 5750998], [592007, 5750993],
           [592002, 5750993], [592002, 5750998]]
    tiny = [[592012, 5750988], [592016, 5750988], [592016, 5750984],
            [592012, 5750984], [592012, 5750988]]
    path = tmp_path / 'b.geojson'
    path.write_text(json.dumps(dict(
        type='FeatureCollection',
        crs=dict(type='name', properties=dict(
            name='urn:ogc:def:crs:EPSG::32631')),
        features=[dict(type='Feature', properties={},
                       geometry=dict(type='Polygon', coordinates=[c]))
                  for c in (big, tiny)])))
    mask = rasterize_footprints(str(path), grid, min_area_m2=20)
    assert mask.sum() == 25 and mask[2:7, 2:7].all()
    assert rasterize_footprints(str(path), grid, min_area_m2=10).sum() == 41


def test_real_sn4_polygons_rasterise_onto_their_tile():
    root = require_real('spacenet4_buildings_solaris')
    grid = Georef.from_file(root / 'sample_geotiff.tif')
    mask = rasterize_footprints(str(root / 'geotiff_labels.geojson'), grid, 0)
    small = rasterize_footprints(str(root / 'geotiff_labels.geojson'), grid,
                                 1e9)
    assert mask.shape == (900, 900) and 0.01 < mask.mean() < 0.5
    assert small.sum() == 0


def test_orientation_file_and_strip_names(tmp_path):
    path = tmp_path / 'SAR_orientations.txt'
    path.write_text('20190822070610_20190822070846 1\n'
                    '20190804111224_20190804111453 0\n')
    assert read_orientations(str(path)) == {
        '20190822070610_20190822070846': 1, '20190804111224_20190804111453': 0}
    assert strip_of_tile('SN6_Train_AOI_11_Rotterdam_SAR-Intensity_'
                         '20190822070610_20190822070846_tile_3721.tif') == \
        '20190822070610_20190822070846'
    path.write_text('20190822070610_20190822070846 south\n')
    with pytest.raises(ValueError, match='SAR_orientations.txt:1'):
        read_orientations(str(path))


def test_spacenet6_dataset_orientation_flip_turns_all_by_180(sn6):
    root, splits = sn6
    init_default_scope('mmkd_rs')
    ds = SpaceNet6Dataset(data_root=str(root), ann_file='splits/train.txt',
                          pipeline=[])
    assert len(ds) == len(splits['train'])
    infos = [ds.get_data_info(i) for i in range(len(ds))]
    flipped = [d for d in infos if d['orientation_flip']]
    assert flipped and len(flipped) < len(ds)
    info = dict(flipped[0])
    plain = LoadBuildingFootprints()(LoadPairedModalities(
        apply_orientation=False)(dict(info)))
    turned = LoadBuildingFootprints()(LoadPairedModalities()(dict(info)))
    for key in ('img', 'teacher_img', 'gt_seg_map', 'sar_nodata'):
        a, b = plain[key], turned[key]
        assert np.array_equal(np.isnan(a) if a.dtype.kind == 'f' else a,
                              np.isnan(b[::-1, ::-1]) if b.dtype.kind == 'f'
                              else b[::-1, ::-1]), key
    assert plain['gt_seg_map'].any()


def test_spacenet6_missing_partner_and_split_entries_raise(sn6, tmp_path):
    root, _ = sn6
    bad = tmp_path / 'bad.txt'
    bad.write_text('20990101000000_20990101000100_tile_0\n')
    with pytest.raises(FileNotFoundError, match='has no SAR file'):
        SpaceNet6Dataset(data_root=str(root), ann_file=str(bad), pipeline=[])


def _write(path, array, crs='EPSG:32631'):
    path.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(path, 'w', driver='GTiff', height=array.shape[1],
                       width=array.shape[2], count=array.shape[0],
                       dtype=array.dtype, crs=crs,
                       transform=from_origin(600000, 5700000, 10, 10)) as dst:
        dst.write(array)


def test_sen12ms_layout_and_dfc2020_mapping(tmp_path):
    season = tmp_path / 'ROIs1158_spring'
    name = 'ROIs1158_spring_{}_1_p30.tif'
    _write(season / 's1_1' / name.format('s1'),
           np.full((2, 8, 8), -12, np.float32))
    _write(season / 's2_1' / name.format('s2'),
           np.full((13, 8, 8), 900, np.uint16))
    igbp = np.arange(64, dtype=np.uint16).reshape(8, 8) % 18
    _write(season / 'lc_1' / name.format('lc'),
           np.stack([igbp] * 4))
    init_default_scope('mmkd_rs')
    ds = SEN12MSDataset(data_root=str(tmp_path), pipeline=[
        dict(type='LoadPairedModalities', sar_bands=2, eo_bands=13),
        dict(type='LoadSEN12MSLandCover')])
    out = ds[0]
    assert out['img'].shape == (8, 8, 2) and out['teacher_img'].shape[2] == 13
    expected = {0: 255, 1: 0, 5: 0, 6: 1, 7: 1, 8: 2, 9: 2, 10: 3, 11: 4,
                12: 5, 13: 6, 14: 5, 15: 7, 16: 8, 17: 9}
    for code, cls in expected.items():
        assert IGBP_TO_DFC2020[code] == cls
        assert (out['gt_seg_map'][igbp == code] == cls).all()
    assert len(ds.METAINFO['classes']) == 10
