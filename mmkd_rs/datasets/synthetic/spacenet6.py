"""Deterministic synthetic paired SAR / EO tiles in SpaceNet 6 format.

Each tile is a small harbour-city scene (vegetation, roads, water, buildings
of random height) seen twice:

* **EO** (``PS-RGB``, 3 x uint8): colours with mild texture;
* **SAR** (``SAR-Intensity``, 4 x float32, HH/HV/VH/VV): per-class mean
  backscatter (water darkest, roads dark, vegetation with strong
  cross-pol volume scattering, roofs bright), *layover* (the roof return of
  a building of height ``h`` is displaced by ``h / tan(incidence)`` towards
  the sensor), a bright *double-bounce* line where the sensor-facing wall
  meets the ground, *radar shadow* over the occluded footprint and behind
  the far wall (where no roof return lands), multiplicative
  gamma speckle (``looks`` looks) and NaN outside the acquisition swath.
  Intensities are written in dB (as the real SpaceNet 6 / solaris samples;
  roughly -30..+15 dB) or, with ``sar_unit='linear'``, as linear intensity.

Strips alternate between being imaged from the north (orientation 0:
layover points up / north) and from the south (orientation 1: layover
points down); ``SAR_orientations.txt`` records which. Buildings are written
as footprint polygons (EPSG:4326 GeoJSON, as RFC 7946); a few sheds under
20 m^2 are drawn in the images but must be dropped by the label loader.

Written layout (SpaceNet 6 train folder + split lists)::

    out_dir/SAR-Intensity/SN6_Train_AOI_11_Rotterdam_SAR-Intensity_<strip>_tile_<n>.tif
    out_dir/PS-RGB/SN6_Train_AOI_11_Rotterdam_PS-RGB_<strip>_tile_<n>.tif
    out_dir/geojson_buildings/SN6_Train_AOI_11_Rotterdam_Buildings_<strip>_tile_<n>.geojson
    out_dir/SummaryData/SAR_orientations.txt
    out_dir/splits/{train,val}.txt     (tile ids; val = easternmost tiles)
    out_dir/splits/test.txt            (with ``test_fraction > 0``: the easternmost
                                        tiles, val the next ones west)

Tiles are georeferenced in UTM 31N (EPSG:32631) near Rotterdam harbour.
``num_empty_tiles`` extra tiles lie fully outside the swath (all NaN); they
are on disk but in no split list, as the converter would do.
"""
import json
import os
import os.path as osp
from typing import Dict, List, Tuple

import numpy as np
from rasterio.crs import CRS
from rasterio.features import rasterize
from rasterio.transform import from_origin
from rasterio.warp import transform_geom
from shapely.affinity import rotate
from shapely.geometry import box

from mmkd_rs.geo import WGS84, Georef, write_raster

CRS_UTM31N = 'EPSG:32631'
ORIGIN = (592000.0, 5751000.0)  # west, north (m) of the tile grid
PREFIX = 'SN6_Train_AOI_11_Rotterdam'
# Land-cover codes of the synthetic scene.
VEG, ROAD, WATER, ROOF = 0, 1, 2, 3
EO_RGB = {VEG: (80, 115, 55), ROAD: (110, 110, 112), WATER: (40, 70, 95),
          ROOF: (190, 120, 100)}
# Mean backscatter in dB per (class, band HH/HV/VH/VV).
SAR_DB = {VEG: (-11., -16., -16., -12.), ROAD: (-21., -29., -29., -20.),
          WATER: (-26., -33., -33., -24.), ROOF: (-4., -11., -11., -5.)}
DOUBLE_BOUNCE_DB = (9., -2., -2., 6.)
SHADOW_DB = -30.


def _shift_rows(mask: np.ndarray, rows: int) -> np.ndarray:
    """Shift a boolean ``(H, W)`` mask by ``rows`` (down if > 0), no wrap."""
    out = np.zeros_like(mask)
    if rows > 0:
        out[rows:] = mask[:-rows]
    elif rows < 0:
        out[:rows] = mask[-rows:]
    else:
        out[:] = mask
    return out


def _polygon_mask(polys: List, size: int) -> np.ndarray:
    if not polys:
        return np.zeros((size, size), bool)
    return rasterize([(p, 1) for p in polys], out_shape=(size, size),
                     dtype='uint8').astype(bool)


