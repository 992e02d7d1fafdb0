"""UTM zones (one formula for every reader), metric CRSs and PROJ transforms checked
against an independent transverse Mercator series (pyproj is not installed)."""
import math

import numpy as np
import pytest
from rasterio.crs import CRS
from rasterio.transform import from_origin

from mmkd_rs.geo import (WGS84, Georef, is_metric, metric_crs, to_lonlat, transform_xy,
                         utm_crs, utm_epsg, utm_zone)


@pytest.mark.parametrize('lon, zone', [
    (-180.0, 1), (-174.0001, 1), (-174.0, 2), (-115.17, 11), (-0.13, 30), (0.0, 31),
    (4.4, 31), (5.9999, 31), (6.0, 32), (179.9, 60),
    (180.0, 1)])        # 180 E is 180 W: the SAR footprint formula gave zone 61 (EPSG:32661,
def test_utm_zone(lon, zone):       # polar stereographic north) before the formulas merged
    assert utm_zone(lon) == zone


def test_utm_epsg_and_crs():
    assert utm_epsg(-115.17, 36.24) == 32611          # Las Vegas (SpaceNet 3)
    assert utm_epsg(4.4, 51.9) == 32631               # Rotterdam (SpaceNet 6)
    assert utm_epsg(151.2, -33.87) == 32756           # Sydney, south
    assert utm_epsg(10.0, 0.0) == 32632               # the equator counts as north
    assert utm_crs(-84.39, 33.75) == CRS.from_epsg(32616)


def _utm_series(lon, lat):
    """WGS 84 / UTM easting and northing by Krueger's series to n^6 (Karney 2011),
    written out here as an independent check of PROJ (sub-millimetre in a zone)."""
    a, f, k0 = 6378137.0, 1 / 298.257223563, 0.9996
    n = f / (2 - f)
    big_a = a / (1 + n) * (1 + n ** 2 / 4 + n ** 4 / 64 + n ** 6 / 256)
    alpha = [n / 2 - 2 * n ** 2 / 3 + 5 * n ** 3 / 16 + 41 * n ** 4 / 180
             - 127 * n ** 5 / 288 + 7891 * n ** 6 / 37800,
             13 * n ** 2 / 48 - 3 * n ** 3 / 5 + 557 * n ** 4 / 1440 + 281 * n ** 5 / 630
             - 1983433 * n ** 6 / 1935360,
             61 * n ** 3 / 240 - 103 * n ** 4 / 140 + 15061 * n ** 5 / 26880
             + 167603 * n ** 6 / 181440,
             49561 * n ** 4 / 161280 - 179 * n ** 5 / 168 + 6601661 * n ** 6 / 7257600,
             34729 * n ** 5 / 80640 - 3418889 * n ** 6 / 1995840,
             212378941 * n ** 6 / 319334400]
    e = 2 * math.sqrt(n) / (1 + n)
    zone = int((lon + 180) // 6) + 1
    phi, lam = math.radians(lat), math.radians(lon - (zone * 6 - 183))
    t = math.sinh(math.atanh(math.sin(phi)) - e * math.atanh(e * math.sin(phi)))
    xi0, eta0 = math.atan2(t, math.cos(lam)), math.atanh(math.sin(lam) / math.hypot(1, t))
    xi = xi0 + sum(al * math.sin(2 * j * xi0) * math.cosh(2 * j * eta0)
                   for j, al in enumerate(alpha, 1))
    eta = eta0 + sum(al * math.cos(2 * j * xi0) * math.sinh(2 * j * eta0)
                     for j, al in enumerate(alpha, 1))
    return 500000 + k0 * big_a * eta, (0 if lat >= 0 else 10000000) + k0 * big_a * xi


@pytest.mark.parametrize('lon, lat', [(-115.17, 36.24), (4.4, 51.9), (-0.13, 51.5),
                                      (151.2, -33.87), (3.0, 0.0), (-62.9, 70.1)])
def test_projection_matches_the_series(lon, lat):
    east, north = transform_xy(WGS84, utm_crs(lon, lat), [[lon, lat]])[0]
    assert (east, north) == pytest.approx(_utm_series(lon, lat), abs=1e-3)    # 1 mm
    assert to_lonlat(utm_crs(lon, lat), [[east, north]])[0] == pytest.approx((lon, lat),
                                                                              abs=1e-9)


def test_central_meridian_on_the_equator():
    assert transform_xy(WGS84, 'EPSG:32631', [[3.0, 0.0]])[0] == \
        pytest.approx((500000.0, 0.0), abs=1e-6)
    assert transform_xy(WGS84, 'EPSG:32631', np.zeros((0, 2))).shape == (0, 2)


def test_metric_crs():
    utm = CRS.from_epsg(32611)
    assert is_metric(utm) and metric_crs(utm, (0, 0)) is utm
    assert not is_metric(WGS84) and metric_crs(WGS84, (-115.17, 36.24)) == utm
    # California zone 3 in US survey feet: lengths in feet are no metres, use UTM 10N
    feet = CRS.from_epsg(2227)
    x, y = transform_xy(WGS84, feet, [[-122.42, 37.77]])[0]
    assert not is_metric(feet) and metric_crs(feet, (x, y)) == CRS.from_epsg(32610)
    # a raster's grid: its centre picks the zone
    grid = Georef(WGS84, from_origin(-115.1706, 36.2406, 2.7e-6, 2.7e-6), 1300, 1300)
    assert grid.metric_crs() == utm
    with pytest.raises(ValueError, match='without CRS'):
        Georef(None, from_origin(0, 0, 1, 1), 2, 2).metric_crs()
