"""Where should the next AEDs go? The GeoDataFrame adapter over the array optimiser.

:func:`plan_sites` snaps demand, existing AEDs and candidate sites onto the network,
builds one coverage matrix over the existing AEDs and the candidates, hands it to
:mod:`aedplan.optimise` with the existing AEDs as fixed sites, and returns a
:class:`SitePlan`: the ranked new sites and the demand with its times before and after,
as GeoDataFrames in the network's CRS.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _format, _results, _validate
from ._caller import warn
from .coverage import (
    CoverageStats,
    HourlyCoverage,
    coverage_matrix,
    coverage_stats,
    hourly_coverage,
)
from .errors import InfeasibleError, InputError, Joined, Phrase
from .network import WalkNetwork, check_network
from .optimise import (
    DEFAULT_MIP_GAP,
    Plan,
    Solver,
    coverage_curve,
    solve_mclp,
    solve_min_sites,
    weekly_instance,
)
from .snapping import concat_snapped, snap
from .timemodel import TimeModel, resolve

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from .hours import Availability

__all__ = ["SitePlan", "coverage_today", "plan_sites"]

#: How far nearest-AED times are followed, in budgets: a point out of reach today still
#: gets a time when it is up to three budgets away.
TIME_LIMIT_BUDGETS = 3.0


@dataclass(frozen=True, eq=False)
class SitePlan:
    """A plan on real data: the array-level :class:`~aedplan.optimise.Plan` and the
    GeoDataFrames to map, all in the network's CRS.

    Attributes
    ----------
    plan
        The optimiser's result (``sites`` as positions in ``candidates``, bound, gap,
        status...).
    proposed
        The chosen candidates in rank order, with the candidates' own index labels:
        ``rank``, ``added_weight``, ``candidate`` (the candidate's index label), ``name``,
        ``kind`` and their other columns.
    demand
        The demand points, with the caller's index: ``weight``, ``kind``,
        ``walk_s_before`` (rescue time to the nearest existing AED, ``inf`` beyond the
        search limit), ``covered_before``, ``walk_s_after`` (existing and proposed AEDs)
        and ``covered_after``.
    aeds
        The existing AEDs (empty when there are none).
    before, after
        Coverage without and with the proposed AEDs.
    model
        The time model.
    curve
        Coverage against the number of new AEDs, ``0 .. curve_to`` (greedy: each step
        adds the best next site), or ``None`` when not asked for.
    net
        The walk network the plan was made on.
    hours_before, hours_after
        Coverage by hour of the week without and with the proposed AEDs, when the AEDs'
        availability was given (else ``None``).
    objective
        ``"hours"`` (round-the-clock coverage was maximised) or ``"always"`` (every AED
        counted public and open round the clock).
    new_sites
        Who may use each proposed AED, and when (an :class:`~aedplan.hours.Availability`
        in rank order; with ``hours``, else ``None``): open 24/7, or the host's hours
        with ``new_site_hours="host"``.
    moves
        With ``relocate``: one row per AED moved (``aed``, ``aed_id``, ``aed_name``,
        ``from_x``/``from_y``, ``to_rank`` of its new place among ``proposed``,
        ``to_candidate``, ``to_x``/``to_y``, ``distance_m`` in a straight line,
        ``gained_weight`` and ``gained_share``: the plan's coverage less that of the plan
        with the move undone); else ``None``.
    hours
        Who may use each existing AED, and when, as the plan counted them (an
        :class:`~aedplan.hours.Availability` over its reference week, with its
        ``unknown_hours``), when known; a map of the plan offers an AED as open exactly
        then.
    """

    plan: Plan
    proposed: gpd.GeoDataFrame
    demand: gpd.GeoDataFrame
    aeds: gpd.GeoDataFrame
    before: CoverageStats
    after: CoverageStats
    model: TimeModel
    curve: pd.DataFrame | None = None
    net: WalkNetwork | None = field(default=None, repr=False)
    hours_before: HourlyCoverage | None = None
    hours_after: HourlyCoverage | None = None
    objective: str = "always"
    new_sites: Availability | None = None
    moves: pd.DataFrame | None = None
    floors: dict[str, Any] | None = None
    kept: np.ndarray | None = None
    hours: Availability | None = None

    def _coverage_words(self) -> tuple[str, str]:
        """Coverage before and after as shown: round the clock when the hours are known."""
        always = (f"{_format.share(self.before.coverage)} -> "
                  f"{_format.share(self.after.coverage)}")
        if self.hours_before is None or self.hours_after is None:
            return "coverage", always
        return ("coverage round the clock",
                f"{_format.share(self.hours_before.round_the_clock)} -> "
                f"{_format.share(self.hours_after.round_the_clock)} ({always} if every AED "
                "were open 24/7)")

    def __repr__(self) -> str:
        label, numbers = self._coverage_words()
        return (
            f"SitePlan({len(self.proposed):,} new AEDs: {label} {numbers}, "
            f"{self.plan.solver} {self.plan.status}; {self.model!r})"
        )

    def _repr_html_(self) -> str:
        names = self.proposed["name"].fillna("(no name)").astype(str).tolist()[:10]
        label, numbers = self._coverage_words()
        return _results.html_table(
            "Site plan",
            {
                label: numbers,
                "new AEDs": f"{len(self.proposed):,}",
                "solver": f"{self.plan.solver}, {self.plan.status}, gap "
                f"{100.0 * self.plan.gap:.3g}%",
                "time model": self.model.describe(),
                "first sites": ", ".join(names) + (" ..." if len(self.proposed) > 10 else ""),
            },
        )

    def map_layers(self, *, circles: bool = True) -> Any:
        """The :class:`~aedplan.maplayers.MapLayers` of this plan (``circles``: with the
        rescue circles of existing and proposed AEDs, computed here)."""
        from .layers import from_site_plan

        return from_site_plan(self, circles=circles)

    def explore(self, *, circles: bool = True, **kwargs: Any) -> Any:
        """The plan on an interactive map (a ``folium.Map``), as :func:`aedplan.render_map`
        draws it; ``circles`` adds the rescue circles of existing and proposed AEDs."""
        from .render import render_map

        return render_map(self, circles=circles, **kwargs)


def _geodataframe(frame: Any, name: str) -> None:
    """A GeoDataFrame with a CRS, or an error naming ``name``."""
    if not hasattr(frame, "geometry"):
        raise InputError("`{name}` must be a GeoDataFrame, got {kind}.", name=name,
                         kind=type(frame).__name__)
    _validate.has_crs(frame, name)


def coverage_today(
    net: WalkNetwork,
    demand: Any,
    aeds: Any = None,
    *,
    model: TimeModel | None = None,
    minutes: float | None = None,
    mode: str | None = None,
    speed_m_s: float | None = None,
) -> CoverageStats:
    """Today's coverage as :func:`plan_sites` starts from: demand and AEDs snapped once,
    nearest-AED times followed to three budgets. Pass it to :func:`plan_sites` as
    ``before`` to plan without computing it again.

    Parameters
    ----------
    net
        The street network (:func:`aedplan.load_network`).
    demand
        Demand points (a GeoDataFrame with a CRS); its ``weight`` column weighs each one,
        and without one every point counts once.
    aeds
        Today's AEDs (a GeoDataFrame), or ``None``/empty for none.
    model
        The time model (:class:`aedplan.TimeModel`; default 4 minutes, there and back,
        at 1.4 m/s). ``minutes``, ``mode`` and ``speed_m_s`` are deprecated.

    Examples
    --------
    >>> import aedplan, geopandas as gpd
    >>> street = aedplan.network_from_arrays([0, 100, 200, 300, 400], [0, 0, 0, 0, 0],
    ...                                      [0, 1, 2, 3], [1, 2, 3, 4], crs="EPSG:32632")
    >>> aed = gpd.GeoDataFrame(geometry=gpd.points_from_xy([0], [0]), crs="EPSG:32632")
    >>> demand = aedplan.demand_from_network(street, spacing_m=100)  # at 50, 150, 250, 350 m
    >>> today = aedplan.coverage_today(street, demand, aed)
    >>> today.covered.tolist(), today.coverage  # 2 x 150 m / 1.4 m/s = 214 s <= 240 s
    ([True, True, False, False], 0.5)
    """
    model = resolve(model, minutes=minutes, mode=mode, speed_m_s=speed_m_s)
    check_network(net)
    for name, frame in (("demand", demand), ("aeds", aeds)):
        if frame is not None:
            _geodataframe(frame, name)
    d = snap(net, demand, argument="demand", strict=False)
    has_aeds = aeds is not None and len(aeds) > 0
    a = snap(net, aeds, argument="aeds") if has_aeds else None
    return coverage_stats(net, d, a, weights=_weights_of(demand), model=model,
                          limit_s=TIME_LIMIT_BUDGETS * model.budget_s)


def _weights_of(demand: Any) -> np.ndarray:
    from .coverage import demand_weights

    return demand_weights(demand, None, len(demand))


def plan_sites(
    net: WalkNetwork,
    demand: Any,
    candidates: Any,
    *,
    aeds: Any = None,
    budget: int | None = None,
    target_coverage: float | None = None,
    model: TimeModel | None = None,
    minutes: float | None = None,
    mode: str | None = None,
    speed_m_s: float | None = None,
    solver: Solver = "exact",
    time_limit_s: float = 60.0,
    mip_rel_gap: float = DEFAULT_MIP_GAP,
    curve_to: int | None = None,
    before: CoverageStats | None = None,
    matrix: Any = None,
    hours: Any = None,
    profile: Any = None,
    objective: str = "hours",
    new_site_hours: str = "24/7",
    relocate: int = 0,
    movable: Any = "all",
    districts: Any = None,
    min_district_coverage: float | None = None,
    min_per_community: int | None = None,
) -> SitePlan:
    """Where should the next AEDs go? Maximal covering (``budget``) or the fewest sites
    for a coverage target (``target_coverage``), on a real network.

    Existing ``aeds`` are fixed sites: they cover what they cover and are never proposed
    again (drop candidates at them with :func:`aedplan.candidates.exclude_existing`).

    Parameters
    ----------
    net
        The :class:`~aedplan.network.WalkNetwork`.
    demand
        Demand points (GeoDataFrame, any CRS) with a ``weight`` column (else 1 each).
    candidates
        Candidate sites (GeoDataFrame, any CRS); an ``access_s`` column is honoured.
    aeds
        Existing AEDs (GeoDataFrame), or ``None``/empty to plan from scratch.
    budget, target_coverage
        Exactly one: the number of new AEDs, or the share of demand weight to cover.
    model
        The time model (:class:`~aedplan.timemodel.TimeModel`; default 4 minutes, round
        trip, 1.4 m/s).
    minutes, mode, speed_m_s
        Deprecated: pass ``model=aedplan.TimeModel(...)``.
    solver, time_limit_s, mip_rel_gap
        Passed to :func:`~aedplan.optimise.solve_mclp` /
        :func:`~aedplan.optimise.solve_min_sites`; ``time_limit_s`` counts from this call,
        so the solver gets what building the coverage matrix left (at least a tenth).
        ``mip_rel_gap`` defaults to 0.01% (:data:`aedplan.optimise.DEFAULT_MIP_GAP`); 0
        proves optimality.
    curve_to
        Also compute the coverage-vs-budget curve up to this many new AEDs
        (:func:`~aedplan.optimise.coverage_curve`, greedy).
    before
        Today's coverage of this ``demand`` by these ``aeds`` from :func:`coverage_today`,
        when it is already at hand; computed here otherwise.
    matrix
        The coverage matrix of this ``demand`` (rows) by these ``candidates`` (columns)
        from :func:`~aedplan.coverage.coverage_matrix`, when it is already at hand (as
        when comparing several plans of the same inputs); computed here otherwise.
    hours
        Who may use each existing AED, and when: an :class:`~aedplan.hours.Availability`
        (:func:`~aedplan.hours.availability`). By default it is read from the ``aeds``'
        own ``access``/``public`` and ``opening_hours`` columns, as ``aedplan plan`` reads
        them (so both plan round the clock by default); AEDs without such columns count
        as public and open round the clock.
    profile
        When arrests happen (:func:`~aedplan.hours.arrest_profile`; default ``"default"``).
    objective
        With ``hours``: ``"hours"`` maximises the coverage a patient gets round the clock
        (a point in an hour counts when an AED available then reaches it); ``"always"``
        plans as if every AED were public and open 24/7, for comparison.
    new_site_hours
        ``"24/7"``: a new AED is a public cabinet open round the clock; ``"host"``: it
        keeps the candidate's own ``opening_hours`` (closed where they are missing or
        unreadable, whatever ``hours.unknown_hours`` says of the existing AEDs).
    relocate, movable
        Let the plan move up to ``relocate`` of today's AEDs (``movable``: ``"all"``,
        ``"restricted"``, those the public may not use, or booleans per AED) to candidate
        sites, as well as add ``budget`` new ones; a moved AED is placed as a new one is
        (``new_site_hours``). Exact with a gap (:mod:`aedplan.moves`); the moves are in
        :attr:`SitePlan.moves`.
    districts, min_district_coverage, min_per_community
        Floors per district (``districts``: polygons with a ``name``, a file, or an
        :class:`aedplan.districts.Districts`): every district's covered share reaches
        ``min_district_coverage``, and every district holds at least
        ``min_per_community`` AEDs. A floor no plan can keep is an
        :class:`~aedplan.errors.InfeasibleError`.

    Examples
    --------
    >>> import aedplan, geopandas as gpd
    >>> street = aedplan.network_from_arrays([0, 100, 200, 300, 400], [0, 0, 0, 0, 0],
    ...                                      [0, 1, 2, 3], [1, 2, 3, 4], crs="EPSG:32632")
    >>> def points(xs, ys=None):  # points in the street's CRS (metres)
    ...     return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys or [0] * len(xs)),
    ...                             crs="EPSG:32632")
    >>> demand = aedplan.demand_from_network(street, spacing_m=100)
    >>> sites = aedplan.candidates_from_network(street, spacing_m=None)
    >>> plan = aedplan.plan_sites(street, demand, sites, budget=1)  # no AED yet
    >>> plan.proposed["id"].tolist(), plan.after.coverage  # 200 m is within 150 m of all four
    (['street/2'], 1.0)
    """
    model = resolve(model, minutes=minutes, mode=mode, speed_m_s=speed_m_s)
    check_network(net)
    if (budget is None) == (target_coverage is None):
        raise InputError(
            "give exactly one of `budget` (how many new AEDs) and `target_coverage` (share of "
            "demand to cover); got budget={budget!r}, target_coverage={target!r}.",
            budget=budget, target=target_coverage)
    from .moves import check_options

    extended = check_options(
        relocate=relocate, movable=movable, districts=districts,
        min_district_coverage=min_district_coverage, min_per_community=min_per_community,
        target="target_coverage" if budget is None else None, solver=solver)
    problems = _validate.Problems()
    if budget is not None:
        _validate.whole(budget, "budget", problems)
    else:
        _validate.share(target_coverage, "target_coverage", problems)
    problems.raise_if_any()
    started = time.perf_counter()
    for name, frame in (("demand", demand), ("candidates", candidates)):
        _geodataframe(frame, name)
    if not len(demand):
        raise InputError("`demand` has no rows: there is nothing to cover. Pass the demand "
                         "points of the area (buildings, street length, people).")
    before = _check_before(before, demand, aeds, model) or coverage_today(
        net, demand, aeds, model=model
    )
    c = snap(net, candidates, argument="candidates")
    if hours is None and aeds is not None and len(aeds) and (
            {"access", "public", "opening_hours"} & set(aeds.columns)):
        from .hours import availability

        hours = availability(aeds)  # as `aedplan plan` reads them: the same default
    hours, hours_before, site_hours = _hours_of(net, before, hours, candidates,
                                                profile=profile, new_site_hours=new_site_hours,
                                                model=model)
    objective = _check_objective(objective) if hours is not None else "always"
    options: dict[str, Any] = {"time_limit_s": time_limit_s, "mip_rel_gap": mip_rel_gap}
    if isinstance(time_limit_s, int | float) and time_limit_s > 0:  # else the solver says
        options["time_limit_s"] = max(time_limit_s - (time.perf_counter() - started),
                                      0.1 * time_limit_s)
    n_aeds = 0 if before.aeds is None else len(before.aeds)
    kept, moves, fair = np.ones(n_aeds, dtype=bool), None, None
    floors = _floors(districts, min_district_coverage, min_per_community, before, c, net)
    if extended:
        assert budget is not None  # checked: moves and floors plan a budget
        plan, chosen, kept, moves, curve = _with_moves(
            net, before, c, hours, hours_before, site_hours, objective, budget, relocate,
            movable, floors, model, options)
        fair = moves.floors(floors)
    else:
        A = _candidate_matrix(matrix, net, before, c, model)
        plan, chosen, curve = _fixed_aeds(net, before, (c, A), hours_before, site_hours,
                                          objective, budget, target_coverage, solver,
                                          curve_to if len(candidates) else None, model,
                                          options)
    if not extended:
        _warn_useless(budget, chosen.size, len(candidates))
    if before.aeds is None:
        everyone = c.take(chosen)
    else:
        staying = before.aeds if kept.all() else before.aeds.take(np.flatnonzero(kept))
        everyone = concat_snapped(staying, c.take(chosen))
    after = coverage_stats(net, before.demand, everyone if len(everyone) else None,
                           weights=before.weights, model=model,
                           limit_s=TIME_LIMIT_BUDGETS * model.budget_s)
    hours_after, new_sites = None, None
    if hours_before is not None:
        from .hours import stack

        new_sites = (hours.cabinets(chosen.size, hours.week, hours.unknown_hours)
                     if site_hours is None else site_hours.take(chosen))
        hours_after = hourly_coverage(
            net, before.demand, everyone, stack([hours.take(np.flatnonzero(kept)), new_sites]),
            profile=hours_before.profile, weights=before.weights, model=model,
        )
    return SitePlan(
        plan=plan,
        proposed=_proposed(candidates, chosen, plan, net, new_sites),
        demand=_demand_layer(demand, before, after, net),
        aeds=_aed_layer(aeds, net),
        before=before,
        after=after,
        model=model,
        curve=curve,
        net=net,
        hours_before=hours_before,
        hours_after=hours_after,
        objective=objective,
        new_sites=new_sites,
        moves=(_moves_frame(moves, aeds, candidates, chosen, net, before.weights.sum())
               if relocate else None),
        floors=fair,
        kept=kept,
        hours=hours,
    )


def _fixed_aeds(net: WalkNetwork, before: CoverageStats, c: Any, hours_before: Any,
                site_hours: Any, objective: str, budget: int | None,
                target_coverage: float | None, solver: Solver, curve_to: int | None,
                model: TimeModel, options: dict[str, Any]
                ) -> tuple[Plan, np.ndarray, pd.DataFrame | None]:
    """The plan with today's AEDs where they are: the new sites (candidate positions,
    rank order) and the coverage curve. ``c`` is the snapped candidates and their
    coverage matrix."""
    c, cand_matrix = c
    if objective == "hours" and hours_before is not None:
        A, weights, covered = weekly_instance(
            cand_matrix, before.weights,
            covered_by_set=hours_before.covered, slot_set=hours_before.slot_pattern,
            profile=hours_before.slot_profile,
            site_open=None if site_hours is None else site_hours.open,
        )
        options["covered"], n_fixed = covered, 0
    else:
        n_fixed = 0 if before.aeds is None else len(before.aeds)
        A, weights = cand_matrix, before.weights
        if n_fixed:
            from scipy import sparse

            A = sparse.hstack([coverage_matrix(net, before.demand, before.aeds, model=model),
                               cand_matrix], format="csr")
        options["fixed"] = np.arange(n_fixed)
    plan, curve = _solve(A, weights, budget, target_coverage, solver=solver,
                         curve_to=curve_to, options=options)
    if curve is not None:
        curve["site"] = np.where(curve["site"] >= 0, curve["site"] - n_fixed, -1)
    return plan, np.asarray(plan.sites, dtype=np.int64) - n_fixed, curve


def _candidate_matrix(matrix: Any, net: WalkNetwork, before: CoverageStats, c: Any,
                      model: TimeModel) -> Any:
    """The demand-by-candidates coverage matrix: the one given, checked, or computed."""
    if matrix is None:
        return coverage_matrix(net, before.demand, c, model=model)
    shape = (len(before.demand), len(c))
    if getattr(matrix, "shape", None) != shape:
        raise InputError("`matrix` must be the coverage matrix of `demand` by `candidates`, "
                         "of shape {shape}; got {got}.", shape=shape,
                         got=getattr(matrix, "shape", type(matrix)))
    return matrix


def _with_moves(net: WalkNetwork, before: CoverageStats, c: Any, hours: Any,
                hours_before: Any, site_hours: Any, objective: str, budget: int,
                relocate: int, movable: Any, floors: Any, model: TimeModel,
                options: dict[str, Any]) -> tuple[Any, ...]:
    """The plan that may move today's AEDs and keeps the districts' floors
    (:mod:`aedplan.moves`)."""
    from .moves import movable_aeds, solve_extended

    n_aeds = 0 if before.aeds is None else len(before.aeds)
    mask = movable_aeds(movable, None if hours is None else hours.public, n_aeds)
    weekly = objective == "hours" and hours_before is not None
    ext = solve_extended(
        net, before, c, budget=int(budget), relocate=int(relocate), movable=mask,
        floors=floors, model=model,
        site_open=(None if not weekly else np.ones((len(c), hours.open.shape[1]), dtype=bool)
                   if site_hours is None else site_hours.open),
        aed_open=hours.open if weekly else None,
        profile=hours_before.slot_profile if weekly else None,
        options={k: v for k, v in options.items() if k in ("time_limit_s", "mip_rel_gap")})
    return ext.plan, ext.chosen, ext.kept, ext, None


def _floors(districts: Any, min_coverage: float | None, min_aeds: int | None,
            before: CoverageStats, c: Any, net: WalkNetwork) -> Any:
    """Each demand point's, AED's and candidate's district, with the floors asked for."""
    if min_coverage is None and min_aeds is None:
        return None
    from .districts import Districts
    from .districts import districts as read_districts
    from .moves import Floors

    if not isinstance(districts, Districts):
        districts = read_districts(districts, net.crs)

    def where(points: Any) -> np.ndarray:
        return (np.zeros(0, dtype=np.int64) if points is None
                else districts.part_of(np.asarray(points.x), np.asarray(points.y)))

    return Floors(where(before.demand), where(before.aeds), where(c), min_coverage, min_aeds,
                  districts.names)


