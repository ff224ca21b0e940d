"""HiGHS in one place: the model, the deadline, the run, and how its answer is accepted.

Every exact solver builds a :class:`Model` (binary site variables first, then continuous
ones), runs it with :func:`run` before a :class:`Deadline`, warm-started from its greedy
incumbent, and hands the result to :func:`settle`, which keeps HiGHS's solution only when
it is feasible and at least as good as the incumbent, and turns the dual bound into the
proven bound and a status.
"""

from __future__ import annotations

import atexit
import contextlib
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..errors import Phrase, SolverError
from ._values import REL_TOL

_STATUS = {
    "kOptimal": "optimal",
    "kInfeasible": "infeasible",  # only models with side rows (constrained) can be
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


def new_highs() -> Any:
    """A quiet HiGHS instance."""
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


#: Models with more non-zeros than this are solved in a child process that is stopped at
#: the deadline: HiGHS checks neither its time limit nor its callbacks inside MIP presolve
#: and the root LP, where even mid-sized models can stay for minutes (a Wuhan model of
#: 233,063 non-zeros ran 105 s against a 20 s limit). Small ones finish those in
#: milliseconds, so they run here, without the child's start-up cost of about a second.
_CHILD_NNZ = 20_000
#: Seconds a child may run past the deadline before it is stopped (it is asked to end
#: half a second before).
_GRACE = 0.5


def run(
    model: Model,
    *,
    start: np.ndarray | None,
    deadline: Deadline,
    mip_rel_gap: float,
    threads: int | None,
) -> Result:
    """Solve ``model`` with HiGHS before ``deadline``; ``start`` is a full feasible
    solution to warm-start from. The deadline is hard: a large model runs in a child
    process that is stopped on time, keeping the best solution and bound it reported."""
    if model.M.nnz > _CHILD_NNZ and os.name == "posix":  # (Windows: HiGHS's own limits)
        return _solve_in_child(model, deadline, start=start, mip_rel_gap=mip_rel_gap,
                               threads=threads)
    return solve(model, start=start, seconds=deadline.left(), mip_rel_gap=mip_rel_gap,
                 threads=threads)


def solve(
    model: Model,
    *,
    start: np.ndarray | None,
    seconds: float,
    mip_rel_gap: float,
    threads: int | None,
    report: Callable[[tuple[Any, ...]], None] | None = None,
) -> Result:
    """Solve ``model`` in this process, stopping after ``seconds`` as soon as HiGHS lets
    it. ``report`` receives ``("incumbent", value, x)`` for each better solution and
    ``("bound", dual_bound)`` now and then. A Ctrl-C stops HiGHS and is raised after it."""
    import highspy

    t0 = time.perf_counter()
    h = new_highs()
    if threads is not None:
        h.setOptionValue("threads", int(threads))
        # HiGHS keeps one global thread pool; it must be rebuilt for a different size.
        h.resetGlobalScheduler(True)
    h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    h.setOptionValue("presolve", "on")
    _pass(h, model)
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = np.ascontiguousarray(start, dtype=np.float64)
        sol.value_valid = True
        h.setSolution(sol)
    watch = _Watch(t0 + seconds, model.n_int, report)
    h.setCallback(watch, None)
    for kind in watch.kinds():
        h.startCallback(kind)
    h.setOptionValue("time_limit", max(t0 + seconds - time.perf_counter(), 0.01))
    h.run()
    if watch.caught is not None:  # a Ctrl-C or SIGTERM while HiGHS ran
        raise watch.caught
    model_status = h.getModelStatus()
    name = getattr(model_status, "name", str(model_status))
    if name not in _STATUS:
        raise SolverError(
            "HiGHS stopped with model status {status!r}; the covering model is always "
            "feasible, so this is a solver failure. Try solver='greedy' or a longer "
            "time_limit_s.", status=h.modelStatusToString(model_status))
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
            return solve(model, start=None, seconds=max(t0 + seconds - time.perf_counter(),
                                                        0.01),
                         mip_rel_gap=mip_rel_gap, threads=threads, report=report)
        x = x[: model.n_int]
    status = "time_limit" if name == "kInterrupt" else _STATUS[name]  # stopped on time
    return Result(status, x, float(info.mip_dual_bound), time.perf_counter() - t0)


class _Watch:
    """HiGHS's callback: stop at the deadline, pass on incumbents and bounds, and keep a
    Ctrl-C for after the run (an exception inside a callback would end HiGHS in an error
    and lose its solution)."""

    def __init__(self, end: float, n_int: int,
                 report: Callable[[tuple[Any, ...]], None] | None) -> None:
        self.end, self.n_int, self.report = end, n_int, report
        self.caught: BaseException | None = None
        self.said = 0.0

    def kinds(self) -> list[Any]:
        from highspy import cb

        kinds = [cb.HighsCallbackType.kCallbackMipInterrupt,
                 cb.HighsCallbackType.kCallbackSimplexInterrupt,
                 cb.HighsCallbackType.kCallbackIpmInterrupt]
        if self.report is not None:
            kinds.append(cb.HighsCallbackType.kCallbackMipImprovingSolution)
        return kinds

    def __call__(self, kind: int, message: str, out: Any, into: Any, user_data: Any) -> None:
        try:
            now = time.perf_counter()
            if self.report is not None:
                self._report(int(kind), out, now)
            if into is not None and now >= self.end:
                into.user_interrupt = True
        except BaseException as exc:  # kept, and raised after the run
            self.caught = self.caught or exc
            if into is not None:
                into.user_interrupt = True

    def _report(self, kind: int, out: Any, now: float) -> None:
        from highspy import cb

        assert self.report is not None
        if kind == int(cb.HighsCallbackType.kCallbackMipImprovingSolution):
            x = np.asarray(out.mip_solution, dtype=np.float64)[: self.n_int]
            self.report(("incumbent", float(out.objective_function_value), x))
        elif kind == int(cb.HighsCallbackType.kCallbackMipInterrupt) and now - self.said > 0.25:
            self.said = now
            self.report(("bound", float(out.mip_dual_bound)))


@dataclass
class _Child:
    """The HiGHS process: kept for the solves that follow, so that each does not pay for
    starting Python and importing HiGHS again; stopped (and started anew by the next
    solve) when a solve runs past its deadline or is interrupted."""

    proc: Any
    tasks: Any  # Connection: models to solve
    messages: Any  # Connection: incumbents, bounds, results
    errors: Any  # the child's stderr, for when it dies


_CHILD: _Child | None = None
#: Held while the kept process solves; a solve started meanwhile (another thread) gets a
#: process of its own, stopped after it.
_CHILD_LOCK = threading.Lock()


def _start_child() -> _Child:
    """A new HiGHS process."""
    import subprocess
    import sys
    import tempfile
    from multiprocessing.connection import Connection

    task_r, task_w = os.pipe()
    msg_r, msg_w = os.pipe()
    errors = tempfile.TemporaryFile()  # noqa: SIM115  (closed by _stop)
    # the child imports this very aedplan, wherever it was imported from
    here = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [here, *filter(None, [os.environ.get("PYTHONPATH")])])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "aedplan.optimise._child", str(task_r), str(msg_w)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors, env=env,
        pass_fds=(task_r, msg_w), start_new_session=True,  # a Ctrl-C reaches this process only
    )
    os.close(task_r)
    os.close(msg_w)
    return _Child(proc, Connection(task_w, readable=False), Connection(msg_r, writable=False),
                  errors)


