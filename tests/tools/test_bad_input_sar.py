"""Bad-input campaign, SAR / EO family (SpaceNet 6 layout, paired loaders, converter).

Each case damages one file of a tiny synthetic SpaceNet 6 folder and checks what
``tools/train.py`` (or the converter) does with it (docs/bad_input.md lists the cases).
"""
import glob
import os
import shutil
import warnings

import numpy as np
import pytest
import rasterio
from _bad_input import REPO, load_as_training, tool_main, truncate, user_error, write_geotiff

from mmkd_rs.datasets.synthetic.spacenet6 import generate_synthetic_spacenet6

_QUICK = '1xb8-quick_synth-spacenet6-sar-64x64.py'
SAR_ONLY = REPO / 'configs' / 'hfd' / f'fcn_r18-hfam_{_QUICK}'
PAIRED = REPO / 'configs' / 'hfd' / f'hfd_fcn-r18-hfam_fcn-r18-hfam-eo_{_QUICK}'


@pytest.fixture(scope='module')
def sn6_source(tmp_path_factory):
    root = tmp_path_factory.mktemp('sn6') / 'src'
    generate_synthetic_spacenet6(str(root), num_tiles=4, size=32, num_empty_tiles=0,
                                 val_fraction=0.25, test_fraction=0.25)
    return root


@pytest.fixture
def sn6(sn6_source, tmp_path):
    """A fresh copy; training sample 0 is the first tile of ``splits/train.txt``."""
    return shutil.copytree(sn6_source, tmp_path / 'sn6')


def tile(root, folder):
    """Path of training sample 0's file in ``folder``."""
    tid = (root / 'splits' / 'train.txt').read_text().split()[0]
    return next(iter(glob.glob(str(root / folder / f'*_{tid}.*'))))


def options(root, **extra):
    opts = {}
    for split in ('train', 'val', 'test'):
        opts.update({f'{split}_dataloader.dataset.data_root': str(root),
                     f'{split}_dataloader.num_workers': 0,
                     f'{split}_dataloader.persistent_workers': False})
    opts.update(extra)
    return opts


def rewrite(path, array, **grid):
    """Replace a GeoTIFF by ``array`` on its own grid unless ``grid`` says otherwise."""
    with rasterio.open(path) as src:
        crs, left, top, pixel = src.crs, src.transform.c, src.transform.f, src.transform.a
    os.remove(path)
    return write_geotiff(path, array, **{'crs': crs, 'origin': (left, top), 'pixel': pixel,
                                         **grid})


def read(path):
    with rasterio.open(path) as src:
        return np.moveaxis(src.read(), 0, -1)


def test_clean_copy_loads(sn6):
    sample = load_as_training(PAIRED, options(sn6))
    assert tuple(sample['inputs'].shape)[0] == 4


def test_sar_band_count(sn6, capsys):
    path = tile(sn6, 'SAR-Intensity')
    rewrite(path, read(path)[..., :3])
    user_error(capsys, lambda: load_as_training(SAR_ONLY, options(sn6)), path,
               'expected 4 band(s), found 3')


def test_eo_of_another_size(sn6, capsys):
    path = tile(sn6, 'PS-RGB')
    rewrite(path, read(path)[:16, :16])
    user_error(capsys, lambda: load_as_training(PAIRED, options(sn6)), 'Size mismatch', path)


def test_eo_in_another_crs(sn6, capsys):
    path = tile(sn6, 'PS-RGB')
    rewrite(path, read(path), crs='EPSG:32632')
    user_error(capsys, lambda: load_as_training(PAIRED, options(sn6)), 'CRS mismatch', path)


def test_eo_shifted_footprint(sn6, capsys):
    path = tile(sn6, 'PS-RGB')
    with rasterio.open(path) as src:
        left, top = src.transform.c, src.transform.f
    rewrite(path, read(path), origin=(left + 20.0, top))
    user_error(capsys, lambda: load_as_training(PAIRED, options(sn6)), 'Footprint mismatch',
               path)


def test_sar_tile_without_a_valid_pixel(sn6, capsys):
    path = tile(sn6, 'SAR-Intensity')
    rewrite(path, np.full(read(path).shape, np.nan, np.float32), nodata=np.nan)
    user_error(capsys, lambda: load_as_training(SAR_ONLY, options(sn6)), path,
               'every SAR pixel is nodata')


