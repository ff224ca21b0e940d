"""Walking times and snapping, checked by hand on small networks and against networkx."""

from __future__ import annotations

import itertools

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aedplan.errors import AedplanWarning, CRSError, InputError
from aedplan.reach import pair_times, reach_times
from aedplan.snapping import near_streets, snap
from aedplan.timemodel import TimeModel

from .conftest import node_at, points, small_networks

ONE_WAY = {"model": TimeModel(15.0, "one-way", 1.0)}  # 900 m: every street here


def test_time_model_defaults():
    model = TimeModel()
    assert model.reach_m == pytest.approx(168.0)
    assert model.budget_s == 240.0
    assert TimeModel(mode="one-way").reach_m == pytest.approx(336.0)
    assert TimeModel(speed_m_s=2.0).reach_m == pytest.approx(240.0)


def test_time_model_rejects_bad_values_all_at_once():
    with pytest.raises(InputError, match=r"`minutes`.*; `mode`.*; `speed_m_s`"):
        TimeModel(minutes=-1, mode="walk", speed_m_s=0)
    with pytest.raises(InputError, match="km/h"):
        TimeModel(speed_m_s=5 * 3.6)


def test_snap_finds_edge_position_and_offset(line5):
    s = snap(line5, points([(130.0, 7.0), (0.0, -3.0), (400.0, 0.0)]))
    e = line5.edge_geometry[s.edge[0]]
    assert s.offset_m == pytest.approx([7.0, 3.0, 0.0], abs=1e-9)
    # position measured from the edge's u end
    u_x = line5.x[line5.edge_u[s.edge[0]]] - 500_000.0
    assert abs(s.position_m[0] - abs(130.0 - u_x)) < 1e-9
    assert e.length == pytest.approx(100.0)


def test_near_streets_is_within_the_snap_limit_by_hand(line5):
    # the street runs from x = 0 to 400 on y = 0; 200 m is the limit
    pts = points([(200.0, 199.0), (200.0, 201.0), (-150.0, 0.0), (550.0, 150.0),
                  (590.0, 10.0), (-100.0, 190.0)])
    # (550, 150) is 150 * sqrt(2) = 212 m from the end (400, 0), (590, 10) 190.3 m;
    # (-100, 190) is 215 m from (0, 0)
    assert near_streets(line5, pts, 200.0).tolist() == [True, False, True, False, True,
                                                         False]
    assert near_streets(line5, pts, 250.0).tolist() == [True] * 6


def test_near_streets_matches_every_distance_on_a_grid(grid3):
    rng = np.random.default_rng(3)
    xy = rng.uniform(-300.0, 500.0, size=(2_000, 2))
    pts = points([tuple(p) for p in xy])
    got = near_streets(grid3, pts, 120.0)
    lines = gpd.GeoSeries(grid3.edge_geometry, crs=grid3.crs)
    nearest = np.array([lines.distance(g).min() for g in pts.geometry])  # by hand, slowly
    assert np.array_equal(got, nearest <= 120.0)


