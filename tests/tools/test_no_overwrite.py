"""Nothing is overwritten silently: work dirs of earlier runs, converter outputs, inputs."""
import hashlib
import importlib.util
import os
import os.path as osp
import sys

import pytest
from conftest import REPO

import mmkd_rs  # noqa: F401
from mmkd_rs.datasets.synthetic.roads import write_deepglobe
from mmkd_rs.datasets.synthetic.spacenet6 import generate_synthetic_spacenet6

sys.path.insert(0, str(REPO / 'tools'))
from train import main as train_main  # noqa: E402


def _tool(name):
    path = REPO / 'tools' / 'dataset_converters' / f'{name}.py'
    spec = importlib.util.spec_from_file_location(f'converter_{name}', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


def _digest(folder):
    """sha256 of every file under ``folder``, by relative path."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob('*')) if p.is_file()}


def _user_error(capsys, call, *needles):
    with pytest.raises(SystemExit) as exit_:
        call()
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert 'Traceback' not in err
    for needle in needles:
        assert needle in err, (needle, err)
    return err


@pytest.fixture
def trained(tiny, monkeypatch):
    """A finished 4-iteration run of the tiny config in ``tmp/wd``."""
    monkeypatch.setenv('OMP_NUM_THREADS', '1')
    tmp, cfg = tiny
    _run(cfg, tmp / 'wd', 'first')
    return tmp, cfg


def _run(cfg, work_dir, name, *args):
    train_main([cfg, '--work-dir', str(work_dir), *args, '--cfg-options',
                f'experiment_name=overwrite-{name}', f'visualizer.name=overwrite-{name}'])


def test_fresh_run_in_a_work_dir_with_checkpoints_is_refused(trained, capsys):
    tmp, cfg = trained
    before = _digest(tmp / 'wd')
    _user_error(capsys, lambda: _run(cfg, tmp / 'wd', 'again'),
                f'work dir "{tmp}/wd" already holds checkpoints of an earlier run '
                '(iter_2.pth, iter_4.pth, last_checkpoint)', '--resume', '--work-dir',
                '--overwrite')
    assert _digest(tmp / 'wd') == before
    _user_error(capsys, lambda: _run(cfg, tmp / 'wd', 'both', '--resume', '--overwrite'),
                'cannot be combined with --resume')


def test_overwrite_starts_over_and_resume_continues(trained, capsys):
    tmp, cfg = trained
    (tmp / 'wd' / 'iter_8.pth').write_bytes(b'from a longer earlier run')
    _run(cfg, tmp / 'wd', 'over', '--overwrite')
    assert 'deleted 4 files of the earlier run' in capsys.readouterr().out
    assert sorted(p.name for p in (tmp / 'wd').glob('*.pth')) == ['iter_2.pth', 'iter_4.pth']
    # what the benchmark runner does: --resume into its own work dir
    _run(cfg, tmp / 'wd', 'resume', '--resume', '--cfg-options', 'train_cfg.max_iters=6')
    assert (tmp / 'wd' / 'iter_6.pth').exists()


def test_deepglobe_refuses_existing_output_overlap_and_empty_split(tmp_path, capsys):
    deepglobe = _tool('deepglobe')
    src, out = tmp_path / 'dg', tmp_path / 'out'
    write_deepglobe(str(src), num=2, size=64, seed=0)
    deepglobe([str(src), '-o', str(out)])
    converted = _digest(out)
    assert len(converted) == 2 * 6                       # 2 samples x 6 layout folders
    _user_error(capsys, lambda: deepglobe([str(src), '-o', str(out), '--val-ratio', '0.5']),
                f'the output folder "{out}" already exists and is not empty', '--overwrite')
    assert _digest(out) == converted
    inputs = _digest(src)
    _user_error(capsys, lambda: deepglobe([str(src), '-o', str(src / 'conv'), '--overwrite']),
                'never writes into its input')
    assert _digest(src) == inputs
    (out / 'img_dir' / 'train' / 'stale.jpg').write_bytes(b'x')
    deepglobe([str(src), '-o', str(out), '--overwrite'])
    assert _digest(out) == converted                     # replaced, nothing stale left
    one = tmp_path / 'one'
    write_deepglobe(str(one), num=1, size=64, seed=0)
    _user_error(capsys, lambda: deepglobe([str(src), '-o', str(tmp_path / 'out1'),
                                           '--test-ratio', '0.5']),
                'the test split would be empty', 'holds 2 sample(s)', '--test-ratio 0.5')
    assert not osp.exists(tmp_path / 'out1')
    deepglobe([str(one), '-o', str(tmp_path / 'out2')])    # one sample: train, with a warning
    assert 'holds one sample' in capsys.readouterr().err
    assert sorted(os.listdir(tmp_path / 'out2' / 'ann_dir')) == ['train']


def test_spacenet6_keeps_the_datasets_own_splits_and_refuses_empty_ones(tmp_path, capsys):
    spacenet6 = _tool('spacenet6')
    root = tmp_path / 'sn6'
    generate_synthetic_spacenet6(str(root), num_tiles=5, size=16, num_empty_tiles=1, seed=0)
    own = _digest(root / 'splits')
    _user_error(capsys, lambda: spacenet6([str(root), '--stats-tiles', '0']),
                f'"{root}/splits" already holds split lists (train.txt, val.txt)',
                '--out-dir', '--overwrite')
    assert _digest(root / 'splits') == own
    lists = tmp_path / 'lists'
    # the default easting (the real city's) lies east of every synthetic tile
    _user_error(capsys, lambda: spacenet6([str(root), '--out-dir', str(lists),
                                           '--stats-tiles', '0']),
                'the val split would be empty: none of the 5 tiles with valid SAR (1 without '
                'were dropped)', '--val-min-easting')
    assert not lists.exists()
    _user_error(capsys, lambda: spacenet6([str(root), '--out-dir', str(root / 'PS-RGB'),
                                           '--stats-tiles', '0']),
                'never writes into its input')
    spacenet6([str(root), '--out-dir', str(lists), '--stats-tiles', '0',
               '--val-min-easting', '592064'])
    assert len((lists / 'val.txt').read_text().split()) == 1
    assert len((lists / 'train.txt').read_text().split()) == 4
    assert _digest(root / 'splits') == own
