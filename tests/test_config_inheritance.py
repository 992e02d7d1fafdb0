"""How configs share their parts: distiller, teacher, dataset, model and schedule bases.

Reads the ``_base_`` lists as text (no config is executed except where a resolved
config is needed), so the structure documented in configs/README.md is checked
for every config, including those added later.
"""
import ast
import glob
import os.path as osp

import pytest
from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = osp.join(REPO, 'configs')
DISTILLERS = osp.join(CONFIGS, '_base_', 'distillers')
# methods whose distiller is the union of two bases
COMPOSED = {'frd': {'bfdd', 'ccrd'}}


def _direct_bases(path):
    """Absolute paths of the files in ``path``'s ``_base_`` list."""
    for node in ast.parse(open(path, encoding='utf-8').read()).body:
        if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == '_base_'):
            bases = ast.literal_eval(node.value)
            bases = [bases] if isinstance(bases, str) else bases
            return [osp.normpath(osp.join(osp.dirname(path), b)) for b in bases]
    return []


def _all_bases(path):
    """Every file ``path`` inherits from, transitively."""
    seen, todo = [], _direct_bases(path)
    while todo:
        base = todo.pop()
        if base not in seen:
            seen.append(base)
            todo += _direct_bases(base)
    return seen


def _rel(path):
    return osp.relpath(path, CONFIGS)


def _distillation_configs():
    """(path, method) of every config whose model is a TeacherStudentDistill."""
    found = []
    for path in sorted(glob.glob(osp.join(CONFIGS, '*', '*.py'))):
        if osp.basename(osp.dirname(path)) in ('_base_', '_templates_'):
            continue
        text = open(path, encoding='utf-8').read()
        if 'distiller' in text or any('/_base_/distillers/' in b for b in _all_bases(path)):
            method = osp.basename(path).split('_')[0].split('-')[0]
            found.append((path, method))
    return found


DISTILL = _distillation_configs()


def test_distillation_configs_were_found():
    # 10 baselines and 5 methods over three families: far more than 40 configs
    assert len(DISTILL) > 40


@pytest.mark.parametrize('path,method', DISTILL, ids=[_rel(p) for p, _ in DISTILL])
def test_distillation_config_inherits_its_method_distiller_base(path, method):
    names = {osp.splitext(osp.basename(b))[0] for b in _all_bases(path)
             if osp.dirname(b) == DISTILLERS}
    # <method>.py or a family variant <method>_<family>.py
    families = {n.split('_')[0] for n in names}
    assert COMPOSED.get(method, {method}) <= families, (
        f'{_rel(path)} inherits the distiller bases {sorted(names)}, '
        f'not configs/_base_/distillers/{method}.py')


def test_every_distiller_base_is_used_and_names_its_distiller_after_itself():
    bases = sorted(glob.glob(osp.join(DISTILLERS, '*.py')))
    used = {b for path, _ in DISTILL for b in _all_bases(path)}
    for base in bases:
        assert base in used, f'{_rel(base)} is inherited by no config'
        method = osp.basename(base)[:-3].split('_')[0]
        assert f'{method}_distiller = dict(' in open(base, encoding='utf-8').read() or \
            _direct_bases(base), f'{_rel(base)} does not define {method}_distiller'


@pytest.mark.parametrize('path', [p for p, _ in DISTILL if 'quick' in p],
                         ids=[_rel(p) for p, _ in DISTILL if 'quick' in p])
def test_popped_distiller_is_no_top_level_variable(path):
    """The distiller appears once, under model.distiller: no ``<method>_distiller``
    variable of the distiller bases survives in the resolved config (DisOptNet's
    predates the rule and is kept by its configs)."""
    cfg = Config.fromfile(path)
    left = [k for k in cfg.keys() if k.endswith('_distiller') and k != 'disoptnet_distiller']
    assert left == []
    assert cfg.model.type == 'TeacherStudentDistill'
    assert cfg.model.distiller.distill_losses


@pytest.mark.parametrize('path', [p for p, _ in DISTILL], ids=[_rel(p) for p, _ in DISTILL])
def test_top_level_teacher_is_the_one_the_model_loads(path):
    """``teacher_config`` / ``teacher_ckpt`` (a teacher base's variables, kept in the
    resolved config and its dump) name the teacher that ``model`` loads, not the
    teacher of a config this one was derived from."""
    cfg = Config.fromfile(path)
    if 'teacher_config' not in cfg or not isinstance(cfg.model.get('teacher'), str):
        return  # MTKD names its teachers through a format string
    assert (cfg.teacher_config, cfg.teacher_ckpt) == (cfg.model.teacher, cfg.model.teacher_ckpt)


