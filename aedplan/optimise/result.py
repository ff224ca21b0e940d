"""The result of every solver: a :class:`Plan`, with its sites ranked by marginal gain."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from .. import _format, _results
from ._greedy import Greedy, lazy_greedy
from ._inputs import Inputs
from ._values import REL_TOL, increments

__all__ = ["Plan"]


@dataclass(frozen=True, eq=False)
class Plan:
    """A set of new AED sites and how good it is.

    Attributes
    ----------
    sites
        Column indices of ``A`` of the chosen sites, ranked by marginal gain (the greedy order of
        the chosen set): the first adds most, the second adds most given the first, ...
        Sites that would add nothing are never listed, so there may be fewer than ``budget``.
    added_weight
        Marginal gain of each ranked site: the covered weight it adds (for ``problem="backup"``,
        the objective it adds: first coverage plus ``backup_weight`` times second coverage).
        It sums to ``objective`` minus the value of the existing AEDs alone.
    covered_weight
        Demand weight within reach of at least one AED, existing or new.
    already_covered_weight
        Demand weight within reach of an existing AED (before any new site).
    total_weight
        Total demand weight, covered or not.
    coverage
        ``covered_weight / total_weight`` (0 when the total weight is 0).
    objective
        The value optimised: ``covered_weight`` for ``"mclp"``; the number of new sites for
        ``"min_sites"``; covered weight plus ``backup_weight`` times double-covered weight for
        ``"backup"``.
    bound
        Proven bound on the best possible ``objective``: an upper bound when maximising
        (``"mclp"``, ``"backup"``), a lower bound on the number of sites for ``"min_sites"``.
    gap
        Relative distance between ``objective`` and ``bound``, ``>= 0``; 0 means proven optimal.
    status
        ``"optimal"`` (proven, gap within tolerance), ``"gap_limit"`` (stopped at the requested
        ``mip_rel_gap``), ``"time_limit"`` (best solution found in time), ``"heuristic"``
        (greedy, not proven), or ``"interrupted"`` / ``"memory_limit"``.
    solver
        ``"exact"`` or ``"greedy"``.
    problem
        ``"mclp"``, ``"min_sites"`` or ``"backup"``.
    budget
        Maximum number of new sites asked for (``None`` for ``"min_sites"``).
    target_coverage
        Share of the total weight asked for (``"min_sites"`` only).
    double_covered_weight
        Demand weight within reach of at least two AEDs (``"backup"`` only).
    solve_s
        Wall-clock seconds per step (``reduce``, ``greedy``, ``bound``, ``milp``, ``rank``,
        ``total``).
    n_reduced_demand, n_reduced_sites
        Size of the instance after the exact structural reductions (merged identical demand
        rows, removed dominated sites).
    model_size
        ``{"input": (rows, sites), "reduced": ..., "milp": ...}``: the sizes at each stage;
        ``"milp"`` is what the MILP solver saw after bound-based fixing (``(0, 0)`` when no
        solver call was needed). A plan for round-the-clock coverage
        (:func:`aedplan.weekly_instance`) has a row per demand point and group of hours,
        and one more for what is covered already: new sites open 24/7 give the demand
        points plus one.
    fixed
        Column indices of ``A`` fixed in the solution (existing AEDs), never in ``sites``.
    """

    sites: np.ndarray
    added_weight: np.ndarray
    covered_weight: float
    already_covered_weight: float
    total_weight: float
    coverage: float
    objective: float
    bound: float
    gap: float
    status: str
    solver: str
    problem: str
    budget: int | None
    target_coverage: float | None = None
    double_covered_weight: float | None = None
    solve_s: dict[str, float] = field(default_factory=dict)
    n_reduced_demand: int = 0
    n_reduced_sites: int = 0
    model_size: dict[str, tuple[int, int]] = field(default_factory=dict)
    fixed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __post_init__(self) -> None:
        # Frozen means frozen: the arrays are read-only copies too.
        for name in ("sites", "added_weight", "fixed"):
            object.__setattr__(self, name, np.array(getattr(self, name), copy=True))
        _results.freeze_arrays(self)

    @property
    def n_sites(self) -> int:
        """Number of new sites chosen."""
        return int(self.sites.size)

    def summary(self) -> dict[str, Any]:
        """Plain-number summary for ``report.json``.

        Returns
        -------
        dict
            JSON-serialisable dict (str, int, float, None and nested dicts only).
        """
        out: dict[str, Any] = {
            "problem": self.problem,
            "solver": self.solver,
            "status": self.status,
            "budget": None if self.budget is None else int(self.budget),
            "new_sites": self.n_sites,
            "covered_weight": float(self.covered_weight),
            "already_covered_weight": float(self.already_covered_weight),
            "total_weight": float(self.total_weight),
            "coverage": float(self.coverage),
            "objective": float(self.objective),
            "bound": float(self.bound),
            "gap": float(self.gap),
            "fixed_sites": int(self.fixed.size),
            "n_reduced_demand": int(self.n_reduced_demand),
            "n_reduced_sites": int(self.n_reduced_sites),
            "model_size": {k: [int(v[0]), int(v[1])] for k, v in self.model_size.items()},
            "solve_s": {k: float(v) for k, v in self.solve_s.items()},
        }
        if self.target_coverage is not None:
            out["target_coverage"] = float(self.target_coverage)
        if self.double_covered_weight is not None:
            out["double_covered_weight"] = float(self.double_covered_weight)
        return out

    def __repr__(self) -> str:
        what = {"mclp": "maximal covering", "min_sites": "fewest sites",
                "backup": "backup covering"}.get(self.problem, self.problem)
        return (
            f"Plan({what}: {self.n_sites:,} new sites, coverage "
            f"{_format.share(self.coverage)}, {self.solver} {self.status}, gap "
            f"{100.0 * self.gap:.2g}%)"
        )

    def _repr_html_(self) -> str:
        rows = {
            "problem": self.problem,
            "new sites": f"{self.n_sites:,}" + (
                f" (budget {self.budget:,})" if self.budget is not None else ""),
            "coverage": f"{_format.share(self.coverage)} of demand weight "
            f"({self.covered_weight:,.0f} of {self.total_weight:,.0f})",
            "already covered": f"{self.already_covered_weight:,.0f}",
            "solver": f"{self.solver}, {self.status}",
            "objective / bound": f"{self.objective:,.6g} / {self.bound:,.6g} "
            f"(gap {100.0 * self.gap:.3g}%)",
            "first sites": ", ".join(map(str, self.sites[:10].tolist()))
            + (" ..." if self.n_sites > 10 else ""),
        }
        return _results.html_table("Plan", rows)


def start_level(inp: Inputs, problem: str) -> np.ndarray:
    if problem == "backup":
        return np.minimum(inp.existing, 2)
    return inp.covered.astype(np.int64)


def make_plan(
    inp: Inputs,
    Ac: sp.csc_array,
    sites: np.ndarray,
    *,
    problem: str,
    solver: str,
    status: str,
    bound: float,
    budget: int | None,
    timings: dict[str, float],
    reduced: tuple[int, int],
    milp_size: tuple[int, int] = (0, 0),
    backup_weight: float | None = None,
    target_coverage: float | None = None,
    ranked: Greedy | None = None,
) -> Plan:
    """Rank ``sites`` by greedy marginal gain on the original instance and build the Plan.

    ``bound`` bounds the value the new sites can add to the existing AEDs (``"mclp"``,
    ``"backup"``), or the number of sites from below (``"min_sites"``). Pass ``ranked`` when
    ``sites`` already come in greedy order from the original instance.
    """
    t0 = time.perf_counter()
    w = inp.weights
    level0 = start_level(inp, problem)
    incr = increments(backup_weight if problem == "backup" else None)
    if ranked is None:
        ranked = lazy_greedy(
            Ac, w, level0, incr, int(sites.size), candidates=np.unique(sites.astype(np.int64))
        )
    total = float(w.sum())
    covered_weight = float(w[ranked.level >= 1].sum())
    cum = np.concatenate([[0.0], np.cumsum(incr[:-1])])  # value of k AEDs in reach
    base = float(w @ cum[np.minimum(level0, incr.size - 1)])
    value = base + float(ranked.gains.sum())
    if problem == "min_sites":
        objective = float(ranked.sites.size)
        bound = float(min(bound, objective))
        gap = (objective - bound) / max(objective, 1.0)
    else:
        objective = covered_weight if problem == "mclp" else value
        bound = max(float(bound) + base, objective)
        gap = (bound - objective) / bound if bound > 0 else 0.0
    solve_s = {k: float(v) for k, v in timings.items()}
    solve_s["rank"] = solve_s.get("rank", 0.0) + time.perf_counter() - t0
    if "_t0" in solve_s:
        solve_s["total"] = time.perf_counter() - solve_s.pop("_t0")
    return Plan(
        sites=inp.caller_sites(ranked.sites),
        added_weight=ranked.gains,
        covered_weight=covered_weight,
        already_covered_weight=float(w[level0 >= 1].sum()),
        total_weight=total,
        coverage=covered_weight / total if total > 0 else 0.0,
        objective=objective,
        bound=bound,
        gap=float(gap) if gap > 1e-12 else 0.0,  # below: sums in another order
        status=status,
        solver=solver,
        problem=problem,
        budget=budget,
        target_coverage=target_coverage,
        double_covered_weight=float(w[ranked.level >= 2].sum()) if problem == "backup" else None,
        solve_s=solve_s,
        n_reduced_demand=int(reduced[0]),
        n_reduced_sites=int(reduced[1]),
        model_size={
            "input": (int(inp.A.shape[0]), int(inp.A.shape[1])),
            "reduced": (int(reduced[0]), int(reduced[1])),
            "milp": (int(milp_size[0]), int(milp_size[1])),
        },
        fixed=inp.fixed,
    )


def greedy_status(gained: float, bound: float) -> str:
    return "optimal" if bound - gained <= REL_TOL * max(bound, 1e-300) else "heuristic"
