"""tools/leaderboard.py on the fixture results: files, determinism, READMEs, --check."""
import importlib.util
import os

import pytest

from _benchmark_paths import REPO

_spec = importlib.util.spec_from_file_location('leaderboard_tool', REPO / 'tools' /
                                               'leaderboard.py')
leaderboard_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(leaderboard_tool)

README = '''# Project

Intro text kept as is.

<!-- leaderboard:fixture-board:start -->
stale table
<!-- leaderboard:fixture-board:end -->

<!-- leaderboard:other-board:start -->
kept: no such leaderboard in these results
<!-- leaderboard:other-board:end -->
Footer.
'''
KD_README = '# KD\n\n<!-- leaderboard:fixture-board@kd:start -->\n' \
            '<!-- leaderboard:fixture-board@kd:end -->\n'
PLAIN_README = '# CWD\n\nNo generated table here.\n'


@pytest.fixture
def workspace(tmp_path, fixtures):
    root = tmp_path / 'repo'
    (root / 'configs' / 'kd').mkdir(parents=True)
    (root / 'configs' / 'cwd').mkdir(parents=True)
    (root / 'README.md').write_text(README)
    (root / 'configs' / 'kd' / 'README.md').write_text(KD_README)
    (root / 'configs' / 'cwd' / 'README.md').write_text(PLAIN_README)
    out = tmp_path / 'boards'
    args = [str(fixtures / 'results'), '--out', str(out), '--root', str(root)]
    return root, out, args


def _snapshot(folder):
    return {p: open(os.path.join(d, p), 'rb').read()
            for d, _, files in os.walk(folder) for p in files}


def test_writes_tables_and_plots(workspace):
    root, out, args = workspace
    assert leaderboard_tool.main(args) == 0
    names = sorted(os.listdir(out))
    assert names == ['fixture-board.csv', 'fixture-board.html', 'fixture-board.md',
                     'fixture-board_acc_vs_flops.png', 'fixture-board_acc_vs_fps.png',
                     'fixture-board_curves.png']
    md = (out / 'fixture-board.md').read_text()
    assert ('| kd      | distilled student        | 75.50 ± 0.71 | 59.00 ± 1.41 | '
            '+4.50 (2 paired) ') in md
    assert '72.00 ± 2.00' in md and '| reference ' in md
    assert 'teacher (upper bound)' in md
    rows = {line.split('|')[1].strip(): [c.strip() for c in line.split('|')[1:-1]]
            for line in md.splitlines()
            if line.startswith('| ') and not line.startswith('| Entry')}
    # Δ vs student ± 95 % CI, verdict, rank
    assert rows['dist'][4:7] == ['+2.00 ± 2.48 (3 paired)', 'no detectable difference', '2']
    assert rows['at'][4:7] == ['+4.33 ± 3.79 (3 paired)', 'better', '1']
    assert rows['kd'][4:7] == ['+4.50 (2 paired)', 'needs >= 3 seeds', '—']
    assert rows['teacher'][4:7] == ['+8.00 (unpaired)', 'needs >= 3 seeds', '—']
    assert rows['student'][4:7] == ['reference', 'reference', '2']
    assert rows['cwd'][-1] == 'missing' and rows['fitnet'][-1] == 'failed'
    assert 'RuntimeError: fixture out of memory' in md  # failed runs listed with cause
    assert ('Power check: student-alone F1 std 2.00 over 3 seeds (goal ≤ 1.00: not met); '
            'teacher − student gap +8.00 = 4.0 std (goal ≥ 5: not met).') in md
    assert 'Rank: 1 + the number of students' in md  # the rule is on the page
    csv = (out / 'fixture-board.csv').read_text().splitlines()
    header = csv[0].split(',')
    line = {row.split(',')[0]: dict(zip(header, row.split(','))) for row in csv[1:]}
    kd, dist = line['kd'], line['dist']
    assert kd['F1_mean'] == '75.500000' and kd['F1_std'] == '0.707107'
    assert kd['delta_F1'] == '4.500000' and kd['params'] == '1000000'
    assert kd['delta_F1_ci95'] == '' and kd['delta_n'] == '2' and kd['rank'] == ''
    assert (dist['delta_F1'], dist['delta_F1_ci95'], dist['delta_F1_low']) == (
        '2.000000', '2.484138', '-0.484138')
    assert (dist['delta_test'], dist['verdict'], dist['rank']) == (
        'paired', 'no detectable difference', '2')
    assert line['teacher']['delta_test'] == 'welch'
    html = (out / 'fixture-board.html').read_text()
    assert '<table' in html and '75.50 ± 0.71' in html
    assert '+2.00 ± 2.48 (3 paired)' in html and 'Power check: student-alone' in html
    assert '<img src="fixture-board_acc_vs_flops.png"' in html
    for png in names[3:]:
        assert (out / png).read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'


