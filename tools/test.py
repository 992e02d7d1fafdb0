"""Test (and evaluate) a checkpoint.

Examples::

    python tools/test.py CONFIG CHECKPOINT
    python tools/test.py CONFIG CHECKPOINT --work-dir work_dirs/eval --show-dir vis
    python tools/test.py CONFIG CHECKPOINT --out preds/        # masks (GeoTIFF / PNG)
    python tools/test.py CONFIG CHECKPOINT --cfg-options load_strict=False  # partial load
    bash tools/dist_test.sh CONFIG CHECKPOINT 8
"""
import argparse
import os

from mmengine.config import DictAction

import mmkd_rs  # noqa: F401  (mmcv-lite compatibility, safe checkpoint loading)
from mmkd_rs.utils.errors import UserError, user_errors

# torch, mmengine's runner and the project's modules are imported after the
# arguments are parsed, so that --help and argument errors answer at once


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test (and evaluate) a model (mmkd_rs)')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='dir for logs and the metrics json')
    parser.add_argument('--out', help='dir to save the predicted masks, one per image: '
                        '<input stem>_mask.tif on the input\'s CRS and transform for a '
                        'georeferenced input, else <input stem>_mask.png (0/255 for two '
                        'classes, palette colours for more)')
    parser.add_argument('--show', action='store_true', help='show predictions in a window')
    parser.add_argument('--show-dir', help='dir to save painted predictions (PNG)')
    parser.add_argument('--wait-time', type=float, default=2, help='interval of --show (s)')
    parser.add_argument('--show-interval', type=int, default=1,
                        help='draw every N-th test image with --show/--show-dir (default: all)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings in the config, key=value pairs')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm'], default='none')
    parser.add_argument('--tta', action='store_true', help='test-time augmentation')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def trigger_visualization_hook(cfg, args) -> None:
    hook = cfg.default_hooks.get('visualization')
    if hook is None:
        raise UserError('--show/--show-dir need default_hooks.visualization '
                        "(e.g. dict(type='SegVisualizationHook')) in the config.")
    hook['draw'] = True
    hook['interval'] = args.show_interval
    if args.show:
        hook['show'] = True
        hook['wait_time'] = args.wait_time
    if args.show_dir:
        cfg.visualizer['save_dir'] = args.show_dir


def main(argv=None):
    args = parse_args(argv)
    with user_errors('test'):
        from mmkd_rs.engine.launcher import setup_launcher
        from mmkd_rs.utils.tool_utils import (check_checkpoint, check_data_roots,
                                              load_config, pin_torch_threads, set_work_dir)
        pin_torch_threads()
        cfg = load_config(args.config, args.cfg_options)
        set_work_dir(cfg, args.work_dir, args.config)
        check_checkpoint(args.checkpoint)
        cfg.load_from = args.checkpoint
        if args.show or args.show_dir:
            trigger_visualization_hook(cfg, args)
        if args.tta:
            cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
            cfg.tta_model.module = cfg.model
            cfg.model = cfg.tta_model
        if args.out is not None:
            cfg.setdefault('custom_hooks', [])
            cfg.custom_hooks.append(dict(type='PredictionWriterHook', out_dir=args.out))
        # Testing needs no training parts; without them hooks that ask for
        # runner.iter (e.g. SegVisualizationHook) do not build the training
        # dataset, so a machine holding only the test split can evaluate.
        for key in ('train_dataloader', 'train_cfg', 'optim_wrapper', 'param_scheduler'):
            cfg[key] = None
        check_data_roots(cfg, ('test_dataloader', ))
        setup_launcher(cfg, args.launcher)

        from mmengine.registry import RUNNERS

        from mmkd_rs.engine.strict_loading import StrictLoadRunner
        # a checkpoint of another model is refused (load_strict=False: matching tensors)
        runner = StrictLoadRunner.from_cfg(cfg) if 'runner_type' not in cfg \
            else RUNNERS.build(cfg)
        runner.test()


if __name__ == '__main__':
    main()
