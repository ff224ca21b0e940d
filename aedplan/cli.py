"""The ``aedplan`` command: wires the stages together and does nothing else.

    network -> reach -> (demand, candidates) -> coverage -> optimise -> render
"""

from __future__ import annotations

import re
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from .datasets import OSM_CREDIT
from .errors import AedplanError, AedplanWarning

EXAMPLES_PLAN = """
\b
Examples:
  aedplan plan --budget 10
      the embedded default (Vaduz and Schaan, with their 75 real AEDs): 10 new AEDs
  aedplan plan --osm liechtenstein.osm.pbf --budget 20
      AEDs, buildings and candidate sites all from one OSM extract
  aedplan plan --osm city.network.osm.bz2 --aeds city.aed.osm.bz2 \\
               --demand city.buildings.osm.bz2 --candidates nodes --budget 10
  aedplan plan --osm longyan.osm.pbf --aeds aeds.csv --datum gcj02 --target-coverage 0.9
  aedplan plan --place "Vaduz, Liechtenstein" --budget 10 --mode one-way --speed 2.0
  aedplan plan --osm liechtenstein.osm.pbf --budget 0 --relocate 10 --movable restricted
      move up to 10 AEDs the public may not use to public cabinets, buy none
  aedplan plan --osm liechtenstein.osm.pbf --budget 10 --districts osm --min-district-coverage 0.05
      a table per municipality, and at least 5% covered in each
\b
Time model: a rescuer walks at --speed m/s; with --mode round-trip they fetch the AED and
come back within --minutes (4 min at 1.4 m/s reaches 168 m along the streets).
Map data {credit} (ODbL).
"""

EXAMPLES_PLAN = EXAMPLES_PLAN.format(credit=OSM_CREDIT)

EXAMPLES_COVERAGE = """
\b
Examples:
  aedplan coverage --osm liechtenstein.osm.pbf
  aedplan coverage --osm city.network.osm.bz2 --aeds aeds.csv --demand arrests.csv
"""


EXAMPLES_VALIDATE = """
\b
Examples:
  aedplan validate --osm city.osm.pbf --arrests arrests.csv --time-col date --train-until 2023-12-31
  aedplan validate --osm city.osm.pbf --arrests arrests.csv --time-col date --folds 4 --budgets 5,10
"""


EXAMPLES_PROVINCE = """
\b
Examples:
  aedplan province --osm fujian.osm.pbf --budget 5000 --workers 2
  aedplan province --osm fujian.osm.pbf --budget 5000 --scheduler tcp://10.0.0.5:8786
  aedplan province --osm fujian.osm.pbf --target-coverage 0.5 --workers 2
"""


# --------------------------------------------------------------------------- plumbing


