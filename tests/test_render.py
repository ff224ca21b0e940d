"""The web map and the static PNG: layers, numbers, escaping, size and atomic writes."""

from __future__ import annotations

import dataclasses
import html as stdlib_html
import json
import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from aedplan.datasets import OSM_CREDIT
from aedplan.errors import CRSError, InputError
from aedplan.figure import render_png
from aedplan.maplayers import LAYER_NAMES, MapLayers, MapSummary
from aedplan.render import format_seconds, render_map, save_map
from aedplan.timemodel import TimeModel

from .conftest import CRS, SUMMARY, X0, Y0, points, polygons, streets

XSS = "<img src=x onerror=alert(1)>"
XSS_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def layers() -> dict[str, gpd.GeoDataFrame]:
    return {
        "streets": streets(),
        "aeds": points(
            [(0, 0), (300, 100), (-200, -300)],
            name=[XSS, "Town hall & library", None],
            opening_hours=["24/7", "Mo-Fr 08:00-18:00", None],
            access=["yes", None, "customers"],
            max_s=[200.0, 239.6, np.inf],
        ),
        "circles": polygons(
            [(0, 0), (300, 100), (-200, -300)],
            aed=[0, 1, 2],
            id=[10, 11, 12],
            area_m2=[70_000.0, 65_000.0, 40_000.0],
            max_s=[200.0, 239.6, 120.0],
        ),
        "proposed": points(
            [(400, -400), (-400, 400)],
            rank=[2, 1],
            added_weight=[12.5, 1234.0],
            name=["Pharmacy", XSS],
            kind=["pharmacy", "station"],
        ),
        "proposed_circles": polygons(
            [(400, -400), (-400, 400)],
            aed=[0, 1],
            id=[0, 1],
            area_m2=[50_000.0, 50_000.0],
            max_s=[240.0, 240.0],
        ),
        "uncovered": points(
            [(450, 450), (-450, -450), (470, 0), (0, 470)], weight=[1.0, 2.0, 3.0, 50.0]
        ),
        "circles_day": polygons([(0, 0)], aed=[0], id=[10], area_m2=[70_000.0], max_s=[200.0]),
        "circles_night": polygons([(300, 100)], aed=[1], id=[11], area_m2=[65_000.0],
                                  max_s=[239.6]),
        "hot_spots": polygons([(450, 450)], radius=125.0, rank=[1],
                              uncovered_weight=[50.0]),
        "districts": gpd.GeoDataFrame(
            {"name": [XSS, "East"], "coverage_before": [0.02, 0.3],
             "coverage_after": [0.12, 0.5], "aeds_before": [1, 2], "aeds_after": [2, 3]},
            geometry=[shapely.box(X0 - 600, Y0 - 600, X0, Y0 + 600),
                      shapely.box(X0, Y0 - 600, X0 + 600, Y0 + 600)], crs=CRS),
        "moves": gpd.GeoDataFrame(
            {"aed_id": [XSS], "to_rank": [1], "distance_m": [565.7], "gained_share": [0.01]},
            geometry=[shapely.LineString([(X0 - 200, Y0 - 300), (X0 - 400, Y0 + 400)])],
            crs=CRS),
    }


def page(*, summary=None, **kwargs) -> str:
    options = {k: kwargs.pop(k) for k in ("title", "simplify_m") if k in kwargs}
    return render_map(MapLayers(**kwargs, summary=summary), **options).get_root().render()


def data_strings(html: str) -> str:
    """The page as JavaScript reads its embedded JSON (``\\u003c`` -> ``<`` ...)."""
    for code, char in (("\\u003c", "<"), ("\\u003e", ">"), ("\\u0026", "&"), ("\\u0027", "'")):
        html = html.replace(code, char)
    return html


def geojson_blocks(html: str) -> list[dict]:
    """Every FeatureCollection folium embedded (one ``..._add({...});`` per layer)."""
    found = re.findall(r"_add\((\{.*?\})\);\n", html)
    return [json.loads(block) for block in found]


