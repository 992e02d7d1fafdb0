"""benchmarks/gpu_check.py in its CPU tiny mode: every family's seed method and
student train, report finite losses, FPS and loader throughput, and
tools/dist_train.sh launches; the loss watch and the README block work."""
import importlib.util
import json
import os.path as osp

import pytest
import torch

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


@pytest.fixture(scope='module')
def gpu_check():
    spec = importlib.util.spec_from_file_location(
        'gpu_check', osp.join(REPO, 'benchmarks', 'gpu_check.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(gpu_check, tmp_path, monkeypatch, *args):
    monkeypatch.chdir(REPO)                  # configs name their teachers by repo path
    out = tmp_path / 'out'
    code = gpu_check.main(['--tiny', '--out-dir', str(out), '--data-dir',
                           str(tmp_path / 'data'), *args])
    return code, json.loads((out / 'gpu_check.json').read_text()), \
        (out / 'gpu_check.md').read_text()


def test_tiny_frd_trains_watches_bfdd_and_ccrd_and_reports(gpu_check, tmp_path, monkeypatch):
    code, result, table = _run(gpu_check, tmp_path, monkeypatch, '--families', 'frd',
                               '--no-dist')
    assert code == 0
    frd = result['families']['frd']
    for run in ('kd', 'student'):
        assert frd[run]['losses_finite'] and frd[run]['s_per_iter'] > 0
    watched = ' '.join(frd['kd']['watched'])
    assert 'BiTemporalFeatureDistanceLoss' in watched
    assert 'ContrastiveClusterRepresentationLoss' in watched
    assert {'distill.loss_bfdd', 'distill.loss_ccrd_contrast'} <= set(frd['kd']['last_losses'])
    assert frd['kd_overhead'] == pytest.approx(frd['kd']['s_per_iter'] /
                                               frd['student']['s_per_iter'])
    assert frd['student_fps'] > 0 and all(v > 0 for v in frd['teacher_fps'].values())
    assert frd['loader']['samples'] >= 2 and frd['loader']['second_pass'] > 0
    assert result['setting'] == dict(device='CPU', tiny=True, iters=2, warmup=0, amp=False,
                                     fps_size=64, torch=torch.__version__)
    assert '| frd: FRD' in table and 'not yet' not in table


def test_watch_flags_non_finite_outputs(gpu_check):
    probe = gpu_check.StepProbe(watch=('Identity',))
    hook = probe._watcher('neck.loss')
    module = torch.nn.Identity()
    hook(module, (), dict(a=torch.ones(2), b=torch.tensor([1.0, float('inf')])))
    hook(module, (), torch.ones(3))
    assert probe.nonfinite == ['neck.loss (Identity) output']


def test_readme_block_is_replaced(gpu_check, tmp_path):
    readme = tmp_path / 'README.md'
    readme.write_text('# x\n<!-- gpu-check:start -->\nold\n<!-- gpu-check:end -->\ntail\n')
    gpu_check.update_readme(str(readme), '| new |\n')
    assert readme.read_text() == ('# x\n<!-- gpu-check:start -->\n| new |\n'
                                  '<!-- gpu-check:end -->\ntail\n')
    (tmp_path / 'plain.md').write_text('no block\n')
    with pytest.raises(SystemExit, match='gpu-check'):
        gpu_check.update_readme(str(tmp_path / 'plain.md'), '| new |\n')


@pytest.mark.slow
def test_tiny_sar_and_road_families_and_dist_launch(gpu_check, tmp_path, monkeypatch):
    code, result, table = _run(gpu_check, tmp_path, monkeypatch, '--families', 'hfd',
                               'disoptnet', 'tskd')
    assert code == 0
    for name in ('hfd', 'disoptnet', 'tskd'):
        family = result['families'][name]
        assert family['kd']['losses_finite'] and family['student']['losses_finite']
        assert family['kd']['s_per_iter'] > 0 and family['student_fps'] > 0
        assert any(k.startswith('distill.') for k in family['kd']['last_losses'])
    dist = result['dist']
    assert (dist['returncode'], dist['backend'], dist['iterations_logged']) == (0, 'gloo', 2)
    assert 'tools/dist_train.sh configs/hfd/' in table


def test_a_failing_family_is_reported_and_the_others_still_run(gpu_check, tmp_path,
                                                                monkeypatch):
    """One family's exception becomes an error row (and exit 1); the JSON is written
    after every family, so a run stopped by a time limit keeps what it finished."""
    seen = []

    def check_family(name, data_dir, args):
        seen.append((name, json.loads((tmp_path / 'out' / 'gpu_check.json').read_text())
                     if seen else None))
        raise RuntimeError(f'CUDA out of memory in {name}')

    monkeypatch.setattr(gpu_check, 'check_family', check_family)
    code, result, table = _run(gpu_check, tmp_path, monkeypatch, '--families', 'hfd', 'tskd',
                               '--no-dist')
    assert code == 1
    assert [name for name, _ in seen] == ['hfd', 'tskd']
    partial = seen[1][1]
    assert partial['partial'] is True and list(partial['families']) == ['hfd']
    assert 'CUDA out of memory in hfd' in result['families']['hfd']['error']
    assert 'partial' not in result
    assert '| hfd: HFD-Net' in table and 'FAILED: RuntimeError: CUDA out of memory in tskd' \
        in table


def test_peak_memory_is_read_every_iteration_before_the_logger_resets_it(gpu_check):
    """mmengine's LoggerHook resets the CUDA peak counter at every log; the probe
    reads it after each iteration from a hook that runs before LoggerHook's."""
    from mmengine.hooks import LoggerHook
    from mmengine.runner.priority import get_priority

    readings = iter([100, 300, 200])
    probe = gpu_check.StepProbe(memory_reader=lambda: next(readings))
    hooks = []

    class FakeRunner:
        def register_hook(self, hook, priority):
            hooks.append((hook, priority))

    probe.attach(FakeRunner())
    memory = [h for h, p in hooks if p == probe.memory_priority]
    assert len(hooks) == 2 and len(memory) == 1
    assert get_priority(probe.memory_priority) < get_priority(LoggerHook.priority)
    for i in range(3):
        memory[0].after_train_iter(None, i)
    assert probe.peak_bytes == 300
