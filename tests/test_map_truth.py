"""The published map tells a resident the truth: no private names, circles by who may
use them, hours as tagged and in the map's language (issue 28)."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

import aedplan
from aedplan.districtmaps import district_pages
from aedplan.maplayers import MapLayers
from aedplan.render import page_html, render_map

from .conftest import SUMMARY, points, polygons, streets
from .test_render import geojson_blocks

DATA = Path(__file__).resolve().parents[1] / "data"
#: A made-up contact person, as OSM's ``operator`` often holds one.
PERSON = "Erika Mustermann"


def quiet_run(scenario: aedplan.Scenario) -> aedplan.PlanRun:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", aedplan.AedplanWarning)
        return aedplan.run(scenario)


@pytest.fixture(scope="module")
def default_run():
    """The embedded default (Vaduz and Schaan), today's coverage and a plan."""
    return quiet_run(aedplan.Scenario())


def made_up_aeds(**columns):
    """Three made-up AEDs: a person's name in every ``operator``."""
    base = {"name": [None, "Rathaus", None], "operator": [f"AED {PERSON}, Hausdienst"] * 3,
            "defibrillator:location": ["Eingang Nord, links", None, None],
            "opening_hours": ["Mo-Fr 08:00-12:00, 13:30-17:00; PH off", "24/7", None],
            "hours_kind": ["hours", "24/7", "restricted"], "access": ["yes", "yes", "private"],
            "id": [1, 2, 3]}
    base.update(columns)
    return points([(0, 0), (300, 100), (-200, -300)], **base)


def made_up_layers(**aed_columns) -> MapLayers:
    return MapLayers(
        streets=streets(), aeds=made_up_aeds(**aed_columns),
        circles=polygons([(0, 0), (300, 100), (-200, -300)], aed=[0, 1, 2], id=[1, 2, 3],
                         area_m2=[7e4, 6e4, 4e4], max_s=[200.0, 200.0, 200.0]),
        summary=SUMMARY)


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_persons_name_in_operator_is_never_published(lang):
    page = page_html(render_map(made_up_layers(), lang=lang))
    assert PERSON not in page and "Mustermann" not in page
    # the AED without a name is called after where it hangs, the named one by its name
    assert "Eingang Nord, links" in page and "Rathaus" in page


def test_an_internal_map_may_show_the_operator():
    page = page_html(render_map(made_up_layers(), show_operator=True))
    assert PERSON in page


def test_no_operator_on_the_real_map_nor_its_district_maps(default_run, tmp_path):
    """Every operator of the embedded default that is not also an AED's own name or where
    it hangs (3 contact persons on Vaduz centre alone) is absent from map.html."""
    aeds = default_run.frames["aeds"]
    shown = {str(v) for c in ("name", "defibrillator:location") for v in aeds[c].dropna()}
    operators = {str(o).strip() for o in aeds["operator"].dropna()}
    operators = {o for o in operators if not any(o in text for text in shown)}
    assert len(operators) >= 20  # the data holds many, people among them
    assert "Karin Pirchler" in operators
    pages = [page_html(render_map(default_run))]
    import geopandas as gpd
    import shapely

    # two made-up districts: the west and east halves of the AEDs' box
    x0, y0, x1, y1 = aeds.to_crs(4326).total_bounds
    xm = (x0 + x1) / 2
    halves = gpd.GeoDataFrame({"name": ["West", "East"]}, crs=4326, geometry=[
        shapely.box(x0 - 0.01, y0 - 0.01, xm, y1 + 0.01),
        shapely.box(xm, y0 - 0.01, x1 + 0.01, y1 + 0.01)])
    halves.to_file(tmp_path / "halves.geojson")
    districts = quiet_run(aedplan.Scenario().replace(
        {"area.districts": str(tmp_path / "halves.geojson")}))
    pages += list(district_pages(districts, "en").values())
    assert len(pages) >= 3
    for page in pages:
        assert [o for o in operators if o in page] == []


# --------------------------------------------------------------------------- hours


def popups(page: str) -> list[dict]:
    """The properties of every feature the page embeds."""
    return [f["properties"] for b in geojson_blocks(page) for f in b["features"]]


