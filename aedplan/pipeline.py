"""The whole planning run, stage by stage, as ``aedplan plan`` runs it.

    resolve the inputs -> today's coverage -> candidates -> optimise -> circles
                       -> report -> render -> write

Each stage is a short function; today's snapping and coverage are computed once and
handed on. The command line is a thin layer over :func:`run`, so a notebook can run the
same plan and get the same files and numbers. Messages name :func:`run`'s parameters;
the command line maps them to its flags.
"""

from __future__ import annotations

import dataclasses
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from . import _files, _format, _results
from ._words import Words
from .errors import AedplanError, AedplanWarning, InputError
from .network import WalkNetwork
from .optimise import DEFAULT_MIP_GAP
from .timemodel import TimeModel, resolve

__all__ = ["PlanRun", "run"]

_NO_AEDS_NOTE = (
    "no AEDs are mapped in {what}: coverage starts from zero and the plan places AEDs from "
    "scratch (pass `aeds` with your AED list)."
)


@dataclass
class _Notes:
    """What a run tells its reader beside the numbers, in the run's language."""

    words: Words = field(default_factory=Words)
    items: list[str] = field(default_factory=list)

    def add(self, template: str, **values: Any) -> None:
        """Note ``template`` (English, as :mod:`aedplan._words` knows it), filled in."""
        self.items.append(self.words(template, **values))


@dataclass(frozen=True, eq=False)
class PlanRun:
    """What a run produced.

    Attributes
    ----------
    report
        The report, as written to ``report.json``.
    files
        File name -> path of every file written.
    frames
        The GeoDataFrames behind the files, in the network's CRS: ``demand``, ``aeds``,
        ``proposed``, ``circles``, ``hot_spots``.
    notes
        What the run noticed about the inputs (also in the report).
    net
        The walk network.
    site_plan
        The plan (``None`` for today's coverage only).
    """

    report: dict[str, Any]
    files: Mapping[str, Path]
    frames: Mapping[str, Any]
    notes: tuple[str, ...] = ()
    net: WalkNetwork | None = field(default=None, repr=False)
    site_plan: Any = field(default=None, repr=False)

    def lines(self) -> list[str]:
        """A short human summary for the terminal."""
        from .report import summary_lines

        return summary_lines(self.report, self.files, list(self.notes))

    def __repr__(self) -> str:
        plan = self.report.get("plan")
        after = f" -> {_format.share(plan['coverage'])}" if plan else ""
        return (
            f"PlanRun(coverage {_format.share(self.report['existing']['coverage'])}{after}, "
            f"{len(self.files)} files written)"
        )

    def _repr_html_(self) -> str:
        return _results.html_table("aedplan run", {line.split(":")[0]: line.partition(": ")[2]
                                                   for line in self.lines() if ": " in line})


@dataclass(frozen=True)
class _Source:
    """Where the run's data come from."""

    net: WalkNetwork
    osm_file: Path | None
    online: bool
    default_run: bool
    place: str | None
    bbox: Any


def _no_step(label: str, key: str | None = None) -> Any:
    return _quiet()


@contextmanager
def _quiet() -> Iterator[None]:
    yield


def _noop_say(text: str) -> None:
    return None