def test_missing_eo_partner(sn6, capsys):
    os.remove(tile(sn6, 'PS-RGB'))
    user_error(capsys, lambda: load_as_training(PAIRED, options(sn6)),
               'has no EO (PS-RGB) partner', 'PS-RGB')


def test_complex_slc_is_refused(sn6, capsys):
    path = tile(sn6, 'SAR-Intensity')
    db = np.nan_to_num(read(path), nan=-30.0)
    amplitude = np.sqrt(10 ** (db / 10))
    rewrite(path, (amplitude * np.exp(0.7j)).astype(np.complex64))
    user_error(capsys, lambda: load_as_training(SAR_ONLY, options(sn6)), path, 'complex',
               'SLC', 'intensity')


def test_linear_intensity_under_the_db_setting_warns(sn6):
    """Documented behaviour: the run goes on (the values may be what the user wants),
    with one warning naming the file and the setting to change."""
    path = tile(sn6, 'SAR-Intensity')
    db = read(path)
    rewrite(path, (10 ** (db / 10)).astype(np.float32), nodata=np.nan)
    with pytest.warns(UserWarning, match='input_unit') as caught:
        load_as_training(SAR_ONLY, options(sn6))
    assert path in str(caught[0].message) and 'linear' in str(caught[0].message)


def test_db_values_give_no_warning(sn6):
    with warnings.catch_warnings():
        warnings.filterwarnings('error', message='.*input_unit.*')
        for index in range(2):
            load_as_training(SAR_ONLY, options(sn6), index=index)


@pytest.mark.parametrize('keep', [0.4, 0.0], ids=['truncated', 'zero-byte'])
def test_unreadable_sar_geotiff(sn6, capsys, keep):
    path = truncate(tile(sn6, 'SAR-Intensity'), keep)
    user_error(capsys, lambda: load_as_training(SAR_ONLY, options(sn6)), path)


def test_corrupt_building_geojson(sn6, capsys):
    path = truncate(tile(sn6, 'geojson_buildings'), 0.5)
    user_error(capsys, lambda: load_as_training(SAR_ONLY, options(sn6)), path, 'JSON')


def test_malformed_orientation_file(sn6, capsys):
    (sn6 / 'SummaryData' / 'SAR_orientations.txt').write_text('20190804101224 north\n')
    user_error(capsys, lambda: load_as_training(SAR_ONLY, options(sn6)),
               'SAR_orientations.txt:1', 'expected "<strip> 0|1"')


def test_wrong_data_root(tmp_path, capsys):
    user_error(capsys, lambda: load_as_training(SAR_ONLY, options(tmp_path / 'nowhere')),
               'nowhere', 'Expected layout', 'To prepare it')


def test_train_tool_names_the_file_from_a_dataloader_worker(sn6, tmp_path, capsys):
    """The whole tool with a worker process: torch re-raises the worker's error with
    the worker's traceback in its message; the tool prints the error alone."""
    from train import main
    path = tile(sn6, 'SAR-Intensity')
    rewrite(path, read(path)[..., :3])
    opts = options(sn6, **{'train_dataloader.num_workers': 1,
                           'train_dataloader.batch_size': 1})
    user_error(capsys, lambda: main([
        str(SAR_ONLY), '--work-dir', str(tmp_path / 'wd'), '--cfg-options',
        *[f'{k}={v}' for k, v in opts.items()], 'experiment_name=bad-sar',
        'visualizer.name=bad-sar']), path, 'expected 4 band(s), found 3')


def test_converter_on_a_sar_only_folder(sn6, tmp_path, capsys):
    """SpaceNet 6 without PS-RGB (SAR-only use): lists and SAR statistics are written."""
    shutil.rmtree(sn6 / 'PS-RGB')
    tool_main('dataset_converters/spacenet6.py')(
        [str(sn6), '--out-dir', str(tmp_path / 'lists'), '--val-min-easting', '592064'])
    import json
    stats = json.loads((tmp_path / 'lists' / 'stats.json').read_text())
    assert len(stats['sar']['mean']) == 4 and stats['eo'] is None
    assert 'no PS-RGB' in capsys.readouterr().out


def test_converter_without_sar_folder(tmp_path, capsys):
    user_error(capsys, lambda: tool_main('dataset_converters/spacenet6.py')(
        [str(tmp_path)]), 'SAR-Intensity', 'data not found')
