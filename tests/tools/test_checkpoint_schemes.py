"""Every checkpoint scheme (URL, model-zoo names, object stores) loads weights-only.

Offline: a URL's checkpoint is put where torch's hub cache maps the URL
(``$TORCH_HOME/hub/checkpoints/<file name>``), so nothing is downloaded.
"""
import os
import sys
import types

import numpy as np
import pytest
import torch
from conftest import run_tool
from mmengine.logging import HistoryBuffer
from mmengine.runner import checkpoint as mm_ckpt
from mmengine.runner.checkpoint import CheckpointLoader, _load_checkpoint

import mmkd_rs  # noqa: F401
from mmkd_rs.utils import checkpoint_safety
from mmkd_rs.utils.checkpoint_safety import UnsafeCheckpointError


class _RunsCode:
    """Unpickling this object runs a shell command (a classic pickle attack)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


def _payload(path, marker):
    torch.save({'state_dict': {'w': torch.zeros(1)}, 'meta': {'x': _RunsCode(marker)}}, path)


def _good(path):
    """What mmengine writes: tensors, a HistoryBuffer, numpy scalars."""
    torch.save({'state_dict': {'w': torch.arange(3.)},
                'message_hub': {'log_scalars': {'loss': HistoryBuffer([1.0, 2.0], [1, 1])}},
                'meta': {'seed': np.int64(3)}}, path)


@pytest.fixture
def hub(tmp_path, monkeypatch):
    """An empty torch hub cache; returns its checkpoints folder."""
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))
    monkeypatch.delenv('TORCH_HUB', raising=False)
    folder = tmp_path / 'torch_home' / 'hub' / 'checkpoints'
    folder.mkdir(parents=True)
    return folder


def _refused(name, marker):
    with pytest.raises(UnsafeCheckpointError, match='Refused to load checkpoint') as err:
        _load_checkpoint(name, map_location='cpu')
    assert not marker.exists(), f'{name}: the payload ran'
    return str(err.value)


def test_every_registered_scheme_loads_weights_only():
    loaders = {prefix: f'{f.__module__}.{f.__name__}'
               for prefix, f in CheckpointLoader._schemes.items()}
    assert all(name.startswith('mmkd_rs.utils.checkpoint_safety.') for name in
               loaders.values()), loaders
    for prefix in ('', 'http://', 'https://', 'torchvision://', 'modelzoo://',
                   'open-mmlab://', 'openmmlab://', 'mmcls://', 'pavi://'):
        assert prefix in loaders


@pytest.mark.parametrize('scheme', ['https', 'http'])
def test_url_payload_in_hub_cache_does_not_run(hub, tmp_path, scheme):
    marker = tmp_path / 'PWNED'
    _payload(hub / 'evil.pth', marker)
    text = _refused(f'{scheme}://example.invalid/models/evil.pth', marker)
    assert f'{scheme}://example.invalid/models/evil.pth' in text
    assert str(hub / 'evil.pth') in text    # names the cache file to delete


def test_url_checkpoint_written_by_mmengine_still_loads(hub):
    _good(hub / 'good.pth')
    ckpt = _load_checkpoint('https://example.invalid/good.pth', map_location='cpu')
    assert torch.equal(ckpt['state_dict']['w'], torch.arange(3.))
    assert ckpt['message_hub']['log_scalars']['loss'].mean() == 1.5


def test_model_zoo_names_go_through_the_allow_list(hub, tmp_path, monkeypatch):
    marker = tmp_path / 'PWNED'
    # open-mmlab:// resolves through mmengine's own index (no network)
    name, url = next((n, u) for n, u in mm_ckpt.get_external_models().items()
                     if u.startswith('https://'))
    _payload(hub / os.path.basename(url), marker)
    for prefix in ('open-mmlab://', 'openmmlab://'):
        _refused(prefix + name, marker)
    # torchvision:// resolves through torchvision, or mmengine's copy of its table
    url = checkpoint_safety.torchvision_models()['resnet18']
    _payload(hub / os.path.basename(url), marker)
    for prefix in ('torchvision://', 'modelzoo://'):
        _refused(prefix + 'resnet18', marker)
    monkeypatch.setattr(mm_ckpt, 'get_mmcls_models',
                        lambda: {'tiny': 'https://example.invalid/cls/tiny-y.pth'})
    _payload(hub / 'tiny-y.pth', marker)
    _refused('mmcls://tiny', marker)


def test_object_store_schemes_go_through_the_allow_list(tmp_path, monkeypatch):
    marker = tmp_path / 'PWNED'
    _payload(tmp_path / 'evil.pth', marker)
    data = (tmp_path / 'evil.pth').read_bytes()

    class Backend:

        def get(self, filename):
            return data

    fake = lambda *args, **kwargs: Backend()  # noqa: E731
    monkeypatch.setattr(mm_ckpt, 'get_file_backend', fake)
    monkeypatch.setattr(checkpoint_safety, 'get_file_backend', fake)
    _refused('s3://bucket/evil.pth', marker)
    _refused('cluster:petrel://bucket/evil.pth', marker)

    class Model:
        name = 'evil.pth'

        def download(self, path):
            with open(path, 'wb') as f:
                f.write(data)

    pavi = types.ModuleType('pavi')
    pavi.modelcloud = types.SimpleNamespace(get=lambda path: Model())
    monkeypatch.setitem(sys.modules, 'pavi', pavi)
    _refused('pavi://project/evil', marker)


def test_pretrained_init_cfg_with_url_is_refused(hub, tmp_path):
    from mmengine.model import BaseModule
    marker = tmp_path / 'PWNED'
    _payload(hub / 'backbone.pth', marker)
    module = BaseModule(init_cfg=dict(type='Pretrained',
                                      checkpoint='https://example.invalid/backbone.pth'))
    with pytest.raises(UnsafeCheckpointError):
        module.init_weights()
    assert not marker.exists()


def test_test_tool_refuses_url_payload(tiny, hub):
    tmp, cfg = tiny
    marker = tmp / 'PWNED'
    _payload(hub / 'evil.pth', marker)
    res = run_tool('test.py', cfg, 'https://example.invalid/evil.pth', '--work-dir', tmp / 'wd',
                   env={'TORCH_HOME': os.environ['TORCH_HOME']})
    assert res.returncode == 2, res.stderr[-3000:]
    assert 'Refused to load checkpoint "https://example.invalid/evil.pth"' in res.stderr
    assert 'Traceback' not in res.stderr
    assert not marker.exists()


def test_resume_does_not_run_the_config_text_of_a_checkpoint(tiny, monkeypatch):
    """mmengine's resume parsed meta['config'] as a Python config: strings only, yet code."""
    from conftest import REPO
    sys.path.insert(0, str(REPO / 'tools'))
    from train import main
    monkeypatch.setenv('OMP_NUM_THREADS', '1')
    tmp, cfg = tiny
    main([cfg, '--work-dir', str(tmp / 'a'), '--cfg-options', 'train_cfg.max_iters=2',
          'experiment_name=meta-config-a', 'visualizer.name=meta-config-a'])
    marker = tmp / 'PWNED'
    ckpt = torch.load(tmp / 'a' / 'iter_2.pth', weights_only=True)
    ckpt['meta']['config'] = f'x = __import__("os").system("touch {marker}")\n'
    torch.save(ckpt, tmp / 'shared.pth')
    main([cfg, '--work-dir', str(tmp / 'b'), '--resume', str(tmp / 'shared.pth'),
          '--cfg-options', 'experiment_name=meta-config-b', 'visualizer.name=meta-config-b'])
    assert (tmp / 'b' / 'iter_4.pth').exists()
    assert not marker.exists()
