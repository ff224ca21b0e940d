"""Read OpenStreetMap files (.osm, .osm.bz2, .osm.gz, .osm.pbf) into flat tables.

One reader (libosmium through pyosmium) serves every format, so a network, AEDs or
buildings read from an XML file and from a PBF of the same area are identical by
construction. Filtering by key happens inside libosmium; Python only sees the
objects that pass.

Every table is asked for as a request (:class:`Ways`, :class:`TaggedNodes`,
:class:`Features`) and one pass over a file makes the tables of any number of requests
(:func:`read`). A run says beforehand which tables it will ask of which file
(:func:`expect`); the first read of such a file then makes them all in its one pass and
holds the others until they are asked for, each handed out once. Only the tables of
the latest :func:`expect` are held (a file is known by its path, modification time and
size, so a file changed in between is read again); a request nobody announced is read
on its own and not held.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
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


# --------------------------------------------------------------------------- requests


@dataclass(frozen=True)
class Ways:
    """Every way that carries tag ``key``, with node locations (a :class:`WayTable`;
    nodes missing from the file, where an extract cut a way, have NaN coordinates) and
    the tags ``keep`` (default: every tag), a column for each found."""

    key: str
    keep: tuple[str, ...] | None = None


@dataclass(frozen=True)
class TaggedNodes:
    """Nodes carrying any of the ``(key, value)`` pairs ``tags``: a frame with columns
    ``osm_id``, ``lon``, ``lat`` and one column per tag key found."""

    tags: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Features:
    """Nodes and/or areas carrying tag ``key`` or any pair of ``tags`` (a
    :class:`FeatureTable`, as :func:`read_features` gives it)."""

    key: str | None
    tags: tuple[tuple[str, str], ...]
    nodes: bool
    areas: bool
    keep: tuple[str, ...] | None


Request = Ways | TaggedNodes | Features


# --------------------------------------------------------------------------- one pass


_lock = threading.RLock()
_expected: dict[tuple[str, int, int], set[Request]] = {}  # file -> tables to make
_held: dict[tuple[str, int, int], dict[Request, Any]] = {}  # file -> tables made


def _identity(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path.resolve()), stat.st_mtime_ns, stat.st_size


def expect(reads: Mapping[str | Path, Iterable[Request]]) -> None:
    """Announce the tables that will be asked of each file (``{path: requests}``): the
    first read of a file makes them all in one pass. Drops what an earlier announcement
    left unasked."""
    with _lock:
        _expected.clear()
        _held.clear()
        for path, requests in reads.items():
            p = Path(path)
            if p.is_file():  # a missing file is told by the reader that asks for it
                _expected.setdefault(_identity(p), set()).update(requests)


def forget() -> None:
    """Drop every announcement and every table held."""
    expect({})


def read(path: str | Path, request: Request, *, argument: str = "source") -> Any:
    """The table of ``request`` from the OSM file ``path``: held from an earlier pass,
    else from a pass that also makes the tables announced for the file."""
    p = _check_file(path, argument)
    key = _identity(p)
    with _lock:
        held = _held.get(key, {})
        if request in held:
            table = held.pop(request)
            if not held:
                _held.pop(key, None)
            return table
        others = [r for r in _expected.pop(key, set()) if r != request]
        tables = read_all(p, [request, *others], argument=argument)
        if others:
            _held.setdefault(key, {}).update(zip(others, tables[1:], strict=True))
        return tables[0]


def read_all(path: str | Path, requests: Sequence[Request], *,
             argument: str = "source") -> list[Any]:
    """The tables of ``requests``, in their order, from one pass over ``path`` (none
    held)."""
    p = _check_file(path, argument)
    takers = [_taker(r) for r in requests]
    try:
        _pass(p, takers)
    except RuntimeError as exc:  # libosmium parse errors
        raise _unreadable(p, exc, argument) from exc
    return [t.table() for t in takers]


def _pass(path: Path, takers: list[Any]) -> None:
    """One pass over ``path``, each object handed to the takers of its kind."""
    import osmium

    kinds = {osmium.osm.Node: osmium.osm.NODE, osmium.osm.Way: osmium.osm.WAY,
             osmium.osm.Relation: osmium.osm.RELATION, osmium.osm.Area: osmium.osm.AREA}
    by_kind = {kind: [t.handler(kind) for t in takers if bits & t.bits]
               for kind, bits in kinds.items()}
    for obj in _processor(path, takers):
        tags = obj.tags
        for handle in by_kind[type(obj)]:
            handle(obj, tags)


def _processor(path: Path, takers: list[Any]) -> Any:
    """A FileProcessor that yields what any taker may want: libosmium's filters let
    through, for each kind of object, the union of the takers' tags."""
    import osmium

    o = osmium.osm
    wanted = o.NOTHING
    for t in takers:
        wanted |= t.bits
    need_areas = bool(wanted & o.AREA)
    read = o.NODE
    if need_areas or wanted & o.WAY:
        read |= o.WAY
    if need_areas:
        read |= o.RELATION
    fp = osmium.FileProcessor(str(path), read)
    if read & o.WAY:
        fp = fp.with_locations()
    if need_areas:
        # the relation pass selects multipolygon candidates by tag; the second pass
        # assembles them and every closed way, then the filters below keep ours
        fp = fp.with_areas(_union([t.match for t in takers if t.bits & o.AREA]))
    fp = fp.with_filter(osmium.filter.EntityFilter(wanted))
    for bits in (o.NODE, o.WAY, o.RELATION, o.AREA):
        matches = [t.match for t in takers if t.bits & bits]
        if matches:
            fp = fp.with_filter(_union(matches).enable_for(bits))
    return fp


