"""Read AED sites and other points.

:func:`read_points` turns whatever a planner has (a CSV of lon/lat, a GeoJSON,
GeoPackage or Shapefile in any CRS, an OpenStreetMap extract, or a GeoDataFrame) into
one shape: a GeoDataFrame of points in EPSG:4326 with a stable ``id`` column. Lists
copied from Chinese web maps are converted from GCJ-02 or BD-09 to WGS84 on the way.

Every check on the input runs before anything is raised, so one error names every
problem (with the first few ids) and how to fix it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray
from pyproj import CRS, Transformer

from . import _files, _geo, _osm, _registry
from ._caller import warn
from ._datum import normalise_datum, out_of_china, to_wgs84
from .errors import CRSError, InputError, Joined, Phrase

__all__ = [
    "OSM_AED_TAGS",
    "read_points",
]

#: OSM tags kept (as columns, ``None`` where a node lacks them) for AEDs read from OSM.
OSM_AED_TAGS = (
    "name",
    "name:en",
    "name:zh",
    "opening_hours",
    "access",
    "indoor",
    "level",
    "operator",
    "defibrillator:location",
    "description",
)

#: What AEDs are read from in an OSM file: the nodes tagged emergency=defibrillator.
OSM_AEDS = _osm.TaggedNodes((("emergency", "defibrillator"),))

# Column names recognised as coordinates, compared after strip() and lower().
_LON_NAMES = ("lon", "lng", "long", "longitude", "x", "easting", "经度", "經度", "地點lng",
              "地点lng", "längengrad", "laengengrad", "longitud", "location.lng",
              "location.lon", "location_lng")
_LAT_NAMES = ("lat", "latitude", "y", "northing", "纬度", "緯度", "地點lat", "地点lat",
              "breitengrad", "latitud", "location.lat", "location_lat")
_NAME_NAMES = ("name", "名称", "名稱", "場所名稱", "场所名称", "設置地點", "设置地点",
               "bezeichnung", "nombre", "nom")
#: A registry's own id columns (Taiwan's 場所ID, 编号), used when unique and complete.
_ID_NAMES = ("場所id", "场所id", "aed編號", "aed编号", "編號", "编号", "序號", "序号")

_GEOM_NAMES = (
    "Point",
    "LineString",
    "LinearRing",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
)
_WGS84 = _geo.WGS84
_DATUM_NAMES = {"gcj02": "GCJ-02", "bd09": "BD-09"}
_SHOW = 5  # ids quoted in a message


@dataclass(frozen=True)
class _Raw:
    """Points as read, before validation: attributes, coordinates in ``crs``."""

    attrs: pd.DataFrame  # RangeIndex, no geometry and no coordinate columns
    x: NDArray[np.float64]
    y: NDArray[np.float64]
    crs: CRS
    what: str  # "points.csv" or "the GeoDataFrame", for messages
    missing: Phrase  # how a row without coordinates is described ("{rows} have ...")
    swap_fix: Phrase  # what to do when lon/lat look swapped
    projected_fix: Phrase  # what to do when "lon/lat" look like metres
    first_line: int | None = None  # file line of row 0 (CSV), to quote line numbers
    decimal_comma: bool = False  # numbers may be written "47,15" (';'-separated CSV)
    # a map provider's place-search export: its datum, what it is, the columns telling it
    provider: tuple[_registry.Provider, list[str]] | None = None
    # for each row, its place among the points of the multi-point it came from (1, 2, ...),
    # 0 for a row of its own; None when no multi-point was split
    part: NDArray[np.int64] | None = None


def read_points(
    source: str | os.PathLike[str] | pd.DataFrame,
    *,
    datum: str | None = None,
    crs: Any = None,
    lon_col: str | None = None,
    lat_col: str | None = None,
    id_col: str | None = None,
    name_col: str | None = None,
    weight_col: str | None = None,
    layer: str | int | None = None,
    encoding: str | None = None,
) -> gpd.GeoDataFrame:
    """Read points (AEDs, candidate sites, arrest locations) into EPSG:4326.

    Parameters
    ----------
    source
        A path to a CSV/TSV with longitude and latitude columns, a GeoJSON,
        GeoPackage, Shapefile or FlatGeobuf in any CRS, or an OSM file (``.osm``,
        ``.osm.bz2``, ``.osm.pbf``, ...) whose ``emergency=defibrillator`` nodes are
        read; or a GeoDataFrame (it must carry a CRS) or a plain DataFrame with
        lon/lat columns. A table may instead hold both coordinates in one ``location``
        column, as ``"lng,lat"`` (Amap) or ``{"lng": .., "lat": ..}`` (Baidu, Tencent).
        Inputs are never modified.
    datum
        ``"wgs84"``, ``"gcj02"`` (Amap, Tencent, Google Maps in China) or ``"bd09"``
        (Baidu). Applies to longitude/latitude input only (CSV, or a vector source in
        EPSG:4326) and converts it to WGS84. Default: WGS84, except that a place-search
        export of Amap, Tencent or Baidu (told by its columns) needs ``datum`` given, as
        its coordinates are GCJ-02 or BD-09 unless converted already.
    crs
        CRS of the coordinates when the source carries none: the CSV columns
        (default EPSG:4326, i.e. lon/lat), or a GeoDataFrame/file without a CRS.
        Anything :class:`pyproj.CRS` accepts. Must agree with a CRS the source has.
    lon_col, lat_col
        Coordinate columns of a table. By default found by name, ignoring case:
        lon, lng, long, longitude, x, easting, 经度/經度, 地點LNG, Längengrad, longitud
        and lat, latitude, y, northing, 纬度/緯度, 地點LAT, Breitengrad, latitud.
    id_col
        Column holding a unique id per point, copied into ``id``. Default: a column
        named ``id`` if there is one, else ``osm_id`` for OSM input, else 0..n-1.
    name_col
        Column holding each point's name, copied into ``name``. Default: ``name``, or
        one column named like 名称, 名稱, 場所名稱 or 設置地點.
    weight_col
        Column of non-negative weights, copied into ``weight`` (float). Default: a
        column named ``weight`` if there is one, else no ``weight`` column.
    layer
        Layer of a multi-layer file (GeoPackage); required when it has several.
    encoding
        Text encoding of a CSV (default: UTF-8, else detected and said in a warning).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per point with a RangeIndex, in EPSG:4326: ``id``, ``name`` (``None``
        where missing), the source's other columns (the coordinate columns of a
        table are consumed), ``weight`` and ``access_s`` (seconds to reach the AED
        once at its site) when present, and ``geometry``. From OSM: ``osm_id`` and
        the tags in :data:`OSM_AED_TAGS`, always present.

    Raises
    ------
    InputError
        When the file is missing, empty, of an unknown format, or has rows with
        missing, non-numeric or out-of-range coordinates, ids or weights; when a map
        provider's export comes without ``datum``.
    CRSError
        When the source has no CRS (and ``crs`` is not given), ``crs`` contradicts
        the source's, or coordinates cannot be transformed to EPSG:4326.

    Warns
    -----
    AedplanWarning
        When non-point geometries are replaced by a representative point, when an
        OSM file has no AEDs, or when GCJ-02/BD-09 points lie outside China (where
        those datums equal WGS84).

    Examples
    --------
    >>> import aedplan
    >>> from aedplan.datasets import default_osm_path
    >>> osm = default_osm_path()  # Vaduz and Schaan, installed with aedplan
    >>> len(aedplan.read_points(osm))  # its mapped AEDs
    75
    >>> import pandas as pd
    >>> table = pd.DataFrame({"name": ["Town hall"], "lon": [9.5209], "lat": [47.1410]})
    >>> aedplan.read_points(table)[["id", "name"]]
       id       name
    0   0  Town hall
    """
    argument = "source"  # as messages name it; a run names it by its option
    datum = None if datum is None else normalise_datum(datum, argument="datum")
    user_crs = _parse_crs(crs)
    kind = _kind(source, argument)
    if kind != "table" and (lon_col is not None or lat_col is not None):
        raise InputError(
            "`lon_col`/`lat_col` apply only to tables (CSV or DataFrame); "
            "`{argument}` is a {kind} with its own geometry. Drop them.",
            argument=argument, kind=Phrase(_KIND_NAMES[kind]),
        )
    if kind != "vector" and layer is not None:
        raise InputError(
            "`layer` applies only to GeoPackage and other vector files; `{argument}` is a "
            "{kind}. Drop `layer`.", argument=argument, kind=Phrase(_KIND_NAMES[kind]),
        )
    if kind == "osm":
        path = Path(source)
        if datum not in (None, "wgs84"):
            raise InputError(
                "`datum`={datum!r} cannot apply to {name}: OpenStreetMap data is "
                "always WGS84. Drop `datum` (or use 'wgs84').", datum=datum, name=path.name,
            )
        if user_crs is not None and not _is_wgs84(user_crs):
            raise CRSError(
                "`crs`={crs} cannot apply to {name}: OpenStreetMap data "
                "is always EPSG:4326. Drop `crs`.", crs=user_crs.to_string(), name=path.name,
            )
        raw = _from_osm(path, argument)
    elif kind == "table" and isinstance(source, pd.DataFrame):
        raw = _from_table(
            source, user_crs, lon_col, lat_col, argument, what="the DataFrame", first_line=None
        )
    elif kind == "table":
        path = Path(source)
        table, sep = _files.read_table(
            path, argument=argument, text_columns=(id_col,) if id_col is not None else (),
            encoding=encoding,
        )
        raw = _from_table(
            table,
            user_crs,
            lon_col,
            lat_col,
            argument,
            what=path.name,
            first_line=2 + table.attrs.get("title_rows", 0),  # the header's line, then 1
            decimal_comma=sep != ",",
        )
    elif kind == "vector" and isinstance(source, gpd.GeoDataFrame):
        raw = _from_geodataframe(source, user_crs, argument, what="the GeoDataFrame",
                                 in_memory=True)
    else:
        path = Path(source)
        frame = _files.read_vector(path, argument=argument, layer=layer)
        raw = _from_geodataframe(frame, user_crs, argument, what=path.name, in_memory=False)
    return _finish(raw, datum=datum, id_col=id_col, name_col=name_col, weight_col=weight_col,
                   argument=argument)


_KIND_NAMES = {"table": "table", "vector": "vector source", "osm": "OpenStreetMap file"}
_POINT_KINDS = ("table", "vector", "osm")


def _kind(source: object, argument: str) -> str:
    """'table', 'vector' or 'osm', from the type or the file name of ``source``."""
    if isinstance(source, gpd.GeoDataFrame):
        return "vector"
    if isinstance(source, pd.DataFrame):
        return "table"
    if not isinstance(source, str | os.PathLike):
        raise InputError(
            "`{argument}` must be a file path or a (Geo)DataFrame; got {got}.",
            argument=argument, got=type(source).__name__,
        )
    _, kind = _files.require_kind(source, argument, _POINT_KINDS)
    return kind


# --- sources ---------------------------------------------------------------------------


def _parse_crs(crs: Any) -> CRS | None:
    return None if crs is None else _geo.crs_from(crs)


def _is_wgs84(crs: CRS) -> bool:
    return crs.equals(_WGS84, ignore_axis_order=True)


def _find_column(
    columns: Sequence[Any],
    given: str | None,
    names: tuple[str, ...],
    *,
    what: str,
    option: str,
    source: str,
    argument: str,
    also: Phrase | str = "",
) -> Any:
    listed = Joined([repr(c) for c in columns], sep=", ")
    if given is not None:
        if given in columns:
            return given
        folded = [c for c in columns if str(c).strip().lower() == str(given).strip().lower()]
        if len(folded) == 1:
            return folded[0]
        if not columns:
            raise InputError("`{option}`: {source} has no column {given!r}: it has no "
                             "columns besides its coordinates.", option=option,
                             source=Phrase(source), given=given)
        raise InputError("`{option}`: {source} has no column {given!r}; its columns are "
                         "{columns}.", option=option, source=Phrase(source), given=given,
                         columns=listed)
    found = [c for c in columns if str(c).strip().lower() in names]
    if len(found) == 1:
        return found[0]
    if not found:
        raise InputError(
            "`{argument}`: found no {what} column in {source}; expected one named "
            "{names} (any case){also}; its columns are {columns}. "
            "Pass `{option}=` to name it.", argument=argument, what=Phrase(what),
            source=Phrase(source), names=Joined(names, sep=", "), also=also, columns=listed,
            option=option,
        )
    raise InputError(
        "`{argument}`: {source} has several possible {what} columns "
        "({found}); pass `{option}=` to choose one.", argument=argument,
        source=Phrase(source), what=Phrase(what),
        found=Joined([repr(c) for c in found], sep=", "), option=option,
    )


def _numbers(values: pd.Series, decimal_comma: bool) -> NDArray[np.float64]:
    if decimal_comma and not pd.api.types.is_numeric_dtype(values):
        values = values.astype(str).str.replace(",", ".", regex=False)
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _from_table(
    table: pd.DataFrame,
    crs: CRS | None,
    lon_col: str | None,
    lat_col: str | None,
    argument: str,
    *,
    what: str,
    first_line: int | None,
    decimal_comma: bool = False,
) -> _Raw:
    if table.empty:
        raise InputError("`{argument}`: {what} has no rows. Pass at least one point.",
                         argument=argument, what=Phrase(what))
    columns = list(table.columns)
    provider = _registry.recognise(columns)
    location = _registry.location_column(columns)
    if location is not None and lon_col is None and lat_col is None and not any(
        str(c).strip().lower() in _LON_NAMES for c in columns
    ):
        x, y = _registry.location_lonlat(table[location])
        return _Raw(
            attrs=table.drop(columns=[location]).reset_index(drop=True), x=x, y=y,
            crs=crs if crs is not None else _WGS84, what=what,
            missing=Phrase("a {location!r} that is not \"lng,lat\" nor "
                           "{{\"lng\": .., \"lat\": ..}}", {"location": location}),
            swap_fix=Phrase("write {location!r} as \"lng,lat\"", {"location": location}),
            projected_fix=_PASS_CRS, first_line=first_line, provider=provider,
        )
    kw = {"source": what, "argument": argument}
    lon_name = _find_column(columns, lon_col, _LON_NAMES, what="longitude", option="lon_col",
                            also=Phrase(', or one "location" column of "lng,lat"'), **kw)
    lat_name = _find_column(columns, lat_col, _LAT_NAMES, what="latitude", option="lat_col", **kw)
    if lon_name == lat_name:
        raise InputError(
            "`lon_col`/`lat_col`: both name column {column!r} of {what}; "
            "pass two different columns.", column=lon_name, what=Phrase(what),
        )
    return _Raw(
        attrs=table.drop(columns=[lon_name, lat_name]).reset_index(drop=True),
        x=_numbers(table[lon_name], decimal_comma),
        y=_numbers(table[lat_name], decimal_comma),
        crs=crs if crs is not None else _WGS84,
        what=what,
        missing=Phrase("missing or non-numeric coordinates in columns {lon!r}/{lat!r}",
                       {"lon": lon_name, "lat": lat_name}),
        swap_fix=Phrase("pass `lon_col={lat!r}` and `lat_col={lon!r}`",
                        {"lon": lon_name, "lat": lat_name}),
        projected_fix=_PASS_CRS,
        first_line=first_line,
        decimal_comma=decimal_comma,
        provider=provider,
    )


#: What to do when coordinates look projected and no CRS says so.
_PASS_CRS = Phrase("pass `crs='EPSG:...'` with the CRS they are in")


def _from_geodataframe(
    frame: gpd.GeoDataFrame, crs: CRS | None, argument: str, *, what: str, in_memory: bool
) -> _Raw:
    if len(frame) == 0:
        raise InputError("`{argument}`: {what} has no rows. Pass at least one point.",
                         argument=argument, what=Phrase(what))
    if frame.crs is not None:
        source_crs = CRS(frame.crs)
        if crs is not None and not source_crs.equals(crs, ignore_axis_order=True):
            raise CRSError(
                "`crs`: {what} is in {declared} but `crs={given}` "
                "was passed. Drop `crs` (the source's own CRS is used), or reproject the source.",
                what=Phrase(what), declared=source_crs.to_string(), given=crs.to_string(),
            )
    elif crs is not None:
        source_crs = crs
    else:
        raise CRSError(
            "`{argument}`: {what} has no CRS, so its coordinates cannot be placed. Set it "
            "(`gdf.set_crs('EPSG:4326')` for lon/lat) or pass `crs=`." if in_memory else
            "`{argument}`: {what} has no CRS, so its coordinates cannot be placed. Pass the "
            "CRS it is in as `crs` (`crs='EPSG:4326'` for lon/lat).",
            argument=argument, what=Phrase(what),
        )
    frame, part = _split_multipoints(frame, argument, what)
    geoms = frame.geometry.to_numpy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    type_ids = shapely.get_type_id(geoms)
    nonpoint = present & (type_ids != shapely.GeometryType.POINT)
    if nonpoint.any():
        kinds, counts = np.unique(shapely.get_type_id(geoms[nonpoint]), return_counts=True)
        detail = ", ".join(f"{n} {_GEOM_NAMES[int(k)]}" for k, n in zip(kinds, counts, strict=True))
        warn("`{argument}`: {what} has {n} non-point geometries ({detail}); each was "
             "replaced by a representative point inside it.", argument=argument,
             what=Phrase(what), n=int(nonpoint.sum()), detail=detail)
        geoms = geoms.copy()
        geoms[nonpoint] = _geo.surface_points(geoms[nonpoint], source_crs)
    x = np.full(len(geoms), np.nan)
    y = np.full(len(geoms), np.nan)
    x[present] = shapely.get_x(geoms[present])
    y[present] = shapely.get_y(geoms[present])
    attrs = pd.DataFrame(frame.drop(columns=frame.geometry.name)).reset_index(drop=True)
    wrong_crs = Phrase(
        "{what} declares {crs}, which is wrong: set the CRS they are really in "
        "(`GeoDataFrame.set_crs(..., allow_override=True)`)" if in_memory else
        "{what} declares {crs}, which is wrong: set the CRS they are really in (in the "
        "file, e.g. `ogr2ogr -a_srs EPSG:... fixed.gpkg {what}`)",
        {"what": Phrase(what), "crs": source_crs.to_string()})
    return _Raw(
        attrs=attrs,
        x=x,
        y=y,
        crs=source_crs,
        what=what,
        missing=Phrase("no geometry (missing or empty)"),
        swap_fix=Phrase("swap the x/y coordinates of the source (or fix its CRS)"),
        projected_fix=_PASS_CRS if frame.crs is None else wrong_crs,
        part=part,
    )


def _split_multipoints(frame: gpd.GeoDataFrame, argument: str, what: str
                       ) -> tuple[gpd.GeoDataFrame, NDArray[np.int64] | None]:
    """Each point of a MultiPoint as a row of its own (the row's other columns repeated),
    said in a warning; and each row's place in its multi-point (1, 2, ...; 0 for rows
    that were not one), ``None`` when there was none."""
    geoms = frame.geometry.to_numpy()
    multi = shapely.get_type_id(geoms) == shapely.GeometryType.MULTIPOINT
    if not multi.any():
        return frame, None
    counts = np.where(multi, np.maximum(shapely.get_num_geometries(geoms), 1), 1)
    rows = np.repeat(np.arange(len(frame)), counts)
    first = np.r_[0, np.cumsum(counts)[:-1]]
    part = np.arange(rows.size) - np.repeat(first, counts) + 1
    part[~multi[rows]] = 0
    parts = np.where(multi[rows], shapely.get_geometry(geoms[rows], part - 1), geoms[rows])
    out = frame.iloc[rows].reset_index(drop=True)
    out[out.geometry.name] = gpd.GeoSeries(parts, crs=frame.crs, index=out.index)
    n_multi, n_points = int(multi.sum()), int(counts[multi].sum())
    warn(("`{argument}`: {what} has {n_multi} MultiPoints of {n_points} points in all; "
          "each point is read as a row of its own (its id, if it has one, followed by -1, "
          "-2, ...).") if n_multi != 1 else (
         "`{argument}`: {what} has 1 MultiPoint of {n_points} points in all; each point "
         "is read as a row of its own (its id, if it has one, followed by -1, -2, ...)."),
         argument=argument, what=Phrase(what), n_multi=n_multi, n_points=n_points)
    return out, part


def _from_osm(path: Path, argument: str) -> _Raw:
    nodes = _osm.read(path, OSM_AEDS, argument=argument)
    if len(nodes) == 0:
        warn("`{argument}`: {name} has no `emergency=defibrillator` nodes; read 0 AEDs.",
             argument=argument, name=path.name)
    attrs = pd.DataFrame({"osm_id": nodes["osm_id"].to_numpy(dtype=np.int64)})
    for tag in OSM_AED_TAGS:
        if tag in nodes:
            col = nodes[tag].astype(object)
            attrs[tag] = pd.Series(col.where(col.notna(), None).to_numpy(), dtype=object)
        else:
            attrs[tag] = pd.Series([None] * len(nodes), dtype=object)
    return _Raw(
        attrs=attrs,
        x=nodes["lon"].to_numpy(dtype=float),
        y=nodes["lat"].to_numpy(dtype=float),
        crs=_WGS84,
        what=path.name,
        missing=Phrase("no location"),
        swap_fix=Phrase("check the file"),
        projected_fix=Phrase("check the file"),
    )


# --- validation and output -------------------------------------------------------------


def _rows_phrase(mask: NDArray[np.bool_], ids: NDArray[Any], first_line: int | None,
                 *, by_row: bool = False) -> Phrase:
    """The first few rows where ``mask`` holds, in a warning's or an error's words: '3 rows
    (ids 4, 7, 9; lines 6, 9, 11)', or '3 rows (rows 4, 7, 9; ...)' when ``by_row`` (``ids``
    are then the rows' numbers)."""
    rows = np.flatnonzero(mask)
    more = ", ..." if rows.size > _SHOW else ""
    values = {"n": rows.size, "ids": ", ".join(str(v) for v in ids[rows[:_SHOW]]) + more}
    one = rows.size == 1
    if first_line is None:
        if by_row:
            return Phrase("1 row (row {ids})" if one else "{n} rows (rows {ids})", values)
        return Phrase("{n} rows (ids {ids})" if rows.size != 1 else "1 row (id {ids})",
                      values)
    values["lines"] = ", ".join(str(r + first_line) for r in rows[:_SHOW]) + more
    if by_row:
        return Phrase("1 row (row {ids}; line {lines})" if one
                      else "{n} rows (rows {ids}; lines {lines})", values)
    return Phrase("{n} rows (ids {ids}; lines {lines})" if rows.size != 1
                  else "1 row (id {ids}; line {lines})", values)


