"""The web map of the rescue circles, ready to publish, and working anywhere.

:func:`render_map` draws streets, existing and proposed AEDs, their rescue circles, the
demand left uncovered (summed in squares) and its hot spots on a basemap of choice
(:mod:`aedplan.basemaps`), with a summary panel, a legend and a layer switcher
(:mod:`aedplan._mappanels`). The page carries Leaflet itself and fetches nothing but
tiles. It is built for a whole city: one layer per kind of feature (never one folium
object per feature), geometry simplified in metres, coordinates rounded to about 1 m
(0.1 m for points), streets as encoded polylines, and a canvas renderer.

Names and tags come from files anyone can edit, so every string that reaches the page
is escaped exactly once, in :func:`aedplan._maptext.html_text`: folium's popups and
tooltips insert property values as HTML, the panels are HTML too, and branca re-reads
rendered output as a Jinja template (so braces are escaped as well).

folium is imported inside the functions, so ``import aedplan`` stays light. The static
map for printed reports is :func:`aedplan.figure.render_png`.
"""
from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

from ._atomic import write_atomic
from ._cells import cut_by, demand_cells
from ._format import format_seconds, hectares, quantity, share
from ._leaflet import leaflet_css, leaflet_js
from ._mapcontrols import map_controls
from ._mapgeo import SHAPE_DIGITS, feature_collection, lonlat, rounded
from ._maplabels import LABEL, place_labels, street_labels
from ._mapoverlays import districts_layer, moves_layer
from ._mappanels import legend_entries, legend_html, macro, panel, summary_html
from ._mapsearch import MAX_EDGES, SEARCH_SIMPLIFY_M, search_data, search_panel
from ._maptext import MISSING, aed_kinds, column, html_text, is_missing, localised
from ._polyline import DECODE_JS, encode_lines
from ._words import Words, chinese_country, chinese_of, language
from .basemaps import basemap
from .errors import InputError
from .maplayers import (
    AED_KINDS,
    CELL_COLOURS,
    COLOURS,
    KIND_CSS,
    LAYER_NAMES,
    MapSummary,
    map_layers,
    streets_name,
)
from .timemodel import TimeModel

__all__ = ["format_seconds", "page_html", "render_map", "save_map"]


_JS_BRACES = str.maketrans({"{": "\\u007b", "}": "\\u007d"})

_CSS = """
<style>
.aedplan-box {
  background: rgba(255, 255, 255, 0.95); color: #222; padding: 8px 11px;
  border-radius: 6px; box-shadow: 0 1px 6px rgba(0, 0, 0, 0.35);
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Arial, "PingFang SC",
    "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
  max-width: min(300px, 42vw); max-height: 70vh; overflow-y: auto;
}
.aedplan-box summary { font-weight: 600; font-size: 15px; cursor: pointer; }
.aedplan-box p { margin: 4px 0; }
.aedplan-box table { border-collapse: collapse; margin: 4px 0; }
.aedplan-box th {
  font-weight: normal; color: #555; padding: 0 10px 0 0; text-align: left; white-space: nowrap;
  vertical-align: top;
}
.aedplan-box td { padding: 0; text-align: left; }
.aedplan-big { font-size: 22px; font-weight: 700; }
.aedplan-share { margin: 4px 0 2px; }
.aedplan-note { color: #444; font-size: 12px; }
.aedplan-credit { color: #555; font-size: 11px; }
.aedplan-legend div { margin: 2px 0; padding-left: 23px; text-indent: -23px; }  /* wrapped
  under its words, not scrolled sideways */
.aedplan-legend div > * { text-indent: 0; }
/* the left column holds two panels, one above the other: each keeps to its half (the
   answer scrolls in its box rather than run under the legend) */
.aedplan-legend, .aedplan-now { max-height: calc(50vh - 75px); }
.aedplan-sw {
  display: inline-block; width: 16px; height: 12px; margin-right: 7px;
  vertical-align: -1px; box-sizing: border-box;
}
.aedplan-dot { border-radius: 50%; width: 12px; margin: 0 9px 0 2px; }
.leaflet-popup-content, .foliumtooltip {
  font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
}
.leaflet-popup-content th, .foliumtooltip th {
  font-weight: normal; color: #555; padding: 1px 10px 1px 0; vertical-align: top;
}
.leaflet-popup-content td { font-weight: 600; padding: 1px 0; }
.aedplan-aed { box-sizing: border-box; border: 2px solid #fff;
  box-shadow: 0 0 2px rgba(0, 0, 0, 0.8); }
.leaflet-marker-icon.aedplan-aed::after { content: ""; position: absolute; inset: -8px; }  /* a
  finger's size */
.aedplan-chart { display: block; margin: 4px 0 2px; }
.aedplan-headline { font-weight: 600; margin-left: 6px; }
.aedplan-offline { color: #8a3b00; }
details[open] > summary .aedplan-headline { display: none; }
@media (max-width: 600px) {
  /* the search's bar sits below the summary's, which spans the phone's width */
  .leaflet-top.leaflet-left .aedplan-now { margin-top: 48px; }
  /* a phone: panels open as one-line bars; tap to read them */
  .aedplan-box { max-width: calc(100vw - 70px); max-height: 55vh; padding: 5px 8px;
    font-size: 12px; }
  .aedplan-box summary { font-size: 14px; }
  .aedplan-big { font-size: 18px; }
  /* the credit keeps to the right half, so that the legend's bar stays tappable */
  .leaflet-control-attribution { max-width: 48vw; font-size: 10px; line-height: 1.3; }
}
.aedplan-far .aedplan-site:not(.aedplan-top) .aedplan-rank,
.aedplan-site.aedplan-under .aedplan-rank {
  transform: scale(0.5); color: transparent; box-shadow: none;
}
.aedplan-rank[data-more]::after {
  content: attr(data-more); position: absolute; left: 17px; top: -9px;
  font: 700 9px/12px system-ui, Arial, sans-serif; color: #6a3d9a; background: #fff;
  border-radius: 6px; padding: 0 2px; box-shadow: 0 0 2px rgba(0, 0, 0, 0.5);
}
.aedplan-street span {
  position: absolute; left: 0; top: 0; white-space: nowrap; pointer-events: none;
  font: italic 11px/1 system-ui, Arial, "PingFang SC", "Microsoft YaHei",
    "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
  color: #333; text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff;
}
.aedplan-street-t1 span { font-size: 12px; font-weight: 600; }
.aedplan-place span {
  position: absolute; left: 0; top: 0; white-space: nowrap; pointer-events: none;
  font: 600 12px/1 system-ui, Arial, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC",
    sans-serif;
  color: #222; text-shadow: 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff;
}
.aedplan-place-city span, .aedplan-place-town span { font-size: 15px; font-weight: 700; }
.aedplan-place { display: none; }
.aedplan-far .aedplan-place { display: block; }
.aedplan-far .aedplan-street-t2, .aedplan-far .aedplan-street-t3,
.aedplan-mid .aedplan-street-t3 { display: none; }
.aedplan-rank {
  width: 100%; height: 100%;
  box-sizing: border-box; background: #6a3d9a; color: #fff;
  border: 2px solid #fff; border-radius: 50%;
  box-shadow: 0 0 3px rgba(0, 0, 0, 0.6); text-align: center;
  font: 700 11px/20px system-ui, Arial, sans-serif;
}
</style>
"""

