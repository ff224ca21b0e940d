"""Inputs that used to pass silently and mislead: the same AED listed twice, a MultiPoint
of several AEDs, arrest times written with a UTC offset, a list copied from a Chinese web
map (GCJ-02) read as WGS84 with nothing in its columns to tell.

The AED lists and arrests here are made up; the streets are the real samples in `data/`
(Vaduz centre, and central Wuhan)."""

from __future__ import annotations

import json
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

import aedplan
from aedplan.cli import main
from aedplan.density import distinct_aeds, same_place
from aedplan.errors import AedplanWarning, InputError

from .conftest import SAMPLES
from .test_density import BBOX, population_tif

WUHAN = SAMPLES / "wuhan-jiangan-drive.parquet"
VADUZ = SAMPLES / "vaduz-centre-2024-03-03.osm.pbf"


@pytest.fixture(scope="module")
def wuhan():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        return aedplan.load_network(WUHAN)


def lonlat(net, xy):
    """Points given in the network's metres, as lon/lat arrays."""
    pts = gpd.GeoSeries(shapely.points(xy), crs=net.crs).to_crs(4326)
    return pts.x.to_numpy(), pts.y.to_numpy()


# --------------------------------------------------------------------------- the same AED twice


def test_same_place_by_hand():
    aeds = gpd.GeoDataFrame(geometry=gpd.points_from_xy([0, 0.9, 1.2, 50, 50.3], [0] * 5),
                            crs="EPSG:32650")
    # 0.9 m from the first: the same; 1.2 m: another AED (but 0.3 m from the second)
    assert same_place(aeds).tolist() == [False, True, True, False, True]
    assert distinct_aeds(aeds) == 2
    assert distinct_aeds(aeds, keep=[True, False, False, True, True]) == 2
    assert distinct_aeds(aeds.iloc[:0]) == 0


def test_an_aed_listed_twice_is_warned_and_counted_once_in_the_density(wuhan, tmp_path):
    """Three made-up AEDs at street nodes of central Wuhan, the second listed again under
    another id 40 cm away: warned, counted in the report, and once in AEDs per 100,000."""
    w, s, e, n = BBOX
    x, y = lonlat(wuhan, np.column_stack([wuhan.x, wuhan.y]))
    inside = np.flatnonzero((x > w + 0.005) & (x < e - 0.005) & (y > s + 0.005)
                            & (y < n - 0.005))[::50][:3]
    xy = np.column_stack([wuhan.x[inside], wuhan.y[inside]])
    xy = np.vstack([xy, xy[1] + [0.4, 0.0]])
    lon, lat = lonlat(wuhan, xy)
    pd.DataFrame({"id": ["A", "B", "C", "B-copy"], "lon": lon, "lat": lat}).to_csv(
        tmp_path / "aeds.csv", index=False)
    pop, people, _ = population_tif(tmp_path / "pop.tif")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "coverage", "--osm", str(WUHAN), "--bbox", ",".join(map(str, BBOX)), "--aeds",
        str(tmp_path / "aeds.csv"), "--demand", str(pop), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    # in Chinese, as the run follows its Chinese data (no `--lang`)
    assert ("aedplan: warning: `--aeds`：1台AED（编号 B-copy）与前面列出的另一台相距不到1米："
            "是同一台AED登记了两次吗？") in result.output
    report = json.loads((out / "report.json").read_text())
    assert report["area"]["inputs"]["aeds"]["same_place"] == 1
    assert report["existing"]["aeds"] == 4  # every row is still an AED on the map
    assert report["density"]["before"]["aeds"] == 3
    assert report["density"]["before"]["per_100k"] == pytest.approx(3 / people * 1e5, rel=1e-5)


# --------------------------------------------------------------------------- multi-points


def test_a_multipoint_of_five_aeds_is_five_aeds(tmp_path):
    five = shapely.MultiPoint([(9.520 + i * 1e-3, 47.140) for i in range(5)])
    gpd.GeoDataFrame({"id": [7, 8], "name": ["station", "hall"]},
                     geometry=[five, shapely.Point(9.53, 47.15)], crs=4326).to_file(
        tmp_path / "aeds.geojson")
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        aeds = aedplan.read_points(tmp_path / "aeds.geojson")
    assert aeds["id"].tolist() == ["7-1", "7-2", "7-3", "7-4", "7-5", "8"]
    assert aeds["name"].tolist() == ["station"] * 5 + ["hall"]
    assert aeds.geometry.x.round(3).tolist() == [9.52, 9.521, 9.522, 9.523, 9.524, 9.53]
    (w,) = [w for w in said if issubclass(w.category, AedplanWarning)]
    assert str(w.message).startswith("`source`: aeds.geojson has 1 MultiPoint of 5 points")
    assert w.filename == __file__  # the caller's line, not aedplan's
    with pytest.warns(AedplanWarning, match="the GeoDataFrame has 1 MultiPoint"):
        no_ids = aedplan.read_points(gpd.read_file(tmp_path / "aeds.geojson").drop(
            columns="id"))
    assert no_ids["id"].tolist() == [0, 1, 2, 3, 4, 5]


# --------------------------------------------------------------------------- times with an offset


def test_times_with_an_offset_are_read_in_the_local_time_of_the_place():
    from aedplan.hours import local_times

    times = ["2023-05-17 14:00+08:00", "2023-05-17T06:00:00Z", "2023-01-10 09:30",
             "2023-01-10 09:30-05:00"]
    vaduz = local_times(times, where=(9.52, 47.14), argument="time_col")
    # 06:00 UTC is 08:00 in Vaduz in May (CEST); 14:30 UTC is 15:30 in January (CET)
    assert [str(t) for t in vaduz] == ["2023-05-17 08:00:00", "2023-05-17 08:00:00",
                                       "2023-01-10 09:30:00", "2023-01-10 15:30:00"]
    wuhan = local_times(times[:2], where=(114.3, 30.58), argument="time_col")
    assert [str(t) for t in wuhan] == ["2023-05-17 14:00:00"] * 2
    days = local_times(["2023-05-17", "2023-05-18"], where=None, argument="time_col")
    assert [str(t) for t in days] == ["2023-05-17 00:00:00", "2023-05-18 00:00:00"]  # no -17


