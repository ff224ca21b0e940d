"""Point lists exported from Amap, Tencent and Baidu place search: one ``location`` column,
GCJ-02 or BD-09 coordinates, the datum confirmed by the user.

The rows are made up (names, addresses, codes); their coordinates are the published
reference pairs of tests/test_datum.py (googollee/eviltransform, MIT), so each export
must read back to the reference WGS84 point.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from aedplan._datum import gcj02_to_bd09
from aedplan._registry import location_lonlat, recognise
from aedplan.errors import AedplanWarning, InputError
from aedplan.io import read_points

from .test_datum import EVILTRANSFORM

WGS = EVILTRANSFORM[:, :2]
GCJ = EVILTRANSFORM[:, 2:]
BD = np.column_stack(gcj02_to_bd09(GCJ[:, 0], GCJ[:, 1]))
NAMES = ["上海 示例一", "深圳 示例二", "北京 示例三"]  # made up


def amap_export(path):
    """Columns as Amap's place search (v3 place/text) returns them; made-up rows."""
    frame = pd.DataFrame({
        "id": ["B0FFA1", "B0FFA2", "B0FFA3"],
        "name": NAMES,
        "type": ["医疗保健服务;急救中心;急救中心"] * 3,
        "typecode": ["090400"] * 3,
        "address": ["示例路1号", "示例路2号", "示例路3号"],
        "location": [f"{x:.6f},{y:.6f}" for x, y in GCJ],
        "pname": ["上海市", "广东省", "北京市"],
        "cityname": ["上海市", "深圳市", "北京市"],
        "adname": ["浦东新区", "南山区", "西城区"],
    })
    frame.to_csv(path, index=False)
    return path


def test_an_amap_export_reads_to_wgs84(tmp_path):
    path = amap_export(tmp_path / "amap.csv")
    points = read_points(path, datum="gcj02")
    got = np.column_stack([points.geometry.x, points.geometry.y])
    np.testing.assert_allclose(got, WGS, atol=2e-6)  # the export's 6 decimals: 0.1 m
    assert points["name"].tolist() == NAMES
    assert points["id"].tolist() == ["B0FFA1", "B0FFA2", "B0FFA3"]
    assert "location" not in points and points["adname"].tolist()[1] == "南山区"


def test_an_export_without_datum_is_refused_with_the_fix(tmp_path):
    path = amap_export(tmp_path / "amap.csv")
    with pytest.raises(InputError, match=r"`datum`: amap\.csv looks like an Amap \(高德\) "
                       r"place-search export \(columns adname, cityname, pname, typecode\), "
                       r"whose coordinates are GCJ-02; pass `datum='gcj02'`"):
        read_points(path)
    # converted already: the user says so
    as_is = read_points(path, datum="wgs84")
    np.testing.assert_allclose(as_is.geometry.x, GCJ[:, 0], atol=1e-6)


def test_a_baidu_export_in_its_json_form(tmp_path):
    frame = pd.DataFrame({
        "uid": ["u1", "u2", "u3"], "name": NAMES,
        "location": [json.dumps({"lat": y, "lng": x}) for x, y in BD],
        "address": ["a", "b", "c"], "province": ["上海市", "广东省", "北京市"],
        "city": ["上海市", "深圳市", "北京市"], "area": ["浦东新区", "南山区", "西城区"],
        "street_id": ["s1", "s2", "s3"], "detail": [1, 1, 1],
    })
    frame.to_excel(tmp_path / "baidu.xlsx", index=False)
    with pytest.raises(InputError, match=r"Baidu \(百度\).*BD-09; pass `datum='bd09'`"):
        read_points(tmp_path / "baidu.xlsx")
    points = read_points(tmp_path / "baidu.xlsx", datum="bd09")
    np.testing.assert_allclose(np.column_stack([points.geometry.x, points.geometry.y]), WGS,
                               atol=1e-7)


def test_a_tencent_export_flattened(tmp_path):
    frame = pd.DataFrame({
        "id": ["t1", "t2", "t3"], "title": NAMES, "address": ["a", "b", "c"],
        "category": ["医疗保健:急救中心"] * 3,
        "location.lat": GCJ[:, 1], "location.lng": GCJ[:, 0],
        "ad_info.adcode": [310115, 440305, 110102],
    })
    frame.to_csv(tmp_path / "tencent.csv", index=False)
    with pytest.raises(InputError, match=r"Tencent \(腾讯\).*GCJ-02"):
        read_points(tmp_path / "tencent.csv")
    points = read_points(tmp_path / "tencent.csv", datum="gcj02", name_col="title")
    np.testing.assert_allclose(np.column_stack([points.geometry.x, points.geometry.y]), WGS,
                               atol=1e-7)
    assert points["name"].tolist() == NAMES


