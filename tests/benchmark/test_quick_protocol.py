"""The quick suites' protocol, checked on the suite files themselves: seeds,
threads, separate val and test splits, schedules whose decay ends at max_iters,
tuning on the val split, and tuned weights that are the tuning records' argmax."""
import os.path as osp

import pytest
from mmengine.config import Config

from _benchmark_paths import REPO
from mmkd_rs.benchmark.records import load_records
from mmkd_rs.benchmark.runner import run_options
from mmkd_rs.benchmark.suite import load_suite, load_suites
from mmkd_rs.benchmark.tuning import choose

SUITES = osp.join(REPO, 'benchmarks', 'suites')
FAMILIES = ('changedet', 'roads', 'sar')


def _suite(name):
    return load_suite(osp.join(SUITES, name))


def _config(entry, seed=0):
    cfg = Config.fromfile(osp.join(REPO, entry.config))
    cfg.merge_from_dict(run_options(entry, seed))
    return cfg


def test_collection_is_the_three_quick_suites():
    names = {s.name for s in load_suites([osp.join(SUITES, 'quick.py')])}
    assert names == {'changedet-quick', 'roads-quick', 'sar-quick'}


PROTOCOL_SUITES = [(f, f'{f}_{kind}.py') for f in FAMILIES
                   for kind in ('quick', 'baselines')] + [('changedet', 'changedet_mtkd.py'),
                                                          ('roads', 'roads_tskd_roadcon.py')]
# (family, suite whose `tuned` the tuning chooses, the tuning suite, the suites whose
# distillers the tuning must cover)
TUNED_SUITES = [(f, f'{f}_quick.py', f'{f}_tuning.py',
                 (f'{f}_quick.py', f'{f}_baselines.py')
                 + (('roads_tskd_roadcon.py',) if f == 'roads' else ()))
                for f in FAMILIES] + [
    ('changedet', 'changedet_mtkd.py', 'changedet_mtkd_tuning.py', ('changedet_mtkd.py',))]


def test_baselines_collection_is_the_three_baseline_suites():
    suites = load_suites([osp.join(SUITES, 'baselines_quick.py')])
    assert {s.name for s in suites} == {'changedet-baselines', 'roads-baselines',
                                        'sar-baselines'}
    for suite in suites:
        assert {'ifvd', 'cirkd', 'dkd'} <= {e.method for e in suite.entries
                                            if e.role == 'distill'}


@pytest.mark.parametrize('family', FAMILIES)
def test_every_family_seeds_every_generic_distiller(family):
    """The generic distillers (issue: KD, CWD, FitNet, AT, affinity, DIST, MGD, and
    IFVD, CIRKD, DKD) each have a seeded test-split entry in every family, in the
    quick suite or in its baselines suite, beside the family's own seed methods."""
    generic = {'kd', 'cwd', 'fitnet', 'at', 'affinity', 'dist', 'mgd', 'ifvd', 'cirkd',
               'dkd'}
    seeded = {e.method for name in (f'{family}_quick.py', f'{family}_baselines.py')
              for e in _suite(name).entries if e.role == 'distill' and len(e.seeds) >= 3}
    assert generic <= seeded, sorted(generic - seeded)


def test_generic_distillers_have_the_same_grid_in_every_family():
    """Equal tuning budget across families: each generic distiller's grid points
    (labels and options) are those of _base_/distiller_grids.py in every tuning suite."""
    shared = Config.fromfile(osp.join(SUITES, '_base_', 'distiller_grids.py'))['grids']
    assert {'kd', 'cwd', 'fitnet', 'at', 'affinity', 'dist', 'mgd', 'ifvd', 'cirkd',
            'dkd'} == set(shared)
    for family in FAMILIES:
        grids = Config.fromfile(osp.join(SUITES, f'{family}_tuning.py'))['grids']
        for method, points in shared.items():
            assert grids[method] == points, (family, method)


@pytest.mark.parametrize('family, name', PROTOCOL_SUITES)
def test_quick_suite_seeds_threads_and_splits(family, name):
    suite = _suite(name)
    assert (suite.threads, suite.jobs) == (1, 2)  # bit-for-bit records, 2 cores busy
    assert suite.evaluation['split'] == 'test'
    for entry in suite.entries:
        assert len(entry.seeds) >= 3, entry.name
    kwargs = suite.dataset['generate']['kwargs']
    if family == 'sar':
        assert kwargs['test_fraction'] > 0 and kwargs['val_fraction'] > 0
    else:
        assert kwargs['num_test'] >= 32 and kwargs['num_val'] > 0
    assert suite.dataset['data_root'].startswith('data/quick/')


