"""PairedModalityDataPreProcessor: own statistics per modality."""
import pytest
import torch
from mmseg.structures import SegDataSample
from mmengine.structures import PixelData

from mmkd_rs.models.data_preprocessors import PairedModalityDataPreProcessor


def _batch(sizes, cs=4, ct=3, teacher=True):
    data = dict(inputs=[torch.full((cs, h, w), 10.0) for h, w in sizes],
                data_samples=[SegDataSample(gt_sem_seg=PixelData(
                    data=torch.zeros(1, h, w, dtype=torch.long)))
                    for h, w in sizes])
    if teacher:
        data['teacher_inputs'] = [torch.full((ct, h, w), 100, dtype=torch.uint8)
                                  for h, w in sizes]
    return data


def test_each_modality_normalised_with_its_stats_and_padded():
    pre = PairedModalityDataPreProcessor(
        mean=[10.0] * 4, std=[2.0] * 4, teacher_mean=[50.0, 60.0, 70.0],
        teacher_std=[10.0, 20.0, 30.0], size_divisor=8, teacher_pad_val=-1)
    out = pre(_batch([(6, 6), (8, 5)]), training=True)
    assert out['inputs'].shape == (2, 4, 8, 8)
    assert out['teacher_inputs'].shape == (2, 3, 8, 8)
    assert out['inputs'][0, :, :6, :6].abs().max() == 0
    t = out['teacher_inputs'][0, :, 0, 0]
    assert t.tolist() == pytest.approx([5.0, 2.0, 30 / 30])
    assert out['teacher_inputs'][1, 0, :, 5:].eq(-1).all()
    assert out['data_samples'][1].gt_sem_seg.data.shape[-2:] == (8, 8)


def test_no_teacher_key_when_absent_and_test_mode():
    pre = PairedModalityDataPreProcessor(mean=[0.0] * 4, std=[1.0] * 4)
    out = pre(_batch([(4, 4)], teacher=False), training=False)
    assert 'teacher_inputs' not in out and out['inputs'].shape == (1, 4, 4, 4)


def test_channel_and_size_mismatches_raise():
    pre = PairedModalityDataPreProcessor(
        mean=[0.0] * 4, std=[1.0] * 4, teacher_mean=[0.0] * 4,
        teacher_std=[1.0] * 4, size_divisor=1)
    with pytest.raises(ValueError, match=r'teacher_inputs\[0\] has 3 chan'):
        pre(_batch([(4, 4)]), training=True)
    with pytest.raises(ValueError, match=r'inputs\[0\] has 2 chan'):
        pre(_batch([(4, 4)], cs=2, teacher=False), training=True)
    pre = PairedModalityDataPreProcessor(mean=[0.0] * 4, std=[1.0] * 4,
                                         size_divisor=1)
    data = _batch([(4, 4)])
    data['teacher_inputs'] = [torch.zeros(3, 5, 4)]
    with pytest.raises(ValueError, match='share the pixel grid'):
        pre(data, training=True)
