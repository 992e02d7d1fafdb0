"""RSInferencer on the three families: windows equal whole-raster inference, outputs
keep the georeference, distillation checkpoints deploy their student."""
import json
import os.path as osp

import numpy as np
import pytest
import torch
from _infer_kit import random_checkpoint, scene, tiny_config, write_raster

from mmkd_rs.apis import RSInferencer, collect_inputs
from mmkd_rs.geo import RasterFile
from mmkd_rs.utils.errors import UserError

ORIGIN, RES = (600000.0, 5800000.0), 0.5


@pytest.fixture(scope='module')
def change(tmp_path_factory):
    """Tiny change model (slide: crop 32, stride 16) and a 100 x 90 GeoTIFF pair."""
    tmp = tmp_path_factory.mktemp('change')
    rng = np.random.default_rng(0)
    pair = tuple(write_raster(tmp / f'{d}.tif', scene(rng, 3, 100, 90), origin=ORIGIN, res=RES)
                 for d in 'ab')
    config = tiny_config('change', tmp)
    return dict(tmp=tmp, pair=pair, config=config,
                ckpt=random_checkpoint(config, tmp / 'change.pth', pair))


def _read(path):
    import rasterio
    with rasterio.open(path) as src:
        return src.read(), src.profile, src.descriptions


def test_windows_reproduce_whole_raster_slide_inference_and_only_windows_are_read(
        change, monkeypatch):
    inferencer = RSInferencer(change['config'], change['ckpt'], tile_size=4096,
                              show_progress=False)
    whole = inferencer.predict(change['pair'], probs=True)
    assert 0.2 < whole['mask'].mean() < 0.8          # both classes occur

    reads = []
    original = RasterFile.read
    monkeypatch.setattr(RasterFile, 'read', lambda self, rows, cols: reads.append(
        (rows[1] - rows[0], cols[1] - cols[0])) or original(self, rows, cols))
    inferencer.tile_size = 16
    plan = inferencer.plan((100, 90))
    windowed = inferencer.predict(change['pair'], probs=True)
    assert np.array_equal(windowed['mask'], whole['mask'])
    assert np.array_equal(windowed['probs'], whole['probs'])      # bit for bit
    assert len(plan) == 42 and len(reads) == 2 * 42                # both dates, per window
    # never the whole raster: at most the core, one crop and one stride (the longest
    # windows are those that must reach the crop mmseg shifts to the raster's end)
    assert plan.max_read_shape == (52, 58)
    assert all(h <= 52 and w <= 58 for h, w in reads)


def test_reads_and_writes_run_with_a_bounded_gdal_block_cache(change, monkeypatch):
    # GDAL's default cache (5 % of the machine's memory) keeps the blocks of large
    # rasters: peak memory then grew with the raster (1.0 GB at 8000 px vs 0.75 GB)
    from rasterio.env import get_gdal_config
    seen = []
    original = RasterFile.read
    monkeypatch.setattr(RasterFile, 'read', lambda self, rows, cols: seen.append(
        get_gdal_config('GDAL_CACHEMAX')) or original(self, rows, cols))
    RSInferencer(change['config'], tile_size=64, show_progress=False,
                 gdal_cache_mb=32).predict(change['pair'])
    assert seen and set(seen) == {32 * 2**20}