def _non_negative(
    values: pd.Series,
    column: str,
    ids: NDArray[Any],
    raw: _Raw,
    problems: list[Phrase],
    *,
    meaning: str,
) -> NDArray[np.float64]:
    numbers = _numbers(values, raw.decimal_comma)
    bad = ~np.isfinite(numbers)
    if bad.any():
        problems.append(Phrase(
            "{rows} have a missing, non-numeric or infinite {column!r} ({meaning}); expected "
            "a number >= 0" if bad.sum() != 1 else
            "{rows} has a missing, non-numeric or infinite {column!r} ({meaning}); expected "
            "a number >= 0",
            {"rows": _rows_phrase(bad, ids, raw.first_line), "column": column,
             "meaning": Phrase(meaning)}))
    negative = numbers < 0
    if negative.any():
        problems.append(Phrase(
            "{rows} have a negative {column!r} ({meaning}); expected a number >= 0"
            if negative.sum() != 1 else
            "{rows} has a negative {column!r} ({meaning}); expected a number >= 0",
            {"rows": _rows_phrase(negative, ids, raw.first_line), "column": column,
             "meaning": Phrase(meaning)}))
    return numbers


#: Grids registries keep their coordinates in, by where their metres fall:
#: (name, EPSG code, easting range, northing range).
_GRIDS = (
    ("TWD97 / TM2 zone 121 (Taiwan)", 3826, (140_000, 360_000), (2_400_000, 2_820_000)),
    ("HK1980 Grid (Hong Kong)", 2326, (800_000, 870_000), (800_000, 850_000)),
)


