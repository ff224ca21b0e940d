"""Districts and equity on the whole of Liechtenstein (real OSM data: its 11
municipalities, 148 real AEDs with their hours): the table adds up to the whole, the
floors hold, the moves are what the report says, and every file and map layer is there."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import pandas as pd
import pyogrio
import pytest

import aedplan

from .conftest import data_path


@pytest.fixture(scope="module")
def liechtenstein(tmp_path_factory):
    osm = data_path("osm", "liechtenstein-2024-03-03.osm.pbf")
    out = tmp_path_factory.mktemp("li") / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", aedplan.AedplanWarning)
        run = aedplan.run(aedplan.Scenario().replace({
            "area.osm": str(osm), "goal.budget": 5, "goal.relocate": 5,
            "goal.movable": "restricted", "area.districts": "osm",
            "goal.min_district_coverage": 0.05, "output.out": str(out)}))
    return run, out


def test_district_totals_add_up_to_the_whole(liechtenstein):
    run, _ = liechtenstein
    d = run.report["districts"]
    table = pd.DataFrame(d["table"])
    assert d["count"] == 11 and len(table) == 11 and d["source"] == "osm:8"
    assert set(table["name"]) >= {"Vaduz", "Schaan", "Balzers", "Triesenberg", "Planken"}
    total = run.report["demand"]["total_weight"]
    assert table["weight"].sum() + d["outside_weight"] == pytest.approx(total)
    assert d["outside_weight"] < 0.01 * total
    # covered weight per district adds up to the run's (less what lies outside)
    demand = run.frames["demand"]
    covered = (table["weight"] * table["coverage_after"]).sum()
    assert covered <= run.report["plan"]["covered_weight"] + 1e-6
    assert covered == pytest.approx(run.report["plan"]["covered_weight"], rel=0.01)
    assert table["aeds_before"].sum() <= run.report["existing"]["aeds"]
    # AEDs after: those that stay and the new places, moved ones counted where they go
    assert table["aeds_after"].sum() - table["aeds_before"].sum() == (
        run.report["plan"]["new_sites"] - len(run.report["plan"]["moves"]))
    assert len(demand) == run.report["demand"]["points"]


def test_floors_hold_in_every_district(liechtenstein):
    run, _ = liechtenstein
    table = pd.DataFrame(run.report["districts"]["table"])
    assert (table["round_the_clock_after"] >= 0.05 - 1e-9).all()
    floors = run.report["districts"]["floors"]
    assert floors["min_district_coverage"] == 0.05
    assert floors["without_floors_weight"] >= floors["covered_weight"] - 1e-6
    assert floors["price_share"] >= 0
    least = run.report["districts"]["least_covered"]
    key = run.report["districts"]["least_covered_by"]
    assert key == "round_the_clock_after"
    assert [x[key] for x in least] == sorted(x[key] for x in least)


def test_the_terminal_summary_says_moves_and_the_least_covered(liechtenstein):
    from aedplan.report import summary_lines

    run, _ = liechtenstein
    lines = summary_lines(run.report, {}, [])
    plan = next(line for line in lines if line.startswith("plan: "))
    moved = len(run.report["plan"]["moves"])
    assert plan.startswith(f"plan: {5 + moved} AEDs placed (5 new, {moved} of today's moved; "
                           "up to 5 not for public use allowed)")
    least = run.report["districts"]["least_covered"][0]
    district = next(line for line in lines if line.startswith("districts (osm:8): 11; "))
    assert f"least covered (round the clock after): {least['name']} " in district
    assert any(line.startswith("  floors kept; they cost ") for line in lines)


def test_moves_are_restricted_aeds_and_gain(liechtenstein):
    run, _ = liechtenstein
    moves = run.report["plan"]["moves"]
    aeds = run.frames["aeds"]
    assert 0 < len(moves) <= 5
    moved = aeds[aeds["moved_to_rank"].notna()]
    assert len(moved) == len(moves) and not moved["public"].any()
    ranks = sorted(m["to"]["rank"] for m in moves)
    assert ranks == sorted(moved["moved_to_rank"].astype(int))
    proposed = run.frames["proposed"]
    assert proposed["moved_from"].notna().sum() == len(moves)
    assert all(m["gained_weight"] > 0 for m in moves)


def test_the_files_and_the_map_carry_districts_and_moves(liechtenstein):
    _, out = liechtenstein
    layers = {name for name, _ in pyogrio.list_layers(out / "coverage.gpkg")}
    assert {"districts", "moves"} <= layers
    table = pd.read_csv(out / "districts.csv")
    assert len(table) == 11 and "coverage_after" in table
    html = (out / "map.html").read_text()
    assert "Districts: coverage" in html and "AEDs moved" in html
    report = json.loads((out / "report.json").read_text())
    assert report["params"]["relocate"] == 5 and report["params"]["movable"] == "restricted"


def test_floors_need_districts_on_the_command_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "aedplan", "plan", "--budget", "2",
                           "--min-per-community", "1", "--out", str(tmp_path / "o")],
                          capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("aedplan: error: `--min-per-community` needs `--districts`")
    assert "Traceback" not in done.stderr and not (tmp_path / "o").exists()
    # said before the network is loaded: no warning about the data comes first
    assert done.stderr.count("\n") == 1


def test_a_district_level_that_is_not_there_is_named(tmp_path):
    osm = data_path("osm", "liechtenstein-2024-03-03.osm.pbf")
    done = subprocess.run([sys.executable, "-m", "aedplan", "coverage", "--osm", str(osm),
                           "--districts", "osm:9", "--out", str(tmp_path / "o")],
                          capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert "`--districts`: no named administrative areas at level 9" in done.stderr
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_people_and_aeds_per_100k_per_district_by_hand():
    # made-up people: 1,000 in the west half, 3,000 in the east; one AED west today and
    # one proposed east
    import geopandas as gpd
    import shapely

    from aedplan.districts import districts
    from aedplan.equity import district_table

    crs = "EPSG:32632"
    halves = districts(gpd.GeoDataFrame({"name": ["west", "east"]}, crs=crs, geometry=[
        shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)]), crs)
    demand = gpd.GeoDataFrame({"weight": [1000.0, 1000.0, 2000.0],
                               "covered_before": [True, False, False],
                               "covered_after": [True, False, True]},
                              geometry=gpd.points_from_xy([5, 15, 16], [5, 5, 5]), crs=crs)
    aeds = gpd.GeoDataFrame(geometry=gpd.points_from_xy([4], [4]), crs=crs)
    proposed = gpd.GeoDataFrame(geometry=gpd.points_from_xy([15], [4]), crs=crs)
    t = district_table(halves, demand, aeds, proposed, people=True)
    assert t["people"].tolist() == [1000.0, 3000.0]
    assert t["aeds_before"].tolist() == [1, 0] and t["aeds_after"].tolist() == [1, 1]
    assert t["aeds_per_100k_before"].tolist() == pytest.approx([100.0, 0.0])
    assert t["aeds_per_100k_after"].tolist() == pytest.approx([100.0, 100_000 / 3000])
    assert t["coverage_after"].tolist() == pytest.approx([1.0, 2 / 3])
    # an AED moved away from the west no longer counts there
    moved = district_table(halves, demand, aeds, proposed, kept=[False], people=True)
    assert moved["aeds_after"].tolist() == [0, 1]
