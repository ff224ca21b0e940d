"""Independent parts of a covering instance and the budget shared among them: hand cases,
brute force over every split, and the part-by-part MILP against one MILP over all."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from aedplan.optimise import _bypart, _core, _greedy, _highs, _reduce, _values
from aedplan.optimise.parts import (
    Curves,
    components,
    fewest_with_proof,
    share_budget,
    share_with_proof,
)

from .test_optimise import brute_mclp, brute_min_sites

# --------------------------------------------------------------------------------------------
# share_budget: the dynamic programme against every split
# --------------------------------------------------------------------------------------------


def brute_split(curves, budget):
    best = -np.inf
    for split in itertools.product(*(range(len(c)) for c in curves)):
        if sum(split) <= budget:
            best = max(best, sum(c[b] for c, b in zip(curves, split, strict=True)))
    return best


curve = st.lists(st.floats(0, 10), min_size=1, max_size=6).map(
    lambda steps: np.r_[0.0, np.cumsum(steps)])  # non-decreasing, not concave in general


@settings(max_examples=200, deadline=None)
@given(st.lists(curve, min_size=3, max_size=3), st.integers(0, 12))
def test_the_split_is_the_best_of_every_split_of_three_parts(curves, budget):
    value, split = share_budget(curves, budget)
    assert value == pytest.approx(brute_split(curves, budget), abs=1e-9)
    assert split.sum() <= budget and all(0 <= b < len(c) for b, c in zip(split, curves,
                                                                          strict=True))
    assert sum(c[b] for c, b in zip(curves, split, strict=True)) == pytest.approx(value)


def test_a_split_a_greedy_share_would_miss():
    # a part whose value comes only with its second site: one site at a time, the first
    # part looks better at every step (5, then 1 more), but 2 + 1 beats 1 + 1 + ...
    value, split = share_budget([np.array([0.0, 5.0, 6.0, 6.5]), np.array([0.0, 1.0, 9.0])], 3)
    assert (value, split.tolist()) == (14.0, [1, 2])
    assert share_budget([], 4) == (0.0, pytest.approx(np.zeros(0)))
    with pytest.raises(ValueError, match="budget"):
        share_budget([np.zeros(2)], -1)


def brute_fewest(curves, need):
    # need is met within a relative 1e-9, as fewest_with_proof meets it (sums taken in
    # another order differ in the last bits)
    for count in range(sum(len(c) for c in curves)):
        if brute_split(curves, count) >= need * (1 - 1e-9):
            return count
    return None


@settings(max_examples=200, deadline=None)
@given(st.lists(curve, min_size=3, max_size=3), st.floats(0.1, 1.0),
       st.lists(st.floats(0, 3), min_size=18, max_size=18), st.data())
def test_the_fewest_sites_are_the_fewest_of_every_split(truth, share, slack, data):
    # what the parts' solver knows: true curves (random, not concave), seen at first
    # through a loose bound above and a worse choice below; solving a part at a budget
    # reveals its true value there
    need = share * sum(c[-1] for c in truth)
    curves = []
    for c in truth:
        up = c + np.r_[0.0, np.cumsum(data.draw(st.lists(st.floats(0, 2), min_size=c.size - 1,
                                                            max_size=c.size - 1)))]
        low = np.minimum(c, np.r_[0.0, c[1:] - np.array(slack[: c.size - 1])])
        low[-1] = c[-1]  # as greedy curves do, the last reaches all a part can cover
        curves.append(Curves(low, up))

    def solve(asks):
        return [(b, float(truth[c][b]), float(truth[c][b])) for c, b in asks]

    found = fewest_with_proof(curves, need, solve, out_of_time=lambda: False)
    expected = brute_fewest(truth, need)
    assert found is not None and found.count == expected == found.lower
    assert found.split.sum() <= found.count
    assert sum(truth[c][b] for c, b in enumerate(found.split)) >= need - 1e-9


def test_the_fewest_sites_by_hand():
    # 9 is reached with part 1's two sites (0 + 9), not with one site in each (5 + 1)
    curves = [Curves(np.array([0.0, 5.0, 6.0]), np.array([0.0, 5.0, 6.0])),
              Curves(np.array([0.0, 1.0, 9.0]), np.array([0.0, 1.0, 9.0]))]
    found = fewest_with_proof(curves, 9.0, lambda asks: [], out_of_time=lambda: False)
    assert (found.count, found.lower, found.split.tolist()) == (2, 2, [0, 2])
    found = fewest_with_proof(curves, 14.0, lambda asks: [], out_of_time=lambda: False)
    assert (found.count, found.split.tolist()) == (3, [1, 2])
    assert fewest_with_proof(curves, 15.1, lambda asks: [], out_of_time=lambda: False) is None
    assert fewest_with_proof(curves, 0.0, lambda asks: [], out_of_time=lambda: False).count == 0


def _revealing(truth):
    """A parts' solver that reveals each part's true value at the budget asked."""
    def solve(asks):
        return [(b, float(truth[c][b]), float(truth[c][b])) for c, b in asks]
    return solve


def _loose(truth):
    """What is known before solving: bounds 6 to 14 above the truth, choices 3 to 5
    below it (made-up curves)."""
    return [Curves(np.maximum(t - np.r_[0, np.linspace(3, 5, t.size - 1)], 0),
                   t + np.r_[0, np.linspace(6, 14, t.size - 1)]) for t in truth]


def test_solving_around_the_split_takes_fewer_rounds():
    """Two parts of eight sites each, eight to share (made-up concave curves). Solving
    each loose part only at the bound's split moves the split one budget a round: 7
    rounds. Solving it at the budgets around the split too proves the best split (4 + 4)
    in 3 rounds, with as many solves."""
    truth = [np.r_[0, np.cumsum([10, 8, 6, 5, 4, 3, 2, 1])],
             np.r_[0, np.cumsum([9, 7, 6, 5, 4, 3, 2, 1])]]
    runs = {spread: share_with_proof(_loose(truth), 8, _revealing(truth),
                                     done=lambda lo, up: up - lo <= 1e-9,
                                     out_of_time=lambda: False, spread=spread)
            for spread in (0, 2)}
    for shared in runs.values():
        assert (shared.lower, shared.upper, shared.split.tolist()) == (56.0, 56.0, [4, 4])
    assert (runs[0].rounds, runs[2].rounds) == (7, 3)
    assert runs[2].solves <= runs[0].solves + 2
    # with two solves side by side, the two shares fill a round: neighbours wait, and the
    # rounds are those of the shares alone; with three, one neighbour a round helps
    for slots, rounds in ((2, 7), (3, 5)):
        shared = share_with_proof(_loose(truth), 8, _revealing(truth),
                                  done=lambda lo, up: up - lo <= 1e-9,
                                  out_of_time=lambda: False, spread=2, slots=slots)
        assert (shared.lower, shared.upper) == (56.0, 56.0)
        assert shared.rounds == rounds


@settings(max_examples=100, deadline=None)
@given(st.lists(curve, min_size=3, max_size=3), st.integers(0, 12), st.integers(0, 3))
def test_the_shared_budget_is_proven_the_best_split(truth, budget, spread):
    shared = share_with_proof(_loose(truth), budget, _revealing(truth),
                              done=lambda lo, up: up - lo <= 1e-9, out_of_time=lambda: False,
                              spread=spread)
    assert shared.lower == pytest.approx(brute_split(truth, budget), abs=1e-9)
    assert shared.upper == pytest.approx(shared.lower, abs=1e-9)


def test_components_of_a_block_matrix():
    A = sp.csr_array(np.array([
        [0, 0, 1, 0],  # part 0 (first row)
        [1, 0, 0, 0],  # part 1
        [1, 1, 0, 0],  # part 1
        [0, 0, 1, 1],  # part 0
    ]))
    k, rows, cols = components(A)
    assert (k, rows.tolist(), cols.tolist()) == (2, [0, 1, 1, 0], [1, 1, 0, 0])


@pytest.mark.parametrize("seed", range(4))
def test_components_match_networkx_on_random_sparse_matrices(seed):
    import networkx as nx

    rng = np.random.default_rng(seed)
    n, m = 60, 40
    A = sp.csc_array(rng.random((n, m)) < 0.02)  # many parts, empty rows and columns
    k, rows, cols = components(A)
    g = nx.Graph()
    g.add_nodes_from(range(n + m))
    r, c = A.nonzero()
    g.add_edges_from(zip(r.tolist(), (n + c).tolist(), strict=True))
    parts = list(nx.connected_components(g))
    assert k == len(parts)
    label = np.r_[rows, cols]
    for part in parts:  # one label a part, a different one for every other part
        assert len({label[v] for v in part}) == 1
    assert len({label[min(part)] for part in parts}) == k
    first = [label[min(part)] for part in sorted(parts, key=min)]
    assert first == sorted(first)  # numbered by first row, then column


# --------------------------------------------------------------------------------------------
# The core solved part by part
# --------------------------------------------------------------------------------------------
# The greedy trap of test_optimise, repeated: in each block greedy takes the middle site (4 of
# 6 points) where the two outer sites cover all 6.
TRAP = np.array([[0, 1, 0], [1, 1, 0], [1, 1, 0], [1, 0, 1], [1, 0, 1], [0, 0, 1]], dtype=bool)


def blocks(*parts: np.ndarray) -> sp.csr_array:
    return sp.csr_array(sp.block_diag([sp.csr_array(p) for p in parts]).astype(bool))


def by_parts(A: sp.csr_array, w: np.ndarray, p: int, *, seconds: float = 30.0,
             gap: float = 0.0) -> _core.Core | None:
    red = _reduce.Reduced(A=A, weights=w, sites=np.arange(A.shape[1]),
                          level=np.zeros(A.shape[0], dtype=np.int64))
    Ac = sp.csc_array(A)
    g = _greedy.lazy_greedy(Ac, w, np.zeros(A.shape[0], dtype=np.int64),
                            _values.increments(None), p)
    none = np.zeros(A.shape[1], dtype=bool)
    return _bypart.solve_core_by_parts(red, Ac, p, none, none, g.sites,
                                       deadline=_highs.Deadline.after(seconds),
                                       mip_rel_gap=gap, threads=None)


def test_three_greedy_traps_are_all_escaped():
    # budget 4 over three traps: one trap gets its two outer sites (6), the other two
    # their middle sites (4 each): 14; greedy takes the three middle sites and one more
    # adds 1: 13
    A = blocks(TRAP, TRAP, TRAP)
    w = np.ones(A.shape[0])
    g = _greedy.lazy_greedy(sp.csc_array(A), w, np.zeros(A.shape[0], dtype=np.int64),
                            _values.increments(None), 4)
    assert g.gains.sum() == 13.0
    core = by_parts(A, w, 4)
    assert core is not None and core.status == "optimal"
    assert core.value == core.bound == 14.0 == brute_mclp(A.toarray(), w, 4)
    assert core.sites.size <= 4


def test_one_part_is_left_to_one_milp():
    A = sp.csr_array(TRAP)
    assert by_parts(A, np.ones(6), 2) is None


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 5), st.integers(1, 9))
def test_part_by_part_equals_one_milp_over_all(seed, n_parts, p):
    rng = np.random.default_rng(seed)
    parts = [rng.random((int(rng.integers(3, 9)), int(rng.integers(2, 6)))) < 0.4
             for _ in range(n_parts)]
    A = blocks(*parts)
    red = _reduce.reduce(A, rng.integers(1, 5, A.shape[0]).astype(float))
    A, w = red.A, red.weights
    if A.shape[1] <= p or components(A)[0] < 2:
        return
    core = by_parts(A, w, p)
    assert core is not None and core.status == "optimal"
    none = np.zeros(A.shape[1], dtype=bool)
    one = _core.solve_core(red, sp.csc_array(A), p, none, none, None,
                           deadline=_highs.Deadline.after(30), mip_rel_gap=0.0, threads=None)
    assert core.value == pytest.approx(one.value, rel=1e-12)
    assert core.sites.size <= p
    assert _values.coverage_value(sp.csc_array(A), w, core.sites) == pytest.approx(core.value)
    if A.shape[1] <= 12:
        assert core.value == pytest.approx(brute_mclp(A.toarray(), w, p))


def test_out_of_time_the_plan_stands_with_its_honest_gap():
    A = blocks(*([TRAP] * 6))
    w = np.ones(A.shape[0])
    core = by_parts(A, w, 8, seconds=0.0)
    assert core is not None
    assert core.sites.size <= 8
    best = brute_split([np.array([0.0, 4.0, 6.0])] * 6, 8)  # 2 outer sites in 2 traps, 4 middle
    assert core.value <= best <= core.bound
    assert core.status in ("optimal", "time_limit")
    if core.status == "time_limit":
        assert core.bound > core.value


def test_a_gap_lets_it_stop_early():
    A = blocks(*([TRAP] * 6))
    w = np.ones(A.shape[0])
    loose = by_parts(A, w, 8, gap=0.2)
    assert loose is not None and loose.bound - loose.value <= 0.2 * loose.bound
    assert loose.status in ("optimal", "gap_limit")


# --------------------------------------------------------------------------------------------
# The fewest sites for a target, part by part
# --------------------------------------------------------------------------------------------


def test_the_fewest_for_a_target_escape_three_greedy_traps(monkeypatch):
    """16 of the 18 points of three traps: two traps' outer sites (6 each) and one middle
    site (4) cover them with 5 sites; greedy takes the three middle sites, then gains one
    point per site, and needs 7."""
    from aedplan.optimise import min_sites, solve_min_sites

    A = blocks(TRAP, TRAP, TRAP)
    w = np.ones(A.shape[0])
    calls = []
    by_parts_fewest = _bypart.fewest_by_parts
    monkeypatch.setattr(min_sites, "fewest_by_parts",
                        lambda *a, **k: calls.append(1) or by_parts_fewest(*a, **k))
    g = _greedy.lazy_greedy(sp.csc_array(A), w, np.zeros(A.shape[0], dtype=np.int64),
                            _values.increments(None), 9, target=16.0)
    assert g.sites.size == 7
    plan = solve_min_sites(A, w, 16 / 18)
    assert calls  # solved part by part
    assert plan.objective == plan.bound == 5 == brute_min_sites(A.toarray(), w, 16 / 18)
    assert plan.status == "optimal" and plan.covered_weight >= 16.0


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 4), st.floats(0.2, 0.95),
       st.booleans())
def test_the_fewest_by_parts_equal_every_choice(seed, n_parts, target, alone):
    """Made-up block instances (2 to 4 independent parts, up to 12 sites): the count part by
    part equals the smallest of every choice of sites, the parts solved by a budget MILP
    or alone with their own Lagrangian fixing (``alone``)."""
    from aedplan.optimise import solve_min_sites

    rng = np.random.default_rng(seed)
    sizes = [int(rng.integers(2, 12 // n_parts + 1)) for _ in range(n_parts)]
    A = blocks(*[rng.random((int(rng.integers(3, 8)), m)) < 0.45 for m in sizes])
    w = rng.integers(1, 6, A.shape[0]).astype(float)
    dense = A.toarray()
    if w[dense.any(axis=1)].sum() < target * w.sum():
        return
    with pytest.MonkeyPatch.context() as mp:
        if alone:
            mp.setattr(_bypart, "PRICED_ROWS", 0)
        plan = solve_min_sites(A, w, target, mip_rel_gap=0.0)
    assert plan.objective == brute_min_sites(dense, w, target)
    assert plan.status == "optimal" and plan.bound == plan.objective
    assert plan.covered_weight >= target * w.sum() - 1e-9 * w.sum()


def test_the_fewest_by_parts_on_a_cluster_are_those_of_this_process():
    """The parts' solves of a target run as tasks (a cluster of threads here)."""
    distributed = pytest.importorskip("distributed")
    from aedplan import tasks
    from aedplan.optimise import solve_min_sites

    A = blocks(TRAP, TRAP, TRAP, TRAP)
    w = np.arange(1.0, A.shape[0] + 1.0)  # parts of different worth
    here = solve_min_sites(A, w, 0.85, mip_rel_gap=0.0)
    with distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=":0") as c, \
            distributed.Client(c) as client, \
            tasks.cluster(client=client) as runner, tasks.use(runner):
        there = solve_min_sites(A, w, 0.85, mip_rel_gap=0.0)
        assert runner.tasks > 0
    assert there.status == here.status == "optimal"
    assert there.objective == here.objective == brute_min_sites(A.toarray(), w, 0.85)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.3, 0.9))
def test_a_count_the_parts_leave_open_is_closed_by_the_direct_model(seed, target):
    """When the parts end without a proof (here: they return the greedy choice and no
    bound), the direct model over the whole instance proves the fewest."""
    from aedplan.optimise import min_sites, solve_min_sites

    rng = np.random.default_rng(seed)
    A = blocks(*[rng.random((int(rng.integers(3, 8)), int(rng.integers(2, 5)))) < 0.45
                 for _ in range(3)])
    w = rng.integers(1, 6, A.shape[0]).astype(float)
    dense = A.toarray()
    if w[dense.any(axis=1)].sum() < target * w.sum():
        return
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(min_sites, "fewest_by_parts", lambda red, need, start, **k: (start, 0))
        plan = solve_min_sites(A, w, target, mip_rel_gap=0.0)
    assert plan.objective == brute_min_sites(dense, w, target)
    assert plan.status == "optimal" and plan.bound == plan.objective
