"""The streets near the cells of a lattice of places, found once per network.

Places ``step_m`` apart, centred at ``(i + 0.5) * step_m``, are grouped into square cells
of 1, 2, 4 or :data:`BLOCK` (8) places a side; cell ``(col, row)`` of ``size`` places holds
the places ``size * col`` to ``size * col + size - 1`` (rows likewise). A place ``q``
within ``h`` of its cell's centre ``c`` is within ``d(c) + h`` of the streets (``d``: the
distance to the nearest street), so every straight segment of an edge that lies within
the snapper's tie of ``q``'s nearest is within ``d(c) + 2 h + tie`` of ``c``. Those are
the cell's segments: found around blocks of :data:`BLOCK` places through the edges'
spatial index, then pruned by halves down to smaller cells (the bound of a cell holds for
the cells inside it), each size kept with the network while memory allows, so that no
cell is searched twice.

:func:`to_segments` gives the distances and positions along the edges with the
arithmetic of GEOS, so that :func:`aedplan.snapping.snap_lattice` links places exactly as
:func:`aedplan.snapping.snap` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from . import _memory
from .network import WalkNetwork

__all__ = ["BLOCK", "Segments", "cell_segments", "expand", "segments", "to_segments"]

#: Side of the lattice's blocks, in places (a power of two).
BLOCK = 8
# Metres added to every bound the segments of a cell are pruned with: far above the
# rounding of coordinates and distances, far below anything on a map.
_SLACK_M = 1e-6
# Blocks searched in one call of the spatial index (bounded memory).
_QUERY_CHUNK = 20_000
# Pairs of a point and a segment computed at once: arrays that stay in the processor's
# cache are several times faster than fresh large ones.
_PAIR_CHUNK = 1 << 15


def expand(count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For rows with ``count`` items each: the row of every item and its rank in the row."""
    row = np.repeat(np.arange(count.shape[0]), count)
    return row, np.arange(row.shape[0]) - np.repeat(np.cumsum(count) - count, count)


def _code(col: np.ndarray, row: np.ndarray) -> np.ndarray:
    """One integer per cell (columns and rows within 2**30 of 0)."""
    return (col + 2**30) * 2**31 + (row + 2**30)