def test_every_layer_and_the_osm_credit(layers):
    html = page(**layers, summary=SUMMARY)
    for key, name in LAYER_NAMES.items():
        # no AED kinds here; streets of no known kind are not called a walk network
        assert (name in html) is (key not in ("circles_restricted", "circles_hours",
                                               "circles_24_7", "streets", "places")), key
    assert "Streets (walk network)" not in html and "Streets" in html
    walk = page(**{**layers, "streets": layers["streets"].assign(highway="footway")})
    assert "Streets (walk network)" in walk
    assert "OpenStreetMap contributors" in html  # tile attribution
    assert "openstreetmap.org/copyright" in html
    assert "L.control.layers" in html
    assert "fitBounds" in html


def test_one_geojson_layer_per_kind(layers):
    many = points([(x, y) for x in range(-400, 400, 20) for y in range(-400, 400, 20)])
    html = page(**{**layers, "aeds": many})
    # 10 GeoJSON layers and the streets, however many features: no object per feature
    assert html.count("L.geoJson(") == 10
    assert html.count("L.polyline(") == 1
    # day and night: picked in the browser from the circles drawn, no data of their own
    assert len(re.findall(r"var circle_subset_\w+ = L.geoJson\(null", html)) == 2
    assert html.count("L.circleMarker(") == 0
    blocks = geojson_blocks(html)
    assert sorted(len(b["features"]) for b in blocks) == sorted(
        # circles, proposed, aeds, proposed circles, 4 squares of uncovered demand, 1 hot
        # spot, 2 districts, a move's line and head (streets are encoded polylines; day
        # and night circles are picked by key)
        [3, 2, len(many), 2, 4, 1, 2, 2]
    )


def test_summary_panel_numbers_and_credit(layers):
    html = page(**layers, summary=SUMMARY, title="Vaduz: AED plan")
    for text in (
        "42.0%",
        "73.3%",
        "+31.3 points",
        "with 2 proposed AEDs",
        "within 4 minutes",
        "round trip",
        "walking 1.4 m/s",
        "168 m along the streets",
        "Existing AEDs: 3",
        "buildings",
        "Vaduz OSM 2024-03-03",
        OSM_CREDIT,
        "<title>Vaduz: AED plan</title>",
        "aedplan-summary",
        "aedplan-legend",
    ):
        assert text in html, text


def test_summary_may_be_partial_or_missing(layers):
    html = page(aeds=layers["aeds"], summary=MapSummary(model=TimeModel(6)))
    assert "within 6 minutes" in html
    assert "covered today" not in html
    assert OSM_CREDIT in page(aeds=layers["aeds"])


def test_popup_and_tooltip_texts(layers):
    blocks = geojson_blocks(page(**layers))
    props = [f["properties"] for b in blocks for f in b["features"]]
    aed = next(p for p in props if p.get("name") == "Town hall &amp; library")
    assert aed == {
        "name": "Town hall &amp; library",
        "where": "not given",
        "who": "not given",  # no availability known: drawn as an AED, no kind
        "when": "not given",
        "hours": "Mo-Fr 08:00-18:00",
        "access": "not given",
        "reach": "4 min",
        "css": "any",
    }
    nameless = next(p for p in props if p.get("access") == "customers")
    assert nameless["name"] == "AED (no name)"
    assert nameless["reach"] == "unknown"  # max_s = inf
    first = next(p for p in props if p.get("rank") == "#1")
    assert first["n"] == "1"
    assert first["added"] == "1,234"
    assert first["kind"] == "station"
    second = next(p for p in props if p.get("rank") == "#2")
    assert second["added"] == "12.5"
    circle = next(p for p in props if p.get("aed") == "AED 10")  # its AED has no id here
    assert circle == {"aed": "AED 10", "reach": "3 min 20 s", "area": "7 ha", "key": "10"}
    # with ids, a circle takes its AED's name, a proposed one its rank and site
    # (never after its operator, often a contact person: after where it hangs)
    aeds = layers["aeds"].assign(id=[10, 11, 12], operator=[None, None, "Red Cross"],
                                 **{"defibrillator:location": [None, None, "Foyer"]})
    named = dict(layers, aeds=aeds, proposed=layers["proposed"].assign(id=[0, 1]))
    props = [f["properties"] for b in geojson_blocks(page(**named)) for f in b["features"]]
    circles = {p["aed"] for p in props if "area" in p}
    assert {"Town hall &amp; library", "AED: Foyer", "#2 Pharmacy"} <= circles
    assert "Red Cross" not in page(**named)
    # a proposed street corner (no name) is its rank, not a nameless AED
    corner = dict(named, proposed=named["proposed"].assign(name=["Pharmacy", None]))
    circles = {p["aed"] for b in geojson_blocks(page(**corner)) for p in
               (f["properties"] for f in b["features"]) if "area" in p}
    assert {"#2 Pharmacy", "Proposed AED #1"} <= circles
    assert not any("no name" in c for c in circles if "#" in c)


