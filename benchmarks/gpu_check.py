"""GPU readiness: the seed method of every family trained on synthetic data of the real tile sizes.

For each family, the full-scale config of its seed method and of its student
alone run ``--iters`` training iterations (mmengine Runner, the config's own
data pipeline, data loader and optimizer; ``--amp``: float16 with dynamic
loss scaling, as ``tools/train.py --amp``) on synthetic data written in the
dataset's own on-disk layout at the real tile size:

==========  ======================================================  =========
family      seed method (student alone for the ratio)              tiles
==========  ======================================================  =========
frd         FRD, siamese R-50 -> R-18 w32, LEVIR-CD 256, batch 8    1024 px
hfd         HFD-Net R-50, SpaceNet 6 SAR 512, batch 8               900 px
disoptnet   DisOptNet R-50, SpaceNet 6 SAR 512, batch 8             900 px
tskd        TSKD D-LinkNet-34 -> LinkNet-18 w32, DeepGlobe 512      1024 px
==========  ======================================================  =========

Reported per family: seconds per iteration (median after ``--warmup``),
peak GPU memory, the KD overhead (seed method / student alone, seconds per
iteration), loss checks (every logged loss finite at every iteration; FRD
also checks the outputs of its BFDD and CCRD losses, whose feature norms and
contrast logits are where float16 overflows first; steps the loss scaler
skipped), images per second of the student and of the teacher on
``--fps-size`` tiles (batch 1, the configs' test mode, float16 autocast with
``--amp``) and data loader throughput (samples per second of one worker: the
training pipeline in this process, the first pass over the tiles, then a
second pass). Finally ``tools/dist_train.sh CONFIG 1`` trains the first
family's seed method (``--dist-family``) for 2 iterations (NCCL on CUDA,
gloo on CPU). Run it from the repository root (the configs name their
teachers by path).

Writes ``gpu_check.json`` and ``gpu_check.md`` to ``--out-dir``;
``--readme FILE`` replaces the table between ``<!-- gpu-check:start -->``
and ``<!-- gpu-check:end -->`` in FILE. On one H200 the default run takes
about 5 minutes (its own timer is in the JSON)::

    python benchmarks/gpu_check.py --amp --readme benchmarks/README.md

``--tiny`` (CPU tests): the quick configs of the same methods (reduced
widths), 64-128 px synthetic tiles, 2 iterations, batch 2, no worker
processes, gloo, no autocast.
"""
import argparse
import copy
import gc
import glob
import json
import math
import os
import os.path as osp
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback

