"""The levers of the exact maximal covering solve, each against the plain model: odd-cycle
cuts at the root LP (a hand-made instance whose LP optimum violates one; every cut holds
for every integral choice), the LP's choices rounded into a start, priced solves of the
parts (a line above every budget), large parts solved alone with their own fixing (a
Lagrangian curve above every budget), and the exact reductions. Random instances are made
up; the real one is the embedded default's coverage matrix."""

from __future__ import annotations

import functools
import itertools
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from aedplan.optimise import _bypart, _core, _cuts, _highs, _reduce, mclp, solve_mclp
from aedplan.optimise.parts import Curves

from .test_optimise import FAST, brute_mclp, instances

# Four sites and six demand points of weight 1, one for each pair of sites: point "ab" is
# in reach of sites a and b only. With two sites, the LP opens every site at one half and
# covers every point (each is reached by 1/2 + 1/2): 6. Two whole sites cover the five
# pairs that meet them: 5. The odd-cycle cut of the three points of sites 0, 1, 2 (each of
# those sites reaches two of them, so c = 2 and ceil(c / 2) = 1)
#     y_01 + y_02 + y_12 <= (3 - 1) / 2 + x_0 + x_1 + x_2
# is 3 <= 2.5 at the LP optimum: violated by 1/2. Summed over the four triangles (each
# point in two, each site in three): 2 * sum(y) <= 4 + 3 * sum(x) <= 10, so with all four
# the LP bound is the optimum, 5.
PAIRS = list(itertools.combinations(range(4), 2))
K4 = np.array([[j in pair for j in range(4)] for pair in PAIRS])


def lp_optimum(A: np.ndarray, w: np.ndarray, p: int) -> tuple[float, np.ndarray, np.ndarray]:
    root = _cuts.root_cuts(sp.csr_array(A), w, p, deadline=_highs.Deadline.after(30),
                           max_rounds=0)
    x = root.x[-1]
    return root.bound, x, np.minimum(1.0, A @ x)


def test_the_lp_optimum_of_four_sites_violates_a_triangle_cut():
    bound, x, y = lp_optimum(K4, np.ones(6), 2)
    assert bound == pytest.approx(6.0)
    assert brute_mclp(K4, np.ones(6), 2) == 5.0
    S, C, rhs = _cuts.odd_cycle_cuts(sp.csr_array(K4.astype(float)), x, y)
    assert S.shape[0] >= 1
    for s, c, r in zip(S.toarray(), C.toarray(), rhs, strict=True):
        points = np.flatnonzero(s)
        sites = sorted({j for i in points for j in PAIRS[i]})
        assert points.size == 3 and len(sites) == 3 and r == 1.0  # a triangle
        assert c.tolist() == [1.0 if j in sites else 0.0 for j in range(4)]
        assert s @ y - c @ x - r == pytest.approx(0.5)  # 3 - 1.5 - 1
    # and each holds for every choice of whole sites
    X = np.array(list(itertools.product([0.0, 1.0], repeat=4)))
    assert (np.minimum(1, X @ K4.T) @ S.toarray().T <= X @ C.toarray().T + rhs).all()


def test_the_cuts_close_the_gap_of_four_sites():
    root = _cuts.root_cuts(sp.csr_array(K4.astype(float)), np.ones(6), 2,
                           deadline=_highs.Deadline.after(30))
    assert root.bound == pytest.approx(5.0)
    assert root.rows.shape[0] == 4  # the four triangles


def test_pairs_within_rows_by_hand():
    row, a, b = _cuts.pairs_within(np.array([0, 3, 3, 4, 6]), np.array([5, 6, 7, 8, 1, 2]))
    assert row.tolist() == [0, 0, 0, 3]
    assert list(zip(a.tolist(), b.tolist(), strict=True)) == [(5, 6), (5, 7), (6, 7), (1, 2)]