def _moves_frame(ext: Any, aeds: Any, candidates: Any, chosen: np.ndarray,
                 net: WalkNetwork, total: float) -> Any:
    """One row per moved AED: where from (its index label, id, name, x, y), where to (the
    new site's rank and candidate label, x, y), how far in a straight line, and the
    weight and share of all demand it gains."""
    import pandas as pd

    a = _aed_layer(aeds, net)
    cand = _in_crs(candidates, net.crs)
    frm, to = ext.move_from, chosen[ext.move_to]
    fx, fy = a.geometry.x.to_numpy()[frm], a.geometry.y.to_numpy()[frm]
    tx, ty = cand.geometry.x.to_numpy()[to], cand.geometry.y.to_numpy()[to]
    return pd.DataFrame({
        "aed": a.index.to_numpy()[frm],
        "aed_id": a["id"].to_numpy()[frm] if "id" in a else a.index.to_numpy()[frm],
        "aed_name": a["name"].to_numpy()[frm] if "name" in a else None,
        "from_x": fx, "from_y": fy,
        "to_rank": ext.move_to + 1, "to_candidate": cand.index.to_numpy()[to],
        "to_x": tx, "to_y": ty, "distance_m": np.hypot(tx - fx, ty - fy),
        "gained_weight": ext.move_gain,
        "gained_share": ext.move_gain / total if total > 0 else 0.0,
    })


