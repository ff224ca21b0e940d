"""The map's "nearest AED now": what the page carries (the street graph, each AED's links
and open spans), worked out by hand on a made-up street; the browser side is in
tests/test_render_browser.py."""

from __future__ import annotations

import base64
import json
import re
import warnings

import geopandas as gpd
import numpy as np
import shapely

from aedplan import _mapsearch
from aedplan.maplayers import MapLayers
from aedplan.render import page_html, render_map
from aedplan.timemodel import TimeModel

from .conftest import CRS, SUMMARY, X0, Y0, points, streets


def decoded(text: str, dtype: str) -> list:
    return np.frombuffer(base64.b64decode(text), dtype=dtype).tolist()


def made_up_street() -> gpd.GeoDataFrame:
    """Made up: 100 m east, then 100 m north with a bend point half way."""
    return gpd.GeoDataFrame(geometry=[
        shapely.LineString([(X0, Y0), (X0 + 100, Y0)]),
        shapely.LineString([(X0 + 100, Y0), (X0 + 100, Y0 + 50), (X0 + 100, Y0 + 100)]),
    ], crs=CRS)


def test_emergency_numbers_by_country():
    got = {c: _mapsearch.emergency_number(c) for c in ("CN", "TW", "HK", "LI", "DE", "CH")}
    assert got == {"CN": "120", "TW": "119", "HK": "999", "LI": "112", "DE": "112",
                   "CH": "112"}
    assert _mapsearch.emergency_number(None) is None


def test_the_page_carries_the_graph_links_and_hours_worked_by_hand():
    aeds = points([(50, 10), (105, 80), (0, 5)],
                  opening_hours=["24/7", "Mo-Fr 08:00-12:00", "24/7"],
                  access=["yes", "yes", "private"], access_s=[0.0, 14.0, 0.0])
    model = TimeModel(4, "round-trip", 1.4)
    aeds["defibrillator:location"] = ["by the door", None, None]
    data = _mapsearch.search_data(made_up_street(), aeds, model)
    # nodes numbered by their coordinates: (0, 0), (100, 0), (100, 100)
    assert decoded(data["u"], "<i4") == [0, 1] and decoded(data["v"], "<i4") == [1, 2]
    assert decoded(data["len"], "<f4") == [100.0, 100.0]
    assert "along" not in data  # the page measures along its own lines
    assert data["speed"] == 1.4 and data["factor"] == 2.0 and data["call"] == "112"
    a, b = data["aeds"]  # the private AED is not offered
    assert (a["row"], a["at"], b["row"], b["at"]) == (0, True, 1, False)
    # 10 m off the first street, 50 m from its west end; B 5 m off the second, 80 m up,
    # and 14 s to open its cabinet: 14 * 1.4 / 2 = 9.8 one-way metres
    assert a["links"] == [[0, 50.0, 10.0]] and b["links"] == [[1, 80.0, 14.8]]
    assert a["open"] == [[0, 10080]]
    day = 1440
    assert b["open"] == [[d * day + 480, d * day + 720] for d in range(5)]


def test_a_network_too_big_to_carry_is_said(monkeypatch):
    monkeypatch.setattr(_mapsearch, "MAX_EDGES", 10)
    monkeypatch.setattr("aedplan.render.MAX_EDGES", 10)
    frame = streets()  # eleven streets
    data = _mapsearch.search_data(frame, None, TimeModel())
    assert data["off"] == "big" and data["edges"] == 11
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        html = page_html(render_map(MapLayers(streets=frame, summary=SUMMARY), lang="zh"))
    assert "路网太大" in html and '"off":"big"' in html


def test_the_words_are_in_both_languages():
    for lang in ("en", "zh"):
        from aedplan._words import Words

        words = _mapsearch.search_words(Words(lang), "120")
        assert "120" in words["call"] and len(words["days"]) == 7
        if lang == "zh":
            assert words["title"] == "最近的可用AED" and words["days"][2] == "星期三"
            for text in (v for v in words.values() if isinstance(v, str)):
                bare = re.sub(r"\{\w+\}|AED", "", text)  # no English left
                assert not any(c.isascii() and c.isalpha() for c in bare), text
                assert not re.search(r"[:;,] ", bare), text  # full-width punctuation
    assert json.loads(_mapsearch.data_json({"a": [1, "b"]})) == {"a": [1, "b"]}


