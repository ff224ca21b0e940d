"""One map per district (output.district_maps): each map is the run's map cut to its
district, quoting the district's own numbers, with an index; all or nothing, like every
output."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import geopandas as gpd
import pytest
import shapely

import aedplan
from aedplan.errors import InputError
from aedplan.network import load_network

pytestmark = pytest.mark.filterwarnings("ignore::aedplan.errors.AedplanWarning")


@pytest.fixture(scope="module")
def halves(tmp_path_factory):
    """Made-up districts for the test: the embedded Vaduz and Schaan cut in two halves
    (south and north) at the middle of its streets; the names test the file names."""
    net = load_network(aedplan.datasets.default_osm_path())
    x0, y0, x1, y1 = net.bounds()
    middle = (y0 + y1) / 2
    path = tmp_path_factory.mktemp("districts") / "halves.geojson"
    gpd.GeoDataFrame({"name": ["South / Vaduz", "北 Schaan"]}, crs=net.crs, geometry=[
        shapely.box(x0 - 500, y0 - 500, x1 + 500, middle),
        shapely.box(x0 - 500, middle, x1 + 500, y1 + 500)]).to_file(path)
    return path


@pytest.fixture(scope="module")
def run(halves, tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "out"
    scenario = aedplan.Scenario().replace({
        "goal.budget": 5, "area.districts": str(halves), "output.district_maps": True,
        "output.out": str(out)})
    return aedplan.run(scenario), out


def test_each_district_has_a_map_and_the_index_links_them(run):
    result, out = run
    folder = out / "district_maps"
    assert sorted(p.name for p in folder.iterdir()) == [
        "01-South_Vaduz.html", "02-北_Schaan.html", "index.html"]
    assert "district_maps" in result.files
    index = (folder / "index.html").read_text(encoding="utf-8")
    for name in ("01-South_Vaduz.html", "02-北_Schaan.html"):
        assert f'href="{name}"' in index
    assert "South / Vaduz" in index and "© OpenStreetMap contributors" in index


def test_a_district_map_quotes_the_districts_numbers_not_the_citys(run):
    """The panel's round-the-clock shares, its AEDs and new sites are the district's, as
    report.json's district table gives them; the city's week and curve are left out."""
    result, out = run
    city = result.report["hours"]
    for k, row in enumerate(result.report["districts"]["table"]):
        name = ["01-South_Vaduz.html", "02-北_Schaan.html"][k]
        page = (out / "district_maps" / name).read_text(encoding="utf-8")
        before, after = row["round_the_clock_before"], row["round_the_clock_after"]
        assert f"{before:.1%}" in page and f"{after:.1%}" in page
        assert f"{city['before']['round_the_clock']:.1%} covered today" not in page
        assert f"Existing AEDs: {row['aeds_before']}" in page
        assert f"<title>{row['name']}</title>" in page
        assert re.search(r"<script[^>]+src=\"https?:", page) is None  # works offline
    # the two districts' demand is the city's, and each map holds its own part of it
    total = sum(row["weight"] for row in result.report["districts"]["table"])
    assert total == pytest.approx(result.report["demand"]["total_weight"], rel=1e-9)


def test_the_map_of_a_district_holds_what_serves_it(run, halves):
    """Streets and uncovered demand in the district, every AED inside it, and the
    neighbours' AEDs whose circles reach into it."""
    from aedplan.layers import district_layers, from_run

    result, _ = run
    layers = from_run(result)
    table = result.frames["districts"]
    south = district_layers(layers, table.iloc[0])
    area = table.geometry.iloc[0]
    inside = layers.aeds.within(area)
    assert int(south.aeds.within(area).sum()) == int(inside.sum()) == table["aeds_before"].iloc[0]
    assert south.circles.intersects(area).all() and len(south.circles) < len(layers.circles)
    assert south.uncovered.intersects(area).all()
    assert south.summary.hourly_before is None and south.summary.curve_sites is None
    assert south.summary.demand_total == pytest.approx(table["weight"].iloc[0])


def test_district_maps_need_districts(tmp_path):
    with pytest.raises(InputError, match=r"`output\.district_maps` draws one map per "
                                         "district: give the districts too"):
        aedplan.run(aedplan.Scenario().replace({"output.district_maps": True}))
    done = subprocess.run([sys.executable, "-m", "aedplan", "plan", "--district-maps",
                           "--out", str(tmp_path / "x")], capture_output=True, text=True)
    assert done.returncode == 2 and "--districts" in done.stderr
    assert not (tmp_path / "x").exists()


def test_a_run_without_district_maps_removes_an_earlier_runs(run, halves):
    """Overwriting a run's folder never leaves an earlier run's district maps beside the
    new files."""
    _, out = run
    scenario = aedplan.Scenario().replace({
        "goal.budget": 2, "area.districts": str(halves), "output.out": str(out),
        "output.overwrite": True})
    aedplan.run(scenario)
    assert not (out / "district_maps").exists()
    assert json.loads((out / "report.json").read_text())["plan"]["new_sites"] == 2
