"""Loading walkable networks: rules, formats and real OSM data."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely

from aedplan.errors import AedplanWarning, DataError, InputError
from aedplan.network import WALK_EXCLUDE, load_network, walkable
from aedplan.snapping import snap

from .conftest import CRS, data_path, network_from_segments


def test_walk_rules_match_osmnx():
    from osmnx._overpass import _get_network_filter

    text = _get_network_filter("walk")
    rules = dict(re.findall(r'\["([^"]+)"!~"([^"]+)"\]', text))
    assert rules == WALK_EXCLUDE


def test_walkable_mask():
    tags = pd.DataFrame(
        {
            "highway": [
                "footway",
                "residential",
                "motorway",
                "cycleway",
                "steps",
                None,
                "service",
                "primary",
                "pedestrian",
                "track",
            ],
            "foot": [None, "no", None, None, None, None, None, None, None, None],
            "access": [None, None, None, None, "private", None, None, None, None, None],
            "service": [None, None, None, None, None, None, "private", None, None, None],
            "sidewalk": [None, None, None, None, None, None, None, "separate", None, None],
            "area": [None, None, None, None, None, None, None, None, "yes", None],
        }
    )
    assert walkable(tags).tolist() == [
        True,
        False,
        False,
        False,
        False,
        False,
        False,
        False,
        False,
        True,
    ]


def test_line_network_arrays(line5):
    assert line5.n_nodes == 5 and line5.n_edges == 4
    assert line5.total_length_m == pytest.approx(400.0)
    assert line5.graph.shape == (5, 5)
    assert line5.graph.nnz == 8  # symmetric: walking is undirected
    assert np.allclose(line5.graph.data, 100.0)
    assert line5.crs.to_epsg() == 32632
    # geometries run from u to v
    start = shapely.get_coordinates(shapely.get_point(line5.edge_geometry, 0))
    assert np.allclose(start[:, 0], line5.x[line5.edge_u])


def test_parallel_edges_keep_the_shortest_in_the_matrix():
    net = network_from_segments([[(0, 0), (100, 0)], [(0, 0), (50, 80), (100, 0)]])
    assert net.n_edges == 2
    assert net.graph.nnz == 2
    assert net.graph.max() == pytest.approx(100.0)


def test_largest_component_warns_with_count():
    segs = [[(0, 0), (100, 0)], [(100, 0), (200, 0)], [(1000, 0), (1100, 0)]]
    lines = [shapely.LineString([(500_000 + x, 5_200_000 + y) for x, y in s]) for s in segs]
    import geopandas as gpd

    gdf = gpd.GeoDataFrame(geometry=lines, crs=CRS)
    with pytest.warns(AedplanWarning, match="dropped 2 of 5 nodes"):
        net = load_network(gdf, crs=CRS)
    assert net.n_nodes == 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_network(gdf, crs=CRS, largest_component=False).n_nodes == 5


def test_node_places_when_lines_run_either_way():
    """Lines with node ids only (``u``, ``v``, as osmnx writes an undirected graph's
    edges) may run from ``v`` to ``u``: each node is where its lines meet, not the first
    point of the first line that names it. A made-up path 1 - 2 - 3 (100 m steps) whose
    first line is drawn from 2 to 1, and a dead end 4 below node 2."""
    import geopandas as gpd
    import shapely

    lines = gpd.GeoDataFrame(
        {"u": [1, 2, 4], "v": [2, 3, 2]},
        geometry=[shapely.LineString([(100, 0), (0, 0)]),     # 2 -> 1, drawn backwards
                  shapely.LineString([(100, 0), (200, 0)]),   # 2 -> 3
                  shapely.LineString([(100, 0), (100, -50)])],  # 2 -> 4, backwards
        crs=CRS)
    net = load_network(lines, crs=CRS)
    where = dict(zip(net.node_ids.tolist(), zip(net.x.tolist(), net.y.tolist(),
                                                strict=True), strict=True))
    assert where == {1: (0.0, 0.0), 2: (100.0, 0.0), 3: (200.0, 0.0), 4: (100.0, -50.0)}
    for e in range(net.n_edges):  # every line now runs from its u to its v
        first = shapely.get_coordinates(net.edge_geometry[e])[0]
        assert tuple(first) == (net.x[net.edge_u[e]], net.y[net.edge_u[e]])
    # 10 m along the first street from node 1, found from node 1 at (0, 0)
    on = snap(net, np.array([[10.0, 5.0]]))
    e = int(on.edge[0])
    from_u = on.position_m[0] if net.node_ids[net.edge_u[e]] == 1 else 100 - on.position_m[0]
    assert from_u == pytest.approx(10.0)


def test_a_street_with_no_width_or_height_loads():
    """A single straight street has an extent of zero width: its UTM zone is still found."""
    import geopandas as gpd
    import shapely

    x, y = 500_000.0, 5_200_000.0  # 9 E, 47 N in UTM 32N
    for line in ([(x, y), (x, y + 200)], [(x, y), (x + 200, y)]):
        lines = gpd.GeoDataFrame(geometry=[shapely.LineString(line)], crs=CRS)
        assert load_network(lines, crs=CRS).total_length_m == pytest.approx(200.0)
        lonlat = lines.to_crs(4326)
        assert load_network(lonlat).crs.to_epsg() == 32632


def test_zero_length_edges_are_left_out():
    """A way whose node repeats (osmnx keeps it as an edge of one point twice) has no
    street to walk along; it used to stop snapping with a GEOS error."""
    import geopandas as gpd
    import shapely

    lines = gpd.GeoDataFrame(geometry=[shapely.LineString([(0, 0), (100, 0)]),
                                       shapely.LineString([(100, 0), (100, 0)])], crs=CRS)
    net = load_network(lines, crs=CRS)
    assert net.n_edges == 1 and net.total_length_m == pytest.approx(100.0)
    from aedplan.snapping import snap

    assert snap(net, np.array([[50.0, 10.0]])).offset_m.tolist() == [10.0]


def test_graphml_round_trip(tmp_path, grid3):
    import osmnx as ox

    g = nx.MultiDiGraph(crs=CRS)
    for i in range(grid3.n_nodes):
        g.add_node(int(grid3.node_ids[i]), x=float(grid3.x[i]), y=float(grid3.y[i]))
    for e in range(grid3.n_edges):
        u, v = int(grid3.node_ids[grid3.edge_u[e]]), int(grid3.node_ids[grid3.edge_v[e]])
        name = {0: "Main Street", 1: ["Main Street", "B 1"]}.get(e)
        for a, b in ((u, v), (v, u)):
            g.add_edge(a, b, osmid=e, highway="footway", length=100.0,
                       **({"name": name} if name else {}))
    path = tmp_path / "grid.graphml"
    ox.save_graphml(g, path)
    net = load_network(str(path), crs=CRS)
    assert net.n_nodes == 9 and net.n_edges == 12
    assert net.total_length_m == pytest.approx(1200.0)
    names = dict(zip(net.edge_way.tolist(), net.edges_gdf()["name"].tolist(), strict=True))
    assert names[0] == "Main Street" and names[1] == "Main Street;B 1"
    assert all(n is None or n != n for w, n in names.items() if w > 1)


def test_bad_sources():
    with pytest.raises(InputError, match="file not found"):
        load_network("/nonexistent/city.osm.pbf")
    with pytest.raises(InputError, match=r"file not found: streets\.txt"):
        load_network("streets.txt")  # a missing file is never sent to the geocoder
    with pytest.raises(InputError, match="cannot load a network from int"):
        load_network(42)
    with pytest.raises(InputError, match="west < east"):
        load_network(data_path("osm", "vaduz-centre.network.osm.bz2"), clip=(9.6, 47, 9.5, 48))
    with pytest.raises(InputError, match="projected CRS"):
        load_network(data_path("osm", "vaduz-centre.network.osm.bz2"), crs="EPSG:4326")


def test_buildings_never_become_edges():
    with pytest.raises(DataError, match="no walkable ways"):
        load_network(data_path("osm", "vaduz-centre.buildings.osm.bz2"))


@pytest.mark.parametrize("crop", ["vaduz-centre", "vaduz-schaan"])
def test_pbf_and_split_xml_give_the_same_network(crop):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        full = load_network(data_path("osm", f"{crop}-2024-03-03.osm.pbf"))
        split = load_network(data_path("osm", f"{crop}.network.osm.bz2"))
    assert full.n_nodes == split.n_nodes and full.n_edges == split.n_edges
    assert np.array_equal(full.node_ids, split.node_ids)
    assert np.array_equal(np.sort(full.edge_way), np.sort(split.edge_way))
    assert full.total_length_m == pytest.approx(split.total_length_m, rel=1e-12)
    assert full.crs.to_epsg() == 32632  # UTM 32N, chosen from the data
    # walkable ways only: no building, landuse or motorway edges
    assert all(h is not None for h in full.edge_highway)
    assert not any("motorway" in h for h in full.edge_highway)
    # each edge keeps its way's name
    by_way = dict(zip(split.edge_way.tolist(), split.edge_name.tolist(), strict=True))
    assert [by_way[w] for w in full.edge_way.tolist()] == full.edge_name.tolist()
    assert "Landstrasse" in set(full.edge_name) and None in set(full.edge_name)


def osmnx_walk_graph(path):
    """The same file through osmnx, as an independent count: its XML reader, its walk
    filter (keeping the tags the filter reads), its simplification at junctions and where
    ways meet, its conversion to undirected, and the largest connected part. One
    convention is aedplan's: a walkable closed way (a roundabout) keeps its first node."""
    import networkx as nx
    import osmium
    import osmnx as ox
    from osmnx._overpass import _get_network_filter

    rules = dict(re.findall(r'\["([^"]+)"!~"([^"]+)"\]', _get_network_filter("walk")))

    def walkable(tags):
        values = ((k, v) for k in rules for v in np.atleast_1d(tags.get(k, [])) if v is not None)
        return "highway" in tags and not any(re.search(rules[k], str(v)) for k, v in values)

    kept = ox.settings.useful_tags_way
    ox.settings.useful_tags_way = sorted(set(kept) | set(rules))
    try:
        g = ox.graph_from_xml(path, simplify=False, retain_all=True)
    finally:
        ox.settings.useful_tags_way = kept
    g.remove_edges_from([(u, v, k) for u, v, k, d in g.edges(keys=True, data=True)
                         if not walkable(d)])
    g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0])
    for way in osmium.FileProcessor(str(path), osmium.osm.WAY):
        first = way.nodes[0].ref
        if len(way.nodes) > 2 and first == way.nodes[-1].ref and first in g and walkable(
            dict(way.tags)
        ):
            g.nodes[first]["ring_start"] = True
    g = ox.simplify_graph(g, node_attrs_include=["ring_start"], edge_attrs_differ=["osmid"],
                          remove_rings=False)
    g = ox.convert.to_undirected(g)
    return g.subgraph(max(nx.connected_components(nx.Graph(g)), key=len))