def test_a_red_cross_sheet_needs_no_datum(tmp_path):
    """A plain list in Excel, with Chinese column names: WGS84 unless told otherwise."""
    pd.DataFrame({"名称": NAMES, "经度": WGS[:, 0], "纬度": WGS[:, 1]}).to_excel(
        tmp_path / "红十字会AED.xlsx", index=False)
    points = read_points(tmp_path / "红十字会AED.xlsx")
    np.testing.assert_allclose(points.geometry.x, WGS[:, 0])
    assert points["name"].tolist() == NAMES


def test_a_bad_location_is_quoted_by_line(tmp_path):
    pd.DataFrame({"name": ["a", "b"], "location": ["116.40,39.91", "next to the bank"]}).to_csv(
        tmp_path / "list.csv", index=False)
    with pytest.raises(InputError, match=r"1 row \(id 1; line 3\) has a 'location' that is "
                       r"not \"lng,lat\""):
        read_points(tmp_path / "list.csv")


@pytest.mark.parametrize(("text", "lonlat"), [
    ("116.397428,39.90923", (116.397428, 39.90923)),
    (" 116.397428 , 39.90923 ", (116.397428, 39.90923)),
    ("116.397428，39.90923", (116.397428, 39.90923)),  # a Chinese comma
    ('{"lng":116.404,"lat":39.915}', (116.404, 39.915)),
    ("{'lat': 39.915, 'lng': 116.404}", (116.404, 39.915)),
    ("", (np.nan, np.nan)),
    ("39.9", (np.nan, np.nan)),
])
def test_location_text(text, lonlat):
    lon, lat = location_lonlat(pd.Series([text]))
    np.testing.assert_equal((lon[0], lat[0]), lonlat)


def test_recognise_needs_two_columns_of_one_provider():
    assert recognise(["name", "location", "address"]) is None
    assert recognise(["name", "location", "pname"]) is None
    assert recognise(["name", "location", "uid", "area"])[0].datum == "bd09"
    # as many Amap as Baidu columns: no guess
    assert recognise(["pname", "adname", "uid", "area"]) is None


