"""Siamese change segmentor, bi-temporal fusion neck and data preprocessor."""
import pytest
import torch
from mmengine.config import ConfigDict
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmkd_rs.registry import MODELS

NORM = dict(type='BN', requires_grad=True)


@pytest.fixture(autouse=True)
def _scope():
    init_default_scope('mmkd_rs')


def _tiny_segmentor(policy='abs_diff', test_cfg=dict(mode='whole'), channels=(3, 3)):
    widths = [8, 16, 32, 64]
    return MODELS.build(dict(
        type='SiameseChangeSegmentor',
        in_channels_per_date=channels,
        data_preprocessor=dict(type='BiTemporalDataPreProcessor', mean=[[0.] * channels[0]] * 2,
                               std=[[1.] * channels[0]] * 2, size_divisor=32),
        backbone=dict(type='ResNetV1c', depth=18, base_channels=8, stem_channels=8,
                      in_channels=channels[0], norm_cfg=NORM),
        fusion_neck=dict(type='BiTemporalFusionNeck', in_channels=widths, policy=policy,
                         out_channels=16 if policy != 'abs_diff' else None),
        neck=dict(type='FPN', in_channels=[16] * 4 if policy != 'abs_diff' else widths,
                  out_channels=16, num_outs=4),
        decode_head=dict(type='FPNHead', in_channels=[16] * 4, in_index=[0, 1, 2, 3],
                         feature_strides=[4, 8, 16, 32], channels=16, num_classes=2,
                         norm_cfg=NORM, align_corners=False,
                         loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0)),
        train_cfg=dict(), test_cfg=ConfigDict(test_cfg)))


def _batch(n=2, h=64, w=64, channels=(3, 3)):
    torch.manual_seed(0)
    samples = []
    for _ in range(n):
        sample = SegDataSample(metainfo=dict(img_shape=(h, w), ori_shape=(h, w),
                                             channels_per_date=channels))
        sample.gt_sem_seg = PixelData(data=torch.randint(0, 2, (1, h, w)))
        samples.append(sample)
    inputs = [torch.randint(0, 255, (sum(channels), h, w), dtype=torch.uint8) for _ in range(n)]
    return dict(inputs=inputs, data_samples=samples)


def test_preprocessor_normalises_each_date_with_its_own_stats():
    pre = MODELS.build(dict(type='BiTemporalDataPreProcessor', mean=[[10., 20., 30.], [1.]],
                            std=[[2., 4., 5.], [0.5]], size_divisor=8))
    image = torch.tensor([12., 28., 40., 3.]).view(4, 1, 1).expand(4, 6, 5).clone()
    sample = SegDataSample(metainfo=dict(channels_per_date=(3, 1)))
    sample.gt_sem_seg = PixelData(data=torch.zeros(1, 6, 5, dtype=torch.long))
    out = pre(dict(inputs=[image], data_samples=[sample]), training=True)
    assert out['inputs'].shape == (1, 4, 8, 8)  # padded to the size divisor
    assert out['inputs'][0, :, 0, 0].tolist() == [1.0, 2.0, 2.0, 4.0]
    assert (out['inputs'][0, :, 6:, :] == 0).all()
    assert (out['data_samples'][0].gt_sem_seg.data[:, 6:, :] == 255).all()


def test_preprocessor_rejects_mismatched_bands():
    pre = MODELS.build(dict(type='BiTemporalDataPreProcessor', mean=[[0.] * 3] * 2,
                            std=[[1.] * 3] * 2))
    with pytest.raises(ValueError, match='5 input channels'):
        pre(dict(inputs=[torch.zeros(5, 4, 4)], data_samples=[SegDataSample()]))
    sample = SegDataSample(metainfo=dict(channels_per_date=(4, 2), img_path='x.png'))
    with pytest.raises(ValueError, match=r'x.png: channels_per_date \(4, 2\)'):
        pre(dict(inputs=[torch.zeros(6, 4, 4)], data_samples=[sample]))
    with pytest.raises(ValueError, match='per-band values of date A'):
        MODELS.build(dict(type='BiTemporalDataPreProcessor', mean=[0, 0, 0], std=[1, 1, 1]))


