"""The UTM picker answers from zones read once as the PROJ database answers each time."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj.aoi import AreaOfInterest
from pyproj.database import query_utm_crs_info

from aedplan import _geo
from aedplan.errors import DataError


def _database(x: float, y: float) -> str | None:
    infos = query_utm_crs_info(datum_name="WGS 84", area_of_interest=AreaOfInterest(x, y, x, y))
    return infos[0].code if infos else None


def _picked(x: float, y: float) -> str | None:
    try:
        return str(_geo.utm_crs([x], [y]).to_epsg())
    except DataError:
        return None


def test_the_picker_agrees_with_the_database_on_edges_and_inside() -> None:
    # each database query takes tens of milliseconds: a few edges, near them, and a sample
    points = [(x + d, y) for x in (-180.0, 0.0, 12.0, 180.0) for d in (-1e-12, 0.0, 1e-12)
              for y in (-80.0, 0.0, 47.1, 84.5)]
    points += [(9.0, y) for y in (-80.0 - 1e-9, -1e-13, 84.0, 84.0 + 1e-9)]
    rng = np.random.default_rng(3)
    points += list(zip(rng.uniform(-180, 180, 20), rng.uniform(-85, 85, 20), strict=True))
    wrong = [(x, y) for x, y in points if _picked(x, y) != _database(x, y)]
    assert wrong == []


def test_on_an_edge_the_database_decides() -> None:
    # 12°E is the edge of zones 32N and 33N: the database lists both, the first is taken
    assert _database(12.0, 47.0) == "32632"
    assert _geo.utm_crs([11.0, 13.0], [47.0, 47.0]).to_epsg() == 32632
    assert _geo.utm_crs([12.5], [47.0]).to_epsg() == 32633


def test_no_zone_beyond_84_north() -> None:
    with pytest.raises(DataError, match="no UTM zone"):
        _geo.utm_crs([9.0], [85.0])