# The basemap's credit and, when its tiles cannot load, a short note saying so.
_TILES = """
{% macro script(this, kwargs) %}
(function () {
    var map = {{ this._parent.get_name() }};
    {% if this.attribution %}map.attributionControl.addAttribution({{ this.attribution|tojson }});
    {% endif %}{% if this.tile_layer %}var shown = false;
    {{ this.tile_layer.get_name() }}.on("tileerror", function () {
        if (shown) { return; }
        shown = true;{% if this.labels %}
        map.addLayer({{ this.labels.get_name() }});{% endif %}
        var note = document.createElement("span");
        note.className = "aedplan-offline";
        note.textContent = {{ this.text|tojson }};
        map.attributionControl.addAttribution(note.outerHTML);
    });{% endif %}
})();
{% endmacro %}
"""
_TILES_FAILED = "no background map (offline?): streets and results drawn from the data"

# Layers are drawn bottom to top in this order.
_DRAW_ORDER = ("streets", "districts", "uncovered", "circles_restricted", "circles_hours",
               "circles", "circles_24_7",
               "proposed_circles",
               "circles_day", "circles_night", "hot_spots", "moves", "places", "aeds",
               "proposed")

# Existing AEDs: a marker whose colour and shape say who may use it and when.
_AED_MARKER = """function (feature, latlng) {
    var p = feature.properties, m = L.marker(latlng, {
        icon: L.divIcon({
            className: "aedplan-aed aedplan-aed-" + p.css,
            html: "", iconSize: [13, 13], iconAnchor: [6, 6], popupAnchor: [0, -6]
        }),
        riseOnHover: true
    });
    m.on("add", function () {  /* what a screen reader says of the marker: its name */
        var said = document.createElement("div");
        said.innerHTML = p.name || "";  /* escaped once, as the popup shows it */
        m.getElement().setAttribute("aria-label", said.textContent);
    });
    return m;
}"""
_SHAPE_CSS = {
    "circle": "border-radius: 50%;",
    "square": "border-radius: 2px;",
    # clipped, not rotated: Leaflet places a marker by its own transform
    "diamond": "border: none; clip-path: polygon(50% 0, 100% 50%, 50% 100%, 0 50%);",
    "triangle": "border: none; clip-path: polygon(50% 0, 100% 100%, 0 100%);",
}


def _kind_css() -> str:
    """One CSS class per kind of AED: its colour and its shape."""
    rules = [
        f".aedplan-aed-{KIND_CSS[kind]} {{ background: {colour}; {_SHAPE_CSS[shape]} }}"
        for kind, (colour, shape, _, _) in AED_KINDS.items()
    ]
    rules.append(f".aedplan-aed-any {{ background: {COLOURS['aeds']}; "
                 f"{_SHAPE_CSS['circle']} }}")
    return "<style>\n" + "\n".join(rules) + "\n</style>"

# Proposed sites: a numbered round marker; the number is an escaped property string.
_RANK_MARKER = """function (feature, latlng) {
    var n = Number(feature.properties.n);
    return L.marker(latlng, {
        icon: L.divIcon({
            className: n <= 10 ? "aedplan-site aedplan-top" : "aedplan-site",
            html: '<div class="aedplan-rank">' + feature.properties.n + "</div>",
            iconSize: [24, 24], iconAnchor: [12, 12], popupAnchor: [0, -10]
        }),
        riseOnHover: true,
        zIndexOffset: 1000 - n  /* the better site on top */
    });
}"""

