"""Population grid cells cut by a study area and spread over the streets or buildings
inside them: the geometry behind ``demand_from_grid(area=..., net=..., spread=...)``.

Every step works on whole arrays of cells (shapely 2 functions and one ``STRtree`` query
each); the cells come in a metric CRS with a frame of one row per cell (``id``,
``weight``, ``area_m2``, a representative point in EPSG:4326).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS

from . import _geo
from .errors import InputError

#: Largest distance between neighbouring demand points along a street, in metres.
SPACING_M = 50.0
#: Shares of a cell this close to 0 or 1 are coordinate round-off, not a real cut: a study
#: area drawn on the cells' own edges and sent through EPSG:4326, or a side along a
#: meridian drawn with more vertices than the cells' (the bow between them is under a
#: hundred-thousandth of a 1 km cell).
_ROUNDING = 1e-5
#: Street pieces shorter than this inside a cell are round-off of a street along its edge.
_SLIVER_M = 1e-3
_POLYGONS = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)


def along(lines: np.ndarray, length_m: np.ndarray, spacing_m: float) -> tuple[np.ndarray, ...]:
    """Points in the middle of ``n = ceil(length / spacing_m)`` equal pieces of each line
    (at least one): ``(line, position_m, piece_m, points)``, one entry per point, with
    the line's index, the distance from the line's start and the length it stands for.

    >>> import shapely
    >>> line, position, piece, pts = along(
    ...     np.array([shapely.LineString([(0, 0), (100, 0)])]), np.array([100.0]), 40.0)
    >>> line.tolist(), position.round(2).tolist(), piece.round(2).tolist()
    ([0, 0, 0], [16.67, 50.0, 83.33], [33.33, 33.33, 33.33])
    """
    # a small tolerance keeps 100 m / 50 m at 2 pieces despite rounding in the length
    pieces = np.maximum(1, np.ceil(length_m / spacing_m - 1e-9)).astype(np.int64)
    line = np.repeat(np.arange(len(lines)), pieces)
    first = np.cumsum(pieces) - pieces
    k = np.arange(line.shape[0]) - np.repeat(first, pieces)
    piece_m = length_m[line] / pieces[line]
    position = (k + 0.5) * piece_m
    return line, position, piece_m, shapely.line_interpolate_point(lines[line], position)


def study_area(area: Any) -> shapely.Geometry:
    """The study area (a shapely polygon or a bbox, in EPSG:4326) checked."""
    polygon = _geo.clip_polygon(area, "area")
    if polygon.is_empty:
        raise InputError("`area` is empty; pass the study area's polygon in EPSG:4326.")
    west, south, east, north = polygon.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise InputError(
            "`area`: expected lon/lat in EPSG:4326, got bounds ({west:g}, {south:g}, "
            "{east:g}, {north:g}). Is it in metres? Convert it with "
            "`geopandas.GeoSeries([area], crs=...).to_crs(4326).iloc[0]`.",
            west=west, south=south, east=east, north=north)
    if not polygon.is_valid:
        raise InputError(
            "`area` is not a valid polygon ({reason}). Repair it with "
            "`shapely.make_valid(area)`.", reason=shapely.is_valid_reason(polygon))
    return polygon


def not_polygons(shapes: gpd.GeoSeries) -> str | None:
    """What the cells are when some are not polygons (``"12 Point"``), else ``None``."""
    kinds = shapely.get_type_id(shapes.to_numpy())
    odd = ~np.isin(kinds, _POLYGONS)
    if not odd.any():
        return None
    names = sorted({shapely.GeometryType(k).name.title() for k in kinds[odd]})
    return f"{int(odd.sum()):,} {'/'.join(names)}"


def cut(cells: gpd.GeoDataFrame, shapes: gpd.GeoSeries, area: shapely.Geometry
        ) -> tuple[gpd.GeoDataFrame, gpd.GeoSeries]:
    """The cells that meet ``area`` (EPSG:4326), cut by it in their metric CRS: weight and
    ``area_m2`` in proportion to the share of the cell inside, the representative point
    of a cut cell taken again inside the cut."""
    to_metric = gpd.GeoSeries([area], crs=_geo.WGS84).to_crs(shapes.crs).iloc[0]
    polys = shapes.to_numpy()
    meet = shapely.intersects(to_metric, polys)
    pieces = polys.copy()
    part = meet & ~shapely.contains_properly(to_metric, polys)
    pieces[part] = shapely.intersection(polys[part], to_metric)
    # where the area only touches a cell along a line, that line is no ground of the cell
    mixed = shapely.get_type_id(pieces) == shapely.GeometryType.GEOMETRYCOLLECTION
    pieces[mixed] = shapely.buffer(pieces[mixed], 0)
    full = shapely.area(polys)
    share = np.where(meet, 1.0, 0.0)
    measured = part & (full > 0)
    share[measured] = shapely.area(pieces[measured]) / full[measured]
    share[share < _ROUNDING] = 0.0
    share[share > 1.0 - _ROUNDING] = 1.0
    keep = share > 0
    out = cells[keep].reset_index(drop=True)
    out["weight"] = out["weight"].to_numpy(dtype=float) * share[keep]
    out["area_m2"] = out["area_m2"].to_numpy(dtype=float) * share[keep]
    moved = (share < 1.0)[keep]
    if moved.any():
        inside = gpd.GeoSeries(shapely.point_on_surface(pieces[keep][moved]), crs=shapes.crs)
        points = out.geometry.to_numpy().copy()
        points[moved] = inside.to_crs(_geo.WGS84).to_numpy()
        out = out.set_geometry(points, crs=_geo.WGS84)
    return out, gpd.GeoSeries(pieces[keep], crs=shapes.crs)


def overlaps(shapes: gpd.GeoSeries) -> tuple[int, float, float]:
    """``(cells, twice_m2, share)`` for metric ``shapes``: how many cells share ground with
    another, the ground counted more than once (summed over the pairs), and the share of
    those cells' ground that lies under two or more of them. Pairs whose bounding boxes
    share less than 1% of the smaller box are neighbours, or share a sliver at most, and
    are not measured."""
    polys = shapes.to_numpy()
    i, j = shapely.STRtree(polys).query(polys)
    i, j = i[i < j], j[i < j]
    b = shapely.bounds(polys)
    wide = np.minimum(b[i, 2], b[j, 2]) - np.maximum(b[i, 0], b[j, 0])
    high = np.minimum(b[i, 3], b[j, 3]) - np.maximum(b[i, 1], b[j, 1])
    box = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    near = np.clip(wide, 0, None) * np.clip(high, 0, None) > 0.01 * np.minimum(box[i], box[j])
    shared = shapely.intersection(polys[i[near]], polys[j[near]])
    twice = shapely.area(shared)
    if not (twice > 0).any():
        return 0, 0.0, 0.0
    some = twice > 0
    both = np.unique(np.concatenate([i[near][some], j[near][some]]))
    under = shapely.area(shapely.union_all(shared[some]))
    return int(both.size), float(twice.sum()), under / shapely.area(shapely.union_all(polys[both]))


def spread(cells: gpd.GeoDataFrame, shapes: gpd.GeoSeries, *, net: Any, buildings: Any
           ) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Each cell's people over the building points inside it (by their weight), else over
    the streets inside it (by length, a point every <= :data:`SPACING_M` metres), else at
    its representative point. Returns the points (one row each: ``id`` 0..n-1, the
    cell's ``id`` as ``cell``, ``weight`` and ``area_m2`` the cell's times the point's
    share, in EPSG:4326) and the mask of cells left at their representative point."""
    crs = CRS.from_user_input(net.crs) if net is not None else CRS.from_user_input(shapes.crs)
    polys = shapes.to_crs(crs).to_numpy()
    placed = np.zeros(len(cells), dtype=bool)
    groups: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    if buildings is not None:
        groups.append(_on_buildings(polys, buildings, crs))
        placed[groups[-1][0]] = True
    if net is not None:
        groups.append(_on_streets(polys, net, np.flatnonzero(~placed)))
        placed[groups[-1][0]] = True
    lonely = np.flatnonzero(~placed)
    cell = np.concatenate([g[0] for g in groups] + [lonely])
    share = np.concatenate([g[1] for g in groups] + [np.ones(lonely.size)])
    metric = np.concatenate([g[2] for g in groups]) if groups else np.zeros(0, dtype=object)
    lonlat = gpd.GeoSeries(metric, crs=crs).to_crs(_geo.WGS84).to_numpy()
    points = np.concatenate([lonlat, cells.geometry.to_numpy()[lonely]])
    order = np.argsort(cell, kind="stable")
    cell, share, points = cell[order], share[order], points[order]
    out = cells.iloc[cell].reset_index(drop=True)
    out.insert(out.columns.get_loc("area_m2") + 1, "cell", out["id"].to_numpy())
    out["id"] = np.arange(len(out), dtype=np.int64)
    out["weight"] = out["weight"].to_numpy(dtype=float) * share
    out["area_m2"] = out["area_m2"].to_numpy(dtype=float) * share
    return out.set_geometry(points, crs=_geo.WGS84), ~placed


