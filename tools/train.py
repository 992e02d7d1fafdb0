"""Train a segmentor or a distillation model from a config.

Examples::

    python tools/train.py configs/changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256x256.py
    python tools/train.py CONFIG --work-dir work_dirs/x --resume           # auto
    python tools/train.py CONFIG --resume work_dirs/x/iter_400.pth
    python tools/train.py CONFIG --work-dir work_dirs/x --overwrite      # start over
    python tools/train.py CONFIG --amp --cfg-options train_cfg.max_iters=1000
    bash tools/dist_train.sh CONFIG 8                                        # torchrun
"""
import argparse
import glob
import os
import os.path as osp
import sys

from mmengine.config import DictAction

import mmkd_rs  # noqa: F401  (mmcv-lite compatibility, safe checkpoint loading)
from mmkd_rs.utils.errors import UserError, user_errors

# torch, mmengine's runner and the project's modules are imported after the
# arguments are parsed, so that --help and argument errors answer at once


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a model (mmkd_rs)')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume', nargs='?', type=str, const='auto',
        help='resume from the latest checkpoint in the work_dir (no value or "auto"; '
        'a damaged last checkpoint falls back to the previous intact one) or from the '
        'given checkpoint path')
    parser.add_argument(
        '--overwrite', action='store_true',
        help='start a fresh run in a work dir that holds checkpoints, deleting them first '
        '(without it such a run is refused)')
    parser.add_argument('--amp', action='store_true',
                        help='mixed precision: float16 + loss scaling on CUDA, bfloat16 on CPU')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override settings in the config, key=value pairs, e.g. '
        'train_cfg.max_iters=100 model.backbone.depth=18 "data.x=[a,b]"')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm'], default='none',
                        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def apply_amp(cfg) -> None:
    wrapper = cfg.optim_wrapper.get('type', 'OptimWrapper')
    if wrapper in ('AmpOptimWrapper', 'CPUAmpOptimWrapper'):
        return
    if wrapper != 'OptimWrapper':
        raise UserError(f'--amp needs optim_wrapper.type="OptimWrapper", got "{wrapper}"')
    import torch
    if torch.cuda.is_available():
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.loss_scale = 'dynamic'
    else:
        cfg.optim_wrapper.type = 'CPUAmpOptimWrapper'
        cfg.optim_wrapper.dtype = 'bfloat16'


def resumable_checkpoint(work_dir: str):
    """The work dir's last checkpoint, or the previous intact one if it is damaged.

    Returns:
        str or None: None when the work dir has no checkpoint yet.

    Raises:
        UserError: the last checkpoint is damaged and no earlier one is intact.
    """
    from mmengine.runner import find_latest_checkpoint

    from mmkd_rs.utils.checkpoint_safety import (checkpoint_damage, damaged_message,
                                                 previous_intact_checkpoint)
    latest = find_latest_checkpoint(work_dir)
    if latest is None:
        return None
    damage = checkpoint_damage(latest) if osp.isfile(latest) else \
        'the file named in last_checkpoint does not exist'
    if not damage:
        return latest
    previous = previous_intact_checkpoint(latest)
    if previous is None:
        raise UserError(damaged_message(latest, damage) + ' No earlier intact checkpoint is '
                        f'in "{osp.dirname(latest)}": start over with --overwrite.')
    print(f'train: warning: the last checkpoint "{latest}" is damaged: {damage}. Resuming '
          f'from the previous intact checkpoint "{previous}".', file=sys.stderr, flush=True)
    return previous


def check_intact(path: str) -> None:
    """Raise :class:`UserError` naming ``path`` if it is a damaged local file."""
    from mmkd_rs.utils.checkpoint_safety import checkpoint_damage, damaged_message
    damage = osp.isfile(path) and checkpoint_damage(path)
    if damage:
        raise UserError(damaged_message(path, damage))


def claim_work_dir(work_dir: str, overwrite: bool) -> None:
    """Refuse a fresh run over the checkpoints of another; delete them with ``overwrite``."""
    found = sorted(glob.glob(osp.join(work_dir, '*.pth')))
    found += [p for p in [osp.join(work_dir, 'last_checkpoint')] if osp.isfile(p)]
    if not found:
        return
    names = ', '.join(osp.basename(p) for p in found[:4]) + (', ...' if len(found) > 4 else '')
    if not overwrite:
        raise UserError(
            f'work dir "{work_dir}" already holds checkpoints of an earlier run ({names}); '
            'a fresh run would replace them. Continue that run with --resume, start '
            'elsewhere with another --work-dir, or pass --overwrite to delete them and '
            'start over.')
    for path in found:
        try:
            os.remove(path)
        except FileNotFoundError:   # another rank removed it first
            pass
    print(f'train: --overwrite: deleted {len(found)} files of the earlier run in '
          f'"{work_dir}" ({names})', flush=True)


def main(argv=None):
    args = parse_args(argv)
    with user_errors('train'):
        from mmkd_rs.distill.hooks import add_iter_hook
        from mmkd_rs.engine.launcher import setup_launcher
        from mmkd_rs.utils.tool_utils import (check_checkpoint, check_data_roots,
                                              load_config, pin_torch_threads, set_work_dir)
        pin_torch_threads()
        cfg = load_config(args.config, args.cfg_options)
        set_work_dir(cfg, args.work_dir, args.config)
        if args.amp:
            apply_amp(cfg)
        if args.overwrite and args.resume is not None:
            raise UserError('--overwrite starts a fresh run: it cannot be combined with '
                            '--resume.')
        if args.resume == 'auto':
            # Resume from the work dir's latest checkpoint; with none yet this
            # is a fresh run, which still starts from the config's load_from
            # (e.g. pre-trained weights) instead of silently dropping it.
            latest = resumable_checkpoint(cfg.work_dir)
            if latest is not None:
                cfg.resume, cfg.load_from = True, latest
            else:
                cfg.resume = False
                if cfg.get('load_from'):
                    check_checkpoint(cfg.load_from, 'load_from checkpoint')
        elif args.resume is not None:
            check_checkpoint(args.resume, 'resume checkpoint')
            check_intact(args.resume)
            cfg.resume, cfg.load_from = True, args.resume
        else:
            claim_work_dir(cfg.work_dir, args.overwrite)
            if cfg.get('load_from'):
                check_checkpoint(cfg.load_from, 'load_from checkpoint')
        check_data_roots(cfg, ('train_dataloader', 'val_dataloader'))
        add_iter_hook(cfg)
        setup_launcher(cfg, args.launcher)

        from mmengine.registry import RUNNERS

        from mmkd_rs.engine.strict_loading import StrictLoadRunner
        runner = StrictLoadRunner.from_cfg(cfg) if 'runner_type' not in cfg \
            else RUNNERS.build(cfg)
        runner.train()


if __name__ == '__main__':
    main()