def _scene(rng: np.random.Generator, size: int, pixel_size: float,
           num_buildings: Tuple[int, int]) -> Tuple[np.ndarray, list]:
    """Land-cover map ``(H, W)`` and buildings ``[(polygon_px, height_m)]``."""
    cover = np.full((size, size), VEG, np.uint8)
    yy, xx = np.mgrid[0:size, 0:size]
    if rng.random() < 0.5:  # a canal along a wavy line
        x0 = rng.uniform(0.1, 0.9) * size
        centre = x0 + 0.1 * size * np.sin(yy / size * 2 * np.pi * rng.uniform(.5, 1.5))
        cover[np.abs(xx - centre) < rng.uniform(0.06, 0.12) * size] = WATER
    for _ in range(rng.integers(1, 3)):  # straight roads
        w = max(2, int(round(rng.uniform(5, 9) / pixel_size)))
        pos = rng.integers(0, size - w)
        if rng.random() < 0.5:
            cover[pos:pos + w] = np.where(cover[pos:pos + w] == WATER,
                                          WATER, ROAD)
        else:
            cover[:, pos:pos + w] = np.where(cover[:, pos:pos + w] == WATER,
                                             WATER, ROAD)
    buildings, occupied = [], cover != VEG
    for _ in range(rng.integers(*num_buildings)):
        if rng.random() < 0.15:  # a shed, under 20 m^2 on the ground
            w = h = 3.5 / pixel_size
        else:
            w, h = rng.uniform(9, 26, 2) / pixel_size
        cx, cy = rng.uniform(w / 2 + 1, size - w / 2 - 1), \
            rng.uniform(h / 2 + 1, size - h / 2 - 1)
        poly = rotate(box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2),
                      rng.choice([0, 0, rng.uniform(-25, 25)]))
        mask = _polygon_mask([poly], size)
        if not mask.any() or (occupied & mask).any():
            continue
        occupied |= _polygon_mask([poly.buffer(2)], size)
        cover[mask] = ROOF
        buildings.append((poly, rng.uniform(4, 25)))
    return cover, buildings


def _eo(rng, cover: np.ndarray) -> np.ndarray:
    rgb = np.zeros(cover.shape + (3, ), np.float32)
    for cls, colour in EO_RGB.items():
        rgb[cover == cls] = colour
    rgb += rng.normal(0, 8, cover.shape)[..., None]
    return np.clip(rgb, 1, 255).astype(np.uint8)


def _sar(rng, cover: np.ndarray, buildings: list, orientation: int,
         pixel_size: float, incidence_deg: float, looks: int) -> np.ndarray:
    """Linear intensity ``(H, W, 4)`` of a north-up tile."""
    size = cover.shape[0]
    base = np.zeros(cover.shape + (4, ), np.float32)
    ground = np.where(cover == ROOF, VEG, cover)  # ground under roofs
    for cls, db in SAR_DB.items():
        base[ground == cls] = db
    # Row step towards the sensor: north (-1) for orientation 0.
    toward = -1 if orientation == 0 else 1
    tan_inc = np.tan(np.deg2rad(incidence_deg))
    intensity = 10 ** (base / 10)
    for poly, height in buildings:
        footprint = _polygon_mask([poly], size)
        shift = int(round(height / tan_inc / pixel_size))
        shadow_len = int(round(height * tan_inc / pixel_size))
        shadow = np.zeros_like(footprint)
        for s in range(1, shadow_len + 1):
            shadow |= _shift_rows(footprint, -toward * s)
        # The ground under the building is occluded: the footprint and the
        # ground behind the far wall return nothing (radar shadow), except
        # where the displaced roof return lands.
        intensity[shadow | footprint] = 10 ** (SHADOW_DB / 10)
        roof = _shift_rows(footprint, toward * shift)  # layover
        intensity[roof] += 10 ** (np.array(SAR_DB[ROOF]) / 10)
        # Double bounce: footprint edge facing the sensor.
        edge = footprint & ~_shift_rows(footprint, -toward)
        intensity[edge] += 10 ** (np.array(DOUBLE_BOUNCE_DB) / 10)
    # Multiplicative speckle; HV and VH share most of it (reciprocity).
    speckle = rng.gamma(looks, 1.0 / looks, cover.shape + (4, ))
    speckle[..., 2] = 0.8 * speckle[..., 1] + 0.2 * speckle[..., 2]
    return (intensity * speckle).astype(np.float32)


def _swath_nodata(rng, size: int, kind: str) -> np.ndarray:
    if kind == 'empty':
        return np.ones((size, size), bool)
    if kind == 'edge':  # a slanted swath border through the tile
        yy, xx = np.mgrid[0:size, 0:size]
        return xx + rng.uniform(-0.3, 0.3) * yy > rng.uniform(0.55, 0.8) * size
    return np.zeros((size, size), bool)


def _write_tif(path: str, array: np.ndarray, transform, nodata=None) -> None:
    grid = Georef(CRS.from_user_input(CRS_UTM31N), transform, *array.shape[:2])
    write_raster(path, array, grid, nodata=nodata)


def _write_geojson(path: str, buildings: list, transform) -> None:
    features = []
    for i, (poly, height) in enumerate(buildings):
        coords = [transform @ xy for xy in poly.exterior.coords]
        geom = transform_geom(CRS_UTM31N, WGS84,
                              {'type': 'Polygon', 'coordinates': [coords]})
        features.append(dict(type='Feature', geometry=geom, properties=dict(
            TileBuildingId=i, height_m=round(float(height), 1))))
    with open(path, 'w') as f:
        json.dump(dict(type='FeatureCollection', features=features), f)


