"""Registries of mmkd_rs.

Every registry here is a child of mmsegmentation's registry of the same kind
(itself a child of mmengine's), so with ``default_scope = 'mmkd_rs'`` a config
can name our modules *and* every mmseg / mmengine module by its plain name.
``locations`` makes the registries import their modules lazily: configs build
without manual imports.

The suite's own groups live in these registries too and are listed, grouped,
by ``python tools/misc/list_modules.py``:

==========================  ============  ==================================
group                       registry      package
==========================  ============  ==================================
distillation algorithms     MODELS        ``mmkd_rs.distill.algorithms``
distillers                  DISTILLERS    ``mmkd_rs.distill.distillers``
distill losses              MODELS        ``mmkd_rs.distill.losses``
connectors                  MODELS        ``mmkd_rs.distill.connectors``
topology/connectivity heads MODELS        ``mmkd_rs.models.heads``
alignment necks (SAR/EO)    MODELS        ``mmkd_rs.models.necks``
recorders                   TASK_UTILS    ``mmkd_rs.distill.recorders``
bi-temporal datasets        DATASETS      ``mmkd_rs.datasets``
replay operations           REPLAY_OPS    ``mmkd_rs.datasets.transforms.replay``
==========================  ============  ==================================

Recorders live in ``TASK_UTILS`` as in MMRazor; ``REPLAY_OPS`` holds the
tensor operations the teacher-output cache re-applies recorded draws with.
A plugin package registers into any of them and is loaded by a config's
``custom_imports`` (see ``docs/extending.md``).
"""
from mmengine.registry import Registry
from mmseg.registry import DATA_SAMPLERS as MMSEG_DATA_SAMPLERS
from mmseg.registry import DATASETS as MMSEG_DATASETS
from mmseg.registry import EVALUATOR as MMSEG_EVALUATOR
from mmseg.registry import HOOKS as MMSEG_HOOKS
from mmseg.registry import INFERENCERS as MMSEG_INFERENCERS
from mmseg.registry import LOG_PROCESSORS as MMSEG_LOG_PROCESSORS
from mmseg.registry import LOOPS as MMSEG_LOOPS
from mmseg.registry import METRICS as MMSEG_METRICS
from mmseg.registry import MODEL_WRAPPERS as MMSEG_MODEL_WRAPPERS
from mmseg.registry import MODELS as MMSEG_MODELS
from mmseg.registry import OPTIM_WRAPPER_CONSTRUCTORS as MMSEG_OPTIM_WRAPPER_CONSTRUCTORS
from mmseg.registry import OPTIM_WRAPPERS as MMSEG_OPTIM_WRAPPERS
from mmseg.registry import OPTIMIZERS as MMSEG_OPTIMIZERS
from mmseg.registry import PARAM_SCHEDULERS as MMSEG_PARAM_SCHEDULERS
from mmseg.registry import RUNNER_CONSTRUCTORS as MMSEG_RUNNER_CONSTRUCTORS
from mmseg.registry import RUNNERS as MMSEG_RUNNERS
from mmseg.registry import TASK_UTILS as MMSEG_TASK_UTILS
from mmseg.registry import TRANSFORMS as MMSEG_TRANSFORMS
from mmseg.registry import VISBACKENDS as MMSEG_VISBACKENDS
from mmseg.registry import VISUALIZERS as MMSEG_VISUALIZERS
from mmseg.registry import WEIGHT_INITIALIZERS as MMSEG_WEIGHT_INITIALIZERS

# Parents only search their own ``_module_dict`` (not their locations), so
# each child also lists mmseg's locations to keep mmseg's modules reachable.
_MODEL_LOCS = ['mmseg.models', 'mmkd_rs.models', 'mmkd_rs.distill']

RUNNERS = Registry('runner', parent=MMSEG_RUNNERS, scope='mmkd_rs')
RUNNER_CONSTRUCTORS = Registry(
    'runner constructor', parent=MMSEG_RUNNER_CONSTRUCTORS, scope='mmkd_rs')
LOOPS = Registry('loop', parent=MMSEG_LOOPS, scope='mmkd_rs',
                 locations=['mmkd_rs.engine'])
