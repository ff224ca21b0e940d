"""A province by parts: tiles with halos give exactly the whole network's coverage, the
plan equals the single-machine exact plan, a local Dask cluster gives the same answer
as this process, and failing parts stop the run cleanly."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
import shapely

from aedplan.coverage import coverage_matrix
from aedplan.demand import demand_from_network
from aedplan.errors import AedplanError, AedplanWarning, InputError
from aedplan.network import load_network
from aedplan.optimise import solve_mclp, solve_min_sites
from aedplan.partition import clip_network, halo_m, tiles, union_groups
from aedplan.province import plan_province
from aedplan.timemodel import TimeModel

from .conftest import data_path

MODEL = TimeModel()


@pytest.fixture(scope="module")
def centre():
    path = data_path("osm", "vaduz-centre-2024-03-03.osm.pbf")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = load_network(path, largest_component=False)
    return path, net


def whole(net, budget):
    """The single-machine exact plan: demand along every street, every node a site."""
    demand = demand_from_network(net, spacing_m=50.0).to_crs(net.crs)
    sites = np.column_stack([net.x, net.y])
    A = coverage_matrix(net, demand, sites, model=MODEL)
    return solve_mclp(A, demand["weight"].to_numpy(), budget, mip_rel_gap=0.0), demand, A


def test_a_part_sees_exactly_the_whole_networks_coverage(centre):
    """Clipped to a tile and its halo, the part's coverage of its own demand is the same
    matrix the whole network gives, pair for pair."""
    _, net = centre
    demand = demand_from_network(net, spacing_m=50.0).to_crs(net.crs)
    sites = np.column_stack([net.x, net.y])
    full = sp.csr_array(coverage_matrix(net, demand, sites, model=MODEL))
    tiling = tiles(tuple(shapely.total_bounds(net.edge_geometry)), 600.0)
    x, y = demand.geometry.x.to_numpy(), demand.geometry.y.to_numpy()
    part = tiling.part_of(x, y)
    assert tiling.n_parts >= 4 and (part >= 0).all()
    checked = 0
    for k in np.unique(part):
        sub, _ = clip_network(net, tiling.box(k), halo_m(MODEL.reach_m))
        mine = demand_from_network(sub, spacing_m=50.0).to_crs(sub.crs)
        mine = mine[tiling.part_of(mine.geometry.x.to_numpy(), mine.geometry.y.to_numpy()) == k]
        # the part's demand points are the whole network's points of its core, in order
        same = np.flatnonzero(part == k)
        assert np.allclose(mine.geometry.x.to_numpy(), x[same])
        assert np.allclose(mine["weight"].to_numpy(), demand["weight"].to_numpy()[same])
        A = sp.csr_array(coverage_matrix(sub, mine, np.column_stack([sub.x, sub.y]),
                                         model=MODEL))
        # columns of the part are nodes of the whole network (its node ids)
        here = sp.csr_array((A.data, sub.node_ids[A.indices], A.indptr),
                            shape=(A.shape[0], net.n_nodes))
        assert (here != full[same]).nnz == 0
        checked += A.nnz
    assert checked == full.nnz


@pytest.mark.parametrize("tile_m", [350.0, 700.0, 10_000.0])
def test_the_plan_by_parts_is_the_single_machine_plan(centre, tile_m):
    path, net = centre
    best, demand, _ = whole(net, 6)
    plan = plan_province(path, budget=6, tile_m=tile_m, mip_rel_gap=0.0)
    r = plan.report
    assert r["plan"]["covered_weight"] == pytest.approx(best.objective, rel=1e-9)
    assert r["plan"]["status"] == "optimal" and r["plan"]["new_sites"] <= 6
    assert r["demand"]["points"] == len(demand)
    assert r["demand"]["total_weight"] == pytest.approx(demand["weight"].sum())
    # per part: demand and coverage add up to the whole
    table = plan.parts
    assert table["weight"].sum() == pytest.approx(r["demand"]["total_weight"])
    assert table["after"].sum() == pytest.approx(r["plan"]["covered_weight"])
    assert table["new_sites"].sum() == r["plan"]["new_sites"]
    assert sum(r["plan"]["group_budgets"]) <= 6
    if tile_m < 1000:
        assert r["parts"]["with_demand"] > 1


@pytest.mark.parametrize(("tile_m", "target"), [(350.0, 0.15), (700.0, 0.3), (10_000.0, 0.15)])
def test_a_target_by_parts_takes_the_single_machine_fewest_sites(centre, tile_m, target):
    path, net = centre
    _, demand, A = whole(net, 1)
    fewest = solve_min_sites(A, demand["weight"].to_numpy(), target, mip_rel_gap=0.0)
    assert fewest.status == "optimal"
    plan = plan_province(path, target_coverage=target, tile_m=tile_m, mip_rel_gap=0.0)
    r = plan.report["plan"]
    assert r["status"] == "optimal" and r["sites_lower_bound"] == r["new_sites"]
    assert r["new_sites"] == fewest.objective == len(plan.sites)
    assert r["coverage"] >= target
    assert plan.parts["new_sites"].sum() == r["new_sites"]
    assert plan.report["params"]["target_coverage"] == target


def test_a_target_that_cannot_be_reached_or_a_goal_given_twice_says_so(centre):
    path, _ = centre
    with pytest.raises(AedplanError, match=r"`target_coverage`: 100\.0% of the demand cannot"):
        plan_province(path, target_coverage=1.0, aeds=None, tile_m=700.0,
                      model=TimeModel(0.5))
    with pytest.raises(AedplanError, match="`budget`/`target_coverage`: give one"):
        plan_province(path, budget=3, target_coverage=0.5)
    with pytest.raises(AedplanError, match="`budget`/`target_coverage`: give one"):
        plan_province(path)


def test_with_todays_aeds_the_parts_count_them_as_the_whole_does(centre):
    path, _ = centre
    plan = plan_province(path, budget=3, aeds=path, tile_m=350.0, mip_rel_gap=0.0)
    one = plan_province(path, budget=3, aeds=path, tile_m=10_000.0, mip_rel_gap=0.0)
    assert plan.report["before"]["covered_weight"] > 0
    assert plan.report["before"]["covered_weight"] == pytest.approx(
        one.report["before"]["covered_weight"], rel=1e-12)
    assert plan.report["plan"]["covered_weight"] == pytest.approx(
        one.report["plan"]["covered_weight"], rel=1e-9)


def test_groups_of_linked_parts():
    assert union_groups(5, [(0, 3), (3, 4)]).tolist() == [0, 1, 2, 0, 0]
    assert union_groups(3, []).tolist() == [0, 1, 2]


def test_a_local_cluster_gives_the_answer_of_this_process(centre):
    pytest.importorskip("distributed")
    path, _ = centre
    here = plan_province(path, budget=5, tile_m=350.0, mip_rel_gap=0.0)
    there = plan_province(path, budget=5, tile_m=350.0, mip_rel_gap=0.0, workers=2,
                          memory_per_worker="2GB")
    assert there.report["plan"]["covered_weight"] == pytest.approx(
        here.report["plan"]["covered_weight"], rel=1e-12)
    assert sorted(there.sites["node"]) == sorted(here.sites["node"])
    assert there.report["params"]["workers"] == 2


def test_the_command_plans_the_fewest_for_a_target(centre, tmp_path):
    path, _ = centre
    out = tmp_path / "target"
    done = subprocess.run([sys.executable, "-m", "aedplan", "province", "--osm", str(path),
                           "--target-coverage", "0.15", "--tile-km", "0.35", "--gap", "0",
                           "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    plan = json.loads((out / "report.json").read_text())["plan"]
    assert plan["status"] == "optimal" and plan["coverage"] >= 0.15
    assert plan["bound"] == plan["objective"] == plan["new_sites"] > 0  # fewest, proven
    assert f"plan: {plan['new_sites']:,} new AEDs" in done.stdout
    # the province's fewest are the pipeline's: `aedplan plan` on the scenario it wrote
    again = subprocess.run([sys.executable, "-m", "aedplan", "plan", str(out / "scenario.toml"),
                            "--out", str(tmp_path / "again"), "-q"], capture_output=True,
                           text=True)
    assert again.returncode == 0, again.stderr
    assert json.loads((tmp_path / "again" / "report.json").read_text())["plan"][
        "new_sites"] == plan["new_sites"]
    both = subprocess.run([sys.executable, "-m", "aedplan", "province", "--osm", str(path),
                           "--budget", "3", "--target-coverage", "0.15", "--out",
                           str(tmp_path / "both")], capture_output=True, text=True)
    assert both.returncode == 2 and "give one of `--budget`, `--target-coverage`" in both.stderr
    assert not (tmp_path / "both").exists()


def test_the_command_writes_all_files_or_none(centre, tmp_path):
    path, _ = centre
    out = tmp_path / "province"
    done = subprocess.run([sys.executable, "-m", "aedplan", "province", "--osm", str(path),
                           "--budget", "4", "--tile-km", "0.35", "--gap", "0", "--out",
                           str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert {"map.html", "report.json", "scenario.toml", "coverage.gpkg",
            "proposed_sites.csv"} <= {p.name for p in out.iterdir()}
    report = json.loads((out / "report.json").read_text())
    assert report["plan"]["new_sites"] == 4 and report["plan"]["status"] == "optimal"
    # the province's definitions, as `aedplan plan` runs them
    assert (report["demand"]["kind"], report["params"]["candidates"]) == ("network", "nodes")
    assert report["network"]["nodes"] == report["plan"]["candidates"]  # every node
    assert "© OpenStreetMap contributors" in done.stdout
    # a bad AED file: a clear error, exit 2, and nothing written
    bad = tmp_path / "bad.csv"
    bad.write_text("no,coordinates\n1,2\n")
    again = tmp_path / "again"
    failed = subprocess.run([sys.executable, "-m", "aedplan", "province", "--osm", str(path),
                             "--budget", "4", "--aeds", str(bad), "--out", str(again)],
                            capture_output=True, text=True)
    assert failed.returncode == 2, failed.stderr
    assert failed.stderr.startswith("aedplan: error: `--aeds`") and "Traceback" not in failed.stderr
    assert not again.exists() or not any(again.iterdir())


def test_districts_cut_the_area_and_the_plan_is_the_same(centre, tmp_path):
    """Two made-up districts (the west and east halves of the Vaduz centre, drawn here,
    not real boundaries) in lon/lat: the plan by districts is the single-machine plan, and
    the parts carry the districts' names."""
    import geopandas as gpd

    path, net = centre
    best, _, _ = whole(net, 5)
    minx, miny, maxx, maxy = shapely.total_bounds(net.edge_geometry)
    mid = (minx + maxx) / 2
    halves = gpd.GeoDataFrame(
        {"name": ["west", "east"]},
        geometry=[shapely.box(minx - 500, miny - 500, mid, maxy + 500),
                  shapely.box(mid, miny - 500, maxx + 500, maxy + 500)], crs=net.crs,
    ).to_crs(4326)
    file = tmp_path / "halves.geojson"
    halves.to_file(file)
    plan = plan_province(path, budget=5, districts=file, mip_rel_gap=0.0)
    r = plan.report
    assert r["parts"]["by"] == "districts" and r["parts"]["count"] == 2
    assert sorted(plan.parts["name"]) == ["east", "west"]
    assert r["plan"]["covered_weight"] == pytest.approx(best.objective, rel=1e-9)
    assert r["demand"]["outside_parts_weight"] == pytest.approx(0.0, abs=1e-6)
    # only the west: the east's street length is reported as left out
    west = plan_province(path, budget=5, districts=halves.iloc[:1], mip_rel_gap=0.0)
    w = west.report["demand"]
    assert w["outside_parts_weight"] > 0
    assert w["total_weight"] + w["outside_parts_weight"] == pytest.approx(net.total_length_m)
    out = tmp_path / "out"
    from aedplan.outputs import write_province

    write_province(out, plan)
    written = gpd.read_file(out / "parts.geojson")
    assert sorted(written["name"]) == ["east", "west"]
    # report.json has the table per district too, adding up to the whole
    by_part = json.loads((out / "report.json").read_text())["by_part"]
    assert sorted(row["name"] for row in by_part) == ["east", "west"]
    assert sum(row["new_sites"] for row in by_part) == plan.report["plan"]["new_sites"]
    assert sum(row["weight"] * row["coverage_after"] for row in by_part) == pytest.approx(
        plan.report["plan"]["covered_weight"])
    # the overview map: both districts shaded and shown, every new AED, nothing fetched
    page = (out / "map.html").read_text(encoding="utf-8")
    assert page.count('"name": "east"') + page.count('"name":"east"') >= 1
    assert "Districts: coverage" in page and "Proposed AEDs" in page
    assert not re.search(r"<script[^>]+src=\"https?://", page)
    assert "© OpenStreetMap contributors" in page