def _on_buildings(polys: np.ndarray, buildings: gpd.GeoDataFrame, crs: CRS
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(cell, share, point)`` for the cells with building weight inside."""
    points = _geo.point_array(buildings, crs)
    weight = buildings["weight"].to_numpy(dtype=float)
    some = np.flatnonzero(weight > 0)
    b, c = shapely.STRtree(polys).query(points[some], predicate="intersects")
    b = some[b]
    total = np.bincount(c, weights=weight[b], minlength=len(polys))
    return c, weight[b] / total[c], points[b]


def _on_streets(polys: np.ndarray, net: Any, todo: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(cell, share, point)`` for the cells in ``todo`` with streets inside: the street
    pieces in each cell, with points along them as :func:`along` places them."""
    c, e = net.edge_tree.query(polys[todo], predicate="intersects")
    c = todo[c]
    edges = net.edge_geometry[e]
    whole = shapely.contains_properly(polys[c], edges)
    pieces = edges.copy()
    pieces[~whole] = shapely.intersection(edges[~whole], polys[c[~whole]])
    parts, which = shapely.get_parts(pieces, return_index=True)
    # a street wholly inside keeps its own length, so its points are the network demand's
    length = np.where(whole[which], net.edge_length_m[e[which]], shapely.length(parts))
    # a piece under a millimetre is a street along the cell's edge, cut by round-off
    line = ((shapely.get_type_id(parts) == shapely.GeometryType.LINESTRING)
            & (length > _SLIVER_M))
    parts, which, length = parts[line], which[line], length[line]
    cell = c[which]
    total = np.bincount(cell, weights=length, minlength=len(polys))
    k, _, piece_m, points = along(parts, length, SPACING_M)
    return cell[k], piece_m / total[cell[k]], points
