"""The saved web map in a real browser: it loads, shows its panel, and runs no injected code.

Needs headless Chromium, its driver and Selenium; the browser has no network at all (every
host name fails to resolve), as on an intranet or behind a firewall: the page carries
Leaflet itself, only basemap tiles fail. Skipped when any is missing. On Debian/Ubuntu::

    apt-get install -y chromium chromium-driver
    pip install selenium
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import shutil
from pathlib import Path

import pytest

from aedplan.maplayers import LAYER_NAMES, MapLayers, MapSummary
from aedplan.render import render_map, save_map
from aedplan.timemodel import TimeModel

from .conftest import CRS, SUMMARY, X0, Y0, points, polygons, streets

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
if not (CHROMIUM and DRIVER):
    pytest.skip(
        "needs chromium and chromedriver (apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )

PAYLOAD = '<img src=x onerror="window.__xss=1">'
# Failed loads of basemap tiles: expected offline.
NETWORK = re.compile(r"Failed to load resource|net::ERR_")


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--window-size=1280,860",
        "--allow-file-access-from-files",
        # offline and fast: every host name fails at once
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def open_map(driver, tmp_path: Path, *, title: str = "AED rescue circles", **layers) -> None:
    path = save_map(render_map(MapLayers(**layers), title=title), tmp_path / "map.html")
    html = path.read_text(encoding="utf-8")
    # everything but the basemap tiles is inside the page
    assert not re.search(r"<script[^>]+src=|<link[^>]+stylesheet", html)
    driver.get_log("browser")  # drop earlier entries
    driver.get(path.as_uri())


def script_errors(driver) -> list[str]:
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and not NETWORK.search(entry["message"])
    ]


MAP = "var m = window[document.querySelector('.folium-map').id];"


def districts_layer(name: str):
    import geopandas as gpd
    import shapely

    return gpd.GeoDataFrame(
        {"name": [name, "East"], "coverage_before": [0.02, 0.3], "coverage_after": [0.12, 0.5],
         "aeds_before": [1, 2], "aeds_after": [2, 3]},
        geometry=[shapely.box(X0 - 600, Y0 - 600, X0, Y0 + 600),
                  shapely.box(X0, Y0 - 600, X0 + 600, Y0 + 600)], crs=CRS)


def moves_layer(aed_id: str):
    import geopandas as gpd
    import shapely

    return gpd.GeoDataFrame(
        {"aed_id": [aed_id], "to_rank": [1], "distance_m": [640.3], "gained_share": [0.01]},
        geometry=[shapely.LineString([(X0 - 200, Y0 - 300), (X0 + 400, Y0 - 400)])], crs=CRS)


def test_map_opens_without_errors_and_no_payload_runs(browser, tmp_path):
    aeds = points(
        [(0, 0), (300, 100), (-200, -300)],
        name=[PAYLOAD, "Town hall {{ 7*7 }}", None],
        opening_hours=[PAYLOAD, None, "24/7"],
        max_s=[200.0, 100.0, 50.0],
        hours_kind=["hours", "restricted", "24/7"],
        hours_words=["Mon-Fri 08:00-12:00; Sat, Sun closed", "never", "round the clock"],
    )
    proposed = points([(400, -400)], rank=[1], added_weight=[10.0], name=[PAYLOAD], kind=["x"])
    summary = dataclasses.replace(SUMMARY, source=PAYLOAD)
    open_map(
        browser,
        tmp_path,
        streets=streets([PAYLOAD, "Main Street {{ 7*7 }}"]),
        aeds=aeds,
        circles=polygons([(0, 0), (300, 100), (-200, -300)], id=[PAYLOAD, 2, 3]),
        proposed=proposed,
        proposed_circles=polygons([(400, -400)]),
        uncovered=points([(450, 450), (-450, -450)], weight=[1.0, 5.0]),
        hot_spots=polygons([(-450, -450)], radius=125.0, rank=[1], uncovered_weight=[5.0]),
        circles_day=polygons([(0, 0)]),
        circles_night=polygons([(-200, -300)]),
        districts=districts_layer(PAYLOAD),
        moves=moves_layer(PAYLOAD),
        summary=summary,
        title=PAYLOAD,
    )
    assert script_errors(browser) == []
    assert browser.execute_script(f"{MAP} return m instanceof L.Map;")
    # the tiles fail: the names of the streets appear, as text
    labels = WebDriverWait(browser, 10).until(
        lambda d: d.find_elements("css selector", ".aedplan-street"))
    assert sorted(e.text for e in labels) == sorted([PAYLOAD, "Main Street {{ 7*7 }}"])
    # every layer drew every feature
    counts = browser.execute_script(
        f"""{MAP}
        var out = {{}};
        m.eachLayer(function (l) {{
            if (l instanceof L.GeoJSON) {{ out[l.getLayers().length] =
                (out[l.getLayers().length] || 0) + 1; }}
        }});
        return out;"""
    )
    # circles 3; aeds 3; proposed 1 (+circle 1); uncovered: 2 squares; 1 hot spot; 2 names;
    # the move: its line and arrowhead (the districts are hidden at first)
    assert counts == {"1": 3, "2": 3, "3": 2}
    # the streets: one polyline of 11 parts, decoded in the page (and the move's line, of
    # two points)
    parts = browser.execute_script(
        f"{MAP} var n = []; m.eachLayer(function (l) {{ if (l instanceof L.Polyline && "
        "!(l instanceof L.Polygon)) { n.push(l.getLatLngs().length); } }); return n;")
    assert sorted(parts) == [2, 11]
    panel = browser.find_element("css selector", ".aedplan-summary")
    assert panel.is_displayed()
    assert "42.0%" in panel.text
    assert "OpenStreetMap contributors" in panel.text
    assert PAYLOAD in panel.text  # shown as text
    legend = browser.find_element("css selector", ".aedplan-legend")
    assert legend.is_displayed()
    assert LAYER_NAMES["uncovered"] in legend.text
    assert (
        "OpenStreetMap contributors"
        in browser.find_element("css selector", ".leaflet-control-attribution").text
    )
    overlays = browser.execute_script(
        "return document.querySelector('.leaflet-control-layers-overlays').textContent;"
    )
    # made-up streets of no known kind; today's circles of AEDs of no known kind (the
    # layers by who may use them, and place names, need data this map has not)
    by_access = {"circles_24_7", "circles_hours", "circles_restricted", "places"}
    shown = [v for k, v in LAYER_NAMES.items() if k not in by_access | {"streets"}]
    for name in [*shown, "Streets", "Street names"]:
        assert name in overlays
    # who may use each AED and when: its own colour and shape
    styles = browser.execute_script(
        "return Array.from(document.querySelectorAll('.aedplan-aed')).map(function (e) {"
        " var s = getComputedStyle(e); return [e.className, s.backgroundColor,"
        " s.borderRadius, s.clipPath]; });"
    )
    by_kind = {next(c for c in cls.split() if c.startswith("aedplan-aed-")): rest
               for cls, *rest in styles}
    assert by_kind["aedplan-aed-always"][:2] == ["rgb(0, 158, 115)", "50%"]
    assert by_kind["aedplan-aed-hours"][:2] == ["rgb(230, 159, 0)", "2px"]
    assert by_kind["aedplan-aed-restricted"][0] == "rgb(213, 94, 0)"
    assert by_kind["aedplan-aed-restricted"][2].startswith("polygon")
    # open every popup and tooltip: the payload shows as text and never runs
    texts = browser.execute_script(
        f"""{MAP}
        var texts = [];
        m.eachLayer(function (l) {{
            if (!l.feature || l instanceof L.GeoJSON) return;
            var at = l.getLatLng ? l.getLatLng() : l.getBounds().getCenter();
            try {{
                l.fire('click', {{latlng: at}}, true);
                l.fire('mouseover', {{latlng: at}}, true);
            }} catch (err) {{
                texts.push("ERR " + err + " " + JSON.stringify(l.feature.properties));
            }}
            document.querySelectorAll('.leaflet-popup-content, .leaflet-tooltip')
                .forEach(function (e) {{ texts.push(e.textContent); }});
        }});
        return texts;"""
    )
    assert not [t for t in texts if t.startswith("ERR")]
    assert any(PAYLOAD in t for t in texts)
    assert any("Reaches everyone within" in t for t in texts)
    assert any("#1" in t for t in texts)
    assert any("Town hall {{ 7*7 }}" in t for t in texts)
    assert (
        browser.execute_script(
            "return document.querySelectorAll('.leaflet-popup-content img, .leaflet-tooltip img,"
            " .aedplan-box img, .aedplan-street img').length;"
        )
        == 0
    )
    assert browser.execute_script("return window.__xss;") is None
    assert browser.title == PAYLOAD
    assert script_errors(browser) == []


def test_empty_map_opens(browser, tmp_path):
    open_map(browser, tmp_path, summary=MapSummary(model=TimeModel(4)))
    assert script_errors(browser) == []
    assert browser.find_element("css selector", ".aedplan-summary").is_displayed()


def test_panel_and_legend_do_not_cover_each_other_on_a_laptop_screen(browser, tmp_path):
    """The summary (with the week chart) and a full legend on a 1280 x 720 window."""
    import numpy as np

    week = np.r_[np.full(84, 0.3), np.full(84, 0.2)]
    summary = dataclasses.replace(SUMMARY, round_the_clock_before=0.25,
                                  round_the_clock_after=0.4, hourly_before=week,
                                  hourly_after=week + 0.1)
    kinds = ["24/7", "hours", "unknown", "restricted"]
    browser.set_window_size(1280, 720)
    try:
        open_map(
            browser, tmp_path, streets=streets(),
            aeds=points([(0, 0), (300, 100), (-200, -300), (100, 100)], hours_kind=kinds),
            circles=polygons([(0, 0)]), proposed=points([(400, -400)], rank=[1]),
            proposed_circles=polygons([(400, -400)]),
            uncovered=points([(450, 450)], weight=[1.0]), circles_day=polygons([(0, 0)]),
            circles_night=polygons([(0, 0)]), summary=summary,
        )
        boxes = browser.execute_script(
            "return ['.aedplan-summary', '.aedplan-legend'].map(function (s) {"
            " var r = document.querySelector(s).getBoundingClientRect();"
            " return [r.left, r.top, r.right, r.bottom]; });"
        )
    finally:
        browser.set_window_size(1280, 860)
    (l1, t1, r1, b1), (l2, t2, r2, b2) = boxes
    assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, boxes


# --------------------------------------------------------------------------- a real plan

#: Screenshots of the real map, for a person to look at (kept after the run).
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="module")
def vaduz_run(tmp_path_factory):
    """`aedplan plan` on the real Vaduz centre extract: map.html and report.json."""
    import json
    import subprocess
    import sys

    from .conftest import data_path

    out = tmp_path_factory.mktemp("vaduz") / "out"
    subprocess.run(
        [sys.executable, "-m", "aedplan", "plan", "--osm",
         str(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf")), "--budget", "3", "--quiet",
         "--out", str(out)],
        check=True, capture_output=True, timeout=600,
    )
    return out / "map.html", json.loads((out / "report.json").read_text())


def test_the_real_map_offline(browser, vaduz_run):
    """No network at all: the page draws, its legend entries are layers that toggle, the
    popups tell a resident where the AED hangs and a planner what a site adds, the panel
    quotes report.json, and the credit shows."""
    path, report = vaduz_run
    browser.set_window_size(1400, 900)
    browser.get_log("browser")  # drop earlier entries
    browser.get(path.as_uri())
    assert script_errors(browser) == []
    # no tiles: the longest streets are named by the page itself (the eight longest at
    # this zoom), and a note says why the background is empty
    labels = WebDriverWait(browser, 10).until(
        lambda d: [e.text for e in d.find_elements("css selector", ".aedplan-street")
                   if e.is_displayed()])
    assert "Landstrasse" in labels and len(labels) >= 8, labels
    assert "no background map" in browser.find_element(
        "css selector", ".leaflet-control-attribution").text
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "vaduz-centre-1400x900.png"))
    # the panel quotes report.json
    panel = browser.find_element("css selector", ".aedplan-summary").text
    before = report["hours"]["before"]["round_the_clock"]
    after = report["plan"]["round_the_clock"]
    assert f"{100 * before:.1f}%" in panel and f"{100 * after:.1f}%" in panel
    assert "OpenStreetMap contributors" in browser.find_element(
        "css selector", ".leaflet-control-attribution").text
    # every legend entry names a layer of the switcher, and switching it off removes it
    legend = browser.execute_script(
        "return Array.from(document.querySelectorAll('.aedplan-legend details > div'))"
        ".map(function (d) { return Array.from(d.childNodes).filter(function (n) {"
        " return n.nodeType === 3; }).map(function (n) { return n.textContent; })"
        ".join('').trim(); });")
    toggled = browser.execute_script(
        f"""{MAP}
        var out = [];
        document.querySelectorAll('.leaflet-control-layers-overlays label').forEach(
            function (label) {{
                var box = label.querySelector('input'), name = label.textContent.trim();
                var before = 0, after = 0;
                m.eachLayer(function () {{ before += 1; }});
                box.click();
                m.eachLayer(function () {{ after += 1; }});
                box.click();
                out.push([name, before, after, box.checked]);
            }});
        return out;"""
    )
    names = [name for name, *_ in toggled]
    assert len(legend) >= 6
    for line in legend:
        label = re.sub(r" \(\d[\d,]*\)$", "", line).strip()
        if label.startswith("AED: "):
            label = LAYER_NAMES["aeds"]
        assert any(name.startswith(label) for name in names), (label, names)
    for name, before_n, after_n, _ in toggled:
        assert before_n != after_n, name  # it toggled
    # the day and night circles are picked from the circles drawn: as many as the legend says
    picked = browser.execute_script(
        "return Object.keys(window).filter(function (k) { return k.indexOf('circle_subset_')"
        " === 0; }).map(function (k) { return window[k].getLayers().length; });")
    said = sorted(int(re.search(r"\((\d+)\)$", line)[1]) for line in legend
                  if line.startswith("Rescue circles at"))
    assert sorted(picked) == said and min(said) > 0
    # a resident's popup: where the AED hangs; a planner's: rank and what it adds
    texts = browser.execute_script(
        f"""{MAP}
        var texts = [];
        m.eachLayer(function (l) {{
            if (!l.feature || !l.getLatLng) return;
            l.fire('click', {{latlng: l.getLatLng()}}, true);
            document.querySelectorAll('.leaflet-popup-content').forEach(
                function (e) {{ texts.push(e.textContent); }});
        }});
        return texts;"""
    )
    assert any("Where it hangs" in t and "Reach within 4 min" in t for t in texts)
    flat = [re.sub(r"\s+", " ", t) for t in texts]
    assert any("Proposed AED #1" in t and "of demand" in t for t in flat), flat
    assert script_errors(browser) == []


def test_the_real_map_on_a_phone(browser, vaduz_run):
    """390 x 844: the summary is a one-line bar, the legend opens on a tap, pinch-zoom
    is allowed."""
    path, _ = vaduz_run
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    try:
        browser.get(path.as_uri())
        assert script_errors(browser) == []
        summary = browser.find_element("css selector", ".aedplan-summary")
        assert summary.size["height"] < 60, summary.size  # one line
        assert "→" in summary.text
        browser.find_element("css selector", ".aedplan-legend summary").click()
        legend = browser.find_element("css selector", ".aedplan-legend")
        assert legend.size["width"] <= 390 and "Proposed AEDs" in legend.text
        ARTIFACTS.mkdir(exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / "vaduz-centre-390x844.png"))
        viewport = browser.execute_script(
            "return document.querySelector('meta[name=viewport]').content;")
        assert "user-scalable=no" not in viewport and "maximum-scale" not in viewport
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_the_chinese_map_shows_a_chinese_legend(browser, tmp_path):
    """`lang="zh"`: legend, layer switcher and panel in Chinese (names stay as given)."""
    path = save_map(render_map(MapLayers(
        streets=streets(), aeds=points([(0, 0), (300, 100)], name=["市政厅", "Town hall"],
                                       hours_kind=["24/7", "restricted"]),
        circles=polygons([(0, 0)]), proposed=points([(400, -400)], rank=[1]),
        uncovered=points([(450, 450)], weight=[1.0]), summary=SUMMARY), lang="zh"),
        tmp_path / "map.html")
    browser.get_log("browser")
    browser.get(path.as_uri())
    assert script_errors(browser) == []
    legend = browser.find_element("css selector", ".aedplan-legend").text
    assert "图例" in legend and "AED：公众可用，全天" in legend and "拟新增AED" in legend
    assert "AED救护圈" in browser.find_element("css selector", ".aedplan-summary").text
    overlays = browser.execute_script(
        "return document.querySelector('.leaflet-control-layers-overlays').textContent;")
    assert "街道" in overlays and "步行路网" not in overlays  # made-up streets of no kind
    titles = browser.execute_script(
        "return ['in', 'out'].map(function (k) { return document.querySelector("
        "'.leaflet-control-zoom-' + k).title; }).concat(document.querySelector("
        "'.leaflet-control-layers-toggle').getAttribute('aria-label'));")
    assert titles == ["放大", "缩小", "图层"]  # Leaflet's own buttons too
    closing = browser.execute_script(
        "var m = window[document.querySelector('.folium-map').id];"
        "L.popup().setLatLng(m.getCenter()).setContent('x').openOn(m);"
        "return document.querySelector('.leaflet-popup-close-button').getAttribute("
        "'aria-label');")
    assert closing == "关闭"  # a popup's close button, made when it opens
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "chinese-map.png"))


def test_far_away_only_the_first_ten_sites_keep_their_numbers(browser, tmp_path):
    """Twelve proposed sites 100 m apart: zoomed out, at most the first ten keep their
    numbers, site 1 among them, and no two numbers overlap (the others shrink to dots);
    zoomed in, all are numbered."""
    spots = [(100.0 * i, 0.0) for i in range(12)]
    open_map(browser, tmp_path, proposed=points(spots, rank=list(range(1, 13))))

    def looks(zoom: int) -> dict[str, tuple[str, list[float]]]:
        return browser.execute_script(
            f"{MAP} m.setZoom({zoom}, {{animate: false}}); window.aedplanSpreadRanks();"
            "var out = {}; document.querySelectorAll('.aedplan-site').forEach(function (e) {"
            " var r = e.firstChild.getBoundingClientRect();"
            " out[e.textContent] = [getComputedStyle(e.firstChild).color,"
            " [r.left, r.top, r.right, r.bottom]]; }); return out;")

    far, near = looks(13), looks(17)
    numbered = {k: box for k, (colour, box) in far.items() if colour == "rgb(255, 255, 255)"}
    assert "1" in numbered and len(numbered) <= 10
    assert not any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
                   for i, a in enumerate(numbered.values())
                   for b in list(numbered.values())[i + 1:])
    assert all(colour == "rgb(255, 255, 255)" for colour, _ in near.values())
    assert script_errors(browser) == []


def test_the_variant_switcher_shows_each_variants_map(browser, tmp_path):
    """A run with variants writes a map.html that switches between the variants' own
    maps (beside it in their folders), offline, with the comparison table."""
    import warnings

    import aedplan
    from aedplan.comparison import folder_name

    centre = Path(__file__).resolve().parents[1] / "data" / "vaduz-centre-2024-03-03.osm.pbf"
    s = aedplan.Scenario.from_toml(
        f'[area]\nosm = "{centre}"\n[demand]\nsource = "network"\n[candidates]\n'
        'source = "nodes"\n[goal]\nbudget = 1\n[[variant]]\nname = "one"\n'
        '[[variant]]\nname = "three <b>more</b>"\ngoal.budget = 3\n'
    ).replace({"output.out": str(tmp_path / "out")})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", aedplan.AedplanWarning)
        aedplan.compare(s)
    browser.get_log("browser")
    browser.get((tmp_path / "out" / "map.html").as_uri())
    options = browser.find_elements("css selector", "#variant option")
    assert [o.text for o in options] == ["one", "three <b>more</b>"]  # shown, not run
    assert "Variants compared" in browser.page_source
    frame = browser.find_element("css selector", "iframe#map")
    assert frame.get_attribute("src").endswith("one/map.html")
    options[1].click()
    WebDriverWait(browser, 10).until(lambda d: frame.get_attribute("src").endswith(
        f"{folder_name('three <b>more</b>')}/map.html"))
    browser.switch_to.frame(frame)
    WebDriverWait(browser, 20).until(
        lambda d: d.find_elements("css selector", ".leaflet-container"))
    browser.switch_to.default_content()
    assert not script_errors(browser)


# --------------------------------------------------------------------------- nearest AED now

WEDNESDAY = 2 * 1440  # minutes of the week at Wednesday 00:00


def quietly(function, *args, **kwargs):
    """A run or a reading of hours whose remarks on the real data were given already."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


