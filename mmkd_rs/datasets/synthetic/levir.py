"""Deterministic synthetic bi-temporal building-change tiles in LEVIR-CD format.

Every tile is a small rural/suburban scene:

* background of agricultural parcels (vegetation, bare soil) with texture,
  crossed by one to three straight roads;
* rectangular buildings (roof colour, ridge line, cast shadow to the
  south-east); each building either exists at both dates, appears at date B
  (construction) or disappears (demolition).

Only building appearance/disappearance is labelled (255 on the roof
footprint, 0 elsewhere). Date B also carries nuisance changes that must *not*
be labelled: a global illumination change (gain and offset), a seasonal colour
shift of the vegetation parcels and a misregistration of 1-2 px.

Written layout (same as LEVIR-CD)::

    out_dir/{train,val,test}/{A,B,label}/{split}_{index}.png

A/B are 8-bit RGB PNGs, label is an 8-bit single-band PNG with values 0/255.
"""
import os
import os.path as osp
from typing import Dict, Optional, Tuple

import cv2
import numpy as np

# RGB colours (uint8 range) of scene elements.
_VEGETATION = np.array([[70, 110, 45], [95, 130, 60], [60, 95, 50], [110, 140, 70]], float)
_SOIL = np.array([[150, 120, 90], [135, 110, 85], [165, 140, 105]], float)
_ROOFS = np.array([[200, 200, 205], [175, 80, 65], [120, 125, 140], [225, 215, 190],
                   [90, 110, 150]], float)
_ROAD = np.array([105, 105, 108], float)
_SEASON_SHIFT = np.array([55, 15, -20], float)  # green -> straw, added to vegetation

_SPLIT_IDS = {'train': 0, 'val': 1, 'test': 2}


def _parcels(rng: np.random.Generator, size: int) -> Tuple[np.ndarray, np.ndarray]:
    """Background of rectangular parcels.

    Returns:
        tuple: ``image`` (size, size, 3) float RGB and ``vegetation`` (size, size)
        bool mask of the vegetated parcels.
    """
    image = np.empty((size, size, 3), float)
    vegetation = np.zeros((size, size), bool)
    margin = size // 8
    ys = np.sort(np.r_[0, rng.integers(margin, size - margin, rng.integers(1, 4)), size])
    xs = np.sort(np.r_[0, rng.integers(margin, size - margin, rng.integers(1, 4)), size])
    for y0, y1 in zip(ys[:-1], ys[1:]):
        for x0, x1 in zip(xs[:-1], xs[1:]):
            if rng.random() < 0.65:
                image[y0:y1, x0:x1] = _VEGETATION[rng.integers(len(_VEGETATION))]
                vegetation[y0:y1, x0:x1] = True
            else:
                image[y0:y1, x0:x1] = _SOIL[rng.integers(len(_SOIL))]
    # Furrows: a stripe texture with a random orientation per tile.
    yy, xx = np.mgrid[0:size, 0:size]
    angle = rng.uniform(0, np.pi)
    stripes = np.sin((xx * np.cos(angle) + yy * np.sin(angle)) * rng.uniform(0.5, 1.2))
    image += 6.0 * stripes[..., None]
    return image, vegetation


def _draw_roads(rng: np.random.Generator, image: np.ndarray,
                vegetation: np.ndarray) -> np.ndarray:
    """Draw straight roads in place; returns the (size, size) bool road mask."""
    size = image.shape[0]
    road = np.zeros((size, size), np.uint8)
    for _ in range(rng.integers(1, 4)):
        if rng.random() < 0.5:
            p0, p1 = (0, int(rng.integers(size))), (size - 1, int(rng.integers(size)))
        else:
            p0, p1 = (int(rng.integers(size)), 0), (int(rng.integers(size)), size - 1)
        cv2.line(road, p0, p1, 1, int(rng.integers(5, 10)))
    road = road.astype(bool)
    image[road] = _ROAD
    vegetation[road] = False
    return road


