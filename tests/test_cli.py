"""The `aedplan` command, through click's CliRunner and as a real subprocess."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pytest
from click.testing import CliRunner

from aedplan.cli import main
from aedplan.outputs import OUTPUT_FILES
from aedplan.render import LAYER_NAMES

from .conftest import data_path

LAYERS = ("demand", "aeds", "proposed", "circles")


def run_cli(args, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [*args, "--out", str(out), "--quiet"])
    return result, out


def check_outputs(out, *, expect_plan: bool):
    for name in OUTPUT_FILES:  # proposed sites only with a plan, even when none are new
        assert (out / name).is_file() == (expect_plan or "proposed" not in name), name
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging leftovers
    report = json.loads((out / "report.json").read_text())
    import pyogrio

    assert ("proposed" in {n for n, _ in pyogrio.list_layers(out / "coverage.gpkg")}
            ) == expect_plan
    layers = {name: gpd.read_file(out / "coverage.gpkg", layer=name) for name in LAYERS
              if expect_plan or name != "proposed"}
    for frame in layers.values():
        assert frame.crs.to_epsg() == 4326
    demand = layers["demand"]
    # report numbers recomputed from the GeoPackage
    assert len(demand) == report["demand"]["points"]
    assert demand["weight"].sum() == pytest.approx(report["demand"]["total_weight"], rel=1e-9)
    before = demand.loc[demand["covered_before"].astype(bool), "weight"].sum()
    assert before == pytest.approx(report["existing"]["covered_weight"], rel=1e-9)
    assert (demand["walk_s_before"].fillna(np.inf)[demand["covered_before"].astype(bool)]
            <= report["params"]["budget_s"] + 1e-9).all()
    assert len(layers["aeds"]) == report["existing"]["aeds"]
    spots = report["uncovered_hot_spots"]
    assert spots and all(-180 <= h["lon"] <= 180 and -90 <= h["lat"] <= 90 for h in spots)
    assert [h["uncovered_weight"] for h in spots] == sorted(
        (h["uncovered_weight"] for h in spots), reverse=True)
    html = (out / "map.html").read_text()
    assert "OpenStreetMap contributors" in html
    present = {
        "streets": True,
        "aeds": report["existing"]["aeds"] > 0,
        "circles": report["existing"]["snapped"] > 0,
        "proposed": expect_plan and report["plan"]["new_sites"] > 0,
        "proposed_circles": expect_plan and report["plan"]["new_sites"] > 0,
        "uncovered": True,
    }
    def listed(key: str) -> bool:
        return re.search(f'"{re.escape(LAYER_NAMES[key])}( \\([^"]*\\))?" : ', html) is not None

    # today's circles by who may use them: round the clock, with hours, not public
    existing = ("circles", "circles_24_7", "circles_hours", "circles_restricted")
    for key, shown in present.items():  # the layer control lists every drawn layer
        drawn = any(map(listed, existing)) if key == "circles" else listed(key)
        assert drawn == shown, key
    if expect_plan:
        after = demand.loc[demand["covered_after"].astype(bool), "weight"].sum()
        assert after == pytest.approx(report["plan"]["covered_weight"], rel=1e-9)
        assert after >= before
        proposed = layers["proposed"]
        assert len(proposed) == report["plan"]["new_sites"]
        assert proposed["rank"].tolist() == list(range(1, len(proposed) + 1))
        if report["plan"].get("optimised_for") == "hours":  # added round the clock
            total = report["demand"]["total_weight"]
            gained = (report["plan"]["round_the_clock"]
                      - report["hours"]["before"]["round_the_clock"]) * total
            assert report["plan"]["added_round_the_clock"] * total == pytest.approx(gained)
            assert proposed["added_weight"].sum() == pytest.approx(gained, rel=1e-6)
            share = demand["covered_share_after"] - demand["covered_share_before"]
            assert (demand["weight"] * share).sum() == pytest.approx(gained, rel=1e-6)
        else:
            assert proposed["added_weight"].sum() == pytest.approx(after - before, rel=1e-6)
        csv = (out / "proposed_sites.csv").read_text().splitlines()
        assert len(csv) == len(proposed) + 1 and "lon" in csv[0] and "lat" in csv[0]
        geo = gpd.read_file(out / "proposed_sites.geojson")
        assert len(geo) == len(proposed)
        if len(proposed):
            assert "Proposed AEDs" in html
    circles = gpd.read_file(out / "rescue_circles.geojson")
    if len(circles):
        assert set(circles["status"]) <= {"existing", "proposed"}
        n_existing = int((circles["status"] == "existing").sum())
        assert n_existing == report["existing"]["snapped"]
        # existing AEDs have no rank: empty in the file, not the text "<NA>"
        raw = json.loads((out / "rescue_circles.geojson").read_text())
        ranks = [f["properties"]["rank"] for f in raw["features"]]
        assert all(r is None or isinstance(r, int) for r in ranks), set(map(type, ranks))
        assert [r is None for r in ranks] == (circles["status"] == "existing").tolist()
    check_hours(report, layers, expect_plan=expect_plan)
    curve = (report.get("plan") or {}).get("curve")
    assert (out / "coverage_curve.png").is_file() == (curve is not None
                                                      and len(curve["new_sites"]) > 1)
    return report, layers


HOURS_KEYS = {"round_the_clock", "unknown_closed", "night_22_06", "weekday_09_17",
              "worst_hour", "worst", "hourly"}


def check_hours(report, layers, *, expect_plan):
    """The report's ``hours`` block as DESIGN.md gives it, recomputed from the layers."""
    hours = report["hours"]
    assert {"week", "resolution", "slots", "intervals", "profile", "unknown_hours", "aeds",
            "all_open_24_7", "before"} <= set(hours)
    assert hours["resolution"] == "minute" and hours["slots"] >= 168
    assert hours["all_open_24_7"] == report["existing"]["coverage"]
    assert sum(hours["aeds"].values()) == report["existing"]["aeds"]
    blocks = ["before", "after"] if expect_plan else ["before"]
    demand, aeds = layers["demand"], layers["aeds"]
    total = demand["weight"].sum()
    for name in blocks:
        block = hours[name]
        assert set(block) == HOURS_KEYS and len(block["hourly"]) == 168
        assert block["unknown_closed"] <= block["round_the_clock"] + 1e-12
        assert block["worst"] == pytest.approx(min(block["hourly"]), abs=1e-6)  # 6 decimals
        share = demand[f"covered_share_{name}"]
        if report["hours"]["profile"] == "uniform":
            assert (demand["weight"] * share).sum() / total == pytest.approx(
                block["round_the_clock"], rel=1e-6)
    kinds = aeds["hours_kind"].value_counts().to_dict() if len(aeds) else {}
    assert kinds.get("restricted", 0) == hours["aeds"]["restricted"]
    assert kinds.get("24/7", 0) == hours["aeds"]["public_24_7"]
    assert (aeds["open_share"].between(0, 1)).all()
    assert (aeds.loc[aeds["hours_kind"] == "24/7", "open_share"] == 1).all()
    assert (aeds.loc[~aeds["public"].astype(bool), "open_share"] == 0).all()


