"""Shared pytest setup.

Its presence makes pytest put ``tests/`` on ``sys.path`` (rootdir conftest,
``prepend`` import mode), so test modules import helpers as
``from _real_data import require_real``. (An unrelated ``tests`` package in
site-packages shadows ``import tests._real_data``.)
"""