def run(
    *,
    osm: str | Path | None = None,
    place: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    aeds: str | Path | None = "osm",
    demand: str | Path = "buildings",
    arrests: str | Path | None = None,
    candidates: str | Path | None = "pois",
    poi_preset: str = "default",
    model: TimeModel | None = None,
    minutes: float | None = None,
    mode: str | None = None,
    speed_m_s: float | None = None,
    datum: str | None = None,
    lon_col: str | None = None,
    lat_col: str | None = None,
    id_col: str | None = None,
    name_col: str | None = None,
    weight_col: str | None = None,
    encoding: str | None = None,
    budget: int | None = None,
    target_coverage: float | None = None,
    target_density: float | None = None,
    solver: Literal["exact", "greedy"] | None = "exact",
    time_limit_s: float | None = 60.0,
    mip_rel_gap: float = DEFAULT_MIP_GAP,
    out: str | Path | None = None,
    overwrite: bool = False,
    png: bool = False,
    tiles: str = "osm",
    tiles_key: str | None = None,
    lang: str | None = None,
    optimise: bool = True,
    largest_component: bool = True,
    public_only: bool = False,
    week: str | None = None,
    country: str | None = None,
    unknown_hours: str = "open",
    arrest_profile: Any = "default",
    objective: str = "hours",
    new_site_hours: str = "24/7",
    relocate: int = 0,
    movable: str = "all",
    districts: Any = None,
    min_district_coverage: float | None = None,
    min_per_community: int | None = None,
    step: Callable[..., Any] = _no_step,
    say: Callable[[str], None] = _noop_say,
    words: Callable[[str], str] = str,
) -> PlanRun:
    """Run a whole plan (or, with ``optimise=False``, today's coverage) and write the
    result files into ``out``. Options mirror ``aedplan plan``.

    ``aeds``: ``"osm"`` (the AEDs mapped in the OSM source), ``"none"`` or a file;
    ``demand``: ``"buildings"``, ``"network"``, ``"arrests-smoothed"`` (the kernel
    density of the past arrests in the file ``arrests``, read along the streets) or a
    file; ``candidates``: ``"pois"`` (the
    places of ``poi_preset``: ``"default"`` or ``"cn-nhc-2021"``, see
    :mod:`aedplan.poi_presets`), ``"buildings"``, ``"nodes"`` or a file; ``datum`` of the
    lon/lat files (``None``: WGS84, but an Amap/Tencent/Baidu export must say). Who may use
    each AED and when:
    ``week`` (the Monday of the reference week; default a fixed week without public
    holidays), ``country`` (whose holidays; default the data's), ``unknown_hours``,
    ``arrest_profile``; the plan maximises ``objective`` (``"hours"``: round the clock,
    or ``"always"``) with new AEDs keeping ``new_site_hours`` (``"24/7"`` or ``"host"``);
    it may move up to ``relocate`` of today's AEDs (``movable``: ``"all"`` or
    ``"restricted"``). ``districts`` (polygons, or ``"osm"``/``"osm:LEVEL"`` for the OSM
    file's administrative areas) adds a table per district (``districts`` in the report,
    a layer of ``coverage.gpkg``, ``districts.csv``, the map) and allows floors:
    ``min_district_coverage``, ``min_per_community`` AEDs.
    Files are written only when ``out`` names a folder (the command line's default is
    ``aedplan-out``); it must not hold an earlier run's results unless ``overwrite``.
    Without it the results stay in memory (:class:`PlanRun`: ``report``, ``frames``,
    ``site_plan``; draw the map with :func:`aedplan.render_map`). ``tiles`` is the
    map's basemap (``"osm"``, ``"tianditu"`` with ``tiles_key``, ``"amap"``, ``"none"``);
    ``lang`` the map's words (``"en"``, ``"zh"``; default: the locale's, else English).
    ``lon_col``, ``lat_col``, ``id_col``, ``name_col`` and ``encoding`` apply to every
    table file given (AEDs, demand, candidates), ``weight_col`` to the demand file.
    The exact solver stops once its plan is proven within ``mip_rel_gap`` of the best
    (default 0.01%, the default of HiGHS, Gurobi and CPLEX; 0 proves optimality) or after
    ``time_limit_s``, and the report gives the gap either way.
    ``step(label, key)`` gives a context manager around each stage (progress) and
    ``say(text)`` takes remarks for the user; ``words(text)`` puts the warnings recorded in
    ``report.json`` in the caller's words (the command line's flags).

    Examples
    --------
    >>> import aedplan
    >>> result = aedplan.run(budget=3)  # the embedded default; nothing written without `out`
    >>> result.report["existing"]["aeds"], result.report["plan"]["new_sites"], result.files
    (75, 3, {})
    """
    from . import __version__
    from ._words import language
    from .basemaps import basemap
    from .coverage import hot_spots
    from .equity import district_table, districts_block
    from .hours import arrest_profile as profile_of
    from .hours import check_country, reference_week
    from .moves import check_options, moved_layers
    from .outputs import check_out
    from .plan import coverage_today, plan_sites
    from .poi_presets import poi_preset as preset_tags
    from .report import HoursNumbers, build_report

    notes = _Notes()
    timings: dict[str, float] = {}

    def timed(label: str, key: str) -> Any:
        return _timed(step, label, key, timings)

    with _recording() as heard:  # warnings land in the report too
        model = resolve(model, minutes=minutes, mode=mode, speed_m_s=speed_m_s)
        reading = _Reading(datum, lon_col, lat_col, id_col, name_col, weight_col, encoding)
        _check_inputs(osm, place, aeds, demand, candidates if optimise else None)
        budget = _one_goal(budget, target_coverage, target_density, demand, optimise)
        check_options(relocate=relocate, movable=movable, districts=districts,
                      min_district_coverage=min_district_coverage,
                      min_per_community=min_per_community, solver=solver,
                      target=next((n for n, v in (("target_coverage", target_coverage),
                                                  ("target_density", target_density))
                                   if v is not None), None))
        if out is not None:
            check_out(out, overwrite=overwrite)
        basemap(tiles, tiles_key)  # a missing Tianditu key is said before any slow step
        poi_tags = preset_tags(poi_preset)
        lang = language(lang)
        notes.words = Words(lang)
        country = check_country(country)
        reference_week(week, country=country)  # a bad week is told before any slow step
        profile = profile_of(arrest_profile)
        network_word = _network_word(osm, place)
        with timed("loading the walk network", "network"), _as_argument(network_word):
            src = _network_stage(osm, place, bbox, largest_component, say)
            areas = _districts_stage(districts, src)
        with timed("reading AEDs", "aeds"):
            aed_frame, aed_label = _aeds_stage(aeds, src, reading, notes)
            available = _hours_stage(aed_frame, src, week, country, unknown_hours)
            aed_frame, available, restricted = _public_only(aed_frame, available, public_only,
                                                             notes)
        demand_word = "osm" if str(demand) == "buildings" else "demand"
        with timed("building demand points", "demand"), _as_argument(demand_word):
            demand_frame, demand_kind = _demand_stage(demand, src, reading, arrests, notes)
        with timed("coverage of today's AEDs", "reach"):
            before = coverage_today(src.net, demand_frame, aed_frame, model=model)
            hourly = _hourly(src.net, before, available, profile, model)
        with timed("rescue circles of today's AEDs", "circles"):
            circles = _circles(src.net, before.aeds, model)
        site_plan, cand_frame, proposed_circles = None, None, None
        if optimise and target_density is not None:
            budget = _density_budget(target_density, demand_frame, demand_kind, aed_frame)
        if optimise:
            cand_word = "osm" if str(candidates) in ("pois", "buildings") else "candidates"
            with timed("choosing candidate sites", "candidates"), _as_argument(cand_word):
                cand_frame = _candidates_stage(candidates, src, demand, aed_frame, reading,
                                               poi_tags)
            with timed("optimising new sites", "optimise"):
                site_plan = plan_sites(
                    src.net, demand_frame, cand_frame, aeds=aed_frame, budget=budget,
                    target_coverage=target_coverage, model=model, solver=solver or "exact",
                    time_limit_s=time_limit_s or 60.0, mip_rel_gap=mip_rel_gap,
                    curve_to=max(2 * (budget or 10), 20),
                    before=before, hours=available, profile=profile, objective=objective,
                    new_site_hours=new_site_hours, relocate=relocate, movable=movable,
                    districts=areas, min_district_coverage=min_district_coverage,
                    min_per_community=min_per_community,
                )
                hourly = _hourly_after(src.net, site_plan, available, hourly)
            with timed("rescue circles of new sites", "circles"):
                proposed_circles = _circles(src.net, site_plan.proposed, model)
        frames = _layers(src.net, demand_frame, aed_frame, before, circles, site_plan,
                         proposed_circles)
        _hours_columns(frames, available, site_plan, hourly)
        frames["hot_spots"] = hot_spots(frames["demand"], ~_covered(frames["demand"]),
                                        cell_m=250.0, top=10)
        frames.update(moved_layers(frames, site_plan))
        if areas is not None:
            frames["districts"] = district_table(
                areas, frames["demand"], frames["aeds"],
                None if site_plan is None else frames["proposed"],
                kept=None if site_plan is None else site_plan.kept,
                people=demand_kind == "population")
        report = build_report(
            version=__version__, model=model,
            inputs={"budget": budget if optimise else None,
                    "target_coverage": target_coverage if optimise else None,
                    "target_density": target_density if optimise else None,
                    "solver": solver if optimise else None,
                    "mip_rel_gap": mip_rel_gap if optimise and solver != "greedy" else None,
                    "time_limit_s": time_limit_s if optimise and solver != "greedy" else None,
                    "datum": datum or "wgs84",
                    "aeds": aed_label,
                    "demand": str(demand), "candidates": str(candidates) if optimise else None,
                    "poi_preset": poi_preset if optimise else None,
                    "relocate": relocate if optimise else None,
                    "movable": movable if optimise and relocate else None,
                    "districts": None if districts is None else str(districts),
                    "lang": lang},
            net=src.net, demand_kind=demand_kind, before=before, aeds=aed_frame,
            restricted=restricted, site_plan=site_plan,
            n_candidates=None if cand_frame is None else len(cand_frame),
            hot_spots=frames["hot_spots"],
            notes=[*map(words, notes.items), *(f"warning: {words(text)}" for text in heard())],
            hours=HoursNumbers(available, _profile_name(arrest_profile), *hourly),
            density=_density(demand_frame, demand_kind, aed_frame, site_plan,
                             target_density if optimise else None),
        )
        if areas is not None:
            report["districts"] = districts_block(
                frames["districts"], source=areas.source,
                outside_weight=before.total_weight - float(frames["districts"]["weight"].sum()),
                fairness=None if site_plan is None else site_plan.floors)
        result = PlanRun(report, {}, frames, tuple(notes.items), src.net, site_plan)
        if out is None:  # nothing asked to be written: the results stay in memory
            report["timings_s"] = timings
            return result
        with timed("drawing the map", "render"):
            html, png_writer = _render(result, png, tiles=tiles, tiles_key=tiles_key,
                                       lang=lang)
        report["timings_s"] = timings
        with timed("writing results", "write"):
            files = _write(out, frames, report, html, png_writer, overwrite)
        return dataclasses.replace(result, files=files)