HOOKS = Registry('hook', parent=MMSEG_HOOKS, scope='mmkd_rs',
                 locations=['mmseg.engine.hooks', 'mmkd_rs.engine', 'mmkd_rs.distill'])

DATASETS = Registry('dataset', parent=MMSEG_DATASETS, scope='mmkd_rs',
                    locations=['mmseg.datasets', 'mmkd_rs.datasets'])
DATA_SAMPLERS = Registry('data sampler', parent=MMSEG_DATA_SAMPLERS, scope='mmkd_rs')
TRANSFORMS = Registry('transform', parent=MMSEG_TRANSFORMS, scope='mmkd_rs',
                      locations=['mmseg.datasets.transforms', 'mmkd_rs.datasets.transforms'])

MODELS = Registry('model', parent=MMSEG_MODELS, scope='mmkd_rs', locations=_MODEL_LOCS)
MODEL_WRAPPERS = Registry('model_wrapper', parent=MMSEG_MODEL_WRAPPERS, scope='mmkd_rs',
                          locations=_MODEL_LOCS + ['mmkd_rs.engine'])
WEIGHT_INITIALIZERS = Registry('weight initializer', parent=MMSEG_WEIGHT_INITIALIZERS,
                               scope='mmkd_rs', locations=_MODEL_LOCS)

OPTIMIZERS = Registry('optimizer', parent=MMSEG_OPTIMIZERS, scope='mmkd_rs',
                      locations=['mmseg.engine.optimizers'])
OPTIM_WRAPPERS = Registry('optim_wrapper', parent=MMSEG_OPTIM_WRAPPERS, scope='mmkd_rs',
                          locations=['mmseg.engine.optimizers', 'mmkd_rs.engine'])
OPTIM_WRAPPER_CONSTRUCTORS = Registry(
    'optimizer wrapper constructor', parent=MMSEG_OPTIM_WRAPPER_CONSTRUCTORS,
    scope='mmkd_rs', locations=['mmseg.engine.optimizers'])
PARAM_SCHEDULERS = Registry('parameter scheduler', parent=MMSEG_PARAM_SCHEDULERS,
                            scope='mmkd_rs', locations=['mmseg.engine.schedulers'])

METRICS = Registry('metric', parent=MMSEG_METRICS, scope='mmkd_rs',
                   locations=['mmseg.evaluation', 'mmkd_rs.evaluation.metrics'])
EVALUATOR = Registry('evaluator', parent=MMSEG_EVALUATOR, scope='mmkd_rs',
                     locations=['mmseg.evaluation', 'mmkd_rs.evaluation.metrics'])
TASK_UTILS = Registry('task util', parent=MMSEG_TASK_UTILS, scope='mmkd_rs',
                      locations=['mmseg.models', 'mmkd_rs.distill.recorders'])

VISUALIZERS = Registry('visualizer', parent=MMSEG_VISUALIZERS, scope='mmkd_rs',
                       locations=['mmseg.visualization', 'mmkd_rs.visualization'])
VISBACKENDS = Registry('vis_backend', parent=MMSEG_VISBACKENDS, scope='mmkd_rs',
                       locations=['mmseg.visualization'])
LOG_PROCESSORS = Registry('log_processor', parent=MMSEG_LOG_PROCESSORS, scope='mmkd_rs',
                          locations=['mmseg.visualization'])
INFERENCERS = Registry('inferencer', parent=MMSEG_INFERENCERS, scope='mmkd_rs',
                       locations=['mmseg.apis'])

# Distillers own recorders, connectors and distill losses of one method; they
# are built by the distillation algorithm, never by the runner directly.
DISTILLERS = Registry('distiller', scope='mmkd_rs', locations=['mmkd_rs.distill.distillers'])

# Operations re-applying a transform's recorded draw (``replay_op``) to a
# teacher output, by name: 'crop', 'flip', 'rot90', and what plugins add.
REPLAY_OPS = Registry('replay op', scope='mmkd_rs',
                      locations=['mmkd_rs.datasets.transforms.replay'])
