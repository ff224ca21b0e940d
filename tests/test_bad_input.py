"""Bad input, as a new user types it: each case runs the real `aedplan` command in its own
process and must end with the exit code given, one line naming what is wrong (after any
warnings), no traceback, and nothing written. The input files are made here: small
hand-written CSVs (made up, not real registries) and a real OSM extract cut in half.
The same mistakes through the Python API raise the matching AedplanError subclass."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import aedplan
from aedplan import _memory
from aedplan.errors import (
    AedplanWarning,
    CRSError,
    DataError,
    InfeasibleError,
    InputError,
    ResourceError,
)

from .conftest import data_path

F = "{files}"  # the folder of made-up input files, filled in per run
V = "{vaduz}"  # the real Vaduz centre extract in ../shared/data

# (case, arguments, exit code, a phrase of the last line of stderr)
CASES = [
    # the street network
    ("osm missing", ["plan", "--osm", "nowhere.osm.pbf"], 2,
     "`--osm`: file not found: nowhere.osm.pbf"),
    ("osm folder", ["plan", "--osm", f"{F}/folder"], 2, "is a folder, not a file"),
    ("osm empty", ["plan", "--osm", f"{F}/empty.osm.pbf"], 2, "is empty (0 bytes)"),
    ("osm cut short", ["plan", "--osm", f"{F}/cut.osm.bz2"], 2,
     "cut.osm.bz2 is cut short: the download or copy did not finish"),
    ("osm not osm", ["plan", "--osm", f"{F}/hello.osm"], 2,
     "is not readable OpenStreetMap data"),
    ("osm no suffix", ["plan", "--osm", f"{F}/a_file"], 2, "cannot read a_file: expected one of"),
    ("osm and place", ["plan", "--place", "Vaduz", "--osm", V], 2,
     "give one network source: `--osm` (a file) or `--place`, not both"),
    # AEDs, demand, candidates
    ("aeds folder", ["plan", "--aeds", f"{F}/folder"], 2, "is a folder, not a file"),
    ("aeds missing", ["plan", "--aeds", "nowhere.csv"], 2,
     "`--aeds`: file not found: nowhere.csv. Give a file, or one of osm, none"),
    ("aeds no lon column", ["coverage", "--osm", V, "--aeds", f"{F}/aeds_xy.csv"], 2,
     "found no longitude column in aeds_xy.csv; expected one named lon"),
    ("aeds lon/lat swapped", ["coverage", "--osm", V, "--aeds", f"{F}/aeds_swapped.csv"], 2,
     "Are lon/lat swapped"),
    ("aeds words for numbers", ["coverage", "--osm", V, "--aeds", f"{F}/aeds_text.csv"], 2,
     "has missing or non-numeric coordinates in columns 'lon'/'lat'"),
    ("aeds in another city", ["coverage", "--osm", V, "--aeds", f"{F}/aeds_zurich.csv"], 2,
     "1 point given, none inside the study area"),
    ("aeds header only", ["coverage", "--osm", V, "--aeds", f"{F}/header_only.csv"], 2,
     "has a header but no rows"),
    ("demand off the network", ["coverage", "--osm", V, "--demand", f"{F}/demand_zurich.csv"],
     2, "`--demand`: 2 points given, none inside the study area"),
    ("demand not a word", ["plan", "--osm", V, "--demand", "everything"], 2,
     "`--demand`: file not found: everything. Give a file, or one of buildings, network"),
    ("lon column not there", ["coverage", "--osm", V, "--aeds", f"{F}/aeds_xy.csv",
                              "--lon-col", "nope", "--lat-col", "y1"], 2,
     "`--lon-col`: aeds_xy.csv has no column 'nope'"),
    ("encoding unknown", ["coverage", "--osm", V, "--aeds", f"{F}/aeds_gbk.csv",
                          "--encoding", "klingon"], 2,
     "`--encoding`: 'klingon' is not an encoding Python knows"),
    ("encoding wrong", ["coverage", "--osm", V, "--aeds", f"{F}/aeds_gbk.csv",
                        "--encoding", "utf-8"], 2, "is not utf-8 text"),
    ("candidates folder", ["plan", "--osm", V, "--candidates", f"{F}/folder"], 2,
     "`--candidates`: /"),
    ("candidates missing", ["plan", "--candidates", "nowhere.csv"], 2,
     "`--candidates`: file not found: nowhere.csv"),
    # the output folder
    ("out in /proc", ["coverage", "--osm", V, "--out", "/proc/aedplan-out"], 2,
     "`--out`: cannot write /proc/aedplan-out: /proc takes no new files"),
    ("out is a file", ["coverage", "--osm", V, "--out", f"{F}/a_file"], 2,
     "exists and is not a folder"),
    ("out holds an earlier run", ["coverage", "--osm", V, "--out", f"{F}/earlier"], 2,
     "holds results of an earlier run (report.json); pass `--overwrite`"),
    ("out empty", ["coverage", "--out", ""], 2,
     "`--out` is empty; give a folder for the results, e.g. `--out aedplan-out`"),
    ("out name too long", ["coverage", "--out", "a" * 300], 2,
     "a name in it is too long for the file system (at most 255 bytes a name); choose a "
     "shorter `--out`"),
    # what only Python has, said as the command line does it
    ("aeds in metres", ["coverage", "--osm", V, "--aeds", f"{F}/aeds_metres.csv"], 2,
     "these look like projected coordinates, perhaps a UTM zone (EPSG:326NN in the north, "
     "327NN in the south; NN the zone); pass `--crs EPSG:...` with the CRS they are in"),
    ("aeds without a CRS", ["coverage", "--osm", V, "--aeds", f"{F}/aeds_no_crs.shp"], 2,
     "aeds_no_crs.shp has no CRS, so its coordinates cannot be placed. Pass the CRS it is in "
     "as `--crs` (`--crs EPSG:4326` for lon/lat)"),
    ("aeds in a file of two layers", ["coverage", "--osm", V, "--aeds", f"{F}/two.gpkg"], 2,
     "two.gpkg has 2 layers (aeds, sites); save the layer you want as a file of its own"),
    ("a GraphML network and the OSM words", ["plan", "--osm", f"{F}/streets.graphml"], 2,
     "`--osm`: streets.graphml is a GraphML street network, without the AEDs, buildings and "
     "places that `--aeds osm`, `--demand buildings` and `--candidates pois` read from an "
     "OpenStreetMap file: give `--aeds` a file of AEDs, or `--aeds none`; give `--demand "
     "network` or a file; give `--candidates nodes` or a file."),
    ("validate on a GraphML", ["validate", "--osm", f"{F}/streets.graphml", "--arrests",
                               f"{F}/arrests.csv", "--time-col", "time", "--folds", "2"], 2,
     "`--osm`: streets.graphml is a GraphML street network, without the AEDs, places and "
     "buildings that `--aeds osm`, `--candidates pois` and `--models` 'buildings', 'blend' "
     "read from an OpenStreetMap file: give `--aeds` a file of AEDs, or `--aeds none`; give "
     "`--candidates nodes`; give `--models` without 'buildings' and 'blend'."),
    ("validate population not a grid", ["validate", "--arrests", f"{F}/arrests.csv",
                                        "--time-col", "time", "--folds", "2", "--models",
                                        "population", "--population", f"{F}/one_site.csv"], 2,
     "`--population`: cannot read one_site.csv: unknown file type"),
    # the area
    ("bbox lat first", ["coverage", "--osm", V, "--bbox", "47.13,9.51,47.15,9.53"], 2,
     "give W,S,E,N (longitudes first), e.g. 9.51,47.13,9.53,47.15"),
    ("bbox three numbers", ["coverage", "--osm", V, "--bbox", "1,2,3"], 2,
     "expected four numbers W,S,E,N"),
    ("bbox elsewhere", ["coverage", "--osm", V, "--bbox", "8.50,47.30,8.60,47.40"], 2,
     "no street of the network lies inside the area, read as W=8.5 S=47.3 E=8.6 N=47.4"),
    ("bbox west east swapped", ["coverage", "--osm", V, "--bbox", "9.53,47.13,9.51,47.15"], 2,
     "are lon and lat swapped?"),
    # the time model
    ("speed zero", ["coverage", "--speed", "0"], 2, "`--speed` must be a positive walking speed"),
    ("speed negative", ["coverage", "--speed", "-1"], 2, "`--speed` must be a positive"),
    ("speed a word", ["coverage", "--speed", "fast"], 2, "'fast' is not a valid float"),
    ("minutes zero", ["coverage", "--minutes", "0"], 2, "`--minutes` must be a positive number"),
    ("minutes negative", ["coverage", "--minutes", "-4"], 2, "`--minutes` must be a positive"),
    ("minutes nan", ["coverage", "--minutes", "nan"], 2, "`--minutes` must be a number, got nan"),
    ("mode unknown", ["coverage", "--mode", "walk"], 2, "'walk' is not one of 'round-trip'"),
    # the plan
    ("budget negative", ["plan", "--budget", "-1"], 2, "`--budget` must be >= 0, got -1"),
    # the province command says it as plan does
    ("province budget negative", ["province", "--osm", V, "--budget", "-1"], 2,
     "`--budget` must be >= 0, got -1."),
    ("province workers zero", ["province", "--osm", V, "--budget", "2", "--workers", "0"], 2,
     "`--workers` must be >= 1, got 0."),
    ("budget a word", ["plan", "--budget", "ten"], 2, "'ten' is not a valid integer"),
    ("target above 1", ["plan", "--target-coverage", "1.5"], 2,
     "`--target-coverage` must be <= 1, got 1.5"),
    ("budget and target", ["plan", "--target-coverage", "0.5", "--budget", "3"], 2,
     "give one of `--budget`, `--target-coverage`, `--target-density`"),
    ("time limit zero", ["plan", "--time-limit", "0"], 2, "`--time-limit` must be > 0, got 0.0"),
    ("solver unknown", ["plan", "--solver", "cplex"], 2, "'cplex' is not one of 'exact'"),
    ("datum unknown", ["plan", "--datum", "wgs48"], 2, "'wgs48' is not one of 'wgs84'"),
    ("target out of reach", ["plan", "--osm", V, "--candidates", f"{F}/one_site.csv",
                             "--target-coverage", "0.99"], 2, "`--candidates nodes`"),
    # opening hours
    ("week not a Monday", ["plan", "--week", "2024-03-05"], 2,
     "`--week` must be a Monday, got 2024-03-05 (a Tuesday)"),
    ("week not a date", ["plan", "--week", "next week"], 2, "`--week` must be a date YYYY-MM-DD"),
    ("week too early", ["plan", "--week", "1800-01-06"], 2, "`--week`"),
    ("country unknown", ["plan", "--country", "XX"], 2,
     "`--country` must be a two-letter ISO 3166 code"),
    ("profile unknown", ["plan", "--arrest-profile", "nightly"], 2,
     "'nightly' is neither a known word nor a file"),
    ("profile too short", ["plan", "--arrest-profile", f"{F}/profile_bad.csv"], 2,
     "168 non-negative numbers"),
    ("unknown hours word", ["plan", "--unknown-hours", "maybe"], 2,
     "'maybe' is not one of 'open', 'closed'"),
    ("objective unknown", ["plan", "--objective", "round"], 2, "'round' is not one of 'hours'"),
    # the command line itself
    ("flag unknown", ["plan", "--no-such-flag"], 2, "No such option '--no-such-flag'"),
    ("command misspelt", ["plna"], 2, "No such command 'plna'. Did you mean 'plan'?"),
    # a scenario file's own words: its keys, where it says them
    ("scenario key misspelt", ["plan", f"{F}/misspelt.toml"], 2,
     "unknown key `goal.budgte` (misspelt.toml, line 2). Did you mean `goal.budget`?"),
    # taken, with a warning that says what was assumed
    ("speed in km/h", ["coverage", "--osm", V, "--speed", "5"], 0,
     "`--speed` is 5 m/s, that is 18 km/h"),
    ("minutes far past a rescue", ["coverage", "--osm", V, "--minutes", "20"], 0,
     "a budget over 15 minutes is no longer a rescue circle"),
    ("GBK registry", ["coverage", "--osm", V, "--aeds", f"{F}/aeds_gbk.csv"], 0,
     "is not UTF-8; read it as gb18030 (detected)"),
    ("Latin-1 registry", ["coverage", "--osm", V, "--aeds", f"{F}/latin1.csv"], 0,
     "is not UTF-8; read it as cp1252 (detected)"),
    ("German columns", ["coverage", "--osm", V, "--aeds", f"{F}/aeds_german.csv"], 0, None),
    ("budget above candidates", ["plan", "--osm", V, "--candidates", f"{F}/one_site.csv",
                                 "--budget", "3"], 0,
     "`--budget` is 3 but there are only 1 candidate sites"),
    ("a MultiPoint of AEDs", ["coverage", "--osm", V, "--aeds", f"{F}/aeds_multi.geojson"], 0,
     "aeds_multi.geojson has 1 MultiPoint of 3 points in all; each point is read as a row of "
     "its own"),
    ("an AED listed twice", ["coverage", "--osm", V, "--aeds", f"{F}/aeds_twice.csv"], 0,
     "1 AED (id 2) lies within 1 m of another listed before: the same AED listed twice?"),
]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad-input")
    (folder / "empty.osm.pbf").write_bytes(b"")
    real = data_path("osm", "vaduz-centre.aed.osm.bz2").read_bytes()
    (folder / "cut.osm.bz2").write_bytes(real[: len(real) // 2])
    (folder / "hello.osm").write_text("hello, not OSM\n")
    (folder / "folder").mkdir()
    (folder / "a_file").write_text("x")
    (folder / "earlier").mkdir()
    (folder / "earlier" / "report.json").write_text("{}")
    made_up = {  # two places near Vaduz town hall, named in each registry's language
        "aeds_gbk.csv": ("名称,经度,纬度\n市政厅,9.5215,47.1399\n医院,9.5230,47.1412\n", "gbk"),
        "latin1.csv": ("name,lon,lat\nGemeindehaus Zürich,9.5215,47.1399\n", "latin-1"),
        "aeds_german.csv": ("Bezeichnung,Längengrad,Breitengrad\nRathaus,9.5215,47.1399\n",
                            "utf-8"),
        "aeds_xy.csv": ("name,x1,y1\nA,9.5215,47.1399\n", "utf-8"),
        "aeds_swapped.csv": ("name,lat,lon\nA,9.5215,47.1399\nB,9.5230,47.1412\n", "utf-8"),
        "aeds_text.csv": ("name,lon,lat\nA,east,north\n", "utf-8"),
        "aeds_zurich.csv": ("name,lon,lat\nA,8.5417,47.3769\n", "utf-8"),
        "demand_zurich.csv": ("name,lon,lat,weight\nA,8.5417,47.3769,5\nB,8.5420,47.3770,3\n",
                              "utf-8"),
        "header_only.csv": ("name,lon,lat\n", "utf-8"),
        "one_site.csv": ("name,lon,lat\nS,9.5215,47.1399\n", "utf-8"),
        "profile_bad.csv": ("hour,weight\n0,1\n", "utf-8"),
        "misspelt.toml": ("[goal]\nbudgte = 3\n", "utf-8"),
        "aeds_metres.csv": ("name,x,y\nA,758000,5225000\nB,758100,5225100\n", "utf-8"),
        "aeds_twice.csv": ("id,name,lon,lat\n1,Rathaus,9.5215,47.1399\n"
                           "2,Rathaus (again),9.52150,47.13990\n", "utf-8"),
        "arrests.csv": ("time,lon,lat\n" + "".join(
            f"2023-0{1 + i % 9}-1{i % 10} 1{i % 10}:00,9.52{i % 10},47.14{i % 10}\n"
            for i in range(12)), "utf-8"),
    }
    for name, (text, encoding) in made_up.items():
        (folder / name).write_bytes(text.encode(encoding))
    town_hall = shapely.Point(9.5215, 47.1399)
    with warnings.catch_warnings():  # "'crs' was not provided": that is the point
        warnings.simplefilter("ignore", UserWarning)
        gpd.GeoDataFrame({"name": ["A"]}, geometry=[town_hall]).to_file(
            folder / "aeds_no_crs.shp")
    for layer in ("aeds", "sites"):
        gpd.GeoDataFrame({"name": ["A"]}, geometry=[town_hall], crs=4326).to_file(
            folder / "two.gpkg", layer=layer)
    three = shapely.MultiPoint([(9.5215, 47.1399), (9.5230, 47.1412), (9.5200, 47.1390)])
    gpd.GeoDataFrame({"id": [7], "name": ["station"]}, geometry=[three], crs=4326).to_file(
        folder / "aeds_multi.geojson")
    _graphml(folder / "streets.graphml")
    return folder


def _graphml(path: Path) -> None:
    """A made-up street of three nodes near Vaduz town hall, as GraphML."""
    import networkx as nx
    import osmnx as ox

    g = nx.MultiDiGraph(crs="EPSG:32632")
    for i in range(3):
        g.add_node(i, x=758_000.0 + 100 * i, y=5_225_000.0)
    for u, v in ((0, 1), (1, 2)):
        for a, b in ((u, v), (v, u)):
            g.add_edge(a, b, osmid=u, highway="footway", length=100.0)
    ox.save_graphml(g, path)


def _filled(args: list[str], files: Path) -> list[str]:
    vaduz = str(data_path("osm", "vaduz-centre-2024-03-03.osm.pbf"))
    return [a.format(files=files, vaduz=vaduz) for a in args]


@pytest.mark.slow
@pytest.mark.parametrize(("args", "code", "phrase"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_bad_input_on_the_command_line(files, tmp_path, args, code, phrase):
    args = _filled(args, files)
    out = tmp_path / "out"
    before = {p: p.read_bytes() for p in (files / "earlier").iterdir()}
    extra = [] if "--out" in args or args == ["plna"] else ["--out", str(out)]
    done = subprocess.run([sys.executable, "-m", "aedplan", *args, *extra],
                          capture_output=True, text=True, timeout=600)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    assert all(line.startswith("aedplan: ") for line in lines), done.stderr
    if code:
        assert lines[-1].startswith("aedplan: error: ")
        assert phrase in lines[-1], lines[-1]
        assert [line for line in lines if "error" in line.split(":")[1]] == [lines[-1]]
        assert not out.exists()
        assert {p: p.read_bytes() for p in (files / "earlier").iterdir()} == before
    else:
        assert phrase is None or any(
            line.startswith("aedplan: warning: ") and phrase in line for line in lines), lines
        assert (out / "report.json").exists()
        notes = (out / "report.json").read_text()
        in_report = phrase and phrase.replace("--speed", "time.speed").replace(
            "--budget", "goal.budget")  # report.json names the scenario's keys
        assert phrase is None or in_report.replace("`", "") in notes.replace("`", "")


def test_the_table_holds_enough_cases():
    assert len(CASES) >= 45
    assert len({c[0] for c in CASES}) == len(CASES)


# --------------------------------------------------------------------------- the API


def _far_points() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": ["z"]}, geometry=[shapely.Point(8.5417, 47.3769)], crs=4326)


API_CASES = [
    ("missing file", InputError, lambda v, f: aedplan.read_points(f / "nowhere.csv")),
    ("no lon column", InputError, lambda v, f: aedplan.read_points(f / "aeds_xy.csv")),
    ("unknown encoding", InputError,
     lambda v, f: aedplan.read_points(f / "aeds_gbk.csv", encoding="klingon")),
    ("empty OSM file", InputError, lambda v, f: aedplan.load_network(f / "empty.osm.pbf")),
    ("cut OSM file", DataError, lambda v, f: aedplan.load_network(f / "cut.osm.bz2")),
    ("points without a CRS", CRSError, lambda v, f: aedplan.coverage_today(
        v[0], gpd.GeoDataFrame(geometry=[shapely.Point(9.52, 47.14)]), v[1])),
    ("demand off the network", InputError, lambda v, f: aedplan.coverage_today(
        v[0], _far_points(), v[1])),
    ("bad minutes", InputError, lambda v, f: aedplan.TimeModel(minutes=-1)),
    ("bad speed", InputError, lambda v, f: aedplan.TimeModel(speed_m_s=0)),
    ("out unwritable", InputError, lambda v, f: aedplan.run(
        aedplan.Scenario().replace({"output.out": "/proc/aedplan-out"}))),
    ("unreachable target", InfeasibleError, lambda v, f: aedplan.solve_min_sites(
        np.array([[True], [False]]), [1.0, 1.0], target_coverage=0.9)),
    ("budget as text", InputError, lambda v, f: aedplan.plan_sites(
        v[0], aedplan.demand_from_network(v[0]), aedplan.candidates_from_network(v[0]),
        budget="3")),
    ("no demand", InputError, lambda v, f: aedplan.plan_sites(
        v[0], aedplan.demand_from_network(v[0]).iloc[:0],
        aedplan.candidates_from_network(v[0]), budget=3)),
    ("weight column of a table of coordinates", InputError, lambda v, f:
        aedplan.demand_from_points(pd.DataFrame({"lon": [9.52], "lat": [47.14]}),
                                   weight_col="pop")),
    ("a path for a scenario", InputError, lambda v, f: aedplan.run("scenario.toml")),
    ("a path for a network", InputError, lambda v, f: aedplan.rescue_circles(str(v[2]), v[1])),
    ("a CRS PROJ does not know", CRSError, lambda v, f: aedplan.network_from_arrays(
        [0, 1], [0, 0], [0], [1], crs="EPSG:99999")),
    ("a mask of another length", InputError, lambda v, f: aedplan.hot_spots(
        aedplan.demand_from_network(v[0]), np.ones(3, bool))),
    ("hours of a table without places", InputError, lambda v, f: aedplan.availability(
        pd.DataFrame({"opening_hours": ["24/7"]}))),
    ("no people", InputError, lambda v, f: aedplan.aeds_for_density(50, float("nan"))),
    ("not a map", InputError, lambda v, f: aedplan.save_map(42, f / "map.html")),
]


@pytest.mark.parametrize(("error", "call"), [c[1:] for c in API_CASES],
                         ids=[c[0] for c in API_CASES])
def test_bad_input_in_the_api(vaduz, files, error, call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        with pytest.raises(error) as caught:
            call(vaduz, files)
    assert "`" in str(caught.value) or "not" in str(caught.value)


def test_pairs_past_memory_in_the_api(vaduz, monkeypatch):
    net, aeds, _ = vaduz
    monkeypatch.setattr(_memory, "spare_bytes", lambda: 100_000)
    with pytest.raises(ResourceError, match="`minutes`"):
        aedplan.coverage_times(net, aedplan.demand_from_network(net), aeds,
                               model=aedplan.TimeModel(10))
