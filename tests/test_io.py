"""Reading points (CSV, GeoJSON, GeoPackage, Shapefile, OSM, GeoDataFrame) and atomic writes."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from aedplan._datum import gcj02_to_wgs84, wgs84_to_bd09, wgs84_to_gcj02
from aedplan.errors import AedplanError, AedplanWarning, CRSError, InputError
from aedplan.io import OSM_AED_TAGS, read_points
from aedplan.outputs import atomic_path, write_atomic

from .conftest import data_path

# three AED-like points in Vaduz (lon, lat)
LON = np.array([9.5209, 9.5237, 9.5150])
LAT = np.array([47.1410, 47.1390, 47.1480])
# three points in Wuhan, where GCJ-02 differs from WGS84 by a few hundred metres
WUHAN_LON = np.array([114.3054, 114.2734, 114.3620])
WUHAN_LAT = np.array([30.5931, 30.5801, 30.5400])


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def csv_text(lon_name: str, lat_name: str, lon=LON, lat=LAT, sep: str = ",") -> str:
    rows = [sep.join(["name", lon_name, lat_name])]
    rows += [
        sep.join([f"AED {i}", repr(float(x)), repr(float(y))])
        for i, (x, y) in enumerate(zip(lon, lat, strict=True))
    ]
    return "\n".join(rows) + "\n"


def assert_points(gdf: gpd.GeoDataFrame, lon, lat, atol: float = 1e-12) -> None:
    assert gdf.crs == "EPSG:4326"
    assert (gdf.geom_type == "Point").all()
    np.testing.assert_allclose(gdf.geometry.x.to_numpy(), lon, rtol=0, atol=atol)
    np.testing.assert_allclose(gdf.geometry.y.to_numpy(), lat, rtol=0, atol=atol)


# --- CSV --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lon_name", "lat_name"),
    [
        ("lon", "lat"),
        ("Longitude", "Latitude"),
        ("LNG", "LAT"),
        ("long", "lat"),
        ("x", "y"),
        (" Lon ", " Lat "),
        ("经度", "纬度"),
    ],
)
def test_csv_detects_coordinate_columns(tmp_path, lon_name, lat_name):
    path = write_text(tmp_path / "aeds.csv", csv_text(lon_name, lat_name))
    gdf = read_points(path)
    assert_points(gdf, LON, LAT)
    assert list(gdf.columns) == ["id", "name", "geometry"]  # coordinate columns consumed
    assert gdf["id"].tolist() == [0, 1, 2]
    assert gdf["name"].tolist() == ["AED 0", "AED 1", "AED 2"]
    assert isinstance(gdf.index, pd.RangeIndex)


def test_csv_explicit_columns_and_extra_columns_kept(tmp_path):
    text = "ost;nord;etage;Name\n9,5209;47,1410;2;Rathaus\n9,5237;47,1390;0;\n"
    path = write_text(tmp_path / "aeds.csv", text)  # ';' with decimal commas (Excel, de-CH)
    gdf = read_points(path, lon_col="OST", lat_col="nord")
    assert_points(gdf, LON[:2], LAT[:2])
    assert gdf["etage"].tolist() == [2, 0]
    assert gdf["name"].tolist() == ["Rathaus", None]
    assert "Name" not in gdf


def test_csv_with_bom_and_tabs(tmp_path):
    path = tmp_path / "aeds.tsv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text("lon", "lat", sep="\t").encode())
    assert_points(read_points(path), LON, LAT)


def test_csv_without_name_gets_none(tmp_path):
    path = write_text(tmp_path / "p.csv", "lat,lon\n47.141,9.5209\n")
    gdf = read_points(path)
    assert gdf["name"].tolist() == [None]
    assert gdf["name"].dtype == object


def test_csv_ids_from_column_keep_their_text(tmp_path):
    path = write_text(tmp_path / "p.csv", "code,lon,lat\n007,9.52,47.14\nA12,9.53,47.15\n")
    gdf = read_points(path, id_col="code")
    assert gdf["id"].tolist() == ["007", "A12"]
    assert gdf["code"].tolist() == ["007", "A12"]


def test_csv_id_column_named_id_is_used(tmp_path):
    path = write_text(tmp_path / "p.csv", "id,lon,lat\n17,9.52,47.14\n4,9.53,47.15\n")
    assert read_points(path)["id"].tolist() == [17, 4]


def test_csv_missing_or_non_numeric_coordinates_named(tmp_path):
    text = "id,lon,lat\n10,9.52,47.14\n11,,47.15\n12,9.53,47.15\n13,9.54,north\n"
    path = write_text(tmp_path / "aeds.csv", text)
    with pytest.raises(
        InputError,
        match=r"`source`: aeds\.csv has 1 problem: 2 rows \(ids 11, 13; lines 3, 5\) have missing "
        r"or non-numeric coordinates in columns 'lon'/'lat'\. Fix or remove those rows\.",
    ):
        read_points(path)


def test_csv_many_bad_rows_are_abbreviated(tmp_path):
    text = "lon,lat\n" + "x,47\n" * 8
    with pytest.raises(InputError, match=r"8 rows \(ids 0, 1, 2, 3, 4, \.\.\.; lines 2, 3, 4"):
        read_points(write_text(tmp_path / "p.csv", text))


def test_csv_swapped_lon_lat_detected(tmp_path):
    # Wuhan with the columns the wrong way round: latitude 114 is impossible
    path = write_text(tmp_path / "p.csv", csv_text("lat", "lon", WUHAN_LON, WUHAN_LAT))
    with pytest.raises(
        InputError,
        match=r"3 rows \(ids 0, 1, 2; lines 2, 3, 4\) have coordinates outside longitude "
        r"-180\.\.180 / latitude -90\.\.90: are lon/lat swapped\? If so, pass "
        r"`lon_col='lat'` and `lat_col='lon'`",
    ):
        read_points(path)
    # the suggested fix works
    assert_points(read_points(path, lon_col="lat", lat_col="lon"), WUHAN_LON, WUHAN_LAT)


def test_csv_projected_values_detected(tmp_path):
    path = write_text(tmp_path / "p.csv", "x,y\n759000.5,5224000.25\n760100,5225300\n")
    with pytest.raises(
        InputError,
        match=r"\(up to 5,225,300\): these look like projected coordinates, perhaps a UTM "
        r"zone \(EPSG:326NN in the north, 327NN in the south; NN the zone\); "
        r"pass `crs='EPSG:\.\.\.'` with the CRS they are in",
    ):
        read_points(path)


def test_csv_out_of_range_otherwise(tmp_path):
    path = write_text(tmp_path / "p.csv", "lon,lat\n200,47\n")
    with pytest.raises(InputError, match=r"outside longitude -180\.\.180 / latitude -90\.\.90\."):
        read_points(path)


def test_csv_projected_with_crs_is_reprojected(tmp_path):
    to_utm = Transformer.from_crs(4326, 32632, always_xy=True)
    x, y = to_utm.transform(LON, LAT)
    text = "x,y\n" + "".join(f"{float(a)!r},{float(b)!r}\n" for a, b in zip(x, y, strict=True))
    gdf = read_points(write_text(tmp_path / "p.csv", text), crs="EPSG:32632")
    assert_points(gdf, LON, LAT, atol=1e-9)


def test_csv_projected_crs_out_of_area(tmp_path):
    path = write_text(tmp_path / "p.csv", "x,y\n1e13,1e13\n500000,5200000\n")
    with pytest.raises(CRSError, match=r"1 row \(id 0; line 2\) of p\.csv cannot be transformed"):
        read_points(path, crs="EPSG:32632")


def test_csv_ambiguous_columns(tmp_path):
    path = write_text(tmp_path / "p.csv", "lon,x,lat\n9.52,1,47.14\n")
    with pytest.raises(
        InputError,
        match=r"`source`: p\.csv has several possible longitude columns \('lon', 'x'\); "
        r"pass `lon_col=` to choose one",
    ):
        read_points(path)


def test_csv_no_coordinate_column(tmp_path):
    path = write_text(tmp_path / "p.csv", "name,east,lat\nA,9.52,47.14\n")
    with pytest.raises(
        InputError,
        match=r"`source`: found no longitude column in p\.csv; expected one named lon, lng, long, "
        r"longitude, x, easting, 经度, 經度, 地點lng, 地点lng, längengrad, laengengrad, "
        r"longitud, location\.lng, "
        r"location\.lon, location_lng \(any case\), or one \"location\" column of "
        r"\"lng,lat\"; its "
        r"columns are 'name', 'east', 'lat'\. "
        r"Pass `lon_col=` to name it\.",
    ):
        read_points(path)


def test_csv_named_column_missing(tmp_path):
    path = write_text(tmp_path / "p.csv", "lon,lat\n9.52,47.14\n")
    with pytest.raises(InputError, match=r"`lat_col`: p\.csv has no column 'breite'"):
        read_points(path, lat_col="breite")
    with pytest.raises(InputError, match=r"`lon_col`/`lat_col`: both name column 'lon'"):
        read_points(path, lon_col="lon", lat_col="lon")


def test_csv_header_only_and_empty_file(tmp_path):
    with pytest.raises(InputError, match=r"`source`: h\.csv has a header but no rows"):
        read_points(write_text(tmp_path / "h.csv", "lon,lat\n"))
    with pytest.raises(InputError, match=r"`source`: e\.csv is empty \(0 bytes\)"):
        read_points(write_text(tmp_path / "e.csv", ""))
    with pytest.raises(InputError, match=r"`source`: b\.csv has no header and no rows"):
        read_points(write_text(tmp_path / "b.csv", "\n\n"))


def test_csv_encodings(tmp_path):
    """Excel's CSV on Chinese Windows (GBK), a German registry in Latin-1, UTF-8 with a
    BOM: each read right, the encoding said when it is not UTF-8."""
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("名称,经度,纬度\n武汉站,114.42,30.61\n汉口站,114.26,30.62\n".encode("gbk"))
    with pytest.warns(AedplanWarning, match=r"gbk\.csv is not UTF-8; read it as gb18030"):
        got = read_points(gbk)
    assert got["name"].tolist() == ["武汉站", "汉口站"]
    assert_points(got, [114.42, 114.26], [30.61, 30.62])
    german = tmp_path / "de.csv"
    german.write_bytes("Bezeichnung;Längengrad;Breitengrad\nRathaus Vaduz;9,5215;47,1397\n"
                       "Bäckerei Müller;9,52;47,14\n".encode("latin-1"))
    with pytest.warns(AedplanWarning, match=r"read it as cp1252"):
        got = read_points(german)
    assert got["name"].tolist() == ["Rathaus Vaduz", "Bäckerei Müller"]
    assert_points(got, [9.5215, 9.52], [47.1397, 47.14])
    bom = write_text(tmp_path / "bom.csv", "\ufeffname,lon,lat\nA,9.52,47.14\n")
    assert read_points(bom)["name"].tolist() == ["A"]  # no warning: UTF-8
    # told, the encoding is used as given
    assert read_points(german, encoding="latin-1")["name"].tolist()[1] == "Bäckerei Müller"
    with pytest.raises(InputError, match=r"`encoding`: 'klingon' is not an encoding"):
        read_points(german, encoding="klingon")


@pytest.mark.parametrize("text", [
    "name,lon,lat\nGemeindehaus Zürich,9.5215,47.1399\n",
    "name\nStraße,1\nCafé Größe,2\n",
    "Bezeichnung\nÄrztehaus Schaan\n",
])
def test_a_short_western_file_is_not_read_as_chinese(text):
    """A short Latin-1 file is as clean in GB18030 to a detector ("Zürich" reads "Z黵ich"):
    read as cp1252 whatever charset-normalizer's version guesses, while Chinese text in
    the common characters stays GB18030."""
    from aedplan._files import _detected

    assert _detected(text.encode("latin-1")) == "cp1252"
    assert _detected("名称,地址\n龙岩市第一医院,新罗区九一路\n".encode("gbk")) == "gb18030"


def test_excel_registry(tmp_path):
    """AED registries come as spreadsheets: a sheet is read as a table."""
    frame = pd.DataFrame({"Standort": ["Rathaus", "Post"], "lon": [9.5215, 9.5095],
                          "lat": [47.1397, 47.166], "Nummer": ["A-1", "A-2"]})
    frame.to_excel(tmp_path / "aeds.xlsx", index=False)
    got = read_points(tmp_path / "aeds.xlsx", name_col="Standort", id_col="Nummer")
    assert got["name"].tolist() == ["Rathaus", "Post"]
    assert got["id"].tolist() == ["A-1", "A-2"]
    assert_points(got, [9.5215, 9.5095], [47.1397, 47.166])
    broken = write_text(tmp_path / "broken.xlsx", "not really a workbook")
    with pytest.raises(InputError, match=r"cannot read broken\.xlsx as an Excel workbook"):
        read_points(broken)


def _workbook(path, sheets):
    with pd.ExcelWriter(path) as book:
        for name, rows in sheets.items():
            pd.DataFrame(rows).to_excel(book, sheet_name=name, header=False, index=False)
    return path


def test_a_workbooks_sheets_of_points_are_read_as_one(tmp_path):
    """A registry kept a sheet per district (made-up rows): sheets with the same columns
    are read one after another, said in a warning; an empty Sheet1 and a sheet of notes
    are not tables; sheets whose columns differ are refused, named."""
    header = ["名称", "经度", "纬度"]
    xinluo = [header, ["新罗区人民医院", 117.03, 25.08], ["龙岩站", 117.01, 25.10]]
    shanghang = [header, ["上杭县医院", 116.42, 25.05]]
    path = _workbook(tmp_path / "aeds.xlsx", {"Sheet1": [[None]], "说明": [["坐标为 WGS-84"]],
                                              "新罗区": xinluo, "上杭县": shanghang})
    with pytest.warns(AedplanWarning, match=r"aeds\.xlsx has 2 sheets with the same "
                                            r"columns \(新罗区, 上杭县\); they are read as "
                                            r"one table of 3 rows"):
        points = read_points(path)
    assert points["name"].tolist() == ["新罗区人民医院", "龙岩站", "上杭县医院"]
    assert_points(points, [117.03, 117.01, 116.42], [25.08, 25.10, 25.05])
    # the points on the second sheet, the first empty: read, and nothing to say
    one = _workbook(tmp_path / "one.xlsx", {"Sheet1": [[None]], "新罗区": xinluo})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_points(one)["name"].tolist() == ["新罗区人民医院", "龙岩站"]
    other = _workbook(tmp_path / "other.xlsx", {
        "新罗区": xinluo, "统计": [["区", "数量"], ["新罗区", 2]]})
    with pytest.raises(InputError, match=r"other\.xlsx has 2 sheets with data and their "
                                         r"columns differ \(新罗区: 名称, 经度, 纬度; 统计: 区, "
                                         r"数量\)"):
        read_points(other)
    empty = _workbook(tmp_path / "empty.xlsx", {"Sheet1": [[None]], "说明": [["待补充"]]})
    with pytest.raises(InputError, match=r"empty\.xlsx has no table in any sheet"):
        read_points(empty)
    header_only = _workbook(tmp_path / "header.xlsx", {"Sheet1": [header]})
    with pytest.raises(InputError, match=r"header\.xlsx has a header but no rows"):
        read_points(header_only)


def test_csv_weight_and_access_s(tmp_path):
    text = "lon,lat,pop,access_s\n9.52,47.14,10,30\n9.53,47.15,2.5,0\n"
    gdf = read_points(write_text(tmp_path / "p.csv", text), weight_col="pop")
    assert gdf["weight"].tolist() == [10.0, 2.5]
    assert gdf["weight"].dtype == float
    assert gdf["access_s"].tolist() == [30.0, 0.0]
    assert gdf["pop"].tolist() == [10, 2.5]


def test_csv_weight_column_named_weight_is_validated(tmp_path):
    text = "lon,lat,weight\n9.52,47.14,1\n9.53,47.15,-1\n"
    with pytest.raises(
        InputError, match=r"1 row \(id 1; line 3\) has a negative 'weight' \(a weight\)"
    ):
        read_points(write_text(tmp_path / "p.csv", text))


def test_csv_bad_weight_and_access_s(tmp_path):
    text = "lon,lat,w,access_s\n9.52,47.14,many,30\n9.53,47.15,1,-5\n9.53,47.15,inf,5\n"
    path = write_text(tmp_path / "p.csv", text)
    with pytest.raises(
        InputError,
        match=r"has 2 problems: 2 rows \(ids 0, 2; lines 2, 4\) have a missing, non-numeric or "
        r"infinite 'w' \(a weight\); expected a number >= 0; 1 row \(id 1; line 3\) has a "
        r"negative 'access_s' \(seconds to get the AED once at its site\)",
    ):
        read_points(path, weight_col="w")
    with pytest.raises(InputError, match=r"`weight_col`: p\.csv has no column 'people'"):
        read_points(path, weight_col="people")


def test_every_problem_reported_at_once(tmp_path):
    text = "id,lon,lat,weight\n1,,47.14,1\n1,9.53,47.15,-2\n"
    with pytest.raises(InputError, match=r"has 3 problems: ") as info:
        read_points(write_text(tmp_path / "p.csv", text))
    message = str(info.value)
    assert "share their 'id' with another row" in message
    assert "missing or non-numeric coordinates" in message
    assert "negative 'weight'" in message


def test_csv_missing_ids(tmp_path):
    text = "ref,lon,lat\nA,9.52,47.14\n,9.53,47.15\n"
    with pytest.raises(InputError, match=r"1 row \(row 1; line 3\) has no 'ref'"):
        read_points(write_text(tmp_path / "p.csv", text), id_col="ref")


# --- datums -----------------------------------------------------------------------------


@pytest.mark.parametrize(("datum", "forward"), [("gcj02", wgs84_to_gcj02), ("bd09", wgs84_to_bd09)])
def test_csv_datum_converted_to_wgs84(tmp_path, datum, forward):
    lon, lat = forward(WUHAN_LON, WUHAN_LAT)
    assert np.abs(lon - WUHAN_LON).max() > 1e-3  # the offset is real
    path = write_text(tmp_path / "p.csv", csv_text("lng", "lat", lon, lat))
    gdf = read_points(path, datum=datum)
    assert_points(gdf, WUHAN_LON, WUHAN_LAT, atol=1e-9)
    # without the datum the points stay where the map drew them
    assert_points(read_points(path), lon, lat)


def test_datum_outside_china_warns_and_leaves_points(tmp_path):
    lon = np.r_[LON[:1], WUHAN_LON[:1]]
    lat = np.r_[LAT[:1], WUHAN_LAT[:1]]
    path = write_text(tmp_path / "p.csv", csv_text("lon", "lat", lon, lat))
    with pytest.warns(
        AedplanWarning,
        match=r"datum='gcj02' but these points lie outside China, where gcj02 equals WGS84, "
              r"and are left unchanged \(are lon/lat swapped, or is the datum wrong\?\): 1 "
              r"row \(id 0; line 2\)\.$",
    ):
        gdf = read_points(path, datum="GCJ-02")
    assert gdf.geometry.x.iloc[0] == LON[0]
    assert gdf.geometry.x.iloc[1] == gcj02_to_wgs84(WUHAN_LON[0], WUHAN_LAT[0])[0]


def test_datum_needs_lon_lat(tmp_path):
    path = write_text(tmp_path / "p.csv", "x,y\n500000,5200000\n")
    with pytest.raises(
        InputError, match=r"`datum`='bd09' applies only to longitude/latitude \(EPSG:4326\) input"
    ):
        read_points(path, datum="bd09", crs="EPSG:32632")


def test_unknown_datum():
    with pytest.raises(InputError, match=r"`datum` must be one of 'wgs84', 'gcj02', 'bd09'"):
        read_points("whatever.csv", datum="wgs72")


def test_geojson_datum_converted(tmp_path):
    lon, lat = wgs84_to_gcj02(WUHAN_LON, WUHAN_LAT)
    path = tmp_path / "p.geojson"
    gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326).to_file(path)
    assert_points(read_points(path, datum="gcj02"), WUHAN_LON, WUHAN_LAT, atol=1e-9)


# --- vector files -----------------------------------------------------------------------


def vaduz_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Rathaus", None, "Post"], "floors": [2, 0, 1]},
        geometry=gpd.points_from_xy(LON, LAT),
        crs="EPSG:4326",
    )


def test_geopackage_in_web_mercator(tmp_path):
    path = tmp_path / "aeds.gpkg"
    vaduz_frame().to_crs(3857).to_file(path, layer="aeds")
    gdf = read_points(path)
    assert_points(gdf, LON, LAT, atol=1e-9)
    assert gdf["name"].tolist() == ["Rathaus", None, "Post"]
    assert gdf["floors"].tolist() == [2, 0, 1]
    assert gdf["id"].tolist() == [0, 1, 2]


def test_geopackage_layers(tmp_path):
    path = tmp_path / "coverage.gpkg"
    vaduz_frame().to_file(path, layer="aeds")
    vaduz_frame().iloc[:1].to_file(path, layer="proposed")
    with pytest.raises(
        InputError, match=r"coverage\.gpkg has 2 layers \(aeds, proposed\); pass `layer`"
    ):
        read_points(path)
    assert len(read_points(path, layer="proposed")) == 1
    assert len(read_points(path, layer="aeds")) == 3
    with pytest.raises(InputError, match=r"`layer`: coverage\.gpkg has no layer 'demand'"):
        read_points(path, layer="demand")


def test_shapefile_in_utm(tmp_path):
    path = tmp_path / "aeds.shp"
    vaduz_frame().to_crs(32632).to_file(path)
    assert_points(read_points(path), LON, LAT, atol=1e-9)


def test_geojson_polygons_become_representative_points(tmp_path):
    frame = vaduz_frame().to_crs(32632)
    frame.geometry = frame.buffer(20.0)  # building-like footprints
    frame.loc[2, "geometry"] = shapely.Point(frame.geometry.iloc[2].centroid)
    path = tmp_path / "buildings.geojson"
    frame.to_crs(4326).to_file(path)
    with pytest.warns(
        AedplanWarning,
        match=r"`source`: buildings\.geojson has 2 non-point geometries \(2 Polygon\); each was "
        r"replaced by a representative point",
    ):
        gdf = read_points(path)
    polygons = gpd.read_file(path).geometry
    assert shapely.contains(polygons.to_numpy()[:2], gdf.geometry.to_numpy()[:2]).all()
    assert (gdf.geom_type == "Point").all()


def test_vector_missing_geometry(tmp_path):
    frame = vaduz_frame()
    frame.loc[1, "geometry"] = None
    path = tmp_path / "p.gpkg"
    frame.to_file(path)
    with pytest.raises(InputError, match=r"1 row \(id 1\) has no geometry \(missing or empty\)"):
        read_points(path)


def test_vector_empty(tmp_path):
    path = write_text(tmp_path / "p.geojson", '{"type": "FeatureCollection", "features": []}')
    with pytest.raises(InputError, match=r"`source`: p\.geojson has no features"):
        read_points(path)


def test_vector_wrong_crs_detected(tmp_path):
    # projected coordinates in a file that claims EPSG:4326
    frame = vaduz_frame().to_crs(32632).set_crs(4326, allow_override=True)
    path = tmp_path / "p.gpkg"
    frame.to_file(path)
    with pytest.raises(InputError, match=r"these look like projected coordinates"):
        read_points(path)


def test_vector_declaring_wrong_crs_gets_a_fitting_fix():
    frame = vaduz_frame().to_crs(32632).set_crs(4326, allow_override=True)
    with pytest.raises(
        InputError,
        match=r"the GeoDataFrame declares EPSG:4326, which is wrong: set the CRS they are really "
        r"in \(`GeoDataFrame\.set_crs\(\.\.\., allow_override=True\)`",
    ):
        read_points(frame)


def test_options_that_do_not_apply(tmp_path):
    gpkg = tmp_path / "p.gpkg"
    vaduz_frame().to_file(gpkg)
    with pytest.raises(InputError, match=r"`lon_col`/`lat_col` apply only to tables"):
        read_points(gpkg, lon_col="x")
    with pytest.raises(InputError, match=r"`lon_col`/`lat_col` apply only to tables"):
        read_points(vaduz_frame(), lat_col="y")
    csv = write_text(tmp_path / "p.csv", "lon,lat\n9.52,47.14\n")
    with pytest.raises(InputError, match=r"`layer` applies only to GeoPackage.*Drop `layer`"):
        read_points(csv, layer="aeds")


def test_vector_datum_needs_lon_lat(tmp_path):
    path = tmp_path / "p.gpkg"
    vaduz_frame().to_crs(32632).to_file(path)
    with pytest.raises(InputError, match=r"but p\.gpkg is in EPSG:32632"):
        read_points(path, datum="gcj02")


def test_unreadable_vector(tmp_path):
    path = write_text(tmp_path / "p.geojson", "{not json")
    with pytest.raises(InputError, match=r"`source`: cannot read p\.geojson"):
        read_points(path)


# --- GeoDataFrame and DataFrame input ---------------------------------------------------


def test_geodataframe_reprojected_and_not_mutated():
    frame = vaduz_frame().to_crs(3857)
    frame.index = [10, 20, 30]
    before = frame.copy()
    gdf = read_points(frame)
    assert_points(gdf, LON, LAT, atol=1e-9)
    pd.testing.assert_frame_equal(frame, before)
    assert frame.crs == "EPSG:3857"
    assert gdf["id"].tolist() == [0, 1, 2]


def test_geodataframe_without_crs():
    frame = gpd.GeoDataFrame(geometry=gpd.points_from_xy(LON, LAT))
    with pytest.raises(
        CRSError,
        match=r"`source`: the GeoDataFrame has no CRS.*Set it \(`gdf\.set_crs\('EPSG:4326'\)` "
        r"for lon/lat\) or pass `crs=`",
    ):
        read_points(frame)
    assert_points(read_points(frame, crs="EPSG:4326"), LON, LAT)
    assert frame.crs is None


def test_geodataframe_crs_conflict():
    with pytest.raises(
        CRSError, match=r"`crs`: the GeoDataFrame is in EPSG:4326 but `crs=EPSG:3857` was passed"
    ):
        read_points(vaduz_frame(), crs="EPSG:3857")
    assert_points(read_points(vaduz_frame(), crs="OGC:CRS84"), LON, LAT)


def test_plain_dataframe():
    frame = pd.DataFrame({"Lng": LON, "Lat": LAT, "site": ["a", "b", "c"]})
    before = frame.copy()
    gdf = read_points(frame, id_col="site")
    assert_points(gdf, LON, LAT)
    assert gdf["id"].tolist() == ["a", "b", "c"]
    pd.testing.assert_frame_equal(frame, before)


def test_read_points_is_idempotent(tmp_path):
    path = write_text(tmp_path / "p.csv", "lon,lat,weight,access_s\n9.52,47.14,1,10\n")
    once = read_points(path)
    pd.testing.assert_frame_equal(read_points(once), once)


def test_bad_crs_and_source_type():
    with pytest.raises(CRSError, match=r"`crs`: cannot understand 'EPSG:nope'"):
        read_points(vaduz_frame(), crs="EPSG:nope")
    with pytest.raises(InputError,
                       match=r"`source` must be a file path or a \(Geo\)DataFrame; got"):
        read_points([(9.52, 47.14)])


# --- files in general -------------------------------------------------------------------


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match=r"`source`: file not found: .*nope\.csv\. Check the path"):
        read_points(tmp_path / "nope.csv")
    with pytest.raises(
        InputError, match=r"`source`: .* is a folder, not a file\. Pass the path of a file\."
    ):
        read_points(tmp_path)


def test_unknown_suffix(tmp_path):
    path = write_text(tmp_path / "aeds.ods", "not really")
    with pytest.raises(
        InputError,
        match=r"`source`: cannot read aeds\.ods: unknown file type\. Expected one of: CSV table "
        r"or Excel sheet with lon/lat columns \(\.csv, \.tsv, \.xlsx, \.xlsm\); GeoJSON, "
        r"GeoPackage, Shapefile.*\(\.geojson, "
        r"\.json, \.gpkg, \.shp, \.fgb, \.parquet, \.geoparquet\); OpenStreetMap file \(\.osm, "
        r"\.osm\.bz2",
    ):
        read_points(path)


def test_errors_are_aedplan_errors():
    assert issubclass(InputError, AedplanError)
    assert issubclass(InputError, ValueError)


# --- OpenStreetMap ----------------------------------------------------------------------


def test_osm_aeds_from_xml():
    gdf = read_points(data_path("osm", "vaduz-schaan.aed.osm.bz2"))
    assert len(gdf) == 75
    assert (gdf["opening_hours"] == "24/7").sum() == 19
    assert list(gdf.columns) == ["id", "name", "osm_id", *OSM_AED_TAGS[1:], "geometry"]
    assert gdf["id"].is_unique
    assert (gdf["id"] == gdf["osm_id"]).all()
    assert gdf["osm_id"].dtype == np.int64
    assert gdf.crs == "EPSG:4326"
    # None, not NaN, where a node lacks a tag
    assert gdf["level"].map(lambda v: v is None or isinstance(v, str)).all()
    assert gdf["name"].isna().any()
    assert gdf["access"].notna().sum() > 50
    x, y = gdf.geometry.x, gdf.geometry.y
    assert x.between(9.49, 9.55).all()
    assert y.between(47.12, 47.18).all()


def test_osm_aeds_same_from_pbf():
    xml = read_points(data_path("osm", "vaduz-schaan.aed.osm.bz2"))
    pbf = read_points(data_path("osm", "vaduz-schaan-2024-03-03.osm.pbf"))
    xml, pbf = (gdf.sort_values("id", ignore_index=True) for gdf in (xml, pbf))
    assert len(pbf) == 75
    assert pbf["id"].tolist() == xml["id"].tolist()
    pd.testing.assert_frame_equal(pbf.drop(columns="geometry"), xml.drop(columns="geometry"))
    np.testing.assert_allclose(pbf.geometry.x, xml.geometry.x, atol=1e-7)
    np.testing.assert_allclose(pbf.geometry.y, xml.geometry.y, atol=1e-7)


def test_osm_aeds_whole_country():
    gdf = read_points(data_path("osm", "liechtenstein-2024-03-03.osm.pbf"))
    assert len(gdf) == 148
    assert gdf["id"].is_unique
    assert (gdf["opening_hours"] == "24/7").sum() == 50


def test_osm_rejects_datum():
    with pytest.raises(InputError, match=r"OpenStreetMap data is always WGS84"):
        read_points(data_path("osm", "vaduz-schaan.aed.osm.bz2"), datum="gcj02")


def test_osm_rejects_projected_crs():
    with pytest.raises(CRSError, match=r"`crs`=EPSG:3857 cannot apply to .*Drop `crs`"):
        read_points(data_path("osm", "vaduz-schaan.aed.osm.bz2"), crs="EPSG:3857")
    assert len(read_points(data_path("osm", "vaduz-schaan.aed.osm.bz2"), crs="EPSG:4326")) == 75


def test_osm_without_aeds_warns_and_is_empty(tmp_path):
    path = write_text(
        tmp_path / "cafe.osm",
        "<?xml version='1.0' encoding='UTF-8'?>\n<osm version='0.6'>\n"
        "<node id='1' lat='47.14' lon='9.52' version='1'><tag k='amenity' v='cafe'/></node>\n"
        "</osm>\n",
    )
    with pytest.warns(AedplanWarning,
                      match=r"`source`: cafe\.osm has no `emergency=defibrillator`"):
        gdf = read_points(path)
    assert len(gdf) == 0
    assert gdf.crs == "EPSG:4326"
    assert list(gdf.columns) == ["id", "name", "osm_id", *OSM_AED_TAGS[1:], "geometry"]


def test_osm_small_file_tags(tmp_path):
    path = write_text(
        tmp_path / "aed.osm",
        "<?xml version='1.0' encoding='UTF-8'?>\n<osm version='0.6'>\n"
        "<node id='5' lat='47.14' lon='9.52' version='1'>"
        "<tag k='emergency' v='defibrillator'/><tag k='opening_hours' v='24/7'/>"
        "<tag k='name' v='Rathaus'/></node>\n"
        "<node id='9' lat='47.15' lon='9.53' version='1'>"
        "<tag k='emergency' v='defibrillator'/><tag k='indoor' v='yes'/></node>\n"
        "<node id='11' lat='47.16' lon='9.54' version='1'><tag k='shop' v='bakery'/></node>\n"
        "</osm>\n",
    )
    gdf = read_points(path)
    assert gdf["id"].tolist() == [5, 9]
    assert gdf["name"].tolist() == ["Rathaus", None]
    assert gdf["opening_hours"].tolist() == ["24/7", None]
    assert gdf["indoor"].tolist() == [None, "yes"]
    assert gdf["description"].tolist() == [None, None]
    assert_points(gdf, [9.52, 9.53], [47.14, 47.15])


# --- atomic writes ----------------------------------------------------------------------


def test_write_atomic_writes_whole_file(tmp_path):
    target = tmp_path / "out" / "report.json"
    result = write_atomic(target, lambda p: p.write_text('{"ok": true}'))
    assert result == target
    assert target.read_text() == '{"ok": true}'
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.json"]


def test_write_atomic_keeps_old_file_on_failure(tmp_path):
    target = write_text(tmp_path / "sites.csv", "old\n")

    def failing(path: Path) -> None:
        path.write_text("half a fi")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_atomic(target, failing)
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sites.csv"]


def test_write_atomic_writer_that_writes_nothing(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing was written"):
        write_atomic(tmp_path / "x.csv", lambda p: None)
    assert list(tmp_path.iterdir()) == []


def test_atomic_path_with_gdal_writers(tmp_path):
    gpkg = tmp_path / "coverage.gpkg"
    with atomic_path(gpkg) as staged:
        assert staged.name == "coverage.gpkg"
        assert staged.parent.parent == tmp_path
        vaduz_frame().to_file(staged, layer="aeds")
    assert_points(read_points(gpkg), LON, LAT)
    shp = tmp_path / "sites.shp"
    write_atomic(shp, lambda p: vaduz_frame().to_file(p))
    assert {p.suffix for p in tmp_path.glob("sites.*")} >= {".shp", ".shx", ".dbf", ".prj"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert_points(read_points(shp), LON, LAT)


# --------------------------------------------------------------------------- one reader


def test_every_stage_reads_the_same_file_kinds(tmp_path, monkeypatch):
    """One table of file kinds: GeoParquet and .json are points, footprints and streets."""
    import builtins

    from aedplan import demand_from_buildings, load_network

    aeds = vaduz_frame()
    aeds.to_parquet(tmp_path / "aeds.parquet")
    assert read_points(tmp_path / "aeds.parquet")["name"].tolist() == ["Rathaus", None, "Post"]
    aeds.to_file(tmp_path / "aeds.json", driver="GeoJSON")
    assert len(read_points(tmp_path / "aeds.json")) == len(aeds)
    utm = aeds.to_crs(aeds.estimate_utm_crs())
    utm.set_geometry(utm.buffer(5.0)).to_parquet(tmp_path / "buildings.parquet")
    assert len(demand_from_buildings(tmp_path / "buildings.parquet")) == len(aeds)
    xy = shapely.get_coordinates(utm.geometry)
    streets = gpd.GeoDataFrame(geometry=[shapely.LineString(xy)], crs=utm.crs)
    streets.to_file(tmp_path / "streets.json", driver="GeoJSON")
    assert load_network(tmp_path / "streets.json").n_edges == 1
    # GeoParquet without pyarrow: one clear error naming the extra
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name == "pyarrow":
            raise ImportError("No module named 'pyarrow'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(InputError, match=r"`source`: reading the GeoParquet file aeds\.parquet "
                       r"needs pyarrow.*pip install \"aedplan\[parquet\]\""):
        read_points(tmp_path / "aeds.parquet")


@pytest.mark.parametrize("title", ["龙岩市公共场所AED一览表,,,\n", "龙岩市公共场所AED一览表\n",
                                   "龙岩市公共场所AED一览表\n2024年3月\n"])
def test_a_title_above_the_header_is_skipped_and_said(tmp_path, title):
    """A registry kept in Excel often has a title row (or two) above its header, made-up
    here: skipped, said, and the lines of a later problem counted from the file's top."""
    rows = "编号,名称,经度,纬度\n1,新罗区人民医院,117.03,25.08\n2,龙岩站,117.01,25.10\n"
    path = write_text(tmp_path / "aeds.csv", title + rows)
    n = title.count("\n")
    said = "a title row" if n == 1 else f"{n} title rows"
    with pytest.warns(AedplanWarning, match=f"aeds.csv has {said} above its header "
                                            f"\\('龙岩市公共场所AED一览表.*'\\); the table is "
                                            f"read from row {n + 1}\\."):
        points = read_points(path)
    assert points["name"].tolist() == ["新罗区人民医院", "龙岩站"]
    assert points.geometry.x.tolist() == [117.03, 117.01]
    write_text(path, title + rows.replace("117.01", "东经117"))
    with pytest.raises(InputError, match=f"1 row \\(id 2; line {n + 3}\\)"), \
            pytest.warns(AedplanWarning, match="title"):
        read_points(path)


