"""Tests for aedplan.optimise: hand-checked instances, brute-force properties, spopt agreement."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aedplan.errors import AedplanWarning, InfeasibleError, InputError, SolverError
from aedplan.optimise import (
    Plan,
    _greedy,
    _highs,
    _lagrange,
    _reduce,
    _values,
    coverage_curve,
    greedy_mclp,
    mclp,
    min_sites,
    solve_backup,
    solve_mclp,
    solve_min_sites,
)

# --------------------------------------------------------------------------------------------
# Brute force (vectorised over all subsets; m <= 12 sites)
# --------------------------------------------------------------------------------------------


def _subsets(m: int) -> np.ndarray:
    return ((np.arange(2**m)[:, None] >> np.arange(m)) & 1).astype(bool)


def _counts(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sizes of all subsets and how many of their sites cover every demand point."""
    S = _subsets(A.shape[1])
    return S.sum(axis=1), S.astype(np.int64) @ A.T.astype(np.int64)


def brute_mclp(A, w, p, covered=None):
    covered = np.zeros(A.shape[0], bool) if covered is None else covered
    size, k = _counts(A)
    values = ((k > 0) | covered) @ w
    return float(values[size <= p].max())


def brute_min_sites(A, w, target, covered=None):
    covered = np.zeros(A.shape[0], bool) if covered is None else covered
    size, k = _counts(A)
    values = ((k > 0) | covered) @ w
    ok = values >= target * w.sum() - 1e-9 * w.sum()
    return int(size[ok].min())


def brute_backup(A, w, p, existing, beta):
    size, k = _counts(A)
    k = k + existing
    values = (np.minimum(k, 1) + beta * np.clip(k - 1, 0, 1)) @ w
    return float(values[size <= p].max())


# --------------------------------------------------------------------------------------------
# Hand instances
# --------------------------------------------------------------------------------------------
# A line of 4 demand points (weights 1, 2, 3, 4); site j covers points j and j + 1.
LINE_A = np.array(
    [
        [1, 0, 0, 0],
        [1, 1, 0, 0],
        [0, 1, 1, 0],
        [0, 0, 1, 1],
    ],
    dtype=bool,
)
LINE_W = np.array([1.0, 2.0, 3.0, 4.0])

# The greedy trap: site 0 covers the four middle points, sites 1 and 2 each cover two of them
# plus one outer point. Greedy takes site 0 first and reaches 5; sites 1 + 2 cover all 6.
TRAP_A = np.array(
    [
        [0, 1, 0],  # e
        [1, 1, 0],  # a
        [1, 1, 0],  # b
        [1, 0, 1],  # c
        [1, 0, 1],  # d
        [0, 0, 1],  # f
    ],
    dtype=bool,
)
TRAP_W = np.ones(6)


def test_line_exact_sites_and_ranking():
    plan = solve_mclp(sp.csr_array(LINE_A), LINE_W, 2)
    # Best pair: site 2 (points 2, 3: 3 + 4) then site 0 (points 0, 1: 1 + 2).
    assert plan.sites.tolist() == [2, 0]
    assert plan.added_weight.tolist() == [7.0, 3.0]
    assert plan.covered_weight == 10.0
    assert plan.coverage == 1.0
    assert plan.status == "optimal"
    assert plan.gap == 0.0
    assert plan.bound == pytest.approx(10.0)
    assert plan.problem == "mclp" and plan.solver == "exact" and plan.budget == 2


def test_line_one_site():
    plan = solve_mclp(LINE_A, LINE_W, 1)
    assert plan.sites.tolist() == [2]
    assert plan.covered_weight == 7.0


def test_greedy_trap_exact_beats_greedy():
    exact = solve_mclp(TRAP_A, TRAP_W, 2)
    greedy = greedy_mclp(TRAP_A, TRAP_W, 2)
    assert sorted(exact.sites.tolist()) == [1, 2]
    assert exact.covered_weight == 6.0
    assert exact.added_weight.tolist() == [3.0, 3.0]
    assert exact.status == "optimal"
    assert greedy.sites.tolist()[0] == 0
    assert greedy.covered_weight == 5.0
    assert greedy.status == "heuristic"
    assert greedy.bound >= 6.0  # a valid bound on the optimum
    assert greedy.gap > 0


def test_swap_escapes_the_greedy_trap():
    A = sp.csr_array(TRAP_A)
    Af = sp.csr_array(A.astype(float))
    AfT = sp.csr_array(Af.T)
    Ac = sp.csc_array(A)
    sites, value = _greedy.swap_improve(
        Ac, Af, AfT, TRAP_W, np.array([0, 1]), 5.0, deadline=np.inf, max_swaps=5
    )
    assert sorted(sites.tolist()) == [1, 2] and value == 6.0


