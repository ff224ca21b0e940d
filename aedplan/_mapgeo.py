"""Geometries for the web map: in lon/lat, simplified in metres, rounded, and as GeoJSON
whose properties are escaped once (folium inserts them as HTML)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import shapely

from . import _geo
from ._maptext import html_text

__all__ = ["DIGITS", "SHAPE_DIGITS", "feature_collection", "lonlat", "metric", "rounded"]

DIGITS = 6  # decimals of lon/lat kept for points: about 0.1 m
SHAPE_DIGITS = 5  # for lines and areas: about 1 m, finer than the circles' 5 m lattice


def metric(geometry: Any) -> Any:
    """A GeoSeries in a metric CRS: its own if projected in metres, else the local UTM."""
    return geometry.to_crs(_geo.metric_crs(geometry))


def rounded(geoms: np.ndarray, digits: int = DIGITS) -> np.ndarray:
    return shapely.transform(geoms, lambda xy: np.round(xy, digits))


def lonlat(frame: Any, *, simplify_m: float = 0.0, points: bool = False) -> np.ndarray:
    """Geometries of ``frame`` in EPSG:4326, simplified in metres, rounded to 6 decimals
    (points) or 5 (lines and areas)."""
    geom = frame.geometry
    if points and not (geom.geom_type == "Point").all():
        geom = metric(geom).representative_point()
    if simplify_m > 0:
        geom = metric(geom).simplify(simplify_m)
    digits = DIGITS if points else SHAPE_DIGITS
    if geom.crs is None or geom.crs.equals("EPSG:4326"):  # (naive: to_crs says so)
        return rounded(geom.to_crs("EPSG:4326").to_numpy(), digits)
    from pyproj import Transformer

    to = Transformer.from_crs(geom.crs, "EPSG:4326", always_xy=True)

    def moved(xy: np.ndarray) -> np.ndarray:  # to lon/lat and rounded in one pass
        x, y = to.transform(xy[:, 0], xy[:, 1])
        return np.round(np.column_stack([x, y]), digits)

    return shapely.transform(geom.to_numpy(), moved)


def feature_collection(
    geoms: np.ndarray, properties: Mapping[str, Sequence[Any]], *, ids: bool = False
) -> dict[str, Any]:
    """GeoJSON with every property escaped once (folium inserts them as HTML)."""
    columns = {key: [html_text(v) for v in values] for key, values in properties.items()}
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
