"""What the suite registers, grouped by role (used by tools/misc/list_modules.py)."""
from collections import OrderedDict

__all__ = ['GROUPS', 'registered_modules']

# (group title, registry attribute in mmkd_rs.registry, module prefix)
GROUPS = [
    ('distillation algorithms', 'MODELS', 'mmkd_rs.distill.algorithms'),
    ('distillers', 'DISTILLERS', 'mmkd_rs.distill'),
    ('distill losses', 'MODELS', 'mmkd_rs.distill.losses'),
    ('connectors', 'MODELS', 'mmkd_rs.distill.connectors'),
    ('recorders', 'TASK_UTILS', 'mmkd_rs.distill.recorders'),
    ('distillation hooks', 'HOOKS', 'mmkd_rs.distill'),
    ('topology / connectivity heads', 'MODELS', 'mmkd_rs.models.heads'),
    ('heterogeneous alignment necks (SAR/EO) and fusion necks', 'MODELS', 'mmkd_rs.models.necks'),
    ('segmentors', 'MODELS', 'mmkd_rs.models.segmentors'),
    ('backbones', 'MODELS', 'mmkd_rs.models.backbones'),
    ('task losses', 'MODELS', 'mmkd_rs.models.losses'),
    ('data preprocessors', 'MODELS', 'mmkd_rs.models.data_preprocessors'),
    ('bi-temporal datasets', 'DATASETS', 'mmkd_rs.datasets.change'),
    ('road datasets', 'DATASETS', 'mmkd_rs.datasets.roads'),
    ('paired SAR/EO datasets', 'DATASETS', 'mmkd_rs.datasets.sar_optical'),
    ('other datasets', 'DATASETS', 'mmkd_rs.datasets'),
    ('transforms', 'TRANSFORMS', 'mmkd_rs.datasets.transforms'),
    ('replay operations (teacher-output cache)', 'REPLAY_OPS', 'mmkd_rs.datasets.transforms'),
    ('metrics', 'METRICS', 'mmkd_rs.evaluation'),
    ('visualizers', 'VISUALIZERS', 'mmkd_rs.visualization'),
    ('hooks', 'HOOKS', 'mmkd_rs.engine'),
    ('optimizer wrappers', 'OPTIM_WRAPPERS', 'mmkd_rs.engine'),
    ('model wrappers', 'MODEL_WRAPPERS', 'mmkd_rs.engine'),
]


def registered_modules(include_mmseg: bool = False) -> 'OrderedDict[str, list]':
    """Map group title -> sorted list of ``(name, defining module)``.

    Each registered class appears in the first group whose registry and
    module prefix match. With ``include_mmseg`` the parent (mmseg) registries'
    entries are listed too, under ``mmseg <registry name>``.
    """
    from mmkd_rs import registry
    seen, groups = set(), OrderedDict()
    for title, attr, prefix in GROUPS:
        reg = getattr(registry, attr)
        reg.import_from_location()
        rows = []
        for name, obj in reg.module_dict.items():
            module = getattr(obj, '__module__', '')
            if (attr, name) not in seen and module.startswith(prefix):
                seen.add((attr, name))
                rows.append((name, module))
        if rows:
            groups[title] = sorted(rows)
    if include_mmseg:
        for attr in ('MODELS', 'DATASETS', 'TRANSFORMS', 'METRICS', 'HOOKS', 'VISUALIZERS'):
            parent = getattr(registry, attr).parent
            rows = sorted((n, getattr(o, '__module__', '')) for n, o in parent.module_dict.items())
            groups[f'mmseg {parent.name}'] = rows
    return groups
