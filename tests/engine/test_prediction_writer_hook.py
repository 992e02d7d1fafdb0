"""tools/test.py --out: masks a person can look at, on the input's georeference."""
from types import SimpleNamespace

import numpy as np
import pytest
import rasterio
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample
from PIL import Image
from rasterio.transform import from_origin

from mmkd_rs.engine import PredictionWriterHook


def _sample(pred: np.ndarray, img_path: str) -> SegDataSample:
    sample = SegDataSample(metainfo=dict(img_path=img_path))
    sample.pred_sem_seg = PixelData(data=torch.from_numpy(pred[None].astype(np.int64)))
    return sample


def _runner(classes, palette):
    dataset = SimpleNamespace(metainfo=dict(classes=classes, palette=palette))
    return SimpleNamespace(test_dataloader=SimpleNamespace(dataset=dataset))


@pytest.fixture
def pred():
    mask = np.zeros((20, 30), np.uint8)
    mask[5:10, 4:20] = 1
    return mask


def test_geotiff_input_gives_a_geotiff_on_its_grid(tmp_path, pred):
    src = tmp_path / 'tile_A.tif'
    transform = from_origin(500000.0, 4000000.0, 0.5, 0.5)
    with rasterio.open(src, 'w', driver='GTiff', height=20, width=30, count=3, dtype='uint8',
                       crs='EPSG:32631', transform=transform) as dst:
        dst.write(np.zeros((3, 20, 30), np.uint8))
    hook = PredictionWriterHook(str(tmp_path / 'out'))
    hook.before_test(_runner(['unchanged', 'changed'], [[0, 0, 0], [255, 255, 255]]))
    hook.after_test_iter(None, 0, outputs=[_sample(pred, str(src))])
    with rasterio.open(tmp_path / 'out' / 'tile_A_mask.tif') as ds:
        assert ds.crs.to_epsg() == 32631 and ds.transform == transform
        np.testing.assert_array_equal(ds.read(1), pred)
        assert ds.colormap(1)[1][:3] == (255, 255, 255)


def test_plain_input_gives_a_visible_png_and_names_never_collide(tmp_path, pred):
    src = tmp_path / 'a' / 'img.png'
    src.parent.mkdir()
    Image.fromarray(np.zeros((20, 30, 3), np.uint8)).save(src)
    other = tmp_path / 'b' / 'img.png'          # same stem in another folder
    other.parent.mkdir()
    Image.fromarray(np.zeros((20, 30, 3), np.uint8)).save(other)
    hook = PredictionWriterHook(str(tmp_path / 'out'))
    hook.before_test(_runner(['background', 'road'], [[0, 0, 0], [255, 255, 255]]))
    hook.after_test_iter(None, 0, outputs=[_sample(pred, str(src)), _sample(pred, str(other))])
    names = sorted(p.name for p in (tmp_path / 'out').iterdir())
    assert names == ['img_2_mask.png', 'img_mask.png']
    png = np.array(Image.open(tmp_path / 'out' / 'img_mask.png'))
    np.testing.assert_array_equal(png, pred * 255)           # 0 / 255, not a black 0 / 1


def test_georeferenced_input_of_another_size_is_not_given_its_grid(tmp_path, pred):
    src = tmp_path / 'big.tif'
    with rasterio.open(src, 'w', driver='GTiff', height=40, width=60, count=1, dtype='uint8',
                       crs='EPSG:32631', transform=from_origin(0, 0, 1, 1)) as dst:
        dst.write(np.zeros((1, 40, 60), np.uint8))
    hook = PredictionWriterHook(str(tmp_path / 'out'))
    hook.before_test(_runner(['a', 'b', 'c'], [[0, 0, 0], [255, 0, 0], [0, 255, 0]]))
    three = pred.copy()
    three[12:, :] = 2
    hook.after_test_iter(None, 0, outputs=[_sample(three, str(src))])
    png = Image.open(tmp_path / 'out' / 'big_mask.png')
    np.testing.assert_array_equal(np.array(png), three)       # class indices with a palette
    assert png.mode == 'P' and png.getpalette()[3:6] == [255, 0, 0]
