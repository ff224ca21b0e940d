"""The ``aedplan`` command: wires the stages together and does nothing else.

    network -> reach -> (demand, candidates) -> coverage -> optimise -> render
"""

from __future__ import annotations

import dataclasses
import functools
import re
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import cloup

from ._validate import DEFAULT_MIP_GAP, MIP_GAP_BELOW
from ._words import Words, language, language_meant
from .datasets import OSM_CREDIT
from .errors import AedplanError, AedplanWarning, InputError

EXAMPLES_PLAN = """
\b
Examples:
  aedplan plan --budget 10
      the embedded default (Vaduz and Schaan, with their 75 real AEDs): 10 new AEDs
  aedplan init scenario.toml && aedplan plan scenario.toml
      a plan in one file: edit it, run it, hand it over
  aedplan plan scenario.toml --budget 30
      the file's plan with another budget (flags override the file)
  aedplan plan --osm liechtenstein.osm.pbf --budget 20
      AEDs, buildings and candidate sites all from one OSM extract
  aedplan plan --osm longyan.osm.pbf --aeds aeds.csv --datum gcj02 --target-coverage 0.9
  aedplan plan --osm liechtenstein.osm.pbf --budget 0 --relocate 10 --movable restricted
      move up to 10 AEDs the public may not use to public cabinets, buy none
\b
Every key of a scenario is a flag too (--keep-disconnected, --public-only, --week,
--arrest-profile, --objective, --poi-preset, --lon-col, ...): `aedplan init` lists them
all with their meaning. Map data {credit} (ODbL).
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
            click.echo(f"aedplan: error: {_cli_words(_in_lang(exc))}", err=True)
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
    "crs": "--crs",
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
    "tile_m": "--tile-km",
    "districts": "--districts",
}
#: Flags that stand for one value of a parameter.
_FLAG_VALUES = {"public_only": "True", "largest_component": "False", "overwrite": "True"}
#: Advice that names what only Python has, as the command line can follow it.
_CLI_ADVICE = {
    "pass `layer` to choose one": "save the layer you want as a file of its own (e.g. "
                                  "`ogr2ogr aeds.gpkg FILE LAYER`) and give that",
    "set one with `gdf.set_crs(...)`": "set it in the file (e.g. `ogr2ogr -a_srs EPSG:4326 "
                                       "fixed.gpkg FILE` if they are lon/lat)",
}

#: The same advice where an error is said in Chinese (in Simplified Chinese; said in
#: Traditional Chinese, both sides are converted).
_CLI_ADVICE_ZH = {
    "请用 `layer` 指定其中一个": "请把所需图层另存为单独的文件（例如 `ogr2ogr aeds.gpkg FILE "
                                "LAYER`）再指定该文件",
    "请用 `gdf.set_crs(...)` 设置": "请在文件中设置（如果是经纬度，例如 `ogr2ogr -a_srs "
                                   "EPSG:4326 fixed.gpkg FILE`）",
}


@functools.cache
def _advice_zh() -> tuple[tuple[str, str], ...]:
    """:data:`_CLI_ADVICE_ZH` in Simplified and in Traditional Chinese."""
    return tuple(dict.fromkeys(
        (Words(lang).script(python), Words(lang).script(command_line))
        for lang in ("zh", "zh-TW", "zh-HK") for python, command_line in _CLI_ADVICE_ZH.items()))


#: Where a message points into a scenario file: ``(scenario.toml, line 3)``, in Chinese
#: ``（scenario.toml，第3行）``.
_IN_A_FILE = re.compile(r"\([^()]+\.toml(?:, line \d+)?\)|（[^（）]+\.toml(?:，第\d+行)?）")


def _cli_words(message: str) -> str:
    """Name the command-line option where a message names a Python argument:
    ```aeds``` -> ```--aeds```, ```demand='network'``` -> ```--demand network```,
    ```largest_component=False``` -> ```--keep-disconnected```. A message that points
    into a scenario file (``(scenario.toml, line 3)``) keeps the file's own keys."""
    if _IN_A_FILE.search(message):
        return message

    def option(m: re.Match[str]) -> str:
        name, value = m.group(1), m.group(2)
        if "." in name:  # a scenario key: `goal.budget`, `area.keep_disconnected=...`
            flag, switch = _flag_of_key(name)
            if flag is None or not _a_flag(name):
                return m.group(0)
            return f"`{flag}`" if not value or switch else (
                f"`{flag} {value.strip(chr(39) + chr(34))}`")
        if name not in _OPTION_OF:
            return m.group(0)
        if not value or name in _FLAG_VALUES:  # `aeds`, `lon_col=`, `public_only=True`
            return f"`{_OPTION_OF[name]}`"
        return f"`{_OPTION_OF[name]} {value.strip(chr(39) + chr(34))}`"

    from .scenario import in_keys

    for python, command_line in _CLI_ADVICE.items():
        message = message.replace(python, command_line)
    if not message.isascii():
        for python, command_line in _advice_zh():
            message = message.replace(python, command_line)
    return re.sub(r"`([a-z_]+(?:\.[a-z_]+)?)(?:=([^`]*))?`", option, in_keys(message))


