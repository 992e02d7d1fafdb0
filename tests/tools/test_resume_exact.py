"""--resume continues a run bit for bit: weights, optimizer state and metrics.

The tiny task (6 iterations, a checkpoint and a validation every 2) draws
random flips and dropout; with ``num_workers=0`` the flips draw from the
main process's generators, the case where restoring the RNG states before
mmengine replays the skipped batches shifted the augmentations.
"""
import json
import os
import signal
import subprocess
import sys
import time

import pytest
import torch
from conftest import REPO, run_tool

sys.path.insert(0, str(REPO / 'tools'))
from train import main as train_main  # noqa: E402

import mmkd_rs  # noqa: E402,F401

ITERS = 6
DISTILL = """
student_model = model
model = dict(
    type='TeacherStudentDistill', student=student_model, teacher=student_model,
    allow_random_teacher=True,
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(logits=dict(type='ModuleOutputs', source='decode_head.conv_seg')),
        teacher_recorders=dict(logits=dict(type='ModuleOutputs', source='decode_head.conv_seg')),
        distill_losses=dict(loss_kd=dict(type='KDLoss', temperature=2.0)),
        loss_forward_mappings=dict(loss_kd=dict(
            preds_S=dict(from_student=True, recorder='logits'),
            preds_T=dict(from_student=False, recorder='logits')))))
"""


def _config(tmp_path, kind, workers):
    from _tiny import write_tiny_config, write_tiny_dataset
    data = write_tiny_dataset(tmp_path / 'data')
    extra = (f"train_dataloader.update(num_workers={workers})\n"
             f"train_cfg.update(val_interval=2)\n" + (DISTILL if kind == 'distill' else ''))
    return write_tiny_config(tmp_path / f'{kind}.py', data, iters=ITERS, ckpt_interval=2,
                             extra=extra)


def _train(cfg, work_dir, *args, workers=0):
    """tools/train.py; in this process without dataloader workers (its own logger,
    message hub and visualizer), else in a subprocess: an in-process run leaves its
    infinite loader's workers to a later garbage collection, which waits for them."""
    if workers:
        res = run_tool('train.py', cfg, '--work-dir', work_dir, *args)
        assert res.returncode == 0, res.stderr[-3000:]
        return
    name = f'{work_dir.parent.name}-{work_dir.name}'
    train_main([cfg, '--work-dir', str(work_dir), *map(str, args), '--cfg-options',
                f'experiment_name={name}', f'visualizer.name={name}'])


def _tensors(obj, prefix=''):
    """Every tensor in a nested checkpoint entry, by path."""
    if torch.is_tensor(obj):
        return {prefix: obj}
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) \
        if isinstance(obj, (list, tuple)) else ()
    out = {}
    for key, value in items:
        out.update(_tensors(value, f'{prefix}/{key}'))
    return out


def _final_val(work_dir):
    """The last validation metrics of the newest run in ``work_dir``."""
    newest = sorted(p for p in work_dir.iterdir() if p.is_dir())[-1]
    lines = (newest / 'vis_data' / 'scalars.json').read_text().splitlines()
    last = [json.loads(line) for line in lines if 'mIoU' in line][-1]
    return {k: v for k, v in last.items() if k not in ('time', 'data_time')}


def _assert_same_run(ref_dir, work_dir):
    last = f'iter_{ITERS}.pth'
    ref = torch.load(ref_dir / last, map_location='cpu', weights_only=True)
    res = torch.load(work_dir / last, map_location='cpu', weights_only=True)
    for part in ('state_dict', 'optimizer'):
        a, b = _tensors(ref[part]), _tensors(res[part])
        assert a.keys() == b.keys() and a, part
        differ = [k for k in a if not torch.equal(a[k], b[k])]
        assert not differ, f'{len(differ)} of {len(a)} {part} tensors differ: {differ[:3]}'
    assert ref['param_schedulers'] == res['param_schedulers']
    assert res['meta']['iter'] == ITERS
    assert _final_val(ref_dir) == _final_val(work_dir)


SLOW = pytest.mark.slow


@pytest.mark.parametrize('kind,workers', [
    ('plain', 0), pytest.param('plain', 2, marks=SLOW),
    ('distill', 0), pytest.param('distill', 2, marks=SLOW)])
def test_resume_from_every_checkpoint_is_exact(tmp_path, monkeypatch, kind, workers):
    monkeypatch.setenv('OMP_NUM_THREADS', '1')
    cfg = _config(tmp_path, kind, workers)
    _train(cfg, tmp_path / 'ref', workers=workers)
    for it in range(2, ITERS, 2):
        resumed = tmp_path / f'from{it}'
        _train(cfg, resumed, '--resume', tmp_path / 'ref' / f'iter_{it}.pth', workers=workers)
        _assert_same_run(tmp_path / 'ref', resumed)


@SLOW
@pytest.mark.parametrize('kind,workers', [('plain', 0), ('distill', 2)])
def test_sigkilled_run_resumes_exactly(tmp_path, monkeypatch, kind, workers):
    monkeypatch.setenv('OMP_NUM_THREADS', '1')
    cfg = _config(tmp_path, kind, workers)
    killed = tmp_path / 'killed'
    proc = subprocess.Popen([sys.executable, str(REPO / 'tools' / 'train.py'), cfg,
                             '--work-dir', str(killed)], env=dict(os.environ),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while not (killed / 'last_checkpoint').exists() and time.time() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (killed / f'iter_{ITERS}.pth').exists(), 'the run finished before the kill'
    _train(cfg, killed, '--resume', workers=workers)
    _train(cfg, tmp_path / 'ref', workers=workers)
    _assert_same_run(tmp_path / 'ref', killed)


def test_validation_leaves_the_generators_as_it_found_them():
    import random

    import numpy as np

    from mmkd_rs.engine.rng_state_hook import RNGStateHook
    hook = RNGStateHook()
    torch.manual_seed(1)
    expected = torch.rand(3)
    torch.manual_seed(1)
    hook.before_val(None)
    torch.rand(5), np.random.rand(2), random.random()    # what validation may draw
    hook.after_val(None)
    assert torch.equal(torch.rand(3), expected)
