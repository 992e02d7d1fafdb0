"""tools/misc/check_dataset.py and the configs/_templates_/ on the worked examples of
docs/your_own_data.md: 4-band uint16 GeoTIFF pairs with 0/1 labels, SAR + EO pairs,
road masks. Each template reads its example data and trains one step on it."""
import importlib.util
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / 'tests' / 'apis'))
from _infer_kit import scene, write_raster  # noqa: E402

ORIGIN = (600000.0, 5800000.0)


def _tool():
    spec = importlib.util.spec_from_file_location(
        'check_dataset_tool', REPO / 'tools' / 'misc' / 'check_dataset.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def copy_template(name, folder, data_root) -> str:
    """The template as a user copies it to ``folder`` and points it at ``data_root``."""
    text = (REPO / 'configs' / '_templates_' / name).read_text()
    text = text.replace("_base_ = ['../", f"_base_ = ['{REPO}/configs/")
    text = re.sub(r"^data_root = '.*'$", f"data_root = '{data_root}'", text, flags=re.M)
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


def one_training_step(config: str) -> dict:
    """Build the training dataset and the model of ``config``; losses of two samples."""
    import torch
    from mmengine.config import Config
    from mmengine.dataset import pseudo_collate
    from mmengine.registry import init_default_scope

    from mmkd_rs.registry import DATASETS, MODELS
    cfg = Config.fromfile(config)
    init_default_scope('mmkd_rs')
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    batch = pseudo_collate([dataset[0], dataset[1]])
    model_cfg = cfg.model.to_dict()
    if model_cfg['type'] == 'TeacherStudentDistill':
        model_cfg.update(allow_random_teacher=True, teacher_ckpt=None)
    torch.manual_seed(0)
    model = MODELS.build(model_cfg).train()
    losses = model(**model.data_preprocessor(batch, True), mode='loss')
    for key, value in losses.items():
        assert torch.isfinite(value).all(), key
    return losses


# ------------------------------------------------------------- example data
def write_change_example(root, splits=(('train', 3), ('val', 2), ('test', 1)), size=64):
    """4-band uint16 GeoTIFF pairs, 0/1 uint8 labels (nodata 0 on date B's first rows)."""
    rng = np.random.default_rng(0)
    images = {}
    for split, count in splits:
        for name in range(count):
            a, b = (scene(rng, 4, size, size, np.uint16) * 20 for _ in range(2))
            b[:, :2] = 0
            label = (np.abs(a.astype(int) - b).mean(0) > 400).astype(np.uint8)[None]
            for folder, array in (('A', a), ('B', b), ('label', label)):
                (Path(root) / split / folder).mkdir(parents=True, exist_ok=True)
                write_raster(Path(root) / split / folder / f'tile{name}.tif', array,
                             origin=ORIGIN, res=0.5, nodata=0 if folder == 'B' else None)
            images.setdefault(split, []).append((a, b, label))
    return images


def write_sar_example(root, tiles=(('train', 2), ('val', 1), ('test', 1)), size=64):
    """2-band linear float32 SAR (0 = nodata), 4-band uint16 EO, GeoJSON footprints."""
    rng = np.random.default_rng(1)
    root = Path(root)
    for folder in ('SAR', 'EO', 'buildings', 'splits'):
        (root / folder).mkdir(parents=True, exist_ok=True)
    sar_pixels, index = [], 0
    for split, count in tiles:
        ids = []
        for _ in range(count):
            tid = f's1_2023_tile_{index}'
            sar = rng.gamma(2.0, 0.05, (2, size, size)).astype(np.float32)
            sar[:, :, :4] = 0
            write_raster(root / 'SAR' / f'area_SAR_{tid}.tif', sar, origin=ORIGIN, res=1.0)
            write_raster(root / 'EO' / f'area_EO_{tid}.tif', scene(rng, 4, size, size, np.uint16),
                         origin=ORIGIN, res=1.0)
            x0, y0 = ORIGIN
            squares = [[[x0 + x, y0 - y], [x0 + x + 10, y0 - y], [x0 + x + 10, y0 - y - 10],
                        [x0 + x, y0 - y - 10], [x0 + x, y0 - y]] for x, y in ((10, 10), (30, 40))]
            (root / 'buildings' / f'area_buildings_{tid}.geojson').write_text(json.dumps(dict(
                type='FeatureCollection',
                crs=dict(type='name', properties=dict(name='urn:ogc:def:crs:EPSG::32631')),
                features=[dict(type='Feature', properties={}, geometry=dict(
                    type='Polygon', coordinates=[sq])) for sq in squares])))
            if split == 'train':
                sar_pixels.append(sar[:, :, 4:].reshape(2, -1))
            ids.append(tid)
            index += 1
        (root / 'splits' / f'{split}.txt').write_text('\n'.join(ids) + '\n')
    return np.concatenate(sar_pixels, axis=1)


def write_road_example(root, splits=(('train', 2), ('val', 1), ('test', 1)), size=64):
    """8-bit RGB GeoTIFF tiles (the first one RGB + alpha, alpha 0 on 4 rows) and 0/255
    PNG road masks (a cross); returns the valid RGB pixels of the training tiles."""
    import cv2
    rng = np.random.default_rng(2)
    train = []
    for split, count in splits:
        for folder in ('img_dir', 'ann_dir'):
            (Path(root) / folder / split).mkdir(parents=True, exist_ok=True)
        for name in range(count):
            rgb = scene(rng, 3, size, size)
            path = Path(root) / 'img_dir' / split / f'r{name}.tif'
            if split == 'train' and name == 0:
                alpha = np.full((1, size, size), 255, np.uint8)
                alpha[:, :4] = 0
                write_raster(path, np.concatenate([rgb, alpha]), origin=ORIGIN, res=0.5,
                             photometric='RGB', alpha='YES')
                rgb = rgb[:, 4:]
            else:
                write_raster(path, rgb, origin=ORIGIN, res=0.5)
            if split == 'train':
                train.append(rgb.reshape(3, -1))
            mask = np.zeros((size, size), np.uint8)
            mask[30:36], mask[:, 20:26] = 255, 255
            cv2.imwrite(str(Path(root) / 'ann_dir' / split / f'r{name}.png'), mask)
    return np.concatenate(train, axis=1)


# ---------------------------------------------------------------------- tests
def test_change_template_reads_uint16_pairs_with_01_labels(tmp_path, capsys):
    images = write_change_example(tmp_path / 'data')
    config = copy_template('changedet_own-data.py', tmp_path, tmp_path / 'data')
    status = _tool().main([config, '--json', str(tmp_path / 'report.json'), '--no-progress'])
    printed = capsys.readouterr().out
    assert status == 0, printed
    report = json.loads((tmp_path / 'report.json').read_text())
    assert [report['splits'][s]['samples'] for s in ('train', 'val', 'test')] == [3, 2, 1]
    a = report['splits']['train']['modalities']['A']
    assert a['sizes'] == {'64x64': 3} and a['bands'] == {'4': 3} and a['dtypes'] == {'uint16': 3}
    assert a['crs'] == {'EPSG:32631': 3} and a['nodata_percent'] == 0
    assert report['splits']['train']['modalities']['B']['nodata_percent'] == \
        pytest.approx(100 * 2 / 64, abs=1e-3)
    labels = np.concatenate([lab.ravel() for _, _, lab in images['train']])
    assert report['splits']['train']['label_values'] == {
        str(v): round(100 * float((labels == v).mean()), 3) for v in (0, 1)}
    pixels_a = np.concatenate([x.reshape(4, -1) for x, _, _ in images['train']], 1)
    np.testing.assert_allclose(a['mean'], pixels_a.mean(1), atol=1e-3)
    np.testing.assert_allclose(a['std'], pixels_a.std(1), atol=1e-3)
    b = np.concatenate([y[:, 2:].reshape(4, -1) for _, y, _ in images['train']], 1)
    np.testing.assert_allclose(report['splits']['train']['modalities']['B']['mean'],
                               b.mean(1), atol=1e-3)      # nodata rows left out
    assert 'pixel grids: all samples agree' in printed and 'A: mean=[' in printed
    losses = one_training_step(config)
    assert float(losses['decode.loss_ce']) > 0


def test_change_teacher_and_distillation_configs_of_the_docs(tmp_path, monkeypatch):
    write_change_example(tmp_path / 'data', splits=(('train', 2), ('val', 1), ('test', 1)))
    copy_template('changedet_own-data.py', tmp_path / 'configs' / 'my', tmp_path / 'data')
    monkeypatch.chdir(tmp_path)
    blocks = doc_config_blocks()
    assert sorted(blocks) == ['configs/my/changedet_teacher_own-data.py',
                              'configs/my/kd_own-data.py', 'configs/my/sar-eo_hfd.py',
                              'configs/my/sar-eo_teacher-eo.py']
    for name in ('configs/my/changedet_teacher_own-data.py', 'configs/my/kd_own-data.py'):
        (tmp_path / name).write_text(blocks[name])
    one_training_step('configs/my/changedet_teacher_own-data.py')
    losses = one_training_step('configs/my/kd_own-data.py')
    assert float(losses['distill.loss_kd']) > 0


def test_levir_config_on_own_data_lists_the_settings_to_change(tmp_path, capsys):
    write_change_example(tmp_path / 'data', splits=(('train', 2), ('val', 1)))
    options = []
    for split in ('train', 'val', 'test'):
        folder = 'val' if split == 'test' else split
        options += [f'{split}_dataloader.dataset.data_root={tmp_path / "data"}',
                    f'{split}_dataloader.dataset.img_suffix=.tif',
                    f'{split}_dataloader.dataset.seg_map_suffix=.tif',
                    f'{split}_dataloader.dataset.data_prefix.img_path={folder}/A',
                    f'{split}_dataloader.dataset.data_prefix.img_path2={folder}/B',
                    f'{split}_dataloader.dataset.data_prefix.seg_map_path={folder}/label']
    status = _tool().main([str(REPO / 'configs' / 'changedet' /
                               'siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py'),
                           '--no-progress', '--cfg-options', *options])
    printed = capsys.readouterr().out
    assert status == 1
    assert 'the config expects channels_per_date=(3, 3)' in printed
    assert "label values [0, 1] are not accepted by label_format='0-255'" in printed
    assert 'model.data_preprocessor has [3, 3] mean value(s) per input, the training images ' \
        'have [4, 4] band(s)' in printed
    assert 'test: the same dataset as val' in printed


def test_sar_eo_template_and_the_derived_teacher_and_distillation_configs(tmp_path, capsys,
                                                                           monkeypatch):
    sar = write_sar_example(tmp_path / 'data')
    config = copy_template('sar-eo_own-data.py', tmp_path / 'configs' / 'my', tmp_path / 'data')
    assert _tool().main([config, '--no-progress']) == 0
    printed = capsys.readouterr().out
    assert 'label footprints: 4' in printed and 'pixel grids: all samples agree' in printed
    stats = re.search(r'SAR \(dB\): mean=(\[.*?\]), std=(\[.*?\])', printed)
    db = np.clip(10 * np.log10(np.maximum(sar, 1e-6)), -30, 10)
    np.testing.assert_allclose(json.loads(stats.group(1)), db.mean(1), atol=1e-3)
    np.testing.assert_allclose(json.loads(stats.group(2)), db.std(1), atol=1e-3)
    assert 'SAR: size 64x64 (2)' in printed and 'nodata 6.25 %' in printed
    losses = one_training_step(config)
    assert float(losses['decode.loss_ce']) > 0
    # the teacher and distillation configs of the docs, written next to the copy
    monkeypatch.chdir(tmp_path)
    blocks = doc_config_blocks()
    for name in ('configs/my/sar-eo_teacher-eo.py', 'configs/my/sar-eo_hfd.py'):
        (tmp_path / name).write_text(blocks[name])
    assert float(one_training_step('configs/my/sar-eo_teacher-eo.py')['decode.loss_ce']) > 0
    losses = one_training_step('configs/my/sar-eo_hfd.py')
    assert 'distill.loss_hfd' in losses


def test_roads_template_reads_8bit_tiles_and_0_255_masks(tmp_path, capsys):
    rgb = write_road_example(tmp_path / 'data')
    config = copy_template('roads_own-data.py', tmp_path, tmp_path / 'data')
    assert _tool().main([config, '--no-progress', '--json', str(tmp_path / 'r.json')]) == 0
    printed = capsys.readouterr().out
    assert 'label values (% of pixels): 0: ' in printed and '255: ' in printed
    image = json.loads((tmp_path / 'r.json').read_text())['splits']['train']['modalities'][
        'image']
    assert image['bands'] == {'3+alpha': 1, '3': 1}
    np.testing.assert_allclose(image['mean'], rgb.mean(1), atol=1e-3)   # alpha 0 left out
    np.testing.assert_allclose(image['std'], rgb.std(1), atol=1e-3)
    losses = one_training_step(config)
    # 0/255 masks are read as road (binarize_threshold=1): a mask left at 255 would be
    # ignored and the loss would see background only
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from mmkd_rs.registry import DATASETS
    init_default_scope('mmkd_rs')
    sample = DATASETS.build(Config.fromfile(config).val_dataloader.dataset)[0]
    assert set(np.unique(sample['data_samples'].gt_sem_seg.data.numpy())) == {0, 1}
    assert float(losses['decode.loss_ce']) > 0


def doc_config_blocks() -> dict:
    """Python code blocks of docs/your_own_data.md that start with ``# <path>.py``."""
    text = (REPO / 'docs' / 'your_own_data.md').read_text()
    blocks = {}
    for block in re.findall(r'```python\n(.*?)```', text, flags=re.S):
        first = block.splitlines()[0]
        if first.startswith('# configs/') and first.endswith('.py'):
            blocks[first[2:]] = block
    return blocks


def test_missing_dataset_is_a_user_error(tmp_path, capsys):
    config = copy_template('roads_own-data.py', tmp_path, tmp_path / 'nowhere')
    with pytest.raises(SystemExit) as exit_info:
        _tool().main([config, '--no-progress'])
    assert exit_info.value.code == 2
    assert 'data not found' in capsys.readouterr().err
