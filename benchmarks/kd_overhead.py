"""Cost of distillation per training step, and what teacher-output caching saves.

On one student, one teacher and one batch (in one process), times
``--repeats`` interleaved rounds (after ``--warmup`` runs), each running once:

* the student step: forward + backward + optimizer step of the student alone;
* the teacher forward: ``no_grad``, eval mode;
* the KD step of every distiller (KD, CWD, FitNet, AT, pair-wise affinity,
  DIST, MGD): student step + teacher forward + recorders + connectors +
  distill losses, through :class:`TeacherStudentDistill`;
* the KD step with the teacher-output cache hit (``exact`` mode).

``overhead = KD step / (student step + teacher forward)`` isolates what the
engine adds on top of the two unavoidable computations (target <= 1.10).
Timing uses this process's CPU time on CPU (``--clock cpu``: robust when
other jobs share the cores; with ``--threads 1`` it is the work done) and
synchronised wall clock on CUDA. Peak memory of each step: CUDA
``max_memory_allocated``; on CPU the peak RSS (``VmHWM``, reset through
``/proc/self/clear_refs``) above the RSS after one warm-up step, in a fresh
child process per step kind.

Writes ``kd_overhead.md`` (table) and ``kd_overhead.json`` to ``--out-dir``::

    python benchmarks/kd_overhead.py --size 64 --batch 4 --threads 2

``--memory`` times nothing: it measures the peak memory of one training step
(two steps, each kind in a fresh child process; baseline the RSS after
building the models, so optimizer state, gradients and activations count) of
the student alone and of every distiller above plus IFVD, CIRKD, DKD and the
affinity loss pooled to 16x16 nodes, at 256 px by default, and writes
``kd_memory.{md,json}`` with each KD step's ratio to the student step::

    python benchmarks/kd_overhead.py --memory --batch 4
"""
import argparse
import json
import os
import os.path as osp
import re
import statistics
import subprocess
import sys
import time

import torch
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

import mmkd_rs  # noqa: F401
import mmkd_rs.distill  # noqa: F401
from mmkd_rs.registry import MODELS

BN = dict(type='BN')


def segmentor(width: int, depth: int = 18):
    """ResNetV1c + FCNHead at output stride 8 (2 classes)."""
    return dict(
        type='EncoderDecoder',
        data_preprocessor=dict(type='SegDataPreProcessor', mean=[0.0] * 3, std=[1.0] * 3),
        backbone=dict(type='ResNetV1c', depth=depth, stem_channels=width, base_channels=width,
                      out_indices=(0, 1, 2, 3), dilations=(1, 1, 1, 1),
                      strides=(1, 2, 1, 1), norm_cfg=BN, contract_dilation=True),
        decode_head=dict(type='FCNHead', in_channels=8 * width * (4 if depth >= 50 else 1),
                         in_index=3, channels=2 * width, num_convs=1, concat_input=False,
                         dropout_ratio=0.0, num_classes=2, norm_cfg=BN, align_corners=False,
                         loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0)),
        train_cfg=dict(), test_cfg=dict(mode='whole'))


LOGITS = dict(type='ModuleOutputs', source='decode_head.conv_seg')
FEAT = dict(type='ModuleOutputs', source='backbone.layer4')


def single(loss, rec, s_arg='preds_S', t_arg='preds_T', connectors=None, s_conn=None,
           with_labels=False):
    """Distiller of one loss on one recorded module of student and teacher;
    ``with_labels`` also passes the labels ``[N, 1, H, W]`` as ``gt_seg``."""
    mapping = {s_arg: dict(from_student=True, recorder='x', connector=s_conn),
               t_arg: dict(from_student=False, recorder='x')}
    if with_labels:
        mapping['gt_seg'] = dict(from_data='gt_sem_seg')
    return dict(type='ConfigurableDistiller', student_recorders={'x': rec},
                teacher_recorders={'x': rec}, connectors=connectors or {},
                distill_losses=dict(loss_d=loss), loss_forward_mappings=dict(loss_d=mapping))


