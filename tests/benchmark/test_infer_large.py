"""benchmarks/infer_large.py on a small scene: the pair is written tiled from a
LEVIR-CD split, tools/infer.py predicts it in windows, and the report holds the
peak memory, the mask on the input's grid and the polygons in its CRS."""
import importlib.util
import json

import torch

from _benchmark_paths import REPO


def test_small_scene_end_to_end(tmp_path):
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    import mmkd_rs  # noqa: F401
    from mmkd_rs.datasets.synthetic.levir import generate_synthetic_levir
    from mmkd_rs.registry import MODELS
    config = REPO / 'configs/changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py'
    generate_synthetic_levir(str(tmp_path / 'levir'), num_train=1, num_val=1, num_test=4,
                             size=64, seed=0)
    init_default_scope('mmkd_rs')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(str(config)).model)
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, tmp_path / 'student.pth')
    spec = importlib.util.spec_from_file_location('infer_large',
                                                  REPO / 'benchmarks' / 'infer_large.py')
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    result = tool.main([str(config), str(tmp_path / 'student.pth'), '--size', '200',
                        '--tile-size', '128', '--tiles', str(tmp_path / 'levir' / 'test'),
                        '--work-dir', str(tmp_path / 'work'), '--threads', '1'])
    assert result['mask'] == dict(path='scene_A_mask.tif', crs='EPSG:32631',
                                  same_transform=True, shape=[200, 200])
    assert result['vectors']['crs'] == 'EPSG:32631'
    assert 0 < result['infer_peak_rss_mib'] < 4096 and result['infer_wall_s'] > 0
    assert json.loads((tmp_path / 'work' / 'infer_large.json').read_text()) == result
    assert not list((tmp_path / 'work').glob('scene_*.tif'))          # removed unless --keep