def test_snapping_block_by_block_is_snapping_at_once(monkeypatch):
    """Many points are snapped in blocks on several threads: the same links, in the same
    order, as all at once (6,000 made-up points on the real Vaduz centre's streets)."""
    from aedplan import snapping
    from aedplan.network import load_network

    from ._data import data_path

    with pytest.warns(AedplanWarning):
        net = load_network(str(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf")))
    rng = np.random.default_rng(11)
    at = rng.integers(0, net.n_nodes, 6_000)  # near the streets: up to 100 m off a node
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(
        net.x[at] + rng.uniform(-100, 100, 6_000), net.y[at] + rng.uniform(-100, 100, 6_000)),
        crs=net.crs)
    monkeypatch.setattr(snapping, "_CHUNK", 10**9)
    monkeypatch.setattr(snapping, "_BLOCK", 10**9)
    whole = snap(net, pts, argument="demand")
    monkeypatch.setattr(snapping, "_CHUNK", 500)
    monkeypatch.setattr(snapping, "_BLOCK", 700)  # 9 blocks on the threads
    blocks = snap(net, pts, argument="demand")
    for field in ("x", "y", "edge", "position_m", "offset_m", "access_s", "link_point",
                  "link_edge", "link_position_m", "link_offset_m"):
        assert np.array_equal(getattr(whole, field), getattr(blocks, field),
                              equal_nan=True), field
    assert whole.ok.all() and whole.link_point.size >= 6_000


def test_rows_without_a_place_are_far_from_the_streets_and_refused_by_snap(line5):
    pts = points([(50.0, 10.0), (50.0, 20.0), (50.0, 30.0), (50.0, 40.0), (50.0, 50.0)])
    pts.loc[1, "geometry"] = None
    pts.loc[2, "geometry"] = shapely.Point()
    pts.loc[3, "geometry"] = shapely.Point(np.nan, np.nan)
    assert near_streets(line5, pts, 200.0).tolist() == [True, False, False, False, True]
    with pytest.raises(InputError, match=r"`aeds`: 2 rows have no place.*ids 1, 2\)"):
        snap(line5, pts, argument="aeds")
    with pytest.raises(InputError, match=r"`aeds`: 1 row has no place.*ids 3\)"):
        snap(line5, pts.iloc[[0, 3, 4]], argument="aeds")
    with pytest.raises(InputError, match=r"`sites`: 1 row has no place.*ids 1\)"):
        snap(line5, np.array([[0.0, 1.0], [np.inf, 2.0]]), argument="sites")


def test_line_of_five_nodes_exact(line5):
    aed = points([(50.0, 0.0)])
    r = reach_times(line5, aed, points([(370.0, 10.0), (50.0, 0.0)]), **ONE_WAY)
    expect = {0: 50.0, 100: 50.0, 200: 150.0, 300: 250.0, 400: 350.0}
    for x, t in expect.items():
        assert r.node_s[node_at(line5, x, 0)] == pytest.approx(t, abs=1e-6)
    # 320 m along the street, then 10 m from the street
    assert r.target_s == pytest.approx([330.0, 0.0], abs=1e-6)
    assert (r.target_source == 0).all()


def test_round_trip_doubles_walk_and_adds_access(line5):
    aed = points([(50.0, 0.0)], access_s=[30.0])
    r = reach_times(
        line5, aed, points([(370.0, 10.0)]), model=TimeModel(15, "round-trip", 1.0)
    )
    assert r.target_s[0] == pytest.approx(2 * 330.0 + 30.0, abs=1e-6)
    assert r.node_s[node_at(line5, 400, 0)] == pytest.approx(2 * 350.0 + 30.0, abs=1e-6)


def test_limit_gives_inf(line5):
    aed = points([(0.0, 0.0)])
    r = reach_times(line5, aed, points([(250.0, 0.0)]), model=TimeModel(2.0, "one-way", 1.0))
    assert r.node_s[node_at(line5, 100, 0)] == pytest.approx(100.0)
    assert np.isinf(r.node_s[node_at(line5, 200, 0)])
    assert np.isinf(r.target_s[0])
    assert r.target_source[0] == -1


def test_source_and_target_on_same_edge_walk_straight(line5):
    r = reach_times(line5, points([(20.0, 0.0)]), points([(80.0, 0.0), (80.0, 5.0)]), **ONE_WAY)
    assert r.target_s == pytest.approx([60.0, 65.0], abs=1e-6)


def test_two_aeds_on_the_same_street(line5):
    aeds = points([(110.0, 0.0), (390.0, 0.0)])
    targets = points([(140.0, 0.0), (260.0, 0.0), (240.0, 0.0)])
    r = reach_times(line5, aeds, targets, **ONE_WAY)
    assert r.target_s == pytest.approx([30.0, 130.0, 130.0], abs=1e-6)
    assert r.target_source.tolist() == [0, 1, 0]
    assert r.node_s[node_at(line5, 200, 0)] == pytest.approx(90.0)
    assert r.node_source[node_at(line5, 300, 0)] == 1


def test_grid_with_access_and_off_street(grid3):
    aed = points([(100.0, 100.0)], access_s=[10.0])
    target = points([(200.0, 150.0), (60.0, 200.0)])
    r = reach_times(grid3, aed, target, **ONE_WAY)
    assert r.node_s[node_at(grid3, 0, 0)] == pytest.approx(210.0)
    assert r.node_s[node_at(grid3, 100, 100)] == pytest.approx(10.0)
    assert r.target_s == pytest.approx([10 + 150.0, 10 + 140.0], abs=1e-6)


def test_dead_end_is_reached_only_through_its_street():
    from .conftest import network_from_segments

    net = network_from_segments([[(0, 0), (100, 0)], [(100, 0), (200, 0)], [(100, 0), (100, 80)]])
    r = reach_times(net, points([(0.0, 0.0)]), points([(100.0, 80.0), (120.0, 60.0)]), **ONE_WAY)
    assert r.target_s[0] == pytest.approx(180.0)
    # nearest street to (120, 60) is the dead end at x=100: 160 along + 20 off
    assert r.target_s[1] == pytest.approx(180.0)


def test_far_points_warn_or_raise(line5):
    with pytest.warns(AedplanWarning, match=r"1 of 3 points.*ids 2"):
        s = snap(line5, points([(0.0, 1.0), (10.0, 2.0), (0.0, 5000.0)]), max_snap_m=100)
    assert s.edge[2] == -1 and s.ok.sum() == 2
    with pytest.raises(InputError, match="lon/lat swapped"):
        snap(line5, points([(0.0, 5000.0), (0.0, 6000.0)]))


def test_points_need_a_crs(line5):
    import geopandas as gpd

    gdf = gpd.GeoDataFrame(geometry=gpd.points_from_xy([0.0], [0.0]))
    with pytest.raises(CRSError, match="no CRS"):
        snap(line5, gdf)


def test_pair_times_agree_with_nearest_time(grid3):
    aeds = points([(30.0, 0.0), (200.0, 170.0), (100.0, 100.0)])
    targets = points([(x, y) for x in range(0, 201, 25) for y in (0.0, 40.0, 100.0, 190.0)])
    model = TimeModel(minutes=2.5, mode="one-way", speed_m_s=1.0)
    s, t = snap(grid3, aeds), snap(grid3, targets)
    si, ti, secs = pair_times(grid3, s, t, model=model)
    r = reach_times(grid3, s, t, model=model)
    best = np.full(len(t), np.inf)
    np.minimum.at(best, ti, secs)
    np.testing.assert_allclose(best, r.target_s, atol=1e-6)
    for j in range(3):
        rj = reach_times(grid3, s_only(s, j), t, model=model)
        mine = np.full(len(t), np.inf)
        mine[ti[si == j]] = secs[si == j]
        np.testing.assert_allclose(mine, rj.target_s, atol=1e-6)


def s_only(s, j):
    return s.take([j])


# ----------------------------------------------------------------- property tests


def brute_force(net, s, t, speed, factor):
    """Subdivide edges at every link of a snapped point and run networkx's Dijkstra; a
    point takes its best link."""
    g = nx.Graph()
    for e in range(net.n_edges):
        cuts = [
            (0.0, ("n", int(net.edge_u[e]))),
            (float(net.edge_length_m[e]), ("n", int(net.edge_v[e]))),
        ]
        for kind, snapped in (("s", s), ("t", t)):
            for k in np.flatnonzero(snapped.link_edge == e):
                cuts.append((float(snapped.link_position_m[k]), (kind, int(k))))
        cuts.sort(key=lambda c: c[0])
        for (p0, a), (p1, b) in itertools.pairwise(cuts):
            if a == b:
                continue
            w = p1 - p0
            if not g.has_edge(a, b) or g[a][b]["w"] > w:
                g.add_edge(a, b, w=w)
    for k, i in enumerate(s.link_point):
        w = s.link_offset_m[k] + s.access_s[i] * speed / factor
        if not g.has_edge("S", ("s", k)) or g["S"][("s", k)]["w"] > w:
            g.add_edge("S", ("s", k), w=w)
    dist = nx.single_source_dijkstra_path_length(g, "S", weight="w") if "S" in g else {}
    node = np.array([dist.get(("n", i), np.inf) for i in range(net.n_nodes)])
    tgt = np.full(len(t), np.inf)
    for k, i in enumerate(t.link_point):
        tgt[i] = min(tgt[i], dist.get(("t", k), np.inf) + t.link_offset_m[k])
    return node * factor / speed, tgt * factor / speed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_networks(), st.sampled_from(["round-trip", "one-way"]), st.floats(0.5, 8.0))