def _check_objective(objective: Any) -> str:
    return _validate.one_of(objective, "objective", {
        "hours": "the coverage a patient gets round the clock",
        "always": "every AED counted public and open 24/7",
    })


def _hours_of(
    net: WalkNetwork, before: CoverageStats, hours: Any, candidates: Any, *, profile: Any,
    new_site_hours: str, model: TimeModel,
) -> tuple[Availability | None, HourlyCoverage | None, Availability | None]:
    """The AEDs' availability, today's coverage over the week, and the hours of the
    candidate sites (``None``: new AEDs are open 24/7), when the AEDs' availability is
    given; the AEDs and the sites over the same slots of the week."""
    from .hours import Availability, availability

    _validate.one_of(new_site_hours, "new_site_hours", {
        "24/7": "a public cabinet open round the clock",
        "host": "the candidate's own opening_hours",
    })
    if hours is None:
        return None, None, None
    n_aeds = 0 if before.aeds is None else len(before.aeds)
    if not isinstance(hours, Availability) or len(hours) != n_aeds:
        if isinstance(hours, Availability):
            raise InputError(
                "`hours` must be the Availability of the {n} AEDs "
                "(aedplan.hours.availability(aeds)), got {kind} of {got} AEDs.", n=n_aeds,
                kind=type(hours).__name__, got=len(hours))
        raise InputError(
            "`hours` must be the Availability of the {n} AEDs "
            "(aedplan.hours.availability(aeds)), got {kind}.", n=n_aeds,
            kind=type(hours).__name__)
    sites = None
    if new_site_hours == "host":
        host = candidates.drop(columns=[c for c in ("access", "public") if c in candidates])
        # a host whose hours nobody mapped counts as closed: else the plan would favour the
        # sites it knows least about, each counted open round the clock
        sites = availability(host, week=hours.week, unknown_hours="closed",
                             argument="candidates")
        edges = np.union1d(hours.edges, sites.edges)
        hours, sites = hours.recut(edges), sites.recut(edges)
    hourly = hourly_coverage(net, before.demand, before.aeds, hours, profile=profile,
                             weights=before.weights, model=model)
    return hours, hourly, sites


