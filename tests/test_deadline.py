"""`time_limit_s` is a hard deadline: a large model is solved in a child process that is
stopped on time, keeping the best plan and bound found; Ctrl-C stops the solve at once.
Instances here are generated (random points, not real data)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.spatial import cKDTree

from aedplan.optimise import _highs, solve_backup, solve_mclp, solve_min_sites

from .conftest import data_path
from .test_optimise import SWAP_TRAP_A, SWAP_TRAP_W


def clustered(n_demand: int, n_sites: int, per_demand: float, seed: int):
    """Demand in 200 clusters plus a uniform third, sites uniform; each demand point
    covered by the sites within the radius that gives ``per_demand`` on average."""
    rng = np.random.default_rng(seed)
    centres = rng.random((200, 2))
    demand = np.clip(centres[rng.integers(0, 200, n_demand)]
                     + rng.normal(0, 0.03, (n_demand, 2)), 0, 1)
    demand[: n_demand // 3] = rng.random((n_demand // 3, 2))
    sites = rng.random((n_sites, 2))
    near = cKDTree(sites).query_ball_point(demand, np.sqrt(per_demand / (n_sites * np.pi)))
    rows = np.repeat(np.arange(n_demand), [len(s) for s in near])
    cols = np.concatenate([np.asarray(s, dtype=np.int64) for s in near])
    A = sp.csr_array((np.ones(rows.size, dtype=bool), (rows, cols)), shape=(n_demand, n_sites))
    return A, rng.integers(1, 100, n_demand).astype(float)


@pytest.fixture
def in_a_child(monkeypatch):
    """Every HiGHS model solved in the child process, however small; the models sent."""
    sent = []
    real = _highs._solve_in_child

    def counted(model, *args, **kwargs):
        sent.append(model.M.shape)
        return real(model, *args, **kwargs)

    monkeypatch.setattr(_highs, "_CHILD_NNZ", -1)
    monkeypatch.setattr(_highs, "_solve_in_child", counted)
    return sent


def test_the_child_solves_what_only_the_milp_can(in_a_child):
    plan = solve_mclp(SWAP_TRAP_A, SWAP_TRAP_W, 2)
    assert sorted(plan.sites.tolist()) == [1, 3]
    assert plan.covered_weight == 22.0 and plan.status == "optimal"
    assert len(in_a_child) == 1


def test_one_highs_process_serves_solve_after_solve_and_a_late_one_is_replaced(in_a_child):
    """The HiGHS process is kept between solves (starting one costs about half a second,
    which part-by-part solves would pay hundreds of times); one stopped at its deadline
    is replaced by a fresh one for the next solve."""
    solve_mclp(SWAP_TRAP_A, SWAP_TRAP_W, 2)
    first = _highs._CHILD.proc.pid
    plan = solve_mclp(SWAP_TRAP_A, SWAP_TRAP_W, 2)
    assert plan.status == "optimal" and _highs._CHILD.proc.pid == first
    assert len(in_a_child) == 2
    _highs._stop_child()  # as a solve past its deadline does
    assert _highs._CHILD is None
    plan = solve_mclp(SWAP_TRAP_A, SWAP_TRAP_W, 2)
    assert plan.status == "optimal" and _highs._CHILD.proc.pid != first


def test_threads_solving_at_once_each_get_their_own_answer(in_a_child):
    """The kept process serves one solve at a time; a solve started meanwhile in another
    thread gets a process of its own, so no answer goes to the wrong caller."""
    from concurrent.futures import ThreadPoolExecutor

    budgets = [1, 2, 3, 2, 1, 3]
    with ThreadPoolExecutor(3) as pool:
        plans = list(pool.map(lambda p: solve_mclp(SWAP_TRAP_A, SWAP_TRAP_W, p), budgets))
    alone = {p: solve_mclp(SWAP_TRAP_A, SWAP_TRAP_W, p).covered_weight for p in set(budgets)}
    assert [plan.covered_weight for plan in plans] == [alone[p] for p in budgets]
    assert all(plan.status == "optimal" for plan in plans)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_child_gives_the_same_plans_as_this_process(in_a_child, monkeypatch, seed):
    A, w = clustered(3_000, 300, 6.0, seed)
    solves = {
        "mclp": lambda: solve_mclp(A, w, 25),
        "min_sites": lambda: solve_min_sites(A, w, 0.6),
        "backup": lambda: solve_backup(A, w, 10, fixed=[0, 1, 2]),
    }
    monkeypatch.setattr(_highs, "_CHILD_NNZ", 10**12)
    here = {name: solve() for name, solve in solves.items()}
    assert not in_a_child
    monkeypatch.setattr(_highs, "_CHILD_NNZ", -1)
    for name, solve in solves.items():
        there = solve()
        assert there.status == here[name].status == "optimal", name
        assert there.objective == pytest.approx(here[name].objective, rel=1e-9), name
    assert in_a_child  # HiGHS was asked, in the child (the others may not need it)


def test_a_hard_deadline_keeps_the_best_plan_found(in_a_child, monkeypatch):
    """The child told to run past the deadline is stopped at it: the plan is the best it
    reported, or the greedy one, with an honest bound; and the child is gone when the
    solve returns (no HiGHS left solving, or kept for the next solve)."""
    monkeypatch.setattr(_highs, "_GRACE", -1.0)  # the child is told 1 s more than it gets
    _highs._stop_child()  # a child kept from an earlier test would not be this one
    A, w = clustered(20_000, 6_000, 10.0, 3)
    greedy = solve_mclp(A, w, 100, solver="greedy")
    plan = solve_mclp(A, w, 100, time_limit_s=3.0)
    assert plan.status == "time_limit"
    assert len(plan.sites) <= 100
    assert plan.covered_weight >= greedy.covered_weight - 1e-9
    assert plan.bound >= plan.covered_weight and plan.gap > 0
    assert _highs._CHILD is None
    if os.path.exists("/proc/self/stat"):
        assert _child_of(os.getpid()) is None


def _child_of(pid: int) -> int | None:
    """The pid of the HiGHS child process of ``pid``, if it runs."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes()
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid and b"aedplan.optimise._child" in cmd:
            return int(entry.name)
    return None


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs Linux /proc")
def test_ctrl_c_during_the_solve(tmp_path):
    """A real `aedplan plan`, interrupted while HiGHS solves (its child process runs):
    exit 130, one line, nothing written, and the child gone too."""
    out = tmp_path / "out"
    code = ("import sys; from aedplan.optimise import _highs; _highs._CHILD_NNZ = -1; "
            "from aedplan.cli import main; main(sys.argv[1:], prog_name='aedplan')")
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "plan", "--osm",
         str(data_path("osm", "vaduz-schaan-2024-03-03.osm.pbf")), "--candidates", "nodes",
         "--budget", "40", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    child = None
    end = time.monotonic() + 300
    while child is None and proc.poll() is None and time.monotonic() < end:
        child = _child_of(proc.pid)
        time.sleep(0.02)
    assert child is not None, "the solve never started"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == "aedplan: interrupted: nothing written"
    assert "Traceback" not in err
    assert not out.exists()
    assert not Path(f"/proc/{child}").exists() or b"zombie" in Path(
        f"/proc/{child}/status").read_bytes().lower()


