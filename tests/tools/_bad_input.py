"""Shared steps of the bad-input campaign (``tests/tools/test_bad_input_*.py``).

Every case feeds one kind of bad input to a tool and checks the documented
outcome: exit status 2 with one paragraph (no traceback) naming the file or
key, unless the case documents another behaviour. The tools' ``main()`` run
in this process; data cases use :func:`load_as_training`, the steps
``tools/train.py`` takes with the data before its first iteration.
"""
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / 'tools'))


def tool_main(relative: str):
    """``main`` of ``tools/<relative>`` (e.g. ``'dataset_converters/spacenet3.py'``)."""
    name = 'bad_input_' + relative.replace('/', '_')[:-3]
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / 'tools' / relative)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules[name] = module
    return sys.modules[name].main


def user_error(capsys, call, *needles) -> str:
    """Run ``call``; assert exit status 2 and one paragraph without traceback holding
    every needle. Returns the paragraph."""
    with pytest.raises(SystemExit) as exit_:
        call()
    err = capsys.readouterr().err
    assert exit_.value.code == 2, err[-3000:]
    # the tool's paragraph comes last ("<tool>: error: ..."); loggers of earlier
    # in-process runs may have written before it
    assert ': error: ' in err, err[-3000:]
    paragraph = err[err.rindex(': error: '):]
    assert 'Traceback' not in paragraph, paragraph
    for needle in needles:
        assert str(needle) in paragraph, (needle, paragraph)
    return paragraph


def load_as_training(config, options, loader='train_dataloader', index=0):
    """What ``tools/train.py`` does with the data before iterating, in this process.

    The config with its ``--cfg-options`` (a dict, as ``DictAction`` gives
    it), the data-root check, the dataset of ``loader`` and sample ``index``
    through its pipeline, under the tool's error handling (exit status 2 for
    user errors). Returns the packed sample.
    """
    from mmengine.registry import init_default_scope

    from mmkd_rs.registry import DATASETS
    from mmkd_rs.utils.errors import user_errors
    from mmkd_rs.utils.tool_utils import check_data_roots, load_config
    with user_errors('train'):
        cfg = load_config(str(config), options)
        check_data_roots(cfg, (loader, ))
        init_default_scope(cfg.get('default_scope', 'mmkd_rs'))
        return DATASETS.build(cfg[loader]['dataset'])[index]


def truncate(path, keep=0.5) -> Path:
    """Cut ``path`` to ``keep`` of its bytes (0: an empty file)."""
    path = Path(path)
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * keep)])
    return path


def write_geotiff(path, array, crs='EPSG:32631', origin=(592000.0, 5751000.0), pixel=2.0,
                  nodata=None) -> Path:
    """Write ``array`` (H x W x C) as a GeoTIFF on a north-up grid."""
    array = np.asarray(array)
    with rasterio.open(path, 'w', driver='GTiff', height=array.shape[0],
                       width=array.shape[1], count=array.shape[2], dtype=array.dtype,
                       crs=crs, nodata=nodata,
                       transform=from_origin(origin[0], origin[1], pixel, pixel)) as dst:
        dst.write(np.moveaxis(array, -1, 0))
    return Path(path)
