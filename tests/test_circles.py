"""Rescue circles agree with the time model."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aedplan import circles as module
from aedplan.circles import rescue_circles
from aedplan.errors import AedplanWarning, InputError
from aedplan.reach import pair_times, reach_times
from aedplan.snapping import (
    DEFAULT_MAX_SNAP_M,
    lattice_candidates,
    snap,
    snap_lattice,
    snap_to_segments,
    snapped,
)
from aedplan.timemodel import TimeModel

from .conftest import X0, Y0, data_path, network_from_segments, points, small_networks

RES = 5.0
TOL = RES * np.sqrt(2) + 1e-6


def test_circle_on_a_straight_street_is_a_diamond_band(line5):
    # one-way 100 s at 1 m/s from x=200: street reached from 100 to 300, and off-street
    # points are covered while along + off <= 100
    c = rescue_circles(
        line5,
        points([(200.0, 0.0)]),
        model=TimeModel(100 / 60, "one-way", 1.0),
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
        net, corners, model=TimeModel(110 / 60, "one-way", 1.0), resolution_m=RES
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
        model=TimeModel(150 / 60, "one-way", 1.0),
        method="convex",
    )
    # reached nodes x=100..300 only: a degenerate hull along the street
    assert c.circles.area_m2.iloc[0] == pytest.approx(0.0, abs=1e-6)
    # a footway inside a block, not joined to the streets around it (a path in a park):
    # places nearest to it are out of reach, a hole in the street circle; the convex hull
    # of the reached nodes fills it
    ring = [[(0, 0), (200, 0)], [(200, 0), (200, 200)], [(200, 200), (0, 200)], [(0, 200), (0, 0)]]
    net = network_from_segments([*ring, [(90, 100), (110, 100)]], largest_component=False)
    aed = points([(0.0, 0.0)])
    model = {"model": TimeModel(15.0, "one-way", 1.0)}  # 900 m: the whole ring
    (streets,) = rescue_circles(net, aed, **model, resolution_m=RES).circles.geometry
    (convex,) = rescue_circles(net, aed, **model, method="convex").circles.geometry
    park = shapely.Point(X0 + 100, Y0 + 100)
    assert shapely.get_num_interior_rings(streets) == 1 and not streets.contains(park)
    assert streets.contains(shapely.Point(X0 + 100, Y0 + 20))  # the block is reached
    assert shapely.get_num_interior_rings(convex) == 0 and convex.contains(park)
    assert convex.area == pytest.approx(200.0 * 200.0)


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
    model = TimeModel(minutes, mode, 1.4)
    c = rescue_circles(net, aeds, model=model, resolution_m=RES)
    rng = np.random.default_rng(seed)
    xy = rng.uniform(-60, 360, size=(400, 2)) + np.array([X0, Y0])
    # the centre of each place's lattice cell (the lattice is laid from 0, 0 of the CRS)
    centre = (np.floor(xy / RES) + 0.5) * RES
    off_lines = np.all(np.abs(xy - centre) < RES / 2 - 1e-6, axis=1)
    # places and cell centres snapped as coverage snaps demand, timed by the
    # nearest-AED search (not the per-AED search the circles are built with)
    both = snap(net, np.r_[xy, centre], strict=False, warn_far=False)
    r = reach_times(net, aeds, both, model=model, limit_s=model.budget_s * 20)
    n = xy.shape[0]
    t_place, t_centre = r.target_s[:n], r.target_s[n:]
    inside = shapely.contains(c.union, shapely.points(xy))
    # 1. the polygons are the lattice exactly: a place is inside iff its cell's centre is
    #    reached in time, as the coverage matrix counts it (pair_times): within the reach,
    #    a tie to a nanometre included (a place 81.5 m along and 2.5 m off the street from
    #    an AED with 84 m of reach, 1.4 * 60 m rounded, is reached)
    in_time = t_centre <= model.seconds(model.reach_m + 1e-9)
    assert np.array_equal(inside[off_lines], in_time[off_lines])
    # 2. the lattice follows the time model: along one street, the walk to a place and to
    #    its cell's centre differ by at most the difference of their positions along it
    #    plus that of their walks off it; with more than that to spare, both are on the
    #    same side of the budget
    links = np.bincount(both.link_point, minlength=2 * n)
    same = (links[:n] == 1) & (links[n:] == 1) & (both.edge[:n] == both.edge[n:])
    with np.errstate(invalid="ignore"):  # places off the streets: inf - inf
        shift_m = np.abs(both.position_m[:n] - both.position_m[n:]) + np.abs(
            both.offset_m[:n] - both.offset_m[n:]
        )
        spare_m = np.abs(t_place - model.budget_s) * model.speed_m_s / model.factor
        sure = off_lines & same & (spare_m > shift_m + 1e-6)
    assert np.array_equal(inside[sure], (t_place <= model.budget_s)[sure])
    # 3. every node reached with a cell's worth of metres to spare lies in (or within a
    #    cell of) the union
    node_spare = (model.budget_s - r.node_s) * model.speed_m_s / model.factor
    reached = node_spare > TOL
    node_pts = shapely.points(net.x[reached], net.y[reached])
    assert np.all(shapely.distance(c.union, node_pts) <= TOL)


def test_an_aed_that_reaches_nothing_has_an_empty_circle(line5):
    # 30 m from the street with 20 m of one-way reach: no place is reached in time
    c = rescue_circles(line5, points([(200.0, 30.0)]),
                       model=TimeModel(20 / 60, "one-way", 1.0))
    assert c.circles.geometry.iloc[0].is_empty
    assert c.union.is_empty
    assert c.circles.area_m2.iloc[0] == 0.0


@pytest.mark.filterwarnings("ignore::aedplan.errors.AedplanWarning")
@pytest.mark.parametrize("model", [TimeModel(4, "round-trip", 1.4), TimeModel(10, "one-way", 1.4)],
                         ids=["4 min round trip", "10 min one way"])
def test_deciding_blocks_of_places_changes_no_cell(model, monkeypatch):
    """Cells of 4 and 2 lattice places decided at once by bounds give exactly the
    polygons of timing every lattice place, on real streets with overlapping circles and
    AEDs behind a cabinet (access time)."""
    net, aeds = _real("vaduz-centre")
    blocks = rescue_circles(net, aeds, model=model).circles
    monkeypatch.setattr(module, "_LEVELS", 0)
    every = rescue_circles(net, aeds, model=model).circles
    assert len(blocks) == len(every) > 5
    assert shapely.equals(blocks.geometry.to_numpy(), every.geometry.to_numpy()).all()
    assert blocks["area_m2"].tolist() == every["area_m2"].tolist()
    # the longest time is that of a place timed inside: within a cell's walk of the
    # farthest lattice place's, never above it
    cell_s = model.seconds(RES * np.sqrt(2))
    assert np.all(blocks["max_s"] <= every["max_s"] + 1e-9)
    assert np.all(blocks["max_s"] >= every["max_s"] - cell_s)


def test_segment_links_of_a_bent_street():
    """Snapped to segments, a point on the inside of a bend is linked to both legs of the
    edge, each at its own nearest point; snapped to edges, once."""
    from aedplan.snapping import snap_to_segments

    # an L: (0, 0) -> (100, 0) -> (100, 100); the point (90, 10) is 10 m from both legs
    net = network_from_segments([[(0.0, 0.0), (100.0, 0.0), (100.0, 100.0)]],
                                largest_component=False)
    xy = np.array([[X0 + 90.0, Y0 + 10.0]])
    seg = snap_to_segments(net, xy, max_snap_m=50.0, tie_m=0.5)
    assert seg.link_edge.tolist() == [0, 0]
    assert sorted(seg.link_position_m.tolist()) == pytest.approx([90.0, 110.0])
    assert seg.link_offset_m.tolist() == pytest.approx([10.0, 10.0])
    one = snap(net, xy, max_snap_m=50.0, tie_m=0.5)
    assert one.link_point.shape[0] == 1 and one.offset_m[0] == pytest.approx(10.0)
    # farther from the bend, only the near leg is within the tie
    far = snap_to_segments(net, np.array([[X0 + 50.0, Y0 + 10.0]]), max_snap_m=50.0,
                           tie_m=0.5)
    assert far.link_position_m.tolist() == pytest.approx([50.0])


# --------------------------------------------------------------------------- the lattice
#
# Circles read their places' streets from a lattice searched once per network
# (aedplan.snapping.snap_lattice, lattice_candidates). The circles drawn before it, with a
# spatial query per place and per AED call, are kept here as the reference.


def _circles_before(net, aeds, model, res=RES):
    """The circles as drawn before the lattice was kept with the network: every lattice
    place within an AED's reach snapped with ``snap`` (a spatial query per place) and
    timed with ``pair_times``; the cells reached drawn by the same polygonise."""
    src = snapped(net, aeds, "aeds")
    use = np.flatnonzero(src.ok)
    reach = model.reach_m
    max_snap = min(DEFAULT_MAX_SNAP_M, reach)
    extent = shapely.total_bounds(net.edge_geometry) + np.array([-1, -1, 1, 1]) * (max_snap + res)
    col, row, centres = module._lattice(src.x[use], src.y[use], reach + res, res, extent)
    places = snap(net, centres, max_snap_m=max_snap, strict=False, warn_far=False)
    s, t, secs = pair_times(net, src, places, model=model, limit_s=model.seconds(reach))
    cells = [module._Cells(s, col[t], row[t], 1, secs)]
    return module._polygonise(cells, src.x[use], src.y[use], use, reach, res)


_REAL: dict = {}


def _real(name):
    """A real network and its AEDs (some behind a cabinet: 0, 10 or 20 s), loaded once:
    the circles of the tests below also read a lattice kept from the tests before."""
    if name not in _REAL:
        from aedplan.datasets import default_osm_path
        from aedplan.io import read_points
        from aedplan.network import load_network

        path = (default_osm_path() if name == "vaduz-schaan"
                else data_path("osm", "vaduz-centre-2024-03-03.osm.pbf"))
        with warnings.catch_warnings():  # the largest connected part is kept: as meant
            warnings.simplefilter("ignore", AedplanWarning)
            aeds = read_points(path)
            net = load_network(path)
        aeds["access_s"] = np.arange(len(aeds)) % 3 * 10.0
        _REAL[name] = (net, aeds)
    return _REAL[name]


@pytest.mark.filterwarnings("ignore::aedplan.errors.AedplanWarning")
@pytest.mark.parametrize("place", ["vaduz-centre", "vaduz-schaan"])
@pytest.mark.parametrize("model", [TimeModel(4, "round-trip", 1.4), TimeModel(4, "one-way", 1.4),
                                   TimeModel(10, "round-trip", 1.4),
                                   TimeModel(10, "one-way", 1.4)],
                         ids=["4 min round trip", "4 min one way", "10 min round trip",
                              "10 min one way"])
def test_circles_are_those_of_a_spatial_query_per_place(place, model):
    """The real Vaduz centre and Vaduz+Schaan (the embedded default), AEDs with access
    times: polygon for polygon, the circles drawn before the lattice."""
    net, aeds = _real(place)
    circles = rescue_circles(net, aeds, model=model).circles
    before = _circles_before(net, aeds, model)
    assert len(circles) == len(before) == len(aeds)
    assert shapely.equals(circles.geometry.to_numpy(), before).all()
    assert (circles.area_m2 > 0).sum() > len(aeds) // 2


def _lattice_square(net, side, step=RES):
    """The places of a square of ``side`` places a side at the middle of ``net``."""
    b = np.asarray(net.bounds())
    c0 = np.floor((b[:2] + b[2:]) / 2 / step).astype(int) - side // 2
    col, row = np.meshgrid(np.arange(c0[0], c0[0] + side), np.arange(c0[1], c0[1] + side))
    return col.ravel(), row.ravel()


_FIELDS = ("x", "y", "offset_m", "edge", "position_m", "link_point", "link_edge",
           "link_position_m", "link_offset_m")


@pytest.mark.parametrize("max_snap_m", [168.0, 200.0, 30.0])
def test_the_lattice_is_snapped_as_snap_snaps_it(max_snap_m):
    """Every place of a square of 360,000 real places, their links bit for bit."""
    net, _ = _real("vaduz-schaan")
    col, row = _lattice_square(net, 600)
    lattice = snap_lattice(net, col, row, RES, max_snap_m=max_snap_m)
    each = snap(net, np.column_stack([(col + 0.5) * RES, (row + 0.5) * RES]),
                max_snap_m=max_snap_m, strict=False, warn_far=False)
    assert 0 < each.ok.sum() < len(each)
    for field in _FIELDS:
        assert np.array_equal(getattr(lattice, field), getattr(each, field)), field
    # and asked again (the lattice kept with the network), in another order
    order = np.random.default_rng(0).permutation(col.shape[0])[:5000]
    again = snap_lattice(net, col[order], row[order], RES, max_snap_m=max_snap_m)
    for field in _FIELDS:
        assert np.array_equal(getattr(again, field), getattr(each.take(order), field)), field


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_networks(), st.sampled_from([1.0, 2.5, 5.0]), st.floats(5.0, 200.0),
       st.integers(-3, 3))
def test_a_lattice_is_snapped_as_snap_snaps_it(case, step, max_snap_m, shift):
    """Made-up networks (bent streets, junctions, places on a street or midway between
    two): the lattice's links are snap's, bit for bit."""
    net = network_from_segments(case[0], largest_component=False)
    col, row = np.meshgrid(np.arange(-30, 90) + int(X0 / step) + shift,
                           np.arange(-30, 90) + int(Y0 / step))
    col, row = col.ravel(), row.ravel()
    lattice = snap_lattice(net, col, row, step, max_snap_m=max_snap_m)
    each = snap(net, np.column_stack([(col + 0.5) * step, (row + 0.5) * step]),
                max_snap_m=max_snap_m, strict=False, warn_far=False)
    for field in _FIELDS:
        assert np.array_equal(getattr(lattice, field), getattr(each, field)), field


@pytest.mark.parametrize("size", [2, 4])
def test_a_cells_places_link_to_its_segments(size):
    """The bound the circles' cells rely on, on real streets: every link of a place of a
    cell (snap) is to an edge among its cell's segments, and the time through it moves
    from the cell centre's by at most sqrt(2) times the distance between them; the
    segments of a cell include those ``snap_to_segments`` gives its centre."""
    net, _ = _real("vaduz-centre")
    col, row = _lattice_square(net, 200 // size, RES * size)
    cells = lattice_candidates(net, col, row, size, RES, max_snap_m=168.0)
    half = (size - 1) / 2 * RES * np.sqrt(2)
    old = snap_to_segments(net, np.column_stack([cells.x, cells.y]), max_snap_m=168.0 + half,
                           tie_m=2 * half + 0.001)
    mine = set(zip(cells.link_point.tolist(), cells.link_edge.tolist(),
                   np.round(cells.link_offset_m, 6).tolist(), strict=True))
    assert set(zip(old.link_point.tolist(), old.link_edge.tolist(),
                   np.round(old.link_offset_m, 6).tolist(), strict=True)) <= mine
    di, dj = np.divmod(np.arange(size * size), size)
    pc, pr = (col[:, None] * size + di).ravel(), (row[:, None] * size + dj).ravel()
    cell = np.repeat(np.arange(col.shape[0]), size * size)
    places = snap(net, np.column_stack([(pc + 0.5) * RES, (pr + 0.5) * RES]), max_snap_m=168.0,
                  strict=False, warn_far=False)
    assert places.ok.any() and not places.ok.all()
    c = cell[places.link_point]
    # the best match of each place link among its cell's links on the same edge
    key_c = cells.link_point.astype(np.int64) * net.n_edges + cells.link_edge
    key_p = c.astype(np.int64) * net.n_edges + places.link_edge
    assert np.isin(key_p, key_c).all()
    order = np.argsort(key_c, kind="stable")
    lo, hi = np.searchsorted(key_c[order], key_p), np.searchsorted(key_c[order], key_p, "right")
    move = np.hypot(places.x[places.link_point] - cells.x[c],
                    places.y[places.link_point] - cells.y[c])
    assert np.all(move <= half + 1e-6)
    best = np.full(key_p.shape[0], np.inf)
    for k in range(int((hi - lo).max())):
        at = np.minimum(lo + k, order.shape[0] - 1)
        j = order[at]
        change = (np.abs(places.link_position_m - cells.link_position_m[j])
                  + np.abs(places.link_offset_m - cells.link_offset_m[j]))
        best = np.where(lo + k < hi, np.minimum(best, change), best)
    assert np.all(best <= np.sqrt(2) * move + 1e-6)


def test_bad_lattice_arguments(line5):
    with pytest.raises(InputError, match=r"`size` must be one of \[1, 2, 4, 8\]"):
        lattice_candidates(line5, [0], [0], 3, RES)
    with pytest.raises(InputError, match="`col` and `row` must be as long"):
        snap_lattice(line5, [0, 1], [0], RES)
    with pytest.raises(InputError, match="use a larger `step_m`"):
        snap_lattice(line5, [2**29], [0], RES)
    with pytest.raises(InputError, match="`step_m`"):
        snap_lattice(line5, [0], [0], 0.0)
