"""Districts read as every other input is: one reader, one suffix table, one UTM picker."""

from __future__ import annotations

import ast
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from aedplan import _files
from aedplan.datasets import default_osm_path
from aedplan.districts import districts
from aedplan.errors import InputError

from .conftest import closed, data_path, ring, write_osm

CRS = "EPSG:32632"
PACKAGE = Path(__file__).resolve().parents[1] / "aedplan"


@pytest.fixture(scope="module")
def real_areas():
    """The named school grounds and parks of the embedded Vaduz+Schaan extract (real
    OSM polygons), in lon/lat."""
    from aedplan import _osm

    found = _osm.read_features(default_osm_path(), tags=[("amenity", "school"),
                                                         ("leisure", "park")],
                               nodes=False, keep=["name", "amenity"])
    frame = gpd.GeoDataFrame({"name": found.tags["name"].to_numpy(),
                              "amenity": found.tags["amenity"].to_numpy()},
                             geometry=found.geometry, crs=4326)
    frame = frame[frame["name"].notna()].reset_index(drop=True)
    schools = frame[frame["amenity"] == "school"][["name", "geometry"]].reset_index(drop=True)
    parks = frame[frame["amenity"].isna()][["name", "geometry"]].reset_index(drop=True)
    assert len(schools) == 4 and len(parks) == 2
    return schools, parks


def _inside(frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """A point inside each polygon, in CRS."""
    pts = shapely.point_on_surface(frame.to_crs(CRS).geometry.to_numpy())
    return shapely.get_x(pts), shapely.get_y(pts)


def test_geoparquet_districts_are_read_as_a_geopackage_is(real_areas, tmp_path):
    """The GeoParquet file gives the GeoPackage's districts, polygon for polygon (it went
    through GDAL before, which asked for libduckdb)."""
    pytest.importorskip("pyarrow")
    schools, _ = real_areas
    schools.to_parquet(tmp_path / "schools.parquet")
    schools.to_file(tmp_path / "schools.gpkg", layer="schools")
    parquet = districts(tmp_path / "schools.parquet", CRS)
    gpkg = districts(tmp_path / "schools.gpkg", CRS)
    assert parquet.names.tolist() == gpkg.names.tolist() == schools["name"].tolist()
    assert shapely.equals_exact(parquet.polygons, gpkg.polygons, tolerance=1e-6).all()
    assert parquet.source == "schools.parquet"
    assert parquet.part_of(*_inside(schools)).tolist() == [0, 1, 2, 3]


def test_a_geopackage_of_two_layers_needs_its_layer(real_areas, tmp_path):
    """As for every input: a GeoPackage of several layers is refused with their names
    until ``layer`` picks one (it silently took the first)."""
    schools, parks = real_areas
    path = tmp_path / "areas.gpkg"
    schools.to_file(path, layer="schools")
    parks.to_file(path, layer="parks")
    with pytest.raises(InputError, match=r"`districts`: areas.gpkg has 2 layers "
                                         r"\(schools, parks\)"):
        districts(path, CRS)
    assert districts(path, CRS, layer="parks").names.tolist() == parks["name"].tolist()
    assert districts(path, CRS, layer=0).names.tolist() == schools["name"].tolist()
    with pytest.raises(InputError, match=r"`layer`: areas\.gpkg has no layer 'roads'"):
        districts(path, CRS, layer="roads")
    with pytest.raises(InputError, match="`layer`: 'osm' reads the OSM file's boundaries"):
        districts("osm", CRS, osm=default_osm_path(), layer="parks")


def test_osm_districts_from_an_osm_xml_file(tmp_path):
    """A made-up OSM XML file named ``.osm.xml`` (an OSM file in the one suffix table; it
    was refused): two towns at admin_level 8."""
    nodes, ways = {}, {}
    for k, x0 in enumerate((0, 120)):
        nodes |= ring(100 + 10 * k, x0, 0, 120, 100)
        ways[100 + k] = (closed(100 + 10 * k), {"boundary": "administrative",
                                                "admin_level": "8", "name": f"town {k}"})
    path = write_osm(tmp_path / "areas.osm.xml", nodes, ways)
    d = districts("osm", CRS, osm=path)
    assert sorted(d.names) == ["town 0", "town 1"] and d.source == "osm:8"


def test_liechtensteins_municipalities_from_an_osm_xml_extract(tmp_path):
    """Liechtenstein's administrative boundaries (real), written from the PBF into an
    ``.osm.xml`` file with the ways and nodes they use: its 11 municipalities, as from
    the PBF."""
    import osmium

    pbf = data_path("osm", "liechtenstein-2024-03-03.osm.pbf")
    xml = tmp_path / "liechtenstein-admin.osm.xml"
    with osmium.BackReferenceWriter(str(xml), ref_src=str(pbf)) as out:
        for rel in osmium.FileProcessor(str(pbf), osmium.osm.RELATION).with_filter(
                osmium.filter.TagFilter(("boundary", "administrative"))):
            out.add(rel)
    d = districts("osm", CRS, osm=xml)
    assert len(d.names) == 11 and "Vaduz" in set(d.names) and d.source == "osm:8"
    assert sorted(d.names) == sorted(districts("osm", CRS, osm=pbf).names)


# --------------------------------------------------------------------------- one of each


#: What only one module may do: call these functions.
ONLY_IN = {
    "estimate_utm_crs": "_geo.py",  # the one UTM picker
    "query_utm_crs_info": "_geo.py",
    "read_file": "_files.py",  # the one reader of vector files
    "read_parquet": "_files.py",
    "read_dataframe": "_files.py",
    "list_layers": "_files.py",
}


def _strays(path: Path) -> list[str]:
    """Calls in ``path`` that belong to another module: a UTM zone picked, a vector file
    read, or a file kind told from a suffix written out."""
    suffixes = {s for kind in _files.SUFFIXES.values() for s in kind}
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        if ONLY_IN.get(name, path.name) != path.name:
            found.append((node.lineno, name))
        if name == "endswith" and path.name != "_files.py":
            literals = {c.value for arg in node.args for c in ast.walk(arg)
                        if isinstance(c, ast.Constant) and isinstance(c.value, str)}
            if literals & suffixes:
                found.append((node.lineno, f"endswith{sorted(literals)}"))
    return [f"{path.name}:{line} {what}" for line, what in sorted(found)]


def test_one_reader_one_suffix_table_one_utm_picker():
    strays = [s for path in sorted(PACKAGE.rglob("*.py")) for s in _strays(path)]
    assert strays == []


def test_the_stray_check_can_fail(tmp_path):
    bad = tmp_path / "mine.py"
    bad.write_text("import geopandas as gpd\n"
                   "def f(p, s):\n"
                   "    if str(p).endswith(('.osm', '.pbf')):\n"
                   "        return s.to_crs(s.estimate_utm_crs())\n"
                   "    return gpd.read_file(p)\n")
    assert _strays(bad) == ["mine.py:3 endswith['.osm', '.pbf']",
                            "mine.py:4 estimate_utm_crs", "mine.py:5 read_file"]


def test_districts_without_names_are_numbered_and_said_so():
    """Made-up squares, without a name column: numbered, with a warning that says how
    to name them."""
    from aedplan.errors import AedplanWarning

    halves = gpd.GeoDataFrame(crs="EPSG:32632",
                              geometry=[shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)])
    with pytest.warns(AedplanWarning, match=r"the GeoDataFrame has no `name` column; its 2 "):
        d = districts(halves, "EPSG:32632")
    assert [d.name(0), d.name(1)] == ["district 0", "district 1"]
