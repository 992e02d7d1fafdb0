"""``TeacherStudentDistill``: a student segmentor trained against frozen teachers."""
from typing import Dict, List, Optional, Union

import torch
from mmengine.model import BaseModel
from torch import Tensor, nn

from mmkd_rs.engine.rng_state_hook import rng_untouched
from mmkd_rs.registry import DISTILLERS, MODELS

from ..teacher import build_teacher, resolve_model_cfg
from ..teacher_cache import TeacherOutputCache
from ..wiring import DistillConfigError, check_name

STUDENT_PREFIX = 'student.'
TEACHER_PREFIX = 'teachers.'
_TEACHER_INPUTS = ('auto', 'student')


def normalise_teachers(teacher, teacher_ckpt, teachers) -> Dict[str, dict]:
    """One spec per teacher: ``name -> dict(cfg, ckpt, weight, inputs)``."""
    if (teacher is None) == (teachers is None):
        raise DistillConfigError('TeacherStudentDistill: give exactly one of `teacher` '
                                 '(+ `teacher_ckpt`) or `teachers=dict(name=dict(cfg=..., '
                                 'ckpt=..., weight=...))`.')
    if teacher is not None:
        if isinstance(teacher, dict) and 'cfg' in teacher and 'type' not in teacher:
            spec = dict(teacher)
            if teacher_ckpt is not None:
                spec['ckpt'] = teacher_ckpt
        else:
            spec = dict(cfg=teacher, ckpt=teacher_ckpt)
        teachers = dict(teacher=spec)
    if not isinstance(teachers, dict):
        raise DistillConfigError('TeacherStudentDistill: `teachers` must be a dict '
                                 'name -> dict(cfg=..., ckpt=..., weight=...), got '
                                 f'{type(teachers).__name__}: {teachers!r}')
    specs = {}
    for name, spec in teachers.items():
        where = f'teachers[{name!r}]'
        if not isinstance(spec, dict) or 'cfg' not in spec:
            raise DistillConfigError(f'{where}: expected dict(cfg=<model cfg or config file>, '
                                     f'ckpt=<path>, weight=1.0), got {spec!r}')
        for key in spec:
            check_name(key, ('cfg', 'ckpt', 'weight', 'inputs'), 'teacher option', where)
        inputs = spec.get('inputs', 'auto')
        check_name(inputs, _TEACHER_INPUTS, 'inputs mode', where)
        if '.' in name:
            raise DistillConfigError(f"{where}: teacher names cannot contain '.'")
        specs[name] = dict(cfg=resolve_model_cfg(spec['cfg'], where), ckpt=spec.get('ckpt'),
                           weight=float(spec.get('weight', 1.0)), inputs=inputs)
    return specs