# Zoomed out, proposed sites past the first ten become small dots, so many of them do not
# bury one another; their numbers come back when one zooms in.
# Classes on the map by zoom: far away (below 15) and middling (below 16), for what is
# shown only closer up (ranks of sites past the first ten, the names of lesser streets).
_ZOOM_CLASSES = """
{% macro script(this, kwargs) %}
(function () {
    var map = {{ this._parent.get_name() }};
    function mark() {
        var classes = map.getContainer().classList, zoom = map.getZoom();
        classes.toggle("aedplan-far", zoom < 15);
        classes.toggle("aedplan-mid", zoom < 16);
    }
    map.on("zoomend", mark);
    mark();
})();
{% endmacro %}
"""



# --------------------------------------------------------------------------- text


# --------------------------------------------------------------------------- geometry


# --------------------------------------------------------------------------- layers


def _constant(style: Mapping[str, Any]) -> Callable[[Any], dict[str, Any]]:
    return lambda _feature: dict(style)


# The streets: one polyline of many parts, sent as encoded polylines (a city's streets in
# a fifth of the bytes of GeoJSON) and decoded in the browser.
_STREETS = """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
    """ + DECODE_JS + """
    return L.polyline({{ this.encoded }}.map(aedplanDecode), {{ this.style|tojson }});
})();
{% endmacro %}
"""


def _streets_layer(frame: Any, simplify_m: float, w: Words) -> tuple[Any, np.ndarray]:
    from folium.map import Layer
    from jinja2 import Template

    geoms = lonlat(frame, simplify_m=simplify_m)
    lines = shapely.get_parts(geoms)
    lines = lines[shapely.get_type_id(lines) == shapely.GeometryType.LINESTRING]
    layer = Layer(name=w(streets_name(frame)), overlay=True)
    layer._name = "Streets"
    layer._template = Template(_STREETS)
    # braces as JS escapes: folium reads a script's text as a template once more
    encoded = json.dumps(encode_lines(lines)).translate(_JS_BRACES)
    attributes = {"encoded": encoded, "style": {
        "color": COLOURS["streets"], "weight": 1, "opacity": 0.55, "interactive": False}}
    for name, value in attributes.items():
        setattr(layer, name, value)
    return layer, np.array([shapely.multilinestrings(lines)])


def _circles_layer(
    frame: Any, key: str, simplify_m: float, w: Words
) -> tuple[Any, np.ndarray]:
    import folium

    geoms = lonlat(frame, simplify_m=simplify_m)
    label = column(frame, "name") if "name" in frame.columns else column(frame, "id")
    props = {
        "aed": label,
        "reach": [w.duration(format_seconds(s)) for s in column(frame, "max_s")],
        "area": [w.measure(hectares(x)) for x in column(frame, "area_m2")],
    }
    if "id" in frame.columns:
        props["key"] = [str(v) for v in frame["id"]]
    whose = "Proposed AED" if key == "proposed_circles" else "AED"
    style = _circle_style(key)
    layer = folium.GeoJson(
        feature_collection(geoms, props, ids=True),
        name=w(LAYER_NAMES[key]),
        # switched on by the reader: the day and night circles, and those of AEDs the
        # public may not use (never to be taken for public cover)
        show=key not in ("circles_day", "circles_night", "circles_restricted"),
        style_function=_constant(style),
        popup=folium.GeoJsonPopup(
            fields=["aed", "reach", "area"],
            aliases=[w(f"Rescue circle of {whose}"), w("Reaches everyone within"), w("Area")],
            localize=False,
        ),
    )
    return layer, geoms


def _circle_style(key: str) -> dict[str, Any]:
    style = {"color": COLOURS[key], "weight": 1.5, "opacity": 0.85,
             "fillColor": COLOURS[key], "fillOpacity": 0.22}
    if key in ("proposed_circles", "circles_restricted"):
        style["dashArray"] = "5 4"
    if key == "circles_restricted":
        style["fillOpacity"] = 0.08
    if key == "circles_hours":  # cover only in the hours the AED is open
        style.update(dashArray="2 4", fillOpacity=0.12)
    return style


# A layer of circles already drawn in other layers, picked by key in the browser: the day
# and night layers, without carrying the polygons twice.
_SUBSET = """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJson(null, {
    style: function () { return {{ this.style|tojson }}; },
    onEachFeature: function (feature, layer) {
        var p = feature.properties;  /* escaped once, as for every popup */
        var said = {{ this.said|tojson }};
        layer.bindPopup("<table><tr><th>" + said[0] + "</th><td>" + p.aed
            + "</td></tr><tr><th>" + said[1] + "</th><td>" + p.reach
            + "</td></tr><tr><th>" + said[2] + "</th><td>" + p.area + "</td></tr></table>");
    }
});
(function () {
    var keep = new Set({{ this.keys|tojson }});
    [{% for s in this.sources %}{{ s.get_name() }}{{ "," if not loop.last }}{% endfor %}]
    .forEach(function (source) {
        source.eachLayer(function (l) {
            if (keep.has(l.feature.properties.key)) { {{ this.get_name() }}.addData(l.feature); }
        });
    });
})();
{% endmacro %}
"""


def _subset_layer(key: str, frame: Any, sources: list[Any], w: Words) -> Any:
    """The circles of ``frame`` (by ``id``), taken in the browser from ``sources``."""
    from folium.map import Layer
    from jinja2 import Template

    layer = Layer(name=w(LAYER_NAMES[key]), overlay=True, show=False)
    layer._name = "CircleSubset"
    layer._template = Template(_SUBSET)
    attributes = {"keys": sorted({str(v) for v in frame["id"]}), "style": _circle_style(key),
                  "sources": sources, "said": [html_text(w(x)) for x in (
                      "Rescue circle of AED", "Reaches everyone within", "Area")]}
    for name, value in attributes.items():
        setattr(layer, name, value)
    return layer


