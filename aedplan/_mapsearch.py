"""The map's "nearest AED now": the street graph and the AEDs' hours packed into the page,
and the browser's search over them.

A reader clicks a place (or lets the browser locate them); the page snaps it as
:mod:`aedplan.snapping` does (the nearest point of the nearest street segment, the walk
off the street counted at the scenario's speed), runs Dijkstra with a binary heap from
that point over the edges and lengths of the walk network, and lists the AEDs usable at
the chosen minute of the week (public and open), nearest first, with the walk one way and
there and back; AEDs that open later that day follow with their opening time; AEDs not
for public use are not offered. Each AED joins the streets where aedplan's own snapper
put it, with its ``access_s``, so a time on the page equals :func:`aedplan.reach_times`
for that place.

The edges' geometry is the street layer's encoded polylines, already in the page; the
graph adds only each edge's two end nodes and its length, as base64 typed arrays.
Networks of more than :data:`MAX_EDGES` edges are not shipped: the map says so.
"""

from __future__ import annotations

import base64
import json
import warnings
from importlib import resources
from typing import Any

import numpy as np
import shapely

from ._maptext import column, is_missing
from .errors import AedplanWarning
from .snapping import DEFAULT_MAX_SNAP_M

__all__ = ["EMERGENCY_NUMBERS", "MAX_EDGES", "SEARCH_JS", "SEARCH_SIMPLIFY_M", "data_json",
           "emergency_number", "search_data", "search_panel", "search_words"]

#: Networks with more edges than this are not shipped in the page (the feature is off).
MAX_EDGES = 300_000
#: The street layer of a searchable network is simplified at most this much (metres): the
#: page snaps onto it, so it stays the streets aedplan measures (only straight runs thin).
SEARCH_SIMPLIFY_M = 0.1

#: The first number to call, by country; European countries call 112.
EMERGENCY_NUMBERS = {"CN": "120", "TW": "119", "HK": "999", "MO": "999", "US": "911",
                     "CA": "911", "GB": "999", "JP": "119", "KR": "119", "AU": "000"}
_EUROPE = frozenset((
    "AD", "AL", "AT", "BA", "BE", "BG", "BY", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI",
    "FO", "FR", "GI", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MD",
    "ME", "MK", "MT", "NL", "NO", "PL", "PT", "RO", "RS", "SE", "SI", "SK", "SM", "UA", "VA",
    "XK"))


def emergency_number(country: str | None) -> str | None:
    """The emergency number of ``country`` (ISO code), ``None`` when not known here.

    >>> emergency_number("CN"), emergency_number("LI"), emergency_number(None)
    ('120', '112', None)
    """
    if country is None:
        return None
    return EMERGENCY_NUMBERS.get(country, "112" if country in _EUROPE else None)


def _b64(values: np.ndarray, dtype: str) -> str:
    return base64.b64encode(np.ascontiguousarray(values, dtype=dtype).tobytes()).decode()


def _graph(streets: Any) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray] | None:
    """The streets in metres: the frame, each edge's end nodes (numbered from the ends'
    exact coordinates) and length; ``None`` unless every street is one LineString."""
    from ._mapgeo import metric

    geoms = metric(streets.geometry)
    if not (geoms.geom_type == "LineString").all():
        return None
    lines = geoms.to_numpy()
    ends = np.concatenate([shapely.get_coordinates(shapely.get_point(lines, 0)),
                           shapely.get_coordinates(shapely.get_point(lines, -1))])
    _, node = np.unique(ends, axis=0, return_inverse=True)
    node = node.ravel()
    length = (streets["length_m"].to_numpy(dtype=float) if "length_m" in streets.columns
              else shapely.length(lines))
    return geoms, node[: len(lines)], node[len(lines):], length


def _aed_links(geoms: Any, u: np.ndarray, v: np.ndarray, aeds: Any, model: Any) -> Any:
    """Every AED's links to the streets, by aedplan's snapper: (AED, edge, metres from
    the edge's ``u`` end, metres to add: the walk off the street and ``access_s``)."""
    from .network import network_from_arrays
    from .snapping import snap

    xy = np.concatenate([shapely.get_coordinates(shapely.get_point(geoms.to_numpy(), 0)),
                         shapely.get_coordinates(shapely.get_point(geoms.to_numpy(), -1))])
    n = int(max(u.max(), v.max())) + 1
    x, y = np.zeros(n), np.zeros(n)
    x[np.r_[u, v]], y[np.r_[u, v]] = xy[:, 0], xy[:, 1]
    net = network_from_arrays(x, y, u, v, crs=geoms.crs, edge_geometry=geoms.to_numpy(),
                              largest_component=False, source="map")
    if net.n_edges != len(u):
        return None
    on = snap(net, aeds.to_crs(geoms.crs), argument="aeds", strict=False, warn_far=False)
    start = model.metres(on.access_s[on.link_point]) + on.link_offset_m
    return on.link_point, on.link_edge, on.link_position_m, start


def _open_intervals(aeds: Any, week: str | None, country: str | None, unknown_hours: str
                    ) -> tuple[list[list[list[int]]], np.ndarray, np.ndarray]:
    """Each AED's open spans in minutes of the run's reference week (its Monday ``week``
    and the holidays of ``country``; ``None``: the default week), whether it is public,
    and whether some of its hours are unknown (counted as ``unknown_hours`` says), from
    :func:`aedplan.hours.availability` as the run counted them (its warnings were given
    when the run read the AEDs)."""
    from .hours import availability, reference_week

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        available = availability(aeds, week=reference_week(week, country=country),
                                 unknown_hours=unknown_hours)
    public = np.asarray(available.public, dtype=bool)
    if "public" in aeds.columns:
        public = public & aeds["public"].fillna(False).to_numpy(dtype=bool)
    unknown = (np.asarray(available.state) == -1).any(axis=1)  # hours counted, not known
    spans = []
    for row in available.open:  # per AED: its few spans of the week
        change = np.flatnonzero(np.diff(np.r_[0, row.astype(np.int8), 0]))
        edges = available.edges[change]
        spans.append(edges.reshape(-1, 2).tolist())
    return spans, public, unknown


