"""Write results: each file whole or not at all, into an output folder that holds one run.

:func:`check_out` runs before any slow step: the folder can be created and written, and
it does not hold an earlier run's results unless ``overwrite`` is given.
:func:`write_outputs` stages every file in a hidden folder inside ``out`` and moves them
into place only when all are complete; with ``overwrite``, aedplan's own files that this
run does not produce (an earlier ``map.png``) are removed, and files aedplan did not write
are left alone.
"""

from __future__ import annotations

import errno
import importlib.util
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import _atomic, _files, _geo
from ._atomic import atomic_path, write_atomic
from .errors import InputError, Joined, Phrase, WriteError

__all__ = [
    "AEDPLAN_FILES",
    "OUTPUT_FILES",
    "atomic_path",
    "check_out",
    "write_atomic",
    "write_outputs",
    "write_province",
    "write_validation",
]

_WGS84 = _geo.WGS84

# --------------------------------------------------------------------------- outputs

#: Files ``write_outputs`` produces, in the order a reader meets them.
OUTPUT_FILES = (
    "map.html",
    "report.json",
    "proposed_sites.csv",
    "proposed_sites.geojson",
    "rescue_circles.geojson",
    "coverage.gpkg",
    "coverage_by_hour.png",
)

#: Every file aedplan may write into an output folder (``coverage_curve.png`` with a plan,
#: ``map.png`` only with ``png``): the files an earlier run leaves, and the only ones
#: ``overwrite`` replaces or removes.
AEDPLAN_FILES = (*OUTPUT_FILES, "coverage_curve.png", "map.png", "districts.csv",
                 "parts.geojson", "validation.json", "validation.csv", "validation.png",
                 "scenario.toml", "compare.csv", "aeds_read.csv", "district_maps")