def _child() -> _Child:
    """The kept HiGHS process, started when there is none."""
    global _CHILD
    if _CHILD is None or _CHILD.proc.poll() is not None:
        _stop_child()
        _CHILD = _start_child()
    return _CHILD


def _stop(child: _Child) -> None:
    if child.proc.poll() is None:
        child.proc.kill()
    child.proc.wait()
    child.tasks.close()
    child.messages.close()
    child.errors.close()


def _stop_child() -> None:
    """Stop the kept HiGHS process (the next solve starts a new one)."""
    global _CHILD
    if _CHILD is not None:
        child, _CHILD = _CHILD, None
        _stop(child)


atexit.register(_stop_child)  # the kept process ends with this one, its files closed


def _solve_in_child(
    model: Model, deadline: Deadline, *, start: np.ndarray | None, mip_rel_gap: float,
    threads: int | None,
) -> Result:
    """:func:`solve` in the HiGHS process (``python -m aedplan.optimise._child``), which
    is stopped at ``deadline`` plus a grace; then the last incumbent and bound it
    reported stand. The process is kept for the next solve."""
    if not _CHILD_LOCK.acquire(blocking=False):  # another thread solves: a process of its own
        own = _start_child()
        try:
            return _solve_with(own, model, deadline, start, mip_rel_gap, threads)
        finally:
            _stop(own)
    try:
        return _solve_with(_child(), model, deadline, start, mip_rel_gap, threads)
    finally:
        _CHILD_LOCK.release()


def _solve_with(
    child: _Child, model: Model, deadline: Deadline, start: np.ndarray | None,
    mip_rel_gap: float, threads: int | None,
) -> Result:
    t0 = time.perf_counter()
    latest: dict[str, Any] = {"x": None, "bound": math.inf if model.maximise else -math.inf}
    task = {"model": model, "start": start, "seconds": deadline.left() - _GRACE,
            "mip_rel_gap": mip_rel_gap, "threads": threads}
    result = None
    try:
        with contextlib.suppress(BrokenPipeError, OSError):  # a child already gone: below
            child.tasks.send(task)
        result = _listen(child.messages, deadline.end + _GRACE, latest)
    finally:
        if result is None:  # past the deadline, interrupted, or the child died
            alive = child.proc.poll() is None
            child.errors.seek(0)
            said = child.errors.read().decode(errors="replace").strip().splitlines()
            code = child.proc.returncode
            if child is _CHILD:
                _stop_child()
            else:
                _stop(child)
    if result is not None:
        return result
    if not alive:  # it ended by itself, without an answer: it failed
        raise SolverError(
            "the HiGHS process ended without an answer ({why}); try solver='greedy', a longer "
            "time_limit_s or a smaller problem.",
            why=said[-1] if said else Phrase("exit code {code}", {"code": code}))
    return Result("time_limit", latest["x"], latest["bound"], time.perf_counter() - t0)


def _listen(conn: Any, end: float, latest: dict[str, Any]) -> Result | None:
    """Messages from the child until its result, its end or ``end``."""
    while True:
        left = end - time.perf_counter()
        try:
            if left <= 0 or not conn.poll(left):
                return None
            message = conn.recv()
        except (EOFError, OSError):
            return None
        if message[0] == "incumbent":
            latest["x"] = message[2]
        elif message[0] == "bound":
            latest["bound"] = message[1]
        else:
            return message[1]


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
