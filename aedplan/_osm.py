"""Read OpenStreetMap files (.osm, .osm.bz2, .osm.gz, .osm.pbf) into flat tables.

One reader (libosmium through pyosmium) serves every format, so a network, AEDs or
buildings read from an XML file and from a PBF of the same area are identical by
construction. Filtering by key happens inside libosmium; Python only sees the
objects that pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._files import require_kind
from .errors import DataError, InputError


def _check_file(path: str | Path, argument: str) -> Path:
    p, _ = require_kind(path, argument, ("osm",))
    return p


@dataclass(frozen=True)
class WayTable:
    """Ways with their node sequences, flattened.

    ``offsets[i]:offsets[i+1]`` indexes the nodes of way ``i`` in ``node_ids``,
    ``lon`` and ``lat``.
    """

    way_ids: np.ndarray
    tags: pd.DataFrame
    offsets: np.ndarray
    node_ids: np.ndarray
    lon: np.ndarray
    lat: np.ndarray


def _processor(path: Path, *, with_locations: bool):
    import osmium

    entities = osmium.osm.NODE | osmium.osm.WAY
    fp = osmium.FileProcessor(str(path), entities)
    if with_locations:
        fp = fp.with_locations()
    return fp


_CUT_SHORT = ("unexpected eof", "bzip2 error", "gzip error", "truncated", "premature end",
              "unexpected end")


def _unreadable(path: Path, exc: Exception, argument: str) -> DataError:
    """libosmium's parse error in plain words: a file cut short, or not OSM data."""
    detail = str(exc).strip()
    if any(word in detail.lower() for word in _CUT_SHORT):
        return DataError(
            f"`{argument}`: {path.name} is cut short: the download or copy did not finish "
            f"({detail}). Download it again."
        )
    return DataError(
        f"`{argument}`: {path.name} is not readable OpenStreetMap data: damaged, or another "
        f"kind of file with an OSM name ({detail}). Download it again, or check its suffix "
        "(.osm, .osm.bz2, .osm.pbf)."
    )


def read_ways(path: str | Path, key: str, *, argument: str = "source") -> WayTable:
    """Read every way that carries tag ``key``, with node locations.

    Nodes missing from the file (ways cut at the edge of an extract) have NaN
    coordinates."""
    import osmium

    p = _check_file(path, argument)
    fp = (
        _processor(p, with_locations=True)
        .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
        .with_filter(osmium.filter.KeyFilter(key))
    )
    way_ids: list[int] = []
    tags: list[dict[str, str]] = []
    lengths: list[int] = []
    refs: list[int] = []
    lons: list[float] = []
    lats: list[float] = []
    try:
        for way in fp:
            nodes = way.nodes
            way_ids.append(way.id)
            tags.append(dict(way.tags))
            lengths.append(len(nodes))
            # one pass per way over its nodes inside pyosmium; no per-node work after this
            # nodes missing from a cut extract get NaN; the network splits ways there
            locs = [n.location for n in nodes]
            refs.extend([n.ref for n in nodes])
            lons.extend([loc.lon if loc.valid() else np.nan for loc in locs])
            lats.extend([loc.lat if loc.valid() else np.nan for loc in locs])
    except RuntimeError as exc:  # libosmium parse errors
        raise _unreadable(p, exc, argument) from exc
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return WayTable(
        way_ids=np.asarray(way_ids, dtype=np.int64),
        tags=pd.DataFrame.from_records(tags) if tags else pd.DataFrame(index=range(0)),
        offsets=offsets,
        node_ids=np.asarray(refs, dtype=np.int64),
        lon=np.asarray(lons, dtype=float),
        lat=np.asarray(lats, dtype=float),
    )


def read_tagged_nodes(
    path: str | Path, tags: Iterable[tuple[str, str]], *, argument: str = "source"
) -> pd.DataFrame:
    """Nodes carrying any of the ``(key, value)`` pairs: columns ``osm_id``, ``lon``,
    ``lat`` and one column per tag key found."""
    import osmium

    p = _check_file(path, argument)
    fp = (
        osmium.FileProcessor(str(p), osmium.osm.NODE)
        .with_filter(osmium.filter.TagFilter(*tags))
    )
    ids: list[int] = []
    lons: list[float] = []
    lats: list[float] = []
    records: list[dict[str, str]] = []
    try:
        for node in fp:
            loc = node.location  # type: ignore[union-attr]  # NODE entities only
            if not loc.valid():
                continue
            ids.append(node.id)
            lons.append(loc.lon)
            lats.append(loc.lat)
            records.append(dict(node.tags))
    except RuntimeError as exc:
        raise _unreadable(p, exc, argument) from exc
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame(index=range(0))
    frame.insert(0, "osm_id", np.asarray(ids, dtype=np.int64))
    frame.insert(1, "lon", np.asarray(lons, dtype=float))
    frame.insert(2, "lat", np.asarray(lats, dtype=float))
    return frame


@dataclass(frozen=True)
class FeatureTable:
    """OSM features with their geometries, one row per node or area.

    ``osm_type`` is ``"node"``, ``"way"`` (a closed way read as an area) or
    ``"relation"`` (a multipolygon); ``geometry`` holds shapely points (nodes) and
    (multi)polygons (areas) in EPSG:4326; ``tags`` has one column per tag key kept.
    ``skipped`` counts the matching ways and multipolygon relations that gave no
    area: ways that are not closed, ways or relations with nodes missing from a cut
    extract, broken multipolygons. They are left out.
    """

    osm_type: np.ndarray
    osm_id: np.ndarray
    tags: pd.DataFrame
    geometry: np.ndarray
    skipped: int = 0

    def __len__(self) -> int:
        return int(self.osm_id.shape[0])


