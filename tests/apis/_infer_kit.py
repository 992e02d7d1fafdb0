"""Tiny networks of the three task families and rasters to predict, for inference tests.

``tiny_config(family, folder)`` writes a config inheriting the family's
quick config with a network a few channels wide (random weights are enough:
the tests compare predictions of the same weights along different paths);
``random_checkpoint`` saves its initial weights as a checkpoint.
"""
import os.path as osp
from pathlib import Path

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[2]

_NARROW = dict(
    change=('configs/changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py', {
        'model.backbone.base_channels': 8, 'model.backbone.stem_channels': 8,
        'model.fusion_neck.in_channels': [8, 16, 32, 64],
        'model.neck.in_channels': [8, 16, 32, 64], 'model.neck.out_channels': 8,
        'model.decode_head.in_channels': [8, 8, 8, 8], 'model.decode_head.channels': 8,
        'model.test_cfg': dict(mode='slide', crop_size=(32, 32), stride=(16, 16))}),
    roads=('configs/tskd/linknet_r18w32_1xb4-quick_synth-roads-64x64.py', {
        'model.backbone.encoder.stem_channels': 8, 'model.backbone.encoder.base_channels': 8,
        'model.backbone.encoder_channels': (8, 16, 32, 64), 'model.backbone.final_channels': 8,
        'model.decode_head.in_channels': 8, 'model.decode_head.channels': 8}),
    sar=('configs/hfd/fcn_r18-hfam_1xb8-quick_synth-spacenet6-sar-64x64.py', {
        'model.backbone.base_channels': 8, 'model.backbone.stem_channels': 8,
        'model.neck.in_channels': [8, 16, 32, 64], 'model.neck.channels': 8,
        'model.decode_head.in_channels': 8, 'model.decode_head.channels': 8}),
)


def tiny_config(family: str, folder, **overrides) -> str:
    """Write ``<folder>/<family>_tiny.py``; return its path."""
    from mmengine.config import Config
    base, narrow = _NARROW[family]
    cfg = Config.fromfile(str(REPO / base))
    cfg.merge_from_dict({**narrow, **overrides})
    path = osp.join(str(folder), f'{family}_tiny.py')
    cfg.dump(path)
    return path


def random_checkpoint(config: str, path, sample=None, seed: int = 0, prefix: str = '') -> str:
    """Save the network of ``config`` initialised with ``seed`` (keys prefixed by ``prefix``).

    With ``sample`` (the input path(s) of one sample) the class-1 bias of the
    last layer is shifted by the median logit difference on it, so that
    about half of its pixels are predicted as class 1.
    """
    from mmkd_rs.apis import RSInferencer
    torch.manual_seed(seed)
    inferencer = RSInferencer(config, show_progress=False)
    model = inferencer.model
    if sample is not None:
        p = inferencer.predict(sample, probs=True)['probs'][1]
        median = float(np.median(p[np.isfinite(p)]))
        with torch.no_grad():
            model.decode_head.conv_seg.bias[1] -= float(np.log(median / (1 - median)))
    state = {prefix + k: v for k, v in model.state_dict().items()}
    torch.save(dict(meta=dict(), state_dict=state), str(path))
    return str(path)


def write_raster(path, array, crs='EPSG:32631', origin=(600000.0, 5800000.0), res=0.5,
                 nodata=None, **creation):
    """Write ``(C, H, W)`` ``array`` as a GeoTIFF (``crs=None``: plain TIFF / PNG by suffix).

    ``creation``: GDAL creation options (e.g. ``photometric='RGB', alpha='YES'``).
    """
    import warnings

    import rasterio
    from rasterio.transform import from_origin
    count, height, width = array.shape
    profile = dict(height=height, width=width, count=count, dtype=array.dtype.name)
    if str(path).lower().endswith('.png'):
        profile['driver'] = 'PNG'
    else:
        profile['driver'] = 'GTiff'
        if crs is not None:
            profile.update(crs=crs, transform=from_origin(*origin, res, res))
    if nodata is not None:
        profile['nodata'] = nodata
    profile.update(creation)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        with rasterio.open(str(path), 'w', **profile) as dst:
            dst.write(array)
    return str(path)


def scene(rng, bands, height, width, dtype=np.uint8):
    """Smooth random ``(bands, H, W)`` image with bright squares (so models see structure)."""
    base = rng.normal(100, 20, (bands, height // 4 + 1, width // 4 + 1))
    img = np.kron(base, np.ones((1, 4, 4)))[:, :height, :width]
    for _ in range(max(1, height * width // 400)):
        y, x = rng.integers(0, height - 6), rng.integers(0, width - 6)
        img[:, y:y + 6, x:x + 6] += 80
    img += rng.normal(0, 5, img.shape)
    if np.issubdtype(dtype, np.integer):
        img = np.clip(img, 0, np.iinfo(dtype).max)
    return img.astype(dtype)
