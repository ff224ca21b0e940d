"""Basemaps for the published map: OpenStreetMap, Tianditu (天地图), Amap (高德) or none.

Tiles are the only thing a published map may fetch; the map reads as a map without them.
Tianditu is drawn in CGCS2000, which agrees with WGS84 to centimetres, and needs a key
(``tiles_key`` or the ``TIANDITU_KEY`` environment variable). Amap is drawn in GCJ-02, so
every layer is shifted to GCJ-02 for display on it (the files written stay WGS84); WGS84
data on Amap tiles would land 300-500 m off, more than a whole rescue circle.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from . import _validate
from ._words import Words
from .datasets import OSM_COPYRIGHT_URL, OSM_CREDIT
from .errors import InputError

__all__ = ["BASEMAPS", "Basemap", "basemap"]



@dataclass(frozen=True)
class Basemap:
    """A tile layer and its credit. ``url`` is ``None`` for no tiles; ``labels`` an
    overlay of place names; ``datum`` the coordinates the tiles are drawn in."""

    name: str
    url: str | None
    attribution: str
    subdomains: str = "abc"
    max_zoom: int = 19
    datum: str = "wgs84"
    labels: str | None = None


_TIANDITU = ("https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
             "&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
             "&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}")

#: The basemaps ``tiles`` names, with what each is for.
BASEMAPS = {
    "osm": "OpenStreetMap's own tiles (the default)",
    "tianditu": "天地图 Tianditu, China's national map service (needs a key)",
    "amap": "高德 Amap/AutoNavi, in GCJ-02: every layer is shifted to match it",
    "none": "no tiles: streets and results only, for an offline or printed map",
}


def basemap(tiles: str = "osm", key: str | None = None, *, lang: str = "en") -> Basemap:
    """The basemap called ``tiles`` (one of :data:`BASEMAPS`); ``key`` is Tianditu's
    key, else the ``TIANDITU_KEY`` environment variable; its credit in ``lang`` (the
    name "OpenStreetMap contributors" as the licence asks).

    >>> basemap("amap", lang="zh").attribution.split(" · ")[0]
    '底图 © <a href="https://www.amap.com/">高德地图</a>'
    """
    tiles = _validate.one_of(tiles, "tiles", BASEMAPS)
    w = Words(lang)
    osm = (f'{w("Map data")} © <a href="{OSM_COPYRIGHT_URL}">'
           f'{OSM_CREDIT.removeprefix("© ")}</a>')
    if tiles == "osm":
        return Basemap("osm", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                       f'<a href="{OSM_COPYRIGHT_URL}">{OSM_CREDIT}</a>', subdomains="")
    if tiles == "amap":
        return Basemap(
            "amap",
            "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
            "&x={x}&y={y}&z={z}",
            f'{w("Tiles")} © <a href="https://www.amap.com/">{w("高德地图 AutoNavi")}</a> · '
            f"{osm}",
            subdomains="1234", max_zoom=18, datum="gcj02",
        )
    if tiles == "none":
        return Basemap("none", None, osm)
    key = key or os.environ.get("TIANDITU_KEY")
    if not key or not key.strip().isalnum():
        raise InputError(
            "`tiles='tianditu'` needs a Tianditu key: pass `tiles_key` or set the "
            "TIANDITU_KEY environment variable (a free key from "
            "https://console.tianditu.gov.cn)."
        )
    return Basemap(
        "tianditu", _TIANDITU.format(layer="vec", key=key.strip()),
        f'{w("Tiles")} © <a href="https://www.tianditu.gov.cn/">{w("天地图 Tianditu")}</a> · '
        f"{osm}",
        subdomains="01234567", max_zoom=18,
        labels=_TIANDITU.format(layer="cva", key=key.strip()),
    )

