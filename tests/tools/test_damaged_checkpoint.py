"""A truncated checkpoint is named; --resume auto falls back to the previous intact one."""
import importlib.util
import shutil
import sys

import pytest
import torch
from conftest import REPO
from mmengine.runner import CheckpointLoader

import mmkd_rs  # noqa: F401
from mmkd_rs.utils.checkpoint_safety import (DamagedCheckpointError, checkpoint_damage,
                                             previous_intact_checkpoint)

sys.path.insert(0, str(REPO / 'tools'))
from train import main as train_main  # noqa: E402


def _test_tool_main(argv):
    """tools/test.py's main (its module name would clash with the standard ``test``)."""
    spec = importlib.util.spec_from_file_location('test_tool', REPO / 'tools' / 'test.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main(argv)


def _truncate(path, keep=0.5):
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * keep)])


def _save(path, value=1.0):
    torch.save({'state_dict': {'w': torch.full((64, ), value)}, 'meta': {}}, path)
    return path


def test_damage_is_detected_without_loading(tmp_path):
    intact = _save(tmp_path / 'iter_2.pth')
    assert checkpoint_damage(str(intact)) is None
    cut = _save(tmp_path / 'iter_4.pth')
    _truncate(cut, 0.9)
    assert 'zip archive is incomplete' in checkpoint_damage(str(cut))
    (tmp_path / 'empty.pth').write_bytes(b'')
    assert checkpoint_damage(str(tmp_path / 'empty.pth')) == 'the file is empty'
    (tmp_path / 'notes.pth').write_text('hello')
    assert 'not a PyTorch checkpoint' in checkpoint_damage(str(tmp_path / 'notes.pth'))
    torch.save({'w': torch.zeros(2)}, tmp_path / 'legacy.pth',
               _use_new_zipfile_serialization=False)
    assert checkpoint_damage(str(tmp_path / 'legacy.pth')) is None
    # the newest older intact one: iter_3 is damaged too, iter_2 is not
    _save(tmp_path / 'iter_3.pth').write_bytes(b'PK\x03\x04junk')
    assert previous_intact_checkpoint(str(cut)) == str(intact)
    assert previous_intact_checkpoint(str(intact)) is None


def test_loading_a_truncated_checkpoint_names_it(tmp_path):
    _save(tmp_path / 'iter_2.pth')
    cut = _save(tmp_path / 'iter_4.pth')
    _truncate(cut)
    with pytest.raises(DamagedCheckpointError) as err:
        CheckpointLoader.load_checkpoint(str(cut), map_location='cpu')
    text = str(err.value)
    assert f'checkpoint "{cut}" cannot be loaded: its zip archive is incomplete' in text
    assert f'previous intact checkpoint is "{tmp_path / "iter_2.pth"}"' in text


@pytest.fixture
def killed_while_saving(tmp_path, monkeypatch):
    """A finished 6-iteration run, and a copy whose iter_4.pth (the last) is cut off."""
    from _tiny import write_tiny_config, write_tiny_dataset
    monkeypatch.setenv('OMP_NUM_THREADS', '1')
    data = write_tiny_dataset(tmp_path / 'data')
    cfg = write_tiny_config(tmp_path / 'cfg.py', data, iters=6, ckpt_interval=2)
    ref = tmp_path / 'ref'
    train_main([cfg, '--work-dir', str(ref), '--cfg-options', 'experiment_name=damaged-ref',
                'visualizer.name=damaged-ref'])
    killed = tmp_path / 'killed'
    killed.mkdir()
    for name in ('iter_2.pth', 'iter_4.pth'):
        shutil.copy(ref / name, killed / name)
    _truncate(killed / 'iter_4.pth')
    (killed / 'last_checkpoint').write_text(str(killed / 'iter_4.pth'))
    return cfg, ref, killed


def test_resume_auto_falls_back_to_the_previous_intact_checkpoint(killed_while_saving, capfd):
    cfg, ref, killed = killed_while_saving
    train_main([cfg, '--work-dir', str(killed), '--resume', '--cfg-options',
                'experiment_name=damaged-res', 'visualizer.name=damaged-res'])
    err = capfd.readouterr().err
    assert (f'train: warning: the last checkpoint "{killed}/iter_4.pth" is damaged: its zip '
            'archive is incomplete') in err
    assert f'Resuming from the previous intact checkpoint "{killed}/iter_2.pth"' in err
    a = torch.load(ref / 'iter_6.pth', weights_only=True)['state_dict']
    b = torch.load(killed / 'iter_6.pth', weights_only=True)['state_dict']
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_resume_of_a_truncated_file_names_it_and_the_intact_one(killed_while_saving, capsys):
    cfg, _, killed = killed_while_saving
    with pytest.raises(SystemExit) as exit_:
        train_main([cfg, '--work-dir', str(killed), '--resume', str(killed / 'iter_4.pth')])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f'checkpoint "{killed}/iter_4.pth" cannot be loaded' in err
    assert f'--resume {killed}/iter_2.pth' in err and 'Traceback' not in err
    with pytest.raises(SystemExit) as exit_:
        _test_tool_main([cfg, str(killed / 'iter_4.pth'), '--work-dir',
                         str(killed / 'test'), '--cfg-options',
                         'experiment_name=damaged-test', 'visualizer.name=damaged-test'])
    assert exit_.value.code == 2
    assert f'checkpoint "{killed}/iter_4.pth" cannot be loaded' in capsys.readouterr().err
