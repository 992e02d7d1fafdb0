"""TSKD-Road: the distiller binds the teacher encoder; configs train, ablations differ."""
import glob
import os.path as osp

import pytest
import torch
from distill_testkit import records_seen_by_losses
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

import mmkd_rs  # noqa: F401
from mmkd_rs.distill.wiring import DistillConfigError
from mmkd_rs.registry import MODELS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
QUICK = osp.join(REPO,
                 'configs/tskd/tskd_linknet-r18w32_dlinknet-r34_1xb4-quick_synth-roads-64x64.py')


def _model_cfg(path=QUICK):
    """The quick TSKD model with a tiny random D-LinkNet teacher (ResNet-18, width 16)."""
    init_default_scope('mmkd_rs')
    cfg = Config.fromfile(path).model.to_dict()
    teacher = Config.fromfile(osp.join(REPO, cfg['teacher'])).model.to_dict()
    teacher['backbone']['encoder'].update(depth=18, stem_channels=16, base_channels=16)
    teacher['backbone'].update(encoder_channels=(16, 32, 64, 128), final_channels=8)
    teacher['decode_head'].update(in_channels=8, channels=8)
    cfg['distiller']['connectors']['mimic']['out_channels'] = 16
    cfg['distiller'].pop('loss_weight_schedules')  # the quick warm-up would zero every term
    cfg.update(teacher=teacher, teacher_ckpt=None, allow_random_teacher=True)
    return cfg


def _batch(n=2, size=32):
    torch.manual_seed(0)
    inputs = torch.randn(n, 3, size, size)
    samples = []
    for _ in range(n):
        gt = (torch.rand(1, size, size) > 0.8).long()
        gt[0, 0, :4] = 255
        sample = SegDataSample(metainfo=dict(img_shape=(size, size), pad_shape=(size, size),
                                             ori_shape=(size, size)))
        sample.gt_sem_seg = PixelData(data=gt)
        samples.append(sample)
    return inputs, samples


