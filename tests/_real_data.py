"""Locate the shared real-data samples used by tests.

``real_data_root()`` is ``$MMKD_RS_REAL_DATA`` or ``<repo>/../shared/data/real``;
``require_real(subdir)`` returns ``real_data_root() / subdir`` or skips the
calling test with a clear reason when that folder is absent.
"""
import os
from pathlib import Path

import pytest

_REPO_ROOT = Path(__file__).resolve().parent.parent


def real_data_root() -> Path:
    """Root folder of the real samples (one sub-folder per source)."""
    env = os.environ.get('MMKD_RS_REAL_DATA')
    if env:
        return Path(env)
    return _REPO_ROOT.parent / 'shared' / 'data' / 'real'


def require_real(subdir: str) -> Path:
    """Return ``real_data_root() / subdir``; skip the test when it is absent."""
    path = real_data_root() / subdir
    if not path.is_dir():
        pytest.skip(f'real data sample {subdir!r} not found under {real_data_root()} '
                    '(set MMKD_RS_REAL_DATA to the folder holding the real samples)')
    return path