def test_regeneration_is_byte_identical(workspace, tmp_path, fixtures):
    root, out, args = workspace
    assert leaderboard_tool.main(args) == 0
    first = _snapshot(out)
    readme = (root / 'README.md').read_bytes()
    out2 = tmp_path / 'again'
    assert leaderboard_tool.main([str(fixtures / 'results'), '--out', str(out2), '--root',
                                  str(root)]) == 0
    assert _snapshot(out2) == first  # PNGs included
    assert (root / 'README.md').read_bytes() == readme


def test_readme_blocks_rewritten_and_others_untouched(workspace):
    root, out, args = workspace
    plain_mtime = os.stat(root / 'configs' / 'cwd' / 'README.md').st_mtime_ns
    assert leaderboard_tool.main(args) == 0
    text = (root / 'README.md').read_text()
    assert 'stale table' not in text
    assert text.startswith('# Project\n\nIntro text kept as is.\n\n'
                           '<!-- leaderboard:fixture-board:start -->\n| Entry')
    assert 'kept: no such leaderboard in these results' in text
    assert text.endswith('<!-- leaderboard:other-board:end -->\nFooter.\n')
    kd = (root / 'configs' / 'kd' / 'README.md').read_text()
    rows = [line.split('|')[1].strip() for line in kd.splitlines()
            if line.startswith('| ') and not line.startswith('| Entry')]
    assert rows == ['teacher', 'kd', 'student']  # @kd: the method plus references
    assert (root / 'configs' / 'cwd' / 'README.md').read_text() == PLAIN_README
    assert os.stat(root / 'configs' / 'cwd' / 'README.md').st_mtime_ns == plain_mtime


def test_check_mode(workspace, capsys):
    root, out, args = workspace
    assert leaderboard_tool.main(args + ['--check']) == 1  # nothing generated yet
    assert not out.exists() and 'stale table' in (root / 'README.md').read_text()
    assert leaderboard_tool.main(args) == 0
    assert leaderboard_tool.main(args + ['--check']) == 0
    (root / 'configs' / 'kd' / 'README.md').write_text(KD_README)  # table removed by hand
    capsys.readouterr()
    assert leaderboard_tool.main(args + ['--check']) == 1
    assert 'configs/kd/README.md' in capsys.readouterr().out


def test_unbalanced_marker_is_a_clear_error(workspace, capsys):
    root, out, args = workspace
    (root / 'README.md').write_text('<!-- leaderboard:fixture-board:start -->\nno end\n')
    assert leaderboard_tool.main(args) == 2
    err = capsys.readouterr().err
    assert 'README.md:1' in err and 'no end marker' in err


def test_suite_file_instead_of_manifest(tmp_path, fixtures):
    results = tmp_path / 'results'
    results.mkdir()  # nothing has run yet: every run is missing, none is dropped
    out = tmp_path / 'boards'
    assert leaderboard_tool.main([str(results), '--out', str(out), '--no-readme', '--suite',
                                  str(fixtures / 'suite_fake.py')]) == 0
    md = (out / 'fake-board.md').read_text().split('## Settings')[0]
    rows = [line.split('|')[1].strip() for line in md.splitlines()
            if line.startswith('| ') and not line.startswith('| Entry')]
    assert rows == ['teacher', 'kd', 'later', 'pretrain', 'student']
    assert md.count('| missing') == 5 and 'baseline student' in md
    assert not list(out.glob('*.png'))  # nothing to plot