def planned(tmp_path_factory, osm: str | None):
    """A run of ``osm`` (default: the embedded Vaduz+Schaan) and its map.html."""
    import aedplan

    settings = {"goal.budget": 1}
    if osm is not None:
        settings["area.osm"] = osm
    run = quietly(aedplan.run, aedplan.Scenario().replace(settings))
    path = save_map(quietly(render_map, run), tmp_path_factory.mktemp("now") / "map.html")
    return run, path


@pytest.fixture(scope="module")
def centre_plan(tmp_path_factory):
    from .conftest import data_path

    return planned(tmp_path_factory, str(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf")))


def planner_times(run, lonlat, minute: int) -> list[tuple[float, int]]:
    """aedplan's own rescue time from every AED usable at ``minute`` to each place of
    ``lonlat``: per place, ``(seconds, AED row)`` nearest first."""
    import geopandas as gpd
    import numpy as np

    import aedplan
    from aedplan.reach import pair_times
    from aedplan.snapping import snap

    aeds = run.frames["aeds"]
    rows = np.flatnonzero(quietly(aedplan.availability, aeds).open_at(minute))
    lonlat = np.asarray(lonlat, dtype=float).reshape(-1, 2)
    places = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lonlat[:, 0], lonlat[:, 1]), crs=4326)
    src = snap(run.net, aeds.iloc[rows], argument="aeds", strict=False, warn_far=False)
    tgt = snap(run.net, places, argument="places", strict=False, warn_far=False)
    model = run.map_layers().summary.model
    si, ti, seconds = pair_times(run.net, src, tgt, model=model, limit_s=1e7)
    return [sorted(zip(seconds[ti == k].tolist(), rows[si[ti == k]].tolist(), strict=True))
            for k in range(len(places))]


