"""Where the work runs (aedplan.tasks): the network searches cut into parts give the
whole network's answers to the last digit, a scenario planned part by part (here or on
a local Dask cluster) is the plan of one process, and a part that fails stops the run
cleanly."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import numpy as np
import pytest

import aedplan
from aedplan import tasks
from aedplan.errors import AedplanError, AedplanWarning, InputError
from aedplan.network import load_network
from aedplan.reach import reach_times
from aedplan.snapping import snap
from aedplan.timemodel import TimeModel

from .conftest import SAMPLES, data_path, points

MODEL = TimeModel()
# the real data's own warnings (disconnected streets, far AEDs) are tested elsewhere
pytestmark = pytest.mark.filterwarnings("ignore::aedplan.errors.AedplanWarning")


def parted(tile_m: float) -> tasks.Runner:
    """Every search by parts of ``tile_m``, however small (here, one after another)."""
    return tasks.Runner(tile_m=tile_m, min_work=0)


def numbers(run) -> dict:
    """A run's report without what may differ between two runs of one plan (timings,
    where it ran)."""
    report = json.loads(json.dumps(run.report, default=str))
    report.pop("timings_s", None)
    report.pop("cluster", None)
    (report.get("plan") or {}).get("solver_details", {}).pop("solve_s", None)
    return report


@pytest.fixture(scope="module")
def centre():
    """The real Vaduz centre: demand every 25 m along its streets, candidates every 50 m."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        net = load_network(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf"))
    demand = snap(net, aedplan.demand_from_network(net, spacing_m=25), argument="demand",
                  strict=False)
    sites = snap(net, aedplan.candidates_from_network(net, spacing_m=50), argument="sites")
    return net, demand, sites


def test_points_on_a_part_of_the_streets_keep_the_links_there(line5):
    """A street of 400 m in four edges; a point at 150 m lies on edge 1 only. On the part
    of edges 1 and 2 it is on the part's edge 0; on the part of edges 2 and 3, nowhere."""
    on = snap(line5, points([(150.0, 10.0), (350.0, 0.0)]), argument="points")
    part, at = on.on_edges(np.array([1, 2]))
    assert at.tolist() == [0] and part.link_edge.tolist() == [0]
    assert part.edge.tolist() == [0] and part.link_position_m.tolist() == [50.0]
    part, at = on.on_edges(np.array([2, 3]))
    assert at.tolist() == [1] and part.link_edge.tolist() == [1]


@pytest.mark.parametrize("tile_m", [250.0, 1000.0, 100_000.0])
def test_searches_by_parts_are_the_whole_networks_to_the_last_digit(centre, tile_m):
    """Every (site, demand) time, and every node's and point's nearest site, equal on the
    real Vaduz centre, with parts from one to many."""
    net, demand, sites = centre
    few = sites.take(np.arange(0, len(sites), 7))
    times = aedplan.coverage_times(net, demand, sites, model=MODEL)
    nearest = reach_times(net, few, demand, model=MODEL, limit_s=3 * MODEL.budget_s)
    runner = parted(tile_m)
    with tasks.use(runner):
        by_parts = aedplan.coverage_times(net, demand, sites, model=MODEL)
        near_parts = reach_times(net, few, demand, model=MODEL, limit_s=3 * MODEL.budget_s)
    assert runner.parts >= (10 if tile_m < 500 else 1) and runner.tasks >= runner.parts
    assert times.nnz > 10_000 and (times != by_parts).nnz == 0
    # the coverage matrix, made from the pairs without their times, has the times' entries
    with tasks.use(parted(tile_m)):
        matrix = aedplan.coverage_matrix(net, demand, sites, model=MODEL)
    whole = aedplan.coverage_matrix(net, demand, sites, model=MODEL)
    for m in (matrix, whole):
        assert m.dtype == bool and m.has_canonical_format and m.data.all()
        assert np.array_equal(m.indptr, times.indptr) and np.array_equal(m.indices,
                                                                          times.indices)
    for name in ("node_s", "node_source", "target_s", "target_source"):
        assert np.array_equal(getattr(nearest, name), getattr(near_parts, name)), name