def likely_grid(x: float, y: float) -> str | None:
    """The grid coordinates in metres most likely are in, said with its EPSG code:
    Taiwan's TWD97, Hong Kong's HK1980, a CGCS2000 Gauss-Krüger zone (its number in front
    of the easting), else a UTM zone; ``None`` when nothing fits.

    Examples
    --------
    >>> likely_grid(217_000, 2_674_000)
    'TWD97 / TM2 zone 121 (Taiwan), EPSG:3826'
    >>> likely_grid(39_500_000, 2_780_000)
    'CGCS2000 / 3-degree Gauss-Kruger zone 39, EPSG:4527'
    """
    for name, code, (x0, x1), (y0, y1) in _GRIDS:
        if x0 <= x <= x1 and y0 <= y <= y1:
            return f"{name}, EPSG:{code}"
    zone = int(x // 1_000_000)
    if 25 <= zone <= 45 and 0 < y < 6_000_000:  # 3-degree zones, numbered 25..45
        return f"CGCS2000 / 3-degree Gauss-Kruger zone {zone}, EPSG:{4513 + zone - 25}"
    if 13 <= zone <= 23 and 0 < y < 6_000_000:  # 6-degree zones, numbered 13..23
        return f"CGCS2000 / Gauss-Kruger zone {zone}, EPSG:{4491 + zone - 13}"
    if 160_000 <= x <= 840_000 and 0 <= y <= 10_000_000:
        return "a UTM zone (EPSG:326NN in the north, 327NN in the south; NN the zone)"
    return None


def _coordinate_problems(raw: _Raw, ids: NDArray[Any], problems: list[Phrase]) -> None:
    missing = ~(np.isfinite(raw.x) & np.isfinite(raw.y))
    if missing.any():
        problems.append(Phrase("{rows} have {missing}" if missing.sum() != 1
                               else "{rows} has {missing}",
                               {"rows": _rows_phrase(missing, ids, raw.first_line),
                                "missing": raw.missing}))
    if not _is_wgs84(raw.crs):
        return
    with np.errstate(invalid="ignore"):
        bad = ~missing & ((np.abs(raw.x) > 180) | (np.abs(raw.y) > 90))
    if not bad.any():
        return
    bx, by = np.abs(raw.x[bad]), np.abs(raw.y[bad])
    more: Phrase | str = ""
    if max(bx.max(), by.max()) > 1000:
        likely = likely_grid(np.median(raw.x[bad]), np.median(raw.y[bad]))
        more = Phrase(
            " (up to {top:,.0f}): these look like projected coordinates{perhaps}; {fix}",
            {"top": max(bx.max(), by.max()),
             "perhaps": Phrase(", perhaps {grid}", {"grid": Phrase(likely)}) if likely else "",
             "fix": raw.projected_fix})
    elif (bx <= 90).all() and (by <= 180).all():
        more = Phrase(": are lon/lat swapped? If so, {fix}", {"fix": raw.swap_fix})
    problems.append(Phrase(
        "{rows} have coordinates outside longitude -180..180 / latitude -90..90{more}"
        if bad.sum() != 1 else
        "{rows} has coordinates outside longitude -180..180 / latitude -90..90{more}",
        {"rows": _rows_phrase(bad, ids, raw.first_line), "more": more}))


def _finish(
    raw: _Raw, *, datum: str | None, id_col: str | None, name_col: str | None,
    weight_col: str | None, argument: str,
) -> gpd.GeoDataFrame:
    if datum is None and raw.provider is not None:
        provider, seen = raw.provider
        raise InputError(
            "`datum`: {what} looks like {provider} (columns "
            "{columns}), whose coordinates are {datum_name}; pass "
            "`datum='{datum}'` to convert them to WGS84 (or `datum='wgs84'` if "
            "they were converted already).", what=Phrase(raw.what),
            provider=Phrase(provider.name), columns=Joined(seen, sep=", "),
            datum_name=_DATUM_NAMES[provider.datum], datum=provider.datum,
        )
    datum = datum or "wgs84"
    if datum != "wgs84" and not _is_wgs84(raw.crs):
        raise InputError(
            "`datum`={datum!r} applies only to longitude/latitude (EPSG:4326) input, but "
            "{what} is in {crs}. Drop `datum`, or pass the lon/lat "
            "coordinates as the map published them.", datum=datum, what=Phrase(raw.what),
            crs=raw.crs.to_string(),
        )
    problems: list[Phrase] = []
    # ids first: every later message quotes them
    ids = _ids(raw, id_col, argument, problems)
    _coordinate_problems(raw, ids, problems)
    numeric = _numeric_columns(raw, ids, weight_col, argument, problems)
    if problems:
        raise InputError(
            "`{argument}`: {what} has {n} problems: {problems}. Fix or remove those rows."
            if len(problems) > 1 else
            "`{argument}`: {what} has {n} problem: {problems}. Fix or remove those rows.",
            argument=argument, what=Phrase(raw.what), n=len(problems),
            problems=Joined(problems),
        )
    x, y = _to_wgs84(raw, ids, datum, argument)
    out = _with_names(raw, name_col, argument)
    out.insert(0, "id", ids)
    for column, values in numeric.items():
        out[column] = values
    return gpd.GeoDataFrame(out, geometry=gpd.points_from_xy(x, y), crs="EPSG:4326")


def _ids(raw: _Raw, id_col: str | None, argument: str, problems: list[Phrase]
         ) -> NDArray[Any]:
    """The id of every row (``id_col``, else ``id``, else ``osm_id``, else a registry's
    own id column when unique and complete, else the row)."""
    attrs = raw.attrs
    columns = list(attrs.columns)
    rows = np.arange(len(attrs), dtype=np.int64)
    if id_col is None:
        id_col = "id" if "id" in columns else "osm_id" if "osm_id" in columns else None
    if id_col is None:
        own = [c for c in columns if str(c).strip().lower() in _ID_NAMES]
        if own and attrs[own[0]].notna().all() and attrs[own[0]].is_unique:
            return attrs[own[0]].to_numpy()
        return rows
    id_name = _find_column(
        columns, id_col, (), what="id", option="id_col", source=raw.what, argument=argument
    )
    id_values = attrs[id_name]
    if raw.part is not None and (raw.part > 0).any():  # a multi-point's points: id-1, id-2
        text = id_values.astype(str).where(id_values.notna())
        split = pd.Series(raw.part > 0)
        id_values = text.where(~split, text + "-" + pd.Series(raw.part).astype(str))
    ids = id_values.to_numpy()
    no_id = id_values.isna().to_numpy()
    if no_id.any():
        problems.append(Phrase(
            "{rows} have no {column!r}" if no_id.sum() != 1 else "{rows} has no {column!r}",
            {"rows": _rows_phrase(no_id, rows, raw.first_line, by_row=True),
             "column": id_name}))
        ids = np.where(no_id, rows, ids.astype(object))
    dup = (id_values.duplicated(keep=False) & ~id_values.isna()).to_numpy()
    if dup.any():
        problems.append(Phrase(
            "{rows} share their {column!r} with another row; expected unique ids (pass "
            "`id_col=` to use another column)" if dup.sum() != 1 else
            "{rows} shares their {column!r} with another row; expected unique ids (pass "
            "`id_col=` to use another column)",
            {"rows": _rows_phrase(dup, ids, raw.first_line), "column": id_name}))
    return ids


def _numeric_columns(
    raw: _Raw, ids: NDArray[Any], weight_col: str | None, argument: str,
    problems: list[Phrase],
) -> dict[str, NDArray[np.float64]]:
    """``weight`` and ``access_s``, checked to be numbers >= 0, where the source has them."""
    columns = list(raw.attrs.columns)
    numeric: dict[str, NDArray[np.float64]] = {}
    if weight_col is None and "weight" in columns:
        weight_col = "weight"
    if weight_col is not None:
        weight_name = _find_column(
            columns, weight_col, (), what="weight", option="weight_col", source=raw.what,
            argument=argument,
        )
        numeric["weight"] = _non_negative(
            raw.attrs[weight_name], weight_name, ids, raw, problems, meaning="a weight"
        )
    if "access_s" in columns:
        numeric["access_s"] = _non_negative(
            raw.attrs["access_s"], "access_s", ids, raw, problems,
            meaning="seconds to get the AED once at its site",
        )
    return numeric


def _to_wgs84(
    raw: _Raw, ids: NDArray[Any], datum: str, argument: str
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The coordinates in WGS84: from GCJ-02/BD-09, or from the source's CRS."""
    x, y = raw.x, raw.y
    if datum != "wgs84":
        outside = out_of_china(x, y)
        if outside.any():
            warn("`{argument}`: datum='{datum}' but these points lie outside China, where "
                 "{datum} equals WGS84, and are left unchanged (are lon/lat swapped, or is "
                 "the datum wrong?): {rows}.", argument=argument, datum=datum,
                 rows=_rows_phrase(outside, ids, raw.first_line))
        return to_wgs84(x, y, datum)
    if _is_wgs84(raw.crs):
        return x, y
    tx, ty = Transformer.from_crs(raw.crs, _WGS84, always_xy=True).transform(x, y, errcheck=False)
    x, y = np.asarray(tx, dtype=float), np.asarray(ty, dtype=float)
    with np.errstate(invalid="ignore"):
        bad = ~(np.isfinite(x) & np.isfinite(y)) | (np.abs(x) > 180) | (np.abs(y) > 90)
    if bad.any():
        raise CRSError(
            "`{argument}`: {rows} of {what} cannot be "
            "transformed from {crs} to EPSG:4326. Are the coordinates "
            "really in that CRS? Pass the right `crs=`.", argument=argument,
            rows=_rows_phrase(bad, ids, raw.first_line), what=Phrase(raw.what),
            crs=raw.crs.to_string(),
        )
    return x, y


def _with_names(raw: _Raw, name_col: str | None, argument: str) -> pd.DataFrame:
    """The attributes with one ``name`` column (from ``name_col``, ``name`` or one
    ``名称``-like column, ``None`` where missing) and without the columns the reader sets
    itself."""
    attrs = raw.attrs
    columns = list(attrs.columns)
    out = attrs.copy()
    name_source = "name" if "name" in columns else None
    if name_col is not None:
        name_source = _find_column(columns, name_col, (), what="name", option="name_col",
                                   source=raw.what, argument=argument)
        out = out.drop(columns=name_source)
    elif name_source is None:
        named = [c for c in columns if str(c).strip().lower() in _NAME_NAMES]
        if len(named) == 1:
            name_source = named[0]
            out = out.drop(columns=name_source)
    if name_source is not None:
        names = attrs[name_source].astype(object)
        name = names.where(names.notna(), None).to_numpy()
    else:
        name = np.full(len(attrs), None, dtype=object)
    out = out.drop(columns=[c for c in ("id", "name", "weight", "access_s") if c in out])
    out.insert(0, "name", pd.Series(name, index=out.index, dtype=object))
    return out
