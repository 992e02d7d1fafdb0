"""Bad-input campaign, tools: --cfg-options, configs, checkpoints, teachers, work dirs,
leaderboard records and suite files (docs/bad_input.md lists the cases)."""
import glob
import os.path as osp
import shutil

import pytest
import torch
from _bad_input import REPO, tool_main, truncate, user_error
from mmengine.config import Config

KD = """
student_model = model
model = dict(
    type='TeacherStudentDistill', student=student_model, teacher=student_model,
    teacher_ckpt='{ckpt}',
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(logits=dict(type='ModuleOutputs', source='{source}')),
        teacher_recorders=dict(logits=dict(type='ModuleOutputs', source='decode_head.conv_seg')),
        distill_losses=dict(loss_kd=dict(type='KDLoss', temperature=2.0)),
        loss_forward_mappings=dict(loss_kd=dict(
            preds_S=dict(from_student=True, recorder='logits'),
            preds_T=dict(from_student=False, recorder='logits')))))
"""


@pytest.fixture
def tiny_ckpt(tiny):
    """The tiny config and a checkpoint of its (untrained) model."""
    from mmengine.registry import init_default_scope

    from mmkd_rs.registry import MODELS
    tmp, cfg = tiny
    init_default_scope('mmkd_rs')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(cfg).model)
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, tmp / 'model.pth')
    return tmp, cfg, tmp / 'model.pth'


def train(cfg, work_dir, *args):
    from train import main
    name = osp.basename(str(work_dir))
    return main([str(cfg), '--work-dir', str(work_dir), *map(str, args)] +
                (['--cfg-options'] if '--cfg-options' not in args else []) +
                [f'experiment_name=bad-{name}', f'visualizer.name=bad-{name}'])


def test_tool(cfg, ckpt, *args):
    return tool_main('test.py')([str(cfg), str(ckpt), *map(str, args)])


test_tool.__test__ = False


# --- --cfg-options ------------------------------------------------------------------

def test_typo_in_a_top_level_key(tiny, capsys):
    tmp, cfg = tiny
    user_error(capsys, lambda: train(cfg, tmp / 'wd', '--cfg-options',
                                     'train_dataloder.batch_size=1'),
               'train_dataloder', 'did you mean "train_dataloader"')
    assert not glob.glob(str(tmp / 'wd' / '*.pth'))     # refused before training


def test_typo_in_a_leaf(tiny, capsys):
    tmp, cfg = tiny
    user_error(capsys, lambda: train(cfg, tmp / 'wd', '--cfg-options', 'train_cfg.max_iter=2'),
               'train_cfg.max_iter', '"train_cfg" (IterBasedTrainLoop) has no key or argument',
               '"max_iters"')


def test_list_index_out_of_range(tiny, capsys):
    tmp, cfg = tiny
    user_error(capsys, lambda: train(cfg, tmp / 'wd', '--cfg-options',
                                     'param_scheduler.3.end=2'),
               'param_scheduler.3.end', 'list of 1 item(s)')


def test_typo_given_to_the_test_tool(tiny_ckpt, capsys):
    tmp, cfg, ckpt = tiny_ckpt
    user_error(capsys, lambda: test_tool(cfg, ckpt, '--work-dir', tmp / 'ev', '--cfg-options',
                                         'test_dataloader.batch_sise=1'),
               'test_dataloader.batch_sise', '"batch_size"')


# --- configs, checkpoints, work dirs --------------------------------------------------

def test_missing_config(tmp_path, capsys):
    user_error(capsys, lambda: train(tmp_path / 'nope.py', tmp_path / 'wd'), 'nope.py',
               'does not exist')


def test_unknown_type(tiny, capsys):
    tmp, cfg = tiny
    user_error(capsys, lambda: train(cfg, tmp / 'wd', '--cfg-options',
                                     'model.decode_head.type=FCNHaed'),
               'Unknown type "FCNHaed"', 'FCNHead')


def test_missing_checkpoint(tiny, capsys):
    tmp, cfg = tiny
    user_error(capsys, lambda: test_tool(cfg, tmp / 'none.pth'), 'none.pth', 'does not exist')


def test_truncated_checkpoint(tiny_ckpt, capsys):
    tmp, cfg, ckpt = tiny_ckpt
    truncate(ckpt, 0.5)
    user_error(capsys, lambda: test_tool(cfg, ckpt, '--work-dir', tmp / 'ev'), str(ckpt))


def test_checkpoint_of_another_model(tiny, capsys):
    tmp, cfg = tiny
    torch.save({'state_dict': {'roads.head.weight': torch.zeros(3, 8)}, 'meta': {}},
               tmp / 'other.pth')
    user_error(capsys, lambda: test_tool(cfg, tmp / 'other.pth', '--work-dir', tmp / 'ev'),
               'other.pth" does not match the model', 'load_strict=False')


def test_distillation_checkpoint_given_to_the_student_config(tiny_ckpt, capsys):
    tmp, cfg, ckpt = tiny_ckpt
    state = torch.load(ckpt, weights_only=True)['state_dict']
    torch.save({'state_dict': {'student.' + k: v for k, v in state.items()}, 'meta': {}},
               tmp / 'kd.pth')
    user_error(capsys, lambda: test_tool(cfg, tmp / 'kd.pth', '--work-dir', tmp / 'ev'),
               'kd.pth', 'extract_student.py')


class _RunsCode:
    def __reduce__(self):
        return (print, ('this must never run', ))


