"""District polygons: from a vector file, a GeoDataFrame, or the administrative areas of
an OSM file, in the network's CRS.

Files are read as every other input is (:func:`aedplan._files.read_vector`: one table of
suffixes, GeoParquet included, and a multi-layer GeoPackage needs its ``layer``); the
OSM file's boundaries through the same OSM reader as the streets; areas are measured in
the local UTM zone of :mod:`aedplan._geo`. A point belongs to the first district that
holds it, so districts can cut a study area into parts (:mod:`aedplan.partition`) or
sum coverage per district (:mod:`aedplan.equity`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from . import _files, _geo
from ._caller import warn
from .errors import InputError, Joined, Phrase

__all__ = ["MIN_DISTRICT_KM2", "Districts", "districts"]

#: The smallest area, in km², that counts as a district when the level of the OSM file's
#: administrative areas is chosen for the user: Shanghai's residential communities of
#: 1,000 people or more are about 0.1 km² and up.
MIN_DISTRICT_KM2 = 0.1


@dataclass(frozen=True, eq=False)
class Districts:
    """Polygons (districts, counties...) in the network's CRS, with names. A point
    belongs to the first district that holds it (borders shared by two go to the one
    listed first); points in none belong to no district."""

    polygons: np.ndarray
    names: np.ndarray
    source: str = "polygons"

    @property
    def n_parts(self) -> int:
        return int(self.polygons.shape[0])

    def part_of(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The district holding each point (``-1`` for none)."""
        pts = shapely.points(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        where, which = shapely.STRtree(self.polygons).query(pts, predicate="intersects")
        part = np.full(pts.shape[0], np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(part, where, which)
        return np.where(part == np.iinfo(np.int64).max, -1, part)

    def box(self, k: int) -> tuple[float, float, float, float]:
        minx, miny, maxx, maxy = shapely.bounds(self.polygons[int(k)])
        return float(minx), float(miny), float(maxx), float(maxy)

    def shape(self, k: int) -> shapely.Geometry:
        return self.polygons[int(k)]

    def name(self, k: int) -> str:
        return str(self.names[int(k)])


def districts(
    source: Any, crs: Any, *, osm: str | os.PathLike[str] | None = None,
    layer: str | int | None = None,
) -> Districts:
    """Districts from a vector file or GeoDataFrame of polygons, in ``crs``; their names
    from a ``name`` column when there is one (else ``district 0``, ``district 1``...).

    A file is any vector file aedplan reads (GeoPackage, GeoJSON, Shapefile, FlatGeobuf,
    GeoParquet); a GeoPackage of several layers needs ``layer``, as every input does.
    ``"osm"`` or ``"osm:LEVEL"`` reads the administrative boundaries
    (``boundary=administrative``, named, at ``admin_level`` LEVEL) from the OSM file
    ``osm``; without a level, the level above the country's (3 and up) that splits the
    area into the most named areas of a reasonable size (at least
    :data:`MIN_DISTRICT_KM2`: a residential community, not a block).

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> halves = gpd.GeoDataFrame({"name": ["west", "east"]}, crs="EPSG:32632",
    ...     geometry=[shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)])
    >>> d = districts(halves, "EPSG:32632")
    >>> d.part_of([5.0, 10.0, 15.0, 25.0], [5.0, 5.0, 5.0, 5.0]).tolist(), d.name(1)
    ([0, 0, 1, -1], 'east')
    """
    import geopandas as gpd

    said = "polygons"
    if isinstance(source, str) and (source == "osm" or source.startswith("osm:")):
        if layer is not None:
            raise InputError("`layer`: {source!r} reads the OSM file's boundaries, which "
                             "have no layers. Drop `layer`.", source=source)
        frame = _admin_areas(osm, source)
        said = f"osm:{frame.attrs['admin_level']}"
    elif isinstance(source, gpd.GeoDataFrame):
        frame = source
    elif isinstance(source, (str, os.PathLike)):
        frame = _files.read_vector(source, argument="districts", layer=layer)
        said = Path(source).name
    else:
        raise InputError("`districts`: expected polygons (a GeoDataFrame or a vector file) "
                         "or 'osm', got {got}.", got=type(source).__name__)
    if frame.crs is None:
        raise InputError("`districts`: the polygons have no CRS; save them with one "
                         "(e.g. EPSG:4326 for lon/lat).")
    kinds = set(frame.geometry.geom_type.dropna())
    if not len(frame) or not kinds <= {"Polygon", "MultiPolygon"}:
        raise InputError("`districts`: expected polygons, got {got}.",
                         got=sorted(kinds) if kinds else Phrase("nothing"))
    frame = frame.to_crs(crs)
    if "name" in frame.columns:
        names = frame["name"].astype(str).to_numpy()
    else:
        names = np.array([f"district {k}" for k in range(len(frame))])
        warn("`districts`: {name} has no `name` column; its {n:,} districts are called "
             "'district 0', 'district 1', ... in the report and the map. Add a `name` "
             "column to see their own names.", n=len(frame),
             name=Phrase("the GeoDataFrame") if said == "polygons" else said)
    return Districts(frame.geometry.to_numpy(), names, said)


def _admin_areas(osm: str | os.PathLike[str] | None, source: str) -> Any:
    """The named administrative areas of an OSM file at one ``admin_level``."""
    import geopandas as gpd

    from . import _osm

    if osm is None or not _files.is_osm_file(osm):
        raise InputError("`districts`: {source!r} reads boundaries from the OSM file, but "
                         "the streets come from another kind of file; give the districts "
                         "as polygons (a GeoPackage or GeoJSON).", source=source)
    found = _osm.read_features(osm, tags=[("boundary", "administrative")], nodes=False,
                               keep=["name", "admin_level"], argument="districts")
    named = found.tags["name"].notna().to_numpy() if "name" in found.tags else np.zeros(
        len(found), dtype=bool)
    level = found.tags.get("admin_level", np.full(len(found), None)).astype(str).to_numpy()
    levels, counts = np.unique(level[named], return_counts=True)
    usable = {lv: c for lv, c in zip(levels, counts, strict=True)
              if lv.isdigit() and int(lv) >= 3}
    shapes = gpd.GeoSeries(found.geometry, crs=4326)
    km2 = (shapes.to_crs(_geo.metric_crs(shapes)).area.to_numpy() / 1e6 if len(shapes)
           else np.zeros(0))
    sized = {lv: int((named & (level == lv) & (km2 >= MIN_DISTRICT_KM2)).sum()) for lv in usable}
    wanted = source.partition(":")[2] or (max(usable, key=lambda lv: (sized[lv], -int(lv)))
                                          if usable else "")
    keep = named & (level == wanted)
    if not keep.any():
        said = (Joined([Phrase("{level} ({n})", {"level": lv, "n": c})
                        for lv, c in sorted(usable.items())], sep=", ")
                if usable else Phrase("none"))
        raise InputError("`districts`: no named administrative areas at level "
                         "{level} in {name} (levels found: {said}).",
                         level=wanted or Phrase("3 or more"), name=Path(osm).name, said=said)
    out = gpd.GeoDataFrame({"name": found.tags["name"].to_numpy()[keep]},
                           geometry=found.geometry[keep], crs=4326)
    out.attrs["admin_level"] = wanted
    return out