def _solve(
    A: Any, weights: np.ndarray, budget: int | None, target_coverage: float | None, *,
    solver: Solver, curve_to: int | None, options: dict[str, Any],
) -> tuple[Plan, pd.DataFrame | None]:
    """The plan on a coverage instance, and the greedy coverage-vs-budget curve. When the
    candidate sites limit the plan, the warning or error says how to get more."""
    free = A.shape[1] - len(options.get("fixed", ()))
    if budget is not None and budget > free:
        warn("`budget` is {budget:,} but there are only {free:,} candidate sites, so the "
             "plan has at most {free:,} new AEDs; {more}.", budget=budget, free=free,
             more=Phrase(_MORE_SITES))
        budget = free
    if budget is not None:
        plan = solve_mclp(A, weights, budget, solver=solver, **options)
    else:
        assert target_coverage is not None  # one of the two, checked by the caller
        try:
            plan = solve_min_sites(A, weights, target_coverage, **options)
        except InfeasibleError as exc:
            raise InfeasibleError("{error} {more}", error=Phrase(exc.template, exc.values),
                                  more=Phrase(_MORE_SITES_SENTENCE)) from exc
    curve = None
    if curve_to is not None:
        curve = coverage_curve(A, weights, int(min(curve_to, free)), solver="greedy",
                               **{k: v for k, v in options.items() if k in ("fixed", "covered")})
    return plan, curve


