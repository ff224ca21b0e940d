"""File kinds and the one reader of vector and table files.

Every stage that takes a file (network, AEDs, demand, candidates, population grids)
asks :func:`kind_of` what a path holds, from one table of suffixes, and reads vector
data through :func:`read_vector` and tables through :func:`read_table`. A missing
optional dependency is an :class:`~aedplan.errors.InputError` naming the extra to
install.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .errors import InputError

#: Suffixes (lower case) of each kind of file aedplan reads. The first match wins, so
#: ``.osm.xml`` is OSM, and ``.json`` is GeoJSON.
SUFFIXES: dict[str, tuple[str, ...]] = {
    "osm": (".osm", ".osm.bz2", ".osm.gz", ".osm.pbf", ".pbf", ".osm.xml", ".xml"),
    "table": (".csv", ".tsv"),
    "vector": (".geojson", ".json", ".gpkg", ".shp", ".fgb", ".parquet", ".geoparquet"),
    "graphml": (".graphml",),
    "raster": (".tif", ".tiff", ".vrt", ".img", ".asc"),
}

#: What each kind is called in messages.
KIND_NAMES: dict[str, str] = {
    "osm": "OpenStreetMap file",
    "table": "CSV table with lon/lat columns",
    "vector": "GeoJSON, GeoPackage, Shapefile, FlatGeobuf or GeoParquet file",
    "graphml": "GraphML street graph (saved by osmnx)",
    "raster": "raster (GeoTIFF)",
}

_PARQUET = (".parquet", ".geoparquet")


def kind_of(path: str | os.PathLike[str]) -> str | None:
    """``"osm"``, ``"table"``, ``"vector"``, ``"graphml"`` or ``"raster"`` from the
    suffix of ``path``; ``None`` when aedplan reads no such file.

    >>> kind_of("vaduz.osm.pbf"), kind_of("aeds.CSV"), kind_of("edges.json")
    ('osm', 'table', 'vector')
    >>> kind_of("notes.txt") is None
    True
    """
    name = str(path).lower()
    for kind, suffixes in SUFFIXES.items():
        if name.endswith(suffixes):
            return kind
    return None


def is_osm_file(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` has the suffix of an OSM file."""
    return kind_of(path) == "osm"


def describe(*kinds: str) -> str:
    """The kinds of file in words, with their suffixes, for messages."""
    return "; ".join(f"{KIND_NAMES[k]} ({', '.join(SUFFIXES[k])})" for k in kinds)


def check_file(path: str | os.PathLike[str], argument: str) -> Path:
    """``path`` as a :class:`~pathlib.Path` when it is an existing, non-empty file."""
    p = Path(path)
    if p.is_dir():
        raise InputError(f"`{argument}`: {p} is a directory. Pass the path of a file.")
    if not p.exists():
        raise InputError(f"`{argument}`: file not found: {p}. Check the path.")
    if not p.is_file():
        raise InputError(f"`{argument}`: {p} is not a file. Pass the path of a file.")
    if p.stat().st_size == 0:
        raise InputError(f"`{argument}`: {p.name} is empty (0 bytes). Pass a file with data.")
    return p


def require_kind(
    path: str | os.PathLike[str], argument: str, kinds: tuple[str, ...]
) -> tuple[Path, str]:
    """Check that ``path`` is an existing file of one of ``kinds``; return it and its kind."""
    p = check_file(path, argument)
    kind = kind_of(p)
    if kind not in kinds:
        raise InputError(
            f"`{argument}`: cannot read {p.name}: unknown file type. Expected one of: "
            f"{describe(*kinds)}. Rename the file with the right suffix or convert it."
        )
    return p, kind