class _Steps:
    """Step-by-step progress on stderr when it is a terminal (no bar in logs); silent with
    --quiet."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.total = total
        self.quiet = quiet
        self.done = 0
        self.timings: dict[str, float] = {}
        self._bar: Any = None
        if not quiet:
            from tqdm import tqdm

            self._bar = tqdm(total=total, file=sys.stderr, leave=False, disable=None,
                             bar_format="{desc:<34} {bar:20} {n_fmt}/{total_fmt} {elapsed}")

    @contextmanager
    def step(self, label: str, key: str | None = None) -> Iterator[None]:
        if self._bar is not None:
            self._bar.set_description_str(label)
        start = time.perf_counter()
        yield
        elapsed = time.perf_counter() - start
        if key is not None:
            self.timings[key] = self.timings.get(key, 0.0) + elapsed
        self.done += 1
        if self._bar is not None:
            self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()

    def say(self, text: str) -> None:
        if not self.quiet:
            if self._bar is not None:
                self._bar.clear()
            click.echo(text, err=True)


class _Terminated(BaseException):
    """SIGTERM, raised where the run is, as Ctrl-C raises KeyboardInterrupt."""


_OUT_OF_MEMORY = (
    "out of memory, nothing written. A smaller `--minutes`, a smaller area (`--bbox`) or "
    "fewer candidate sites (`--candidates` from a file) needs less."
)


def _terminate(signum: int, frame: Any) -> None:
    raise _Terminated


def _run(work: Callable[[], list[str]]) -> None:
    """Run a command: AedplanError (or running out of memory) -> one line and exit 2;
    warnings -> one line each;
    Ctrl-C or SIGTERM -> one line and exit 130 or 143, with nothing written (files are
    staged and moved into place only when all are complete). The warnings come before
    the summary ``work`` returns."""
    import signal

    previous = signal.signal(signal.SIGTERM, _terminate)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AedplanWarning)
        try:
            lines = work()
        except AedplanError as exc:
            _echo_warnings(caught)
            click.echo(f"aedplan: error: {_cli_words(str(exc))}", err=True)
            sys.exit(2)
        except MemoryError:  # a step without its own estimate: no traceback either
            _echo_warnings(caught)
            click.echo(f"aedplan: error: {_OUT_OF_MEMORY}", err=True)
            sys.exit(2)
        except (KeyboardInterrupt, _Terminated) as exc:
            click.echo("aedplan: interrupted: nothing written", err=True)
            sys.exit(130 if isinstance(exc, KeyboardInterrupt) else 143)
        finally:
            signal.signal(signal.SIGTERM, previous)
    _echo_warnings(caught)
    for line in lines:
        click.echo(line)


#: Python argument names in messages -> the command-line option a user typed. This is the
#: one place where the API's words become the command line's.
_OPTION_OF = {
    "osm": "--osm",
    "place": "--place",
    "bbox": "--bbox",
    "clip": "--bbox",
    "aeds": "--aeds",
    "demand": "--demand",
    "candidates": "--candidates",
    "poi_preset": "--poi-preset",
    "minutes": "--minutes",
    "mode": "--mode",
    "speed_m_s": "--speed",
    "datum": "--datum",
    "lon_col": "--lon-col",
    "lat_col": "--lat-col",
    "id_col": "--id-col",
    "name_col": "--name-col",
    "weight_col": "--weight-col",
    "population_col": "--weight-col",  # a population grid's column comes from --weight-col
    "encoding": "--encoding",
    "budget": "--budget",
    "target_coverage": "--target-coverage",
    "target_density": "--target-density",
    "solver": "--solver",
    "time_limit_s": "--time-limit",
    "mip_rel_gap": "--gap",
    "out": "--out",
    "overwrite": "--overwrite",
    "tiles": "--tiles",
    "tiles_key": "--tiles-key",
    "lang": "--lang",
    "public_only": "--public-only",
    "largest_component": "--keep-disconnected",
    "week": "--week",
    "country": "--country",
    "unknown_hours": "--unknown-hours",
    "arrest_profile": "--arrest-profile",
    "objective": "--objective",
    "new_site_hours": "--new-site-hours",
    "relocate": "--relocate",
    "movable": "--movable",
    "min_district_coverage": "--min-district-coverage",
    "min_per_community": "--min-per-community",
    "arrests": "--arrests",
    "time_col": "--time-col",
    "train_until": "--train-until",
    "folds": "--folds",
    "budgets": "--budgets",
    "models": "--models",
    "population": "--population",
    "workers": "--workers",
    "scheduler": "--scheduler",
    "memory_limit": "--memory-per-worker",
    "tile_m": "--tile-km",
    "districts": "--districts",
}
#: Flags that stand for one value of a parameter.
_FLAG_VALUES = {"public_only": "True", "largest_component": "False", "overwrite": "True"}


def _cli_words(message: str) -> str:
    """Name the command-line option where a message names a Python argument:
    ```aeds``` -> ```--aeds```, ```demand='network'``` -> ```--demand network```,
    ```largest_component=False``` -> ```--keep-disconnected```."""

    def option(m: re.Match[str]) -> str:
        name, value = m.group(1), m.group(2)
        if name not in _OPTION_OF:
            return m.group(0)
        if not value or name in _FLAG_VALUES:  # `aeds`, `lon_col=`, `public_only=True`
            return f"`{_OPTION_OF[name]}`"
        return f"`{_OPTION_OF[name]} {value.strip(chr(39) + chr(34))}`"

    return re.sub(r"`([a-z_]+)(?:=([^`]*))?`", option, message)


def _echo_warnings(caught: list[warnings.WarningMessage]) -> None:
    seen = set()
    for w in caught:
        if issubclass(w.category, AedplanWarning) and str(w.message) not in seen:
            seen.add(str(w.message))
            click.echo(f"aedplan: warning: {_cli_words(str(w.message))}", err=True)


def _bbox(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    parts = value.replace(" ", "").split(",")
    try:
        numbers = tuple(float(p) for p in parts)
    except ValueError:
        numbers = ()
    if len(numbers) != 4:
        raise click.BadParameter(
            f"expected four numbers W,S,E,N in degrees (e.g. 9.49,47.12,9.55,47.18), "
            f"got {value!r}",
            param_hint="--bbox",
        )
    return numbers


def _writing_options(default: str, files: str) -> Callable[..., Any]:
    """``--out`` (a folder for ``files``), ``--overwrite`` and ``--quiet`` of the commands
    that are not ``plan``/``coverage``."""
    def add(f: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed([
            click.option("--out", default=default, show_default=True, type=click.Path(),
                         help=f"Folder for {files}."),
            click.option("--overwrite", is_flag=True,
                         help="Replace an earlier run's files in --out."),
            click.option("--quiet", "-q", is_flag=True,
                         help="Print only warnings and errors."),
        ]):
            f = option(f)
        return f
    return add


def _districts_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--districts", default=None, metavar="FILE|osm[:LEVEL]",
        help="Coverage, AEDs and people per district: polygons with a name column, or "
             "the OSM file's administrative areas (osm: the level with the most areas of "
             "0.1 km² or more; osm:8 for admin_level 8).")(f)


def _source_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by `plan` and `coverage`."""
    options = [
        click.option("--osm", "osm", type=click.Path(dir_okay=False, path_type=Path),
                     help="OSM file (.osm, .osm.bz2, .osm.pbf), a saved .graphml, or street "
                          "lines (.gpkg, .geojson, .parquet)."),
        click.option("--place", help="Place name to download through osmnx (online)."),
        click.option("--bbox", callback=_bbox, metavar="W,S,E,N",
                     help="Bounding box in degrees: download online, or clip --osm to it."),
        click.option("--aeds", default="osm", show_default=True, metavar="FILE|osm|none",
                     help="Existing AEDs: 'osm' = emergency=defibrillator in the OSM "
                          "source; a CSV/GeoJSON/GeoPackage/OSM file; 'none'."),
        click.option("--demand", default="buildings", show_default=True,
                     metavar="buildings|network|arrests-smoothed|FILE",
                     help="Who needs cover: OSM buildings (area x levels), points every "
                          "50 m along the streets, past --arrests smoothed along the "
                          "streets, or a file (OSM buildings, or points with an optional "
                          "`weight` column)."),
        click.option("--arrests", default=None, metavar="FILE",
                     help="Past cardiac arrests (lon/lat), for --demand arrests-smoothed."),
        click.option("--minutes", type=float, default=4.0, show_default=True,
                     help="Time budget of the rescue, in minutes."),
        click.option("--mode", type=click.Choice(["round-trip", "one-way"]),
                     default="round-trip", show_default=True,
                     help="round-trip: fetch the AED and come back; one-way: carry it from "
                          "its site to the patient."),
        click.option("--speed", type=float, default=1.4, show_default=True,
                     help="Walking speed in m/s (about 2.0 for a hurried walk)."),
        click.option("--datum", type=click.Choice(["wgs84", "gcj02", "bd09"]),
                     help="Datum of lon/lat in your CSV/Excel/GeoJSON files (GCJ-02/BD-09: "
                          "coordinates copied from Chinese web maps) [default: wgs84; an "
                          "Amap, Tencent or Baidu export needs it given]."),
        click.option("--lon-col", metavar="COLUMN",
                     help="Longitude column of your CSV/Excel files [default: found by name: "
                          "lon, lng, longitude, x, 经度, Längengrad, ...]."),
        click.option("--lat-col", metavar="COLUMN",
                     help="Latitude column [default: lat, latitude, y, 纬度, Breitengrad, ...]."),
        click.option("--id-col", metavar="COLUMN",
                     help="Column of unique ids in your files [default: id, else the row]."),
        click.option("--name-col", metavar="COLUMN",
                     help="Column of names in your files [default: name, 名称]."),
        click.option("--weight-col", metavar="COLUMN",
                     help="Column of demand weights in a --demand file [default: weight]."),
        click.option("--encoding", metavar="NAME",
                     help="Text encoding of your CSV files, e.g. gb18030 or latin-1 "
                          "[default: UTF-8, else detected]."),
        click.option("--out", type=click.Path(file_okay=False, path_type=Path),
                     default=Path("aedplan-out"), show_default=True,
                     help="Folder for map.html, report.json, GeoPackage, GeoJSON and CSV."),
        click.option("--overwrite", is_flag=True,
                     help="Replace the results of an earlier run in --out (aedplan's own "
                          "files only; others are left alone)."),
        click.option("--png", is_flag=True, help="Also write map.png, a static map."),
        click.option("--tiles", type=click.Choice(["osm", "tianditu", "amap", "none"],
                                                  case_sensitive=False),
                     default="osm", show_default=True,
                     help="Basemap of map.html: OpenStreetMap, 天地图 Tianditu (needs a "
                          "key), 高德 Amap (layers shifted to its GCJ-02) or none."),
        click.option("--lang", type=click.Choice(["en", "zh"], case_sensitive=False),
                     help="Language of map.html: English or 简体中文 [default: the "
                          "locale's when it is Chinese, else English]."),
        click.option("--tiles-key", metavar="KEY",
                     help="Tianditu key [default: the TIANDITU_KEY environment variable]; "
                          "it goes into map.html only."),
        click.option("--public-only", is_flag=True,
                     help="Leave out AEDs the public may not use (access other than "
                          "yes/public/permissive, or a `public` column saying no)."),
        click.option("--week", metavar="YYYY-MM-DD",
                     help="Monday of the reference week the opening hours are read over "
                          "[default: a fixed week without public holidays]."),
        click.option("--country", metavar="CC",
                     help="ISO code of the country whose public holidays apply "
                          "[default: the data's]."),
        click.option("--unknown-hours", type=click.Choice(["open", "closed"], case_sensitive=False),
                     default="open",
                     show_default=True,
                     help="How an AED counts when its opening hours are missing or "
                          "unreadable."),
        click.option("--arrest-profile", default="default", show_default=True,
                     metavar="default|uniform|FILE",
                     help="When arrests happen over the week: the published default, "
                          "uniform, or a CSV of 168 numbers or of arrest times."),
        click.option("--keep-disconnected", is_flag=True,
                     help="Keep street parts not connected to the main network."),
        click.option("--quiet", "-q", is_flag=True,
                     help="Print only warnings and errors (no progress, no summary)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


class _Commands(click.Group):
    """The ``aedplan`` group: a bad flag or value is one line and exit code 2, like every
    other bad input, instead of click's usage block."""

    def main(
        self, args: Sequence[str] | None = None, prog_name: str | None = None,
        complete_var: str | None = None, standalone_mode: bool = True, **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            if isinstance(exc, _NO_ARGS_IS_HELP):  # `aedplan` alone: the help, as click does
                click.echo(exc.format_message(), err=True)
                sys.exit(exc.exit_code)
            command = exc.ctx.command_path if exc.ctx is not None else "aedplan"
            message = exc.format_message().rstrip(".")
            click.echo(f"aedplan: error: {message} (see `{command} --help`).", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("aedplan: stopped.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=_Commands,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="aedplan")
def main() -> None:
    """aedplan: plan 4-minute AED rescue circles on real street networks.

    Loads the walkable streets from OpenStreetMap, snaps existing AEDs onto them, maps who
    is left out of the 4-minute rescue circle, and proposes where the next AEDs should go.
    """


@main.command("plan", epilog=EXAMPLES_PLAN)
@_source_options
@click.option("--candidates", default="pois", show_default=True,
              metavar="pois|buildings|nodes|FILE",
              help="Candidate sites: OSM places that host AEDs in practice (stations, "
                   "pharmacies, schools, ...), buildings, street nodes, or a file.")
@click.option("--poi-preset", type=click.Choice(["default", "cn-nhc-2021"],
                                                case_sensitive=False),
              default="default", show_default=True,
              help="Which OSM places are candidates with --candidates pois: default, or "
                   "cn-nhc-2021, the priority places of China's National Health "
                   "Commission guideline (国卫办医函〔2021〕602号).")
@click.option("--budget", type=click.IntRange(min=0),
              help="Number of new AEDs to place [default: 10, unless a --target-... is given].")
@click.option("--target-coverage", type=click.FloatRange(0, 1, min_open=True),
              help="Instead of --budget: the fewest new AEDs that cover this share.")
@click.option("--target-density", type=click.FloatRange(min=0, min_open=True),
              metavar="PER_100K",
              help="Instead of --budget: as many new AEDs as reach this many AEDs per "
                   "100,000 people (e.g. 50, Shanghai's 2025 target), placed for the best "
                   "coverage; needs a population grid as --demand.")
@click.option("--solver", type=click.Choice(["exact", "greedy"]), default="exact",
              show_default=True,
              help="exact: MILP (HiGHS) with a proven gap; greedy: fast, for very large cases.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=60.0,
              show_default=True, help="Seconds for the exact solver; the gap is reported.")
@click.option("--gap", type=click.FloatRange(min=0, max=100), default=0.01, metavar="PERCENT",
              show_default=True,
              help="The exact solver stops once its plan is proven within this many percent "
                   "of the best (0: prove it optimal).")
@click.option("--objective", type=click.Choice(["hours", "always"], case_sensitive=False),
              default="hours",
              show_default=True,
              help="hours: the coverage a patient gets round the clock; always: as if every "
                   "AED were public and open 24/7 (for comparison).")
@click.option("--new-site-hours", type=click.Choice(["24/7", "host"], case_sensitive=False),
              default="24/7",
              show_default=True,
              help="24/7: a new AED is a public cabinet open round the clock; host: it keeps "
                   "the candidate's own opening hours.")
@click.option("--relocate", type=click.IntRange(min=0), default=0, show_default=True,
              metavar="K", help="Also let the exact plan move up to K of today's AEDs to "
                                "candidate sites: a moved AED becomes a public cabinet open "
                                "24/7 (or keeps the host's hours with --new-site-hours "
                                "host). Needs --budget (0: move only).")
@click.option("--movable", type=click.Choice(["all", "restricted"], case_sensitive=False),
              default="all", show_default=True,
              help="Which AEDs --relocate may move: all, or only those the public may not "
                   "use (access private, customers...).")
@_districts_option
@click.option("--min-district-coverage", type=click.FloatRange(0, 1), default=None,
              metavar="SHARE", help="Every district's coverage must reach this share "
                                    "(round the clock with --objective hours; needs "
                                    "--districts); the price is reported.")
@click.option("--min-per-community", type=click.IntRange(min=1), default=None, metavar="N",
              help="Every district (community) must hold at least N AEDs, today's that stay "
                   "counted (needs --districts).")
def plan_command(**opts: Any) -> None:
    """Coverage today and the best sites for new AEDs."""
    goals = [g for g in ("budget", "target_coverage", "target_density") if opts[g] is not None]
    if len(goals) > 1:
        raise click.BadParameter("give one of --budget, --target-coverage, --target-density",
                                 param_hint=f"--{goals[-1].replace('_', '-')}")
    _run(lambda: _plan(opts, optimise=True))


@main.command("coverage", epilog=EXAMPLES_COVERAGE)
@_source_options
@_districts_option
def coverage_command(**opts: Any) -> None:
    """Coverage and rescue circles of today's AEDs (no optimisation)."""
    opts.update(candidates=None, poi_preset="default", budget=None, target_coverage=None,
                target_density=None, solver=None, time_limit=None, gap=0.0, objective="hours",
                new_site_hours="24/7", relocate=0, movable="all", min_district_coverage=None,
                min_per_community=None)
    _run(lambda: _plan(opts, optimise=False))


@main.command("validate", epilog=EXAMPLES_VALIDATE)
@click.option("--osm", type=click.Path(dir_okay=False), default=None,
              help="The OSM file: streets, AEDs, buildings and places [default: the "
                   "embedded Vaduz and Schaan extract].")
@click.option("--arrests", required=True, metavar="FILE",
              help="Past cardiac arrests: a CSV with lon/lat or a vector file, with a time "
                   "column.")
@click.option("--time-col", required=True, metavar="COLUMN",
              help="The column of the arrests' times.")
@click.option("--train-until", default=None, metavar="YYYY-MM-DD",
              help="Plan on the arrests up to the end of this day, score on the later ones "
                   "(give this or --folds).")
@click.option("--folds", type=click.IntRange(min=2), default=None, metavar="K",
              help="Instead: K consecutive blocks of time, each held out in turn.")
@click.option("--budgets", default="5,10,20", show_default=True, metavar="K,K,...",
              help="Numbers of new AEDs to plan.")
@click.option("--models", default=",".join(m for m in ("arrests", "arrests-smoothed",
                                                       "buildings", "network", "blend")),
              show_default=True, metavar="MODEL,MODEL,...",
              help="Demand models to compare, separated by commas: arrests (the training "
                   "arrests as points), arrests-smoothed (their kernel density along the "
                   "streets), buildings (floor area), network (street length), blend (half "
                   "smoothed arrests, half buildings), population (with --population).")
@click.option("--aeds", default="osm", show_default=True, metavar="osm|none|FILE",
              help="Today's AEDs.")
@click.option("--candidates", type=click.Choice(["pois", "nodes"]), default="pois",
              show_default=True, help="Candidate sites: the OSM places, or points every "
                                      "50 m along the streets.")
@click.option("--population", default=None, metavar="FILE",
              help="A population grid, for the population model.")
@click.option("--minutes", type=float, default=None,
              help="Time budget: a rescuer fetches an AED and comes back within it, walking "
                   "1.4 m/s (default 4).")
@click.option("--lon-col", default=None, help="Longitude column of the arrests file.")
@click.option("--lat-col", default=None, help="Latitude column of the arrests file.")
@click.option("--datum", type=click.Choice(["wgs84", "gcj02", "bd09"]), default=None,
              help="Datum of the arrests' lon/lat.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=60.0,
              show_default=True, help="Seconds for each exact plan.")
@click.option("--gap", type=click.FloatRange(min=0, max=100), default=0.01, metavar="PERCENT",
              show_default=True, help="Each plan is proven within this many percent.")
@_writing_options("aedplan-validation", "validation.json, validation.csv and validation.png")
def validate_command(**opts: Any) -> None:
    """Will the plan hold up? Plans from several demand models, fitted on past arrests,
    scored on later ones: which model wins, and whether by more than chance."""
    if (opts["train_until"] is None) == (opts["folds"] is None):
        raise click.UsageError("give exactly one of --train-until YYYY-MM-DD (train on the "
                               "arrests up to that day) or --folds K (K blocks of time)")
    _run(lambda: _validate(opts))


def _validate(opts: dict[str, Any]) -> list[str]:
    from .outputs import check_out, write_validation
    from .validate import validate_plans

    check_out(opts["out"], overwrite=opts["overwrite"])
    try:
        budgets = [int(b) for b in opts["budgets"].split(",") if b.strip()]
    except ValueError:
        raise click.BadParameter(f"whole numbers separated by commas, got "
                                 f"{opts['budgets']!r}", param_hint="--budgets") from None
    result = validate_plans(
        opts["arrests"], time_col=opts["time_col"], osm=opts["osm"],
        train_until=opts["train_until"], folds=opts["folds"], budgets=budgets,
        models=[m.strip() for m in opts["models"].split(",") if m.strip()],
        aeds=opts["aeds"], candidates=opts["candidates"], population=opts["population"],
        minutes=opts["minutes"], time_limit_s=opts["time_limit"], mip_rel_gap=opts["gap"] / 100,
        lon_col=opts["lon_col"], lat_col=opts["lat_col"], datum=opts["datum"])
    written = write_validation(opts["out"], result, overwrite=opts["overwrite"])
    if opts["quiet"]:
        return []
    r = result.report
    lines = [f"arrests: {r['arrests']['count']:,} ({r['arrests']['first'][:10]} to "
             f"{r['arrests']['last'][:10]}); held out: {r['held_out']:,}"]
    for bw in r["smoothing"]:
        if bw:
            lines.append(f"smoothing: bandwidth {bw['bandwidth_m']:.0f} m, chosen by "
                         "cross-validation on the training arrests")
    today = result.table[result.table["model"] == "today"].iloc[0]
    lines.append(f"today: {today['covered']} of {today['held_out']} held-out arrests "
                 f"covered ({today['share']:.1%})")
    lines.extend(result.verdicts[k] for k in sorted(result.verdicts))
    rows = result.table[result.table["model"] != "today"]
    worst = rows.loc[rows["optimism"].idxmax()]
    lines.append(f"in-sample optimism: up to {100 * worst['optimism']:+.1f} points "
                 f"({worst['model']}, {worst['budget']} AEDs): the gain a plan shows on the "
                 "arrests it was fitted on, less its gain on the held-out ones")
    lines.append(f"wrote {opts['out']}/: {', '.join(sorted(written))}")
    lines.append("map data © OpenStreetMap contributors")
    return lines


@main.command("province", epilog=EXAMPLES_PROVINCE)
@click.option("--osm", required=True, type=click.Path(dir_okay=False),
              help="The street network: an OSM file or a file of street lines, readable by "
                   "every worker at this path.")
@click.option("--budget", type=click.IntRange(min=0), default=None,
              help="New AEDs for the whole area.")
@click.option("--target-coverage", type=click.FloatRange(0, 1, min_open=True), default=None,
              help="Instead of --budget: the fewest new AEDs that cover this share of the "
                   "demand (e.g. 0.9), proven.")
@click.option("--aeds", default="none", show_default=True, metavar="none|FILE",
              help="Today's AEDs (a file every worker can read).")
@click.option("--tile-km", type=click.FloatRange(min=0, min_open=True), default=20.0,
              show_default=True, help="Side of the square parts the area is cut into.")
@click.option("--districts", default=None, metavar="FILE|osm[:LEVEL]",
              help="Cut the area into these polygons instead (districts, counties; a "
                   "`name` column names them), or into the OSM file's administrative "
                   "areas; demand outside all of them is left out.")
@click.option("--minutes", type=float, default=None, help="Time budget (default 4).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Start a local Dask cluster of this many worker processes.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Use a running Dask cluster, e.g. tcp://10.0.0.5:8786.")
@click.option("--memory-per-worker", default=None, metavar="SIZE",
              help="Memory limit of each local worker, e.g. 6GB (default: shared evenly).")
@click.option("--gap", type=click.FloatRange(min=0, max=100), default=0.01, metavar="PERCENT",
              show_default=True, help="Stop once the plan is proven within this many percent.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=600.0,
              show_default=True, help="Seconds for the whole run; the gap is reported.")
@_writing_options("aedplan-out", "report.json, proposed_sites.csv/.geojson, parts.geojson")
def province_command(**opts: Any) -> None:
    """Plan a province (or any area too large for one go) part by part, in parallel.

    The area is cut into square parts, each computed with a halo of one reach, so that
    the plan is the one the whole network would give; the budget (or the target) is
    shared among independent groups of parts exactly. Demand is spread along the
    streets and every street node is a candidate site.
    """
    if (opts["budget"] is None) == (opts["target_coverage"] is None):
        raise click.BadParameter("give one of --budget, --target-coverage",
                                 param_hint="--budget")
    _run(lambda: _province(opts))


def _province(opts: dict[str, Any]) -> list[str]:
    from .outputs import check_out, write_province
    from .province import plan_province

    check_out(opts["out"], overwrite=opts["overwrite"])
    result = plan_province(
        opts["osm"], budget=opts["budget"], target_coverage=opts["target_coverage"],
        aeds=opts["aeds"], tile_m=opts["tile_km"] * 1000,
        districts=opts["districts"],
        minutes=opts["minutes"], workers=opts["workers"], scheduler=opts["scheduler"],
        memory_limit=opts["memory_per_worker"], mip_rel_gap=opts["gap"] / 100,
        time_limit_s=opts["time_limit"])
    written = write_province(opts["out"], result, overwrite=opts["overwrite"])
    if opts["quiet"]:
        return []
    r = result.report
    parts, plan = r["parts"], r["plan"]
    return [
        f"network: {r['network']['nodes']:,} nodes, {r['network']['edges']:,} edges",
        f"parts: {parts['with_demand']:,} with demand in {parts['groups']:,} independent "
        f"groups ({parts['independent']:,} of one part)",
        f"demand: {r['demand']['points']:,} points; covered today {r['before']['coverage']:.1%}",
        f"plan: {plan['new_sites']:,} new AEDs -> coverage {plan['coverage']:.1%} "
        f"({plan['status']}, " + (f"gap {plan['gap']:.3%}" if "bound" in plan else
                                  f"at least {plan['sites_lower_bound']:,} needed")
        + f"; {plan['solves']} exact solves)",
        f"wrote {opts['out']}/: {', '.join(sorted(written))}",
        "map data © OpenStreetMap contributors",
    ]


# --------------------------------------------------------------------------- the pipeline


def _plan(opts: dict[str, Any], *, optimise: bool) -> list[str]:
    """Run the pipeline; the summary lines to print (none with --quiet)."""
    from . import pipeline

    steps = _Steps(total=10 if optimise else 7, quiet=opts["quiet"])
    try:
        result = pipeline.run(
            osm=opts["osm"],
            place=opts["place"],
            bbox=opts["bbox"],
            aeds=opts["aeds"],
            demand=opts["demand"],
            arrests=opts["arrests"],
            candidates=opts["candidates"],
            poi_preset=opts["poi_preset"].lower(),
            minutes=opts["minutes"],
            mode=opts["mode"],
            speed_m_s=opts["speed"],
            datum=opts["datum"],
            lon_col=opts["lon_col"],
            lat_col=opts["lat_col"],
            id_col=opts["id_col"],
            name_col=opts["name_col"],
            weight_col=opts["weight_col"],
            encoding=opts["encoding"],
            budget=opts["budget"],
            target_coverage=opts["target_coverage"],
            target_density=opts["target_density"],
            solver=opts["solver"],
            time_limit_s=opts["time_limit"],
            mip_rel_gap=opts["gap"] / 100,
            out=opts["out"],
            overwrite=opts["overwrite"],
            png=opts["png"],
            tiles=opts["tiles"].lower(),
            tiles_key=opts["tiles_key"],
            lang=opts["lang"].lower() if opts["lang"] else None,
            optimise=optimise,
            largest_component=not opts["keep_disconnected"],
            public_only=opts["public_only"],
            week=opts["week"],
            country=opts["country"],
            unknown_hours=opts["unknown_hours"],
            arrest_profile=opts["arrest_profile"],
            objective=opts["objective"],
            new_site_hours=opts["new_site_hours"],
            relocate=opts["relocate"],
            movable=opts["movable"].lower(),
            districts=opts["districts"],
            min_district_coverage=opts["min_district_coverage"],
            min_per_community=opts["min_per_community"],
            step=steps.step,
            say=steps.say,
            words=_cli_words,
        )
    finally:
        steps.close()
    return [] if opts["quiet"] else [_cli_words(line) for line in result.lines()]


if __name__ == "__main__":  # pragma: no cover
    main()
