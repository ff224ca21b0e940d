"""Candidate AED sites: OSM POIs, buildings, street nodes, user files; existing AEDs."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from aedplan.candidates import (
    candidates_from_buildings,
    candidates_from_network,
    candidates_from_points,
    candidates_from_pois,
    exclude_existing,
)
from aedplan.errors import CRSError, DataError, InputError
from aedplan.io import read_points
from aedplan.poi_presets import DEFAULT_POI_TAGS

from .conftest import (
    CRS,
    DLAT,
    DLON,
    LAT0,
    LON0,
    X0,
    Y0,
    closed,
    data_path,
    local_xy,
    points,
    ring,
    square,
    write_osm,
)

COLUMNS = ["id", "kind", "name", "opening_hours", "open_24_7"]


@pytest.fixture
def pois_osm(tmp_path) -> Path:
    nodes = {
        **ring(10, 0, 0, 4, 4),  # way 1: the pharmacy's building
        **ring(20, 10, 0, 4, 4),  # way 2: a school without a node
        **ring(30, 20, 0, 4, 4),  # way 3: a hospital with a pharmacy node inside
        # pharmacy node inside way 1, without hours
        100: (LON0 + 2 * DLON, LAT0 + 2 * DLAT, {"amenity": "pharmacy", "name": "Apotheke"}),
        101: (
            LON0 + 40 * DLON,
            LAT0,
            {"shop": "convenience", "name": "Shop", "opening_hours": " 24/7"},
        ),
        # a station tagged twice: one row, kind "station"
        102: (
            LON0 + 50 * DLON,
            LAT0,
            {"railway": "halt", "public_transport": "station", "name": "Schaan"},
        ),
        103: (LON0 + 60 * DLON, LAT0, {"amenity": "restaurant", "name": "not a candidate"}),
        104: (LON0 + 22 * DLON, LAT0 + 2 * DLAT, {"amenity": "pharmacy"}),
    }
    ways = {
        1: (closed(10), {"building": "yes", "amenity": "pharmacy", "opening_hours": "Mo-Fr"}),
        2: (closed(20), {"amenity": "school", "name": "Schule"}),
        3: (closed(30), {"amenity": "hospital", "name": "Spital"}),
    }
    return write_osm(tmp_path / "pois.osm", nodes, ways)


# --------------------------------------------------------------------------- POIs: hand


def test_pois_nodes_areas_kinds_and_dedupe(pois_osm):
    out = candidates_from_pois(pois_osm)
    assert out.crs == "EPSG:4326"
    assert list(out.columns) == [*COLUMNS, "osm_type", "osm_id", "name:en", "name:zh",
                                 "kind:zh", "geometry"]
    got = out.set_index("id")
    # the pharmacy area (way 1) holds the pharmacy node: only the node is kept
    assert sorted(got.index) == [
        "node/100",
        "node/101",
        "node/102",
        "node/104",
        "way/2",
        "way/3",
    ]
    assert got.loc["node/100", "kind"] == "pharmacy"
    assert got.loc["node/100", "opening_hours"] == "Mo-Fr"  # taken from the area
    assert got.loc["node/101", "kind"] == "convenience"
    assert bool(got.loc["node/101", "open_24_7"]) is True
    assert got.loc["node/102", "kind"] == "station"
    assert got.loc["way/2", "kind"] == "school"
    assert got.loc["way/3", "kind"] == "hospital"  # a different kind than its pharmacy node
    assert got.loc["node/104", "name"] is None
    assert got["open_24_7"].sum() == 1
    assert got.loc["way/2", "osm_type"] == "way"
    # an area becomes a point on its surface
    school = shapely.box(LON0 + 10 * DLON, LAT0, LON0 + 14 * DLON, LAT0 + 4 * DLAT)
    assert school.contains(got.loc["way/2", "geometry"])


def test_pois_without_dedupe_and_custom_tags(pois_osm):
    out = candidates_from_pois(pois_osm, dedupe=False)
    assert "way/1" in set(out["id"])
    assert out.set_index("id").loc["node/100", "opening_hours"] is None
    pairs = candidates_from_pois(pois_osm, tags=[("amenity", "restaurant")])
    assert pairs["id"].tolist() == ["node/103"]
    assert pairs["kind"].tolist() == ["restaurant"]
    triples = candidates_from_pois(pois_osm, tags=[("amenity", "restaurant", "food")])
    assert triples["kind"].tolist() == ["food"]
    mapping = candidates_from_pois(pois_osm, tags={("amenity", "school"): "edu"})
    assert mapping["kind"].tolist() == ["edu"]


def test_pois_clip(pois_osm):
    out = candidates_from_pois(pois_osm, clip=(LON0 - 0.001, LAT0 - 0.001, LON0 + 0.0015, 47.2))
    assert sorted(out["id"]) == ["node/100", "way/2"]
    with pytest.raises(DataError, match=r"no POIs inside `clip` with the tags railway=station"):
        candidates_from_pois(pois_osm, clip=(0.0, 0.0, 1.0, 1.0))


def test_pois_errors(pois_osm, tmp_path):
    with pytest.raises(DataError, match=r"pois.osm has no POIs with the tags amenity=nothing\. "):
        candidates_from_pois(pois_osm, tags=[("amenity", "nothing")])
    for bad in (["amenity"], [("amenity", "")], [], "amenity=pharmacy", [("a", "b", "c", "d")]):
        with pytest.raises(InputError, match=r"`tags`: expected \{\(key, value\): kind\}"):
            candidates_from_pois(pois_osm, tags=bad)
    with pytest.raises(
        InputError, match=r"`source`: POIs are read from an OpenStreetMap file \(\.osm, "
    ):
        candidates_from_pois(tmp_path / "pois.csv")
    with pytest.raises(InputError, match=r"`source`: file not found"):
        candidates_from_pois(tmp_path / "missing.osm.pbf")


def test_default_poi_tags_documented():
    assert ("amenity", "pharmacy") in DEFAULT_POI_TAGS
    assert DEFAULT_POI_TAGS[("railway", "halt")] == "station"
    assert all(isinstance(k, str) and k for k in DEFAULT_POI_TAGS.values())


# --------------------------------------------------------------------------- POIs: real


@pytest.fixture(scope="module")
def vaduz_pois() -> gpd.GeoDataFrame:
    return candidates_from_pois(data_path("osm", "vaduz-schaan-2024-03-03.osm.pbf"))


def test_real_pois(vaduz_pois):
    out = vaduz_pois
    assert len(out) > 50
    assert set(out["kind"]) <= set(DEFAULT_POI_TAGS.values())
    assert out["id"].is_unique
    assert out["name"].notna().mean() > 0.7
    assert {"node", "way"} <= set(out["osm_type"])
    for kind in ("pharmacy", "school", "station", "supermarket", "bank"):
        assert (out["kind"] == kind).any(), kind
    assert (out["open_24_7"] == (out["opening_hours"].str.strip() == "24/7")).all()
    # every point lies in the crop 9.49,47.12,9.55,47.18 (area points within a little)
    x, y = out.geometry.x, out.geometry.y
    assert x.between(9.48, 9.56).all() and y.between(47.11, 47.19).all()


def test_real_exclude_existing(vaduz_pois):
    aeds = read_points(data_path("osm", "vaduz-schaan.aed.osm.bz2"))
    far = exclude_existing(vaduz_pois, aeds, within_m=30.0)
    near = exclude_existing(vaduz_pois, aeds, within_m=5.0)
    assert len(far) <= len(near) <= len(vaduz_pois)
    assert len(far) < len(vaduz_pois)  # some pharmacies, banks, ... already have an AED


# --------------------------------------------------------------------------- buildings


def test_buildings_min_area_and_columns():
    gdf = gpd.GeoDataFrame(
        {"building": ["shed", "school"], "name": [None, "Schule"], "opening_hours": [None, "24/7"]},
        geometry=[square(0, 0, 5), square(50, 0, 20)],
        crs=CRS,
    )
    out = candidates_from_buildings(gdf)
    assert list(out.columns) == [*COLUMNS, "building", "area_m2", "geometry"]
    assert out["id"].tolist() == [1]  # the 25 m² shed is below 50 m²
    assert out["kind"].tolist() == ["building"]
    assert out["name"].tolist() == ["Schule"]
    assert out["open_24_7"].tolist() == [True]
    assert out["area_m2"].iloc[0] == pytest.approx(400.0, rel=1e-9)
    assert len(candidates_from_buildings(gdf, min_area_m2=0)) == 2
    with pytest.raises(DataError, match=r"none of the 2 buildings .* 1000 m² or more"):
        candidates_from_buildings(gdf, min_area_m2=1000)
    with pytest.raises(InputError, match=r"`min_area_m2` must be a non-negative number"):
        candidates_from_buildings(gdf, min_area_m2=-1)


def test_buildings_none_in_file(tmp_path):
    path = write_osm(tmp_path / "none.osm", {1: (LON0, LAT0, {"amenity": "bench"})})
    with pytest.raises(DataError,
                       match=r"none.osm has no building footprints.*`candidates='nodes'`"):
        candidates_from_buildings(path)


def test_buildings_from_osm(pois_osm):
    out = candidates_from_buildings(pois_osm, min_area_m2=0)
    assert out["id"].tolist() == ["way/1"]
    assert out["opening_hours"].tolist() == ["Mo-Fr"]
    assert out["osm_id"].tolist() == [1]


# --------------------------------------------------------------------------- network


def test_network_all_nodes(grid3):
    out = candidates_from_network(grid3, spacing_m=None)
    assert out.crs == "EPSG:4326"  # as every builder, lon/lat; metres back to the node
    assert list(out.columns) == [*COLUMNS, "node", "osmid", "geometry"]
    assert len(out) == 9
    assert out["node"].tolist() == list(range(9))
    assert (out["kind"] == "street").all()
    assert (out["opening_hours"] == "24/7").all() and out["open_24_7"].all()
    assert out["name"].isna().all()
    assert out["id"].tolist() == [f"street/{i}" for i in grid3.node_ids]
    np.testing.assert_allclose(local_xy(out.to_crs(grid3.crs)),
                               np.column_stack([grid3.x - X0, grid3.y - Y0]), atol=1e-6)
    assert len(candidates_from_network(grid3, spacing_m=0)) == 9


def test_network_thinned_to_grid_cells(grid3):
    # 200 m cells start at X0 and Y0 (multiples of 200): one cell holds the 4 nodes at
    # 0/100 x 0/100, whose centre is node (100, 100); the other cells hold 2, 2 and 1
    out = candidates_from_network(grid3, spacing_m=200.0).to_crs(grid3.crs)
    xy = {tuple(p) for p in np.round(local_xy(out), 6)}
    assert xy == {(100.0, 100.0), (200.0, 100.0), (100.0, 200.0), (200.0, 200.0)}
    assert out["node"].is_monotonic_increasing
    assert len(candidates_from_network(grid3, spacing_m=1.0)) == 9
    assert len(candidates_from_network(grid3)) == 9  # 100 m cells: one node each


def test_network_errors(grid3):
    with pytest.raises(InputError, match=r"`spacing_m` must be a positive number, got -5"):
        candidates_from_network(grid3, spacing_m=-5)
    with pytest.raises(InputError, match=r"`net`: expected a WalkNetwork"):
        candidates_from_network("streets.osm")


def test_network_real():
    import warnings

    from aedplan.errors import AedplanWarning
    from aedplan.network import load_network

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        net = load_network(data_path("osm", "vaduz-centre.network.osm.bz2"))
    thin = candidates_from_network(net, spacing_m=100.0)
    assert 0 < len(thin) < net.n_nodes
    assert thin.crs == "EPSG:4326"
    thin = thin.to_crs(net.crs)
    x, y = thin.geometry.x.to_numpy(), thin.geometry.y.to_numpy()
    keys = np.column_stack([np.floor(x / 100.0), np.floor(y / 100.0)])
    assert len(np.unique(keys, axis=0)) == len(thin)  # one per cell


# --------------------------------------------------------------------------- user points


def test_points_file(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text(
        "id,name,lon,lat,opening_hours,kind\n"
        "s1,Gemeinde,9.52,47.14,24/7,\n"
        "s2,Laden,9.53,47.15,,shop\n"
    )
    out = candidates_from_points(path, kind="council")
    assert out.crs == "EPSG:4326"
    assert list(out.columns) == [*COLUMNS, "geometry"]
    assert out["kind"].tolist() == ["council", "shop"]
    assert out["opening_hours"].tolist() == ["24/7", None]
    assert out["open_24_7"].tolist() == [True, False]
    plain = candidates_from_points(pd.DataFrame({"lon": [9.52], "lat": [47.14]}))
    assert plain["kind"].tolist() == ["user"]
    assert plain["opening_hours"].tolist() == [None]


def test_points_errors(pois_osm):
    with pytest.raises(InputError, match=r"OpenStreetMap file; .*candidates_from_pois"):
        candidates_from_points(pois_osm)
    with pytest.raises(InputError, match=r"`source`: found no longitude column"):
        candidates_from_points(pd.DataFrame({"a": [1.0], "lat": [47.0]}))


# --------------------------------------------------------------------------- existing AEDs


def test_exclude_existing_in_metres_across_crs():
    cands = points([(0.0, 0.0), (3.0, 4.0), (10.0, 0.0), (500.0, 0.0)], name=list("abcd"))
    cands = cands.to_crs(4326)
    aeds = points([(0.0, 0.0)])  # in EPSG:32632
    out = exclude_existing(cands, aeds, within_m=5.0)
    assert out["name"].tolist() == ["c", "d"]  # (3, 4) is exactly 5 m away
    assert out.crs == "EPSG:4326"
    assert out.index.tolist() == [0, 1]
    assert exclude_existing(cands, aeds, within_m=0)["name"].tolist() == ["b", "c", "d"]
    assert exclude_existing(cands, aeds.iloc[:0])["name"].tolist() == list("abcd")
    assert len(cands) == 4  # input untouched


def test_exclude_existing_polygons_and_errors():
    cands = gpd.GeoDataFrame({"name": ["a"]}, geometry=[square(-1, -1, 2)], crs=CRS)
    aeds = points([(0.0, 0.0)])
    assert len(exclude_existing(cands, aeds)) == 0
    with pytest.raises(InputError, match=r"`within_m` must be a non-negative number, got -1"):
        exclude_existing(cands, aeds, within_m=-1)
    with pytest.raises(CRSError, match=r"`aeds` has no CRS"):
        exclude_existing(cands, gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)]))
    with pytest.raises(InputError, match=r"`candidates`: expected a GeoDataFrame, got list"):
        exclude_existing([(0, 0)], aeds)


def _osmnx_like_features():
    import geopandas as gpd
    import pandas as pd
    import shapely

    index = pd.MultiIndex.from_tuples(
        [("node", 1), ("way", 2), ("way", 3), ("node", 4)], names=["element", "id"]
    )
    l_shape = shapely.Polygon([(0, 0), (0.002, 0), (0.002, 0.0005), (0.0005, 0.0005),
                               (0.0005, 0.002), (0, 0.002)])
    return gpd.GeoDataFrame(
        {
            "amenity": ["pharmacy", "school", None, None],
            "shop": [None, None, None, "convenience"],
            "building": [None, "school", "yes", None],
            "name": ["<b>Apotheke</b>", "Primarschule", None, None],
            "opening_hours": ["Mo-Fr 08:00-18:00", None, None, "24/7"],
        },
        geometry=[shapely.Point(9.52, 47.14), shapely.affinity.translate(l_shape, 9.52, 47.14),
                  shapely.box(9.5, 47.1, 9.5001, 47.1001), shapely.Point(9.53, 47.15)],
        index=index,
        crs="EPSG:4326",
    )


def test_candidates_from_osmnx_features():
    import shapely

    from aedplan.candidates import candidates_from_features, osmnx_tags

    feats = _osmnx_like_features()
    c = candidates_from_features(feats)
    assert c["id"].tolist() == ["node/1", "way/2", "node/4"]
    assert c["kind"].tolist() == ["pharmacy", "school", "convenience"]
    assert c["name"].tolist() == ["<b>Apotheke</b>", "Primarschule", None]
    assert c["open_24_7"].tolist() == [False, False, True]
    # the L-shaped school gets a point inside it, not its centroid
    assert feats.geometry.iloc[1].contains(c.geometry.iloc[1])
    assert isinstance(c.geometry.iloc[1], shapely.Point)
    tags = osmnx_tags()
    assert "pharmacy" in tags["amenity"] and "convenience" in tags["shop"]
    with pytest.raises(DataError, match="none has the tags"):
        candidates_from_features(feats.iloc[[2]])