def test_offsets_without_a_place(tmp_path):
    from aedplan.hours import arrest_profile

    # made-up arrests at 14:00 UTC+8 on a Monday, in a profile file without coordinates
    (tmp_path / "one.csv").write_text("time\n2024-03-04 14:00+08:00\n2024-03-04 14:10+08:00\n")
    with pytest.warns(AedplanWarning, match=r"the times in column 'time' of one.csv carry a "
                      r"UTC offset \(\+08:00\) and nothing says where the arrests happened: "
                      r"they are read at the time written"):
        profile = arrest_profile(tmp_path / "one.csv")
    assert np.flatnonzero(profile).tolist() == [14]
    (tmp_path / "two.csv").write_text("time\n2024-03-04 14:00+08:00\n2024-03-04 06:00Z\n")
    with pytest.raises(InputError, match=r"`arrest_profile`: the times in column 'time' of "
                       r"two.csv carry several UTC offsets \(\+08:00, Z\)"):
        arrest_profile(tmp_path / "two.csv")
    # with the arrests' lon/lat (Vaduz), UTC times go to local time: 13:00 UTC = 14:00 CET
    (tmp_path / "placed.csv").write_text(
        "time,lon,lat\n2024-03-04 13:00Z,9.52,47.14\n2024-03-04T13:20:00+00:00,9.52,47.14\n")
    assert np.flatnonzero(arrest_profile(tmp_path / "placed.csv")).tolist() == [14]


def test_validate_weighs_arrests_at_their_local_time(tmp_path):
    """The same made-up arrests around Vaduz centre, written in UTC with an offset and in
    local time, give the same validation: the offset is not dropped."""
    rng = np.random.default_rng(7)
    local = pd.date_range("2022-01-03 08:00", periods=40, freq="53h")
    utc = local.tz_localize("Europe/Vaduz").tz_convert("UTC")
    base = {"lon": 9.521 + rng.normal(0, 0.002, 40), "lat": 47.139 + rng.normal(0, 0.002, 40)}
    runs = {}
    for name, times in (("local", local.strftime("%Y-%m-%d %H:%M")),
                        ("utc", utc.strftime("%Y-%m-%dT%H:%M%z"))):
        runs[name] = aedplan.validate_plans(
            pd.DataFrame({**base, "time": times}), time_col="time", osm=VADUZ, folds=2,
            budgets=[1], models=["arrests", "network"], aeds="osm")
    assert runs["utc"].report["arrests"]["first"] == runs["local"].report["arrests"]["first"]
    pd.testing.assert_frame_equal(runs["utc"].table, runs["local"].table)


# --------------------------------------------------------------------------- GCJ-02 read as WGS84


def made_up_registry(net, n=150, seed=1):
    """Made-up AEDs 50-120 m from the middles of ``n`` streets of the real network, each
    off in its own direction (deep in buildings, as many are), in WGS84 lon/lat."""
    rng = np.random.default_rng(seed)
    edges = rng.choice(net.n_edges, n, replace=False)
    mid = shapely.line_interpolate_point(net.edge_geometry[edges], 0.5, normalized=True)
    angle, far = rng.uniform(0, 2 * np.pi, n), rng.uniform(50, 120, n)
    xy = shapely.get_coordinates(mid) + np.column_stack([np.cos(angle), np.sin(angle)]) * far[
        :, None]
    return lonlat(net, xy)


def test_a_list_in_gcj02_is_noticed_where_streets_are_dense(wuhan):
    """Shifted by the real GCJ-02 offset (about 530 m east and 280 m south here), the
    made-up AEDs still lie near some street of dense central Wuhan at the median (the
    median distance is not halved by reading them right), but one by one most of them
    lie nearer the streets read as GCJ-02."""
    from aedplan._datum import wgs84_to_gcj02
    from aedplan.snapping import datum_hint

    lon, lat = made_up_registry(wuhan)
    copied = gpd.GeoDataFrame(geometry=gpd.points_from_xy(*wgs84_to_gcj02(lon, lat)), crs=4326)
    said, given, then = datum_hint(wuhan, copied)
    assert said == "gcj02"
    assert then > 0.5 * given  # the median rule alone says nothing
    assert datum_hint(wuhan, gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat),
                                              crs=4326)) is None  # right as they are


def test_the_run_warns_of_gcj02_whatever_the_columns(wuhan, tmp_path):
    from aedplan._datum import wgs84_to_gcj02

    lon, lat = wgs84_to_gcj02(*made_up_registry(wuhan))
    pd.DataFrame({"编号": np.arange(lon.size), "经度": lon, "纬度": lat}).to_csv(
        tmp_path / "aeds.csv", index=False)  # plain columns: no map provider's
    result = CliRunner().invoke(main, [
        "coverage", "--osm", str(WUHAN), "--aeds", str(tmp_path / "aeds.csv"), "--demand",
        "network", "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 0, result.output
    said = [line for line in result.output.splitlines() if "网络地图" in line]
    assert len(said) == 1 and said[0].startswith("aedplan: warning: `--aeds`：这些点距街道的")
    assert "若按GCJ-02（高德、腾讯）坐标读取则只有" in said[0]
    assert said[0].endswith("看来是从国内网络地图上取的坐标。如果是，请指定 `--datum gcj02`。")
