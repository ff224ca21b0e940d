"""The tests' own data registry (tests/_data.py): every file found, cut or fetched by its
checksum, and a skip that says why. Nothing here touches the network: the fetches read
MADE-UP files from ``file://`` URLs in a temporary folder, through pooch."""

from __future__ import annotations

import gzip
import hashlib
import shutil
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import pytest

from . import _data
from ._data import REGISTRY, ROOT, Entry, find

pytest.importorskip("pooch")

TEXT = b"name,lon,lat\nAED 1,9.52,47.14\n"  # made up
SHA = hashlib.sha256(TEXT).hexdigest()


class FromFile:
    """A pooch downloader for ``file://`` URLs that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, url: str, output_file, pooch_obj, check_only: bool = False) -> None:
        self.calls += 1
        shutil.copyfile(url2pathname(urlparse(url).path), output_file)


def offered(tmp_path: Path, data: bytes, name: str = "aeds.csv") -> str:
    """``data`` as a file behind a ``file://`` URL."""
    (tmp_path / "server").mkdir(exist_ok=True)
    path = tmp_path / "server" / name
    path.write_bytes(data)
    return path.as_uri()


def where(tmp_path: Path) -> dict:
    """An empty clone, no ../shared and an empty cache, all in ``tmp_path``."""
    return {"root": tmp_path / "clone", "shared": tmp_path / "shared",
            "cache": tmp_path / "cache"}


def test_the_files_the_clone_ships_are_the_registered_ones():
    shipped = {name: e for name, e in REGISTRY.items() if e.clone}
    assert len(shipped) == 2
    for entry in shipped.values():
        assert _data.sha256(ROOT / entry.clone) == entry.sha256


def test_every_registered_file_has_a_way_into_a_clone():
    for name, entry in REGISTRY.items():
        assert len(entry.sha256) == 64, name
        assert entry.clone or entry.cut or entry.url, name
        if entry.cut:
            assert REGISTRY[entry.cut[0]].clone, name  # cut from a file the clone has


@pytest.mark.parametrize("name", [n for n, e in REGISTRY.items() if e.cut])
def test_a_split_crop_is_cut_again_byte_for_byte(tmp_path, name):
    """The network, AED and building parts of the Vaduz crops, cut from the crops the clone
    ships as ``osmium tags-filter`` cut them: the same sha256."""
    got = find(name, tmp_path / "cache", shared=tmp_path / "shared")
    assert got == tmp_path / "cache" / name
    assert _data.sha256(got) == REGISTRY[name].sha256
    assert [p.name for p in (tmp_path / "cache" / "osm").iterdir()] == [got.name]  # no leftovers


def test_a_file_is_fetched_once_with_its_checksum(tmp_path):
    registry = {"x/aeds.csv": Entry(SHA, url=offered(tmp_path, TEXT))}
    fetch = FromFile()
    got = find("x/aeds.csv", **where(tmp_path), registry=registry, downloader=fetch)
    assert got == tmp_path / "cache" / "x" / "aeds.csv" and got.read_bytes() == TEXT
    assert find("x/aeds.csv", **where(tmp_path), registry=registry, downloader=fetch) == got
    assert fetch.calls == 1  # the second time from the cache


def test_the_clone_and_shared_come_before_any_fetch(tmp_path):
    paths = where(tmp_path)
    for folder in ("clone", "shared"):
        (tmp_path / folder / "x").mkdir(parents=True)
        (tmp_path / folder / "x" / "aeds.csv").write_bytes(TEXT)
    fetch = FromFile()
    both = {"x/aeds.csv": Entry(SHA, clone="x/aeds.csv", url=offered(tmp_path, TEXT))}
    assert find("x/aeds.csv", **paths, registry=both, downloader=fetch) == \
        tmp_path / "clone" / "x" / "aeds.csv"
    shared = {"x/aeds.csv": Entry(SHA, url=offered(tmp_path, TEXT))}
    assert find("x/aeds.csv", **paths, registry=shared, downloader=fetch) == \
        tmp_path / "shared" / "x" / "aeds.csv"
    assert fetch.calls == 0


def test_other_bytes_are_not_kept_and_the_reason_says_so(tmp_path):
    registry = {"x/aeds.csv": Entry(SHA, url=offered(tmp_path, TEXT + b"AED 2,9.53,47.15\n"))}
    why = find("x/aeds.csv", **where(tmp_path), registry=registry, downloader=FromFile())
    assert isinstance(why, str)
    assert why.startswith(f"x/aeds.csv: not in the clone, not in {tmp_path / 'shared'}; "
                          f"fetching {registry['x/aeds.csv'].url} failed: ValueError: ")
    assert SHA in why  # pooch names the hash it expected
    assert not any(p.is_file() for p in (tmp_path / "cache").rglob("*"))


def test_no_connection_skips_saying_what_was_tried(tmp_path, monkeypatch):
    def offline(url, output_file, pooch_obj, check_only=False):
        raise ConnectionError("Failed to resolve 'example.org'")

    registry = {"x/aeds.csv": Entry(SHA, url="https://example.org/aeds.csv")}
    why = find("x/aeds.csv", **where(tmp_path), registry=registry, downloader=offline)
    assert why == (f"x/aeds.csv: not in the clone, not in {tmp_path / 'shared'}; fetching "
                   "https://example.org/aeds.csv failed: ConnectionError: Failed to resolve "
                   "'example.org'")
    monkeypatch.setattr(_data, "locate", lambda name: why)
    with pytest.raises(pytest.skip.Exception) as skipped:
        _data.data_path("x", "aeds.csv")
    assert skipped.value.msg == why


def test_a_gzipped_copy_is_unpacked_and_checked(tmp_path):
    packed = gzip.compress(TEXT, mtime=0)
    registry = {"x/aeds.csv": Entry(SHA, url=offered(tmp_path, packed, "aeds.csv.gz"),
                                    gzip_sha256=hashlib.sha256(packed).hexdigest())}
    got = find("x/aeds.csv", **where(tmp_path), registry=registry, downloader=FromFile())
    assert got == tmp_path / "cache" / "x" / "aeds.csv" and got.read_bytes() == TEXT


def test_a_crop_that_cannot_be_cut_says_from_what(tmp_path):
    """A part whose crop is neither in the clone nor anywhere else: the reason names both."""
    registry = {"osm/a.osm.pbf": Entry("0" * 64),
                "osm/a.aed.osm.bz2": Entry("1" * 64, cut=("osm/a.osm.pbf", "n/emergency"))}
    why = find("osm/a.aed.osm.bz2", **where(tmp_path), registry=registry)
    assert why == (f"osm/a.aed.osm.bz2: not in the clone, not in {tmp_path / 'shared'}; cutting "
                   "it from osm/a.osm.pbf (osmium tags-filter n/emergency) failed: "
                   f"FileNotFoundError: osm/a.osm.pbf: not in the clone, not in "
                   f"{tmp_path / 'shared'}")


def test_the_cache_folder_can_be_named(monkeypatch, tmp_path):
    monkeypatch.setenv("AEDPLAN_TEST_DATA_CACHE", str(tmp_path))
    assert _data.cache_dir() == tmp_path