def read_features(
    path: str | Path,
    *,
    key: str | None = None,
    tags: Iterable[tuple[str, str]] | None = None,
    nodes: bool = True,
    areas: bool = True,
    keep: Iterable[str] | None = None,
    argument: str = "source",
) -> FeatureTable:
    """Read the nodes and/or areas that carry tag ``key`` or any ``(key, value)`` of ``tags``.

    Areas are assembled by libosmium (pyosmium's ``FileProcessor.with_areas``) from
    closed ways and from ``type=multipolygon`` relations, so a building mapped as a
    relation with holes arrives as one polygon with holes. Matching ways and
    multipolygon relations that give no area (not closed, nodes missing from a cut
    extract, broken rings) are not returned; :attr:`FeatureTable.skipped` counts them.

    Parameters
    ----------
    path
        An OSM file (``.osm``, ``.osm.bz2``, ``.osm.gz``, ``.osm.pbf``).
    key, tags
        Exactly one: a tag key (any value), or ``(key, value)`` pairs (any of them).
    nodes, areas
        Which kinds of objects to return.
    keep
        Tag keys to keep as columns (default: every key found).
    argument
        Name of the argument ``path`` came from, for messages.
    """
    if (key is None) == (tags is None):
        raise InputError("read_features: pass exactly one of `key` or `tags`.")
    p = _check_file(path, argument)
    pairs = tuple(tags) if tags is not None else ()
    if tags is not None and not pairs:
        raise InputError(f"`{argument}`: no (key, value) tag pairs to read.")
    if not (nodes or areas):
        raise InputError("read_features: ask for nodes, areas or both.")
    found = _Features(None if keep is None else tuple(keep))
    try:
        for obj in _feature_processor(p, key, pairs, nodes=nodes, areas=areas):
            found.add(obj)
    except RuntimeError as exc:  # libosmium parse errors
        raise _unreadable(p, exc, argument) from exc
    return found.table()


def _feature_processor(
    path: Path, key: str | None, pairs: tuple[tuple[str, str], ...], *, nodes: bool, areas: bool
) -> Any:
    """A pyosmium FileProcessor that yields the matching nodes and areas (and, to count
    against them, the matching ways and relations)."""
    import osmium

    def wanted() -> Any:  # a fresh filter for each chain
        return osmium.filter.KeyFilter(key) if key is not None else osmium.filter.TagFilter(*pairs)

    entities = osmium.osm.NOTHING
    if nodes:
        entities |= osmium.osm.NODE
    if areas:
        # ways and relations pass too, only to be counted against the areas made of them
        entities |= osmium.osm.AREA | osmium.osm.WAY | osmium.osm.RELATION
    read = osmium.osm.NODE | osmium.osm.WAY | osmium.osm.RELATION if areas else osmium.osm.NODE
    fp = osmium.FileProcessor(str(path), read)
    if areas:
        # the relation pass selects multipolygon candidates by tag; the second pass
        # assembles them and every closed way, then the filters below keep ours
        fp = fp.with_areas(wanted())
    return fp.with_filter(osmium.filter.EntityFilter(entities)).with_filter(wanted())


class _Features:
    """Collects the features pyosmium yields, one at a time (the reader's own loop)."""

    def __init__(self, keys: tuple[str, ...] | None) -> None:
        import osmium

        self.keys = keys
        self.factory = osmium.geom.WKBFactory()
        self.types: list[str] = []
        self.ids: list[int] = []
        self.records: list[dict[str, Any]] = []
        self.node_lon: list[float] = []
        self.node_lat: list[float] = []
        self.node_rows: list[int] = []
        self.wkb: list[str] = []
        self.area_rows: list[int] = []
        self.expected = 0  # matching ways and multipolygon relations, each should give an area
        self.made = 0

    def add(self, obj: Any) -> None:
        if obj.is_way() or obj.is_relation():
            self.expected += int(
                obj.is_way() or obj.tags.get("type") in ("multipolygon", "boundary")
            )
            return
        if obj.is_node():
            if not obj.location.valid():
                return
            self.node_rows.append(len(self.ids))
            self.node_lon.append(obj.location.lon)
            self.node_lat.append(obj.location.lat)
            self.types.append("node")
            self.ids.append(obj.id)
        else:
            try:
                self.wkb.append(self.factory.create_multipolygon(obj))
            except RuntimeError:  # an area whose rings did not close
                return
            self.made += 1
            self.area_rows.append(len(self.ids))
            self.types.append("way" if obj.from_way() else "relation")
            self.ids.append(obj.orig_id())
        t = obj.tags
        keys = self.keys
        self.records.append(dict(t) if keys is None else {k: t.get(k) for k in keys if k in t})

    def table(self) -> FeatureTable:
        import shapely

        geometry = np.empty(len(self.ids), dtype=object)
        if self.node_rows:
            geometry[np.asarray(self.node_rows)] = shapely.points(
                np.asarray(self.node_lon, dtype=float), np.asarray(self.node_lat, dtype=float)
            )
        if self.area_rows:
            geometry[np.asarray(self.area_rows)] = shapely.from_wkb(
                np.asarray(self.wkb, dtype=object))
        frame = (pd.DataFrame.from_records(self.records) if self.records
                 else pd.DataFrame(index=range(0)))
        if self.keys is not None:
            frame = frame.reindex(columns=list(self.keys))
        return FeatureTable(
            osm_type=np.asarray(self.types, dtype=object),
            osm_id=np.asarray(self.ids, dtype=np.int64),
            tags=frame,
            geometry=geometry,
            skipped=max(self.expected - self.made, 0),
        )
