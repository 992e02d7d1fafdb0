"""Fixtures of the benchmark tests."""
import pytest

from _benchmark_paths import FIXTURES


@pytest.fixture
def fixtures():
    """Folder of the fixture configs, suite and result records."""
    return FIXTURES