def test_geotiff_mask_probabilities_and_polygons_keep_the_georeference(change):
    inferencer = RSInferencer(change['config'], change['ckpt'], tile_size=32,
                              show_progress=False)
    [result] = inferencer([change['pair']], str(change['tmp'] / 'out'), probs=True)
    expected = inferencer.predict(change['pair'], probs=True)
    mask, profile, _ = _read(result['mask'])
    _, source, _ = _read(change['pair'][0])
    assert profile['crs'] == source['crs'] and profile['transform'] == source['transform']
    assert profile['nodata'] == 255 and np.array_equal(mask[0], expected['mask'])
    probs, profile, names = _read(result['probs'])
    assert names == ('unchanged', 'changed') and profile['crs'] == source['crs']
    np.testing.assert_allclose(probs.sum(0), 1, rtol=1e-6)
    assert np.array_equal(probs, expected['probs'])
    polygons = json.load(open(result['polygons']))
    assert polygons['crs']['properties']['name'] == 'EPSG:32631'
    assert {f['properties']['name'] for f in polygons['features']} == {'changed'}
    area = sum(f['properties']['area'] for f in polygons['features'])
    assert area == pytest.approx((expected['mask'] == 1).sum() * RES ** 2)
    x = [c[0] for f in polygons['features'] for c in f['geometry']['coordinates'][0]]
    assert ORIGIN[0] <= min(x) and max(x) <= ORIGIN[0] + 90 * RES


def _config_pipeline_inputs(config, results):
    """``inputs`` of the config's own test pipeline (annotation loaders left out)."""
    from mmengine.config import Config
    from mmengine.dataset import Compose
    pipeline = [t for t in Config.fromfile(config).test_dataloader.dataset.pipeline
                if t['type'] in ('LoadBiTemporalImages', 'LoadImageFromFile',
                                 'LoadPairedModalities') or not t['type'].startswith('Load')]
    for t in pipeline:
        if t['type'] == 'MaskSARNoData':
            t['require_label'] = False
    return Compose(pipeline)(dict(results, seg_fields=[]))['inputs']


def test_window_reader_loads_as_the_config_pipeline(change, tmp_path):
    pair = change['pair']
    inferencer = RSInferencer(change['config'], show_progress=False)
    rasters = [RasterFile(p) for p in pair]
    packed, _ = inferencer.pipeline(rasters, (0, 100), (0, 90))
    assert torch.equal(packed['inputs'], _config_pipeline_inputs(
        change['config'], dict(img_path=pair[0], img_path2=pair[1])))

    rng = np.random.default_rng(1)
    road = write_raster(tmp_path / 'road.png', scene(rng, 3, 40, 48), crs=None)
    config = tiny_config('roads', tmp_path)
    packed, _ = RSInferencer(config, show_progress=False).pipeline(
        [RasterFile(road)], (0, 40), (0, 48))
    assert torch.equal(packed['inputs'], _config_pipeline_inputs(config, dict(img_path=road)))

    rgba = np.concatenate([scene(rng, 3, 40, 48), np.full((1, 40, 48), 255, np.uint8)])
    rgba[3, :2] = 0                                   # alpha 0: no data
    rgba[3, 2:4] = np.arange(1, 97).reshape(2, 48)    # partly transparent
    rgba_path = write_raster(tmp_path / 'rgba.tif', rgba, photometric='RGB', alpha='YES')
    packed, nodata = RSInferencer(config, show_progress=False).pipeline(
        [RasterFile(rgba_path)], (0, 40), (0, 48))
    assert torch.equal(packed['inputs'],
                       _config_pipeline_inputs(config, dict(img_path=rgba_path)))
    assert nodata.sum() == 2 * 48

    sar = scene(rng, 4, 40, 48).astype(np.float32) / 4 - 40
    sar[:, :5] = 0                                    # the config's sar_nodata_value
    sar[:, 10, 10] = np.nan
    sar = write_raster(tmp_path / 'sar.tif', sar)
    config = tiny_config('sar', tmp_path)
    packed, nodata = RSInferencer(config, show_progress=False).pipeline(
        [RasterFile(sar)], (0, 40), (0, 48))
    assert torch.equal(packed['inputs'], _config_pipeline_inputs(config, dict(sar_path=sar)))
    assert nodata.sum() == 5 * 48 + 1


