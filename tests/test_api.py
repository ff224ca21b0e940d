"""The public API: the names it offers, one kind of result, and `import aedplan` stays light."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
import warnings

import geopandas as gpd
import numpy as np
import pytest
import scipy.sparse as sp

import aedplan
from aedplan import TimeModel
from aedplan.errors import AedplanWarning, InputError

from .conftest import CRS, X0, Y0, points

#: What `import aedplan` offers, written out: a name added or lost shows up here.
PUBLIC = {
    # errors
    "AedplanError", "AedplanWarning", "CRSError", "DataError", "InfeasibleError",
    "InputError", "ResourceError", "SolverError",
    # result and model types
    "Availability", "CoverageStats", "HourlyCoverage", "MapLayers", "MapSummary", "Plan",
    "PlanRun", "ReachTimes", "RescueCircles", "SitePlan", "Snapped", "TimeModel",
    "WalkNetwork", "Comparison",
    # a plan in one file
    "Scenario", "compare",
    # stages
    "load_network", "network_from_arrays", "read_points", "snap", "reach_times",
    "rescue_circles",
    "demand_from_buildings", "demand_from_grid", "demand_from_network", "demand_from_points",
    "candidates_from_buildings", "candidates_from_features", "candidates_from_network",
    "candidates_from_points", "candidates_from_pois", "exclude_existing",
    "coverage_matrix", "coverage_stats", "coverage_times", "coverage_today", "hot_spots",
    "availability", "arrest_profile", "reference_week", "hourly_coverage", "weekly_instance",
    "coverage_curve", "greedy_mclp", "solve_backup", "solve_mclp", "solve_min_sites",
    "solve_constrained", "Constrained",
    "plan_sites", "run", "render_map", "render_png", "save_map", "write_outputs",
    "plan_province", "ProvincePlan", "write_province",
    # will a plan hold up on later arrests
    "validate_plans", "Validation", "write_validation",
    # a Chinese city: datums, AEDs per 100,000 people, the guideline's places
    "wgs84_to_gcj02", "gcj02_to_wgs84", "wgs84_to_bd09", "bd09_to_wgs84",
    "density_numbers", "aeds_for_density", "poi_preset",
    "__version__",
}


def test_public_names_are_the_written_list():
    assert set(aedplan.__all__) == PUBLIC
    assert len(aedplan.__all__) == len(PUBLIC)  # no name twice
    missing = [name for name in PUBLIC if not hasattr(aedplan, name)]
    assert missing == []


def test_import_is_light():
    code = (
        "import sys, aedplan; "
        "heavy = [m for m in ('folium', 'highspy', 'matplotlib', 'osmnx', 'networkx', "
        "'pyrosm', 'osmium', 'branca') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# --------------------------------------------------------------------------- the time model


def test_every_stage_takes_the_time_model(line5):
    """``model=`` is the way to pass the time model, everywhere."""
    model = TimeModel(1.0, "one-way", 1.0)
    aed = points([(0.0, 0.0)])
    demand = points([(30.0, 0.0), (90.0, 0.0)], weight=[1.0, 2.0])
    sites = points([(100.0, 0.0)])
    a = aedplan.reach_times(line5, aed, demand, model=model)
    assert a.target_s.tolist() == [30.0, np.inf]
    assert aedplan.coverage_stats(line5, demand, aed, model=model).coverage == pytest.approx(1 / 3)
    m1 = aedplan.coverage_matrix(line5, demand, sites, model=model)
    assert m1.toarray().ravel().tolist() == [False, True]
    t = aedplan.coverage_times(line5, demand, sites, model=model)
    assert t.toarray().ravel().tolist() == [0.0, 10.0]
    c = aedplan.rescue_circles(line5, aed, model=model)
    assert c.model == model
    p = aedplan.plan_sites(line5, demand, sites, aeds=aed, budget=1, model=model)
    assert p.model == model and p.after.coverage == 1.0
    with pytest.raises(InputError, match=r"give `model` or `minutes`, not both"):
        aedplan.reach_times(line5, aed, model=model, minutes=4)
    with pytest.raises(InputError, match=r"`model` must be an aedplan.TimeModel"):
        aedplan.coverage_stats(line5, demand, aed, model=4)


def test_a_budget_past_what_adds_coverage_is_said(line5):
    """Made up on the line: two sites that reach only the point at 90 m (the AED at 0
    reaches the one at 30 m within a minute at 1 m/s): the second of a budget of 2 adds
    nothing, so the plan places one and says why."""
    model = TimeModel(1.0, "one-way", 1.0)
    aed = points([(0.0, 0.0)])
    demand = points([(30.0, 0.0), (90.0, 0.0)], weight=[1.0, 2.0])
    sites = points([(100.0, 0.0), (95.0, 0.0)])
    with pytest.warns(AedplanWarning, match=r"`budget` is 2 but only 1 new AEDs add "
                      r"coverage.*a budget of 1 covers as much"):
        p = aedplan.plan_sites(line5, demand, sites, aeds=aed, budget=2, model=model)
    assert len(p.proposed) == 1 and p.after.coverage == 1.0


#: The public functions that still take the loose keywords, called with them on line5.
LOOSE_CALLS = {
    "reach_times": lambda net, a, d, s, **kw: aedplan.reach_times(net, a, d, **kw).target_s,
    "coverage_times": lambda net, a, d, s, **kw: aedplan.coverage_times(net, d, s, **kw),
    "coverage_matrix": lambda net, a, d, s, **kw: aedplan.coverage_matrix(net, d, s, **kw),
    "coverage_stats": lambda net, a, d, s, **kw: aedplan.coverage_stats(net, d, a, **kw).time_s,
    "coverage_today": lambda net, a, d, s, **kw: aedplan.coverage_today(net, d, a, **kw).time_s,
    "hourly_coverage": lambda net, a, d, s, **kw: aedplan.hourly_coverage(
        net, d, a, np.ones((1, 168), bool), **kw).hourly,
    "rescue_circles": lambda net, a, d, s, **kw: aedplan.rescue_circles(net, a, **kw).model,
    "plan_sites": lambda net, a, d, s, **kw: aedplan.plan_sites(
        net, d, s, aeds=a, budget=1, **kw).after.coverage,
}


def test_the_loose_time_keywords_are_deprecated_and_still_work(line5):
    """``minutes``, ``mode`` and ``speed_m_s`` give the answer ``model=`` gives, with one
    warning that points at the caller's line and says the ``model=`` to write."""
    import inspect

    model = TimeModel(1.0, "one-way", 1.0)
    loose = {"minutes": 1.0, "mode": "one-way", "speed_m_s": 1.0}
    aed, sites = points([(0.0, 0.0)]), points([(100.0, 0.0)])
    demand = points([(30.0, 0.0), (90.0, 0.0)], weight=[1.0, 2.0])
    said = (r"`minutes`, `mode` and `speed_m_s` are deprecated: pass "
            r"`model=aedplan\.TimeModel\(minutes=1\.0, mode='one-way', speed_m_s=1\.0\)`")
    for name, call in LOOSE_CALLS.items():
        with warnings.catch_warnings(record=True) as heard:
            warnings.simplefilter("always")
            old = call(line5, aed, demand, sites, **loose)
        assert len(heard) == 1, (name, [str(w.message) for w in heard])
        assert heard[0].category is aedplan.AedplanWarning
        assert re.search(said, str(heard[0].message)), name
        assert heard[0].filename == __file__, (name, heard[0].filename)
        new = call(line5, aed, demand, sites, model=model)
        if sp.issparse(new):
            assert (old != new).nnz == 0, name
        else:
            assert np.array_equal(np.asarray(old), np.asarray(new)) or old == new, name
    with pytest.warns(aedplan.AedplanWarning, match=r"^`minutes` is deprecated: pass "
                      r"`model=aedplan\.TimeModel\(minutes=5\.0\)` instead\.$"):
        aedplan.reach_times(line5, aed, minutes=5)
    # every public function that takes a loose keyword takes `model` too, and is called
    # above (or, for the long ones, is a plan of a province or of a validation)
    takers = {name for name in aedplan.__all__ if callable(getattr(aedplan, name))
              and not inspect.isclass(getattr(aedplan, name))
              and {"minutes", "mode", "speed_m_s"} & set(
                  inspect.signature(getattr(aedplan, name)).parameters)}
    for name in takers:
        assert "model" in inspect.signature(getattr(aedplan, name)).parameters, name
    assert takers == set(LOOSE_CALLS) | {"plan_province", "validate_plans"}