@st.composite
def fractional_points(draw):
    """A small covering matrix and an LP-like point: x in [0, 1], y <= min(1, A x); half
    of them with a triangle planted (three points, each reached by two of three sites at
    about one half), so that there are cuts to find."""
    n, m = draw(st.integers(3, 9)), draw(st.integers(3, 7))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    A = rng.random((n, m)) < draw(st.sampled_from([0.2, 0.3, 0.5]))
    x = rng.choice([0.0, 0.1, 1 / 3, 0.5, 2 / 3, 1.0], size=m)
    if draw(st.booleans()):
        A[:3, :3] = ~np.eye(3, dtype=bool)[:, ::-1]  # point i: the two sites other than 2 - i
        x[:3] = rng.choice([0.4, 0.5, 0.6], size=3)
    y = np.minimum(1.0, A @ x) * rng.choice([1.0, 1.0, 0.9], size=n)
    return A, x, y


@settings(max_examples=200, deadline=None)
@given(fractional_points())
def test_every_cut_holds_for_every_integral_choice(point):
    A, x, y = point
    S, C, rhs = _cuts.odd_cycle_cuts(sp.csr_array(A.astype(float)), x, y)
    assert (np.asarray(S @ y) - np.asarray(C @ x) - rhs > 1e-9).all()  # each violated here

    assert (np.diff(S.indptr) % 2 == 1).all()  # odd sets of rows
    X = np.array(list(itertools.product([0.0, 1.0], repeat=A.shape[1])))
    Y = np.minimum(1.0, X @ A.T)
    lhs, rhs_x = Y @ S.toarray().T, X @ C.toarray().T + rhs
    assert (lhs <= rhs_x + 1e-9).all()


@FAST
@given(instances())
def test_cuts_and_rounding_keep_the_optimum(inst):
    A, w, covered, p = inst
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_core, "CUTS_MIN_NNZ", 0)  # every core gets its root LP and cuts
        plan = solve_mclp(sp.csr_array(A), w, p, covered=covered)
    assert plan.covered_weight == pytest.approx(brute_mclp(A, w, p, covered), rel=1e-12,
                                                abs=1e-12)
    assert plan.status == "optimal" and plan.sites.size <= p