def _a_flag(key: str) -> bool:
    """Whether the user speaks of ``key`` as a flag: a command run without a scenario
    file, or one whose flag for ``key`` was given; a key of a scenario file's run is
    named as the file names it (`aeds.source`, not `--aeds`)."""
    from .scenario import READING

    ctx = click.get_current_context(silent=True)
    if ctx is None or not ctx.params.get("scenario"):
        return True
    section, _, name = key.partition(".")
    params = [f"{section}__{name}", *([f"aeds__{name}"] if name in READING else [])]
    return any(p in ctx.params and ctx.get_parameter_source(p) in (
        click.core.ParameterSource.COMMANDLINE, click.core.ParameterSource.ENVIRONMENT)
        for p in params)


def _flag_of_key(key: str) -> tuple[str | None, bool]:
    """The flag of a scenario key (``goal.budget`` -> ``--budget``), if it has one, and
    whether it is a switch (a flag without a value)."""
    from .scenario import SECTIONS, flag_of

    section, _, name = key.partition(".")
    found = [f for f in dataclasses.fields(SECTIONS[section]) if f.name == name] if (
        section in SECTIONS) else []
    if not found:
        return None, False
    return flag_of(section, name) or None, found[0].metadata["kind"] == "bool"


def _in_lang(exc: AedplanError) -> str:
    """The error in the command's ``--lang`` when one is given (it wins over a scenario
    file's ``lang``, as it does for the run), else as the run or the scenario said it."""
    ctx = click.get_current_context(silent=True)
    params = {} if ctx is None else ctx.params
    lang = params.get("lang") or params.get("output__lang")  # init's, or plan's
    if not lang and exc.lookup is not None:
        return str(exc)
    return exc.said(Words(language_meant(lang)))  # without --lang, the locale's


def _echo_warnings(caught: list[warnings.WarningMessage]) -> None:
    seen = set()
    for w in caught:
        if issubclass(w.category, AedplanWarning) and str(w.message) not in seen:
            seen.add(str(w.message))
            click.echo(f"aedplan: warning: {_cli_words(str(w.message))}", err=True)


