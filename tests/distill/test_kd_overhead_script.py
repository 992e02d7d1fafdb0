"""The KD cost script runs end to end on tiny models and writes its table + JSON."""
import importlib.util
import json
import os

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_script():
    spec = importlib.util.spec_from_file_location(
        'kd_overhead', os.path.join(REPO, 'benchmarks', 'kd_overhead.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_kd_overhead_script_writes_table_and_json(tmp_path):
    script = load_script()
    script.main(['--size', '32', '--batch', '2', '--student-width', '4', '--teacher-width', '8',
                 '--repeats', '1', '--warmup', '0', '--no-memory', '--out-dir', str(tmp_path)])
    result = json.loads((tmp_path / 'kd_overhead.json').read_text())
    steps = [r['step'] for r in result['rows']]
    for method in ('kd', 'cwd', 'fitnet', 'at', 'affinity', 'dist', 'mgd'):
        assert f'KD step: {method}' in steps
    assert all(r['overhead'] > 0 for r in result['rows'] if r['step'].startswith('KD'))
    assert result['cache_speedup'] > 0 and result['setting']['clock'] == 'cpu'
    table = (tmp_path / 'kd_overhead.md').read_text()
    assert '| KD step: kd + teacher cache |' in table


@pytest.mark.slow
def test_kd_overhead_memory_mode_writes_ratios(tmp_path):
    script = load_script()
    # a teacher wide enough that its activations (about 5 MiB) stand out of the RSS
    # noise of a fresh process (at 32 px and width 8 they were a few KiB, and the
    # ratio came out at 0.9994 once)
    script.main(['--memory', '--size', '96', '--batch', '2', '--student-width', '4',
                 '--teacher-width', '32', '--methods', 'kd', '--out-dir', str(tmp_path)])
    result = json.loads((tmp_path / 'kd_memory.json').read_text())
    assert result['setting']['size'] == 96 and result['setting']['steps'] == 2
    rows = {r['step']: r for r in result['rows']}
    assert list(rows) == ['student step', 'KD step: kd']   # --methods filters
    student, kd = rows['student step'], rows['KD step: kd']
    assert student['ratio'] == 1.0 and student['peak_mem_mb'] > 0
    # the KD step also holds the teacher's activations: more than the student alone
    assert kd['ratio'] == pytest.approx(kd['peak_mem_mb'] / student['peak_mem_mb'])
    assert kd['ratio'] > 1.05
    table = (tmp_path / 'kd_memory.md').read_text()
    assert f"| KD step: kd | {kd['peak_mem_mb']:.1f} | {kd['ratio']:.2f} |" in table
