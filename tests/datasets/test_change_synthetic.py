"""Synthetic LEVIR-CD generator: format, determinism, labelled changes only, speed."""
import time

import cv2
import numpy as np

from mmkd_rs.datasets.synthetic import generate_synthetic_levir, synthesize_pair


def test_layout_format_and_determinism(tmp_path):
    generate_synthetic_levir(str(tmp_path / 'a'), num_train=3, num_val=1, num_test=2, size=64,
                             seed=7)
    generate_synthetic_levir(str(tmp_path / 'b'), num_train=3, num_val=1, num_test=2, size=64,
                             seed=7)
    for split, count in (('train', 3), ('val', 1), ('test', 2)):
        for sub in ('A', 'B', 'label'):
            names = sorted(p.name for p in (tmp_path / 'a' / split / sub).iterdir())
            assert names == [f'{split}_{i}.png' for i in range(count)]
            for name in names:
                first = cv2.imread(str(tmp_path / 'a' / split / sub / name), cv2.IMREAD_UNCHANGED)
                again = cv2.imread(str(tmp_path / 'b' / split / sub / name), cv2.IMREAD_UNCHANGED)
                assert np.array_equal(first, again)
                assert first.dtype == np.uint8
                assert first.shape == ((64, 64) if sub == 'label' else (64, 64, 3))
                if sub == 'label':
                    assert set(np.unique(first)) <= {0, 255}
    other = synthesize_pair(np.random.default_rng(8), size=64)
    assert not np.array_equal(other['img_a'],
                              cv2.imread(str(tmp_path / 'a/train/A/train_0.png'))[..., ::-1])


def test_labels_cover_only_building_changes():
    """Unchanged pixels still differ (illumination, season, shift), changes are a few %."""
    fractions = []
    for index in range(10):
        tile = synthesize_pair(np.random.default_rng(index), size=128)
        label = tile['label'] > 0
        diff = np.abs(tile['img_a'].astype(int) - tile['img_b'].astype(int)).sum(-1)
        assert (diff[~label] > 10).mean() > 0.3  # nuisance changes are everywhere
        if label.any():
            assert diff[label].mean() > diff[~label].mean()
        fractions.append(label.mean())
    assert 0.01 < np.mean(fractions) < 0.25


def test_speed_twenty_tiles_of_256(tmp_path):
    # CPU time, not wall time, so that a busy machine does not fail the test.
    start = time.process_time()
    generate_synthetic_levir(str(tmp_path), num_train=16, num_val=2, num_test=2, size=256)
    assert time.process_time() - start < 2.0  # about 0.4 s measured


def test_real_levir_tile_size_1024():
    """LEVIR-CD tiles are 1024 px: the building-size range used to be empty
    (``low >= high``) for tiles of 850 px and more. Buildings keep their
    physical size and density at any tile size."""
    tile = synthesize_pair(np.random.default_rng(3), size=1024)
    assert tile['img_a'].shape == (1024, 1024, 3) and tile['label'].shape == (1024, 1024)
    changed = cv2.connectedComponentsWithStats((tile['label'] > 0).astype(np.uint8))[2][1:]
    # many changed buildings (about 16x a 256 px tile's), each 10-33 px a side
    assert len(changed) >= 20
    assert changed[:, cv2.CC_STAT_WIDTH].max() <= 33
    assert changed[:, cv2.CC_STAT_HEIGHT].min() >= 10


def test_tile_of_256_unchanged_by_size_scaling():
    """The default building count is 14 per 256 x 256 px: a 256 px tile is drawn
    exactly as with the explicit bound."""
    a = synthesize_pair(np.random.default_rng(5), size=256)
    b = synthesize_pair(np.random.default_rng(5), size=256, max_buildings=14)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])