def test_a_small_search_runs_whole_all_the_same(centre):
    """Below ``min_work`` cutting a search costs more than it saves: no part is cut."""
    net, demand, sites = centre
    runner = tasks.Runner(tile_m=250.0)  # the default least work
    with tasks.use(runner):
        aedplan.coverage_times(net, demand, sites, model=MODEL)
    assert runner.parts == 0 and runner.tasks == 0


def test_the_report_says_when_every_search_was_too_small_to_cut():
    """Vaduz and Schaan's searches take well under a second whole, so with the default
    ``min_work`` none is cut: no part searched, and the report says why."""
    runner = tasks.Runner(tile_m=1000.0)
    with tasks.use(runner):
        run = aedplan.run(aedplan.Scenario().replace({"goal.budget": 2}))
    cluster = run.report["cluster"]
    assert cluster["parts"] == 0 and cluster["tasks"] == 0
    assert cluster["searches"]["by_parts"] == 0 and cluster["searches"]["whole"] > 0
    assert len(cluster["by_part"]) > 1  # the table of the squares, all the same


# the embedded Vaduz and Schaan: one part of 100 km, two of 8 km, forty of 1 km
@pytest.mark.parametrize(("tile_m", "parts"), [(100_000.0, 1), (8000.0, 2), (1000.0, 40)])
def test_a_plan_by_parts_is_the_plan_of_one_process(tile_m, parts):
    """The embedded default planned round the clock from its AEDs' hours, exactly: the
    same report (coverage, round the clock, hours, the proven plan) and the same sites."""
    scenario = aedplan.Scenario().replace({"goal.budget": 5, "solver.gap": 0})
    one = aedplan.run(scenario)
    runner = parted(tile_m)
    with tasks.use(runner):
        by_parts = aedplan.run(scenario)
    assert runner.parts == parts
    assert by_parts.report["cluster"]["parts"] == parts
    searches = by_parts.report["cluster"]["searches"]
    assert searches["whole"] == 0 and searches["by_parts"] > 0
    assert numbers(by_parts) == numbers(one)
    # the table of the parts adds up to the whole: weight, coverage and AEDs
    table = by_parts.report["cluster"]["by_part"]
    r = one.report
    weight = sum(row["weight"] for row in table)
    assert weight == pytest.approx(r["demand"]["total_weight"], rel=1e-12)
    assert sum(row["weight"] * row["coverage_after"] for row in table) / weight == (
        pytest.approx(r["plan"]["coverage"], rel=1e-9))
    assert sum(row["aeds_after"] for row in table) == r["existing"]["aeds"] + 5
    assert one.report["plan"]["optimised_for"] == "hours"
    assert by_parts.frames["proposed"]["id"].tolist() == one.frames["proposed"]["id"].tolist()
    same_circles(by_parts.frames["circles"], one.frames["circles"])


def same_circles(a, b) -> None:
    """The same circles, vertex for vertex, with the same columns."""
    import shapely

    assert len(a) == len(b) > 0
    assert a.drop(columns="geometry").equals(b.drop(columns="geometry"))
    assert all(shapely.equals_exact(x, y, 0) for x, y in zip(a.geometry, b.geometry,
                                                              strict=True))


@pytest.mark.parametrize("tile_m", [500.0, 3000.0])
def test_rescue_circles_by_parts_are_the_whole_networks(tile_m):
    """The 75 real AEDs of Vaduz and Schaan, their circles drawn part by part."""
    osm = aedplan.datasets.default_osm_path()
    net, aeds = load_network(osm), aedplan.read_points(osm)
    whole = aedplan.rescue_circles(net, aeds).circles
    runner = parted(tile_m)
    with tasks.use(runner):
        by_parts = aedplan.rescue_circles(net, aeds).circles
    assert runner.parts >= 4
    same_circles(by_parts, whole)


