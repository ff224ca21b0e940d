"""Opening hours as registries write them, read into OSM ``opening_hours``: hour strings
from the real Taichung registry (Taiwan's MOHW open data) and the forms other registries
use, each worked out by hand; what cannot be read stays unknown."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import aedplan
from aedplan.hours import availability, reference_week
from aedplan.registry_hours import registry_hours, text_to_opening_hours

from .conftest import data_path

#: (text, opening_hours it becomes, or None: unknown). Most are real registry texts.
TEXTS = [
    ("星期一至星期五 08:00 至 17:00", "Mo-Fr 08:00-17:00"),
    ("周一至周五 8:30-17:30", "Mo-Fr 08:30-17:30"),
    ("週一至週五 08:30~17:30", "Mo-Fr 08:30-17:30"),
    ("周一到周五 9:00-18:00", "Mo-Fr 09:00-18:00"),
    ("全天", "24/7"),
    ("全日開放", "24/7"),
    ("全天候", "24/7"),
    ("24小時開放", "24/7"),
    ("24小时开放", "24/7"),
    ("24H開放", "24/7"),
    ("24/7", "24/7"),
    ("00:00-23:59", "Mo-Su 00:00-24:00"),
    ("每日9:00-21:00", "Mo-Su 09:00-21:00"),
    ("每天 06:00～22:00", "Mo-Su 06:00-22:00"),
    ("daily 09:00-17:00", "Mo-Su 09:00-17:00"),
    ("Mon-Fri 09:00-18:00", "Mo-Fr 09:00-18:00"),
    ("Monday to Friday 9:00 to 17:30", "Mo-Fr 09:00-17:30"),
    ("Mon-Sat 10:00-20:00", "Mo-Sa 10:00-20:00"),
    ("Sat 09:00-13:00", "Sa 09:00-13:00"),
    ("工作日 8:00-17:00", "Mo-Fr 08:00-17:00"),
    ("周一至周五 8:30-17:30，周六 9:00-12:00", "Mo-Fr 08:30-17:30; Sa 09:00-12:00"),
    ("週一至週五08:00-12:00、13:30-17:00", "Mo-Fr 08:00-12:00,13:30-17:00"),
    ("周一至周五 08:00-12:00 14:00-17:30", "Mo-Fr 08:00-12:00,14:00-17:30"),
    ("週末 10:00-18:00", "Sa-Su 10:00-18:00"),
    ("星期六、星期日 09:00-17:00", "Sa-Su 09:00-17:00"),
    ("星期二至星期日 09:00-17:00", "Tu-Su 09:00-17:00"),
    ("周五至周一 10:00-22:00", "Mo,Fr-Su 10:00-22:00"),
    ("每日 18:00-02:00", "Mo-Su 18:00-02:00"),
    ("每日9:00-21:00，國定假日休館", "Mo-Su 09:00-21:00; PH off"),
    ("每日 08:00-17:00；星期一休館", "Mo-Su 08:00-17:00; Mo off"),
    ("08:00-17:00 週一及國定假日休館", "Mo-Su 08:00-17:00; PH off; Mo off"),
    ("9點-17點", "Mo-Su 09:00-17:00"),
    ("24小時開放（國定假日除外）", "Mo-Su 00:00-24:00; PH off"),
    ("Mon-Fri 09:00-17:00 except public holidays", "Mo-Fr 09:00-17:00; PH off"),
    ("周一至周五 9时30-18时", "Mo-Fr 09:30-18:00"),
    ("Mon-Fri 9:00-18:00, Sat 10:00-14:00", "Mo-Fr 09:00-18:00; Sa 10:00-14:00"),
    # already OSM syntax: kept as it is (not read as "every day 08:00-17:00")
    ("Mo-Fr 08:00-17:00; PH off", "Mo-Fr 08:00-17:00; PH off"),
    ("Sa,Su 10:00-16:00", "Sa,Su 10:00-16:00"),
    # hand-written OSM days (a real Liechtenstein opening_hours tag): read as days, not
    # as every day
    ("Mo - Fr 7:30 - 17:00", "Mo-Fr 07:30-17:00"),
    # unknown: nothing that says when, times that cannot be, closing rules alone
    ("依民眾洽公時間開放", None),
    ("配合校園開放時間", None),
    ("上班時間", None),
    ("by appointment", None),
    ("國定假日不對外開放", None),
    ("星期一休館", None),
    ("25:00-26:00", None),
    ("08:00-08:00", None),
    # hours for some weeks only, or words it cannot read: unknown, not misread
    ("寒暑假 08:00-17:00", None),
    ("by appointment 9:00-17:00", None),
    ("9:00 am - 5:00 pm", None),
    ("", None),
    (None, None),
]


def test_the_table_holds_enough_forms():
    assert len(TEXTS) >= 40


@pytest.mark.parametrize(("text", "expected"), TEXTS, ids=[str(t) for t, _ in TEXTS])
def test_hours_text(text, expected):
    assert text_to_opening_hours(text) == expected


def _week():
    return reference_week("2024-03-04", country="TW")  # Monday 4 March 2024


def _states(values):
    """Open (1), closed (0) or unknown (-1) at half past each hour of the reference week."""
    frame = pd.DataFrame({"opening_hours": values, "lon": 120.6, "lat": 24.18})
    import geopandas as gpd

    gdf = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame.lon, frame.lat), crs=4326)
    av = availability(gdf, week=_week())
    return av.state[:, np.searchsorted(av.edges, np.arange(168) * 60 + 30, side="right") - 1]


@pytest.mark.parametrize(("text", "open_at", "closed_at"), [
    # hour of the week, probed at half past: 0 = Monday 00:30
    ("星期一至星期五 08:00 至 17:00", [8, 16, 4 * 24 + 16], [7, 17, 5 * 24 + 10]),
    ("週一至週五08:00-12:00、13:30-17:00", [8, 11, 13, 14], [12, 17]),  # read at 13:30
    ("每日 18:00-02:00", [18, 23, 24, 25], [2 + 24, 12]),
    ("每日 08:00-17:00；星期一休館", [24 + 8, 6 * 24 + 16], [8, 16]),
    ("24小時開放", [0, 100, 167], []),
])
def test_read_hours_open_and_close_as_written(text, open_at, closed_at):
    state = _states([text_to_opening_hours(text)])[0]
    assert (state[open_at] == 1).all() and (state[closed_at] == 0).all()


def _registry(rows):
    cols = ["周一至周五起", "周一至周五迄", "周六起", "周六迄", "周日起", "周日迄",
            "開放使用時間備註"]
    return pd.DataFrame(rows, columns=cols)


def test_day_group_columns_by_hand():
    """Taiwan's six columns: all day, office hours with weekends blank (closed), the
    ambiguous 00:00-00:00 (unknown), a remark closing public holidays, a remark that
    says 24 hours, and a remark that cannot be read (kept, the hours as given)."""
    rows = _registry([
        ["00:00", "23:59", "00:00", "23:59", "00:00", "23:59", None],
        ["08:00", "17:00", None, None, None, None, None],
        ["00:00", "00:00", "00:00", "00:00", "00:00", "00:00", None],
        ["08:00", "17:00", "00:00", "00:00", "00:00", "00:00", None],
        ["15:00", "21:00", "10:00", "13:00", None, None, "週日及國定假日未開放"],
        ["06:00", "22:00", "06:00", "22:00", "06:00", "22:00", "需要時全天候使用"],
        ["07:00", "18:00", "07:00", "18:00", "07:00", "18:00", "停托期間不開放"],
        [None, None, None, None, None, None, None],
    ])
    hours, source, unread = registry_hours(rows)
    assert source == "day groups"
    assert hours.tolist() == [
        "24/7",
        "Mo-Fr 08:00-17:00; Sa off; Su off",
        None,
        None,
        "Mo-Fr 15:00-21:00; Sa 10:00-13:00; Su off; PH off; Su off",
        "24/7",
        "Mo-Fr 07:00-18:00; Sa 07:00-18:00; Su 07:00-18:00",
        None,
    ]
    assert unread == ["停托期間不開放"]


#: (remark, the rules it adds to office hours, or None: it cannot be read). Real remarks
#: of the Taichung registry.
REMARKS = [
    ("國定假日不對外開放", "PH off"),
    ("週日及國定假日未開放", "PH off; Su off"),
    ("例假日休息", "PH off; Sa-Su off"),  # 例假日: weekends and national holidays
    ("星期例假日不開放", "PH off; Sa-Su off"),
    ("六日不開放", "Sa-Su off"),
    ("六、日不對外開放", "Sa-Su off"),
    ("星期六、日非開放時間", "Sa-Su off"),
    ("無", ""),  # "none": nothing to apply
    ("每月二十六日休館", None),  # a day of the month is not a weekday
    ("停托期間不開放", None),
    ("寒暑假開放時間另定", None),
]


@pytest.mark.parametrize(("remark", "rules"), REMARKS, ids=[r for r, _ in REMARKS])
def test_remarks_change_the_hours_they_name(remark, rules):
    rows = _registry([["08:00", "17:00", "08:00", "12:00", "08:00", "12:00", remark]])
    hours, _, unread = registry_hours(rows)
    given = "Mo-Fr 08:00-17:00; Sa 08:00-12:00; Su 08:00-12:00"
    if rules is None:
        assert unread == [remark] and hours.tolist() == [given]
    else:
        assert unread == [] and hours.tolist() == ["; ".join(filter(None, [given, rules]))]


def test_opening_hours_written_as_text_are_read_as_text():
    """An ``opening_hours`` column (OSM, or the one ``hours_col`` names) may hold text as
    registries write it: read by the same rules, said in a warning; OSM syntax, and what
    neither reads, stay as they are."""
    import geopandas as gpd

    tags = ["24小時開放", "Mo-Fr 08:00-17:00", "sunrise-sunset", "週一至週五 08:30-17:30",
            "garbage"]
    points = gpd.GeoDataFrame({"opening_hours": tags},
                              geometry=gpd.points_from_xy([120.6] * 5, [24.18] * 5), crs=4326)
    with pytest.warns(aedplan.AedplanWarning) as said:
        av = availability(points, week=_week())
    assert av.hours.tolist() == ["24/7", "Mo-Fr 08:00-17:00", "sunrise-sunset",
                                 "Mo-Fr 08:30-17:30", "garbage"]
    words = " ".join(str(w.message) for w in said)
    assert "2 opening_hours values are written as text" in words
    assert "'24小時開放' -> '24/7'" in words and "could not be read" in words
    assert av.kind.tolist() == ["24/7", "hours", "hours", "hours", "unknown"]


def test_hours_col_names_the_hours_column(tmp_path):
    """A registry whose hours column has a name aedplan does not know (made-up rows at
    real Vaduz AED places): ``aeds.hours_col`` reads it; a wrong name, or a column beside
    an opening_hours column, is refused with the columns named."""
    centre = Path(__file__).resolve().parents[1] / "data" / "vaduz-centre-2024-03-03.osm.pbf"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", aedplan.AedplanWarning)
        real = aedplan.read_points(centre).head(3)
    rows = pd.DataFrame({"名稱": ["A", "B", "C"], "lon": real.geometry.x, "lat": real.geometry.y,
                         "服務說明": ["全天", "周一至周五 8:30-17:30", "依民眾洽公時間開放"]})
    rows.to_csv(tmp_path / "aeds.csv", index=False)
    base = aedplan.Scenario().replace({
        "area.osm": str(centre), "aeds.source": str(tmp_path / "aeds.csv"),
        "demand.source": "network", "goal.optimise": False})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", aedplan.AedplanWarning)
        blind = aedplan.run(base)
        read = aedplan.run(base.replace({"aeds.hours_col": "服務說明"}))
    assert blind.report["hours"]["aeds"]["public_unknown"] == 3
    assert read.report["hours"]["aeds"] == {"public_24_7": 1, "public_hours": 1,
                                            "public_unknown": 1, "restricted": 0}
    assert read.frames["aeds_read"]["opening_hours"].tolist()[:2] == ["24/7",
                                                                    "Mo-Fr 08:30-17:30"]
    refused = [("hours", r"`aeds.hours_col`: aeds.csv has no column 'hours'; its columns are "
                         r".*'服務說明'"),
               ("服務說明", r"has an `opening_hours` column besides '服務說明'")]
    rows.assign(opening_hours="24/7").to_csv(tmp_path / "both.csv", index=False)
    for (column, message), path in zip(refused, ("aeds.csv", "both.csv"), strict=True):
        with warnings.catch_warnings(), pytest.raises(aedplan.InputError, match=message):
            warnings.simplefilter("ignore", aedplan.AedplanWarning)
            aedplan.run(base.replace({"aeds.source": str(tmp_path / path),
                                      "aeds.hours_col": column}))
    with pytest.raises(aedplan.InputError, match=r"`aeds.hours_col` names a column of a table"):
        aedplan.run(base.replace({"aeds.source": "osm", "aeds.hours_col": "服務說明"}))


def test_a_text_column_is_read_when_there_are_no_day_groups():
    rows = pd.DataFrame({"開放時間": ["每日9:00-21:00", "上班時間"],
                         "開放使用時間備註": ["國定假日不對外開放", None]})
    hours, source, unread = registry_hours(rows)
    assert source == "text (開放時間)" and unread == []
    assert hours.tolist() == ["Mo-Su 09:00-21:00; PH off", None]


def test_registry_hours_count_as_the_same_osm_tags_do():
    """The registry path adds nothing of its own to the time rule: the same AEDs with
    the opening_hours they became give the same hours, hour by hour."""
    import geopandas as gpd

    rows = _registry([
        ["08:00", "17:00", None, None, None, None, "國定假日不對外開放"],
        ["00:00", "23:59", "00:00", "23:59", "00:00", "23:59", None],
        ["15:00", "21:00", "10:00", "13:00", None, None, None],
    ])
    points = gpd.GeoDataFrame(rows, geometry=gpd.points_from_xy([120.6] * 3, [24.18] * 3),
                              crs=4326)
    with pytest.warns(aedplan.AedplanWarning, match="read from the registry's day groups for "
                                                    "3 of 3 AEDs"):
        from_registry = availability(points, week=_week())
    tags = points[["geometry"]].assign(opening_hours=registry_hours(rows)[0])
    np.testing.assert_array_equal(from_registry.state, availability(tags, week=_week()).state)
    assert from_registry.kind.tolist() == ["hours", "24/7", "hours"]


def test_the_taichung_registry_is_read():
    """The real MOHW registry of 980 Taichung AEDs: most hours read; every row is either
    read or counted unknown; 24/7 rows are the ones the registry marks 00:00-23:59 every
    day or says 24 hours."""
    path = data_path("taiwan", "taichung-aed-mohw-2018.csv")
    rows = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    hours, source, _ = registry_hours(rows)
    known = pd.Series(hours).notna()
    assert source == "day groups" and known.sum() >= 0.7 * len(rows)
    all_day = ((rows["周一至周五起"] == "00:00") & (rows["周一至周五迄"] == "23:59")
               & (rows["周六起"] == "00:00") & (rows["周六迄"] == "23:59")
               & (rows["周日起"] == "00:00") & (rows["周日迄"] == "23:59"))
    plain = all_day & rows["開放使用時間備註"].isna()
    # 95 rows say 00:00-23:59 on every day and have no remark
    assert plain.sum() == 95 and (pd.Series(hours)[plain] == "24/7").all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", aedplan.AedplanWarning)
        points = aedplan.read_points(path, lon_col="地點LNG", lat_col="地點LAT")
        kinds = pd.Series(availability(points, week=_week()).kind).value_counts()
    assert kinds["unknown"] == (~known).sum()
    assert kinds["24/7"] >= all_day.sum() and kinds["hours"] > 0


@pytest.mark.parametrize(("lon", "lat", "name"), [("地點LNG", "地點LAT", "場所名稱"),
                                                  ("經度", "緯度", "名稱"),
                                                  ("经度", "纬度", "设置地点")])
def test_registry_column_names_are_found(tmp_path, lon, lat, name):
    """Made-up rows under the column names Chinese-language registries use."""
    path = tmp_path / "aeds.csv"
    pd.DataFrame({name: ["國小", "社區"], lat: [24.18, 24.19], lon: [120.60, 120.61]}
                 ).to_csv(path, index=False, encoding="utf-8-sig")
    points = aedplan.read_points(path)
    assert points["name"].tolist() == ["國小", "社區"]
    np.testing.assert_allclose(points.geometry.x, [120.60, 120.61])


def test_a_run_writes_how_each_aeds_hours_were_read(tmp_path):
    """Four real AED places of the Vaduz centre given as a registry with made-up hours in
    Taiwan's columns: aeds_read.csv says, for each, the hours as given, the
    opening_hours they became and the kind; the run counts them."""
    import json
    import subprocess
    import sys

    centre = Path(__file__).resolve().parents[1] / "data" / "vaduz-centre-2024-03-03.osm.pbf"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", aedplan.AedplanWarning)
        real = aedplan.read_points(centre).head(4)
    registry = _registry([
        ["00:00", "23:59", "00:00", "23:59", "00:00", "23:59", None],
        ["08:00", "17:00", None, None, None, None, "國定假日不對外開放"],
        ["00:00", "00:00", "00:00", "00:00", "00:00", "00:00", None],
        ["09:00", "18:00", "09:00", "12:00", None, None, "停托期間不開放"],
    ]).assign(場所名稱=[f"AED {i}" for i in range(4)], 地點LNG=real.geometry.x.to_numpy(),
              地點LAT=real.geometry.y.to_numpy())
    registry.to_csv(tmp_path / "registry.csv", index=False, encoding="utf-8-sig")
    done = subprocess.run(
        [sys.executable, "-m", "aedplan", "coverage", "--osm", str(centre), "--aeds",
         str(tmp_path / "registry.csv"), "--demand", "network", "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "read from the registry's day groups for 3 of 4 AEDs" in done.stderr
    read = pd.read_csv(tmp_path / "out" / "aeds_read.csv")
    assert read["name"].tolist() == [f"AED {i}" for i in range(4)]
    assert read["opening_hours"].fillna("").tolist() == [
        "24/7", "Mo-Fr 08:00-17:00; Sa off; Su off; PH off", "",
        "Mo-Fr 09:00-18:00; Sa 09:00-12:00; Su off"]
    assert read["kind"].tolist() == ["24/7", "hours", "unknown", "hours"]
    assert read["hours_given"].iloc[1] == "Mo-Fr 08:00-17:00 Sa - Su - | 國定假日不對外開放"
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["hours"]["aeds"] == {"public_24_7": 1, "public_hours": 2,
                                       "public_unknown": 1, "restricted": 0}


def test_a_twd97_registry_covers_as_its_wgs84_twin(tmp_path):
    """The real Taichung AEDs on the real Tunghai streets, once in lon/lat and once in
    TWD97 metres (x/y columns): without a CRS the metres are refused with the likely
    grid named; with `crs` the coverage is the same."""
    from pyproj import Transformer

    osm = data_path("taiwan", "taichung-tunghai-2025-08.osm")
    path = data_path("taiwan", "taichung-aed-mohw-2018.csv")
    rows = pd.read_csv(path, encoding="utf-8-sig")
    lon, lat = rows["地點LNG"].to_numpy(), rows["地點LAT"].to_numpy()
    x, y = Transformer.from_crs(4326, 3826, always_xy=True).transform(lon, lat)
    pd.DataFrame({"name": rows["場所名稱"], "lon": lon, "lat": lat}).to_csv(
        tmp_path / "wgs84.csv", index=False)
    pd.DataFrame({"name": rows["場所名稱"], "x": x, "y": y}).to_csv(
        tmp_path / "twd97.csv", index=False)
    with pytest.raises(aedplan.InputError, match=r"perhaps TWD97 / TM2 zone 121 \(Taiwan\), "
                                                 r"EPSG:3826; pass `crs="):
        aedplan.read_points(tmp_path / "twd97.csv")
    base = aedplan.Scenario().replace({"area.osm": str(osm), "demand.source": "network",
                                       "goal.optimise": False})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", aedplan.AedplanWarning)
        wgs = aedplan.run(base.replace({"aeds.source": str(tmp_path / "wgs84.csv")}))
        twd = aedplan.run(base.replace({"aeds.source": str(tmp_path / "twd97.csv"),
                                        "aeds.crs": "EPSG:3826"}))
    assert twd.report["area"]["inputs"]["aeds"] == wgs.report["area"]["inputs"]["aeds"]
    assert twd.report["existing"]["aeds"] == wgs.report["existing"]["aeds"] == 10
    assert twd.report["existing"]["coverage"] == pytest.approx(
        wgs.report["existing"]["coverage"], abs=1e-12)


def test_the_registry_covers_as_the_same_aeds_tagged_in_osm(tmp_path):
    """The real Taichung registry on the real Tunghai streets, and the same AEDs written
    as OSM nodes with the opening_hours they became: the same coverage in every hour of
    the week, to the last digit (the registry path adds nothing to the time rule)."""
    from xml.sax.saxutils import quoteattr

    osm = data_path("taiwan", "taichung-tunghai-2025-08.osm")
    path = data_path("taiwan", "taichung-aed-mohw-2018.csv")
    base = aedplan.Scenario().replace({"area.osm": str(osm), "demand.source": "network",
                                       "goal.optimise": False})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", aedplan.AedplanWarning)
        registry = aedplan.run(base.replace({"aeds.source": str(path)}))
    read = registry.frames["aeds_read"]
    rows = pd.read_csv(path, encoding="utf-8-sig").set_index("場所ID").loc[
        read["id"].to_numpy()]  # the registry's own ids name its AEDs
    nodes = "".join(
        f'<node id="{-1 - i}" version="1" lat="{lat!r}" lon="{lon!r}">'
        '<tag k="emergency" v="defibrillator"/>'
        + (f'<tag k="opening_hours" v={quoteattr(hours)}/>' if isinstance(hours, str) else "")
        + "</node>"
        for i, (lon, lat, hours) in enumerate(zip(rows["地點LNG"], rows["地點LAT"],
                                                  read["opening_hours"], strict=True)))
    (tmp_path / "aeds.osm").write_text(
        f'<?xml version="1.0"?><osm version="0.6">{nodes}</osm>', encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", aedplan.AedplanWarning)
        tagged = aedplan.run(base.replace({"aeds.source": str(tmp_path / "aeds.osm")}))
    assert len(read) == 10 and read["kind"].value_counts().to_dict() == {
        "24/7": 6, "hours": 3, "unknown": 1}
    for key in ("before", "aeds", "slots", "intervals"):
        assert tagged.report["hours"][key] == registry.report["hours"][key]
