"""Runner hooks of the distillation engine.

* :class:`DistillCheckpointHook` -- writes each teacher's checkpoint sha256
  into ``checkpoint['meta']['teacher_sha256']`` and, on resume/load, warns
  when the teachers now loaded are not the ones the checkpoint was trained with
  and drops the teachers from an optimizer state saved while they were in the
  optimizer (checkpoints of earlier versions), so such runs still resume.
* :class:`TeacherEvalHook` -- evaluates the teacher(s) once, before training,
  with the run's validation dataloader and evaluator, and logs the metrics as
  ``teacher/<metric>`` (``teacher/<name>/<metric>`` with several teachers).
* :class:`DistillIterHook` -- gives the distiller the training iteration
  before every training iteration (for loss-weight schedules);
  :func:`add_iter_hook` adds it to a distillation config that lacks it, as
  ``tools/train.py`` does.
"""
from typing import Optional, Sequence

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from torch import nn

from mmkd_rs.engine.rng_state_hook import rng_untouched
from mmkd_rs.registry import HOOKS


def unwrap(model):
    """The distillation algorithm inside a (DDP) model wrapper."""
    return model.module if is_model_wrapper(model) else model


def _algorithm(runner, hook_name: str):
    model = unwrap(runner.model)
    if not hasattr(model, 'teacher_sha256'):
        raise TypeError(f'{hook_name} needs a distillation model (TeacherStudentDistill), '
                        f'got {type(model).__name__}')
    return model


@HOOKS.register_module()
class DistillIterHook(Hook):
    """Set the distiller's iteration (``runner.iter``) before each training
    iteration; loss-weight schedules read it."""

    priority = 'VERY_HIGH'

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        _algorithm(runner, type(self).__name__).distiller.set_iter(runner.iter)


def add_iter_hook(cfg) -> None:
    """Append :class:`DistillIterHook` to ``cfg.custom_hooks`` when ``cfg``
    trains a distillation model and does not list the hook yet."""
    from .parts import is_distill_model_cfg
    hooks = list(cfg.get('custom_hooks') or [])
    if is_distill_model_cfg(cfg.get('model', {})) and not any(
            h.get('type') in ('DistillIterHook', DistillIterHook) for h in hooks):
        cfg.custom_hooks = hooks + [dict(type='DistillIterHook')]


@HOOKS.register_module()
class DistillCheckpointHook(Hook):
    """Record teacher checksums in checkpoint meta and check them on load."""

    priority = 'NORMAL'

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        model = _algorithm(runner, type(self).__name__)
        meta = checkpoint.setdefault('meta', {})
        meta['teacher_sha256'] = dict(model.teacher_sha256)
        meta['teacher_checkpoints'] = dict(model.teacher_ckpts)
        meta['teacher_weights_saved'] = bool(model.save_teacher_weights)

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        model = _algorithm(runner, type(self).__name__)
        saved = checkpoint.get('meta', {}).get('teacher_sha256')
        current = dict(model.teacher_sha256)
        if saved is not None and saved != current:
            runner.logger.warning(
                f'The loaded checkpoint was trained with teachers {saved} but the teachers '
                f'now loaded are {current}: distillation continues against different '
                'teachers.')
        if drop_teachers_from_optimizer_state(model, checkpoint.get('optimizer')):
            runner.logger.info('The optimizer state of the checkpoint lists the frozen '
                               'teachers (saved by an earlier version): their entries '
                               'were dropped.')


def drop_teachers_from_optimizer_state(model, state) -> bool:
    """Drop the teachers from an optimizer ``state_dict`` that holds them.

    Earlier versions gave the optimizer every parameter of the algorithm, in
    ``nn.Module.parameters`` order, frozen teachers included (one group, no
    ``paramwise_cfg``; they never had a gradient, so no per-parameter state).
    Such a state is rewritten in place to the student + distiller parameters
    the optimizer holds now. Returns whether ``state`` was changed.
    """
    groups = state.get('param_groups') if isinstance(state, dict) else None
    every = [id(p) for _, p in nn.Module.named_parameters(model)]    # teachers included
    trained = {id(p) for p in model.parameters()}
    if not groups or len(groups) != 1 or len(groups[0]['params']) != len(every) \
            or len(trained) == len(every):
        return False
    teacher_ids = {i for i, p in zip(groups[0]['params'], every) if p not in trained}
    groups[0]['params'] = [i for i in groups[0]['params'] if i not in teacher_ids]
    for i in teacher_ids:
        state['state'].pop(i, None)
    return True


@HOOKS.register_module()
class TeacherEvalHook(Hook):
    """Evaluate the teacher(s) once before training; log ``teacher/*`` metrics.

    Args:
        teachers (Sequence[str], optional): names to evaluate; default all.
    """

    priority = 'LOW'

    def __init__(self, teachers: Optional[Sequence[str]] = None):
        self.teachers = teachers
        self._done = False

    def before_train(self, runner) -> None:
        if self._done:
            return
        self._done = True
        if runner.val_loop is None:
            runner.logger.warning('TeacherEvalHook: no val_dataloader/val_evaluator; '
                                  'the teacher is not evaluated.')
            return
        metrics = evaluate_teachers(runner.model, runner.val_loop.dataloader,
                                    runner.val_loop.evaluator, self.teachers)
        runner.logger.info('Teacher evaluation: ' + ', '.join(
            f'{k}: {v:.4f}' if isinstance(v, float) else f'{k}: {v}'
            for k, v in metrics.items()))
        runner.visualizer.add_scalars(metrics, step=runner.iter)
        for key, value in metrics.items():
            runner.message_hub.update_info(key, value)


def evaluate_teachers(model, dataloader, evaluator, names=None) -> dict:
    """``{teacher/<metric>: value}`` of each teacher over ``dataloader``.

    The global generators are left where they were (iterating a dataloader
    draws from torch's), so evaluating the teacher before training does not
    change the student's training.
    """
    algorithm = unwrap(model)
    names = list(names or algorithm.teachers)
    prefix = (lambda n: 'teacher/') if len(algorithm.teachers) == 1 else (
        lambda n: f'teacher/{n}/')
    results = {}
    was_training = algorithm.training
    algorithm.eval()
    try:
        with rng_untouched():
            for name in names:
                for data_batch in dataloader:
                    data = algorithm.data_preprocessor(data_batch, False)
                    outputs = algorithm.predict_teacher(
                        data['inputs'], data['data_samples'], name=name,
                        teacher_inputs=data.get('teacher_inputs'))
                    evaluator.process(data_samples=outputs, data_batch=data_batch)
                metrics = evaluator.evaluate(len(dataloader.dataset))
                results.update({prefix(name) + k: v for k, v in metrics.items()})
    finally:
        algorithm.train(was_training)
    return results
