"""WGS84 / GCJ-02 / BD-09 conversions.

Reference pairs come from two widely used open-source implementations of the public
GCJ-02 formula (Krasovsky ellipsoid, a = 6378245 m), and were checked against the
formula as written in aedplan/_datum.py:

- googollee/eviltransform, python/test.py (MIT): WGS84 -> GCJ-02 for Shanghai,
  Shenzhen and Beijing, given to 15-17 significant digits.
- wandergis/coordtransform, test/app.js (MIT): the point (116.404, 39.915) near
  Tiananmen, WGS84 -> GCJ-02 and GCJ-02 -> BD-09, and its one-step BD-09 -> GCJ-02
  approximation.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aedplan import _datum
from aedplan._datum import (
    bd09_to_gcj02,
    bd09_to_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    out_of_china,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)
from aedplan.errors import InputError

# (wgs_lon, wgs_lat, gcj_lon, gcj_lat), from googollee/eviltransform python/test.py
EVILTRANSFORM = np.array(
    [
        (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),  # Shanghai
        (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),  # Shenzhen
        (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),  # Beijing
    ]
)
# Tiananmen area, from wandergis/coordtransform test/app.js
TIANANMEN = (116.404, 39.915)
TIANANMEN_WGS_TO_GCJ = (116.41024449916938, 39.91640428150164)
TIANANMEN_GCJ_TO_BD = (116.41036949371029, 39.92133699351021)
TIANANMEN_BD_TO_GCJ_ONE_STEP = (116.39762729119315, 39.90865673957631)

EXACT = 1e-9  # degree; the inverses iterate to 1e-10


def china_grid(n: int = 200_000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(73.0, 135.0, n), rng.uniform(18.0, 54.0, n)


def test_wgs84_to_gcj02_matches_published_pairs():
    lon, lat = wgs84_to_gcj02(EVILTRANSFORM[:, 0], EVILTRANSFORM[:, 1])
    np.testing.assert_allclose(lon, EVILTRANSFORM[:, 2], rtol=0, atol=EXACT)
    np.testing.assert_allclose(lat, EVILTRANSFORM[:, 3], rtol=0, atol=EXACT)
    np.testing.assert_allclose(wgs84_to_gcj02(*TIANANMEN), TIANANMEN_WGS_TO_GCJ, rtol=0, atol=EXACT)


def test_gcj02_to_wgs84_inverts_published_pairs_exactly():
    lon, lat = gcj02_to_wgs84(EVILTRANSFORM[:, 2], EVILTRANSFORM[:, 3])
    np.testing.assert_allclose(lon, EVILTRANSFORM[:, 0], rtol=0, atol=EXACT)
    np.testing.assert_allclose(lat, EVILTRANSFORM[:, 1], rtol=0, atol=EXACT)
    np.testing.assert_allclose(gcj02_to_wgs84(*TIANANMEN_WGS_TO_GCJ), TIANANMEN, rtol=0, atol=EXACT)


def test_bd09_matches_published_pair():
    np.testing.assert_allclose(gcj02_to_bd09(*TIANANMEN), TIANANMEN_GCJ_TO_BD, rtol=0, atol=EXACT)
    np.testing.assert_allclose(bd09_to_gcj02(*TIANANMEN_GCJ_TO_BD), TIANANMEN, rtol=0, atol=EXACT)
    # the published inverse is the one-step approximation: ours differs from it by
    # less than its own error (~1e-6 degree) and, unlike it, maps back exactly
    exact = bd09_to_gcj02(*TIANANMEN)
    np.testing.assert_allclose(exact, TIANANMEN_BD_TO_GCJ_ONE_STEP, rtol=0, atol=1e-6)
    np.testing.assert_allclose(gcj02_to_bd09(*exact), TIANANMEN, rtol=0, atol=EXACT)


def test_offset_is_hundreds_of_metres_in_china():
    lon, lat = china_grid(10_000)
    glon, glat = wgs84_to_gcj02(lon, lat)
    metres = np.hypot((glon - lon) * np.cos(np.radians(lat)), glat - lat) * 111_320
    assert metres.min() > 10
    assert np.median(metres) > 100


@pytest.mark.parametrize(
    ("forward", "inverse"),
    [
        (wgs84_to_gcj02, gcj02_to_wgs84),
        (gcj02_to_bd09, bd09_to_gcj02),
        (wgs84_to_bd09, bd09_to_wgs84),
    ],
)
def test_round_trips_over_china_are_exact(forward, inverse):
    lon, lat = china_grid()
    back_lon, back_lat = inverse(*forward(lon, lat))
    assert np.abs(back_lon - lon).max() < 1e-9
    assert np.abs(back_lat - lat).max() < 1e-9


def test_one_step_approximation_would_not_be_exact():
    """Guards the reason for iterating: the common inverse is off by metres."""
    lon, lat = china_grid(50_000)
    glon, glat = wgs84_to_gcj02(lon, lat)
    dlon, _ = _datum._gcj02_offset(glon, glat)
    assert np.abs(glon - dlon - lon).max() > 1e-6
    assert np.abs(gcj02_to_wgs84(glon, glat)[0] - lon).max() < 1e-9


@settings(max_examples=300, deadline=None)
@given(
    lon=st.floats(72.1, 137.7, allow_nan=False),
    lat=st.floats(0.9, 55.8, allow_nan=False),
)
def test_round_trip_property(lon, lat):
    glon, glat = wgs84_to_gcj02(lon, lat)
    if out_of_china(glon, glat):  # the rectangle rule is not symmetric at its edge
        return
    assert abs(gcj02_to_wgs84(glon, glat)[0] - lon) < 1e-9
    assert abs(gcj02_to_wgs84(glon, glat)[1] - lat) < 1e-9
    blon, blat = gcj02_to_bd09(lon, lat)
    if out_of_china(blon, blat):
        return
    back = bd09_to_gcj02(blon, blat)
    assert abs(back[0] - lon) < 1e-9
    assert abs(back[1] - lat) < 1e-9


@pytest.mark.parametrize(
    "func",
    [wgs84_to_gcj02, gcj02_to_wgs84, gcj02_to_bd09, bd09_to_gcj02, wgs84_to_bd09, bd09_to_wgs84],
)
def test_outside_china_unchanged(func):
    # Vaduz, New York, Sydney, Tokyo (east of the rectangle), Jakarta (south of it)
    lon = np.array([9.5209, -74.006, 151.2093, 139.6917, 106.8456])
    lat = np.array([47.1410, 40.7128, -33.8688, 35.6895, -6.2088])
    out_lon, out_lat = func(lon, lat)
    np.testing.assert_array_equal(out_lon, lon)
    np.testing.assert_array_equal(out_lat, lat)


def test_out_of_china_rectangle():
    assert out_of_china([9.52, 139.7, 100.0], [47.14, 35.7, 0.5]).all()
    assert not out_of_china([116.4, 73.0, 135.0], [39.9, 40.0, 48.0]).any()


def test_mixed_inputs_nan_and_shapes():
    lon = np.array([[116.404, 9.52], [np.nan, 114.3]])
    lat = np.array([[39.915, 47.14], [30.0, 30.6]])
    before = lon.copy()
    glon, glat = wgs84_to_gcj02(lon, lat)
    assert glon.shape == (2, 2)
    assert np.isnan(glon[1, 0])
    assert np.isnan(glat[1, 0])
    assert glon[0, 1] == 9.52  # outside China
    np.testing.assert_array_equal(lon, before)  # inputs untouched
    wlon, wlat = gcj02_to_wgs84(glon, glat)
    np.testing.assert_allclose(wlon[~np.isnan(wlon)], lon[~np.isnan(lon)], atol=EXACT)
    np.testing.assert_allclose(wlat[~np.isnan(wlon)], lat[~np.isnan(lon)], atol=EXACT)
    # scalars and lists broadcast
    slon, slat = gcj02_to_wgs84(116.4, [39.9, 40.0])
    assert slon.shape == slat.shape == (2,)


@pytest.mark.parametrize(
    ("datum", "expected"),
    [
        ("wgs84", lambda x, y: (np.asarray(x), np.asarray(y))),
        ("WGS-84", lambda x, y: (np.asarray(x), np.asarray(y))),
        ("gcj02", gcj02_to_wgs84),
        ("GCJ-02", gcj02_to_wgs84),
        ("bd09", bd09_to_wgs84),
        ("BD_09", bd09_to_wgs84),
    ],
)
def test_to_wgs84_dispatches(datum, expected):
    lon, lat = china_grid(100)
    got = to_wgs84(lon, lat, datum)
    want = expected(lon, lat)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])


def test_to_wgs84_unknown_datum():
    with pytest.raises(
        InputError, match=r"`datum` must be one of 'wgs84', 'gcj02', 'bd09'; got 'cgcs2000'"
    ):
        to_wgs84([116.4], [39.9], "cgcs2000")
