"""The output folder holds one run: checked before any slow step, never mixed with an
earlier run's files, replaced only with ``overwrite``, written whole or not at all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pytest
from shapely import Point

from aedplan.errors import InputError
from aedplan.outputs import AEDPLAN_FILES, OUTPUT_FILES, check_out, write_outputs

from .conftest import data_path


def frames():
    point = gpd.GeoDataFrame({"id": ["a"]}, geometry=[Point(9.52, 47.14)], crs=4326)
    circle = gpd.GeoDataFrame({"id": ["a"]}, geometry=[Point(9.52, 47.14).buffer(0.001)],
                              crs=4326)
    return {"demand": point, "aeds": point, "proposed": point.iloc[:0], "circles": circle}


def write(out, **options):
    return write_outputs(out, report={"run": 1}, texts={"map.html": "<html></html>"}, **frames(),
                         **options)


def test_a_new_folder_is_made_and_filled(tmp_path):
    written = write(tmp_path / "a" / "b")
    assert set(written) == set(OUTPUT_FILES) - {"coverage_by_hour.png"}
    assert sorted(p.name for p in (tmp_path / "a" / "b").iterdir()) == sorted(written)


def test_an_earlier_run_is_refused_unless_overwrite(tmp_path):
    out = tmp_path / "out"
    write(out, images={"map.png": lambda p: p.write_bytes(b"old png")})
    (out / "notes.txt").write_text("mine")
    before = (out / "report.json").read_bytes()
    with pytest.raises(InputError, match=r"holds results of an earlier run .*`overwrite=True`"):
        write(out)
    assert (out / "report.json").read_bytes() == before  # nothing touched
    written = write(out, overwrite=True)
    assert "map.png" not in written
    # the earlier map.png is gone (it was not this run's); a file of the user's stays
    assert not (out / "map.png").exists()
    assert (out / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in out.iterdir()) == sorted([*written, "notes.txt"])


def test_without_a_plan_no_proposed_sites_are_written_and_a_plans_are_removed(tmp_path):
    """Today's coverage alone has no proposed sites: no empty files of them, and a plan's
    left in the folder by an earlier run go with it."""
    import pyogrio

    out = tmp_path / "out"
    write(out)
    assert (out / "proposed_sites.csv").exists()
    written = write_outputs(out, report={"run": 2}, texts={"map.html": "<html></html>"},
                            **{**frames(), "proposed": None}, overwrite=True)
    assert not {"proposed_sites.csv", "proposed_sites.geojson"} & set(written)
    assert not (out / "proposed_sites.csv").exists()
    assert not (out / "proposed_sites.geojson").exists()
    assert "proposed" not in {name for name, _ in pyogrio.list_layers(out / "coverage.gpkg")}


def test_a_folder_with_other_files_only_is_fine(tmp_path):
    (tmp_path / "readme.txt").write_text("x")
    check_out(tmp_path)
    assert "readme.txt" not in AEDPLAN_FILES


def test_a_folder_that_cannot_be_written(tmp_path):
    with pytest.raises(InputError,
                       match=r"`out`: cannot write /proc/.*: /proc takes no new files"):
        check_out("/proc/aedplan-out")
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match=r"exists and is not a folder"):
        check_out(tmp_path / "file")
    with pytest.raises(InputError, match=r"is a file, not a folder"):
        check_out(tmp_path / "file" / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]  # nothing made


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through permissions")
def test_a_read_only_folder(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(InputError,
                           match=r"cannot write .*ro takes no new files \(permission denied\)"):
            check_out(ro / "out")
    finally:
        ro.chmod(0o700)


def test_a_failed_write_leaves_the_earlier_run_whole(tmp_path):
    out = tmp_path / "out"
    write(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(path):
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write(out, overwrite=True, images={"map.png": broken})
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def wait_for_cpu(pid: int, *, seconds: float) -> None:
    """Wait until process ``pid`` has used ``seconds`` of CPU time (Linux /proc), so a
    signal finds it at work however busy the machine is."""
    tick = os.sysconf("SC_CLK_TCK")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        if (int(fields[11]) + int(fields[12])) / tick >= seconds:  # utime + stime
            return
        time.sleep(0.05)
    raise AssertionError("the process never got to work")


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs Linux /proc")
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_run_writes_nothing(tmp_path, sig, code):
    """A real process, stopped while it computes: one line, the shell's exit code, and
    no output folder."""
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "aedplan.cli", "plan", "--osm",
         str(data_path("osm", "liechtenstein-2024-03-03.osm.pbf")), "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    wait_for_cpu(proc.pid, seconds=3.0)  # past the imports, well before the files are written
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    assert err.strip().splitlines()[-1] == "aedplan: interrupted: nothing written"
    assert "Traceback" not in err
    assert not out.exists()


def _without_timings(report: dict) -> dict:
    """report.json apart from the seconds things took."""
    report = dict(report, timings_s=None)
    details = dict(report["plan"].get("solver_details") or {}, solve_s=None)
    report["plan"] = dict(report["plan"], solver_details=details)
    return report


def test_two_runs_give_byte_identical_files(tmp_path):
    """The same inputs give the same bytes in every file (report.json apart from its
    timings): no random map ids, no time of writing in the GeoPackage."""
    import json

    runs = []
    for name in ("one", "two"):
        out = tmp_path / name
        subprocess.run(
            [sys.executable, "-m", "aedplan", "plan", "--osm",
             str(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf")), "--budget", "3",
             "--png", "--quiet", "--out", str(out)],
            check=True, capture_output=True,
        )
        runs.append(out)
    names = sorted(p.name for p in runs[0].iterdir())
    assert {"map.html", "coverage.gpkg", "map.png"} <= set(names)
    assert names == sorted(p.name for p in runs[1].iterdir())
    for name in names:
        one, two = (run / name for run in runs)
        if name == "scenario.toml":  # the same but for its own folder, `out`
            from aedplan import Scenario

            assert (Scenario.from_toml(one).replace({"output.out": None})
                    == Scenario.from_toml(two).replace({"output.out": None}))
        elif name == "report.json":
            assert _without_timings(json.loads(one.read_text())) == _without_timings(
                json.loads(two.read_text()))
        else:
            assert one.read_bytes() == two.read_bytes(), name


def test_the_geopackage_is_the_same_bytes_whenever_written(tmp_path, monkeypatch):
    """Written at two times, the GeoPackage has the same bytes, every layer stamped with
    SOURCE_DATE_EPOCH; GDAL's settings are put back afterwards."""
    import sqlite3

    import pyogrio

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1709510400")  # 2024-03-04 00:00 UTC
    pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": "NORMAL"})
    try:
        write(tmp_path / "one")
        time.sleep(1.1)  # GDAL's own stamp would move on by a second
        write(tmp_path / "two")
        assert pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS") == "NORMAL"
        assert pyogrio.get_gdal_config_option("OGR_CURRENT_DATE") is None
    finally:
        pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": None})
    one, two = (tmp_path / name / "coverage.gpkg" for name in ("one", "two"))
    assert one.read_bytes() == two.read_bytes()
    with sqlite3.connect(one) as db:
        stamps = {row[0] for row in db.execute("SELECT last_change FROM gpkg_contents")}
    assert stamps == {"2024-03-04T00:00:00.000Z"}