def distillers(s_ch: int, t_ch: int) -> dict:
    """One distiller config per method, on the tiny models above."""
    logits, feat = LOGITS, FEAT

    stages = ('layer2', 'layer3', 'layer4')
    at = dict(type='ConfigurableDistiller',
              student_recorders={s: dict(type='ModuleOutputs', source=f'backbone.{s}')
                                 for s in stages},
              teacher_recorders={s: dict(type='ModuleOutputs', source=f'backbone.{s}')
                                 for s in stages},
              distill_losses={f'at_{s}': dict(type='ATLoss') for s in stages},
              loss_forward_mappings={f'at_{s}': dict(
                  preds_S=dict(from_student=True, recorder=s),
                  preds_T=dict(from_student=False, recorder=s)) for s in stages})
    return dict(
        kd=single(dict(type='KDLoss', temperature=2.0), logits),
        cwd=single(dict(type='ChannelWiseDivergence', tau=1.0, loss_weight=3.0), logits),
        fitnet=single(dict(type='FitNetLoss'), feat,
                      connectors=dict(c=dict(type='ConvBNConnector', in_channels=s_ch,
                                             out_channels=t_ch)), s_conn='c'),
        at=at,
        affinity=single(dict(type='PairwiseAffinityLoss'), feat),
        dist=single(dict(type='DISTLoss'), logits, 'logits_S', 'logits_T'),
        mgd=single(dict(type='MGDLoss', student_channels=s_ch, teacher_channels=t_ch), feat),
    )


def memory_distillers(s_ch: int, t_ch: int) -> dict:
    """:func:`distillers` plus the label-aware methods (IFVD, CIRKD, DKD), the
    affinity loss pooled to 16x16 nodes and CIRKD with the bounded settings of
    ``configs/cirkd`` (``--memory``)."""
    out = distillers(s_ch, t_ch)
    out.update(
        ifvd=single(dict(type='IFVDLoss', num_classes=2), FEAT, with_labels=True),
        cirkd=single(dict(type='CIRKDLoss', num_classes=2, student_channels=s_ch,
                          teacher_channels=t_ch), FEAT, with_labels=True),
        dkd=single(dict(type='DKDLoss', temperature=1.0, alpha=1.0, beta=0.5), LOGITS,
                   with_labels=True))
    out['affinity pool 16'] = single(dict(type='PairwiseAffinityLoss', pool_size=16), FEAT)
    # the bounded settings of configs/cirkd (pooled anchors, smaller memories)
    out['cirkd bounded'] = single(dict(
        type='CIRKDLoss', num_classes=2, student_channels=s_ch, teacher_channels=t_ch,
        batch_pool=2, max_anchors=2048, pixel_memory_size=2000, region_memory_size=200,
        pixel_contrast_size=1024, region_contrast_size=256), FEAT, with_labels=True)
    return out


def make_batch(n: int, size: int):
    g = torch.Generator().manual_seed(0)
    inputs = torch.rand(n, 3, size, size, generator=g)
    samples = []
    for i in range(n):
        s = SegDataSample(metainfo=dict(img_shape=(size, size), ori_shape=(size, size),
                                        pad_shape=(size, size), sample_idx=i, flip=False))
        s.gt_sem_seg = PixelData(data=torch.randint(0, 2, (1, size, size), generator=g))
        samples.append(s)
    return inputs, samples


def sync(device):
    if device.type == 'cuda':
        torch.cuda.synchronize()


def timed(fn, device, clock: str) -> float:
    """Seconds of one call: wall clock, or this process's CPU time."""
    now = time.process_time if clock == 'cpu' else time.perf_counter
    sync(device)
    start = now()
    fn()
    sync(device)
    return now() - start