def test_checkpoint_that_would_run_code(tiny, capsys):
    tmp, cfg = tiny
    torch.save({'state_dict': {}, 'meta': {'x': _RunsCode()}}, tmp / 'evil.pth')
    err = user_error(capsys, lambda: test_tool(cfg, tmp / 'evil.pth', '--work-dir', tmp / 'ev'),
                     'Refused to load checkpoint', 'evil.pth')
    assert 'this must never run' not in err


def test_show_dir_without_a_visualization_hook(tiny_ckpt, capsys):
    tmp, cfg, ckpt = tiny_ckpt
    user_error(capsys, lambda: test_tool(cfg, ckpt, '--show-dir', tmp / 'vis', '--cfg-options',
                                         'default_hooks.visualization=None'),
               'default_hooks.visualization')


def test_fresh_run_over_earlier_checkpoints(tiny_ckpt, capsys):
    tmp, cfg, ckpt = tiny_ckpt
    (tmp / 'wd').mkdir()
    shutil.copy(ckpt, tmp / 'wd' / 'iter_2.pth')
    user_error(capsys, lambda: train(cfg, tmp / 'wd'), 'already holds checkpoints',
               'iter_2.pth', '--overwrite')


def test_overwrite_together_with_resume(tiny, capsys):
    tmp, cfg = tiny
    user_error(capsys, lambda: train(cfg, tmp / 'wd', '--overwrite', '--resume'),
               '--overwrite', '--resume')


def test_amp_with_another_optimizer_wrapper(tiny, capsys):
    tmp, cfg = tiny
    user_error(capsys, lambda: train(cfg, tmp / 'wd', '--amp', '--cfg-options',
                                     'optim_wrapper.type=OptimWrapperDict'),
               '--amp', 'OptimWrapperDict')


# --- teachers ---------------------------------------------------------------------------

def kd_config(tmp, cfg, ckpt, source='decode_head.conv_seg'):
    path = tmp / 'kd.py'
    path.write_text(open(cfg).read() + KD.format(ckpt=ckpt, source=source))
    return path


def test_missing_teacher_checkpoint(tiny, capsys):
    tmp, cfg = tiny
    user_error(capsys, lambda: train(kd_config(tmp, cfg, tmp / 't.pth'), tmp / 'wd'),
               't.pth', 'does not exist', 'model.teacher_ckpt=PATH')


def test_teacher_checkpoint_of_another_architecture(tiny, capsys):
    tmp, cfg = tiny
    torch.save({'state_dict': {'backbone.conv.weight': torch.zeros(2)}}, tmp / 't.pth')
    user_error(capsys, lambda: train(kd_config(tmp, cfg, tmp / 't.pth'), tmp / 'wd'),
               't.pth', 'model tensors missing from it', 'tensors of it not in the model')


def test_whole_distillation_checkpoint_as_teacher(tiny_ckpt, capsys):
    tmp, cfg, ckpt = tiny_ckpt
    state = torch.load(ckpt, weights_only=True)['state_dict']
    torch.save({'state_dict': {'student.' + k: v for k, v in state.items()}}, tmp / 'kd.pth')
    user_error(capsys, lambda: train(kd_config(tmp, cfg, tmp / 'kd.pth'), tmp / 'wd'),
               'kd.pth', 'distillation checkpoint', 'extract_student.py')


def test_recorder_on_a_module_path_that_does_not_exist(tiny_ckpt, capsys):
    tmp, cfg, ckpt = tiny_ckpt
    config = kd_config(tmp, cfg, ckpt, source='decode_head.conv_sgm')
    user_error(capsys, lambda: train(config, tmp / 'wd'), "'decode_head.conv_sgm'",
               "did you mean 'decode_head.conv_seg'")


# --- leaderboards and suites --------------------------------------------------------------

@pytest.fixture
def results(tmp_path):
    shutil.copytree(REPO / 'tests' / 'benchmark' / 'fixtures' / 'results',
                    tmp_path / 'results')
    return tmp_path / 'results'


def _board(results, tmp_path, *extra):
    return tool_main('leaderboard.py')([str(results), '--out', str(tmp_path / 'b'),
                                        '--no-readme', *extra])


@pytest.mark.parametrize('damage', ['nan', 'no-metrics'])
def test_record_without_a_finite_main_metric(results, tmp_path, capsys, damage):
    """Documented: shown as invalid (not a finished row), --check fails (status 1)."""
    import json
    path = results / 'fixture-suite' / 'dist' / 'seed_1.json'
    record = json.loads(path.read_text())
    if damage == 'nan':
        record['metrics']['F1'] = float('nan')
    else:
        record['metrics'] = {}
    path.write_text(json.dumps(record))
    assert _board(results, tmp_path) == 0
    assert _board(results, tmp_path, '--check') == 1
    assert f'invalid record {path}' in capsys.readouterr().err
    assert '2/3 finished; invalid seeds 1' in (tmp_path / 'b' / 'fixture-board.md').read_text()


def test_record_that_is_not_a_record(results, tmp_path, capsys):
    (results / 'fixture-suite' / 'kd' / 'seed_0.json').write_text('{"schema": 1}')
    assert _board(results, tmp_path) == 2
    assert 'kd/seed_0.json' in capsys.readouterr().err


def test_suite_main_metric_not_among_its_metrics(tmp_path, capsys):
    path = tmp_path / 'suite.py'
    path.write_text("suite = 's'\nleaderboards = [dict(name='b', main_metric='F1score', "
                    "metrics=['F1', 'IoU'])]\n"
                    "entries = [dict(name='a', role='student', config='x.py')]\n")
    assert tool_main('run_benchmark.py')([str(path), '--list']) == 2
    err = capsys.readouterr().err
    assert 'suite.py' in err and "main_metric 'F1score'" in err
