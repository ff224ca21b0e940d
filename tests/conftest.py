"""Shared fixtures: small hand-checkable networks, and the real data by ``data_path``
(tests/_data.py: the clone's samples, ../shared/data, or a checked copy cut or fetched)."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import strategies as st

from aedplan.maplayers import MapSummary
from aedplan.network import WalkNetwork, load_network
from aedplan.timemodel import TimeModel

from ._data import data_path

CRS = "EPSG:32632"
X0, Y0 = 500_000.0, 5_200_000.0
#: The samples shipped in the repository (data/README.md).
SAMPLES = Path(__file__).resolve().parents[1] / "data"


def network_from_segments(
    segments: list[tuple[tuple[float, float], tuple[float, float]]] | list[list[tuple]],
    **kwargs,
) -> WalkNetwork:
    """A network from line coordinates given relative to (X0, Y0), in EPSG:32632."""
    lines = [shapely.LineString([(X0 + x, Y0 + y) for x, y in seg]) for seg in segments]
    gdf = gpd.GeoDataFrame(geometry=lines, crs=CRS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_network(gdf, crs=CRS, **kwargs)


def points(xy: list[tuple[float, float]], **columns) -> gpd.GeoDataFrame:
    geom = gpd.points_from_xy([X0 + x for x, _ in xy], [Y0 + y for _, y in xy])
    return gpd.GeoDataFrame(dict(columns), geometry=geom, crs=CRS)


@pytest.fixture
def line5() -> WalkNetwork:
    """A street of 5 nodes at x = 0, 100, 200, 300, 400."""
    return network_from_segments([[(i * 100.0, 0.0), ((i + 1) * 100.0, 0.0)] for i in range(4)])


@pytest.fixture
def grid3() -> WalkNetwork:
    """A 3x3 grid of nodes 100 m apart (12 edges of 100 m)."""
    segs = []
    for i in range(3):
        for j in range(2):
            segs.append([(j * 100.0, i * 100.0), ((j + 1) * 100.0, i * 100.0)])
            segs.append([(i * 100.0, j * 100.0), (i * 100.0, (j + 1) * 100.0)])
    return network_from_segments(segs)


def node_at(net: WalkNetwork, x: float, y: float) -> int:
    d = np.hypot(net.x - (X0 + x), net.y - (Y0 + y))
    i = int(np.argmin(d))
    assert d[i] < 1e-6
    return i


def polygons(centres: list[tuple[float, float]], radius: float = 150.0, **columns):
    geoms = [shapely.Point(X0 + x, Y0 + y).buffer(radius) for x, y in centres]
    return gpd.GeoDataFrame(dict(columns), geometry=geoms, crs=CRS)


def streets(names: list | None = None) -> gpd.GeoDataFrame:
    """Eleven parallel streets 1 km long, 100 m apart (made up), named by ``names``."""
    lines = [
        shapely.LineString([(X0 - 500 + i * 100.0, Y0 - 500), (X0 - 500 + i * 100.0, Y0 + 500)])
        for i in range(11)
    ]
    frame = gpd.GeoDataFrame(geometry=lines, crs=CRS)
    if names is not None:
        frame.insert(0, "name", names + [None] * (len(lines) - len(names)))
    return frame


SUMMARY = MapSummary(
    coverage_before=0.42,
    coverage_after=0.733,
    model=TimeModel(4, "round-trip", 1.4),
    n_aeds=3,
    n_proposed=2,
    demand_kind="buildings",
    source="Vaduz OSM 2024-03-03",
)


@st.composite
def small_networks(draw):
    n = draw(st.integers(3, 9))
    xs = draw(st.lists(st.floats(0, 300), min_size=n, max_size=n))
    ys = draw(st.lists(st.floats(0, 300), min_size=n, max_size=n))
    pairs = draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), min_size=2, max_size=14)
    )
    segs = []
    for a, b in pairs:
        if a != b and np.hypot(xs[a] - xs[b], ys[a] - ys[b]) > 1.0:
            mid = ((xs[a] + xs[b]) / 2 + draw(st.floats(-30, 30)), (ys[a] + ys[b]) / 2)
            segs.append([(xs[a], ys[a]), mid, (xs[b], ys[b])])
    if not segs:
        segs = [[(0.0, 0.0), (100.0, 0.0)]]
    pts = draw(
        st.lists(st.tuples(st.floats(-20, 320), st.floats(-20, 320)), min_size=2, max_size=8)
    )
    n_src = draw(st.integers(1, len(pts) - 1))
    access = draw(st.lists(st.floats(0, 30), min_size=n_src, max_size=n_src))
    return segs, pts[:n_src], pts[n_src:], access


# --------------------------------------------------------------------------- places and OSM files


def local_xy(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """Points of a frame (any CRS) in the test CRS, relative to (X0, Y0)."""
    pts = gdf.geometry.to_crs(CRS)
    return np.column_stack([pts.x.to_numpy() - X0, pts.y.to_numpy() - Y0])


def square(x: float, y: float, size: float = 10.0) -> shapely.Polygon:
    return shapely.box(X0 + x, Y0 + y, X0 + x + size, Y0 + y + size)


def write_osm(
    path: Path, nodes: dict, ways: dict | None = None, relations: dict | None = None
) -> Path:
    """A tiny OSM XML file. ``nodes``: {id: (lon, lat, tags)}, ``ways``: {id: (refs, tags)},
    ``relations``: {id: ([(type, ref, role)], tags)}."""

    def tag_xml(tags: dict) -> str:
        return "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())

    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6">']
    for nid, (lon, lat, tags) in nodes.items():
        lines.append(
            f'<node id="{nid}" version="1" lat="{lat!r}" lon="{lon!r}">{tag_xml(tags)}</node>'
        )
    for wid, (refs, tags) in (ways or {}).items():
        nds = "".join(f'<nd ref="{r}"/>' for r in refs)
        lines.append(f'<way id="{wid}" version="1">{nds}{tag_xml(tags)}</way>')
    for rid, (members, tags) in (relations or {}).items():
        mem = "".join(f'<member type="{t}" ref="{r}" role="{role}"/>' for t, r, role in members)
        lines.append(f'<relation id="{rid}" version="1">{mem}{tag_xml(tags)}</relation>')
    lines.append("</osm>")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


LON0, LAT0 = 9.52, 47.14
DLON, DLAT = 1e-4, 1e-4  # about 7.6 m x 11.1 m


def ring(first_id: int, x0: float, y0: float, nx: float, ny: float) -> dict:
    """Four corner nodes of a box, ``nx`` x ``ny`` steps of (DLON, DLAT) from (x0, y0)."""
    corners = [(x0, y0), (x0 + nx, y0), (x0 + nx, y0 + ny), (x0, y0 + ny)]
    return {
        first_id + i: (LON0 + cx * DLON, LAT0 + cy * DLAT, {}) for i, (cx, cy) in enumerate(corners)
    }


def closed(first_id: int) -> list[int]:
    return [first_id, first_id + 1, first_id + 2, first_id + 3, first_id]


@pytest.fixture(scope="session")
def vaduz():
    """The real Vaduz centre extract: its street network, its AEDs and the file's path."""
    import aedplan

    osm = data_path("osm", "vaduz-centre-2024-03-03.osm.pbf")
    with warnings.catch_warnings():  # the real data's own warnings, tested elsewhere
        warnings.simplefilter("ignore", aedplan.AedplanWarning)
        net = load_network(osm)
        return net, aedplan.read_points(osm), osm


@pytest.fixture(autouse=True)
def english_locale(monkeypatch):
    """Tests read English words: the map takes its language from the locale by default."""
    for key in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