def interleaved_times(steps: dict, warmup: int, repeats: int, device, clock: str) -> dict:
    """``name -> [seconds per round]``; every round runs every step once, so
    load changes on a shared machine hit all steps alike."""
    for fn in steps.values():
        for _ in range(warmup):
            fn()
    times = {name: [] for name in steps}
    for _ in range(repeats):
        for name, fn in steps.items():
            times[name].append(timed(fn, device, clock))
    return times


class Bench:
    """Models, batch and one step function per measured kind."""

    def __init__(self, args):
        if not DefaultScope.check_instance_created('kd_overhead'):
            DefaultScope.get_instance('kd_overhead', scope_name='mmkd_rs')
        self.device = torch.device(args.device)
        torch.manual_seed(0)
        self.student_cfg = segmentor(args.student_width)
        self.teacher_cfg = segmentor(args.teacher_width, args.teacher_depth)
        self.student = MODELS.build(self.student_cfg).to(self.device).train()
        self.teacher = MODELS.build(self.teacher_cfg).to(self.device).eval()
        self.inputs, self.samples = make_batch(args.batch, args.size)
        self.inputs = self.inputs.to(self.device)
        self.samples = [s.to(self.device) for s in self.samples]
        self.s_ch = 8 * args.student_width
        self.t_ch = 8 * args.teacher_width * (4 if args.teacher_depth >= 50 else 1)
        self.optim = dict(optimizer=dict(type='SGD', lr=1e-3, momentum=0.9))

    def algorithm(self, distiller: dict, cache: bool = False):
        model = MODELS.build(dict(
            type='TeacherStudentDistill', student=self.student_cfg, teacher=self.teacher_cfg,
            distiller=distiller, allow_random_teacher=True,
            teacher_cache=dict(pipeline=[dict(type='RandomFlip')]) if cache else None))
        return model.to(self.device).train()

    def steps(self, memory: bool = False) -> dict:
        """``name -> zero-argument step function`` (built lazily); ``memory``:
        the student step and the KD steps of :func:`memory_distillers` only."""
        if memory:
            out = {'student step': self._student_step}
            for name, cfg in memory_distillers(self.s_ch, self.t_ch).items():
                out[f'KD step: {name}'] = (lambda c=cfg: self._kd_step(c))
            return out
        out = {'student step': self._student_step, 'teacher forward': self._teacher_forward}
        for name, cfg in distillers(self.s_ch, self.t_ch).items():
            out[f'KD step: {name}'] = (lambda c=cfg: self._kd_step(c))
        out['KD step: kd + teacher cache'] = lambda: self._kd_step(
            distillers(self.s_ch, self.t_ch)['kd'], cache=True)
        return out

    def _student_step(self):
        optim = build_optim_wrapper(self.student, self.optim)

        def step():
            losses = self.student.loss(self.inputs, self.samples)
            optim.update_params(self.student.parse_losses(losses)[0])
        return step

    def _teacher_forward(self):
        def step():
            with torch.no_grad():
                self.teacher(self.inputs, mode='tensor')
        return step

    def _kd_step(self, distiller, cache=False):
        model = self.algorithm(distiller, cache)
        optim = build_optim_wrapper(model, self.optim)

        def step():
            losses = model.loss(self.inputs, self.samples)
            optim.update_params(model.parse_losses(losses)[0])
        if cache:
            step()      # first call fills the cache; timed calls all hit
        return step


def peak_memory_mb(args, name: str) -> float:
    """Extra peak memory of one step kind (MiB)."""
    if args.device.startswith('cuda'):
        bench = Bench(args)
        step = bench.steps(args.memory)[name]()
        torch.cuda.synchronize()
        base = torch.cuda.memory_allocated()
        torch.cuda.reset_peak_memory_stats()
        for _ in range(2):
            step()
        torch.cuda.synchronize()
        return (torch.cuda.max_memory_allocated() - base) / 2**20
    cmd = [sys.executable, __file__, '--memory-of', name] + args.passthrough
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_='65536')
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f'memory measurement of {name!r} failed:\n{proc.stderr[-2000:]}')
    return float(proc.stdout.strip().splitlines()[-1])