def _country(streets: Any) -> str | None:
    from .hours import country_of

    x0, y0, x1, y1 = streets.to_crs(4326).total_bounds
    return country_of((x0 + x1) / 2, (y0 + y1) / 2)


def search_data(streets: Any, aeds: Any, model: Any, *, week: str | None = None,
                country: str | None = None, unknown_hours: str = "open") -> dict[str, Any]:
    """What the page's search needs, as JSON-ready values: ``{"off": reason}`` when the
    network is too big to ship or is not a network of single lines. The AEDs' hours are
    read over the run's reference week (``week``, its Monday; ``country``, whose holidays
    apply: the streets' by default) with its ``unknown_hours``, so the page offers an AED
    open exactly when the run counted it open."""
    if streets is None or model is None:
        return {"off": "none"}
    country = country or _country(streets)
    if len(streets) > MAX_EDGES:
        return {"off": "big", "edges": len(streets), "call": emergency_number(country)}
    graph = _graph(streets)
    if graph is None:
        return {"off": "none", "call": emergency_number(country)}
    geoms, u, v, length = graph
    spans, public, unknown = ([], [], []) if aeds is None or not len(aeds) else (
        _open_intervals(aeds, week, country, unknown_hours))
    links = (_aed_links(geoms, u, v, aeds, model)
             if aeds is not None and len(aeds) and np.any(public) else None)
    offered = []
    if links is not None:
        point, edge, position, start = links
        lonlat = shapely.get_coordinates(aeds.geometry.to_crs(4326).to_numpy())
        hangs = [not (is_missing(s) and is_missing(v)) for s, v in zip(
            column(aeds, "defibrillator:location"), column(aeds, "level"), strict=True)]
        for i in np.flatnonzero(public):
            mine = point == i
            if not mine.any():
                continue
            offered.append({
                "row": int(i), "lat": round(float(lonlat[i, 1]), 6),
                "lon": round(float(lonlat[i, 0]), 6),
                "at": bool(hangs[i]),
                "open": spans[i],
                "unknown": bool(unknown[i]),
                "links": [[int(e), round(float(p), 3), round(float(s), 3)]
                          for e, p, s in zip(edge[mine], position[mine], start[mine],
                                             strict=True)],
            })
    return {"u": _b64(u, "<i4"), "v": _b64(v, "<i4"), "len": _b64(length, "<f4"),
            "maxSnap": DEFAULT_MAX_SNAP_M,
            "speed": model.speed_m_s, "factor": model.factor, "budget": model.budget_s,
            "minutes": model.minutes, "aeds": offered,
            "call": emergency_number(country)}


def data_json(data: dict[str, Any]) -> str:
    """``data`` as JSON for a script: numbers and words of aedplan's own, no text from
    the data (folium reads the script as a template once more)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


#: The browser's search: ``new AedplanSearch(lines, data).nearest(lat, lon, minute)``.
SEARCH_JS = (resources.files(__package__) / "_mapsearch.js").read_text(encoding="utf-8")

# The panel: the emergency number, a day and time, the answer for the place clicked.
_PANEL = ("{% macro script(this, kwargs) %}\n" + SEARCH_JS
          + (resources.files(__package__) / "_mapsearch_panel.js").read_text(encoding="utf-8")
          + "{% endmacro %}\n")


def search_words(w: Any, number: str | None, minutes: float = 4.0) -> dict[str, Any]:
    """The panel's words in the map's language (``minutes``: the rescue's budget)."""
    call = (w("In an emergency call {number} first, then fetch the AED.", number=number)
            if number else w("In an emergency call the emergency number first, then fetch "
                             "the AED."))
    return {
        "title": w("Nearest AED now"), "call": call,
        "how": w("Tap or click a place on the map: the AEDs usable at the time below, "
                 "nearest first, along the streets."),
        "days": [w(x) for x in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                "Saturday", "Sunday")],
        "now": w("Now"), "locate": w("Where am I?"),
        "min": w("{m} min {s} s"), "sec": w("{s} s"),
        "walk": w("walk {one} one way, {both} there and back"),
        "where": w("Where it hangs: {where}"), "opens": w("opens at {time}; {walk}"),
        "far": w("This place is too far from the streets."),
        "none_now": w("No AED usable at this time can be reached along these streets."),
        "beyond": w("None is within the {minutes:g}-minute rescue from here: start CPR while "
                    "someone fetches the nearest.", minutes=minutes),
        "unknown": w("opening hours unknown: counted open"),
        "big": w("Nearest AED: the street network is too big to carry in this page."),
        "none_here": w("Nearest AED: this map carries no street network to search."),
    }


def search_panel(streets_layer: Any, aeds_layer: Any, data: dict[str, Any], w: Any) -> Any:
    """The "nearest AED now" panel, searching ``streets_layer``'s lines for the AEDs of
    ``aeds_layer`` (their names and where they hang from its popups)."""
    from ._mappanels import macro

    return macro("AedplanNearest", _PANEL, streets=streets_layer, aeds=aeds_layer,
                 data=data_json(data),
                 words=json.dumps(search_words(w, data.get("call"), data.get("minutes", 4.0)),
                                  ensure_ascii=False))
