"""SpaceNet 6 preparation (split by easting, dropped empty tiles, band
statistics) and the synthetic SEN12MS writer."""
import numpy as np
import rasterio

from mmkd_rs.datasets.sar_optical.prepare import (band_stats,
                                                  split_spacenet6,
                                                  write_splits)
from mmkd_rs.datasets.synthetic.sen12ms import generate_synthetic_sen12ms
from mmkd_rs.datasets.synthetic.spacenet6 import generate_synthetic_spacenet6


def test_split_by_easting_drops_all_nan_tiles(tmp_path):
    root = str(tmp_path / 'sn6')
    splits = generate_synthetic_spacenet6(root, num_tiles=5, size=16,
                                          num_empty_tiles=1, seed=0)
    # tile columns are 32 m wide from 592000 m E; val from 592064 m E
    out, dropped = split_spacenet6(root, val_min_easting=592064.0)
    assert len(dropped) == 1 and dropped[0].endswith('_tile_5')
    assert len(out['train']) + len(out['val']) == 5
    for tid in out['val']:
        assert int(tid.rsplit('_', 1)[1]) % 3 == 2  # third column
    assert sorted(out['train'] + out['val']) == sorted(
        splits['train'] + splits['val'])
    write_splits(str(tmp_path / 'lists'), out, dict(a=1))
    assert (tmp_path / 'lists' / 'val.txt').read_text().split() == out['val']


def test_band_stats_by_hand(tmp_path):
    path = tmp_path / 'x.tif'
    data = np.array([[[1, 3], [np.nan, 5]], [[10, 10], [np.nan, 40]]],
                    np.float32)
    with rasterio.open(path, 'w', driver='GTiff', width=2, height=2, count=2,
                       dtype='float32') as dst:
        dst.write(data)
    stats = band_stats([str(path)])
    assert stats['pixels'] == 3
    assert stats['mean'] == [3.0, 20.0]
    assert np.allclose(stats['std'], [np.std([1, 3, 5]), np.std([10, 10, 40])],
                       atol=1e-4)
    db = band_stats([str(path)], to_db=True, clip=(0.0, 10.0))
    assert np.allclose(db['mean'], [np.mean([0, 10 * np.log10(3),
                                             10 * np.log10(5)]), 10.0],
                       atol=1e-4)


def test_synthetic_sen12ms_layout(tmp_path):
    splits = generate_synthetic_sen12ms(str(tmp_path), num_patches=3, size=16)
    assert len(splits['train']) == 2 and len(splits['val']) == 1
    s1 = tmp_path / splits['val'][0]
    lc = str(s1).replace('/s1_', '/lc_').replace('_s1_', '_lc_')
    with rasterio.open(s1) as a, rasterio.open(lc) as b:
        assert a.count == 2 and b.count == 4
        assert set(np.unique(b.read(1))) <= {1, 10, 12, 13, 17}