def test_times_equal_networkx_brute_force(case, mode, minutes):
    from .conftest import network_from_segments

    segs, src, tgt, access = case
    net = network_from_segments(segs, largest_component=False)
    s = snap(net, points(src, access_s=access), strict=False, max_snap_m=1e6)
    t = snap(net, points(tgt), strict=False, max_snap_m=1e6)
    model = TimeModel(minutes=minutes, mode=mode, speed_m_s=1.4)
    r = reach_times(net, s, t, model=model)
    node_bf, tgt_bf = brute_force(net, s, t, 1.4, model.factor)
    node_bf[node_bf > model.budget_s + 1e-9] = np.inf
    tgt_bf[tgt_bf > model.budget_s + 1e-9] = np.inf
    np.testing.assert_allclose(r.node_s, node_bf, atol=1e-6)
    np.testing.assert_allclose(r.target_s, tgt_bf, atol=1e-6)
    # the per-source search gives the same nearest times
    _si, ti, secs = pair_times(net, s, t, model=model)
    best = np.full(len(t), np.inf)
    np.minimum.at(best, ti, secs)
    np.testing.assert_allclose(best, tgt_bf, atol=1e-6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_networks(), st.floats(0.5, 4.0), st.floats(0.0, 3.0))
def test_reach_is_monotone_in_budget(case, minutes, extra):
    from .conftest import network_from_segments

    segs, src, _tgt, access = case
    net = network_from_segments(segs, largest_component=False)
    s = snap(net, points(src, access_s=access), strict=False, max_snap_m=1e6)
    a = reach_times(net, s, model=TimeModel(minutes))
    b = reach_times(net, s, model=TimeModel(minutes + extra))
    assert np.all(np.isfinite(b.node_s) >= np.isfinite(a.node_s))
    both = np.isfinite(a.node_s)
    np.testing.assert_allclose(a.node_s[both], b.node_s[both], atol=1e-9)


def test_points_of_the_wrong_kind(line5):
    with pytest.raises(InputError, match="`sources`: expected a GeoDataFrame of points"):
        reach_times(line5, "Vaduz")
    with pytest.raises(InputError, match=r"of shape \(3,\)"):
        snap(line5, [1.0, 2.0, 3.0])