def test_names_are_escaped_exactly_once(layers):
    summary = dataclasses.replace(SUMMARY, source=XSS, demand_kind="a & b")
    html = page(**layers, summary=summary, title=XSS)
    seen = data_strings(html)  # what the browser's JS gets from the embedded JSON
    assert XSS not in seen
    assert "<img" not in seen
    # the AED, the proposed site, the panel's source and title, the page title; the
    # district (its feature, and folium's style switch over names), the move's line and
    # arrowhead
    assert seen.count(XSS_ESCAPED) == 9
    assert "a &amp; b" in seen
    assert "&amp;lt;" not in seen
    assert "&amp;amp;" not in seen
    assert "<title>&lt;img" in html


def test_template_syntax_in_names_is_shown_not_run(layers):
    # branca compiles rendered output as a Jinja template again: unescaped, these would
    # print 49 and run Python (``{{ cycler.__init__.__globals__.os ... }}``)
    name = "{{ 7*7 }} {% for i in range(3) %}x{% endfor %} {# c #}"
    aeds = layers["aeds"].assign(name=[name, "b", "c"])
    html = page(aeds=aeds, summary=MapSummary(source="{{ 6*7 }}"), title="{{ 5*5 }}")
    (block,) = geojson_blocks(html)
    shown = [f["properties"]["name"] for f in block["features"]]
    assert name not in shown
    assert stdlib_html.unescape(shown[0]) == name
    seen = data_strings(html)
    assert "&#123;&#123; 6*7 &#125;&#125;" in seen
    assert "<title>&#123;&#123; 5*5 &#125;&#125;</title>" in seen
    assert " 49 " not in seen
    assert "xxx" not in seen


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (200, "3 min 20 s"),
        (239.6, "4 min"),
        (60, "1 min"),
        (45.2, "45 s"),
        (0, "0 s"),
        (3725, "62 min 5 s"),
        (np.inf, "unknown"),
        (np.nan, "unknown"),
        (None, "unknown"),
        (-1, "unknown"),
        ("x", "unknown"),
    ],
)
def test_format_seconds(seconds, text):
    assert format_seconds(seconds) == text


def test_coordinates_rounded_to_6_decimals_in_any_crs(layers):
    wobbly = {k: v.copy() for k, v in layers.items()}
    wobbly["aeds"]["geometry"] = wobbly["aeds"].geometry.translate(0.123456789, 0.987654321)
    html = page(**wobbly)
    blocks = geojson_blocks(html)
    assert len(blocks) == 8
    text = json.dumps([b["features"] for b in blocks])
    decimals = re.findall(r"-?\d+\.(\d+)", text)
    assert decimals
    assert max(len(d) for d in decimals) <= 6
    # the same data in lon/lat draws in the same place
    lonlat = {k: v.to_crs("EPSG:4326") for k, v in layers.items()}
    a, b = geojson_blocks(page(**lonlat)), geojson_blocks(page(**layers))
    xy_a = np.array(re.findall(r"-?\d+\.\d+", json.dumps([x["features"] for x in a])), float)
    xy_b = np.array(re.findall(r"-?\d+\.\d+", json.dumps([x["features"] for x in b])), float)
    assert xy_a.shape == xy_b.shape
    assert np.abs(xy_a - xy_b).max() <= 2e-6


