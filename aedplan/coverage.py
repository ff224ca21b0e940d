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

from . import _format, _geo, _results, _validate
from .errors import InputError
from .network import WalkNetwork
from .reach import pair_times, reach_times
from .snapping import Snapped, snapped
from .timemodel import TimeModel, resolve

__all__ = [
    "CoverageStats",
    "HourlyCoverage",
    "coverage_matrix",
    "coverage_stats",
    "coverage_times",
    "demand_weights",
    "hot_spots",
    "hourly_coverage",
    "summarise_times",
]


def coverage_times(
    net: WalkNetwork,
    demand: Any,
    sites: Any,
    *,
    model: TimeModel | None = None,
    minutes: float | None = None,
    mode: str | None = None,
    speed_m_s: float | None = None,
) -> sparse.csr_array:
    """Rescue times (seconds) of every (demand, site) pair within the budget.

    A sparse ``(n_demand, n_sites)`` matrix; pairs out of reach are not stored. A
    pair reached in exactly 0 s is stored as 1e-9 s so that it is not dropped.

    Parameters
    ----------
    net
        The walk network.
    demand, sites
        GeoDataFrames (any CRS) or :class:`~aedplan.snapping.Snapped`. A site's
        ``access_s`` column is added to its times.
    model
        The time model (:class:`~aedplan.timemodel.TimeModel`; default 4 minutes, round
        trip, 1.4 m/s).
    minutes, mode, speed_m_s
        Deprecated: pass ``model=aedplan.TimeModel(...)``.

    Examples
    --------
    >>> import aedplan, geopandas as gpd
    >>> street = aedplan.network_from_arrays([0, 100, 200, 300, 400], [0, 0, 0, 0, 0],
    ...                                      [0, 1, 2, 3], [1, 2, 3, 4], crs="EPSG:32632")
    >>> def points(xs, ys=None):  # points in the street's CRS (metres)
    ...     return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys or [0] * len(xs)),
    ...                             crs="EPSG:32632")
    >>> demand = aedplan.demand_from_network(street, spacing_m=100)  # at 50, 150, 250, 350 m
    >>> sites = aedplan.candidates_from_network(street, spacing_m=None)
    >>> times = aedplan.coverage_times(street, demand, sites)  # round trips, 240 s at most
    >>> times[[0], :].toarray().round(1)  # 2 x 50 m and 2 x 150 m at 1.4 m/s
    array([[ 71.4,  71.4, 214.3,   0. ,   0. ]])
    """
    model = resolve(model, minutes=minutes, mode=mode, speed_m_s=speed_m_s)
    shape, (site_idx, demand_idx, secs) = _pairs(net, demand, sites, model, times=True)
    np.maximum(secs, 1e-9, out=secs)  # a time of 0 stays an entry; the arrays are ours
    return sparse.csr_array((secs, (demand_idx, site_idx)), shape=shape)