def _place_buildings(rng: np.random.Generator, size: int, road: np.ndarray,
                     max_buildings: int) -> list:
    """Non-overlapping building rectangles away from roads.

    Returns:
        list[tuple]: ``(y0, y1, x0, x1, roof_rgb, state)`` with ``state`` in
        ``{'both', 'new', 'gone'}``.
    """
    occupied = road.copy()
    buildings = []
    # building sides in px: 10-33 px (5-17 m at LEVIR's 0.5 m) on tiles of 256 px
    # and more, shrinking with smaller tiles so that a few still fit
    low = max(3, min(10, size // 25))
    high = max(low + 2, min(34, size // 4))
    for _ in range(max_buildings * 4):
        if len(buildings) == max_buildings:
            break
        h, w = rng.integers(low, high, 2)
        y0, x0 = rng.integers(2, size - 2 - h), rng.integers(2, size - 2 - w)
        y1, x1 = y0 + h, x0 + w
        if occupied[max(y0 - 4, 0):y1 + 6, max(x0 - 4, 0):x1 + 6].any():
            continue
        occupied[y0:y1 + 4, x0:x1 + 4] = True
        state = rng.choice(['both', 'new', 'gone'], p=[0.5, 0.3, 0.2])
        buildings.append((y0, y1, x0, x1, _ROOFS[rng.integers(len(_ROOFS))], state))
    return buildings


def _draw_building(image: np.ndarray, building: tuple) -> None:
    """Draw shadow, roof and ridge line of one building in place."""
    y0, y1, x0, x1, roof, _ = building
    shadow = 3
    image[y0 + shadow:y1 + shadow, x0 + shadow:x1 + shadow] *= 0.45
    image[y0:y1, x0:x1] = roof
    if y1 - y0 >= x1 - x0:
        xm = (x0 + x1) // 2
        image[y0:y1, xm:x1] *= 0.85
    else:
        ym = (y0 + y1) // 2
        image[ym:y1, x0:x1] *= 0.85


def _shift(image: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """Translate ``image`` by (dy, dx) pixels, replicating the border."""
    size_h, size_w = image.shape[:2]
    matrix = np.float32([[1, 0, dx], [0, 1, dy]])
    return cv2.warpAffine(image, matrix, (size_w, size_h), borderMode=cv2.BORDER_REPLICATE)


def synthesize_pair(rng: np.random.Generator,
                    size: int = 256,
                    max_buildings: Optional[int] = None) -> Dict[str, np.ndarray]:
    """Synthesize one bi-temporal tile.

    Args:
        rng (np.random.Generator): Source of randomness (the tile is a pure
            function of its state).
        size (int): Tile side in pixels.
        max_buildings (int, optional): Upper bound of buildings per tile;
            default 14 per 256 x 256 px on larger tiles (the building density
            stays the same, e.g. 224 on LEVIR's 1024 px tiles) and 14 on
            smaller ones (as many as fit).

    Returns:
        dict: ``img_a`` and ``img_b`` (size, size, 3) uint8 RGB, ``label``
        (size, size) uint8 with 255 on changed building footprints, 0 elsewhere.
    """
    if max_buildings is None:
        max_buildings = max(14, int(round(14 * (size / 256) ** 2)))
    background, vegetation = _parcels(rng, size)
    road = _draw_roads(rng, background, vegetation)
    buildings = _place_buildings(rng, size, road, max_buildings)

    # Date B background: seasonal shift of the vegetation only.
    background_b = background.copy()
    background_b[vegetation] += _SEASON_SHIFT * rng.uniform(0.4, 1.0)

    img_a, img_b = background, background_b
    label = np.zeros((size, size), np.uint8)
    for building in buildings:
        y0, y1, x0, x1, _, state = building
        if state in ('both', 'gone'):
            _draw_building(img_a, building)
        if state in ('both', 'new'):
            _draw_building(img_b, building)
        if state != 'both':
            label[y0:y1, x0:x1] = 255

    # Sensor noise (independent per date), illumination, misregistration.
    img_a = img_a + rng.normal(0, 4, img_a.shape)
    img_b = img_b + rng.normal(0, 4, img_b.shape)
    img_b = img_b * rng.uniform(0.75, 1.25) + rng.uniform(-15, 15)
    dy, dx = rng.choice([-2, -1, 1, 2], 2)
    img_b = _shift(img_b.astype(np.float32), int(dy), int(dx))
    return dict(
        img_a=np.clip(img_a, 0, 255).astype(np.uint8),
        img_b=np.clip(img_b, 0, 255).astype(np.uint8),
        label=label)


def generate_synthetic_levir(out_dir: str,
                             num_train: int = 16,
                             num_val: int = 4,
                             num_test: int = 4,
                             size: int = 256,
                             seed: int = 0) -> str:
    """Write a synthetic LEVIR-CD copy to ``out_dir``.

    Each tile depends only on ``(seed, split, index)``, so growing one split
    never changes the tiles of another.

    Args:
        out_dir (str): Destination root (created if needed).
        num_train, num_val, num_test (int): Tiles per split.
        size (int): Tile side in pixels.
        seed (int): Base seed.

    Returns:
        str: ``out_dir``.
    """
    counts = dict(train=num_train, val=num_val, test=num_test)
    for split, count in counts.items():
        for sub in ('A', 'B', 'label'):
            os.makedirs(osp.join(out_dir, split, sub), exist_ok=True)
        for index in range(count):
            rng = np.random.default_rng([seed, _SPLIT_IDS[split], index])
            tile = synthesize_pair(rng, size=size)
            name = f'{split}_{index}.png'
            cv2.imwrite(osp.join(out_dir, split, 'A', name), tile['img_a'][..., ::-1])
            cv2.imwrite(osp.join(out_dir, split, 'B', name), tile['img_b'][..., ::-1])
            cv2.imwrite(osp.join(out_dir, split, 'label', name), tile['label'])
    return out_dir