# --------------------------------------------------------------------------- one kind of result


def test_result_types_are_frozen_with_read_only_arrays(line5):
    aed = points([(0.0, 0.0)])
    demand = points([(30.0, 0.0), (300.0, 0.0)])
    sites = points([(300.0, 0.0), (200.0, 0.0)])
    snapped = aedplan.snap(line5, demand)
    stats = aedplan.coverage_stats(line5, demand, aed)
    reach = aedplan.reach_times(line5, aed, demand)
    circles = aedplan.rescue_circles(line5, aed)
    site_plan = aedplan.plan_sites(line5, demand, sites, aeds=aed, budget=1)
    for result in (snapped, stats, reach, circles, site_plan, site_plan.plan, line5):
        field = dataclasses.fields(result)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(result, field, None)
    for arr in (snapped.edge, snapped.link_point, stats.time_s, stats.weights, reach.node_s,
                site_plan.plan.sites, site_plan.plan.added_weight, line5.x, line5.edge_u):
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = arr[0]


def test_result_types_have_short_reprs_and_notebook_views(line5):
    aed = points([(0.0, 0.0)])
    demand = points([(30.0, 0.0), (300.0, 0.0)])
    sites = points([(300.0, 0.0), (200.0, 0.0)])
    stats = aedplan.coverage_stats(line5, demand, aed)
    site_plan = aedplan.plan_sites(line5, demand, sites, aeds=aed, budget=1)
    circles = aedplan.rescue_circles(line5, aed)
    reach = aedplan.reach_times(line5, aed, demand)
    snapped = aedplan.snap(line5, demand)
    expect = {
        stats: "CoverageStats(50.0% of demand weight covered: 1 of 2 points within 240 s)",
        site_plan.plan: "Plan(maximal covering: 1 new sites, coverage 100.0%, exact optimal",
        site_plan: "SitePlan(1 new AEDs: coverage 50.0% -> 100.0%, exact optimal;",
        circles: "RescueCircles(1 circles, union",
        reach: "ReachTimes(2 of 5 nodes and 1 of 2 targets reached;",
        snapped: "Snapped(2 points, 2 on the streets, 2 links)",  # 300 m: one node, one link
        TimeModel(): "TimeModel(minutes=4, mode='round-trip', speed_m_s=1.4)",
    }
    for result, start in expect.items():
        assert repr(result).startswith(start), repr(result)
        assert len(repr(result)) < 160
    for result in (stats, site_plan.plan, site_plan, circles, TimeModel()):
        html = result._repr_html_()
        assert html.startswith("<div>") and "</table>" in html


