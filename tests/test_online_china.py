"""A Chinese place name online: ``--place "新罗区, 龙岩市, 福建省"`` through osmnx, with
no internet. The geocoder's and the Overpass API's answers are stand-ins written by
tests/standins.py (made up: the place comes back as asked, with the outline and streets
of the real Wuhan clip in data/), served at the HTTP layer, so osmnx's own requests,
parsing and graph building all run."""

from __future__ import annotations

import json

import pytest
import requests
from click.testing import CliRunner

from aedplan.cli import main

from . import standins

PLACE = "新罗区, 龙岩市, 福建省"


@pytest.fixture
def answers(monkeypatch):
    """requests.get / requests.post answering Nominatim and Overpass, and recording the
    queries; anything else fails as offline."""
    import osmnx as ox
    from osmnx import _http

    asked: list[tuple[str, dict]] = []

    def respond(url: str, body) -> requests.Response:
        r = requests.Response()
        r.status_code, r.url, r.encoding = 200, url, "utf-8"
        r._content = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return r

    def get(url, params=None, **_):
        asked.append((url, dict(params or {})))
        if "nominatim" in url:
            return respond(url, standins.nominatim_answer(params["q"]))
        raise requests.ConnectionError(f"offline: {url}")

    def post(url, data=None, **_):
        asked.append((url, dict(data or {})))
        if "overpass" in url and 'way["highway"]' in data["data"]:
            return respond(url, standins.overpass_streets())
        raise requests.ConnectionError(f"offline: {url}")

    monkeypatch.setattr(requests, "get", get)
    monkeypatch.setattr(requests, "post", post)
    monkeypatch.setattr(_http, "_config_dns", lambda url: None)
    monkeypatch.setattr(ox.settings, "use_cache", False)
    monkeypatch.setattr(ox.settings, "overpass_rate_limit", False)
    monkeypatch.setattr("time.sleep", lambda s: None)
    return asked


def test_a_chinese_place_name(answers, tmp_path):
    aeds = standins.write_amap_export(tmp_path / "amap-aeds.csv")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "plan", "--place", PLACE, "--aeds", str(aeds), "--datum", "gcj02", "--demand",
        "network", "--candidates", "nodes", "--budget", "3", "--lang", "zh", "--out", str(out)])
    assert result.exit_code == 0, result.output
    # the name went to the geocoder as typed, in UTF-8
    (url, params), *rest = answers
    assert "nominatim" in url and params["q"] == PLACE
    assert requests.Request("GET", url, params=params).prepare().url.endswith(
        "q=%E6%96%B0%E7%BD%97%E5%8C%BA%2C+%E9%BE%99%E5%B2%A9%E5%B8%82%2C+%E7%A6%8F%E5%BB%BA%E7%9C%81")
    assert any("overpass" in u for u, _ in rest)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert PLACE in report["network"]["source"]
    assert report["network"]["nodes"] > 1000 and report["existing"]["aeds"] == 40
    assert report["plan"]["new_sites"] == 3
    assert (out / "map.html").exists()
