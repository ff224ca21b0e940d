"""Demand: where cardiac arrests may happen, as weighted points.

Every function returns a GeoDataFrame of points with a RangeIndex and at least the
columns ``id``, ``kind``, ``weight`` and ``geometry``, in EPSG:4326 (WGS84 lon/lat) as
every ``*_from_*`` builder and :func:`aedplan.io.read_points` give it, whether read from
data or spread along a network (:func:`demand_from_network`), so that demand of several
sources can be concatenated; the later stages take the points into the network's CRS and
snap them to the streets themselves (:func:`aedplan.snapping.snap`). Weights are
non-negative floats; only their relative sizes matter.

Sources, from best to last resort:

- :func:`demand_from_points`: past cardiac arrests or population points from a file;
- :func:`demand_from_grid`: a population raster (GeoTIFF) or a polygon grid, each
  cell's people cut by the study area and spread over its streets or buildings;
- :func:`demand_from_buildings`: OpenStreetMap building footprints, weighted by
  floor area (footprint x levels) or one per building;
- :func:`demand_from_network`: points every few metres along the streets, weighted
  by the street length each stands for, when nothing else is known.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from . import _files, _format, _geo, _spread, _validate
from ._buildings import read_buildings
from ._caller import warn
from ._columns import fill_kind
from .errors import CRSError, DataError, InputError, Joined, Phrase
from .io import read_points
from .network import WalkNetwork

__all__ = [
    "RESIDENTIAL_BUILDINGS",
    "WEIGHT_MODES",
    "demand_from_buildings",
    "demand_from_grid",
    "demand_from_network",
    "demand_from_points",
]

#: ``building=*`` values kept by ``residential_only=True``: the dwellings of the OSM
#: wiki's "accommodation" building group (a ``farm`` is the farmhouse itself; hotels,
#: cabins, huts and ``building=yes`` are left out).
RESIDENTIAL_BUILDINGS: frozenset[str] = frozenset(
    {
        "residential",
        "house",
        "apartments",
        "detached",
        "semidetached_house",
        "terrace",
        "dormitory",
        "bungalow",
        "farm",
    }
)

#: How :func:`demand_from_buildings` weighs a building: ``"area_levels"`` = footprint
#: area in m² x ``building:levels`` (floor area); ``"count"`` = 1 per building.
WEIGHT_MODES = ("area_levels", "count")

_POPULATION_NAMES = ("population", "pop", "weight")
#: How :func:`demand_from_grid` spreads a cell's people.
_SPREADS = {"streets": "by street length", "buildings": "by the buildings' floor area"}
_NO_BUILDINGS_FIX = (
    "Use demand points along the streets instead (`demand='network'`, "
    "`demand_from_network(net)`), or pass a file that has buildings."
)


# --------------------------------------------------------------------------- buildings


def demand_from_buildings(
    source: str | os.PathLike[str] | gpd.GeoDataFrame,
    *,
    weight: str = "area_levels",
    residential_only: bool = False,
    clip: Any = None,
) -> gpd.GeoDataFrame:
    """One demand point per building, inside its footprint.

    Parameters
    ----------
    source
        An OSM file (``.osm``, ``.osm.bz2``, ``.osm.pbf``, ...): its closed ways and
        multipolygon relations tagged ``building=*`` (not ``building=no``), assembled
        into footprints by libosmium; building *nodes* have no footprint and are
        skipped. Or a GeoDataFrame (any CRS) or vector file (GeoPackage, GeoJSON,
        Shapefile, FlatGeobuf, GeoParquet) of footprint polygons, with optional
        columns ``building``, ``name`` and ``building:levels`` (or ``levels``).
    weight
        ``"area_levels"`` (default): footprint area in m² (computed in the local UTM
        zone) times the number of levels, i.e. the floor area. ``"count"``: 1 per
        building.
    residential_only
        Keep only dwellings: ``building`` in :data:`RESIDENTIAL_BUILDINGS`.
    clip
        Keep only buildings whose point lies inside this bbox ``(west, south, east,
        north)`` or shapely polygon, both in EPSG:4326.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326, one row per building: ``id`` (``"way/123"``, ``"relation/45"``
        for OSM input, else the source's ``id`` column or row number), ``kind``
        (``"building"``), ``weight``, ``building``, ``name``, ``levels``, ``area_m2``,
        ``osm_type`` and ``osm_id`` (OSM input only), and a point ``geometry`` on the
        footprint's surface (``shapely.point_on_surface``: inside it even for an L or U
        shape, where the centroid may fall outside).

    Notes
    -----
    ``levels`` is the first number in ``building:levels`` (``"3"`` -> 3, ``"2.5"`` ->
    2.5, ``"3;4"`` -> 3); a missing, unreadable or non-positive value counts as 1.

    Raises
    ------
    InputError
        Unknown ``weight``, an unreadable ``source`` or a bad ``clip``.
    DataError
        No buildings (after ``clip`` and ``residential_only``).

    Examples
    --------
    >>> import aedplan
    >>> from aedplan.datasets import default_osm_path
    >>> osm = default_osm_path()  # Vaduz and Schaan, installed with aedplan
    >>> demand = aedplan.demand_from_buildings(osm)  # a point in each building
    >>> len(demand), bool((demand["weight"] > 0).all())  # weight: floor area in m²
    (4802, True)
    """
    if weight not in WEIGHT_MODES:
        raise InputError(
            "`weight` must be one of {modes} (floor area, or one "
            "per building), got {weight!r}.",
            modes=Joined([repr(m) for m in WEIGHT_MODES], sep=", "), weight=weight,
        )
    b = read_buildings(source, clip=clip, argument="source", fix=_NO_BUILDINGS_FIX)
    if residential_only:
        if "building" not in b.columns or b["building"].isna().all():
            raise InputError(
                "`residential_only`: the buildings have no `building` column to tell dwellings "
                "from other buildings. Drop `residential_only`, or add the OSM building type."
            )
        homes = b["building"].isin(RESIDENTIAL_BUILDINGS).to_numpy()
        if not homes.any():
            common = b["building"].value_counts().head(5)
            listed = Joined([Phrase("{kind} ({n})", {"kind": k, "n": v})
                             for k, v in common.items()], sep=", ")
            raise DataError(
                "`residential_only`: none of the {n:,} buildings is residential "
                "(building in {residential}); the most common "
                "types are {listed}. Much of OSM is tagged only building=yes: drop "
                "`residential_only` to weigh every building.",
                n=len(b), residential=Joined(sorted(RESIDENTIAL_BUILDINGS), sep=", "),
                listed=listed,
            )
        b = b[homes].reset_index(drop=True)
    if weight == "area_levels":
        w = b["area_m2"].to_numpy(dtype=float) * b["levels"].to_numpy(dtype=float)
    else:
        w = np.ones(len(b))
    b.insert(1, "kind", "building")
    b.insert(2, "weight", w)
    return b


# --------------------------------------------------------------------------- points


def demand_from_points(
    source: str | os.PathLike[str] | pd.DataFrame,
    *,
    weight_col: str | None = None,
    kind: str = "points",
    datum: str | None = None,
    crs: Any = None,
    lon_col: str | None = None,
    lat_col: str | None = None,
    id_col: str | None = None,
    name_col: str | None = None,
    layer: str | int | None = None,
    encoding: str | None = None,
) -> gpd.GeoDataFrame:
    """Demand points from a file or table: past cardiac arrests, population points.

    Read through :func:`aedplan.io.read_points` (CSV lon/lat, GeoJSON, GeoPackage,
    Shapefile, a (Geo)DataFrame; WGS84, GCJ-02 or BD-09), so every option of that
    function means the same here.

    Parameters
    ----------
    source
        The points.
    weight_col
        Column of non-negative weights (e.g. arrests per site, residents). Default: a
        column named ``weight`` if there is one, else 1 per point.
    kind
        Label of every point in the ``kind`` column, where the source has no ``kind``
        value of its own.
    datum, crs, lon_col, lat_col, id_col, name_col, layer, encoding
        As in :func:`aedplan.io.read_points`.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326: ``id``, ``kind``, ``weight``, ``name`` and the source's other
        columns.

    Raises
    ------
    InputError
        An OSM file (it holds AEDs, not demand: use :func:`demand_from_buildings`),
        missing, negative or non-numeric weights, and every error of ``read_points``.
    DataError
        When every weight is 0.

    Examples
    --------
    >>> import aedplan, pandas as pd
    >>> arrests = pd.DataFrame({"lon": [9.52, 9.53], "lat": [47.14, 47.15], "weight": [1, 2]})
    >>> aedplan.demand_from_points(arrests)[["id", "kind", "weight"]]
       id    kind  weight
    0   0  points     1.0
    1   1  points     2.0
    """
    if isinstance(source, (str, os.PathLike)) and _files.is_osm_file(source):
        raise InputError(
            "`source`: {name} is an OpenStreetMap file; demand from OSM comes from "
            "its buildings: use `demand_from_buildings` (`demand='buildings'`).",
            name=Path(source).name,
        )
    pts = read_points(
        source,
        datum=datum,
        crs=crs,
        lon_col=lon_col,
        lat_col=lat_col,
        id_col=id_col,
        name_col=name_col,
        encoding=encoding,
        weight_col=weight_col,
        layer=layer,
    )
    weight = pts.pop("weight").to_numpy(dtype=float) if "weight" in pts else np.ones(len(pts))
    kinds = fill_kind(pts.pop("kind") if "kind" in pts else None, kind, len(pts))
    pts.insert(1, "kind", kinds)
    pts.insert(2, "weight", weight)
    return _check_total(pts, "demand")


def _check_total(gdf: gpd.GeoDataFrame, argument: str) -> gpd.GeoDataFrame:
    if len(gdf) and not (gdf["weight"].to_numpy(dtype=float) > 0).any():
        raise DataError(
            "`{argument}`: all {n:,} demand weights are 0, so there is nothing to "
            "cover. Check the weight column (`weight_col=` / `population_col=`).",
            argument=argument, n=len(gdf),
        )
    return gdf


# --------------------------------------------------------------------------- grids


def demand_from_grid(
    source: str | os.PathLike[str] | gpd.GeoDataFrame,
    *,
    population_col: str | None = None,
    band: int = 1,
    kind: str = "population",
    area: Any = None,
    net: WalkNetwork | None = None,
    spread: str = "streets",
    buildings: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Demand points from a population grid: one per populated cell, or each cell's
    people cut by the study area and spread over the streets or buildings inside it.

    A cell's centre says little about where its people are: with 1 km cells (WorldPop)
    one point per cell makes coverage hang on where each centre falls. Pass ``net`` to
    spread each cell's people along its streets, and ``area`` to keep only the people
    inside the study area.

    Parameters
    ----------
    source
        A raster (GeoTIFF ``.tif``/``.tiff``, ``.vrt``, ``.img``, ``.asc``; read with
        rasterio) of people per cell, e.g. WorldPop or GHS-POP;
        or a GeoDataFrame / vector file (GeoPackage, GeoJSON, ...) of grid cell polygons
        with a population column.
    population_col
        The population column of a polygon grid. Default: the one column named
        ``population``, ``pop`` or ``weight`` (any case).
    band
        Raster band to read (1-based).
    kind
        Label in the ``kind`` column.
    area
        The study area: a shapely Polygon or MultiPolygon, or a bbox ``(west, south,
        east, north)``, in EPSG:4326 lon/lat. Cells are cut by it (in the grid's metric
        CRS): a cell partly inside keeps its people in proportion to the share of its
        area inside; cells wholly outside are dropped.
    net
        The :class:`~aedplan.network.WalkNetwork`: each cell's people are spread over the
        streets inside it (cut at the cell's edges) in proportion to street length,
        with a point every 50 m at most, placed as :func:`demand_from_network` places
        them. A cell with people but no street keeps them at its representative point,
        with a warning.
    spread
        ``"streets"`` (default): over the streets of ``net``. ``"buildings"``: over the
        points of ``buildings`` inside each cell, in proportion to their ``weight``
        (floor area); a cell with no building falls back to its streets.
    buildings
        For ``spread="buildings"``: the output of :func:`demand_from_buildings` (or any
        points with a non-negative ``weight`` column and a CRS).

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326 (read from data, whether or not ``net`` is given): ``id``,
        ``kind``, ``weight`` (people), ``area_m2`` (ground, measured in the local UTM
        zone or the grid's own metric CRS) and a point geometry. Cells with the
        raster's nodata value, masked or NaN cells, and polygon cells with a missing
        population are skipped; raster rows also carry ``row`` and ``col``.

        Without ``area``, ``net`` and ``buildings``: one row per cell with population
        > 0, ``id`` the cell's (``row * width + col`` for a raster), ``weight`` its
        population, ``area_m2`` its area and the point at the centre of a raster cell,
        the representative point (``point_on_surface``) of a polygon cell.

        With any of them: one row per point, ``id`` numbering the points 0..n-1 and
        ``cell`` the cell's id; ``weight`` is the cell's people (inside ``area``) times
        the point's share of them, ``area_m2`` the cell's area (inside ``area``) times
        the same share. So ``weight.sum()`` is the people inside the area and
        ``area_m2.sum()`` the area of the populated cells inside it.

    Raises
    ------
    InputError
        A missing file, an unknown format, a missing band or population column,
        negative populations (undeclared nodata), an unknown ``spread``,
        ``spread="buildings"`` without ``buildings``, a bad ``area``, ``net`` or
        ``buildings``, cells that are not polygons when ``area``/``net`` is given.
    CRSError
        When the raster or grid (or ``buildings``) has no CRS.
    DataError
        When no cell has population > 0, or none lies inside ``area``.

    Warns
    -----
    AedplanWarning
        When polygon cells overlap (their people would be counted twice), and when
        populated cells have no street (nor building) inside to spread their people on.

    Examples
    --------
    >>> import aedplan, geopandas as gpd
    >>> from shapely import box
    >>> cells = gpd.GeoDataFrame({"population": [120, 0, 35]},
    ...                          geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100),
    ...                                    box(200, 0, 300, 100)], crs="EPSG:32632")
    >>> aedplan.demand_from_grid(cells)[["id", "weight", "area_m2"]]  # empty cells left out
       id  weight  area_m2
    0   0   120.0  10000.0
    1   2    35.0  10000.0

    A made-up street of 250 m along the middle of the cells: cell 0 holds 100 m of it
    (2 points), cell 2 the last 50 m (1 point).

    >>> street = aedplan.network_from_arrays([0, 250], [50, 50], [0], [1], crs="EPSG:32632")
    >>> aedplan.demand_from_grid(cells, net=street)[["id", "cell", "weight", "area_m2"]]
       id  cell  weight  area_m2
    0   0     0    60.0   5000.0
    1   1     0    60.0   5000.0
    2   2     2    35.0  10000.0

    Only the people inside a study area (lon/lat), here the left half of cell 0:

    >>> half = gpd.GeoSeries([box(0, 0, 50, 100)], crs="EPSG:32632").to_crs(4326).iloc[0]
    >>> inside = aedplan.demand_from_grid(cells, area=half)
    >>> inside["cell"].tolist(), inside["weight"].round(6).tolist()
    ([0], [60.0])
    """
    polygon = _grid_options(area, net, spread, buildings)
    spreading = area is not None or net is not None or buildings is not None
    out, shapes, raster = _read_grid(source, population_col, band, shapes=spreading)
    if spreading and shapes is not None and (odd := _spread.not_polygons(shapes)):
        raise InputError(
            "`source` has cells that are not polygons ({odd}); cutting by `area` and "
            "spreading over `net` need the cells' polygons. Pass the grid's cell polygons, or "
            "read points with `demand_from_points`.", odd=odd,
        )
    if polygon is not None:
        out, shapes = _spread.cut(out, shapes, polygon)
        if out.empty:
            raise DataError(
                "`area`: no populated cell of `source` lies inside the study area. Is the "
                "area in lon/lat (EPSG:4326), and over the grid?"
            )
    if shapes is not None and not raster:  # raster cells tile the ground
        n, twice_m2, share = _spread.overlaps(shapes)
        if twice_m2 > 0.01 * float(np.median(shapely.area(shapes.to_numpy()))):
            warn("`source`: {n:,} grid cells overlap ({share:.1%} of their area): their "
                 "people are counted twice where they do. Pass cells that tile the ground: "
                 "drop duplicate cells, and do not stack grids that cover the same ground.",
                 n=n, share=share)
    if spreading:
        people = out["weight"].to_numpy(dtype=float)
        out, lonely = _spread.spread(out, shapes, net=net, buildings=buildings)
        if lonely.any() and (net is not None or buildings is not None):
            _warn_lonely(lonely, people, net, buildings)
    out.insert(1, "kind", kind)
    return out