import torch

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
FAMILIES = {
    'frd': dict(
        title='FRD siamese R-50 -> R-18 w32, LEVIR-CD 256 crops, batch 8',
        kd='configs/frd/frd_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py',
        student='configs/frd/siam-bestf1_r18w32-fpn_1xb8-20k_levir-cd-256x256.py', tile=1024,
        tiny_kd='configs/frd/frd_siam-r18w32_siam-r50w32_1xb4-quick_synth-levir-cd-128x128.py',
        tiny_student='configs/changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py',
        tiny_tile=128,
        watch=('BiTemporalFeatureDistanceLoss', 'ContrastiveClusterRepresentationLoss')),
    'hfd': dict(
        title='HFD-Net R-50, SpaceNet 6 SAR 512 crops, batch 8',
        kd='configs/hfd/hfd_fcn-r50-hfam_fcn-r50-hfam-eo_1xb8-20k_spacenet6-sar-512x512.py',
        student='configs/hfd/fcn_r50-hfam_1xb8-20k_spacenet6-sar-512x512.py',
        tile=900,
        tiny_kd='configs/hfd/hfd_fcn-r18-hfam_fcn-r18-hfam-eo_1xb8-quick_'
                'synth-spacenet6-sar-64x64.py',
        tiny_student='configs/hfd/fcn_r18-hfam_1xb8-quick_synth-spacenet6-sar-64x64.py',
        tiny_tile=64),
    'disoptnet': dict(
        title='DisOptNet R-50, SpaceNet 6 SAR 512 crops, batch 8',
        kd='configs/disoptnet/disoptnet_disoptnet-r50-d8_deeplabv3plus-r50-d8-eo4_1xb8-20k_'
           'spacenet6-sar-512x512.py',
        student='configs/disoptnet/deeplabv3plus_r50-d8_1xb8-20k_spacenet6-sar-512x512.py',
        tile=900,
        tiny_kd='configs/disoptnet/disoptnet_disoptnet-r18-d16_deeplabv3plus-r18-d16-eo4_'
                '1xb8-quick_synth-spacenet6-sar-64x64.py',
        tiny_student='configs/disoptnet/deeplabv3plus_r18-d16_1xb8-quick_'
                     'synth-spacenet6-sar-64x64.py', tiny_tile=64),
    'tskd': dict(
        title='TSKD D-LinkNet-34 -> LinkNet-18 w32, DeepGlobe 512 crops, batch 4',
        kd='configs/tskd/tskd_linknet-r18w32_dlinknet-r34_4xb4-40k_deepglobe-512x512.py',
        student='configs/tskd/linknet_r18w32_4xb4-40k_deepglobe-512x512.py',
        tile=1024,
        tiny_kd='configs/tskd/tskd_linknet-r18w32_dlinknet-r34_1xb4-quick_synth-roads-64x64.py',
        tiny_student='configs/tskd/linknet_r18w32_1xb4-quick_synth-roads-64x64.py',
        tiny_tile=64),
}
README_START, README_END = '<!-- gpu-check:start -->', '<!-- gpu-check:end -->'


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--families', nargs='+', choices=list(FAMILIES), default=list(FAMILIES))
    p.add_argument('--tiny', action='store_true', help='CPU test mode (see the docstring)')
    p.add_argument('--iters', type=int, help='training iterations per run (50; tiny 2)')
    p.add_argument('--warmup', type=int, help='iterations left out of s/iter (10; tiny 0)')
    p.add_argument('--amp', action='store_true', help='float16 autocast and loss scaling')
    p.add_argument('--tiles', type=int, default=8, help='synthetic tiles per family')
    p.add_argument('--batch', type=int, help="training batch size (default: the config's)")
    p.add_argument('--fps-size', type=int, help='FPS tile side (1024; tiny 64)')
    p.add_argument('--no-dist', action='store_true', help='skip the dist_train.sh launch')
    p.add_argument('--dist-family', choices=list(FAMILIES),
                   help='family of the dist_train.sh launch (default: the first checked)')
    p.add_argument('--loader-only', action='store_true',
                   help='only the data loader throughput (no training; CPU is fine)')
    p.add_argument('--data-dir', help='synthetic data (default: a temporary folder)')
    p.add_argument('--out-dir', default='work_dirs/gpu_check')
    p.add_argument('--readme', help='Markdown file whose gpu-check block gets the table')
    args = p.parse_args(argv)
    args.iters = args.iters or (2 if args.tiny else 50)
    args.warmup = args.warmup if args.warmup is not None else (0 if args.tiny else 10)
    args.fps_size = args.fps_size or (64 if args.tiny else 1024)
    if args.tiny and args.amp:
        p.error('--tiny runs without autocast (drop --amp)')
    if args.warmup >= args.iters:
        p.error(f'--warmup ({args.warmup}) must be below --iters ({args.iters})')
    return args


def random_teachers(model: dict) -> dict:
    """Distillation models build with random teachers (no checkpoint to load)."""
    if model.get('type') == 'TeacherStudentDistill':
        model['allow_random_teacher'] = True
        model['teacher_ckpt'] = None
        for spec in (model.get('teachers') or {}).values():
            spec['ckpt'] = None
    return model


def prepare_data(cfg, root: str, tiles: int, size: int) -> str:
    """Synthetic tiles in the layout of ``cfg``'s training dataset; returns its data_root."""
    from mmkd_rs.datasets.synthetic.catalog import prepare_synthetic
    from mmkd_rs.utils.tool_utils import innermost_dataset_cfg
    inner = innermost_dataset_cfg(cfg.train_dataloader.dataset.to_dict())
    if not osp.isdir(root):
        prepare_synthetic(inner, root, num=tiles, size=size, seed=0)
    return root


