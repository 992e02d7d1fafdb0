"""ImageNet initialisation: named as mmseg names it, loaded weights-only, offline-safe.

Full-scale configs start their standard-width encoders from ImageNet checkpoints
(``open-mmlab://resnet{18,50,101}_v1c``, ``torchvision://resnet34``); quick configs
never name a download. Without network a run stops with one paragraph (exit status
2) naming the URL, the cache file and the way out; a local file works. No test here
touches the network: downloads are replaced by a function that fails.
"""
import glob
import os
import os.path as osp
import sys
import urllib.error

import pytest
import torch
from conftest import REPO
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import checkpoint as mm_ckpt

import mmkd_rs  # noqa: F401
from mmkd_rs.benchmark.provenance import dump_config
from mmkd_rs.registry import MODELS
from mmkd_rs.utils import checkpoint_safety
from mmkd_rs.utils.checkpoint_safety import CheckpointDownloadError

OPENMMLAB = 'https://download.openmmlab.com/pretrain/third_party/'
CONFIGS = sorted(p for p in glob.glob(str(REPO / 'configs' / '*' / '*.py'))
                 if osp.basename(osp.dirname(p)) not in ('_base_', '_templates_'))


@pytest.fixture
def offline(tmp_path, monkeypatch):
    """An empty torch hub cache and a download that fails as without network;
    returns the list of URLs a download was tried for."""
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))
    monkeypatch.delenv('TORCH_HUB', raising=False)
    tried = []

    def no_network(url, dst, *args, **kwargs):
        tried.append(url)
        raise urllib.error.URLError('[Errno -3] Temporary failure in name resolution')

    monkeypatch.setattr(torch.hub, 'download_url_to_file', no_network)
    return tried


@pytest.mark.parametrize('name, url', [
    ('resnet18_v1c', OPENMMLAB + 'resnet18_v1c-b5776b93.pth'),
    ('resnet50_v1c', OPENMMLAB + 'resnet50_v1c-2cccc1ad.pth'),
    ('resnet101_v1c', OPENMMLAB + 'resnet101_v1c-e67eebb6.pth'),
])
def test_open_mmlab_names_resolve_to_openmmlab_downloads(name, url):
    assert mm_ckpt.get_external_models()[name] == url


def test_torchvision_names_resolve_without_torchvision():
    assert checkpoint_safety.torchvision_models()['resnet34'] == \
        'https://download.pytorch.org/models/resnet34-b627a593.pth'


@pytest.mark.parametrize('name, url', [
    ('open-mmlab://resnet50_v1c', OPENMMLAB + 'resnet50_v1c-2cccc1ad.pth'),
    ('torchvision://resnet34', 'https://download.pytorch.org/models/resnet34-b627a593.pth'),
])
def test_model_zoo_download_goes_through_the_weights_only_loader(name, url, offline):
    with pytest.raises(CheckpointDownloadError) as err:
        mm_ckpt._load_checkpoint(name, map_location='cpu')
    assert offline == [url]
    cache = osp.join(os.environ['TORCH_HOME'], 'hub', 'checkpoints', osp.basename(url))
    text = str(err.value)
    assert text.startswith(f'cannot download checkpoint "{name}" ({url}): ')
    assert f'"{cache}"' in text and 'Temporary failure in name resolution' in text
    assert f'model.backbone.init_cfg.checkpoint=/path/to/{osp.basename(url)}' in text
    assert 'set it to None (model.backbone.init_cfg=None)' in text and '\n' not in text


def test_train_without_network_stops_with_one_paragraph(tmp_path, offline, capsys,
                                                        monkeypatch):
    from _tiny import write_tiny_config, write_tiny_dataset
    sys.path.insert(0, str(REPO / 'tools'))
    from train import main
    monkeypatch.setenv('OMP_NUM_THREADS', '1')
    cfg = write_tiny_config(tmp_path / 'cfg.py', write_tiny_dataset(tmp_path / 'data'))
    with pytest.raises(SystemExit) as code:
        main([cfg, '--work-dir', str(tmp_path / 'wd'), '--cfg-options',
              'model.pretrained=open-mmlab://resnet18_v1c', 'experiment_name=offline-init',
              'visualizer.name=offline-init'])
    assert code.value.code == 2
    err = capsys.readouterr().err
    assert 'Traceback' not in err
    message = err.split('train: error: ', 1)[1].rstrip('\n')
    assert '\n' not in message       # one paragraph
    assert message.startswith('cannot download checkpoint "open-mmlab://resnet18_v1c" '
                              f'({OPENMMLAB}resnet18_v1c-b5776b93.pth)')
    assert offline == [OPENMMLAB + 'resnet18_v1c-b5776b93.pth']


def _tiny_model_cfg(tmp_path, **backbone):
    from _tiny import write_tiny_config
    cfg = Config.fromfile(write_tiny_config(tmp_path / 'model_cfg.py', tmp_path))
    cfg.model.backbone.update(backbone)
    init_default_scope('mmkd_rs')
    return cfg.model