@pytest.mark.parametrize('family, name', PROTOCOL_SUITES)
def test_quick_schedules_decay_to_max_iters_and_test_the_test_split(family, name):
    """A run stops where its learning rate has decayed (no 80-of-300 cut), and its
    test loader reads the test split while validation reads val."""
    suite = _suite(name)
    for entry in suite.entries:
        cfg = _config(entry)
        ends = [s.get('end') for s in cfg.param_scheduler]
        assert max(e for e in ends if e is not None) == cfg.train_cfg.max_iters, entry.name
        test, val = cfg.test_dataloader.dataset, cfg.val_dataloader.dataset
        split_of = (lambda d: d.get('ann_file')) if family == 'sar' else \
            (lambda d: d.data_prefix['img_path'])
        assert 'test' in split_of(test) and 'val' in split_of(val), entry.name


@pytest.mark.parametrize('family, quick_name, tuning_name, covered', TUNED_SUITES)
def test_tuning_suite_scores_val_and_covers_every_distiller(family, quick_name, tuning_name,
                                                            covered):
    tuning = _suite(tuning_name)
    grids = Config.fromfile(osp.join(SUITES, tuning_name))['grids']
    assert tuning.evaluation['split'] == 'val'
    distillers = {e.method for s in map(_suite, covered)
                  for e in s.entries if e.role == 'distill'}
    assert distillers <= set(grids), distillers - set(grids)
    for method, points in grids.items():
        assert 3 <= len(points) <= 4, method
    for entry in tuning.entries:
        assert entry.seeds == [0]
        cfg = _config(entry)
        test, val = cfg.test_dataloader.dataset, cfg.val_dataloader.dataset
        if family == 'sar':
            assert test.ann_file == val.ann_file == 'splits/val.txt'
        else:
            assert test.data_prefix == val.data_prefix
        if '@' not in entry.name:
            continue
        # cfg-options would silently add a misspelt key: each must exist in the config
        raw = Config.fromfile(osp.join(REPO, entry.config))
        for key in entry.cfg_options:
            if key.startswith('model.'):
                node = raw
                for part in key.split('.'):
                    assert part in node, f'{entry.name}: {key}'
                    node = node[part]


@pytest.mark.parametrize('family, quick_name, tuning_name, covered', TUNED_SUITES)
def test_tuned_weights_are_the_argmax_of_the_tuning_records(family, quick_name, tuning_name,
                                                             covered):
    """`tuned` in the quick suite is never typed by hand: it equals what the
    committed tuning records choose (and stays empty for a method whose grid has
    not finished, i.e. the config's default); each distiller trains with it."""
    quick_cfg = Config.fromfile(osp.join(SUITES, quick_name))
    tuning = _suite(tuning_name)
    grids = Config.fromfile(osp.join(SUITES, tuning_name))['grids']
    for suite in map(_suite, covered):
        for entry in suite.entries:
            if entry.role == 'distill':
                tuned = dict(quick_cfg['tuned'][entry.method])
                assert {k: entry.cfg_options.get(k) for k in tuned} == tuned, entry.name
    results = osp.join(REPO, 'benchmarks', 'results')
    records = load_records(results, tuning.name) \
        if osp.isdir(osp.join(results, tuning.name)) else []
    boards = {b.name: b for b in tuning.leaderboards}
    for method in grids:
        board = next(boards[e.leaderboard] for e in tuning.entries if e.method == method)
        chosen = choose({method: grids[method]}, records, board.main_metric,
                        board.higher_is_better)[method]
        expected = {} if chosen is None else chosen[1]
        assert dict(quick_cfg['tuned'][method]) == expected, method


def test_committed_leaderboards_and_readme_tables_match_the_records():
    """The committed boards and README tables are exactly what tools/leaderboard.py
    makes of the committed records and the suite files (never edited by hand)."""
    import subprocess
    import sys
    suites = [osp.join(SUITES, 'quick.py'), osp.join(SUITES, 'baselines_quick.py')]
    proc = subprocess.run(
        [sys.executable, osp.join(REPO, 'tools', 'leaderboard.py'),
         osp.join(REPO, 'benchmarks', 'results'), '--suite', *suites, '--check'],
        cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
