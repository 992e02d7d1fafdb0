"""Tiny mmseg models, batches and KD configs shared by the distillation tests."""
import copy
import types
from contextlib import contextmanager

import torch
from mmengine.registry import DefaultScope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

import mmkd_rs  # noqa: F401  (mmcv-lite glue before mmseg models)
import mmkd_rs.distill  # noqa: F401

BN = dict(type='BN', requires_grad=True)


def use_scope():
    """Make ``mmkd_rs`` the default registry scope (as configs do)."""
    if not DefaultScope.check_instance_created('mmkd_rs_tests'):
        DefaultScope.get_instance('mmkd_rs_tests', scope_name='mmkd_rs')


def tiny_segmentor(width=8, num_classes=2, in_channels=3, size=32):
    """A ResNetV1c-18 (``width`` base channels) + FCNHead EncoderDecoder."""
    return dict(
        type='EncoderDecoder',
        data_preprocessor=dict(type='SegDataPreProcessor', mean=[0.0] * in_channels,
                               std=[1.0] * in_channels, size=(size, size), pad_val=0,
                               seg_pad_val=255),
        backbone=dict(type='ResNetV1c', depth=18, in_channels=in_channels,
                      stem_channels=width, base_channels=width, num_stages=4,
                      out_indices=(0, 1, 2, 3), dilations=(1, 1, 1, 1),
                      strides=(1, 1, 2, 1), norm_cfg=BN, contract_dilation=True),
        decode_head=dict(type='FCNHead', in_channels=8 * width, in_index=3, channels=16,
                         num_convs=1, concat_input=False, dropout_ratio=0.0,
                         num_classes=num_classes, norm_cfg=BN, align_corners=False,
                         loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0)),
        train_cfg=dict(), test_cfg=dict(mode='whole'))


def kd_distiller(temperature=2.0, loss_name='loss_kd'):
    """Logit KD on the FCN classifier output."""
    return dict(
        type='ConfigurableDistiller',
        student_recorders=dict(logits=dict(type='ModuleOutputs', source='decode_head.conv_seg')),
        teacher_recorders=dict(logits=dict(type='ModuleOutputs', source='decode_head.conv_seg')),
        distill_losses={loss_name: dict(type='KDLoss', temperature=temperature)},
        loss_forward_mappings={loss_name: dict(
            preds_S=dict(from_student=True, recorder='logits'),
            preds_T=dict(from_student=False, recorder='logits'))})


def kd_model_cfg(**overrides):
    cfg = dict(type='TeacherStudentDistill', student=tiny_segmentor(8),
               teacher=tiny_segmentor(16), distiller=kd_distiller(),
               allow_random_teacher=True)
    cfg.update(overrides)
    return copy.deepcopy(cfg)


def batch(n=2, size=32, channels=3, seed=0, teacher_channels=None):
    """A raw data batch as a dataloader gives it (uint8 images, labels 0/1/255)."""
    g = torch.Generator().manual_seed(seed)
    inputs, samples, teacher_inputs = [], [], []
    for _ in range(n):
        inputs.append(torch.randint(0, 255, (channels, size, size), generator=g,
                                    dtype=torch.uint8))
        if teacher_channels:
            teacher_inputs.append(torch.randint(0, 255, (teacher_channels, size, size),
                                                generator=g, dtype=torch.uint8).float())
        label = torch.randint(0, 2, (1, size, size), generator=g)
        label[:, :2] = 255
        sample = SegDataSample(metainfo=dict(img_shape=(size, size), ori_shape=(size, size),
                                             pad_shape=(size, size)))
        sample.gt_sem_seg = PixelData(data=label)
        samples.append(sample)
    data = dict(inputs=inputs, data_samples=samples)
    if teacher_channels:
        data['teacher_inputs'] = teacher_inputs
    return data


def _copy_group(group):
    from mmkd_rs.distill.recorders import RecorderGroup
    recorders = {}
    for name, rec in group.recorders.items():
        recorders[name] = copy.copy(rec)
        recorders[name].data = list(rec.data)
    return RecorderGroup(recorders)


