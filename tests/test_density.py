"""AEDs per 100,000 people: the arithmetic by hand, the published targets, a plan for a
density target on a population grid.

The population grids here are made up (written by the tests); the streets are the real
Wuhan network in ../shared."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from aedplan.cli import main
from aedplan.density import aeds_for_density, density_numbers, density_targets
from aedplan.errors import InputError

from .conftest import SAMPLES

BBOX = (114.26, 30.56, 114.29, 30.59)  # Wuhan, Jiang'an: a 3 x 3 km corner of the network
STEP = 1 / 1200  # 3 arc-seconds, as WorldPop's 100 m grid


def population_tif(path, people=25.0):
    """A made-up grid over BBOX: ``people`` in every cell but the western third."""
    rasterio = pytest.importorskip("rasterio")
    from affine import Affine

    w, s, e, n = BBOX
    width, height = round((e - w) / STEP), round((n - s) / STEP)
    data = np.full((height, width), people, dtype="float32")
    data[:, : width // 3] = 0
    with rasterio.open(path, "w", driver="GTiff", height=height, width=width, count=1,
                       dtype="float32", crs="EPSG:4326", nodata=-1,
                       transform=Affine(STEP, 0, w, 0, -STEP, n)) as ds:
        ds.write(data, 1)
    return path, float(data.sum()), int((data > 0).sum())


def test_the_arithmetic_by_hand():
    out = density_numbers(population=250_000, area_km2=50.0, aeds_before=40, aeds_after=100,
                          target=50)
    assert out["before"] == {"aeds": 40, "per_100k": 16.0, "per_km2": 0.8}
    assert out["after"] == {"aeds": 100, "per_100k": 40.0, "per_km2": 2.0}
    # 50 per 100,000 of 250,000 people: 125 AEDs, 85 more than today's 40
    assert out["target_density"] == {"per_100k": 50.0, "aeds_needed": 125, "new_aeds": 85}
    by_place = {t["place"]: t for t in out["targets"]}
    assert by_place["Shanghai"]["aeds_needed"] == 125
    assert by_place["Shenzhen"]["aeds_needed"] == 750  # 300 x 2.5
    assert by_place["Jinjiang, Fujian"]["aeds_needed"] == 25  # 1 per 10,000
    assert by_place["Jinjiang, Fujian"]["gap_before"] == 0
    assert by_place["Shenzhen"]["gap_after"] == 650
    assert aeds_for_density(50, 1) == 1 and aeds_for_density(50, 0) == 0
    with pytest.raises(InputError, match="`target_density` must be a number"):
        aeds_for_density(-5, 100)


def test_every_published_figure_has_its_place_year_and_source():
    targets = density_targets()
    assert {t.place for t in targets} >= {"Shanghai", "Shenzhen", "Jinjiang, Fujian"}
    for t in targets:
        assert t.per_100k > 0 and t.kind in ("target", "level") and 2015 <= t.year <= 2030
        assert t.source and t.note and t.place_zh


def test_plan_for_a_density_target_on_a_population_grid(tmp_path):
    path, people, cells = population_tif(tmp_path / "pop.tif")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "plan", "--osm", str(SAMPLES / "wuhan-jiangan-drive.parquet"), "--bbox",
        ",".join(map(str, BBOX)), "--aeds", "none", "--demand", str(path), "--candidates",
        "nodes", "--target-density", "50", "--lang", "en", "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    d = report["density"]
    assert report["demand"]["kind"] == "population"
    assert d["population"] == pytest.approx(people)
    needed = int(np.ceil(50 * people / 100_000))  # e.g. 24,300 people -> 12.15 -> 13
    assert d["target_density"] == {"per_100k": 50.0, "aeds_needed": needed, "new_aeds": needed}
    assert report["plan"]["new_sites"] == needed == report["params"]["budget"]
    assert d["after"]["per_100k"] == pytest.approx(needed / people * 100_000, rel=1e-6)
    # a 3 arc-second cell at 30.575 N: 92.66 m x 92.66 m x cos(30.575) = 7,392 m²
    assert d["populated_area_km2"] == pytest.approx(cells * 7392e-6, rel=5e-3)
    assert f"AEDs per 100,000 people: 0.0 today -> {needed / people * 1e5:.1f} with the plan" \
        in result.output


@pytest.mark.parametrize(("args", "said"), [
    (["--demand", "network", "--target-density", "50"], "`--target-density` counts AEDs per "
     "100,000 people, so the demand must be people"),
    (["--demand", "network", "--budget", "5", "--target-density", "50"], "give one of `--budget`, "
     "`--target-coverage`, `--target-density`"),
])
def test_a_density_target_needs_people_and_stands_alone(tmp_path, args, said):
    result = CliRunner().invoke(main, [
        "plan", "--osm", str(SAMPLES / "wuhan-jiangan-drive.parquet"), "--aeds",
        "none", "--candidates", "nodes", "--out", str(tmp_path / "out"), *args])
    assert result.exit_code == 2 and said in result.output, result.output
    assert not (tmp_path / "out").exists()


def test_a_polygon_grid_is_population_too(tmp_path):
    """Cells as polygons with a population column (e.g. a census grid in a GeoPackage),
    in Chinese: the summary quotes the density in Chinese."""
    import geopandas as gpd
    import shapely

    w, s = BBOX[:2]
    xs, ys = w + 0.005 * np.arange(6), s + 0.005 * np.arange(6)  # 36 cells inside BBOX
    cells = [shapely.box(x, y, x + 0.005, y + 0.005) for x in xs for y in ys]
    gpd.GeoDataFrame({"人口": 100.0, "population": np.arange(len(cells)) + 1.0},
                     geometry=cells, crs=4326).to_file(tmp_path / "grid.gpkg")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "plan", "--osm", str(SAMPLES / "wuhan-jiangan-drive.parquet"), "--bbox",
        ",".join(map(str, BBOX)), "--aeds", "none", "--demand", str(tmp_path / "grid.gpkg"),
        "--candidates", "nodes", "--budget", "2", "--lang", "zh", "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    people = len(cells) * (len(cells) + 1) / 2
    assert report["density"]["population"] == pytest.approx(people)
    assert report["density"]["after"]["aeds"] == 2
    assert f"每10万人AED数：目前0.0台 → 规划后{2 / people * 1e5:.1f}台" in result.output
    assert "上海（2025）：每10万人50台" in result.output


def test_a_grid_names_its_population_column_with_weight_col(tmp_path):
    """A polygon grid whose column is not called population: the error names the flag
    that fixes it, and `--weight-col` does."""
    import geopandas as gpd
    import shapely

    w, s = BBOX[:2]
    gpd.GeoDataFrame({"people": [10.0, 30.0]},
                     geometry=[shapely.box(w, s, w + 0.005, s + 0.005),
                               shapely.box(w + 0.005, s, w + 0.01, s + 0.005)],
                     crs=4326).to_file(tmp_path / "grid.gpkg")
    base = ["plan", "--osm", str(SAMPLES / "wuhan-jiangan-drive.parquet"), "--bbox",
            ",".join(map(str, BBOX)), "--aeds", "none", "--demand", str(tmp_path / "grid.gpkg"),
            "--candidates", "nodes", "--budget", "1"]
    bad = CliRunner().invoke(main, [*base, "--out", str(tmp_path / "a")])
    assert bad.exit_code == 2 and "`--weight-col`: grid.gpkg has no population column" in \
        bad.output and "Pass `--weight-col` to name it." in bad.output
    good = CliRunner().invoke(main, [*base, "--weight-col", "people", "--out", str(tmp_path / "b")])
    assert good.exit_code == 0, good.output
    report = json.loads((tmp_path / "b" / "report.json").read_text())
    assert report["density"]["population"] == pytest.approx(40)  # spread, to rounding