def test_network_results_come_back_in_the_network_crs(line5):
    """What a stage computes on a network (plans, circles) is in ``net.crs``."""
    aed = points([(0.0, 0.0)]).to_crs(4326)
    demand = points([(30.0, 0.0), (90.0, 0.0)], weight=[1.0, 1.0]).to_crs(4326)
    sites = points([(100.0, 0.0), (200.0, 0.0)]).to_crs(4326)
    with pytest.warns(AedplanWarning, match="no new AED adds coverage"):  # all covered
        site_plan = aedplan.plan_sites(line5, demand, sites, aeds=aed, budget=1)
    frames = [site_plan.proposed, site_plan.demand, site_plan.aeds,
              aedplan.rescue_circles(line5, aed).circles]
    for frame in frames:
        assert frame.crs == line5.crs


def _builders(line5) -> dict:
    """Every ``*_from_*`` builder's frame and hot spots, from inputs in the streets'
    metric CRS (made-up shapes on line5) or the embedded OSM file."""
    import shapely

    from aedplan.datasets import default_osm_path

    boxes = gpd.GeoDataFrame({"building": ["yes", "school"], "name": ["a", "b"],
                              "amenity": ["pharmacy", "school"], "population": [10.0, 20.0]},
                             geometry=[shapely.box(X0 + 90, Y0 + 5, X0 + 110, Y0 + 25),
                                       shapely.box(X0 + 290, Y0 + 5, X0 + 320, Y0 + 35)],
                             crs=CRS)
    spots_of = points([(30.0, 0.0), (390.0, 0.0)], weight=[1.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", aedplan.AedplanWarning)  # the extract's remarks
        return {
            "candidates_from_pois": aedplan.candidates_from_pois(default_osm_path()),
            "candidates_from_features": aedplan.candidates_from_features(boxes),
            "candidates_from_buildings": aedplan.candidates_from_buildings(boxes),
            "candidates_from_network": aedplan.candidates_from_network(line5),
            "candidates_from_points": aedplan.candidates_from_points(points([(5.0, 5.0)])),
            "demand_from_buildings": aedplan.demand_from_buildings(boxes),
            "demand_from_grid": aedplan.demand_from_grid(boxes, population_col="population",
                                                         net=line5),
            "demand_from_network": aedplan.demand_from_network(line5),
            "demand_from_points": aedplan.demand_from_points(points([(5.0, 5.0)])),
            "hot_spots": aedplan.hot_spots(spots_of, [True, True]),
        }


def test_every_builder_and_hot_spots_give_wgs84(line5):
    """One CRS for every ``*_from_*`` frame and the hot spots, EPSG:4326, whatever the
    input's, so that candidates (or demand) of several sources concatenate; the metres
    come back exactly in the network's CRS."""
    import inspect

    import pandas as pd

    built = _builders(line5)
    named = {name for name in aedplan.__all__ if "_from_" in name
             and inspect.isfunction(getattr(aedplan, name))} - {"network_from_arrays"}
    assert named | {"hot_spots"} == set(built)  # a new builder is checked here too
    for name, frame in built.items():
        assert frame.crs == "EPSG:4326", name
    both = pd.concat([built["candidates_from_pois"], built["candidates_from_network"]])
    assert both.crs == "EPSG:4326" and len(both) == len(built["candidates_from_pois"]) + 5
    back = built["candidates_from_network"].to_crs(line5.crs).geometry
    np.testing.assert_allclose(back.x - X0, [0, 100, 200, 300, 400], atol=1e-6)
    cells = built["hot_spots"].to_crs(CRS).bounds.to_numpy() - [X0, Y0, X0, Y0]
    np.testing.assert_allclose(cells, [[250, 0, 500, 250], [0, 0, 250, 250]], atol=1e-6)


def test_plan_sites_keeps_the_callers_index_and_labels(line5):
    aed = points([(0.0, 0.0)])
    demand = points([(30.0, 0.0), (250.0, 0.0), (390.0, 0.0)], weight=[1.0, 2.0, 3.0])
    demand.index = ["home", "school", "mall"]
    sites = points([(100.0, 0.0), (250.0, 0.0), (400.0, 0.0)], name=["a", "b", "c"])
    sites.index = [10, 20, 30]
    p = aedplan.plan_sites(line5, demand, sites, aeds=aed, budget=1,
                           model=TimeModel(1.0, "one-way", 1.0))
    assert p.proposed.index.tolist() == [30]
    assert p.proposed["candidate"].tolist() == [30]
    assert p.proposed["name"].tolist() == ["c"]
    assert p.demand.index.tolist() == ["home", "school", "mall"]
    assert p.demand["covered_after"].tolist() == [True, False, True]
    assert demand.index.tolist() == ["home", "school", "mall"]  # the input is untouched
    assert "walk_s_before" not in demand.columns


def test_coverage_matrices_are_sparse_arrays(line5):
    A = aedplan.coverage_matrix(line5, points([(30.0, 0.0)]), points([(0.0, 0.0)]))
    assert isinstance(A, sp.csr_array) and A.dtype == bool
    T = aedplan.coverage_times(line5, points([(30.0, 0.0)]), points([(0.0, 0.0)]))
    assert isinstance(T, sp.csr_array)


def test_plan_reuses_todays_coverage(line5):
    aed = points([(0.0, 0.0)])
    demand = points([(30.0, 0.0), (250.0, 0.0)], weight=[1.0, 2.0])
    sites = points([(250.0, 0.0)])
    today = aedplan.coverage_today(line5, demand, aed)
    p = aedplan.plan_sites(line5, demand, sites, aeds=aed, budget=1, before=today)
    assert p.before is today
    assert p.after.coverage == 1.0
    with pytest.raises(InputError, match=r"`before` is not today's coverage.*1 AEDs, `aeds` 0"):
        aedplan.plan_sites(line5, demand, sites, budget=1, before=today)
    with pytest.raises(InputError, match=r"made with TimeModel\(minutes=4.*asks for TimeModel"):
        aedplan.plan_sites(line5, demand, sites, aeds=aed, budget=1, before=today,
                           model=TimeModel(5))


def test_a_site_plan_explores_on_a_map(line5):
    aed = points([(0.0, 0.0)], name=["town hall"])
    demand = points([(30.0, 0.0), (250.0, 0.0)], weight=[1.0, 2.0])
    sites = points([(250.0, 0.0)], name=["pharmacy"])
    p = aedplan.plan_sites(line5, demand, sites, aeds=aed, budget=1)
    html = p.explore().get_root().render()
    for text in ("Rescue circles: existing AEDs", "Rescue circles: proposed AEDs", "pharmacy",
                 "town hall", "covered today", "OpenStreetMap contributors"):
        assert text in html, text
    bare = p.explore(circles=False).get_root().render()
    assert "Rescue circles" not in bare and "pharmacy" in bare
    assert isinstance(p.demand, gpd.GeoDataFrame) and p.demand.crs == CRS
    # every frame of a plan opens with geopandas' own .explore() too
    circles = aedplan.rescue_circles(line5, p.proposed).circles
    for frame in (p.demand, p.proposed, circles, line5.edges_gdf()):
        assert type(frame.explore()).__name__ == "Map"


def test_run_writes_nothing_unless_asked(tmp_path, monkeypatch):
    """In a notebook, ``aedplan.run`` keeps its results in memory; files only with ``out``."""
    import aedplan

    from .conftest import data_path

    monkeypatch.chdir(tmp_path)
    warnings.simplefilter("ignore", aedplan.AedplanWarning)  # the extract's own remarks
    scenario = aedplan.Scenario().replace({
        "area.osm": str(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf")), "goal.budget": 2})
    result = aedplan.run(scenario)
    assert list(tmp_path.iterdir()) == [] and result.files == {}
    assert result.report["plan"]["new_sites"] == 2 and len(result.frames["proposed"]) == 2
    assert "render" not in result.report["timings_s"]
    written = aedplan.run(scenario.replace({"output.out": tmp_path / "out"}))
    assert (tmp_path / "out" / "map.html").exists() and "map.html" in written.files


def test_every_public_function_shows_an_example():
    """Each function ``import aedplan`` offers has an example in its docstring, which
    the test command runs as a doctest."""
    import inspect

    bare = [name for name in aedplan.__all__
            if inspect.isfunction(getattr(aedplan, name))
            and ">>>" not in (inspect.getdoc(getattr(aedplan, name)) or "")]
    assert bare == []


def test_the_api_reference_lists_every_public_name():
    from pathlib import Path

    page = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text()
    listed = set(re.findall(r"^\.\. auto(?:function|class):: aedplan\.(\w+)$", page, re.M))
    assert listed == set(aedplan.__all__) - {"__version__"}


# --------------------------------------------------------------------------- one gap, one bound


def test_every_layer_stops_at_the_same_gap_by_default():
    """The array solvers, the GeoDataFrame and file layers and the command line all
    stop at 0.01% unless told otherwise."""
    import inspect

    from aedplan.cli import province_command, validate_command
    from aedplan.optimise import DEFAULT_MIP_GAP

    assert DEFAULT_MIP_GAP == 1e-4
    takers = [getattr(aedplan, name) for name in aedplan.__all__
              if inspect.isfunction(getattr(aedplan, name))
              and "mip_rel_gap" in inspect.signature(getattr(aedplan, name)).parameters]
    assert {f.__name__ for f in takers} == {
        "solve_mclp", "solve_min_sites", "solve_backup", "coverage_curve",
        "solve_constrained", "plan_sites", "plan_province", "validate_plans"}
    for f in takers:
        assert inspect.signature(f).parameters["mip_rel_gap"].default == DEFAULT_MIP_GAP, f
    assert aedplan.Scenario().solver.gap / 100 == DEFAULT_MIP_GAP
    for command in (validate_command, province_command):
        (gap,) = [p for p in command.params if p.name == "gap"]
        assert gap.default / 100 == DEFAULT_MIP_GAP


def test_the_gap_has_one_bound_checked_before_anything_is_read(monkeypatch, tmp_path):
    """``--gap 100`` (percent) is refused at once, by the bound the solvers use: nothing
    is loaded. Every gap the scenario takes, the solver takes too."""
    from click.testing import CliRunner

    from aedplan import pipeline, province, validate
    from aedplan.cli import main

    def loaded(*args, **kwargs):
        raise AssertionError("the run started")

    for module, name in ((pipeline, "run"), (province, "plan_province"),
                         (validate, "validate_plans")):
        monkeypatch.setattr(module, name, loaded)
    A = sp.csr_array(np.eye(3, dtype=bool))
    for percent in (0.0, 0.01, 99.9, 100.0, 250.0):
        try:
            aedplan.Scenario().replace({"solver.gap": percent})
        except InputError:
            scenario_takes = False
        else:
            scenario_takes = True
        try:
            aedplan.solve_mclp(A, np.ones(3), 1, mip_rel_gap=percent / 100)
        except InputError:
            solver_takes = False
        else:
            solver_takes = True
        assert scenario_takes == solver_takes == (percent < 100), percent
    runner = CliRunner()
    for args in (["plan"], ["province", "--osm", "x.osm.pbf", "--budget", "1"],
                 ["validate", "--arrests", "a.csv", "--time-col", "t", "--folds", "2"]):
        done = runner.invoke(main, [*args, "--gap", "100", "--out", str(tmp_path / "o")])
        assert done.exit_code == 2, (args, done.output)
        assert "--gap" in done.output and "100" in done.output, done.output
        assert "the run started" not in done.output
    assert not (tmp_path / "o").exists()


# --------------------------------------------------------------------------- read-only results


def test_a_runs_report_files_and_frames_cannot_be_changed_through_it(tmp_path):
    """The report refuses changes all the way down, and still reads, compares and writes
    as a dict; each frame is a copy; ``copy.deepcopy`` gives a report to change."""
    import copy
    import json
    import pickle

    from aedplan.results import PlanRun

    report = {"existing": {"coverage": 0.5, "aeds": 2},
              "plan": {"coverage": 0.75, "new_sites": 1, "moves": [{"from": "a"}]},
              "timings_s": {"network": 1.0}}
    frame = points([(0.0, 0.0)], weight=[1.0])
    run = PlanRun(report, {"map.html": tmp_path / "map.html"}, {"demand": frame}, ["note"])
    report["plan"]["coverage"] = 1.0  # the caller's dict is not the run's
    assert run.report["plan"]["coverage"] == 0.75
    for change in (lambda r: r.__setitem__("plan", None), lambda r: r.pop("plan"),
                   lambda r: r["plan"].update(coverage=1.0),
                   lambda r: r["timings_s"].setdefault("render", 2.0),
                   lambda r: r["plan"]["moves"].append({}),
                   lambda r: r["plan"]["moves"][0].__setitem__("from", "b")):
        with pytest.raises(TypeError, match="read-only"):
            change(run.report)
    with pytest.raises(TypeError, match="read-only"):
        run.files["x"] = tmp_path
    with pytest.raises(TypeError):
        run.frames["demand"] = frame  # type: ignore[index]
    mine_too = run.frames["demand"]
    mine_too.loc[0, "weight"] = 5.0
    assert run.frames["demand"]["weight"][0] == 1.0
    assert run.report == {"existing": {"coverage": 0.5, "aeds": 2},
                          "plan": {"coverage": 0.75, "new_sites": 1, "moves": [{"from": "a"}]},
                          "timings_s": {"network": 1.0}}
    assert json.loads(json.dumps(run.report)) == run.report
    mine = copy.deepcopy(run.report)
    mine["plan"]["moves"].append({"from": "c"})
    assert type(mine) is dict and len(run.report["plan"]["moves"]) == 1
    again = pickle.loads(pickle.dumps(run.report))
    assert again == run.report
    with pytest.raises(TypeError, match="read-only"):
        again["plan"] = None
    same = dataclasses.replace(run, files={})
    assert same.report is run.report  # frozen once


@pytest.mark.parametrize("crs", [CRS, "EPSG:4326"], ids=["network-crs", "wgs84"])
def test_plan_sites_leaves_the_callers_frames_as_they_were(line5, crs):
    """The plan's demand and AED layers are its own, in the network's CRS, whether the
    inputs came in that CRS (copied) or in another (reprojected): the caller's frames
    keep their columns and values. (Made-up points on the line.)"""
    demand = points([(30.0, 0.0), (90.0, 0.0)], weight=[1.0, 2.0]).to_crs(crs)
    aed = points([(0.0, 0.0)]).to_crs(crs)
    sites = points([(100.0, 0.0)])
    before = demand.copy(), aed.copy()
    p = aedplan.plan_sites(line5, demand, sites, aeds=aed, budget=1,
                           model=TimeModel(minutes=2, speed_m_s=1.0))
    for mine, kept in zip((demand, aed), before, strict=True):
        assert list(mine.columns) == list(kept.columns) and mine.equals(kept)
    assert p.demand is not demand and p.demand.crs.equals(line5.crs)
    assert p.demand["covered_after"].tolist() == [True, True]
    assert "covered_after" not in demand
    assert p.aeds is not aed and p.aeds.crs.equals(line5.crs)


def test_an_unusual_time_model_is_warned_at_the_callers_line_once():
    """A budget over 15 minutes: `TimeModel` warns at the caller's line (not inside the
    `__init__` that dataclasses write); a scenario's time section leaves it to the run,
    which names `time.minutes`."""
    with warnings.catch_warnings(record=True) as heard:
        warnings.simplefilter("always")
        TimeModel(minutes=20)
        aedplan.Scenario().replace({"time.minutes": 20})
    assert [w.filename for w in heard] == [__file__]
    assert str(heard[0].message).startswith("`minutes` is 20: a budget over 15 minutes")
