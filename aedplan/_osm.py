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

import numpy as np
import pandas as pd

from .errors import DataError, InputError

OSM_SUFFIXES = (".osm", ".osm.bz2", ".osm.gz", ".osm.pbf", ".pbf", ".xml", ".osm.xml")


def is_osm_file(path: str | Path) -> bool:
    """True when ``path`` has a suffix of an OSM file that aedplan can read."""
    name = str(path).lower()
    return name.endswith(OSM_SUFFIXES)


def _check_file(path: str | Path, argument: str) -> Path:
    p = Path(path)
    if not p.exists():
        raise InputError(f"`{argument}`: file not found: {p}. Check the path.")
    if not is_osm_file(p):
        raise InputError(
            f"`{argument}`: {p.name} is not an OSM file; expected one of "
            f"{', '.join(OSM_SUFFIXES)}."
        )
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
        raise DataError(f"`{argument}`: cannot read {p.name} as OSM data: {exc}") from exc
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
            if not node.location.valid():
                continue
            ids.append(node.id)
            lons.append(node.location.lon)
            lats.append(node.location.lat)
            records.append(dict(node.tags))
    except RuntimeError as exc:
        raise DataError(f"`{argument}`: cannot read {p.name} as OSM data: {exc}") from exc
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame(index=range(0))
    frame.insert(0, "osm_id", np.asarray(ids, dtype=np.int64))
    frame.insert(1, "lon", np.asarray(lons, dtype=float))
    frame.insert(2, "lat", np.asarray(lats, dtype=float))
    return frame