def test_bad_record_is_a_clear_error(tmp_path, fixtures, capsys):
    import shutil
    results = tmp_path / 'results'
    shutil.copytree(fixtures / 'results', results)
    (results / 'fixture-suite' / 'kd' / 'seed_0.json').write_text('{"schema": 1}')
    assert leaderboard_tool.main([str(results), '--out', str(tmp_path / 'b'),
                                  '--no-readme']) == 2
    err = capsys.readouterr().err
    assert 'kd/seed_0.json' in err and 'lacks key(s)' in err


def test_invalid_record_fails_check_naming_the_file(tmp_path, fixtures, capsys):
    import shutil
    results = tmp_path / 'results'
    shutil.copytree(fixtures / 'results', results)
    args = [str(results), '--out', str(tmp_path / 'b'), '--no-readme']
    assert leaderboard_tool.main(args) == 0
    assert leaderboard_tool.main(args + ['--check']) == 0  # up to date, nothing invalid
    path = results / 'fixture-suite' / 'dist' / 'seed_1.json'
    path.write_text(path.read_text().replace('"F1": 74.0', '"F1": NaN'))
    capsys.readouterr()
    assert leaderboard_tool.main(args) == 0  # written, with a warning
    err = capsys.readouterr().err
    assert 'warning: invalid record' in err and str(path) in err
    assert leaderboard_tool.main(args + ['--check']) == 1  # tables up to date, record invalid
    captured = capsys.readouterr()
    assert f'error: invalid record {path}: main metric \'F1\' is nan' in captured.err
    assert '0 would change' in captured.out
    md = (tmp_path / 'b' / 'fixture-board.md').read_text()
    assert '2/3 finished; invalid seeds 1' in md
    assert "- `fixture-suite/dist/seed_1.json`: main metric 'F1' is nan" in md
    assert str(tmp_path) not in md  # no folder of this machine on the page


def test_blocks_of_suites_without_records_are_quiet_unknown_ones_warn(workspace, capsys):
    """On a fresh clone the READMEs name boards whose records are not there yet:
    a block naming a board some suite file defines is left quietly, a block
    naming no board anywhere (a typo) warns."""
    root, out, args = workspace
    suites = root / 'benchmarks' / 'suites'
    suites.mkdir(parents=True)
    (suites / 'other.py').write_text(
        "suite = 'other'\nfamily = 'changedet'\nseeds = [0]\n"
        "leaderboards = [dict(name='other-board', title='Other', main_metric='F1')]\n"
        "entries = [dict(name='s', role='student', method='student', config='c.py')]\n")
    (suites / 'collection.py').write_text("suites = ['other.py']\n")
    (root / 'configs' / 'kd' / 'README.md').write_text(
        KD_README + '<!-- leaderboard:other-boadr@kd:start -->\n'
        '<!-- leaderboard:other-boadr@kd:end -->\n')
    assert leaderboard_tool.main(args) == 0
    err = capsys.readouterr().err
    assert 'other-board"' not in err
    assert 'block "other-boadr@kd" names no leaderboard in these results or in any suite' \
        in err
    assert err.count('warning') == 1