def _bbox(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    parts = value.replace(" ", "").replace("，", ",").split(",")  # (a Chinese input method)
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


_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


#: click's own messages about the command line, as Chinese templates take them
#: (Click 8): a Chinese command line reads them in Chinese.
_USAGE = (
    (r"Invalid value for '?(?P<option>[^':]+)'?: '(?P<value>.*)' is not a valid integer",
     "`{option}` must be a whole number, got '{value}'"),
    (r"Invalid value for '?(?P<option>[^':]+)'?: '(?P<value>.*)' is not a valid float",
     "`{option}` must be a number, got '{value}'"),
    (r"Invalid value for '?(?P<option>[^':]+)'?: '(?P<value>.*)' is not one of "
     r"(?P<choices>.+)", "`{option}` must be one of {choices}, got '{value}'"),
    (r"Invalid value for '?(?P<option>[^':]+)'?: (?P<value>.+) is not in the range "
     r"(?P<range>.+)", "`{option}` must be in the range {range}, got {value}"),
    (r"Invalid value for --bbox: expected four numbers W,S,E,N in degrees \(e\.g\. "
     r"(?P<example>[^)]+)\), got (?P<value>.+)",
     "`--bbox` must be four numbers W,S,E,N in degrees (e.g. {example}), got {value}"),
    (r"No such option '?(?P<option>[^' ]+?)'?\.? \(Did you mean (?:one of: )?"
     r"(?P<close>.+)\?\)", "no option `{option}`; did you mean {close}?"),
    (r"No such option:? '?(?P<option>[^' ]+?)'?", "no option `{option}`"),
    (r"Got unexpected extra arguments? \((?P<extra>.+)\)",
     "more arguments than the command takes ({extra})"),
    (r"Missing option '(?P<option>[^']+)'", "the option `{option}` is needed"),
    (r"Option '(?P<option>[^']+)' requires an argument", "`{option}` needs a value"),
)


def _usage_said(message: str, command: str, args: Sequence[str] | None) -> str:
    """click's complaint about the command line, with where to look; in the language
    the command line asks for (``--lang``, else the locale's) when aedplan has its
    words."""
    english = f"{message} (see `{command} --help`)."
    words = Words(language_meant(_lang_given(sys.argv[1:] if args is None else args)))
    for pattern, template in _USAGE:
        found = re.fullmatch(pattern, message)
        if words.chinese and found:
            said = words(template, **found.groupdict())
            return words("{said} (see `{command} --help`).", said=said, command=command)
    return english


def _lang_given(args: Sequence[str]) -> str | None:
    """The value of ``--lang`` on a command line click could not read."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


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
            click.echo(f"aedplan: error: {_usage_said(message, command, args)}", err=True)
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


# --------------------------------------------------------------------------- plan, coverage

_INPUTS = ("aeds", "demand", "candidates")

#: ``--gap`` of validate and province, in percent, within the API's bound of ``mip_rel_gap``.
GAP_PERCENT = click.FloatRange(min=0, max=100 * MIP_GAP_BELOW, max_open=True)


def _option_for(section: str, f: Any, *, dest: str | None = None,
                always_shown: bool = False) -> Any:
    """The click option of scenario key ``section.name`` (``None`` when it has no flag),
    its value under ``dest`` (default ``section__name``), shown in ``--help`` when the
    key is one of :data:`_COMMON` or ``always_shown``."""
    from .scenario import flag_of

    meta, name = f.metadata, f.name
    flag = flag_of(section, name)
    if not flag:
        return None
    dest = dest or f"{section}__{name}"
    default = f.default if f.default is not dataclasses.MISSING else None
    shown = "" if default in (None, False) else f" [default: {_shown(default)}]"
    common: dict[str, Any] = {"help": meta["help"] + shown, "default": None,
                              "hidden": not always_shown and f"{section}.{name}" not in _COMMON}
    if meta["metavar"]:
        common["metavar"] = meta["metavar"]
    kind = meta["kind"]
    if kind == "bool":
        return cloup.option(flag, dest, is_flag=True, default=False, help=meta["help"],
                            hidden=common["hidden"])
    if meta["choices"]:
        common["type"] = click.Choice(list(meta["choices"]), case_sensitive=False)
    elif kind in ("int", "float"):
        common["type"] = int if kind == "int" else float
    elif kind == "bbox":
        common["callback"] = _bbox
    return cloup.option(flag, dest, **common)


def _shown(value: Any) -> str:
    return ",".join(map(str, value)) if isinstance(value, tuple) else str(value)


def _scenario_options(*, optimise: bool) -> Callable[..., Any]:
    """The scenario's keys as options, one group per section (the reading options of the
    input files once, for all three)."""
    from .scenario import READING, SECTIONS, TITLES, Aeds, keys_of

    planning = {"candidates", "goal", "solver"}
    groups = []
    for section, cls in SECTIONS.items():
        if not optimise and section in planning:
            continue
        options = [o for f in keys_of(cls)
                   if not (section in _INPUTS and f.name in READING)
                   and not (not optimise and (section, f.name) in _PLAN_ONLY)
                   for o in [_option_for(section, f)] if o is not None]
        if section == "output":
            options.append(cloup.option("--quiet", "-q", is_flag=True,
                                        help="Print only warnings and errors."))
        if options:
            groups.append(cloup.option_group(TITLES[section][0], *options))
    # one flag sets a reading option of every input file at once (a scenario file may
    # give each input its own)
    reading = [_option_for("aeds", f) for f in keys_of(Aeds) if f.name in READING]
    groups.append(cloup.option_group(
        "Reading your files (each input section of a scenario file may set its own)",
        *reading))

    def add(f: Callable[..., Any]) -> Callable[..., Any]:
        for group in reversed(groups):
            f = group(f)
        return cloup.argument("scenario", required=False, metavar="[SCENARIO.toml]",
                              type=click.Path(dir_okay=False))(f)

    return add


#: The keys ``--help`` shows; every other key is a flag too, documented once in the
#: scenario reference (and in the template of ``aedplan init``).
_COMMON = {"area.osm", "area.place", "area.bbox", "area.polygon", "area.districts",
           "aeds.source", "aeds.datum", "demand.source", "candidates.source", "time.minutes",
           "time.mode", "time.speed", "hours.unknown_hours", "goal.budget",
           "goal.target_coverage", "goal.target_density", "goal.relocate", "solver.method",
           "solver.time_limit", "solver.gap", "cluster.workers", "cluster.scheduler",
           "output.out", "output.overwrite",
           "output.tiles", "output.lang", "output.png"}

#: Keys of the hours section that only a plan uses.
_PLAN_ONLY = {("hours", "objective"), ("hours", "new_site_hours")}


def _scenario_from(opts: dict[str, Any], *, optimise: bool) -> Any:
    """The scenario of a command: the file given (else the defaults), with every flag
    given on top; paths given on the command line are read from the current folder."""
    from .scenario import READING, Scenario

    base = Scenario() if opts["scenario"] is None else Scenario.from_toml(opts["scenario"])
    changes: dict[str, Any] = {}
    for key, value in opts.items():
        if "__" not in key or value is None or value is False:
            continue
        section, name = key.split("__", 1)
        if section == "aeds" and name in READING:  # one flag for every input file
            changes.update({f"{s}.{name}": value for s in _INPUTS})
        else:
            changes[f"{section}.{name}"] = value
    if not optimise:
        changes["goal.optimise"] = False
    scenario = base.replace(changes)
    if scenario.output.out is None:
        scenario = scenario.replace({"output.out": "aedplan-out"})
    return scenario


@main.command("plan", epilog=EXAMPLES_PLAN, cls=cloup.Command)
@_scenario_options(optimise=True)
def plan_command(**opts: Any) -> None:
    """Coverage today and the best sites for new AEDs.

    Give a scenario file (write one with `aedplan init`), flags, or both: flags override
    the file. Every run writes the resolved scenario.toml into --out; running it again
    gives the same report.json. See the scenario reference for every key.
    """
    _run(lambda: _plan(opts, optimise=True))


@main.command("coverage", epilog=EXAMPLES_COVERAGE, cls=cloup.Command)
@_scenario_options(optimise=False)
def coverage_command(**opts: Any) -> None:
    """Coverage and rescue circles of today's AEDs (no optimisation)."""
    _run(lambda: _plan(opts, optimise=False))