#: The circle layers the day and night circles are picked from.
_KEYED = ("circles", "circles_24_7", "circles_hours", "circles_restricted",
          "proposed_circles")


def _keyed(layers: Mapping[str, Any]) -> bool:
    """Whether the day and night circles can be taken from the others by ``id``: every
    circle layer has ids, unique across them, and the day and night ones are among them."""
    drawn = [layers[k] for k in _KEYED if k in layers]
    if not drawn or any("id" not in f for f in (*drawn, *(
            layers[k] for k in ("circles_day", "circles_night") if k in layers))):
        return False
    ids = [str(v) for f in drawn for v in f["id"]]
    wanted = {str(v) for k in ("circles_day", "circles_night") if k in layers
              for v in layers[k]["id"]}
    return len(ids) == len(set(ids)) and wanted <= set(ids)



#: About 5 m in degrees of latitude: how closely cut squares follow the circles (closer
#: costs many points: at 2.5 m, 70 KB more on the embedded default).
_CUT_TOLERANCE_DEG = 5e-5


def _uncovered_layer(frame: Any, unit: str | None, w: Words, circles: Sequence[Any] = ()
                     ) -> tuple[Any, np.ndarray]:
    """Uncovered demand summed in squares sized to the area (50 m in a town, up to 2 km
    for a province), shaded in four classes: the gaps read at city zoom, and a city's
    hundreds of thousands of points become a few thousand squares. The squares are cut
    by the rescue ``circles`` drawn, so they never cover one."""
    import folium

    cells = demand_cells(frame)
    cells = cells[cells["weight"] > 0] if len(cells) > 1 else cells
    if len(circles):
        cut = cut_by(cells.geometry.to_numpy(), np.concatenate([
            c.to_crs(4326).geometry.to_numpy() for c in circles]), _CUT_TOLERANCE_DEG)
        keep = ~shapely.is_empty(cut)
        cells = cells.set_geometry(cut)[keep] if keep.any() or len(cells) <= 1 else cells
    weight = cells["weight"].to_numpy(dtype=float)
    edges = np.unique(np.quantile(weight, [0.0, 0.25, 0.5, 0.75]))
    cls = np.clip(np.searchsorted(edges, weight, side="right") - 1, 0, len(CELL_COLOURS) - 1)
    geoms = rounded(cells.geometry.to_numpy(), SHAPE_DIGITS)
    side = w.measure(f"{cells.attrs['side_m']:,.0f} m")
    layer = folium.GeoJson(
        feature_collection(geoms, {
            "weight": [f"{quantity(v)} {w(unit)}" if unit else quantity(v) for v in weight],
            "points": [f"{n:,}" for n in cells["points"].to_numpy()],
            "cls": [int(k) for k in cls],
        }),
        name=w("{layer} (per {side} square)", layer=w(LAYER_NAMES["uncovered"]), side=side),
        style_function=lambda feature: {
            "stroke": False, "fillOpacity": 0.6,
            "fillColor": CELL_COLOURS[int(feature["properties"]["cls"])],
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["weight", "points"],
            aliases=[w("Out of reach in this {side} square", side=side), w("Places")],
        ),
    )
    return layer, geoms


def _hot_spots_layer(frame: Any, w: Words) -> tuple[Any, np.ndarray]:
    """The squares with the most demand out of reach, outlined and numbered."""
    import folium

    geoms = lonlat(frame)
    ranks = column(frame, "rank")
    layer = folium.GeoJson(
        feature_collection(geoms, {"spot": [f"#{r}" for r in ranks]}),
        name=w(LAYER_NAMES["hot_spots"]),
        style_function=_constant({"color": COLOURS["hot_spots"], "weight": 2, "dashArray": "5 4",
                                  "fill": False}),
        tooltip=folium.GeoJsonTooltip(fields=["spot"],
                                      aliases=[w("Hot spots: most demand out of reach")]),
    )
    return layer, geoms


def aed_names(frame: Any, w: Words | None = None, *, show_operator: bool = False
              ) -> list[str]:
    """What a reader calls each AED: its own name (in the map's language where the data
    has it, as ``name:zh``), else where it hangs (``defibrillator:location``), else
    "AED (no name)". OSM's ``operator`` often names a contact person, so an AED is named
    after it only on an internal map (``show_operator``)."""
    w = w or Words()
    names, spots = localised(frame, "name", w.lang), column(frame, "defibrillator:location")
    operators = column(frame, "operator") if show_operator else [None] * len(frame)
    return [str(n).strip() if not is_missing(n) else
            w("AED: {where}", where=_short(s)) if not is_missing(s) else
            w("AED of {operator}", operator=str(o).strip()) if not is_missing(o) else
            w("AED (no name)")
            for n, s, o in zip(names, spots, operators, strict=True)]


def _short(text: Any, most: int = 48) -> str:
    """``text`` cut to ``most`` characters at a word, with "…"."""
    text = " ".join(str(text).split())
    if len(text) <= most:
        return text
    cut = text[:most].rsplit(" ", 1)[0] if " " in text[:most] else text[:most]
    return cut.rstrip(" ,;.") + "…"


def _where(frame: Any, w: Words) -> list[Any]:
    """Where exactly the AED hangs (``defibrillator:location``), with its floor."""
    spots, levels = column(frame, "defibrillator:location"), column(frame, "level")
    return [None if is_missing(s) and is_missing(lv) else
            " · ".join(x for x in (None if is_missing(s) else str(s),
                                   None if is_missing(lv) else w("floor {level}", level=lv))
                         if x)
            for s, lv in zip(spots, levels, strict=True)]


