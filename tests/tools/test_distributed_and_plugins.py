"""2-process gloo training through tools/dist_train.sh, and third-party plugins
loaded with ``custom_imports``."""
import os
import socket
import subprocess
import sys
import textwrap

import pytest
import torch
from conftest import REPO, run_tool

import mmkd_rs  # noqa: F401

PROBE = '''
import torch
import torch.distributed as dist
from mmengine.hooks import Hook
from mmkd_rs.registry import HOOKS


@HOOKS.register_module()
class DumpParamsPerRankHook(Hook):
    """Saves every rank's parameters and world size at the end of training."""

    def after_train(self, runner):
        rank = dist.get_rank() if dist.is_initialized() else 0
        model = runner.model.module if hasattr(runner.model, 'module') else runner.model
        torch.save(dict(world_size=dist.get_world_size(), backend=dist.get_backend(),
                        iter=runner.iter, wrapper=type(runner.model).__name__,
                        # nn.Module's own listing: the algorithm's named_parameters()
                        # leaves the frozen teachers out (they are not optimised)
                        params={k: v.detach().clone()
                                for k, v in torch.nn.Module.named_parameters(model)}),
                   f'{runner.work_dir}/rank{rank}.pth')
'''


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _dist_train_two_ranks(cfg, tmp_path):
    """Train ``cfg`` with ``bash tools/dist_train.sh CFG 2`` (work dir
    ``tmp_path/wd``, probe hooks importable from ``tmp_path``) and return the
    two ranks' dumps written by ``DumpParamsPerRankHook``."""
    env = dict(os.environ, PYTHON=sys.executable, OMP_NUM_THREADS='1', PORT=str(_free_port()),
               PYTHONPATH=str(tmp_path))
    res = subprocess.run(['bash', str(REPO / 'tools' / 'dist_train.sh'), cfg, '2',
                          '--work-dir', str(tmp_path / 'wd')], env=env, capture_output=True,
                         text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-4000:]
    return tuple(torch.load(tmp_path / 'wd' / f'rank{r}.pth', weights_only=True) for r in (0, 1))


@pytest.mark.slow
def test_dist_train_two_processes_gloo_identical_params(tmp_path):
    from _tiny import write_tiny_config, write_tiny_dataset
    (tmp_path / 'probe_hooks.py').write_text(PROBE)
    data = write_tiny_dataset(tmp_path / 'data')
    extra = ("custom_imports = dict(imports=['probe_hooks'], allow_failed_imports=False)\n"
             "custom_hooks = [dict(type='DumpParamsPerRankHook')]\n")
    cfg = write_tiny_config(tmp_path / 'cfg.py', data, iters=3, ckpt_interval=3, extra=extra)
    r0, r1 = _dist_train_two_ranks(cfg, tmp_path)
    for r in (r0, r1):
        assert r['world_size'] == 2 and r['backend'] == 'gloo' and r['iter'] == 3
        assert r['wrapper'] == 'DeviceAwareDistributedDataParallel'
    assert r0['params'].keys() == r1['params'].keys()
    for k in r0['params']:
        assert torch.equal(r0['params'][k], r1['params'][k]), k
    assert (tmp_path / 'wd' / 'iter_3.pth').exists()


PLUGIN = '''
"""An external package adding a backbone to mmkd_rs's registry."""
import torch.nn as nn
from mmengine.model import BaseModule
from mmkd_rs.registry import MODELS


@MODELS.register_module()
class PluginTinyBackbone(BaseModule):
    """Two strided convs: [B, 3, H, W] -> ([B, C, H/4, W/4], )."""

    def __init__(self, channels=16, init_cfg=None):
        super().__init__(init_cfg)
        self.body = nn.Sequential(nn.Conv2d(3, channels, 3, 2, 1), nn.ReLU(),
                                  nn.Conv2d(channels, channels, 3, 2, 1), nn.ReLU())

    def forward(self, x):
        return (self.body(x), )
'''