def answer(driver, lon: float, lat: float, minute: int) -> dict:
    """The page's answer for a place at a minute of the week, shown as a click shows it."""
    return driver.execute_script(
        "var r = window.aedplanShow(arguments[0], arguments[1], arguments[2]);"
        "r.open.concat(r.later).forEach(function (a) { a.route = a.route.length; });"
        "delete r.place; return r;", lat, lon, minute)


def click_at(driver, lat: float, lon: float, zoom: int) -> None:
    """A real click of the mouse on the map at a place, the map centred there first."""
    from selenium.webdriver.common.action_chains import ActionChains

    where = driver.execute_script(
        MAP + "m.setView([arguments[0], arguments[1]], arguments[2], {animate: false});"
        "var p = m.latLngToContainerPoint([arguments[0], arguments[1]]);"
        "var r = m.getContainer().getBoundingClientRect();"
        "return [p.x - r.width / 2, p.y - r.height / 2];", lat, lon, zoom)
    ActionChains(driver).move_to_element_with_offset(
        driver.find_element("css selector", ".folium-map"), *where).click().perform()


def test_a_click_lists_the_aeds_usable_now_with_aedplans_own_times(browser, centre_plan):
    """Vaduz centre, Wednesday 10:30: a click on the map lists the three nearest AEDs
    usable then, in aedplan's order and with its reach times (within 1 s), and draws
    the routes; the first is `reach_times`' nearest AED."""
    import geopandas as gpd

    import aedplan
    from aedplan.snapping import snap

    run, path = centre_plan
    browser.set_window_size(1280, 860)
    browser.get(path.as_uri())
    assert script_errors(browser) == []
    answer(browser, 9.5215, 47.1395, WEDNESDAY + 10 * 60 + 30)  # sets the day and hour
    click_at(browser, 47.1395, 9.5215, 17)
    got = browser.execute_script(  # the click's own answer, its routes counted
        "var r = window.aedplanAnswer; r.open.concat(r.later).forEach(function (a) {"
        " a.route = a.route.length; }); delete r.place; return r;")
    assert got["snapped"] and abs(got["lat"] - 47.1395) < 1e-4
    want = planner_times(run, [got["lon"], got["lat"]], WEDNESDAY + 10 * 60 + 30)[0][:3]
    assert [a["row"] for a in got["open"]] == [row for _, row in want]
    for a, (seconds, _) in zip(got["open"], want, strict=True):
        assert abs(a["rescueS"] - seconds) < 1.0, (a, seconds)
        assert a["roundTripS"] == pytest.approx(2 * a["oneWayS"]) and a["route"] >= 3
    aeds = run.frames["aeds"]
    place = gpd.GeoDataFrame(geometry=gpd.points_from_xy([got["lon"]], [got["lat"]]), crs=4326)
    usable = quietly(aedplan.availability, aeds).open_at(WEDNESDAY + 10 * 60 + 30)
    reach = aedplan.reach_times(run.net, snap(run.net, aeds[usable], argument="aeds",
                                              strict=False, warn_far=False), place,
                                model=run.map_layers().summary.model, limit_s=1e6)
    assert abs(got["open"][0]["rescueS"] - reach.target_s[0]) < 1.0
    shown = [e.text for e in browser.find_elements("css selector", ".aedplan-open b")]
    assert shown == [a["name"] for a in got["open"]]
    call = browser.find_element("css selector", ".aedplan-call").text
    assert "112" in call  # Liechtenstein