@main.command("init")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", default="en", show_default=True, metavar="en|zh|zh-TW|zh-HK",
              help="Language of the comments: English, 简体中文 (zh) or 繁體中文 (zh-TW, zh-HK); "
              "a Chinese one is also written as the plan's lang.")
@click.option("--overwrite", is_flag=True, help="Replace PATH if it exists.")
def init_command(path: Path | None, lang: str, overwrite: bool) -> None:
    """Write a commented scenario file with every key at its default (to PATH, else to
    the terminal): edit it, then run `aedplan plan scenario.toml`."""
    from .scenario_text import template

    def work() -> list[str]:
        text = template(language(lang), *(() if path is None else (path.name,)))
        if path is None:
            click.echo(text, nl=False)
            return []
        if path.exists() and not overwrite:
            raise InputError("`path`: {path} exists; pass --overwrite to replace it.",
                             path=path)
        from ._atomic import write_atomic

        write_atomic(path, lambda p: p.write_text(text, encoding="utf-8"))
        return [Words(language(lang))("wrote {path}: edit it, then run `aedplan plan {path}`",
                                      path=path)]

    _run(work)


def _plan_like_options() -> Callable[..., Any]:
    """The time model (``--minutes``, ``--mode``, ``--speed``) and the reading options of
    the arrests and AED files, as ``plan`` has them, for ``validate``."""
    from .scenario import READING, Aeds, Time, keys_of

    options = [_option_for(section, f, dest=f.name, always_shown=True)
               for section, cls in (("time", Time), ("aeds", Aeds)) for f in keys_of(cls)
               if section == "time" or f.name in READING]

    def add(f: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            f = option(f)
        return f

    return add


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
@_plan_like_options()
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=60.0,
              show_default=True, help="Seconds for each exact plan.")
