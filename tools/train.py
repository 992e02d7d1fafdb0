"""Train a segmentor or a distillation model from a config.

Examples::

    python tools/train.py configs/changedet/siam_r18w32-fpn_1xb8-20k_levir-cd-256.py
    python tools/train.py CONFIG --work-dir work_dirs/x --resume           # auto
    python tools/train.py CONFIG --resume work_dirs/x/iter_400.pth
    python tools/train.py CONFIG --amp --cfg-options train_cfg.max_iters=1000
    bash tools/dist_train.sh CONFIG 8                                        # torchrun
"""
import argparse
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import torch  # noqa: E402
from mmengine.config import DictAction  # noqa: E402

import mmkd_rs  # noqa: E402,F401  (mmcv-lite compatibility, safe checkpoint loading)
from mmkd_rs.utils.errors import user_errors  # noqa: E402
from mmkd_rs.utils.tool_utils import (check_checkpoint, check_data_roots,  # noqa: E402
                                      load_config, pin_torch_threads, set_work_dir,
                                      setup_launcher)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a model (mmkd_rs)')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume', nargs='?', type=str, const='auto',
        help='resume from the latest checkpoint in the work_dir (no value or "auto") '
        'or from the given checkpoint path')
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
        raise SystemExit(f'--amp needs optim_wrapper.type="OptimWrapper", got "{wrapper}"')
    if torch.cuda.is_available():
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.loss_scale = 'dynamic'
    else:
        cfg.optim_wrapper.type = 'CPUAmpOptimWrapper'
        cfg.optim_wrapper.dtype = 'bfloat16'


def main(argv=None):
    args = parse_args(argv)
    with user_errors('train'):
        pin_torch_threads()
        cfg = load_config(args.config, args.cfg_options)
        set_work_dir(cfg, args.work_dir, args.config)
        if args.amp:
            apply_amp(cfg)
        if args.resume == 'auto':
            # Resume from the work dir's latest checkpoint; with none yet this
            # is a fresh run, which still starts from the config's load_from
            # (e.g. pre-trained weights) instead of silently dropping it.
            from mmengine.runner import find_latest_checkpoint
            latest = find_latest_checkpoint(cfg.work_dir)
            if latest is not None:
                cfg.resume, cfg.load_from = True, latest
            else:
                cfg.resume = False
                if cfg.get('load_from'):
                    check_checkpoint(cfg.load_from, 'load_from checkpoint')
        elif args.resume is not None:
            check_checkpoint(args.resume, 'resume checkpoint')
            cfg.resume, cfg.load_from = True, args.resume
        elif cfg.get('load_from'):
            check_checkpoint(cfg.load_from, 'load_from checkpoint')
        check_data_roots(cfg, ('train_dataloader', 'val_dataloader'))
        setup_launcher(cfg, args.launcher)

        from mmengine.registry import RUNNERS
        from mmengine.runner import Runner
        runner = Runner.from_cfg(cfg) if 'runner_type' not in cfg else RUNNERS.build(cfg)
        runner.train()


if __name__ == '__main__':
    main()
