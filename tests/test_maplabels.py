"""Street names the web map draws itself when no basemap loads: which streets, where,
turned which way. The small streets here are made up; the real ones are Vaduz's."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely import LineString

from aedplan._maplabels import TIERS, street_labels
from aedplan.errors import AedplanWarning
from aedplan.network import load_network

from .conftest import data_path

CRS = 32632
X0, Y0 = 760_000.0, 5_225_000.0  # Vaduz, in UTM 32N


def lines(*coords, names):
    geoms = [LineString([(X0 + x, Y0 + y) for x, y in c]) for c in coords]
    return gpd.GeoDataFrame({"name": names}, geometry=geoms, crs=CRS)


def metric(labels):
    return labels.to_crs(CRS).geometry


def test_the_label_sits_mid_way_along_the_longest_stretch():
    # "Long": two joined parts (0,0)-(200,0)-(200,100) make one 300 m stretch, and a
    # 100 m part far away; the label goes 150 m along the stretch, at (150, 0)
    streets = lines([(0, 0), (200, 0)], [(200, 0), (200, 100)], [(900, 900), (1000, 900)],
                    names=["Long", "Long", "Long"])
    labels = street_labels(streets)
    assert labels["name"].tolist() == ["Long"]
    assert labels["length_m"].tolist() == [400.0]
    p = metric(labels).iloc[0]
    assert (p.x - X0, p.y - Y0) == pytest.approx((150.0, 0.0), abs=1e-6)
    assert labels["angle"].tolist() == [0]


@pytest.mark.parametrize(("end", "angle"), [
    ((100, 0), 0), ((-100, 0), 0),        # east or west: level, never upside down
    ((100, 100), 45), ((-100, -100), 45),  # either way along the same line
    ((100, -100), -45), ((0, 100), 90), ((0, -100), 90),
])
def test_text_along_a_street_reads_upright(end, angle):
    labels = street_labels(lines([(0, 0), end], names=["Street"]))
    assert labels["angle"].tolist() == [angle]


def test_longest_first_in_tiers_ties_by_name_and_no_name_is_skipped():
    n = TIERS[-1] + 5
    coords = [[(0, 10 * i), (1000 - i, 10 * i)] for i in range(n)]
    names = [f"Street {i:03d}" for i in range(n)]
    names[3] = None
    names[4] = "  "
    coords.append([(0, -10), (1000 - 5, -10)])  # as long as Street 005
    names.append("Avenue")
    labels = street_labels(lines(*coords, names=names))
    got = labels["name"].tolist()
    assert len(got) == TIERS[-1]
    assert got[:5] == ["Street 000", "Street 001", "Street 002", "Avenue", "Street 005"]
    assert None not in got and "  " not in got
    assert np.all(np.diff(labels["length_m"].to_numpy()) <= 0)
    tiers = labels["tier"].to_numpy()
    assert (tiers[: TIERS[0]] == 1).all() and (tiers[TIERS[0]: TIERS[1]] == 2).all()
    assert (tiers[TIERS[1]:] == 3).all()
    # the same streets in another order: the same labels
    shuffled = lines(*coords, names=names).sample(frac=1, random_state=1)
    assert street_labels(shuffled).equals(labels)


def test_no_names_no_labels():
    assert len(street_labels(lines([(0, 0), (1, 0)], names=[None]))) == 0
    plain = lines([(0, 0), (1, 0)], names=["x"]).drop(columns="name")
    assert len(street_labels(plain)) == 0
    assert len(street_labels(None)) == 0


def test_the_longest_streets_of_vaduz():
    """On the real Vaduz centre: every label sits on a street of its name, and the first
    is the street with the most length."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        net = load_network(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf"))
    edges = net.edges_gdf()
    labels = street_labels(edges)
    named = edges[edges["name"].notna()]
    total = named.groupby("name")["length_m"].sum().sort_values(ascending=False)
    assert labels["name"].iloc[0] == total.index[0]
    assert labels["length_m"].iloc[0] == pytest.approx(total.iloc[0], abs=0.1)
    assert len(labels) == min(TIERS[-1], len(total))
    points = metric(labels).to_numpy()
    for name, point in zip(labels["name"], points, strict=True):
        own = named.geometry[named["name"] == name].to_numpy()
        assert shapely.distance(point, own).min() < 0.01, name