@pytest.mark.slow
def test_plan_on_vaduz_schaan_pbf(tmp_path):
    osm = data_path("osm", "vaduz-schaan-2024-03-03.osm.pbf")
    result, out = run_cli(["plan", "--osm", str(osm), "--budget", "10", "--arrest-profile",
                           "uniform"], tmp_path)
    assert result.exit_code == 0, result.output
    report, _layers = check_outputs(out, expect_plan=True)
    assert report["existing"]["aeds"] == 75
    assert report["hours"]["aeds"] == {"public_24_7": 19, "public_hours": 32,
                                       "public_unknown": 4, "restricted": 20}
    assert report["hours"]["country"] == "LI" and report["hours"]["week"] == "2024-03-04"
    assert report["plan"]["new_sites"] == 10
    assert report["plan"]["status"] == "optimal" and report["plan"]["gap"] <= 1e-6
    assert report["plan"]["coverage"] > report["existing"]["coverage"]


@pytest.mark.slow
def test_plan_on_split_files(tmp_path):
    result, out = run_cli(
        [
            "plan",
            "--osm", str(data_path("osm", "vaduz-schaan.network.osm.bz2")),
            "--aeds", str(data_path("osm", "vaduz-schaan.aed.osm.bz2")),
            "--demand", str(data_path("osm", "vaduz-schaan.buildings.osm.bz2")),
            "--candidates", "nodes",
            "--budget", "5",
            "--mode", "one-way",
        ],
        tmp_path,
    )
    assert result.exit_code == 0, result.output
    report, _ = check_outputs(out, expect_plan=True)
    assert report["existing"]["aeds"] == 75
    assert report["params"]["reach_m"] == pytest.approx(336.0)
    assert report["plan"]["new_sites"] == 5