def _street_names_layer(streets: Any, shown: bool, w: Words) -> Any:
    """The names of the longest streets (:func:`aedplan._maplabels.street_labels`), or
    ``None`` when the streets carry none. Hidden at first unless ``shown``: the basemap
    has its own names, and the page shows these when its tiles fail."""
    import folium
    from folium.utilities import JsCode

    labels = street_labels(streets)
    if not len(labels):
        return None
    props = {"name": labels["name"], "angle": labels["angle"], "tier": labels["tier"]}
    return folium.GeoJson(
        feature_collection(rounded(labels.geometry.to_numpy()), props),
        name=w("Street names"), show=shown, point_to_layer=JsCode(LABEL),
    )


def _places_layer(frame: Any, w: Words) -> tuple[Any, np.ndarray]:
    """The names of towns, villages and suburbs, shown zoomed out (below zoom 15)."""
    import folium
    from folium.utilities import JsCode

    geoms = lonlat(frame, points=True)
    return folium.GeoJson(
        feature_collection(geoms, place_labels(frame, w.lang)), name=w(LAYER_NAMES["places"]),
        point_to_layer=JsCode(LABEL),
    ), geoms


def _aeds_layer(frame: Any, model: Any, w: Words, show_operator: bool = False
                ) -> tuple[Any, np.ndarray]:
    import folium
    from folium.utilities import JsCode

    geoms = lonlat(frame, points=True)
    kinds = aed_kinds(frame)
    if model is not None:
        reach = [w("{metres:,.0f} m along the streets", metres=model.reach_m)] * len(frame)
        reach_words = w("Reach within {minutes:g} min", minutes=model.minutes)
    else:
        reach = [w.duration(format_seconds(s)) for s in column(frame, "max_s")]
        reach_words = w("Reaches everyone within")
    props = {
        "name": aed_names(frame, w, show_operator=show_operator),
        "where": _where(frame, w),
        "who": [w(AED_KINDS[k][2]) if k in AED_KINDS else None for k in kinds],
        "when": [v if is_missing(v) else w.hours(str(v)) for v in column(frame, "hours_words")],
        "hours": [v if is_missing(v) else w.hours(str(v)) for v in column(frame,
                                                                          "opening_hours")],
        "access": [w.access(v) for v in column(frame, "access")],
        "reach": reach,
        **({"operator": column(frame, "operator")} if show_operator else {}),
        "css": [KIND_CSS.get(k, "any") for k in kinds],
    }
    rows = {"name": w("Existing AED"), "where": w("Where it hangs"),
            "who": w("Who and when"), "when": w("Counted open"),
            "hours": w("Opening hours (as tagged)"), "access": w("Access"),
            "reach": reach_words, **({"operator": w("Operator")} if show_operator else {})}
    if all(is_missing(v) for v in props["hours"]):  # a registry's hours: no tag to show
        del rows["hours"], props["hours"]
    layer = folium.GeoJson(
        feature_collection(geoms, _said(props, w)),
        name=w(LAYER_NAMES["aeds"]),
        point_to_layer=JsCode(_AED_MARKER),
        popup=folium.GeoJsonPopup(fields=list(rows), aliases=list(rows.values()),
                                  localize=False),
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    )
    return layer, geoms


def _said(props: Mapping[str, Sequence[Any]], w: Words) -> dict[str, list[Any]]:
    """Popup values with "not given" in the map's language where the data has none."""
    missing = w(MISSING)
    return {k: [missing if is_missing(v) else v for v in values] for k, values in props.items()}


def _added(weight: Any, summary: MapSummary | None, w: Words) -> str | None:
    """Demand a proposed AED brings into reach: a share of all demand, and in its unit."""
    if is_missing(weight):
        return None
    amount = quantity(weight)
    if summary is not None and summary.demand_unit:
        amount = f"{amount} {w(summary.demand_unit)}"
    if summary is not None and summary.demand_total:
        return w("{share} of demand ({amount})",
                 share=share(float(weight) / summary.demand_total), amount=amount)
    return amount


def _proposed_layer(
    frame: Any, summary: MapSummary | None, w: Words
) -> tuple[Any, np.ndarray]:
    import folium
    from folium.utilities import JsCode

    if "rank" in frame.columns:
        rank = pd.to_numeric(frame["rank"], errors="coerce")
        rank = rank.fillna(rank.max() + 1 if rank.notna().any() else 1).astype(int).to_numpy()
    else:
        rank = np.arange(1, len(frame) + 1)
    order = np.argsort(-rank, kind="stable")  # rank 1 drawn last, on top
    frame = frame.iloc[order]
    rank = rank[order]
    geoms = lonlat(frame, points=True)
    props: dict[str, Sequence[Any]] = {
        "n": [str(r) for r in rank],
        "rank": [f"#{r}" for r in rank],
        "added": [_added(x, summary, w) for x in column(frame, "added_weight")],
        "name": localised(frame, "name", w.lang),
        "kind": [None if is_missing(k) else w.script(w(str(k).replace("_", " ")))
                 for k in localised(frame, "kind", w.lang)],  # kind:zh, aedplan's words
        "when": [v if is_missing(v) else w.hours(str(v)) for v in column(frame, "hours_words")],
    }
    layer = folium.GeoJson(
        feature_collection(geoms, _said(props, w)),
        name=w(LAYER_NAMES["proposed"]),
        point_to_layer=JsCode(_RANK_MARKER),
        popup=folium.GeoJsonPopup(
            fields=["rank", "added", "name", "kind", "when"],
            aliases=[w(x) for x in ("Proposed AED", "Brings into reach", "Site",
                                    "Kind of place", "Counted open")],
            localize=False,
        ),
        tooltip=folium.GeoJsonTooltip(fields=["rank", "name"],
                                      aliases=[w("Proposed AED"), w("Site")]),
    )
    return layer, geoms


