"""Building footprints as points: read once for demand and for candidate sites.

Footprints come from an OSM file (closed ways and multipolygons tagged ``building=*``,
assembled by libosmium) or from polygons in a GeoDataFrame or vector file; each
becomes one point on its surface with its footprint area (in the local UTM zone) and
number of levels.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import _files, _geo, _osm, _validate
from ._caller import warn
from ._columns import objects
from .errors import DataError, InputError, Phrase

_BUILDING_TAGS = ("building", "name", "building:levels")


def read_buildings(
    source: Any,
    *,
    clip: Any,
    argument: str,
    extra_tags: tuple[str, ...] = (),
    fix: str | Phrase,
) -> gpd.GeoDataFrame:
    """Building points in EPSG:4326 with ``id``, ``building``, ``name``, ``levels``,
    ``area_m2`` (and ``osm_type``/``osm_id`` from OSM, plus ``extra_tags``); ``fix``, what
    to do when there are none, is said in the error's language."""
    clip_polygon = _geo.clip_polygon(clip) if clip is not None else None
    what = "the GeoDataFrame"
    if isinstance(source, gpd.GeoDataFrame):
        table, footprints = _footprints_from_frame(source, argument, what, extra_tags)
    elif isinstance(source, (str, os.PathLike)):
        path, kind = _files.require_kind(source, argument, ("osm", "vector"))
        what = path.name
        if kind == "osm":
            table, footprints = _footprints_from_osm(path, argument, extra_tags)
        else:
            frame = _files.read_vector(path, argument=argument)
            table, footprints = _footprints_from_frame(frame, argument, what, extra_tags)
    else:
        raise InputError(
            "`{argument}`: expected an OSM file path, a vector file path or a GeoDataFrame "
            "of building footprints, got {got}.", argument=argument, got=type(source).__name__
        )
    points = _geo.surface_points(footprints)
    if clip_polygon is not None:
        inside = shapely.contains_xy(clip_polygon, shapely.get_x(points), shapely.get_y(points))
        table, footprints, points = table[inside], footprints[inside], points[inside]
    if len(table) == 0:
        raise DataError(
            "`{argument}`: {what} has no building footprints{where} (closed ways or "
            "multipolygons tagged building=*). {fix}",
            argument=argument, what=Phrase(what),
            where=Phrase(" inside `clip`") if clip_polygon is not None else "",
            fix=fix if isinstance(fix, Phrase) else Phrase(fix),
        )
    x, y = shapely.get_x(points), shapely.get_y(points)
    utm = _geo.utm_crs(x, y)
    area = shapely.area(gpd.GeoSeries(footprints, crs=4326).to_crs(utm).to_numpy())
    out = table.reset_index(drop=True)
    levels = out.pop("building:levels") if "building:levels" in out else None
    out.insert(out.columns.get_loc("name") + 1, "levels", parse_levels(levels, len(out)))
    out.insert(out.columns.get_loc("levels") + 1, "area_m2", area)
    return gpd.GeoDataFrame(out, geometry=points, crs="EPSG:4326")


def osm_buildings(extra_tags: tuple[str, ...] = ()) -> _osm.Features:
    """What building footprints are read from in an OSM file: the areas tagged
    building=*, with their name and levels (and ``extra_tags``)."""
    return _osm.features(key="building", nodes=False, keep=(*_BUILDING_TAGS, *extra_tags))


def _footprints_from_osm(
    path: Path, argument: str, extra_tags: tuple[str, ...]
) -> tuple[pd.DataFrame, np.ndarray]:
    feats = _osm.read(path, osm_buildings(extra_tags), argument=argument)
    if feats.skipped:
        warn("`{argument}`: {skipped:,} of {n:,} buildings in {name} have no complete "
             "footprint (ways that are not closed, nodes missing at the edge of the "
             "extract, broken multipolygons) and were skipped.", argument=argument,
             skipped=feats.skipped, n=feats.skipped + len(feats), name=path.name)
    tags = feats.tags
    keep = (tags["building"] != "no").to_numpy()
    osm_type = pd.Series(feats.osm_type[keep], dtype=object)
    osm_id = pd.Series(feats.osm_id[keep], dtype=np.int64)
    table = pd.DataFrame({"id": osm_type + "/" + osm_id.astype(str)})
    for tag in (*_BUILDING_TAGS, *extra_tags):
        table[tag] = pd.Series(objects(tags[tag].to_numpy()[keep]), dtype=object)
    table["osm_type"] = osm_type
    table["osm_id"] = osm_id
    return table, feats.geometry[keep]


def _footprints_from_frame(
    frame: gpd.GeoDataFrame, argument: str, what: str, extra_tags: tuple[str, ...]
) -> tuple[pd.DataFrame, np.ndarray]:
    _validate.has_crs(frame, argument)
    geoms = frame.geometry.to_crs(4326).to_numpy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    polygonal = present & np.isin(
        shapely.get_type_id(geoms),
        (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON),
    )
    n_other = int((~polygonal).sum())
    if n_other:
        warn("`{argument}`: {n_other} of {n} rows of {what} are not polygons (building "
             "nodes, lines or empty geometries); they have no footprint and were skipped.",
             argument=argument, n_other=n_other, n=len(frame), what=Phrase(what))
    columns = {str(c).lower(): c for c in frame.columns if c != frame.geometry.name}
    n = int(polygonal.sum())
    ids = frame["id"].to_numpy()[polygonal] if "id" in frame.columns else np.flatnonzero(polygonal)
    if "id" in frame.columns and pd.Series(ids).duplicated().any():
        raise InputError(
            "`{argument}`: the `id` column of {what} has duplicate values; expected one id per "
            "building. Drop or rename the column.", argument=argument, what=Phrase(what)
        )
    table = pd.DataFrame({"id": ids})
    for tag in ("building", "name", *extra_tags):
        source = columns.get(tag)
        values = (
            frame[source].to_numpy()[polygonal]
            if source is not None
            else np.full(n, None, dtype=object)
        )
        table[tag] = pd.Series(objects(values), dtype=object)
    levels = columns.get("building:levels", columns.get("levels"))
    table["building:levels"] = (
        frame[levels].to_numpy()[polygonal] if levels is not None else np.full(n, np.nan)
    )
    return table, geoms[polygonal]


def parse_levels(values: pd.Series | None, n: int) -> np.ndarray:
    """First number of each ``building:levels`` value; 1 where missing, bad or <= 0."""
    if values is None:
        return np.ones(n)
    first = (
        values.astype("string")
        .str.extract(r"^\s*(\d+(?:[.,]\d+)?)", expand=False)
        .str.replace(",", ".", regex=False)
    )
    levels = pd.to_numeric(first, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.where(np.isfinite(levels) & (levels > 0), levels, 1.0)