def decode_polyline(text: str) -> list[tuple[float, float]]:
    """Google's encoded polyline format, decoded the plain way (the reference algorithm)."""
    out, i, lat, lon = [], 0, 0, 0
    while i < len(text):
        for which in (0, 1):
            shift = result = 0
            while True:
                b = ord(text[i]) - 63
                i += 1
                result |= (b & 31) << shift
                shift += 5
                if b < 32:
                    break
            step = ~(result >> 1) if result & 1 else result >> 1
            if which == 0:
                lat += step
            else:
                lon += step
        out.append((lon / 1e5, lat / 1e5))
    return out


def street_lines(html: str) -> list[list[tuple[float, float]]]:
    """The street layer's lines, as the browser decodes them."""
    (encoded,) = re.findall(r"return L\.polyline\((\[.*?\])\.map\(aedplanDecode\)", html, re.S)
    return [decode_polyline(t) for t in json.loads(encoded)]


def test_geometry_is_simplified_and_streets_sent_as_encoded_polylines():
    dense = shapely.LineString([(X0 + i, Y0 + 0.001 * (i % 2)) for i in range(1001)])
    frame = gpd.GeoDataFrame(geometry=[dense, dense.offset_curve(50)], crs=CRS)
    lines = street_lines(page(streets=frame))
    assert [len(line) for line in lines] == [2, 2]
    kept = street_lines(page(streets=frame, simplify_m=0))
    assert len(kept[0]) == 1001
    # the decoded vertices are the street's, to 1e-5 degree (about 1 m)
    want = gpd.GeoSeries([dense], crs=CRS).to_crs(4326).get_coordinates().to_numpy()
    np.testing.assert_allclose(np.array(kept[0]), want, atol=1e-5 / 2 + 1e-12)


def test_uncovered_demand_is_summed_in_squares(layers):
    """Hand-made demand (not real data): two points in one 50 m square, one in another."""
    from .conftest import CRS, X0, Y0

    demand = gpd.GeoDataFrame(
        {"weight": [1.0, 2.0, 5.0]},
        geometry=gpd.points_from_xy([X0 + 10, X0 + 20, X0 + 310], [Y0 + 10, Y0 + 30, Y0 + 310]),
        crs=CRS,
    )
    html = page(uncovered=demand, summary=dataclasses.replace(SUMMARY, demand_unit="m of street"))
    (block,) = geojson_blocks(html)
    squares = gpd.GeoDataFrame.from_features(block["features"], crs=4326).to_crs(CRS)
    assert sorted(squares["weight"]) == ["3 m of street", "5 m of street"]
    assert sorted(squares["points"]) == ["1", "2"]
    assert np.allclose(squares.area, 2500.0, rtol=0.01)  # 50 m squares (to 1 m) in a town
    heavy = squares.loc[squares["weight"] == "5 m of street", "cls"].item()
    light = squares.loc[squares["weight"] == "3 m of street", "cls"].item()
    assert int(heavy) > int(light)  # the heavier square is darker
    assert "per 50 m square" in html
    unweighted = demand.drop(columns="weight")
    (block,) = geojson_blocks(page(uncovered=unweighted))
    assert sorted(f["properties"]["weight"] for f in block["features"]) == ["1", "2"]


def test_missing_and_empty_layers_still_render(layers):
    html = page(aeds=layers["aeds"], summary=SUMMARY)
    assert LAYER_NAMES["aeds"] in html
    assert LAYER_NAMES["proposed"] not in html
    html = page(
        **{**layers, "proposed": layers["proposed"].iloc[:0], "uncovered": None}, summary=SUMMARY
    )
    assert LAYER_NAMES["proposed"] not in html
    assert LAYER_NAMES["uncovered"] not in html
    assert LAYER_NAMES["circles"] in html
    # missing or empty geometries are left out, not drawn at (0, 0)
    aeds = layers["aeds"].copy()
    aeds.loc[aeds.index[1], "geometry"] = None
    (block,) = geojson_blocks(page(aeds=aeds))
    assert len(block["features"]) == 2
    # a frame with only a geometry column
    bare = gpd.GeoDataFrame(geometry=layers["aeds"].geometry)
    blocks = geojson_blocks(page(aeds=bare, proposed=gpd.GeoDataFrame(geometry=bare.geometry)))
    assert [len(b["features"]) for b in blocks] == [3, 3]
    # nothing at all: a world map that still credits OSM
    html = page()
    assert "OpenStreetMap contributors" in html
    assert not re.search(r"map_\w+\.fitBounds", html)