# --------------------------------------------------------------------------- panels


# --------------------------------------------------------------------------- the web map


def render_map(
    content: Any,
    *,
    title: str | None = None,
    circles: bool = True,
    simplify_m: float = 2.5,
    tiles: str = "osm",
    tiles_key: str | None = None,
    lang: str | None = None,
    show_operator: bool | None = None,
) -> Any:
    """An interactive map of the rescue circles, ready to publish.

    The page carries Leaflet itself and loads nothing but basemap tiles, so it opens
    offline and behind firewalls; without tiles it still reads as a map (the streets are
    drawn from the data) and says that the tiles could not load.

    Parameters
    ----------
    content
        What to draw: the :class:`~aedplan.pipeline.PlanRun` of :func:`aedplan.run`, a
        :class:`~aedplan.plan.SitePlan` from :func:`aedplan.plan_sites` (its rescue
        circles are computed here), or :class:`~aedplan.maplayers.MapLayers` of one's own
        (any CRS each; a layer without a CRS raises :class:`~aedplan.errors.CRSError`).
        Empty layers are left out.
    title
        Shown in the panel and as the page title (default "AED rescue circles", in the
        map's language).
    circles
        Draw the rescue circles.
    simplify_m
        Tolerance in metres for simplifying lines and polygons (0 keeps them as is); the
        default, half the circles' 5 m lattice, keeps every edge within its cell.
    lang
        ``"en"`` or ``"zh"`` (简体中文) for the map's words; default: Chinese when the
        data's country (the summary's ``country``) is CN, TW, HK or MO, else the locale's
        when it is Chinese, else English. Names from the data stay as they are.
    show_operator
        Show each AED's ``operator`` (OSM's often names a contact person): for internal
        maps only; default: the summary's ``show_operator`` (the scenario's
        ``output.show_operator``), else no.
    tiles, tiles_key
        The basemap (:data:`aedplan.basemaps.BASEMAPS`: ``"osm"``, ``"tianditu"`` with
        its key, ``"amap"``, drawn in GCJ-02, to which every layer is shifted for
        display, or ``"none"``).

    Returns
    -------
    folium.Map
        Save it with :func:`save_map`.

    Examples
    --------
    >>> import aedplan, geopandas as gpd
    >>> street = aedplan.network_from_arrays([0, 100, 200, 300, 400], [0, 0, 0, 0, 0],
    ...                                      [0, 1, 2, 3], [1, 2, 3, 4], crs="EPSG:32632")
    >>> def points(xs, ys=None):  # points in the street's CRS (metres)
    ...     return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys or [0] * len(xs)),
    ...                             crs="EPSG:32632")
    >>> demand = aedplan.demand_from_network(street, spacing_m=100)
    >>> sites = aedplan.candidates_from_network(street, spacing_m=None)
    >>> plan = aedplan.plan_sites(street, demand, sites, aeds=points([0]), budget=1)
    >>> m = aedplan.render_map(plan, lang="zh")  # a folium.Map; shows inline in Jupyter
    >>> "Leaflet" in aedplan.render.page_html(m)  # Leaflet inside: it opens offline
    True
    """
    import folium
    from branca.element import Element

    content = map_layers(content, circles=circles)
    if lang is None and content.summary is not None and chinese_country(
            content.summary.country):
        lang = chinese_of(content.summary.country)  # the data's country says
    base = basemap(tiles, tiles_key, lang=language(lang))
    w = Words(language(lang))
    title = w("AED rescue circles") if title is None else title
    layers = content.drawn()
    unit = content.summary.demand_unit if content.summary is not None else None
    model = content.summary.model if content.summary is not None else None
    m = folium.Map(tiles=None, prefer_canvas=True, control_scale=False)
    # Leaflet inside the page, nothing from a CDN: folium's jQuery, Bootstrap and icon
    # fonts are not needed
    m.default_js, m.default_css = [], []
    page: Any = m.get_root()
    page.title = html_text(title)
    page.header.add_child(_verbatim(f"<style>{leaflet_css()}</style>"), name="leaflet_css")
    page.header.add_child(_verbatim(f"<script>{leaflet_js()}</script>"), name="leaflet_js")
    page.header.add_child(Element(_CSS), name="aedplan_css")
    page.header.add_child(Element(_kind_css()), name="aedplan_kinds")
    if show_operator is None:
        show_operator = content.summary is not None and content.summary.show_operator
    layers = _shown_in(_by_access(_named_circles(_telling(layers), w, show_operator)),
                       base.datum)
    tile_layer = None
    if base.url is not None:
        tile_layer = folium.TileLayer(base.url, attr=base.attribution, name=_BASEMAP_NAMES[
            base.name], max_zoom=base.max_zoom, subdomains=base.subdomains or "abc")
        tile_layer.add_to(m)
    if base.labels is not None:
        folium.TileLayer(base.labels, attr=base.attribution, name="Place names", overlay=True,
                         control=False, max_zoom=base.max_zoom,
                         subdomains=base.subdomains).add_to(m)

    builders: dict[str, Callable[[Any], tuple[Any, np.ndarray]]] = {
        # streets searched in the page are drawn as aedplan measures them: not simplified
        "streets": lambda f: _streets_layer(f, min(simplify_m, SEARCH_SIMPLIFY_M) if len(f)
                                            <= MAX_EDGES else simplify_m, w),
        "circles": lambda f: _circles_layer(f, "circles", simplify_m, w),
        "circles_24_7": lambda f: _circles_layer(f, "circles_24_7", simplify_m, w),
        "circles_restricted": lambda f: _circles_layer(f, "circles_restricted", simplify_m, w),
        "circles_hours": lambda f: _circles_layer(f, "circles_hours", simplify_m, w),
        "proposed_circles": lambda f: _circles_layer(f, "proposed_circles", simplify_m, w),
        "circles_day": lambda f: _circles_layer(f, "circles_day", simplify_m, w),
        "circles_night": lambda f: _circles_layer(f, "circles_night", simplify_m, w),
        "uncovered": lambda f: _uncovered_layer(f, unit, w, [layers[k] for k in _KEYED
                                                            if k in layers]),
        "hot_spots": lambda f: _hot_spots_layer(f, w),
        "aeds": lambda f: _aeds_layer(f, model, w, show_operator),
        "proposed": lambda f: _proposed_layer(f, content.summary, w),
        "districts": lambda f: districts_layer(f, w, shown=not any(
            k in layers for k in _KEYED[:4])),
        "moves": lambda f: moves_layer(f, w),
        "places": lambda f: _places_layer(f, w),
    }
    bounds, keyed = [], _keyed(layers)
    drawn: dict[str, Any] = {}
    for key in _DRAW_ORDER:
        if key not in layers:
            continue
        if keyed and key in ("circles_day", "circles_night"):
            sources = [drawn[k] for k in _KEYED if k in drawn]
            _subset_layer(key, layers[key], sources, w).add_to(m)
            continue
        layer, geoms = builders[key](layers[key])
        layer.add_to(m)
        drawn[key] = layer
        if key not in ("streets", "districts", "places") or len(layers) == 1:  # the results
            bounds.append(shapely.total_bounds(geoms))
    if "streets" in layers:  # the nearest AED now, searched in the page
        said = content.summary or MapSummary()
        search_panel(drawn["streets"], drawn.get("aeds"), search_data(
            layers["streets"], layers.get("aeds"), model or TimeModel(), week=said.week,
            country=said.country, unknown_hours=said.unknown_hours), w).add_to(m)
    names = _street_names_layer(layers.get("streets"), shown=tile_layer is None, w=w)
    if names is not None:
        names.add_to(m)
    legend = legend_entries(layers, w)
    folium.LayerControl(position="topright", collapsed=True).add_to(m)
    summary_panel = panel(
        summary_html(title, content.summary, w), position="topright",
        css_class="aedplan-summary",
    )
    summary_panel.add_to(m)
    if legend:
        panel(f"<details open><summary>{w('Legend')}</summary>{legend_html(legend)}</details>",
               position="bottomleft", css_class="aedplan-legend").add_to(m)
    if bounds:
        b = np.array(bounds)
        w0, s0, e0, n0 = b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()
        # one place alone: a few hundred metres around it (a box of no size has no zoom
        # to fit, and without tiles nothing caps it)
        grow = 0.002 if max(e0 - w0, n0 - s0) < 1e-4 else 0.0
        m.fit_bounds([[s0 - grow, w0 - grow], [n0 + grow, e0 + grow]], padding=(12, 12))
    _tiles_note(tile_layer, None if tile_layer is not None else base.attribution, names,
                w).add_to(m)
    macro("ZoomClasses", _ZOOM_CLASSES).add_to(m)
    for control in map_controls(w):
        control.add_to(m)
    _fixed_ids(m.get_root())
    m.get_root().lang = w.lang  # the page's <html lang> (page_html)
    return m



