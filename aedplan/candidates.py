"""Candidate AED sites: where a new AED could go.

Every function returns a GeoDataFrame of points with a RangeIndex, in EPSG:4326 (WGS84
lon/lat) as every ``*_from_*`` builder and :func:`aedplan.io.read_points` give it, whether
read from data or taken from a network (:func:`candidates_from_network`), with at least
the columns ``id``, ``kind``, ``name``, ``opening_hours``, ``open_24_7`` and
``geometry``; the later stages take the points into the network's CRS and snap them to
the streets themselves. ``opening_hours`` is kept
as the OSM string (``"24/7"``, ``"Mo-Fr 08:00-18:00"``, ...; ``None`` when unknown)
and ``open_24_7`` flags the sites open round the clock. ``id`` values carry their
source (``"node/123"``, ``"way/45"``, ``"street/678"``) so that candidates of several
sources can be concatenated without clashes.

Sources:

- :func:`candidates_from_pois`: OSM places that host AEDs in practice
  (:data:`~aedplan.poi_presets.DEFAULT_POI_TAGS`, or a preset of
  :mod:`aedplan.poi_presets`), mapped as nodes or as areas;
- :func:`candidates_from_buildings`: any building of some size;
- :func:`candidates_from_network`: street nodes (an outdoor cabinet), thinned to one
  per grid cell;
- :func:`candidates_from_points`: a user's list of sites.

:func:`exclude_existing` drops candidates where an AED already stands.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import _files, _geo, _osm, _validate
from ._buildings import read_buildings
from ._columns import fill_kind, objects
from .errors import DataError, InputError, Joined, Phrase
from .hours import always_open
from .io import read_points
from .network import WalkNetwork
from .poi_presets import DEFAULT_POI_TAGS, KIND_ZH

__all__ = [
    "candidates_from_buildings",
    "candidates_from_features",
    "candidates_from_network",
    "candidates_from_points",
    "candidates_from_pois",
    "exclude_existing",
    "osmnx_tags",
]

_STREET_HOURS = "24/7"  # a street site is an outdoor cabinet, open round the clock
_NAMES_IN = ("name:en", "name:zh")  # names in the map's languages, where OSM has them

#: Tags of a building read besides its name and levels when it is a candidate site.
BUILDING_TAGS = ("opening_hours",)


# --------------------------------------------------------------------------- POIs


def candidates_from_pois(
    source: str | os.PathLike[str],
    *,
    tags: Mapping[tuple[str, str], str] | Iterable[tuple[str, ...]] = DEFAULT_POI_TAGS,
    clip: Any = None,
    dedupe: bool = True,
) -> gpd.GeoDataFrame:
    """Points of interest that could host an AED, from an OSM file.

    POIs are read both as nodes and as areas (closed ways and multipolygons, e.g. a
    pharmacy mapped as its building); an area becomes a point on its surface.

    Parameters
    ----------
    source
        An OSM file (``.osm``, ``.osm.bz2``, ``.osm.pbf``, ...).
    tags
        Which POIs: a mapping ``{(key, value): kind}`` like
        :data:`~aedplan.poi_presets.DEFAULT_POI_TAGS` or a preset
        (:func:`aedplan.poi_presets.poi_preset`), or an iterable of ``(key, value)``
        pairs (the kind is the value) or ``(key, value, kind)`` triples. The first
        matching pair gives a POI its kind. ``kind:zh`` names the kinds of the presets
        in Chinese.
    clip
        Keep only POIs whose point lies inside this bbox ``(west, south, east, north)``
        or shapely polygon, both in EPSG:4326.
    dedupe
        When a POI node lies inside a POI area of the same kind (a pharmacy node inside
        the pharmacy's building), keep the node only: it marks the door or the shop
        more precisely than a point on the area's surface, and several nodes inside
        one area stay distinct. The node takes the area's ``name`` and
        ``opening_hours`` where it has none.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326: ``id`` (``"node/1"``, ``"way/2"``, ``"relation/3"``), ``kind``,
        ``name``, ``opening_hours`` (the OSM string), ``open_24_7``, ``osm_type``,
        ``osm_id``, ``name:en`` and ``name:zh`` (the map shows them in its language) and
        the point ``geometry``.

    Raises
    ------
    InputError
        A bad ``source``, ``tags`` or ``clip``.
    DataError
        No POI with those tags (inside ``clip``).

    Examples
    --------
    >>> import aedplan
    >>> from aedplan.datasets import default_osm_path
    >>> osm = default_osm_path()  # Vaduz and Schaan, installed with aedplan
    >>> sites = aedplan.candidates_from_pois(osm)
    >>> {"pharmacy", "school", "station"} <= set(sites["kind"])
    True
    >>> china = aedplan.candidates_from_pois(osm, tags=aedplan.poi_preset("cn-nhc-2021"))
    >>> "kindergarten" in set(china["kind"]), "幼儿园" in set(china["kind:zh"])
    (True, True)
    """
    triples = _poi_tags(tags)
    if not (isinstance(source, (str, os.PathLike)) and _files.is_osm_file(source)):
        raise InputError(
            "`source`: POIs are read from an OpenStreetMap file ({suffixes}); got {source}. "
            "For your own list of sites use `candidates_from_points`.",
            suffixes=", ".join(_files.SUFFIXES["osm"]),
            source=repr(source) if isinstance(source, (str, os.PathLike)) else Phrase(
                "a {kind}", {"kind": type(source).__name__}))
    feats = _osm.read(Path(source), osm_pois(tags), argument="source")
    kind = _kinds(feats.tags, triples)
    is_node = feats.osm_type == "node"
    points = feats.geometry.copy()
    points[~is_node] = _geo.surface_points(points[~is_node])
    name = objects(feats.tags["name"].to_numpy())
    hours = objects(feats.tags["opening_hours"].to_numpy())
    keep = np.ones(len(feats), dtype=bool)
    if clip is not None:
        keep &= shapely.contains_xy(
            _geo.clip_polygon(clip), shapely.get_x(points), shapely.get_y(points)
        )
    if dedupe and is_node.any() and (~is_node).any():
        node_i = np.flatnonzero(is_node & keep)
        area_i = np.flatnonzero(~is_node & keep)
        tree = shapely.STRtree(feats.geometry[area_i])
        q_node, q_area = tree.query(feats.geometry[node_i], predicate="within")
        n_i, a_i = node_i[q_node], area_i[q_area]
        same = kind[n_i] == kind[a_i]
        n_i, a_i = n_i[same], a_i[same]
        name[n_i] = np.where(pd.isna(name[n_i]), name[a_i], name[n_i])
        hours[n_i] = np.where(pd.isna(hours[n_i]), hours[a_i], hours[n_i])
        keep[a_i] = False
    if not keep.any():
        raise DataError(
            "`source`: {name} has no POIs with the tags {tags}. Use street nodes "
            "(`candidates='nodes'`, `candidates_from_network`) or buildings as candidates "
            "instead." if clip is None else
            "`source`: {name} has no POIs inside `clip` with the tags {tags}. Use street nodes "
            "(`candidates='nodes'`, `candidates_from_network`) or buildings as candidates "
            "instead.", name=Path(source).name, tags=_list_tags(triples))
    osm_type = pd.Series(feats.osm_type[keep], dtype=object)
    osm_id = pd.Series(feats.osm_id[keep], dtype=np.int64)
    out = pd.DataFrame(
        {
            "id": osm_type + "/" + osm_id.astype(str),
            "kind": kind[keep],
            "name": pd.Series(name[keep], dtype=object),
            "opening_hours": pd.Series(hours[keep], dtype=object),
            "open_24_7": always_open(hours[keep]),
            "osm_type": osm_type,
            "osm_id": osm_id,
            **{key: pd.Series(objects(feats.tags[key].to_numpy())[keep], dtype=object)
               for key in _NAMES_IN},
            "kind:zh": _kind_zh(kind[keep]),
        }
    )
    return gpd.GeoDataFrame(out, geometry=points[keep], crs="EPSG:4326")


def osm_pois(tags: Any = DEFAULT_POI_TAGS) -> _osm.Features:
    """What :func:`candidates_from_pois` reads from an OSM file for ``tags``: the nodes
    and areas with any of them, with their names and opening hours."""
    triples = _poi_tags(tags)
    keys = tuple(dict.fromkeys([k for k, _, _ in triples]
                               + ["name", *_NAMES_IN, "opening_hours"]))
    return _osm.features(tags=[(k, v) for k, v, _ in triples], keep=keys, argument="tags")


def _poi_tags(tags: Any) -> list[tuple[str, str, str]]:
    """``tags`` as ``(key, value, kind)`` triples, checked."""
    if isinstance(tags, Mapping):
        items = [(*pair, label) for pair, label in tags.items()]
    elif isinstance(tags, Iterable) and not isinstance(tags, (str, bytes)):
        items = [tuple(t) if isinstance(t, (tuple, list)) else (t,) for t in tags]
    else:
        items = [(tags,)]
    triples: list[tuple[str, str, str]] = []
    bad: list[str] = []
    for item in items:  # a handful of tags, not data rows
        if len(item) == 2:
            item = (*item, item[1])
        if len(item) == 3 and all(isinstance(s, str) and s for s in item):
            triples.append((item[0], item[1], item[2]))
        else:
            bad.append(repr(item))
    if bad or not triples:
        raise InputError(
            "`tags`: expected {{(key, value): kind}} or (key, value) pairs of non-empty "
            "strings, e.g. {{('amenity', 'pharmacy'): 'pharmacy'}}; {got}.",
            got=Phrase("got {items}", {"items": Joined(bad[:3], sep=", ")}) if bad
            else Phrase("got nothing"))
    return triples


def _kinds(tags: pd.DataFrame, triples: list[tuple[str, str, str]]) -> np.ndarray:
    """The ``kind`` of each row of a tag table (``None`` where no tag matches)."""
    kind = np.full(len(tags), None, dtype=object)
    for key, value, label in reversed(triples):  # a loop over tags, not rows: first wins
        if key in tags.columns:
            kind[(tags[key] == value).to_numpy(dtype=bool, na_value=False)] = label
    return kind


def candidates_from_features(
    features: gpd.GeoDataFrame,
    *,
    tags: Mapping[tuple[str, str], str] | Iterable[tuple[str, ...]] = DEFAULT_POI_TAGS,
) -> gpd.GeoDataFrame:
    """Points of interest that could host an AED, from a GeoDataFrame of OSM features
    with one column per tag, such as osmnx's ``features_from_place`` returns.

    Parameters
    ----------
    features
        OSM features in any CRS; areas become a point on their surface. osmnx's
        ``(element, id)`` index gives the ``id``.
    tags
        As for :func:`candidates_from_pois`.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326: ``id``, ``kind``, ``name``, ``opening_hours``, ``open_24_7`` and the
        point ``geometry``; only features matching ``tags``.

    Examples
    --------
    >>> import aedplan, geopandas as gpd
    >>> from shapely import Point
    >>> features = gpd.GeoDataFrame({"amenity": ["pharmacy", "bench"], "name": ["Apotheke", None]},
    ...                             geometry=[Point(9.52, 47.14), Point(9.53, 47.14)], crs=4326)
    >>> aedplan.candidates_from_features(features)[["kind", "name"]]
           kind      name
    0  pharmacy  Apotheke
    """
    triples = _poi_tags(tags)
    _validate.has_crs(features, "features")
    f = features.to_crs("EPSG:4326").reset_index()
    kind = _kinds(f, triples)
    keep = pd.notna(kind)
    if not keep.any():
        raise DataError(
            "`features`: none has the tags {tags}. Use street nodes (`candidates='nodes'`) or "
            "buildings as candidates instead.", tags=_list_tags(triples))
    f = f.loc[keep].reset_index(drop=True)
    geom = f.geometry.to_numpy()
    geom = _geo.surface_points(geom, f.crs)
    if {"element", "id"} <= set(f.columns):
        ids = f["element"].astype(str) + "/" + f["id"].astype(str)
    else:
        ids = pd.Series(np.arange(len(f)).astype(str))
    name = objects(f["name"].to_numpy()) if "name" in f else np.full(len(f), None, object)
    hours = (
        objects(f["opening_hours"].to_numpy()) if "opening_hours" in f
        else np.full(len(f), None, object)
    )
    out = pd.DataFrame(
        {
            "id": ids.to_numpy(),
            "kind": kind[keep],
            "name": pd.Series(name, dtype=object),
            "opening_hours": pd.Series(hours, dtype=object),
            "open_24_7": always_open(hours),
            "kind:zh": _kind_zh(kind[keep]),
        }
    )
    return gpd.GeoDataFrame(out, geometry=geom, crs="EPSG:4326")


def _kind_zh(kinds: np.ndarray) -> pd.Series:
    """The Chinese name of each kind of place (:data:`~aedplan.poi_presets.KIND_ZH`),
    ``None`` for kinds of one's own."""
    return pd.Series(objects(pd.Series(kinds, dtype=object).map(KIND_ZH)), dtype=object)


def osmnx_tags(
    tags: Mapping[tuple[str, str], str] | Iterable[tuple[str, ...]] = DEFAULT_POI_TAGS,
) -> dict[str, list[str]]:
    """The ``tags`` argument osmnx's ``features_from_*`` takes for these POI tags."""
    out: dict[str, list[str]] = {}
    for key, value, _ in _poi_tags(tags):  # a handful of tags, not data rows
        out.setdefault(key, []).append(value)
    return out


def _list_tags(triples: list[tuple[str, str, str]]) -> Joined | Phrase:
    shown = Joined([f"{k}={v}" for k, v, _ in triples[:6]], sep=", ")
    if len(triples) > 6:
        return Phrase("{tags} and {n} more", {"tags": shown, "n": len(triples) - 6})
    return shown


# --------------------------------------------------------------------------- buildings


def candidates_from_buildings(
    source: str | os.PathLike[str] | gpd.GeoDataFrame,
    *,
    min_area_m2: float = 50.0,
    clip: Any = None,
) -> gpd.GeoDataFrame:
    """Buildings as candidate sites, one point inside each footprint.

    Parameters
    ----------
    source
        As in :func:`aedplan.demand.demand_from_buildings`: an OSM file, a vector file
        or a GeoDataFrame of footprints.
    min_area_m2
        Smallest footprint kept, in m²: the default 50 m² leaves out garages, sheds and
        kiosks.
    clip
        A bbox ``(west, south, east, north)`` or shapely polygon in EPSG:4326.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326: ``id``, ``kind`` (``"building"``), ``name``, ``opening_hours``,
        ``open_24_7``, ``building``, ``area_m2`` (plus ``osm_type``, ``osm_id`` for OSM
        input) and the point ``geometry``.

    Examples
    --------
    >>> import aedplan
    >>> from aedplan.datasets import default_osm_path
    >>> osm = default_osm_path()  # Vaduz and Schaan, installed with aedplan
    >>> sites = aedplan.candidates_from_buildings(osm, min_area_m2=1000)
    >>> bool((sites["area_m2"] >= 1000).all()), sites.crs.to_epsg()
    (True, 4326)
    """
    min_area = _validate.positive(min_area_m2, "min_area_m2", allow_zero=True)
    b = read_buildings(
        source,
        clip=clip,
        argument="source",
        extra_tags=BUILDING_TAGS,
        fix=Phrase("Use street nodes as candidates instead (`candidates='nodes'`, "
                   "`candidates_from_network(net)`)."),
    )
    big = b["area_m2"].to_numpy() >= min_area
    if not big.any():
        raise DataError(
            "`min_area_m2`: none of the {n:,} buildings has a footprint of {min_area:g} m² or "
            "more (the largest has {largest:,.0f} m²). Lower `min_area_m2`.",
            n=len(b), min_area=min_area, largest=b["area_m2"].max())
    b = b[big].reset_index(drop=True)
    hours = b.pop("opening_hours").to_numpy(dtype=object)
    rest = [c for c in ("building", "area_m2", "osm_type", "osm_id") if c in b.columns]
    out = pd.DataFrame(
        {
            "id": b["id"],
            "kind": "building",
            "name": pd.Series(b["name"].to_numpy(dtype=object), dtype=object),
            "opening_hours": pd.Series(hours, dtype=object),
            "open_24_7": always_open(hours),
            **{c: b[c] for c in rest},
        }
    )
    return gpd.GeoDataFrame(out, geometry=b.geometry.to_numpy(), crs="EPSG:4326")


# --------------------------------------------------------------------------- network


def candidates_from_network(
    net: WalkNetwork, *, spacing_m: float | None = 100.0
) -> gpd.GeoDataFrame:
    """Street nodes as candidate sites for an outdoor AED cabinet.

    Parameters
    ----------
    net
        The walk network.
    spacing_m
        Thin the nodes to at most one per ``spacing_m`` x ``spacing_m`` square of a grid
        in ``net.crs``: the node nearest the square's centre. ``None`` or 0 keeps every
        node.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326 (WGS84 lon/lat), as every ``*_from_*`` builder, so that it
        concatenates with the candidates of other sources; in node order: ``id``
        (``"street/<node id>"``), ``kind`` (``"street"``), ``name`` (``None``), ``opening_hours``
        (``"24/7"``: an outdoor cabinet), ``open_24_7``, ``node`` (node index in ``net``),
        ``osmid`` (the node id) and the point ``geometry``.

    Examples
    --------
    >>> import aedplan, geopandas as gpd
    >>> street = aedplan.network_from_arrays([0, 100, 200, 300, 400], [0, 0, 0, 0, 0],
    ...                                      [0, 1, 2, 3], [1, 2, 3, 4], crs="EPSG:32632")
    >>> def points(xs, ys=None):  # points in the street's CRS (metres)
    ...     return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys or [0] * len(xs)),
    ...                             crs="EPSG:32632")
    >>> aedplan.candidates_from_network(street, spacing_m=None)["id"].tolist()
    ['street/0', 'street/1', 'street/2', 'street/3', 'street/4']
    """
    if not isinstance(net, WalkNetwork):
        raise InputError(
            "`net`: expected a WalkNetwork (from `aedplan.network.load_network`), got {kind}.",
            kind=type(net).__name__)
    node = np.arange(net.n_nodes)
    if spacing_m is not None and spacing_m != 0:
        spacing = _validate.positive(spacing_m, "spacing_m")
        gx = np.floor(net.x / spacing)
        gy = np.floor(net.y / spacing)
        off = np.hypot(net.x - (gx + 0.5) * spacing, net.y - (gy + 0.5) * spacing)
        order = np.lexsort((node, off, gy, gx))
        first = np.ones(order.shape[0], dtype=bool)
        first[1:] = (gx[order][1:] != gx[order][:-1]) | (gy[order][1:] != gy[order][:-1])
        node = np.sort(order[first])
    ids = pd.Series(net.node_ids[node], dtype=np.int64)
    n = node.shape[0]
    out = pd.DataFrame(
        {
            "id": "street/" + ids.astype(str),
            "kind": "street",
            "name": pd.Series([None] * n, dtype=object),
            "opening_hours": _STREET_HOURS,
            "open_24_7": np.ones(n, dtype=bool),
            "node": node.astype(np.int64),
            "osmid": ids,
        }
    )
    return gpd.GeoDataFrame(out, geometry=shapely.points(net.x[node], net.y[node]),
                            crs=net.crs).to_crs(4326)


# --------------------------------------------------------------------------- user points


def candidates_from_points(
    source: str | os.PathLike[str] | pd.DataFrame,
    *,
    kind: str = "user",
    datum: str | None = None,
    crs: Any = None,
    lon_col: str | None = None,
    lat_col: str | None = None,
    id_col: str | None = None,
    name_col: str | None = None,
    layer: str | int | None = None,
    encoding: str | None = None,
) -> gpd.GeoDataFrame:
    """Candidate sites from a user's file or table, through :func:`aedplan.io.read_points`.

    Parameters
    ----------
    source
        CSV lon/lat, GeoJSON, GeoPackage, Shapefile or a (Geo)DataFrame.
    kind
        Label in the ``kind`` column where the source has no ``kind`` value.
    datum, crs, lon_col, lat_col, id_col, name_col, layer, encoding
        As in :func:`aedplan.io.read_points`.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326: ``id``, ``kind``, ``name``, ``opening_hours`` (the source's
        column, else ``None``), ``open_24_7`` and the source's other columns.

    Examples
    --------
    >>> import aedplan, pandas as pd
    >>> table = pd.DataFrame({"name": ["Library"], "lon": [9.5209], "lat": [47.1410],
    ...                       "opening_hours": ["Mo-Sa 09:00-18:00"]})
    >>> aedplan.candidates_from_points(table)[["kind", "name", "open_24_7"]]
       kind     name  open_24_7
    0  user  Library      False
    """
    if isinstance(source, (str, os.PathLike)) and _files.is_osm_file(source):
        raise InputError(
            "`source`: {name} is an OpenStreetMap file; read its places with "
            "`candidates_from_pois` (`candidates='pois'`).", name=Path(source).name)
    pts = read_points(
        source,
        datum=datum,
        crs=crs,
        lon_col=lon_col,
        lat_col=lat_col,
        id_col=id_col,
        name_col=name_col,
        encoding=encoding,
        layer=layer,
    )
    kinds = fill_kind(pts.pop("kind") if "kind" in pts else None, kind, len(pts))
    hours = (
        objects(pts.pop("opening_hours").to_numpy())
        if "opening_hours" in pts
        else np.full(len(pts), None, dtype=object)
    )
    pts.insert(1, "kind", kinds)
    pts.insert(3, "opening_hours", pd.Series(hours, index=pts.index, dtype=object))
    pts.insert(4, "open_24_7", always_open(hours))
    return pts


# --------------------------------------------------------------------------- existing AEDs


def exclude_existing(
    candidates: gpd.GeoDataFrame, aeds: gpd.GeoDataFrame, *, within_m: float = 5.0
) -> gpd.GeoDataFrame:
    """Drop candidates that stand at an existing AED.

    Existing AEDs are fixed: a site within ``within_m`` of one is not proposed again.

    Parameters
    ----------
    candidates, aeds
        GeoDataFrames in any CRS (each must carry one); non-point geometries count by
        a representative point.
    within_m
        Distance in metres (straight line, in the local UTM zone) at which a
        candidate counts as the same site as an AED.

    Returns
    -------
    geopandas.GeoDataFrame
        The remaining candidates, in their own CRS, with a new RangeIndex.

    Examples
    --------
    >>> import aedplan, geopandas as gpd
    >>> street = aedplan.network_from_arrays([0, 100, 200, 300, 400], [0, 0, 0, 0, 0],
    ...                                      [0, 1, 2, 3], [1, 2, 3, 4], crs="EPSG:32632")
    >>> def points(xs, ys=None):  # points in the street's CRS (metres)
    ...     return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys or [0] * len(xs)),
    ...                             crs="EPSG:32632")
    >>> sites = aedplan.candidates_from_network(street, spacing_m=None)
    >>> aedplan.exclude_existing(sites, points([0]))["id"].tolist()  # an AED stands at 0 m
    ['street/1', 'street/2', 'street/3', 'street/4']
    """
    within = _validate.positive(within_m, "within_m", allow_zero=True)
    for frame, name in ((candidates, "candidates"), (aeds, "aeds")):
        if not isinstance(frame, gpd.GeoDataFrame):
            raise InputError("`{name}`: expected a GeoDataFrame, got {kind}.", name=name,
                             kind=type(frame).__name__)
        _validate.has_crs(frame, name)
    if len(candidates) == 0 or len(aeds) == 0:
        return candidates.reset_index(drop=True)
    cand = _geo.point_array(candidates)
    aed = _geo.point_array(aeds)
    both = np.r_[cand, aed]
    both = both[~(shapely.is_missing(both) | shapely.is_empty(both))]
    utm = _geo.utm_crs(shapely.get_x(both), shapely.get_y(both))
    cand_xy = gpd.GeoSeries(cand, crs=4326).to_crs(utm).to_numpy()
    aed_xy = gpd.GeoSeries(aed, crs=4326).to_crs(utm).to_numpy()
    ok = ~(shapely.is_missing(aed_xy) | shapely.is_empty(aed_xy))
    tree = shapely.STRtree(aed_xy[ok])
    hit, _ = tree.query(cand_xy, predicate="dwithin", distance=within)
    keep = np.ones(len(candidates), dtype=bool)
    keep[hit] = False
    return candidates[keep].reset_index(drop=True)
