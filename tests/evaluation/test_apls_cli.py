"""tools/analysis/apls.py: as a command line on the real SpaceNet 3 sample,
in-process for masks and error cases."""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from _real_data import require_real

REPO = Path(__file__).resolve().parents[2]
TOOL = REPO / 'tools' / 'analysis' / 'apls.py'


def _tool():
    spec = importlib.util.spec_from_file_location('apls_tool', TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
def test_cli_geojson_vs_csv_subprocess():
    root = require_real('spacenet3_roads_apls')
    gt = root / 'gt_json_prop_wkt/ground_truth_randomized/AOI_2_Vegas_img0.geojson'
    csv = root / 'gt_json_prop_wkt/proposal/sn3_sample_submission_albu.csv'
    tif = root / 'images/RGB-PanSharpen_AOI_2_Vegas_img0.tif'
    proc = subprocess.run([sys.executable, str(TOOL), str(gt), str(csv), '--image-id',
                           'AOI_2_Vegas_img0', '--raster-ref', str(tif)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = {ln.split(':')[0].strip(): ln.split(':', 1)[1] for ln in proc.stdout.splitlines()
             if ':' in ln}
    apls = float(lines['APLS'])
    forward, backward = float(lines['GT -> prop']), float(lines['prop -> GT'])
    assert apls == pytest.approx(2 * forward * backward / (forward + backward), abs=2e-4)
    from mmkd_rs.evaluation.graph import apls_score
    from mmkd_rs.evaluation.graph.loaders import common_frame, load_road_graph
    from mmkd_rs.geo import Georef
    ref = Georef.from_file(tif)
    frame = common_frame(gt, ref)
    g, _ = load_road_graph(gt, georef=ref, frame=frame)
    p, _ = load_road_graph(csv, image_id='AOI_2_Vegas_img0', georef=ref, frame=frame)
    expected = apls_score(g, p)
    assert (apls, forward, backward) == pytest.approx(
        (expected.apls, expected.gt_to_prop, expected.prop_to_gt), abs=1e-4)
    assert 'TOPO' in lines and 'F1' in lines['TOPO']


def test_cli_in_process_masks_json_and_errors(tmp_path, capsys):
    tool = _tool()
    mask = np.zeros((64, 64), np.uint8)
    mask[30:34, 2:62] = 255
    mask[2:62, 30:34] = 255
    Image.fromarray(mask).save(tmp_path / 'gt.png')
    Image.fromarray(mask).save(tmp_path / 'pred.png')
    assert tool.main([str(tmp_path / 'gt.png'), str(tmp_path / 'pred.png'), '--gsd', '2',
                      '--json', '--old-settings']) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out['apls'] == pytest.approx(1.0) and out['topo_f1'] == pytest.approx(1.0)
    assert out['settings'].startswith('old')
    # a mask without georeference and without --gsd: clear error, exit code 2
    assert tool.main([str(tmp_path / 'gt.png'), str(tmp_path / 'pred.png')]) == 2
    assert '--gsd' in capsys.readouterr().err
    assert tool.main([str(tmp_path / 'gt.png'), str(tmp_path / 'nope.png'), '--gsd', '1']) == 2
    assert 'no such file' in capsys.readouterr().err
