"""Who is covered: the sparse coverage matrix and coverage statistics.

``coverage_matrix`` answers "which sites reach which demand points within the time
budget" as a sparse boolean matrix built from each site's bounded street search
(never a dense distance matrix, never a loop over pairs). ``coverage_stats`` turns the
nearest-AED times of demand points into the numbers a report quotes, and maps the
uncovered demand into ranked hot spots.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from . import _validate
from .errors import InputError
from .network import WalkNetwork
from .reach import Snapped, TimeModel, pair_times, reach_times, snap

__all__ = [
    "CoverageStats",
    "coverage_matrix",
    "coverage_stats",
    "coverage_times",
    "hot_spots",
    "summarise_times",
]


def _snapped(net: WalkNetwork, points: Any, argument: str, *, strict: bool) -> Snapped:
    if isinstance(points, Snapped):
        return points
    return snap(net, points, argument=argument, strict=strict)


def coverage_times(
    net: WalkNetwork,
    demand: Any,
    sites: Any,
    *,
    minutes: float = 4.0,
    mode: str = "round-trip",
    speed_m_s: float = 1.4,
) -> sparse.csr_matrix:
    """Rescue times (seconds) of every (demand, site) pair within the budget.

    A sparse ``(n_demand, n_sites)`` matrix; pairs out of reach are not stored. A
    pair reached in exactly 0 s is stored as 1e-9 s so that it is not dropped.

    Parameters
    ----------
    net
        The walk network.
    demand, sites
        GeoDataFrames (any CRS) or :class:`~aedplan.reach.Snapped`. A site's
        ``access_s`` column is added to its times.
    minutes, mode, speed_m_s
        The time model (:class:`~aedplan.reach.TimeModel`).
    """
    model = TimeModel(*_validate.time_model(minutes, mode, speed_m_s))
    d = _snapped(net, demand, "demand", strict=False)
    s = _snapped(net, sites, "sites", strict=True)
    site_idx, demand_idx, secs = pair_times(net, s, d, model=model)
    return sparse.csr_matrix(
        (np.maximum(secs, 1e-9), (demand_idx, site_idx)), shape=(len(d), len(s))
    )


def coverage_matrix(
    net: WalkNetwork,
    demand: Any,
    sites: Any,
    *,
    minutes: float = 4.0,
    mode: str = "round-trip",
    speed_m_s: float = 1.4,
) -> sparse.csr_matrix:
    """Sparse boolean ``(n_demand, n_sites)``: is demand point ``i`` reached from site
    ``j`` within ``minutes`` under the time model?

    The array-level optimiser (:func:`aedplan.optimise.solve_mclp`) takes this matrix,
    or one an analyst built from their own travel times.
    """
    times = coverage_times(net, demand, sites, minutes=minutes, mode=mode, speed_m_s=speed_m_s)
    out = sparse.csr_matrix(
        (np.ones(times.nnz, dtype=bool), times.indices, times.indptr), shape=times.shape
    )
    return out


@dataclass(frozen=True)
class CoverageStats:
    """Coverage of demand by a set of AEDs.

    ``time_s`` is each demand point's rescue time to its nearest AED (``np.inf`` when
    out of reach); ``nearest`` the index of that AED (``-1``).
    """

    covered_weight: float
    total_weight: float
    coverage: float
    n_points: int
    n_covered: int
    time_s: np.ndarray
    nearest: np.ndarray
    budget_s: float
    time_distribution: pd.DataFrame

    def summary(self) -> dict[str, Any]:
        """Plain numbers for a JSON report."""
        return {
            "points": self.n_points,
            "covered_points": self.n_covered,
            "total_weight": float(self.total_weight),
            "covered_weight": float(self.covered_weight),
            "coverage": float(self.coverage),
            "within_minutes": {
                f"{m:g}": float(share)
                for m, share in zip(
                    self.time_distribution["minutes"],
                    self.time_distribution["share_of_weight"],
                    strict=True,
                )
            },
        }


def summarise_times(
    time_s: np.ndarray, weights: np.ndarray, *, budget_s: float, steps_min: Any = None
) -> pd.DataFrame:
    """Share of demand weight reached within each number of minutes.

    Array level: ``time_s`` (``np.inf`` = unreached) and ``weights`` of the same length.
    """
    time_s = np.asarray(time_s, dtype=float)
    weights = np.asarray(weights, dtype=float)
    if time_s.shape != weights.shape:
        raise InputError(
            f"`time_s` and `weights` must have the same length, got {time_s.shape[0]} and "
            f"{weights.shape[0]}."
        )
    if steps_min is None:
        top = budget_s / 60.0
        steps_min = np.unique(np.r_[np.arange(1.0, np.floor(top) + 1.0), top])
    steps = np.asarray(steps_min, dtype=float)
    total = float(weights.sum())
    within = (time_s[None, :] <= steps[:, None] * 60.0 + 1e-9) @ weights
    return pd.DataFrame(
        {
            "minutes": steps,
            "weight": within,
            "share_of_weight": within / total if total > 0 else np.zeros_like(within),
        }
    )


def coverage_stats(
    net: WalkNetwork,
    demand: Any,
    aeds: Any,
    *,
    weights: Any = None,
    minutes: float = 4.0,
    mode: str = "round-trip",
    speed_m_s: float = 1.4,
    limit_s: float | None = None,
) -> CoverageStats:
    """Coverage of ``demand`` by ``aeds``: covered weight and share, and the time of
    every demand point to its nearest AED (one multi-source search).

    ``weights`` default to the ``weight`` column of ``demand`` (else 1 per point).
    ``aeds`` may be empty: coverage is then zero. ``limit_s`` (default: the budget)
    is how far the nearest-AED times are followed; a point is covered when its time
    is within the budget (``minutes``).
    """
    model = TimeModel(*_validate.time_model(minutes, mode, speed_m_s))
    d = _snapped(net, demand, "demand", strict=False)
    w = _weights(demand, weights, len(d))
    if aeds is None or len(aeds) == 0:
        time_s = np.full(len(d), np.inf)
        nearest = np.full(len(d), -1, dtype=np.int64)
    else:
        a = _snapped(net, aeds, "aeds", strict=True)
        r = reach_times(
            net, a, d, minutes=minutes, mode=mode, speed_m_s=speed_m_s, limit_s=limit_s
        )
        time_s, nearest = r.target_s, r.target_source
    covered = time_s <= model.budget_s
    total = float(w.sum())
    cw = float(w[covered].sum())
    return CoverageStats(
        covered_weight=cw,
        total_weight=total,
        coverage=cw / total if total > 0 else 0.0,
        n_points=len(d),
        n_covered=int(covered.sum()),
        time_s=time_s,
        nearest=nearest,
        budget_s=model.budget_s,
        time_distribution=summarise_times(time_s, w, budget_s=model.budget_s),
    )


def _weights(demand: Any, weights: Any, n: int) -> np.ndarray:
    if weights is None:
        if hasattr(demand, "columns") and "weight" in demand.columns:
            weights = demand["weight"].to_numpy(dtype=float)
        else:
            return np.ones(n)
    w = np.asarray(weights, dtype=float)
    if w.shape != (n,):
        raise InputError(f"`weights` must have one value per demand point ({n}), got {w.shape}.")
    if np.any(~np.isfinite(w) | (w < 0)):
        raise InputError("`weights` must be finite and non-negative.")
    return w


def hot_spots(
    demand: Any,
    uncovered: np.ndarray,
    *,
    weights: Any = None,
    cell_m: float = 250.0,
    top: int = 20,
):
    """Grid cells ranked by uncovered demand weight: where new AEDs would help most.

    Parameters
    ----------
    demand
        Demand GeoDataFrame (any CRS; cells are laid in its local UTM zone).
    uncovered
        Boolean mask of uncovered demand points.
    cell_m
        Side of the square cells in metres.
    top
        How many cells to return (the heaviest first).

    Returns
    -------
    geopandas.GeoDataFrame
        ``rank``, ``uncovered_weight``, ``uncovered_points``, cell polygon, in the
        demand's CRS.
    """
    import geopandas as gpd
    import shapely

    cell_m = _validate.positive(cell_m, "cell_m")
    _validate.has_crs(demand, "demand")
    w = _weights(demand, weights, len(demand))
    mask = np.asarray(uncovered, dtype=bool)
    metric = demand.to_crs(demand.estimate_utm_crs()) if demand.crs.is_geographic else demand
    pts = metric.geometry.representative_point()
    gx = np.floor(pts.x.to_numpy() / cell_m).astype(np.int64)
    gy = np.floor(pts.y.to_numpy() / cell_m).astype(np.int64)
    frame = pd.DataFrame({"gx": gx[mask], "gy": gy[mask], "w": w[mask]})
    cells = (
        frame.groupby(["gx", "gy"])
        .agg(uncovered_weight=("w", "sum"), uncovered_points=("w", "size"))
        .reset_index()
        .sort_values("uncovered_weight", ascending=False, kind="stable")
        .head(int(top))
    )
    gx_c = cells["gx"].to_numpy()
    gy_c = cells["gy"].to_numpy()
    boxes = shapely.box(gx_c * cell_m, gy_c * cell_m, (gx_c + 1) * cell_m, (gy_c + 1) * cell_m)
    out = gpd.GeoDataFrame(
        {
            "rank": np.arange(1, len(cells) + 1),
            "uncovered_weight": cells["uncovered_weight"].to_numpy(),
            "uncovered_points": cells["uncovered_points"].to_numpy(),
        },
        geometry=boxes,
        crs=metric.crs,
    )
    return out.to_crs(demand.crs)
