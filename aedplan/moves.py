"""Plans that move today's AEDs or keep a floor in every district, on real data.

The GeoDataFrame side of :mod:`aedplan.optimise.constrained`: one coverage matrix over
today's AEDs and the candidate sites (with the hours of each, when round-the-clock
coverage is the objective), the side rows from the districts, the exact plan, and the
moves it makes: which AED goes where, how far, and what it gains.

A moved AED is placed like a new one: a public cabinet open round the clock, or the
candidate's own hours with ``new_site_hours="host"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from .coverage import coverage_matrix
from .errors import InfeasibleError, InputError, Joined, Phrase
from .optimise import Plan
from .optimise._inputs import check
from .optimise.constrained import Constrained, FloorError, solve_constrained
from .optimise.result import make_plan
from .snapping import Snapped, concat_snapped

__all__ = ["Extended", "Floors", "check_options", "movable_aeds", "moved_layers",
           "solve_extended"]


@dataclass(frozen=True)
class Floors:
    """What every district must have: a covered share, and a number of AEDs (today's
    that stay, moved ones and new ones). ``demand``, ``aeds`` and ``sites`` give the
    district of each demand point, AED of today and candidate site (``-1``: none);
    ``names`` the districts' names, for messages."""

    demand: np.ndarray
    aeds: np.ndarray
    sites: np.ndarray
    min_coverage: float | None = None
    min_aeds: int | None = None
    names: np.ndarray | None = None


@dataclass(frozen=True)
class Extended:
    """The plan (``plan.sites``: columns of today's AEDs then the candidates, as for a
    plan with fixed AEDs), the candidates chosen (positions, rank order), which AEDs of
    today stay, and the moves: per moved AED its position, the chosen candidate it goes
    to (position among ``chosen``) and the weight it gains."""

    plan: Plan
    chosen: np.ndarray
    kept: np.ndarray
    move_from: np.ndarray
    move_to: np.ndarray
    move_gain: np.ndarray
    result: Constrained
    unconstrained: Constrained | None = None

    def floors(self, floors: Floors | None) -> dict[str, Any] | None:
        """The floors kept and their price: the weight the plan covers against the plan
        without floors (same budget and moves), both proven within their gaps."""
        if floors is None or self.unconstrained is None:
            return None
        fair, free = self.result.covered_weight, self.unconstrained.covered_weight
        total = self.result.total_weight
        return {"min_district_coverage": floors.min_coverage,
                "min_per_community": floors.min_aeds,
                "covered_weight": fair, "without_floors_weight": free,
                "price_weight": max(free - fair, 0.0),
                "price_share": max(free - fair, 0.0) / total if total > 0 else 0.0,
                "gap": self.result.gap, "gap_without_floors": self.unconstrained.gap}


def check_options(*, relocate: Any, movable: Any, districts: Any,
                  min_district_coverage: Any, min_per_community: Any,
                  budget: Any = None, target: str | None = None,
                  solver: str | None = "exact") -> bool:
    """Whether a plan moves AEDs or keeps floors (and so is solved by
    :func:`solve_extended`); an :class:`~aedplan.errors.InputError` naming the argument
    for options that cannot go together. ``target`` names the target given instead of
    a budget, if any."""
    from . import _validate

    problems = _validate.Problems()
    _validate.whole(relocate, "relocate", problems)
    problems.raise_if_any()
    floors = [name for name, v in (("min_district_coverage", min_district_coverage),
                                   ("min_per_community", min_per_community)) if v is not None]
    asked = ([f"`relocate={relocate}`"] if relocate else []) + [f"`{f}`" for f in floors]
    if floors and districts is None:
        raise InputError(
            "{floors} needs `districts` (polygons with a name, or 'osm' for the OSM file's "
            "administrative areas)." if len(floors) == 1 else
            "{floors} need `districts` (polygons with a name, or 'osm' for the OSM file's "
            "administrative areas).", floors=_validate.and_list(f"`{f}`" for f in floors))
    if not relocate and not (isinstance(movable, str) and movable == "all"):
        raise InputError("`movable` says which AEDs `relocate` may move; give `relocate` "
                         "(how many), or leave `movable` out.")
    one = len(asked) == 1
    if asked and target is not None:
        raise InputError("{asked} needs a `budget` of new AEDs (0 allowed), not `{target}`."
                         if one else
                         "{asked} need a `budget` of new AEDs (0 allowed), not `{target}`.",
                         asked=_validate.and_list(asked), target=target)
    if asked and solver == "greedy":
        raise InputError("{asked} needs the exact solver; drop `solver='greedy'`." if one else
                         "{asked} need the exact solver; drop `solver='greedy'`.",
                         asked=_validate.and_list(asked))
    return bool(asked)


