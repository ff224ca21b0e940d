"""Two layers of the web map beyond the circles: the districts shaded by coverage (who is
left out, district by district) and the moves of today's AEDs drawn as arrows."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

from ._format import share
from ._mapgeo import feature_collection, lonlat, metric, rounded
from ._words import Words
from .maplayers import COLOURS, DISTRICT_CLASSES, DISTRICT_COLOURS, LAYER_NAMES

__all__ = ["district_key", "districts_layer", "moves_layer"]


def district_key(frame: Any) -> str:
    """The coverage the districts are shaded by: after the plan when there is one, round
    the clock when the hours are known."""
    return next(c for c in ("round_the_clock_after", "coverage_after", "round_the_clock_before",
                            "coverage_before") if c in frame)


def districts_layer(frame: Any, w: Words, *, shown: bool = False) -> tuple[Any, np.ndarray]:
    """Each district shaded by its coverage in five fixed classes (below 5%, 10%, 20%,
    40%, and above), with its numbers in a tooltip; hidden at first unless ``shown`` (an
    overview without rescue circles)."""
    import folium

    key = district_key(frame)
    value = frame[key].to_numpy(dtype=float)
    cls = np.searchsorted(DISTRICT_CLASSES, np.nan_to_num(value), side="right")
    geoms = lonlat(frame, simplify_m=5.0)

    def pair(before: str, after: str, fmt: Any) -> list[str]:
        b = frame[before].to_numpy() if before in frame else None
        a = frame[after].to_numpy() if after in frame else None
        if b is None:
            return ["" for _ in range(len(frame))]
        return [fmt(x) if a is None else f"{fmt(x)} → {fmt(y)}"
                for x, y in zip(b, a if a is not None else b, strict=True)]

    def pct(x: Any) -> str:
        return share(x) or "–"

    props: dict[str, list[Any]] = {
        "name": [str(n) for n in frame["name"]],
        "coverage": pair("coverage_before", "coverage_after", pct),
        "clock": pair("round_the_clock_before", "round_the_clock_after", pct),
        "aeds": pair("aeds_before", "aeds_after", lambda x: f"{int(x):,}"),
        "cls": [int(k) for k in cls],
    }
    fields, aliases = ["name", "coverage"], [w("District"), w("Coverage")]
    if "aeds_before" in frame:
        fields.append("aeds")
        aliases.append(w("AEDs"))
    if "round_the_clock_before" in frame:
        fields.insert(2, "clock")
        aliases.insert(2, w("Round the clock"))
    layer = folium.GeoJson(
        feature_collection(geoms, props), name=w(LAYER_NAMES["districts"]), show=shown,
        style_function=lambda f: {"color": "#444", "weight": 1.2, "fillOpacity": 0.45,
                                  "fillColor": DISTRICT_COLOURS[int(f["properties"]["cls"])]},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases),
    )
    return layer, geoms


def moves_layer(frame: Any, w: Words) -> tuple[Any, np.ndarray]:
    """An arrow from each moved AED's place today to its new place."""
    import folium
    import geopandas as gpd

    lines = metric(frame.geometry)
    xy = shapely.get_coordinates(lines.to_numpy()).reshape(-1, 2, 2)
    start, end = xy[:, 0], xy[:, 1]
    length = np.hypot(*(end - start).T)
    unit = (end - start) / np.maximum(length, 1e-9)[:, None]
    normal = np.column_stack([-unit[:, 1], unit[:, 0]])
    head = np.minimum(40.0, 0.3 * length)[:, None]
    tip = start + unit * (length[:, None] + head) / 2  # mid-way: the marker hides the end
    base = tip - unit * head
    heads = shapely.polygons(np.stack([tip, base + normal * head * 0.5,
                                       base - normal * head * 0.5, tip], axis=1))
    shapes = np.r_[lines.to_numpy(), heads]  # each move twice: its line, its head
    geoms = rounded(gpd.GeoSeries(shapes, crs=lines.crs).to_crs(4326).to_numpy(), 6)
    props = {
        "aed": [str(a) for a in frame["aed_id"]] * 2,
        "to": [f"#{int(r)}" for r in frame["to_rank"]] * 2,
        "distance": [f"{d:,.0f} m" for d in frame["distance_m"]] * 2,
        "gain": [share(g) or "–" for g in frame["gained_share"]] * 2,
    }
    colour = COLOURS["moves"]
    layer = folium.GeoJson(
        feature_collection(geoms, props), name=w(LAYER_NAMES["moves"]),
        style_function=lambda f: {"color": colour, "weight": 2.5, "fillColor": colour,
                                  "fillOpacity": 1.0},
        tooltip=folium.GeoJsonTooltip(
            fields=["aed", "to", "distance", "gain"],
            aliases=[w("AED moved"), w("To new site"), w("Distance"), w("Coverage gained")]),
    )
    return layer, geoms