@pytest.mark.parametrize('policy, factor', [('abs_diff', 1), ('concat', 2), ('concat_diff', 3)])
def test_fusion_neck_policies(policy, factor):
    neck = MODELS.build(dict(type='BiTemporalFusionNeck', in_channels=[2, 4], policy=policy))
    feats = (torch.randn(6, 2, 8, 8), torch.randn(6, 4, 4, 4))
    outs = neck(feats)
    assert [o.shape for o in outs] == [(3, 2 * factor, 8, 8), (3, 4 * factor, 4, 4)]
    assert neck.out_channels == [2 * factor, 4 * factor]
    a, b = feats[1][:3], feats[1][3:]
    if policy != 'concat':
        assert torch.equal(outs[1][:, -4:], (a - b).abs())
    if policy != 'abs_diff':
        assert torch.equal(outs[1][:, :4], a) and torch.equal(outs[1][:, 4:8], b)


def test_fusion_neck_projection_and_errors():
    neck = MODELS.build(dict(type='BiTemporalFusionNeck', in_channels=[2, 4],
                             policy='concat', out_channels=[5, 6]))
    outs = neck((torch.randn(2, 2, 8, 8), torch.randn(2, 4, 4, 4)))
    assert [o.shape[1] for o in outs] == [5, 6]
    with pytest.raises(ValueError, match=r'expected \[2B, 2, h, w\]'):
        neck((torch.randn(3, 2, 8, 8), torch.randn(2, 4, 4, 4)))
    with pytest.raises(ValueError, match='policy'):
        MODELS.build(dict(type='BiTemporalFusionNeck', in_channels=[2], policy='sum'))


def test_encoder_runs_once_on_dates_stacked_on_batch_axis():
    model = _tiny_segmentor().eval()
    calls = []
    model.backbone.register_forward_hook(lambda m, i, o: calls.append(i[0].shape))
    inputs = torch.randn(2, 6, 64, 64)
    with torch.no_grad():
        feats = model.extract_bitemporal_feat(inputs)
        alone_a = model.backbone(inputs[:, :3])
        alone_b = model.backbone(inputs[:, 3:])
    assert calls[0] == (4, 3, 64, 64)
    assert all(f.shape[0] == 4 for f in feats)
    assert torch.allclose(feats[-1][:2], alone_a[-1], atol=1e-5)
    assert torch.allclose(feats[-1][2:], alone_b[-1], atol=1e-5)


def test_loss_backward_reaches_the_shared_encoder():
    model = _tiny_segmentor(policy='concat_diff').train()
    data = model.data_preprocessor(_batch(), training=True)
    losses = model(**data, mode='loss')
    assert set(losses) >= {'decode.loss_ce', 'decode.acc_seg'}
    losses['decode.loss_ce'].backward()
    assert model.backbone.stem[0].weight.grad.abs().sum() > 0
    assert model.fusion_neck.projections[0].conv.weight.grad.abs().sum() > 0


def test_abs_diff_model_is_symmetric_in_the_dates():
    model = _tiny_segmentor().eval()
    inputs = torch.randn(1, 6, 64, 64)
    swapped = torch.cat([inputs[:, 3:], inputs[:, :3]], dim=1)
    with torch.no_grad():
        assert torch.allclose(model(inputs, mode='tensor'), model(swapped, mode='tensor'),
                              atol=1e-5)


def test_slide_inference_predicts_whole_tile():
    model = _tiny_segmentor(test_cfg=dict(mode='slide', crop_size=(32, 32),
                                          stride=(32, 32))).eval()
    data = model.data_preprocessor(_batch(n=1, h=64, w=96), training=False)
    with torch.no_grad():
        results = model(**data, mode='predict')
    assert results[0].pred_sem_seg.data.shape == (1, 64, 96)
    assert results[0].seg_logits.data.shape == (2, 64, 96)
    assert set(results[0].pred_sem_seg.data.unique().tolist()) <= {0, 1}


def test_channel_errors():
    with pytest.raises(ValueError, match=r'must be \(C, C\)'):
        _tiny_segmentor(channels=(3, 4))
    model = _tiny_segmentor()
    with pytest.raises(ValueError, match=r'expected inputs \[B, 6, H, W\]'):
        model(torch.randn(1, 4, 32, 32), mode='tensor')