def movable_aeds(which: Any, public: np.ndarray | None, n: int) -> np.ndarray:
    """Which AEDs may move: ``"all"``, ``"restricted"`` (those the public may not use),
    or booleans per AED."""
    if isinstance(which, str):
        if which == "all":
            return np.ones(n, dtype=bool)
        if which == "restricted":
            if public is None:
                raise InputError("`movable`: 'restricted' needs the AEDs' access (pass "
                                 "`hours`, the AEDs' Availability).")
            return ~np.asarray(public, dtype=bool)
        raise InputError("`movable`: 'all', 'restricted' or booleans per AED, got {which!r}.",
                         which=which)
    mask = np.asarray(which, dtype=bool)
    if mask.shape != (n,):
        raise InputError("`movable`: one boolean per AED ({n:,}), got shape {shape}.", n=n,
                         shape=mask.shape)
    return mask


def solve_extended(
    net: Any, before: Any, sites: Snapped, *, budget: int, relocate: int,
    movable: np.ndarray, floors: Floors | None, model: Any, site_open: np.ndarray | None,
    aed_open: np.ndarray | None, profile: np.ndarray | None, options: dict[str, Any],
) -> Extended:
    """The exact plan over today's AEDs and the ``sites``; with ``aed_open`` and
    ``site_open`` (``(n, n_slots)`` booleans over the slots of the week) and ``profile``
    (the share of arrests in each slot) it maximises round-the-clock coverage."""
    from .optimise import weekly_instance

    aeds = before.aeds
    n_aeds = 0 if aeds is None else len(aeds)
    every = sites if aeds is None else concat_snapped(aeds, sites)
    A = sp.csr_array(coverage_matrix(net, before.demand, every, model=model))
    w = before.weights
    n = A.shape[0]
    covered = None
    if aed_open is not None and site_open is not None:
        opened = np.vstack([aed_open, site_open]).astype(bool)
        A, w, covered = weekly_instance(A, w, covered_by_set=np.zeros((n, 1), dtype=bool),
                                        slot_set=np.zeros(opened.shape[1], dtype=np.int64),
                                        profile=profile, site_open=opened)
    blocks = A.shape[0] // max(n, 1)
    groups = {} if floors is None else {
        "row_group": np.tile(floors.demand, blocks),
        "site_group": np.r_[floors.aeds, floors.sites],
        "min_group_coverage": floors.min_coverage, "min_group_sites": floors.min_aeds}
    try:
        result = solve_constrained(A, w, budget, existing=n_aeds, movable=movable,
                                   moves=relocate, covered=covered, **groups, **options)
    except FloorError as exc:
        raise _floor_words(exc, floors) from None
    free = None if floors is None else solve_constrained(
        A, w, budget, existing=n_aeds, movable=movable, moves=relocate, covered=covered,
        **options)
    plan = _as_plan(A, w, covered, result, budget)
    chosen = np.asarray(plan.sites, dtype=np.int64) - n_aeds
    move_from, move_to, gain = _pair_moves(A, w, covered, result, every, n_aeds, chosen)
    return Extended(plan, chosen, result.kept, move_from, move_to, gain, result, free)


def _floor_words(exc: FloorError, floors: Floors | None) -> InfeasibleError:
    """A floor no plan keeps, said with the districts' names and the plan's arguments."""
    names = [] if floors is None or floors.names is None else [
        str(floors.names[g]) for g in exc.groups]
    if exc.floor == "coverage" and floors is not None:
        said = Joined([Phrase("{name} (at most {best:.1%})", {"name": n, "best": b})
                       for n, b in zip(names, exc.best, strict=True)], sep=", ")
        return InfeasibleError(
            "`min_district_coverage`: {n:,} district(s) cannot reach {floor:.1%} even with an "
            "AED at every candidate site: {districts}; lower the floor or add candidate sites "
            "there.", n=len(names), floor=floors.min_coverage, districts=said)
    if exc.floor == "sites" and floors is not None:
        return InfeasibleError(
            "`min_per_community`: {name} has {n:,} candidate sites, too few to hold {floor} "
            "AEDs with today's; add candidate sites there.", name=names[0],
            n=int(exc.best[0]), floor=floors.min_aeds)
    return InfeasibleError(
        "`budget`: too few new AEDs to keep every district's floor at once "
        "(`min_district_coverage`/`min_per_community`); raise the budget or lower the floor.")


