"""A plan in one file: the scenario type, its TOML file, the study area that clips every
input the same way, and variants planned in one run.

The real data are the embedded Vaduz+Schaan extract and the Vaduz-centre extract in
``data/`` (both © OpenStreetMap contributors); the population grids here are made up and
say so."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

import aedplan
from aedplan import Scenario
from aedplan.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
CENTRE = ROOT / "data" / "vaduz-centre-2024-03-03.osm.pbf"


def _quiet_run(scenario: Scenario):
    with warnings.catch_warnings():  # the real extracts' own remarks
        warnings.simplefilter("ignore", aedplan.AedplanWarning)
        return aedplan.run(scenario)


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aedplan", *args], capture_output=True,
                          text=True, timeout=600, cwd=cwd)


def _numbers(report: dict) -> dict:
    """A report without what changes from run to run (timings)."""
    out = {k: v for k, v in report.items() if k != "timings_s"}
    if "plan" in out:
        details = dict(out["plan"].get("solver_details") or {})
        details.pop("solve_s", None)
        out["plan"] = {**out["plan"], "solver_details": details}
    return out


# --------------------------------------------------------------------------- the file


def test_a_scenario_round_trips_through_toml(tmp_path):
    s = Scenario().replace({
        "area.bbox": (9.50, 47.12, 9.54, 47.16), "aeds.source": str(tmp_path / "aeds.csv"),
        "aeds.datum": "gcj02", "aeds.lon_col": "地點LNG", "demand.source": "network",
        "time.minutes": 5, "goal.budget": 7, "solver.gap": 0.5, "output.lang": "zh"})
    s = Scenario.from_toml(s.to_toml() + '[[variant]]\nname = "更多"\ngoal.budget = 20\n')
    again = Scenario.from_toml(s.to_toml())
    assert again == s
    assert again.area.bbox == (9.50, 47.12, 9.54, 47.16) and again.time.minutes == 5.0
    assert again.variant("更多").goal.budget == 20 and again.variant("更多").aeds.datum == "gcj02"
    # written as a planner writes it: the variant a [[variant]] table of dotted keys, last
    assert s.to_toml().endswith('\n[[variant]]\nname = "更多"\ngoal.budget = 20\n')


def test_relative_paths_are_read_from_the_files_folder(tmp_path):
    (tmp_path / "plan").mkdir()
    path = tmp_path / "plan" / "scenario.toml"
    path.write_text('[aeds]\nsource = "aeds.csv"\n[area]\ndistricts = "osm:8"\n')
    s = Scenario.from_toml(path)
    assert s.aeds.source == str(tmp_path / "plan" / "aeds.csv")
    assert s.area.districts == "osm:8"  # a word, not a file


@pytest.mark.parametrize(("text", "phrase"), [
    ("[goal]\nbudget = 3\nbudgt = 4\n", "unknown key `goal.budgt` (the scenario, line 3). "
                                        "Did you mean `goal.budget`?"),
    ("[time]\n\nminutes = 'four'\n", "`time.minutes` must be a number, got 'four' "
                                     "(the scenario, line 3)"),
    ("[goal]\nbudget = 2.5\n", "`goal.budget` must be a whole number"),
    ("[solver]\ngap = nan\n", "`solver.gap` must be a number, got nan (the scenario, line 2)"),
    ("[solver]\nmethod = 'fast'\n", "`solver.method` must be one of 'exact', 'greedy'"),
    ("[timing]\nminutes = 3\n", "unknown key `timing` (the scenario, line 1). Did you mean "
                                "`time`?"),
    # a word a planner may write for a key: the key meant
    ("[output]\nfolder = 'out'\n", "unknown key `output.folder` (the scenario, line 2). Did "
                                    "you mean `output.out`?"),
    ("[[variant]]\ngoal.budget = 3\n", "[[variant]] number 1 needs a `name`"),
    ("[[variant]]\nname = 'a'\ngoal.budgte = 3\n", "variant 'a': unknown key `goal.budgte` "
                                                   "(the scenario, line 3)"),
    ("[[variant]]\nname = 'a'\ntime.minutes = -1\n",
     "variant 'a': `time.minutes` must be a positive number of minutes, got -1.0 (the "
     "scenario, line 2)"),
    ("[area\nosm = 1\n", "is not valid TOML"),
])
def test_a_bad_key_or_value_names_the_key_and_its_line(text, phrase):
    with pytest.raises(InputError) as caught:
        Scenario.from_toml(text)
    assert phrase in str(caught.value)


def test_the_template_is_the_defaults_in_both_languages():
    from aedplan.scenario_text import template

    assert Scenario.from_toml(template("en")) == Scenario()
    zh = template("zh")
    # the Chinese one plans in Chinese on any machine
    assert Scenario.from_toml(zh) == Scenario().replace({"output.lang": "zh"})
    assert "救援时间" in zh and "[goal]" in zh


def test_every_key_has_a_flag_of_its_name():
    """A TOML key and a CLI flag say the same thing: the flag is the key's name."""
    from aedplan.scenario import flag_of, scenario_fields

    odd = {(s, f.name): flag_of(s, f.name) for s, f in scenario_fields()
           if flag_of(s, f.name) not in ("", "--" + f.name.replace("_", "-"))}
    assert odd == {("aeds", "source"): "--aeds", ("demand", "source"): "--demand",
                   ("candidates", "source"): "--candidates", ("solver", "method"): "--solver"}


