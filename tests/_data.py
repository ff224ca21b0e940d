"""The real data the tests read: each file by its checksum, found, cut or fetched.

Every file of ``../shared/data`` a test reads is listed in :data:`REGISTRY` with its sha256
and where a clone without ``../shared`` gets it, tried in this order:

1. the clone's own copy: the samples in ``data/`` and the embedded default in
   ``aedplan/data/`` (data/README.md);
2. ``../shared/data`` beside the clone;
3. a copy made earlier in the cache (``AEDPLAN_TEST_DATA_CACHE``, or the user's cache
   folder ``aedplan-test-data``), used only while its checksum holds;
4. the file cut again from a file found above, as it was cut (the network, AED and
   building parts of the Vaduz crops are ``osmium tags-filter`` of the crops in the clone),
   kept only if it comes out byte for byte with its checksum;
5. a public copy, fetched once with pooch and its checksum into the cache.

:func:`data_path` skips a test only when none of these gives the file, and the reason says
what was tried and why each failed.
"""

from __future__ import annotations

import bz2
import functools
import gzip
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"

#: The project's public copies of the files with no stable upstream of the same bytes
#: (Geofabrik does not keep its dated extract of 2024-03-03; the Wuhan network and the
#: Taichung registry in its open-data columns exist only as aedplan's test data).
#: ``AEDPLAN_TEST_DATA_URL`` names a mirror holding the same file names.
RELEASE = os.environ.get("AEDPLAN_TEST_DATA_URL",
                         "https://github.com/aedplan/aedplan/releases/download/test-data/")
#: The Tunghai extract as SUMO's download wizard wrote it (gzipped), at a fixed commit.
TUNGHAI = ("https://raw.githubusercontent.com/Snorlax-sour/"
           "graduted_project_sumo_traffic_improvement/"
           "a1af83bf6e89596ae45019cdf525a90a4f3f661e/osm_bbox.osm.xml.gz")
#: The ``generator`` the split crops were written with (osmium-tool 1.15.0); pyosmium
#: writes the same XML with its own name there.
CUT_BY = "osmium/1.15.0"


@dataclass(frozen=True)
class Entry:
    """One file: its sha256 and where else it comes from."""

    sha256: str
    clone: str | None = None  # the same bytes in the clone, relative to its root
    cut: tuple[str, str] | None = None  # (the file it is cut from, an osmium tags-filter)
    url: str | None = None  # a public copy
    gzip_sha256: str | None = None  # the download's own sha256 when it is gzipped


def _cut_of(crop: str, spec: str, sha256: str) -> Entry:
    return Entry(sha256, cut=(f"osm/{crop}-2024-03-03.osm.pbf", spec))


REGISTRY: dict[str, Entry] = {
    "osm/vaduz-centre-2024-03-03.osm.pbf": Entry(
        "b90905ecefe70c101faaadf325fe805988480ad80596a624c7382e2107412e9c",
        clone="data/vaduz-centre-2024-03-03.osm.pbf"),
    "osm/vaduz-schaan-2024-03-03.osm.pbf": Entry(
        "b93492d7ff6fcb1008f59cf1cf02f7364f78640bdaa3bf2fd9ee61a5ce9cb8e5",
        clone="aedplan/data/vaduz-schaan-2024-03-03.osm.pbf"),
    "osm/vaduz-centre.network.osm.bz2": _cut_of(
        "vaduz-centre", "w/highway",
        "d5e03af8de6b808bee6d1255c82dba5490e8323fa0b7f7ae2dff1cefc6a7b57e"),
    "osm/vaduz-centre.aed.osm.bz2": _cut_of(
        "vaduz-centre", "n/emergency=defibrillator",
        "a591c92d45d18e498b48575b67839aa573f5b45d5ed75cbdca0393534c1b2e2b"),
    "osm/vaduz-centre.buildings.osm.bz2": _cut_of(
        "vaduz-centre", "nwr/building",
        "12276ddd7b8391fac3b25acc100b234b14aa398f5ec43b5f69e1f229aff9491b"),
    "osm/vaduz-schaan.network.osm.bz2": _cut_of(
        "vaduz-schaan", "w/highway",
        "9180c9782981d16d1363f12d2097a9abe28f4d14529b194e2e36027d4b09dbce"),
    "osm/vaduz-schaan.aed.osm.bz2": _cut_of(
        "vaduz-schaan", "n/emergency=defibrillator",
        "1566b10339be7e918a7934756752de36c3c9936e4d53079fa747e2927543df8e"),
    "osm/vaduz-schaan.buildings.osm.bz2": _cut_of(
        "vaduz-schaan", "nwr/building",
        "b6769d607360d6a9bedbbcfc116824ba0032ab862c75f7fb203d3445b48ce04b"),
    "osm/liechtenstein-2024-03-03.osm.pbf": Entry(
        "33a1d9078477f320d101b2f29c2116814ba50be7858ad569a2a20e23ea4af6e8",
        url=RELEASE + "liechtenstein-2024-03-03.osm.pbf"),
    "networks/wuhan-fua-drive.parquet": Entry(
        "aeadb891a146320d617de30b7df552818b200e9372cfeaf50535300b8bd8d244",
        url=RELEASE + "wuhan-fua-drive.parquet"),
    "taiwan/taichung-tunghai-2025-08.osm": Entry(
        "ec7ce01fa619ae884f0450407a7bd66c1766297334cb07177fdcf18ab24d7992",
        url=TUNGHAI,
        gzip_sha256="56ac4cae8ef781ec246fb279ded215a0e8cce702ec691ce498cf0c26e321d0f5"),
    "taiwan/taichung-aed-mohw-2018.csv": Entry(
        "35c6b565a7f16d9a30eff2d71a165f30005c53e0645ce3b319b724baec2b7671",
        url=RELEASE + "taichung-aed-mohw-2018.csv"),
}