def test_metafiles_generated_from_the_records(workspace):
    """configs/<method>/metafile.yaml lists every config of the folder; configs that
    a test-split leaderboard trained carry their mean results; results of boards not
    at hand are kept; model-index.yml imports the metafiles."""
    import yaml
    root, out, args = workspace
    (root / 'configs' / 'kd' / 'kd.py').write_text('model = dict()\n')
    (root / 'configs' / 'kd' / 'kd_other.py').write_text('model = dict()\n')
    (root / 'configs' / 'kd' / 'README.md').write_text(
        '# KD\n\n> Hinton, Vinyals, Dean. *Distilling the Knowledge in a Neural Network.* '
        'NIPS Workshop, 2015. arXiv:1503.02531.\n\n' + KD_README)
    assert leaderboard_tool.main(args) == 0
    meta = yaml.safe_load((root / 'configs' / 'kd' / 'metafile.yaml').read_text())
    assert meta['Collections'] == [dict(
        Name='kd', README='configs/kd/README.md',
        Paper=dict(Title='Distilling the Knowledge in a Neural Network',
                   URL='https://arxiv.org/abs/1503.02531'))]
    models = {m['Name']: m for m in meta['Models']}
    assert set(models) == {'kd', 'kd_other'} and 'Results' not in models['kd_other']
    (result, ) = models['kd']['Results']
    assert result['Task'] == 'Change Detection' and result['Split'] == 'test'
    assert result['Leaderboard'] == 'fixture-board' and result['Entry'] == 'kd'
    from mmkd_rs.benchmark.leaderboard import collect_boards
    from _benchmark_paths import FIXTURES
    (board, ) = [b for b in collect_boards(str(FIXTURES / 'results'))
                 if b.name == 'fixture-board']
    (row, ) = [r for r in board.rows if r.entry == 'kd']
    main = board.definition['main_metric']
    assert result['Metrics'][main] == round(row.metrics[main][0], 2)
    assert result['Metrics'][f'{main} std'] == round(row.metrics[main][1], 2)
    assert models['kd']['Metadata']['Seeds'] == sorted(row.values)
    index = yaml.safe_load((root / 'model-index.yml').read_text())
    assert index == {'Import': ['configs/kd/metafile.yaml']}   # cwd has no config
    # another board's results survive an aggregation that does not hold it
    meta['Models'][0]['Results'].append(dict(Leaderboard='elsewhere', Metrics=dict(F1=1.0)))
    (root / 'configs' / 'kd' / 'metafile.yaml').write_text(yaml.safe_dump(meta))
    assert leaderboard_tool.main(args) == 0
    again = yaml.safe_load((root / 'configs' / 'kd' / 'metafile.yaml').read_text())
    assert [r['Leaderboard'] for r in again['Models'][0]['Results']] == \
        ['elsewhere', 'fixture-board']
    assert leaderboard_tool.main(args + ['--check']) == 0      # stable: nothing changes


def test_page_lists_each_entrys_own_settings_and_the_tuning_board(tmp_path):
    """The loss weights a tuning board chose are on the page (and the board is
    named); the suite-wide cfg-options are not repeated per entry."""
    suite = tmp_path / 'suite.py'
    suite.write_text(
        "suite = 's'\nfamily = 'changedet'\nseeds = [0, 1, 2]\n"
        "tuning_board = 's-tuning'\n"
        "cfg_options = {'train_cfg.max_iters': 300}\n"
        "leaderboards = [dict(name='s-board', title='S', main_metric='F1')]\n"
        "entries = [dict(name='t', role='teacher', method='teacher', config='t.py'),\n"
        "           dict(name='student', role='student', method='student', config='c.py'),\n"
        "           dict(name='kd', role='distill', method='kd', config='k.py',\n"
        "                teacher='t', cfg_options={'model.distiller.distill_losses."
        "loss_kd.loss_weight': 3.0, 'train_cfg.max_iters': 300})]\n")
    (tmp_path / 'results').mkdir()
    out = tmp_path / 'boards'
    assert leaderboard_tool.main([str(tmp_path / 'results'), '--out', str(out), '--no-readme',
                                  '--suite', str(suite)]) == 0
    md = (out / 's-board.md').read_text()
    section = md[md.index('## Settings of the entries'):]
    assert 'the `s-tuning` board ([s-tuning.md](s-tuning.md))' in section
    assert "| student | the suite's settings only |" in section
    assert '| kd | `loss_kd.loss_weight=3.0` |' in section
    assert 'max_iters' not in section


