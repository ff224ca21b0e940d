"""The Chinese map in Chromium (offline): no English left on the page but data names,
the credit the licence asks for and unit symbols; the map is Chinese because the data's
country is China (issue 28). The streets are real (central Wuhan); the AEDs on them are
made up here."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import aedplan
from aedplan.render import render_map, save_map

from .test_render import geojson_blocks
from .test_render_browser import browser  # noqa: F401  (skips without chromium)

WUHAN = Path(__file__).resolve().parents[1] / "data" / "wuhan-jiangan-drive.parquet"
#: Latin words a Chinese page may show: names (of the data's file, the map library, the
#: licence, the tool), the credit OpenStreetMap's licence asks for word for word, units.
ALLOWED = {"AED", "Leaflet", "ODbL", "OpenStreetMap", "contributors", "aedplan", "km", "m",
           "wuhan", "jiangan", "drive", "parquet"}
#: Every tab of the page's words: its text, the layer switcher opened, and each popup.
_TEXTS = """
var map = null;
for (var k in window) { try { if (window[k] instanceof L.Map) { map = window[k]; } } catch (e) {} }
document.querySelectorAll('.leaflet-control-layers').forEach(function (c) {
    c.classList.add('leaflet-control-layers-expanded'); });
var texts = [document.body.innerText];
function visit(l) {
    if (l.feature) {  /* a click on each feature, as a reader's */
        var at = l.getLatLng ? l.getLatLng() : l.getBounds().getCenter();
        l.fire('click', {latlng: at}, true);
        document.querySelectorAll('.leaflet-popup-content').forEach(function (c) {
            texts.push(c.innerText); });
        map.closePopup();
        document.querySelectorAll('.leaflet-popup').forEach(function (p) { p.remove(); });
    }
}
var all = [];
map.eachLayer(function (l) { all.push(l); });  /* popups come and go while we click */
all.forEach(visit);
return texts;
"""


@pytest.fixture(scope="module")
def wuhan_run(tmp_path_factory):
    """Real Wuhan streets, 12 made-up AEDs (a made-up person as their operator), no
    language given."""
    folder = tmp_path_factory.mktemp("wuhan")
    rng = np.random.default_rng(3)
    n = 12
    pd.DataFrame({
        "lon": 114.26 + 0.04 * rng.random(n), "lat": 30.56 + 0.03 * rng.random(n),
        "name": [f"社区服务中心{i}" for i in range(n)], "operator": ["张伟"] * n,
        "opening_hours": ["Mo-Fr 08:00-12:00, 13:30-17:00; PH off", "24/7", None] * 4,
        "access": ["yes", "yes", "private"] * 4,
    }).to_csv(folder / "made-up-aeds.csv", index=False)
    s = aedplan.Scenario.from_toml(
        f'[area]\nosm = "{WUHAN}"\n[aeds]\nsource = "{folder / "made-up-aeds.csv"}"\n'
        '[demand]\nsource = "network"\n[candidates]\nsource = "nodes"\n[goal]\nbudget = 3\n')
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", aedplan.AedplanWarning)
        return aedplan.run(s), folder


def test_a_chinese_citys_map_is_chinese_by_default(wuhan_run):
    run, _ = wuhan_run
    assert run.report["params"]["lang"] == "zh"  # no `lang` given: the data is in CN
    assert run.report["hours"]["country"] == "CN"
    html = save_map(render_map(run), Path(wuhan_run[1]) / "map.html").read_text("utf-8")
    assert "街道（车行路网：无人行小路）" in html  # a drive network, said so
    assert "张伟" not in html
    props = [f["properties"] for b in geojson_blocks(html) for f in b["features"]]
    hours = {p["hours"] for p in props if "hours" in p}
    assert "周一至周五 08:00-12:00，13:30-17:00；法定节假日关闭" in hours


def test_no_english_left_on_the_chinese_map(browser, wuhan_run):  # noqa: F811
    run, folder = wuhan_run
    path = save_map(render_map(run), folder / "map-browser.html")
    browser.get(path.as_uri())
    texts = browser.execute_script(_TEXTS)
    assert len(texts) > 20  # the page and its popups: AEDs, sites, circles, squares
    said = " ".join(texts)
    assert "周一至周五" in said and "公众可用" in said
    left = set(re.findall(r"[A-Za-z][A-Za-z]*", said)) - ALLOWED
    assert left == set(), sorted(left)
    # the scale bar is metric
    scale = browser.find_element("css selector", ".leaflet-control-scale").text
    assert re.fullmatch(r"\d+ k?m", scale.strip()), scale



_BADGES = """
window.aedplanSpreadRanks();
var shown = [], under = 0, more = 0;
document.querySelectorAll(".aedplan-site").forEach(function (b) {
    var r = b.firstChild, style = getComputedStyle(r);
    if (b.classList.contains("aedplan-under")) { under += 1; return; }
    if (r.getAttribute("data-more")) { more += Number(r.getAttribute("data-more")); }
    if (style.color !== "rgba(0, 0, 0, 0)") {
        var q = r.getBoundingClientRect();
        shown.push([q.left, q.top, q.right, q.bottom]);
    }
});
return [shown, under, more];
"""


@pytest.mark.parametrize("zoom", [12, 13, 14])
def test_rank_badges_do_not_hide_each_other(browser, tmp_path, zoom):  # noqa: F811
    """The embedded default's 10 proposed sites at country and town zoom: no two
    numbered badges overlap, and the badges kept count those they stand for."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", aedplan.AedplanWarning)
        run = aedplan.run(aedplan.Scenario())
    path = save_map(render_map(run), tmp_path / "map.html")
    browser.get(path.as_uri())
    browser.execute_script("""
        for (var k in window) { try { if (window[k] instanceof L.Map) {
            window[k].setZoom(arguments[0], {animate: false}); } } catch (e) {} }""", zoom)
    shown, under, more = browser.execute_script(_BADGES)
    assert len(shown) + under <= 10 and len(shown) >= 1
    assert more == under
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