def generate_synthetic_spacenet6(out_dir: str,
                                 num_tiles: int = 12,
                                 size: int = 64,
                                 pixel_size: float = 2.0,
                                 num_strips: int = 2,
                                 num_empty_tiles: int = 1,
                                 val_fraction: float = 0.25,
                                 test_fraction: float = 0.0,
                                 num_buildings: Tuple[int, int] = (6, 14),
                                 incidence_deg: float = 35.0,
                                 looks: int = 4,
                                 sar_unit: str = 'db',
                                 seed: int = 0) -> Dict[str, List[str]]:
    """Write a synthetic SpaceNet 6 train folder; returns the split lists.

    Args:
        out_dir (str): output folder (created).
        num_tiles (int): tiles in the split lists (plus ``num_empty_tiles``).
        size (int): tile size in pixels (SpaceNet 6: 900).
        pixel_size (float): metres per pixel (SpaceNet 6: 0.5).
        num_strips (int): acquisition strips; orientation alternates 0, 1.
        val_fraction (float): share of tiles, easternmost first, in val.
        test_fraction (float): share of tiles in a separate test split (the
            easternmost; val then takes the next ones west). 0: no test split.
        sar_unit (str): 'db' or 'linear' SAR values.
        seed (int): random seed; equal seeds give identical files.
    """
    if sar_unit not in ('db', 'linear'):
        raise ValueError(f"sar_unit must be 'db' or 'linear', got {sar_unit!r}")
    rng = np.random.default_rng(seed)
    dirs = {k: osp.join(out_dir, k) for k in
            ('SAR-Intensity', 'PS-RGB', 'geojson_buildings', 'SummaryData',
             'splits')}
    for d in dirs.values():
        os.makedirs(d, exist_ok=True)
    strips = [f'201908{4 + s:02d}1{s}1224_201908{4 + s:02d}1{s}1453'
              for s in range(num_strips)]
    with open(osp.join(dirs['SummaryData'], 'SAR_orientations.txt'), 'w') as f:
        f.writelines(f'{strip} {s % 2}\n' for s, strip in enumerate(strips))

    total = num_tiles + num_empty_tiles
    cols = int(np.ceil(np.sqrt(total)))
    tiles = []  # (tile id, easting)
    for n in range(total):
        strip_idx = n % num_strips
        tid = f'{strips[strip_idx]}_tile_{n}'
        west = ORIGIN[0] + (n % cols) * size * pixel_size
        north = ORIGIN[1] - (n // cols) * size * pixel_size
        transform = from_origin(west, north, pixel_size, pixel_size)
        cover, buildings = _scene(rng, size, pixel_size, num_buildings)
        sar = _sar(rng, cover, buildings, strip_idx % 2, pixel_size,
                   incidence_deg, looks)
        if sar_unit == 'db':
            sar = 10 * np.log10(np.maximum(sar, 1e-6))
        kind = 'empty' if n >= num_tiles else ('edge' if n % 4 == 1 else 'full')
        sar[_swath_nodata(rng, size, kind)] = np.nan
        _write_tif(osp.join(dirs['SAR-Intensity'],
                            f'{PREFIX}_SAR-Intensity_{tid}.tif'),
                   sar.astype(np.float32), transform, nodata=np.nan)
        _write_tif(osp.join(dirs['PS-RGB'], f'{PREFIX}_PS-RGB_{tid}.tif'),
                   _eo(rng, cover), transform)
        _write_geojson(osp.join(dirs['geojson_buildings'],
                                f'{PREFIX}_Buildings_{tid}.geojson'),
                       buildings, transform)
        if kind != 'empty':
            tiles.append((tid, west))

    order = [t for t, _ in sorted(tiles, key=lambda t: (t[1], t[0]))]
    num_test = int(round(test_fraction * len(order)))
    num_val = max(1, int(round(val_fraction * len(order))))
    if num_val + num_test >= len(order):
        raise ValueError(f'{len(order)} tiles leave none for training with val_fraction='
                         f'{val_fraction} and test_fraction={test_fraction}')
    end_val = len(order) - num_test
    splits = dict(train=sorted(order[:end_val - num_val]),
                  val=sorted(order[end_val - num_val:end_val]))
    if num_test:
        splits['test'] = sorted(order[end_val:])
    for name, ids in splits.items():
        with open(osp.join(dirs['splits'], f'{name}.txt'), 'w') as f:
            f.writelines(i + '\n' for i in ids)
    return splits


def write_for_dataset_config(cfg: dict, cls, root: str, num: int, size: int,
                             seed: int) -> None:
    """Catalog writer (``mmkd_rs.datasets.synthetic.catalog``): synthetic
    SpaceNet 6 tiles under ``root`` in the folders ``cfg`` names."""
    generate_synthetic_spacenet6(root, num_tiles=max(num, 3) + 1, size=size,
                                 seed=seed, val_fraction=0.25, test_fraction=0.25)
    for key, default in (('sar_dir', 'SAR-Intensity'), ('eo_dir', 'PS-RGB'),
                         ('label_dir', 'geojson_buildings')):
        folder = cfg.get(key, default)
        if folder and folder != default:
            os.replace(osp.join(root, default), osp.join(root, folder))