def _proc_status_kb(key: str) -> int:
    with open('/proc/self/status') as f:
        return int(re.search(rf'{key}:\s+(\d+) kB', f.read()).group(1))


def child_memory(args) -> None:
    """In a fresh process: peak RSS (MiB) of two steps above the RSS after one
    warm-up step (optimizer state included in the baseline), or with
    ``--memory`` above the RSS after building the models (no warm-up: the
    optimizer state counts). Large buffers are mmapped (MALLOC_MMAP_THRESHOLD_,
    set by the parent) so freed memory leaves the RSS and the baseline is not
    inflated by the allocator's cache."""
    bench = Bench(args)
    step = bench.steps(args.memory)[args.memory_of]()
    if not args.memory:
        step()
    with open('/proc/self/clear_refs', 'w') as f:    # reset the VmHWM high-water mark
        f.write('5')
    base = _proc_status_kb('VmRSS')
    for _ in range(2):
        step()
    print((_proc_status_kb('VmHWM') - base) / 1024.0)


def run(args) -> dict:
    bench = Bench(args)
    steps = {name: make() for name, make in bench.steps().items()}
    times = interleaved_times(steps, args.warmup, args.repeats, bench.device, args.clock)
    base = [s + t for s, t in zip(times['student step'], times['teacher forward'])]
    rows = []
    for name, ts in times.items():
        row = dict(step=name, median_ms=1000 * statistics.median(ts))
        if name.startswith('KD step'):
            # median over rounds of the per-round ratio
            row['overhead'] = statistics.median(t / b for t, b in zip(ts, base))
        if not args.no_memory:
            row['peak_mem_mb'] = peak_memory_mb(args, name)
        rows.append(row)
    speedup = statistics.median(
        p / c for p, c in zip(times['KD step: kd'], times['KD step: kd + teacher cache']))
    return dict(
        setting=dict(device=args.device, threads=torch.get_num_threads(), size=args.size,
                     batch=args.batch, student=f'ResNetV1c-18 w{args.student_width} + FCN',
                     teacher=f'ResNetV1c-{args.teacher_depth} w{args.teacher_width} + FCN',
                     warmup=args.warmup, repeats=args.repeats, clock=args.clock,
                     memory='CUDA max_memory_allocated' if args.device.startswith('cuda')
                     else 'peak RSS above the post-warm-up RSS, fresh process per step'),
        rows=rows, cache_speedup=speedup, target_overhead=1.10,
        max_overhead=max(r['overhead'] for r in rows if 'overhead' in r))


def memory_run(args) -> dict:
    """Peak memory of each step kind of :meth:`Bench.steps` (``memory=True``)
    and its ratio to the student step's."""
    names = ['student step'] + [f'KD step: {name}' for name in memory_distillers(8, 16)
                                if not args.methods or name in args.methods]
    peaks = {name: peak_memory_mb(args, name) for name in names}
    rows = [dict(step=name, peak_mem_mb=mb, ratio=mb / peaks['student step'])
            for name, mb in peaks.items()]
    return dict(
        setting=dict(device=args.device, threads=args.threads, size=args.size,
                     batch=args.batch, student=f'ResNetV1c-18 w{args.student_width} + FCN',
                     teacher=f'ResNetV1c-{args.teacher_depth} w{args.teacher_width} + FCN',
                     memory='CUDA max_memory_allocated above the allocation after building'
                     if args.device.startswith('cuda') else 'peak RSS (VmHWM) above the '
                     'RSS after building the models, fresh process per step kind',
                     steps=2),
        rows=rows)


def memory_markdown(result: dict) -> str:
    s = result['setting']
    lines = [f"Peak memory of two training steps on {s['device']} ({s['threads']} threads), "
             f"batch {s['batch']} x {s['size']}x{s['size']}; student {s['student']}, "
             f"teacher {s['teacher']}. Memory: {s['memory']}. ratio = KD step / student "
             'step.', '', '| step | peak mem (MiB) | ratio |', '|---|---|---|']
    lines += [f"| {r['step']} | {r['peak_mem_mb']:.1f} | {r['ratio']:.2f} |"
              for r in result['rows']]
    return '\n'.join(lines + [''])


