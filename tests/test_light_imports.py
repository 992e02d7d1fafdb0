"""Start-up: the graph metrics and tools/analysis/apls.py never import torch,
while ``import mmkd_rs`` still adapts mmcv and mmengine once they are imported.

Each case runs in a fresh interpreter (``-X importtime`` lists every module
the process imported).
"""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
HEAVY = ('torch', 'mmengine', 'mmseg', 'mmcv')


def _imported(stderr: str) -> set:
    """Module names of ``python -X importtime`` output."""
    return {line.rsplit('|', 1)[1].strip() for line in stderr.splitlines()
            if line.startswith('import time:') and '|' in line}


def _python(*args, **kwargs):
    proc = subprocess.run([sys.executable, '-X', 'importtime', *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120, **kwargs)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout, _imported(proc.stderr)


def _lonlat_geojson(path, lines):
    features = [dict(type='Feature', properties={},
                     geometry=dict(type='LineString', coordinates=line)) for line in lines]
    path.write_text(json.dumps(dict(type='FeatureCollection', features=features)))


def test_apls_tool_imports_neither_torch_nor_mmengine(tmp_path):
    # a 200 m x 200 m cross in Las Vegas (lon/lat), and the proposal without one arm
    x0, y0, d = -115.30, 36.10, 0.0018
    cross = [[[x0 - d, y0], [x0, y0], [x0 + d, y0]], [[x0, y0 - d], [x0, y0], [x0, y0 + d]]]
    _lonlat_geojson(tmp_path / 'gt.geojson', cross)
    _lonlat_geojson(tmp_path / 'prop.geojson', cross[:1])
    out, modules = _python('tools/analysis/apls.py', str(tmp_path / 'gt.geojson'),
                           str(tmp_path / 'prop.geojson'), '--json')
    result = json.loads(out)
    assert result['gt_edges'] == 4 and result['prop_edges'] == 1
    assert 0 < result['apls'] < 1
    assert 'mmkd_rs.evaluation.graph.apls' in modules     # the listing is read right
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))
    assert 'mmkd_rs.evaluation.graph.skeleton_graph' not in modules   # masks only


def test_apls_tool_on_masks_imports_no_torch(tmp_path):
    mask = np.zeros((64, 64), np.uint8)
    mask[30:34, 2:62] = 255
    mask[2:62, 30:34] = 255
    Image.fromarray(mask).save(tmp_path / 'gt.png')
    out, modules = _python('tools/analysis/apls.py', str(tmp_path / 'gt.png'),
                           str(tmp_path / 'gt.png'), '--gsd', '2', '--json')
    assert json.loads(out)['apls'] == 1.0
    assert 'mmkd_rs.evaluation.graph.skeleton_graph' in modules
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))


def test_graph_package_names_resolve_without_torch():
    code = ('import sys; import mmkd_rs; from mmkd_rs.evaluation import graph; '
            'from mmkd_rs.evaluation.graph import RoadGraph, apls_score, topo_score, '
            'mask_to_graph, road_counts, scores_from_counts; '
            'import numpy as np; m = np.zeros((9, 9), bool); m[4] = True; '
            'g = mask_to_graph(m, min_object_area=0, min_spur_length=0); '
            'print(g.num_edges, apls_score(g, g).apls, topo_score(g, g).f1, '
            'sorted(set(dir(graph)) >= set(graph.__all__) for _ in [0]), '
            'sorted(m for m in ("torch", "mmengine", "mmseg") if m in sys.modules))')
    out, _ = _python('-c', code)
    assert out.split() == ['1', '1.0', '1.0', '[True]', '[]']


def test_import_mmkd_rs_still_adapts_mmcv_and_checkpoint_loading():
    # mmcv first, then mmengine.runner: both adapted when imported after the package
    code = ('import sys, mmkd_rs; assert "torch" not in sys.modules; '
            'import mmcv; from mmkd_rs.utils import mmcv_compat; import mmcv.ops; '
            'print(mmcv_compat.is_lite() == (type(mmcv.ops).__name__ == "_OpsModule")); '
            'from mmengine.runner.checkpoint import CheckpointLoader as C; '
            'print(sorted({f.__module__ for f in C._schemes.values()}))')
    out, _ = _python('-c', code)
    assert out.split('\n')[:2] == ['True', "['mmkd_rs.utils.checkpoint_safety']"]
    # the safety module imported first (it imports mmengine.runner itself), and
    # mmengine.runner imported before the package: both still end up installed
    for first in ('import mmkd_rs.utils.checkpoint_safety', 'import mmengine.runner; '
                  'import mmkd_rs'):
        code = (f'{first}; from mmengine.runner.checkpoint import CheckpointLoader as C; '
                'print(sorted({f.__module__ for f in C._schemes.values()}))')
        out, _ = _python('-c', code)
        assert out.strip() == "['mmkd_rs.utils.checkpoint_safety']", first


