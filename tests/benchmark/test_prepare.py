"""Generated suite datasets: a marker pins how they were made, so a folder made
with other arguments (or by hand) is never silently reused."""
import json

import pytest

from mmkd_rs.benchmark.prepare import MARKER, dataset_fingerprint, prepare_dataset
from mmkd_rs.benchmark.suite import Suite, SuiteError


def _write_files(root, names=('a.txt', ), size=(2, 3)):
    import os
    os.makedirs(root)
    for name in names:
        with open(f'{root}/{name}', 'w') as f:
            f.write(f'{name} {list(size)}')


def _suite(tmp_path, **kwargs):
    return Suite(name='s', family='f', path=str(tmp_path / 'suite.py'), entries=[],
                 leaderboards=[], dataset=dict(
                     name='made', data_root='made', generate=dict(
                         func='tests_prepare_helper.write', kwargs=kwargs)))


@pytest.fixture
def helper_module(tmp_path, monkeypatch):
    import sys
    import types
    module = types.ModuleType('tests_prepare_helper')
    module.write = _write_files
    monkeypatch.setitem(sys.modules, 'tests_prepare_helper', module)
    return module


def test_marker_written_and_reused(tmp_path, helper_module):
    suite = _suite(tmp_path, names=['a.txt', 'b.txt'], size=(2, 3))
    lines = []
    root = prepare_dataset(suite, str(tmp_path), lines.append)
    marker = json.loads((tmp_path / 'made' / MARKER).read_text())
    # tuples are compared as JSON stores them: the second call reuses the folder
    assert marker['kwargs'] == dict(names=['a.txt', 'b.txt'], size=[2, 3])
    assert prepare_dataset(suite, str(tmp_path), lines.append) == root
    assert len(lines) == 1
    fp = dataset_fingerprint(root)
    assert fp == marker['sha256'] and len(fp) == 64
    # the fingerprint covers file contents
    other = _suite(tmp_path / 'x', names=['a.txt', 'b.txt'], size=(2, 4))
    (tmp_path / 'x').mkdir()
    assert dataset_fingerprint(prepare_dataset(other, str(tmp_path / 'x'))) != fp


def test_folder_made_with_other_arguments_is_refused(tmp_path, helper_module):
    prepare_dataset(_suite(tmp_path, names=['a.txt']), str(tmp_path))
    with pytest.raises(SuiteError, match=r'(?s)was generated with .*names.*a\.txt.*Delete or move'):
        prepare_dataset(_suite(tmp_path, names=['a.txt', 'c.txt']), str(tmp_path))


def test_folder_without_marker_is_refused(tmp_path, helper_module):
    _write_files(str(tmp_path / 'made'))
    with pytest.raises(SuiteError, match='has no GENERATED.json marker'):
        prepare_dataset(_suite(tmp_path, names=['a.txt']), str(tmp_path))
    assert dataset_fingerprint(str(tmp_path / 'made')) is None


def test_runner_records_the_fingerprint(tmp_path, helper_module):
    from mmkd_rs.benchmark.runner import BenchmarkRunner
    suite = _suite(tmp_path, names=['a.txt'])
    root = prepare_dataset(suite, str(tmp_path))
    runner = BenchmarkRunner(str(tmp_path / 'results'), repo_root=str(tmp_path))
    assert runner._dataset_sha256(suite) == dataset_fingerprint(root)
    suite.dataset = dict(name='real', data_root='made')  # no marker read for real data
    (tmp_path / 'made' / MARKER).unlink()
    assert runner._dataset_sha256(suite) is None