def test_bad_districts_say_what_is_wrong(centre, tmp_path):
    path, _ = centre
    lines = tmp_path / "lines.csv"
    lines.write_text("a,b\n1,2\n")
    with pytest.raises(AedplanError, match="`districts`"):
        plan_province(path, budget=2, districts=lines)
    with pytest.raises(AedplanError, match="`districts`: file not found"):
        plan_province(path, budget=2, districts=tmp_path / "missing.gpkg")


def test_liechtensteins_municipalities_from_the_osm_file():
    """`osm` districts: the named administrative areas of the most-used level, here
    Liechtenstein's 11 municipalities (admin_level 8); per municipality the demand and
    coverage add up to the whole."""
    from aedplan.districts import districts

    path = data_path("osm", "liechtenstein-2024-03-03.osm.pbf")
    d = districts("osm", "EPSG:32632", osm=path)
    assert sorted(d.names) == sorted(["Balzers", "Eschen", "Gamprin", "Mauren", "Planken",
                                      "Ruggell", "Schaan", "Schellenberg", "Triesen",
                                      "Triesenberg", "Vaduz"])
    with pytest.raises(AedplanError, match=r"level 4 .*levels found: 6 \(2\), 8 \(11\)"):
        districts("osm:4", "EPSG:32632", osm=path)
    plan = plan_province(path, budget=4, aeds=path, districts="osm:8")
    table, r = plan.parts, plan.report
    assert len(table) == 11 and r["parts"]["by"] == "districts"
    assert table["weight"].sum() == pytest.approx(r["demand"]["total_weight"])
    assert table["before"].sum() == pytest.approx(r["before"]["covered_weight"])
    assert table["after"].sum() == pytest.approx(r["plan"]["covered_weight"])
    assert (table["after"] >= table["before"] - 1e-9).all()
    assert table["new_sites"].sum() == 4