def test_the_street_graph_adds_at_most_30_percent_to_liechtensteins_map(monkeypatch):
    """The real Liechtenstein extract (13,279 edges): map.html with the nearest-AED search
    against the same map without it (streets simplified, no graph): at most 30% more."""
    from branca.element import Element

    import aedplan
    from aedplan import render

    from .conftest import data_path

    osm = data_path("osm", "liechtenstein-2024-03-03.osm.pbf")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the extract's own remarks
        run = aedplan.run(aedplan.Scenario().replace({"area.osm": str(osm),
                                                      "goal.budget": 1}))
        after = len(page_html(render_map(run)).encode())
        monkeypatch.setattr(render, "MAX_EDGES", -1)
        monkeypatch.setattr(render, "search_panel", lambda *args: Element(""))
        before = len(page_html(render_map(run)).encode())
    assert 1.05 * before < after <= 1.30 * before, (before, after)


def test_the_page_reads_the_hours_as_the_run_did():
    """An AED without hours is offered when the run counted unknown hours open, and not
    when it counted them closed; a holiday of the run's week closes a `PH off` AED."""
    aeds = points([(50, 10), (105, 80)], opening_hours=[None, "Mo-Fr 08:00-12:00; PH off"],
                  access=["yes", "yes"])
    model = TimeModel(4, "round-trip", 1.4)
    street = made_up_street()
    opened = _mapsearch.search_data(street, aeds, model)
    closed = _mapsearch.search_data(street, aeds, model, unknown_hours="closed")
    assert opened["aeds"][0]["open"] == [[0, 10080]]
    assert closed["aeds"][0]["open"] == []
    # in the week of Monday 2024-03-18, Tuesday is Saint Joseph's Day in Liechtenstein
    holiday = _mapsearch.search_data(street, aeds, model, week="2024-03-18", country="LI")
    day = 1440
    assert holiday["aeds"][1]["open"] == [[d * day + 480, d * day + 720] for d in (0, 2, 3, 4)]


def test_a_runs_map_searches_with_its_own_week(tmp_path):
    """The run's map carries the hours of the run's week and unknown_hours."""
    import aedplan

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = aedplan.run(aedplan.Scenario.from_dict({
            "hours": {"unknown_hours": "closed"}, "goal": {"optimise": False}}))
    summary = aedplan.layers.from_run(run).summary
    assert (summary.unknown_hours, summary.week) == ("closed", "2024-03-04")


def test_a_site_plans_map_searches_with_its_hours_week():
    """A map drawn from ``plan_sites`` reads the AEDs' hours over the week and unknown
    hours the plan counted them in (the week of Saint Joseph's Day in Liechtenstein)."""
    import aedplan
    from aedplan.hours import availability, reference_week

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = aedplan.load_network(aedplan.datasets.default_osm_path())
        aeds = aedplan.read_points(aedplan.datasets.default_osm_path())
        hours = availability(aeds, week=reference_week("2024-03-18", country="LI"),
                             unknown_hours="closed")
        plan = aedplan.plan_sites(net, aedplan.demand_from_network(net, spacing_m=100),
                                  aedplan.candidates_from_network(net, spacing_m=200),
                                  aeds=aeds, hours=hours, budget=1)
    assert plan.hours is not None and plan.hours.unknown_hours == "closed"
    summary = aedplan.layers.from_site_plan(plan, circles=False).summary
    assert (summary.week, summary.country, summary.unknown_hours) == (
        "2024-03-18", "LI", "closed")
    # without hours the plan keeps none, and the map reads the default week
    bare = aedplan.plan_sites(net, aedplan.demand_from_network(net, spacing_m=100),
                              aedplan.candidates_from_network(net, spacing_m=200), budget=1)
    assert bare.hours is None
    assert aedplan.layers.from_site_plan(bare, circles=False).summary.week is None