@pytest.mark.slow
@pytest.mark.parametrize("crop", ["vaduz-centre", "vaduz-schaan"])
def test_network_counts_equal_osmnx_walk_graph(crop):
    path = data_path("osm", f"{crop}.network.osm.bz2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        net = load_network(path)
    expect = osmnx_walk_graph(path)
    assert set(net.node_ids.tolist()) == set(expect.nodes)
    assert net.n_edges == expect.number_of_edges()
    # osmnx measures on a sphere, aedplan in UTM metres: within 0.3% of each other
    osmnx_m = sum(d["length"] for *_, d in expect.edges(data=True))
    assert net.total_length_m == pytest.approx(osmnx_m, rel=3e-3)


def test_vaduz_schaan_aeds_snap_close():
    from aedplan.io import read_points

    path = data_path("osm", "vaduz-schaan-2024-03-03.osm.pbf")
    with pytest.warns(AedplanWarning, match="dropped"):
        net = load_network(path)
    aeds = read_points(path)
    assert len(aeds) == 75
    s = snap(net, aeds)
    assert s.ok.all()
    assert s.offset_m.max() < 100.0


def test_clip_keeps_the_inside():
    path = data_path("osm", "vaduz-schaan.network.osm.bz2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        whole = load_network(path)
        part = load_network(path, clip=(9.505, 47.13, 9.535, 47.15))
    assert 0 < part.n_nodes < whole.n_nodes
    from pyproj import Transformer

    lon, lat = Transformer.from_crs(part.crs, 4326, always_xy=True).transform(part.x, part.y)
    assert (lon >= 9.505).all() and (lon <= 9.535).all()
    assert (lat >= 47.13).all() and (lat <= 47.15).all()


def test_embedded_default_loads_offline():
    from aedplan.datasets import default_osm_path
    from aedplan.io import read_points

    path = default_osm_path()
    assert path.name == "vaduz-schaan-2024-03-03.osm.pbf"
    # the same bytes as the shared test data it was copied from
    assert path.read_bytes() == data_path("osm", path.name).read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        net = load_network()
    assert net.n_nodes > 2000
    assert net.crs.to_epsg() == 32632  # UTM 32N for Liechtenstein
    assert "embedded default" in net.source and "Vaduz and Schaan" in net.source
    assert len(read_points(path)) == 75


def test_place_name_goes_through_osmnx(monkeypatch):
    """The online path, with osmnx's download replaced by a graph read from a file."""
    import osmnx as ox

    graph = ox.graph_from_xml(data_path("osm", "vaduz-centre.network.osm.bz2"))
    calls = {}

    def fake_graph_from_place(query, **kwargs):
        calls["query"], calls["kwargs"] = query, kwargs
        return graph

    monkeypatch.setattr(ox, "graph_from_place", fake_graph_from_place)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        net = load_network("Vaduz, Liechtenstein")
    assert calls["query"] == "Vaduz, Liechtenstein"
    assert calls["kwargs"]["network_type"] == "walk"
    assert net.n_edges > 500
    assert "Vaduz, Liechtenstein" in net.source


def test_bbox_goes_through_osmnx(monkeypatch):
    import osmnx as ox

    graph = ox.graph_from_xml(data_path("osm", "vaduz-centre.network.osm.bz2"))
    seen = {}

    def fake_graph_from_bbox(bbox, **kwargs):
        seen["bbox"] = bbox
        return graph

    monkeypatch.setattr(ox, "graph_from_bbox", fake_graph_from_bbox)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        net = load_network((9.505, 47.13, 9.535, 47.15))
    assert seen["bbox"] == (9.505, 47.13, 9.535, 47.15)
    assert net.n_nodes > 100


def test_offline_place_lookup_is_one_clear_error(monkeypatch):
    import osmnx as ox
    import requests

    from aedplan.errors import AedplanError

    def offline(query, **kwargs):
        raise requests.ConnectionError("Max retries exceeded")

    def unknown(query, **kwargs):
        raise ox._errors.InsufficientResponseError("Nominatim geocoder returned 0 results")

    monkeypatch.setattr(ox, "graph_from_place", offline)
    with pytest.raises(AedplanError, match=r"could not download.*geofabrik"):
        load_network("Longyan, Fujian, China")
    monkeypatch.setattr(ox, "graph_from_place", unknown)
    with pytest.raises(InputError, match="no walk network found for place 'Atlantis'"):
        load_network("Atlantis")


def test_duplicate_ways_become_one_edge():
    net = network_from_segments([[(0, 0), (100, 0)], [(100, 0), (0, 0)], [(0, 0), (100, 0)],
                                 [(0, 0), (50, 30), (100, 0)]])
    assert net.n_edges == 2  # the straight street once, and the bent one


def test_network_from_arrays_checks_its_input():
    from aedplan.network import network_from_arrays

    net = network_from_arrays([0.0, 100.0, 100.0], [0.0, 0.0, 50.0], [0, 1], [1, 2], crs=CRS)
    assert net.n_edges == 2 and net.total_length_m == pytest.approx(150.0)
    with pytest.raises(InputError, match=r"edge ends must be node indices in \[0, 1\]"):
        network_from_arrays([0.0, 1.0], [0.0, 0.0], [0], [5], crs=CRS)
    with pytest.raises(InputError, match="`x` and `y` differ in length"):
        network_from_arrays([0.0, 1.0], [0.0], [0], [1], crs=CRS)
    with pytest.raises(InputError, match="projected CRS"):
        network_from_arrays([0.0, 1.0], [0.0, 0.0], [0], [1], crs="EPSG:4326")


def test_a_clip_with_nodes_but_no_whole_street_is_said_not_a_crash():
    """The real Vaduz centre cut to a box on a hillside: a few street nodes lie inside,
    but no street runs between two of them."""
    from aedplan.errors import DataError

    path = Path(__file__).resolve().parents[1] / "data" / "vaduz-centre-2024-03-03.osm.pbf"
    with pytest.raises(DataError, match="no street of the network lies inside the area"):
        load_network(path, clip=(9.5255, 47.131, 9.5305, 47.1335))