@MODELS.register_module()
class TeacherStudentDistill(BaseModel):
    """Distil one or several frozen teachers into a student segmentor.

    Args:
        student (dict | str): student segmentor config (any registered
            segmentor) or a config file path (its ``model`` is used).
        distiller (dict): a DISTILLERS config, e.g. ``ConfigurableDistiller``.
        teacher (dict | str, optional): the single teacher: model config,
            config file path, or ``dict(cfg=..., ckpt=..., inputs=...)``. Its
            name in recorders/mappings is ``'teacher'``.
        teacher_ckpt (str, optional): checkpoint of the single teacher.
        teachers (dict, optional): several teachers, ``name -> dict(cfg=...,
            ckpt=..., weight=1.0, inputs='auto')``. ``inputs='auto'`` feeds
            ``teacher_inputs`` (paired modality) when the batch has them, else
            the student's inputs; ``'student'`` always feeds the student's.
        data_preprocessor (dict, optional): defaults to the student's.
        allow_random_teacher (bool): accept a teacher without checkpoint
            (unit tests and cost benchmarks only; logged loudly).
        save_teacher_weights (bool): keep teacher weights in this model's
            ``state_dict`` (and so in every checkpoint). Default False: the
            teachers are rebuilt from their own checkpoint (identified by the
            sha256 saved in the checkpoint meta), which keeps KD checkpoints
            as small as the student's.
        teacher_cache (dict, optional): ``dict(pipeline=<train pipeline>,
            mode='exact'|'replay', max_items=None)`` to reuse teacher outputs
            (:mod:`mmkd_rs.distill.teacher_cache`; refused at build time when
            the pipeline has random transforms that cannot be replayed).
        init_cfg (dict, optional): unused, for BaseModel.

    Random streams: the teachers and the distiller (its connectors) are built
    and initialised without moving the global generators, and the student is
    initialised first. With the same seed, the student therefore starts from
    the same weights, sees the same batches and augmentations, and draws the
    same dropout masks as the student trained alone: a distillation run and
    its student-alone run form a pair, and a distill-loss weight of 0
    reproduces the student-alone run (up to draws of the losses themselves).

    ``forward(inputs, data_samples, mode, teacher_inputs=None)``: ``'loss'``
    returns the student's task losses unchanged (e.g. ``decode.loss_ce``) plus
    ``distill.*`` losses; ``'predict'`` and ``'tensor'`` run the student only.
    """

    def __init__(self, student: Union[dict, str], distiller: dict,
                 teacher: Optional[Union[dict, str]] = None,
                 teacher_ckpt: Optional[str] = None,
                 teachers: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 allow_random_teacher: bool = False,
                 save_teacher_weights: bool = False,
                 teacher_cache: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        student_cfg = resolve_model_cfg(student, 'TeacherStudentDistill.student')
        if data_preprocessor is None:
            data_preprocessor = student_cfg.get('data_preprocessor')
        if isinstance(data_preprocessor, dict):
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.student = MODELS.build(student_cfg)
        specs = normalise_teachers(teacher, teacher_ckpt, teachers)
        self.teachers = nn.ModuleDict()
        self.teacher_sha256: Dict[str, Optional[str]] = {}
        self.teacher_weights = {n: s['weight'] for n, s in specs.items()}
        self.teacher_input_modes = {n: s['inputs'] for n, s in specs.items()}
        self.teacher_ckpts = {n: s['ckpt'] for n, s in specs.items()}
        with rng_untouched():
            for name, spec in specs.items():
                model, sha = build_teacher(spec['cfg'], spec['ckpt'], name,
                                           allow_random_teacher, MODELS)
                self.teachers[name] = model
                self.teacher_sha256[name] = sha
            self.distiller = DISTILLERS.build(distiller)
            self.distiller.prepare(self.student, dict(self.teachers), self.teacher_weights)
        self.save_teacher_weights = save_teacher_weights
        self.teacher_cache = (TeacherOutputCache(**teacher_cache)
                              if teacher_cache is not None else None)
        self.register_state_dict_post_hook(self._drop_teacher_state)
        self.register_load_state_dict_post_hook(self._ignore_missing_teacher_keys)

    def init_weights(self):
        """The student first, then the distiller's parts (teachers are loaded).

        The student draws what it draws when it is trained alone; the rest
        is initialised without moving the global generators (see the class
        docstring).
        """
        if not self.student.is_init:
            self.student.init_weights()
        with rng_untouched():
            super().init_weights()

    # ---------------------------------------------------------------- state
    @staticmethod
    def _drop_teacher_state(module, state_dict, prefix, local_metadata):
        if module.save_teacher_weights:
            return
        for key in [k for k in state_dict if k.startswith(prefix + TEACHER_PREFIX)]:
            del state_dict[key]

    @staticmethod
    def _ignore_missing_teacher_keys(module, incompatible_keys):
        # teachers are rebuilt from their own checkpoint (also under a
        # ``module.`` wrapper prefix)
        missing = incompatible_keys.missing_keys
        missing[:] = [k for k in missing
                      if not (k.startswith(TEACHER_PREFIX) or '.' + TEACHER_PREFIX in k)]

    def train(self, mode: bool = True):
        """Switch the student/distiller; teachers always stay in eval mode."""
        super().train(mode)
        self.teachers.eval()
        return self

    def named_parameters(self, prefix: str = '', recurse: bool = True,
                         remove_duplicate: bool = True):
        """The student's and the distiller's parameters, never the teachers'.

        mmengine's ``DefaultOptimWrapperConstructor`` gives the optimizer
        ``model.parameters()``, so frozen teachers stay out of every
        optimizer (also one that updates parameters without a gradient); EMA
        copies and ``requires_grad_()`` see the trained parameters only. The
        teachers' parameters remain in ``self.teachers`` (and in
        ``state_dict`` with ``save_teacher_weights=True``).
        """
        teachers = f'{prefix}.{TEACHER_PREFIX}' if prefix else TEACHER_PREFIX
        for name, param in super().named_parameters(prefix, recurse, remove_duplicate):
            if not name.startswith(teachers):
                yield name, param

    # -------------------------------------------------------------- forward
    def forward(self, inputs: Tensor, data_samples=None, mode: str = 'tensor',
                teacher_inputs: Optional[Tensor] = None):
        if mode == 'loss':
            return self.loss(inputs, data_samples, teacher_inputs=teacher_inputs)
        if mode in ('predict', 'tensor'):
            return self.student(inputs, data_samples, mode=mode)
        raise ValueError(f"TeacherStudentDistill: mode must be 'loss', 'predict' or "
                         f"'tensor', got {mode!r}")

    def teacher_input(self, name: str, inputs: Tensor,
                      teacher_inputs: Optional[Tensor]) -> Tensor:
        """The tensor teacher ``name`` sees for this batch."""
        if teacher_inputs is not None and self.teacher_input_modes[name] == 'auto':
            return teacher_inputs
        return inputs

    def loss(self, inputs: Tensor, data_samples: List,
             teacher_inputs: Optional[Tensor] = None) -> Dict[str, Tensor]:
        """Student task losses + ``distill.*`` losses.

        The recorded tensors are dropped once the distill losses are computed:
        the returned losses hold the graph, the recorders hold nothing into
        validation or the next forward.
        """
        try:
            with self.distiller.student_group.recording():
                losses = self.student.loss(inputs, data_samples)
            self.run_teachers(inputs, data_samples, teacher_inputs)
            distill_losses = self.distiller.compute_losses(data_samples)
        finally:
            self.distiller.reset_records()
        clash = set(losses) & set(distill_losses)
        if clash:
            raise KeyError(f'student losses and distill losses share keys {sorted(clash)}')
        losses.update(distill_losses)
        return losses

    def run_teachers(self, inputs: Tensor, data_samples: List,
                     teacher_inputs: Optional[Tensor] = None) -> None:
        """Fill the teacher recorders for a batch (from the cache when it can)."""
        cache = self.teacher_cache
        for name, teacher in self.teachers.items():
            if cache is not None and cache.restore(self.distiller, name, data_samples):
                continue
            with torch.no_grad(), self.distiller.teacher_groups[name].recording():
                teacher(self.teacher_input(name, inputs, teacher_inputs), data_samples,
                        mode='tensor')
            if cache is not None:
                cache.store(self.distiller, name, data_samples)

    @torch.no_grad()
    def predict_teacher(self, inputs: Tensor, data_samples: List, name: Optional[str] = None,
                        teacher_inputs: Optional[Tensor] = None) -> List:
        """Predictions of teacher ``name`` (default: the first) on a batch."""
        name = name or next(iter(self.teachers))
        check_name(name, self.teachers, 'teacher', 'predict_teacher')
        return self.teachers[name](self.teacher_input(name, inputs, teacher_inputs),
                                   data_samples, mode='predict')
