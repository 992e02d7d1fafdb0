"""--cfg-options keys are checked against the config (mmkd_rs.utils.cfg_options):
typos are named with their close matches, every key the benchmark suites pass is
accepted. (The tools' exit status for typos: tests/tools/test_bad_input_tools.py.)"""
import glob
from pathlib import Path

import pytest
from mmengine.config import Config

from mmkd_rs.benchmark.runner import run_options
from mmkd_rs.benchmark.suite import load_suites
from mmkd_rs.utils.cfg_options import cfg_option_problems, check_cfg_options
from mmkd_rs.utils.errors import UserError

REPO = Path(__file__).resolve().parents[2]
KD = REPO / 'configs' / 'kd' / 'kd_siam-r18w32_siam-r50w32_1xb4-quick_synth-levir-cd-128x128.py'
MTKD = (REPO / 'configs' / 'mtkd'
        / 'mtkd_siam-r18w32_3xsiam-r18w32_1xb4-quick_synth-levir-cd-128x128.py')


@pytest.fixture(scope='module')
def kd():
    return Config.fromfile(KD).to_dict()


@pytest.mark.parametrize('key', [
    'train_cfg.max_iters', 'param_scheduler.1.end', 'load_from', 'load_strict', 'resume',
    'randomness.seed', 'randomness.deterministic', 'work_dir', 'experiment_name',
    'env_cfg.cudnn_benchmark', 'model.teacher_ckpt', 'visualizer.name',
    'test_dataloader.dataset.data_prefix.img_path',
    'model.distiller.distill_losses.loss_kd.loss_weight',
    'train_dataloader.pin_memory',                     # a DataLoader argument
    'model.student.test_cfg.stride',                   # free-form model test_cfg
    'test_dataloader.dataset.data_prefix.img_path2',   # free-form data_prefix
    'optim_wrapper.optimizer.amsgrad',                 # AdamW's own argument
    'model.student.decode_head.loss_decode.avg_non_ignore',
    'train_dataloader.dataset.pipeline.0.allow_misregistered',
])
def test_keys_of_the_config_and_documented_new_keys_are_accepted(kd, key):
    assert cfg_option_problems(kd, {key: 1}) == []


@pytest.mark.parametrize('key, message', [
    ('train_dataloder.batch_size', 'the config has no top-level key "train_dataloder" '
     '(did you mean "train_dataloader"'),
    ('train_cfg.max_iter', '"train_cfg" (IterBasedTrainLoop) has no key or argument '
     '"max_iter" (did you mean "max_iters"'),
    ('randomness.sead', '"randomness" has no key "sead" (did you mean "seed"?)'),
    ('train_dataloader.batch_sise', '"train_dataloader" has no key "batch_sise" '
     '(did you mean "batch_size"'),
    ('train_dataloader.dataset.data_rot', '"train_dataloader.dataset" (LEVIRCDDataset) has '
     'no key or argument "data_rot" (did you mean "data_root"'),
    ('model.distiller.distill_losses.loss_kd.temprature', '(KDLoss) has no key or argument '
     '"temprature" (did you mean "temperature"?)'),
    ('model.distiller.distill_losses.loss_kdd.loss_weight',
     '"model.distiller.distill_losses" has no key "loss_kdd" (did you mean "loss_kd"?)'),
    ('default_hooks.chekpoint.interval', '(did you mean "checkpoint"?)'),
    ('param_scheduler.5.end', '"param_scheduler" is a list of 2 item(s): "5" is no index '
     'of it (0..1)'),
    ('model.teacher_ckpt.path', '"model.teacher_ckpt" is str'),
])
def test_unknown_keys_are_named_with_close_matches(kd, key, message):
    problems = cfg_option_problems(kd, {key: 1})
    assert len(problems) == 1 and problems[0].startswith(f'--cfg-options {key}: ')
    assert message in problems[0], problems[0]


def test_teachers_accept_their_documented_keys_only():
    mtkd = Config.fromfile(MTKD).to_dict()
    assert cfg_option_problems(mtkd, {'model.teachers.small.ckpt': 'a.pth',
                                      'model.teachers.small.weight': 2.0,
                                      'model.student.init_cfg.checkpoint': 'b.pth'}) == []
    assert 'did you mean "small"' in cfg_option_problems(
        mtkd, {'model.teachers.smal.ckpt': 'a.pth'})[0]
    assert 'has no key "wieght"' in cfg_option_problems(
        mtkd, {'model.teachers.small.wieght': 2.0})[0]


def test_one_paragraph_names_every_bad_key_and_the_config(kd):
    with pytest.raises(UserError) as err:
        check_cfg_options(kd, {'train_cfg.max_iters': 2, 'train_cfg.max_iter': 2,
                               'randomness.sead': 1}, 'kd.py')
    text = str(err.value)
    assert '\n' not in text and 'config "kd.py"' in text
    assert 'train_cfg.max_iter:' in text and 'randomness.sead:' in text
    assert 'train_cfg.max_iters:' not in text


def test_every_cfg_option_of_the_benchmark_suites_is_accepted():
    """Suites' and entries' cfg_options, tuning grids, seeds and checkpoint options,
    each checked against the entry's own config."""
    configs, checked = {}, 0
    for path in sorted(glob.glob(str(REPO / 'benchmarks' / 'suites' / '*.py'))):
        for suite in load_suites([path]):
            for entry in suite.entries:
                config = REPO / entry.config
                if not config.is_file():
                    assert entry.placeholder, entry.config
                    continue
                if config not in configs:
                    configs[config] = Config.fromfile(config).to_dict()
                for seed in entry.seeds:
                    options = run_options(entry, seed)
                    options.update({key: 'x.pth' for key in entry.checkpoint_sources()})
                    assert cfg_option_problems(configs[config], options) == [], \
                        (path, entry.name)
                    checked += len(options)
    assert checked > 4000
