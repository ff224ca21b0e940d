"""Validation on hand-made cases where the winner is known, the bandwidth search on a
synthetic surface, and the command's files and errors. Every arrest here is made up in
the test (documented where it is made): no real arrest data ships with aedplan."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from aedplan.errors import AedplanError
from aedplan.holdout import paired, wilson
from aedplan.smoothing import choose_bandwidth, density_at
from aedplan.validate import validate_plans

from .conftest import LAT0, LON0, write_osm

#: 1e-4 degrees of longitude here, in metres
M_PER_DLON = 7.57


def write_street(path, extra=None):
    """A straight footway of 2 km (nodes every ~76 m) with three side streets of about
    110 m near its east end (most street length there), written as a tiny OSM file with
    the ``extra`` nodes."""
    nodes = {i + 1: (LON0 + i * 1e-3, LAT0, {}) for i in range(27)}
    ways = {1: (list(range(1, 28)), {"highway": "footway"})}
    for k, at in enumerate((23, 24, 25)):  # north from nodes 23-25 (~1.7-1.8 km east)
        nodes[100 + k] = (LON0 + (at - 1) * 1e-3, LAT0 + 1e-3, {})
        ways[10 + k] = ([at, 100 + k], {"highway": "footway"})
    return write_osm(path, {**nodes, **(extra or {})}, ways)


@pytest.fixture(scope="module")
def street(tmp_path_factory):
    return write_street(tmp_path_factory.mktemp("osm") / "street.osm")


def arrests_near(x_m: list[float], times: list[str]) -> pd.DataFrame:
    """Made-up arrests on the street, ``x_m`` metres from its west end."""
    return pd.DataFrame({"lon": [LON0 + x / M_PER_DLON * 1e-4 for x in x_m],
                         "lat": [LAT0] * len(x_m), "time": pd.to_datetime(times)})


def test_the_model_fitted_to_where_arrests_happen_wins_beyond_chance(street):
    # arrests happen only at the west end (within 40 m of x = 100 m), in both years; the
    # street-length model puts its one AED mid-street (1 km away) and covers none
    train = arrests_near([90, 100, 110, 95, 105, 120],
                         [f"2022-0{m}-10 14:00" for m in range(1, 7)])
    test = arrests_near([80, 100, 115, 90, 105, 130, 100, 95],
                        [f"2023-0{m}-10 03:00" for m in range(1, 9)])
    v = validate_plans(pd.concat([train, test], ignore_index=True), time_col="time",
                       osm=street, train_until="2022-12-31", budgets=[1],
                       models=["arrests", "network"], aeds="none", candidates="nodes")
    t = v.table.set_index(["model", "budget"])
    assert t.loc[("today", 0), "covered"] == 0
    assert t.loc[("arrests", 1), "covered"] == 8 and t.loc[("network", 1), "covered"] == 0
    assert t.loc[("arrests", 1), "best"] and t.loc[("arrests", 1), "optimism"] == 0
    net = t.loc[("network", 1)]
    assert net["behind_best"] == 8 and net["beyond_chance"]
    assert net["p_value"] == pytest.approx(2 * 0.5 ** 8)
    scipy_ci = binomtest(0, 8).proportion_ci(method="wilson")
    assert (net["wilson_low"], net["wilson_high"]) == pytest.approx(
        (scipy_ci.low, scipy_ci.high), rel=1e-12, abs=1e-12)
    assert v.verdicts[1].startswith("1 new AEDs: arrests covers most held-out arrests, 8 of 8")
    assert "network: behind it beyond chance" in v.verdicts[1]


def test_hours_the_training_day_and_optimism(tmp_path):
    """Today's AED, open Mo-Fr 08:00-18:00, stands 1 km along the street (made up, as the
    arrests). The arrests up to 2022-12-30 (a Friday) train, that day's own included: 7,
    all near x = 100 m, far from today's AED. Held out: 4 near x = 100 m, and 4 at the AED,
    2 on a Wednesday afternoon (it is open) and 2 on a Sunday night (it is closed)."""
    aed = {900: (LON0 + 1000 / M_PER_DLON * 1e-4, LAT0,
                 {"emergency": "defibrillator", "opening_hours": "Mo-Fr 08:00-18:00"})}
    osm = write_street(tmp_path / "street.osm", aed)
    train = arrests_near([90, 100, 110, 95, 105, 120, 100],
                         [f"2022-0{m}-10 14:00" for m in range(1, 7)] + ["2022-12-30 14:00"])
    test = arrests_near([80, 100, 115, 90, 1000, 1000, 1000, 1000],
                        [f"2023-0{m}-10 09:00" for m in range(1, 5)]
                        + ["2023-01-04 14:00", "2023-02-01 15:00",  # Wednesdays
                           "2023-01-08 03:00", "2023-02-05 02:00"])  # Sundays
    v = validate_plans(pd.concat([train, test], ignore_index=True), time_col="time",
                       osm=osm, train_until="2022-12-30", budgets=[1], models=["arrests"],
                       aeds="osm", candidates="nodes")
    assert v.report["held_out"] == 8
    t = v.table.set_index(["model", "budget"])
    # today's AED: 2 of the 8 held out (open on Wednesdays only); 0 of the 7 that train
    assert t.loc[("today", 0), "covered"] == 2 and t.loc[("today", 0), "in_sample"] == 0
    # one new AED by the 7 training arrests covers them all, and 4 more held out
    new = t.loc[("arrests", 1)]
    assert new["covered"] == 6 and new["in_sample"] == 1.0
    # its gain over today: 7/7 on the training arrests, 4/8 on held-out ones; fitting
    # to past arrests overstated it by 1 - 0.5
    assert new["gain"] == 0.5 and new["optimism"] == 0.5


def test_folds_hold_out_every_arrest_once(street):
    # the same arrests, half in each of two blocks of time: every one is scored once
    x = [90, 100, 110, 95, 105, 120, 1000, 1010]
    times = pd.date_range("2022-01-01", periods=8, freq="30D").astype(str).tolist()
    v = validate_plans(arrests_near(x, times), time_col="time", osm=street, folds=2,
                       budgets=[1], models=["arrests"], aeds="none", candidates="nodes")
    assert v.report["held_out"] == 8
    assert set(v.table["held_out"]) == {8}
    # first block (west) trains an AED that misses the east arrests of the second, and
    # the other way round: 4 + 2 held-out arrests covered
    row = v.table[v.table["model"] == "arrests"].iloc[0]
    assert row["covered"] == 4 + 2


def test_when_the_data_cannot_tell_the_verdict_says_so():
    # 10 arrests: one plan covers 6, the other 5, with 3 and 2 of its own
    a = np.array([1, 1, 1, 1, 1, 1, 0, 0, 0, 0], bool)
    b = np.array([1, 1, 1, 0, 0, 0, 1, 1, 0, 0], bool)
    r = paired(a, b)
    assert (r["difference"], r["a_only"], r["b_only"]) == (1, 3, 2)
    assert not r["beyond_chance"] and r["interval"][0] < 0 < r["interval"][1]
    assert r["p_value"] == pytest.approx(1.0)


def test_beyond_chance_needs_the_interval_and_the_sign_test_to_agree():
    # 8 arrests: one plan covers 6, the other 1 of them (5 and 0 of their own). Every
    # bootstrap resample but a few in ten thousand favours the first, so the interval
    # excludes 0; yet the sign test's p is 2 * 0.5**5 = 0.0625: not beyond chance
    a = np.array([1, 1, 1, 1, 1, 1, 0, 0], bool)
    b = np.array([0, 0, 0, 0, 0, 1, 0, 0], bool)
    r = paired(a, b)
    assert r["interval"][0] > 0 and r["p_value"] == pytest.approx(0.0625)
    assert not r["beyond_chance"]
    # one more arrest only the first covers: p = 2 * 0.5**6 = 0.03125, and both agree
    r = paired(np.r_[a, True], np.r_[b, False])
    assert r["interval"][0] > 0 and r["p_value"] == pytest.approx(0.03125)
    assert r["beyond_chance"]


@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
@pytest.mark.parametrize("n", [1, 2, 7, 8, 10, 33, 1000])
def test_the_wilson_interval_is_scipys(n, level):
    for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
        ci = binomtest(k, n).proportion_ci(confidence_level=level, method="wilson")
        assert wilson(k, n, level) == pytest.approx((ci.low, ci.high), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("sigma", [100.0, 400.0])
def test_the_bandwidth_search_finds_the_scale_of_a_synthetic_surface(sigma):
    # arrests made up from a 2-D Gaussian of sd sigma: the cross-validated bandwidth lies
    # near the normal reference rule sigma * n^(-1/6), and grows with sigma
    rng = np.random.default_rng(3)
    n = 400
    xy = rng.normal(0, sigma, size=(n, 2))
    chosen = choose_bandwidth(xy)
    rule = sigma * n ** (-1 / 6)
    assert 0.6 * rule <= chosen.h_m <= 1.7 * rule
    assert chosen.loglik.argmax() == np.flatnonzero(chosen.tried_m == chosen.h_m)[0]
    # the density integrates to 1 over the plane (a fine grid)
    g = np.linspace(-6 * sigma, 6 * sigma, 241)
    gx, gy = np.meshgrid(g, g)
    f = density_at(xy, np.column_stack([gx.ravel(), gy.ravel()]), chosen.h_m)
    assert f.sum() * (g[1] - g[0]) ** 2 == pytest.approx(1.0, abs=0.01)


def test_two_clusters_get_a_narrower_bandwidth_than_one_wide_cloud():
    rng = np.random.default_rng(4)
    wide = rng.normal(0, 800, size=(300, 2))
    tight = np.r_[rng.normal(0, 60, size=(150, 2)), rng.normal(1500, 60, size=(150, 2))]
    assert choose_bandwidth(tight).h_m < choose_bandwidth(wide).h_m / 3


def test_bad_arrests_say_what_is_wrong(street):
    good = arrests_near([100, 110, 120, 130], ["2022-01-01", "2022-02-01", "2023-01-01",
                                               "2023-02-01"])
    with pytest.raises(AedplanError, match="`time_col`: the arrests have no column of times "
                                           "named 'when'"):
        validate_plans(good, time_col="when", osm=street, train_until="2022-12-31",
                       aeds="none", candidates="nodes", models=["arrests"])
    bad = good.assign(time=["2022-01-01", "soon", "2023-01-01", "2023-02-01"])
    with pytest.raises(AedplanError, match="1 times cannot be read as dates"):
        validate_plans(bad, time_col="time", osm=street, train_until="2022-12-31",
                       aeds="none", candidates="nodes", models=["arrests"])
    with pytest.raises(AedplanError, match="`train_until`: 4 arrests up to it and 0 after"):
        validate_plans(good, time_col="time", osm=street, train_until="2024-01-01",
                       aeds="none", candidates="nodes", models=["arrests"])
    with pytest.raises(AedplanError, match="`models`: unknown"):
        validate_plans(good, time_col="time", osm=street, folds=2, models=["gut"])
    with pytest.raises(AedplanError, match="`population`: file not found"):
        validate_plans(good, time_col="time", osm=street, folds=2, population="nope.tif",
                       models=["arrests", "population"])
    with pytest.raises(AedplanError, match="`osm`: file not found"):
        validate_plans(good, time_col="time", osm="nope.osm.pbf", folds=2)


def test_the_command_writes_its_files_and_says_the_verdict(street, tmp_path):
    made_up = arrests_near([90, 100, 110, 95, 105, 120, 100, 95],
                           [f"202{2 + m // 4}-0{1 + m % 4}-10" for m in range(8)])
    made_up.to_csv(tmp_path / "arrests.csv", index=False)
    out = tmp_path / "validation"
    done = subprocess.run([sys.executable, "-m", "aedplan", "validate", "--osm", str(street),
                           "--arrests", str(tmp_path / "arrests.csv"), "--time-col", "time",
                           "--train-until", "2022-12-31", "--budgets", "1",
                           "--models", "arrests,network", "--aeds", "none",
                           "--candidates", "nodes", "--out", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "validation.csv", "validation.json", "validation.png"]
    report = json.loads((out / "validation.json").read_text())
    assert report["held_out"] == 4 and "1" in report["verdicts"]
    assert "arrests covers most held-out arrests" in done.stdout
    failed = subprocess.run([sys.executable, "-m", "aedplan", "validate", "--osm", str(street),
                             "--arrests", str(tmp_path / "arrests.csv"), "--time-col", "t",
                             "--folds", "2", "--out", str(tmp_path / "again")],
                            capture_output=True, text=True)
    assert failed.returncode == 2
    assert failed.stderr.startswith("aedplan: error: `--time-col`")
    assert not (tmp_path / "again").exists()
    # a Chinese-speaking researcher's run: summary, verdict and error in Chinese
    chinese = subprocess.run([sys.executable, "-m", "aedplan", "validate", "--osm", str(street),
                              "--arrests", str(tmp_path / "arrests.csv"), "--time-col", "time",
                              "--train-until", "2022-12-31", "--budgets", "1",
                              "--models", "arrests,network", "--aeds", "none",
                              "--candidates", "nodes", "--lang", "zh",
                              "--out", str(tmp_path / "zh")], capture_output=True, text=True)
    assert chinese.returncode == 0, chinese.stderr
    assert "心脏骤停：8例（2022-01-10至2023-04-10）；留出：4例" in chinese.stdout
    assert "新增1台AED：心脏骤停点位覆盖的留出心脏骤停最多" in chinese.stdout
    assert "地图数据 © OpenStreetMap" in chinese.stdout
    assert "covers most" not in chinese.stdout
    failed = subprocess.run([sys.executable, "-m", "aedplan", "validate", "--osm", str(street),
                             "--arrests", str(tmp_path / "arrests.csv"), "--time-col", "t",
                             "--folds", "2", "--lang", "zh", "--out", str(tmp_path / "again")],
                            capture_output=True, text=True)
    assert failed.returncode == 2
    assert failed.stderr.startswith("aedplan: error: `--time-col`：")


def test_plan_on_smoothed_arrests(tmp_path):
    """``--demand arrests-smoothed``: points along the streets weighted by the density of
    made-up arrests (a cluster in Vaduz centre), summing to the number of arrests; the
    plan's new AEDs go where the arrests were."""
    import aedplan

    from .conftest import data_path

    osm = data_path("osm", "vaduz-centre-2024-03-03.osm.pbf")
    rng = np.random.default_rng(5)
    made_up = pd.DataFrame({"lon": 9.5215 + rng.normal(0, 0.0008, 30),
                            "lat": 47.1395 + rng.normal(0, 0.0005, 30)})
    made_up.to_csv(tmp_path / "arrests.csv", index=False)
    with warnings.catch_warnings():  # the real extract's own (a disconnected part)
        warnings.simplefilter("ignore", aedplan.AedplanWarning)
        run = aedplan.run(aedplan.Scenario().replace({
            "area.osm": osm, "demand.source": "arrests-smoothed",
            "demand.arrests": tmp_path / "arrests.csv", "aeds.source": "none",
            "candidates.source": "nodes", "goal.budget": 1}))
    assert run.report["demand"]["kind"] == "arrests-smoothed"
    assert run.report["demand"]["total_weight"] == pytest.approx(30.0)
    assert any("bandwidth" in n and "cross-validation" in n for n in run.report["notes"])
    assert run.report["area"]["inputs"]["arrests"] == {"given": 30, "outside_area": 0,
                                                       "off_street": 0, "used": 30}
    site = run.site_plan.proposed.to_crs(4326).geometry.iloc[0]
    assert abs(site.x - 9.5215) < 0.003 and abs(site.y - 47.1395) < 0.002
    with pytest.raises(AedplanError, match=r"pass `demand\.arrests`"), warnings.catch_warnings():
        warnings.simplefilter("ignore", aedplan.AedplanWarning)
        aedplan.run(aedplan.Scenario().replace({
            "area.osm": osm, "demand.source": "arrests-smoothed", "goal.budget": 1}))


