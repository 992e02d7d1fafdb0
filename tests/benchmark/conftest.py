"""Fixtures of the benchmark tests."""
import json
import sys
from functools import partial

import pytest

from _benchmark_paths import FIXTURES, REPO

FAKE = [sys.executable, str(FIXTURES / 'fake_tools.py')]


@pytest.fixture
def fixtures():
    """Folder of the fixture configs, suite and result records."""
    return FIXTURES


class FakeTools:
    """A runner whose train/test commands are ``fixtures/fake_tools.py``; every
    call it makes is logged to ``calls.jsonl`` (``read_calls``)."""

    def __init__(self, tmp_path, monkeypatch):
        self.calls = tmp_path / 'calls.jsonl'
        self.calls.touch()
        monkeypatch.setenv('FAKE_CALLS', str(self.calls))
        monkeypatch.delenv('FAKE_FAIL_ON', raising=False)
        self.results, self.work = tmp_path / 'results', tmp_path / 'work'
        self.events = tmp_path / 'events.jsonl'
        monkeypatch.setenv('FAKE_EVENTS', str(self.events))
        monkeypatch.setenv('FAKE_RESULTS', str(self.results))
        for name in ('FAKE_SLEEP', 'FAKE_SLEEP_ON'):
            monkeypatch.delenv(name, raising=False)

    def make_runner(self, **kwargs):
        from mmkd_rs.benchmark.runner import BenchmarkRunner
        kwargs.setdefault('measure', False)
        kwargs.setdefault('log', lambda s: None)
        return BenchmarkRunner(str(self.results), str(self.work), train_cmd=FAKE + ['train'],
                               test_cmd=FAKE + ['test'], repo_root=str(REPO), **kwargs)

    def read_calls(self):
        return [json.loads(line) for line in self.calls.read_text().splitlines()]

    def read_events(self):
        """``start`` / ``end`` events of the fake calls (see fake_tools.py)."""
        if not self.events.exists():
            return []
        return [json.loads(line) for line in self.events.read_text().splitlines()]

    def record(self, suite, entry, seed):
        from mmkd_rs.benchmark.records import load_record, record_path
        return load_record(record_path(str(self.results), suite, entry, seed))

    def records_of(self, suite):
        """``record(entry, seed)`` of one suite."""
        return partial(self.record, suite)


@pytest.fixture
def fake_tools(tmp_path, monkeypatch):
    return FakeTools(tmp_path, monkeypatch)