def _grid_options(area: Any, net: Any, spread: str, buildings: Any) -> shapely.Geometry | None:
    """The study area as a polygon (or ``None``), after checking every spreading option
    and raising once for all that are wrong."""
    problems: list[Phrase] = []
    if not isinstance(spread, str) or spread not in _SPREADS:
        told = Joined([Phrase("{spread!r} ({meaning})", {"spread": k, "meaning": Phrase(meaning)})
                       for k, meaning in _SPREADS.items()], sep=" or ")
        problems.append(Phrase("`spread` must be {told}, got {spread!r}.",
                               {"told": told, "spread": spread}))
    elif spread == "buildings" and buildings is None:
        problems.append(Phrase(
            "`spread='buildings'` needs `buildings`: pass "
            "`buildings=demand_from_buildings(osm)`, or spread over the streets "
            "(`spread='streets'`)."
        ))
    elif spread == "streets" and buildings is not None:
        problems.append(Phrase(
            "`buildings` is used only with `spread='buildings'`: pass that too, or drop "
            "`buildings`."
        ))
    if net is not None and not isinstance(net, WalkNetwork):
        wrong = _not_a_network(net)
        problems.append(Phrase(wrong.template, wrong.values))
    if buildings is not None:
        problems.extend(_building_problems(buildings))
    polygon = None
    if area is not None:
        try:
            polygon = _spread.study_area(area)
        except InputError as exc:
            problems.append(Phrase(exc.template, exc.values))
    if problems:
        raise InputError("{problems}", problems=Joined(problems, sep=" "))
    if buildings is not None:
        _validate.has_crs(buildings, "buildings")
    return polygon


