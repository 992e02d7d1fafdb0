"""--resume auto after a killed run, and weights-only checkpoint safety."""
import os
import signal
import subprocess
import sys
import time

import pytest
import torch
from conftest import REPO, run_tool

import mmkd_rs  # noqa: F401
from mmkd_rs.utils.checkpoint_safety import UnsafeCheckpointError, safe_load_from_local

# Deterministic data order and no random transforms, so that an interrupted and
# resumed run must reproduce the uninterrupted one bit for bit (dropout in the
# head still draws from torch's RNG, restored by RNGStateHook).
NO_AUG = """
train_dataloader['dataset']['pipeline'] = test_pipeline
"""


def _final_params(path):
    state = torch.load(path, map_location='cpu', weights_only=True)['state_dict']
    return {k: v for k, v in state.items() if v.is_floating_point()}


@pytest.mark.slow
def test_resume_auto_after_kill_continues_exactly(tmp_path):
    from _tiny import write_tiny_config, write_tiny_dataset
    data = write_tiny_dataset(tmp_path / 'data')
    cfg = write_tiny_config(tmp_path / 'cfg.py', data, iters=40, ckpt_interval=4, extra=NO_AUG)

    ref = run_tool('train.py', cfg, '--work-dir', tmp_path / 'ref')
    assert ref.returncode == 0, ref.stderr[-3000:]

    # Start the same run and SIGKILL it as soon as a checkpoint was written.
    wd = tmp_path / 'killed'
    env = dict(os.environ, OMP_NUM_THREADS='1')
    proc = subprocess.Popen([sys.executable, str(REPO / 'tools' / 'train.py'), cfg,
                             '--work-dir', str(wd)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while not (wd / 'last_checkpoint').exists() and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (wd / 'iter_40.pth').exists(), 'the run finished before it was killed'
    # mmengine writes last_checkpoint after the checkpoint itself.
    last = int(open(wd / 'last_checkpoint').read().strip().split('iter_')[-1][:-4])

    res = run_tool('train.py', cfg, '--work-dir', wd, '--resume')
    assert res.returncode == 0, res.stderr[-3000:]
    log = res.stdout + res.stderr
    assert f'resumed epoch: 0, iter: {last}' in log
    assert 'Restored RNG states' in log
    resumed = torch.load(wd / 'iter_40.pth', map_location='cpu', weights_only=True)
    assert resumed['meta']['iter'] == 40
    reference = torch.load(tmp_path / 'ref' / 'iter_40.pth', map_location='cpu', weights_only=True)
    # Scheduler and optimizer (momentum buffers) continued, not restarted.
    assert resumed['param_schedulers'] == reference['param_schedulers']
    ref_opt, res_opt = reference['optimizer']['state'], resumed['optimizer']['state']
    assert ref_opt.keys() == res_opt.keys()
    for k in ref_opt:
        assert torch.equal(ref_opt[k]['momentum_buffer'], res_opt[k]['momentum_buffer'])
    a, b = _final_params(tmp_path / 'ref' / 'iter_40.pth'), _final_params(wd / 'iter_40.pth')
    assert a.keys() == b.keys()
    for k in a:
        assert torch.equal(a[k], b[k]), f'{k} differs after resume'


class _RunsCode:
    """Unpickling this object runs a shell command (a classic pickle attack)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


def _malicious_checkpoint(path, marker):
    torch.save({'state_dict': {'w': torch.zeros(1)}, 'meta': {'payload': _RunsCode(marker)}},
               path)


def test_malicious_checkpoint_is_refused_and_runs_nothing(tmp_path):
    ckpt, marker = tmp_path / 'evil.pth', tmp_path / 'PWNED'
    _malicious_checkpoint(ckpt, marker)
    with pytest.raises(UnsafeCheckpointError, match='Refused to load checkpoint'):
        safe_load_from_local(str(ckpt))
    # The mmengine entry point the runner (load_from / resume) reads files with too.
    from mmengine.runner import CheckpointLoader
    with pytest.raises(UnsafeCheckpointError):
        CheckpointLoader.load_checkpoint(str(ckpt), map_location='cpu')
    assert not marker.exists()


def test_malicious_checkpoint_through_test_tool(tiny):
    tmp, cfg = tiny
    ckpt, marker = tmp / 'evil.pth', tmp / 'PWNED'
    _malicious_checkpoint(ckpt, marker)
    res = run_tool('test.py', cfg, ckpt, '--work-dir', tmp / 'wd')
    assert res.returncode == 2
    assert 'Refused to load checkpoint' in res.stderr and 'Traceback' not in res.stderr
    assert not marker.exists()


def test_history_buffer_getattr_is_restricted(tmp_path):
    """The getattr stand-in only hands out public HistoryBuffer methods."""
    import pickle

    from mmengine.logging import HistoryBuffer

    from mmkd_rs.utils.checkpoint_safety import _history_buffer_method
    assert _history_buffer_method(HistoryBuffer, 'mean') is HistoryBuffer.mean
    with pytest.raises(pickle.UnpicklingError):
        _history_buffer_method(HistoryBuffer, '__init__')
    with pytest.raises(pickle.UnpicklingError):
        _history_buffer_method(os, 'system')

    class Sneaky:

        def __reduce__(self):
            return (getattr, (HistoryBuffer, '__init__'))

    path = tmp_path / 'getattr.pth'
    torch.save({'x': Sneaky()}, path)
    with pytest.raises(UnsafeCheckpointError):
        safe_load_from_local(str(path))


def test_no_environment_variable_needed():
    for key in ('TORCH_FORCE_WEIGHTS_ONLY_LOAD', 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD'):
        assert key not in os.environ or os.environ[key] in ('', '0')