def test_office_hours_are_open_at_half_past_ten_not_at_half_past_three(browser, centre_plan):
    """An AED with office hours, asked for at its own door: on Wednesday at 03:30 it is not
    listed as usable but as opening later that day; at 10:30 it is usable and nearest."""
    import numpy as np

    import aedplan

    run, path = centre_plan
    aeds = run.frames["aeds"]
    hours = quietly(aedplan.availability, aeds)
    day, night = WEDNESDAY + 10 * 60 + 30, WEDNESDAY + 3 * 60 + 30
    office = np.flatnonzero(hours.open_at(day) & ~hours.open_at(night))
    assert office.size, "Vaduz centre has AEDs with office hours"
    row = int(office[0])
    lon, lat = aeds.geometry.to_crs(4326).iloc[row].coords[0]
    browser.get(path.as_uri())
    at_night = answer(browser, lon, lat, night)
    assert row not in [a["row"] for a in at_night["open"]]
    later = {a["row"]: a["opensAt"] for a in at_night["later"]}
    spans = [s for s in np.flatnonzero(np.diff(np.r_[0, hours.open[row], 0]) == 1)]
    opens = min(int(hours.edges[s]) for s in spans if hours.edges[s] > night) - WEDNESDAY
    assert later.get(row) == opens
    assert [e.text for e in browser.find_elements("css selector", ".aedplan-later b")
            if e.text == at_night["later"][0]["name"]]
    by_day = answer(browser, lon, lat, day)
    assert by_day["open"][0]["row"] == row
    assert browser.find_elements("css selector", ".aedplan-open")


