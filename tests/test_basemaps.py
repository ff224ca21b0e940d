"""Basemaps: OpenStreetMap, Tianditu (with its key), Amap (in GCJ-02: every layer shifted
for display) or none, each with its credit."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys

import geopandas as gpd
import pytest
import shapely

from aedplan.basemaps import basemap
from aedplan.errors import InputError
from aedplan.maplayers import MapLayers
from aedplan.render import page_html, render_map

from .conftest import data_path
from .test_datum import EVILTRANSFORM


def tile_pixel(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    """The global pixel of a point on 256-pixel Web Mercator tiles (as Amap and OSM lay
    them), in the coordinates the tiles are drawn in."""
    scale = 256 * 2**zoom
    s = math.sin(math.radians(lat))
    return (int((lon + 180.0) / 360.0 * scale),
            int((0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale))


def test_each_basemap_and_its_credit(monkeypatch):
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    osm = basemap("osm")
    assert "tile.openstreetmap.org" in osm.url and "OpenStreetMap contributors" in osm.attribution
    amap = basemap("amap")
    assert amap.datum == "gcj02" and "AutoNavi" in amap.attribution
    assert "OpenStreetMap contributors" in amap.attribution  # the data's credit stays
    assert basemap("none").url is None
    with pytest.raises(InputError, match=r"`tiles='tianditu'` needs a Tianditu key: pass "
                                         r"`tiles_key` or set the TIANDITU_KEY"):
        basemap("tianditu")
    monkeypatch.setenv("TIANDITU_KEY", "abc123")
    tianditu = basemap("tianditu")
    assert "tk=abc123" in tianditu.url and "tk=abc123" in tianditu.labels
    assert "天地图" in tianditu.attribution
    with pytest.raises(InputError, match="`tiles`"):
        basemap("google")


@pytest.mark.parametrize(("wlon", "wlat", "glon", "glat"), EVILTRANSFORM.tolist())
def test_a_wgs84_point_lands_on_its_amap_pixel(wlon, wlat, glon, glat):
    """An AED at a WGS84 point is drawn, on Amap, at the pixel of its published GCJ-02
    position (eviltransform's reference pairs), hundreds of pixels from where WGS84 would
    put it at street zoom."""
    aed = gpd.GeoDataFrame({"name": ["AED"]}, geometry=[shapely.Point(wlon, wlat)], crs=4326)
    html = page_html(render_map(MapLayers(aeds=aed), tiles="amap"))
    ((lon, lat),) = (json.loads(xy) for xy in re.findall(
        r'"coordinates": (\[[-\d.]+, [-\d.]+\]), "type": "Point"', html))
    zoom = 18  # a pixel is about 0.5 m; the map keeps 6 decimals (0.1 m)
    assert math.dist(tile_pixel(lon, lat, zoom), tile_pixel(glon, glat, zoom)) <= 1
    off = math.dist(tile_pixel(wlon, wlat, zoom), tile_pixel(glon, glat, zoom))
    assert off > 300  # 0.5 m a pixel: WGS84 on Amap would be hundreds of metres off
    # and on OpenStreetMap tiles it stays where it is
    html = page_html(render_map(MapLayers(aeds=aed), tiles="osm"))
    assert f"[{round(wlon, 6)}, {round(wlat, 6)}]" in html


def test_the_tianditu_key_goes_into_the_map_only(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "aedplan", "coverage", "--osm",
         str(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf")), "--tiles", "tianditu",
         "--tiles-key", "k3y4demo", "--out", str(out)],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "k3y4demo" in (out / "map.html").read_text()
    assert "k3y4demo" not in (out / "report.json").read_text()
    assert "k3y4demo" not in done.stdout + done.stderr


@pytest.mark.parametrize("tiles", ["amap", "tianditu", "none"])
def test_the_credit_is_in_the_maps_language(tiles, monkeypatch):
    """The Chinese map credits its tiles and data in Chinese (the name "OpenStreetMap
    contributors" stays as the licence asks); the English one in English."""
    monkeypatch.setenv("TIANDITU_KEY", "abc123")
    zh, en = basemap(tiles, lang="zh").attribution, basemap(tiles).attribution
    assert "地图数据 © " in zh and "Map data" not in zh and "Tiles" not in zh
    assert "AutoNavi" not in zh and "Tianditu" not in zh
    assert "OpenStreetMap contributors" in zh and "Map data © " in en