# A trap no one-in, one-out swap escapes, worked out by hand. Five demand points with
# weights 6, 3, 8, 1, 5 and four sites (no site's points are a subset of another's):
#   site 0 covers points 0 and 2     (6 + 8 = 14)
#   site 1 covers points 1 and 2     (3 + 8 = 11)
#   site 2 covers points 3 and 4     (1 + 5 = 6)
#   site 3 covers points 0 and 4     (6 + 5 = 11)
# With two sites the optimum is {1, 3}: 3 + 8 + 6 + 5 = 22. The greedy takes site 0 (14),
# then site 2 (+6; site 1 adds 3, site 3 adds 5): 20, every choice strict. From {0, 2}
# every swap is worse: {1, 2} 17, {3, 2} 12, {0, 1} 17, {0, 3} 19. Only the MILP finds 22.
SWAP_TRAP_A = np.array(
    [[1, 0, 0, 1], [0, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 1, 1]], dtype=bool
)
SWAP_TRAP_W = np.array([6.0, 3.0, 8.0, 1.0, 5.0])


def test_a_trap_only_the_milp_escapes():
    greedy = greedy_mclp(SWAP_TRAP_A, SWAP_TRAP_W, 2)
    assert greedy.sites.tolist() == [0, 2]
    assert greedy.covered_weight == 20.0 and greedy.status == "heuristic"
    A = sp.csr_array(SWAP_TRAP_A)
    Af = sp.csr_array(A.astype(float))
    sites, value = _greedy.swap_improve(
        sp.csc_array(A), Af, sp.csr_array(Af.T), SWAP_TRAP_W, greedy.sites.copy(), 20.0,
        deadline=np.inf, max_swaps=10,
    )
    assert sorted(sites.tolist()) == [0, 2] and value == 20.0  # a local optimum of the swaps
    plan = solve_mclp(SWAP_TRAP_A, SWAP_TRAP_W, 2)
    assert sorted(plan.sites.tolist()) == [1, 3]
    assert plan.covered_weight == 22.0 and plan.status == "optimal" and plan.gap == 0.0
    assert plan.model_size["milp"] != (0, 0)  # HiGHS was asked


def test_a_solver_that_ignores_highs_stays_in_the_trap(monkeypatch):
    def unused(res, **kwargs):  # HiGHS's answer thrown away: the incumbent stays
        return real_settle(dataclasses.replace(res, x=None), **kwargs)

    real_settle = _highs.settle
    monkeypatch.setattr(_highs, "settle", unused)
    monkeypatch.setattr(mclp, "CUTS", False)  # the root LP's rounding would escape too
    plan = solve_mclp(SWAP_TRAP_A, SWAP_TRAP_W, 2)
    assert plan.covered_weight == 20.0  # so the test above fails without HiGHS
    assert plan.status != "optimal" and plan.bound == pytest.approx(22.0)


def test_greedy_trap_greedy_solver_reports_bound():
    plan = solve_mclp(TRAP_A, TRAP_W, 2, solver="greedy")
    assert plan.solver == "greedy"
    assert plan.covered_weight == 5.0
    assert 6.0 <= plan.bound <= 8.0
    assert plan.gap == pytest.approx((plan.bound - 5.0) / plan.bound)


def test_existing_coverage_counts_and_is_not_paid_again():
    covered = np.array([False, False, True, True])  # points 2 and 3 already covered
    plan = solve_mclp(LINE_A, LINE_W, 1, covered=covered)
    assert plan.already_covered_weight == 7.0
    assert plan.sites.tolist() == [0]  # covers points 0 and 1, the only open ones
    assert plan.added_weight.tolist() == [3.0]
    assert plan.covered_weight == 10.0


def test_budget_zero_and_sites_that_add_nothing_are_left_out():
    assert solve_mclp(LINE_A, LINE_W, 0).sites.size == 0
    plan = solve_mclp(LINE_A, LINE_W, 4)  # 2 sites already cover everything
    assert sorted(plan.sites.tolist()) == [0, 2]
    assert plan.status == "optimal" and plan.covered_weight == 10.0


def test_uncoverable_demand_stays_out_of_coverage():
    A = np.array([[1, 0], [0, 1], [0, 0]], dtype=bool)
    plan = solve_mclp(A, np.array([1.0, 1.0, 5.0]), 2)
    assert plan.covered_weight == 2.0
    assert plan.coverage == pytest.approx(2 / 7)
    assert plan.bound == pytest.approx(2.0)