def brute_curve(A: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The best covered weight with at most k sites, for every k."""
    m = A.shape[1]
    return np.array([brute_mclp(A, w, k) for k in range(m + 1)])


def test_a_priced_solve_by_hand():
    # three sites: site 0 reaches points of weight 3 + 3, site 1 the second of them and
    # one of weight 2, site 2 one of weight 1. At 2.5 a site, site 0 (6 - 2.5) and site 1
    # (2 - 2.5 < 0 once site 0 is in) give: {0} worth 3.5; {0, 1} 8 - 5 = 3; {0, 1, 2} 9 -
    # 7.5: the best is {0}, and 6 + 2.5 (k - 1) bounds every budget, touching at k = 1
    A = sp.csr_array(np.array([[1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1]], dtype=bool))
    w = np.array([3.0, 3.0, 2.0, 1.0])
    got = _core.solve_priced(A, w, 2.5, np.array([1, 2]), deadline=_highs.Deadline.after(10),
                             threads=None)
    assert got.sites.tolist() == [0] and got.value == 6.0
    assert got.intercept == pytest.approx(3.5)
    curve = brute_curve(A.toarray(), w)  # 0, 6, 8, 9
    assert curve.tolist() == [0.0, 6.0, 8.0, 9.0]
    assert (curve <= got.intercept + 2.5 * np.arange(4) + 1e-9).all()


@settings(max_examples=60, deadline=None)
@given(instances(max_demand=20, max_sites=9), st.floats(0.0, 3.0))
def test_a_priced_solve_bounds_every_budget(inst, price):
    A, w, _, _ = inst
    got = _core.solve_priced(sp.csr_array(A), w, price, np.zeros(0, dtype=np.int64),
                             deadline=_highs.Deadline.after(10), threads=None)
    curve = brute_curve(A, w)
    k = got.sites.size
    tol = 1e-6 * max(w.mean(), 1e-300)  # HiGHS's own: 1e-6 of a mean weight
    assert (curve <= got.intercept + price * np.arange(curve.size) + tol).all()
    assert got.value >= curve[k] - tol  # its choice is the best of its size
    assert got.value - price * k == pytest.approx(got.intercept, abs=tol)


# --------------------------------------------------------------------------------------------
# Each lever alone against the plain model, on the real embedded default
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def embedded():
    """Demand every 50 m along the embedded default's streets, every node a site."""
    from aedplan.coverage import coverage_matrix
    from aedplan.datasets import default_osm_path
    from aedplan.demand import demand_from_network
    from aedplan.network import load_network
    from aedplan.timemodel import TimeModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = load_network(default_osm_path())
    demand = demand_from_network(net, spacing_m=50.0).to_crs(net.crs)
    A = coverage_matrix(net, demand, np.column_stack([net.x, net.y]), model=TimeModel())
    return sp.csr_array(A), demand["weight"].to_numpy()


def plain(mp: pytest.MonkeyPatch) -> None:
    """Every lever off: no row merged, no site dominated, no cut, no price."""
    mp.setattr(_reduce, "merge_rows", lambda A, w, level: (A, w, level))
    mp.setattr(mclp, "reduce", functools.partial(_reduce.reduce, dominance=False))
    mp.setattr(mclp, "CUTS", False)
    mp.setattr(_bypart, "PRICED", False)
    mp.setattr(_bypart, "PRICED_ROWS", 10**12)


LEVERS = {
    "merge": lambda mp: mp.setattr(_reduce, "merge_rows", _reduce.merge_rows),
    "dominance": lambda mp: mp.setattr(mclp, "reduce", _reduce.reduce),
    "cuts": lambda mp: (mp.setattr(mclp, "CUTS", True), mp.setattr(_core, "CUTS_MIN_NNZ", 0)),
    "priced": lambda mp: mp.setattr(_bypart, "PRICED", True),
    "parts alone": lambda mp: mp.setattr(_bypart, "PRICED_ROWS", 0),
}


@pytest.mark.parametrize("budget", [20, 60])
def test_each_lever_alone_gives_the_plain_optimum_on_real_data(embedded, budget):
    A, w = embedded
    with pytest.MonkeyPatch.context() as mp:
        plain(mp)
        base = solve_mclp(A, w, budget, mip_rel_gap=0.0)
        assert base.status == "optimal"
    for name, switch in LEVERS.items():
        with pytest.MonkeyPatch.context() as mp:
            plain(mp)
            switch(mp)
            plan = solve_mclp(A, w, budget, mip_rel_gap=0.0)
        assert plan.status == "optimal", name
        assert plan.objective == pytest.approx(base.objective, rel=1e-12), name


@settings(max_examples=60, deadline=None)
@given(instances(max_demand=20, max_sites=9), st.floats(0.0, 3.0))
def test_a_priced_answer_keeps_a_parts_curves_honest(inst, price):
    A, w, _, _ = inst
    keep = w > 0
    A, w = A[keep], w[keep]
    if w.size == 0:
        return
    m = A.shape[1]
    curves = Curves(np.zeros(m + 1), np.full(m + 1, w.sum()))
    part = _bypart._Part(rows=np.arange(w.size), sites=np.arange(m), greedy=np.zeros(0, int),
                         curves=curves)
    found = _bypart._solve_apart(sp.csr_array(A), w, 1, np.zeros(0, dtype=np.int64), 10.0,
                                 None, price)
    answer = _bypart._answer(part, found, price)
    assert answer is not None and answer[3] is False  # it settles no budget
    truth = brute_curve(A, w)
    tol = 1e-6 * w.mean()
    assert (curves.upper >= truth - tol).all()  # above the part's true curve ...
    assert (curves.lower <= truth + tol).all()  # ... and its choices below it
    k = found[0].size
    if 0 < k <= m:
        assert curves.upper[k] == pytest.approx(truth[k], abs=tol)  # touching at k


@settings(max_examples=60, deadline=None)
@given(instances(max_demand=20, max_sites=9), st.integers(0, 9))
def test_a_part_solved_alone_bounds_every_budget(inst, b):
    """A part solved as an MCLP of its own (its reductions and Lagrangian fixing): the
    best choice at its budget, and a Lagrangian bound at every other budget above the
    part's true curve, equal to its proven bound at the budget."""
    A, w, _, _ = inst
    keep = w > 0
    A, w = A[keep], w[keep]
    m = A.shape[1]
    if w.size == 0 or b > m:
        return
    sites, value, bound, every = mclp.exact_part(sp.csr_array(A), w, b,
                                                 np.zeros(0, dtype=np.int64), 10.0, None, 0.0)
    truth = brute_curve(A, w)
    tol = 1e-6 * w.mean()
    assert sites.size <= b and value == pytest.approx(truth[b], abs=tol)
    assert bound >= truth[b] - tol
    if every is not None:
        every = np.r_[every, np.full(max(0, m + 1 - every.size), every[-1])][:m + 1]
        assert (every >= truth - tol).all()


def test_parts_priced_on_a_cluster_give_the_plan_of_this_process():
    """The priced solves run as tasks like the budget ones (a cluster of threads here)."""
    distributed = pytest.importorskip("distributed")
    from aedplan import tasks

    from .test_parts import TRAP, blocks, by_parts

    A = blocks(TRAP, TRAP, TRAP, TRAP)
    w = np.arange(1.0, A.shape[0] + 1.0)  # parts of different worth
    here = by_parts(A, w, 5)
    with distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=":0") as c, \
            distributed.Client(c) as client, \
            tasks.cluster(client=client) as runner, tasks.use(runner):
        there = by_parts(A, w, 5)
        assert runner.tasks > 0
    assert here is not None and there is not None
    assert there.status == here.status == "optimal"
    assert there.value == pytest.approx(here.value) == brute_mclp(A.toarray(), w, 5)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6))