def test_a_frame_without_crs_raises(layers):
    no_crs = layers["aeds"].set_crs(None, allow_override=True)
    with pytest.raises(CRSError, match="`aeds` has no CRS"):
        render_map(MapLayers(aeds=no_crs))
    circles = layers["circles"].set_crs(None, allow_override=True)
    with pytest.raises(CRSError, match="`aeds`, `circles` have no CRS"):
        render_map(MapLayers(aeds=no_crs, circles=circles))
    with pytest.raises(CRSError, match="`streets` has no CRS"):
        render_png(MapLayers(streets=layers["streets"].set_crs(None, allow_override=True)),
                   "never.png")
    with pytest.raises(
        InputError, match="`aeds` must be a GeoDataFrame with a geometry column, got list"
    ):
        render_map(MapLayers(aeds=[(9.5, 47.1)]))
    with pytest.raises(InputError, match=r"`content` must be the result of aedplan\.run"):
        render_map(layers)


def test_inputs_are_not_modified(layers):
    before = {k: v.copy() for k, v in layers.items()}
    render_map(MapLayers(**layers, summary=SUMMARY))
    for key, frame in layers.items():
        assert frame.crs == before[key].crs
        assert frame.equals(before[key]), key


def test_save_map_writes_whole_file(tmp_path, layers):
    path = tmp_path / "out" / "map.html"
    assert save_map(render_map(MapLayers(**layers, summary=SUMMARY)), path) == path
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert html.rstrip().endswith("</html>")
    assert [p.name for p in path.parent.iterdir()] == ["map.html"]


def test_save_map_leaves_nothing_when_it_fails(tmp_path, layers, monkeypatch):
    path = tmp_path / "map.html"
    path.write_text("the old map", encoding="utf-8")
    m = render_map(MapLayers(**layers))

    def broken(**kwargs):
        raise RuntimeError("rendering failed")

    monkeypatch.setattr(m.get_root(), "render", broken)
    with pytest.raises(RuntimeError, match="rendering failed"):
        save_map(m, path)
    assert path.read_text(encoding="utf-8") == "the old map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]
    # a directory that cannot exist (its parent is a file): an error, nothing created
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(OSError):
        save_map(render_map(MapLayers(**layers)), blocker / "map.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html", "not-a-dir"]


def test_render_png(tmp_path, layers, monkeypatch):
    from matplotlib.figure import Figure

    drawn = {}
    savefig = Figure.savefig

    def spy(figure, *args, **kwargs):
        ax = figure.axes[0]
        drawn.update(labels=(ax.get_xlabel(), ax.get_ylabel()), texts=[t.get_text() for t in
                                                                        figure.texts])
        return savefig(figure, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", spy)
    path = tmp_path / "map.png"
    out = render_png(MapLayers(**layers, summary=SUMMARY), path, title=XSS + " $x$", dpi=60)
    assert drawn["labels"] == ("", "")  # a map: a scale bar, no axis titles
    assert drawn["texts"] == [XSS + r" \$x\$" + "\ncovered today 42.0% · with the plan 73.3% · "
                              "4-minute rescue circle"]
    assert out == path
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 1000
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]
    # lon/lat input, only some layers
    only = tmp_path / "aeds.png"
    render_png(MapLayers(aeds=layers["aeds"].to_crs("EPSG:4326")), only, dpi=40)
    assert only.read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(InputError, match="at least one non-empty layer"):
        render_png(MapLayers(), tmp_path / "none.png")
    assert not (tmp_path / "none.png").exists()