def _building_problems(buildings: Any) -> list[Phrase]:
    if not isinstance(buildings, gpd.GeoDataFrame):
        return [Phrase(
            "`buildings`: expected a GeoDataFrame of points with a `weight` column (from "
            "`demand_from_buildings`), got {got}.", {"got": type(buildings).__name__}
        )]
    if "weight" not in buildings.columns:
        return [Phrase("`buildings` has no `weight` column; pass the output of "
                       "`demand_from_buildings`.")]
    weight = pd.to_numeric(buildings["weight"], errors="coerce").to_numpy(
        dtype=float, na_value=np.nan)
    bad = ~(np.isfinite(weight) & (weight >= 0))
    if bad.any():
        return [Phrase(
            "`buildings`: {n:,} weights are missing, negative or not numbers; "
            "expected floor areas >= 0.", {"n": int(bad.sum())}
        )]
    return []


#: What a populated cell has none of, by (streets given, buildings given).
_NOTHING_INSIDE = {(True, False): "street of `net`", (False, True): "building of `buildings`",
                   (True, True): "street of `net` nor building of `buildings`"}


def _warn_lonely(lonely: np.ndarray, people: np.ndarray, net: Any, buildings: Any) -> None:
    n = int(lonely.sum())
    kept = float(people[lonely].sum())
    what = _NOTHING_INSIDE[(net is not None, buildings is not None)]
    warn(("`source`: {n:,} populated grid cells ({people} people, {share} of them) have no "
          "{what} inside: their people stay at the cell's representative point. To leave "
          "such cells out, draw the study area (`area`) tighter around the streets, or use "
          "a network that covers the whole grid.") if n != 1 else (
         "`source`: 1 populated grid cell ({people} people, {share} of them) has no {what} "
         "inside: its people stay at the cell's representative point. To leave such cells "
         "out, draw the study area (`area`) tighter around the streets, or use a network "
         "that covers the whole grid."), n=n, people=_format.quantity(kept),
         share=_format.share(kept / people.sum()), what=Phrase(what))


