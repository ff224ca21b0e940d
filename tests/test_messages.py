"""Messages name what the user gave: on the command line its flag, in Python its
parameter; warnings point at the caller's own line; a tie is called a tie.

The arrests here are made up, around the real Vaduz centre sample in `data/`."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import aedplan
from aedplan.cli import _cli_words, main
from aedplan.errors import AedplanWarning

from .conftest import SAMPLES

VADUZ = SAMPLES / "vaduz-centre-2024-03-03.osm.pbf"


def made_up_arrests(path, far=0):
    """40 made-up arrests around Vaduz centre over two years, the first ``far`` of them
    6 km east (in fields, far from every street of the sample)."""
    rng = np.random.default_rng(7)
    lon, lat = 9.521 + rng.normal(0, 0.002, 40), 47.139 + rng.normal(0, 0.002, 40)
    lon[:far] = 9.60
    times = pd.date_range("2022-01-01", "2023-12-31", 40).strftime("%Y-%m-%d %H:%M")
    pd.DataFrame({"lon": lon, "lat": lat, "time": times}).to_csv(path, index=False)
    return path


def test_validate_names_the_arrests_and_states_the_time_model(tmp_path):
    """Arrests far from the streets are the arrests (`--arrests`), not a `--demand` the
    command does not have; `--mode` and `--speed` set the time model."""
    arrests = made_up_arrests(tmp_path / "arrests.csv", far=3)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "validate", "--osm", str(VADUZ), "--arrests", str(arrests), "--time-col", "time",
        "--folds", "2", "--budgets", "1", "--models", "arrests,network", "--mode", "one-way",
        "--speed", "2.0", "--minutes", "2", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    said = [line for line in result.output.splitlines() if line.startswith("aedplan: warn")]
    assert said == ["aedplan: warning: `--arrests`: 3 of 40 points are more than 200 m from "
                    "any street and are left out of coverage (ids 0, 1, 2)."]
    params = json.loads((out / "validation.json").read_text())["params"]
    assert params["mode"] == "one-way" and params["speed_m_s"] == 2.0
    assert params["reach_m"] == pytest.approx(240.0)  # 2 m/s x 120 s, one way


def test_the_reading_options_reach_the_arrests(tmp_path):
    """Arrests in metres (UTM 32N) with their own column names: `--crs`, `--lon-col` and
    `--lat-col` read them as `plan` reads its files."""
    from pyproj import Transformer

    path = made_up_arrests(tmp_path / "lonlat.csv")
    table = pd.read_csv(path)
    east, north = Transformer.from_crs(4326, 32632, always_xy=True).transform(
        table["lon"], table["lat"])
    pd.DataFrame({"E": east, "N": north, "time": table["time"]}).to_csv(
        tmp_path / "metres.csv", index=False)
    runs = {}
    for name, extra in (("lonlat", []), ("metres", ["--crs", "EPSG:32632", "--lon-col", "E",
                                                    "--lat-col", "N"])):
        out = tmp_path / f"out-{name}"
        result = CliRunner().invoke(main, [
            "validate", "--osm", str(VADUZ), "--arrests", str(tmp_path / f"{name}.csv"),
            "--time-col", "time", "--folds", "2", "--budgets", "1", "--models", "arrests",
            "--out", str(out), "--quiet", *extra])
        assert result.exit_code == 0, result.output
        runs[name] = pd.read_csv(out / "validation.csv")
    pd.testing.assert_frame_equal(runs["lonlat"], runs["metres"])


def _row(model, covered, best=False, beyond=False, n=60):
    return {"model": model, "covered": covered, "share": covered / n, "wilson_low": 0.2,
            "wilson_high": 0.5, "best": best, "beyond_chance": beyond}


def test_a_tie_is_called_a_tie():
    from aedplan.validate import verdict

    three = [_row("arrests", 22, best=True), _row("buildings", 22), _row("network", 22),
             _row("blend", 15, beyond=True)]
    assert verdict(three, 5, 60) == (
        "5 new AEDs: arrests, buildings and network tie, each covering 22 of 60 held-out "
        "arrests (36.7%, 95% CI 20.0%-50.0%); blend: behind them beyond chance.")
    one = [_row("arrests", 22, best=True), _row("network", 21)]
    assert verdict(one, 5, 60) == (
        "5 new AEDs: arrests covers most held-out arrests, 22 of 60 (36.7%, 95% CI "
        "20.0%-50.0%); network: behind it by no more than chance (paired bootstrap and sign "
        "test), so the data cannot tell the two apart.")


def test_advice_is_what_the_command_line_can_follow():
    assert _cli_words("`source`: x.csv ...; pass `crs='EPSG:...'` with the CRS they are "
                      "in") == "`source`: x.csv ...; pass `--crs EPSG:...` with the CRS they are in"
    assert _cli_words("`aeds`: a.gpkg has 2 layers (a, b); pass `layer` to choose one.") == (
        "`--aeds`: a.gpkg has 2 layers (a, b); save the layer you want as a file of its own "
        "(e.g. `ogr2ogr aeds.gpkg FILE LAYER`) and give that.")
    assert "set_crs" not in _cli_words(
        "`osm`: the street lines have no CRS; set one with `gdf.set_crs(...)`.")


@pytest.mark.parametrize("call", [
    lambda: aedplan.load_network(VADUZ),  # drops a disconnected part, and says so
    lambda: aedplan.run(aedplan.Scenario().replace({"area.osm": VADUZ,
                                                    "goal.optimise": False})),
    # the embedded default's AEDs: access words and hours written as text, said by the
    # hours' reader deep inside the run
    lambda: aedplan.run(aedplan.Scenario().replace({"goal.budget": 2})),
], ids=["load_network", "run", "run-with-hours"])
def test_warnings_point_at_the_callers_line(call):
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        call()
    ours = [w for w in said if issubclass(w.category, AedplanWarning)]
    assert ours and {w.filename for w in ours} == {__file__}


def test_a_steps_error_is_not_masked_by_the_warnings_recorded_before_it():
    """A run that fails shows its error, even where the caller turns warnings into
    errors: the warnings recorded before it are warned again only as far as they can."""
    import warnings

    import pytest

    from aedplan._notes import recording
    from aedplan.errors import InputError

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(InputError, match="the step's own error"), recording():
            warnings.warn("a library's remark", RuntimeWarning, stacklevel=1)
            raise InputError("the step's own error")
        with pytest.raises(RuntimeWarning, match="a library's remark"), recording():
            warnings.warn("a library's remark", RuntimeWarning, stacklevel=1)


def test_an_unproven_count_says_how_many_are_proven_needed():
    """The fewest AEDs for a target, stopped before the proof: the terminal says the count
    proven needed instead of a gap in percent, in English and Chinese; proven, as before."""
    from aedplan.report import summary_lines

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = aedplan.run(aedplan.Scenario().replace({"goal.target_coverage": 0.3}))
    proven = [line for line in summary_lines(run.report, {}, []) if line.startswith("plan:")]
    assert "(exact, optimal, gap 0.00%)" in proven[0]
    plan = {**run.report["plan"], "status": "time_limit",
            "bound": run.report["plan"]["new_sites"] - 3.2, "gap": 0.08}
    open_count = {**run.report, "plan": plan}
    line = next(x for x in summary_lines(open_count, {}, []) if x.startswith("plan:"))
    n = run.report["plan"]["new_sites"]
    assert line.startswith(f"plan: {n} new AEDs from")
    assert f"(exact, time_limit, at least {n - 3} needed)" in line, line
    zh = {**open_count, "params": {**run.report["params"], "lang": "zh"}}
    said = [x for x in summary_lines(zh, {}, []) if "至少需要" in x]
    assert said and f"至少需要{n - 3}台" in said[0], summary_lines(zh, {}, [])