def _one_goal(budget: int | None, target_coverage: float | None,
              target_density: float | None, demand: Any, optimise: bool) -> int | None:
    """The plan's budget: as given, else 10 when no target is; one goal at a time, and a
    density target only with people as demand."""
    if not optimise:
        return budget
    goals = [name for name, v in (("budget", budget), ("target_coverage", target_coverage),
                                  ("target_density", target_density)) if v is not None]
    if len(goals) > 1:
        raise InputError(f"give one of `budget`, `target_coverage`, `target_density`; got "
                         f"{' and '.join(f'`{g}`' for g in goals)}.")
    if target_density is not None and (str(demand) in ("buildings", "network")
                                       or _files.is_osm_file(str(demand))):
        raise InputError(
            "`target_density` counts AEDs per 100,000 people, so the demand must be people: "
            "pass `demand` a population grid (a GeoTIFF such as WorldPop's, or polygons with "
            "a population column)."
        )
    return 10 if not goals else budget


def _density_budget(target: float, demand: Any, kind: str, aeds: Any) -> int:
    """The new AEDs a density target asks for: those it implies here, less today's."""
    from .density import aeds_for_density

    if kind != "population":
        raise InputError(
            "`target_density` counts AEDs per 100,000 people, but `demand` is not a "
            "population grid (raster, or polygons with a population column)."
        )
    return max(0, aeds_for_density(target, float(demand["weight"].sum())) - len(aeds))