def test_a_title_above_an_excel_header_is_skipped(tmp_path):
    rows = [["龙岩市公共场所AED一览表", None, None, None], ["编号", "名称", "经度", "纬度"],
            [1, "新罗区人民医院", 117.03, 25.08], [2, "龙岩站", 117.01, 25.10]]
    pd.DataFrame(rows).to_excel(tmp_path / "aeds.xlsx", header=False, index=False)
    with pytest.warns(AedplanWarning, match="aeds.xlsx has a title row above its header"):
        points = read_points(tmp_path / "aeds.xlsx")
    assert points["name"].tolist() == ["新罗区人民医院", "龙岩站"]
    # a table whose first row is its header is read as it is, whatever its sparse rows
    pd.DataFrame([*rows[1:], [3, None, None, None]]).to_excel(
        tmp_path / "plain.xlsx", header=False, index=False)
    plain = pd.read_excel(tmp_path / "plain.xlsx")
    from aedplan._files import read_table

    table, _ = read_table(tmp_path / "plain.xlsx", argument="aeds")
    assert table.attrs["title_rows"] == 0 and table.shape == plain.shape


def test_a_registrys_own_id_column_names_the_aeds_when_unique(tmp_path):
    """Taiwan's registry numbers its places (場所ID): the AEDs take those ids; a column
    that repeats one leaves the row numbers, as before. Made-up rows."""
    rows = "場所ID,場所名稱,地點LNG,地點LAT\n3572,東海大學,120.6,24.18\n1570,東海館,120.61,24.17\n"
    points = read_points(write_text(tmp_path / "a.csv", rows))
    assert points["id"].tolist() == [3572, 1570]
    points = read_points(write_text(tmp_path / "b.csv", rows.replace("1570,", "3572,")))
    assert points["id"].tolist() == [0, 1]


def test_a_title_above_a_semicolon_table_with_decimal_commas(tmp_path):
    """Excel's CSV in a decimal-comma locale: `;` between the fields, more commas than
    semicolons in its rows; a title line above the header. Made-up rows."""
    path = write_text(tmp_path / "aeds.csv", "AED-Liste Vaduz\nlon;lat\n9,5209;47,1410\n"
                                             "9,5237;47,1390\n")
    with pytest.warns(AedplanWarning, match="a title row above its header"):
        points = read_points(path)
    assert points.geometry.x.tolist() == [9.5209, 9.5237]
