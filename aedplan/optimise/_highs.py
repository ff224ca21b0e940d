"""HiGHS in one place: the model, the deadline, the run, and how its answer is accepted.

Every exact solver builds a :class:`Model` (binary site variables first, then continuous
ones), runs it with :func:`run` before a :class:`Deadline`, warm-started from its greedy
incumbent, and hands the result to :func:`settle`, which keeps HiGHS's solution only when
it is feasible and at least as good as the incumbent, and turns the dual bound into the
proven bound and a status.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..errors import SolverError
from ._values import REL_TOL

_STATUS = {
    "kOptimal": "optimal",
    "kTimeLimit": "time_limit",
    "kInterrupt": "interrupted",
    "kMemoryLimit": "memory_limit",
    "kIterationLimit": "time_limit",
    "kSolutionLimit": "time_limit",
    "kObjectiveBound": "time_limit",
    "kObjectiveTarget": "time_limit",
}


@dataclass(frozen=True)
class Deadline:
    """A wall-clock end for a whole solve."""

    end: float

    @classmethod
    def after(cls, seconds: float, start: float | None = None) -> Deadline:
        return cls((time.perf_counter() if start is None else start) + float(seconds))

    def left(self) -> float:
        """Seconds left (at least 10 ms, so a solver always gets a chance)."""
        return max(self.end - time.perf_counter(), 0.01)

    def share(self, fraction: float) -> Deadline:
        """A deadline ``fraction`` of the way from now to this one."""
        now = time.perf_counter()
        return Deadline(now + fraction * max(self.end - now, 0.0))

    def passed(self) -> bool:
        return time.perf_counter() > self.end


@dataclass(frozen=True)
class Model:
    """``max``/``min cost @ v`` subject to ``row_lower <= M v <= row_upper`` and
    ``lower <= v <= upper``; the first ``n_int`` variables are integer."""

    maximise: bool
    cost: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    n_int: int
    M: sp.csc_array
    row_lower: np.ndarray
    row_upper: np.ndarray


@dataclass(frozen=True)
class Result:
    status: str
    x: np.ndarray | None
    dual_bound: float
    seconds: float


def covering_rows(A: sp.csr_array) -> sp.csc_array:
    """Rows ``y_i - sum_j a_ij x_j`` over the variables ``[x (sites), y (demand)]``."""
    n = A.shape[0]
    return sp.csc_array(sp.hstack([-A.astype(np.float64), sp.eye_array(n, format="csr")]))


def budget_row(n_sites: int, n_other: int) -> sp.csr_array:
    """The row ``sum_j x_j`` over ``[x (n_sites), other (n_other)]``."""
    return sp.csr_array(np.concatenate([np.ones(n_sites), np.zeros(n_other)])[None, :])


def covered_by(B: sp.csr_array, x0: np.ndarray) -> np.ndarray:
    """Coverage variables ``y = min(1, B @ x0)`` that complete a warm start ``x0``."""
    return np.minimum(1.0, np.asarray(B.astype(np.float64) @ x0).ravel())


def _new_highs() -> Any:
    import highspy

    # highspy.Highs() writes its banner to stdout on construction even with output_flag off
    # (HiGHS issue #2749); the core class does not. Fall back to the public class if it moves.
    cls = getattr(getattr(highspy, "_core", None), "_Highs", None) or highspy.Highs
    h = cls()
    h.setOptionValue("output_flag", False)
    return h


def _pass(h: Any, model: Model) -> None:
    import highspy

    inf = highspy.kHighsInf
    ncol, nrow = model.M.shape[1], model.M.shape[0]
    integrality = np.zeros(ncol, dtype=np.int32)
    integrality[: model.n_int] = 1
    status = h.passModel(
        int(ncol),
        int(nrow),
        int(model.M.nnz),
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMaximize if model.maximise else highspy.ObjSense.kMinimize),
        0.0,
        np.ascontiguousarray(model.cost, dtype=np.float64),
        np.ascontiguousarray(model.lower, dtype=np.float64),
        np.ascontiguousarray(model.upper, dtype=np.float64),
        np.where(np.isfinite(model.row_lower), model.row_lower, -inf).astype(np.float64),
        np.where(np.isfinite(model.row_upper), model.row_upper, inf).astype(np.float64),
        model.M.indptr.astype(np.int32),
        model.M.indices.astype(np.int32),
        model.M.data.astype(np.float64),
        integrality,
    )
    if status == highspy.HighsStatus.kError:
        raise SolverError("HiGHS rejected the model (passModel failed); this is a bug in aedplan")


def run(
    model: Model,
    *,
    start: np.ndarray | None,
    deadline: Deadline,
    mip_rel_gap: float,
    threads: int | None,
) -> Result:
    """Solve ``model`` with HiGHS before ``deadline``; ``start`` is a full feasible
    solution to warm-start from."""
    import highspy

    t0 = time.perf_counter()
    h = _new_highs()
    if threads is not None:
        h.setOptionValue("threads", int(threads))
        # HiGHS keeps one global thread pool; it must be rebuilt for a different size.
        h.resetGlobalScheduler(True)
    h.setOptionValue("time_limit", float(deadline.left()))
    h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    h.setOptionValue("presolve", "on")
    _pass(h, model)
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = np.ascontiguousarray(start, dtype=np.float64)
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    model_status = h.getModelStatus()
    name = getattr(model_status, "name", str(model_status))
    if name not in _STATUS:
        raise SolverError(
            f"HiGHS stopped with model status {h.modelStatusToString(model_status)!r}; "
            "the covering model is always feasible, so this is a solver failure. "
            "Try solver='greedy' or a longer time_limit_s."
        )
    info = h.getInfo()
    x = None
    if info.primal_solution_status == 2:  # kSolutionStatusFeasible
        x = np.asarray(h.getSolution().col_value, dtype=np.float64)
        reported = float(info.objective_function_value)
        if start is not None and abs(float(np.dot(model.cost, x)) - reported) > 1e-6 * max(
            1.0, abs(reported)
        ):
            # HiGHS 1.16 hands back the warm start, not its optimum, when presolve alone
            # solves the model: solve again without the start to get the solution itself.
            return run(model, start=None, deadline=deadline, mip_rel_gap=mip_rel_gap,
                       threads=threads)
    return Result(_STATUS[name], x, float(info.mip_dual_bound), time.perf_counter() - t0)


def status_from(status: str, value: float, bound: float, maximise: bool, scale: float) -> str:
    """``"optimal"`` when ``bound`` proves ``value``; else why the solver stopped."""
    gap_abs = bound - value if maximise else value - bound
    proven = math.isfinite(bound) and gap_abs <= max(REL_TOL * abs(bound), 1e-6 * scale)
    if proven:
        return "optimal"
    return "gap_limit" if status == "optimal" else status


@dataclass(frozen=True)
class Settled:
    """What a MILP run leaves: the sites kept, their value, the proven bound, the status."""

    sites: np.ndarray
    value: float
    bound: float
    status: str
    seconds: float


def settle(
    res: Result,
    *,
    incumbent: np.ndarray,
    incumbent_value: float,
    decode: Callable[[np.ndarray], np.ndarray],
    evaluate: Callable[[np.ndarray], float],
    feasible: Callable[[np.ndarray], bool],
    maximise: bool,
    bound_of: Callable[[float], float],
    prior_bound: float,
    scale: float = 1.0,
    ties: bool = True,
) -> Settled:
    """Accept HiGHS's answer.

    Its solution (``decode(x)``: the chosen sites) replaces the incumbent only when it is
    ``feasible`` and better by ``evaluate`` (or as good, with ``ties``); the proven bound is
    the tighter of ``prior_bound`` and ``bound_of(dual bound)``, never beyond the value
    kept.
    """
    sites, value = incumbent, incumbent_value
    if res.x is not None:
        cand = decode(res.x)
        if feasible(cand):
            cand_value = evaluate(cand)
            gain = cand_value - value if maximise else value - cand_value
            if gain > 0 or (ties and gain == 0):
                sites, value = cand, cand_value
    dual = bound_of(res.dual_bound) if math.isfinite(res.dual_bound) else prior_bound
    bound = min(prior_bound, dual) if maximise else max(prior_bound, dual)
    bound = max(bound, value) if maximise else min(bound, value)
    return Settled(
        sites, value, bound, status_from(res.status, value, bound, maximise, scale), res.seconds
    )