def run_config(path: str, data_root: str, args, name: str, work_dir: str):
    """The config of ``path`` on ``data_root``, ready for a short training run."""
    from mmengine.config import Config

    from mmkd_rs.utils.tool_utils import innermost_dataset_cfg
    cfg = Config.fromfile(osp.join(REPO, path))
    cfg.model = random_teachers(cfg.model.to_dict())
    loader = cfg.train_dataloader
    innermost_dataset_cfg(loader.dataset)['data_root'] = data_root
    if args.tiny:
        loader.update(batch_size=2, num_workers=0, persistent_workers=False)
    if args.batch:
        loader.batch_size = args.batch
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=args.iters,
                         val_interval=args.iters + 1)
    cfg.val_dataloader = cfg.val_cfg = cfg.val_evaluator = None
    cfg.test_dataloader = cfg.test_cfg = cfg.test_evaluator = None
    cfg.param_scheduler = []
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=10 ** 9,
                                        save_last=False)
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=max(1, args.iters // 5))
    if args.amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.loss_scale = 'dynamic'
    cfg.work_dir = work_dir
    cfg.experiment_name = name
    cfg.launcher = 'none'
    cfg.env_cfg = dict(cfg.get('env_cfg', {}), cudnn_benchmark=torch.cuda.is_available())
    return cfg


class StepProbe:
    """Runner hook: time of every iteration, finite logged losses, watched loss outputs."""

    priority = 'LOWEST'

    def __init__(self, watch=(), memory_reader=None):
        self.watch, self.times, self.losses, self.nonfinite = watch, [], [], []
        self.watched = []
        self.scales, self._start = [], None
        # peak bytes allocated, read after every iteration: mmengine's LoggerHook
        # resets the CUDA peak counter at each log, so a reading after training
        # would only see what was allocated since the last log
        self.memory_reader = memory_reader or (torch.cuda.max_memory_allocated
                                               if torch.cuda.is_available() else None)
        self.peak_bytes = None

    @staticmethod
    def _sync():
        if torch.cuda.is_available():
            torch.cuda.synchronize()

    def attach(self, runner) -> None:
        from mmengine.hooks import Hook
        probe = self

        class _Hook(Hook):
            def before_train(self, runner):
                model = runner.model.module if hasattr(runner.model, 'module') else runner.model
                for mod_name, module in model.named_modules():
                    if type(module).__name__ in probe.watch:
                        module.register_forward_hook(probe._watcher(mod_name))
                        probe.watched.append(f'{mod_name} ({type(module).__name__})')
                if torch.cuda.is_available():
                    torch.cuda.reset_peak_memory_stats()

            def before_train_iter(self, runner, batch_idx, data_batch=None):
                probe._sync()
                probe._start = time.perf_counter()

            def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
                probe._sync()
                probe.times.append(time.perf_counter() - probe._start)
                logged = {}
                for key, value in (outputs or {}).items():
                    try:
                        logged[key] = float(value.detach() if torch.is_tensor(value)
                                            else value)
                    except (TypeError, ValueError, RuntimeError):
                        continue        # not a scalar

                probe.losses.append(logged)
                probe.nonfinite += [f'iter {batch_idx}: {k}' for k, v in logged.items()
                                   if not math.isfinite(v)]
                scaler = getattr(runner.optim_wrapper, 'loss_scaler', None)
                if scaler is not None:
                    probe.scales.append(float(scaler.get_scale()))

        class _PeakMemory(Hook):
            # before LoggerHook (BELOW_NORMAL) resets the peak counter
            def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
                probe.read_peak()

        runner.register_hook(_Hook(), priority=self.priority)
        if self.memory_reader is not None:
            runner.register_hook(_PeakMemory(), priority=self.memory_priority)

    memory_priority = 'HIGHEST'

    def read_peak(self) -> None:
        peak = int(self.memory_reader())
        self.peak_bytes = peak if self.peak_bytes is None else max(self.peak_bytes, peak)

    def _watcher(self, mod_name):
        def hook(module, inputs, output):
            tensors = output.values() if isinstance(output, dict) else \
                output if isinstance(output, (tuple, list)) else [output]
            for t in tensors:
                if torch.is_tensor(t) and not torch.isfinite(t.detach()).all():
                    self.nonfinite.append(f'{mod_name} ({type(module).__name__}) output')
        return hook


def train(cfg, watch=()):
    """Train ``cfg``; return the measurements and the runner (for FPS)."""
    from mmengine.runner import Runner

    from mmkd_rs.distill.hooks import add_iter_hook
    add_iter_hook(cfg)                 # loss-weight schedules follow the iteration
    runner = Runner.from_cfg(cfg)
    probe = StepProbe(watch)
    probe.attach(runner)
    runner.train()
    skipped = sum(1 for a, b in zip(probe.scales, probe.scales[1:]) if b < a)
    return dict(
        times=probe.times, losses_finite=not probe.nonfinite, watched=probe.watched,
        nonfinite=probe.nonfinite[:20], loss_scale=probe.scales[-1] if probe.scales else None,
        skipped_steps=skipped if probe.scales else None,
        peak_mem_gib=None if probe.peak_bytes is None else probe.peak_bytes / 2 ** 30,
        last_losses=probe.losses[-1] if probe.losses else {}), runner


def fps(model, size: int, args) -> float:
    """Images per second of ``model`` on one ``size`` x ``size`` tile (test mode)."""
    from mmkd_rs.benchmark.complexity import measure_fps
    model.eval()
    autocast = torch.autocast('cuda', dtype=torch.float16) if args.amp and \
        torch.cuda.is_available() else torch.autocast('cpu', enabled=False)
    with autocast:
        out = measure_fps(model, (size, size), warmup=1 if args.tiny else 3,
                          repeat=2 if args.tiny else 10)
    return out['fps']


def loader_throughput(cfg) -> dict:
    """Samples per second of one worker: two passes over the training set (and,
    for SpaceNet 6, one pass with the footprint cache off: the earlier loader)."""
    from mmengine.registry import init_default_scope

    from mmkd_rs.registry import DATASETS
    init_default_scope(cfg.get('default_scope', 'mmkd_rs'))

    def passes(dataset_cfg, count):
        dataset = DATASETS.build(dataset_cfg)
        rates = []
        for _ in range(count):
            start = time.perf_counter()
            for i in range(len(dataset)):
                dataset[i]
            rates.append(len(dataset) / (time.perf_counter() - start))
        return len(dataset), rates

    dataset_cfg = copy.deepcopy(cfg.train_dataloader.dataset)
    samples, (first, second) = passes(dataset_cfg, 2)
    out = dict(samples=samples, first_pass=first, second_pass=second)
    footprints = [t for t in dataset_cfg.get('pipeline', [])
                  if t.get('type') == 'LoadBuildingFootprints']
    if footprints:
        for t in footprints:
            t['cache_mb'] = 0
        out['no_footprint_cache'] = passes(dataset_cfg, 1)[1][0]
    return out


def check_family(name: str, data_dir: str, args) -> dict:
    spec = FAMILIES[name]
    kd_path = spec['tiny_kd' if args.tiny else 'kd']
    student_path = spec['tiny_student' if args.tiny else 'student']
    work = osp.join(args.out_dir, 'runs', name)
    kd_cfg = run_config(kd_path, osp.join(data_dir, name), args, f'{name}-kd', work)
    data_root = prepare_data(kd_cfg, osp.join(data_dir, name), args.tiles if not args.tiny
                             else 4, spec['tiny_tile' if args.tiny else 'tile'])
    title = spec['title'] + (f' (tiny: {osp.basename(kd_path)})' if args.tiny else '')
    out = dict(title=title, kd_config=kd_path, student_config=student_path)
    out['loader'] = loader_throughput(kd_cfg)
    if args.loader_only:
        return out
    kd, runner = train(kd_cfg, spec.get('watch', ()))
    model = runner.model.module if hasattr(runner.model, 'module') else runner.model
    out['student_fps'] = fps(model.student, args.fps_size, args)
    out['teacher_fps'] = {t: fps(m, args.fps_size, args) for t, m in model.teachers.items()}
    del runner, model
    _release()
    student, runner = train(run_config(student_path, data_root, args, f'{name}-student',
                                       work))
    del runner
    _release()
    measured = slice(args.warmup, None)
    out['kd'] = dict(kd, s_per_iter=statistics.median(kd.pop('times')[measured]))
    out['student'] = dict(student, s_per_iter=statistics.median(student.pop('times')[measured]))
    out['kd_overhead'] = out['kd']['s_per_iter'] / out['student']['s_per_iter']
    batch = out['batch'] = kd_cfg.train_dataloader.batch_size
    out['workers_to_keep_up'] = batch / out['kd']['s_per_iter'] / out['loader']['second_pass']
    return out


def _release():
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def dist_launch(name: str, data_dir: str, args) -> dict:
    """``tools/dist_train.sh CONFIG 1`` for 2 iterations of the family's seed method."""
    spec = FAMILIES[name]
    path = spec['tiny_kd' if args.tiny else 'kd']
    work = osp.join(args.out_dir, 'runs', f'{name}-dist')
    options = [f'train_dataloader.dataset.data_root={osp.join(data_dir, name)}',
               'train_cfg.max_iters=2', 'train_cfg.val_interval=100',
               'val_cfg=None', 'val_dataloader=None', 'val_evaluator=None',
               'test_cfg=None', 'test_dataloader=None', 'test_evaluator=None',
               'param_scheduler=[]', 'model.allow_random_teacher=True',
               'model.teacher_ckpt=None', 'default_hooks.checkpoint.save_last=False',
               'default_hooks.checkpoint.interval=1000', 'default_hooks.logger.interval=1']
    if args.tiny:
        options += ['train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
                    'train_dataloader.persistent_workers=False']
    if args.batch:
        options.append(f'train_dataloader.batch_size={args.batch}')
    cmd = ['bash', osp.join(REPO, 'tools', 'dist_train.sh'), path, '1', '--work-dir', work]
    cmd += (['--amp'] if args.amp else []) + ['--cfg-options'] + options
    env = dict(os.environ, PORT=str(_free_port()), PYTHON=sys.executable)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    logs = sorted(glob.glob(osp.join(work, '*', '*.log')))
    text = open(logs[-1]).read() if logs else ''
    backend = re.search(r"backend='?(\w+)", text)
    return dict(config=path, returncode=proc.returncode, seconds=time.perf_counter() - start,
                backend=backend.group(1) if backend else
                ('nccl' if torch.cuda.is_available() else 'gloo'),
                iterations_logged=len(re.findall(r'Iter\(train\) \[', text)),
                stderr_tail=proc.stderr[-1500:] if proc.returncode else '')


def loader_markdown(result: dict) -> str:
    lines = ['Data loader throughput, one worker (the training pipeline in one process), '
             'samples/s:', '', '| family | tiles | 1st pass | 2nd pass | footprint cache off |',
             '|---|---|---|---|---|']
    for name, r in result['families'].items():
        if 'error' in r:
            lines.append(f"| {name}: {r['title']} | FAILED | | | |")
            continue
        lo = r['loader']
        off = lo.get('no_footprint_cache')
        lines.append(f"| {name}: {r['title']} | {lo['samples']} | {lo['first_pass']:.2f} | "
                     f"{lo['second_pass']:.2f} | {'-' if off is None else f'{off:.2f}'} |")
    return '\n'.join(lines) + '\n'


def markdown(result: dict) -> str:
    s = result['setting']
    if s.get('loader_only'):
        return loader_markdown(result)
    lines = [f"{s['device']}; {s['iters']} iterations per run (s/iter: median after "
             f"{s['warmup']}), {'float16 AMP' if s['amp'] else 'no autocast'}; "
             f"FPS on {s['fps_size']} x {s['fps_size']} tiles; check took "
             f"{result['seconds']:.0f} s.", '',
             '| family | batch | s/iter KD | s/iter student | KD overhead | peak GPU mem (GiB) | '
             'losses finite | skipped steps | student FPS | teacher FPS | '
             'loader samples/s (1 worker, 1st / 2nd pass) |',
             '|---|---|---|---|---|---|---|---|---|---|---|']
    for name, r in result['families'].items():
        if 'error' in r:
            last = r['error'].strip().splitlines()[-1]
            lines.append(f"| {name}: {r['title']} | FAILED: {last} |" + ' |' * 9)
            continue
        mem = r['kd']['peak_mem_gib']
        teacher = ', '.join(f'{v:.1f}' for v in r['teacher_fps'].values())
        lines.append(
            f"| {name}: {r['title']} | {r['batch']} | {r['kd']['s_per_iter']:.3f} | "
            f"{r['student']['s_per_iter']:.3f} | {r['kd_overhead']:.2f} | "
            f"{'-' if mem is None else f'{mem:.1f}'} | "
            f"{'yes' if r['kd']['losses_finite'] and r['student']['losses_finite'] else 'NO'} | "
            f"{'-' if r['kd']['skipped_steps'] is None else r['kd']['skipped_steps']} | "
            f"{r['student_fps']:.1f} | {teacher} | "
            f"{r['loader']['first_pass']:.1f} / {r['loader']['second_pass']:.1f} |")
    d = result.get('dist')
    if d:
        lines += ['', f"`tools/dist_train.sh {d['config']} 1`: exit {d['returncode']}, "
                  f"backend {d['backend']}, {d['iterations_logged']} iterations logged, "
                  f"{d['seconds']:.0f} s."]
    return '\n'.join(lines) + '\n'


def update_readme(path: str, table: str) -> None:
    text = open(path).read()
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise SystemExit(f'{path}: no {README_START} ... {README_END} block to replace')
    with open(path, 'w') as f:
        f.write(text[:start + len(README_START)] + '\n' + table + text[end:])


def write_partial(result: dict, out_dir: str) -> None:
    """``gpu_check.json`` as it stands after each family (a run stopped by a time
    limit keeps the families it finished)."""
    with open(osp.join(out_dir, 'gpu_check.json'), 'w') as f:
        json.dump(dict(result, partial=True), f, indent=2)


def main(argv=None):
    args = parse_args(argv)
    import mmkd_rs  # noqa: F401
    if not args.tiny and not torch.cuda.is_available():
        print('note: no CUDA device; the full check is meant for a GPU (use --tiny on CPU)')
    os.makedirs(args.out_dir, exist_ok=True)
    start = time.perf_counter()
    tmp = None
    data_dir = args.data_dir
    if data_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix='gpu_check_')
        data_dir = tmp.name
    device = torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'CPU'
    result = dict(setting=dict(device=device, tiny=args.tiny, iters=args.iters,
                               warmup=args.warmup, amp=args.amp, fps_size=args.fps_size,
                               torch=torch.__version__), families={})
    if args.loader_only:
        result['setting']['loader_only'] = True
    for name in args.families:
        try:
            result['families'][name] = check_family(name, data_dir, args)
        except Exception as exc:    # one broken family must not hide the others' figures
            result['families'][name] = dict(title=FAMILIES[name]['title'],
                                            error=traceback.format_exc()[-3000:])
            print(f'{name}: FAILED: {exc!r}', file=sys.stderr)
            _release()
        write_partial(result, args.out_dir)
    if not (args.no_dist or args.loader_only):
        name = args.dist_family or args.families[0]
        if name not in result['families']:          # its data comes from its own check
            prepare_data(run_config(FAMILIES[name]['tiny_kd' if args.tiny else 'kd'],
                                    osp.join(data_dir, name), args, f'{name}-data', '.'),
                         osp.join(data_dir, name), 4 if args.tiny else args.tiles,
                         FAMILIES[name]['tiny_tile' if args.tiny else 'tile'])
        result['dist'] = dist_launch(name, data_dir, args)
    result['seconds'] = time.perf_counter() - start
    if tmp is not None:
        tmp.cleanup()
    table = markdown(result)
    with open(osp.join(args.out_dir, 'gpu_check.json'), 'w') as f:
        json.dump(result, f, indent=2)
    with open(osp.join(args.out_dir, 'gpu_check.md'), 'w') as f:
        f.write(table)
    if args.readme:
        update_readme(args.readme, table)
    print(table)
    failed = [n for n, r in result['families'].items() if 'error' in r or 'kd' in r
              and not (r['kd']['losses_finite'] and r['student']['losses_finite'])]
    if failed or (result.get('dist') or {}).get('returncode'):
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
