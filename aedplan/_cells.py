"""Demand gathered into square cells for a map: one shaded square per cell instead of one
dot per building, so a city's gaps read at city zoom and the file stays small.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import shapely

from . import _geo

__all__ = ["cell_side", "cut_by", "demand_cells"]

#: Cell sides a map may use, in metres.
_SIDES = (50.0, 100.0, 250.0, 500.0, 1000.0, 2000.0)  # 250 m: as the hot spots
#: About how many cells the area of the demand should make at most.
_CELLS = 2500


def cell_side(width_m: float, height_m: float) -> float:
    """The smallest of 50, 100, 250, 500, 1,000 or 2,000 m that lays at most about
    2,500 cells over a ``width_m`` x ``height_m`` area.

    >>> cell_side(2_000, 2_000), cell_side(8_000, 10_000), cell_side(60_000, 60_000)
    (50.0, 250.0, 2000.0)
    """
    wanted = np.sqrt(max(width_m * height_m, 1.0) / _CELLS)
    fits = [side for side in _SIDES if side >= wanted]
    return fits[0] if fits else _SIDES[-1]


def demand_cells(frame: Any, side_m: float | None = None) -> Any:
    """Demand points (any CRS; a ``weight`` column, else 1 each) summed in square cells of
    ``side_m`` metres (default :func:`cell_side` of their extent), laid in the local UTM
    zone: a GeoDataFrame in EPSG:4326 with ``weight``, ``points`` and the square."""
    import geopandas as gpd

    metric = _geo.point_array(frame, _geo.metric_crs(frame))
    x, y = shapely.get_x(metric), shapely.get_y(metric)
    if "weight" in frame.columns:
        w = pd.to_numeric(frame["weight"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    else:
        w = np.ones(len(frame))
    if side_m is None:
        side_m = cell_side(float(np.ptp(x)) if x.size else 0.0,
                           float(np.ptp(y)) if y.size else 0.0)
    gx, gy = np.floor(x / side_m).astype(np.int64), np.floor(y / side_m).astype(np.int64)
    key = np.stack([gx, gy], axis=1)
    cells, which = np.unique(key, axis=0, return_inverse=True)
    which = which.ravel()
    squares = shapely.box(cells[:, 0] * side_m, cells[:, 1] * side_m,
                          (cells[:, 0] + 1) * side_m, (cells[:, 1] + 1) * side_m)
    out = gpd.GeoDataFrame(
        {"weight": np.bincount(which, weights=w, minlength=len(cells)),
         "points": np.bincount(which, minlength=len(cells))},
        geometry=squares, crs=_geo.metric_crs(frame),
    ).to_crs(4326)
    out.attrs["side_m"] = side_m
    return out


def cut_by(squares: np.ndarray, shapes: np.ndarray, tolerance: float) -> np.ndarray:
    """``squares`` with ``shapes`` cut out, grown by ``tolerance`` and simplified by as
    much first (so the cut edges cost few points and stop short of every shape): each
    square is cut by the shapes that reach it, one shape per square at a time, every
    square at once.

    >>> square = shapely.box(0, 0, 2, 2)
    >>> cut = cut_by(np.array([square]), np.array([shapely.box(1, 0, 3, 2),
    ...                                           shapely.box(0, 1, 3, 3)]), 0.0)
    >>> shapely.normalize(cut[0]).wkt
    'POLYGON ((0 0, 0 1, 1 1, 1 0, 0 0))'
    """
    grown = shapely.simplify(shapely.buffer(shapes, tolerance, quad_segs=2), tolerance)
    square, shape = shapely.STRtree(grown).query(squares, predicate="intersects")
    order = np.lexsort((shape, square))
    square, shape = square[order], shape[order]
    rank = np.arange(square.size) - np.searchsorted(square, square, side="left")
    cut = np.array(squares, dtype=object)
    for k in range(int(rank.max()) + 1 if rank.size else 0):  # as many as reach one square
        this = rank == k
        cut[square[this]] = shapely.difference(cut[square[this]], grown[shape[this]])
    return cut