def test_disoptnet_auxiliary_loss_is_the_network_loss():
    """The distiller's seg(aux, teacher argmax) uses the pair of losses of every
    DisOptNet output (written out in the distiller base, which cannot read the
    network base's ``seg_losses``)."""
    for rel in ('disoptnet/disoptnet_disoptnet-r50-d8_deeplabv3plus-r50-d8-eo4_1xb8-20k_'
                'spacenet6-sar-512x512.py',
                'disoptnet/disoptnet_disoptnet-r18-d16_deeplabv3plus-r18-d16-eo4_1xb8-quick_'
                'synth-spacenet6-sar-64x64.py'):
        cfg = Config.fromfile(osp.join(CONFIGS, rel))
        aux = cfg.model.distiller.distill_losses.loss_aux_seg.seg_losses
        student = cfg.model.student
        assert aux == cfg.seg_losses == student.loss_fuse == student.decode_head.loss_decode


def test_kd_distiller_is_the_same_in_every_family():
    """One definition: change detection, roads and EO -> SAR read the same KD terms."""
    paths = ['kd/kd_siam-r18w32_siam-r50w32_1xb4-quick_synth-levir-cd-128x128.py',
             'tskd/kd_linknet-r18w32_dlinknet-r34_1xb4-quick_synth-roads-64x64.py',
             'hfd/kd_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_synth-spacenet6-sar-64x64.py']
    kd = Config.fromfile(osp.join(DISTILLERS, 'kd.py')).kd_distiller.to_dict()
    for rel in paths:
        distiller = Config.fromfile(osp.join(CONFIGS, rel)).model.distiller.to_dict()
        distiller.pop('loss_weight_schedules', None)  # the quick road warm-up
        distiller.pop('_delete_', None)
        assert distiller == kd, rel


@pytest.mark.parametrize('child,parent', [
    ('_base_/datasets/cdd.py', '_base_/datasets/levir_cd.py'),
    ('_base_/datasets/s2looking.py', '_base_/datasets/levir_cd.py'),
    ('_base_/datasets/whu_cd.py', '_base_/datasets/levir_cd.py'),
    ('_base_/datasets/dsifn_cd.py', '_base_/datasets/levir_cd.py'),
    ('_base_/datasets/massachusetts_roads.py', '_base_/datasets/deepglobe_roads.py'),
    ('_base_/datasets/spacenet3_roads.py', '_base_/datasets/deepglobe_roads.py'),
    ('_base_/models/siam_r18w32-fpn.py', '_base_/models/siam_r50-fpn.py'),
    ('_base_/models/linknet_r18.py', '_base_/models/dlinknet34.py'),
    ('_base_/models/disoptnet_r18-d16.py', '_base_/models/disoptnet_r50-d8.py'),
    ('_base_/schedules/schedule_40k.py', '_base_/schedules/schedule_20k.py'),
    ('_base_/schedules/schedule_80k.py', '_base_/schedules/schedule_20k.py'),
    ('_base_/default_runtime_changedet.py', '_base_/default_runtime.py'),
    ('_base_/default_runtime_roads.py', '_base_/default_runtime.py'),
    ('_base_/default_runtime_sar_eo.py', '_base_/default_runtime.py'),
])
def test_variant_bases_inherit_instead_of_copying(child, parent):
    assert osp.join(CONFIGS, parent) in _direct_bases(osp.join(CONFIGS, child))


def test_dataset_variants_keep_their_own_layout():
    """The inherited LEVIR-CD loaders, with each dataset's folders and label format."""
    cdd = Config.fromfile(osp.join(CONFIGS, '_base_/datasets/cdd.py'))
    s2l = Config.fromfile(osp.join(CONFIGS, '_base_/datasets/s2looking.py'))
    assert cdd.test_dataloader.dataset.data_prefix == dict(
        img_path='test/A', img_path2='test/B', seg_map_path='test/OUT')
    assert [t.get('label_format') for t in cdd.train_pipeline
            if t.type == 'LoadBiTemporalAnnotations'] == ['0-255-lossy']
    assert cdd.train_dataloader.num_workers == 4
    assert s2l.val_dataloader.dataset.data_prefix == dict(
        img_path='val/Image1', img_path2='val/Image2', seg_map_path='val/label')
    assert s2l.train_dataloader.dataset.type == 'S2LookingDataset'
    assert s2l.train_pipeline[1].label_format == 'auto'
