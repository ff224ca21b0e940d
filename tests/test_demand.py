"""Demand points: buildings (OSM and footprints), user points, population grids, streets."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from aedplan import _osm
from aedplan.demand import (
    RESIDENTIAL_BUILDINGS,
    demand_from_buildings,
    demand_from_grid,
    demand_from_network,
    demand_from_points,
)
from aedplan.errors import AedplanWarning, CRSError, DataError, InputError
from aedplan.network import network_from_arrays

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
    ring,
    square,
    write_osm,
)

# an L whose centroid (about 27, 27) lies in the empty corner
L_SHAPE = shapely.Polygon(
    [(X0 + x, Y0 + y) for x, y in [(0, 0), (100, 0), (100, 10), (10, 10), (10, 100), (0, 100)]]
)


def footprints(**columns) -> gpd.GeoDataFrame:
    geoms = [square(0, 0), square(50, 0), L_SHAPE]
    return gpd.GeoDataFrame(dict(columns), geometry=geoms, crs=CRS)


@pytest.fixture
def buildings_osm(tmp_path) -> Path:
    nodes = {
        **ring(10, 0, 0, 2, 2),  # way 1: building=house, levels 3
        **ring(20, 10, 0, 10, 10),  # relation 5 outer
        **ring(30, 13, 3, 4, 4),  # relation 5 inner (hole)
        **ring(40, 30, 0, 2, 2),  # way 4: building=no
        **ring(50, 40, 0, 2, 2),  # way 6: closed but not a building
    }
    nodes[99] = (LON0, LAT0 + 0.01, {"building": "yes"})  # a building node: no footprint
    ways = {
        1: (closed(10), {"building": "house", "building:levels": "3", "name": "Haus"}),
        2: (closed(20), {}),
        3: (closed(30), {}),
        4: (closed(40), {"building": "no"}),
        6: (closed(50), {"landuse": "grass"}),
    }
    relations = {
        5: (
            [("way", 2, "outer"), ("way", 3, "inner")],
            {"type": "multipolygon", "building": "school", "building:levels": "2;3"},
        )
    }
    return write_osm(tmp_path / "b.osm", nodes, ways, relations)


# --------------------------------------------------------------------------- buildings: hand


def test_buildings_weights_and_point_inside_footprint():
    gdf = footprints(**{"building:levels": ["2", None, "2"]})
    out = demand_from_buildings(gdf)
    assert out.crs == "EPSG:4326"
    assert list(out.columns[:3]) == ["id", "kind", "weight"]
    assert {"building", "name", "levels", "area_m2"} <= set(out.columns)
    assert out["id"].tolist() == [0, 1, 2]
    assert (out["kind"] == "building").all()
    np.testing.assert_allclose(out["area_m2"], [100.0, 100.0, 1900.0], rtol=1e-9)
    np.testing.assert_allclose(out["levels"], [2.0, 1.0, 2.0])
    np.testing.assert_allclose(out["weight"], [200.0, 100.0, 3800.0], rtol=1e-9)
    xy = local_xy(out)
    assert not L_SHAPE.contains(L_SHAPE.centroid)  # the centroid would be outside ...
    geoms = gdf.geometry.to_numpy()
    pts = shapely.points(xy[:, 0] + X0, xy[:, 1] + Y0)
    assert shapely.contains(geoms, pts).all()  # ... the demand point is inside


def test_buildings_count_weight_and_input_not_modified():
    gdf = footprints(building=["house", "yes", "apartments"])
    before = gdf.copy()
    out = demand_from_buildings(gdf, weight="count")
    assert out["weight"].tolist() == [1.0, 1.0, 1.0]
    pd.testing.assert_frame_equal(gdf, before)


@pytest.mark.parametrize(
    ("value", "levels"),
    [
        ("3", 3.0),
        ("2.5", 2.5),
        ("2,5", 2.5),
        ("3;4", 3.0),
        (" 4 ", 4.0),
        ("EG", 1.0),
        ("0", 1.0),
        ("-2", 1.0),
        ("", 1.0),
        (None, 1.0),
        (6, 6.0),
    ],
)
def test_levels_parsing(value, levels):
    gdf = gpd.GeoDataFrame({"building:levels": [value]}, geometry=[square(0, 0)], crs=CRS)
    out = demand_from_buildings(gdf)
    assert out["levels"].iloc[0] == levels
    assert out["weight"].iloc[0] == pytest.approx(100.0 * levels, rel=1e-9)


def test_levels_column_named_levels():
    gdf = footprints(levels=[2, 3, np.nan])
    out = demand_from_buildings(gdf)
    np.testing.assert_allclose(out["levels"], [2.0, 3.0, 1.0])


def test_residential_only():
    gdf = footprints(building=["house", "yes", "apartments"], name=["a", None, "c"])
    out = demand_from_buildings(gdf, residential_only=True)
    assert out["building"].tolist() == ["house", "apartments"]
    assert out["name"].tolist() == ["a", "c"]
    assert out.index.tolist() == [0, 1]
    assert {"house", "apartments", "detached", "terrace"} <= RESIDENTIAL_BUILDINGS
    assert "yes" not in RESIDENTIAL_BUILDINGS


def test_residential_only_errors():
    with pytest.raises(DataError, match=r"none of the 3 buildings is residential.*yes \(2\)"):
        demand_from_buildings(footprints(building=["yes", "yes", "office"]), residential_only=True)
    with pytest.raises(InputError, match=r"`residential_only`: the buildings have no `building`"):
        demand_from_buildings(footprints(), residential_only=True)


def test_clip_bbox_and_polygon():
    gdf = footprints()
    to_lonlat = Transformer.from_crs(CRS, 4326, always_xy=True)
    west, south = to_lonlat.transform(X0 - 1, Y0 - 1)
    east, north = to_lonlat.transform(X0 + 40, Y0 + 60)
    out = demand_from_buildings(gdf, clip=(west, south, east, north))
    # the first square and the L (its point is at (5, 55), in its upright arm) are inside
    assert out["id"].tolist() == [0, 2]
    poly = shapely.box(west, south, *to_lonlat.transform(X0 + 40, Y0 + 40))
    assert demand_from_buildings(gdf, clip=poly)["id"].tolist() == [0]
    with pytest.raises(DataError, match=r"no building footprints inside `clip`"):
        demand_from_buildings(gdf, clip=(0.0, 0.0, 1.0, 1.0))
    with pytest.raises(InputError, match=r"`clip`: expected a bbox"):
        demand_from_buildings(gdf, clip="Vaduz")
    with pytest.raises(InputError, match=r"`clip`: expected a bbox .* west < east"):
        demand_from_buildings(gdf, clip=(10.0, 0.0, 9.0, 1.0))


def test_ids_from_source_and_duplicates():
    out = demand_from_buildings(footprints(id=["a", "b", "c"]))
    assert out["id"].tolist() == ["a", "b", "c"]
    with pytest.raises(InputError, match=r"`source`: the `id` column .* duplicate"):
        demand_from_buildings(footprints(id=["a", "a", "c"]))


def test_non_polygons_are_skipped_with_a_warning():
    gdf = gpd.GeoDataFrame(geometry=[square(0, 0), shapely.Point(X0, Y0), None], crs=CRS)
    with pytest.warns(AedplanWarning, match=r"2 of 3 rows .* not polygons"):
        out = demand_from_buildings(gdf)
    assert len(out) == 1
    assert out["id"].tolist() == [0]


def test_buildings_vector_file(tmp_path):
    path = tmp_path / "footprints.gpkg"
    footprints(building=["house", "yes", "school"]).to_file(path)
    out = demand_from_buildings(path)
    np.testing.assert_allclose(out["area_m2"], [100.0, 100.0, 1900.0], rtol=1e-9)


def test_buildings_bad_input(tmp_path):
    with pytest.raises(
        InputError, match=r"`weight` must be one of 'area_levels', 'count'.*'floor'"
    ):
        demand_from_buildings(footprints(), weight="floor")
    with pytest.raises(CRSError, match=r"`source` has no CRS"):
        demand_from_buildings(gpd.GeoDataFrame(geometry=[square(0, 0)]))
    with pytest.raises(InputError, match=r"`source`: expected an OSM file path"):
        demand_from_buildings(42)
    (tmp_path / "b.csv").write_text("a,b\n")
    with pytest.raises(InputError, match=r"cannot read b.csv: unknown file type. Expected one of: "
                       r"OpenStreetMap file .*; GeoJSON, GeoPackage"):
        demand_from_buildings(tmp_path / "b.csv")
    with pytest.raises(InputError, match=r"`source`: file not found"):
        demand_from_buildings(tmp_path / "missing.osm.pbf")
    with pytest.raises(InputError, match=r"`source`: file not found"):
        demand_from_buildings(tmp_path / "missing.gpkg")
    gdf = gpd.GeoDataFrame(geometry=[shapely.Point(X0, Y0)], crs=CRS)
    with pytest.warns(AedplanWarning), pytest.raises(DataError, match=r"`demand='network'`"):
        demand_from_buildings(gdf)


# --------------------------------------------------------------------------- buildings: OSM


def test_osm_buildings_ways_and_multipolygons(buildings_osm):
    out = demand_from_buildings(buildings_osm)
    # way 1 and relation 5; not the node (no footprint), building=no, or the grass
    assert out["id"].tolist() == ["way/1", "relation/5"]
    assert out["osm_type"].tolist() == ["way", "relation"]
    assert out["osm_id"].tolist() == [1, 5]
    assert out["building"].tolist() == ["house", "school"]
    assert out["name"].tolist() == ["Haus", None]
    assert out["levels"].tolist() == [3.0, 2.0]
    # areas checked against shapely on the same rings, in the same UTM zone
    utm = Transformer.from_crs(4326, 32632, always_xy=True)

    def box_area(x0, y0, nx, ny):
        xs, ys = utm.transform(
            [LON0 + x0 * DLON, LON0 + (x0 + nx) * DLON, LON0 + (x0 + nx) * DLON, LON0 + x0 * DLON],
            [LAT0 + y0 * DLAT, LAT0 + y0 * DLAT, LAT0 + (y0 + ny) * DLAT, LAT0 + (y0 + ny) * DLAT],
        )
        return shapely.Polygon(list(zip(xs, ys, strict=True))).area

    house = box_area(0, 0, 2, 2)
    school = box_area(10, 0, 10, 10) - box_area(13, 3, 4, 4)
    np.testing.assert_allclose(out["area_m2"], [house, school], rtol=1e-9)
    np.testing.assert_allclose(out["weight"], [3 * house, 2 * school], rtol=1e-9)
    # the school's point is on its surface, not in its hole
    feats = _osm.read_features(buildings_osm, key="building", nodes=False)
    assert shapely.contains(feats.geometry[1], out.geometry.iloc[1])


def test_read_features_nodes_areas_and_keep(buildings_osm):
    both = _osm.read_features(buildings_osm, key="building", keep=("building", "missing"))
    assert sorted(both.osm_type.tolist()) == ["node", "relation", "way", "way"]
    assert list(both.tags.columns) == ["building", "missing"]
    assert both.tags["missing"].isna().all()
    assert both.skipped == 0
    nodes = _osm.read_features(buildings_osm, tags=[("building", "yes")], areas=False)
    assert nodes.osm_id.tolist() == [99]
    assert shapely.get_type_id(nodes.geometry[0]) == shapely.GeometryType.POINT
    with pytest.raises(InputError, match=r"exactly one of `key` or `tags`"):
        _osm.read_features(buildings_osm)
    with pytest.raises(InputError, match=r"ask for nodes, areas or both"):
        _osm.read_features(buildings_osm, key="building", nodes=False, areas=False)
    with pytest.raises(InputError, match=r"no \(key, value\) tag pairs"):
        _osm.read_features(buildings_osm, tags=[])


def test_osm_incomplete_footprints_warn(tmp_path):
    nodes = {**ring(10, 0, 0, 2, 2), **ring(20, 10, 0, 2, 2), **ring(30, 20, 0, 2, 2)}
    del nodes[33]  # way 5 runs through a node missing from the (cut) extract
    ways = {
        1: (closed(10), {"building": "yes"}),
        2: ([20, 21, 22], {}),  # not closed: the relation's ring stays open
        4: ([10, 11, 12], {"building": "yes"}),  # a building way that is not closed
        5: (closed(30), {"building": "yes"}),
    }
    relations = {3: ([("way", 2, "outer")], {"type": "multipolygon", "building": "yes"})}
    path = write_osm(tmp_path / "broken.osm", nodes, ways, relations)
    with pytest.warns(AedplanWarning, match=r"3 of 4 buildings in broken.osm have no complete"):
        out = demand_from_buildings(path)
    assert out["id"].tolist() == ["way/1"]
    assert _osm.read_features(path, key="building", nodes=False).skipped == 3


def test_osm_without_buildings(tmp_path):
    path = write_osm(tmp_path / "empty.osm", {1: (LON0, LAT0, {"amenity": "bench"})})
    with pytest.raises(DataError,
                       match=r"empty.osm has no building footprints.*`demand='network'`"):
        demand_from_buildings(path)
    bad = tmp_path / "bad.osm"
    bad.write_text("this is not xml")
    with pytest.raises(DataError, match=r"bad.osm is not readable OpenStreetMap data"):
        demand_from_buildings(bad)


# --------------------------------------------------------------------------- buildings: real


@pytest.fixture(scope="module")
def vaduz_buildings() -> gpd.GeoDataFrame:
    return demand_from_buildings(data_path("osm", "vaduz-schaan.buildings.osm.bz2"))


def test_real_buildings_count_and_points_inside(vaduz_buildings):
    out = vaduz_buildings
    # the README's 4,806 `building=*` objects are 4,791 closed ways, 11 multipolygon
    # relations and 4 nodes; nodes have no footprint
    assert len(out) == 4_802
    assert (out["osm_type"] == "relation").sum() == 11
    assert out["id"].is_unique
    # the footprints measured here, read by osmnx's own OSM reader
    import osmnx as ox

    feats = ox.features_from_xml(data_path("osm", "vaduz-schaan.buildings.osm.bz2"),
                                 tags={"building": True})
    feats = feats[feats.geom_type.isin(["Polygon", "MultiPolygon"]) & (feats["building"] != "no")]
    area = feats.to_crs(CRS).area
    first = feats["building:levels"].astype("string").str.extract(r"^\s*(\d+(?:\.\d+)?)")[0]
    levels = pd.to_numeric(first, errors="coerce").fillna(1.0)
    assert len(feats) == len(out)
    assert out["area_m2"].sum() == pytest.approx(area.sum(), rel=1e-9)
    assert out["weight"].sum() == pytest.approx((area * levels.where(levels > 0, 1.0)).sum(),
                                                rel=1e-9)
    assert (out["area_m2"] > 0).all()
    feats = _osm.read_features(
        data_path("osm", "vaduz-schaan.buildings.osm.bz2"), key="building", nodes=False
    )
    fp = pd.Series(feats.geometry, index=feats.osm_type + "/" + feats.osm_id.astype(str))
    assert shapely.contains(fp.loc[out["id"]].to_numpy(), out.geometry.to_numpy()).all()


def test_real_buildings_pbf_equals_bz2(vaduz_buildings):
    pbf = demand_from_buildings(data_path("osm", "vaduz-schaan-2024-03-03.osm.pbf"))
    a = vaduz_buildings.set_index("id").sort_index()
    b = pbf.set_index("id").sort_index()
    assert a.index.equals(b.index)
    np.testing.assert_allclose(a["weight"], b["weight"], rtol=1e-12)
    assert shapely.equals_exact(a.geometry.to_numpy(), b.geometry.to_numpy(), 1e-9).all()


def test_real_buildings_same_point_whatever_the_crs(vaduz_buildings):
    """A building's point is taken in metres, so the footprints given in lon/lat, in Web
    Mercator or in UTM give the same point (to a millimetre)."""
    feats = _osm.read_features(
        data_path("osm", "vaduz-schaan.buildings.osm.bz2"), key="building", nodes=False
    )
    ids = feats.osm_type + "/" + feats.osm_id.astype(str)
    fp = gpd.GeoDataFrame({"id": ids, "building": feats.tags["building"].to_numpy()},
                          geometry=feats.geometry, crs=4326)
    fp = fp[fp["building"] != "no"].reset_index(drop=True)
    want = vaduz_buildings.set_index("id").loc[fp["id"]].to_crs(CRS).geometry.to_numpy()
    for crs in (4326, 3857, CRS):
        got = demand_from_buildings(fp.to_crs(crs)).set_index("id").loc[fp["id"]]
        assert shapely.distance(got.to_crs(CRS).geometry.to_numpy(), want).max() < 1e-3, crs
    # in lon/lat, point_on_surface would have put some of them elsewhere
    lonlat = gpd.GeoSeries(shapely.point_on_surface(fp.geometry.to_numpy()), crs=4326)
    moved = shapely.distance(lonlat.to_crs(CRS).to_numpy(), want)
    assert moved.max() > 0.5


def test_real_buildings_residential_and_clip():
    path = data_path("osm", "vaduz-schaan-2024-03-03.osm.pbf")
    homes = demand_from_buildings(path, residential_only=True, weight="count")
    assert len(homes) == 805
    assert homes["building"].isin(RESIDENTIAL_BUILDINGS).all()
    centre = demand_from_buildings(path, clip=(9.505, 47.13, 9.535, 47.15))
    assert 0 < len(centre) < 4_802


# --------------------------------------------------------------------------- points


def test_points_weights_kind_and_defaults(tmp_path):
    path = tmp_path / "arrests.csv"
    path.write_text("id,lon,lat,n,kind\na,9.52,47.14,2,\nb,9.53,47.15,0.5,home\n")
    out = demand_from_points(path, weight_col="n", kind="arrest")
    assert out.crs == "EPSG:4326"
    assert list(out.columns[:3]) == ["id", "kind", "weight"]
    assert out["id"].tolist() == ["a", "b"]
    assert out["kind"].tolist() == ["arrest", "home"]
    assert out["weight"].tolist() == [2.0, 0.5]
    plain = demand_from_points(pd.DataFrame({"lon": [9.52], "lat": [47.14]}))
    assert plain["weight"].tolist() == [1.0]
    assert plain["kind"].tolist() == ["points"]


def test_points_errors(tmp_path):
    frame = pd.DataFrame({"lon": [9.52, 9.53], "lat": [47.14, 47.15], "w": [1.0, -1.0]})
    with pytest.raises(InputError, match=r"negative 'w'"):
        demand_from_points(frame, weight_col="w")
    with pytest.raises(DataError, match=r"all 2 demand weights are 0"):
        demand_from_points(frame.assign(w=0.0), weight_col="w")
    with pytest.raises(InputError, match=r"`weight_col`: the DataFrame has no column 'x'"):
        demand_from_points(frame, weight_col="x")
    osm = write_osm(tmp_path / "a.osm", {1: (LON0, LAT0, {})})
    with pytest.raises(InputError, match=r"OpenStreetMap file; .*demand_from_buildings"):
        demand_from_points(osm)


# --------------------------------------------------------------------------- grids


def write_raster(path: Path, data: np.ndarray, *, crs=CRS, nodata=None, cell=100.0) -> Path:
    rasterio = pytest.importorskip("rasterio")
    from affine import Affine

    profile = {
        "driver": "GTiff",
        "height": data.shape[0],
        "width": data.shape[1],
        "count": 1,
        "dtype": data.dtype.name,
        "transform": Affine(cell, 0.0, X0, 0.0, -cell, Y0 + cell * data.shape[0]),
        "nodata": nodata,
    }
    if crs is not None:
        profile["crs"] = crs
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(data, 1)
    return path


def test_grid_cells_in_degrees_have_their_area_in_square_metres(tmp_path):
    """WorldPop's China grid: 3 arc-second cells in EPSG:4326. At 25.1 N a cell is
    111,195 m/deg / 1200 = 92.66 m high and 92.66 m x cos(25.1 deg) = 83.91 m wide:
    7,775 m² (a sphere of 6,371 km; UTM and the ellipsoid differ by well under 0.5%)."""
    rasterio = pytest.importorskip("rasterio")
    from affine import Affine

    step = 1 / 1200
    profile = {"driver": "GTiff", "height": 1, "width": 2, "count": 1, "dtype": "float32",
               "crs": "EPSG:4326", "transform": Affine(step, 0, 117.0, 0, -step, 25.1 + step / 2)}
    with rasterio.open(tmp_path / "pop.tif", "w", **profile) as ds:
        ds.write(np.array([[3.0, 4.0]], dtype="float32"), 1)
    out = demand_from_grid(tmp_path / "pop.tif")
    np.testing.assert_allclose(out["area_m2"], 7775.0, rtol=5e-3)
    # a polygon grid: the same cells as polygons
    cells = gpd.GeoDataFrame({"population": [3.0, 4.0]}, geometry=[
        shapely.box(117.0 + i * step, 25.1 - step / 2, 117.0 + (i + 1) * step, 25.1 + step / 2)
        for i in range(2)], crs=4326)
    np.testing.assert_allclose(demand_from_grid(cells)["area_m2"], out["area_m2"], rtol=1e-6)


def test_grid_raster_cells_nodata_and_crs(tmp_path):
    data = np.array([[5.0, -1.0, 0.0], [np.nan, 2.5, 7.0]], dtype="float32")
    path = write_raster(tmp_path / "pop.tif", data, nodata=-1.0)
    out = demand_from_grid(path)
    assert out.crs == "EPSG:4326"
    assert list(out.columns) == ["id", "kind", "weight", "area_m2", "row", "col", "geometry"]
    assert out["kind"].unique().tolist() == ["population"]
    np.testing.assert_allclose(out["area_m2"], 100.0 * 100.0)  # 100 m cells in UTM
    # row 0 is the northern row; nodata (-1), 0 and NaN cells are skipped
    assert out["row"].tolist() == [0, 1, 1]
    assert out["col"].tolist() == [0, 1, 2]
    assert out["id"].tolist() == [0, 4, 5]
    assert out["weight"].tolist() == [5.0, 2.5, 7.0]
    np.testing.assert_allclose(
        local_xy(out), [[50.0, 150.0], [150.0, 50.0], [250.0, 50.0]], atol=1e-6
    )


def test_grid_raster_in_lonlat(tmp_path):
    rasterio = pytest.importorskip("rasterio")
    from affine import Affine

    path = tmp_path / "ll.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        height=1,
        width=2,
        count=1,
        dtype="int32",
        crs="EPSG:4326",
        transform=Affine(0.01, 0.0, 9.5, 0.0, -0.01, 47.2),
    ) as ds:
        ds.write(np.array([[3, 4]], dtype="int32"), 1)
    out = demand_from_grid(path, kind="worldpop")
    np.testing.assert_allclose(out.geometry.x, [9.505, 9.515])
    np.testing.assert_allclose(out.geometry.y, [47.195, 47.195])
    assert out["weight"].tolist() == [3.0, 4.0]
    assert out["kind"].tolist() == ["worldpop", "worldpop"]


def test_grid_raster_errors(tmp_path):
    data = np.array([[1.0, 2.0]], dtype="float32")
    good = write_raster(tmp_path / "good.tif", data)
    with pytest.raises(InputError, match=r"`band`: good.tif has 1 band\(s\).*got 2"):
        demand_from_grid(good, band=2)
    with pytest.raises(InputError, match=r"`population_col` applies to polygon grids"):
        demand_from_grid(good, population_col="pop")
    no_crs = write_raster(tmp_path / "nocrs.tif", data, crs=None)
    with pytest.raises(CRSError, match=r"nocrs.tif has no CRS"):
        demand_from_grid(no_crs)
    neg = write_raster(tmp_path / "neg.tif", np.array([[1.0, -3.0]], dtype="float32"))
    with pytest.raises(InputError, match=r"1 cells with a negative population .*-3.*nodata"):
        demand_from_grid(neg)
    zero = write_raster(tmp_path / "zero.tif", np.zeros((2, 2), dtype="float32"))
    with pytest.raises(DataError, match=r"no cell with population > 0"):
        demand_from_grid(zero)
    with pytest.raises(InputError, match=r"file not found"):
        demand_from_grid(tmp_path / "missing.tif")
    junk = tmp_path / "junk.tif"
    junk.write_text("not a tiff")
    with pytest.raises(InputError, match=r"cannot read junk.tif as a raster"):
        demand_from_grid(junk)


def cells(**columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        dict(columns),
        geometry=[square(0, 0, 100), square(100, 0, 100), square(200, 0, 100)],
        crs=CRS,
    )


def test_grid_polygons():
    out = demand_from_grid(cells(Population=[10.0, 0.0, np.nan]))
    assert out["id"].tolist() == [0]
    assert out["weight"].tolist() == [10.0]
    np.testing.assert_allclose(local_xy(out), [[50.0, 50.0]], atol=1e-6)
    out = demand_from_grid(cells(id=["a", "b", "c"], people=[1, 2, 3]), population_col="people")
    assert out["id"].tolist() == ["a", "b", "c"]
    assert out["weight"].tolist() == [1.0, 2.0, 3.0]


def test_grid_polygon_file_and_errors(tmp_path):
    path = tmp_path / "grid.gpkg"
    cells(pop=[1.0, 2.0, 0.0]).to_file(path)
    assert demand_from_grid(path)["weight"].tolist() == [1.0, 2.0]
    with pytest.raises(InputError, match=r"`population_col`: the GeoDataFrame has no population"):
        demand_from_grid(cells(people=[1, 2, 3]))
    with pytest.raises(InputError, match=r"has several"):
        demand_from_grid(cells(pop=[1, 2, 3], population=[1, 2, 3]))
    with pytest.raises(InputError, match=r"`population_col`: the GeoDataFrame has no column 'x'"):
        demand_from_grid(cells(pop=[1, 2, 3]), population_col="x")
    with pytest.raises(InputError, match=r"1 cells of the GeoDataFrame have a negative 'pop'"):
        demand_from_grid(cells(pop=[1, -2, 3]))
    with pytest.raises(DataError, match=r"no cell of the GeoDataFrame has 'pop' > 0"):
        demand_from_grid(cells(pop=[0, 0, np.nan]))
    with pytest.raises(CRSError, match=r"`source` has no CRS"):
        demand_from_grid(gpd.GeoDataFrame({"pop": [1]}, geometry=[square(0, 0)]))
    with pytest.raises(InputError, match=r"`source`: file not found: .*grid.csv"):
        demand_from_grid(tmp_path / "grid.csv")
    (tmp_path / "grid.csv").write_text("a,b\n")
    with pytest.raises(InputError, match=r"cannot read grid.csv: unknown file type. Expected one "
                       r"of: raster \(GeoTIFF\) \(\.tif.*; GeoJSON, GeoPackage"):
        demand_from_grid(tmp_path / "grid.csv")
    with pytest.raises(InputError, match=r"`source`: expected a raster or polygon-grid"):
        demand_from_grid(np.zeros((2, 2)))


# --------------------------------------------------------------------------- grids: area, spread


def grid9() -> gpd.GeoDataFrame:
    """A made-up 3x3 grid of 100 m cells: cell ``i`` (0..8, row by row from the south-west
    corner) covers x in [100 (i % 3), +100], y in [100 (i // 3), +100] and holds i + 1
    people."""
    geoms = [square(100.0 * (i % 3), 100.0 * (i // 3), 100.0) for i in range(9)]
    return gpd.GeoDataFrame({"population": np.arange(1.0, 10.0)}, geometry=geoms, crs=CRS)


def lonlat_box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    """A study area given in metres from (X0, Y0), as the lon/lat polygon a user passes."""
    box = shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)
    return gpd.GeoSeries([box], crs=CRS).to_crs(4326).iloc[0]


def grid9_source(tmp_path: Path, as_raster: bool):
    """The made-up 3x3 grid as polygons, or as a raster (row 0 is the north row) with the
    same people in the same places; and the id of the cell at (column, row from south)."""
    if not as_raster:
        return grid9(), lambda c, r: 3 * r + c
    data = np.arange(1.0, 10.0, dtype="float32").reshape(3, 3)[::-1].copy()
    return write_raster(tmp_path / "grid9.tif", data), lambda c, r: 3 * (2 - r) + c


@pytest.mark.parametrize("as_raster", [False, True], ids=["polygons", "raster"])
def test_grid_cut_by_the_study_area(tmp_path, as_raster):
    source, cell_id = grid9_source(tmp_path, as_raster)
    # the study area is the middle cell: its 5 people, exactly, at its centre
    out = demand_from_grid(source, area=lonlat_box(100, 100, 200, 200))
    assert out["cell"].tolist() == [cell_id(1, 1)]
    assert out["weight"].tolist() == [5.0]
    assert out["id"].tolist() == [0]
    assert out.crs == "EPSG:4326"
    np.testing.assert_allclose(out["area_m2"], [10_000.0], rtol=1e-9)
    np.testing.assert_allclose(local_xy(out), [[150.0, 150.0]], atol=1e-6)
    # the west half of the middle cell: half its people and half its ground, at a point
    # inside that half
    out = demand_from_grid(source, area=lonlat_box(100, 100, 150, 200))
    assert out["cell"].tolist() == [cell_id(1, 1)]
    np.testing.assert_allclose(out["weight"], [2.5], rtol=1e-9)
    np.testing.assert_allclose(out["area_m2"], [5_000.0], rtol=1e-9)
    assert 100.0 < local_xy(out)[0, 0] < 150.0
    # from the middle of the south-west cell to the middle of the north-east one: a
    # quarter of each corner cell, half of each side cell, all of the middle one
    out = demand_from_grid(source, area=lonlat_box(50, 50, 250, 250))
    share = {(0, 0): 0.25, (1, 0): 0.5, (2, 0): 0.25, (0, 1): 0.5, (1, 1): 1.0, (2, 1): 0.5,
             (0, 2): 0.25, (1, 2): 0.5, (2, 2): 0.25}
    expected = {cell_id(c, r): (3 * r + c + 1) * s for (c, r), s in share.items()}
    got = dict(zip(out["cell"], out["weight"], strict=True))
    assert got.keys() == expected.keys()
    np.testing.assert_allclose([got[k] for k in expected], list(expected.values()), rtol=1e-9)
    assert out["weight"].sum() == pytest.approx(0.25 * 20 + 0.5 * 20 + 5, rel=1e-9)  # 20
    assert out["area_m2"].sum() == pytest.approx(200.0 * 200.0, rel=1e-9)
    columns = ["id", "kind", "weight", "area_m2", "cell", *(["row", "col"] * as_raster),
               "geometry"]
    assert list(out.columns) == columns
    # nothing inside the area
    with pytest.raises(DataError, match=r"`area`: no populated cell of `source` lies inside"):
        demand_from_grid(source, area=lonlat_box(1000, 1000, 1100, 1100))


def test_grid_area_leaves_the_cells_as_they_were():
    cells = grid9()
    before = cells.copy()
    demand_from_grid(cells, area=lonlat_box(50, 50, 250, 250))
    pd.testing.assert_frame_equal(cells, before)
    # an area that takes in the whole grid keeps one point per cell, as without it
    whole = demand_from_grid(cells, area=lonlat_box(-10, -10, 310, 310))
    plain = demand_from_grid(cells)
    assert whole["cell"].tolist() == plain["id"].tolist()
    assert whole["weight"].tolist() == plain["weight"].tolist()
    np.testing.assert_allclose(local_xy(whole), local_xy(plain), atol=1e-9)


def two_streets(**kwargs):
    """Made-up streets: one along y = 50 from x = -100 to 400, one along x = 150 from
    y = 200 to 350 (not joined)."""
    x = np.array([-100.0, 400.0, 150.0, 150.0]) + X0
    y = np.array([50.0, 50.0, 200.0, 350.0]) + Y0
    return network_from_arrays(x, y, [0, 2], [1, 3], crs=CRS, largest_component=False,
                               **kwargs)


def test_grid_spread_over_streets_by_length():
    """A made-up cell of 300 m x 300 m with 400 people holds 300 m of one made-up street
    (it runs on beyond both sides) and 100 m of the other (from y = 200 to the cell's
    edge at 300): 300 and 100 people, a point every 50 m weighing 50 people. A second
    cell, 7 people and no street, keeps them at its representative point."""
    cells = gpd.GeoDataFrame({"population": [400.0, 7.0]},
                             geometry=[square(0, 0, 300), square(0, 400, 100)], crs=CRS)
    with pytest.warns(AedplanWarning, match=r"`source`: 1 populated grid cell \(7 people, "
                      r"1\.7% of them\) has no street of `net` inside: its people stay at "
                      r"the cell's representative point. To leave such cells out, draw the "
                      r"study area \(`area`\) tighter around the streets"):
        out = demand_from_grid(cells, net=two_streets())
    assert out.crs == "EPSG:4326"
    assert out["cell"].tolist() == [0] * 8 + [1]
    assert out["id"].tolist() == list(range(9))
    xy = local_xy(out)
    on_first, on_second = np.isclose(xy[:, 1], 50.0), np.isclose(xy[:, 0], 150.0) & (xy[:, 1] > 60)
    assert out["weight"][on_first].sum() == pytest.approx(300.0, rel=1e-12)
    assert out["weight"][on_second].sum() == pytest.approx(100.0, rel=1e-12)
    np.testing.assert_allclose(out["weight"][:8], 50.0, rtol=1e-12)
    np.testing.assert_allclose(np.sort(xy[on_first, 0]), [25, 75, 125, 175, 225, 275], atol=1e-6)
    np.testing.assert_allclose(np.sort(xy[on_second, 1]), [225, 275], atol=1e-6)
    np.testing.assert_allclose(xy[8], [50.0, 450.0], atol=1e-6)  # the second cell's centre
    assert out["weight"].iloc[8] == 7.0
    # each point stands for its share of the cell's ground: 90,000 m² / 8 each
    np.testing.assert_allclose(out["area_m2"][:8], 90_000.0 / 8, rtol=1e-9)
    assert out["area_m2"].sum() == pytest.approx(100_000.0, rel=1e-9)


def test_grid_raster_spread_over_streets(tmp_path):
    """A made-up 3x3 raster of 100 m cells (1..9 people, the south row holding 1, 2, 3)
    under the made-up street along y = 50 (the south row's middle): each south cell's
    people on its 100 m of street, the others' at their centres."""
    data = np.arange(1.0, 10.0, dtype="float32").reshape(3, 3)[::-1].copy()
    street = two_streets()
    with pytest.warns(AedplanWarning, match=r"5 populated grid cells \(31 people, 68\.9% of "
                      r"them\) have no street"):
        out = demand_from_grid(write_raster(tmp_path / "pop.tif", data), net=street)
    south = out["row"].to_numpy() == 2
    assert out["weight"][south].tolist() == [0.5, 0.5, 1.0, 1.0, 1.5, 1.5]
    np.testing.assert_allclose(local_xy(out[south])[:, 0], [25, 75, 125, 175, 225, 275],
                               atol=1e-6)
    # the north-middle cell holds 100 m of the second street; the other 5 have none
    assert out.groupby("cell")["weight"].sum().to_dict() == {
        i: float(v) for i, v in enumerate(data.ravel())}


def test_grid_area_that_touches_a_cell_along_a_street():
    """A made-up study area of two parts: the west half of a made-up cell (10 people), and
    the cell east of it (6 people), which the area touches along the made-up street
    between the two. The first cell keeps its 5 people in its west half, which has no
    street: the street on its edge is no part of it."""
    d = 0.001  # cells in lon/lat, as WorldPop's
    west, east = shapely.box(9.5, 47.1, 9.5 + d, 47.1 + d), shapely.box(9.5 + d, 47.1,
                                                                        9.5 + 2 * d, 47.1 + d)
    cells = gpd.GeoDataFrame({"population": [10.0, 6.0]}, geometry=[west, east], crs=4326)
    area = shapely.MultiPolygon([shapely.box(9.5, 47.1, 9.5 + d / 2, 47.1 + d), east])
    x, y = Transformer.from_crs(4326, CRS, always_xy=True).transform([9.5 + d] * 2,
                                                                     [47.1, 47.1 + d])
    street = network_from_arrays(x, y, [0], [1], crs=CRS)
    with pytest.warns(AedplanWarning, match=r"1 populated grid cell \(5 people, 45\.5% of "
                      r"them\) has no street"):
        out = demand_from_grid(cells, area=area, net=street)
    assert out["cell"].tolist() == [0, 1, 1, 1]  # the street is 111 m long: 3 points
    # half the cell in degrees is half its ground to 1e-6 (measured in UTM)
    np.testing.assert_allclose(out["weight"], [5.0, 2.0, 2.0, 2.0], rtol=1e-5)
    assert out.geometry.x.iloc[0] < 9.5 + d / 2


@pytest.fixture(scope="module")
def vaduz_streets():
    """The embedded default: the real streets and AEDs of Vaduz and Schaan."""
    import aedplan
    from aedplan.datasets import default_osm_path

    with warnings.catch_warnings():  # the real data's own warnings, tested elsewhere
        warnings.simplefilter("ignore", AedplanWarning)
        net = aedplan.load_network(None)
    return net, aedplan.read_points(default_osm_path())


def vaduz_cell(net) -> shapely.Polygon:
    """A made-up 1 km square cell over the centre of Vaduz, in the network's CRS."""
    x, y = Transformer.from_crs(4326, net.crs, always_xy=True).transform(9.5215, 47.14)
    x, y = round(x, -2), round(y, -2)
    return shapely.box(x - 500, y - 500, x + 500, y + 500)


def test_grid_spread_over_real_streets(vaduz_streets):
    import aedplan

    net, aeds = vaduz_streets
    cell = vaduz_cell(net)
    people = 5000.0
    grid = gpd.GeoDataFrame({"population": [people]}, geometry=[cell], crs=net.crs)
    out = demand_from_grid(grid, net=net)
    assert out["weight"].sum() == pytest.approx(people, rel=1e-12)
    assert out["area_m2"].sum() == pytest.approx(1e6, rel=1e-9)
    assert out["weight"].max() <= people * 50.0 / 18_000  # a point every 50 m at most
    # the streets in the cell, cut at its edges (18.6 km of them)
    pieces = shapely.intersection(net.edge_geometry, cell)
    length = shapely.length(pieces)
    total = length.sum()
    assert 18_000 < total < 19_000
    # weights in proportion to street length: each point lies on one edge's piece, and
    # an edge's points weigh the cell's people x the piece's share of the street length
    pts = out.to_crs(net.crs).geometry.to_numpy()
    p, e = shapely.STRtree(pieces).query(pts, predicate="dwithin", distance=1e-6)
    assert np.array_equal(np.sort(p), np.arange(len(out)))  # one edge each
    per_edge = np.bincount(e, weights=out["weight"].to_numpy()[p], minlength=net.n_edges)
    np.testing.assert_allclose(per_edge, people * length / total, rtol=1e-9, atol=1e-9)
    # coverage of the spread people = coverage of the street length in the cell, as
    # demand_from_network measures it on the same pieces (made into a network of their own)
    parts = shapely.get_parts(pieces)
    parts = parts[(shapely.get_type_id(parts) == 1) & (shapely.length(parts) > 0)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        inside = aedplan.load_network(gpd.GeoDataFrame(geometry=parts, crs=net.crs),
                                      crs=net.crs, largest_component=False)
    streets = demand_from_network(inside)
    assert len(streets) == len(out)
    spread_today = aedplan.coverage_today(net, out, aeds)
    street_today = aedplan.coverage_today(net, streets, aeds)
    assert spread_today.coverage == pytest.approx(street_today.coverage, abs=1e-12)
    assert spread_today.coverage == pytest.approx(0.306, abs=1e-3)
    # one point at the cell's centre reads it all covered: the centre is 4 min from an AED
    assert aedplan.coverage_today(net, demand_from_grid(grid), aeds).coverage == 1.0
    # the network's own demand points in the cell agree but on the 28 edges that cross
    # the cell's edge: there its points are placed along the whole edge, not the piece.
    # Coverage can differ by at most the share of weight on those edges (12% of the
    # street length); it differs by 0.3 points.
    everywhere = demand_from_network(net).to_crs(net.crs)
    in_cell = everywhere[shapely.contains(cell, everywhere.geometry.to_numpy())]
    crossing = shapely.intersects(net.edge_geometry, cell.boundary)
    bound = max(length[crossing].sum() / total,
                in_cell["weight"][crossing[in_cell["edge"]]].sum() / in_cell["weight"].sum())
    assert 0.1 < bound < 0.15
    network_today = aedplan.coverage_today(net, in_cell, aeds)
    assert abs(network_today.coverage - spread_today.coverage) < bound


def test_grid_spread_does_not_hang_on_the_cells_centre(vaduz_streets):
    """The same made-up cell with a hole off every street, on the line through its middle,
    so that its representative point moves: the same streets, the same points."""
    import aedplan

    net, aeds = vaduz_streets
    cell = vaduz_cell(net)
    x0, y0, x1, y1 = cell.bounds
    mid_y = (y0 + y1) / 2
    across = shapely.LineString([(x0, mid_y), (x1, mid_y)])
    cuts = np.sort(shapely.get_coordinates(shapely.intersection(net.edge_geometry, across))[:, 0])
    ends = np.concatenate([[x0], cuts, [x1]])
    k = int(np.argmax(np.diff(ends)))  # the widest stretch of the line without a street
    gap_x = (ends[k] + ends[k + 1]) / 2
    hole = shapely.box(gap_x - 5, mid_y - 5, gap_x + 5, mid_y + 5)
    assert not shapely.intersects(net.edge_geometry, hole).any()
    holed = shapely.Polygon(cell.exterior, [hole.exterior])
    assert shapely.distance(shapely.point_on_surface(cell), shapely.point_on_surface(holed)) > 20
    frames = [gpd.GeoDataFrame({"population": [5000.0]}, geometry=[g], crs=net.crs)
              for g in (cell, holed)]
    full, with_hole = (demand_from_grid(f, net=net) for f in frames)
    assert with_hole["weight"].tolist() == pytest.approx(full["weight"].tolist(), rel=1e-12)
    np.testing.assert_allclose(local_xy(with_hole), local_xy(full), atol=1e-6)
    assert aedplan.coverage_today(net, with_hole, aeds).coverage == pytest.approx(
        aedplan.coverage_today(net, full, aeds).coverage, abs=1e-12)
    assert with_hole["area_m2"].sum() == pytest.approx(1e6 - 100.0, rel=1e-9)


def test_grid_overlapping_cells_warn():
    # a made-up grid with one cell twice: its people counted twice
    cells = grid9()
    twice = pd.concat([cells, cells.iloc[[4]]], ignore_index=True)
    with pytest.warns(AedplanWarning, match=r"`source`: 2 grid cells overlap \(100\.0% of "
                      r"their area\): their people are counted twice.*drop duplicate cells"):
        out = demand_from_grid(twice)
    assert out["weight"].sum() == 45.0 + 5.0
    # made-up cells in a row, each 40 m into the next: 3 cells span 220 m, of which 2 x 40 m
    # lie under two cells (36.4%); 9 cells span 580 m, 8 x 40 m under two (55.2%)
    shifted = cells.copy()
    shifted.geometry = [shapely.box(X0 + 60 * i, Y0, X0 + 60 * i + 100, Y0 + 100)
                        for i in range(9)]
    with pytest.warns(AedplanWarning, match=r"`source`: 9 grid cells overlap \(55\.2% of"):
        demand_from_grid(shifted)
    with pytest.warns(AedplanWarning, match=r"`source`: 3 grid cells overlap \(36\.4% of"):
        demand_from_grid(shifted.iloc[:3])
    # cut by the area too: the overlap inside it counts
    with pytest.warns(AedplanWarning, match=r"2 grid cells overlap"):
        demand_from_grid(twice, area=lonlat_box(100, 100, 200, 200))
    # under 1% of a cell (a sliver of 0.5 m x 100 m) is rounding, not counted twice
    sliver = cells.copy()
    sliver.geometry = [*cells.geometry[:8], shapely.box(X0 + 199.5, Y0 + 200, X0 + 300,
                                                        Y0 + 300)]
    assert demand_from_grid(sliver)["weight"].sum() == 45.0


def made_up_buildings(xy_weight: list[tuple[float, float, float]]) -> gpd.GeoDataFrame:
    """Made-up building points with floor areas, in lon/lat as demand_from_buildings
    returns them."""
    pts = gpd.GeoDataFrame({"weight": [w for *_, w in xy_weight]},
                           geometry=[shapely.Point(X0 + x, Y0 + y) for x, y, _ in xy_weight],
                           crs=CRS)
    return pts.to_crs(4326)


def test_grid_spread_over_buildings():
    """Made-up cells: the first (90 people) has buildings of 100 and 200 m² floor area (and
    one of 0 m²): 30 and 60 people. The second (10 people) has no building: over its
    100 m of a made-up street, 5 people every 50 m. The third (3 people) has neither."""
    cells = gpd.GeoDataFrame({"population": [90.0, 10.0, 3.0]},
                             geometry=[square(0, 0, 100), square(100, 0, 100),
                                       square(0, 200, 100)], crs=CRS)
    houses = made_up_buildings([(20, 20, 100.0), (70, 70, 200.0), (50, 10, 0.0),
                                (500, 500, 1000.0)])
    street = network_from_arrays([X0 + 100, X0 + 200], [Y0 + 50, Y0 + 50], [0], [1], crs=CRS)
    with pytest.warns(AedplanWarning, match=r"1 populated grid cell \(3 people, 2\.9% of "
                      r"them\) has no street of `net` nor building of `buildings` inside"):
        out = demand_from_grid(cells, net=street, spread="buildings", buildings=houses)
    assert out["cell"].tolist() == [0, 0, 1, 1, 2]
    np.testing.assert_allclose(out["weight"], [30.0, 60.0, 5.0, 5.0, 3.0], rtol=1e-12)
    np.testing.assert_allclose(local_xy(out), [[20, 20], [70, 70], [125, 50], [175, 50],
                                               [50, 250]], atol=1e-6)
    np.testing.assert_allclose(out["area_m2"], [10_000 / 3, 20_000 / 3, 5_000, 5_000, 10_000])
    # without streets the second cell stays at its centre too
    with pytest.warns(AedplanWarning, match=r"2 populated grid cells \(13 people, 12\.6% of "
                      r"them\) have no building of `buildings` inside"):
        out = demand_from_grid(cells, spread="buildings", buildings=houses)
    np.testing.assert_allclose(out["weight"], [30.0, 60.0, 10.0, 3.0], rtol=1e-12)


def test_grid_spread_errors(line5):
    cells = grid9()
    houses = made_up_buildings([(20, 20, 100.0)])
    with pytest.raises(InputError, match=r"`spread` must be 'streets' \(by street length\) or "
                       r"'buildings' \(by the buildings' floor area\), got 'roads'"):
        demand_from_grid(cells, net=line5, spread="roads")
    with pytest.raises(InputError, match=r"`spread='buildings'` needs `buildings`: pass "
                       r"`buildings=demand_from_buildings\(osm\)`"):
        demand_from_grid(cells, spread="buildings")
    with pytest.raises(InputError, match=r"`buildings` is used only with `spread='buildings'`"):
        demand_from_grid(cells, buildings=houses)
    with pytest.raises(InputError, match=r"`net`: expected a WalkNetwork .* got str"):
        demand_from_grid(cells, net="streets.osm")
    with pytest.raises(InputError, match=r"`area`: expected lon/lat in EPSG:4326, got bounds "
                       r"\(500000, .*Is it in metres\?"):
        demand_from_grid(cells, area=square(0, 0, 100))
    with pytest.raises(InputError, match=r"`area`: expected a bbox .* got str"):
        demand_from_grid(cells, area="Vaduz")
    bowtie = shapely.Polygon([(9.5, 47.1), (9.6, 47.2), (9.6, 47.1), (9.5, 47.2)])
    with pytest.raises(InputError, match=r"`area` is not a valid polygon \(Self-intersection"
                       r".*shapely.make_valid"):
        demand_from_grid(cells, area=bowtie)
    with pytest.raises(InputError, match=r"`buildings` has no `weight` column"):
        demand_from_grid(cells, spread="buildings", buildings=houses.drop(columns="weight"))
    with pytest.raises(InputError, match=r"`buildings`: 1 weights are missing, negative"):
        demand_from_grid(cells, spread="buildings", buildings=houses.assign(weight=-1.0))
    with pytest.raises(InputError, match=r"`buildings`: expected a GeoDataFrame"):
        demand_from_grid(cells, spread="buildings", buildings=[(0, 0)])
    with pytest.raises(CRSError, match=r"`buildings` has no CRS"):
        demand_from_grid(cells, spread="buildings", buildings=houses.set_crs(None,
                                                                             allow_override=True))
    # every problem at once, in one error
    with pytest.raises(InputError, match=r"`spread` must be .*`net`: expected .*`area`: "):
        demand_from_grid(cells, net=1, spread="x", area="y")
    # points are not cells to cut or spread over
    dots = gpd.GeoDataFrame({"population": [1.0, 2.0]},
                            geometry=[shapely.Point(X0, Y0), square(0, 0, 100)], crs=CRS)
    with pytest.raises(InputError, match=r"`source` has cells that are not polygons \(1 Point\)"):
        demand_from_grid(dots, net=line5)


# --------------------------------------------------------------------------- network


def test_network_points_on_grid(grid3):
    out = demand_from_network(grid3)
    assert out.crs == "EPSG:4326"  # as every builder, lon/lat
    assert len(out) == 24  # 12 edges of 100 m, 2 points each
    assert out["weight"].sum() == 1200.0
    assert (out["weight"] == 50.0).all()
    assert (out["kind"] == "network").all()
    assert out["id"].tolist() == list(range(24))
    assert np.bincount(out["edge"]).tolist() == [2] * 12


@pytest.mark.parametrize(
    ("spacing", "positions"),
    [
        (50.0, [25.0, 75.0]),
        (30.0, [12.5, 37.5, 62.5, 87.5]),
        (100.0, [50.0]),
        (1000.0, [50.0]),
        (40.0, [100 / 6, 50.0, 500 / 6]),
    ],
)
def test_network_spacing_positions(line5, spacing, positions):
    out = demand_from_network(line5, spacing_m=spacing)
    assert out["weight"].sum() == pytest.approx(400.0, rel=1e-12)
    first = out[out["edge"] == 0]
    np.testing.assert_allclose(first["position_m"], positions, atol=1e-9)
    np.testing.assert_allclose(first["weight"], 100.0 / len(positions), atol=1e-12)
    # the edge's geometry runs from its u node: map the positions onto x
    u = line5.edge_u[0]
    xy = local_xy(first)
    start = line5.x[u] - X0
    direction = np.sign((line5.x[line5.edge_v[0]] - X0) - start)
    np.testing.assert_allclose(xy[:, 0], start + direction * np.array(positions), atol=1e-6)
    np.testing.assert_allclose(xy[:, 1], 0.0, atol=1e-6)


def test_network_real_total_length():
    from aedplan.network import load_network

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        net = load_network(data_path("osm", "vaduz-centre.network.osm.bz2"))
    out = demand_from_network(net, spacing_m=50.0)
    assert out["weight"].sum() == pytest.approx(net.total_length_m, rel=1e-12)
    assert out["weight"].max() <= 50.0 + 1e-9
    assert len(out) >= net.total_length_m / 50.0


def test_network_errors(grid3):
    with pytest.raises(InputError, match=r"`spacing_m` must be a positive number, got 0"):
        demand_from_network(grid3, spacing_m=0)
    with pytest.raises(InputError, match=r"`spacing_m` must be a positive number"):
        demand_from_network(grid3, spacing_m="far")
    with pytest.raises(InputError, match=r"`net`: expected a WalkNetwork"):
        demand_from_network(footprints())