def test_sar_student_marks_nodata_and_windows_follow_the_whole_protocol(tmp_path):
    rng = np.random.default_rng(2)
    sar = scene(rng, 4, 96, 96).astype(np.float32) / 5 - 40
    sar[:, :10, :20] = np.nan
    path = write_raster(tmp_path / 'tile.tif', sar, origin=ORIGIN, res=RES)
    config = tiny_config('sar', tmp_path)
    inferencer = RSInferencer(config, random_checkpoint(config, tmp_path / 's.pth', path),
                              tile_size=32, margin=32, show_progress=False)
    assert inferencer.task == 'segmentation' and inferencer.test_cfg['mode'] == 'whole'
    windowed = inferencer.predict(path, probs=True)
    assert (windowed['mask'][:10, :20] == 255).all() and (windowed['mask'][10:] < 2).all()
    assert np.isnan(windowed['probs'][:, :10, :20]).all()
    inferencer.tile_size = 1024
    whole = inferencer.predict(path)
    # whole protocol: windows see 32 px of context, the rest of the raster fades out
    assert (windowed['mask'] == whole['mask']).mean() > 0.9
    [result] = inferencer([path], str(tmp_path / 'out'))
    polygons = json.load(open(result['polygons']))
    assert {f['properties']['name'] for f in polygons['features']} == {'building'}
    area = sum(f['properties']['area'] for f in polygons['features'])
    assert area == pytest.approx((whole['mask'] == 1).sum() * RES ** 2)


def test_roads_png_mask_and_road_lines_in_pixels_or_in_the_crs(tmp_path):
    from mmkd_rs.evaluation.graph.loaders import load_road_graph
    rng = np.random.default_rng(3)
    image = scene(rng, 3, 96, 80)
    png = write_raster(tmp_path / 'plain.png', image, crs=None)
    geo = write_raster(tmp_path / 'geo.tif', image, origin=ORIGIN, res=RES)
    config = tiny_config('roads', tmp_path)
    inferencer = RSInferencer(config, random_checkpoint(config, tmp_path / 'r.pth', png),
                              tile_size=32, margin=32, show_progress=False)
    assert inferencer.task == 'roads'
    plain, geo_result = inferencer([png, geo], str(tmp_path / 'out'))
    expected = inferencer.predict(png)['mask']
    assert 0 < expected.mean() < 1
    import cv2
    mask = cv2.imread(plain['mask'], cv2.IMREAD_UNCHANGED)
    assert plain['mask'].endswith('.png') and np.array_equal(mask, expected * 255)
    assert sorted(p.name for p in (tmp_path / 'out').iterdir()) == [
        'geo_mask.tif', 'geo_roads.geojson', 'plain_mask.png', 'plain_roads.geojson']
    lines = json.load(open(plain['roads']))
    assert 'crs' not in lines and lines['features']
    xy = np.concatenate([f['geometry']['coordinates'] for f in lines['features']])
    assert xy.min() >= 0 and xy[:, 0].max() <= 80 and xy[:, 1].max() <= 96
    graph, frame = load_road_graph(geo_result['roads'])
    assert frame.crs == 'EPSG:32631' and graph.num_edges == len(lines['features'])
    # the same lines, pixel corners mapped through the transform (x0 + 0.5 x, y0 - 0.5 y)
    geo_lines = json.load(open(geo_result['roads']))['features']
    first = np.asarray(geo_lines[0]['geometry']['coordinates'])
    np.testing.assert_allclose(
        first, np.asarray(lines['features'][0]['geometry']['coordinates']) * (RES, -RES) +
        ORIGIN)


