"""Plans that move today's AEDs or keep a floor per district: a street worked by hand,
and invariants on the real Vaduz centre (its real AEDs and their real hours)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from aedplan import TimeModel, plan_sites
from aedplan.candidates import candidates_from_network
from aedplan.demand import demand_from_network
from aedplan.errors import AedplanError, InfeasibleError
from aedplan.hours import availability

from .conftest import CRS, X0, Y0, network_from_segments, points

#: one way, 1 m/s, 150 s: an AED reaches 150 m along the street
ONE_WAY = TimeModel(150 / 60, "one-way", 1.0)


@pytest.fixture
def street():
    """A street of 6 nodes at x = 0 .. 500, a demand point at each node."""
    net = network_from_segments([[(i * 100.0, 0.0), ((i + 1) * 100.0, 0.0)] for i in range(5)])
    demand = points([(i * 100.0, 0.0) for i in range(6)], weight=np.ones(6))
    sites = points([(i * 100.0, 0.0) for i in range(6)])
    return net, demand, sites


def test_a_redundant_aed_moves_to_the_gap_by_hand(street):
    # AED a at 0 reaches 0 and 100; AED b at 100 reaches 0, 100, 200. Moved to 400,
    # a reaches 300, 400 and 500: all six points; any other move leaves one out.
    net, demand, sites = street
    aeds = points([(0.0, 0.0), (100.0, 0.0)], id=["a", "b"], name=["A", "B"])
    plan = plan_sites(net, demand, sites, aeds=aeds, budget=0, relocate=1, model=ONE_WAY,
                      mip_rel_gap=0.0)
    assert plan.before.covered_weight == 3 and plan.after.covered_weight == 6
    assert plan.plan.status == "optimal"
    m = plan.moves
    assert m[["aed_id", "to_rank", "to_candidate"]].values.tolist() == [["a", 1, 4]]
    assert m["distance_m"].tolist() == pytest.approx([400.0])
    assert m["gained_weight"].tolist() == pytest.approx([3.0])  # undone: back to 3
    assert plan.proposed["candidate"].tolist() == [4]
    # the map says which placed AEDs were moved, and draws the move
    from aedplan.render import page_html, render_map

    html = page_html(render_map(plan, lang="en"))
    assert "with 1 AED placed (0 new, 1 moved)" in html and "AEDs moved" in html
    # without moves the same budget adds nothing; buying one instead does as well
    stay = plan_sites(net, demand, sites, aeds=aeds, budget=0, model=ONE_WAY)
    assert stay.after.covered_weight == 3 and stay.moves is None
    buy = plan_sites(net, demand, sites, aeds=aeds, budget=1, model=ONE_WAY)
    assert buy.after.covered_weight == 6


def test_only_movable_aeds_move(street):
    # b may not move, and a moved covers at most 300-500: the same here; with a fixed
    # and b movable, b moves to 400 and a keeps 0-100: 5 points
    net, demand, sites = street
    aeds = points([(0.0, 0.0), (100.0, 0.0)], id=["a", "b"])
    plan = plan_sites(net, demand, sites, aeds=aeds, budget=0, relocate=1, model=ONE_WAY,
                      movable=[False, True], mip_rel_gap=0.0)
    assert plan.moves["aed_id"].tolist() == ["b"] and plan.after.covered_weight == 5
    with pytest.raises(AedplanError, match="`movable`: one boolean per AED"):
        plan_sites(net, demand, sites, aeds=aeds, budget=0, relocate=1, movable=[True])
    with pytest.raises(AedplanError, match=r"`relocate=1` needs a `budget` of new AEDs"):
        plan_sites(net, demand, sites, aeds=aeds, target_coverage=0.5, relocate=1)
    with pytest.raises(AedplanError, match=r"`relocate=1` needs the exact solver"):
        plan_sites(net, demand, sites, aeds=aeds, budget=1, relocate=1, solver="greedy")
    with pytest.raises(AedplanError, match=r"`movable` says which AEDs `relocate` may move"):
        plan_sites(net, demand, sites, aeds=aeds, budget=1, movable="restricted")


def test_restricted_aeds_move_first_round_the_clock(street):
    # a is behind a door (access=private): round the clock it covers nothing, so moving
    # it costs nothing; b is public but open only half the week
    net, demand, sites = street
    aeds = points([(300.0, 0.0), (100.0, 0.0)], id=["a", "b"], access=["private", "yes"],
                  opening_hours=["24/7", "Mo-Th 00:00-24:00"])
    av = availability(aeds)
    plan = plan_sites(net, demand, sites, aeds=aeds, budget=0, relocate=1, model=ONE_WAY,
                      hours=av, profile="uniform", movable="restricted", mip_rel_gap=0.0)
    assert plan.moves["aed_id"].tolist() == ["a"]
    # b covers 0-200 four days of seven; a, moved to 400 as a 24/7 cabinet, 300-500
    assert plan.hours_after.round_the_clock == pytest.approx((3 * 4 / 7 + 3) / 6)
    assert plan.hours_before.round_the_clock == pytest.approx(3 * 4 / 7 / 6)


def halves():
    return gpd.GeoDataFrame({"name": ["west", "east"]}, crs=CRS, geometry=[
        shapely.box(X0 - 50, Y0 - 50, X0 + 250, Y0 + 50),
        shapely.box(X0 + 250, Y0 - 50, X0 + 550, Y0 + 50)])


def test_district_floors_hold_and_cost_what_they_cost(street):
    # demand weighted to the west: one AED goes west unless east must reach half
    net, demand, sites = street
    demand = demand.assign(weight=[5.0, 5.0, 5.0, 1.0, 1.0, 1.0])
    free = plan_sites(net, demand, sites, budget=1, model=ONE_WAY, mip_rel_gap=0.0)
    assert free.after.covered_weight == 15
    fair = plan_sites(net, demand, sites, budget=2, model=ONE_WAY, districts=halves(),
                      min_district_coverage=0.5, mip_rel_gap=0.0)
    east = fair.demand.geometry.x.to_numpy() > X0 + 250
    assert fair.demand.loc[east & fair.demand["covered_after"], "weight"].sum() >= 1.5
    # one AED: unconstrained it stands at 100 (west: 15); for 30% of the east it must
    # stand at 200 (west 10, east 1): the floor costs 4 of 18
    one = plan_sites(net, demand, sites, budget=1, model=ONE_WAY, districts=halves(),
                     min_district_coverage=0.3, mip_rel_gap=0.0)
    assert one.proposed.geometry.x.tolist() == [X0 + 200.0]
    assert one.floors["covered_weight"] == 11 and one.floors["without_floors_weight"] == 15
    assert one.floors["price_share"] == pytest.approx(4 / 18)
    with pytest.raises(InfeasibleError, match="`budget`: too few new AEDs to keep every "
                                              "district's floor at once"):
        plan_sites(net, demand, sites, budget=0, model=ONE_WAY, districts=halves(),
                   min_district_coverage=0.5)
    # with sites at 0-200 only, the east (300-500) is reached at 300 alone: 1/3 at most
    west_sites = sites.iloc[:3]
    with pytest.raises(InfeasibleError, match=r"`min_district_coverage`: 1 district\(s\) "
                                              r"cannot reach 50.0% .*: east \(at most 33.3%\)"):
        plan_sites(net, demand, west_sites, budget=3, model=ONE_WAY, districts=halves(),
                   min_district_coverage=0.5)
    with pytest.raises(InfeasibleError, match="`min_per_community`: east has 0 candidate"):
        plan_sites(net, demand, west_sites.iloc[:2], budget=3, model=ONE_WAY,
                   districts=halves(), min_per_community=1)
    per = plan_sites(net, demand, sites, budget=2, model=ONE_WAY, districts=halves(),
                     min_per_community=1, mip_rel_gap=0.0)
    xs = per.proposed.geometry.x.to_numpy() - X0
    assert (xs < 250).sum() >= 1 and (xs > 250).sum() >= 1
    with pytest.raises(AedplanError, match="`min_per_community` needs `districts`"):
        plan_sites(net, demand, sites, budget=1, min_per_community=1)


def test_relocating_restricted_aeds_in_vaduz(vaduz):
    """Real AEDs with their real access and hours: moves go only to restricted AEDs, and
    the plan is no worse than keeping them and buying as many."""
    net, aeds, _ = vaduz
    demand = demand_from_network(net, spacing_m=50.0)
    sites = candidates_from_network(net, spacing_m=None)
    av = availability(aeds)
    restricted = ~av.public
    assert restricted.sum() >= 2
    k = 2
    moved = plan_sites(net, demand, sites, aeds=aeds, budget=1, relocate=k, hours=av,
                       movable="restricted", time_limit_s=60)
    bought = plan_sites(net, demand, sites, aeds=aeds, budget=1, hours=av, time_limit_s=60)
    assert len(moved.moves) <= k
    assert restricted[moved.moves["aed"].to_numpy()].all()
    assert (moved.hours_after.round_the_clock
            >= bought.hours_after.round_the_clock - 1e-9)
    assert (moved.moves["gained_weight"] >= -1e-9).all()
    assert moved.plan.gap <= 1e-4