def test_min_sites_hand():
    plan = solve_min_sites(TRAP_A, TRAP_W, 1.0)
    assert sorted(plan.sites.tolist()) == [1, 2]
    assert plan.objective == 2 and plan.bound == 2 and plan.status == "optimal"
    assert plan.problem == "min_sites" and plan.budget is None
    assert plan.target_coverage == 1.0
    one = solve_min_sites(TRAP_A, TRAP_W, 4 / 6)
    assert one.sites.tolist() == [0]


def test_min_sites_target_already_met_needs_no_site():
    plan = solve_min_sites(LINE_A, LINE_W, 0.5, covered=np.array([0, 0, 1, 1], dtype=bool))
    assert plan.sites.size == 0 and plan.status == "optimal"


def test_min_sites_infeasible_explains_with_numbers():
    A = np.array([[1, 0], [0, 1], [0, 0]], dtype=bool)
    with pytest.raises(
        InfeasibleError,
        match=r"target coverage 0\.95 is not reachable: with every one of the 2 candidate sites, "
        r"40\.0% of demand weight is within reach\. Lower the target to at most 0\.400",
    ):
        solve_min_sites(A, np.array([1.0, 1.0, 3.0]), 0.95)


def test_min_sites_with_nothing_in_reach_says_so():
    with pytest.raises(InfeasibleError, match=r"0\.0% of demand weight.*Add candidate sites"):
        solve_min_sites(np.zeros((2, 2), dtype=bool), np.ones(2), 0.5)


def test_backup_hand():
    # Demand 0 (weight 1) is covered by sites 0 and 1, demand 1 (weight 1) by site 2 only.
    A = np.array([[1, 1, 0], [0, 0, 1]], dtype=bool)
    w = np.array([1.0, 1.0])
    two = solve_backup(A, w, 2, backup_weight=0.5)
    assert sorted(two.sites.tolist()) == [0, 2]  # 1 + 1 beats 1 + 0.5
    assert two.objective == 2.0 and two.double_covered_weight == 0.0
    three = solve_backup(A, w, 3, backup_weight=0.5)
    assert three.objective == 2.5 and three.double_covered_weight == 1.0
    # With an existing AED at demand 1, doubling demand 0 is worth as much as backing up 1.
    ex = solve_backup(A, w, 1, existing_count=np.array([0, 1]), backup_weight=0.5)
    assert ex.objective == 2.0 and ex.status == "optimal"
    assert ex.already_covered_weight == 1.0
    assert ex.problem == "backup"


def test_coverage_curve_greedy_hand():
    curve = coverage_curve(LINE_A, LINE_W, 3)
    assert curve["new_sites"].tolist() == [0, 1, 2, 3]
    assert curve["covered_weight"].tolist() == [0.0, 7.0, 10.0, 10.0]
    assert curve["coverage"].tolist() == [0.0, 0.7, 1.0, 1.0]
    assert curve["site"].tolist() == [-1, 2, 0, -1]
    assert (curve["bound"] >= curve["covered_weight"]).all()
    assert curve["gap"].iloc[-1] == 0.0


def test_coverage_curve_exact_hand():
    curve = coverage_curve(TRAP_A, TRAP_W, 2, solver="exact")
    assert curve["covered_weight"].tolist() == [0.0, 4.0, 6.0]
    assert curve["status"].tolist() == ["optimal"] * 3
    assert curve["gap"].max() <= 1e-9
    greedy = coverage_curve(TRAP_A, TRAP_W, 2)
    assert greedy["covered_weight"].tolist() == [0.0, 4.0, 5.0]
    assert (greedy["bound"] >= np.array([0.0, 4.0, 6.0])).all()