@contextmanager
def records_seen_by_losses(model):
    """What the recorders of ``model`` (a ``TeacherStudentDistill``) hold when
    its distill losses are computed; the algorithm drops them right after.

    Yields a namespace filled by each ``mode='loss'`` forward: ``student``
    (a ``RecorderGroup`` copy) and ``teachers`` (``name -> RecorderGroup``).
    """
    distiller = model.distiller
    seen = types.SimpleNamespace(student=None, teachers={})
    compute = distiller.compute_losses

    def snapshot_then_compute(*args, **kwargs):
        seen.student = _copy_group(distiller.student_group)
        seen.teachers = {n: _copy_group(g) for n, g in distiller.teacher_groups.items()}
        return compute(*args, **kwargs)

    distiller.compute_losses = snapshot_then_compute
    try:
        yield seen
    finally:
        del distiller.compute_losses


class TinySegData(torch.utils.data.Dataset):
    """``n`` samples of :func:`batch` (``seed``) as an mmengine dataset."""
    metainfo = dict(classes=('background', 'change'), palette=[[0, 0, 0], [255, 255, 255]])

    def __init__(self, n=4, seed=3):
        raw = batch(n=n, seed=seed)
        self.items = [dict(inputs=i, data_samples=s)
                      for i, s in zip(raw['inputs'], raw['data_samples'])]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, idx):
        return self.items[idx]


# Each family's distillation setup, by the tail of a method config's name: (the config
# the method config inherits its student, data and evaluation from, the teacher config
# without `.py`, the teacher's iterations). The EO -> SAR method configs take the HFD-Net
# config of the same size with another distiller (teacher None: the model is compared
# with HFD-Net's, apart from the distiller).
FAMILY_SETUPS = {
    '_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py': (
        'configs/changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py',
        'configs/changedet/siam_r50-fpn_1xb8-20k_levir-cd-256x256', 20000),
    '_siam-r18w32_siam-r50w32_1xb4-quick_synth-levir-cd-128x128.py': (
        'configs/changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py',
        'configs/changedet/siam_r50w32-fpn_1xb4-quick_synth-levir-cd-128x128', 300),
    '_linknet-r18w32_dlinknet-r34_4xb4-40k_deepglobe-512x512.py': (
        'configs/tskd/linknet_r18w32_4xb4-40k_deepglobe-512x512.py',
        'configs/tskd/dlinknet_r34_4xb4-40k_deepglobe-512x512', 40000),
    '_linknet-r18w32_dlinknet-r34_1xb4-quick_synth-roads-64x64.py': (
        'configs/tskd/linknet_r18w32_1xb4-quick_synth-roads-64x64.py',
        'configs/tskd/dlinknet_r34_1xb4-quick_synth-roads-64x64', 300),
    '_linknet-r18w16_dlinknet-r34_1xb4-quick_synth-roads-64x64.py': (
        'configs/tskd/linknet_r18w16_1xb4-quick_synth-roads-64x64.py',
        'configs/tskd/dlinknet_r34_1xb4-quick_synth-roads-64x64', 300),
    '_fcn-r50-hfam_fcn-r50-hfam-eo_1xb8-20k_spacenet6-sar-512x512.py': (
        'configs/hfd/hfd_fcn-r50-hfam_fcn-r50-hfam-eo_1xb8-20k_spacenet6-sar-512x512.py',
        None, None),
    '_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py': (
        'configs/hfd/hfd_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py',
        None, None),
}


def assert_family_setup(path):
    """The method config at ``path`` (relative to the repository root, the working
    directory) keeps its family's student, teacher, checkpoint, data and evaluation and
    changes only the distiller; returns the loaded config."""
    import os

    from mmengine.config import Config
    tails = [t for t in FAMILY_SETUPS if os.path.basename(path).endswith(t)]
    assert len(tails) == 1, f'{path}: no family in FAMILY_SETUPS'
    base_path, teacher, iters = FAMILY_SETUPS[tails[0]]
    cfg, base = Config.fromfile(path), Config.fromfile(base_path)
    assert cfg.model.type == 'TeacherStudentDistill'
    assert cfg.train_dataloader == base.train_dataloader
    assert cfg.val_evaluator == base.val_evaluator
    if teacher is None:
        assert {k: v for k, v in cfg.model.items() if k != 'distiller'} == \
            {k: v for k, v in base.model.items() if k != 'distiller'}
    else:
        assert cfg.model.student == base.model
        assert cfg.model.teacher == f'{teacher}.py'
        assert cfg.model.teacher_ckpt == \
            f'work_dirs/{os.path.basename(teacher)}/iter_{iters}.pth'
    assert os.path.isfile(cfg.model.teacher)
    return cfg
