"""The overview map of a run too big for one page of streets and circles: the real
embedded Vaduz+Schaan extract, cut into squares of 1 km."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import aedplan
from aedplan import layers


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    out = tmp_path_factory.mktemp("overview")
    scenario = aedplan.Scenario.from_dict({
        "goal": {"budget": 5}, "cluster": {"tile_km": 1.0},
        "output": {"map": "overview", "tiles": "none", "out": str(out)}})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return aedplan.run(scenario), out


def test_the_squares_add_up_to_the_run(planned):
    """Every demand point falls in one square: the squares' weights, covered weights and
    AEDs sum to the run's."""
    run, _ = planned
    table = layers.overview_layers(run, 1.0).districts
    r = run.report
    assert table["weight"].sum() == pytest.approx(r["demand"]["total_weight"], rel=1e-12)
    for when, share in (("before", r["existing"]["coverage"]),
                        ("after", r["plan"]["coverage"])):
        covered = (table["weight"] * table[f"coverage_{when}"]).sum()
        assert covered / table["weight"].sum() == pytest.approx(share, rel=1e-9)
    assert table["aeds_before"].sum() == r["existing"]["aeds"] == 75
    assert table["aeds_after"].sum() == 75 + 5
    assert table["name"].is_unique and (table["demand_points"] > 0).all()
    # 1 km squares, named by column letter and row from the north
    assert np.allclose(table.geometry.area, 1e6)
    north = table.geometry.bounds["maxy"].max()
    assert set(table.loc[table.geometry.bounds["maxy"] == north, "name"].str[1:]) == {"1"}


def test_the_written_map_is_the_overview(planned):
    """map.html draws the squares by coverage, the AEDs and new sites; no streets, no
    circles, no gaps and no search; it is a fraction of the full page."""
    run, out = planned
    html = (out / "map.html").read_text(encoding="utf-8")
    assert "Districts: coverage" in html and '"B6"' in html
    assert "Streets" not in html and "Rescue circles" not in html
    assert "aedplanNearest" not in html
    from aedplan.render import page_html, render_map

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full = page_html(render_map(run, tiles="none"))
    assert len(html) < len(full) / 3


def test_auto_turns_to_the_overview_above_the_edges(planned, monkeypatch):
    run, _ = planned
    assert not layers.overview(run, "auto") and layers.overview(run, "overview")
    monkeypatch.setattr(layers, "OVERVIEW_EDGES", run.net.n_edges - 1)
    assert layers.overview(run, "auto") and not layers.overview(run, "full")