def data_path(*parts: str) -> Path:
    """The real file ``parts`` (as under ``../shared/data``), or skip the test saying why."""
    found = locate("/".join(parts))
    if isinstance(found, str):
        pytest.skip(found)
    return found


@functools.cache
def locate(name: str) -> Path | str:
    """:func:`find` once a session: a fetch that failed is not tried again by every test."""
    return find(name, cache_dir())


def cache_dir() -> Path:
    given = os.environ.get("AEDPLAN_TEST_DATA_CACHE")
    if given:
        return Path(given)
    try:
        import pooch
    except ImportError:
        return Path.home() / ".cache" / "aedplan-test-data"
    return Path(pooch.os_cache("aedplan-test-data"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def find(name: str, cache: Path, *, registry: dict[str, Entry] = REGISTRY, root: Path = ROOT,
         shared: Path = SHARED, downloader: Callable | None = None) -> Path | str:
    """The path of ``name``, or why it cannot be had (``downloader``: pooch's, by default)."""
    entry = registry.get(name)
    if entry is None:
        raise KeyError(f"{name}: not in tests/_data.py's REGISTRY; add it with its sha256")
    if entry.clone and (root / entry.clone).is_file():
        return root / entry.clone
    if (shared / name).is_file():
        return shared / name
    kept = cache / name
    if kept.is_file() and sha256(kept) == entry.sha256:
        return kept
    tried = [f"not in the clone, not in {shared}"]
    for way in ("cut", "url"):
        if getattr(entry, way) is None:
            continue
        try:
            if way == "cut":
                source = find(entry.cut[0], cache, registry=registry, root=root, shared=shared,
                              downloader=downloader)
                if isinstance(source, str):
                    raise FileNotFoundError(source)
                made = _cut(source, entry.cut[1], kept)
            else:
                made = _fetch(entry, kept, downloader)
        except Exception as exc:  # whatever stops it, the test is skipped saying so
            tried.append(f"{_what(entry, way)} failed: {type(exc).__name__}: {exc}")
            continue
        if sha256(made) == entry.sha256:
            return made
        made.unlink()
        tried.append(f"{_what(entry, way)} gave other bytes than sha256 {entry.sha256[:12]}…")
    return f"{name}: " + "; ".join(tried)


def _what(entry: Entry, way: str) -> str:
    if way == "cut":
        return f"cutting it from {entry.cut[0]} (osmium tags-filter {entry.cut[1]})"
    return f"fetching {entry.url}"


def _cut(source: Path, spec: str, target: Path) -> Path:
    """``osmium tags-filter SOURCE SPEC -o TARGET`` (a ``.osm.bz2``), in pyosmium."""
    import osmium

    kinds, _, tag = spec.partition("/")
    key, _, value = tag.partition("=")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        xml = Path(tmp) / "cut.osm"
        with osmium.BackReferenceWriter(str(xml), str(source), remove_tags=False) as writer:
            objects = osmium.FileProcessor(str(source)).with_filter(osmium.filter.KeyFilter(key))
            for obj in objects:
                if obj.type_str() in kinds and (not value or obj.tags[key] == value):
                    writer.add(obj)
        text = re.sub(rb'generator="[^"]*"', f'generator="{CUT_BY}"'.encode(), xml.read_bytes(),
                      count=1)
        part = Path(tmp) / target.name
        part.write_bytes(bz2.compress(text, 9))
        os.replace(part, target)
    return target


def _fetch(entry: Entry, target: Path, downloader: Callable | None) -> Path:
    """The public copy, through pooch: downloaded once, checked against its sha256."""
    import pooch

    pooch.get_logger().setLevel("WARNING")
    target.parent.mkdir(parents=True, exist_ok=True)
    downloader = downloader or pooch.HTTPDownloader(timeout=60)
    if entry.gzip_sha256 is None:
        return Path(pooch.retrieve(entry.url, known_hash=f"sha256:{entry.sha256}",
                                   fname=target.name, path=target.parent,
                                   downloader=downloader))
    packed = pooch.retrieve(entry.url, known_hash=f"sha256:{entry.gzip_sha256}",
                            fname=target.name + ".gz", path=target.parent, downloader=downloader)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as out, \
            gzip.open(packed) as unpacked:
        shutil.copyfileobj(unpacked, out)
    os.replace(out.name, target)
    return target