def _as_plan(A: sp.csr_array, w: np.ndarray, covered: Any, result: Constrained,
             budget: int) -> Plan:
    """The constrained plan as a :class:`~aedplan.optimise.Plan` with the AEDs that stay
    fixed: its new sites ranked by marginal gain, its bound and status."""
    inp = check(A, w, covered=covered, fixed=np.flatnonzero(result.kept))
    free = np.searchsorted(inp.sites, result.sites)
    base = float(w[inp.covered].sum())
    return make_plan(inp, sp.csc_array(inp.A), free, problem="mclp", solver="exact",
                     status=result.status, bound=result.bound - base,
                     budget=budget + int(result.moved.size),
                     timings={"milp": result.seconds}, reduced=result.model_size,
                     milp_size=result.model_size)


def _pair_moves(A: sp.csr_array, w: np.ndarray, covered: Any, result: Constrained,
                every: Snapped, n_aeds: int, chosen: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which chosen site each moved AED goes to: the pairing of least total distance
    (``scipy.optimize.linear_sum_assignment``); and what each move gains, the plan's
    covered weight less that of the plan with the move undone."""
    from scipy.optimize import linear_sum_assignment

    moved = result.moved
    if moved.size == 0 or chosen.size == 0:
        return moved[:0], moved[:0], np.zeros(0)
    dx = every.x[moved][:, None] - every.x[n_aeds + chosen][None, :]
    dy = every.y[moved][:, None] - every.y[n_aeds + chosen][None, :]
    rows, cols = linear_sum_assignment(np.hypot(dx, dy))
    Ac = sp.csc_array(A)
    done = np.zeros(A.shape[0], dtype=bool) if covered is None else np.asarray(covered)
    on = np.r_[np.flatnonzero(result.kept), n_aeds + chosen]

    def value(columns: np.ndarray) -> float:
        hit = done.copy()
        hit[np.asarray(Ac[:, columns].sum(axis=1)).ravel() > 0] = True
        return float(w[hit].sum())

    full = value(on)
    gains = np.array([full - value(np.r_[on[on != n_aeds + chosen[j]], moved[i]])
                      for i, j in zip(rows, cols, strict=True)])
    return moved[rows], cols, gains


def moved_layers(frames: dict[str, Any], site_plan: Any) -> dict[str, Any]:
    """With moves: the AED layer with ``moved_to_rank`` (the rank of the proposed site it
    goes to), the proposed layer with ``moved_from`` (the AED's id), and a ``moves``
    layer of straight lines from each AED to its new place, with the gain."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    moves = None if site_plan is None else site_plan.moves
    if moves is None:
        return {}
    aeds, proposed = frames["aeds"].copy(), frames["proposed"].copy()
    to_rank = pd.array([pd.NA] * len(aeds), dtype="Int64")
    to_rank[np.asarray(moves["aed"].map(aeds.index.get_loc), dtype=np.int64)] = (
        moves["to_rank"].to_numpy())
    aeds["moved_to_rank"] = to_rank
    moved_from = np.full(len(proposed), None, dtype=object)
    moved_from[moves["to_rank"].to_numpy() - 1] = moves["aed_id"].astype(str).to_numpy()
    proposed["moved_from"] = moved_from
    lines = shapely.linestrings(np.stack([
        np.column_stack([moves["from_x"], moves["from_y"]]),
        np.column_stack([moves["to_x"], moves["to_y"]])], axis=1))
    layer = gpd.GeoDataFrame(
        moves[["aed_id", "aed_name", "to_rank", "distance_m", "gained_weight",
               "gained_share"]].reset_index(drop=True), geometry=lines, crs=aeds.crs)
    return {"aeds": aeds, "proposed": proposed, "moves": layer}
