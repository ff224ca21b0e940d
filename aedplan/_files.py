"""File kinds and the one reader of vector and table files.

Every stage that takes a file (network, AEDs, demand, candidates, population grids)
asks :func:`kind_of` what a path holds, from one table of suffixes, and reads vector
data through :func:`read_vector` and tables through :func:`read_table`. A missing
optional dependency is an :class:`~aedplan.errors.InputError` naming the extra to
install.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

from ._caller import warn
from .errors import InputError, Joined, Phrase

#: Suffixes (lower case) of each kind of file aedplan reads. The first match wins, so
#: ``.osm.xml`` is OSM, and ``.json`` is GeoJSON.
SUFFIXES: dict[str, tuple[str, ...]] = {
    "osm": (".osm", ".osm.bz2", ".osm.gz", ".osm.pbf", ".pbf", ".osm.xml", ".xml"),
    "table": (".csv", ".tsv", ".xlsx", ".xlsm"),
    "vector": (".geojson", ".json", ".gpkg", ".shp", ".fgb", ".parquet", ".geoparquet"),
    "graphml": (".graphml",),
    "raster": (".tif", ".tiff", ".vrt", ".img", ".asc"),
}

#: What each kind is called in messages.
KIND_NAMES: dict[str, str] = {
    "osm": "OpenStreetMap file",
    "table": "CSV table or Excel sheet with lon/lat columns",
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


def describe(*kinds: str) -> Joined:
    """The kinds of file in words, with their suffixes, for messages (said in the
    message's language; ``str()`` gives the English)."""
    return Joined([Phrase("{kind} ({suffixes})", {"kind": Phrase(KIND_NAMES[k]),
                                                  "suffixes": ", ".join(SUFFIXES[k])})
                   for k in kinds])


def check_file(path: str | os.PathLike[str], argument: str) -> Path:
    """``path`` as a :class:`~pathlib.Path` when it is an existing, non-empty file."""
    p = Path(path)
    if p.is_dir():
        raise InputError("`{argument}`: {path} is a folder, not a file. Pass the path of a "
                         "file.", argument=argument, path=p)
    if not p.exists():
        raise InputError("`{argument}`: file not found: {path}. Check the path.",
                         argument=argument, path=p)
    if not p.is_file():
        raise InputError("`{argument}`: {path} is not a file. Pass the path of a file.",
                         argument=argument, path=p)
    if p.stat().st_size == 0:
        raise InputError("`{argument}`: {name} is empty (0 bytes). Pass a file with data.",
                         argument=argument, name=p.name)
    return p


def require_kind(
    path: str | os.PathLike[str], argument: str, kinds: tuple[str, ...]
) -> tuple[Path, str]:
    """Check that ``path`` is an existing file of one of ``kinds``; return it and its kind."""
    p = check_file(path, argument)
    kind = kind_of(p)
    if kind not in kinds:
        raise InputError(
            "`{argument}`: cannot read {name}: unknown file type. Expected one of: "
            "{kinds}. Rename the file with the right suffix or convert it.",
            argument=argument, name=p.name, kinds=describe(*kinds),
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
            raise InputError("`layer`: {name} is GeoParquet, which has no layers. Drop it.",
                             name=p.name)
        try:
            import pyarrow  # noqa: F401  (geopandas needs it for GeoParquet)
        except ImportError as exc:
            raise InputError(
                "`{argument}`: reading the GeoParquet file {name} needs pyarrow, which is "
                'not installed: `pip install "aedplan[parquet]"`.',
                argument=argument, name=p.name,
            ) from exc
        try:
            frame = gpd.read_parquet(p)
        except Exception as exc:  # pyarrow raises many kinds
            raise InputError("`{argument}`: cannot read {name} as GeoParquet: {detail}",
                             argument=argument, name=p.name, detail=str(exc)) from exc
    else:
        frame = _read_ogr(p, argument, layer)
    if len(frame) == 0:
        raise InputError(
            "`{argument}`: {name} has no features{layer}. Pass a file with data.",
            argument=argument, name=p.name,
            layer=Phrase(" in layer {layer!r}", {"layer": layer}) if layer is not None else "",
        )
    return frame


def _read_ogr(path: Path, argument: str, layer: str | int | None) -> Any:
    import geopandas as gpd
    import pyogrio

    try:
        layers = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    except Exception as exc:  # pyogrio raises several DataSourceError kinds
        raise InputError("`{argument}`: cannot read {name}: {detail}", argument=argument,
                         name=path.name, detail=str(exc)) from exc
    if layer is None and len(layers) > 1:
        raise InputError(
            "`{argument}`: {name} has {n} layers ({layers}); pass `layer` to choose one.",
            argument=argument, name=path.name, n=len(layers), layers=Joined(layers, sep=", "),
        )
    if (
        layer is not None
        and layer not in layers
        and not (isinstance(layer, int) and 0 <= layer < len(layers))
    ):
        raise InputError(
            "`layer`: {name} has no layer {layer!r}; its layers are: {layers}.",
            name=path.name, layer=layer, layers=Joined(layers, sep=", "),
        )
    try:
        return gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as exc:
        raise InputError("`{argument}`: cannot read {name}: {detail}", argument=argument,
                         name=path.name, detail=str(exc)) from exc


def read_table(
    path: str | os.PathLike[str],
    *,
    argument: str,
    text_columns: tuple[str, ...] = (),
    encoding: str | None = None,
) -> tuple[Any, str]:
    """Read a CSV/TSV table or an Excel workbook (``.xlsx``: its sheets that hold a table,
    one after another when they share their columns); return it and its separator
    (``","`` for Excel). Title rows above the header are skipped, with a
    warning, and counted in ``table.attrs["title_rows"]``.

    The separator of a ``.csv`` is sniffed from the header line: Excel writes ``;``
    (with decimal commas) in many locales. The encoding is UTF-8 (with or without a BOM)
    when the bytes are UTF-8, else detected (charset-normalizer: GB18030 for a CSV saved
    by Excel on Chinese Windows, Latin-1...) and said in a warning; ``encoding``
    overrides. ``text_columns`` are read as text (ids).
    """
    p, _ = require_kind(path, argument, ("table",))
    if p.suffix.lower() in EXCEL:
        return _read_excel(p, argument, text_columns), ","
    import pandas as pd

    codec = _encoding_of(p, argument, encoding)
    with p.open(encoding=codec, errors="replace") as fh:
        head = [line for _, line in zip(range(_HEAD_ROWS), fh, strict=False)]
    if p.suffix.lower() == ".tsv":
        sep = "\t"
    else:  # the header's: the first line with one (a title line above it may have none)
        first = next((line for line in head if any(c in line for c in ",;\t")), "")
        sep = max((",", ";", "\t"), key=first.count) if first.strip() else ","
    titles = _title_rows([next(csv.reader([line], delimiter=sep), []) for line in head],
                         p.name, argument)
    try:
        table = pd.read_csv(
            p,
            sep=sep,
            encoding=codec,
            dtype={c: str for c in text_columns} or None,
            skipinitialspace=True,
            skiprows=titles,
        )
    except pd.errors.EmptyDataError as exc:
        raise InputError(
            "`{argument}`: {name} has no header and no rows. Pass a CSV with a "
            "header line (e.g. 'id,lon,lat') and one row per point.",
            argument=argument, name=p.name,
        ) from exc
    except UnicodeDecodeError as exc:
        raise InputError(
            "`{argument}`: {name} is not {codec} text ({reason}); pass `encoding` "
            "with the encoding it was saved in (e.g. 'gb18030', 'latin-1').",
            argument=argument, name=p.name, codec=codec, reason=exc.reason,
        ) from exc
    except pd.errors.ParserError as exc:
        raise InputError(
            "`{argument}`: cannot parse {name} as CSV ({detail}). Check the separator "
            "and quoting.", argument=argument, name=p.name, detail=str(exc),
        ) from exc
    if table.empty:
        raise InputError(
            "`{argument}`: {name} has a header but no rows. Add one row per point.",
            argument=argument, name=p.name,
        )
    table.attrs["title_rows"] = titles
    return table, sep


#: How many rows at the top of a table are looked at for a title above the header.
_HEAD_ROWS = 20


def _title_rows(rows: list[list[Any]], name: str, argument: str) -> int:
    """How many title rows (one cell filled, or none) stand above the header of a table
    whose first ``rows`` are given: a registry kept in Excel often has one ("龙岩市公共场所
    AED一览表"). Said in a warning when there are any."""
    filled = [sum(1 for c in row if c is not None and str(c).strip()) for row in rows]
    wide = max(filled, default=0)
    if wide < 2:
        return 0
    header = next(i for i, n in enumerate(filled) if n >= max(2, (wide + 1) // 2))
    if header == 0 or any(n > 1 for n in filled[:header]):
        return 0
    title = " ".join(str(c).strip() for row in rows[:header] for c in row
                     if c is not None and str(c).strip())
    if not title:  # blank rows only: nothing to say
        return header
    warn("`{argument}`: {name} has {n} title rows above its header ({title}); the table is "
         "read from row {row}." if header > 1 else
         "`{argument}`: {name} has a title row above its header ({title}); the table is "
         "read from row {row}.", argument=argument, name=name, n=header,
         title=repr(title[:60]), row=header + 1)
    return header


#: Suffixes of spreadsheets read as tables.
EXCEL = (".xlsx", ".xlsm")


def _encoding_of(path: Path, argument: str, encoding: str | None) -> str:
    """The text encoding of ``path``: ``encoding`` when given, UTF-8 when the bytes are
    UTF-8, else what charset-normalizer finds (with a warning saying so)."""
    import codecs

    if encoding is not None:
        try:
            return codecs.lookup(encoding).name
        except LookupError:
            raise InputError(
                "`encoding`: {encoding!r} is not an encoding Python knows; try 'utf-8', "
                "'gb18030' or 'latin-1'.", encoding=encoding,
            ) from None
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8-sig"  # with or without a BOM
    codec = _detected(data)
    if codec is None:
        raise InputError(
            "`{argument}`: {name} is not text in any encoding aedplan recognises; "
            "save it as CSV UTF-8, or pass `encoding`.", argument=argument, name=path.name,
        )
    warn("`{argument}`: {name} is not UTF-8; read it as {codec} (detected). Pass "
         "`encoding` if its text looks wrong.", argument=argument, name=path.name,
         codec=codec)
    return codec


#: Encodings spreadsheets are saved in, most likely first; among the encodings that read a
#: file about as cleanly as the cleanest (charset-normalizer's chaos within 0.05), the first
#: of these wins: a short German file is as clean in cp1252 as in the Baltic cp775, a short
#: Chinese one nearly as clean in GB18030 as in Shift-JIS. GB2312 and GBK are read as
#: their superset GB18030.
_LIKELY_ENCODINGS = ("gb18030", "big5", "cp932", "cp949", "cp1252", "cp1250", "cp1251",
                     "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258")
_AS = {"gb2312": "gb18030", "gbk": "gb18030", "latin_1": "cp1252", "iso8859_1": "cp1252",
       "shift_jis": "cp932", "euc_kr": "cp949"}


def _detected(data: bytes) -> str | None:
    """The encoding charset-normalizer finds for ``data``, preferring the likely ones."""
    import codecs

    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    cleanest = min(m.chaos for m in matches)
    names = {
        _AS.get(codecs.lookup(name).name.replace("-", "_"), codecs.lookup(name).name)
        for m in matches if m.chaos <= cleanest + 0.05
        for name in (m.encoding, *m.could_be_from_charset)
    }
    likely = [name for name in _LIKELY_ENCODINGS if name in names]
    codec = likely[0] if likely else codecs.lookup(matches[0].encoding).name
    return "cp1252" if codec in _EAST_ASIAN and _western(data) else codec


#: Encodings of Chinese, Japanese and Korean text, which a short Western file can pass for.
_EAST_ASIAN = ("gb18030", "big5", "big5hkscs", "cp932", "shift_jis_2004", "cp949")


def _western(data: bytes) -> bool:
    """Whether ``data`` reads as Western text in cp1252 (every character beyond ASCII a
    Latin letter) and not as Chinese in the common characters (some character of its
    GB18030 reading outside GB2312): "Zürich" in Latin-1 reads as "Z黵ich" in GB18030,
    a character no registry writes. How short files are told apart does not then depend
    on charset-normalizer's version."""
    import unicodedata

    try:
        western, chinese = data.decode("cp1252"), data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    latin = all(c.isascii() or (c.isalpha() and unicodedata.name(c, "").startswith("LATIN"))
                for c in western)
    common = all(c.isascii() or c.encode("gb2312", errors="ignore") for c in chinese)
    return latin and not common


def _read_excel(path: Path, argument: str, text_columns: tuple[str, ...]) -> Any:
    import pandas as pd

    try:
        import openpyxl  # noqa: F401  (pandas reads .xlsx through it)
    except ImportError as exc:  # pragma: no cover - a dependency
        raise InputError(
            "`{argument}`: reading the spreadsheet {name} needs openpyxl: "
            "`pip install openpyxl`.", argument=argument, name=path.name,
        ) from exc
    try:
        with pd.ExcelFile(path) as book:  # read once; each sheet parsed from it
            return _tables_of(book, path.name, argument, text_columns)
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises several kinds for broken files
        raise InputError(
            "`{argument}`: cannot read {name} as an Excel workbook ({detail}); save "
            "it again from Excel, or as CSV UTF-8.",
            argument=argument, name=path.name, detail=str(exc),
        ) from exc


def _tables_of(book: Any, name: str, argument: str, text_columns: tuple[str, ...]) -> Any:
    """The sheets of ``book`` that hold a table, with their title rows skipped, as one
    table."""
    import pandas as pd

    heads = {sheet: pd.read_excel(book, sheet_name=sheet, header=None, nrows=_HEAD_ROWS,
                                  dtype=object) for sheet in book.sheet_names}
    # a table has a row of two cells or more (not a new workbook's empty Sheet2, nor a
    # sheet of notes in one column)
    heads = {sheet: head for sheet, head in heads.items()
             if (head.notna().sum(axis=1) >= 2).any()}
    if not heads:
        raise InputError(
            "`{argument}`: {name} has no table in any sheet. Add a header row and one "
            "row per point.", argument=argument, name=name,
        )
    titles = {sheet: _title_rows(head.where(head.notna(), None).to_numpy().tolist(), name,
                                 argument) for sheet, head in heads.items()}
    tables = [pd.read_excel(book, sheet_name=sheet, skiprows=titles[sheet],
                            dtype={c: str for c in text_columns} or None) for sheet in heads]
    return _sheets_as_one(tables, list(heads), name, argument, titles)


def _sheets_as_one(tables: list[Any], names: list[Any], name: str, argument: str,
                   titles: dict[Any, int]) -> Any:
    """The sheets of a workbook with data as one table: one sheet as it is; several with
    the same columns (a registry kept a sheet per district) one after another, said in a
    warning; several with other columns refused, named."""
    import pandas as pd

    for table in tables:
        table.columns = [str(c).strip() for c in table.columns]
    if len(tables) > 1 and any(list(t.columns) != list(tables[0].columns) for t in tables):
        raise InputError(
            "`{argument}`: {name} has {n} sheets with data and their columns differ "
            "({columns}). Give the sheets of points the same header (they are then read as "
            "one table) and delete the others, or save the sheet of the points as CSV UTF-8 "
            "and pass that file.",
            argument=argument, name=name, n=len(tables), columns=Joined([Phrase(
                "{sheet}: {names}", {"sheet": str(sheet), "names": Joined(
                    [str(c) for c in t.columns], sep=", ")})
                for sheet, t in zip(names, tables, strict=True)], sep="; "),
        )
    if len(tables) > 1:
        warn("`{argument}`: {name} has {n} sheets with the same columns ({sheets}); they "
             "are read as one table of {rows} rows.", argument=argument, name=name,
             n=len(tables), sheets=Joined([str(s) for s in names], sep=", "),
             rows=sum(len(t) for t in tables))
    table = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]
    if table.empty:
        raise InputError(
            "`{argument}`: {name} has a header but no rows. Add one row per point.",
            argument=argument, name=name,
        )
    table.attrs["title_rows"] = titles[names[0]]
    return table
