"""Make a suite's dataset available before its runs start.

A suite's ``dataset`` may say how to generate it::

    dataset = dict(name='synthetic LEVIR-CD', data_root='data/levir_cd_synthetic',
                   generate=dict(func='mmkd_rs.datasets.synthetic.levir.generate_synthetic_levir',
                                 kwargs=dict(num_train=16, num_val=4, num_test=8, size=64,
                                             seed=0)))

The generator is called as ``func(data_root, **kwargs)`` when ``data_root``
does not exist yet.  Real datasets (no ``generate``) must already be there.
"""
import importlib
import os.path as osp
from typing import Callable

from .suite import Suite, SuiteError

__all__ = ['import_function', 'prepare_dataset']


def import_function(dotted: str, where: str) -> Callable:
    """``'pkg.module.func'`` -> the function."""
    module_name, _, func_name = dotted.rpartition('.')
    if not module_name:
        raise SuiteError(f'{where}: "{dotted}" is not a dotted path "package.module.function"')
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        raise SuiteError(f'{where}: cannot import module "{module_name}" ({err})') from err
    func = getattr(module, func_name, None)
    if not callable(func):
        raise SuiteError(f'{where}: module "{module_name}" has no function "{func_name}"')
    return func


def prepare_dataset(suite: Suite, repo_root: str = '.', log: Callable = print) -> str:
    """Generate the suite's data if needed; return its absolute ``data_root``.

    Raises:
        SuiteError: no ``data_root``, or a real dataset that is not on disk.
    """
    dataset = suite.dataset or {}
    if not dataset.get('data_root'):
        return ''
    root = osp.join(repo_root, dataset['data_root'])
    if osp.isdir(root):
        return osp.abspath(root)
    generate = dataset.get('generate')
    if not generate:
        raise SuiteError(f'{suite.path}: dataset "{dataset.get("name", "")}" not found at '
                         f'"{root}" and the suite has no "generate" entry; prepare it with '
                         'the converters in tools/dataset_converters/')
    func = import_function(generate['func'], f'{suite.path}: dataset.generate.func')
    log(f'[data] generating {dataset.get("name", "dataset")} into {root}')
    func(root, **dict(generate.get('kwargs', {})))
    return osp.abspath(root)
