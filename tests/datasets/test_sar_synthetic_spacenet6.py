"""Synthetic SpaceNet 6 generator: format, georeferencing, determinism and
SAR physics that a model can rely on."""
import hashlib
import json

import numpy as np
import pytest
import rasterio
from shapely.geometry import box

from mmkd_rs.datasets.synthetic.spacenet6 import (ROAD, ROOF, VEG, WATER,
                                                  _sar,
                                                  _scene,
                                                  generate_synthetic_spacenet6)


def _digest(root):
    h = hashlib.sha256()
    for path in sorted(root.rglob('*')):
        if path.is_file():
            h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def test_format_georeference_and_determinism(tmp_path):
    a, b, c = tmp_path / 'a', tmp_path / 'b', tmp_path / 'c'
    splits = generate_synthetic_spacenet6(str(a), num_tiles=4, size=32, seed=5)
    generate_synthetic_spacenet6(str(b), num_tiles=4, size=32, seed=5)
    generate_synthetic_spacenet6(str(c), num_tiles=4, size=32, seed=6)
    assert _digest(a) == _digest(b) != _digest(c)
    sar = sorted((a / 'SAR-Intensity').glob('*.tif'))
    eo = sorted((a / 'PS-RGB').glob('*.tif'))
    assert len(sar) == len(eo) == 5  # 4 + one all-NaN tile
    with rasterio.open(sar[0]) as s, rasterio.open(eo[0]) as e:
        assert s.count == 4 and s.dtypes[0] == 'float32'
        assert e.count == 3 and e.dtypes[0] == 'uint8'
        assert s.crs.to_epsg() == e.crs.to_epsg() == 32631
        assert s.transform == e.transform
        assert 590000 < s.transform.c < 600000 and 5.74e6 < s.transform.f < 5.76e6
        values = s.read()
    finite = values[np.isfinite(values)]
    assert -45 < finite.min() and finite.max() < 25  # dB-plausible
    geo = json.loads(next((a / 'geojson_buildings').glob('*.geojson'))
                     .read_text())
    lon, lat = geo['features'][0]['geometry']['coordinates'][0][0]
    assert 4.2 < lon < 4.6 and 51.8 < lat < 52.0  # Rotterdam
    orient = (a / 'SummaryData' / 'SAR_orientations.txt').read_text().split()
    assert orient[1::2] == ['0', '1']
    assert len(splits['train']) + len(splits['val']) == 4


def test_sar_physics_water_dark_layover_towards_sensor():
    rng = np.random.default_rng(0)
    cover, buildings = _scene(rng, 64, 2.0, (6, 10))
    north = 10 * np.log10(_sar(np.random.default_rng(1), cover, buildings, 0,
                               2.0, 35.0, looks=64))
    south = 10 * np.log10(_sar(np.random.default_rng(1), cover, buildings, 1,
                               2.0, 35.0, looks=64))
    hh = north[..., 0]
    if (cover == WATER).any():
        assert hh[cover == WATER].mean() < hh[cover == ROAD].mean() \
            < hh[cover == VEG].mean()
    # A 16 m x 16 m, 20 m tall building in the middle: its bright return
    # (roof layover + double bounce) lies north of the footprint when imaged
    # from the north, south of it when imaged from the south.
    cover = np.full((64, 64), VEG, np.uint8)
    cover[28:36, 28:36] = ROOF
    building = [(box(28, 28, 36, 36), 20.0)]
    rows = []
    for orientation in (0, 1):
        img = 10 * np.log10(_sar(np.random.default_rng(1), cover, building,
                                 orientation, 2.0, 35.0, looks=64))
        bright = np.nonzero(img[..., 0] > -6)[0]
        rows.append((bright.min(), bright.max()))
    shift = round(20.0 / np.tan(np.deg2rad(35.0)) / 2.0)  # 14 px
    assert rows[0] == (28 - shift, 28)  # layover up to the north edge
    assert rows[1] == (35, 35 + shift)  # mirrored for a southern look


def test_separate_test_split_easternmost(tmp_path):
    """test_fraction writes splits/test.txt with the easternmost tiles; val takes
    the next ones west; the three splits are disjoint. Without it there is no
    test split and val is what it was."""
    with_test = generate_synthetic_spacenet6(str(tmp_path / 'a'), num_tiles=12, size=16,
                                             val_fraction=0.25, test_fraction=0.25, seed=2)
    without = generate_synthetic_spacenet6(str(tmp_path / 'b'), num_tiles=12, size=16,
                                           val_fraction=0.25, seed=2)
    assert [len(with_test[k]) for k in ('train', 'val', 'test')] == [6, 3, 3]
    assert not set(with_test['test']) & set(with_test['val'])
    assert set(without) == {'train', 'val'} and len(without['val']) == 3
    assert without['val'] == with_test['test']  # the easternmost tiles
    lines = (tmp_path / 'a' / 'splits' / 'test.txt').read_text().split()
    assert lines == with_test['test']
    with pytest.raises(ValueError, match='none for training'):
        generate_synthetic_spacenet6(str(tmp_path / 'c'), num_tiles=4, size=16,
                                     val_fraction=0.5, test_fraction=0.5)