# --------------------------------------------------------------------------------------------
# The Plan object
# --------------------------------------------------------------------------------------------
def test_plan_is_frozen_and_summary_is_json():
    plan = solve_mclp(LINE_A, LINE_W, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.status = "x"  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        plan.sites[0] = 3
    summary = json.loads(json.dumps(plan.summary()))
    assert summary["new_sites"] == 2
    assert summary["status"] == "optimal"
    assert summary["covered_weight"] == 10.0
    assert set(summary["solve_s"]) >= {"reduce", "greedy", "milp", "rank", "total"}
    assert isinstance(plan, Plan)


def test_inputs_are_not_mutated():
    A = sp.csr_array(LINE_A.astype(np.int64))
    A_before = A.toarray().copy()
    w = LINE_W.copy()
    covered = np.array([0, 1, 0, 0], dtype=bool)
    solve_mclp(A, w, 2, covered=covered)
    solve_min_sites(A, w, 0.9, covered=covered)
    solve_backup(A, w, 2, existing_count=covered.astype(int))
    assert (A.toarray() == A_before).all()
    assert (w == LINE_W).all()
    assert covered.tolist() == [False, True, False, False]


def test_a_boolean_csr_matrix_is_read_as_it_is_and_left_as_it_was():
    """The usual input (a coverage matrix made by aedplan) is not copied on the way in:
    the solvers share its arrays and never write to them; the same matrix with unsorted
    entries and an explicit False (which must be copied and tidied) plans the same."""
    from aedplan import _validate

    A = sp.csr_array(LINE_A.astype(bool))
    arrays = [a.copy() for a in (A.data, A.indices, A.indptr)]
    read = _validate.coverage_matrix(A, _validate.Problems())
    assert np.shares_memory(read.indices, A.indices) and np.shares_memory(read.data, A.data)
    plans = [solve_mclp(A, LINE_W, 2), solve_min_sites(A, LINE_W, 0.9),
             solve_backup(A, LINE_W, 2, existing_count=np.zeros(4, dtype=int))]
    for before, after in zip(arrays, (A.data, A.indices, A.indptr), strict=True):
        assert np.array_equal(before, after)
    # rows as LINE_A, each row's columns right to left, row 0 with an explicit False
    messy = sp.csr_array((np.array([False, True, True, True, True, True, True, True]),
                          np.array([3, 0, 1, 0, 2, 1, 3, 2]), np.array([0, 2, 4, 6, 8])),
                         shape=LINE_A.shape)
    assert not messy.has_canonical_format or not messy.data.all()
    tidy = _validate.coverage_matrix(messy, _validate.Problems())
    assert not np.shares_memory(tidy.indices, messy.indices)
    assert tidy.has_canonical_format and tidy.data.all()
    assert (tidy.toarray() == LINE_A.astype(bool)).all()
    again = [solve_mclp(messy, LINE_W, 2), solve_min_sites(messy, LINE_W, 0.9),
             solve_backup(messy, LINE_W, 2, existing_count=np.zeros(4, dtype=int))]
    for one, two in zip(plans, again, strict=True):
        assert one.sites.tolist() == two.sites.tolist()
        assert one.covered_weight == two.covered_weight


def test_dense_lists_and_coo_with_duplicates_are_accepted():
    dense = solve_mclp(LINE_A.astype(int).tolist(), LINE_W.tolist(), 2)
    rows, cols = np.nonzero(LINE_A)
    coo = sp.coo_array(
        (np.ones(rows.size * 2), (np.r_[rows, rows], np.r_[cols, cols])), shape=LINE_A.shape
    )
    assert solve_mclp(coo, LINE_W, 2).covered_weight == dense.covered_weight == 10.0


def test_threads_option():
    assert solve_mclp(TRAP_A, TRAP_W, 2, threads=1).covered_weight == 6.0


def test_time_limit_keeps_the_greedy_solution_and_an_honest_bound(monkeypatch):
    def stopped(*args, **kwargs):
        return _highs.Result(status="time_limit", x=None, dual_bound=np.inf, seconds=0.0)

    monkeypatch.setattr(_highs, "run", stopped)
    monkeypatch.setattr(mclp, "swap_improve", lambda Ac, Af, AfT, w, s, v, **kw: (s, v))
    monkeypatch.setattr(mclp, "CUTS", False)  # the root LP would prove the optimum itself
    plan = solve_mclp(TRAP_A, TRAP_W, 2)
    assert plan.status == "time_limit"
    assert plan.covered_weight == 5.0  # the greedy incumbent
    assert plan.bound >= 6.0 and plan.gap > 0


def test_highs_failure_raises_solver_error(monkeypatch):
    class Broken:
        def __getattr__(self, name):
            return lambda *a, **k: None

        def getModelStatus(self):
            import highspy

            return highspy.HighsModelStatus.kSolveError

        def modelStatusToString(self, status):
            return "Solve error"

    monkeypatch.setattr(_highs, "new_highs", Broken)
    monkeypatch.setattr(mclp, "swap_improve", lambda Ac, Af, AfT, w, s, v, **kw: (s, v))
    with pytest.raises(SolverError, match="Solve error"):
        solve_mclp(TRAP_A, TRAP_W, 2)


def test_import_does_not_load_the_solver():
    code = "import sys, aedplan.optimise; print('highspy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------------------------
# Errors and warnings
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weights": np.ones(3)}, r"`weights` must have one value per demand point \(4, the rows"),
        ({"weights": np.array([1.0, -2.0, 1.0, 1.0])}, r"`weights` must be >= 0.*index 1: -2\.0"),
        ({"weights": np.array([1.0, np.nan, 1.0, 1.0])}, r"`weights` must be finite"),
        ({"budget": -1}, r"`budget` must be a whole number of new sites >= 0, got -1"),
        ({"budget": 2.5}, r"`budget` must be a whole number.*got 2\.5 \(float\)"),
        ({"budget": 3.0}, r"got 3\.0 \(float\); pass 3"),
        ({"budget": True}, r"`budget` must be a whole number"),
        ({"solver": "fast"}, r"`solver` must be 'exact' or 'greedy', got 'fast'"),
        ({"time_limit_s": 0}, r"`time_limit_s` must be a number of seconds > 0"),
        ({"mip_rel_gap": 1.5}, r"`mip_rel_gap` must be a relative gap in \[0, 1\)"),
        ({"threads": 0}, r"`threads` must be None \(HiGHS decides\) or an int >= 1"),
        ({"covered": np.array([0, 2, 0, 0])}, r"`covered` must be booleans.*index 1 holds 2"),
        ({"A": LINE_A * 2.5}, r"neither 0 nor 1.*threshold it first"),
        ({"A": np.ones((2, 2, 2))}, r"`A` must be a 2-D demand x site matrix"),
        ({"A": np.array([["a", "b"]] * 4)}, r"`A` must hold booleans"),
    ],
)
def test_mclp_input_errors(kwargs, match):
    args = {"A": LINE_A, "weights": LINE_W, "budget": 2, **kwargs}
    A, w, b = args.pop("A"), args.pop("weights"), args.pop("budget")
    with pytest.raises(InputError, match=match):
        solve_mclp(A, w, b, **args)