def test_coverage_on_the_default(tmp_path):
    """The embedded default is Vaduz and Schaan with their 75 real AEDs."""
    result, out = run_cli(["coverage", "--png"], tmp_path)
    assert result.exit_code == 0, result.output
    report, layers = check_outputs(out, expect_plan=False)
    assert report["existing"]["aeds"] == 75
    assert 0 < report["hours"]["before"]["round_the_clock"] < report["existing"]["coverage"]
    assert "embedded default" in report["network"]["source"]
    assert not any("no AEDs are mapped" in n for n in report["notes"])
    assert "proposed" not in layers and not (out / "proposed_sites.csv").exists()
    assert (out / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_source_without_aeds_says_so(tmp_path):
    osm = str(data_path("osm", "vaduz-centre.network.osm.bz2"))
    result, out = run_cli(["plan", "--osm", osm, "--demand", "network", "--candidates",
                           "nodes", "--budget", "5"], tmp_path)
    assert result.exit_code == 0, result.output
    report, _layers = check_outputs(out, expect_plan=True)
    assert report["existing"]["aeds"] == 0 and report["existing"]["coverage"] == 0.0
    assert any(n.startswith("no AEDs are mapped in OpenStreetMap emergency=defibrillator in "
                            "vaduz-centre.network.osm.bz2") and "`aeds.source`" in n
               for n in report["notes"])
    assert report["plan"]["new_sites"] == 5
    assert report["plan"]["coverage"] > 0


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    result, _out = run_cli(["plan", "--osm", str(tmp_path / "missing.osm.pbf")], tmp_path)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    result = CliRunner().invoke(main, ["plan", "--bbox", "1,2,3", "--quiet"])
    assert result.exit_code == 2 and "--bbox" in result.output
    result = CliRunner().invoke(main, ["plan", "--budget", "-1"])
    assert result.exit_code == 2 and "--budget" in result.output
    result = CliRunner().invoke(main, ["plan", "--speed", "0", "--quiet"])
    assert result.exit_code == 2
    assert "`--speed`" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["plan", "--bbox", "1,2,3"], "--bbox"),
        (["plan", "--unknown-hours", "maybe"], "--unknown-hours"),
        (["plan", "--objective", "round"], "--objective"),
        (["coverage", "--mode", "walk"], "--mode"),
        (["plan", "--no-such-flag"], "--no-such-flag"),
        (["plna"], "plan"),
    ],
)
def test_a_bad_flag_or_value_is_one_line_naming_it(args, named):
    result = CliRunner().invoke(main, [*args, "--quiet"] if args != ["plna"] else args)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aedplan: error: "), result.output
    assert named in lines[0] and "--help" in lines[0]


def test_choice_flags_ignore_case(tmp_path):
    result, _out = run_cli(["plan", "--unknown-hours", "CLOSED", "--objective", "Hours",
                            "--osm", str(tmp_path / "missing.osm.pbf")], tmp_path)
    assert result.exit_code == 2 and "`--osm`: file not found" in result.output