def _density(demand: Any, kind: str, aeds: Any, site_plan: Any,
             target: float | None) -> dict[str, Any] | None:
    """AEDs per 100,000 people and per km², when the demand is people."""
    from .density import density_numbers

    if kind != "population":
        return None
    return density_numbers(
        population=float(demand["weight"].sum()),
        area_km2=float(demand["area_m2"].sum()) / 1e6 if "area_m2" in demand else 0.0,
        aeds_before=len(aeds),
        aeds_after=None if site_plan is None else len(aeds) + len(site_plan.proposed),
        target=target,
    )


def _network_word(osm: Any, place: Any) -> str:
    """The option the network came from, as messages name it."""
    return "osm" if osm is not None else "place" if place is not None else "bbox"


@contextmanager
def _recording(reword: Callable[[str], str] = str) -> Iterator[Callable[[], list[str]]]:
    """Record the warnings of a block and warn them all again, ``reword``-ed, when it
    ends (so a caller's own handling of warnings still sees them). Yields ``heard()``:
    aedplan's warnings so far, as text, once each."""
    caught: list[warnings.WarningMessage] = []

    def heard() -> list[str]:
        ours = (reword(str(w.message)) for w in caught
                if issubclass(w.category, AedplanWarning))
        return list(dict.fromkeys(ours))

    try:
        with warnings.catch_warnings(record=True) as recorded:
            warnings.simplefilter("always")
            caught = recorded
            yield heard
    finally:  # once the recording has stopped
        for w in caught:
            ours = issubclass(w.category, AedplanWarning)
            text = reword(str(w.message)) if ours else w.message
            warnings.warn_explicit(text, w.category, w.filename, w.lineno)


@contextmanager
def _as_argument(name: str) -> Iterator[None]:
    """The readers name their input `source`; in a run it is the option ``name``, so their
    messages and warnings say so."""

    def reword(text: str) -> str:
        return text.replace("`source`", f"`{name}`")

    try:
        with _recording(reword):
            yield
    except AedplanError as exc:
        exc.args = (reword(str(exc)), *exc.args[1:])
        raise


@contextmanager
def _timed(step: Callable[..., Any], label: str, key: str, timings: dict[str, float]
           ) -> Iterator[None]:
    """A progress step that also records its time under ``key``."""
    start = time.perf_counter()
    with step(label, None):
        yield
    timings[key] = timings.get(key, 0.0) + time.perf_counter() - start


# --------------------------------------------------------------------------- stages


def _check_inputs(osm: Any, place: Any, aeds: Any, demand: Any, candidates: Any) -> None:
    """Input files are checked before any slow step."""
    if place is not None and osm is not None:
        raise InputError("give one network source: `osm` (a file) or `place`, not both.")
    if osm is not None:
        _files.check_file(osm, "osm")
    for option, value, words in (
        ("aeds", aeds, ("osm", "none")),
        ("demand", demand, ("buildings", "network", "arrests-smoothed")),
        ("candidates", candidates, ("pois", "buildings", "nodes")),
    ):
        if value is None or str(value).lower() in words:
            continue
        if not Path(value).exists():
            raise InputError(
                f"`{option}`: file not found: {value}. Give a file, or one of "
                f"{', '.join(words)}."
            )
        _files.check_file(value, option)  # a folder, an empty file


def _network_stage(
    osm: Any, place: str | None, bbox: Any, largest_component: bool, say: Callable[[str], None]
) -> _Source:
    from .network import load_network

    online = place is not None or (bbox is not None and osm is None)
    if osm is not None:
        net = load_network(str(osm), clip=bbox, largest_component=largest_component)
        osm_file = Path(osm) if _files.is_osm_file(osm) else None
    elif online:
        net = load_network(place if place is not None else tuple(bbox),
                           clip=bbox if place is not None else None,
                           largest_component=largest_component)
        osm_file = None
    else:
        from .datasets import default_osm_path

        osm_file = default_osm_path()
        say("no network source given: running on the embedded default, the real "
            "OpenStreetMap extract of Vaduz and Schaan (Liechtenstein) installed with aedplan.")
        net = load_network(None, largest_component=largest_component)
    return _Source(net, osm_file, online, osm is None and not online, place, bbox)