def test_a_place_with_no_aed_usable_now_says_so(browser, tmp_path):
    """Made up: eleven parallel streets, none joined; the only AED is on the westmost. A
    place on the middle street has no AED within the network, and the page says so; a
    place far from every street is told that."""
    aeds = points([(-500, 0)], opening_hours=["24/7"])
    open_map(browser, tmp_path, streets=streets(), aeds=aeds, summary=SUMMARY)
    import geopandas as gpd

    from .conftest import CRS, X0, Y0

    ll = gpd.GeoSeries(gpd.points_from_xy([X0 + 3, X0 + 3, X0 + 900], [Y0, Y0 + 300, Y0]),
                       crs=CRS).to_crs(4326)
    got = answer(browser, ll.iloc[0].x, ll.iloc[0].y, WEDNESDAY + 630)
    assert got["snapped"] and got["open"] == [] and got["later"] == []
    text = browser.find_element("css selector", ".aedplan-none").text
    assert text == "No AED usable at this time can be reached along these streets."
    west = gpd.GeoSeries(gpd.points_from_xy([X0 - 497], [Y0 + 300]), crs=CRS).to_crs(4326)
    got = answer(browser, west.iloc[0].x, west.iloc[0].y, WEDNESDAY + 630)
    assert [a["metres"] for a in got["open"]] == [pytest.approx(303, abs=1.5)]
    got = answer(browser, ll.iloc[2].x, ll.iloc[2].y, WEDNESDAY + 630)
    assert not got["snapped"]
    assert browser.find_element("css selector", ".aedplan-none").text == (
        "This place is too far from the streets.")