def test_the_callback_keeps_a_ctrl_c_for_after_the_run():
    """An exception inside a HiGHS callback would end the solve in an error and lose its
    solution: the callback stops HiGHS instead and the Ctrl-C is raised after the run."""
    from types import SimpleNamespace

    from highspy import cb

    def pressed(message):
        raise KeyboardInterrupt

    watch = _highs._Watch(end=time.perf_counter() + 60, n_int=2, report=pressed)
    into = SimpleNamespace(user_interrupt=False)
    out = SimpleNamespace(mip_dual_bound=3.0, objective_function_value=1.0,
                          mip_solution=[1.0, 0.0, 1.0])
    watch(int(cb.HighsCallbackType.kCallbackMipInterrupt), "", out, into, None)
    assert into.user_interrupt and isinstance(watch.caught, KeyboardInterrupt)
    # and the deadline alone stops it too
    watch = _highs._Watch(end=time.perf_counter() - 1, n_int=2, report=None)
    into = SimpleNamespace(user_interrupt=False)
    watch(int(cb.HighsCallbackType.kCallbackSimplexInterrupt), "", out, into, None)
    assert into.user_interrupt and watch.caught is None


def test_mid_sized_models_are_solved_where_the_deadline_holds(monkeypatch):
    """HiGHS checks no clock in presolve and the root LP: a model of 233,063 non-zeros
    once ran 105 s against a 20 s limit in this process. A model of 40,000 non-zeros goes
    to the child, which is stopped on time."""
    sent = []

    def child(model, *args, **kwargs):
        sent.append(model.M.nnz)
        raise RuntimeError("the child was asked")

    monkeypatch.setattr(_highs, "_solve_in_child", child)
    n = 200
    model = _highs.Model(maximise=True, cost=np.ones(n), lower=np.zeros(n), upper=np.ones(n),
                         n_int=n, M=sp.csc_array(np.ones((n, n))), row_lower=np.zeros(n),
                         row_upper=np.full(n, 10.0))
    if os.name != "posix":
        pytest.skip("the child process runs on POSIX only")
    with pytest.raises(RuntimeError, match="the child was asked"):
        _highs.run(model, start=None, deadline=_highs.Deadline.after(30.0), mip_rel_gap=0.0,
                   threads=None)
    assert sent == [40_000]