@pytest.mark.parametrize("arrow", [True, False], ids=["arrow", "no-arrow"])
def test_empty_numbers_are_written_empty_with_or_without_arrow(tmp_path, monkeypatch, arrow):
    """Written through Arrow (pyarrow installed) or not, the files hold the same values:
    a nullable integer column's empty cells are null, not the text "<NA>"."""
    import json

    import pandas as pd

    from aedplan import outputs

    if arrow:
        pytest.importorskip("pyarrow")
    monkeypatch.setattr(outputs, "_HAS_ARROW", arrow)
    layers = frames()
    circles = pd.concat([layers["circles"]] * 2, ignore_index=True)
    circles["rank"] = pd.array([pd.NA, 1], dtype="Int64")
    layers["circles"] = gpd.GeoDataFrame(circles, geometry="geometry", crs=4326)
    write_outputs(tmp_path, report={"run": 1}, texts={"map.html": "<html></html>"}, **layers)
    raw = json.loads((tmp_path / "rescue_circles.geojson").read_text())
    assert [f["properties"]["rank"] for f in raw["features"]] == [None, 1]
    back = gpd.read_file(tmp_path / "coverage.gpkg", layer="circles")
    assert back["rank"].isna().tolist() == [True, False] and back["rank"].iloc[1] == 1