def _cell(code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return code // 2**31 - 2**30, code % 2**31 - 2**30


def centres(col: np.ndarray, row: np.ndarray, size: int,
            step_m: float) -> tuple[np.ndarray, np.ndarray]:
    """The centres of cells of ``size`` places a side: the middle of their places (for a
    place, ``(col + 0.5) * step_m``)."""
    return (col * size + size / 2) * step_m, (row * size + size / 2) * step_m


def half_m(size: int, step_m: float) -> float:
    """How far a cell's places lie from its centre, at most."""
    return (size - 1) / 2 * step_m * np.sqrt(2.0)


@dataclass(frozen=True, eq=False)
class Segments:
    """The straight segments of every edge, in order along it: ends ``a``, ``b``, the
    ``edge``, ``length`` and the metres along the edge where each starts (``start``),
    summed one segment after another as GEOS sums them; ``first`` (one more than the
    edges): where each edge's segments begin; ``dx``, ``dy`` and ``inv_len2`` for
    :func:`_distance`."""

    ax: np.ndarray
    ay: np.ndarray
    bx: np.ndarray
    by: np.ndarray
    edge: np.ndarray
    length: np.ndarray
    start: np.ndarray
    first: np.ndarray
    dx: np.ndarray
    dy: np.ndarray
    inv_len2: np.ndarray


def segments(net: WalkNetwork) -> Segments:
    """The segments of ``net``'s edges, built once per network."""

    def build(n: WalkNetwork) -> Segments:
        xy, edge = shapely.get_coordinates(n.edge_geometry, return_index=True)
        k = np.flatnonzero(edge[1:] == edge[:-1])
        ax, ay, bx, by = xy[k, 0], xy[k, 1], xy[k + 1, 0], xy[k + 1, 1]
        dx, dy = bx - ax, by - ay
        len2 = dx * dx + dy * dy
        length = np.sqrt(len2)
        seg_edge = edge[k]
        first = np.searchsorted(seg_edge, np.arange(n.n_edges + 1))
        rank = np.arange(k.shape[0]) - first[seg_edge]
        by_rank = np.argsort(rank, kind="stable")
        cut = np.searchsorted(rank[by_rank], np.arange(int(rank.max(initial=0)) + 2))
        start = np.zeros(k.shape[0])
        for r in range(1, cut.shape[0] - 1):  # one step along every edge at a time
            at = by_rank[cut[r]:cut[r + 1]]
            start[at] = start[at - 1] + length[at - 1]
        inv_len2 = np.divide(1.0, len2, out=np.zeros_like(len2), where=len2 > 0)
        return Segments(ax, ay, bx, by, seg_edge, length, start, first, dx, dy, inv_len2)

    return net.derived("lattice_segments", build)


def to_segments(
    x: np.ndarray, y: np.ndarray, point: np.ndarray, seg: Segments, k: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Distance from each point ``(x[point], y[point])`` to segment ``k``, and the metres
    along the segment's edge of the segment's point nearest to it, with the arithmetic
    of GEOS (``Distance::pointToSegment``, ``LengthIndexOfPoint``): the numbers shapely's
    ``distance`` and ``line_locate_point`` give, bit for bit."""
    dist, metres = np.empty(k.shape[0]), np.empty(k.shape[0])
    for lo in range(0, k.shape[0], _PAIR_CHUNK):
        part = slice(lo, lo + _PAIR_CHUNK)
        dist[part], metres[part] = _geos(x[point[part]], y[point[part]], seg, k[part])
    return dist, metres


def _geos(
    px: np.ndarray, py: np.ndarray, seg: Segments, k: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    ax, ay, bx, by = seg.ax[k], seg.ay[k], seg.bx[k], seg.by[k]
    dx, dy = bx - ax, by - ay
    len2 = dx * dx + dy * dy
    with np.errstate(invalid="ignore", divide="ignore"):
        r = ((px - ax) * dx + (py - ay) * dy) / len2
        s = ((ay - py) * dx - (ax - px) * dy) / len2
    to_a = np.sqrt((px - ax) * (px - ax) + (py - ay) * (py - ay))
    to_b = np.sqrt((px - bx) * (px - bx) + (py - by) * (py - by))
    dist = np.where(r <= 0.0, to_a, np.where(r >= 1.0, to_b, np.abs(s) * np.sqrt(len2)))
    dist = np.where((ax == bx) & (ay == by), to_a, dist)
    start, length = seg.start[k], seg.length[k]
    metres = np.where(r <= 0.0, start, np.where(r <= 1.0, start + r * length, start + length))
    return dist, metres


def _distance(px: np.ndarray, py: np.ndarray, seg: Segments, k: np.ndarray) -> np.ndarray:
    """Distance from each point to segment ``k``, to within rounding (for bounds)."""
    ex, ey = px - seg.ax[k], py - seg.ay[k]
    dx, dy = seg.dx[k], seg.dy[k]
    t = ex * dx
    t += ey * dy
    t *= seg.inv_len2[k]
    np.clip(t, 0.0, 1.0, out=t)
    dx *= t
    dy *= t
    ex -= dx
    ey -= dy
    return np.hypot(ex, ey, out=ex)


def _distances(
    seg: Segments, cx: np.ndarray, cy: np.ndarray, cell: np.ndarray, s: np.ndarray
) -> np.ndarray:
    """:func:`_distance` from the centres of ``cell`` to the segments ``s``."""
    dist = np.empty(s.shape[0])
    for lo in range(0, s.shape[0], _PAIR_CHUNK):
        part = slice(lo, lo + _PAIR_CHUNK)
        dist[part] = _distance(cx[cell[part]], cy[cell[part]], seg, s[part])
    return dist


def _nearest(cell: np.ndarray, dist: np.ndarray) -> np.ndarray:
    """For pairs sorted by cell, the least distance of each pair's cell."""
    if not cell.size:
        return dist
    starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
    return np.repeat(np.minimum.reduceat(dist, starts), np.diff(np.r_[starts, dist.shape[0]]))


def _pruned(
    seg: Segments, cx: np.ndarray, cy: np.ndarray, cell: np.ndarray, s: np.ndarray,
    half: float, max_snap_m: float, tie_m: float, dist: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Of (cell, segment) pairs sorted by cell, those within ``d(c) + 2 half + tie_m`` of
    the cell's centre ``c`` (``d(c)``: its nearest among them), when ``d(c) <= max_snap_m
    + half`` (``dist``: the pairs' distances, when known)."""
    dist = _distances(seg, cx, cy, cell, s) if dist is None else dist
    near = _nearest(cell, dist)
    keep = (dist <= near + (2 * half + tie_m + _SLACK_M)) & (near <= max_snap_m + half + _SLACK_M)
    return cell[keep], s[keep]


@dataclass(frozen=True, eq=False)
class _Table:
    """The segments of cells of one size: cell codes (sorted), where each cell's
    segments begin (one more than the cells) and the segments."""

    codes: np.ndarray
    start: np.ndarray
    seg: np.ndarray

    @classmethod
    def of(cls, codes: np.ndarray, cell: np.ndarray, seg: np.ndarray) -> _Table:
        """The cells ``codes`` (sorted) and their ``(cell, segment)`` pairs (by cell)."""
        return cls(codes, np.searchsorted(cell, np.arange(codes.shape[0] + 1)), seg)

    @property
    def nbytes(self) -> int:
        return self.codes.nbytes + self.start.nbytes + self.seg.nbytes

    def find(self, codes: np.ndarray) -> np.ndarray:
        """Which ``codes`` the table holds."""
        at = np.minimum(np.searchsorted(self.codes, codes), self.codes.shape[0] - 1)
        return self.codes[at] == codes

    def rows(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(cell, segment)`` pairs of ``codes`` (all held), sorted by cell."""
        at = np.searchsorted(self.codes, codes)
        cell, within = expand(self.start[at + 1] - self.start[at])
        return cell, self.seg[self.start[at][cell] + within]


def _merged(tables: list[_Table]) -> _Table:
    """Several tables of one size as one."""
    codes = np.concatenate([t.codes for t in tables])
    count = np.concatenate([np.diff(t.start) for t in tables])
    first = np.cumsum(count) - count
    order = np.argsort(codes, kind="stable")
    row, within = expand(count[order])
    seg = np.concatenate([t.seg for t in tables])[first[order][row] + within]
    return _Table(codes[order], np.r_[0, np.cumsum(count[order])], seg)


#: Tables of one size are merged into one when there are more than this many.
_MAX_TABLES = 8


def cell_segments(
    net: WalkNetwork, col: Any, row: Any, size: int, step_m: float, max_snap_m: float,
    tie_m: float,
) -> tuple[np.ndarray, ...]:
    """The segments of lattice cells of ``size`` places a side: every segment within
    ``d(c) + 2 h + tie_m`` of each cell's centre ``c`` (``h``: :func:`half_m`) when
    ``d(c) <= max_snap_m + h`` (with a micrometre to spare, and perhaps a few more).

    Returns the cells once each (``col``, ``row``), where each cell given is among them,
    and ``(cell, segment, distance, metres along the edge)`` sorted by cell, the last two
    as :func:`to_segments` gives them.
    """
    col, row = np.asarray(col, dtype=np.int64).ravel(), np.asarray(row, dtype=np.int64).ravel()
    code, inverse = np.unique(_code(col, row), return_inverse=True)
    lattice = net.derived("lattice_cells", lambda n: {}).setdefault(
        (float(step_m), float(max_snap_m), float(tie_m)), {})
    cell, s = _cells(net, lattice, size, code, step_m, max_snap_m, tie_m)
    ucol, urow = _cell(code)
    cx, cy = centres(ucol, urow, size, step_m)
    dist, metres = to_segments(cx, cy, cell, segments(net), s)
    return ucol, urow, inverse.reshape(-1), cell, s, dist, metres


def _cells(
    net: WalkNetwork, lattice: dict[int, list[_Table]], size: int, code: np.ndarray,
    step_m: float, max_snap_m: float, tie_m: float,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`cell_segments` of the cells ``code`` (sorted, once each): those kept with
    the network, the others found (from the cells of twice the size that hold them, or
    for blocks through the spatial index) and kept."""
    tables = lattice.setdefault(size, [])
    found = np.zeros(code.shape[0], dtype=bool)
    cells, segs = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for table in tables:
        here = np.flatnonzero(~found)
        here = here[table.find(code[here])]
        cell, s = table.rows(code[here])
        cells.append(here[cell])
        segs.append(s)
        found[here] = True
    missing = np.flatnonzero(~found)
    if missing.size:
        col, row = _cell(code[missing])
        if size == BLOCK:
            cell, s = _search(net, col, row, step_m, max_snap_m, tie_m)
        else:
            parents = np.unique(_code(col // 2, row // 2))
            p_cell, p_seg = _cells(net, lattice, 2 * size, parents, step_m, max_snap_m, tie_m)
            first = np.searchsorted(p_cell, np.arange(parents.shape[0] + 1))
            parent = np.searchsorted(parents, _code(col // 2, row // 2))
            cell, within = expand(first[parent + 1] - first[parent])
            cx, cy = centres(col, row, size, step_m)
            cell, s = _pruned(segments(net), cx, cy, cell, p_seg[first[parent][cell] + within],
                              half_m(size, step_m), max_snap_m, tie_m)
        cells.append(missing[cell])
        segs.append(s)
        tables.append(_Table.of(code[missing], cell, s))
        if len(tables) > _MAX_TABLES:
            tables[:] = [_merged(tables)]
        _keep(lattice)
    cell, s = np.concatenate(cells), np.concatenate(segs)
    if len(cells) > 2:  # from several tables: by cell
        order = np.argsort(cell, kind="stable")
        cell, s = cell[order], s[order]
    return cell, s


def _keep(lattice: dict[int, list[_Table]]) -> None:
    """Keep the tables with the network while they take at most an eighth of the memory
    this machine could spare without them: past that, those of the smallest cells go
    first."""
    kept = sum(t.nbytes for tables in lattice.values() for t in tables)
    room = (_memory.spare_bytes() + kept) // 8
    for small in sorted(lattice):
        if kept <= room:
            return
        kept -= sum(t.nbytes for t in lattice[small])
        lattice[small] = []


def _search(
    net: WalkNetwork, col: np.ndarray, row: np.ndarray, step_m: float, max_snap_m: float,
    tie_m: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The segments of blocks through the spatial index, pruned: those of the edges whose
    box meets a square around each block's centre, when the square holds the disc of
    ``d(c) + 2 h + tie_m`` around it; for blocks farther from the streets than that, the
    edges within that distance (GEOS)."""
    seg, half = segments(net), half_m(BLOCK, step_m)
    side = 4 * half + tie_m + _SLACK_M
    cells, segs = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for lo in range(0, col.shape[0], _QUERY_CHUNK):
        cx, cy = centres(col[lo:lo + _QUERY_CHUNK], row[lo:lo + _QUERY_CHUNK], BLOCK, step_m)
        cell, edge = net.edge_tree.query(shapely.box(cx - side, cy - side, cx + side,
                                                     cy + side))
        cell, s = _edge_segments(seg, cell, edge)
        dist = _distances(seg, cx, cy, cell, s)
        inside = np.zeros(cx.shape[0], dtype=bool)  # the square holds the disc
        inside[cell] = _nearest(cell, dist) + 2 * half + tie_m + _SLACK_M <= side
        pick = inside[cell]
        cell, s = _pruned(seg, cx, cy, cell[pick], s[pick], half, max_snap_m, tie_m, dist[pick])
        far = np.flatnonzero(~inside)
        points = shapely.points(cx[far], cy[far])
        (has, _), nearest = net.edge_tree.query_nearest(
            points, max_distance=max_snap_m + half + _SLACK_M, return_distance=True,
            all_matches=False)
        f_cell, edge = net.edge_tree.query(points[has], predicate="dwithin",
                                           distance=nearest + 2 * half + tie_m + _SLACK_M)
        f_cell, f_seg = _edge_segments(seg, far[has[f_cell]], edge)
        f_cell, f_seg = _pruned(seg, cx, cy, f_cell, f_seg, half, max_snap_m, tie_m)
        order = np.argsort(np.r_[cell, f_cell], kind="stable")
        cells.append(np.r_[cell, f_cell][order] + lo)
        segs.append(np.r_[s, f_seg][order])
    return np.concatenate(cells), np.concatenate(segs)


def _edge_segments(seg: Segments, cell: np.ndarray,
                   edge: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cell, edge) pairs as (cell, segment) pairs, sorted by cell."""
    if np.any(cell[1:] < cell[:-1]):
        order = np.argsort(cell, kind="stable")
        cell, edge = cell[order], edge[order]
    r, w = expand(seg.first[edge + 1] - seg.first[edge])
    return cell[r], seg.first[edge[r]] + w