@pytest.fixture
def one_thread():
    """One intra-op thread: spinning OpenMP threads on a busy CPU slow steps down a lot."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.mark.slow
def test_tskd_quick_config_trains_two_steps_with_frozen_teacher(one_thread):
    torch.manual_seed(0)
    model = MODELS.build(_model_cfg())
    model.train()
    teacher = model.teachers['teacher']
    topo = model.distiller.distill_losses['loss_topo']
    assert topo.feature_net is teacher.backbone.encoder
    assert not teacher.training
    assert not any('loss_topo' in k for k in model.state_dict())  # the encoder is not saved twice
    teacher_before = {k: v.clone() for k, v in teacher.state_dict().items()}
    student_before = {k: v.clone() for k, v in model.student.state_dict().items()}
    trainable = [p for p in model.parameters() if p.requires_grad]
    assert not any(p is q for p in trainable for q in teacher.parameters())
    optim = torch.optim.SGD(trainable, lr=0.01)
    inputs, samples = _batch()
    for _ in range(2):
        losses = model(inputs, samples, mode='loss')
        assert {'decode.loss_ce', 'decode.loss_dice', 'distill.loss_kd', 'distill.loss_mimic',
                'distill.loss_topo_gt', 'distill.loss_topo_teacher'} <= set(losses)
        assert all(torch.isfinite(v).all() for v in losses.values())
        optim.zero_grad()
        total = sum(v for k, v in losses.items() if 'loss' in k)
        total.backward()
        assert all(p.grad is None for p in teacher.parameters())
        optim.step()
    for key, value in teacher.state_dict().items():  # weights and BN statistics
        assert torch.equal(value, teacher_before[key]), key
    changed = [k for k, v in model.student.state_dict().items()
               if not torch.equal(v, student_before[k])]
    assert any('encoder' in k for k in changed)
    assert losses['distill.loss_topo_gt'] > 0 and losses['distill.loss_topo_teacher'] > 0


def test_topo_loss_gradient_reaches_student_through_teacher_encoder(one_thread):
    model = MODELS.build(_model_cfg())
    model.train()
    inputs, samples = _batch()
    with records_seen_by_losses(model) as seen:
        model(inputs, samples, mode='loss')
    logits = seen.student['logits'].get().detach().requires_grad_()
    out = model.distiller.distill_losses['loss_topo'](logits, gt_seg=torch.stack(
        [s.gt_sem_seg.data[0] for s in samples]))
    out['gt'].backward()
    assert logits.grad.abs().sum() > 0


def test_plain_configurable_distiller_cannot_bind_the_teacher_encoder(one_thread):
    cfg = _model_cfg()
    cfg['distiller']['type'] = 'ConfigurableDistiller'
    model = MODELS.build(cfg)
    inputs, samples = _batch()
    with pytest.raises(DistillConfigError, match="type='TSKDDistiller'"):
        model(inputs, samples, mode='loss')


def test_unknown_teacher_or_module_of_the_feature_net():
    cfg = _model_cfg()
    cfg['distiller']['distill_losses']['loss_topo']['feature_net']['teacher'] = 'teachr'
    with pytest.raises(DistillConfigError, match="unknown teacher name 'teachr'"):
        MODELS.build(cfg)
    cfg = _model_cfg()
    cfg['distiller']['distill_losses']['loss_topo']['feature_net']['module'] = 'backbone.enc'
    with pytest.raises(DistillConfigError, match="'backbone.enc'.*backbone.encoder"):
        MODELS.build(cfg)


def _distiller(name):
    init_default_scope('mmkd_rs')
    # LinkNet-18 w32 student, D-LinkNet-34 teacher, every dataset and schedule
    paths = glob.glob(osp.join(REPO, 'configs/tskd', f'{name}_linknet-r18*_dlinknet*_*.py'))
    assert len(paths) >= 2, name
    paths = sorted(paths)
    distillers = [Config.fromfile(p).model.distiller.to_dict() for p in paths]
    for path, d in zip(paths, distillers):  # connectors take the student's width
        for connector in d.get('connectors', {}).values():
            width = 16 if '_linknet-r18w16_' in path else 32
            assert connector.pop('in_channels') == width, path
    for d in distillers:  # quick runs add a warm-up of exactly their losses
        schedules = d.pop('loss_weight_schedules', None)
        assert schedules is None or set(schedules) == set(d['distill_losses']), name
    assert all(d == distillers[0] for d in distillers), f'{name}: datasets differ in losses'
    return distillers[0]


def test_ablation_configs_keep_exactly_their_terms():
    full = _distiller('tskd')
    assert set(full['distill_losses']) == {'loss_kd', 'loss_mimic', 'loss_topo'}
    assert set(full['loss_forward_mappings']['loss_topo']) == {'preds_S', 'preds_T', 'gt_seg'}
    topo_gt = _distiller('tskd-topo-gt')
    assert set(topo_gt['distill_losses']) == {'loss_topo'}
    assert set(topo_gt['loss_forward_mappings']['loss_topo']) == {'preds_S', 'gt_seg'}
    topo_t = _distiller('tskd-topo-teacher')
    assert set(topo_t['loss_forward_mappings']['loss_topo']) == {'preds_S', 'preds_T'}
    assert set(_distiller('tskd-no-mimic')['distill_losses']) == {'loss_kd', 'loss_topo'}
    assert set(_distiller('tskd-no-topo')['distill_losses']) == {'loss_kd', 'loss_mimic'}
    topo = full['distill_losses']['loss_topo']
    assert (topo['depths'], topo['scales']) == ((0, 1, 2), (1.0, 0.5))
    single = _distiller('tskd-1depth-1scale')['distill_losses']['loss_topo']
    assert (single['depths'], single['scales']) == ((1, ), (1.0, ))
    assert set(single) == set(topo)  # no option added
    assert all(single[k] == topo[k] for k in set(topo) - {'depths', 'scales'})