_BASEMAP_NAMES = {"osm": "OpenStreetMap", "tianditu": "天地图 Tianditu", "amap": "高德 Amap"}


def _telling(layers: dict[str, Any]) -> dict[str, Any]:
    """The layers without a day or night layer that holds every circle (all AEDs open
    then): it would repeat the circles, at a city's scale megabytes of them."""
    every = sum(len(layers[k]) for k in ("circles", "proposed_circles") if k in layers)
    return {key: frame for key, frame in layers.items()
            if not (key in ("circles_day", "circles_night") and len(frame) == every)}


def _named_circles(layers: dict[str, Any], w: Words, show_operator: bool = False
                   ) -> dict[str, Any]:
    """Each rescue circle named after its AED (by ``id``): "Rathaus Vaduz", "#3 School"."""
    lookup: dict[str, str] = {}
    for owner in ("aeds", "proposed"):
        points = layers.get(owner)
        if points is None or "id" not in points:
            continue
        names = aed_names(points, w, show_operator=show_operator)
        if owner == "proposed" and "rank" in points:  # a street corner: its rank alone
            nameless = w("AED (no name)")
            names = [w("Proposed AED #{rank}", rank=r) if n == nameless else f"#{r} {n}"
                     for r, n in zip(column(points, "rank"), names, strict=True)]
        lookup.update(zip(points["id"].astype(str), names, strict=True))
    named = dict(layers)
    for key in ("circles", "circles_day", "circles_night", "proposed_circles"):
        if key in layers and "id" in layers[key]:
            ids = layers[key]["id"].astype(str).tolist()
            named[key] = layers[key].assign(name=[lookup.get(i, w("AED {id}", id=i))
                                                  for i in ids])
    return named