def test_bad_aed_file_leaves_no_output(tmp_path):
    bad = tmp_path / "aeds.csv"
    bad.write_text("name,lat,lon\nA,9.52,47.14\nB,9.53,47.15\n")  # lon/lat swapped
    result, out = run_cli(
        ["coverage", "--osm", str(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf")),
         "--aeds", str(bad), "--demand", "network"],
        tmp_path,
    )
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") <= 3
    assert not out.exists() or not any(out.iterdir())


def test_help_has_examples():
    result = CliRunner().invoke(main, ["plan", "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and "--target-coverage" in result.output
    assert "OpenStreetMap contributors" in result.output


def test_real_subprocess(tmp_path):
    out = tmp_path / "sub"
    proc = subprocess.run(
        [sys.executable, "-m", "aedplan.cli", "coverage", "--demand", "network", "--out",
         str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "report.json").read_text())
    lines = proc.stdout.splitlines()
    assert lines[0] == (f"network: {report['network']['nodes']:,} nodes, "
                        f"{report['network']['edges']:,} edges ({report['network']['source']})")
    assert any(line.startswith("existing AEDs: 75 (") for line in lines)
    assert lines[-1] == "map data © OpenStreetMap contributors"
    assert "embedded default" in proc.stderr  # said to the user, not in the summary
    bad = subprocess.run(
        [sys.executable, "-m", "aedplan.cli", "plan", "--osm", "nowhere.osm.pbf", "--quiet"],
        capture_output=True, text=True, timeout=120,
    )
    assert bad.returncode == 2
    assert bad.stderr.strip().count("\n") == 0 and "file not found" in bad.stderr


def test_osm_must_be_a_file_never_a_place(tmp_path):
    result = CliRunner().invoke(main, ["plan", "--osm", "/etc/hostname.txt", "--quiet"])
    assert result.exit_code == 2
    assert "`--osm`: file not found" in result.output


def test_report_has_the_coverage_curve(tmp_path):
    result, out = run_cli(["plan", "--budget", "3"], tmp_path)
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    curve = report["plan"]["curve"]
    assert curve["new_sites"][:4] == [0, 1, 2, 3]
    cov = curve["coverage"]
    assert cov == sorted(cov)  # more AEDs never cover less
    # the default's AEDs have hours: the plan and its curve count round the clock
    assert report["plan"]["optimised_for"] == "hours" and curve["round_the_clock"]
    assert curve["counts"].startswith("round the clock")
    assert cov[0] == pytest.approx(report["hours"]["before"]["round_the_clock"], abs=1e-6)
    # the exact plan is within its gap of the optimum, which the greedy curve cannot beat
    gap = report["params"]["mip_rel_gap"]
    assert report["plan"]["round_the_clock"] >= cov[3] * (1 - gap) - 1e-6


def test_the_gap_is_asked_for_recorded_and_kept(tmp_path):
    """--gap reaches the solver: the report records it (0.01% by default), a plan stops
    within it, and --gap 0 proves optimality; the steps' timings name the circles."""
    osm = str(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf"))
    result, out = run_cli(["plan", "--osm", osm, "--budget", "3"], tmp_path / "a")
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    assert report["params"]["mip_rel_gap"] == pytest.approx(1e-4)
    assert report["plan"]["gap"] <= 1e-4
    assert {"reach", "circles", "optimise"} <= set(report["timings_s"])
    result, out = run_cli(["plan", "--osm", osm, "--budget", "3", "--gap", "0"], tmp_path / "b")
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    assert report["params"]["mip_rel_gap"] == 0.0 and report["plan"]["status"] == "optimal"
    result, _ = run_cli(["plan", "--osm", osm, "--budget", "3", "--gap", "-1"], tmp_path / "c")
    assert result.exit_code == 2 and "--gap" in result.output


def test_public_only_leaves_out_restricted_aeds(tmp_path):
    osm = str(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf"))
    result, out = run_cli(["coverage", "--osm", osm, "--demand", "network"], tmp_path / "a")
    assert result.exit_code == 0, result.output
    everyone = json.loads((out / "report.json").read_text())
    result, out = run_cli(["coverage", "--osm", osm, "--demand", "network", "--public-only"],
                          tmp_path / "b")
    assert result.exit_code == 0, result.output
    public = json.loads((out / "report.json").read_text())
    restricted = everyone["existing"]["restricted_access"]
    assert restricted > 0
    assert public["existing"]["aeds"] == everyone["existing"]["aeds"] - restricted
    assert public["existing"]["restricted_access"] == 0
    assert public["existing"]["coverage"] <= everyone["existing"]["coverage"]
    assert any("`aeds.public_only`" in n for n in public["notes"])  # the scenario's key


def test_missing_input_files_are_reported_before_any_work(tmp_path):
    for option, extra in (("--aeds", []), ("--demand", []), ("--candidates", [])):
        result = CliRunner().invoke(
            main, ["plan", option, str(tmp_path / "nope.csv"), *extra, "--quiet",
                   "--out", str(tmp_path / "out")])
        assert result.exit_code == 2, option
        assert f"`{option}`: file not found" in result.output
        assert not (tmp_path / "out").exists()


def test_place_name_end_to_end_with_recorded_osm(tmp_path, monkeypatch):
    """`--place` through osmnx, answered from local OSM files instead of the internet."""
    import osmnx as ox
    import pandas as pd

    from aedplan import _osm

    pbf = data_path("osm", "vaduz-centre-2024-03-03.osm.pbf")
    graph = ox.graph_from_xml(data_path("osm", "vaduz-centre.network.osm.bz2"))

    def features(tags):
        pairs = [(k, v) for k, vs in tags.items() if vs is not True
                 for v in ([vs] if isinstance(vs, str) else vs)]
        table = (_osm.read_features(pbf, tags=pairs, keep=[*tags, "name", "opening_hours"])
                 if pairs else _osm.read_features(pbf, key=next(iter(tags)),
                                                  keep=[*tags, "name", "building:levels"]))
        index = pd.MultiIndex.from_arrays([table.osm_type, table.osm_id], names=["element", "id"])
        return gpd.GeoDataFrame(table.tags.set_index(index), geometry=list(table.geometry),
                                crs="EPSG:4326")

    monkeypatch.setattr(ox, "graph_from_place", lambda query, **kw: graph)
    monkeypatch.setattr(ox, "features_from_place", lambda query, tags, **kw: features(tags))
    result, out = run_cli(["plan", "--place", "Vaduz, Liechtenstein", "--budget", "3"],
                          tmp_path)
    assert result.exit_code == 0, result.output
    report, _ = check_outputs(out, expect_plan=True)
    assert report["existing"]["aeds"] == 33  # the AEDs of the Vaduz-centre crop
    assert report["demand"]["points"] > 1000
    assert report["plan"]["new_sites"] == 3 and report["plan"]["candidates"] > 10
    assert "osmnx: Vaduz, Liechtenstein" in report["network"]["source"]


def test_keep_disconnected_and_greedy_solver(tmp_path):
    osm = str(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf"))
    base = ["plan", "--osm", osm, "--demand", "network", "--candidates", "nodes", "--budget", "4"]
    result, out = run_cli(base, tmp_path / "a")
    assert result.exit_code == 0, result.output
    main_part = json.loads((out / "report.json").read_text())
    result, out = run_cli([*base, "--keep-disconnected", "--solver", "greedy"], tmp_path / "b")
    assert result.exit_code == 0, result.output
    everything = json.loads((out / "report.json").read_text())
    dropped = main_part["network"]["dropped_nodes"]
    assert dropped > 0 and everything["network"]["dropped_nodes"] == 0
    assert everything["network"]["nodes"] == main_part["network"]["nodes"] + dropped
    assert everything["plan"]["solver"] == "greedy"
    assert everything["plan"]["status"] in {"heuristic", "optimal"}
    assert everything["plan"]["bound"] >= everything["plan"]["objective"] - 1e-9


def test_messages_name_the_options_typed():
    from aedplan.cli import _cli_words

    assert _cli_words("`osm`: file not found") == "`--osm`: file not found"
    assert _cli_words("use `demand='network'`.") == "use `--demand network`."
    assert _cli_words("(pass `largest_component=False` to keep them)") == (
        "(pass `--keep-disconnected` to keep them)")
    assert _cli_words("left out 3 AEDs (`public_only`)") == "left out 3 AEDs (`--public-only`)"
    assert _cli_words("`speed_m_s` is 5 m/s") == "`--speed` is 5 m/s"
    assert _cli_words("`weights` must be finite") == "`weights` must be finite"


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    """A log file gets the summary and warnings, not a bar redrawn with carriage returns."""
    done = subprocess.run(
        [sys.executable, "-m", "aedplan.cli", "coverage", "--osm",
         str(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf")),
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stderr and "█" not in done.stderr
    assert "coverage" in done.stdout


@pytest.mark.parametrize(
    ("flag", "value"),
    [("--week", "2024-03-05"), ("--country", "XX"), ("--arrest-profile", "nightly")],
)
def test_bad_hours_flags_are_told_before_the_network_loads(tmp_path, flag, value):
    osm = data_path("osm", "vaduz-centre-2024-03-03.osm.pbf")  # loading it warns
    result, out = run_cli(["plan", "--osm", str(osm), flag, value], tmp_path)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [result.output.strip()]  # no warnings first
    assert f"`{flag}`" in result.output and not out.exists()


def flat(value, path=""):
    """A JSON document as {"a.b.0": leaf}."""
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in flat(item, f"{path}.{key}").items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in flat(item, f"{path}.{i}").items()}
    return {path: value}


def test_the_whole_run_in_chinese(tmp_path):
    """`--lang zh`: the terminal summary, the map, the charts and the sentences of
    report.json in Chinese; report.json records the language; its keys and numbers are
    those of the English run."""
    osm = str(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf"))
    runs = {}
    for lang in ("zh", "en"):
        out = tmp_path / lang
        result = CliRunner().invoke(main, ["plan", "--osm", osm, "--budget", "3", "--lang",
                                           lang, "--public-only", "--out", str(out)])
        assert result.exit_code == 0, result.output
        runs[lang] = (result.output, json.loads((out / "report.json").read_text()), out)
    text, report, out = runs["zh"]
    assert "规划：从" in text and "现有AED：" in text and "全天覆盖率" in text
    assert report["params"]["lang"] == "zh" and runs["en"][1]["params"]["lang"] == "en"
    assert report["plan"]["coverage"] == runs["en"][1]["plan"]["coverage"]
    assert "图例" in (out / "map.html").read_text()
    assert "建筑，权重为楼面面积" in (out / "map.html").read_text()
    assert "buildings, weighted by floor area" in (tmp_path / "en" / "map.html").read_text()
    # the sentences of report.json in Chinese, everything else as in English
    assert report["demand"]["weight"].startswith("楼面面积")
    assert "全天开放" in report["existing"]["counted_as"]
    assert report["plan"]["curve"]["method"].startswith("贪心法")
    assert report["notes"][0].startswith("未计入6台公众不能使用的AED")
    assert "note: 未计入6台" in text
    zh, en = flat(report), flat(runs["en"][1])
    assert zh.keys() == en.keys()
    said = {".demand.weight", ".existing.counted_as", ".plan.curve.method",
            ".plan.curve.counts", ".notes.0", ".notes.1",
            ".params.lang"}
    assert report["notes"][1].startswith("warning: 只保留了街道网络中最大的连通部分")
    differ = {k for k in zh if zh[k] != en[k] and not k.startswith(".timings_s")
              and ".solve_s." not in k}
    assert differ == said


def test_a_scenario_files_keys_are_named_as_the_file_names_them(tmp_path):
    """A run from a scenario file names its keys (`aeds.source`), as the user wrote them;
    a flag given on the command line is named as a flag (`--aeds`)."""
    scenario = tmp_path / "scenario.toml"
    scenario.write_text(f"[aeds]\nsource = '{(tmp_path / 'missing.csv').as_posix()}'\n",
                        encoding="utf-8")
    from_file = CliRunner().invoke(main, ["plan", str(scenario), "--budget", "1",
                                          "--out", str(tmp_path / "a")])
    assert from_file.exit_code == 2
    assert "aedplan: error: `aeds.source`: file not found" in from_file.output
    good = tmp_path / "good.toml"
    good.write_text("[goal]\nbudget = 1\n", encoding="utf-8")
    warned = CliRunner().invoke(main, ["plan", str(good), "--out", str(tmp_path / "c"), "-q"])
    assert warned.exit_code == 0, warned.output  # the embedded default's own warning:
    assert "pass `area.keep_disconnected=true` to keep them" in warned.output
    assert "`--keep-disconnected`" not in warned.output
    flagged = CliRunner().invoke(main, ["plan", str(scenario), "--aeds",
                                        str(tmp_path / "gone.csv"), "--out", str(tmp_path / "b")])
    assert flagged.exit_code == 2 and "aedplan: error: `--aeds`: file not found" in flagged.output
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