def test_the_cli_asks_for_the_datum(tmp_path):
    from click.testing import CliRunner

    from aedplan.cli import main

    from .conftest import SAMPLES

    path = amap_export(tmp_path / "amap.csv")
    result = CliRunner().invoke(main, [
        "plan", "--osm", str(SAMPLES / "wuhan-jiangan-drive.parquet"), "--aeds",
        str(path), "--demand", "network", "--candidates", "nodes", "--out",
        str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "`--datum`: amap.csv looks like an Amap (高德) place-search export" in result.output
    assert "pass `--datum gcj02`" in result.output and not (tmp_path / "out").exists()


BBOX = (114.25, 30.54, 114.32, 30.60)  # Wuhan, Jianghan and Jiang'an districts


@pytest.fixture(scope="module")
def wuhan():
    import warnings

    from aedplan.errors import AedplanWarning
    from aedplan.network import load_network

    from .conftest import SAMPLES

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        return load_network(SAMPLES / "wuhan-jiangan-drive.parquet", clip=BBOX)


def beside_streets(net, n=40):
    """Made-up points 15 m north of the middle of every k-th street of the real Wuhan
    network, in WGS84 lon/lat, as an AED list might place them."""
    import geopandas as gpd
    import shapely

    edges = np.linspace(0, net.n_edges - 1, n).astype(int)
    mid = shapely.line_interpolate_point(net.edge_geometry[edges], 0.5, normalized=True)
    xy = shapely.get_coordinates(mid) + np.array([0.0, 15.0])
    return gpd.GeoSeries(shapely.points(xy), crs=net.crs).to_crs(4326)


@pytest.mark.parametrize("datum", ["gcj02", "bd09"])
def test_points_in_another_datum_are_noticed(wuhan, datum):
    import geopandas as gpd

    from aedplan._datum import wgs84_to_bd09, wgs84_to_gcj02
    from aedplan.snapping import datum_hint

    true = beside_streets(wuhan)
    shift = wgs84_to_gcj02 if datum == "gcj02" else wgs84_to_bd09
    lon, lat = shift(true.x.to_numpy(), true.y.to_numpy())
    copied = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    said, given, then = datum_hint(wuhan, copied)
    assert said == datum and then <= 15.0 + 1e-6 and given > 2 * then + 15
    assert datum_hint(wuhan, gpd.GeoDataFrame(geometry=true)) is None  # right as they are
    assert datum_hint(wuhan, copied.iloc[:7]) is None  # too few to tell


def test_the_run_warns_of_a_list_in_gcj02(wuhan, tmp_path):
    import warnings

    from aedplan import Scenario, run
    from aedplan._datum import wgs84_to_gcj02
    from aedplan.errors import AedplanWarning

    from .conftest import SAMPLES

    true = beside_streets(wuhan)
    lon, lat = wgs84_to_gcj02(true.x.to_numpy(), true.y.to_numpy())
    pd.DataFrame({"name": [f"AED {i}" for i in range(len(lon))], "lon": lon, "lat": lat}
                 ).to_csv(tmp_path / "aeds.csv", index=False)
    for datum, lang, warned in ((None, "en", True), ("gcj02", "en", False),
                                (None, None, True)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", AedplanWarning)
            run(Scenario().replace({
                "area.osm": SAMPLES / "wuhan-jiangan-drive.parquet",
                "aeds.source": tmp_path / "aeds.csv", "demand.source": "network",
                "aeds.datum": datum, "goal.optimise": False, "area.bbox": BBOX,
                "output.lang": lang, "output.out": tmp_path / f"out-{datum}-{lang}"}))
        said = [str(w.message) for w in caught
                if "look copied" in str(w.message) or "网络地图" in str(w.message)]
        assert bool(said) is warned, said
        if warned and lang == "en":
            assert said[0].startswith("`aeds.source`: the points lie ")
            assert "if their lon/lat are GCJ-02 (Amap, Tencent)" in said[0]
            assert said[0].endswith("If so, pass `datum='gcj02'`.")
        elif warned:  # no language given: the run, its map and warnings follow the data
            assert said[0].startswith("`aeds.source`：这些点距街道的中位距离为")
            assert "若按GCJ-02（高德、腾讯）坐标读取则只有" in said[0]
            assert said[0].endswith("如果是，请指定 `datum='gcj02'`。")
        assert not [w for w in caught if "is `datum` right" in str(w.message)]


def test_the_run_warns_of_a_datum_given_wrongly(wuhan, tmp_path):
    """The made-up points beside the streets, in WGS84 as a GPS gives them, read with
    `datum='gcj02'`: moved off the streets, which the warning says, with the distances."""
    import warnings

    from aedplan import Scenario, run
    from aedplan.errors import AedplanWarning

    from .conftest import SAMPLES

    true = beside_streets(wuhan)
    pd.DataFrame({"name": [f"AED {i}" for i in range(len(true))], "lon": true.x,
                  "lat": true.y}).to_csv(tmp_path / "aeds.csv", index=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AedplanWarning)
        run(Scenario().replace({
            "area.osm": SAMPLES / "wuhan-jiangan-drive.parquet",
            "aeds.source": tmp_path / "aeds.csv", "demand.source": "network",
            "aeds.datum": "gcj02", "goal.optimise": False, "area.bbox": BBOX,
            "output.lang": "en"}))
    said = [str(w.message) for w in caught if "is `datum` right" in str(w.message)]
    assert len(said) == 1 and said[0].startswith(
        "`aeds.source`: read as GCJ-02 (Amap, Tencent), the points lie ")
    given, written = (float(x) for x in re.findall(r"(\d+) m", said[0])[:2])
    assert written <= 16 and given > 2 * written  # 15 m off the street as written
    assert said[0].endswith("If the coordinates are WGS84, leave `datum` out.")


def test_a_run_following_its_datas_language_notes_in_it(wuhan, tmp_path):
    """No `lang`, AEDs in Wuhan: the notes made while reading (before the language is
    known) are said in Chinese too. Made-up AEDs beside the real streets, none public."""
    from aedplan import Scenario, run

    from .conftest import SAMPLES

    true = beside_streets(wuhan, n=10)
    pd.DataFrame({"name": [f"AED {i}" for i in range(10)], "lon": true.x, "lat": true.y,
                  "access": "private"}).to_csv(tmp_path / "aeds.csv", index=False)
    with pytest.warns(AedplanWarning):
        done = run(Scenario().replace({
            "area.osm": SAMPLES / "wuhan-jiangan-drive.parquet", "area.bbox": BBOX,
            "aeds.source": tmp_path / "aeds.csv", "aeds.public_only": True,
            "demand.source": "network", "goal.optimise": False}))
    assert done.report["params"]["lang"] == "zh"
    notes = [n for n in done.report["notes"] if not n.startswith("warning: ")]
    assert notes[0].startswith("未计入10台公众不能使用的AED")
    assert notes[1].startswith("公众可用的AED中没有已登记的AED：覆盖率从零开始")