def test_page_states_the_thread_counts_of_its_records():
    """The page says the thread count the records were made with, and says so when
    the suite has moved to another one (those records are trained again)."""
    from mmkd_rs.benchmark.leaderboard import Board, threads_line

    def board(suite_threads, *made):
        records = [dict(status='finished', hardware=dict(threads=t, **extra))
                   for t, extra in made]
        records.append(dict(status='failed', hardware=dict(threads=8)))  # not counted
        return Board(definition=dict(name='b'), manifest=dict(threads=suite_threads),
                     rows=[], records=records)

    one = threads_line(board(1, (1, dict(jobs=2)), (1, dict(jobs=2))))
    assert one.startswith('Each run: 1 torch thread (2 runs at a time); a seed changes')
    assert 'trained again' not in one
    old = threads_line(board(1, (2, {})))
    assert old.startswith('Each run: 2 torch threads; a seed')
    assert old.endswith('The suite now runs 1 thread: records made with another count are '
                        'trained again by `tools/run_benchmark.py`.')
    mixed = threads_line(board(2, (1, dict(jobs=2)), (2, {})))
    assert mixed.startswith('Each run: 1 torch thread or 2 torch threads (1 or 2 runs at a '
                            'time)')
    assert threads_line(board(4)).startswith('Each run: 4 torch threads; a seed')
    assert threads_line(Board(definition=dict(name='b'), manifest={}, rows=[],
                              records=[])) == ''


def test_page_names_entries_whose_speed_was_measured_beside_a_training():
    from mmkd_rs.benchmark.leaderboard import Board, disturbed_line

    def rec(entry, status='finished', **speed):
        return dict(entry=entry, status=status, speed=speed)

    records = [rec('kd', concurrent_runs=1), rec('kd', concurrent_runs=1),
               rec('student', concurrent_runs=0), rec('at'), rec('cwd', 'failed',
                                                                 concurrent_runs=2)]
    board = Board(definition=dict(name='b'), manifest={}, rows=[], records=records)
    assert disturbed_line(board) == (
        'FPS of `kd` measured while another run trained (`speed.concurrent_runs`); the next '
        '`tools/run_benchmark.py` invocation measures them again with nothing else going.')
    board.records = records[2:]
    assert disturbed_line(board) == ''


def test_page_names_records_made_with_another_config_than_the_suite_gives():
    """A record whose config hash is not the one the suite's entry now gives (its
    schedule or options changed) is named on the page; a grid of many entries is
    counted, naming the few entries that are still current."""
    from mmkd_rs.benchmark import leaderboard
    from mmkd_rs.benchmark.leaderboard import Board, stale_line

    def rec(entry, seed, cfg_hash, status='finished'):
        return dict(entry=entry, seed=seed, status=status, config_hash=cfg_hash)

    def board(records, **hashes):
        entries = [dict(name=n, config_hashes=h) for n, h in hashes.items()]
        return Board(definition=dict(name='b'), manifest=dict(entries=entries), rows=[],
                     records=records)

    now = dict(teacher={'0': 't0', '1': 't1'}, student={'0': 's0', '1': 's1'},
               kd={'0': 'k0', '1': 'k1'})
    current = [rec('teacher', 0, 't0'), rec('teacher', 1, 't1'), rec('student', 0, 's0'),
               rec('student', 1, 's1'), rec('kd', 0, 'k0')]
    assert stale_line(board(current, **now)) == ''
    old = current[:2] + [rec('student', 0, 'old'), rec('student', 1, 'old'),
                         rec('kd', 0, 'old'), rec('kd', 1, 'k1', status='failed')]
    assert stale_line(board(old, **now)) == (
        '3 records (`kd` seed 0; `student` seeds 0, 1) were made with another config than '
        'the suite now gives (its options, schedule or config files changed since): they '
        'show what that config gave, and `tools/run_benchmark.py` trains them again.')
    assert stale_line(board(old[2:5], **now)).startswith(
        'All 3 records of this page were made with another config')
    # manifests written before config_hashes existed, or entries without a config here
    assert stale_line(board(old, teacher={}, student={}, kd={})) == ''
    grid = {f'kd@w{i}': {'0': f'new{i}'} for i in range(leaderboard.LISTED_ENTRIES + 1)}
    records = [rec(name, 0, 'old') for name in grid] + [rec('teacher', 0, 't0')]
    assert stale_line(board(records, teacher={'0': 't0'}, **grid)).startswith(
        f'{len(grid)} of the {len(grid) + 1} records (those of every entry but `teacher`) '
        'were made with another config')