@click.option("--gap", type=GAP_PERCENT, default=100 * DEFAULT_MIP_GAP, metavar="PERCENT",
              show_default=True, help="Each plan is proven within this many percent.")
@click.option("--lang", default=None, metavar="en|zh|zh-TW|zh-HK",
              help="Language of the summary, verdicts, chart, warnings and errors "
              "(default: the locale's when it is Chinese, else English).")
@_writing_options("aedplan-validation", "validation.json, validation.csv and validation.png")
def validate_command(**opts: Any) -> None:
    """Will the plan hold up? Plans from several demand models, fitted on past arrests,
    scored on later ones: which model wins, and whether by more than chance."""
    _run(lambda: _held(opts["out"], lambda: _validate(opts)))


def _held(out: Any, work: Callable[[], list[str]]) -> list[str]:
    """``work`` with the folder ``out`` held: another run on it is refused meanwhile."""
    from .outputs import holding

    with holding(out):
        return work()


def _validate(opts: dict[str, Any]) -> list[str]:
    from ._notes import recording
    from .outputs import check_out, write_validation
    from .scenario import READING
    from .validate import validate_plans

    lang = language(opts["lang"])  # without --lang, the locale's
    if (opts["train_until"] is None) == (opts["folds"] is None):
        raise InputError("give exactly one of `--train-until` YYYY-MM-DD (train on the "
                         "arrests up to that day) or `--folds` K (K blocks of time).")
    try:
        budgets = [int(b) for b in opts["budgets"].replace("，", ",").split(",") if b.strip()]
    except ValueError:
        raise InputError("`--budgets` must be whole numbers separated by commas, got "
                         "{got!r}.", got=opts["budgets"]) from None
    check_out(opts["out"], overwrite=opts["overwrite"])
    with recording() as heard:  # its warnings in its language
        heard.speak(Words(lang))
        result = validate_plans(
            opts["arrests"], time_col=opts["time_col"], osm=opts["osm"],
            train_until=opts["train_until"], folds=opts["folds"], budgets=budgets,
            models=[m.strip() for m in opts["models"].split(",") if m.strip()],
            aeds=opts["aeds"], candidates=opts["candidates"], population=opts["population"],
            model=_time_model(opts), time_limit_s=opts["time_limit"],
            mip_rel_gap=opts["gap"] / 100, **{name: opts[name] for name in READING})
    written = write_validation(opts["out"], result, overwrite=opts["overwrite"], lang=lang)
    return [] if opts["quiet"] else _validation_summary(result, opts["out"], written, lang)