def test_liechtenstein_by_parts_with_buildings_and_places_is_the_plan_of_one_process():
    """All of Liechtenstein: buildings as demand, OSM places as candidates, the hours
    objective; parts of 2 km."""
    osm = data_path("osm", "liechtenstein-2024-03-03.osm.pbf")
    scenario = aedplan.Scenario().replace({
        "area.osm": str(osm), "demand.source": "buildings", "candidates.source": "pois",
        "goal.budget": 8, "solver.gap": 0})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        one = aedplan.run(scenario)
        runner = parted(2000.0)
        with tasks.use(runner):
            by_parts = aedplan.run(scenario)
    assert runner.parts > 10
    assert numbers(by_parts) == numbers(one)
    assert one.report["plan"]["status"] == "optimal"
    assert by_parts.frames["proposed"]["id"].tolist() == one.frames["proposed"]["id"].tolist()


def test_a_local_cluster_of_two_workers_gives_the_run_of_this_process():
    pytest.importorskip("distributed")
    scenario = aedplan.Scenario().replace({"goal.budget": 3, "solver.gap": 0})
    one = aedplan.run(scenario)
    with tasks.cluster(workers=2, tile_m=1000.0, min_work=0) as runner, tasks.use(runner):
        there = aedplan.run(scenario)
        assert runner.slots == 2
    assert there.report["cluster"]["slots"] == 2 and there.report["cluster"]["parts"] == 40
    assert numbers(there) == numbers(one)


