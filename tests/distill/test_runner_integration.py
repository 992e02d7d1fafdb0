"""A real mmengine Runner: hooks, checkpoint meta, resume, student extraction, DDP."""
import hashlib
import os
import subprocess
import sys

import pytest
import torch
from distill_testkit import TinySegData, batch, kd_model_cfg, tiny_segmentor, use_scope
from mmengine.dataset import pseudo_collate
from mmengine.optim import build_optim_wrapper
from mmengine.runner import Runner
from torch.utils.data import DataLoader

from mmkd_rs.registry import MODELS

use_scope()
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def loader():
    return DataLoader(TinySegData(), batch_size=2, collate_fn=pseudo_collate)


@pytest.fixture(scope='module')
def teacher_ckpt(tmp_path_factory):
    torch.manual_seed(2)
    path = tmp_path_factory.mktemp('teacher') / 'teacher.pth'
    torch.save(dict(meta=dict(), state_dict=MODELS.build(tiny_segmentor(16)).state_dict()), path)
    return str(path)


def make_runner(work_dir, ckpt, max_iters, resume=False):
    return Runner(
        model=kd_model_cfg(teacher_ckpt=ckpt, allow_random_teacher=False),
        work_dir=str(work_dir), train_dataloader=loader(), val_dataloader=loader(),
        val_evaluator=dict(type='IoUMetric', iou_metrics=['mIoU']),
        train_cfg=dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=100),
        val_cfg=dict(type='ValLoop'),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01, momentum=0.9)),
        default_hooks=dict(checkpoint=dict(type='CheckpointHook', interval=2, by_epoch=False),
                           logger=dict(type='LoggerHook', interval=1)),
        custom_hooks=[dict(type='DistillCheckpointHook'), dict(type='TeacherEvalHook')],
        default_scope='mmkd_rs', resume=resume, log_level='WARNING')


