"""Shared fixtures: small hand-checkable networks and the real data in ../shared/data."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from aedplan.network import WalkNetwork, load_network

CRS = "EPSG:32632"
X0, Y0 = 500_000.0, 5_200_000.0
DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def data_path(*parts: str) -> Path:
    path = DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not found: {path}")
    return path


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