def _read_grid(
    source: Any, population_col: str | None, band: int, *, shapes: bool
) -> tuple[gpd.GeoDataFrame, gpd.GeoSeries | None, bool]:
    """The populated cells (``id``, ``weight``, ``area_m2``, ...; a point in EPSG:4326
    each), their polygons in a metric CRS (always for a polygon grid, for a raster when
    ``shapes``) and whether they are a raster's."""
    if isinstance(source, gpd.GeoDataFrame):
        return (*_cells(source, population_col, "the GeoDataFrame"), False)
    if isinstance(source, (str, os.PathLike)):
        path, file_kind = _files.require_kind(source, "source", ("raster", "vector"))
        if file_kind == "vector":
            frame = _files.read_vector(path, argument="source")
            return (*_cells(frame, population_col, path.name), False)
        if population_col is not None:
            raise InputError(
                "`population_col` applies to polygon grids; {name} is a raster. "
                "Drop it (use `band=` to choose the band).", name=path.name,
            )
        return (*_raster(path, band, shapes=shapes), True)
    raise InputError(
        "`source`: expected a raster or polygon-grid file path or a GeoDataFrame of grid "
        "cells, got {got}.", got=type(source).__name__,
    )


def _raster(path: Path, band: int, *, shapes: bool
            ) -> tuple[gpd.GeoDataFrame, gpd.GeoSeries | None]:
    import rasterio
    from rasterio.errors import NotGeoreferencedWarning, RasterioIOError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NotGeoreferencedWarning)  # raised below instead
            with rasterio.open(path) as ds:
                if not isinstance(band, (int, np.integer)) or not 1 <= band <= ds.count:
                    raise InputError(
                        "`band`: {name} has {count} band(s), numbered from 1; got "
                        "{band!r}.", name=path.name, count=ds.count, band=band,
                    )
                if ds.crs is None:
                    raise CRSError(
                        "`source`: {name} has no CRS, so its cells cannot be placed. "
                        "Set it, e.g. `gdal_edit.py -a_srs EPSG:4326 file.tif`.",
                        name=path.name,
                    )
                data = ds.read(band, masked=True)
                transform = ds.transform
                crs = CRS.from_user_input(ds.crs.to_wkt())
                width = ds.width
    except RasterioIOError as exc:
        raise InputError("`source`: cannot read {name} as a raster: {detail}",
                         name=path.name, detail=str(exc)) from exc
    values = np.asarray(data.data, dtype=float)
    valid = ~np.ma.getmaskarray(data) & np.isfinite(values)
    negative = valid & (values < 0)
    if negative.any():
        raise InputError(
            "`source`: band {band} of {name} has {n:,} cells with a "
            "negative population (down to {low:g}) that are not marked "
            "as nodata. Declare the nodata value (`gdal_edit.py -a_nodata VALUE`) or fix them.",
            band=band, name=path.name, n=int(negative.sum()), low=values[negative].min(),
        )
    rows, cols = np.nonzero(valid & (values > 0))
    if rows.size == 0:
        raise DataError(
            "`source`: band {band} of {name} has no cell with population > 0 (nodata "
            "excluded). Is it the right band and file?", band=band, name=path.name,
        )
    a, b, c, d, e, f = transform[:6]
    cx, cy = cols + 0.5, rows + 0.5
    x, y = a * cx + b * cy + c, d * cx + e * cy + f
    lon, lat = Transformer.from_crs(crs, 4326, always_xy=True).transform(x, y)
    # each cell's area: its four corners in the local UTM zone (any raster CRS)
    corner_c = cols[:, None] + np.array([0, 1, 1, 0])
    corner_r = rows[:, None] + np.array([0, 0, 1, 1])
    kx, ky = a * corner_c + b * corner_r + c, d * corner_c + e * corner_r + f
    utm = _geo.utm_crs(lon, lat)
    mx, my = Transformer.from_crs(crs, utm, always_xy=True).transform(kx, ky)
    area = 0.5 * np.abs(np.sum(mx * np.roll(my, -1, axis=1) - np.roll(mx, -1, axis=1) * my,
                               axis=1))
    polygons = (gpd.GeoSeries(shapely.polygons(np.stack([mx, my], axis=-1)), crs=utm)
                if shapes else None)
    return gpd.GeoDataFrame(
        {
            "id": rows.astype(np.int64) * width + cols,
            "weight": values[rows, cols],
            "area_m2": area,
            "row": rows.astype(np.int64),
            "col": cols.astype(np.int64),
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    ), polygons


def _cells(frame: gpd.GeoDataFrame, population_col: str | None, what: str
           ) -> tuple[gpd.GeoDataFrame, gpd.GeoSeries]:
    _validate.has_crs(frame, "source", file=None if what == "the GeoDataFrame" else what)
    columns = [c for c in frame.columns if c != frame.geometry.name]
    listed = Joined([repr(c) for c in columns], sep=", ")
    if population_col is not None:
        if population_col not in columns:
            raise InputError(
                "`population_col`: {what} has no column {column!r}; its columns are "
                "{columns}.", what=Phrase(what), column=population_col, columns=listed,
            )
        column = population_col
    else:
        found = [c for c in columns if str(c).strip().lower() in _POPULATION_NAMES]
        if len(found) != 1:
            problem = (Phrase("no population column") if not found
                       else Phrase("several ({found})", {"found": found}))
            raise InputError(
                "`population_col`: {what} has {problem} among {columns}; expected one named "
                "{names}. Pass `population_col=` to name it.", what=Phrase(what),
                problem=problem, columns=listed, names=Joined(_POPULATION_NAMES, sep=", "),
            )
        column = found[0]
    pop = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    ids = frame["id"].to_numpy() if "id" in frame.columns else np.arange(len(frame))
    negative = np.isfinite(pop) & (pop < 0)
    if negative.any():
        shown = ", ".join(map(str, ids[negative][:5]))
        raise InputError(
            "`source`: {n} cells of {what} have a negative {column!r} (ids "
            "{ids}); expected people per cell >= 0. Set missing cells to empty (NaN).",
            n=int(negative.sum()), what=Phrase(what), column=column, ids=shown,
        )
    geoms = frame.geometry.to_numpy()
    keep = np.isfinite(pop) & (pop > 0) & ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not keep.any():
        raise DataError("`source`: no cell of {what} has {column!r} > 0. Is it the right column?",
                        what=Phrase(what), column=column)
    points = gpd.GeoSeries(_geo.surface_points(geoms[keep], frame.crs), crs=frame.crs
                           ).to_crs(4326)
    cells = gpd.GeoSeries(geoms[keep], crs=frame.crs)
    metric = cells.to_crs(_geo.metric_crs(cells))
    return gpd.GeoDataFrame(
        {"id": ids[keep], "weight": pop[keep], "area_m2": shapely.area(metric.to_numpy())},
        geometry=points.to_numpy(),
        crs="EPSG:4326",
    ), metric


# --------------------------------------------------------------------------- network


def demand_from_network(
    net: WalkNetwork, *, spacing_m: float = _spread.SPACING_M
) -> gpd.GeoDataFrame:
    """Points spread along every street, weighted by the street length they stand for.

    Each edge of length ``L`` is cut into ``n = ceil(L / spacing_m)`` equal pieces (at
    least one); a point sits in the middle of each piece and weighs ``L / n`` metres.
    So no point falls on a junction (where several edges would stack points), every
    point is at most ``spacing_m / 2`` from the street length it stands for, and the
    total weight is the network's length. The fallback when nothing better is known.

    Parameters
    ----------
    net
        The walk network.
    spacing_m
        Largest distance between neighbouring points along an edge, in metres.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326 (WGS84 lon/lat), as every ``*_from_*`` builder: ``id`` (0..n-1),
        ``kind`` (``"network"``), ``weight`` (metres),
        ``edge`` (edge index in ``net``), ``position_m`` (metres from the edge's ``u``
        end) and the point ``geometry``.

    Examples
    --------
    >>> import aedplan, geopandas as gpd
    >>> street = aedplan.network_from_arrays([0, 100, 200, 300, 400], [0, 0, 0, 0, 0],
    ...                                      [0, 1, 2, 3], [1, 2, 3, 4], crs="EPSG:32632")
    >>> def points(xs, ys=None):  # points in the street's CRS (metres)
    ...     return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys or [0] * len(xs)),
    ...                             crs="EPSG:32632")
    >>> demand = aedplan.demand_from_network(street, spacing_m=100)
    >>> demand["position_m"].tolist(), demand["weight"].tolist()  # mid-way along each edge
    ([50.0, 50.0, 50.0, 50.0], [100.0, 100.0, 100.0, 100.0])
    >>> demand.crs.to_epsg(), demand.to_crs(street.crs).geometry.x.round(6).tolist()
    (4326, [50.0, 150.0, 250.0, 350.0])
    """
    if not isinstance(net, WalkNetwork):
        raise _not_a_network(net)
    spacing = _validate.positive(spacing_m, "spacing_m")
    edge, position, piece_m, points = _spread.along(net.edge_geometry, net.edge_length_m, spacing)
    return gpd.GeoDataFrame(
        {
            "id": np.arange(edge.shape[0], dtype=np.int64),
            "kind": "network",
            "weight": piece_m,
            "edge": edge,
            "position_m": position,
        },
        geometry=points,
        crs=net.crs,
    ).to_crs(4326)


def _not_a_network(net: Any) -> InputError:
    return InputError(
        "`net`: expected a WalkNetwork (from `aedplan.network.load_network`), got {got}.",
        got=type(net).__name__,
    )