@pytest.mark.slow
def test_train_checkpoint_meta_resume_and_extract(tmp_path, teacher_ckpt, capsys):
    runner = make_runner(tmp_path, teacher_ckpt, max_iters=2)
    runner.train()
    hub = runner.message_hub
    assert 0.0 <= hub.get_info('teacher/mIoU') <= 100.0
    with open(teacher_ckpt, 'rb') as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    kd_ckpt = str(tmp_path / 'iter_2.pth')
    saved = torch.load(kd_ckpt, weights_only=True)
    assert saved['meta']['teacher_sha256'] == {'teacher': sha}
    assert saved['meta']['teacher_weights_saved'] is False
    assert not any(k.startswith('teachers.') for k in saved['state_dict'])

    # resume rebuilds the teacher from its checkpoint; strict-enough load, no crash
    resumed = make_runner(tmp_path, teacher_ckpt, max_iters=3, resume=True)
    resumed.train()
    assert resumed.iter == 3

    # extraction through the command line
    cfg_file = tmp_path / 'student_cfg.py'
    cfg_file.write_text(f"default_scope = 'mmkd_rs'\nmodel = {tiny_segmentor(8)!r}\n")
    out = tmp_path / 'student.pth'
    proc = subprocess.run(
        [sys.executable, 'tools/model_converters/extract_student.py', kd_ckpt, str(out),
         '--student-config', str(cfg_file)], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    student_state = torch.load(out, weights_only=True)
    assert student_state['meta']['distilled_from']['teacher_sha256'] == {'teacher': sha}
    assert student_state['meta']['dataset_meta']['classes'] == ('background', 'change')

    kd_model = MODELS.build(kd_model_cfg(teacher_ckpt=teacher_ckpt, allow_random_teacher=False))
    kd_model.load_state_dict(saved['state_dict'], strict=True)
    kd_model.eval()
    student = MODELS.build(tiny_segmentor(8))
    student.load_state_dict(student_state['state_dict'], strict=True)
    student.eval()
    from mmseg.apis import init_model
    inited = init_model(str(cfg_file), str(out), device='cpu')
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        ref = kd_model(x, mode='tensor')
        assert torch.equal(student(x, mode='tensor'), ref)
        assert torch.equal(inited(x, mode='tensor'), ref)

    # a wrong student config is refused with the key lists
    bad_cfg = tmp_path / 'bad_cfg.py'
    bad_cfg.write_text(f"default_scope = 'mmkd_rs'\nmodel = {tiny_segmentor(16)!r}\n")
    sys.path.insert(0, os.path.join(REPO, 'tools', 'model_converters'))
    try:
        from extract_student import main
    finally:
        sys.path.pop(0)
    assert main([kd_ckpt, str(tmp_path / 'x.pth'), '--student-config', str(bad_cfg)]) == 2
    assert 'does not match' in capsys.readouterr().err
    assert not (tmp_path / 'x.pth').exists()


@pytest.mark.slow
def test_resume_from_a_checkpoint_whose_optimizer_held_the_teachers(tmp_path, teacher_ckpt,
                                                                     monkeypatch):
    from mmkd_rs.distill.algorithms import TeacherStudentDistill
    with monkeypatch.context() as m:   # checkpoints written while teachers were optimised
        m.setattr(TeacherStudentDistill, 'named_parameters', torch.nn.Module.named_parameters)
        make_runner(tmp_path, teacher_ckpt, max_iters=2).train()
    saved = torch.load(tmp_path / 'iter_2.pth', weights_only=True)['optimizer']
    resumed = make_runner(tmp_path, teacher_ckpt, max_iters=2, resume=True)
    resumed.train()
    assert resumed.iter == 2
    model, optimizer = resumed.model, resumed.optim_wrapper.optimizer
    every = [p for _, p in torch.nn.Module.named_parameters(model)]   # the saved order
    teacher = {id(p) for p in model.teachers.parameters()}
    assert len(saved['param_groups'][0]['params']) == len(every) > len(teacher) > 0
    trained = [(i, p) for i, p in zip(saved['param_groups'][0]['params'], every)
               if id(p) not in teacher]
    assert [id(p) for _, p in trained] == [id(p) for p in optimizer.param_groups[0]['params']]
    for i, p in trained:    # each momentum buffer came back to its own parameter
        assert torch.equal(optimizer.state[p]['momentum_buffer'],
                           saved['state'][i]['momentum_buffer'])


def test_extract_accepts_checkpoints_with_teacher_weights(tmp_path, teacher_ckpt):
    from mmkd_rs.distill.extract import extract_student
    model = MODELS.build(kd_model_cfg(teacher_ckpt=teacher_ckpt, allow_random_teacher=False,
                                      save_teacher_weights=True))
    state = model.state_dict()
    assert any(k.startswith('teachers.') for k in state)
    torch.save(dict(meta=dict(), state_dict=state), tmp_path / 'kd.pth')
    info = extract_student(str(tmp_path / 'kd.pth'), str(tmp_path / 's.pth'))
    assert info['dropped_keys'] == len(state) - info['student_keys'] > 0
    student = MODELS.build(tiny_segmentor(8))
    student.load_state_dict(torch.load(tmp_path / 's.pth', weights_only=True)['state_dict'],
                            strict=True)


@pytest.mark.slow
def test_train_step_under_ddp_wrapper_without_unused_parameters(teacher_ckpt):
    import torch.distributed as dist
    from mmengine.model import MMDistributedDataParallel
    model = MODELS.build(kd_model_cfg(teacher_ckpt=teacher_ckpt, allow_random_teacher=False))
    os.environ.setdefault('MASTER_ADDR', '127.0.0.1')
    os.environ.setdefault('MASTER_PORT', '29531')
    dist.init_process_group('gloo', rank=0, world_size=1)
    try:
        wrapped = MMDistributedDataParallel(module=model, find_unused_parameters=False)
        # frozen teacher parameters are not registered with DDP
        names = {n for n, p in wrapped.named_parameters() if p.requires_grad}
        assert names and not any('.teachers.' in n for n in names)
        optim = build_optim_wrapper(wrapped, dict(optimizer=dict(type='SGD', lr=0.01)))
        before = {k: v.clone() for k, v in model.teachers.state_dict().items()}
        for step in range(2):
            wrapped.train()
            log_vars = wrapped.train_step(batch(seed=step), optim)
            assert 'distill.loss_kd' in log_vars
        assert all(torch.equal(v, model.teachers.state_dict()[k]) for k, v in before.items())
    finally:
        dist.destroy_process_group()
