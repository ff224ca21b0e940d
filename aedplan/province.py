"""A province by parts: coverage computed per part (in this process, or as Dask tasks
on a local or real cluster), the budget shared among independent groups of parts
exactly, by dynamic programming over their coverage curves.

The data flow::

    extent (a worker reads the network) -> tiles with halos (aedplan.partition)
    -> per part, on the workers: the part's streets, its demand along them, its candidate
       sites (street nodes) and their coverage matrix
    -> groups of parts linked by a shared site -> per group: greedy curves (lower) and
       the greedy bound (upper)
    -> share the budget (aedplan.optimise.parts.share_with_proof), solving a group
       exactly (aedplan.optimise.solve_mclp) only where the bound is loose
    -> the plan stitched back, coverage per part, the proven gap

Workers read the network and the AED file themselves (give paths every worker can
read, e.g. on shared storage); only coverage matrices travel back.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from . import _results
from ._caller import warn
from ._notes import as_argument
from .districts import districts as read_districts
from .errors import AedplanError, InfeasibleError, InputError
from .optimise import DEFAULT_MIP_GAP
from .optimise.parts import SPREAD, Curves, fewest_with_proof, share_with_proof
from .partition import Parts, check_tile, clip_network, halo_m, tiles, union_groups
from .tasks import cluster
from .timemodel import TimeModel, resolve

__all__ = ["ProvincePlan", "plan_province"]

#: One network per worker process, read on first use (keyed by its path).
_NETWORKS: dict[str, Any] = {}


def _network(path: str) -> Any:
    from .network import load_network

    if path not in _NETWORKS:
        _NETWORKS.clear()  # one province at a time per worker
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # a province has islands and separate towns: every piece of it counts
            _NETWORKS[path] = load_network(path, largest_component=False)
    return _NETWORKS[path]


def _extent_task(path: str) -> dict[str, Any]:
    import shapely

    net = _network(path)
    return {"extent": tuple(float(v) for v in shapely.total_bounds(net.edge_geometry)),
            "nodes": net.n_nodes, "edges": net.n_edges, "crs": net.crs.to_wkt(),
            "length_m": float(net.total_length_m)}


@dataclass(frozen=True)
class _PartSpec:
    path: str
    aeds: str | None
    parts: Parts
    part: int
    model: TimeModel
    spacing_m: float


def _part_task(spec: _PartSpec) -> dict[str, Any]:
    """One part's demand, today's coverage and coverage matrix (rows: its uncovered demand
    that some site reaches; columns: the sites reaching any, by node index)."""
    from .coverage import coverage_matrix
    from .demand import demand_from_network

    empty = {"part": spec.part, "points": 0, "weight": 0.0, "before": 0.0,
             "w": np.zeros(0), "A": sp.csr_array((0, 0), dtype=bool),
             "sites": np.zeros(0, dtype=np.int64), "osmid": np.zeros(0, dtype=np.int64),
             "xy": np.zeros((0, 2))}
    net = _network(spec.path)
    reach = spec.model.reach_m
    box = spec.parts.box(spec.part)
    clipped = clip_network(net, box, halo_m(reach))
    if clipped is None:
        return empty
    sub, _ = clipped
    demand = demand_from_network(sub, spacing_m=spec.spacing_m).to_crs(sub.crs)
    x, y = demand.geometry.x.to_numpy(), demand.geometry.y.to_numpy()
    demand = demand[spec.parts.part_of(x, y) == spec.part]
    if not len(demand):
        return empty
    w = demand["weight"].to_numpy(dtype=np.float64)
    covered = _covered_today(sub, demand, spec, box)
    near = ((sub.x >= box[0] - reach) & (sub.x <= box[2] + reach)
            & (sub.y >= box[1] - reach) & (sub.y <= box[3] + reach))
    sites = np.flatnonzero(near)
    site_xy = np.column_stack([sub.x[sites], sub.y[sites]])
    A = sp.csr_array(coverage_matrix(sub, demand, site_xy, model=spec.model))[~covered]
    rows = np.flatnonzero(np.diff(A.indptr) > 0)
    cols = np.flatnonzero(np.bincount(A.indices, minlength=A.shape[1]) > 0)
    return {"part": spec.part, "points": len(demand), "weight": float(w.sum()),
            "before": float(w[covered].sum()), "w": w[~covered][rows],
            "A": sp.csr_array(A[rows][:, cols]), "sites": sub.node_ids[sites][cols],
            "osmid": net.node_ids[sub.node_ids[sites][cols]], "xy": site_xy[cols]}


def _covered_today(sub: Any, demand: Any, spec: _PartSpec, box: tuple[float, ...]) -> np.ndarray:
    from .coverage import coverage_matrix
    from .io import read_points
    from .snapping import snap

    if spec.aeds is None:
        return np.zeros(len(demand), dtype=bool)
    with as_argument("aeds"):
        aeds = read_points(spec.aeds).to_crs(sub.crs)
    ax, ay = aeds.geometry.x.to_numpy(), aeds.geometry.y.to_numpy()
    reach = spec.model.reach_m
    aeds = aeds[(ax >= box[0] - reach) & (ax <= box[2] + reach)
                & (ay >= box[1] - reach) & (ay <= box[3] + reach)]
    if not len(aeds):
        return np.zeros(len(demand), dtype=bool)
    on = snap(sub, aeds, argument="aeds", strict=False, warn_far=False)
    A = sp.csr_array(coverage_matrix(sub, demand, on, model=spec.model))
    return np.diff(A.indptr) > 0


def _curves_task(A: sp.csr_array, w: np.ndarray, cap: int,
                 share: float) -> tuple[np.ndarray, ...]:
    """A group's greedy picks, their values (the lower curve) and an upper curve for
    every budget up to ``cap``: the lesser of the greedy bound and the Lagrangian bound
    whose multipliers are tuned for ``share`` sites (valid for every budget; a share
    below 1 means the sites greedy needs to cover that share of the group's weight)."""
    from .optimise._greedy import checkpoint_steps, greedy_bound, lazy_greedy
    from .optimise._lagrange import lagrangian_mclp
    from .optimise._values import increments

    Ac = sp.csc_array(A)
    g = lazy_greedy(Ac, w, np.zeros(A.shape[0], dtype=np.int64), increments(None), cap,
                    checkpoints=checkpoint_steps(cap, 24))
    lower = np.zeros(cap + 1)
    lower[1:g.gains.size + 1] = np.cumsum(g.gains)
    lower[g.gains.size + 1:] = lower[g.gains.size]
    upper = np.minimum(greedy_bound(g.checkpoints, np.arange(cap + 1)), float(w.sum()))
    if share < 1:
        share = int(np.searchsorted(lower, share * float(w.sum()) * (1 - 1e-12)))
    share = min(max(int(share), 1), cap)
    if 0 < share < A.shape[1]:
        Af = sp.csr_array(A.astype(np.float64))
        lg = lagrangian_mclp(Af, sp.csr_array(Ac.astype(np.float64).T), Ac, w, share,
                             float(lower[share]))
        top = np.cumsum(-np.sort(-lg.c))[: cap]
        upper = np.minimum(upper, float((w - lg.u).sum()) + np.r_[0.0, top])
    upper[0] = 0.0
    return g.sites, lower, upper


def _solve_task(A: sp.csr_array, w: np.ndarray, b: int, gap: float,
                seconds: float) -> tuple[np.ndarray, float, float]:
    from .optimise import solve_mclp

    plan = solve_mclp(A, w, b, time_limit_s=max(seconds, 1.0), mip_rel_gap=gap)
    return np.asarray(plan.sites, dtype=np.int64), float(plan.objective), float(plan.bound)


@dataclass(frozen=True)
class ProvincePlan:
    """A province planned by parts: ``report`` (plain numbers, as report.json), ``sites``
    (the new AEDs: node index, x, y in the network's CRS ``crs``, part) and ``parts``
    (per part of ``partition``, tiles or districts: demand and coverage before and
    after)."""

    report: dict[str, Any]
    sites: Any
    parts: Any
    crs: Any
    partition: Parts

    def __post_init__(self) -> None:
        object.__setattr__(self, "report", _results.frozen(self.report))

    def map_layers(self, *, circles: bool = True) -> Any:
        """The overview map's layers: each part (tile or district) shaded by its coverage
        after the plan, and the new AEDs as points (a province has too many rescue
        circles to draw; ``circles`` is ignored)."""
        import geopandas as gpd

        from .maplayers import MapLayers, MapSummary

        parts = gpd.GeoDataFrame(
            self.parts[["name", "coverage_before", "coverage_after", "new_sites"]],
            geometry=[self.partition.shape(k) for k in self.parts["part"]], crs=self.crs)
        sites = gpd.GeoDataFrame({"rank": np.arange(1, len(self.sites) + 1)},
                                 geometry=gpd.points_from_xy(self.sites["x"], self.sites["y"]),
                                 crs=self.crs)
        r = self.report
        p = r["params"]
        summary = MapSummary(
            coverage_before=r["before"]["coverage"], coverage_after=r["plan"]["coverage"],
            model=TimeModel(p["minutes"], p["mode"], p["speed_m_s"]), n_aeds=None,
            n_proposed=int(r["plan"]["new_sites"]), demand_kind="network",
            demand_weight=r["demand"]["weight"], demand_total=r["demand"]["total_weight"])
        return MapLayers(districts=parts, proposed=sites, summary=summary)


def plan_province(
    osm: str | Path,
    *,
    budget: int | None = None,
    target_coverage: float | None = None,
    aeds: str | Path | None = None,
    tile_m: float = 20_000.0,
    districts: Any = None,
    spacing_m: float = 50.0,
    model: TimeModel | None = None,
    minutes: float | None = None,
    mode: str | None = None,
    speed_m_s: float | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    memory_per_worker: str | None = None,
    mip_rel_gap: float = DEFAULT_MIP_GAP,
    time_limit_s: float = 600.0,
    progress: Callable[[str], None] | None = None,
) -> ProvincePlan:
    """Plan ``budget`` new AEDs over a large area, part by part, or the fewest new AEDs
    that bring coverage to ``target_coverage`` (a share of all demand, in ``(0, 1]``).

    Demand is spread along the streets (every ``spacing_m``, weighted by street length)
    and every street node is a candidate site; ``aeds`` (a file of today's AEDs) cover
    what they cover. The area is cut into square tiles of ``tile_m`` metres, or into the
    polygons of ``districts`` (a file or GeoDataFrame, with a ``name`` column, or
    ``"osm"``/``"osm:LEVEL"`` for the administrative boundaries in ``osm``; demand
    outside every district is left out and reported) (:mod:`aedplan.partition`);
    each part's coverage is computed apart, exactly as on the
    whole network. Parts linked by a site that covers demand in both are merged into
    groups; the groups are independent, and the budget is shared among them exactly
    (dynamic programming over each group's coverage curve, the groups solved by
    :func:`aedplan.optimise.solve_mclp` only at the budgets where their bound is loose).
    A target is met with the fewest sites the same way, the count found by bisection
    between a proven lower bound and a plan that reaches it
    (:func:`aedplan.optimise.parts.fewest_with_proof`).

    Runs in this process by default; ``workers=N`` starts a local Dask cluster of ``N``
    processes (``memory_per_worker`` each, e.g. ``"6GB"``), and ``scheduler="tcp://host:8786"``
    uses a running cluster, whose workers read ``osm`` and ``aeds`` from the same paths.

    Stops once the plan is proven within ``mip_rel_gap`` of the best (with a target:
    once the count is proven the fewest), or after ``time_limit_s`` with the honest gap.
    A part whose task fails twice stops the run with an
    :class:`~aedplan.errors.AedplanError`. ``progress`` gets a line every few seconds
    while the parts and groups are worked on ("a part's coverage: 120 of 400 done").

    Examples
    --------
    The embedded Vaduz and Schaan extract in parts of 1.5 km, planned exactly:

    >>> import aedplan
    >>> plan = aedplan.plan_province(aedplan.datasets.default_osm_path(), budget=4,
    ...                              tile_m=1500, mip_rel_gap=0.0)
    >>> plan.report["parts"]["with_demand"] > 1, plan.report["plan"]["status"]
    (True, 'optimal')
    >>> plan.report["plan"]["new_sites"], len(plan.sites)
    (4, 4)

    The fewest new AEDs for a tenth of the streets, proven:

    >>> plan = aedplan.plan_province(aedplan.datasets.default_osm_path(),
    ...                              target_coverage=0.1, tile_m=1500, mip_rel_gap=0.0)
    >>> plan.report["plan"]["coverage"] >= 0.1, plan.report["plan"]["status"]
    (True, 'optimal')
    """
    t0 = time.perf_counter()
    model = resolve(model, minutes=minutes, mode=mode, speed_m_s=speed_m_s)
    path = str(Path(osm).resolve())
    if not Path(path).exists():
        raise InputError("`osm`: file not found: {osm}.", osm=osm)
    goal = _goal(budget, target_coverage)
    aed_path = None if aeds in (None, "none") else str(Path(str(aeds)).resolve())
    if districts is None:
        check_tile(tile_m, halo_m(model.reach_m), "tile_m")  # before any slow step
    timings: dict[str, float] = {}
    with cluster(workers=workers, scheduler=scheduler, memory_per_worker=memory_per_worker,
                 progress=progress) as run:
        info = run.map(_extent_task, [path], what="reading the network")[0]
        partition = (tiles(info["extent"], tile_m) if districts is None
                  else read_districts(districts, info["crs"], osm=path))
        specs = [_PartSpec(path, aed_path, partition, k, model, spacing_m)
                 for k in range(partition.n_parts)]
        t = time.perf_counter()
        end = t0 + time_limit_s
        done = run.map(_part_task, specs, what="a part's coverage", deadline=end)
        _all_parts_in_time(done, time_limit_s)
        parts = [p for p in done if p["points"]]
        timings["coverage"] = time.perf_counter() - t
        t = time.perf_counter()
        groups = _groups(parts)
        before = float(sum(p["before"] for p in parts))
        total = float(sum(p["weight"] for p in parts))
        weight = np.array([g["w"].sum() for g in groups])
        if budget is not None:
            caps = [min(g["A"].shape[1], goal) for g in groups]
            shares = np.floor(goal * weight / max(weight.sum(), 1e-300)).tolist()
        else:
            caps = [g["A"].shape[1] for g in groups]
            need = goal * total - before
            shares = [min(max(need / max(weight.sum(), 1e-300), 1e-9), 1 - 1e-9)] * len(groups)
        mats = [run.scatter(g["A"]) for g in groups]
        ws = [run.scatter(g["w"]) for g in groups]
        found = run.map(_curves_task, mats, ws, caps, shares, what="a group's curve",
                        deadline=end)
        found = [f if f is not None else _bound_only(g["A"], g["w"], cap)
                 for f, g, cap in zip(found, groups, caps, strict=True)]
        curves = [Curves(lower, upper) for _, lower, upper in found]
        timings["curves"] = time.perf_counter() - t

        def solve(asks: list[tuple[int, int]]) -> list[Any]:
            left = end - time.perf_counter()
            return run.map(_solve_task, [mats[c] for c, _ in asks], [ws[c] for c, _ in asks],
                           [b for _, b in asks], [mip_rel_gap] * len(asks),
                           [left] * len(asks), what="a group's exact plan", deadline=end)

        t = time.perf_counter()
        shared: Any
        if budget is not None:
            shared = share_with_proof(
                curves, goal, solve,
                done=lambda lo, up: up - lo <= mip_rel_gap * (before + up) + 1e-9 * total,
                out_of_time=lambda: time.perf_counter() > end, spread=SPREAD,
                slots=run.slots)
        else:
            shared = fewest_with_proof(curves, need, solve, spread=SPREAD, slots=run.slots,
                                       out_of_time=lambda: time.perf_counter() > end)
            if shared is None:
                raise InfeasibleError(
                    "`target_coverage`: {goal:.1%} of the demand cannot be reached; with every "
                    "street node an AED, coverage is {most:.1%}.", goal=goal,
                    most=(before + sum(c.upper[-1] for c in curves)) / max(total, 1e-300))
        timings["share"] = time.perf_counter() - t
    chosen = [_filled(curves[c].choice(b), found[c][0], b, groups[c]["nodes"].size)
              for c, b in enumerate(int(b) for b in shared.split)]
    useful = _useful_sites(curves, shared.split)
    if budget is not None and useful < budget:
        warn("`budget`: only {useful:,} of the {budget:,} new AEDs add coverage; the others "
             "reach no demand the plan does not reach already, so a budget of {useful:,} "
             "covers as much.", useful=useful, budget=budget)
    return _stitch(parts, groups, chosen, shared, partition, info, model,
                   {"budget": budget, "target_coverage": target_coverage,
                    "mip_rel_gap": mip_rel_gap, "workers": workers, "scheduler": scheduler,
                    "tile_m": tile_m if districts is None else None, "spacing_m": spacing_m,
                    "useful_sites": useful, "out_of_time": time.perf_counter() > end},
                   {**timings, "total": time.perf_counter() - t0})


def _filled(choice: Any, greedy: np.ndarray, b: int, n_sites: int) -> np.ndarray:
    """A group's ``b`` sites: its known choice for ``b`` (which may be the choice of a
    smaller budget, whose value is as high: :meth:`~aedplan.optimise.parts.Curves.learn`;
    else greedy's first ``b``), filled up to ``b`` with greedy's picks and then the
    group's other sites, so that the group places its share of the budget."""
    picks = np.asarray(greedy[:b] if choice is None else choice, dtype=np.int64)
    if picks.size >= b:
        return picks[:b]
    rest = np.r_[greedy, np.arange(n_sites)]
    rest = rest[~np.isin(rest, picks)]
    rest = rest[np.sort(np.unique(rest, return_index=True)[1])]  # first mention, in order
    return np.r_[picks, rest[: b - picks.size]]


def _useful_sites(curves: list[Curves], split: np.ndarray) -> int:
    """How many of the split's sites add coverage: per group, the fewest sites its plan's
    value is reached with."""
    return int(sum(np.searchsorted(c.lower[: int(b) + 1], c.lower[int(b)] * (1 - 1e-12))
                   for c, b in zip(curves, split, strict=True)))


def _all_parts_in_time(done: list[Any], time_limit_s: float) -> None:
    """Without every part's coverage there is no plan of the whole: a limit reached
    before is said in one line, and nothing is written."""
    late = sum(d is None for d in done)
    if late:
        raise AedplanError(
            "`time_limit`: {seconds:g} s ran out while the parts' coverage was computed "
            "({done} of {n} parts done); there is no plan yet and nothing was written. Give a "
            "longer time limit or more workers.", seconds=time_limit_s, done=len(done) - late,
            n=len(done))


def _bound_only(A: sp.csr_array, w: np.ndarray, cap: int) -> tuple[np.ndarray, ...]:
    """A group whose curve was not done in time: no sites, and the bound any ``b`` sites
    keep (the ``b`` heaviest columns' demand, at most all of it)."""
    reach = np.sort(np.asarray(w @ A.astype(np.float64)).ravel())[::-1][:cap]
    upper = np.minimum(np.r_[0.0, np.cumsum(reach)], float(w.sum()))
    upper = np.r_[upper, np.full(cap + 1 - upper.size, upper[-1])]
    return np.zeros(0, dtype=np.int64), np.zeros(cap + 1), upper


def _goal(budget: int | None, target_coverage: float | None) -> Any:
    if (budget is None) == (target_coverage is None):
        raise InputError("`budget`/`target_coverage`: give one: a number of new AEDs, or "
                         "a share of the demand to cover (e.g. 0.9).")
    if budget is not None:
        if int(budget) < 0:
            raise InputError("`budget`: must be >= 0, got {budget}.", budget=budget)
        return int(budget)
    assert target_coverage is not None  # one of the two, checked above
    if not 0 < float(target_coverage) <= 1:
        raise InputError("`target_coverage`: a share of the demand in (0, 1], e.g. 0.9; got "
                         "{target}.", target=target_coverage)
    return float(target_coverage)


def _groups(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Parts linked by a shared site (it covers demand in both) merged into groups, each
    with its rows (weights, part of each row) and columns (site node, x, y)."""
    site = np.concatenate([p["sites"] for p in parts]) if parts else np.zeros(0, np.int64)
    owner = np.repeat(np.arange(len(parts)), [p["sites"].size for p in parts])
    order = np.lexsort((owner, site))
    site, owner = site[order], owner[order]
    same = np.flatnonzero(site[1:] == site[:-1])
    first = np.maximum.accumulate(np.where(np.r_[True, site[1:] != site[:-1]],
                                           np.arange(site.size), 0))
    links = list(zip(owner[first[same + 1]].tolist(), owner[same + 1].tolist(), strict=True))
    label = union_groups(len(parts), links)
    groups = []
    for g in range(int(label.max()) + 1 if len(parts) else 0):
        members = np.flatnonzero(label == g)
        nodes, at = np.unique(np.concatenate([parts[k]["sites"] for k in members]),
                              return_index=True)
        xy = np.concatenate([parts[k]["xy"] for k in members])[at]
        osmid = np.concatenate([parts[k]["osmid"] for k in members])[at]
        blocks = [sp.csr_array((parts[k]["A"].data, np.searchsorted(nodes, parts[k]["sites"])[
            parts[k]["A"].indices], parts[k]["A"].indptr), shape=(parts[k]["A"].shape[0],
                                                               nodes.size)) for k in members]
        groups.append({
            "parts": members,
            "A": sp.csr_array(sp.vstack(blocks)) if blocks else sp.csr_array((0, 0)),
            "w": np.concatenate([parts[k]["w"] for k in members]),
            "row_part": np.repeat(members, [parts[k]["w"].size for k in members]),
            "nodes": nodes, "osmid": osmid, "xy": xy,
        })
    return groups


def _stitch(
    parts: list[dict[str, Any]], groups: list[dict[str, Any]], chosen: list[np.ndarray],
    shared: Any, partition: Parts, info: dict[str, Any], model: TimeModel,
    params: dict[str, Any], timings: dict[str, float],
) -> ProvincePlan:
    """The plan stitched back: its sites, coverage per part, and the report."""
    import pandas as pd
    from pyproj import CRS

    from .optimise._values import gather


    n = len(parts)
    index = {p["part"]: i for i, p in enumerate(parts)}
    gained = np.zeros(n)
    rows_of_sites = []
    for g, picks in zip(groups, chosen, strict=True):
        picks = np.asarray(picks, dtype=np.int64)
        hit = np.zeros(g["w"].size, dtype=bool)
        Ac = sp.csc_array(g["A"])
        hit[gather(Ac.indptr, Ac.indices, picks)] = True
        np.add.at(gained, g["row_part"][hit], g["w"][hit])
        rows_of_sites.append(pd.DataFrame({"node": g["nodes"][picks],
                                           "osmid": g["osmid"][picks],
                                           "x": g["xy"][picks, 0], "y": g["xy"][picks, 1]}))
    sites = (pd.concat(rows_of_sites, ignore_index=True) if rows_of_sites
             else pd.DataFrame({"node": [], "osmid": [], "x": [], "y": []}))
    sites["part"] = partition.part_of(sites["x"].to_numpy(), sites["y"].to_numpy())
    weight = np.array([p["weight"] for p in parts])
    before = np.array([p["before"] for p in parts])
    table = pd.DataFrame({
        "part": [p["part"] for p in parts], "name": [partition.name(p["part"]) for p in parts],
        "demand_points": [p["points"] for p in parts],
        "weight": weight, "before": before, "after": before + gained,
        "new_sites": np.bincount(
            np.array([index.get(k, -1) for k in sites["part"]], dtype=np.int64) + 1,
            minlength=n + 1)[1:],
    })
    table["coverage_before"] = table["before"] / table["weight"]
    table["coverage_after"] = table["after"] / table["weight"]
    total, covered_before = float(weight.sum()), float(before.sum())
    covered_after = covered_before + float(gained.sum())
    merged = [g["parts"] for g in groups if g["parts"].size > 1]
    report = {
        "params": {**model.summary(), **{k: params[k] for k in (
            "budget", "target_coverage", "mip_rel_gap", "tile_m", "workers", "scheduler")}},
        "network": {"nodes": info["nodes"], "edges": info["edges"]},
        "extent": list(info["extent"]),
        "parts": {"by": "tiles" if params["tile_m"] else "districts",
                  "count": partition.n_parts, "with_demand": n, "groups": len(groups),
                  "independent": int(sum(g["parts"].size == 1 for g in groups)),
                  "merged": [[int(parts[k]["part"]) for k in m] for m in merged]},
        "demand": {"kind": "network", "spacing_m": params["spacing_m"],
                   "weight": "metres of street each point stands for",
                   "points": int(sum(p["points"] for p in parts)), "total_weight": total,
                   "outside_parts_weight": max(info["length_m"] - total, 0.0)},
        "candidates": {"kind": "street nodes",
                       "within_reach": int(sum(g["nodes"].size for g in groups))},
        "before": {"covered_weight": covered_before,
                   "coverage": covered_before / total if total else 0.0},
        "plan": {"new_sites": len(sites), "covered_weight": covered_after,
                 "coverage": covered_after / total if total else 0.0,
                 **_proof(shared, covered_before, covered_after, params),
                 "useful_sites": params["useful_sites"],
                 "group_budgets": [int(b) for b in shared.split],
                 "solves": shared.solves, "rounds": shared.rounds},
        "by_part": [
            {"part": int(row.part), "name": str(row.name),
             "demand_points": int(row.demand_points), "weight": float(row.weight),
             "coverage_before": float(row.coverage_before),
             "coverage_after": float(row.coverage_after), "new_sites": int(row.new_sites)}
            for row in table.itertuples(index=False)],
        "timings_s": timings,
    }
    return ProvincePlan(report, sites, table, CRS.from_wkt(info["crs"]), partition)


def _proof(shared: Any, before: float, after: float, params: dict[str, Any]) -> dict[str, Any]:
    """What is proven of the plan: with a budget, a bound on the covered weight and the
    gap to it; with a target, a lower bound on the number of sites."""
    stopped = "time_limit" if params["out_of_time"] else "gap_limit"
    if params["budget"] is None:
        gap = (shared.count - shared.lower) / max(shared.count, 1)
        return {"sites_lower_bound": int(shared.lower), "gap": gap,
                "status": "optimal" if shared.count == shared.lower else stopped}
    bound = max(before + shared.upper, after)
    gap = (bound - after) / bound if bound > 0 else 0.0
    return {"bound": bound, "gap": gap, "status": "optimal" if gap <= 1e-9 else (
        "gap_limit" if gap <= params["mip_rel_gap"] else "time_limit")}