def test_import_stays_light():
    code = (
        "import sys, aedplan.render, aedplan.figure; "
        "print(sorted(m for m in ('folium', 'branca', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path.cwd()
    )
    assert out.stdout.strip() == "[]"


def test_the_map_in_chinese(layers, monkeypatch):
    html = render_map(MapLayers(**layers, summary=SUMMARY), lang="zh").get_root().render()
    for words in ("图例", "现有AED", "拟新增AED", "救护圈：现有AED", "目前覆盖", "具体位置",
                  "新增覆盖", "AED救护圈", "地图数据"):
        assert words in html or json.dumps(words)[1:-1] in html, words  # as text or in JS
    assert ">Legend<" not in html and "Existing AED" not in html
    assert "Pharmacy" in html  # names from the data stay as they are
    # the language follows the locale unless given
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "图例" in render_map(MapLayers(**layers)).get_root().render()
    assert "图例" not in render_map(MapLayers(**layers), lang="en").get_root().render()
    with pytest.raises(InputError, match="`lang` must be 'en'"):
        render_map(MapLayers(**layers), lang="fr")


def test_names_in_the_language_of_the_map(layers):
    """``name:zh`` / ``name:en`` where the data has them, else ``name`` as it is."""
    layers["aeds"] = layers["aeds"].assign(**{"name:zh": [None, "市政厅", None],
                                              "name:en": [None, None, "Clinic"]})
    layers["proposed"] = layers["proposed"].assign(**{"name:zh": ["药房", None]})

    def names(lang: str) -> set[str]:
        html = render_map(MapLayers(**layers), lang=lang).get_root().render()
        return {f["properties"].get("name") for block in geojson_blocks(html)
                for f in block["features"]}

    zh, en = names("zh"), names("en")
    assert {"市政厅", "药房"} <= zh and not {"Town hall &amp; library", "Pharmacy"} & zh
    assert {"Clinic", "Town hall &amp; library", "Pharmacy"} <= en and "市政厅" not in en


def test_charts_in_chinese_need_a_font_with_its_glyphs(tmp_path, monkeypatch):
    import warnings

    from aedplan import figure
    from aedplan.errors import AedplanWarning

    week = np.full(168, 0.2)
    if figure._cjk_font() is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no glyph missing, no fallback
            figure.render_week_png(week, week + 0.1, tmp_path / "week.png", lang="zh")
            figure.render_curve_png([0, 1, 2], [0.1, 0.2, 0.25], tmp_path / "curve.png",
                                    chosen=1, lang="zh")
        assert (tmp_path / "week.png").stat().st_size > 1000
    monkeypatch.setattr(figure, "_cjk_font", lambda traditional=False: None)
    with pytest.warns(AedplanWarning, match="no font with Chinese glyphs"):
        figure.render_week_png(week, None, tmp_path / "english.png", lang="zh")
    assert (tmp_path / "english.png").exists()


def test_a_day_layer_holding_every_circle_is_left_out(layers):
    """Every AED open at 10:30: the day layer would repeat all the circles, so it is not
    drawn; the night layer (one circle of five) is."""
    every = pd.concat([layers["circles"], layers["proposed_circles"]], ignore_index=True)
    html = page(**{**layers, "circles_day": every})
    assert LAYER_NAMES["circles_day"] not in html
    assert LAYER_NAMES["circles_night"] in html


