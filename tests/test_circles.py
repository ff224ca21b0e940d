"""Rescue circles agree with the time model."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aedplan.circles import rescue_circles
from aedplan.errors import InputError
from aedplan.reach import reach_times
from aedplan.snapping import snap

from .conftest import X0, Y0, network_from_segments, points
from .test_reach import small_networks

RES = 5.0
TOL = RES * np.sqrt(2) + 1e-6


def test_circle_on_a_straight_street_is_a_diamond_band(line5):
    # one-way 100 s at 1 m/s from x=200: street reached from 100 to 300, and off-street
    # points are covered while along + off <= 100
    c = rescue_circles(
        line5,
        points([(200.0, 0.0)]),
        minutes=100 / 60,
        mode="one-way",
        speed_m_s=1.0,
        resolution_m=RES,
    )
    poly = c.circles.geometry.iloc[0]
    assert c.circles["aed"].tolist() == [0]
    inside = [(200, 90), (200, -90), (150, 45), (105, 0), (295, 0)]
    outside = [(200, 110), (150, 60), (90, 0), (310, 0), (120, 40)]
    for x, y in inside:
        assert poly.contains(shapely.Point(X0 + x, Y0 + y)), (x, y)
    for x, y in outside:
        assert not poly.contains(shapely.Point(X0 + x, Y0 + y)), (x, y)
    # the exact region is a square of diagonal 200 m: area 20,000 m²
    assert c.circles.area_m2.iloc[0] == pytest.approx(20_000, rel=0.08)
    assert c.circles.max_s.iloc[0] <= 100.0
    assert c.circles.max_s.iloc[0] > 95.0


def test_unreachable_block_leaves_a_hole():
    # a 200 m square ring of streets with an AED at each corner: 110 s one-way at
    # 1 m/s reaches every street point (at most 100 m from a corner) but not the middle
    # of the block (100 m along + 100 m off the street)
    ring = [[(0, 0), (200, 0)], [(200, 0), (200, 200)], [(200, 200), (0, 200)], [(0, 200), (0, 0)]]
    net = network_from_segments(ring)
    corners = points([(0.0, 0.0), (200.0, 0.0), (200.0, 200.0), (0.0, 200.0)])
    c = rescue_circles(
        net, corners, minutes=110 / 60, mode="one-way", speed_m_s=1.0, resolution_m=RES
    )
    union = c.union
    assert not union.contains(shapely.Point(X0 + 100, Y0 + 100))
    assert union.contains(shapely.Point(X0 + 100, Y0 + 8))
    assert union.geom_type == "Polygon"
    assert shapely.get_num_interior_rings(union) == 1
    hole = shapely.Polygon(union.interiors[0])
    # the hole is the diamond |x-100| + |y-100| > ... of points needing > 110 s
    assert hole.contains(shapely.Point(X0 + 100, Y0 + 100))
    assert 2_000 < hole.area < 20_000


def test_convex_method_fills_holes_and_ignores_partial_edges(line5):
    c = rescue_circles(
        line5,
        points([(200.0, 0.0)]),
        minutes=150 / 60,
        mode="one-way",
        speed_m_s=1.0,
        method="convex",
    )
    # reached nodes x=100..300 only: a degenerate hull along the street
    assert c.circles.area_m2.iloc[0] == pytest.approx(0.0, abs=1e-6)


def test_bad_method(line5):
    with pytest.raises(InputError, match="`method`"):
        rescue_circles(line5, points([(0.0, 0.0)]), method="isochrone")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    small_networks(),
    st.sampled_from(["round-trip", "one-way"]),
    st.floats(0.5, 3.0),
    st.integers(0, 2**31 - 1),
)
def test_point_inside_circle_iff_reached_in_time(case, mode, minutes, seed):
    segs, src, _, access = case
    net = network_from_segments(segs, largest_component=False)
    aeds = snap(net, points(src, access_s=access), strict=False, max_snap_m=1e6)
    c = rescue_circles(net, aeds, minutes=minutes, mode=mode, speed_m_s=1.4, resolution_m=RES)
    rng = np.random.default_rng(seed)
    xy = rng.uniform(-60, 360, size=(400, 2))
    # patients snapped as coverage snaps demand (a place over 200 m from every street is
    # never covered, and never inside a circle)
    targets = snap(net, points([tuple(p) for p in xy]), strict=False, warn_far=False)
    budget = minutes * 60
    r = reach_times(
        net, aeds, targets, minutes=minutes, mode=mode, speed_m_s=1.4, limit_s=budget * 20
    )
    factor = 2.0 if mode == "round-trip" else 1.0
    covered = r.target_s <= budget
    pts = shapely.points(xy[:, 0] + X0, xy[:, 1] + Y0)
    union = c.union
    inside = shapely.contains(union, pts)
    boundary_d = (
        shapely.distance(shapely.boundary(union), pts)
        if not union.is_empty
        else np.full(len(pts), np.inf)
    )
    # the stated tolerance: one grid cell, in distance to the boundary and in metres to
    # spare (regions thinner than a cell may be missed)
    spare_m = np.abs(r.target_s - budget) * 1.4 / factor
    clear = (boundary_d > TOL) & (spare_m > TOL)
    assert np.array_equal(inside[clear], covered[clear])
    # every node reached with a cell's worth of metres to spare lies in (or within a
    # cell of) the union
    node_spare = (budget - r.node_s) * 1.4 / factor
    sure = node_spare > TOL
    node_pts = shapely.points(net.x[sure], net.y[sure])
    assert np.all(shapely.distance(union, node_pts) <= TOL)


def test_an_aed_that_reaches_nothing_has_an_empty_circle(line5):
    # 30 m from the street with 20 m of one-way reach: no place is reached in time
    c = rescue_circles(line5, points([(200.0, 30.0)]), minutes=20 / 60, mode="one-way",
                       speed_m_s=1.0)
    assert c.circles.geometry.iloc[0].is_empty
    assert c.union.is_empty
    assert c.circles.area_m2.iloc[0] == 0.0