def _districts_stage(districts: Any, src: _Source) -> Any:
    """The districts, in the network's CRS (``None`` when not asked for)."""
    if districts is None:
        return None
    from .partition import districts as read_districts

    return read_districts(districts, src.net.crs, osm=src.osm_file)


@dataclass(frozen=True)
class _Reading:
    """How the user's point files are read: their datum, the columns they name, their
    text encoding."""

    datum: str | None = None
    lon_col: str | None = None
    lat_col: str | None = None
    id_col: str | None = None
    name_col: str | None = None
    weight_col: str | None = None
    encoding: str | None = None

    def options(self, path: Any, *, weights: bool = False) -> dict[str, Any]:
        """Keywords of the point readers for ``path``: coordinates columns and encoding
        only for tables, the weight column only for demand."""
        table = _files.kind_of(path) == "table"
        out: dict[str, Any] = {"datum": self.datum, "id_col": self.id_col,
                               "name_col": self.name_col}
        if table:
            out.update(lon_col=self.lon_col, lat_col=self.lat_col, encoding=self.encoding)
        if weights:
            out["weight_col"] = self.weight_col
        return out


def _aeds_stage(aeds: Any, src: _Source, reading: _Reading, notes: _Notes
                ) -> tuple[Any, str]:
    """The existing AEDs (EPSG:4326) and how they were found."""
    from .io import read_points

    word = "none" if aeds is None else str(aeds).lower()
    if word == "none":
        frame, label = _empty_points(), "none"
    elif word == "osm" and src.osm_file is not None:
        with warnings.catch_warnings():  # having none is a finding, reported below
            warnings.filterwarnings("ignore", message=".*defibrillator.*",
                                    category=AedplanWarning)
            frame = read_points(src.osm_file, argument="aeds")
        label = f"OpenStreetMap emergency=defibrillator in {src.osm_file.name}"
    elif word == "osm" and src.online:
        from . import _online

        found = _online.features({"emergency": "defibrillator"}, place=src.place,
                                 bbox=src.bbox, thing="AEDs")
        frame = read_points(found, argument="aeds") if len(found) else _empty_points()
        label = "OpenStreetMap emergency=defibrillator (online)"
    elif word == "osm":
        raise InputError("`aeds='osm'` needs an OSM file or an online source; pass `aeds` "
                         "with your AED list (a file).")
    else:
        frame = read_points(str(aeds), argument="aeds", **reading.options(aeds))
        _datum_check(src.net, frame, "aeds", reading)
        label = str(aeds)
    frame = _clip(frame, src.bbox)
    if len(frame) == 0 and label != "none":
        what = (notes.words("the embedded default (Vaduz and Schaan)") if src.default_run
                else label)
        notes.add(_NO_AEDS_NOTE, what=what)
    return frame, label


def _datum_check(net: WalkNetwork, points: Any, argument: str, reading: _Reading) -> None:
    """Warn when lon/lat points read as WGS84 lie much nearer the streets in GCJ-02 or
    BD-09 (:func:`aedplan.snapping.datum_hint`)."""
    from .snapping import datum_hint

    if (reading.datum or "wgs84") != "wgs84" or len(points) == 0:
        return
    hint = datum_hint(net, points)
    if hint is None:
        return
    datum, given, then = hint
    warnings.warn(
        f"`{argument}`: the points lie {given:.0f} m from the streets (median), but "
        f"{then:.0f} m if their lon/lat are {_DATUM_WORDS[datum]}: they look copied from a "
        f"Chinese web map. If so, pass `datum='{datum}'`.",
        AedplanWarning, stacklevel=2,
    )


_DATUM_WORDS = {"gcj02": "GCJ-02 (Amap, Tencent)", "bd09": "BD-09 (Baidu)"}


def _public_only(aeds: Any, available: Any, public_only: bool, notes: _Notes
                 ) -> tuple[Any, Any, int]:
    """With ``public_only``, the AEDs the public may use (and their availability); the
    number of restricted AEDs counted."""
    restricted = ~available.public
    if not (public_only and restricted.any()):
        return aeds, available, int(restricted.sum())
    words = sorted(set(aeds.loc[restricted, "access"].dropna().astype(str))) if (
        "access" in aeds) else []
    notes.add("left out {n} AEDs the public may not use{access} (`public_only`).",
              n=int(restricted.sum()), access=f" (access={'/'.join(words)})" if words else "")
    keep = np.flatnonzero(~restricted)
    if len(keep) == 0:
        notes.add(_NO_AEDS_NOTE, what=notes.words("the AEDs the public may use"))
    return aeds.iloc[keep].reset_index(drop=True), available.take(keep), 0


