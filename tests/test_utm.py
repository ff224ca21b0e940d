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


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:32632"])
def test_point_coordinates_are_the_points_to_crs_gives(crs) -> None:
    """`point_xy` transforms coordinates as arrays: the same numbers, to the bit, as the
    points `point_array` makes with `to_crs`; a missing or empty row is blank (NaN).
    (Made-up shapes near Vaduz: points, a building's footprint, nothing.)"""
    import geopandas as gpd
    import shapely

    ring = shapely.Polygon([(9.52, 47.14), (9.5203, 47.14), (9.5203, 47.1402), (9.52, 47.1402)])
    shapes = [shapely.Point(9.5215, 47.1399), ring, None, shapely.Point(), shapely.Point(9.53,
                                                                                     47.15)]
    frame = gpd.GeoDataFrame(geometry=gpd.GeoSeries(shapes, crs=4326)).to_crs(crs)
    target = "EPSG:32632" if crs == "EPSG:4326" else "EPSG:4326"
    made = _geo.point_array(frame, target)
    x, y, blank = _geo.point_xy(frame, target)
    assert blank.tolist() == [False, False, True, True, False]
    assert np.isnan(x[blank]).all() and np.isnan(y[blank]).all()
    assert np.array_equal(x[~blank], shapely.get_x(made[~blank]))
    assert np.array_equal(y[~blank], shapely.get_y(made[~blank]))
    same = _geo.point_xy(frame, crs)  # no transform: the points' own coordinates
    assert np.array_equal(same[0][[0, 4]], shapely.get_x(frame.geometry.to_numpy()[[0, 4]]))


def test_the_bands_arithmetic_agrees_with_projs_zone_table():
    """Well inside a zone the 6-degree bands answer without reading PROJ's table, and
    give its zone; near an edge, the equator or the poles' limits they leave it to the
    table."""
    from aedplan import _geo

    codes, box = _geo._utm_zones()
    rng = np.random.default_rng(7)
    answered = 0
    for cx, cy in zip(rng.uniform(-180, 180, 3000), rng.uniform(-80, 84, 3000), strict=True):
        zone = _geo._standard_zone(float(cx), float(cy))
        if zone is None:
            continue
        answered += 1
        inside = ((box[:, 0] <= cx) & (cx <= box[:, 2]) & (box[:, 1] <= cy)
                  & (cy <= box[:, 3]))
        assert [str(c) for c in codes[inside]] == [zone], (cx, cy)
    assert answered > 2800
    for cx, cy in ((12.0, 47.0), (6.01, 47.0), (-180.0, 10.0), (180.0, 10.0), (10.0, 0.01),
                   (10.0, 84.0), (10.0, -80.0), (11.98, 30.0)):
        assert _geo._standard_zone(cx, cy) is None, (cx, cy)
    assert _geo._standard_zone(9.52, 47.14) == "32632"
    assert _geo._standard_zone(120.6, 24.15) == "32651"
    assert _geo._standard_zone(-70.6, -33.4) == "32719"