def read_vector(
    path: str | os.PathLike[str], *, argument: str, layer: str | int | None = None
) -> Any:
    """Read a vector file (GeoJSON, GeoPackage, Shapefile, FlatGeobuf, GeoParquet) into a
    GeoDataFrame, with one clear error for whatever goes wrong.

    Parameters
    ----------
    path
        The file.
    argument
        The argument or option the path came from, for messages.
    layer
        Layer of a multi-layer file (GeoPackage); required when it has several.
    """
    import geopandas as gpd

    p, _ = require_kind(path, argument, ("vector",))
    if p.name.lower().endswith(_PARQUET):
        if layer is not None:
            raise InputError(f"`layer`: {p.name} is GeoParquet, which has no layers. Drop it.")
        try:
            import pyarrow  # noqa: F401  (geopandas needs it for GeoParquet)
        except ImportError as exc:
            raise InputError(
                f"`{argument}`: reading the GeoParquet file {p.name} needs pyarrow, which is "
                'not installed: `pip install "aedplan[parquet]"`.'
            ) from exc
        try:
            frame = gpd.read_parquet(p)
        except Exception as exc:  # pyarrow raises many kinds
            raise InputError(f"`{argument}`: cannot read {p.name} as GeoParquet: {exc}") from exc
    else:
        frame = _read_ogr(p, argument, layer)
    if len(frame) == 0:
        raise InputError(
            f"`{argument}`: {p.name} has no features"
            + (f" in layer {layer!r}" if layer is not None else "")
            + ". Pass a file with data."
        )
    return frame


def _read_ogr(path: Path, argument: str, layer: str | int | None) -> Any:
    import geopandas as gpd
    import pyogrio

    try:
        layers = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    except Exception as exc:  # pyogrio raises several DataSourceError kinds
        raise InputError(f"`{argument}`: cannot read {path.name}: {exc}") from exc
    if layer is None and len(layers) > 1:
        raise InputError(
            f"`{argument}`: {path.name} has {len(layers)} layers ({', '.join(layers)}); "
            "pass `layer` to choose one."
        )
    if (
        layer is not None
        and layer not in layers
        and not (isinstance(layer, int) and 0 <= layer < len(layers))
    ):
        raise InputError(
            f"`layer`: {path.name} has no layer {layer!r}; its layers are: {', '.join(layers)}."
        )
    try:
        return gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as exc:
        raise InputError(f"`{argument}`: cannot read {path.name}: {exc}") from exc


def read_table(
    path: str | os.PathLike[str], *, argument: str, text_columns: tuple[str, ...] = ()
) -> tuple[Any, str]:
    """Read a CSV or TSV table; return it and its separator.

    The separator of a ``.csv`` is sniffed from the header line: Excel writes ``;``
    (with decimal commas) in many locales. ``text_columns`` are read as text (ids).
    """
    import pandas as pd

    p, _ = require_kind(path, argument, ("table",))
    try:
        with p.open(encoding="utf-8-sig") as fh:
            header = fh.readline()
    except UnicodeDecodeError as exc:
        raise InputError(
            f"`{argument}`: {p.name} is not UTF-8 text ({exc.reason}). "
            "Save it as CSV UTF-8 (Excel: 'CSV UTF-8')."
        ) from exc
    if p.suffix.lower() == ".tsv":
        sep = "\t"
    else:
        sep = max((",", ";", "\t"), key=header.count) if header.strip() else ","
    try:
        table = pd.read_csv(
            p,
            sep=sep,
            encoding="utf-8-sig",
            dtype={c: str for c in text_columns} or None,
            skipinitialspace=True,
        )
    except pd.errors.EmptyDataError as exc:
        raise InputError(
            f"`{argument}`: {p.name} has no header and no rows. Pass a CSV with a "
            "header line (e.g. 'id,lon,lat') and one row per point."
        ) from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(
            f"`{argument}`: cannot parse {p.name} as CSV ({exc}). Check the separator "
            "and quoting, and save it as CSV UTF-8."
        ) from exc
    if table.empty:
        raise InputError(
            f"`{argument}`: {p.name} has a header but no rows. Add one row per point."
        )
    return table, sep