def _validation_summary(result: Any, out: Any, written: Any, lang: str) -> list[str]:
    """What ``aedplan validate`` prints: the arrests, the verdicts, the optimism."""
    from .validate import verdict

    w, r, table = Words(lang), result.report, result.table
    lines = [w("arrests: {count:,} ({first} to {last}); held out: {held:,}",
               count=r["arrests"]["count"], first=r["arrests"]["first"][:10],
               last=r["arrests"]["last"][:10], held=r["held_out"])]
    chosen = [w.measure(f"{bw['bandwidth_m']:.0f} m") for bw in r["smoothing"] if bw]
    if len(chosen) == 1:
        lines.append(w("smoothing: bandwidth {bandwidth}, chosen by cross-validation on the "
                       "training arrests", bandwidth=chosen[0]))
    elif chosen:  # one per fold
        lines.append(w("smoothing: bandwidths {bandwidths} (one per fold), each chosen by "
                       "cross-validation on its training arrests",
                       bandwidths=w(", ").join(chosen)))
    today = table[table["model"] == "today"].iloc[0]
    lines.append(w("today: {covered} of {held} held-out arrests covered ({share:.1%})",
                   covered=today["covered"], held=today["held_out"], share=today["share"]))
    for k in sorted(result.verdicts):
        rows = table[table["budget"] == k].to_dict(orient="records")
        lines.append(verdict(rows, k, int(today["held_out"]), lang))
    rows = table[table["model"] != "today"]
    worst = rows.loc[rows["optimism"].idxmax()]
    lines.append(w("in-sample optimism: up to {points:+.1f} points ({model}, {k} AEDs): the "
                   "gain a plan shows on the arrests it was fitted on, less its gain on the "
                   "held-out ones", points=100 * worst["optimism"], model=w(worst["model"]),
                   k=worst["budget"]))
    lines.append(w("wrote {folder}/: {files}", folder=out, files=w(", ").join(sorted(written))))
    lines.append(w("map data {credit}", credit=OSM_CREDIT))
    return lines


@main.command("province", epilog=EXAMPLES_PROVINCE)
@click.option("--osm", required=True, type=click.Path(dir_okay=False),
              help="The street network: an OSM file or a file of street lines, readable by "
                   "every worker at this path.")
@click.option("--budget", type=int, default=None,
              help="New AEDs for the whole area.")
@click.option("--target-coverage", type=float, default=None,
              help="Instead of --budget: the fewest new AEDs that cover this share of the "
                   "demand (e.g. 0.9), proven.")
@click.option("--aeds", default="none", show_default=True, metavar="none|osm|FILE",
              help="Today's AEDs: none, those the OSM file maps (osm), or a file.")
@click.option("--tile-km", type=float, default=20.0,
              show_default=True, help="Side of the square parts the area is cut into.")
@click.option("--districts", default=None, metavar="FILE|osm[:LEVEL]",
              help="Cut the area into these polygons instead (districts, counties; a "
                   "`name` column names them), or into the OSM file's administrative "
                   "areas; demand outside all of them is left out.")
@click.option("--minutes", type=float, default=None, help="Time budget (default 4).")
@click.option("--workers", type=int, default=None,
              help="Start a local Dask cluster of this many worker processes.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Use a running Dask cluster, e.g. tcp://10.0.0.5:8786.")
@click.option("--memory-per-worker", default=None, metavar="SIZE",
              help="Memory limit of each local worker, e.g. 6GB (default: shared evenly).")
@click.option("--gap", type=float, default=100 * DEFAULT_MIP_GAP, metavar="PERCENT",
              show_default=True, help="Stop once the plan is proven within this many percent.")
@click.option("--time-limit", type=float, default=600.0,
              show_default=True, help="Seconds for the whole run; the gap is reported.")