def _demand_stage(demand: Any, src: _Source, reading: _Reading, arrests: Any,
                  notes: _Notes) -> tuple[Any, str]:
    """The demand points (EPSG:4326) and their kind."""
    from .demand import (
        demand_from_buildings,
        demand_from_grid,
        demand_from_network,
        demand_from_points,
    )

    kind = str(demand)
    if kind == "buildings" and src.osm_file is not None:
        frame, what = demand_from_buildings(src.osm_file, clip=src.bbox), "buildings"
    elif kind == "buildings" and src.online:
        from . import _online

        found = _online.features({"building": True}, place=src.place, bbox=src.bbox,
                                 thing="buildings")
        frame, what = demand_from_buildings(found), "buildings"
    elif kind == "buildings":
        raise InputError("`demand='buildings'` needs an OSM source; pass `demand` with a file.")
    elif kind == "network":
        frame, what = demand_from_network(src.net), "network"
    elif kind == "arrests-smoothed":
        frame, what = _smoothed_arrests(src, reading, arrests, notes), "arrests-smoothed"
    elif _files.is_osm_file(kind):
        frame, what = demand_from_buildings(kind, clip=src.bbox), "buildings"
    elif _is_grid(kind):
        frame = demand_from_grid(kind, population_col=reading.weight_col)
        what = "population"
    else:
        frame = demand_from_points(kind, **reading.options(kind, weights=True))
        _datum_check(src.net, frame, "demand", reading)
        what = "points"
    frame = _clip(frame, src.bbox)
    if len(frame) == 0:
        raise InputError(
            "`demand`: no demand point lies inside `bbox`; check the files cover the same "
            "place, or use `demand='network'`."
        )
    return frame, what


def _smoothed_arrests(src: _Source, reading: _Reading, arrests: Any, notes: _Notes) -> Any:
    """Points along the streets weighted by the kernel density of past arrests."""
    from .demand import demand_from_network
    from .io import read_points
    from .smoothing import smoothed_demand

    if arrests is None:
        raise InputError("`demand='arrests-smoothed'` smooths past arrests: pass `arrests`, "
                         "a file of their locations.")
    _files.check_file(arrests, "arrests")
    points = read_points(str(arrests), argument="arrests", **reading.options(arrests))
    base = demand_from_network(src.net).to_crs(src.net.crs)
    frame, chosen = smoothed_demand(base, points, src.net.crs)
    assert chosen is not None  # chosen here, by cross-validation
    notes.add("demand: {n} past arrests smoothed along the streets (Gaussian kernel, "
              "bandwidth {h:.0f} m chosen by cross-validation).", n=len(points), h=chosen.h_m)
    return frame.to_crs(4326)


def _is_grid(path: str) -> bool:
    """Whether a demand file is a population grid: a raster, or polygons (cells)."""
    kind = _files.kind_of(path)
    if kind == "raster":
        return True
    if kind != "vector":
        return False
    shapes = _files.read_vector(path, argument="demand").geom_type
    return bool(len(shapes)) and bool(shapes.isin(["Polygon", "MultiPolygon"]).all())


def _candidates_stage(candidates: Any, src: _Source, demand: Any, aeds: Any,
                      reading: _Reading, tags: Any) -> Any:
    """The candidate sites (EPSG:4326), existing AEDs left out."""
    from .candidates import (
        candidates_from_buildings,
        candidates_from_features,
        candidates_from_network,
        candidates_from_points,
        candidates_from_pois,
        exclude_existing,
        osmnx_tags,
    )

    cand = str(candidates)
    if cand == "pois" and src.osm_file is not None:
        frame = candidates_from_pois(src.osm_file, tags=tags, clip=src.bbox)
    elif cand == "pois" and src.online:
        from . import _online

        frame = candidates_from_features(
            _online.features(osmnx_tags(tags), place=src.place, bbox=src.bbox,
                             thing="places"), tags=tags,
        )
    elif cand == "pois":
        raise InputError("`candidates='pois'` needs an OSM file or an online source; use "
                         "`candidates='nodes'` or a file.")
    elif cand == "buildings":
        source = demand if _files.is_osm_file(str(demand)) else src.osm_file
        if source is None:
            raise InputError("`candidates='buildings'` needs an OSM file of buildings.")
        frame = candidates_from_buildings(source, clip=src.bbox)
    elif cand == "nodes":
        frame = candidates_from_network(src.net, spacing_m=50.0)
    elif _files.is_osm_file(cand):
        frame = candidates_from_pois(cand, tags=tags, clip=src.bbox)
    else:
        frame = candidates_from_points(cand, **reading.options(cand))
        _datum_check(src.net, frame, "candidates", reading)
    frame = _clip(frame, src.bbox)
    if len(aeds):
        frame = exclude_existing(frame, aeds)
    if len(frame) == 0:
        raise InputError(
            f"`candidates={cand!r}`: no candidate site is left (none inside `bbox`, or all "
            "are existing AEDs); try `candidates='nodes'`."
        )
    return frame


