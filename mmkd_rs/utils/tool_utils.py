"""Shared logic of ``tools/train.py`` and ``tools/test.py``.

Kept out of the scripts so that both tools behave identically and so that
the behaviour is importable and testable.
"""
import difflib
import os
import os.path as osp

import torch
from mmengine.config import Config

from .cfg_options import check_cfg_options
from .errors import DatasetNotFoundError, UserError

__all__ = ['load_config', 'set_work_dir', 'check_checkpoint',
           'check_data_roots', 'innermost_dataset_cfg', 'pin_torch_threads']


def load_config(path: str, cfg_options=None) -> Config:
    """Read a config file (with ``_base_`` inheritance) and merge overrides.

    Raises:
        UserError: the file does not exist (close matches are suggested), or
            an override names a key the config does not have (see
            :func:`~mmkd_rs.utils.cfg_options.check_cfg_options`).
    """
    if not osp.isfile(path):
        msg = f'config file "{path}" does not exist.'
        folder = osp.dirname(path) or '.'
        if osp.isdir(folder):
            close = difflib.get_close_matches(osp.basename(path), os.listdir(folder), n=3)
            if close:
                msg += ' Close matches in ' + folder + ': ' + ', '.join(close) + '.'
        raise UserError(msg)
    cfg = Config.fromfile(path)
    if cfg_options:
        check_cfg_options(cfg.to_dict(), cfg_options, path)
        cfg.merge_from_dict(cfg_options)
    return cfg


def set_work_dir(cfg: Config, work_dir, config_path: str) -> None:
    """``--work-dir`` > ``work_dir`` in the config > ``./work_dirs/<config name>``."""
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(config_path))[0])


def check_checkpoint(path: str, what: str = 'checkpoint') -> None:
    """Raise :class:`UserError` if a local checkpoint path is missing."""
    if path and '://' not in path and not osp.isfile(path):
        raise UserError(f'{what} file "{path}" does not exist.')


def innermost_dataset_cfg(cfg: dict) -> dict:
    """Follow dataset wrappers (RepeatDataset, ...) down to the dataset holding the data."""
    while isinstance(cfg.get('dataset'), dict) and 'type' in cfg['dataset']:
        cfg = cfg['dataset']
    return cfg


def _layout_of(ds_cfg: dict, cls) -> str:
    layout = getattr(cls, 'EXPECTED_LAYOUT', '')
    if layout:
        return layout.replace('<data_root>', str(ds_cfg.get('data_root') or '<data_root>'))
    lines = [f"  {ds_cfg.get('data_root')}/"]
    for key, folder in sorted((ds_cfg.get('data_prefix') or {}).items()):
        if folder:
            lines.append(f'    {folder}/   ({key})')
    return '\n'.join(lines)


def check_data_roots(cfg: Config, loader_keys) -> None:
    """Fail early, with the expected layout, if a dataset folder is missing.

    For each dataloader in ``loader_keys`` (e.g. ``('train_dataloader',
    'val_dataloader')``) the dataset's ``data_root`` and its ``data_prefix``
    folders must exist. The message shows the layout (the dataset class's
    ``EXPECTED_LAYOUT`` if it has one, else the config's folders) and how to
    prepare the data (the class's ``PREPARE_COMMAND``).

    Raises:
        DatasetNotFoundError: a folder is missing.
    """
    from mmkd_rs.registry import DATASETS
    for key in loader_keys:
        loader = cfg.get(key)
        if not loader or not isinstance(loader.get('dataset'), dict):
            continue
        ds_cfg = innermost_dataset_cfg(loader['dataset'])
        root = ds_cfg.get('data_root') or ''
        prefixes = [v for v in (ds_cfg.get('data_prefix') or {}).values()
                    if isinstance(v, str) and v]
        missing = None
        if root and not osp.isdir(root):
            missing = root
        else:
            for folder in prefixes:
                path = osp.join(root, folder)
                if not osp.exists(path):
                    missing = path
                    break
        if missing is None:
            continue
        ds_type = ds_cfg.get('type', 'dataset')
        cls = DATASETS.get(ds_type) if isinstance(ds_type, str) else ds_type
        name = getattr(cls, '__name__', str(ds_type))
        raise DatasetNotFoundError(
            f'{name} ({key})', missing, _layout_of(ds_cfg, cls),
            getattr(cls, 'PREPARE_COMMAND', '') or
            'convert the dataset with the matching tools/dataset_converters/ script')


def pin_torch_threads() -> None:
    """``torch.set_num_threads(OMP_NUM_THREADS)`` when the variable is set.

    torch alone caps the variable at the number of cores; the benchmark
    runner sets it to the suite's ``threads`` (1) so that a run repeats bit
    for bit on the same machine: with more threads oneDNN's convolution
    weight gradients can differ in the last bits between two processes.
    """
    value = os.environ.get('OMP_NUM_THREADS', '').strip()
    if value.isdigit() and int(value) > 0:
        torch.set_num_threads(int(value))