@pytest.mark.parametrize("arrow", [True, False], ids=["arrow", "no-arrow"])
def test_a_layer_written_a_block_at_a_time_reads_back_as_written_whole(tmp_path, monkeypatch,
                                                                        arrow):
    """A province's demand is made WGS84 and written a block of rows at a time: the layer
    reads back as the one written whole, row for row, even where the first block's names
    are all missing and later ones are not. (Five made-up points in UTM.)"""
    import numpy as np
    import pandas as pd

    from aedplan import outputs

    if arrow:
        pytest.importorskip("pyarrow")
    monkeypatch.setattr(outputs, "_HAS_ARROW", arrow)
    demand = gpd.GeoDataFrame(
        {"id": np.arange(5), "name": [None, None, "Au", "Bühl", None],
         "walk_s": [10.0, np.inf, 30.5, np.nan, 250.0],
         "rank": pd.array([pd.NA, pd.NA, 1, 2, pd.NA], dtype="Int64")},
        geometry=gpd.points_from_xy([757_000.0 + 100 * k for k in range(5)], [5_227_000.0] * 5),
        crs="EPSG:32632")
    layers = {**frames(), "demand": demand}
    back, blocks = {}, []
    real = outputs._write_block

    def counted(frame, path, **kwargs):
        if kwargs["layer"] == "demand":
            blocks.append(len(frame))
        real(frame, path, **kwargs)

    monkeypatch.setattr(outputs, "_write_block", counted)
    for rows in (2, 1_000):
        monkeypatch.setattr(outputs, "BLOCK_ROWS", rows)
        out = tmp_path / str(rows)
        write_outputs(out, report={"run": 1}, texts={"map.html": "<html></html>"}, **layers)
        back[rows] = gpd.read_file(out / "coverage.gpkg", layer="demand")
    assert blocks == [2, 2, 1, 5]  # three blocks, then one
    pd.testing.assert_frame_equal(back[2], back[1_000])
    names = back[2]["name"]
    assert names.isna().tolist() == [True, True, False, False, True]
    assert names.dropna().tolist() == ["Au", "Bühl"]
    assert back[2]["walk_s"].isna().tolist() == [False, True, False, True, False]
    assert back[2].crs.to_epsg() == 4326
    expected = demand.to_crs(4326).geometry
    assert np.allclose(back[2].geometry.x, expected.x, atol=1e-9)
    assert np.allclose(back[2].geometry.y, expected.y, atol=1e-9)


def test_the_csv_tables_open_in_excel_with_their_names_as_written(tmp_path):
    """UTF-8 with a byte order mark (Excel reads UTF-8 without one in the machine's code
    page); pandas and Python's utf-8-sig read the header without it. Made-up site names."""
    import csv

    import pandas as pd

    proposed = gpd.GeoDataFrame({"id": ["s1"], "name": ["龙岩市第一医院"]},
                                geometry=[Point(117.03, 25.08)], crs=4326)
    write_outputs(tmp_path / "out", report={"run": 1},
                  texts={"map.html": "<html></html>", "aeds_read.csv": "id,name\na,Schüle\n"},
                  **{**frames(), "proposed": proposed})
    for name in ("proposed_sites.csv", "aeds_read.csv"):
        assert (tmp_path / "out" / name).read_bytes().startswith(b"\xef\xbb\xbfid,")
    table = pd.read_csv(tmp_path / "out" / "proposed_sites.csv")
    assert table.columns[0] == "id" and table["name"].tolist() == ["龙岩市第一医院"]
    with open(tmp_path / "out" / "aeds_read.csv", encoding="utf-8-sig", newline="") as f:
        assert list(csv.DictReader(f)) == [{"id": "a", "name": "Schüle"}]


def test_a_folder_of_the_users_under_an_output_name_is_never_replaced(tmp_path):
    """A folder the user named report.json, with a file of theirs in it, stops the run
    even with ``overwrite``: it is not a file aedplan wrote."""
    out = tmp_path / "out"
    (out / "report.json").mkdir(parents=True)
    (out / "report.json" / "mine.txt").write_text("keep")
    for overwrite in (False, True):
        with pytest.raises(InputError, match=r"report\.json is a folder, not a file of an "
                                             r"earlier run"):
            write(out, overwrite=overwrite)
    assert (out / "report.json" / "mine.txt").read_text() == "keep"