def test_the_page_search_equals_aedplans_on_200_places(browser, tmp_path_factory):
    """The embedded Vaduz+Schaan network: 200 random places within 25 m of a street, on a
    Wednesday at 10:30. The page lists the same three AEDs in the same order as aedplan
    (where aedplan's times are more than the page's rounding apart) with the same times.
    The page's streets are rounded to 1e-5 degrees (about a metre): a place about as far
    from two streets may be put on the other one (at most 3% of places); on the same
    street nine times in ten agree within 1 s, and a place 20 m off a winding street, whose
    foot on it moves with the rounding, within a few seconds."""
    import geopandas as gpd
    import numpy as np

    from aedplan.snapping import snap

    run, path = planned(tmp_path_factory, None)
    net = run.net
    rng = np.random.default_rng(28)
    xy = np.column_stack([rng.uniform(net.x.min(), net.x.max(), 4000),
                          rng.uniform(net.y.min(), net.y.max(), 4000)])
    near = snap(net, xy, argument="places", strict=False, warn_far=False).offset_m < 25
    lonlat = gpd.GeoSeries(gpd.points_from_xy(*xy[near][:200].T), crs=net.crs).to_crs(4326)
    lonlat = np.column_stack([lonlat.x, lonlat.y])
    assert len(lonlat) == 200
    minute = WEDNESDAY + 10 * 60 + 30
    browser.get(path.as_uri())
    got = browser.execute_script(
        "var out = [], p = arguments[0]; for (var i = 0; i < p.length; i++) {"
        "var r = window.aedplanNearest(p[i][1], p[i][0], arguments[1]);"
        "out.push([r.place.edge, r.open.map(function (a) { return [a.rescueS, a.row]; })]);}"
        "return out;", lonlat.tolist(), minute)
    want = planner_times(run, lonlat, minute)
    edge = snap(net, gpd.GeoDataFrame(geometry=gpd.points_from_xy(*lonlat.T), crs=4326),
                argument="places").edge
    same_street = np.array([e for e, _ in got]) == edge
    assert same_street.mean() >= 0.97, same_street.mean()
    gaps = []
    for (_, page), planner, same in zip(got, want, same_street, strict=True):
        planner = planner[:3]
        assert len(page) == len(planner)
        apart = all(b[0] - a[0] > 5.0 for a, b in itertools.pairwise(planner))
        if apart and same:
            assert [r for _, r in page] == [r for _, r in planner]
        by_row = dict((r, s) for s, r in planner)
        gaps += [s - by_row[r] for s, r in page if r in by_row and same]
    gaps = np.abs(gaps)
    ninety = np.quantile(gaps, 0.9)
    assert ninety < 1.0 and gaps.max() < 8.0, (ninety, gaps.max())


