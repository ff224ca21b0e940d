"""Street and place names for the web map, so that it still reads as a map when no
basemap loads, and a reader zoomed out knows which town is which.

A map opened offline, behind a firewall or with ``--tiles none`` shows the streets drawn
from the data but no names. :func:`street_labels` picks the longest named streets and
places one label on each: at the middle of the street's longest unbroken stretch, turned
along it. Every label has a tier, so the map can show the longest streets when zoomed out
and more as the reader zooms in.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

from . import _geo
from ._maptext import localised

__all__ = ["LABEL", "TIERS", "place_labels", "street_labels"]

#: Labels per tier, longest streets first: tier 1 is shown at every zoom, tier 2 from
#: zoom 15, tier 3 from zoom 16.
TIERS = (8, 40, 150)


def street_labels(streets: Any, *, most: int = TIERS[-1]) -> Any:
    """One label for each of the ``most`` longest named streets (by the length of all
    their parts).

    Parameters
    ----------
    streets
        A GeoDataFrame of street lines with a ``name`` column (missing names are
        skipped; ``"A;B"`` as osmnx joins two names is kept as it is), any CRS.
    most
        The number of streets labelled.

    Returns
    -------
    geopandas.GeoDataFrame
        ``name``, ``angle`` (degrees counter-clockwise from east, in (-90, 90], so the
        text reads left to right), ``tier`` (1, 2, 3) and ``length_m`` (the street's
        total length) with the label's point in EPSG:4326, longest street first.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import LineString
    >>> streets = gpd.GeoDataFrame(
    ...     {"name": ["Long Street", "Long Street", "Lane", None]},
    ...     geometry=[LineString([(0, 0), (300, 0)]), LineString([(300, 0), (300, 300)]),
    ...               LineString([(0, 0), (0, 50)]), LineString([(0, 0), (-900, 0)])],
    ...     crs=32632)
    >>> labels = street_labels(streets)
    >>> labels["name"].tolist(), labels["length_m"].tolist(), labels["tier"].tolist()
    (['Long Street', 'Lane'], [600.0, 50.0], [1, 1])
    """
    import geopandas as gpd

    empty = gpd.GeoDataFrame({"name": [], "angle": [], "tier": [], "length_m": []},
                             geometry=gpd.GeoSeries([], crs=4326), crs=4326)
    if streets is None or len(streets) == 0 or "name" not in streets.columns:
        return empty
    names = streets["name"].astype("string").str.strip()
    named = names.notna().to_numpy() & (names.fillna("").to_numpy() != "")
    named &= (streets.geometry.notna() & ~streets.geometry.is_empty).to_numpy()
    if not named.any():
        return empty
    frame = streets.loc[named]
    metric = frame.geometry.to_crs(_geo.metric_crs(frame.geometry)).to_numpy()
    label_names, group = np.unique(names[named].to_numpy(dtype=str), return_inverse=True)
    total = np.bincount(group, weights=shapely.length(metric))
    # the longest first, ties by name: the same streets on every run
    order = np.lexsort((label_names, -np.round(total, 3)))[:most]
    keep = np.zeros(label_names.shape[0], dtype=bool)
    keep[order] = True
    rows = np.flatnonzero(keep[group])
    rows = rows[np.argsort(group[rows], kind="stable")]
    # each street's parts joined where they meet; its longest stretch carries the label
    merged = shapely.line_merge(
        shapely.multilinestrings(shapely.get_parts(metric[rows]),
                                 indices=_part_owner(metric[rows], group[rows]))
    )
    owners = np.flatnonzero(keep)
    parts, index = shapely.get_parts(merged, return_index=True)
    part_len = shapely.length(parts)
    best = np.lexsort((-part_len, index))
    first = np.r_[True, index[best][1:] != index[best][:-1]]
    stretch = parts[best[first]]
    point, angle = _middle(stretch)
    rank_of = np.empty(label_names.shape[0], dtype=np.int64)
    rank_of[order] = np.arange(order.shape[0])
    ranks = rank_of[owners]
    labels = gpd.GeoDataFrame(
        {
            "name": label_names[owners],
            "angle": angle,
            "tier": 1 + np.searchsorted(np.asarray(TIERS), ranks, side="right"),
            "length_m": np.round(total[owners], 1),
            "rank": ranks,
        },
        geometry=gpd.GeoSeries(point, crs=_geo.metric_crs(frame.geometry)),
    )
    labels = labels.sort_values("rank", kind="stable").drop(columns="rank")
    return labels.to_crs(4326).reset_index(drop=True)


def _part_owner(lines: np.ndarray, group: np.ndarray) -> np.ndarray:
    """For the simple parts of ``lines`` (as :func:`shapely.get_parts` gives them), the
    group of the line each came from, renumbered 0..k-1 in order of the groups."""
    _, index = shapely.get_parts(lines, return_index=True)
    _, owner = np.unique(group, return_inverse=True)
    return owner[index]


def _middle(lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The middle point of each line and the line's direction there, in degrees
    counter-clockwise from east, folded into (-90, 90] so text along it reads upright."""
    middle = shapely.line_interpolate_point(lines, 0.5, normalized=True)
    length = shapely.length(lines)
    step = np.minimum(10.0, length / 4)
    at = length / 2
    a = shapely.get_coordinates(shapely.line_interpolate_point(lines, at - step))
    b = shapely.get_coordinates(shapely.line_interpolate_point(lines, at + step))
    angle = np.degrees(np.arctan2(b[:, 1] - a[:, 1], b[:, 0] - a[:, 0]))
    angle = np.where(angle > 90, angle - 180, np.where(angle <= -90, angle + 180, angle))
    return middle, np.round(angle).astype(np.int64) + 0



#: How a street's or a place's name is drawn: centred on its point, turned by ``angle``
#: (degrees, counter-clockwise), with the classes ``css`` (a street's: by its ``tier``).
LABEL = """function (feature, latlng) {
    var p = feature.properties;
    return L.marker(latlng, {
        interactive: false, keyboard: false, zIndexOffset: -10000,
        icon: L.divIcon({
            className: p.css || "aedplan-street aedplan-street-t" + p.tier, iconSize: [0, 0],
            html: '<span style="transform: translate(-50%, -50%) rotate(' + (-(p.angle || 0))
                + 'deg)">' + p.name + "</span>"
        })
    });
}"""


def place_labels(places: Any, lang: str) -> dict[str, list[Any]]:
    """The names (in ``lang`` where the data has them, as ``name:zh``), kinds and
    classes (for :data:`LABEL`) of ``places`` (``name``, ``place``)."""
    names = localised(places, "name", lang)
    kinds = [k if k in ("city", "town") else "small" for k in places.get("place", names)]
    return {"name": names, "kind": kinds,
            "css": [f"aedplan-place aedplan-place-{k}" for k in kinds]}