def test_the_default_level_has_the_most_districts_of_a_reasonable_size(tmp_path):
    """A made-up OSM file: two municipalities of about 0.85 km² each (level 8), and five
    blocks of about 0.008 km² (level 10). The blocks are more, but too small to be
    districts; `osm` takes the municipalities, `osm:10` the blocks when asked."""
    from aedplan.districts import MIN_DISTRICT_KM2, districts

    from .conftest import closed, ring, write_osm

    nodes, ways, relations = {}, {}, {}
    for k, x0 in enumerate((0, 120)):  # 120 x 100 steps of ~7.6 m x 11.1 m: ~0.9 km²
        nodes |= ring(100 + 10 * k, x0, 0, 120, 100)
        ways[100 + k] = (closed(100 + 10 * k), {"boundary": "administrative",
                                                "admin_level": "8", "name": f"town {k}"})
    for k in range(5):  # 10 x 10 steps: ~0.008 km²
        nodes |= ring(500 + 10 * k, 5 + 20 * k, 5, 10, 10)
        ways[500 + k] = (closed(500 + 10 * k), {"boundary": "administrative",
                                                "admin_level": "10", "name": f"block {k}"})
    path = write_osm(tmp_path / "areas.osm", nodes, ways, relations)
    assert MIN_DISTRICT_KM2 == 0.1
    assert sorted(districts("osm", "EPSG:32632", osm=path).names) == ["town 0", "town 1"]
    assert len(districts("osm:10", "EPSG:32632", osm=path).names) == 5