def test_two_rows_alone_cut_nothing(seed, m):
    """The covering rows of two demand points with their bounds are totally unimodular:
    whatever the objective, their LP has a whole optimum, so no inequality drawn from two
    points alone ("two-customer" cuts) cuts an LP point off."""
    from scipy.optimize import linprog

    rng = np.random.default_rng(seed)
    a = rng.random((2, m)) < 0.6
    c = rng.normal(size=m + 2)  # over [x (m sites), y_1, y_2], any sign
    rows = np.hstack([-a.astype(float), np.eye(2)])  # y_i - sum_j a_ij x_j <= 0
    lp = linprog(-c, A_ub=rows, b_ub=np.zeros(2), bounds=(0, 1), method="highs")
    whole = np.array(list(itertools.product([0.0, 1.0], repeat=m + 2)))
    ok = (whole @ rows.T <= 1e-12).all(axis=1)
    assert -lp.fun == pytest.approx((whole[ok] @ c).max(), abs=1e-9)


def test_the_fewest_by_parts_equal_the_whole_on_real_data(embedded, monkeypatch):
    """The embedded default's streets fall apart into 76 independent parts: the fewest new
    AEDs for 30% of the street length, part by part, equal the count on the whole instance
    (walked down by Lagrangian decisions), both proven."""
    from aedplan.optimise import min_sites, solve_min_sites

    A, w = embedded
    calls = []
    by_parts = _bypart.fewest_by_parts
    monkeypatch.setattr(min_sites, "fewest_by_parts",
                        lambda *a, **k: calls.append(by_parts(*a, **k)) or calls[-1])
    parts = solve_min_sites(A, w, 0.3, mip_rel_gap=0.0)
    assert calls and calls[0] is not None  # solved part by part
    monkeypatch.setattr(min_sites, "fewest_by_parts", lambda *a, **k: None)
    whole = solve_min_sites(A, w, 0.3, mip_rel_gap=0.0)
    assert parts.status == whole.status == "optimal"
    assert parts.objective == whole.objective == parts.bound
    assert parts.covered_weight >= 0.3 * w.sum() * (1 - 1e-9)
