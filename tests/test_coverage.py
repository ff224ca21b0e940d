"""Coverage matrix and statistics."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aedplan.coverage import (
    coverage_matrix,
    coverage_stats,
    coverage_times,
    hot_spots,
    summarise_times,
)
from aedplan.errors import InputError
from aedplan.reach import reach_times
from aedplan.snapping import snap
from aedplan.timemodel import TimeModel

from .conftest import X0, Y0, network_from_segments, points, small_networks

ONE_WAY_100 = {"model": TimeModel(100 / 60, "one-way", 1.0)}


def test_matrix_by_hand(line5):
    demand = points([(0.0, 0.0), (150.0, 0.0), (260.0, 30.0), (400.0, 0.0)])
    sites = points([(100.0, 0.0), (300.0, 0.0), (390.0, 0.0)], access_s=[0.0, 0.0, 95.0])
    a = coverage_matrix(line5, demand, sites, **ONE_WAY_100)
    assert a.dtype == bool and a.shape == (4, 3)
    assert a.toarray().tolist() == [
        [True, False, False],
        [True, False, False],
        [False, True, False],  # 40 m along + 30 m off the street = 70 s
        [False, True, False],  # 100 s exactly from x=300; from x=390, 10 s + 95 s access
    ]
    t = coverage_times(line5, demand, sites, **ONE_WAY_100)
    assert t[2, 1] == pytest.approx(70.0)
    assert t[3, 1] == pytest.approx(100.0)
    # 10 m along and 95 s to open the cabinet: 105 s, over the budget
    assert t[3, 2] == 0.0 and not a[3, 2]
    assert t[0, 0] == pytest.approx(100.0)


def test_stats_by_hand(line5):
    demand = points(
        [(0.0, 0.0), (150.0, 0.0), (260.0, 30.0), (400.0, 0.0)], weight=[1.0, 2.0, 3.0, 4.0]
    )
    s = coverage_stats(line5, demand, points([(100.0, 0.0)]), **ONE_WAY_100)
    assert s.covered_weight == pytest.approx(3.0)
    assert s.total_weight == pytest.approx(10.0)
    assert s.coverage == pytest.approx(0.3)
    assert s.time_s[:2] == pytest.approx([100.0, 50.0])
    assert np.isinf(s.time_s[2:]).all()
    assert s.nearest.tolist() == [0, 0, -1, -1]
    empty = coverage_stats(line5, demand, points([]), **ONE_WAY_100)
    assert empty.coverage == 0.0


def test_summarise_times_shares():
    df = summarise_times(
        np.array([30.0, 90.0, 200.0, np.inf]), np.array([1.0, 1.0, 1.0, 1.0]), budget_s=240.0
    )
    assert df["minutes"].tolist() == [1.0, 2.0, 3.0, 4.0]
    assert df["share_of_weight"].tolist() == [0.25, 0.5, 0.5, 0.75]
    with pytest.raises(InputError, match="same length"):
        summarise_times(np.zeros(3), np.zeros(2), budget_s=240.0)


def test_hot_spots_rank_uncovered_weight(line5):
    demand = points([(10.0, 10.0), (20.0, 20.0), (600.0, 600.0)], weight=[1.0, 2.0, 5.0])
    spots = hot_spots(demand, np.array([True, True, True]), cell_m=100.0)
    assert spots["uncovered_weight"].tolist() == [5.0, 3.0]
    assert spots["rank"].tolist() == [1, 2]
    assert spots.crs == "EPSG:4326"  # as every builder's frames
    # 100 m cells of the demand's own metric CRS: the heaviest holds the point at
    # (600, 600), the next the two near the origin
    cells = spots.to_crs(demand.crs).bounds.to_numpy() - [X0, Y0, X0, Y0]
    np.testing.assert_allclose(cells, [[600, 600, 700, 700], [0, 0, 100, 100]], atol=1e-6)


def test_matrix_columns_equal_single_source_reach(grid3):
    demand = points([(x, y) for x in range(0, 201, 20) for y in (0.0, 35.0, 100.0, 160.0)])
    sites = points([(30.0, 0.0), (200.0, 170.0), (100.0, 100.0), (60.0, 100.0)])
    kw = {"model": TimeModel(1.0, "round-trip", 3.0)}
    a = coverage_matrix(grid3, demand, sites, **kw).toarray()
    d = snap(grid3, demand)
    for j in range(4):
        r = reach_times(grid3, sites.iloc[[j]], d, **kw)
        assert np.array_equal(a[:, j], np.isfinite(r.target_s))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_networks(), st.floats(0.3, 3.0))
def test_adding_an_aed_never_lowers_coverage(case, minutes):
    segs, src, tgt, access = case
    net = network_from_segments(segs, largest_component=False)
    demand = snap(net, points(tgt), strict=False, max_snap_m=1e6)
    aeds = snap(net, points(src, access_s=access), strict=False, max_snap_m=1e6)
    fewer_aeds = aeds.take(np.arange(len(aeds) - 1))  # the last AED left out
    model = TimeModel(minutes)
    more = coverage_stats(net, demand, aeds, model=model)
    fewer = coverage_stats(net, demand, fewer_aeds, model=model)
    assert more.covered_weight >= fewer.covered_weight
    assert np.all(more.time_s <= fewer.time_s + 1e-9)
    # nearest-AED coverage equals "any column of the matrix"
    a = coverage_matrix(net, demand, aeds, model=model)
    assert np.array_equal(np.asarray(a.sum(axis=1)).ravel() > 0, np.isfinite(more.time_s))


def test_plan_sites_by_hand(line5):
    from aedplan.plan import plan_sites

    # demand at x = 0, 100, 200, 300, 400 (weights 1, 1, 5, 5, 1); an AED at x=0
    demand = points([(x, 0.0) for x in (0.0, 100.0, 200.0, 300.0, 400.0)],
                    weight=[1.0, 1.0, 5.0, 5.0, 1.0])
    aeds = points([(0.0, 0.0)], name=["town hall"])
    cands = points([(100.0, 0.0), (250.0, 0.0), (400.0, 0.0)], name=["a", "b", "c"],
                   kind=["school", "pharmacy", "shop"])
    # one-way 60 s at 1 m/s: the AED covers x<=60; "b" covers 200 and 300
    one_way = TimeModel(1.0, "one-way", 1.0)
    sp = plan_sites(line5, demand, cands, aeds=aeds, budget=2, model=one_way)
    assert sp.proposed["name"].tolist() == ["b", "a"]
    assert sp.proposed["rank"].tolist() == [1, 2]
    assert sp.proposed["added_weight"].tolist() == [10.0, 1.0]
    assert sp.before.covered_weight == 1.0
    assert sp.after.covered_weight == 12.0
    assert sp.demand["covered_after"].tolist() == [True, True, True, True, False]
    assert sp.demand["walk_s_after"].iloc[2] == pytest.approx(50.0)
    assert sp.plan.status == "optimal"
    target = plan_sites(line5, demand, cands, aeds=aeds, target_coverage=0.9, model=one_way)
    assert len(target.proposed) == 2 and target.after.coverage >= 0.9
    with pytest.raises(InputError, match="exactly one of `budget`"):
        plan_sites(line5, demand, cands, budget=1, target_coverage=0.5)


def test_plan_sites_checks_demand_weights(line5):
    from aedplan.plan import plan_sites

    demand = points([(0.0, 0.0), (100.0, 0.0)], weight=[1.0, -2.0])
    with pytest.raises(InputError, match="`weights` must be finite and non-negative"):
        plan_sites(line5, demand, points([(50.0, 0.0)]), budget=1)