def test_validation_files_replace_an_earlier_run_only_when_asked(tmp_path):
    from aedplan.outputs import write_validation
    from aedplan.validate import Validation

    table = pd.DataFrame({"model": ["today", "arrests"], "budget": [0, 1],
                          "share": [0.1, 0.2], "wilson_low": [0.05, 0.1],
                          "wilson_high": [0.2, 0.3]})
    v = Validation(table, {1: "made up"}, {"held_out": 10})
    out = tmp_path / "out"
    out.mkdir()
    (out / "map.html").write_text("an earlier plan's map")
    with pytest.raises(AedplanError, match="overwrite"):
        write_validation(out, v)
    written = write_validation(out, v, overwrite=True)
    assert sorted(written) == ["validation.csv", "validation.json", "validation.png"]
    assert sorted(p.name for p in out.iterdir()) == sorted(written)  # no two runs mixed
    assert json.loads((out / "validation.json").read_text()) == {"held_out": 10}


def test_the_commands_own_complaints_are_said_in_its_language(tmp_path):
    """No split or two, and budgets that are not numbers: one line, exit code 2, nothing
    written, in the language of `--lang`."""
    from click.testing import CliRunner

    from aedplan.cli import main

    base = ["validate", "--arrests", str(tmp_path / "a.csv"), "--time-col", "time",
            "--out", str(tmp_path / "out")]
    cases = [([], "give exactly one of `--train-until`", "请只给出 `--train-until`"),
             (["--folds", "2", "--budgets", "5,x"],
              "`--budgets` must be whole numbers separated by commas, got '5,x'",
              "`--budgets` 必须是以逗号分隔的整数，实际为 '5,x'")]
    for extra, english, chinese in cases:
        for lang, words in (("en", english), ("zh", chinese)):
            done = CliRunner().invoke(main, [*base, *extra, "--lang", lang])
            assert done.exit_code == 2 and words in done.output, done.output
    assert not (tmp_path / "out").exists()