@click.option("--lang", default=None, metavar="en|zh|zh-TW|zh-HK",
              help="Language of the map, charts, summary and warnings "
              "(default: the locale's when it is Chinese, else the data's in China, "
              "Taiwan, Hong Kong and Macau).")
@_writing_options("aedplan-out", "map.html (an overview at province size), report.json, "
                  "scenario.toml, GeoPackage, GeoJSON and CSV")
def province_command(**opts: Any) -> None:
    """Plan a province (or any area too large for one go) part by part, in parallel.

    The same run as `aedplan plan` with a province's definitions: every street part kept
    (keep_disconnected), demand along the streets (--demand network), every street node
    a candidate (--candidates nodes, node_spacing 0), no AEDs unless --aeds gives them
    (a file, or osm), parts of 20 km. The network searches run part by part with halos
    and the exact plan's independent parts side by side, on the cluster of --workers or
    --scheduler; the scenario.toml it writes runs again with `aedplan plan`.
    """
    _run(lambda: _province(opts))


#: The province's definitions (`aedplan province`), as scenario keys.
PROVINCE = {"area.keep_disconnected": True, "demand.source": "network",
            "candidates.source": "nodes", "candidates.node_spacing": 0.0}


def _province(opts: dict[str, Any]) -> list[str]:
    """`aedplan plan` with :data:`PROVINCE` and the province's flags."""
    from .scenario import Scenario

    if (opts["budget"] is None) == (opts["target_coverage"] is None):
        raise InputError("give one of `--budget`, `--target-coverage`.")

    given = {"area.osm": opts["osm"], "area.districts": opts["districts"],
             "aeds.source": opts["aeds"], "time.minutes": opts["minutes"],
             "goal.budget": opts["budget"], "goal.target_coverage": opts["target_coverage"],
             "solver.gap": opts["gap"], "solver.time_limit": opts["time_limit"],
             "cluster.tile_km": opts["tile_km"], "cluster.workers": opts["workers"],
             "cluster.scheduler": opts["scheduler"],
             "cluster.memory_per_worker": opts["memory_per_worker"],
             "output.out": opts["out"], "output.overwrite": opts["overwrite"],
             "output.lang": opts["lang"]}
    scenario = Scenario.from_dict(_nested({**PROVINCE, **{
        k: v for k, v in given.items() if v is not None}}), base=Path.cwd())
    return _planned(scenario, quiet=opts["quiet"])


def _nested(dotted: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for key, value in dotted.items():
        section, name = key.split(".", 1)
        out.setdefault(section, {})[name] = value
    return out


def _time_model(opts: dict[str, Any]) -> Any:
    """The time model of the flags ``--minutes`` (``--mode``, ``--speed``) given; ``None``
    (the default model) when none is."""
    from .timemodel import TimeModel

    given = {key: opts[flag] for key, flag in (("minutes", "minutes"), ("mode", "mode"),
                                               ("speed_m_s", "speed"))
             if opts.get(flag) is not None}
    return TimeModel(**given) if given else None


# --------------------------------------------------------------------------- the pipeline


def _plan(opts: dict[str, Any], *, optimise: bool) -> list[str]:
    """Run the scenario; the summary lines to print (none with --quiet)."""
    return _planned(_scenario_from(opts, optimise=optimise), quiet=opts["quiet"])


def _planned(scenario: Any, *, quiet: bool) -> list[str]:
    """Run ``scenario`` (its variants compared); the summary lines to print."""
    from . import pipeline

    per_run = 11 if scenario.goal.optimise else 7  # steps a variant with shared inputs skips
    steps = _Steps(total=per_run * max(1, len(scenario.variants)), quiet=quiet)

    def work() -> Any:
        try:
            if scenario.variants:
                return pipeline.compare(scenario, step=steps.step, say=steps.say)
            return pipeline.run(scenario, step=steps.step, say=steps.say)
        finally:
            steps.close()

    result = _held(scenario.output.out, work)
    return [] if quiet else [_cli_words(line) for line in result.lines()]


if __name__ == "__main__":  # pragma: no cover
    main()
