"""tools/train.py and tools/test.py end to end on the tiny task."""
import glob
import json
import os.path as osp

import pytest
import torch

import mmkd_rs.utils.checkpoint_safety  # noqa: F401  (allow-lists the checkpoints' globals)
from conftest import run_tool


def _scalars(work_dir):
    files = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    assert files, f'no scalars.json under {work_dir}'
    return [json.loads(line) for line in open(files[-1])]


@pytest.mark.slow
def test_train_then_test_writes_checkpoints_metrics_and_predictions(tiny):
    tmp, cfg = tiny
    wd = tmp / 'wd'
    res = run_tool('train.py', cfg, '--work-dir', wd, '--cfg-options', 'train_cfg.max_iters=2',
                   'param_scheduler.0.end=2', 'train_cfg.val_interval=2')
    assert res.returncode == 0, res.stderr[-3000:]
    # --cfg-options took effect: 2 iterations, one checkpoint.
    assert osp.isfile(wd / 'iter_2.pth') and not osp.exists(wd / 'iter_4.pth')
    assert open(wd / 'last_checkpoint').read().strip().endswith('iter_2.pth')
    rows = _scalars(wd)
    assert any('mIoU' in r for r in rows), rows
    ckpt = torch.load(wd / 'iter_2.pth', weights_only=True)
    assert ckpt['meta']['iter'] == 2 and 'rng_state' in ckpt['meta']

    out, show = tmp / 'preds', tmp / 'show'
    res = run_tool('test.py', cfg, wd / 'iter_2.pth', '--work-dir', tmp / 'wd_test',
                   '--out', out, '--show-dir', show)
    assert res.returncode == 0, res.stderr[-3000:]
    assert len(glob.glob(str(out / '*.png'))) == 4
    assert len(glob.glob(str(show / 'vis_data' / 'vis_image' / '*.png'))) == 4
    assert 'mIoU' in res.stdout + res.stderr


@pytest.mark.slow
def test_amp_on_cpu_trains_in_bfloat16(tiny):
    tmp, cfg = tiny
    res = run_tool('train.py', cfg, '--work-dir', tmp / 'amp', '--amp', '--cfg-options',
                   'train_cfg.max_iters=2', 'train_cfg.val_interval=100')
    assert res.returncode == 0, res.stderr[-3000:]
    log = open(glob.glob(str(tmp / 'amp' / '*' / '*.log'))[0]).read()
    assert 'CPUAmpOptimWrapper' in log


def test_load_from_initialises_weights(tiny, tmp_path):
    """load_from loads the weights (strictly equal) but starts at iteration 0."""
    import sys
    sys.path.insert(0, osp.join(osp.dirname(__file__), '..', '..', 'tools'))
    from mmengine.runner import Runner

    import mmkd_rs  # noqa: F401
    from mmkd_rs.utils.tool_utils import load_config
    _, cfg_path = tiny
    cfg = load_config(cfg_path)
    cfg.work_dir = str(tmp_path / 'a')
    runner = Runner.from_cfg(cfg)
    ckpt = tmp_path / 'init.pth'
    state = {k: torch.randn_like(v) if v.is_floating_point() else v
             for k, v in runner.model.state_dict().items()}
    torch.save({'state_dict': state, 'meta': {}}, ckpt)
    cfg = load_config(cfg_path)
    cfg.work_dir, cfg.load_from = str(tmp_path / 'b'), str(ckpt)
    runner = Runner.from_cfg(cfg)
    runner.load_or_resume()
    for k, v in runner.model.state_dict().items():
        assert torch.equal(v, state[k]), k
    assert runner.iter == 0


@pytest.mark.slow
def test_resume_auto_without_checkpoint_starts_from_load_from(tiny):
    """--resume with an empty work dir is a fresh run that still loads the
    config's load_from (pre-trained weights); once the work dir holds a
    checkpoint, --resume continues from it instead."""
    tmp, cfg = tiny
    first = run_tool('train.py', cfg, '--work-dir', tmp / 'pre', '--cfg-options',
                     'train_cfg.max_iters=2', 'train_cfg.val_interval=100')
    assert first.returncode == 0, first.stderr[-3000:]
    pretrained = tmp / 'pre' / 'iter_2.pth'
    wd = tmp / 'fine'
    opts = ('--cfg-options', f'load_from={pretrained}', 'train_cfg.val_interval=100')
    res = run_tool('train.py', cfg, '--work-dir', wd, '--resume', *opts)
    assert res.returncode == 0, res.stderr[-3000:]
    log = res.stdout + res.stderr
    assert f'Load checkpoint from {pretrained}' in log and 'resumed epoch' not in log
    ckpt = torch.load(wd / 'iter_4.pth', weights_only=True)
    assert ckpt['meta']['iter'] == 4
    # A second --resume finds iter_4.pth in the work dir: resume, not re-initialise.
    again = run_tool('train.py', cfg, '--work-dir', wd, '--resume', *opts)
    assert again.returncode == 0, again.stderr[-3000:]
    log = again.stdout + again.stderr
    assert 'resumed epoch: 0, iter: 4' in log
    assert f'Load checkpoint from {pretrained}' not in log