def aed_popup(page: str, name: str) -> dict:
    return next(p for p in popups(page) if p.get("name") == name and "hours" in p)


def test_hours_as_tagged_in_english_and_in_chinese():
    layers = made_up_layers(name=["Schule", "Rathaus", None],
                            hours_words=["Mon-Fri 08:00-12:00, 13:30-17:00; Sat, Sun closed",
                                         "round the clock", "never"])
    en = aed_popup(page_html(render_map(layers, lang="en")), "Schule")
    assert en["hours"] == "Mo-Fr 08:00-12:00, 13:30-17:00; PH off"
    assert en["when"] == "Mon-Fri 08:00-12:00, 13:30-17:00; Sat, Sun closed"
    assert en["access"] == "yes"
    zh = aed_popup(page_html(render_map(layers, lang="zh")), "Schule")
    assert zh["hours"] == "周一至周五 08:00-12:00，13:30-17:00；法定节假日关闭"
    assert zh["when"] == "周一至周五 08:00-12:00，13:30-17:00；周六、周日关闭"
    assert zh["access"] == "公众可用"
    nameless = aed_popup(page_html(render_map(layers, lang="zh")), "AED（无名称）")
    assert nameless["where"] == "未注明" and nameless["access"] == "私人（不对公众开放）"


def test_a_registry_without_tags_shows_the_hours_it_counted_and_no_empty_tag_row():
    """A registry's AEDs carry no `opening_hours` tag (their hours come from its own
    columns): the popup says when each is counted open, and has no "as tagged" row that
    would say "not given" for hours the registry did give."""
    import dataclasses

    layers = made_up_layers(name=["Schule", "Rathaus", None],
                            hours_words=["Mon-Fri 08:00-17:00; Sat, Sun closed",
                                         "round the clock", "never"])
    registry = dataclasses.replace(layers, aeds=layers.aeds.drop(columns="opening_hours"))
    for lang, row in (("en", "Opening hours (as tagged)"), ("zh", "开放时间（原始标注）")):
        page = page_html(render_map(registry, lang=lang))
        school = next(p for p in popups(page) if p.get("name") == "Schule")
        assert "hours" not in school and school["when"].startswith(
            "Mon-Fri" if lang == "en" else "周一至周五")
        said = (row, json.dumps(row)[1:-1])  # as written, or as the page's JSON escapes it
        assert not any(r in page for r in said)
        tagged = page_html(render_map(layers, lang=lang))
        assert any(r in tagged for r in said)  # tagged: the row is there


def test_real_hours_are_counted_to_the_minute(default_run):
    """An AED tagged with a lunch break until 13:30 is counted open from 13:30, not from
    13:00 (no probe of the hour): the map says what the coverage counted."""
    aeds = default_run.frames["aeds"]
    tagged = aeds["opening_hours"] == "Mo-Fr 08:00-12:00, 13:30-17:00"
    assert tagged.sum() >= 3
    said = aeds.loc[tagged, "hours_words"]
    assert all("08:00-12:00, 13:30-17:00" in w and "13:00" not in w for w in said), said
    page = page_html(render_map(default_run))
    shown = [p for p in popups(page) if p.get("hours") == "Mo-Fr 08:00-12:00, 13:30-17:00"]
    assert len(shown) == tagged.sum()
    assert all("13:30-17:00" in p["when"] and "13:00" not in p["when"] for p in shown)


# --------------------------------------------------------------------------- circles


def test_restricted_circles_are_not_drawn_as_public_coverage():
    """The made-up restricted AED's circle is in its own layer, hidden at first, dashed
    and named in the legend; the public ones are drawn by default, those with opening
    hours apart from those open round the clock."""
    page = page_html(render_map(made_up_layers()))
    blocks = geojson_blocks(page)
    keys = [sorted(f["properties"].get("key") for f in b["features"]) for b in blocks
            if b["features"] and "area" in b["features"][0]["properties"]]
    assert sorted(keys) == [["1"], ["2"], ["3"]]  # with hours, 24/7, restricted
    assert "Rescue circles: AEDs not for public use" in page
    assert "Rescue circles: public AEDs with opening hours or hours unknown" in page
    assert "Rescue circles: public AEDs open round the clock" in page
    assert "Rescue circles: existing AEDs" not in page  # every circle's kind is known
    # hidden at first: the restricted layer is made but not added to the map
    restricted = [v for v in re.findall(r"var (geo_json_\w+) = L\.geoJson", page)
                  if f"{v}.addTo(" not in page]
    assert len(restricted) == 1, restricted


