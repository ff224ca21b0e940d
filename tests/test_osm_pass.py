"""One pass over an OpenStreetMap file makes every table a run reads from it, the same
tables as a pass for each; a run reads its file once."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

import aedplan
from aedplan import _osm
from aedplan._buildings import osm_buildings
from aedplan.candidates import BUILDING_TAGS, osm_pois
from aedplan.datasets import default_osm_path
from aedplan.errors import AedplanWarning
from aedplan.io import OSM_AEDS
from aedplan.network import OSM_WAYS
from aedplan.poi_presets import poi_preset

CENTRE = Path(__file__).resolve().parents[1] / "data" / "vaduz-centre-2024-03-03.osm.pbf"
FILES = {"embedded default": default_osm_path(), "Vaduz centre": CENTRE}

#: A made-up file: a footway whose third node is missing (cut at the extract's edge), a
#: street, an AED, a pharmacy, a closed way that is a building and a school, and a
#: building whose way is not closed.
_NODES = {1: ("47.14", "9.52", ""), 2: ("47.1401", "9.5201", ""), 3: ("47.1402", "9.5203", ""),
          4: ("47.1403", "9.5204", "emergency=defibrillator opening_hours=24/7"),
          5: ("47.141", "9.521", ""), 6: ("47.141", "9.5212", ""), 7: ("47.1412", "9.5212", ""),
          8: ("47.1405", "9.5206", "amenity=pharmacy name=Apotheke")}
_WAYS = {10: ([1, 2, 99], "highway=footway"), 11: ([2, 3], "highway=residential"),
         12: ([5, 6, 7, 5], "building=yes amenity=school"), 13: ([6, 7, 3], "building=yes")}


def _tags(text: str) -> str:
    return "".join('<tag k="{}" v="{}"/>'.format(*kv.split("=")) for kv in text.split())


def _nds(nodes: list[int]) -> str:
    return "".join(f'<nd ref="{n}"/>' for n in nodes)


MADE_UP = "\n".join([
    "<?xml version='1.0' encoding='UTF-8'?>",
    '<osm version="0.6" generator="made up for aedplan\'s tests">',
    *(f'<node id="{i}" version="1" lat="{lat}" lon="{lon}">{_tags(t)}</node>'
      for i, (lat, lon, t) in _NODES.items()),
    *(f'<way id="{i}" version="1">{_nds(nodes)}{_tags(t)}</way>'
      for i, (nodes, t) in _WAYS.items()),
    "</osm>", ""])

REQUESTS = [OSM_WAYS, OSM_AEDS, osm_buildings(), osm_buildings(BUILDING_TAGS), osm_pois(),
            osm_pois(poi_preset("cn-nhc-2021"))]


@pytest.fixture(autouse=True)
def _nothing_held():
    _osm.forget()
    yield
    _osm.forget()


@pytest.fixture
def made_up(tmp_path) -> Path:
    path = tmp_path / "made-up.osm"
    path.write_text(MADE_UP, encoding="utf-8")
    return path


@pytest.fixture
def passes(monkeypatch) -> list[str]:
    """The files of the passes made from here on."""
    seen: list[str] = []
    one_pass = _osm._pass

    def counted(path, takers):
        seen.append(path.name)
        return one_pass(path, takers)

    monkeypatch.setattr(_osm, "_pass", counted)
    return seen


def assert_same(a, b) -> None:
    """Two tables of one request are the same, value for value."""
    assert type(a) is type(b)
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
        return
    if isinstance(a, _osm.WayTable):
        for name in ("way_ids", "offsets", "node_ids", "lon", "lat"):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
        pd.testing.assert_frame_equal(a.tags, b.tags)
        return
    np.testing.assert_array_equal(a.osm_type, b.osm_type)
    np.testing.assert_array_equal(a.osm_id, b.osm_id)
    pd.testing.assert_frame_equal(a.tags, b.tags)
    assert shapely.to_wkb(a.geometry).tolist() == shapely.to_wkb(b.geometry).tolist()
    assert a.skipped == b.skipped


# --------------------------------------------------------------------------- by hand


def test_the_made_up_file_read_in_one_pass(made_up, passes):
    ways, aeds, buildings, _, pois, _ = _osm.read_all(made_up, REQUESTS)
    assert passes == ["made-up.osm"]
    assert ways.way_ids.tolist() == [10, 11]
    assert ways.offsets.tolist() == [0, 3, 5]
    assert ways.node_ids.tolist() == [1, 2, 99, 2, 3]
    np.testing.assert_array_equal(ways.lon, [9.52, 9.5201, np.nan, 9.5201, 9.5203])
    np.testing.assert_array_equal(ways.lat, [47.14, 47.1401, np.nan, 47.1401, 47.1402])
    assert ways.tags["highway"].tolist() == ["footway", "residential"]
    assert aeds[["osm_id", "lon", "lat", "opening_hours"]].values.tolist() == [
        [4, 9.5204, 47.1403, "24/7"]]
    # the closed way is a building to one table and a school to the other
    assert (buildings.osm_type.tolist(), buildings.osm_id.tolist()) == (["way"], [12])
    assert buildings.tags["building"].tolist() == ["yes"]
    assert buildings.skipped == 1  # the way that is not closed
    assert buildings.geometry[0].equals(shapely.MultiPolygon([shapely.Polygon(
        [(9.521, 47.141), (9.5212, 47.141), (9.5212, 47.1412)])]))
    assert list(zip(pois.osm_type, pois.osm_id, pois.tags["amenity"], strict=True)) == [
        ("node", 8, "pharmacy"), ("way", 12, "school")]


def test_a_table_announced_is_made_in_the_first_pass_and_handed_out_once(made_up, passes):
    _osm.expect({made_up: [OSM_WAYS, OSM_AEDS, osm_buildings()]})
    ways = _osm.read(made_up, OSM_WAYS)
    aeds = _osm.read(made_up, OSM_AEDS)
    buildings = _osm.read(made_up, osm_buildings())
    assert passes == ["made-up.osm"]
    assert (len(ways.way_ids), len(aeds), len(buildings)) == (2, 1, 1)
    assert _osm._held == {}  # all handed out: nothing kept
    assert_same(_osm.read(made_up, OSM_AEDS), aeds)  # asked again: read again
    assert len(passes) == 2


def test_a_file_changed_after_the_pass_is_read_again(made_up, passes):
    _osm.expect({made_up: [OSM_WAYS, OSM_AEDS]})
    _osm.read(made_up, OSM_WAYS)
    made_up.write_text(MADE_UP.replace('v="24/7"', 'v="Mo-Fr 08:00-18:00"'), encoding="utf-8")
    os.utime(made_up, ns=(0, 1))
    aeds = _osm.read(made_up, OSM_AEDS)
    assert len(passes) == 2
    assert aeds["opening_hours"].tolist() == ["Mo-Fr 08:00-18:00"]


def test_what_nobody_announced_is_not_held(made_up, passes):
    _osm.read(made_up, OSM_WAYS)
    _osm.expect({made_up: [OSM_AEDS]})
    _osm.expect({})  # a new announcement drops the last one's
    _osm.read(made_up, OSM_WAYS)
    assert len(passes) == 2 and _osm._held == {} and _osm._expected == {}


# --------------------------------------------------------------------------- real data


def _plain_ways(path: Path) -> tuple[list[int], list[float], list[float]]:
    """The highway ways' nodes as a plain pyosmium loop gives them."""
    import osmium

    refs, lons, lats = [], [], []
    fp = (osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_locations()
          .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
          .with_filter(osmium.filter.KeyFilter("highway")))
    for way in fp:
        for node in way.nodes:
            refs.append(node.ref)
            lons.append(node.location.lon if node.location.valid() else np.nan)
            lats.append(node.location.lat if node.location.valid() else np.nan)
    return refs, lons, lats


