"""Maps of the rescue circles: an interactive web map to publish, a static PNG to print.

:func:`render_map` draws streets, existing and proposed AEDs, their rescue circles and
the demand left uncovered on OpenStreetMap tiles, with a summary panel, a legend and a
layer switcher. It is built for a whole city: one ``folium.GeoJson`` layer per kind of
feature (never one folium object per feature), geometry simplified in metres and
coordinates rounded to 6 decimals (about 0.1 m), and a canvas renderer.

Names and tags come from files anyone can edit, so every string that reaches the page
is escaped exactly once, in :func:`_html_text`: folium's popups and tooltips insert
property values as HTML, the panels are HTML too, and branca re-reads rendered output
as a Jinja template (so braces are escaped as well).

folium and matplotlib are imported inside the functions, so ``import aedplan`` stays
light.
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from .errors import CRSError, InputError
from .io import write_atomic

__all__ = [
    "COLOURS",
    "LAYER_NAMES",
    "OSM_CREDIT",
    "format_seconds",
    "render_map",
    "render_png",
    "save_map",
]

#: The credit every map carries (OSM data is ODbL).
OSM_CREDIT = "© OpenStreetMap contributors"
OSM_COPYRIGHT_URL = "https://www.openstreetmap.org/copyright"
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = f'&copy; <a href="{OSM_COPYRIGHT_URL}">OpenStreetMap contributors</a>'

#: Layer names as shown in the layer switcher and the legend.
LAYER_NAMES: dict[str, str] = {
    "streets": "Streets (walk network)",
    "circles": "Rescue circles: existing AEDs",
    "proposed_circles": "Rescue circles: proposed AEDs",
    "uncovered": "Uncovered demand",
    "aeds": "Existing AEDs",
    "proposed": "Proposed AEDs",
}

#: One colour per kind of feature (green: today's AEDs, purple: proposed, red: gaps).
COLOURS: dict[str, str] = {
    "streets": "#5f5f5f",
    "aeds": "#1a9641",
    "circles": "#1a9641",
    "proposed": "#6a3d9a",
    "proposed_circles": "#6a3d9a",
    "uncovered": "#e31a1c",
}

_DIGITS = 6  # decimals of lon/lat kept: about 0.1 m
_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})
_MISSING = "not given"

_CSS = """
<style>
.aedplan-box {
  background: rgba(255, 255, 255, 0.95); color: #222; padding: 8px 11px;
  border-radius: 6px; box-shadow: 0 1px 6px rgba(0, 0, 0, 0.35);
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
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
.aedplan-legend div { margin: 2px 0; white-space: nowrap; }
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
.aedplan-rank {
  box-sizing: border-box; background: #6a3d9a; color: #fff;
  border: 2px solid #fff; border-radius: 50%;
  box-shadow: 0 0 3px rgba(0, 0, 0, 0.6); text-align: center;
  font: 700 11px/20px system-ui, Arial, sans-serif;
}
</style>
"""

_PANEL = """
{% macro html(this, kwargs) %}
<div id="{{ this.get_name() }}" class="aedplan-box {{ this.css_class }}">{{ this.body }}</div>
{% endmacro %}
{% macro script(this, kwargs) %}
(function () {
    var box = document.getElementById({{ this.get_name()|tojson }});
    var control = L.control({position: {{ this.position|tojson }}});
    control.onAdd = function () {
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
    };
    control.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
"""

# Proposed sites: a numbered round marker; the number is an escaped property string.
_RANK_MARKER = """function (feature, latlng) {
    return L.marker(latlng, {
        icon: L.divIcon({
            className: "aedplan-rank", html: feature.properties.n,
            iconSize: [24, 24], iconAnchor: [12, 12], popupAnchor: [0, -10]
        }),
        riseOnHover: true
    });
}"""


# --------------------------------------------------------------------------- text


def _is_missing(value: Any) -> bool:
    return value is None or bool(pd.api.types.is_scalar(value) and pd.isna(value))


def _html_text(value: Any, missing: str = _MISSING) -> str:
    """The one place where data becomes HTML: ``str``, :func:`html.escape`, and braces.

    Braces become character references too: branca compiles each rendered element
    (with the embedded GeoJSON) as a Jinja template again, so a name such as
    ``{{ 7*7 }}`` would otherwise be evaluated in Python while the page is rendered,
    with access to ``os`` through Jinja's globals. Browsers show ``&#123;`` as ``{``.
    """
    text = html.escape(missing if _is_missing(value) else str(value))
    return text.translate(_BRACES)


def format_seconds(seconds: Any) -> str:
    """Seconds as a person reads them: ``200 -> "3 min 20 s"``, ``60 -> "1 min"``.

    Missing, negative or infinite values give ``"unknown"``.
    """
    try:
        s = float(seconds)
    except (TypeError, ValueError):
        return "unknown"
    if not math.isfinite(s) or s < 0:
        return "unknown"
    minutes, rest = divmod(round(s), 60)
    if minutes == 0:
        return f"{rest} s"
    return f"{minutes} min" if rest == 0 else f"{minutes} min {rest} s"


def _number(value: Any) -> float | None:
    """A finite float, or ``None`` for anything else (missing, text, inf)."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _quantity(value: Any) -> str | None:
    """A demand quantity: ``12345.6 -> "12,346"``, ``3.14159 -> "3.14"``."""
    x = _number(value)
    if x is None:
        return None
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def _hectares(area_m2: Any) -> str | None:
    x = _number(area_m2)
    return None if x is None else f"{_quantity(x / 1e4)} ha"


def _share(value: Any) -> str | None:
    x = _number(value)
    return None if x is None else f"{100.0 * x:.1f}%"


def _column(frame: Any, name: str) -> list[Any]:
    if name in frame.columns:
        return list(frame[name])
    return [None] * len(frame)


# --------------------------------------------------------------------------- geometry


def _check_frames(frames: Mapping[str, Any]) -> dict[str, Any]:
    """Check every layer at once; return the non-empty ones without missing geometry."""
    not_frames, no_crs = [], []
    for name, frame in frames.items():
        if frame is None:
            continue
        if not (hasattr(frame, "geometry") and hasattr(frame, "crs")):
            not_frames.append(
                f"`{name}` must be a GeoDataFrame with a geometry column, got "
                f"{type(frame).__name__}"
            )
        elif frame.crs is None:
            no_crs.append(f"`{name}`")
    if not_frames:
        raise InputError("; ".join(not_frames) + ".")
    if no_crs:
        raise CRSError(
            f"{', '.join(no_crs)} {'has' if len(no_crs) == 1 else 'have'} no CRS: set it with "
            "`.set_crs('EPSG:4326')` if the coordinates are lon/lat, or with the projected "
            "CRS they were computed in (`net.crs`)."
        )
    out = {}
    for name, frame in frames.items():
        if frame is None:
            continue
        geom = frame.geometry
        keep = ~(geom.isna() | geom.is_empty).to_numpy()
        if keep.any():
            out[name] = frame[keep]
    return out


def _is_metric(crs: CRS) -> bool:
    return bool(crs.is_projected) and all(
        (axis.unit_name or "").lower() in ("metre", "meter") for axis in crs.axis_info
    )


def _metric(geometry: Any) -> Any:
    """A GeoSeries in a metric CRS: its own if projected in metres, else the local UTM."""
    if _is_metric(CRS.from_user_input(geometry.crs)):
        return geometry
    return geometry.to_crs(geometry.estimate_utm_crs())


def _round(geoms: np.ndarray) -> np.ndarray:
    return shapely.transform(geoms, lambda xy: np.round(xy, _DIGITS))


def _lonlat(frame: Any, *, simplify_m: float = 0.0, points: bool = False) -> np.ndarray:
    """Geometries of ``frame`` in EPSG:4326, simplified in metres, rounded to 6 decimals."""
    geom = frame.geometry
    if points and not (geom.geom_type == "Point").all():
        geom = _metric(geom).representative_point()
    if simplify_m > 0:
        geom = _metric(geom).simplify(simplify_m)
    return _round(geom.to_crs("EPSG:4326").to_numpy())


def _feature_collection(
    geoms: np.ndarray, properties: Mapping[str, Sequence[Any]], *, ids: bool = False
) -> dict[str, Any]:
    """GeoJSON with every property escaped once (folium inserts them as HTML)."""
    columns = {key: [_html_text(v) for v in values] for key, values in properties.items()}
    if geoms.size and (shapely.get_type_id(geoms) == shapely.GeometryType.POINT).all():
        xy = shapely.get_coordinates(geoms).tolist()  # fast path: 10x quicker than mapping
        geometry = [{"type": "Point", "coordinates": c} for c in xy]
    else:
        geometry = [shapely.geometry.mapping(g) for g in geoms]
    features = []
    for i in range(len(geoms)):
        feature: dict[str, Any] = {
            "type": "Feature",
            "properties": {key: values[i] for key, values in columns.items()},
            "geometry": geometry[i],
        }
        if ids:
            feature["id"] = i
        features.append(feature)
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------- layers


def _constant(style: Mapping[str, Any]) -> Callable[[Any], dict[str, Any]]:
    return lambda _feature: dict(style)


def _streets_layer(frame: Any, simplify_m: float) -> tuple[Any, np.ndarray]:
    import folium

    geoms = _lonlat(frame, simplify_m=simplify_m)
    lines = shapely.get_parts(geoms)
    lines = lines[shapely.get_type_id(lines) == shapely.GeometryType.LINESTRING]
    merged = np.array([shapely.multilinestrings(lines)])
    style = {"color": COLOURS["streets"], "weight": 1, "opacity": 0.55}
    layer = folium.GeoJson(
        _feature_collection(merged, {}, ids=True),
        name=LAYER_NAMES["streets"],
        style_function=_constant(style),
        interactive=False,
    )
    return layer, merged


def _circles_layer(frame: Any, key: str, simplify_m: float) -> tuple[Any, np.ndarray]:
    import folium

    geoms = _lonlat(frame, simplify_m=simplify_m)
    label = _column(frame, "name") if "name" in frame.columns else _column(frame, "id")
    props = {
        "aed": label,
        "reach": [format_seconds(s) for s in _column(frame, "max_s")],
        "area": [_hectares(x) for x in _column(frame, "area_m2")],
    }
    whose = "Proposed AED" if key == "proposed_circles" else "AED"
    style = {
        "color": COLOURS[key],
        "weight": 1.5,
        "opacity": 0.85,
        "fillColor": COLOURS[key],
        "fillOpacity": 0.22,
    }
    if key == "proposed_circles":
        style["dashArray"] = "5 4"
    layer = folium.GeoJson(
        _feature_collection(geoms, props, ids=True),
        name=LAYER_NAMES[key],
        style_function=_constant(style),
        popup=folium.GeoJsonPopup(
            fields=["aed", "reach", "area"],
            aliases=[f"Rescue circle of {whose}", "Reaches everyone within", "Area"],
            localize=False,
        ),
    )
    return layer, geoms


def _uncovered_layer(frame: Any) -> tuple[Any, np.ndarray]:
    """Uncovered demand as up to three MultiPoints, one per weight class: a small output.

    Each point is a disc of 4 to 8 m (by class) that grows as one zooms in; at city
    scale it is a 1-pixel dot, so a dense layer does not hide the others.
    """
    import folium

    pts = _lonlat(frame, points=True)
    if "weight" in frame.columns:
        w = pd.to_numeric(frame["weight"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    else:
        w = np.ones(len(frame))
    edges = np.unique(np.quantile(w, [0.0, 0.5, 0.9, 1.0]))
    n_classes = max(edges.shape[0] - 1, 1)
    cls = np.clip(np.searchsorted(edges, w, side="right") - 1, 0, n_classes - 1)
    radii = np.linspace(4.0, 8.0, n_classes) if n_classes > 1 else np.array([6.0])
    geoms, weights, counts = [], [], []
    for k in range(n_classes):
        members = pts[cls == k]
        if members.size == 0:
            continue
        geoms.append(shapely.multipoints(members))
        lo, hi = w[cls == k].min(), w[cls == k].max()
        text = _quantity(lo) if lo == hi else f"{_quantity(lo)} to {_quantity(hi)}"
        weights.append(text if "weight" in frame.columns else None)
        counts.append(f"{members.size:,}")
    classes = np.flatnonzero(np.bincount(cls, minlength=n_classes))
    style_by_id = {
        i: {
            "radius": float(radii[k]),
            "fillColor": COLOURS["uncovered"],
            "fillOpacity": 0.65,
        }
        for i, k in enumerate(classes)
    }
    layer = folium.GeoJson(
        _feature_collection(np.array(geoms), {"weight": weights, "points": counts}, ids=True),
        name=LAYER_NAMES["uncovered"],
        marker=folium.Circle(radius=6, stroke=False, fill=True),
        style_function=lambda feature: dict(style_by_id[int(feature["id"])]),
        tooltip=folium.GeoJsonTooltip(
            fields=["weight", "points"],
            aliases=["Uncovered demand, weight", "Places like this"],
        ),
    )
    return layer, pts


def _aeds_layer(frame: Any) -> tuple[Any, np.ndarray]:
    import folium

    geoms = _lonlat(frame, points=True)
    props = {
        "name": ["AED (no name)" if _is_missing(v) else v for v in _column(frame, "name")],
        "hours": _column(frame, "opening_hours"),
        "access": _column(frame, "access"),
        "reach": [format_seconds(s) for s in _column(frame, "max_s")],
    }
    layer = folium.GeoJson(
        _feature_collection(geoms, props),
        name=LAYER_NAMES["aeds"],
        marker=folium.CircleMarker(
            radius=6,
            color="#ffffff",
            weight=1.5,
            fill=True,
            fill_color=COLOURS["aeds"],
            fill_opacity=1.0,
        ),
        popup=folium.GeoJsonPopup(
            fields=["name", "hours", "access", "reach"],
            aliases=["Existing AED", "Opening hours", "Access", "Reaches everyone within"],
            localize=False,
        ),
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    )
    return layer, geoms


def _proposed_layer(frame: Any) -> tuple[Any, np.ndarray]:
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
    geoms = _lonlat(frame, points=True)
    props: dict[str, Sequence[Any]] = {
        "n": [str(r) for r in rank],
        "rank": [f"#{r}" for r in rank],
        "added": [_quantity(x) for x in _column(frame, "added_weight")],
        "name": _column(frame, "name"),
        "kind": _column(frame, "kind"),
    }
    layer = folium.GeoJson(
        _feature_collection(geoms, props),
        name=LAYER_NAMES["proposed"],
        point_to_layer=JsCode(_RANK_MARKER),
        popup=folium.GeoJsonPopup(
            fields=["rank", "added", "name", "kind"],
            aliases=["Proposed AED", "Adds covered demand", "Site", "Kind of site"],
            localize=False,
        ),
        tooltip=folium.GeoJsonTooltip(fields=["rank", "name"], aliases=["Proposed AED", "Site"]),
    )
    return layer, geoms


# --------------------------------------------------------------------------- panels


def _panel(body: str, *, position: str, css_class: str) -> Any:
    from branca.element import MacroElement
    from jinja2 import Template

    class Panel(MacroElement):
        """A box of HTML placed as a Leaflet control (so it stacks with the others)."""

        _template = Template(_PANEL)

        def __init__(self) -> None:
            super().__init__()
            self._name = "AedplanPanel"
            self.body = body
            self.position = position
            self.css_class = css_class

    return Panel()


def _summary_html(title: str, summary: Mapping[str, Any] | None) -> str:
    s = dict(summary or {})
    t = _html_text
    parts = [f"<details open><summary>{t(title)}</summary>"]
    share_before, share_after = _number(s.get("coverage_before")), _number(s.get("coverage_after"))
    before, after = _share(share_before), _share(share_after)
    n_proposed = s.get("n_proposed")
    minutes, speed, reach = (_number(s.get(k)) for k in ("minutes", "speed_m_s", "reach_m"))
    if before is not None:
        parts.append(
            f'<p class="aedplan-share"><span class="aedplan-big" '
            f'style="color:{COLOURS["aeds"]}">{t(before)}</span> covered today</p>'
        )
    if after is not None:
        with_what = (
            f"with {t(n_proposed)} proposed AEDs" if n_proposed is not None else "with the plan"
        )
        gain = ""
        if share_before is not None and share_after is not None:
            points = 100.0 * (share_after - share_before)
            gain = f" ({points:+.1f} points)"
        parts.append(
            f'<p class="aedplan-share"><span class="aedplan-big" '
            f'style="color:{COLOURS["proposed"]}">{t(after)}</span> {with_what}{t(gain)}</p>'
        )
    # one sentence on what the share means, with the time model
    demand = f" ({t(s['demand_kind'])})" if s.get("demand_kind") is not None else ""
    model = []
    if s.get("mode") is not None:
        model.append({"round-trip": "round trip", "one-way": "one way"}.get(s["mode"], s["mode"]))
    if speed is not None:
        model.append(f"walking {speed:g} m/s")
    if reach is not None:
        model.append(f"{reach:.0f} m along the streets")
    if minutes is not None:
        parts.append(
            f'<p class="aedplan-note">Share of demand{demand} where a bystander can fetch an AED '
            f"and reach the patient within {minutes:g} minutes"
            + (f": {t(', '.join(model))}" if model else "")
            + ".</p>"
        )
    facts = []
    if s.get("n_aeds") is not None:
        facts.append(f"Existing AEDs: {t(s['n_aeds'])}")
    if n_proposed is not None:
        facts.append(f"proposed: {t(n_proposed)}")
    if s.get("source") is not None:
        facts.append(f"streets: {t(s['source'])}")
    if facts:
        parts.append(f'<p class="aedplan-note">{" &middot; ".join(facts)}</p>')
    parts.append(
        f'<p class="aedplan-credit">Map data {t(OSM_CREDIT)} '
        f'(<a href="{OSM_COPYRIGHT_URL}" target="_blank" rel="noopener">ODbL</a>) '
        "&middot; made with aedplan</p></details>"
    )
    return "".join(parts)


def _legend_html(entries: Sequence[tuple[str, str, int | None]]) -> str:
    swatches = {
        "streets": f'<span class="aedplan-sw" style="height:0;border-top:2px solid '
        f'{COLOURS["streets"]};vertical-align:3px"></span>',
        "circles": f'<span class="aedplan-sw" style="background:{COLOURS["circles"]}33;'
        f'border:1.5px solid {COLOURS["circles"]}"></span>',
        "proposed_circles": f'<span class="aedplan-sw" style="background:'
        f'{COLOURS["proposed_circles"]}33;border:1.5px dashed {COLOURS["proposed_circles"]}">'
        "</span>",
        "uncovered": f'<span class="aedplan-sw aedplan-dot" style="width:7px;height:7px;'
        f'margin:0 11px 0 4px;background:{COLOURS["uncovered"]}"></span>',
        "aeds": f'<span class="aedplan-sw aedplan-dot" style="background:{COLOURS["aeds"]};'
        'border:1.5px solid #fff;box-shadow:0 0 2px #000"></span>',
        "proposed": '<span class="aedplan-sw aedplan-dot" style="width:16px;height:16px;'
        f"margin:0 5px 0 0;background:{COLOURS['proposed']};color:#fff;font-size:9px;"
        'text-align:center;line-height:16px;font-weight:700">1</span>',
    }
    rows = [
        f"<div>{swatches[key]}{_html_text(label)}"
        + (f" ({count:,})" if count is not None else "")
        + "</div>"
        for key, label, count in entries
    ]
    return "".join(rows)


# --------------------------------------------------------------------------- the web map


def render_map(
    *,
    streets: Any = None,
    aeds: Any = None,
    circles: Any = None,
    proposed: Any = None,
    proposed_circles: Any = None,
    uncovered: Any = None,
    summary: Mapping[str, Any] | None = None,
    title: str = "AED rescue circles",
    simplify_m: float = 1.0,
) -> Any:
    """An interactive map of the rescue circles, ready to publish.

    Every layer is optional and may be in any CRS (it is drawn in EPSG:4326); a frame
    without a CRS raises :class:`~aedplan.errors.CRSError`. Empty layers are left out.

    Parameters
    ----------
    streets
        Street lines (the walk network): one thin grey layer, merged into one feature.
    aeds
        Existing AED points; optional columns ``name``, ``opening_hours``, ``access``,
        ``max_s`` (rescue seconds to the farthest place the AED covers).
    circles
        Rescue-circle polygons of the existing AEDs (``rescue_circles(...).circles``).
    proposed
        Proposed AED points; optional ``rank`` (1..N, drawn as the marker's number),
        ``added_weight``, ``name``, ``kind``.
    proposed_circles
        Rescue-circle polygons of the proposed AEDs (drawn dashed, in purple).
    uncovered
        Demand points out of reach, with an optional ``weight`` (dot size by class).
    summary
        Numbers for the summary panel: ``coverage_before``, ``coverage_after`` (shares
        0..1 or ``None``), ``minutes``, ``mode``, ``speed_m_s``, ``reach_m``,
        ``n_aeds``, ``n_proposed``, ``demand_kind``, ``source``; missing keys are
        left out.
    title
        Shown in the panel and as the page title.
    simplify_m
        Tolerance in metres for simplifying lines and polygons (0 keeps them as is).

    Returns
    -------
    folium.Map
        Save it with :func:`save_map`.
    """
    import folium
    from branca.element import Element

    layers = _check_frames(
        {
            "streets": streets,
            "circles": circles,
            "proposed_circles": proposed_circles,
            "uncovered": uncovered,
            "aeds": aeds,
            "proposed": proposed,
        }
    )
    m = folium.Map(tiles=None, prefer_canvas=True, control_scale=True)
    page: Any = m.get_root()
    page.title = _html_text(title)
    page.header.add_child(Element(_CSS), name="aedplan_css")
    folium.TileLayer(OSM_TILES, attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19).add_to(m)

    builders: dict[str, Callable[[Any], tuple[Any, np.ndarray]]] = {
        "streets": lambda f: _streets_layer(f, simplify_m),
        "circles": lambda f: _circles_layer(f, "circles", simplify_m),
        "proposed_circles": lambda f: _circles_layer(f, "proposed_circles", simplify_m),
        "uncovered": _uncovered_layer,
        "aeds": _aeds_layer,
        "proposed": _proposed_layer,
    }
    bounds, legend = [], []
    for key, frame in layers.items():
        layer, geoms = builders[key](frame)
        layer.add_to(m)
        bounds.append(shapely.total_bounds(geoms))
        legend.append((key, LAYER_NAMES[key], None if key == "streets" else len(frame)))

    order = list(LAYER_NAMES)[::-1]  # legend: points first, streets last
    legend.sort(key=lambda entry: order.index(entry[0]))
    folium.LayerControl(position="topright", collapsed=True).add_to(m)
    summary_panel = _panel(
        _summary_html(title, summary), position="topright", css_class="aedplan-summary"
    )
    summary_panel.add_to(m)
    if legend:
        _panel(_legend_html(legend), position="bottomright", css_class="aedplan-legend").add_to(m)
    if bounds:
        b = np.array(bounds)
        m.fit_bounds(
            [[b[:, 1].min(), b[:, 0].min()], [b[:, 3].max(), b[:, 2].max()]], padding=(12, 12)
        )
    return m


def save_map(m: Any, path: str | os.PathLike[str]) -> Path:
    """Write the map's HTML whole or not at all (a temporary file, then ``os.replace``).

    Missing parent directories are created; if rendering or writing fails, ``path``
    is left as it was.
    """
    page = m.get_root().render()
    return write_atomic(path, lambda p: p.write_text(page, encoding="utf-8"))


# --------------------------------------------------------------------------- the static map


def _plain(text: Any) -> str:
    """Text for matplotlib: ``$`` would start mathtext."""
    return str(text).replace("$", r"\$")


def _scale_length(width_m: float) -> float:
    target = width_m / 5.0
    for length in (50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000):
        if length >= target:
            return float(length)
    return 100000.0


def render_png(
    path: str | os.PathLike[str],
    *,
    streets: Any = None,
    aeds: Any = None,
    circles: Any = None,
    proposed: Any = None,
    proposed_circles: Any = None,
    uncovered: Any = None,
    title: str = "AED rescue circles",
    summary: Mapping[str, Any] | None = None,
    dpi: int = 150,
) -> Path:
    """A static map for printed reports, written whole or not at all.

    Drawn with matplotlib's Agg renderer in a metric CRS (the layers' own if projected
    in metres, else the local UTM zone), without basemap tiles: streets, rescue circles,
    uncovered demand, existing and numbered proposed AEDs, a legend, a scale bar and the
    credit "© OpenStreetMap contributors". Arguments as in :func:`render_map`.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    layers = _check_frames(
        {
            "streets": streets,
            "circles": circles,
            "proposed_circles": proposed_circles,
            "uncovered": uncovered,
            "aeds": aeds,
            "proposed": proposed,
        }
    )
    if not layers:
        raise InputError("`render_png` needs at least one non-empty layer to draw, got none.")
    first = next(iter(layers.values())).geometry
    crs = first.crs if _is_metric(CRS.from_user_input(first.crs)) else first.estimate_utm_crs()
    geo = {key: frame.geometry.to_crs(crs) for key, frame in layers.items()}
    xmin, ymin, xmax, ymax = np.array([g.total_bounds for g in geo.values()]).T
    x0, y0, x1, y1 = xmin.min(), ymin.min(), xmax.max(), ymax.max()
    pad = 0.04 * max(x1 - x0, y1 - y0, 200.0)
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    width_in = 10.0
    height_in = float(np.clip(width_in * (y1 - y0) / (x1 - x0), 5.0, 14.0))

    fig = Figure(figsize=(width_in, height_in + 0.6), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98 * height_in / (height_in + 0.6)))
    ax.set_facecolor("#f7f7f4")
    handles: list[Any] = []
    if "streets" in geo:
        geo["streets"].plot(ax=ax, color="#9a9a9a", linewidth=0.5, zorder=1)
        handles.append(Line2D([], [], color="#9a9a9a", lw=1.2, label=LAYER_NAMES["streets"]))
    for key, dashed in (("circles", False), ("proposed_circles", True)):
        if key in geo:
            colour = COLOURS[key]
            geo[key].plot(ax=ax, color=colour, alpha=0.16, linewidth=0, zorder=2)
            geo[key].boundary.plot(
                ax=ax, color=colour, linewidth=0.8, linestyle="--" if dashed else "-", zorder=3
            )
            handles.append(
                Patch(
                    facecolor=colour + "29",
                    edgecolor=colour,
                    linestyle="--" if dashed else "-",
                    label=LAYER_NAMES[key],
                )
            )
    if "uncovered" in geo:
        pts = geo["uncovered"].representative_point()
        frame = layers["uncovered"]
        w = (
            pd.to_numeric(frame["weight"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
            if "weight" in frame.columns
            else np.ones(len(frame))
        )
        top = float(np.quantile(w, 0.95)) or 1.0
        sizes = 1.0 + 7.0 * np.clip(w / top, 0.0, 1.0)
        ax.scatter(pts.x, pts.y, s=sizes, color=COLOURS["uncovered"], alpha=0.75, lw=0, zorder=4)
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                ms=4,
                color=COLOURS["uncovered"],
                label=LAYER_NAMES["uncovered"],
            )
        )
    if "aeds" in geo:
        pts = geo["aeds"].representative_point()
        ax.scatter(pts.x, pts.y, s=36, color=COLOURS["aeds"], edgecolor="white", lw=0.8, zorder=5)
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                ms=7,
                color=COLOURS["aeds"],
                mec="white",
                label=f"{LAYER_NAMES['aeds']} ({len(pts):,})",
            )
        )
    if "proposed" in geo:
        pts = geo["proposed"].representative_point()
        frame = layers["proposed"]
        if "rank" in frame.columns:
            rank = pd.to_numeric(frame["rank"], errors="coerce").to_numpy()
        else:
            rank = np.arange(1, len(frame) + 1, dtype=float)
        ax.scatter(
            pts.x, pts.y, s=170, color=COLOURS["proposed"], edgecolor="white", lw=1, zorder=6
        )
        for x, y, r in zip(pts.x, pts.y, rank, strict=True):
            label = "" if not np.isfinite(r) else str(int(r))
            ax.annotate(
                label,
                (x, y),
                ha="center",
                va="center",
                color="white",
                fontsize=6.5,
                fontweight="bold",
                zorder=7,
            )
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                ms=9,
                color=COLOURS["proposed"],
                mec="white",
                label=f"{LAYER_NAMES['proposed']} ({len(pts):,}), numbered by rank",
            )
        )
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.legend(handles=handles, loc="upper right", fontsize=8, framealpha=0.92)
    length = _scale_length(x1 - x0)
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:.0f} m"
    ax.add_artist(
        AnchoredSizeBar(
            ax.transData,
            length,
            label,
            "lower left",
            pad=0.6,
            sep=4,
            frameon=True,
            size_vertical=(y1 - y0) / 250,
            fontproperties={"size": 8},
        )
    )
    ax.text(
        0.995,
        0.005,
        OSM_CREDIT,
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=7,
        color="#333",
        bbox={"facecolor": "white", "alpha": 0.8, "lw": 0},
    )
    heading = _plain(title)
    s = dict(summary or {})
    before, after = _share(s.get("coverage_before")), _share(s.get("coverage_after"))
    facts = []
    if before is not None:
        facts.append(f"covered today {before}")
    if after is not None:
        facts.append(f"with the plan {after}")
    minutes = _number(s.get("minutes"))
    if minutes is not None:
        facts.append(f"{minutes:g}-minute rescue circle")
    if facts:
        heading += "\n" + _plain(" · ".join(facts))
    fig.text(0.01, 0.995, heading, ha="left", va="top", fontsize=11, fontweight="bold")
    return write_atomic(path, lambda p: fig.savefig(p, format="png", dpi=dpi))
