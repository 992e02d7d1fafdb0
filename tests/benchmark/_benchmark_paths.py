"""Paths of the benchmark tests (a uniquely named module, importable from
every test file of this folder)."""
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / 'fixtures'
REPO = Path(__file__).resolve().parents[2]
