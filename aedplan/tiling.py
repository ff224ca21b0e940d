"""Cutting a network search into parts (:mod:`aedplan.tasks`): squares of the runner's
``tile_m``, each with the streets within a halo of the search limit plus the longest walk
to a street, which holds every street a search from (or to) a point of the part can
reach within the limit. Each part's answers for its own points are therefore the whole
network's. A part is clipped, and sent to the workers, once per runner and halo."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from . import tasks
from .network import WalkNetwork
from .partition import clip_network
from .snapping import DEFAULT_MAX_SNAP_M, Snapped

__all__ = ["each_part", "halo", "part", "points_near", "tiles"]


def halo(limit_m: float, *points: Snapped) -> float:
    """How far past a part its streets must reach: the limit and the longest walk from
    a point to its street, whole metres (so that searches of one limit share parts)."""
    walk = [float(p.link_offset_m.max()) for p in points if p.link_offset_m.size]
    return float(np.ceil(limit_m + max([DEFAULT_MAX_SNAP_M, *walk]) + 1.0))


def tiles(x: np.ndarray, y: np.ndarray, tile_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Each point's part (a label) and the parts' keys (column, row of the square)."""
    ij = np.column_stack([np.floor(x / tile_m), np.floor(y / tile_m)]).astype(np.int64)
    keys, label = np.unique(ij, axis=0, return_inverse=True)
    return label.reshape(-1), keys


def part(net: WalkNetwork, key: np.ndarray, halo_m: float, runner: tasks.Runner) -> Any:
    """The streets of part ``key`` and those within ``halo_m`` of it (``None``: none),
    clipped and sent to the workers once per runner: ``(network, its edges' indices in
    net, the network where the tasks read it)``."""
    t = float(runner.tile_m or 0.0)
    box = (key[0] * t, key[1] * t, (key[0] + 1) * t, (key[1] + 1) * t)

    def make() -> Any:
        clipped = clip_network(net, box, halo_m)
        return None if clipped is None else (*clipped, runner.scatter(clipped[0]))

    cache = ("part", id(net), t, int(key[0]), int(key[1]), halo_m)
    return runner.kept(cache, lambda: (net, make()))[1]


def points_near(points: Snapped, key: np.ndarray, halo_m: float, runner: tasks.Runner,
                edges: np.ndarray) -> tuple[Snapped, Any, np.ndarray]:
    """``points`` on a part's streets (:meth:`~aedplan.snapping.Snapped.on_edges`; those
    within its halo are found first through the squares around it): here, where the
    tasks read them, and their positions in ``points``; once per runner."""
    t = float(runner.tile_m or 0.0)

    def make() -> tuple[Snapped, Any, np.ndarray]:
        near = _in_squares(points, key, halo_m, runner)
        x0, y0 = key[0] * t - halo_m, key[1] * t - halo_m
        px, py = points.x[near], points.y[near]
        near = near[(px >= x0) & (px <= x0 + t + 2 * halo_m)
                    & (py >= y0) & (py <= y0 + t + 2 * halo_m)]
        on, at = points.take(near).on_edges(edges)
        return on, runner.scatter(on), near[at]

    cache = ("points", id(points), t, int(key[0]), int(key[1]), halo_m)
    return runner.kept(cache, lambda: (points, make()))[1]  # type: ignore[no-any-return]


def _in_squares(points: Snapped, key: np.ndarray, halo_m: float,
                runner: tasks.Runner) -> np.ndarray:
    """The positions of ``points`` in the squares within ``halo_m`` of square ``key``
    (sorted), from the points binned by square once per runner."""
    t = float(runner.tile_m or 0.0)

    def binned() -> tuple[dict[tuple[int, int], int], np.ndarray, np.ndarray]:
        label, keys = tiles(points.x, points.y, t)
        order = np.argsort(label, kind="stable")
        first = np.searchsorted(label[order], np.arange(keys.shape[0] + 1))
        return {(int(i), int(j)): k for k, (i, j) in enumerate(keys)}, order, first

    index, order, first = runner.kept(("bins", id(points), t),
                                      lambda: (points, binned()))[1]
    r = int(np.ceil(halo_m / t))
    found = [order[first[k]:first[k + 1]]
             for i in range(int(key[0]) - r, int(key[0]) + r + 1)
             for j in range(int(key[1]) - r, int(key[1]) + r + 1)
             if (k := index.get((i, j))) is not None]
    return np.sort(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def each_part(net: WalkNetwork, x: np.ndarray, y: np.ndarray, halo_m: float,
              runner: tasks.Runner) -> Iterator[tuple[np.ndarray, np.ndarray, Any]]:
    """For each part holding any of the points ``x``, ``y`` and some streets: its key,
    the points it holds (their positions, in order) and its streets (:func:`part`)."""
    label, keys = tiles(x, y, float(runner.tile_m or 0.0))
    order = np.argsort(label, kind="stable")
    first = np.searchsorted(label[order], np.arange(keys.shape[0] + 1))
    for k in range(keys.shape[0]):  # one per part, not per point
        clipped = part(net, keys[k], halo_m, runner)
        if clipped is not None:
            yield keys[k], order[first[k]:first[k + 1]], clipped
