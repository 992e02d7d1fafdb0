"""Package layering: ``mmkd_rs.utils`` is the ground floor, tools use the installed package."""
import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ABOVE_UTILS = {'engine', 'distill', 'models', 'datasets', 'evaluation', 'apis', 'benchmark',
               'visualization', 'geo'}


def _imported_packages(path: Path) -> set:
    """The ``mmkd_rs`` sub-packages a ``mmkd_rs/utils`` module imports (anywhere in it)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 1:        # from .x import y: utils itself
                continue
            base = node.module or ''
            names = [f'mmkd_rs.{base}' if node.level == 2 else base]
            names += [f'{names[0]}.{a.name}' for a in node.names]
        else:
            continue
        found |= {n.split('.')[1] for n in names if n.startswith('mmkd_rs.')}
    return found


def test_utils_import_nothing_above_them():
    modules = sorted((REPO / 'mmkd_rs' / 'utils').glob('*.py'))
    assert len(modules) >= 8
    for path in modules:
        assert not _imported_packages(path) & ABOVE_UTILS, path.name


def test_tools_and_benchmark_scripts_leave_sys_path_alone():
    scripts = sorted(REPO.glob('tools/**/*.py')) + sorted(REPO.glob('benchmarks/*.py'))
    assert len(scripts) >= 20
    offenders = [str(p.relative_to(REPO)) for p in scripts if 'sys.path.insert' in p.read_text()]
    assert offenders == []