def test_every_problem_is_reported_at_once():
    with pytest.raises(InputError, match=r"3 problems with the input: \(1\) `weights`.*\(3\)"):
        solve_mclp(LINE_A, -LINE_W, -1, solver="nope")


@pytest.mark.parametrize(
    ("target", "match"),
    [
        (95, r"`target_coverage` must be a share.*got 95; for 95% pass 0\.95"),
        (0.0, r"in \(0, 1\], got 0\.0"),
        ("0.9", r"in \(0, 1\], got '0\.9'"),
    ],
)
def test_min_sites_target_errors(target, match):
    with pytest.raises(InputError, match=match):
        solve_min_sites(LINE_A, LINE_W, target)


def test_backup_input_errors():
    with pytest.raises(InputError, match=r"`backup_weight` must be in \[0, 1\]"):
        solve_backup(LINE_A, LINE_W, 1, backup_weight=1.5)
    with pytest.raises(InputError, match=r"`existing_count` must be whole numbers >= 0"):
        solve_backup(LINE_A, LINE_W, 1, existing_count=np.array([0, -1, 0, 0]))


def test_curve_input_errors():
    with pytest.raises(InputError, match=r"`max_sites` must be a whole number"):
        coverage_curve(LINE_A, LINE_W, -3)


def test_budget_above_candidates_warns_and_uses_all_useful_sites():
    with pytest.warns(AedplanWarning, match=r"`budget` is 9 but there are only 4 candidate"):
        plan = solve_mclp(LINE_A, LINE_W, 9)
    assert plan.budget == 4 and plan.covered_weight == 10.0 and plan.status == "optimal"
    with pytest.warns(AedplanWarning, match=r"`max_sites` is 6"):
        curve = coverage_curve(LINE_A, LINE_W, 6)
    assert len(curve) == 5


# --------------------------------------------------------------------------------------------
# Reductions
# --------------------------------------------------------------------------------------------
def test_reduce_merges_identical_rows_and_drops_dominated_sites():
    A = sp.csr_array(
        np.array(
            [
                [1, 1, 0, 0],
                [1, 1, 0, 0],  # same sites as row 0: merged
                [0, 1, 1, 0],
                [0, 0, 0, 0],  # no site: dropped
                [0, 0, 1, 1],  # zero weight: dropped
            ],
            dtype=bool,
        )
    )
    red = _reduce.reduce(A, np.array([1.0, 2.0, 3.0, 4.0, 0.0]))
    # site 0 ({0, 1}) is a subset of site 1 ({0, 1, 2}); site 2 ({2}) too; site 3 covers
    # nothing left.
    assert red.sites.tolist() == [1]
    assert red.A.shape == (1, 1)  # both remaining rows are covered by site 1 alone: merged
    assert red.weights.tolist() == [6.0]


