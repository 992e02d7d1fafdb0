import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / 'tests'))


def run_tool(*args, cwd=None, env=None, timeout=600):
    """Run ``python tools/<args>`` in a subprocess; return CompletedProcess."""
    full_env = dict(os.environ)
    full_env.setdefault('OMP_NUM_THREADS', '1')
    for key in ('TORCH_FORCE_WEIGHTS_ONLY_LOAD', 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD'):
        full_env.pop(key, None)
    full_env.update(env or {})
    cmd = [sys.executable, str(REPO / 'tools' / args[0]), *map(str, args[1:])]
    return subprocess.run(cmd, cwd=cwd, env=full_env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture
def tiny(tmp_path):
    """A tiny dataset and a config training 4 iterations, checkpoint every 2."""
    from _tiny import write_tiny_config, write_tiny_dataset
    data = write_tiny_dataset(tmp_path / 'data')
    cfg = write_tiny_config(tmp_path / 'tiny_cfg.py', data, iters=4, ckpt_interval=2)
    return tmp_path, cfg
