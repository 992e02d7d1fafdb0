"""HFD-Net baselines: EO pre-training -> SAR fine-tuning loads all but the stem conv."""
import os.path as osp

import torch
from distill_testkit import use_scope
from mmengine.config import Config
from mmengine.runner.checkpoint import load_checkpoint

from mmkd_rs.registry import MODELS

use_scope()
REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TAIL = '1xb8-quick_synth-spacenet6'


def test_eo_checkpoint_loads_into_sar_student_except_the_stem_conv(tmp_path):
    cfg = Config.fromfile(osp.join(
        REPO, f'configs/hfd/fcn_r18-hfam-eo-pre_{TAIL}-sar-64x64.py'))
    teacher_cfg = Config.fromfile(osp.join(REPO, f'configs/hfd/fcn_r18-hfam_{TAIL}-eo-64x64.py'))
    assert cfg.load_from.endswith(f'fcn_r18-hfam_{TAIL}-eo-64x64/iter_300.pth')
    torch.manual_seed(0)
    teacher = MODELS.build(teacher_cfg.model)
    for p in teacher.parameters():  # distinct from any fresh initialisation
        p.data.normal_()
    ckpt = tmp_path / 'eo.pth'
    torch.save(dict(state_dict=teacher.state_dict()), ckpt)
    student = MODELS.build(cfg.model)
    stem_before = student.backbone.stem[0].weight.detach().clone()
    load_checkpoint(student, str(ckpt), map_location='cpu', strict=False)
    eo, sar = teacher.state_dict(), student.state_dict()
    mismatched = [k for k in sar if not torch.equal(sar[k], eo[k])]
    assert mismatched == ['backbone.stem.0.weight']
    assert eo['backbone.stem.0.weight'].shape[1] == 3
    assert sar['backbone.stem.0.weight'].shape[1] == 4
    assert torch.equal(student.backbone.stem[0].weight, stem_before)