def test_the_search_crosses_a_network_of_100k_nodes(browser, tmp_path, capsys):
    """Made up: a 317 x 317 grid of streets 50 m apart (100,489 nodes, 200,344 edges) with
    one AED in a corner; from the far corner the search covers the whole network and finds
    the walk worked out by hand, with the CPU slowed four times (a phone). Its time is
    printed, not asserted (tests never assert a time): about 70 ms, best of five."""
    import geopandas as gpd
    import numpy as np
    import shapely

    from .conftest import CRS, X0, Y0

    n, step = 317, 50.0
    i, j = np.meshgrid(np.arange(n) * step + X0, np.arange(n) * step + Y0, indexing="ij")
    ends = [np.stack([np.column_stack([i[a].ravel(), j[a].ravel()]),
                      np.column_stack([i[b].ravel(), j[b].ravel()])], axis=1)
            for a, b in (((slice(None, -1),), (slice(1, None),)),
                         ((slice(None), slice(None, -1)), (slice(None), slice(1, None))))]
    grid = gpd.GeoDataFrame(geometry=shapely.linestrings(np.concatenate(ends)), crs=CRS)
    assert len(grid) == 2 * n * (n - 1)
    aed = points([(5, 5)], opening_hours=["24/7"])
    path = save_map(render_map(MapLayers(streets=grid, aeds=aed, summary=SUMMARY),
                               tiles="none"), tmp_path / "map.html")
    browser.get_log("browser")
    browser.get(path.as_uri())
    assert script_errors(browser) == []  # one AED, no tiles: a view fitted around it
    far = gpd.GeoSeries(gpd.points_from_xy([X0 + step * (n - 1) - 7], [Y0 + step * (n - 1)
                                                                        - 20]), crs=CRS)
    far = far.to_crs(4326).iloc[0]
    browser.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 4})
    try:
        runs = [browser.execute_script(
            "var r = window.aedplanNearest(arguments[0], arguments[1], 600);"
            "return [r.ms, r.open.length ? r.open[0].metres : -1];", far.y, far.x)
            for _ in range(5)]
    finally:
        browser.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 1})
    # the walk: 7 m onto the east street, 30 m south to its corner, 630 blocks to (50, 0),
    # 45 m west to the AED's foot and 5 m to the AED
    assert all(metres == pytest.approx(7 + 30 + step * 630 + 45 + 5, abs=1)
               for _, metres in runs)
    with capsys.disabled():
        print(f"\nnearest AED now, 100,489 nodes, CPU / 4: best of five "
              f"{min(ms for ms, _ in runs):.0f} ms")


