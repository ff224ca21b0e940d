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
from aedplan.errors import InputError

from .conftest import CRS, points

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
    """``model=`` and the loose keywords give the same answer, everywhere."""
    model = TimeModel(1.0, "one-way", 1.0)
    loose = {"minutes": 1.0, "mode": "one-way", "speed_m_s": 1.0}
    aed = points([(0.0, 0.0)])
    demand = points([(30.0, 0.0), (90.0, 0.0)], weight=[1.0, 2.0])
    sites = points([(100.0, 0.0)])
    a = aedplan.reach_times(line5, aed, demand, model=model)
    b = aedplan.reach_times(line5, aed, demand, **loose)
    assert a.target_s.tolist() == b.target_s.tolist() == [30.0, np.inf]
    assert aedplan.coverage_stats(line5, demand, aed, model=model).coverage == pytest.approx(1 / 3)
    m1 = aedplan.coverage_matrix(line5, demand, sites, model=model)
    m2 = aedplan.coverage_matrix(line5, demand, sites, **loose)
    assert (m1 != m2).nnz == 0 and m1.toarray().ravel().tolist() == [False, True]
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
    """Readers give WGS84; everything computed on a network is in ``net.crs``."""
    aed = points([(0.0, 0.0)]).to_crs(4326)
    demand = points([(30.0, 0.0), (90.0, 0.0)], weight=[1.0, 1.0]).to_crs(4326)
    sites = points([(100.0, 0.0), (200.0, 0.0)]).to_crs(4326)
    site_plan = aedplan.plan_sites(line5, demand, sites, aeds=aed, budget=1)
    frames = [
        site_plan.proposed, site_plan.demand, site_plan.aeds,
        aedplan.rescue_circles(line5, aed).circles,
        aedplan.demand_from_network(line5), aedplan.candidates_from_network(line5),
        aedplan.hot_spots(site_plan.demand, ~site_plan.demand["covered_after"].to_numpy()),
    ]
    for frame in frames:
        assert frame.crs == line5.crs


def test_plan_sites_keeps_the_callers_index_and_labels(line5):
    aed = points([(0.0, 0.0)])
    demand = points([(30.0, 0.0), (250.0, 0.0), (390.0, 0.0)], weight=[1.0, 2.0, 3.0])
    demand.index = ["home", "school", "mall"]
    sites = points([(100.0, 0.0), (250.0, 0.0), (400.0, 0.0)], name=["a", "b", "c"])
    sites.index = [10, 20, 30]
    p = aedplan.plan_sites(line5, demand, sites, aeds=aed, budget=1, minutes=1.0,
                           mode="one-way", speed_m_s=1.0)
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
        aedplan.plan_sites(line5, demand, sites, aeds=aed, budget=1, before=today, minutes=5)


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