def test_the_panel_shows_the_coverage_curve_with_the_plan_marked(layers):
    summary = dataclasses.replace(SUMMARY, curve_sites=[0, 1, 2, 3],
                                  curve_coverage=[0.1, 0.2, 0.25, 0.27], n_proposed=2)
    html = page(**layers, summary=summary)
    (svg,) = re.findall(r'<svg[^>]*aria-label="coverage against the number of new AEDs">'
                        r"(.*?)</svg>", html, re.S)
    (points,) = re.findall(r'<polyline[^>]*points="([^"]*)"', svg)
    xy = np.array([p.split(",") for p in points.split()], dtype=float)
    assert len(xy) == 4 and (np.diff(xy[:, 0]) > 0).all() and (np.diff(xy[:, 1]) < 0).all()
    (cx, cy) = map(float, re.search(r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg).groups())
    assert (cx, cy) == tuple(xy[2])  # the dot sits on 2 new AEDs
    assert "up to 27.0%" in html
    assert "aria-label=\"coverage against" not in page(**layers, summary=SUMMARY)
    # the sentence says what the curve counts
    assert "new AEDs (every AED counted open), up to" in html
    clock = page(**layers, summary=dataclasses.replace(summary, curve_round_the_clock=True))
    assert "new AEDs (round the clock), up to" in clock and "counted open), up" not in clock


def test_tianditu_labels_share_the_basemap_credit(layers, monkeypatch):
    """The label tiles carry the same credit as the map tiles, which Leaflet shows once:
    no empty entry in the credit line."""
    monkeypatch.setenv("TIANDITU_KEY", "0123456789abcdef0123456789abcdef")
    html = render_map(MapLayers(**layers), tiles="tianditu").get_root().render()
    credits = re.findall(r'"attribution": ("(?:[^"\\]|\\.)*")', html)
    assert len(credits) == 2 and credits[0] == credits[1] and "天地图" in json.loads(credits[0])


def test_street_names_show_when_there_is_no_basemap():
    """The longest named streets are labelled by the page: hidden under a basemap (it has
    its own names) until its tiles fail, shown at once with ``tiles="none"``."""
    named = MapLayers(streets=streets(["Main Street", "Lane <b>"]))
    for tiles, shown in (("osm", False), ("none", True)):
        html = render_map(named, tiles=tiles).get_root().render()
        (block,) = [b for b in geojson_blocks(html) if b["features"]]
        assert [f["properties"]["name"] for f in block["features"]] == [
            "Lane &lt;b&gt;", "Main Street"]  # as long as each other: by name
        assert [f["properties"]["angle"] for f in block["features"]] == ["90", "90"]
        layer = re.search(r"var (geo_json_\w+) = L\.geoJson", html)[1]
        assert (f"{layer}.addTo(" in html) is shown
        assert (f"map.addLayer({layer})" in html) is not shown  # on the first failed tile
    html = render_map(MapLayers(streets=streets()), tiles="none").get_root().render()
    assert "Street names" not in html  # no names, no layer


def test_the_curve_marks_the_plan_at_its_own_coverage(tmp_path, monkeypatch):
    """The exact plan may cover more than the greedy curve at its count: the chart marks
    and labels the plan's coverage, not the curve's (29.3%, not 29.2%)."""
    import warnings

    from matplotlib.axes import Axes

    import aedplan
    from aedplan import figure
    from aedplan.errors import AedplanWarning

    marked = []
    plot = Axes.plot

    def recording_plot(self, *args, **kwargs):
        if "label" in kwargs:
            marked.append((args[1][0], kwargs["label"]))
        return plot(self, *args, **kwargs)

    monkeypatch.setattr(Axes, "plot", recording_plot)
    figure.render_curve_png([0, 47, 48, 49], [0.1, 0.29, 0.292, 0.294], tmp_path / "c.png",
                            chosen=48, chosen_coverage=0.293)
    assert marked == [(pytest.approx(29.3), "the plan: 48 new AEDs, 29.3%")]
    # a run hands the chart its plan's coverage round the clock
    handed = {}
    monkeypatch.setattr(figure, "render_curve_png",
                        lambda *args, **kwargs: handed.update(kwargs) or args[2])
    with warnings.catch_warnings():  # the embedded default's remarks on its data
        warnings.simplefilter("ignore", AedplanWarning)
        run = aedplan.run(aedplan.Scenario().replace({"goal.budget": 3,
                                                      "output.out": tmp_path / "out"}))
    assert handed["chosen"] == 3 and handed["round_the_clock"]
    assert handed["chosen_coverage"] == run.report["plan"]["round_the_clock"]