def test_cluster_arguments_that_cannot_work_say_so(centre):
    pytest.importorskip("distributed")
    path, _ = centre
    with pytest.raises(AedplanError, match="`memory_per_worker`: 'lots' is not a size"):
        plan_province(path, budget=2, workers=1, memory_per_worker="lots")
    with pytest.raises(AedplanError, match=r"give one .* not both"):
        plan_province(path, budget=2, workers=1, scheduler="tcp://127.0.0.1:1")
    with pytest.raises(AedplanError, match="`scheduler`: cannot reach a Dask scheduler"):
        plan_province(path, budget=2, scheduler="tcp://127.0.0.1:1")


WUHAN_SAMPLE = Path(__file__).resolve().parents[1] / "data" / "wuhan-jiangan-drive.parquet"


@pytest.mark.parametrize("workers", [None, 2])
def test_the_time_limit_holds_with_the_best_plan_so_far(workers):
    """Central Wuhan's real streets, 300 new AEDs asked proven optimal (gap 0): the
    exact solve of its one group takes minutes. With a limit of 8 s the run stops
    within 10% and a few seconds (starting a local cluster included), with the greedy
    plan, its honest gap and status time_limit."""
    if workers:
        pytest.importorskip("distributed")
    started = time.perf_counter()
    with warnings.catch_warnings():  # a site of the plan so far may add nothing: said
        warnings.simplefilter("ignore", AedplanWarning)
        plan = plan_province(WUHAN_SAMPLE, budget=300, tile_m=1500.0, mip_rel_gap=0.0,
                             time_limit_s=8.0, workers=workers)
    wall = time.perf_counter() - started
    assert wall <= 8.0 * 1.1 + 5.0, wall
    report = plan.report["plan"]
    assert report["status"] == "time_limit" and report["gap"] > 0
    assert report["bound"] >= report["covered_weight"]
    # a group whose curve the limit cut short gets no sites, and a site that adds nothing
    # to the best split known is not placed: a loaded machine may place a few less
    assert 290 <= report["useful_sites"] <= report["new_sites"] <= 300