def test_the_scale_bar_is_metric_only():
    page = page_html(render_map(made_up_layers(), lang="zh"))
    assert "L.control.scale({imperial: false, metric: true})" in page
    assert "L.control.scale()" not in page


def test_uncovered_squares_never_cover_a_circle(default_run):
    """On the embedded default, the squares of uncovered demand are cut by the circles
    drawn: they share only the rounding of their edges, under 0.01% of the circles' area
    (before the cut: 17%)."""
    import shapely

    page = page_html(render_map(default_run))
    squares, circles = [], []
    for block in geojson_blocks(page):
        for f in block["features"]:
            # valid again after the page's rounding: its areas only (no collapsed lines)
            shape = shapely.make_valid(shapely.geometry.shape(f["geometry"]),
                                       method="structure", keep_collapsed=False)
            if "points" in f["properties"]:
                squares.append(shape)
            elif "area" in f["properties"]:
                circles.append(shape)
    assert len(squares) > 50 and len(circles) > 50
    shared = shapely.union_all(squares).intersection(shapely.union_all(circles)).area
    assert shared < 1e-4 * shapely.union_all(circles).area, shared


def test_no_aeds_today_is_said_not_charted():
    import dataclasses

    from aedplan._mappanels import summary_html

    none = dataclasses.replace(SUMMARY, n_aeds=0, coverage_before=0.0, coverage_after=0.2,
                               round_the_clock_before=0.0, round_the_clock_after=0.15,
                               hourly_before=np.zeros(168), hourly_after=np.full(168, 0.15))
    html = summary_html("t", none)
    assert "No AEDs today." in html
    assert "If every AED were public" not in html and "0.0%" not in html
    assert html.count("<polyline") == 1  # the week with the plan only
    assert "No AEDs today." not in summary_html("t", SUMMARY)


# --------------------------------------------------------------------------- orientation


def test_place_names_from_the_osm_file_at_low_zoom(default_run):
    """Vaduz and Schaan (towns) and their villages and suburbs, read from the embedded
    default, are named on the map, hidden from zoom 15 on (the basemap names them)."""
    from aedplan.layers import from_run

    places = from_run(default_run).places
    kinds = dict(zip(places["name"], places["place"], strict=True))
    assert kinds["Vaduz"] == "town" and kinds["Schaan"] == "town"
    assert set(kinds.values()) <= {"city", "town", "village", "suburb"}
    page = page_html(render_map(default_run))
    labels = [p for p in popups(page) if set(p) == {"name", "kind", "css"}]
    assert {"Vaduz", "Schaan"} <= {p["name"] for p in labels}
    assert {p["kind"] for p in labels if p["name"] in ("Vaduz", "Schaan")} == {"town"}
    assert ".aedplan-far .aedplan-place { display: block; }" in page
    from aedplan._mappanels import legend_entries

    legend = legend_entries(from_run(default_run).drawn())
    assert "Place names" not in [label for _, label, _ in legend]  # on the map, not listed


def test_the_panel_says_the_night_beside_the_round_the_clock_share(default_run):
    """The embedded default: the round-the-clock share averages the week; the panel says
    the night's share and the share with unknown hours counted closed, as report.json
    has them (14.5% round the clock, 11.7% at night, 11.8% with unknown hours closed)."""
    from aedplan._format import share

    hours = default_run.report["hours"]
    page = page_html(render_map(default_run))
    night, closed = hours["before"]["night_22_06"], hours["before"]["unknown_closed"]
    assert night < hours["before"]["round_the_clock"] and closed < hours["before"][
        "round_the_clock"]
    assert (f"At night (22:00-06:00): {share(night)} today, "
            f"{share(hours['after']['night_22_06'])} with the plan; with unknown hours "
            f"counted closed, {share(closed)} today.") in page