# --------------------------------------------------------------------------- command line


def test_rerunning_the_written_scenario_reproduces_the_report(tmp_path):
    out = tmp_path / "out"
    first = _cli("plan", "--budget", "2", "--minutes", "3", "--quiet", "--out", str(out))
    assert first.returncode == 0, first.stderr
    report = json.loads((out / "report.json").read_text())
    written = Scenario.from_toml(out / "scenario.toml")
    assert written.goal.budget == 2 and written.time.minutes == 3.0
    assert written.output.lang in ("en", "zh")  # resolved, so another locale gives the same
    again = _cli("plan", str(out / "scenario.toml"), "--overwrite", "--quiet")
    assert again.returncode == 0, again.stderr
    assert _numbers(json.loads((out / "report.json").read_text())) == _numbers(report)


def test_a_flag_overrides_the_file(tmp_path):
    path = tmp_path / "scenario.toml"
    path.write_text("[goal]\nbudget = 5\n[time]\nminutes = 3\n[aeds]\nsource = 'none'\n"
                    "[demand]\nsource = 'network'\n[candidates]\nsource = 'nodes'\n")
    done = _cli("plan", str(path), "--osm", str(CENTRE), "--budget", "1", "--quiet",
                "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["plan"]["new_sites"] == 1 and report["params"]["minutes"] == 3.0
    assert report["params"]["aeds"] == "none"


def test_a_bad_scenario_file_is_one_line_and_exit_code_2(tmp_path):
    path = tmp_path / "scenario.toml"
    path.write_text("[goal]\nbudget = -3\n")
    done = _cli("plan", str(path), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    # the file's own key, where the file says it
    assert done.stderr.strip() == ("aedplan: error: `goal.budget` must be >= 0, got -3 "
                                   "(scenario.toml, line 2).")
    assert not (tmp_path / "out").exists()


def test_help_is_grouped_by_the_scenarios_sections():
    done = _cli("plan", "--help")
    headings = [line for line in done.stdout.splitlines() if line and line[0].isupper()]
    for title in ("Study area and streets:", "Today's AEDs:", "Demand: who needs cover:",
                  "Time model: the rescue circle:", "Goal:", "Solver:", "Output:"):
        assert title in headings
    assert "--week YYYY-MM-DD" not in done.stdout  # documented in the reference and template
    assert len(done.stdout.splitlines()) < 140


def test_init_writes_a_template_that_runs(tmp_path):
    done = _cli("init", str(tmp_path / "s.toml"), "--lang", "zh")
    assert done.returncode == 0, done.stderr
    # its first line says how to run it, by its own name
    assert (tmp_path / "s.toml").read_text(encoding="utf-8").splitlines()[0].endswith(
        "运行：aedplan plan s.toml")
    # it plans in Chinese on any machine; every other key at its default
    assert Scenario.from_toml(tmp_path / "s.toml") == Scenario().replace({"output.lang": "zh"})
    assert _cli("init", str(tmp_path / "s.toml")).returncode == 2  # not over a file
    assert Scenario.from_toml(tmp_path / "s.toml") == Scenario().replace({"output.lang": "zh"})
    english = tmp_path / "en.toml"
    assert _cli("init", str(english)).returncode == 0
    assert Scenario.from_toml(english) == Scenario()


def test_the_chinese_template_wraps_between_characters():
    """Lines of at most 88 columns (a Chinese character is two), broken between
    characters but never inside an option, a number or `code`."""
    import unicodedata

    from aedplan.scenario_text import _wrap_chinese, template

    def columns(line):
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)

    text = template("zh")
    assert max(columns(line) for line in text.splitlines()) <= 88
    lines = _wrap_chinese("每 50 米一个候选点位，`candidates_from_network` 沿街道布设；"
                          "预算 1,200 台", 24)
    assert lines == ["# 每 50 米一个候选点位，", "#   `candidates_from_network`",
                     "#   沿街道布设；预算", "#   1,200 台"]


# --------------------------------------------------------------------------- the study area


def test_a_city_registry_on_a_districts_streets_runs_and_counts(tmp_path):
    """The 75 real AEDs of Vaduz and Schaan as a registry, on the streets of the Vaduz
    centre only: without a bbox, those outside the streets' extent are counted and left
    out, and coverage equals the run with the registry cut by hand."""
    from aedplan.datasets import default_osm_path

    registry = aedplan.read_points(default_osm_path())
    registry[["id", "geometry"]].to_file(tmp_path / "registry.geojson")
    base = Scenario().replace({"area.osm": str(CENTRE), "demand.source": "network",
                               "goal.optimise": False})
    whole = _quiet_run(base.replace({"aeds.source": str(tmp_path / "registry.geojson")}))
    counts = whole.report["area"]["inputs"]["aeds"]
    assert counts["given"] == 75 and counts["outside_area"] >= 20
    assert counts["given"] == counts["outside_area"] + counts["off_street"] + counts["used"]
    assert whole.report["existing"]["aeds"] == counts["used"]

    net = whole.net
    hull = gpd.GeoSeries([shapely.segmentize(shapely.convex_hull(shapely.multipoints(
        shapely.get_coordinates(net.edge_geometry))).buffer(1.0), 50.0)],
        crs=net.crs).to_crs(4326).iloc[0]
    by_hand = registry[registry.intersects(hull)]
    by_hand[["id", "geometry"]].to_file(tmp_path / "cut.geojson")
    cut = _quiet_run(base.replace({"aeds.source": str(tmp_path / "cut.geojson")}))
    assert len(by_hand) == counts["used"] + counts["off_street"]
    assert cut.report["existing"]["coverage"] == whole.report["existing"]["coverage"]
    assert cut.report["existing"]["aeds"] == whole.report["existing"]["aeds"]


def test_no_point_inside_the_area_is_refused(tmp_path):
    far = gpd.GeoDataFrame({"id": ["a", "b"]}, geometry=gpd.points_from_xy([8.0, 8.1],
                                                                           [46.0, 46.1]),
                           crs=4326)  # made-up points 100 km away
    far.to_file(tmp_path / "far.geojson")
    s = Scenario().replace({"area.osm": str(CENTRE), "aeds.source": str(tmp_path / "far.geojson"),
                            "demand.source": "network", "goal.optimise": False})
    with pytest.raises(InputError, match="2 points given, none inside the study area"):
        _quiet_run(s)


def test_the_area_block_of_a_real_run():
    run = _quiet_run(Scenario().replace({"goal.budget": 2}))
    area = run.report["area"]
    assert area["source"] == "streets" and 10 < area["km2"] < 60
    for name in ("aeds", "demand", "candidates"):
        c = area["inputs"][name]
        assert c["given"] == (c["outside_area"] + c["off_street"]
                              + c.get("at_existing_aeds", 0) + c["used"])
    assert area["inputs"]["aeds"]["used"] == run.report["existing"]["aeds"]
    # the places where an AED already hangs are not proposed again, and say so
    assert area["inputs"]["candidates"]["at_existing_aeds"] == 2
    assert area["inputs"]["candidates"]["used"] == run.report["plan"]["candidates"]
    assert run.notes == tuple(run.report["notes"]) and any(
        n.startswith("warning: ") for n in run.notes)  # warnings are kept in the result too


def test_points_along_the_streets_are_all_inside_the_streets_extent():
    """The streets' extent holds every street as drawn: demand along the streets of the
    real Vaduz centre loses no point to it."""
    run = _quiet_run(Scenario().replace({"area.osm": str(CENTRE), "demand.source": "network",
                                         "aeds.source": "none", "goal.optimise": False}))
    counts = run.report["area"]["inputs"]["demand"]
    assert counts["outside_area"] == 0 and counts["used"] == counts["given"] > 1000


def test_a_bbox_is_the_study_area():
    box = (9.515, 47.135, 9.53, 47.145)
    run = _quiet_run(Scenario().replace({"area.osm": str(CENTRE), "area.bbox": box,
                                         "demand.source": "network", "goal.optimise": False}))
    area = run.report["area"]
    assert area["source"] == "bbox"
    # a 0.015° x 0.01° box at 47.14° N, worked out by hand: 1.136 km x 1.112 km
    assert area["km2"] == pytest.approx(1.136 * 1.112, rel=0.01)


# --------------------------------------------------------------------------- variants


def test_two_variants_equal_two_runs(tmp_path):
    text = f"""
[area]
osm = "{CENTRE}"
[demand]
source = "network"
[candidates]
source = "nodes"
[goal]
budget = 2
[[variant]]
name = "two"
[[variant]]
name = "four, 3 min"
goal.budget = 4
time.minutes = 3
"""
    s = Scenario.from_toml(text).replace({"output.out": str(tmp_path / "out")})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", aedplan.AedplanWarning)
        both = aedplan.compare(s)
    for name in ("two", "four, 3 min"):
        alone = _quiet_run(s.variant(name).replace({"output.out": None}))
        together = both.runs[name]
        assert _numbers(together.report) == _numbers(alone.report)
        assert (together.site_plan.proposed["id"].tolist()
                == alone.site_plan.proposed["id"].tolist())
    table = both.table
    assert table["variant"].tolist() == ["two", "four, 3 min"]
    assert table["placed"].tolist() == [2, 4] and table["new"].tolist() == [2, 4]
    # each variant's today beside its plan (3 minutes reach less than 4 today too)
    today = [both.runs[n].report["existing"]["coverage"] for n in ("two", "four, 3 min")]
    assert table["today_all_open_24_7"].tolist() == today and today[1] < today[0]
    assert (table["today_all_open_24_7"] < table["all_open_24_7"]).all()
    out = tmp_path / "out"
    assert {"compare.csv", "report.json", "map.html", "scenario.toml"} <= {
        p.name for p in out.iterdir()}
    assert (out / "two" / "report.json").exists() and (out / "four-3-min" / "map.html").exists()
    top = json.loads((out / "report.json").read_text())
    assert [r["variant"] for r in top["compare"]] == ["two", "four, 3 min"]
    assert len(Scenario.from_toml(out / "scenario.toml").variants) == 2


def test_run_refuses_a_scenario_with_variants():
    s = Scenario.from_toml("[[variant]]\nname = 'a'\ngoal.budget = 3\n")
    with pytest.raises(InputError, match=r"aedplan.compare\(scenario\)"):
        aedplan.run(s)


@pytest.mark.filterwarnings("ignore::aedplan.AedplanWarning")  # the real extract's own
def test_an_error_in_a_variant_names_the_variant(tmp_path):
    """Which of a comparison's variants failed, in the run's language, of the error's own
    class."""
    missing = tmp_path / "missing.csv"
    text = (f"[output]\nlang = '{{lang}}'\n[goal]\nbudget = 1\n[[variant]]\nname = 'a'\n"
            f"[[variant]]\nname = 'b'\naeds.source = '{missing.as_posix()}'\n")
    with pytest.raises(InputError, match=r"^variant 'b': `aeds\.source`: .*missing\.csv") as got:
        aedplan.compare(Scenario.from_toml(text.format(lang="en")))
    assert isinstance(got.value.__cause__, InputError)
    with pytest.raises(InputError) as got:
        aedplan.compare(Scenario.from_toml(text.format(lang="zh")))
    assert str(got.value).startswith("方案变体 'b'：`aeds.source`")


@pytest.mark.filterwarnings("ignore::aedplan.AedplanWarning")  # the real extract's own
def test_a_box_in_the_embedded_default_cuts_it_offline():
    """`area.bbox` without `area.osm`, inside the embedded default: its streets cut to the
    box (tests never touch the network: a download would fail); swapped, the run says
    so."""
    from aedplan.errors import DataError

    run = aedplan.run(Scenario().replace({"area.bbox": [9.52, 47.14, 9.53, 47.15],
                                          "goal.budget": 1}))
    whole = aedplan.run(Scenario().replace({"goal.budget": 1}))
    assert 0 < run.report["network"]["nodes"] < whole.report["network"]["nodes"]
    with pytest.raises(DataError, match=r"Swapped, lon and lat would fit the streets: give "
                                        r"W,S,E,N \(longitudes first\), e\.g\. 9\.52,47\.14"):
        aedplan.run(Scenario().replace({"area.bbox": [47.14, 9.52, 47.15, 9.53]}))


def test_what_is_not_a_scenario_is_told_how_to_make_one():
    """A path, a dict or a nested section where a scenario is wanted: an InputError
    saying how to make one (it was an AttributeError deep in the run)."""
    for call, words in [
        (lambda: aedplan.run("scenario.toml"), "`scenario` must be an aedplan.Scenario, got "
                                               "a str: read a file with Scenario.from_toml"),
        (lambda: aedplan.compare({"goal": {"budget": 5}}), "got a dict"),
        (lambda: Scenario(goal={"budget": 5}), "`goal` must be the scenario's goal section, "
                                               "got a dict: build a scenario with Scenario"
                                               ".from_dict({'goal': {'budget': 5}})"),
        (lambda: Scenario().replace({"goal": {"budget": 5}}),
         "`goal` is a section: replace its keys with dotted names, e.g. {'goal.budget': 5}"),
        (lambda: Scenario().replace([("goal.budget", 5)]), "`changes` must be a dict"),
    ]:
        with pytest.raises(InputError) as caught:
            call()
        assert words in str(caught.value)


def test_the_scenario_reference_is_made_from_the_type():
    from aedplan.scenario import scenario_fields
    from aedplan.scenario_text import reference

    page = (ROOT / "docs" / "scenario.md").read_text(encoding="utf-8")
    assert page == reference(), "run: python -c 'from aedplan.scenario_text import reference; " \
        "open(\"docs/scenario.md\", \"w\").write(reference())'"
    for _, f in scenario_fields():
        assert f"| `{f.name}` |" in page


def test_plan_sites_and_run_answer_the_same_question_by_default():
    """Both plan round the clock from the AEDs' own hours, on the embedded default."""
    from aedplan.datasets import default_osm_path

    osm = default_osm_path()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", aedplan.AedplanWarning)
        net = aedplan.load_network(osm)
        aeds = aedplan.read_points(osm)
        demand = aedplan.demand_from_buildings(osm)
        sites = aedplan.exclude_existing(aedplan.candidates_from_pois(osm), aeds)
        plan = aedplan.plan_sites(net, demand, sites, aeds=aeds, budget=5)
    run = _quiet_run(Scenario().replace({"goal.budget": 5}))
    assert plan.objective == run.site_plan.objective == "hours"
    assert set(plan.proposed["id"]) == set(run.site_plan.proposed["id"])
    assert plan.hours_after.round_the_clock == pytest.approx(
        run.report["plan"]["round_the_clock"])


# --------------------------------------------------------------------------- people


def _grid(tmp_path: Path, west: float, south: float, step: float, people: list[float]) -> Path:
    """A made-up 3x3 grid of lon/lat cells (row by row from the south-west), with
    made-up people; written as a GeoPackage."""
    cells = [shapely.box(west + step * (i % 3), south + step * (i // 3),
                         west + step * (i % 3 + 1), south + step * (i // 3 + 1))
             for i in range(9)]
    path = tmp_path / "grid.gpkg"
    gpd.GeoDataFrame({"population": people}, geometry=cells, crs=4326).to_file(path)
    return path


def test_a_grid_wider_than_the_area_counts_the_people_inside(tmp_path):
    """A made-up 3x3 grid over the real Vaduz centre, the study area its middle cell:
    the people, the AEDs per 100,000 and the coverage are the middle cell's."""
    step, west, south = 0.004, 9.5125, 47.134
    people = [100.0, 200, 300, 400, 5000, 600, 700, 800, 900]
    grid = _grid(tmp_path, west, south, step, people)
    middle = (west + step, south + step, west + 2 * step, south + 2 * step)
    run = _quiet_run(Scenario().replace({"area.osm": str(CENTRE), "area.bbox": middle,
                                         "demand.source": str(grid), "goal.optimise": False}))
    r = run.report
    used = r["area"]["inputs"]["aeds"]["used"]
    assert r["area"]["population"] == pytest.approx(5000)
    assert r["density"]["population"] == pytest.approx(5000)
    assert r["existing"]["aeds"] == used > 0
    assert r["density"]["before"]["per_100k"] == pytest.approx(used * 100_000 / 5000, rel=1e-6)
    demand = run.frames["demand"]
    covered = demand.loc[demand["covered_before"], "weight"].sum()
    assert r["existing"]["coverage"] == pytest.approx(covered / 5000, rel=1e-6)


def test_a_cells_people_along_its_streets_cover_as_its_streets_do(tmp_path):
    """One made-up cell of 1,000 people as the study area over the real Vaduz centre:
    its people lie along its streets by length, so its coverage is the covered share of
    its street length; a grid whose centre cell is the same cell gives the same."""
    w, s, step = 9.5165, 47.138, 0.006
    box = (w, s, w + step, s + step)
    base = Scenario().replace({"area.osm": str(CENTRE), "area.bbox": box,
                               "goal.optimise": False})
    streets = _quiet_run(base.replace({"demand.source": "network"}))
    grid = _grid(tmp_path, w - step, s - step, step, [1.0] * 4 + [1000.0] + [1.0] * 4)
    people = _quiet_run(base.replace({"demand.source": str(grid)}))
    assert people.report["demand"]["total_weight"] == pytest.approx(1000)
    # the same streets, but for those crossing the cell's edge: the people lie on their
    # part inside, the street points on the whole of them (the network keeps the edges
    # it cuts whole); 0.03 points of coverage here
    assert people.report["existing"]["coverage"] == pytest.approx(
        streets.report["existing"]["coverage"], abs=0.001)


def test_a_run_with_variants_is_written_again_only_when_asked(tmp_path):
    """The top folder's scenario.toml runs the same comparison again; an earlier run is
    refused before any work, and replaced with overwrite."""
    out = tmp_path / "out"
    path = tmp_path / "s.toml"
    path.write_text(f'[area]\nosm = "{CENTRE}"\n[demand]\nsource = "network"\n[candidates]\n'
                    'source = "nodes"\n[[variant]]\nname = "a"\ngoal.budget = 1\n'
                    '[[variant]]\nname = "b"\ngoal.budget = 2\n')
    first = _cli("plan", str(path), "--out", str(out), "--quiet")
    assert first.returncode == 0, first.stderr
    table = (out / "compare.csv").read_text()
    again = _cli("plan", str(out / "scenario.toml"), "--quiet")
    assert again.returncode == 2 and "holds results of an earlier run" in again.stderr
    assert (out / "compare.csv").read_text() == table
    again = _cli("plan", str(out / "scenario.toml"), "--overwrite", "--quiet")
    assert again.returncode == 0, again.stderr
    assert (out / "compare.csv").read_text() == table
    assert sorted(p.name for p in out.iterdir()) == [
        "a", "b", "compare.csv", "map.html", "report.json", "scenario.toml"]


def test_an_area_without_mapped_aeds_plans_from_scratch():
    """A bbox on the real Vaduz centre's streets where OSM maps no AED: the OSM file's
    AEDs all lie outside it, which is a finding, not an error."""
    box = (9.509, 47.137, 9.513, 47.14)
    run = _quiet_run(Scenario().replace({"area.osm": str(CENTRE), "area.bbox": box,
                                         "demand.source": "network",
                                         "candidates.source": "nodes", "goal.budget": 1}))
    counts = run.report["area"]["inputs"]["aeds"]
    assert counts["used"] == 0 and counts["outside_area"] == counts["given"] > 0
    assert run.report["existing"]["aeds"] == 0 and run.report["plan"]["new_sites"] == 1
    assert any(n.startswith("no AEDs are mapped in") for n in run.notes)


def test_a_polygon_file_is_the_study_area(tmp_path):
    """The same made-up box as a polygon file: the streets are cut to it, and it is the
    study area, of the box's km²."""
    box = (9.515, 47.135, 9.53, 47.145)
    gpd.GeoDataFrame(geometry=[shapely.box(*box)], crs=4326).to_file(tmp_path / "area.geojson")
    base = Scenario().replace({"area.osm": str(CENTRE), "demand.source": "network",
                               "goal.optimise": False})
    by_polygon = _quiet_run(base.replace({"area.polygon": str(tmp_path / "area.geojson")}))
    by_box = _quiet_run(base.replace({"area.bbox": box}))
    assert by_polygon.report["area"]["source"] == "polygon"
    assert by_polygon.report["area"]["km2"] == pytest.approx(by_box.report["area"]["km2"],
                                                             rel=1e-4)
    assert by_polygon.report["network"]["nodes"] == by_box.report["network"]["nodes"]
    assert (by_polygon.report["area"]["inputs"]["aeds"]
            == by_box.report["area"]["inputs"]["aeds"])
    with pytest.raises(InputError, match=r"give one study area: `area\.bbox` or `area\.polygon`"):
        aedplan.run(by_box.scenario.replace({"area.polygon": str(tmp_path / "area.geojson")}))


def test_messages_name_scenario_keys_with_their_own_meaning():
    """A stage's argument becomes its scenario key; where the key means the opposite
    (``largest_component`` and ``area.keep_disconnected``), so does the value."""
    from aedplan.scenario import in_keys

    assert in_keys("pass `largest_component=False` to keep them") == (
        "pass `area.keep_disconnected=true` to keep them")
    assert in_keys("`speed_m_s=5` and `budget`") == "`time.speed=5` and `goal.budget`"


def test_aeds_none_says_how_many_the_osm_file_maps():
    """A run told to leave today's AEDs out (`aeds` none, as `aedplan province` by
    default) says how many the OSM file maps, counted here with pyosmium itself."""
    import osmium

    class Count(osmium.SimpleHandler):
        n = 0

        def node(self, n):
            Count.n += n.tags.get("emergency") == "defibrillator"

    Count().apply_file(str(CENTRE))
    assert Count.n > 0
    s = Scenario().replace({"area.osm": str(CENTRE), "aeds.source": "none",
                            "demand.source": "network", "goal.optimise": False})
    run = _quiet_run(s)
    said = [n for n in run.notes if "are left out" in n]
    assert said == [f"`aeds.source` is none, so the {Count.n} AEDs {CENTRE.name} maps are "
                    "left out: coverage starts from zero (set `aeds.source` to \"osm\" to count "
                    "them)."]
    # given the AEDs, nothing is said
    run = _quiet_run(s.replace({"aeds.source": "osm"}))
    assert not [n for n in run.notes if "are left out" in n]
    assert run.report["existing"]["aeds"] <= Count.n


@pytest.mark.parametrize(("line", "said"), [
    ("budget ＝ 10", "Line 2 holds full-width punctuation (＝ for =)"),
    ("【area】", "Line 2 holds full-width punctuation (【 for [, 】 for ])"),
    ('out = “龙岩”', 'Line 2 holds full-width punctuation (“ for ", ” for ")'),
])
def test_a_file_typed_in_full_width_says_which_punctuation(tmp_path, line, said):
    path = tmp_path / "s.toml"
    path.write_text(f"[goal]\n{line}\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid TOML") as caught:
        Scenario.from_toml(path)
    assert said in str(caught.value) and "半角" in str(caught.value)
    path.write_text("[goal]\nbudget = = 10\n", encoding="utf-8")  # no full-width: no hint
    with pytest.raises(InputError) as caught:
        Scenario.from_toml(path)
    assert "full-width" not in str(caught.value)