@pytest.mark.parametrize("name", list(FILES))
def test_one_pass_gives_the_tables_of_a_pass_each(name, passes):
    path = FILES[name]
    together = _osm.read_all(path, REQUESTS)
    assert len(passes) == 1
    for request, table in zip(REQUESTS, together, strict=True):
        assert_same(table, _osm.read_all(path, [request])[0])
    ways, aeds, buildings, _, pois, china = together
    refs, lons, lats = _plain_ways(path)
    assert ways.node_ids.tolist() == refs
    np.testing.assert_array_equal(ways.lon, lons)
    np.testing.assert_array_equal(ways.lat, lats)
    # what the file holds (the README's and the docstrings' counts)
    assert len(aeds) == {"embedded default": 75, "Vaduz centre": 33}[name]
    assert len(buildings) == {"embedded default": 4802, "Vaduz centre": 1371}[name]
    assert len(pois) > 0 and len(china) > len(pois) / 2


@pytest.mark.parametrize("name", list(FILES))
def test_the_readers_give_the_same_frames_from_one_pass(name, passes):
    path = str(FILES[name])

    def frames():
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=AedplanWarning)  # a cut extract
            net = aedplan.load_network(path)
            return (net, aedplan.read_points(path), aedplan.demand_from_buildings(path),
                    aedplan.candidates_from_pois(path))

    separate = frames()
    assert len(passes) == 4
    _osm.expect({path: [OSM_WAYS, OSM_AEDS, osm_buildings(), osm_pois()]})
    together = frames()
    assert len(passes) == 5
    net_a, net_b = separate[0], together[0]
    for field in ("node_ids", "x", "y", "edge_u", "edge_v", "edge_length_m", "edge_way",
                  "edge_highway", "edge_name"):
        np.testing.assert_array_equal(getattr(net_a, field), getattr(net_b, field),
                                      err_msg=field)
    assert shapely.equals_exact(net_a.edge_geometry, net_b.edge_geometry, tolerance=0).all()
    assert (net_a.graph != net_b.graph).nnz == 0 and net_a.crs == net_b.crs
    for a, b in zip(separate[1:], together[1:], strict=True):
        pd.testing.assert_frame_equal(a, b)
        assert len(a) > 0


def test_a_run_reads_its_file_once(passes):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)  # the real data's findings
        result = aedplan.run(aedplan.Scenario().replace({"goal.budget": 2}))
    assert passes == [default_osm_path().name]
    assert _osm._held == {}  # every table made was asked for
    assert result.report["existing"]["aeds"] == 75 and result.report["plan"]["new_sites"] == 2
