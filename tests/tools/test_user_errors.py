"""User errors: one clear paragraph, non-zero exit, no traceback."""
from conftest import run_tool


def _assert_user_error(res, *needles):
    assert res.returncode == 2, (res.returncode, res.stderr[-2000:])
    assert 'Traceback' not in res.stderr, res.stderr[-3000:]
    for needle in needles:
        assert needle in res.stderr, (needle, res.stderr[-2000:])


def test_missing_config_file(tmp_path):
    res = run_tool('train.py', tmp_path / 'nope.py')
    _assert_user_error(res, 'config file', 'nope.py', 'does not exist')


def test_missing_config_suggests_close_match(tiny):
    tmp, cfg = tiny
    res = run_tool('train.py', str(cfg).replace('tiny_cfg', 'tiny_cgf'))
    _assert_user_error(res, 'Close matches', 'tiny_cfg.py')


def test_missing_checkpoint(tiny):
    tmp, cfg = tiny
    res = run_tool('test.py', cfg, tmp / 'missing.pth')
    _assert_user_error(res, 'checkpoint file', 'missing.pth', 'does not exist')
    res = run_tool('train.py', cfg, '--resume', tmp / 'missing.pth')
    _assert_user_error(res, 'resume checkpoint file', 'missing.pth')


def test_unknown_type_names_registry_scope_and_close_matches(tiny):
    tmp, cfg = tiny
    res = run_tool('train.py', cfg, '--work-dir', tmp / 'wd', '--cfg-options',
                   'model.decode_head.type=FCNHaed')
    _assert_user_error(res, 'Unknown type "FCNHaed"', 'registry', 'scope "mmkd_rs"',
                       'Did you mean', 'FCNHead', 'custom_imports')


def test_unknown_type_nested_in_a_dataset_pipeline(tiny):
    tmp, cfg = tiny
    res = run_tool('train.py', cfg, '--work-dir', tmp / 'wd', '--cfg-options',
                   'train_dataloader.dataset.pipeline.0.type=LoadImageFromFiel')
    _assert_user_error(res, 'Unknown type "LoadImageFromFiel"', '"transform" registry',
                       'LoadImageFromFile')


def test_only_user_errors_are_reworded():
    """Genuine bugs keep their traceback; user errors are found in the cause chain."""
    from mmkd_rs.utils.errors import UserError, _describe
    assert _describe(ValueError('x')) is None
    try:
        try:
            raise UserError('the data is missing')
        except UserError as inner:
            raise RuntimeError('wrapped while building the runner') from inner
    except RuntimeError as outer:
        assert _describe(outer) == 'the data is missing'


def test_missing_data_root_shows_layout_and_how_to_prepare(tiny):
    tmp, cfg = tiny
    res = run_tool('train.py', cfg, '--work-dir', tmp / 'wd', '--cfg-options',
                   f'train_dataloader.dataset.data_root={tmp}/nowhere')
    _assert_user_error(res, 'BaseSegDataset (train_dataloader)', 'nowhere', 'Expected layout',
                       'img_dir/train', 'To prepare it')


def test_missing_data_root_of_a_bitemporal_dataset(tmp_path):
    from conftest import REPO
    cfg = REPO / 'configs' / 'changedet' / 'siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py'
    res = run_tool('train.py', cfg, '--work-dir', tmp_path / 'wd', '--cfg-options',
                   f'train_dataloader.dataset.data_root={tmp_path}/levir')
    _assert_user_error(res, 'LEVIRCDDataset (train_dataloader)', f'{tmp_path}/levir/',
                       '{train,val,test}/A/*.png', '{train,val,test}/label/*.png',
                       'generate_synthetic_levir')