def _circles(net: WalkNetwork, aeds: Any, model: TimeModel) -> Any:
    from .circles import rescue_circles

    if aeds is None or len(aeds) == 0:
        return _empty_circles(net.crs)
    return rescue_circles(net, aeds, model=model).circles


def _hours_stage(aeds: Any, src: _Source, week: Any, country: str | None,
                 unknown_hours: str) -> Any:
    """Who may use each AED, and when, over the reference week of the data's country."""
    from .hours import availability, country_of, reference_week

    if country is None:
        lon, lat = _centre_lonlat(src.net)
        country = country_of(lon, lat)
    return availability(aeds, week=reference_week(week, country=country),
                        unknown_hours=unknown_hours)


def _centre_lonlat(net: WalkNetwork) -> tuple[float, float]:
    from pyproj import Transformer

    x0, y0, x1, y1 = net.bounds()
    lon, lat = Transformer.from_crs(net.crs, 4326, always_xy=True).transform(
        (x0 + x1) / 2, (y0 + y1) / 2)
    return float(lon), float(lat)


def _hourly(net: WalkNetwork, before: Any, available: Any, profile: np.ndarray,
            model: TimeModel) -> tuple[Any, Any]:
    """Today's coverage by hour, with unknown hours counted as asked and as closed."""
    from .coverage import hourly_coverage

    def by_hour(open_: np.ndarray) -> Any:
        return hourly_coverage(net, before.demand, before.aeds, open_, profile=profile,
                               weights=before.weights, model=model)

    return by_hour(available.open), by_hour(available.assuming("closed").open)


def _hourly_after(net: WalkNetwork, site_plan: Any, available: Any,
                  before: tuple[Any, Any]) -> tuple[Any, ...]:
    """Coverage by hour with the proposed AEDs too (unknown hours as asked, and closed)."""
    from .coverage import hourly_coverage

    closed = hourly_coverage(
        net, site_plan.after.demand, site_plan.after.aeds,
        np.vstack([available.assuming("closed").open[site_plan.kept],
                   site_plan.new_sites.open]),
        profile=site_plan.hours_after.profile, weights=site_plan.after.weights,
        model=site_plan.model,
    )
    return (*before, site_plan.hours_after, closed)


def _profile_name(spec: Any) -> str:
    return spec if isinstance(spec, str) and spec in ("default", "uniform") else (
        Path(spec).name if isinstance(spec, (str, Path)) else "given")


# --------------------------------------------------------------------------- layers


def _layers(
    net: WalkNetwork,
    demand: Any,
    aeds: Any,
    before: Any,
    circles: Any,
    site_plan: Any,
    proposed_circles: Any,
) -> dict[str, Any]:
    """The run's layers, in the network's CRS."""
    if site_plan is not None:
        demand_layer, proposed = site_plan.demand, site_plan.proposed
    else:
        demand_layer = demand.to_crs(net.crs).reset_index(drop=True)
        demand_layer["walk_s_before"] = np.asarray(before.time_s)
        demand_layer["covered_before"] = np.asarray(before.covered)
        proposed = _empty_points().to_crs(net.crs)
    aed_layer = aeds.to_crs(net.crs)
    if len(aed_layer):
        aed_layer["max_s"] = np.nan
        aed_layer.loc[circles["aed"].to_numpy(), "max_s"] = circles["max_s"].to_numpy()
        aed_layer["snapped"] = np.asarray(before.aeds.ok)
    if proposed_circles is None:
        proposed_circles = _empty_circles(net.crs)
    return {
        "demand": demand_layer,
        "aeds": aed_layer,
        "proposed": proposed,
        "circles": _circle_layer(circles, aeds, proposed_circles, proposed),
    }


def _hours_columns(frames: dict[str, Any], available: Any, site_plan: Any,
                   hourly: tuple[Any, ...]) -> None:
    """Who may use each AED and when, and how much of the week each place is covered."""
    from .hours import HOURS, hours_in_words
    from .maplayers import DAY_HOUR, NIGHT_HOUR

    aeds = frames["aeds"]
    aeds["public"] = np.asarray(available.public)
    aeds["hours_kind"] = available.kind
    aeds["open_share"] = np.asarray(available.open_share)
    aeds["hours_words"] = [hours_in_words(row) for row in available.open]  # text, per AED
    demand = frames["demand"]
    demand["covered_share_before"] = np.asarray(hourly[0].point_share)
    new_open = np.zeros((0, HOURS), dtype=bool)
    if site_plan is not None:  # the proposed layer has its hours columns from plan_sites
        new_open = site_plan.new_sites.open
        frames["proposed"]["hours_words"] = [hours_in_words(row) for row in new_open]
        demand["covered_share_after"] = np.asarray(hourly[2].point_share)
    circles = frames["circles"]
    row = circles["index_in_layer"].to_numpy(dtype=np.int64)
    is_new = (circles["status"] == "proposed").to_numpy()
    for column, hour in (("open_day", DAY_HOUR), ("open_night", NIGHT_HOUR)):
        is_open = np.zeros(len(circles), dtype=bool)
        is_open[~is_new] = available.open[row[~is_new], hour]
        is_open[is_new] = new_open[row[is_new], hour]
        circles[column] = is_open