class _Match:
    """A key (any value) or ``(key, value)`` pairs (any of them), as libosmium's
    KeyFilter and TagFilter match them."""

    def __init__(self, key: str | None, pairs: tuple[tuple[str, str], ...]) -> None:
        self.key = key
        self.pairs = pairs
        values: dict[str, set[str]] = {}
        for k, v in pairs:
            values.setdefault(k, set()).add(v)
        self.values = tuple(values.items())

    def __call__(self, tags: Any) -> bool:
        if self.key is not None:
            return self.key in tags
        for k, values in self.values:
            value = tags.get(k)
            if value is not None and value in values:
                return True
        return False


def _union(matches: list[_Match]) -> Any:
    """One libosmium filter that lets through whatever any of ``matches`` takes: the
    pairs themselves when all are pairs, else every key named."""
    import osmium

    if all(m.key is None for m in matches):
        return osmium.filter.TagFilter(*dict.fromkeys(p for m in matches for p in m.pairs))
    keys = dict.fromkeys(k for m in matches
                         for k in ([m.key] if m.key is not None else [k for k, _ in m.pairs]))
    return osmium.filter.KeyFilter(*keys)


def _taker(request: Request) -> Any:
    if isinstance(request, Ways):
        return _Ways(request.key, request.keep)
    if isinstance(request, TaggedNodes):
        return _Nodes(request.tags)
    return _Features(request)


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


_CUT_SHORT = ("unexpected eof", "bzip2 error", "gzip error", "truncated", "premature end",
              "unexpected end")


def _unreadable(path: Path, exc: Exception, argument: str) -> DataError:
    """libosmium's parse error in plain words: a file cut short, or not OSM data."""
    detail = str(exc).strip()
    if any(word in detail.lower() for word in _CUT_SHORT):
        return DataError(
            "`{argument}`: {name} is cut short: the download or copy did not finish "
            "({detail}). Download it again.",
            argument=argument, name=path.name, detail=detail,
        )
    return DataError(
        "`{argument}`: {name} is not readable OpenStreetMap data: damaged, or another "
        "kind of file with an OSM name ({detail}). Download it again, or check its suffix "
        "(.osm, .osm.bz2, .osm.pbf).",
        argument=argument, name=path.name, detail=detail,
    )


#: libosmium's fixed-point coordinates: degrees times 10^7, valid within these bounds
_PER_DEGREE = 10_000_000
_MAX_X, _MAX_Y = 180 * _PER_DEGREE, 90 * _PER_DEGREE


class _Ways:
    """Collects the ways of :class:`Ways`, their nodes as fixed-point coordinates."""

    def __init__(self, key: str, keep: tuple[str, ...] | None) -> None:
        import osmium

        self.bits = osmium.osm.WAY
        self.match = _Match(key, ())
        self.keep = keep
        self.way_ids: list[int] = []
        self.tags: list[dict[str, str]] = []
        self.lengths: list[int] = []
        self.refs: list[int] = []
        self.x: list[int] = []
        self.y: list[int] = []

    def handler(self, kind: type) -> Callable[[Any, Any], None]:
        return self.offer

    def offer(self, way: Any, tags: Any) -> None:
        if not self.match(tags):
            return
        nodes = list(way.nodes)  # one pass per way over its nodes inside pyosmium
        self.way_ids.append(way.id)
        keep = self.keep
        self.tags.append(dict(tags) if keep is None
                         else {k: tags.get(k) for k in keep if k in tags})
        self.lengths.append(len(nodes))
        self.refs.extend([n.ref for n in nodes])
        locs = [n.location for n in nodes]
        self.x.extend([loc.x for loc in locs])
        self.y.extend([loc.y for loc in locs])

    def table(self) -> WayTable:
        offsets = np.zeros(len(self.lengths) + 1, dtype=np.int64)
        np.cumsum(self.lengths, out=offsets[1:])
        x = np.asarray(self.x, dtype=np.int64)
        y = np.asarray(self.y, dtype=np.int64)
        # nodes missing from a cut extract have no valid location: NaN, and the network
        # splits ways there; degrees as libosmium gives them (the integer over 10^7)
        valid = (np.abs(x) <= _MAX_X) & (np.abs(y) <= _MAX_Y)
        return WayTable(
            way_ids=np.asarray(self.way_ids, dtype=np.int64),
            tags=(pd.DataFrame.from_records(self.tags) if self.tags
                  else pd.DataFrame(index=range(0))),
            offsets=offsets,
            node_ids=np.asarray(self.refs, dtype=np.int64),
            lon=np.where(valid, x / _PER_DEGREE, np.nan),
            lat=np.where(valid, y / _PER_DEGREE, np.nan),
        )