def _warn_useless(budget: int | None, placed: int, candidates: int) -> None:
    """Say so when the plan places fewer new AEDs than ``budget`` because no further
    candidate site adds coverage (fewer candidates than the budget is said before)."""
    if budget is None or placed >= min(budget, candidates):
        return
    if placed:
        warn("`budget` is {budget:,} but only {placed:,} new AEDs add coverage: the plan "
             "places those {placed:,}; a further site would reach no one the others do not "
             "(a budget of {placed:,} covers as much).", budget=budget, placed=placed)
    else:
        warn("`budget` is {budget:,} but no new AED adds coverage: every demand point a "
             "candidate site reaches is covered already; the plan places none.",
             budget=budget)


#: How to get more candidate sites, for the messages of a plan they limit.
_MORE_SITES = ("for more candidate sites use `candidates='nodes'` with a smaller "
               "`node_spacing` (0 takes every street node) or a file of sites")
_MORE_SITES_SENTENCE = ("For more candidate sites use `candidates='nodes'` with a smaller "
                        "`node_spacing` (0 takes every street node) or a file of sites.")



def _check_before(
    before: CoverageStats | None, demand: Any, aeds: Any, model: TimeModel
) -> CoverageStats | None:
    if before is None:
        return None
    n_aeds = 0 if aeds is None else len(aeds)
    problems = []
    if not isinstance(before, CoverageStats):
        raise InputError("`before` must be the CoverageStats of `coverage_today`, got {kind}.",
                         kind=type(before).__name__)
    if before.n_points != len(demand):
        problems.append(Phrase("it has {n:,} demand points, `demand` {given:,}",
                               {"n": before.n_points, "given": len(demand)}))
    if (0 if before.aeds is None else len(before.aeds)) != n_aeds:
        problems.append(Phrase("it counts {n:,} AEDs, `aeds` {given:,}",
                               {"n": 0 if before.aeds is None else len(before.aeds),
                                "given": n_aeds}))
    if before.model != model:
        problems.append(Phrase("it was made with {made!r}, the plan asks for {asked!r}",
                               {"made": before.model, "asked": model}))
    if problems:
        raise InputError(
            "`before` is not today's coverage of this demand by these AEDs: {problems}. Make "
            "it with `aedplan.coverage_today(net, demand, aeds)`.", problems=Joined(problems))
    return before