def _imagenet_like_file(tmp_path, model_cfg):
    """A checkpoint of the backbone with known values, saved as mmengine saves."""
    torch.manual_seed(0)
    backbone = MODELS.build(model_cfg.backbone)
    state = {k: torch.randn_like(v) if v.is_floating_point() else v
             for k, v in backbone.state_dict().items()}
    path = tmp_path / 'resnet18_v1c-local.pth'
    torch.save({'state_dict': state}, path)
    return str(path), state


def _with_checkpoint(model_cfg, path):
    """The model with its encoder initialised from ``path``, as the configs name it."""
    backbone = dict(model_cfg.backbone, init_cfg=dict(type='Pretrained', checkpoint=path))
    return dict(model_cfg, backbone=backbone)


def test_local_pretrained_file_initialises_the_backbone(tmp_path, offline):
    model_cfg = _tiny_model_cfg(tmp_path)
    path, state = _imagenet_like_file(tmp_path, model_cfg)
    model = MODELS.build(_with_checkpoint(model_cfg, path))
    model.init_weights()
    loaded = model.backbone.state_dict()
    assert set(loaded) == set(state)
    assert all(torch.equal(loaded[k], state[k]) for k in state)
    assert offline == []


def test_sar_bands_keep_a_random_stem_conv_and_load_the_rest(tmp_path):
    """What the SAR / SEN12MS / DisOptNet configs rely on: an RGB checkpoint loads
    into a 4-band encoder except the first stem conv, whose shape differs."""
    path, state = _imagenet_like_file(tmp_path, _tiny_model_cfg(tmp_path))
    model = MODELS.build(_with_checkpoint(_tiny_model_cfg(tmp_path, in_channels=4), path))
    model.init_weights()
    loaded = model.backbone.state_dict()
    assert loaded['stem.0.weight'].shape[1] == 4 and state['stem.0.weight'].shape[1] == 3
    assert [k for k in state if not torch.equal(loaded[k], state[k])] == ['stem.0.weight']


def _torchvision_resnet34_keys():
    """torchvision's ResNet-34 parameter and buffer names, without the classifier."""
    keys = ['conv1.weight'] + [f'bn1.{b}' for b in ('weight', 'bias', 'running_mean',
                                                     'running_var', 'num_batches_tracked')]
    bn = ('weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked')
    for layer, blocks in enumerate((3, 4, 6, 3), 1):
        for i in range(blocks):
            p = f'layer{layer}.{i}.'
            keys += [p + 'conv1.weight', p + 'conv2.weight']
            keys += [p + f'bn{j}.{b}' for j in (1, 2) for b in bn]
            if i == 0 and layer > 1:
                keys += [p + 'downsample.0.weight'] + [p + f'downsample.1.{b}' for b in bn]
    return set(keys)


def test_dlinknet_encoder_has_torchvision_resnet34_names():
    """torchvision://resnet34 fills every encoder tensor (its fc is the only extra)."""
    init_default_scope('mmkd_rs')
    cfg = Config.fromfile(str(REPO / 'configs/_base_/models/dlinknet34.py'))
    encoder = MODELS.build(cfg.model.backbone.encoder)
    assert set(encoder.state_dict()) == _torchvision_resnet34_keys()


def _networks(cfg):
    """(where, network config) of the networks a config trains."""
    model = cfg.model
    if model.type != 'TeacherStudentDistill':
        return [('model', model)]
    student = model.student
    if isinstance(student, str):
        student = Config.fromfile(osp.join(REPO, student)).model
    return [('model.student', student)]


def _expected_init(net):
    """The checkpoint a full-scale network's encoder starts from (None: random)."""
    backbone = net.backbone
    if backbone.type == 'ResNetV1c' and backbone.get('base_channels', 64) == 64:
        return f'open-mmlab://resnet{backbone.depth}_v1c'
    if backbone.type == 'DLinkNet':
        return 'torchvision://resnet34'
    return None     # half-width ResNets, LinkNet-18 w32, hourglass: no checkpoint


def _encoder_checkpoint(net):
    backbone = net.backbone
    encoder = backbone.get('encoder') if backbone.type in ('LinkNet', 'DLinkNet') else backbone
    return (encoder.get('init_cfg') or {}).get('checkpoint')


@pytest.mark.parametrize('path', CONFIGS, ids=[osp.relpath(p, REPO / 'configs') for p in CONFIGS])
def test_configs_start_from_imagenet_where_the_papers_do(path, monkeypatch):
    monkeypatch.chdir(REPO)
    if 'quick' in osp.basename(path):
        # quick configs run offline: no URL or model-zoo name anywhere in them
        assert '://' not in dump_config(path)
        return
    cfg = Config.fromfile(path)
    for where, net in _networks(cfg):
        expected = _expected_init(net)
        if cfg.get('load_from'):          # fine-tuning starts from that checkpoint
            expected = None
        assert _encoder_checkpoint(net) == expected, where
        assert net.get('pretrained') is None, where     # one way to name it: init_cfg
