"""Maximal covering with moves and fairness rows: brute force on small random instances
(made up here, not real data), and the rules of a plan checked on every answer."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aedplan.errors import AedplanError, InfeasibleError
from aedplan.optimise import solve_mclp
from aedplan.optimise.constrained import solve_constrained


def value(A, w, cols):
    return float(w[A[:, cols].any(axis=1)].sum()) if len(cols) else 0.0


def brute(A, w, budget, existing, movable, moves, groups=None, floor=None, per_group=None,
          site_group=None):
    """The best plan over every choice: which movable AEDs go, and where every free AED
    (new or moved) stands."""
    m = A.shape[1]
    cand = list(range(existing, m))
    mov = [i for i in range(existing) if movable[i]]
    best = None
    for k in range(min(moves, len(mov)) + 1):
        for out in itertools.combinations(mov, k):
            kept = [i for i in range(existing) if i not in out]
            for b in range(min(budget + k, len(cand)) + 1):
                for new in itertools.combinations(cand, b):
                    cols = kept + list(new)
                    if not _fair(A, w, cols, groups, floor, per_group, site_group):
                        continue
                    v = value(A, w, cols)
                    if best is None or v > best + 1e-12:
                        best = v
    return best


def _fair(A, w, cols, groups, floor, per_group, site_group):
    if groups is None:
        return True
    hit = A[:, cols].any(axis=1) if cols else np.zeros(A.shape[0], bool)
    for g in np.unique(groups[groups >= 0]):
        rows = groups == g
        if floor is not None and w[rows & hit].sum() < floor * w[rows].sum() - 1e-9:
            return False
        if per_group is not None and np.sum(site_group[cols] == g) < per_group:
            return False
    return True


def instance(draw, n_max=7, m_max=7):
    n = draw(st.integers(2, n_max))
    existing = draw(st.integers(1, 3))
    m = existing + draw(st.integers(1, m_max - 3))
    A = np.array(draw(st.lists(st.lists(st.booleans(), min_size=m, max_size=m), min_size=n,
                               max_size=n)), dtype=bool)
    w = np.array(draw(st.lists(st.integers(1, 9), min_size=n, max_size=n)), dtype=float)
    return A, w, existing


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_relocation_equals_brute_force_and_never_loses_to_buying(data):
    A, w, existing = instance(data.draw)
    movable = np.array(data.draw(st.lists(st.booleans(), min_size=existing,
                                          max_size=existing)))
    moves = data.draw(st.integers(0, existing))
    budget = data.draw(st.integers(0, 2))
    plan = solve_constrained(A, w, budget, existing=existing, movable=movable, moves=moves)
    assert plan.status == "optimal"
    assert plan.covered_weight == pytest.approx(
        brute(A, w, budget, existing, movable, moves))
    # the plan is what it says: its AEDs cover what it says, within its moves and budget
    cols = np.r_[np.flatnonzero(plan.kept), plan.sites]
    assert value(A, w, cols) == pytest.approx(plan.covered_weight)
    assert plan.moved.size <= moves and movable[plan.moved].all()
    assert plan.sites.size <= budget + plan.moved.size
    # moving is never worse than keeping every AED and buying the same number new...
    fixed = solve_mclp(A, w, min(budget, A.shape[1] - existing), fixed=np.arange(existing))
    assert plan.covered_weight >= fixed.covered_weight - 1e-9


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_fairness_rows_hold_and_the_plan_is_the_best_that_keeps_them(data):
    A, w, existing = instance(data.draw)
    n, m = A.shape
    groups = np.array(data.draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    site_group = np.array(data.draw(st.lists(st.integers(0, 1), min_size=m, max_size=m)))
    floor = data.draw(st.sampled_from([None, 0.3, 0.6]))
    per_group = data.draw(st.sampled_from([None, 1]))
    budget = data.draw(st.integers(1, 3))
    expected = brute(A, w, budget, existing, np.zeros(existing, bool), 0, groups, floor,
                     per_group, site_group)
    try:
        plan = solve_constrained(A, w, budget, existing=existing, row_group=groups,
                                 site_group=site_group, min_group_coverage=floor,
                                 min_group_sites=per_group)
    except InfeasibleError:
        assert expected is None
        return
    assert expected is not None and plan.covered_weight == pytest.approx(expected)
    cols = np.r_[np.arange(existing), plan.sites]
    assert _fair(A, w, list(cols), groups, floor, per_group, site_group)


#: Made up to make every floor bind, worked out by hand. Rows a, b (district 0, weights
#: 10 and 6) and c, d, e, f (district 1, weight 1 each); candidate sites s0 covers a,
#: s1 covers b and c, s2 covers c and d. Two new AEDs.
FLOOR_A = np.array([[1, 0, 0], [0, 1, 0], [0, 1, 1], [0, 0, 1], [0, 0, 0], [0, 0, 0]], bool)
FLOOR_W = np.array([10.0, 6.0, 1.0, 1.0, 1.0, 1.0])
FLOOR_ROWS = np.array([0, 0, 1, 1, 1, 1])
#: Today's AED, put before the candidates: it covers e, in district 1.
TODAY_E = np.array([[0], [0], [0], [0], [1], [0]], bool)


def test_a_coverage_floor_that_binds_changes_the_plan():
    """Without a floor: s0 + s1, 10 + 6 + 1 = 17, district 1 covered 1 of 4. A floor of
    50% (district 0 needs 8 of 16, district 1 needs 2 of 4) rules out s0 + s1 (district 1
    has 1) and s1 + s2 (district 0 has 6): s0 + s2, 10 + 2 = 12. A floor of 25% (district
    1 needs 1) keeps s0 + s1. With today's AED on e, district 1 has 1 already and s0 + s1
    gives it the second: 17 + 1 = 18."""
    def plan(floor, A=FLOOR_A, existing=0):
        return solve_constrained(A, FLOOR_W, 2, existing=existing, row_group=FLOOR_ROWS,
                                 min_group_coverage=floor)

    assert (plan(None).sites.tolist(), plan(None).covered_weight) == ([0, 1], 17.0)
    assert (plan(0.25).sites.tolist(), plan(0.25).covered_weight) == ([0, 1], 17.0)
    assert (plan(0.5).sites.tolist(), plan(0.5).covered_weight) == ([0, 2], 12.0)
    today = plan(0.5, np.hstack([TODAY_E, FLOOR_A]), existing=1)
    assert (today.sites.tolist(), today.covered_weight) == ([1, 2], 18.0)
    for floor, want in ((0.25, 17.0), (0.5, 12.0)):  # and the brute force agrees
        assert brute(FLOOR_A, FLOOR_W, 2, 0, np.zeros(0, bool), 0, FLOOR_ROWS, floor) == want


def test_a_floor_of_aeds_per_district_that_binds_changes_the_plan():
    """s0 and s1 lie in district 0, s2 in district 1. One AED per district rules out
    s0 + s1 (17): s0 + s2, 12. Today's AED on e, in district 1, keeps that floor already,
    so s0 + s1 stand: 18."""
    def plan(A, existing, site_group):
        return solve_constrained(A, FLOOR_W, 2, existing=existing, row_group=FLOOR_ROWS,
                                 site_group=np.array(site_group), min_group_sites=1)

    alone = plan(FLOOR_A, 0, [0, 0, 1])
    assert (alone.sites.tolist(), alone.covered_weight) == ([0, 2], 12.0)
    today = plan(np.hstack([TODAY_E, FLOOR_A]), 1, [1, 0, 0, 1])
    assert (today.sites.tolist(), today.covered_weight) == ([1, 2], 18.0)


def test_bad_arguments_name_themselves():
    A = np.eye(3, dtype=bool)
    with pytest.raises(AedplanError, match="`movable` must have one boolean per AED"):
        solve_constrained(A, np.ones(3), 1, existing=2, moves=1, movable=[True])
    with pytest.raises(AedplanError, match="`row_group` must be 3 integers"):
        solve_constrained(A, np.ones(3), 1, row_group=[0, 1])
    with pytest.raises(InfeasibleError, match="`min_group_coverage`: 1 group"):
        solve_constrained(np.array([[1, 0], [0, 0]], bool), np.ones(2), 1,
                          row_group=np.array([0, 1]), min_group_coverage=0.5)