def _pairs(net: WalkNetwork, demand: Any, sites: Any, model: TimeModel, *, times: bool
           ) -> tuple[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The matrix's shape and the (site, demand point) pairs within the budget, with
    their times or without (:func:`aedplan.reach.pair_times`)."""
    d = snapped(net, demand, "demand", strict=False)
    s = snapped(net, sites, "sites", strict=True)
    return (len(d), len(s)), pair_times(net, s, d, model=model,
                                        names=("sites", "demand points"), times=times)


def coverage_matrix(
    net: WalkNetwork,
    demand: Any,
    sites: Any,
    *,
    model: TimeModel | None = None,
    minutes: float | None = None,
    mode: str | None = None,
    speed_m_s: float | None = None,
) -> sparse.csr_array:
    """Sparse boolean ``(n_demand, n_sites)``: is demand point ``i`` reached from site
    ``j`` within ``minutes`` under the time model?

    The array-level optimiser (:func:`aedplan.optimise.solve_mclp`) takes this matrix,
    or one an analyst built from their own travel times.

    Examples
    --------
    >>> import aedplan, geopandas as gpd
    >>> street = aedplan.network_from_arrays([0, 100, 200, 300, 400], [0, 0, 0, 0, 0],
    ...                                      [0, 1, 2, 3], [1, 2, 3, 4], crs="EPSG:32632")
    >>> def points(xs, ys=None):  # points in the street's CRS (metres)
    ...     return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys or [0] * len(xs)),
    ...                             crs="EPSG:32632")
    >>> demand = aedplan.demand_from_network(street, spacing_m=100)  # at 50, 150, 250, 350 m
    >>> sites = aedplan.candidates_from_network(street, spacing_m=None)  # at 0, 100, ..., 400 m
    >>> aedplan.coverage_matrix(street, demand, sites).toarray().astype(int)
    array([[1, 1, 1, 0, 0],
           [1, 1, 1, 1, 0],
           [0, 1, 1, 1, 1],
           [0, 0, 1, 1, 1]])
    """
    model = resolve(model, minutes=minutes, mode=mode, speed_m_s=speed_m_s)
    # the pairs within the budget, without their times: a province's are tens of millions
    shape, (site_idx, demand_idx, _) = _pairs(net, demand, sites, model, times=False)
    return sparse.csr_array((np.ones(site_idx.size, dtype=bool), (demand_idx, site_idx)),
                            shape=shape)


@dataclass(frozen=True, eq=False)
class CoverageStats:
    """Coverage of demand by a set of AEDs.

    Attributes
    ----------
    covered_weight, total_weight, coverage
        Demand weight within the budget of an AED, all demand weight, and their ratio.
    n_points, n_covered
        Demand points, and those covered.
    time_s
        Each demand point's rescue time to its nearest AED (``np.inf`` when out of
        reach or beyond the search limit).
    nearest
        Index of that AED (``-1`` when none).
    weights
        The demand weights used.
    budget_s
        The time budget a point must be reached within to count as covered.
    time_distribution
        Share of demand weight reached within each whole minute (a DataFrame).
    model
        The time model.
    demand, aeds
        The demand points and AEDs as snapped (``aeds`` is ``None`` when there are
        none), so later stages reuse them.
    """

    covered_weight: float
    total_weight: float
    coverage: float
    n_points: int
    n_covered: int
    time_s: np.ndarray
    nearest: np.ndarray
    weights: np.ndarray
    budget_s: float
    time_distribution: pd.DataFrame
    model: TimeModel
    demand: Snapped
    aeds: Snapped | None

    def __post_init__(self) -> None:
        _results.freeze_arrays(self)

    @property
    def covered(self) -> np.ndarray:
        """True for demand points reached within the budget."""
        return self.time_s <= self.budget_s

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

    def __repr__(self) -> str:
        return (
            f"CoverageStats({_format.share(self.coverage)} of demand weight covered: "
            f"{self.n_covered:,} of {self.n_points:,} points within {self.budget_s:g} s)"
        )

    def _repr_html_(self) -> str:
        rows: dict[str, Any] = {
            "covered": f"{_format.share(self.coverage)} of demand weight "
            f"({self.covered_weight:,.0f} of {self.total_weight:,.0f})",
            "points covered": f"{self.n_covered:,} of {self.n_points:,}",
            "time model": self.model.describe(),
        }
        for m, share in zip(self.time_distribution["minutes"],
                            self.time_distribution["share_of_weight"], strict=True):
            rows[f"within {m:g} min"] = _format.share(share)
        return _results.html_table("Coverage", rows)


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
            "`time_s` and `weights` must have the same length, got {n_time} and {n_weights}.",
            n_time=time_s.shape[0], n_weights=weights.shape[0])
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
    model: TimeModel | None = None,
    minutes: float | None = None,
    mode: str | None = None,
    speed_m_s: float | None = None,
    limit_s: float | None = None,
) -> CoverageStats:
    """Coverage of ``demand`` by ``aeds``: covered weight and share, and the time of
    every demand point to its nearest AED (one multi-source search).

    Parameters
    ----------
    net
        The walk network.
    demand
        Demand points: a GeoDataFrame (any CRS) or :class:`~aedplan.snapping.Snapped`.
    aeds
        AEDs, the same kinds; ``None`` or empty gives zero coverage.
    weights
        One weight per demand point; by default the ``weight`` column of ``demand``,
        else 1 per point.
    model
        The time model (:class:`~aedplan.timemodel.TimeModel`; default 4 minutes, round
        trip, 1.4 m/s).
    minutes, mode, speed_m_s
        Deprecated: pass ``model=aedplan.TimeModel(...)``.
    limit_s
        How far the nearest-AED times are followed (default: the budget); a point is
        covered when its time is within the budget.

    Examples
    --------
    A street of 400 m, an AED at its west end and two patients on it, one way at 1 m/s
    with a budget of 150 s:

    >>> import numpy as np
    >>> from aedplan import TimeModel, network_from_arrays
    >>> net = network_from_arrays([0, 100, 200, 300, 400], [0] * 5, [0, 1, 2, 3],
    ...                           [1, 2, 3, 4], crs="EPSG:32632")
    >>> stats = coverage_stats(net, np.array([[50.0, 0.0], [250.0, 0.0]]),
    ...                        np.array([[0.0, 0.0]]), weights=[1.0, 3.0],
    ...                        model=TimeModel(2.5, "one-way", 1.0))
    >>> stats.time_s.tolist(), stats.coverage
    ([50.0, inf], 0.25)
    """
    model = resolve(model, minutes=minutes, mode=mode, speed_m_s=speed_m_s)
    d = snapped(net, demand, "demand", strict=False)
    w = demand_weights(demand, weights, len(d))
    a = None if aeds is None or len(aeds) == 0 else snapped(net, aeds, "aeds", strict=True)
    if a is None:
        time_s = np.full(len(d), np.inf)
        nearest = np.full(len(d), -1, dtype=np.int64)
    else:
        r = reach_times(net, a, d, model=model, limit_s=limit_s)
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
        weights=w,
        budget_s=model.budget_s,
        time_distribution=summarise_times(time_s, w, budget_s=model.budget_s),
        model=model,
        demand=d,
        aeds=a,
    )


def demand_weights(demand: Any, weights: Any, n: int) -> np.ndarray:
    """The weight of every demand point: ``weights`` when given, else the ``weight``
    column of ``demand``, else 1 each; checked to be finite and non-negative."""
    if weights is None:
        if hasattr(demand, "columns") and "weight" in demand.columns:
            weights = demand["weight"].to_numpy(dtype=float)
        else:
            return np.ones(n)
    w = np.asarray(weights, dtype=float)
    if w.shape != (n,):
        raise InputError("`weights` must have one value per demand point ({n}), got {shape}.",
                         n=n, shape=w.shape)
    if np.any(~np.isfinite(w) | (w < 0)):
        raise InputError("`weights` must be finite and non-negative.")
    return w


@dataclass(frozen=True, eq=False)
class HourlyCoverage:
    """Coverage over the reference week, when each AED is available only some of it.

    The week is cut into slots in which the same AEDs are available
    (:attr:`~aedplan.hours.Availability.edges`, to the minute); a slot in hour ``h``
    weighs ``profile[h]`` times its share of that hour.

    Attributes
    ----------
    hourly
        ``(168,)`` share of demand weight covered in each hour (hour 0 = Monday 00:00),
        the mean over the hour's minutes.
    profile
        ``(168,)`` when arrests happen (sums to 1).
    point_share
        ``(n_demand,)`` profile-weighted share of the week each demand point is covered.
    covered
        ``(n_demand, n_patterns)`` bool: covered under each distinct set of open AEDs.
    slot_pattern
        ``(n_slots,)`` the set of open AEDs (a column of ``covered``) in each slot.
    weights
        The demand weights.
    edges
        ``(n_slots + 1,)`` the slots' edges in minutes from Monday 00:00.
    """

    hourly: np.ndarray
    profile: np.ndarray
    point_share: np.ndarray
    covered: np.ndarray
    slot_pattern: np.ndarray
    weights: np.ndarray
    edges: np.ndarray

    def __post_init__(self) -> None:
        _results.freeze_arrays(self)

    @property
    def slot_profile(self) -> np.ndarray:
        """``(n_slots,)`` the share of arrests in each slot: its hour's weight times its
        share of that hour (sums to 1)."""
        return self.profile[self.edges[:-1] // 60] * np.diff(self.edges) / 60.0

    @property
    def intervals(self) -> int:
        """How many runs of the week the same AEDs are available in (Sunday's last run
        and Monday's first count as one when they are the same)."""
        changes = int((np.diff(self.slot_pattern) != 0).sum())
        return max(1, changes + int(self.slot_pattern[0] != self.slot_pattern[-1]))

    @property
    def round_the_clock(self) -> float:
        """The profile-weighted mean of ``hourly``: the coverage a patient gets."""
        return self._mean(np.arange(HOURS_OF_WEEK))

    def _mean(self, hours: np.ndarray) -> float:
        """Profile-weighted mean over ``hours``, kept within their least and greatest value
        (rounding must not put a mean above its best hour)."""
        p, share = self.profile[hours], self.hourly[hours]
        if p.sum() <= 0:
            return float("nan")
        return float(np.clip(share @ p / p.sum(), share.min(), share.max()))

    @property
    def night_22_06(self) -> float:
        """Mean over the hours from 22:00 to 06:00, weighted by the profile."""
        hour = np.arange(HOURS_OF_WEEK) % 24
        return self._mean(np.flatnonzero((hour >= 22) | (hour < 6)))

    @property
    def weekday_09_17(self) -> float:
        """Mean over Monday to Friday, 09:00 to 17:00, weighted by the profile."""
        h = np.arange(HOURS_OF_WEEK)
        return self._mean(np.flatnonzero((h < 5 * 24) & (h % 24 >= 9) & (h % 24 < 17)))

    @property
    def worst_hour(self) -> int:
        """The hour of the week with the least coverage (the first of equals)."""
        return int(np.argmin(self.hourly))

    def summary(self) -> dict[str, Any]:
        """Plain numbers for ``report.json``."""
        return {
            "round_the_clock": self.round_the_clock,
            "night_22_06": self.night_22_06,
            "weekday_09_17": self.weekday_09_17,
            "worst_hour": self.worst_hour,
            "worst": float(self.hourly[self.worst_hour]),
            "hourly": np.round(self.hourly, 6).tolist(),
        }

    def __repr__(self) -> str:
        return (
            f"HourlyCoverage(round the clock {_format.share(self.round_the_clock)}, night "
            f"{_format.share(self.night_22_06)}, worst hour {self.worst_hour} "
            f"{_format.share(self.hourly[self.worst_hour])}; "
            f"{self.covered.shape[1]} sets of open AEDs)"
        )

    def _repr_html_(self) -> str:
        return _results.html_table("Coverage by hour of the week", {
            "round the clock": _format.share(self.round_the_clock),
            "night 22-06": _format.share(self.night_22_06),
            "weekdays 09-17": _format.share(self.weekday_09_17),
            "worst hour": f"{self.worst_hour} ({_format.share(self.hourly[self.worst_hour])})",
        })


HOURS_OF_WEEK = 168


def hourly_coverage(
    net: WalkNetwork,
    demand: Any,
    aeds: Any,
    available: Any,
    *,
    profile: Any = None,
    weights: Any = None,
    model: TimeModel | None = None,
    minutes: float | None = None,
    mode: str | None = None,
    speed_m_s: float | None = None,
) -> HourlyCoverage:
    """Coverage over the reference week, to the minute, counting only the AEDs available
    at each moment; ``hourly`` gives the mean of each hour.

    One nearest-AED search per distinct set of open AEDs (a city's AEDs keep a few dozen
    such sets over a week), not one per hour or slot.

    Parameters
    ----------
    net, demand, aeds
        As for :func:`coverage_stats`.
    available
        An :class:`~aedplan.hours.Availability` (its slots, to the minute), or
        ``(n_aeds, 168)`` booleans: available throughout each hour or not.
    profile
        When arrests happen: 168 weights (:func:`~aedplan.hours.arrest_profile`; default
        the published default profile).
    weights
        Demand weights (default: the ``weight`` column, else 1).
    model
        The time model (:class:`~aedplan.timemodel.TimeModel`; default 4 minutes, round
        trip, 1.4 m/s).
    minutes, mode, speed_m_s
        Deprecated: pass ``model=aedplan.TimeModel(...)``.

    Examples
    --------
    The street above, an AED at each end: the west one open around the clock, the east
    one only on weekdays 09-17 (40 of the 168 hours). The patient at 50 m is always
    reached, the one at 350 m only by the east AED: 1/2 + 1/2 x 40/168 = 0.619 of the week.

    >>> import numpy as np
    >>> from aedplan import TimeModel, network_from_arrays
    >>> net = network_from_arrays([0, 100, 200, 300, 400], [0] * 5, [0, 1, 2, 3],
    ...                           [1, 2, 3, 4], crs="EPSG:32632")
    >>> office = np.zeros(168, bool)
    >>> for day in range(5):
    ...     office[day * 24 + 9: day * 24 + 17] = True
    >>> week = hourly_coverage(net, np.array([[50.0, 0.0], [350.0, 0.0]]),
    ...                        np.array([[0.0, 0.0], [400.0, 0.0]]),
    ...                        np.vstack([np.ones(168, bool), office]), profile="uniform",
    ...                        model=TimeModel(2.5, "one-way", 1.0))
    >>> [round(x, 4) for x in (week.round_the_clock, week.night_22_06, week.weekday_09_17)]
    [0.619, 0.5, 1.0]
    """
    from .hours import arrest_profile

    model = resolve(model, minutes=minutes, mode=mode, speed_m_s=speed_m_s)
    d = snapped(net, demand, "demand", strict=False)
    w = demand_weights(demand, weights, len(d))
    open_ = np.asarray(getattr(available, "open", available), dtype=bool)
    edges = np.asarray(getattr(available, "edges", np.arange(HOURS_OF_WEEK + 1) * 60))
    n_aeds = 0 if aeds is None else len(aeds)
    if open_.shape != (n_aeds, edges.size - 1):
        raise InputError(
            "`available` must have one row per AED ({n}) and one column per hour of the week "
            "(168) or an Availability's slots, got shape {shape}.", n=n_aeds, shape=open_.shape)
    p = arrest_profile("default" if profile is None else profile)
    patterns, slot_pattern = np.unique(open_.T, axis=0, return_inverse=True)
    covered = np.zeros((len(d), patterns.shape[0]), dtype=bool)
    a = snapped(net, aeds, "aeds") if n_aeds else None
    for k, pattern in enumerate(patterns):  # one search per set of open AEDs, not per hour
        if a is not None and pattern.any():
            r = reach_times(net, a.take(np.flatnonzero(pattern)), d, model=model)
            covered[:, k] = r.target_s <= model.budget_s
    total = float(w.sum())
    # each set's share summed as coverage_stats sums it, so all-open equals today exactly
    by_pattern = np.array([float(w[c].sum()) / total if total > 0 else 0.0 for c in covered.T])
    slot_pattern = slot_pattern.reshape(-1)
    minutes, hour = np.diff(edges), edges[:-1] // 60
    by_hour = np.bincount(hour, weights=by_pattern[slot_pattern] * minutes,
                          minlength=HOURS_OF_WEEK) / 60.0
    whole = np.bincount(hour, weights=(minutes == 60), minlength=HOURS_OF_WEEK) > 0
    by_hour[whole] = by_pattern[slot_pattern[np.searchsorted(hour, np.flatnonzero(whole))]]
    slot_p = p[hour] * minutes / 60.0
    return HourlyCoverage(
        hourly=by_hour,
        profile=p,
        point_share=covered @ np.bincount(slot_pattern, weights=slot_p,
                                          minlength=covered.shape[1]),
        covered=covered,
        slot_pattern=slot_pattern,
        weights=w,
        edges=edges,
    )


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
        Demand GeoDataFrame (any CRS): the cells are laid in its own CRS when that is in
        metres (the network's, for the demand of a coverage or a plan), else in its local
        UTM zone.
    uncovered
        Boolean mask of uncovered demand points.
    cell_m
        Side of the square cells in metres.
    top
        How many cells to return (the heaviest first).

    Returns
    -------
    geopandas.GeoDataFrame
        ``rank``, ``uncovered_weight``, ``uncovered_points`` and the cell polygon, in
        EPSG:4326 (WGS84 lon/lat), as every ``*_from_*`` builder, whatever the demand's
        CRS.

    Examples
    --------
    >>> import aedplan, geopandas as gpd
    >>> street = aedplan.network_from_arrays([0, 100, 200, 300, 400], [0, 0, 0, 0, 0],
    ...                                      [0, 1, 2, 3], [1, 2, 3, 4], crs="EPSG:32632")
    >>> def points(xs, ys=None):  # points in the street's CRS (metres)
    ...     return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys or [0] * len(xs)),
    ...                             crs="EPSG:32632")
    >>> demand = aedplan.demand_from_network(street, spacing_m=100).to_crs(street.crs)
    >>> spots = aedplan.hot_spots(demand, [False, False, True, True], cell_m=250.0)
    >>> spots[["rank", "uncovered_weight", "uncovered_points"]]
       rank  uncovered_weight  uncovered_points
    0     1             200.0                 2
    >>> spots.crs.to_epsg()
    4326
    """
    import geopandas as gpd
    import shapely

    cell_m = _validate.positive(cell_m, "cell_m")
    _validate.has_crs(demand, "demand")
    w = demand_weights(demand, weights, len(demand))
    mask = np.asarray(uncovered, dtype=bool)
    if mask.shape != (len(demand),):
        raise InputError("`uncovered` must hold one True or False per demand point ({n:,}), "
                         "got shape {shape}.", n=len(demand), shape=mask.shape)
    metric = demand.to_crs(_geo.metric_crs(demand))
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
    return out.to_crs(4326)
