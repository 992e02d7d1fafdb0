"""tools/infer.py: predictions of pairs and folders on disk, user errors with status 2."""
import importlib.util
import json
import os.path as osp
import sys

import numpy as np
import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.join(REPO, 'tests', 'apis'))
from _infer_kit import random_checkpoint, scene, tiny_config, write_raster  # noqa: E402


def _tool():
    spec = importlib.util.spec_from_file_location('infer_tool', osp.join(REPO, 'tools',
                                                                         'infer.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_infer_writes_every_output_of_two_folders_of_pairs(tmp_path, capsys):
    import rasterio
    rng = np.random.default_rng(0)
    for date in ('2019', '2023'):
        (tmp_path / date).mkdir()
        for name in ('north', 'south'):
            write_raster(tmp_path / date / f'{name}.tif', scene(rng, 3, 70, 50))
    config = tiny_config('change', tmp_path)
    ckpt = random_checkpoint(config, tmp_path / 'c.pth',
                             (str(tmp_path / '2019' / 'north.tif'),
                              str(tmp_path / '2023' / 'north.tif')))
    out = tmp_path / 'preds'
    results = _tool().main([config, ckpt, str(tmp_path / '2019'), str(tmp_path / '2023'),
                            '--out', str(out), '--probs', '--tile-size', '32'])
    assert [r['name'] for r in results] == ['north', 'south']
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f'{n}_{kind}' for n in ('north', 'south')
        for kind in ('mask.tif', 'probs.tif', 'polygons.geojson'))
    with rasterio.open(out / 'south_mask.tif') as src, \
            rasterio.open(tmp_path / '2019' / 'south.tif') as ref:
        assert src.crs == ref.crs and src.transform == ref.transform
        assert set(np.unique(src.read(1))) == {0, 1}
    assert json.load(open(out / 'north_polygons.geojson'))['features']
    printed = capsys.readouterr().out
    assert 'north: north_mask.tif, north_probs.tif, north_polygons.geojson' in printed
    assert '2 input(s) predicted into' in printed


def test_infer_user_errors_exit_with_status_2(tmp_path, capsys):
    config = tiny_config('change', tmp_path)
    single = write_raster(tmp_path / 'a.tif', scene(np.random.default_rng(0), 3, 20, 20))
    tool = _tool()
    ckpt = random_checkpoint(config, tmp_path / 'c.pth')
    for argv, message in (
            ([config, str(tmp_path / 'none.pth'), single, single], 'none.pth" does not exist'),
            ([config, ckpt, single], 'come in pairs'),
            ([config, ckpt, single, str(tmp_path / 'b.tif')], 'b.tif" does not exist')):
        with pytest.raises(SystemExit) as exit_info:
            tool.main(argv + ['--out', str(tmp_path / 'out')])
        assert exit_info.value.code == 2
        assert message in capsys.readouterr().err