def test_the_command_runs_a_scenario_on_workers(tmp_path):
    """``--workers 2`` gives the report of a run without, and says where it ran."""
    pytest.importorskip("distributed")
    reports = {}
    for name, extra in (("here", []), ("there", ["--workers", "2", "--tile-km", "2"])):
        done = subprocess.run([sys.executable, "-m", "aedplan", "plan", "--budget", "3",
                               "--out", str(tmp_path / name), "-q", *extra],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        reports[name] = json.loads((tmp_path / name / "report.json").read_text())
    there = reports["there"].pop("cluster")
    assert there["workers"] == 2 and there["slots"] == 2 and there["tile_km"] == 2.0
    for r in reports.values():
        r.pop("timings_s")
        r["plan"]["solver_details"].pop("solve_s")
    assert reports["there"] == reports["here"]
    assert "[cluster]\nworkers = 2" in (tmp_path / "there" / "scenario.toml").read_text()


def _lost(*args):
    raise RuntimeError("worker lost")


def test_a_part_failing_twice_stops_the_run_with_one_line_and_nothing_written(
        tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    import aedplan.reach

    monkeypatch.setattr(aedplan.reach, "_pairs_of_part", _lost)
    out = tmp_path / "out"
    scenario = aedplan.Scenario().replace({"goal.budget": 2, "output.out": str(out)})
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as c, \
            distributed.Client(c) as client, \
            tasks.cluster(client=client, tile_m=1000.0, min_work=0) as runner, \
            tasks.use(runner), \
            pytest.raises(AedplanError, match=r"^a part's searches failed on the cluster, "
                                              r"also when retried: RuntimeError: worker lost\. "
                                              r"Nothing was written\.$"):
        aedplan.run(scenario)
    assert not out.exists()


def test_parts_far_smaller_than_the_search_are_refused_before_any_work(tmp_path):
    """Each part of 50 m sees 705 m past its edges (three reaches of 168 m, as far as
    today's AEDs are followed, the 200 m walk to the street and a metre): it would read
    ((50 + 2 x 705) / 50)^2 = 852.6 times its own area."""
    scenario = aedplan.Scenario().replace({"cluster.workers": 2, "cluster.tile_km": 0.05})
    with pytest.raises(InputError, match=r"`cluster.tile_km`: parts of 50 m .* would each read "
                                         r"853 times .* sees 705 m past its edges"):
        aedplan.run(scenario)
    done = subprocess.run([sys.executable, "-m", "aedplan", "plan", "--workers", "2",
                           "--tile-km", "0.05", "--out", str(tmp_path / "x")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "--tile-km" in done.stderr
    assert not (tmp_path / "x").exists()


_TRIES: dict[str, int] = {}


def _flaky(key: str) -> str:
    _TRIES[key] = _TRIES.get(key, 0) + 1
    if key.startswith("always") or _TRIES[key] == 1:
        raise RuntimeError(f"worker lost while computing {key}")
    return key


def test_a_failed_task_is_retried_and_a_second_failure_stops_with_a_clear_error():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as c, \
            distributed.Client(c) as client:
        run = tasks.Runner(client)
        assert run.map(_flaky, ["once"], what="a part") == ["once"]
        assert _TRIES["once"] == 2
        with pytest.raises(AedplanError, match="a part failed on the cluster, also when "
                                               "retried: RuntimeError: worker lost"):
            run.map(_flaky, ["always"], what="a part")
        assert _TRIES["always"] == 2


def test_one_cluster_at_a_time():
    with pytest.raises(InputError, match="`workers`/`scheduler`: give one"), \
            tasks.cluster(workers=2, scheduler="tcp://127.0.0.1:1"):
        pass


def test_the_exact_plans_parts_are_solved_on_the_workers():
    """Six greedy traps (in each, greedy takes the middle site, covering 4 of 6, where
    the two outer sites cover all 6), budget 8: two traps get their outer sites (12),
    the other four their middle sites (16): 28, proven, with the parts' MILPs solved on
    a local cluster of two workers."""
    distributed = pytest.importorskip("distributed")
    from .test_parts import TRAP, blocks, by_parts

    A = blocks(*([TRAP] * 6))
    with distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=":0") as c, \
            distributed.Client(c) as client, \
            tasks.cluster(client=client) as runner, tasks.use(runner):
        core = by_parts(A, np.ones(A.shape[0]), 8)
    assert core is not None and core.status == "optimal"
    assert core.value == core.bound == 28.0
    assert runner.tasks >= 2  # each loose part at least once


def test_a_comparisons_variants_are_planned_by_parts_alike():
    """Two variants of the embedded default (budgets 2 and 4), by parts of 1 km: the
    comparison table of one process."""
    scenario = aedplan.Scenario.from_toml(
        "[goal]\nbudget = 2\n[solver]\ngap = 0\n"
        "[[variant]]\nname = 'two'\n[[variant]]\nname = 'four'\ngoal.budget = 4\n")
    one = aedplan.compare(scenario).table
    runner = parted(1000.0)
    with tasks.use(runner):
        by_parts = aedplan.compare(scenario).table
    assert runner.parts == 40
    timing = [c for c in one.columns if c.endswith("_s")]
    assert by_parts.drop(columns=timing).equals(one.drop(columns=timing))


def test_the_time_limit_bounds_the_whole_run_on_a_local_cluster(tmp_path):
    """Central Wuhan's real streets, 500 new AEDs asked proven optimal (gap 0) on a local
    cluster of two workers started by the run: the proof takes minutes, and reading,
    timing, 500 circles, the map and the files take about 5 s besides. With a limit of
    8 s the whole run, the cluster's start included, ends within 10% and 3 s, with its
    honest gap, status time_limit and every file written."""
    pytest.importorskip("distributed")
    import time

    out = tmp_path / "out"
    scenario = aedplan.Scenario().replace({
        "area.osm": str(SAMPLES / "wuhan-jiangan-drive.parquet"), "aeds.source": "none",
        "demand.source": "network", "candidates.source": "nodes", "goal.budget": 500,
        "solver.gap": 0.0, "solver.time_limit": 8.0, "cluster.workers": 2,
        "cluster.tile_km": 1.5, "output.out": str(out)})
    started = time.perf_counter()
    with warnings.catch_warnings():  # a site of the plan so far may add nothing: said
        warnings.simplefilter("ignore", AedplanWarning)
        result = aedplan.run(scenario)
    wall = time.perf_counter() - started
    assert wall <= 8.0 * 1.1 + 3.0, (wall, result.report["timings_s"])
    plan = result.report["plan"]
    assert plan["status"] == "time_limit" and plan["gap"] > 0
    assert plan["new_sites"] == 500 and result.report["cluster"]["workers"] == 2
    assert (out / "map.html").exists() and (out / "report.json").exists()
