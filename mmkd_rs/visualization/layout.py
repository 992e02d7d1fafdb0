"""Lay panels out side by side with a title strip above each and a colour legend below.

::

    +-----------+-----------+-----------+   title strip (TITLE_HEIGHT * unit px)
    |  title 0  |  title 1  |  title 2  |
    | +-------+ | +-------+ | +-------+ |
    | |panel 0| | |panel 1| | |panel 2| |   panels, GAP * unit px apart, each framed
    | +-------+ | +-------+ | +-------+ |
    | [#] road  [#] junction  [#] ...   |   legend rows (LEGEND_ROW * unit px each)
    +-----------------------------------+

Text never overlaps image content: titles live in their own strip, the
legend below the panels. Panels smaller than :data:`MIN_PANEL_SIZE` are
enlarged by an integer factor (nearest neighbour, so class colours stay
exact) so that the titles fit; text grows with ``unit`` on large panels.
"""
import math
from typing import List, Sequence, Tuple

import cv2
import numpy as np

__all__ = ['BACKGROUND', 'TEXT', 'FRAME', 'MIN_PANEL_SIZE', 'TITLE_HEIGHT', 'GAP',
           'LEGEND_ROW', 'panel_scale', 'text_unit', 'compose_panels']

BACKGROUND = (255, 255, 255)
TEXT = (0, 0, 0)
FRAME = (160, 160, 160)  # 1 px line around each panel and legend swatch
MIN_PANEL_SIZE = 256     # px: smaller panels are enlarged up to at least this
TITLE_HEIGHT = 24        # px per unit
GAP = 8                  # px per unit, between panels and around them
LEGEND_ROW = 22          # px per unit
SWATCH = 14              # px per unit
_FONT = cv2.FONT_HERSHEY_SIMPLEX
_FONT_SCALE = 0.5        # per unit
_MIN_FONT_SCALE = 0.35   # per unit, before a title is shortened


def panel_scale(height: int, width: int) -> int:
    """Integer enlargement of an ``height x width`` panel: the smallest that
    brings its longer side to :data:`MIN_PANEL_SIZE` (1 for larger panels)."""
    return max(1, math.ceil(MIN_PANEL_SIZE / max(height, width, 1)))


def text_unit(width: int) -> int:
    """Text / strip size multiplier for panels ``width`` px wide (after
    enlargement): 1 up to 1023 px, 2 from 1024 px, ..."""
    return max(1, width // 512)


def _fit_text(text: str, max_width: int, unit: int) -> Tuple[str, float, int]:
    """``(text, font scale, width px)``: the largest scale down to
    ``_MIN_FONT_SCALE`` that fits ``max_width``, then a shortened text."""
    thickness = unit
    scale = _FONT_SCALE * unit
    while True:
        width = cv2.getTextSize(text, _FONT, scale, thickness)[0][0]
        if width <= max_width:
            return text, scale, width
        if scale > _MIN_FONT_SCALE * unit + 1e-9:
            scale = max(scale - 0.05 * unit, _MIN_FONT_SCALE * unit)
        elif len(text) > 2:
            text = text[:-3].rstrip() + '..'
        else:
            return text, scale, width


def _put(canvas: np.ndarray, text: str, x: int, y_center: int, scale: float, unit: int):
    """Draw ``text`` with its left edge at ``x``, vertically centred on ``y_center``."""
    (_, height), _ = cv2.getTextSize(text, _FONT, scale, unit)
    cv2.putText(canvas, text, (x, y_center + height // 2), _FONT, scale, TEXT, unit,
                cv2.LINE_AA)


def _legend_rows(legend: Sequence[Tuple[str, Sequence[int]]], width: int,
                 unit: int) -> List[List[tuple]]:
    """Legend items placed left to right, wrapped at ``width``:
    ``[[(x, label, colour, font scale), ...] per row]``."""
    gap, swatch = GAP * unit, SWATCH * unit
    rows, x = [[]], gap
    for label, colour in legend:
        label, font_scale, text_w = _fit_text(label, width - 2 * gap - swatch - gap // 2, unit)
        item = swatch + gap // 2 + text_w
        if rows[-1] and x + item > width - gap:
            rows.append([])
            x = gap
        rows[-1].append((x, label, colour, font_scale))
        x += item + 2 * gap
    return rows if rows[0] else []


def compose_panels(panels: Sequence[Tuple[str, np.ndarray]],
                   legend: Sequence[Tuple[str, Sequence[int]]] = ()) -> np.ndarray:
    """One RGB uint8 image of titled panels and a colour legend.

    Args:
        panels: ``(title, H x W x 3 uint8 RGB)``, all of the same size.
        legend: ``(label, (R, G, B))`` colours to explain, in order.

    Returns:
        ``(T + s*H + G + R*L) x (n*s*W + (n+1)*G) x 3`` uint8 RGB with
        ``s = panel_scale(H, W)``, ``u = text_unit(s*W)``, title strip
        ``T = TITLE_HEIGHT*u``, gap ``G = GAP*u``, ``L = LEGEND_ROW*u`` and
        ``R`` legend rows (0 without a legend). Panel ``i`` occupies rows
        ``T .. T+s*H`` and columns ``G + i*(s*W+G)`` onwards.
    """
    if not panels:
        raise ValueError('compose_panels needs at least one panel')
    height, width = panels[0][1].shape[:2]
    if any(p.shape[:2] != (height, width) for _, p in panels):
        raise ValueError('panels differ in size: '
                         f'{[tuple(p.shape[:2]) for _, p in panels]}')
    scale = panel_scale(height, width)
    height, width = height * scale, width * scale
    unit = text_unit(width)
    gap, title_h, row_h = GAP * unit, TITLE_HEIGHT * unit, LEGEND_ROW * unit
    total_w = len(panels) * (width + gap) + gap
    rows = _legend_rows(legend, total_w, unit)
    total_h = title_h + height + gap + len(rows) * row_h
    canvas = np.empty((total_h, total_w, 3), np.uint8)
    canvas[:] = BACKGROUND
    for i, (title, panel) in enumerate(panels):
        x0 = gap + i * (width + gap)
        if scale > 1:
            panel = np.repeat(np.repeat(panel, scale, axis=0), scale, axis=1)
        cv2.rectangle(canvas, (x0 - 1, title_h - 1), (x0 + width, title_h + height), FRAME, 1)
        canvas[title_h:title_h + height, x0:x0 + width] = panel
        text, font_scale, text_w = _fit_text(title, width - 4, unit)
        _put(canvas, text, x0 + (width - text_w) // 2, title_h // 2, font_scale, unit)
    swatch = SWATCH * unit
    for r, row in enumerate(rows):
        y_center = title_h + height + gap + r * row_h + row_h // 2
        for x, label, colour, font_scale in row:
            y0 = y_center - swatch // 2
            canvas[y0:y0 + swatch, x:x + swatch] = colour
            cv2.rectangle(canvas, (x - 1, y0 - 1), (x + swatch, y0 + swatch), FRAME, 1)
            _put(canvas, label, x + swatch + gap // 2, y_center, font_scale, unit)
    return canvas