def check_out(out: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Check, before any slow step, that ``out`` can take this run's files.

    ``out`` must be a folder that exists and can be written, or one that can be created
    (nothing is created here). A folder holding an earlier run's results
    (:data:`AEDPLAN_FILES`) is refused unless ``overwrite``, and so is one another
    running aedplan process writes into.
    """
    target = _usable(out)
    _not_busy(target)
    folders = [name for name in AEDPLAN_FILES if name != "district_maps"
               and (target / name).is_dir() and not (target / name).is_symlink()]
    if folders:  # a folder of the user's under one of aedplan's names: never replaced
        raise InputError(
            "`out`: {path} is a folder, not a file of an earlier run; aedplan would replace "
            "it. Move it, or choose another `out`.", path=target / folders[0])
    earlier = sorted(name for name in AEDPLAN_FILES if (target / name).exists())
    if earlier and not overwrite:
        raise InputError(
            "`out`: {target} holds results of an earlier run ({files}); pass "
            "`overwrite=True` to replace them, or choose another `out`.", target=target,
            files=Joined([*earlier[:3], "..."] if len(earlier) > 3 else earlier, sep=", "),
        )
    return target


def _usable(out: str | os.PathLike[str]) -> Path:
    """``out`` as a path, if it is a folder that exists and can be written, or one that
    can be created (nothing is created here)."""
    if not str(out).strip():
        raise InputError("`out` is empty; give a folder for the results, e.g. "
                         "`out='aedplan-out'`.")
    target = Path(out)
    try:
        if target.exists() and not target.is_dir():
            raise InputError("`out`: {target} exists and is not a folder; choose another "
                             "`out`.", target=target)
        existing = target if target.is_dir() else _nearest_existing(target)
        if not existing.is_dir():
            raise InputError(
                "`out`: cannot create {target}: {existing} is a file, not a folder; choose "
                "another `out`.", target=target, existing=existing,
            )
        # the one reliable test: write there (permissions, read-only disks, /proc)
        tempfile.TemporaryDirectory(dir=existing, prefix=".aedplan-check-").cleanup()
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise InputError(
                "`out`: cannot use {target}: a name in it is too long for the file system (at "
                "most 255 bytes a name); choose a shorter `out`.", target=_shown_path(target),
            ) from None
        reason = exc.strerror or type(exc).__name__
        raise InputError(
            "`out`: cannot write {target}: {existing} takes no new files ({reason}); "
            "choose a folder you can write, e.g. `out='aedplan-out'` in your home folder.",
            target=target, existing=existing, reason=reason.lower(),
        ) from None
    return target


def _shown_path(path: Path) -> str | Phrase:
    """``path`` for a message: long names cut to their first and last characters."""
    text = str(path)
    if len(text) <= 80:
        return text
    return Phrase("{start}...{end} ({n} characters)",
                  {"start": text[:40], "end": text[-20:], "n": len(text)})


def _nearest_existing(path: Path) -> Path:
    """The nearest folder above ``path`` that exists (the current one at worst)."""
    for parent in path.absolute().parents:
        if parent.exists():
            return parent
    return Path.cwd()


def _not_busy(target: Path) -> None:
    """Refuse a folder that another running aedplan process holds."""
    if not (target / _atomic.LOCK_NAME).exists():
        return
    try:  # take it and give it back: a lock of a process that is gone is taken over
        with _atomic.holding(target):
            pass
    except _atomic.FolderBusy as busy:
        raise _busy(target, busy) from None
    except OSError:
        return  # said by the writing, if it fails


def _busy(target: Path, busy: _atomic.FolderBusy) -> InputError:
    return InputError(
        "`out`: another aedplan run (process {pid} on {host}) is writing into {target}; "
        "wait for it to finish, or choose another `out`. (If no run is writing there, "
        "remove {lock}.)", pid=busy.pid, host=busy.host, target=target, lock=busy.lock,
    )


@contextmanager
def holding(out: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold the folder ``out`` for a run (created if needed, removed again if the run
    leaves it empty): a second run on it is refused while this one runs.

    Raises
    ------
    InputError
        When another running aedplan process holds ``out``.
    WriteError
        When ``out`` cannot be created.
    """
    target = _usable(out)
    with ExitStack() as stack:
        try:
            stack.enter_context(_atomic.holding(target))
        except _atomic.FolderBusy as busy:
            raise _busy(target, busy) from None
        except OSError as exc:
            raise _failed(target, exc) from exc
        yield target


_GEOMETRY_TYPES = {
    "demand": "Point",
    "aeds": "Point",
    "proposed": "Point",
    "circles": "MultiPolygon",
    "districts": "MultiPolygon",
    "moves": "LineString",
}


def _for_file(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """WGS84, with infinities as missing values (GeoJSON and GeoPackage have no inf)."""
    moved = gdf.crs is not None and not gdf.crs.equals(_WGS84)
    out = gdf.to_crs(_WGS84) if moved else gdf.copy()  # a new frame either way
    for col in out.columns:
        if col != out.geometry.name and pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].where(np.isfinite(out[col]))
    return out


def _json_ready(value: Any) -> Any:
    """Plain JSON values: numpy scalars to Python, inf/nan to None."""
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_json_ready(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def write_outputs(
    out_dir: str | os.PathLike[str],
    *,
    report: dict[str, Any],
    demand: gpd.GeoDataFrame,
    aeds: gpd.GeoDataFrame,
    proposed: gpd.GeoDataFrame | None,
    circles: gpd.GeoDataFrame,
    texts: Mapping[str, str] | None = None,
    images: Mapping[str, Callable[[Path], object]] | None = None,
    overwrite: bool = False,
    districts: gpd.GeoDataFrame | None = None,
    moves: gpd.GeoDataFrame | None = None,
) -> dict[str, Path]:
    """Write the result files of a plan into ``out_dir``.

    Every file is first written to a hidden staging folder inside ``out_dir``; only when
    all of them are complete are they moved into place, so a failure leaves no
    half-written file (and no partial set). Coordinates are WGS84 lon/lat.

    Files: each of ``texts`` (file name -> text: ``map.html``, ``scenario.toml``),
    ``report.json``,
    ``proposed_sites.csv`` and ``proposed_sites.geojson`` (with a plan: ``proposed`` not
    ``None``), ``rescue_circles.geojson``,
    ``coverage.gpkg`` (layers ``demand``, ``aeds``, ``proposed`` with a plan, ``circles``,
    and ``districts`` and ``moves`` when given), ``districts.csv`` (the district table,
    with ``districts``) and each of ``images`` (file name -> a writer taking a path),
    e.g. ``map.png``.

    A folder holding an earlier run's results is refused unless ``overwrite``; then the
    files of :data:`AEDPLAN_FILES` this run does not write are removed, so the folder
    never mixes two runs. Other files are left alone.

    Returns
    -------
    dict
        File name -> final path.

    Examples
    --------
    >>> import aedplan, geopandas as gpd
    >>> street = aedplan.network_from_arrays([0, 100, 200, 300, 400], [0, 0, 0, 0, 0],
    ...                                      [0, 1, 2, 3], [1, 2, 3, 4], crs="EPSG:32632")
    >>> def points(xs, ys=None):  # points in the street's CRS (metres)
    ...     return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys or [0] * len(xs)),
    ...                             crs="EPSG:32632")
    >>> import tempfile, pathlib
    >>> demand = aedplan.demand_from_network(street, spacing_m=100)
    >>> sites = aedplan.candidates_from_network(street, spacing_m=None)
    >>> plan = aedplan.plan_sites(street, demand, sites, aeds=points([0]), budget=1)
    >>> circles = aedplan.rescue_circles(street, plan.proposed).circles
    >>> files = aedplan.write_outputs(pathlib.Path(tempfile.mkdtemp()) / "out",
    ...                               report={"plan": {"new_sites": 1}}, demand=plan.demand,
    ...                               aeds=points([0]), proposed=plan.proposed, circles=circles)
    >>> sorted(files)  # doctest: +NORMALIZE_WHITESPACE
    ['coverage.gpkg', 'proposed_sites.csv', 'proposed_sites.geojson', 'report.json',
     'rescue_circles.geojson']
    """

    check_out(out_dir, overwrite=overwrite)  # refused before any work
    # as they are: each is made WGS84 a block of rows at a time as it is written
    layers = {"demand": demand, "aeds": aeds, "circles": circles}
    if proposed is not None:  # (today's coverage alone has no proposed sites)
        layers = {"demand": demand, "aeds": aeds, "proposed": _for_file(proposed),
                  "circles": circles}
    for name, frame in (("districts", districts), ("moves", moves)):
        if frame is not None:
            layers[name] = _for_file(frame)
    with staged(out_dir, overwrite=overwrite) as (stage, written):
        for name, text in (texts or {}).items():
            (stage / name).parent.mkdir(parents=True, exist_ok=True)  # district_maps/
            if _files.kind_of(name) == "table":  # aeds_read.csv
                write_csv(stage / name, text)
            else:
                (stage / name).write_text(text, encoding="utf-8")
        write_json(stage / "report.json", report)
        if "proposed" in layers:
            _write_proposed(layers["proposed"], stage)
        _write_vector(
            layers["circles"], stage / "rescue_circles.geojson", geometry_type="MultiPolygon"
        )
        if districts is not None:
            write_csv(stage / "districts.csv", pd.DataFrame(
                layers["districts"].drop(columns=layers["districts"].geometry.name)))
        with _gpkg_settings():
            for name, frame in layers.items():
                _write_vector(frame, stage / "coverage.gpkg", layer=name,
                              geometry_type=_GEOMETRY_TYPES[name])
        for name, writer in (images or {}).items():
            writer(stage / name)
    return written


def _write_proposed(prop: gpd.GeoDataFrame, stage: Path) -> None:
    """``proposed_sites.csv`` (with lon and lat) and ``proposed_sites.geojson``."""
    table = pd.DataFrame(prop.drop(columns=prop.geometry.name))
    table["lon"] = prop.geometry.x.round(7).to_numpy()
    table["lat"] = prop.geometry.y.round(7).to_numpy()
    write_csv(stage / "proposed_sites.csv", table)
    _write_vector(prop, stage / "proposed_sites.geojson", geometry_type="Point")


@contextmanager
def staged(out: str | os.PathLike[str], *, overwrite: bool
            ) -> Iterator[tuple[Path, dict[str, Path]]]:
    """A hidden staging folder inside ``out`` and the dict of files written: when the
    block ends without an error, every staged file is moved into ``out`` (signals held)
    and the files of :data:`AEDPLAN_FILES` this run did not write are removed, so the
    folder never mixes two runs; on an error nothing is moved. ``out`` is held
    (:func:`holding`) meanwhile, and the staging folder removed in any case.

    Raises
    ------
    WriteError
        When a file cannot be written or moved (a full disk, a name too long, the folder
        no longer writable): nothing of this run is left in ``out`` and an earlier run's
        files are as they were.
    """
    target = check_out(out, overwrite=overwrite)
    written: dict[str, Path] = {}
    with holding(target):
        try:
            stage = Path(tempfile.mkdtemp(dir=target, prefix=".aedplan-staging-"))
        except OSError as exc:
            raise _failed(target, exc) from exc
        try:
            yield stage, written
            with _signals_held():  # a Ctrl-C now would leave two runs' files side by side
                _move_in(stage, target, written)
        except OSError as exc:
            shutil.rmtree(stage, ignore_errors=True)
            cause = exc.__cause__ if isinstance(exc, WriteError) else exc  # a folder inside
            raise _failed(target, cause if isinstance(cause, OSError) else exc,
                          left=stage) from cause
        finally:
            shutil.rmtree(stage, ignore_errors=True)


def _move_in(stage: Path, target: Path, written: dict[str, Path]) -> None:
    """Move every file of ``stage`` into ``target`` and remove the files of
    :data:`AEDPLAN_FILES` this run did not write; all or none: the files replaced are
    set aside first, and put back if a move fails."""
    names = sorted(p.name for p in stage.iterdir())
    replaced = [n for n in dict.fromkeys([*names, *AEDPLAN_FILES]) if (target / n).exists()
                or (target / n).is_symlink()]
    aside = Path(tempfile.mkdtemp(dir=target, prefix=".aedplan-replaced-"))
    moved: list[tuple[Path, Path]] = []
    try:
        for name in replaced:
            os.replace(target / name, aside / name)
            moved.append((target / name, aside / name))
        for name in names:
            os.replace(stage / name, target / name)
            moved.append((stage / name, target / name))
    except OSError:
        for source, dest in reversed(moved):  # back as it was
            with suppress(OSError):
                os.replace(dest, source)
        raise
    finally:
        shutil.rmtree(aside, ignore_errors=True)
    written.update((name, target / name) for name in names)


_SPACE = "Free some space, or choose another `out`."
_WRITABLE = "Choose a folder you can write as `out`."
#: What to do when writing fails, by the error's number.
_FIXES = {errno.ENOSPC: _SPACE, errno.EDQUOT: _SPACE, errno.EFBIG: _SPACE,
          errno.ENAMETOOLONG: "Choose a shorter `out`.", errno.EACCES: _WRITABLE,
          errno.EPERM: _WRITABLE, errno.EROFS: _WRITABLE}


def _failed(target: Path, exc: OSError, left: Path | None = None) -> WriteError:
    """The error that says in one line why writing into ``target`` failed, and what to
    do; the OS's own words (``reason``) as they are."""
    reason = (exc.strerror or str(exc) or type(exc).__name__).rstrip(".")
    where = Phrase(" ({name})", {"name": Path(exc.filename).name}) if exc.filename else ""
    stuck = (Phrase("; the staging folder {left} could not be removed: remove it yourself",
                    {"left": left}) if left is not None and left.exists() else "")
    if reason[1:2].islower():  # "No space left" -> "no space left"; "GDAL" stays
        reason = reason[:1].lower() + reason[1:]
    return WriteError(
        "`out`: writing into {target} failed: {reason}{where}; nothing was written, and an "
        "earlier run's files are as they were{stuck}. {fix}", target=_shown_path(target),
        reason=reason, where=where, stuck=stuck,
        fix=Phrase(_FIXES.get(exc.errno or 0, "Choose another `out`.")))


#: The text encoding of the CSV tables: UTF-8 with a byte order mark, without which Excel
#: reads UTF-8 as the machine's code page (Chinese and accented names garbled); pandas,
#: GDAL/QGIS and Python's ``utf-8-sig`` read it as plain UTF-8.
CSV_ENCODING = "utf-8-sig"


def write_csv(path: Path, table: Any) -> None:
    """``table`` (a DataFrame, or CSV text) as a CSV file Excel reads right: UTF-8 with a
    byte order mark, no index."""
    if isinstance(table, str):
        path.write_text(table, encoding=CSV_ENCODING)
    else:
        table.to_csv(path, index=False, encoding=CSV_ENCODING)


def write_json(path: Path, report: Any) -> None:
    """``report`` as indented JSON (NumPy values as plain numbers), UTF-8."""
    import json

    path.write_text(json.dumps(_json_ready(report), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back (on POSIX, in the main thread) until the block ends."""
    import signal
    import threading

    held = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not \
            threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def _gpkg_settings() -> Iterator[None]:
    """GDAL stamps a GeoPackage with the time of writing, so two runs would differ; stamp
    it with ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) or 1970-01-01.
    SQLite would also wait for the disk at each of a layer's transactions (about a tenth
    of a second a layer): the GeoPackage is written in the staging folder and moved in
    whole, as every other file of the run, none of which waits for the disk either; the
    bytes are the same."""
    import datetime

    import pyogrio

    try:
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    except ValueError:
        epoch = 0
    stamp = datetime.datetime.fromtimestamp(epoch, datetime.UTC)
    ours = {"OGR_CURRENT_DATE": stamp.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "OGR_SQLITE_SYNCHRONOUS": "OFF"}
    before = {key: pyogrio.get_gdal_config_option(key) for key in ours}
    pyogrio.set_gdal_config_options(ours)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(before)


#: pyogrio writes through Arrow when pyarrow is installed (the same files, written in
#: about a third of the time for large layers).
_HAS_ARROW = importlib.util.find_spec("pyarrow") is not None


#: Rows of a GeoPackage layer converted and written at a time: a province's demand
#: (millions of points) is never copied whole to WGS84 and to the file's encoding.
BLOCK_ROWS = 500_000


def _write_vector(
    gdf: gpd.GeoDataFrame, path: Path, *, geometry_type: str, layer: str | None = None
) -> None:
    """``gdf`` into ``path`` in WGS84 (a GeoPackage ``layer``: :data:`BLOCK_ROWS` rows at
    a time, appended; a GeoJSON file whole)."""
    step = BLOCK_ROWS if layer is not None else max(len(gdf), 1)
    for start in range(0, max(len(gdf), 1), step):  # an empty frame still makes its layer
        frame = _for_file(gdf.iloc[start:start + step])
        if geometry_type == "MultiPolygon" and len(frame):
            frame.geometry = gpd.GeoSeries(_as_multi(frame.geometry.to_numpy()),
                                           crs=frame.crs, index=frame.index)
        _write_block(frame, path, geometry_type=geometry_type, layer=layer,
                     append=start > 0)


def _write_block(frame: gpd.GeoDataFrame, path: Path, *, geometry_type: str,
                 layer: str | None, append: bool) -> None:
    import pyogrio
    import pyogrio.errors

    kwargs: dict[str, Any] = {"geometry_type": geometry_type, "use_arrow": _HAS_ARROW}
    if layer is not None:
        kwargs["layer"] = layer
    if append:
        kwargs["append"] = True
    try:
        pyogrio.write_dataframe(frame, path, **kwargs)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        # GDAL says a full disk in its own words ("Cannot write feature")
        full = shutil.disk_usage(path.parent).free < 1 << 20
        raise OSError(errno.ENOSPC if full else errno.EIO,
                      os.strerror(errno.ENOSPC) if full else f"GDAL: {exc}", str(path)) from exc


def _as_multi(geoms: np.ndarray) -> np.ndarray:
    """(Multi)polygons as MultiPolygons, vectorised; empty or missing -> empty."""
    polys = np.asarray(geoms, dtype=object)
    parts, index = shapely.get_parts(polys, return_index=True)
    keep = (shapely.get_type_id(parts) == 3) & ~shapely.is_empty(parts)  # polygons only
    out = np.empty(polys.shape[0], dtype=object)
    shapely.multipolygons(parts[keep], indices=index[keep], out=out)
    missing = shapely.is_missing(out)
    out[missing] = shapely.MultiPolygon()
    return out


def write_province(out: str | os.PathLike[str], plan: Any, *,
                   overwrite: bool = False) -> dict[str, Path]:
    """Write a :class:`~aedplan.province.ProvincePlan` into ``out``, all files or none:
    ``report.json``, ``proposed_sites.csv`` (node, lon, lat, part),
    ``proposed_sites.geojson``, ``parts.geojson`` (each part, a tile or a district,
    with its demand and coverage before and after) and ``map.html``, an overview: the
    parts shaded by coverage and the new AEDs as points. Files of an earlier run are
    replaced only with ``overwrite``.

    Examples
    --------
    >>> import aedplan, tempfile, pathlib
    >>> plan = aedplan.plan_province(aedplan.datasets.default_osm_path(), budget=2)
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "province"
    >>> sorted(aedplan.write_province(folder, plan))
    ['map.html', 'parts.geojson', 'proposed_sites.csv', 'proposed_sites.geojson', 'report.json']
    """

    from ._words import Words, language
    from .render import render_map, save_map

    check_out(out, overwrite=overwrite)  # refused before any work
    sites = gpd.GeoDataFrame(plan.sites.copy(), geometry=gpd.points_from_xy(
        plan.sites["x"], plan.sites["y"]), crs=plan.crs).to_crs(_WGS84)
    sites["lon"], sites["lat"] = sites.geometry.x.round(7), sites.geometry.y.round(7)
    sites = sites.drop(columns=["x", "y"])
    boxes = [plan.partition.shape(k) for k in plan.parts["part"]]
    parts = _for_file(gpd.GeoDataFrame(plan.parts, geometry=boxes, crs=plan.crs))
    with staged(out, overwrite=overwrite) as (stage, written):
        write_json(stage / "report.json", plan.report)
        write_csv(stage / "proposed_sites.csv", pd.DataFrame(sites.drop(columns="geometry")))
        _write_vector(sites, stage / "proposed_sites.geojson", geometry_type="Point")
        _write_vector(parts, stage / "parts.geojson", geometry_type="MultiPolygon")
        save_map(render_map(plan, title=Words(language(None))("New AEDs by part")),
                 stage / "map.html")
    return written


def write_validation(out: str | os.PathLike[str], validation: Any, *,
                     overwrite: bool = False, lang: str | None = None) -> dict[str, Path]:
    """Write a :class:`~aedplan.validate.Validation` into ``out``, all files or none:
    ``validation.json`` (the report), ``validation.csv`` (one row per model and budget)
    and ``validation.png`` (the held-out scores with their intervals).

    Examples
    --------
    >>> import aedplan, pandas as pd, numpy as np, tempfile, pathlib
    >>> rng = np.random.default_rng(7)  # made-up arrests around Vaduz centre
    >>> made_up = pd.DataFrame({"lon": 9.521 + rng.normal(0, 0.002, 30),
    ...                         "lat": 47.139 + rng.normal(0, 0.002, 30),
    ...                         "time": pd.date_range("2022-01-01", "2023-12-31", 30)})
    >>> v = aedplan.validate_plans(made_up, time_col="time", folds=2, budgets=[1],
    ...                            models=["arrests", "network"])
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "validation"
    >>> sorted(aedplan.write_validation(folder, v))
    ['validation.csv', 'validation.json', 'validation.png']
    """
    from .figure import render_validation_png

    with staged(out, overwrite=overwrite) as (stage, written):
        write_json(stage / "validation.json", validation.report)
        write_csv(stage / "validation.csv", validation.table)
        render_validation_png(validation.table, stage / "validation.png", lang=lang)
    return written