def markdown(result: dict) -> str:
    s = result['setting']
    lines = [f"KD cost on {s['device']} ({s['threads']} threads, {s['clock']} clock), batch {s['batch']} x "
             f"{s['size']}x{s['size']}; student {s['student']}, teacher {s['teacher']}; "
             f"median of {s['repeats']} interleaved rounds after {s['warmup']} warm-up; "
             f"overhead = median of per-round ratios. Memory: {s['memory']}.",
             '', '| step | median (ms) | overhead | peak mem (MiB) |', '|---|---|---|---|']
    for r in result['rows']:
        ov = f"{r['overhead']:.3f}" if 'overhead' in r else ''
        mem = f"{r['peak_mem_mb']:.1f}" if 'peak_mem_mb' in r else ''
        lines.append(f"| {r['step']} | {r['median_ms']:.1f} | {ov} | {mem} |")
    lines += ['', 'overhead = KD step / (student step + teacher forward); target <= '
              f"{result['target_overhead']:.2f}; max {result['max_overhead']:.3f}. "
              f"Teacher cache (exact mode, all hits) speed-up of the KD step: "
              f"{result['cache_speedup']:.2f}x.", '']
    return '\n'.join(lines)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--size', type=int, default=None,
                   help='tile side in px (default 64; 256 with --memory)')
    p.add_argument('--batch', type=int, default=4)
    p.add_argument('--student-width', type=int, default=16)
    p.add_argument('--teacher-width', type=int, default=32)
    p.add_argument('--teacher-depth', type=int, default=18, choices=(18, 34, 50))
    p.add_argument('--threads', type=int, default=1,
                   help='torch threads for every measured step')
    p.add_argument('--clock', choices=('cpu', 'wall'), default=None,
                   help="'cpu' (process CPU time, robust on a shared machine; default "
                        "on CPU) or 'wall' (default on CUDA, synchronised)")
    p.add_argument('--warmup', type=int, default=3)
    p.add_argument('--repeats', type=int, default=15)
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--no-memory', action='store_true', help='skip memory measurement')
    p.add_argument('--memory', action='store_true',
                   help='time nothing; peak memory of each KD step vs the student step '
                   '(kd_memory.{md,json})')
    p.add_argument('--methods', nargs='+', default=None,
                   help='with --memory: only these distillers (e.g. kd affinity)')
    p.add_argument('--out-dir', default='work_dirs/benchmarks/kd_overhead')
    p.add_argument('--memory-of', default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.size is None:
        args.size = 256 if args.memory else 64
    if args.clock is None:
        args.clock = 'wall' if args.device.startswith('cuda') else 'cpu'
    args.passthrough = [f'--size={args.size}', f'--batch={args.batch}',
                        f'--student-width={args.student_width}',
                        f'--teacher-width={args.teacher_width}',
                        f'--teacher-depth={args.teacher_depth}',
                        f'--threads={args.threads}', f'--device={args.device}'] + \
        (['--memory'] if args.memory else [])
    return args


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    if args.memory_of:
        child_memory(args)
        return
    os.makedirs(args.out_dir, exist_ok=True)
    if args.memory:
        result = memory_run(args)
        with open(osp.join(args.out_dir, 'kd_memory.json'), 'w') as f:
            json.dump(result, f, indent=2)
        table = memory_markdown(result)
        with open(osp.join(args.out_dir, 'kd_memory.md'), 'w') as f:
            f.write(table)
        print(table)
        return
    result = run(args)
    with open(osp.join(args.out_dir, 'kd_overhead.json'), 'w') as f:
        json.dump(result, f, indent=2)
    table = markdown(result)
    with open(osp.join(args.out_dir, 'kd_overhead.md'), 'w') as f:
        f.write(table)
    print(table)


if __name__ == '__main__':
    main()