@pytest.mark.slow
def test_third_party_plugin_via_custom_imports(tmp_path):
    from _tiny import write_tiny_config, write_tiny_dataset
    pkg = tmp_path / 'plugins' / 'my_rs_plugin'
    pkg.mkdir(parents=True)
    (pkg / '__init__.py').write_text(PLUGIN)
    data = write_tiny_dataset(tmp_path / 'data')
    extra = textwrap.dedent('''
        custom_imports = dict(imports=['my_rs_plugin'], allow_failed_imports=False)
        model['backbone'] = dict(type='PluginTinyBackbone', channels=16)
        model['decode_head']['in_channels'] = 16
    ''')
    cfg = write_tiny_config(tmp_path / 'cfg.py', data, iters=2, ckpt_interval=2, extra=extra)
    res = run_tool('train.py', cfg, '--work-dir', tmp_path / 'wd',
                   env=dict(PYTHONPATH=str(tmp_path / 'plugins')))
    assert res.returncode == 0, res.stderr[-3000:]
    state = torch.load(tmp_path / 'wd' / 'iter_2.pth', weights_only=True)['state_dict']
    assert 'backbone.body.0.weight' in state and state['backbone.body.0.weight'].shape[0] == 16
    # Without the plugin on the path the same config fails with a clear message.
    res = run_tool('train.py', cfg, '--work-dir', tmp_path / 'wd2')
    assert res.returncode != 0 and 'my_rs_plugin' in res.stderr


KD_EXTRA = '''
custom_imports = dict(imports=['probe_hooks'], allow_failed_imports=False)
custom_hooks = [dict(type='DumpParamsPerRankHook'), dict(type='DistillCheckpointHook')]
logits = dict(type='ModuleOutputs', source='decode_head.conv_seg')
model = dict(
    type='TeacherStudentDistill',
    student=model,
    teacher=model,
    teacher_ckpt='{ckpt}',
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(logits=logits),
        teacher_recorders=dict(logits=logits),
        distill_losses=dict(loss_kd=dict(type='KDLoss', temperature=2.0, loss_weight=1.0)),
        loss_forward_mappings=dict(loss_kd=dict(
            preds_S=dict(from_student=True, recorder='logits'),
            preds_T=dict(from_student=False, recorder='logits')))))
'''


@pytest.mark.slow
def test_kd_config_trains_in_two_gloo_processes(tmp_path):
    """A distillation config under tools/dist_train.sh: both ranks train the
    student identically and the frozen teacher is loaded from its checkpoint."""
    from _tiny import write_tiny_config, write_tiny_dataset
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from mmkd_rs.registry import MODELS
    (tmp_path / 'probe_hooks.py').write_text(PROBE)
    data = write_tiny_dataset(tmp_path / 'data')
    teacher_cfg = write_tiny_config(tmp_path / 'teacher.py', data, iters=3, ckpt_interval=3)
    init_default_scope('mmkd_rs')
    torch.manual_seed(1)
    teacher = MODELS.build(Config.fromfile(teacher_cfg).model)
    ckpt = tmp_path / 'teacher.pth'
    torch.save({'state_dict': teacher.state_dict(), 'meta': {}}, ckpt)
    cfg = write_tiny_config(tmp_path / 'kd.py', data, iters=3, ckpt_interval=3,
                            extra=KD_EXTRA.format(ckpt=ckpt))
    r0, r1 = _dist_train_two_ranks(cfg, tmp_path)
    assert r0['world_size'] == r1['world_size'] == 2
    assert r0['params'].keys() == r1['params'].keys()
    for k in r0['params']:
        assert torch.equal(r0['params'][k], r1['params'][k]), k
    # The frozen teacher ends exactly as loaded from its checkpoint, on both ranks.
    teacher_state = torch.load(ckpt, weights_only=True)['state_dict']
    teacher_keys = [k for k in r0['params'] if not k.startswith('student.')]
    assert teacher_keys, 'teacher parameters not found'
    for k in teacher_keys:
        name = k.split('.', 2)[-1] if k.startswith('teachers.') else k.split('.', 1)[-1]
        assert torch.equal(r0['params'][k], teacher_state[name]), k
    kd_ckpt = torch.load(tmp_path / 'wd' / 'iter_3.pth', weights_only=True)
    assert 'teacher_sha256' in kd_ckpt['meta']
    log = open(next((tmp_path / 'wd').glob('*/*.log'))).read()
    assert 'distill.loss_kd' in log
