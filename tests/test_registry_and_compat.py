"""Registries, mmcv-lite compatibility and the module listing."""
import subprocess
import sys

import pytest

import mmkd_rs  # noqa: F401
from mmkd_rs import registry


def test_registries_are_children_of_mmseg():
    from mmseg import registry as mmseg_registry
    for name in ('MODELS', 'DATASETS', 'TRANSFORMS', 'METRICS', 'HOOKS', 'VISUALIZERS',
                 'OPTIM_WRAPPERS', 'MODEL_WRAPPERS', 'PARAM_SCHEDULERS', 'LOOPS'):
        ours = getattr(registry, name)
        assert ours.scope == 'mmkd_rs'
        assert ours.parent is getattr(mmseg_registry, name), name


def test_mmseg_and_own_modules_resolve_by_plain_name_in_scope():
    from mmengine.registry import DefaultScope
    from mmengine.registry import MODELS as ROOT_MODELS
    with DefaultScope.overwrite_default_scope('mmkd_rs'):
        with ROOT_MODELS.switch_scope_and_registry('mmkd_rs') as reg:
            assert reg is registry.MODELS
            # mmseg's modules by plain name (parents) ...
            assert reg.get('EncoderDecoder').__module__.startswith('mmseg.')
            assert reg.get('ResNetV1c').__module__.startswith('mmseg.')
            # ... and ours, imported lazily through `locations`.
            assert reg.get('TeacherStudentDistill').__module__.startswith('mmkd_rs.')
    assert registry.DATASETS.get('LEVIRCDDataset').__module__.startswith('mmkd_rs.')
    assert registry.METRICS.get('IoUMetric').__module__.startswith('mmseg.')


def test_mmseg_models_import_under_mmcv_lite_and_ops_fail_clearly():
    import mmcv

    from mmkd_rs.utils import mmcv_compat
    if not mmcv_compat.is_lite():
        pytest.skip('full mmcv with compiled ops is installed')
    import mmcv.ops
    import mmseg.models  # noqa: F401  (imports mmcv.ops names at module level)
    from mmseg.models.utils import point_sample  # noqa: F401
    with pytest.raises(mmcv_compat.MMCVOpsUnavailableError, match='needs? the full mmcv'):
        mmcv.ops.point_sample(None, None)
    with pytest.raises(mmcv_compat.MMCVOpsUnavailableError, match='sigmoid_focal_loss'):
        mmcv.ops.sigmoid_focal_loss(None, None)
    with pytest.raises(ImportError):
        from mmcv.ops.nms import nms  # noqa: F401  (submodules do not exist)


def test_list_modules_prints_the_groups():
    out = subprocess.run([sys.executable, 'tools/misc/list_modules.py'], capture_output=True,
                         text=True, check=True, cwd=mmkd_rs.__path__[0] + '/..').stdout
    for group, member in [('distillers', 'ConfigurableDistiller'),
                          ('distill losses', 'KDLoss'),
                          ('bi-temporal datasets', 'LEVIRCDDataset'),
                          ('distillation algorithms', 'TeacherStudentDistill'),
                          ('recorders', 'ModuleOutputs'),
                          ('replay operations', 'rot90')]:
        assert group in out and member in out, (group, member)
    assert 'EncoderDecoder' not in out  # mmseg's only with --mmseg