def _in_crs(frame: Any, crs: Any) -> Any:
    return frame if frame.crs is not None and frame.crs.equals(crs) else frame.to_crs(crs)


def _own_in_crs(frame: Any, crs: Any) -> Any:
    """``frame`` in ``crs``, a new frame (copied only when it already was in ``crs``)."""
    return frame.copy() if frame.crs is not None and frame.crs.equals(crs) else frame.to_crs(
        crs)


def _proposed(candidates: Any, chosen: np.ndarray, plan: Plan, net: WalkNetwork,
              new_sites: Availability | None) -> Any:
    """The chosen sites in rank order. The host site's own hours are ``host_opening_hours``
    and ``host_open_24_7``; with ``new_sites``, the new AED's are ``public``, ``hours_kind``
    and ``open_share``."""
    import geopandas as gpd

    cand = _in_crs(candidates, net.crs)
    proposed = cand.iloc[chosen].copy()
    proposed.insert(0, "rank", np.arange(1, chosen.size + 1))
    proposed.insert(1, "added_weight", np.asarray(plan.added_weight, dtype=float))
    proposed.insert(2, "candidate", cand.index.to_numpy()[chosen])
    for col in ("name", "kind"):
        if col not in proposed.columns:
            proposed[col] = None
    proposed = proposed.rename(columns={"opening_hours": "host_opening_hours",
                                        "open_24_7": "host_open_24_7"})
    if new_sites is not None:
        proposed["public"] = np.asarray(new_sites.public)
        proposed["hours_kind"] = new_sites.kind
        proposed["open_share"] = np.asarray(new_sites.open_share)
    return gpd.GeoDataFrame(proposed, geometry=proposed.geometry.name, crs=net.crs)


def _demand_layer(demand: Any, before: CoverageStats, after: CoverageStats,
                  net: WalkNetwork) -> Any:
    dem = _own_in_crs(demand, net.crs)
    dem["weight"] = before.weights
    if "kind" not in dem.columns:
        dem["kind"] = "points"
    dem["walk_s_before"] = np.asarray(before.time_s)
    dem["covered_before"] = np.asarray(before.covered)
    dem["walk_s_after"] = np.asarray(after.time_s)
    dem["covered_after"] = np.asarray(after.covered)
    return dem


def _aed_layer(aeds: Any, net: WalkNetwork) -> Any:
    import geopandas as gpd

    if aeds is None or len(aeds) == 0:
        return gpd.GeoDataFrame({"id": [], "name": []}, geometry=gpd.GeoSeries([], crs=net.crs),
                                crs=net.crs)
    return _own_in_crs(aeds, net.crs)
