"""CRS helpers in one place: the one UTM picker, metric CRSs, clip areas, points of frames."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import shapely
from pyproj import CRS

from ._validate import and_list
from .errors import CRSError, DataError, InputError, Phrase

WGS84 = CRS.from_epsg(4326)


def utm_crs(lon: Any, lat: Any) -> CRS:
    """The UTM zone (WGS 84) of the centre of the lon/lat extent, as geopandas'
    ``estimate_utm_crs`` picks it.

    >>> utm_crs([9.50, 9.55], [47.12, 47.18]).to_epsg()
    32632
    """
    from pyproj.aoi import AreaOfInterest
    from pyproj.database import query_utm_crs_info

    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any():
        raise DataError("no located point to choose a UTM zone from; pass `crs` explicitly.")
    cx = (float(lon[ok].min()) + float(lon[ok].max())) / 2
    cy = (float(lat[ok].min()) + float(lat[ok].max())) / 2
    zone = _zone_inside(cx, cy)
    if zone is not None:  # inside one zone only: the answer of the query below
        return _epsg(zone)
    infos = query_utm_crs_info(  # on a zone's edge or outside every zone
        datum_name="WGS 84", area_of_interest=AreaOfInterest(cx, cy, cx, cy)
    )
    if not infos:
        raise DataError("no UTM zone found for the data's area; pass `crs` explicitly.")
    return _epsg(infos[0].code)


@functools.cache
def _utm_zones() -> tuple[np.ndarray, np.ndarray]:
    """The WGS 84 UTM zones of the PROJ database, read once (a query costs tens of
    milliseconds): their codes and areas of use (west, south, east, north), or no zones
    when an area crosses the antimeridian (then every pick asks the database)."""
    from pyproj.database import query_utm_crs_info

    infos = [i for i in query_utm_crs_info(datum_name="WGS 84") if i.area_of_use is not None]
    codes = np.array([i.code for i in infos], dtype=object)
    box = np.array([i.area_of_use.bounds for i in infos], dtype=float).reshape(-1, 4)
    if (box[:, 0] > box[:, 2]).any():
        return codes[:0], box[:0]
    return codes, box


#: How near (degrees) a zone's edge the database is asked: elsewhere the zones are the
#: standard 6-degree bands, north of the equator to 84 N and south of it to 80 S (PROJ's
#: areas of use round a few edges by 0.01 degrees).
_NEAR_EDGE = 0.05


def _standard_zone(cx: float, cy: float) -> str | None:
    """The code of the zone holding ``(cx, cy)`` by the bands' arithmetic, when the point
    lies well inside one (reading PROJ's zone table costs 50-150 ms a process)."""
    band = (cx + 180.0) / 6.0
    zone = int(np.floor(band)) + 1
    off = 6.0 * min(band - np.floor(band), np.ceil(band) - band)
    if (not 1 <= zone <= 60 or off < _NEAR_EDGE or abs(cy) < _NEAR_EDGE
            or not -80.0 + _NEAR_EDGE < cy < 84.0 - _NEAR_EDGE):
        return None
    return f"{326 if cy > 0 else 327}{zone:02d}"


def _zone_inside(cx: float, cy: float) -> str | None:
    """The code of the one zone whose area of use (edges included, as PROJ tests it)
    holds ``(cx, cy)``; ``None`` on an edge of two zones (PROJ's order then decides) or
    outside every zone."""
    standard = _standard_zone(cx, cy)
    if standard is not None:
        return standard
    codes, box = _utm_zones()
    west, south, east, north = box.T
    inside = (west <= cx) & (cx <= east) & (south <= cy) & (cy <= north)
    return str(codes[inside][0]) if inside.sum() == 1 else None


@functools.cache
def _epsg(code: str) -> CRS:
    return CRS.from_epsg(code)


def surface_points(geoms: Any, crs: Any = WGS84) -> np.ndarray:
    """A point inside each geometry, in ``crs``: points as they are, others by
    ``shapely.point_on_surface`` taken in metres, in the local UTM zone whatever ``crs`` is,
    so a building gives the same point from lon/lat as from any projection. Missing and
    empty geometries stay as they are.

    >>> import shapely
    >>> ring = shapely.Polygon([(9.5, 47.1), (9.502, 47.1), (9.502, 47.101), (9.5, 47.101)])
    >>> p = surface_points([ring, shapely.Point(9.5, 47.1)])
    >>> bool(ring.contains(p[0])), p[1].wkt
    (True, 'POINT (9.5 47.1)')
    """
    from pyproj import Transformer

    out = np.array(geoms, dtype=object).reshape(-1)
    present = ~(shapely.is_missing(out) | shapely.is_empty(out))
    shapes = present & (shapely.get_type_id(out) != shapely.GeometryType.POINT)
    if not shapes.any():
        return out
    if crs is None:  # nowhere to measure: as the coordinates come
        out[shapes] = shapely.point_on_surface(out[shapes])
        return out
    source = CRS.from_user_input(crs)
    lonlat = out[shapes] if source.equals(WGS84) else shapely.transform(
        out[shapes], Transformer.from_crs(source, WGS84, always_xy=True).transform,
        interleaved=False)
    bounds = shapely.bounds(lonlat)
    utm = utm_crs(bounds[:, [0, 2]].ravel(), bounds[:, [1, 3]].ravel())
    there = Transformer.from_crs(WGS84, utm, always_xy=True).transform
    back = Transformer.from_crs(utm, source, always_xy=True).transform
    inside = shapely.point_on_surface(shapely.transform(lonlat, there, interleaved=False))
    out[shapes] = shapely.transform(inside, back, interleaved=False)
    return out


def point_xy(frame: Any, crs: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The coordinates of :func:`point_array`'s points in ``crs``, as arrays ``x`` and
    ``y``, and which rows have no place (a missing or empty geometry: NaN there). The
    coordinates are transformed as arrays, as ``to_crs`` transforms them, without making a
    point object per row (a province's demand has millions)."""
    from pyproj import Transformer

    geom = frame.geometry if hasattr(frame, "geometry") else frame
    points = surface_points(geom.to_numpy(), geom.crs)
    blank = shapely.is_missing(points) | shapely.is_empty(points)
    x, y = np.full(points.shape[0], np.nan), np.full(points.shape[0], np.nan)
    x[~blank], y[~blank] = shapely.get_x(points[~blank]), shapely.get_y(points[~blank])
    if geom.crs is not None and not CRS.from_user_input(geom.crs).equals(
            CRS.from_user_input(crs)):
        x, y = Transformer.from_crs(geom.crs, crs, always_xy=True).transform(x, y)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float), blank


def is_metric(crs: Any) -> bool:
    """True for a projected CRS whose axes are in metres."""
    c = CRS.from_user_input(crs)
    return bool(c.is_projected) and all(
        (axis.unit_name or "").lower() in ("metre", "meter") for axis in c.axis_info
    )


def metric_crs(geometry: Any) -> CRS:
    """A metric CRS for a GeoSeries/GeoDataFrame: its own when projected in metres, else
    the local UTM zone of its extent."""
    if geometry.crs is None:
        raise CRSError("the geometries have no CRS; set one with `.set_crs(...)`.")
    if is_metric(geometry.crs):
        return CRS.from_user_input(geometry.crs)
    lonlat = geometry.to_crs(WGS84) if not CRS.from_user_input(geometry.crs).equals(WGS84) else (
        geometry)
    west, south, east, north = lonlat.total_bounds
    return utm_crs([west, east], [south, north])


def crs_from(crs: Any) -> CRS:
    """``crs`` (anything :class:`pyproj.CRS` reads) as a CRS, or an error naming `crs`."""
    from pyproj.exceptions import CRSError as PyprojCRSError

    try:
        return CRS.from_user_input(crs)
    except PyprojCRSError as exc:
        raise CRSError(
            "`crs`: cannot understand {crs!r} as a coordinate reference system ({detail}). "
            "Pass e.g. 'EPSG:32632' or a pyproj.CRS.", crs=crs, detail=str(exc),
        ) from exc


def projected_crs(crs: Any, lon: Any, lat: Any) -> CRS:
    """``crs`` checked to be projected, or the local UTM zone when it is ``None``."""
    if crs is None:
        return utm_crs(lon, lat)
    out = crs_from(crs)
    if not out.is_projected:
        raise InputError(
            "`crs`: expected a projected CRS in metres, got {crs} (geographic). Leave `crs` "
            "unset to use the local UTM zone.", crs=out.to_string())
    return out


def is_bbox(obj: Any) -> bool:
    """True for four numbers (a bbox west, south, east, north)."""
    if not isinstance(obj, (tuple, list, np.ndarray)) or len(obj) != 4:
        return False
    try:
        np.asarray(obj, dtype=float)
    except (TypeError, ValueError):
        return False
    return True


def check_bbox(bbox: Any, argument: str) -> tuple[float, float, float, float]:
    """``(west, south, east, north)`` in degrees, checked, with a hint on the order."""
    west, south, east, north = (float(v) for v in bbox)
    problems: list[Phrase] = []
    if not (-180 <= west < east <= 180):
        problems.append(Phrase("west < east within [-180, 180] (got west={west}, east={east})",
                               {"west": west, "east": east}))
    if not (-90 <= south < north <= 90):
        problems.append(Phrase(
            "south < north within [-90, 90] (got south={south}, north={north})",
            {"south": south, "north": north}))
    if problems:
        swapped = -90 <= west <= 90 and -180 <= south <= 180 and -90 <= east <= 90
        raise InputError(
            "`{argument}`: expected a bbox (west, south, east, north) in degrees with "
            "{problems}. The order is west, south, east, north (lon, lat, lon, lat): are lon "
            "and lat swapped?" if swapped else
            "`{argument}`: expected a bbox (west, south, east, north) in degrees with "
            "{problems}. The order is west, south, east, north (lon, lat, lon, lat).",
            argument=argument, problems=and_list(problems))
    return west, south, east, north


def clip_polygon(clip: Any, argument: str = "clip") -> shapely.Geometry:
    """A clip area (bbox or shapely polygon in EPSG:4326) as a polygon."""
    if isinstance(clip, (shapely.Polygon, shapely.MultiPolygon)):
        return clip
    if is_bbox(clip):
        return shapely.box(*check_bbox(clip, argument))
    raise InputError(
        "`{argument}`: expected a bbox (west, south, east, north) or a shapely polygon in "
        "EPSG:4326, got {kind}.", argument=argument, kind=type(clip).__name__)


def point_array(frame: Any, crs: Any = WGS84) -> np.ndarray:
    """One point per row of a GeoDataFrame/GeoSeries, in ``crs``: points as they are,
    other geometries by :func:`surface_points`, missing and empty geometries kept."""
    geom = frame.geometry if hasattr(frame, "geometry") else frame
    points = type(geom)(surface_points(geom.to_numpy(), geom.crs), crs=geom.crs,
                        index=geom.index)
    return points.to_crs(crs).to_numpy()
