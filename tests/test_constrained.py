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


def test_bad_arguments_name_themselves():
    A = np.eye(3, dtype=bool)
    with pytest.raises(AedplanError, match="`movable` must have one boolean per AED"):
        solve_constrained(A, np.ones(3), 1, existing=2, moves=1, movable=[True])
    with pytest.raises(AedplanError, match="`row_group` must be 3 integers"):
        solve_constrained(A, np.ones(3), 1, row_group=[0, 1])
    with pytest.raises(InfeasibleError, match="`min_group_coverage`: 1 group"):
        solve_constrained(np.array([[1, 0], [0, 0]], bool), np.ones(2), 1,
                          row_group=np.array([0, 1]), min_group_coverage=0.5)