def test_a_limit_shorter_than_the_reading_still_writes_the_plan_so_far(tmp_path):
    """``aedplan province`` is ``plan``: a limit that ends before the network is read
    still gives the best plan the run has, the greedy one, written whole with status
    time_limit and its honest gap (the limit bounds the run within a few seconds)."""
    out = tmp_path / "province"
    done = subprocess.run([sys.executable, "-m", "aedplan", "province", "--osm",
                           str(WUHAN_SAMPLE), "--budget", "10", "--tile-km", "0.5",
                           "--time-limit", "0.001", "--lang", "zh-HK", "--out", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    whole = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert whole["params"]["lang"] == "zh-HK"  # in the language asked, not the data's zh
    report = whole["plan"]
    assert report["status"] == "time_limit" and report["gap"] > 0
    assert report["new_sites"] == 10 and report["bound"] >= report["covered_weight"]


def test_tiles_far_below_the_reach_are_refused_with_the_sizes_that_work():
    """Parts of 10 m or 200 m would each read 5,595 or 22 times their own area (every
    part sees 369 m past its edges at the default reach): refused before any work."""
    for tile_m, factor in ((10.0, "5,595"), (200.0, "22")):
        with pytest.raises(InputError, match=rf"parts of {tile_m:g} m \(--tile-km "
                                             rf"{tile_m / 1000:g}\) would each read {factor} "
                                             r"times .* Give at least 0.34 km \(341 m\); 1.8 km"):
            plan_province(WUHAN_SAMPLE, budget=2, tile_m=tile_m)


def test_a_budget_past_what_adds_coverage_is_said_and_progress_is_told():
    """Central Wuhan's streets are all covered by about 700 street-node AEDs: a budget of
    5,000 is said to be too large, and the parts' progress reaches the caller."""
    lines: list[str] = []
    with pytest.warns(AedplanWarning, match=r"only \d{3} of the 5,000 new AEDs add coverage"):
        plan = plan_province(WUHAN_SAMPLE, budget=5000, tile_m=1000.0, progress=lines.append)
    assert plan.report["plan"]["useful_sites"] == plan.report["plan"]["new_sites"] < 5000
    assert plan.report["demand"]["spacing_m"] == 50.0
    assert plan.report["candidates"]["within_reach"] > 0
    assert lines[-2:] == ["a part's coverage: 36 of 36 done", "a group's curve: 2 of 2 done"]


CENTRE_SAMPLE = Path(__file__).resolve().parents[1] / "data" / "vaduz-centre-2024-03-03.osm.pbf"


@pytest.fixture(scope="module")
def one_machine():
    """`aedplan plan` on the real Vaduz centre with the province's definitions: every
    street part kept, demand along the streets, every street node a candidate, today's
    AEDs all counted (the province reads no hours), 6 new AEDs proven optimal."""
    import aedplan

    scenario = aedplan.Scenario().replace({
        "area.osm": str(CENTRE_SAMPLE), "area.keep_disconnected": True,
        "demand.source": "network", "candidates.source": "nodes",
        "candidates.node_spacing": 0.0, "goal.budget": 6, "solver.gap": 0.0,
        "hours.objective": "always"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        return aedplan.run(scenario)


@pytest.mark.parametrize(("tile_m", "parts"), [(350.0, 84), (700.0, 30), (10_000.0, 1)])
def test_the_province_is_the_plan_of_one_machine(one_machine, tile_m, parts):
    """The same area planned part by part (84, 30 or 1 parts) and by `aedplan plan`: the
    same coverage today and after, to the last digits, and the same six sites."""
    plan = plan_province(CENTRE_SAMPLE, budget=6, tile_m=tile_m, mip_rel_gap=0.0,
                         aeds=CENTRE_SAMPLE)
    report = one_machine.report
    assert plan.report["parts"]["with_demand"] == parts
    assert plan.report["demand"]["points"] == report["demand"]["points"]
    assert plan.report["before"]["coverage"] == pytest.approx(
        report["existing"]["coverage"], rel=1e-12)
    assert plan.report["plan"]["coverage"] == pytest.approx(report["plan"]["coverage"],
                                                            rel=1e-12)
    assert sorted(plan.sites["node"]) == sorted(one_machine.frames["proposed"]["node"])