def test_a_click_inside_a_rescue_circle_answers_too(browser, tmp_path_factory):
    """The embedded default, by the Rathaus in Vaduz: a click inside a rescue circle opens
    the circle's popup, which stops the map's own click; the nearest AEDs are listed
    anyway, from that place."""

    _, path = planned(tmp_path_factory, None)
    browser.set_window_size(1280, 860)
    browser.get_log("browser")  # (an earlier page's)
    browser.get(path.as_uri())
    click_at(browser, 47.1405, 9.5222, 16)
    popup = browser.execute_script(
        "var p = document.querySelector('.leaflet-popup-content'); return p && p.textContent;")
    assert popup and "Rescue circle of AED" in popup, popup  # the click landed in a circle
    got = browser.execute_script("return window.aedplanAnswer;")
    assert got is not None and got["snapped"] and abs(got["lat"] - 47.1405) < 1e-3
    assert got["open"] and browser.find_elements("css selector", ".aedplan-open")
    assert script_errors(browser) == []


def test_the_answer_says_when_no_aed_is_within_the_rescue_and_when_hours_are_guessed(
        browser, tmp_path_factory):
    """The embedded default: south of Vaduz the nearest usable AED is an hour's walk away,
    and the answer says so before the list; an AED whose hours are not known, counted
    open (`hours.unknown_hours = "open"`), says that it is counted so."""
    _, path = planned(tmp_path_factory, None)
    browser.get_log("browser")
    browser.get(path.as_uri())
    far = browser.execute_script(
        "var r = window.aedplanShow(47.1175, 9.5450, 6 * 1440 + 180);"
        "return [r.open.length && r.open[0].rescueS, document.querySelector("
        "'.aedplan-beyond') && document.querySelector('.aedplan-beyond').textContent];")
    assert far[0] > 240 and far[1].startswith("None is within the 4-minute rescue from here")
    near = browser.execute_script(
        "var r = window.aedplanShow(47.12635, 9.5215, 6 * 1440 + 180);"
        "return [r.open.map(function (a) { return a.unknown; }), r.open[0].rescueS,"
        " document.querySelectorAll('.aedplan-unknown').length,"
        " !!document.querySelector('.aedplan-beyond')];")
    flags, first_s, said, beyond = near
    assert any(flags) and said == sum(flags) and first_s <= 240 and not beyond
    assert script_errors(browser) == []


def test_the_left_panels_neither_overlap_nor_scroll_sideways(browser, tmp_path_factory):
    """A laptop's window (1366 x 625 inside): with an answer shown, the nearest-AED panel
    and the legend do not overlap, and the legend wraps its words instead of scrolling
    sideways; the AED markers are named for a screen reader."""
    _, path = planned(tmp_path_factory, None)
    browser.set_window_size(1366, 768)
    browser.get(path.as_uri())
    browser.execute_script("window.aedplanShow(47.1175, 9.5450, 6 * 1440 + 180);")
    now, legend, wide = browser.execute_script(
        "var a = document.querySelector('.aedplan-now').getBoundingClientRect(),"
        " l = document.querySelector('.aedplan-legend');"
        "return [[a.top, a.bottom], [l.getBoundingClientRect().top,"
        " l.getBoundingClientRect().bottom], l.scrollWidth - l.clientWidth];")
    assert now[1] <= legend[0] or legend[1] <= now[0], (now, legend)
    assert wide <= 1
    # each AED marker is named for a screen reader, as its popup names it
    labels = browser.execute_script(
        "return Array.from(document.querySelectorAll('.leaflet-marker-icon.aedplan-aed'))"
        ".map(function (e) { return e.getAttribute('aria-label'); });")
    assert labels and all(labels) and "AED: Rathaus Vaduz, Rathausgasse" in labels, labels[:5]


def test_on_a_phone_a_tap_opens_the_answer_and_keeps_the_place_in_sight(
        browser, tmp_path_factory):
    """A phone's screen (390 px wide): a tap opens the answer's panel over the top of the
    map, the map moves so that the place tapped and its nearest AED stay below it, and the
    rescue circle tapped in opens no popup over the answer."""
    _, path = planned(tmp_path_factory, None)
    browser.set_window_size(390, 844)
    try:
        browser.get(path.as_uri())
        assert not browser.execute_script(
            "return document.querySelector('.aedplan-now details').open;")
        click_at(browser, 47.1405, 9.5222, 16)
        opened, panel, place, aed = browser.execute_script(
            MAP + "var r = window.aedplanAnswer, a = r.open[0] || r.later[0],"
            " f = m.getContainer().getBoundingClientRect();"
            "return [document.querySelector('.aedplan-now details').open,"
            " document.querySelector('.aedplan-now').getBoundingClientRect().bottom - f.top,"
            " m.latLngToContainerPoint([r.lat, r.lon]).y, m.latLngToContainerPoint([a.lat,"
            " a.lon]).y];")
        assert opened and place > panel and aed > panel, (panel, place, aed)
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(browser, 2).until(  # no circle's popup (it fades out when closed)
            lambda d: not d.find_elements("css selector", ".leaflet-popup"))
    finally:
        browser.set_window_size(1280, 860)