def test_reduce_keeps_one_of_identical_sites_and_all_of_them_for_backup():
    A = sp.csr_array(np.array([[1, 1], [1, 1]], dtype=bool))
    assert _reduce.reduce(A, np.ones(2)).sites.tolist() == [0]
    assert _reduce.reduce(A, np.ones(2), dominance=False).sites.tolist() == [0, 1]


@pytest.mark.parametrize("block", [1, 5, 1 << 21])
def test_group_rows_survives_hash_collisions(monkeypatch, block):
    monkeypatch.setattr(_reduce, "BLOCK_NNZ", block)  # a step of 1 or 5 entries, or all
    rng = np.random.default_rng(3)
    M = sp.csr_array(rng.random((40, 6)) < 0.3)
    M.sort_indices()
    honest, _ = _reduce.group_rows(M)

    class Colliding:  # every column gets the same key: all rows of equal length collide
        def __init__(self, *args):
            pass

        def integers(self, *args, size, **kwargs):
            return np.zeros(size, dtype=np.uint64)

    monkeypatch.setattr(_reduce.np.random, "default_rng", Colliding)
    collided, first = _reduce.group_rows(M)
    dense = M.toarray()
    # Rows in one group are identical.
    assert (dense == dense[first[collided]]).all()
    # The honest grouping merges exactly the identical rows.
    same = (dense[:, None, :] == dense[None, :, :]).all(axis=2)
    assert (same == (honest[:, None] == honest[None, :])).all()


def test_dominance_fallback_without_the_product(monkeypatch):
    monkeypatch.setattr(_reduce, "DOMINANCE_MAX_WORK", -1.0)
    A = sp.csr_array(np.array([[1, 1, 1, 0], [1, 1, 0, 1], [0, 0, 0, 1]], dtype=bool))
    # sites 0 and 1 are identical (keep 0); site 2 covers row 0 only, which site 0 also covers;
    # site 3 covers two rows: kept.
    assert _reduce.dominated_sites(A).tolist() == [False, True, True, False]