def _by_access(layers: dict[str, Any]) -> dict[str, Any]:
    """The circles of public AEDs with opening hours (or hours unknown) and of AEDs the
    public may not use (by ``id``, their AED's ``hours_kind``) in layers of their own,
    the latter hidden at first, and of round-the-clock ones; those of no known kind stay
    in ``circles``."""
    circles, aeds = layers.get("circles"), layers.get("aeds")
    if circles is None or aeds is None or "id" not in circles or "id" not in aeds:
        return layers
    kinds = dict(zip(aeds["id"].astype(str), aed_kinds(aeds), strict=True))
    kind = np.array([kinds.get(i) for i in circles["id"].astype(str)], dtype=object)
    restricted, hours = kind == "restricted", np.isin(kind, ["hours", "unknown"])
    always = kind == "24/7"
    split = dict(layers, circles=circles[~(restricted | hours | always)],
                 circles_24_7=circles[always], circles_hours=circles[hours],
                 circles_restricted=circles[restricted])
    return {k: v for k, v in split.items() if len(v)}


def _shown_in(layers: dict[str, Any], datum: str) -> dict[str, Any]:
    """The layers in lon/lat of the basemap's ``datum``: WGS84 as they are, GCJ-02
    shifted (for display only)."""
    if datum == "wgs84":
        return layers
    from ._datum import wgs84_to_gcj02

    def shift(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(wgs84_to_gcj02(xy[:, 0], xy[:, 1]))

    shown = {}
    for key, frame in layers.items():
        frame = frame.to_crs(4326)
        frame = frame.set_geometry(shapely.transform(frame.geometry.to_numpy(), shift),
                                   crs=4326)
        shown[key] = frame
    return shown


def _tiles_note(tile_layer: Any, attribution: str | None, labels: Any, w: Words) -> Any:
    """The basemap's credit when no tile layer carries it; when tiles fail, a note
    saying so, and the street names (``labels``) shown."""
    return macro("TilesNote", _TILES, tile_layer=tile_layer, attribution=attribution,
                  labels=labels, text=w(_TILES_FAILED))


@functools.lru_cache(maxsize=1)
def _verbatim_class() -> Any:
    from branca.element import Element
    from jinja2 import Template

    class Verbatim(Element):
        """Text placed in the page as it is (never read as a template)."""

        _template = Template("{{ this.text }}")

        def __init__(self, text: str) -> None:
            super().__init__()
            self._name = "Verbatim"
            self.text = text

    return Verbatim


def _verbatim(text: str) -> Any:
    """A page element holding ``text`` as it is."""
    return _verbatim_class()(text)


def _fixed_ids(root: Any) -> None:
    """Give every element of the page an id that depends only on its place in the page.

    branca draws element ids at random, so the same map would differ on every run;
    these ids are hashes of the element's position in a walk of the tree (same look as
    branca's, so elements a user adds later cannot clash with them). Children stored
    under their element name are re-keyed; children stored under a chosen name keep it.
    """
    import hashlib
    from collections import OrderedDict

    order = [root]
    for element in order:  # breadth-first: the list grows as it is walked
        order.extend(getattr(element, "_children", {}).values())
    names = [element.get_name() for element in order]
    old = {id(element): name for element, name in zip(order, names, strict=True)}
    for n, element in enumerate(order):
        element._id = hashlib.blake2b(f"aedplan-{n}".encode(), digest_size=16).hexdigest()
    for element in order:
        children = getattr(element, "_children", None)
        if children:
            element._children = OrderedDict(
                (child.get_name() if key == old[id(child)] else key, child)
                for key, child in children.items()
            )


def page_html(m: Any) -> str:
    """The map as one self-contained HTML page. Readers may pinch-zoom it on a phone
    (folium's page forbids that)."""
    page = m.get_root().render()
    lang = getattr(m.get_root(), "lang", None)  # screen readers and fonts pick by it
    if lang is not None:
        page = re.sub(r"<html>", f'<html lang="{lang}">', page, count=1)
    return re.sub(r'<meta name="viewport"[^>]*>', _VIEWPORT, page, count=1)


_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'


def save_map(m: Any, path: str | os.PathLike[str]) -> Path:
    """Write the map's HTML (:func:`page_html`) whole or not at all (a temporary file,
    then ``os.replace``).

    Missing parent directories are created; if rendering or writing fails, ``path``
    is left as it was.

    Examples
    --------
    >>> import aedplan, geopandas as gpd
    >>> street = aedplan.network_from_arrays([0, 100, 200, 300, 400], [0, 0, 0, 0, 0],
    ...                                      [0, 1, 2, 3], [1, 2, 3, 4], crs="EPSG:32632")
    >>> def points(xs, ys=None):  # points in the street's CRS (metres)
    ...     return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys or [0] * len(xs)),
    ...                             crs="EPSG:32632")
    >>> import tempfile, pathlib
    >>> m = aedplan.render_map(aedplan.MapLayers(aeds=points([0])))
    >>> path = aedplan.save_map(m, pathlib.Path(tempfile.mkdtemp()) / "map.html")
    >>> path.name, path.stat().st_size > 100_000
    ('map.html', True)
    """
    if not hasattr(m, "get_root"):
        raise InputError("`m` must be a map made by aedplan.render_map, got a {kind}.",
                         kind=type(m).__name__)
    page = page_html(m)
    return write_atomic(path, lambda p: p.write_text(page, encoding="utf-8"))