def _covered(demand_layer: Any) -> np.ndarray:
    column = "covered_after" if "covered_after" in demand_layer else "covered_before"
    return demand_layer[column].to_numpy(dtype=bool)


def _circle_layer(circles: Any, aeds: Any, proposed_circles: Any, proposed: Any) -> Any:
    """Existing and proposed circles in one frame, with ``status``, ``rank`` and ``name``."""
    import geopandas as gpd
    import pandas as pd

    parts = []
    if len(circles):
        c = circles.copy()
        c["status"] = "existing"
        c["name"] = aeds["name"].to_numpy()[c["aed"].to_numpy()] if "name" in aeds else None
        c["rank"] = pd.NA
        parts.append(c)
    if len(proposed_circles):
        p = proposed_circles.copy()
        p["status"] = "proposed"
        p["name"] = proposed["name"].to_numpy()[p["aed"].to_numpy()]
        p["rank"] = proposed["rank"].to_numpy()[p["aed"].to_numpy()]
        parts.append(p)
    if not parts:
        return gpd.GeoDataFrame(
            {"status": [], "rank": [], "name": [], "id": [],
             "index_in_layer": np.zeros(0, dtype=np.int64), "area_m2": [], "max_s": []},
            geometry=gpd.GeoSeries([], crs=circles.crs), crs=circles.crs)
    frame = pd.concat(parts, ignore_index=True).rename(columns={"aed": "index_in_layer"})
    frame["rank"] = frame["rank"].astype("Int64")  # empty for existing AEDs
    cols = ["status", "rank", "name", "id", "index_in_layer", "area_m2", "max_s", "geometry"]
    return gpd.GeoDataFrame(frame[cols], geometry="geometry", crs=circles.crs)


# --------------------------------------------------------------------------- render, write


def _render(
    result: PlanRun, png: bool, *, tiles: str, tiles_key: str | None, lang: str
) -> tuple[str, dict[str, Callable[[Path], Any]]]:
    """The map's HTML, and the images to write: coverage through the week (when the AEDs'
    hours are known), the coverage-vs-budget curve (with a plan) and, when asked, the
    static map."""
    from .figure import render_curve_png, render_png, render_week_png
    from .render import page_html, render_map

    html = page_html(render_map(result, tiles=tiles, tiles_key=tiles_key, lang=lang))
    images: dict[str, Callable[[Path], Any]] = {}
    hours = result.report.get("hours")
    if hours is not None:
        before, after = hours["before"]["hourly"], (hours.get("after") or {}).get("hourly")
        images["coverage_by_hour.png"] = lambda path: render_week_png(before, after, path,
                                                                      lang=lang)
    curve = (result.report.get("plan") or {}).get("curve")
    if curve is not None and len(curve["new_sites"]) > 1:
        chosen = result.report["plan"]["new_sites"]
        images["coverage_curve.png"] = lambda path: render_curve_png(
            curve["new_sites"], curve["coverage"], path, chosen=chosen,
            round_the_clock=bool(curve.get("round_the_clock")), lang=lang)
    if png:
        images["map.png"] = lambda path: render_png(result, path, lang=lang)
    return html, images


def _write(out: Any, frames: Mapping[str, Any], report: dict[str, Any], html: str,
           images: Mapping[str, Callable[[Path], Any]], overwrite: bool) -> dict[str, Path]:
    from .outputs import write_outputs

    return write_outputs(
        out, report=report, demand=frames["demand"], aeds=frames["aeds"],
        proposed=frames["proposed"], circles=frames["circles"], map_html=html, images=images,
        overwrite=overwrite, districts=frames.get("districts"), moves=frames.get("moves"),
    )


# --------------------------------------------------------------------------- helpers


def _empty_points() -> Any:
    import geopandas as gpd

    return gpd.GeoDataFrame({"id": [], "name": []}, geometry=gpd.GeoSeries([], crs=4326),
                            crs=4326)


def _empty_circles(crs: Any) -> Any:
    import geopandas as gpd

    return gpd.GeoDataFrame(
        {"aed": np.zeros(0, dtype=np.int64), "id": [], "area_m2": [], "max_s": []},
        geometry=gpd.GeoSeries([], crs=crs), crs=crs,
    )


def _clip(frame: Any, bbox: Any) -> Any:
    """Rows of ``frame`` inside ``bbox`` (W, S, E, N in degrees), when one is given."""
    if bbox is None or len(frame) == 0:
        return frame
    import shapely

    from . import _geo

    pts = _geo.point_array(frame)
    keep = shapely.contains_xy(shapely.box(*bbox), shapely.get_x(pts), shapely.get_y(pts))
    return frame.loc[keep].reset_index(drop=True)