def test_distillation_checkpoint_and_extracted_student_predict_as_the_student(change, tmp_path):
    from mmengine.config import Config

    from mmkd_rs.distill.extract import extract_student
    kd = Config.fromfile(osp.join(
        osp.dirname(__file__), '..', '..', 'configs', 'kd',
        'kd_siam-r18w32_siam-r50w32_1xb4-quick_synth-levir-cd-128x128.py'))
    kd.model.student = Config.fromfile(change['config']).model
    kd_config = str(tmp_path / 'kd_tiny.py')
    kd.dump(kd_config)
    state = torch.load(change['ckpt'], weights_only=True)['state_dict']
    kd_state = {f'student.{k}': v for k, v in state.items()}
    kd_state['distiller.connectors.x.weight'] = torch.ones(2)    # no teacher is built or read
    kd_state['teachers.teacher.backbone.conv1.weight'] = torch.ones(2)
    kd_ckpt = str(tmp_path / 'kd.pth')
    torch.save(dict(meta=dict(iter=300), state_dict=kd_state), kd_ckpt)
    extract_student(kd_ckpt, str(tmp_path / 'student.pth'))

    reference = RSInferencer(change['config'], change['ckpt'], show_progress=False)
    expected = reference.predict(change['pair'], probs=True)['probs']
    for config, ckpt in ((kd_config, kd_ckpt), (change['config'], kd_ckpt),
                         (change['config'], str(tmp_path / 'student.pth'))):
        inferencer = RSInferencer(config, ckpt, show_progress=False)
        assert type(inferencer.model).__name__ == 'SiameseChangeSegmentor'
        assert np.array_equal(inferencer.predict(change['pair'], probs=True)['probs'], expected)


def test_user_errors_name_the_problem(change, tmp_path):
    from mmkd_rs.engine.strict_loading import CheckpointMismatchError
    road_config = tiny_config('roads', tmp_path)
    with pytest.raises(CheckpointMismatchError, match='does not match the network'):
        RSInferencer(road_config, change['ckpt'], show_progress=False)
    inferencer = RSInferencer(change['config'], show_progress=False)
    four = write_raster(tmp_path / 'four.tif', scene(np.random.default_rng(0), 4, 100, 90),
                        origin=ORIGIN, res=RES)
    with pytest.raises(UserError, match='has 4 bands, but the config expects 3 for date A'):
        inferencer.predict((four, change['pair'][1]))
    with pytest.raises(UserError, match='must share one pixel grid'):
        inferencer.predict((change['pair'][0], write_raster(
            tmp_path / 'small.tif', scene(np.random.default_rng(0), 3, 20, 20))))
    shifted = write_raster(tmp_path / 'shifted.tif', scene(np.random.default_rng(0), 3, 100, 90),
                           origin=(ORIGIN[0] + 10, ORIGIN[1]), res=RES)
    with pytest.raises(UserError, match='differ in CRS or transform'):
        inferencer.predict((change['pair'][0], shifted))
    lenient = RSInferencer(change['config'], show_progress=False, cfg_options={
        'test_dataloader.dataset.pipeline.0.allow_misregistered': True})
    assert lenient.predict((change['pair'][0], shifted))['mask'].shape == (100, 90)


def test_collect_inputs_pairs_files_and_folders(tmp_path):
    for date in ('A', 'B'):
        (tmp_path / date).mkdir()
        for name in ('x.tif', 'y.tif', 'notes.txt'):
            (tmp_path / date / name).write_text('')
    a, b = str(tmp_path / 'A'), str(tmp_path / 'B')
    assert collect_inputs([a, b], 2) == [
        ('x', (osp.join(a, 'x.tif'), osp.join(b, 'x.tif'))),
        ('y', (osp.join(a, 'y.tif'), osp.join(b, 'y.tif')))]
    files = [osp.join(a, 'x.tif'), osp.join(b, 'x.tif'), osp.join(a, 'y.tif'),
             osp.join(b, 'y.tif')]
    assert [stem for stem, _ in collect_inputs(files, 2)] == ['x', 'y']
    assert [stem for stem, _ in collect_inputs([a], 1)] == ['x', 'y']
    with pytest.raises(UserError, match='come in pairs'):
        collect_inputs(files[:3], 2)
    with pytest.raises(UserError, match='would overwrite'):
        collect_inputs([a, b], 1)
    (tmp_path / 'B' / 'y.tif').unlink()
    with pytest.raises(UserError, match='"y" is in only one of the folders'):
        collect_inputs([a, b], 2)