def test_registry_locations_register_the_metrics():
    code = ('import mmkd_rs; from mmkd_rs.evaluation.graph import apls; '
            'from mmkd_rs.registry import METRICS; '
            'print(METRICS.get("RoadMetric").__module__, METRICS.get("ChangeDetectionMetric")'
            '.__module__)')
    out, _ = _python('-c', code)
    assert out.split() == ['mmkd_rs.evaluation.metrics.road_metric',
                           'mmkd_rs.evaluation.metrics.change_metric']


def _run_tool(tool: str, *args) -> dict:
    """Run ``tools/<tool>`` as ``__main__`` in a fresh interpreter and report
    its exit status, its CPU seconds (user + system, interpreter start-up
    included) and which of :data:`HEAVY` it left in ``sys.modules``."""
    code = ('import json, resource, runpy, sys\n'
            f'sys.argv = {[f"tools/{tool}", *args]!r}\n'
            'status = 0\n'
            'try:\n'
            '    runpy.run_path(sys.argv[0], run_name="__main__")\n'
            'except SystemExit as exc:\n'
            '    status = exc.code or 0\n'
            'use = resource.getrusage(resource.RUSAGE_SELF)\n'
            f'heavy = sorted(m for m in {HEAVY!r} if m in sys.modules)\n'
            'print(json.dumps(dict(status=status, cpu_s=use.ru_utime + use.ru_stime, '
            'heavy=heavy)))\n')
    proc = subprocess.run([sys.executable, '-c', code], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_leaderboard_tool_imports_no_torch(tmp_path):
    result = _run_tool('leaderboard.py', '--help')   # parses before importing anything heavy
    assert result['status'] == 0 and result['heavy'] == [] and result['cpu_s'] < 1.0, result
    fixtures = REPO / 'tests' / 'benchmark' / 'fixtures' / 'results'
    result = _run_tool('leaderboard.py', str(fixtures), '--out', str(tmp_path), '--no-readme')
    assert result['status'] == 0, result
    assert sorted(p.suffix for p in tmp_path.iterdir()) == ['.csv', '.html', '.md', '.png',
                                                           '.png', '.png']
    assert not {'torch', 'mmseg', 'mmcv'} & set(result['heavy']), result


def test_benchmark_records_import_no_torch_and_lazy_names_resolve():
    code = ('import sys; from mmkd_rs.benchmark import records; '
            'print("torch" in sys.modules); import mmkd_rs.benchmark as b; '
            'print(b.count_params.__module__, "torch" in sys.modules)')
    out, _ = _python('-c', code)
    assert out.split() == ['False', 'mmkd_rs.benchmark.complexity', 'True']


CONVERTERS = sorted(p.name for p in (REPO / 'tools' / 'dataset_converters').glob('*.py'))


def test_dataset_converters_parse_arguments_before_importing_torch():
    assert len(CONVERTERS) >= 9, CONVERTERS
    for name in CONVERTERS:
        result = _run_tool(f'dataset_converters/{name}', '--help')
        assert result['status'] == 0, (name, result)
        assert not {'torch', 'mmseg', 'mmcv'} & set(result['heavy']), (name, result)
        assert result['cpu_s'] < 1.0, (name, result)


# every other tool; ``mmengine`` (its Config and DictAction parse --cfg-options) is allowed
ENTRY_TOOLS = ['train.py', 'test.py', 'infer.py', 'run_benchmark.py', 'demo.py',
               'model_converters/extract_student.py', 'misc/check_dataset.py',
               'misc/list_modules.py', 'analysis/get_flops.py', 'analysis/params.py',
               'analysis/benchmark.py', 'analysis/plot_curves.py']


def test_every_tool_answers_help_without_torch():
    assert all((REPO / 'tools' / name).is_file() for name in ENTRY_TOOLS)
    for name in ENTRY_TOOLS:
        result = _run_tool(name, '--help')
        assert result['status'] == 0, (name, result)
        assert not {'torch', 'mmseg', 'mmcv'} & set(result['heavy']), (name, result)
        assert result['cpu_s'] < 1.0, (name, result)
