"""Read back a drawing of :func:`mmkd_rs.visualization.layout.compose_panels`
(panels up to 1023 px wide: 24 px title strip, 8 px gaps, 14 px legend
swatches framed in (160, 160, 160))."""
import numpy as np

TITLE, GAP, SWATCH, FRAME = 24, 8, 14, (160, 160, 160)


def panel(drawn: np.ndarray, i: int, height: int, width: int, scale: int) -> np.ndarray:
    """Panel ``i`` at its native ``height x width`` (every ``scale``-th pixel)."""
    x0 = GAP + i * (width * scale + GAP)
    region = drawn[TITLE:TITLE + height * scale, x0:x0 + width * scale]
    return region[::scale, ::scale]


def title_strip(drawn: np.ndarray, i: int, width: int) -> np.ndarray:
    """The strip above panel ``i`` (``width`` px wide after enlargement)."""
    x0 = GAP + i * (width + GAP)
    return drawn[:TITLE, x0:x0 + width]


def legend_colours(drawn: np.ndarray, top: int) -> set:
    """Colours of the framed, uniform legend swatches below row ``top``."""
    strip = drawn[top:]
    colours = set()
    edge = np.all(strip == FRAME, axis=2)
    for y, x in zip(*np.nonzero(edge[:-SWATCH - 1, :-SWATCH - 1])):
        if edge[y, x:x + SWATCH + 2].all() and edge[y:y + SWATCH + 2, x].all():
            inside = strip[y + 1:y + 1 + SWATCH, x + 1:x + 1 + SWATCH].reshape(-1, 3)
            if (inside == inside[0]).all():
                colours.add(tuple(int(c) for c in inside[0]))
    return colours
