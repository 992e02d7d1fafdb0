"""Shared paths of the benchmark tests."""
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / 'fixtures'
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def fixtures():
    return FIXTURES


@pytest.fixture
def repo_root():
    return REPO