class _Nodes:
    """Collects the located nodes of :class:`TaggedNodes`."""

    def __init__(self, pairs: tuple[tuple[str, str], ...]) -> None:
        import osmium

        self.bits = osmium.osm.NODE
        self.match = _Match(None, pairs)
        self.ids: list[int] = []
        self.lons: list[float] = []
        self.lats: list[float] = []
        self.records: list[dict[str, str]] = []

    def handler(self, kind: type) -> Callable[[Any, Any], None]:
        return self.offer

    def offer(self, node: Any, tags: Any) -> None:
        if not self.match(tags):
            return
        loc = node.location
        if not loc.valid():
            return
        self.ids.append(node.id)
        self.lons.append(loc.lon)
        self.lats.append(loc.lat)
        self.records.append(dict(tags))

    def table(self) -> pd.DataFrame:
        frame = (pd.DataFrame.from_records(self.records) if self.records
                 else pd.DataFrame(index=range(0)))
        frame.insert(0, "osm_id", np.asarray(self.ids, dtype=np.int64))
        frame.insert(1, "lon", np.asarray(self.lons, dtype=float))
        frame.insert(2, "lat", np.asarray(self.lats, dtype=float))
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
    request = features(key=key, tags=tags, nodes=nodes, areas=areas, keep=keep,
                       argument=argument)
    return read(path, request, argument=argument)  # type: ignore[no-any-return]


def features(*, key: str | None = None, tags: Iterable[tuple[str, str]] | None = None,
             nodes: bool = True, areas: bool = True, keep: Iterable[str] | None = None,
             argument: str = "source") -> Features:
    """The request of :func:`read_features`, checked."""
    if (key is None) == (tags is None):
        raise InputError("read_features: pass exactly one of `key` or `tags`.")
    pairs = tuple((k, v) for k, v in tags) if tags is not None else ()
    if tags is not None and not pairs:
        raise InputError("`{argument}`: no (key, value) tag pairs to read.", argument=argument)
    if not (nodes or areas):
        raise InputError("read_features: ask for nodes, areas or both.")
    return Features(key, pairs, bool(nodes), bool(areas),
                    None if keep is None else tuple(keep))


class _Features:
    """Collects the nodes and areas of :class:`Features` (and counts the ways and
    relations that should have given an area)."""

    def __init__(self, request: Features) -> None:
        import osmium

        self.match = _Match(request.key, request.tags)
        self.keys = request.keep
        bits = osmium.osm.NODE if request.nodes else osmium.osm.NOTHING
        if request.areas:
            # ways and relations pass too, only to be counted against the areas made of them
            bits |= osmium.osm.AREA | osmium.osm.WAY | osmium.osm.RELATION
        self.bits = bits
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

    def handler(self, kind: type) -> Callable[[Any, Any], None]:
        import osmium

        return {osmium.osm.Node: self.node, osmium.osm.Way: self.way,
                osmium.osm.Relation: self.relation, osmium.osm.Area: self.area}[kind]

    def way(self, way: Any, tags: Any) -> None:
        self.expected += int(self.match(tags))

    def relation(self, relation: Any, tags: Any) -> None:
        if self.match(tags) and tags.get("type") in ("multipolygon", "boundary"):
            self.expected += 1

    def node(self, node: Any, tags: Any) -> None:
        if not self.match(tags):
            return
        loc = node.location
        if not loc.valid():
            return
        self.node_rows.append(len(self.ids))
        self.node_lon.append(loc.lon)
        self.node_lat.append(loc.lat)
        self.types.append("node")
        self.ids.append(node.id)
        self.record(tags)

    def area(self, area: Any, tags: Any) -> None:
        if not self.match(tags):
            return
        try:
            self.wkb.append(self.factory.create_multipolygon(area))
        except RuntimeError:  # an area whose rings did not close
            return
        self.made += 1
        self.area_rows.append(len(self.ids))
        self.types.append("way" if area.from_way() else "relation")
        self.ids.append(area.orig_id())
        self.record(tags)

    def record(self, tags: Any) -> None:
        keys = self.keys
        self.records.append(dict(tags) if keys is None
                            else {k: tags.get(k) for k in keys if k in tags})

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
