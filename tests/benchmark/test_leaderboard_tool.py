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
    assert '| kd      | distilled student        | 75.50 ± 0.71 | 59.00 ± 1.41 | +3.50 ' in md
    assert '72.00 ± 2.00' in md and '| baseline ' in md
    assert 'teacher (upper bound)' in md
    rows = {line.split('|')[1].strip(): line for line in md.splitlines()
            if line.startswith('| ') and not line.startswith('| Entry')}
    assert rows['cwd'].rstrip(' |').endswith('missing')
    assert rows['fitnet'].rstrip(' |').endswith('failed')
    assert 'RuntimeError: fixture out of memory' in md  # failed runs listed with cause
    csv = (out / 'fixture-board.csv').read_text().splitlines()
    header = csv[0].split(',')
    kd = dict(zip(header, next(line for line in csv if line.startswith('kd,')).split(',')))
    assert kd['F1_mean'] == '75.500000' and kd['F1_std'] == '0.707107'
    assert kd['delta_F1'] == '3.500000' and kd['params'] == '1000000'
    html = (out / 'fixture-board.html').read_text()
    assert '<table' in html and '75.50 ± 0.71' in html
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
    md = (out / 'fake-board.md').read_text()
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