# --------------------------------------------------------------------------------------------
# Properties on small random instances
# --------------------------------------------------------------------------------------------
@st.composite
def instances(draw, max_demand=30, max_sites=12):
    n = draw(st.integers(1, max_demand))
    m = draw(st.integers(1, max_sites))
    density = draw(st.sampled_from([0.05, 0.15, 0.3, 0.6]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    A = rng.random((n, m)) < density
    integer_weights = draw(st.booleans())  # integers give ties and zero weights
    w = rng.integers(0, 6, n).astype(float) if integer_weights else rng.lognormal(0.0, 1.0, n)
    covered = rng.random(n) < draw(st.sampled_from([0.0, 0.2]))
    p = draw(st.integers(0, m))
    return A, w, covered, p


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(instances())
def test_exact_equals_brute_force(inst):
    A, w, covered, p = inst
    plan = solve_mclp(sp.csr_array(A), w, p, covered=covered)
    best = brute_mclp(A, w, p, covered)
    assert plan.covered_weight == pytest.approx(best, rel=1e-12, abs=1e-12)
    assert plan.status == "optimal" and plan.gap <= 1e-9
    assert plan.bound >= best - 1e-9
    assert plan.sites.size <= p
    assert len(set(plan.sites.tolist())) == plan.sites.size
    # Ranked gains: positive, non-increasing, summing to the new covered weight.
    gains = plan.added_weight
    assert (gains > 0).all() and (np.diff(gains) <= 1e-12).all()
    assert gains.sum() == pytest.approx(plan.covered_weight - plan.already_covered_weight)


@FAST
@given(instances())
def test_greedy_is_feasible_and_its_bound_is_valid(inst):
    A, w, covered, p = inst
    best = brute_mclp(A, w, p, covered)
    none = np.zeros_like(covered)
    for plan, cov in (
        (greedy_mclp(A, w, p, covered=covered), covered),
        (solve_mclp(A, w, p, solver="greedy"), none),  # adds the Lagrangian bound
    ):
        opt_here = brute_mclp(A, w, p, cov)
        assert plan.covered_weight <= opt_here + 1e-9
        assert plan.bound >= opt_here - 1e-9
        new = plan.covered_weight - plan.already_covered_weight
        assert new >= (1 - 1 / np.e) * (opt_here - plan.already_covered_weight) - 1e-9
    exact = solve_mclp(A, w, p, covered=covered)
    assert exact.covered_weight >= greedy_mclp(A, w, p, covered=covered).covered_weight - 1e-12
    assert exact.covered_weight == pytest.approx(best)


@FAST
@given(instances())
def test_reductions_never_change_the_optimum(inst):
    A, w, covered, p = inst
    w_eff = np.where(covered, 0.0, w)
    red = _reduce.reduce(sp.csr_array(A), w_eff)
    full = brute_mclp(A, w_eff, p)
    if red.A.shape[1] == 0:
        assert full == 0.0
        return
    assert brute_mclp(red.A.toarray(), red.weights, p) == pytest.approx(full)
    assert red.weights.sum() <= w_eff.sum() + 1e-9
    # No two reduced rows are identical and no reduced site is a subset of another.
    dense = red.A.toarray()
    assert len({row.tobytes() for row in dense}) == dense.shape[0]
    inter = dense.T.astype(int) @ dense.astype(int)
    size = dense.sum(axis=0)
    np.fill_diagonal(inter, -1)
    assert not (inter == size[:, None]).any()


@FAST
@given(instances())
def test_bound_based_fixing_is_safe(inst):
    A, w, _, p = inst
    red = _reduce.reduce(sp.csr_array(A), w)
    n, m = red.A.shape
    if m <= p or p == 0:
        return
    Ac = sp.csc_array(red.A)
    g = _greedy.lazy_greedy(
        Ac, red.weights, np.zeros(n, dtype=np.int64), _values.increments(None), p
    )
    lower = float(g.gains.sum())
    lg = _lagrange.lagrangian_mclp(
        red.A.astype(float), sp.csr_array(Ac.astype(float).T), Ac, red.weights, p, lower
    )
    drop, fix = _lagrange.fix_by_bound(lg, p, lower)
    dense = red.A.toarray()
    S = _subsets(m)
    values = ((S.astype(int) @ dense.T.astype(int)) > 0) @ red.weights
    feasible = S.sum(axis=1) <= p
    best = values[feasible].max()
    assert lg.bound >= best - 1e-9
    optimal = feasible & (values >= best - 1e-9)
    assert not S[optimal][:, drop].any()  # dropped sites are in no optimal solution
    assert S[optimal][:, fix].all()  # fixed sites are in every optimal solution


@FAST
@given(instances())
def test_min_sites_equals_brute_force(inst):
    A, w, covered, _ = inst
    total = w.sum()
    if total == 0:
        return
    reachable = w[covered | A.any(axis=1)].sum() / total
    for target in (0.3, 0.8, 1.0):
        if target > reachable + 1e-12:
            with pytest.raises(InfeasibleError, match="is not reachable"):
                solve_min_sites(A, w, target, covered=covered)
            continue
        plan = solve_min_sites(A, w, target, covered=covered)
        assert plan.objective == brute_min_sites(A, w, target, covered)
        assert plan.status == "optimal" and plan.bound == plan.objective
        assert plan.covered_weight >= target * total - 1e-9 * total


@settings(max_examples=30, deadline=None)
@given(instances())
def test_min_sites_direct_model_when_the_count_walk_is_undecided(inst):
    A, w, covered, _ = inst
    total = w.sum()
    reachable = w[covered | A.any(axis=1)].sum()
    if total == 0 or reachable < 0.6 * total:
        return
    undecided = lambda *args, **kwargs: (None, False, 0.0, (0, 0))  # noqa: E731
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(min_sites, "decide_mclp", undecided)
        plan = solve_min_sites(A, w, 0.6, covered=covered)
    assert plan.objective == brute_min_sites(A, w, 0.6, covered)
    assert plan.status == "optimal"


@FAST
@given(instances(max_sites=10), st.data())
def test_adding_a_site_never_lowers_the_optimum(inst, data):
    A, w, covered, p = inst
    new = np.asarray(data.draw(st.lists(st.booleans(), min_size=A.shape[0], max_size=A.shape[0])))
    before = solve_mclp(A, w, p, covered=covered).covered_weight
    after = solve_mclp(np.column_stack([A, new]), w, p, covered=covered).covered_weight
    assert after >= before - 1e-12


@FAST
@given(instances(max_demand=20, max_sites=9), st.sampled_from([0.0, 0.3, 1.0]), st.data())
def test_backup_equals_brute_force(inst, beta, data):
    A, w, _, p = inst
    existing = np.asarray(
        data.draw(st.lists(st.integers(0, 3), min_size=A.shape[0], max_size=A.shape[0]))
    )
    plan = solve_backup(A, w, p, existing_count=existing, backup_weight=beta)
    best = brute_backup(A, w, p, existing, beta)
    assert plan.objective == pytest.approx(best, rel=1e-12, abs=1e-12)
    assert plan.status == "optimal"
    greedy = solve_backup(A, w, p, existing_count=existing, backup_weight=beta, solver="greedy")
    assert greedy.objective <= best + 1e-9 <= greedy.bound + 2e-9
    gains = plan.added_weight
    assert gains.sum() == pytest.approx(
        plan.objective - brute_backup(A, w, 0, existing, beta), abs=1e-9
    )


@settings(max_examples=25, deadline=None)
@given(instances(max_sites=8))
def test_curves_match_single_solves(inst):
    A, w, covered, p = inst
    greedy = coverage_curve(A, w, p, covered=covered)
    exact = coverage_curve(A, w, p, covered=covered, solver="exact")
    assert (np.diff(greedy["covered_weight"]) >= -1e-12).all()
    for k in range(p + 1):
        best = brute_mclp(A, w, k, covered)
        assert exact["covered_weight"].iloc[k] == pytest.approx(best)
        assert greedy["bound"].iloc[k] >= best - 1e-9
        assert greedy["covered_weight"].iloc[k] == pytest.approx(
            greedy_mclp(A, w, k, covered=covered).covered_weight
        )


# --------------------------------------------------------------------------------------------
# Agreement with PySAL spopt
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_same_optimum_as_spopt(seed):
    spopt_locate = pytest.importorskip("spopt.locate")
    pulp = pytest.importorskip("pulp")
    from scipy.spatial.distance import cdist

    rng = np.random.default_rng(seed)
    demand = rng.random((40, 2))
    sites = rng.random((10, 2))
    weights = rng.integers(1, 10, 40).astype(float)
    cost = cdist(demand, sites)
    radius, p = 0.25, 3
    model = spopt_locate.MCLP.from_cost_matrix(cost, weights, radius, p_facilities=p)
    model = model.solve(pulp.PULP_CBC_CMD(msg=False))
    theirs = float(pulp.value(model.problem.objective))
    ours = solve_mclp(sp.csr_array(cost <= radius), weights, p)
    assert ours.covered_weight == pytest.approx(theirs)
    assert ours.status == "optimal"


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_min_sites_for_all_coverable_demand_equals_brute_force(seed):
    """Full coverage (target = all coverable weight) takes the set-covering path."""
    from itertools import combinations

    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(3, 25)), int(rng.integers(2, 10))
    A = rng.random((n, m)) < rng.uniform(0.1, 0.5)
    w = rng.uniform(0.5, 3.0, n)
    covered = rng.random(n) < 0.2
    coverable = A.any(axis=1) | covered
    if not (A.any(axis=1) & ~covered).any():
        return
    share = w[coverable].sum() / w.sum()
    plan = solve_min_sites(sp.csr_matrix(A), w, share, covered=covered)
    need = A[~covered & A.any(axis=1)]
    best = next(
        k for k in range(m + 1)
        if any(need[:, list(c)].any(axis=1).all() for c in combinations(range(m), k))
    )
    assert plan.n_sites == best
    assert plan.status == "optimal"
    assert A[:, plan.sites].any(axis=1)[~covered & A.any(axis=1)].all()


def test_warm_started_milp_returns_the_optimum_not_the_start():
    """HiGHS 1.16 returns the warm start when presolve alone solves the model."""
    M = sp.csc_array(np.array([
        [0, 1, 1, 0, 0, 0, 0], [0, 0, 1, 1, 0, 1, 0], [1, 1, 1, 1, 0, 0, 1],
        [0, 1, 0, 1, 1, 0, 0], [0, 1, 0, 1, 1, 1, 0], [0, 1, 1, 0, 0, 1, 0],
        [0, 1, 0, 1, 1, 1, 1], [1, 0, 0, 0, 1, 0, 1],
    ], dtype=float))
    model = _highs.Model(maximise=False, cost=np.ones(7), lower=np.zeros(7), upper=np.ones(7),
                         n_int=7, M=M, row_lower=np.ones(8), row_upper=np.full(8, np.inf))
    res = _highs.run(model, start=np.array([1, 1, 1, 0, 0, 0, 0.0]),
                     deadline=_highs.Deadline.after(10.0), mip_rel_gap=0.0, threads=None)
    assert res.x is not None and res.x.sum() == pytest.approx(2.0)
    assert (M @ res.x >= 1 - 1e-9).all()


def test_cover_dominance_by_hand():
    A = sp.csr_array(np.array([[1, 1, 0], [1, 0, 0], [0, 1, 1], [0, 0, 1], [0, 0, 1]]))
    rows, cols = _reduce.cover_dominance(A)
    # row 0 contains row 1, row 2 contains row 3, row 4 repeats row 3
    assert rows.tolist() == [1, 3]
    # column 1 covers none of the rows left
    assert cols.tolist() == [0, 2]
