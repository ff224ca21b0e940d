"""Conversions between WGS84, GCJ-02 and BD-09 longitude/latitude.

Maps of mainland China publish coordinates in GCJ-02 (the obfuscated "Mars" datum
used by AutoNavi/Amap, Tencent and Google Maps in China) or in BD-09 (Baidu, a
further offset of GCJ-02). Street networks from OpenStreetMap are in WGS84, so AED
lists copied from such maps must be converted before they are compared with streets:
the offset is several hundred metres, more than a whole rescue circle.

The forward transforms are the public formulas (the leaked GCJ-02 algorithm on the
Krasovsky ellipsoid, a = 6378245 m, and Baidu's polar offset). Their inverses have no
closed form; the usual one-step approximation is off by up to about 2 m, which is why
:func:`gcj02_to_wgs84` and :func:`bd09_to_gcj02` solve the forward transform by a
vectorised fixed-point iteration to better than ``1e-10`` degree (about 10 µm).

Every function takes array-likes (broadcast against each other) and returns a pair of
float64 arrays. Points outside China (the usual ``out_of_china`` rectangle) are
returned unchanged by every conversion, as the map providers do. NaN stays NaN.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import InputError, Joined

__all__ = [
    "DATUMS",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "looks_moved",
    "out_of_china",
    "to_wgs84",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]

DATUMS = ("wgs84", "gcj02", "bd09")

_A = 6378245.0  # semi-major axis of the Krasovsky 1940 ellipsoid used by GCJ-02
_EE = 0.00669342162296594323  # its first eccentricity squared
_X_PI = np.pi * 3000.0 / 180.0  # Baidu's angular frequency
_BD_DLON = 0.0065
_BD_DLAT = 0.006

_TOL_DEG = 1e-10  # inverse transforms stop when the forward residual is below this
_MAX_ITER = 30

Pair = tuple[NDArray[np.float64], NDArray[np.float64]]


def _arrays(lon: ArrayLike, lat: ArrayLike) -> Pair:
    x, y = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return x.copy(), y.copy()


def out_of_china(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
    """Whether points lie outside the rectangle in which GCJ-02 is applied.

    Parameters
    ----------
    lon, lat
        Longitudes and latitudes in degrees.

    Returns
    -------
    numpy.ndarray
        Boolean array, True outside 72.004–137.8347 °E, 0.8293–55.8271 °N. NaN
        coordinates count as inside (their conversions stay NaN).
    """
    x, y = _arrays(lon, lat)
    return (x < 72.004) | (x > 137.8347) | (y < 0.8293) | (y > 55.8271)


def _gcj02_offset(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> Pair:
    """GCJ-02 minus WGS84 at WGS84 points, in degrees, with no out-of-China rule."""
    x = lon - 105.0
    y = lat - 35.0
    xpi = x * np.pi
    ypi = y * np.pi
    common = 20.0 * np.sin(6.0 * xpi) + 20.0 * np.sin(2.0 * xpi)
    sqrt_abs_x = np.sqrt(np.abs(x))
    dlat = (
        common
        + 20.0 * np.sin(ypi)
        + 40.0 * np.sin(ypi / 3.0)
        + 160.0 * np.sin(ypi / 12.0)
        + 320.0 * np.sin(ypi / 30.0)
    ) * (2.0 / 3.0) + (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt_abs_x)
    dlon = (
        common
        + 20.0 * np.sin(xpi)
        + 40.0 * np.sin(xpi / 3.0)
        + 150.0 * np.sin(xpi / 12.0)
        + 300.0 * np.sin(xpi / 30.0)
    ) * (2.0 / 3.0) + (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt_abs_x)
    rad_lat = np.radians(lat)
    magic = 1.0 - _EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = dlat * 180.0 / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = dlon * 180.0 / (_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    return dlon, dlat


def _gcj02_forward(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> Pair:
    dlon, dlat = _gcj02_offset(lon, lat)
    return lon + dlon, lat + dlat


def _bd09_forward(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> Pair:
    z = np.hypot(lon, lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return z * np.cos(theta) + _BD_DLON, z * np.sin(theta) + _BD_DLAT


def _bd09_approx_inverse(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> Pair:
    x = lon - _BD_DLON
    y = lat - _BD_DLAT
    z = np.hypot(x, y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def _invert(
    forward: Callable[[NDArray[np.float64], NDArray[np.float64]], Pair],
    lon: NDArray[np.float64],
    lat: NDArray[np.float64],
    start: Pair,
) -> Pair:
    """Solve ``forward(x, y) == (lon, lat)`` by fixed-point iteration, all points at once.

    Both forward transforms are the identity plus an offset that changes by far less
    than the offset itself over the offset's length, so ``p <- p - (forward(p) - target)``
    contracts by a factor of about 1e-3 per step; five steps usually suffice. Only the
    points not yet converged are recomputed.
    """
    x, y = start[0].copy(), start[1].copy()
    todo = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    for _ in range(_MAX_ITER):
        if todo.size == 0:
            break
        fx, fy = forward(x[todo], y[todo])
        rx = fx - lon[todo]
        ry = fy - lat[todo]
        x[todo] -= rx
        y[todo] -= ry
        todo = todo[(np.abs(rx) > _TOL_DEG) | (np.abs(ry) > _TOL_DEG)]
    return x, y


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """Convert WGS84 longitude/latitude to GCJ-02.

    Parameters
    ----------
    lon, lat
        WGS84 longitudes and latitudes in degrees (array-likes, broadcast).

    Returns
    -------
    tuple of numpy.ndarray
        GCJ-02 longitudes and latitudes; points outside China unchanged.

    Examples
    --------
    >>> import aedplan
    >>> lon, lat = aedplan.wgs84_to_gcj02(116.404, 39.915)  # near Tiananmen
    >>> round(float(lon), 6), round(float(lat), 6)
    (116.410244, 39.916404)
    """
    x, y = _arrays(lon, lat)
    inside = ~out_of_china(x, y)
    gx, gy = _gcj02_forward(x[inside], y[inside])
    x[inside] = gx
    y[inside] = gy
    return x, y


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """Convert GCJ-02 longitude/latitude to WGS84, exactly.

    The forward transform is inverted by iteration to better than 1e-10 degree,
    not with the common one-step approximation (error up to about 2 m).

    Parameters
    ----------
    lon, lat
        GCJ-02 longitudes and latitudes in degrees (array-likes, broadcast).

    Returns
    -------
    tuple of numpy.ndarray
        WGS84 longitudes and latitudes; points outside China unchanged.

    Examples
    --------
    >>> import aedplan
    >>> lon, lat = aedplan.gcj02_to_wgs84(116.41024449916938, 39.91640428150164)
    >>> round(float(lon), 9), round(float(lat), 9)
    (116.404, 39.915)
    """
    x, y = _arrays(lon, lat)
    inside = ~out_of_china(x, y)
    gx, gy = x[inside], y[inside]
    dlon, dlat = _gcj02_offset(gx, gy)
    wx, wy = _invert(_gcj02_forward, gx, gy, (gx - dlon, gy - dlat))
    x[inside] = wx
    y[inside] = wy
    return x, y


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """Convert GCJ-02 longitude/latitude to BD-09 (Baidu).

    Parameters
    ----------
    lon, lat
        GCJ-02 longitudes and latitudes in degrees (array-likes, broadcast).

    Returns
    -------
    tuple of numpy.ndarray
        BD-09 longitudes and latitudes; points outside China unchanged.
    """
    x, y = _arrays(lon, lat)
    inside = ~out_of_china(x, y)
    bx, by = _bd09_forward(x[inside], y[inside])
    x[inside] = bx
    y[inside] = by
    return x, y


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """Convert BD-09 (Baidu) longitude/latitude to GCJ-02, exactly.

    The usual closed-form inverse is off by up to about 1e-5 degree (1 m); it is
    used as the starting point of the same iteration as :func:`gcj02_to_wgs84`.

    Parameters
    ----------
    lon, lat
        BD-09 longitudes and latitudes in degrees (array-likes, broadcast).

    Returns
    -------
    tuple of numpy.ndarray
        GCJ-02 longitudes and latitudes; points outside China unchanged.
    """
    x, y = _arrays(lon, lat)
    inside = ~out_of_china(x, y)
    bx, by = x[inside], y[inside]
    gx, gy = _invert(_bd09_forward, bx, by, _bd09_approx_inverse(bx, by))
    x[inside] = gx
    y[inside] = gy
    return x, y


def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """Convert WGS84 longitude/latitude to BD-09 (through GCJ-02).

    Parameters
    ----------
    lon, lat
        WGS84 longitudes and latitudes in degrees (array-likes, broadcast).

    Returns
    -------
    tuple of numpy.ndarray
        BD-09 longitudes and latitudes; points outside China unchanged.

    Examples
    --------
    >>> import aedplan
    >>> lon, lat = aedplan.wgs84_to_bd09(116.404, 39.915)  # GCJ-02, then Baidu's offset
    >>> round(float(lon), 6), round(float(lat), 6)
    (116.416627, 39.9227)
    """
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """Convert BD-09 (Baidu) longitude/latitude to WGS84 (through GCJ-02), exactly.

    Parameters
    ----------
    lon, lat
        BD-09 longitudes and latitudes in degrees (array-likes, broadcast).

    Returns
    -------
    tuple of numpy.ndarray
        WGS84 longitudes and latitudes; points outside China unchanged.

    Examples
    --------
    >>> import aedplan
    >>> lon, lat = aedplan.bd09_to_wgs84(*aedplan.wgs84_to_bd09(116.404, 39.915))
    >>> round(float(lon), 9), round(float(lat), 9)  # back where it started
    (116.404, 39.915)
    """
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def looks_moved(given_m: ArrayLike, moved_m: ArrayLike) -> bool:
    """Whether points whose distances to the streets are ``given_m`` as read (WGS84) and
    ``moved_m`` read in another datum are in that datum.

    GCJ-02 and BD-09 move every point in China by 300-700 m the same way, more than an
    AED sits from its street; points read in the wrong datum sit off the streets where
    the right reading puts them beside one. Either sign says so: read in the other
    datum, the points lie (a) at most half as far from the streets at the median, and at
    least 15 m nearer; or (b) nearer one by one, most of them (a one-sided sign test
    over the points that move by more than a metre, p < 0.001) and by at least 5 m at
    the median. (b) holds where streets are dense and AEDs sit deep in buildings, so that
    a point moved by the datum still falls near some street, though farther than right.

    Examples
    --------
    >>> looks_moved([300, 420, 510, 380, 450, 600, 350, 400], [12, 30, 8, 25, 14, 40, 9, 20])
    True
    >>> looks_moved([40, 35, 60, 20, 45, 30] * 5, [38, 41, 55, 26, 40, 35] * 5)  # no sign
    False
    """
    given = np.asarray(given_m, dtype=float)
    moved = np.asarray(moved_m, dtype=float)
    if given.size == 0:
        return False
    g, m = float(np.median(given)), float(np.median(moved))
    if m <= 0.5 * g and g - m >= 15.0:
        return True
    nearer = int(np.sum(moved < given - 1.0))
    farther = int(np.sum(moved > given + 1.0))
    if nearer + farther == 0 or float(np.median(given - moved)) < 5.0:
        return False
    from scipy.stats import binomtest

    return bool(binomtest(nearer, nearer + farther, alternative="greater").pvalue < 1e-3)


def normalise_datum(datum: str, *, argument: str = "datum") -> str:
    """Return ``datum`` as one of :data:`DATUMS` (case, ``-`` and ``_`` ignored).

    Raises
    ------
    InputError
        When ``datum`` is not a known datum.
    """
    key = str(datum).lower().replace("-", "").replace("_", "").replace(" ", "")
    if key not in DATUMS:
        raise InputError(
            "`{argument}` must be one of {datums}; got {datum!r}. "
            "Use 'gcj02' for Amap/Tencent/Google-China coordinates and 'bd09' for Baidu.",
            argument=argument, datums=Joined([repr(d) for d in DATUMS], sep=", "), datum=datum,
        )
    return key


def to_wgs84(lon: ArrayLike, lat: ArrayLike, datum: str) -> Pair:
    """Convert longitude/latitude in ``datum`` to WGS84.

    Parameters
    ----------
    lon, lat
        Longitudes and latitudes in degrees (array-likes, broadcast).
    datum
        ``"wgs84"`` (returned as float copies), ``"gcj02"`` or ``"bd09"``.

    Returns
    -------
    tuple of numpy.ndarray
        WGS84 longitudes and latitudes.

    Raises
    ------
    InputError
        When ``datum`` is not one of the three.
    """
    key = normalise_datum(datum)
    if key == "gcj02":
        return gcj02_to_wgs84(lon, lat)
    if key == "bd09":
        return bd09_to_wgs84(lon, lat)
    return _arrays(lon, lat)
