"""A whole plan over a :class:`~aedplan.scenario.Scenario`, stage by stage.

    check -> today (network, study area, inputs, hours, today's coverage, circles)
          -> plan (candidates, optimise, circles) -> layers -> report -> map -> files

:func:`run` plans one scenario; :func:`compare` plans each variant of a scenario, sharing
the network, the inputs and today's coverage among the variants that have them in
common. The command line only turns flags into a scenario and calls these.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import _files, tasks
from ._collector import spared
from ._notes import Notes, as_argument, no_step, recording, said, say_nothing, timed
from ._words import Words, chinese_country, chinese_of, language, language_meant
from .errors import AedplanError, AedplanWarning, Clause, InputError, Joined, Phrase
from .results import Comparison, PlanRun
from .scenario import Scenario, in_keys
from .timemodel import TimeModel

__all__ = ["compare", "run"]

_NO_AEDS_NOTE = (
    "no AEDs are mapped in {what}: coverage starts from zero and the plan places AEDs from "
    "scratch (pass `aeds` with your AED list)."
)


def run(scenario: Scenario | None = None, *, step: Callable[..., Any] = no_step,
        say: Callable[[str], None] = say_nothing, client: Any = None) -> PlanRun:
    """Run a scenario: today's coverage and, with ``goal.optimise``, the plan; the files
    are written into ``output.out`` when it names a folder (else the results stay in
    memory: draw the map with :func:`aedplan.render_map`).

    ``step(label, key)`` gives a context manager around each stage (progress) and
    ``say(text)`` takes remarks for the user. With ``client`` (a Dask
    :class:`distributed.Client`), or the scenario's ``[cluster]`` ``workers`` or
    ``scheduler``, the network searches run part by part on the cluster's workers
    (parts of ``cluster.tile_km``, :mod:`aedplan.tasks`): the same plan, the same files.

    Examples
    --------
    >>> import aedplan
    >>> scenario = aedplan.Scenario().replace({"goal.budget": 3})  # the embedded default
    >>> result = aedplan.run(scenario)
    >>> result.report["existing"]["aeds"], result.report["plan"]["new_sites"], result.files
    (75, 3, {})
    """
    s = Scenario() if scenario is None else _a_scenario(scenario)
    if s.variants:
        raise InputError("the scenario has variants ({names}): plan them all with "
                         "aedplan.compare(scenario), or one with "
                         "aedplan.run(scenario.variant(name)).",
                         names=Joined([repr(v.name) for v in s.variants], sep=", "))
    with spared():
        return _run(s, step, say, {}, client)


def compare(scenario: Scenario, *, step: Callable[..., Any] = no_step,
            say: Callable[[str], None] = say_nothing, client: Any = None) -> Comparison:
    """Plan every variant of ``scenario`` in one run: the network, inputs and today's
    coverage are computed once for the variants that share them. With ``output.out``,
    each variant's files go into a folder of its own and ``compare.csv``,
    ``report.json`` (its ``compare`` block), ``map.html`` (a switcher between the
    variants' maps) and ``scenario.toml`` into ``out``, all or none.

    Examples
    --------
    >>> import aedplan
    >>> s = aedplan.Scenario.from_toml(
    ...     "[goal]\\nbudget = 1\\n[[variant]]\\nname = 'one'\\n"
    ...     "[[variant]]\\nname = 'two'\\ngoal.budget = 2\\n")
    >>> aedplan.compare(s).table[["variant", "placed"]].values.tolist()
    [['one', 1], ['two', 2]]
    """
    from .comparison import check_folders, comparison, write_comparison
    from .outputs import check_out

    if not _a_scenario(scenario).variants:
        raise InputError("the scenario has no [[variant]] tables: plan it with "
                         "aedplan.run(scenario).")
    shared: dict[Any, Any] = {}
    out = scenario.output.out
    if out is not None:  # before any slow step
        check_out(out, overwrite=scenario.output.overwrite)
        check_folders(Path(out), [v.name for v in scenario.variants],
                      scenario.output.overwrite)
    runs = {}
    _check(scenario)
    said: set[str] = set()

    def once(text: str) -> None:  # a remark the variants share is made once
        if text not in said:
            said.add(text)
            say(text)

    with spared(), _where(scenario, client) as runner, tasks.use(runner):  # one cluster
        for name, variant in scenario.runs():
            quiet = variant.replace({"output.out": None})  # written together below
            try:
                runs[name] = _run(quiet, step, once, shared)
            except AedplanError as exc:  # which variant, said in its run's language
                raise _in_variant(exc, name) from exc
    result = comparison(scenario, runs)
    if out is None:
        return result
    return write_comparison(result, scenario, publish)


def _a_scenario(scenario: Any) -> Scenario:
    """``scenario`` when it is one; a file or a dict is refused with how to make one."""
    if not isinstance(scenario, Scenario):
        raise InputError("`scenario` must be an aedplan.Scenario, got a {kind}: read a file "
                         "with Scenario.from_toml(path), a dict with Scenario.from_dict(data).",
                         kind=type(scenario).__name__)
    return scenario


def _in_variant(exc: AedplanError, name: str | None) -> AedplanError:
    """``exc`` of a comparison's variant ``name``, saying so (of its own class, so that
    ``except`` and the command line's exit code are the same)."""
    error = type(exc)("variant {name!r}: {error}{where}.", name=name, error=Clause(exc),
                      where="")
    if exc.lookup is not None:
        error.speak(exc.lookup)
    return error


# --------------------------------------------------------------------------- the run


def _run(s: Scenario, step: Callable[..., Any], say: Callable[[str], None],
         shared: dict[Any, Any], client: Any = None) -> PlanRun:
    """One scenario, reusing what ``shared`` holds from another of the same inputs."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    words = [Words(language_meant(s.output.lang))]  # the run's language, as asked
    try:
        return _spoken(s, step, say, shared, client, words, started, timings)
    except AedplanError as exc:  # said in the run's language, as its warnings are, and
        exc.edit(in_keys)  # naming the scenario's keys (`aeds.source`, not `aeds`)
        exc.speak(words[0])
        raise


def _spoken(s: Scenario, step: Callable[..., Any], say: Callable[[str], None],
            shared: dict[Any, Any], client: Any, words: list[Words], started: float,
            timings: dict[str, float]) -> PlanRun:
    """:func:`_run`, its language kept in ``words`` as soon as it is known."""

    def stage(label: str, key: str) -> Any:
        return timed(step, words[0](label), key, timings)

    with recording(in_keys) as heard:  # naming the keys, as the notes do
        checked = _check(s)
        words[0] = Words(checked.lang)  # its steps and an error's warnings too
        heard.speak(words[0])
        # as resolved, so that the written scenario.toml runs the same from anywhere
        s = s.absolute()
        with _where(s, client) as runner, tasks.use(runner):
            today = _today(s, checked, stage, say, shared)
            if _follows(s, today):
                words[0] = Words(_follows(s, today))  # the plan's errors follow the data
            planned = _planned(s, checked, today, stage, shared,
                               _Clock(started, timings)) if s.goal.optimise else None
            where = None if runner.tile_m is None else _cluster_block(s, runner, client)
        if _follows(s, today):
            checked = dataclasses.replace(checked, lang=_follows(s, today))  # the map too
        frames = _frames(today, planned)
        report = _report(s, checked, today, planned, frames)
        if where is not None:
            report["cluster"] = {**where, "by_part": _by_part(frames, where["tile_km"],
                                                                planned, today)}
        heard.speak(Words(checked.lang))  # warned again in the run's language
    s = s.replace({"output.lang": checked.lang})
    report["notes"] = list(dict.fromkeys(in_keys(note) for note in [
        *(n.said(Words(checked.lang)) for n in today.notes),
        *(f"warning: {t}" for t in said((*today.warnings, *heard()), Words(checked.lang)))]))
    report["timings_s"] = timings
    result = PlanRun(report, {}, frames, tuple(report["notes"]), today.src.net,
                     None if planned is None else planned.site_plan, s)  # frozen here
    if s.output.out is None:
        return result
    files = publish(result, s.output.out, overwrite=s.output.overwrite, step=stage)
    return dataclasses.replace(result, files=files,
                               report={**result.report, "timings_s": dict(timings)})


def _follows(s: Scenario, today: _Today) -> str | None:
    """The language a run without ``lang`` takes from its data: Chinese (its script)
    for AEDs in China, Taiwan, Hong Kong or Macau; else ``None``."""
    country = today.available.week.country
    return chinese_of(country) if s.output.lang is None and chinese_country(country) else None


def publish(result: PlanRun, out: str | Path, *, overwrite: bool = False,
            step: Callable[..., Any] | None = None) -> dict[str, Path]:
    """Draw the map and figures of ``result`` and write its files into ``out`` (all or
    none); the file names and paths written."""
    from .districtmaps import district_pages
    from .outputs import write_outputs

    timings = dict(result.report.get("timings_s") or {})  # the run's, and those below

    s = result.scenario
    lang = result.report["params"]["lang"]

    @contextmanager
    def stage(label: str, key: str) -> Iterator[None]:
        with (step or no_step)(Words(lang)(label), key), timed(no_step, label, key, timings):
            yield

    with recording() as heard:  # the map's and the charts' warnings in the run's language
        heard.speak(Words(lang))
        with stage("drawing the map", "render"):
            html, images = _render(result, s, lang)
            pages = district_pages(result, lang) if s.output.district_maps else {}
        f = result.frames
        with stage("writing results", "write"):  # the charts are drawn as they are written
            return write_outputs(
                out, report={**result.report, "timings_s": timings}, demand=f["demand"],
                aeds=f["aeds"],
                proposed=None if result.site_plan is None else f["proposed"],
                circles=f["circles"],
                texts={"map.html": html, "scenario.toml": s.resolved_toml(),
                       "aeds_read.csv": f["aeds_read"].to_csv(index=False), **pages},
                images=images, overwrite=overwrite, districts=f.get("districts"),
                moves=f.get("moves"))


@contextmanager
def _where(s: Scenario, client: Any) -> Iterator[tasks.Runner]:
    """Where the run's network searches run: part by part on ``client`` or on the
    cluster of the scenario's ``[cluster]`` section; else as the caller put in force
    (:func:`aedplan.tasks.use`; by default here, whole)."""
    c = s.cluster
    here = tasks.current()
    if here.tile_m is not None or (client is None and c.workers is None
                                   and c.scheduler is None):
        yield here  # a comparison's variants share one cluster
        return
    from .partition import check_tile
    from .plan import TIME_LIMIT_BUDGETS
    from .snapping import DEFAULT_MAX_SNAP_M

    tile_m = c.tile_km * 1000
    # the widest search of a run follows nearest-AED times to a few budgets
    reach = TIME_LIMIT_BUDGETS * s.time.model().reach_m
    check_tile(tile_m, reach + DEFAULT_MAX_SNAP_M + 1.0, "tile_km")
    with tasks.cluster(workers=c.workers, scheduler=c.scheduler, client=client,
                       memory_per_worker=c.memory_per_worker, tile_m=tile_m) as runner:
        yield runner


def _cluster_block(s: Scenario, runner: tasks.Runner, client: Any) -> dict[str, Any]:
    """Where the run's searches ran: the cluster, the parts and the tasks."""
    c = s.cluster
    given = getattr(getattr(client, "scheduler", None), "address", None)
    return {"workers": c.workers, "scheduler": c.scheduler or given,
            "slots": runner.slots, "tile_km": runner.tile_m / 1000 if runner.tile_m else None,
            "parts": runner.parts, "searches": dict(runner.searches), "tasks": runner.tasks}


def _by_part(frames: dict[str, Any], tile_km: float, planned: Any, today: Any
             ) -> list[dict[str, Any]]:
    """The table of a cluster run's parts (squares of ``tile_km`` with demand), as the
    districts' table: demand, coverage and AEDs, before and after."""
    from .equity import tiles_table

    table = tiles_table(frames, tile_km, planned=planned is not None,
                        people=today.demand_kind == "population")
    if table is None:
        return []
    rows = table.drop(columns=table.geometry.name).to_dict(orient="records")
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()} for r in rows]


@dataclass(frozen=True)
class _Checked:
    """What is known of a scenario before any slow step."""

    model: TimeModel
    budget: int | None
    lang: str
    country: str | None
    profile: np.ndarray
    poi_tags: Any


def _check(s: Scenario) -> _Checked:
    """Everything that can be checked before any slow step."""
    from .basemaps import basemap
    from .hours import arrest_profile, check_country, reference_week
    from .moves import check_options
    from .outputs import check_out
    from .poi_presets import poi_preset
    from .sources import check_hours_col, check_sources

    model = s.time.model()
    g = s.goal
    check_sources(s.area, {"aeds": s.aeds.source, "demand": s.demand.source,
                           "candidates": s.candidates.source if g.optimise else None})
    check_hours_col(s.aeds)
    budget = _one_goal(s)
    check_options(relocate=g.relocate, movable=g.movable, districts=s.area.districts,
                  min_district_coverage=g.min_district_coverage,
                  min_per_community=g.min_per_community, solver=s.solver.method,
                  target=next((n for n in ("target_coverage", "target_density")
                               if getattr(g, n) is not None), None))
    if s.output.out is not None:
        check_out(s.output.out, overwrite=s.output.overwrite)
    if s.output.district_maps and s.area.districts is None:
        raise InputError("`district_maps` draws one map per district: give the districts "
                         "too (`districts`: a file of polygons with a name, or `osm`).")
    basemap(s.output.tiles, s.output.tiles_key)  # a missing Tianditu key, said early
    country = check_country(s.hours.country)
    reference_week(s.hours.week, country=country)  # a bad week is told early
    return _Checked(model, budget, language(s.output.lang), country,
                    arrest_profile(s.hours.arrest_profile), poi_preset(s.candidates.poi_preset))


def _one_goal(s: Scenario) -> int | None:
    """The plan's budget: as given, else 10 when no target is; one goal at a time, and a
    density target only with people as demand."""
    g = s.goal
    if not g.optimise:
        return g.budget
    goals = [n for n in ("budget", "target_coverage", "target_density")
             if getattr(g, n) is not None]
    if len(goals) > 1:
        given: Any = f"`{goals[0]}`"
        for n in goals[1:]:
            given = Phrase("{first} and {last}", {"first": given, "last": f"`{n}`"})
        raise InputError("give one of `budget`, `target_coverage`, `target_density`; got "
                         "{goals}.", goals=given)
    demand = str(s.demand.source)
    if g.target_density is not None and (demand in ("buildings", "network")
                                         or _files.is_osm_file(demand)):
        raise InputError(
            "`target_density` counts AEDs per 100,000 people, so the demand must be people: "
            "pass `demand` a population grid (a GeoTIFF such as WorldPop's, or polygons with "
            "a population column)."
        )
    return 10 if not goals else g.budget


# --------------------------------------------------------------------------- today


@dataclass(frozen=True)
class _Today:
    """The network, the study area, the inputs and today's coverage: what variants of a
    scenario with the same area, inputs, time and hours share."""

    key: Any  # what it was made from: another scenario with the same key shares it
    src: Any
    area: Any
    districts: Any
    aeds: Any
    aed_label: str
    available: Any
    restricted: int
    demand: Any
    demand_kind: str
    counts: Mapping[str, Any]
    before: Any
    hourly: tuple[Any, Any]
    circles: Any
    notes: tuple[Phrase, ...]
    warnings: tuple[AedplanWarning, ...]


def _today(s: Scenario, c: _Checked, stage: Callable[..., Any], say: Callable[[str], None],
           shared: dict[Any, Any]) -> _Today:
    """Today's AEDs and coverage, from ``shared`` when another variant computed them."""
    from .layers import circles_of
    from .plan import coverage_today

    key = ("today", s.area, s.aeds, s.demand, s.time, s.hours.week, s.hours.country,
           s.hours.unknown_hours, s.hours.arrest_profile, c.lang)
    if key in shared:
        return shared[key]  # type: ignore[no-any-return]
    read = _read(s, c, stage, say, shared)
    with recording() as heard:
        with stage("coverage of today's AEDs", "reach"):
            before = coverage_today(read.src.net, read.demand, read.aeds, model=c.model)
            hourly = _hourly(read.src.net, before, read.available, c.profile, c.model)
        with stage("rescue circles of today's AEDs", "circles"):
            circles = circles_of(read.src.net, before.aeds, c.model)
    today = _Today(key, read.src, read.area, read.districts, read.aeds, read.aed_label,
                   read.available, read.restricted, read.demand, read.demand_kind,
                   read.counts, before, hourly, circles, read.notes,
                   (*read.warnings, *heard()))
    shared[key] = today
    return today


@dataclass(frozen=True)
class _Read:
    """The network, the study area and the inputs: what variants of a scenario with the
    same area, inputs and hours share, whatever their time model."""

    src: Any
    area: Any
    districts: Any
    aeds: Any
    aed_label: str
    available: Any
    restricted: int
    demand: Any
    demand_kind: str
    counts: Mapping[str, Any]
    notes: tuple[Phrase, ...]
    warnings: tuple[AedplanWarning, ...]


def _read(s: Scenario, c: _Checked, stage: Callable[..., Any], say: Callable[[str], None],
          shared: dict[Any, Any]) -> _Read:
    """The network, study area and inputs, from ``shared`` when another variant read
    them."""
    from .sources import load_source, mapped_aeds, read_districts, study_area

    key = ("read", s.area, s.aeds, s.demand, s.hours.week, s.hours.country,
           s.hours.unknown_hours, c.lang)
    if key in shared:
        return shared[key]  # type: ignore[no-any-return]
    notes = Notes(Words(c.lang))
    counts: dict[str, Any] = {}
    with recording() as heard:
        with stage("loading the walk network", "network"), as_argument(_network_word(s)):
            src = load_source(s.area, lambda text: say(notes.words(text)), inputs=s,
                              tags=c.poi_tags)
            districts = read_districts(s.area, src)
            area = study_area(src, districts)
        with stage("reading AEDs", "aeds"):
            aeds, label = _input("aeds", s.aeds, src, area, counts)
            if len(aeds) == 0 and label != "none":
                notes.add(_NO_AEDS_NOTE, what=Phrase(
                    "the embedded default (Vaduz and Schaan)") if src.default_run else label)
            elif label == "none" and (mapped := mapped_aeds(src)):
                notes.add("`aeds` is none, so the {n} AEDs {file} maps are left out: coverage "
                          "starts from zero (set `aeds` to \"osm\" to count them).",
                          n=mapped, file=src.osm_file.name)
            available = _availability(aeds, src, s, c)
            aeds, available, restricted = _public_only(aeds, available, s.aeds.public_only,
                                                       notes)
        with stage("building demand points", "demand"):
            demand, kind = _input("demand", s.demand, src, area, counts)
            if "bandwidth_m" in demand.attrs:
                counts["arrests"] = demand.attrs["counts"]
                n, sample = demand.attrs["arrests"], demand.attrs["bandwidth_sample"]
                notes.add("demand: {n} past arrests smoothed into a risk at points along the "
                          "streets (Gaussian kernel on the plane, bandwidth {h:.0f} m chosen "
                          "by cross-validation{on}).", n=n, h=demand.attrs["bandwidth_m"],
                          on="" if sample >= n else Phrase(" on a random {sample:,} of them",
                                                           {"sample": sample}))
    read = _Read(src, area, districts, aeds, label, available, restricted, demand, kind,
                 counts, tuple(notes.phrases), tuple(heard()))
    shared[key] = read
    return read


def _input(name: str, section: Any, src: Any, area: Any, counts: dict[str, Any], *,
           tags: Any = None, demand_source: Any = None) -> tuple[Any, str]:
    """An input read from its source and clipped to the study area, its counts kept."""
    from .sources import WORDS, read_input, within_area

    # a reader names its input `source`: here the option it came from, the OSM file (`osm`)
    # for the words that read it, else the input
    from_osm = str(section.source).lower() in {"aeds": ("osm",), "demand": ("buildings",),
                                               "candidates": ("pois", "buildings")}[name]
    with as_argument("osm" if from_osm else name):
        frame, label = read_input(name, section, src, area, tags=tags,
                                  demand_source=demand_source)
    inside = frame.loc[area.contains(frame)] if name == "demand" else None
    user_file = str(section.source).lower() not in WORDS[name]
    frame, counts[name] = within_area(name, frame, area, src.net, strict=name != "demand",
                                      refuse_outside=user_file)
    if inside is not None:  # people and cells far from a street still live in the area
        counts[name]["weight_inside"] = float(inside["weight"].sum())
        if "area_m2" in inside:
            counts[name]["area_m2_inside"] = float(inside["area_m2"].sum())
    if name == "demand" and len(frame) == 0:
        raise InputError("`demand`: no demand point lies inside the study area; check the "
                         "files cover the same place, or use `demand='network'`.")
    return frame, label


def _availability(aeds: Any, src: Any, s: Scenario, c: _Checked) -> Any:
    """Who may use each AED, and when, over the reference week of the data's country."""
    from pyproj import Transformer

    from .hours import availability, country_of, reference_week

    country = c.country
    if country is None:
        x0, y0, x1, y1 = src.net.bounds()
        lon, lat = Transformer.from_crs(src.net.crs, 4326, always_xy=True).transform(
            (x0 + x1) / 2, (y0 + y1) / 2)
        country = country_of(float(lon), float(lat))
    return availability(aeds, week=reference_week(s.hours.week, country=country),
                        unknown_hours=s.hours.unknown_hours)


def _public_only(aeds: Any, available: Any, public_only: bool, notes: Notes
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
        notes.add(_NO_AEDS_NOTE, what=Phrase("the AEDs the public may use"))
    return aeds.iloc[keep].reset_index(drop=True), available.take(keep), 0


def _hourly(net: Any, before: Any, available: Any, profile: np.ndarray,
            model: TimeModel) -> tuple[Any, Any]:
    """Today's coverage by hour, with unknown hours counted as asked and as closed."""
    from .coverage import hourly_coverage

    def over_week(hours: Any) -> Any:
        return hourly_coverage(net, before.demand, before.aeds, hours, profile=profile,
                               weights=before.weights, model=model)

    return over_week(available), over_week(available.assuming("closed"))


def _network_word(s: Scenario) -> str:
    """The option the network came from, as messages name it."""
    return "osm" if s.area.osm is not None else "place" if s.area.place is not None else "bbox"


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class _Planned:
    site_plan: Any
    candidates: Any
    circles: Any
    hourly: tuple[Any, ...]
    budget: int | None
    counts: Mapping[str, int]


@dataclass(frozen=True)
class _Clock:
    """When the run started and how long its stages took so far."""

    started: float
    timings: Mapping[str, float]

    def solver_seconds(self, s: Scenario, c: _Checked, today: _Today,
                       budget: int | None) -> float:
        """The solver's share of ``solver.time_limit``, which bounds the whole run: what
        the steps so far left, less what the steps after the plan should take (coverage
        by hour after it, as long as today's took; the new sites' circles; the map and
        files, about twice the reading of the network), and at least a tenth of it."""
        from .circles import circle_seconds

        limit = s.solver.time_limit
        after = (self.timings.get("reach", 0.0) + 2 * self.timings.get("network", 0.0)
                 + circle_seconds(budget or max(len(today.aeds), 10), c.model))
        left = limit - (time.perf_counter() - self.started) - after
        return max(left, 0.1 * limit)


def _planned(s: Scenario, c: _Checked, today: _Today, stage: Callable[..., Any],
             shared: dict[Any, Any], clock: _Clock) -> _Planned:
    """Candidate sites, the plan and its circles."""
    from .layers import circles_of
    from .plan import plan_sites

    g, budget = s.goal, c.budget
    if g.target_density is not None:
        budget = _density_budget(g.target_density, today)
    key = ("candidates", today.key, s.candidates)
    if key not in shared:
        shared[key] = _candidates(s, c, today, stage)
    cands, counts, matrix = shared[key]
    with stage("optimising new sites", "optimise"):
        site_plan = plan_sites(
            today.src.net, today.demand, cands, aeds=today.aeds, budget=budget, matrix=matrix,
            target_coverage=g.target_coverage, model=c.model, solver=s.solver.method,
            time_limit_s=clock.solver_seconds(s, c, today, budget),
            mip_rel_gap=s.solver.gap / 100, curve_to=max(2 * (budget or 10), 20),
            before=today.before,
            hours=today.available, profile=c.profile, objective=s.hours.objective,
            new_site_hours=s.hours.new_site_hours, relocate=g.relocate, movable=g.movable,
            districts=today.districts, min_district_coverage=g.min_district_coverage,
            min_per_community=g.min_per_community)
        hourly = _hourly_after(today, site_plan)
    with stage("rescue circles of new sites", "circles"):
        circles = circles_of(today.src.net, site_plan.proposed, c.model)
    return _Planned(site_plan, cands, circles, hourly, budget, counts["candidates"])


def _candidates(s: Scenario, c: _Checked, today: _Today, stage: Callable[..., Any]
                ) -> tuple[Any, dict[str, Any], Any]:
    """The candidate sites, their counts and their coverage matrix: what the variants of
    a scenario with the same inputs and candidates share."""
    from .coverage import coverage_matrix
    from .snapping import snap

    with stage("choosing candidate sites", "candidates"):
        counts: dict[str, Any] = {}
        cands, _ = _input("candidates", s.candidates, today.src, today.area, counts,
                          tags=c.poi_tags, demand_source=s.demand.source)
        given = len(cands)
        cands = _without_existing(cands, today.aeds)
        counts["candidates"]["at_existing_aeds"] = given - len(cands)
        counts["candidates"]["used"] = len(cands)
    with stage("coverage of the candidate sites", "matrix"):
        snapped = snap(today.src.net, cands, argument="candidates")
        matrix = coverage_matrix(today.src.net, today.before.demand, snapped, model=c.model)
    return cands, counts, matrix


def _without_existing(cands: Any, aeds: Any) -> Any:
    from .candidates import exclude_existing

    frame = exclude_existing(cands, aeds) if len(aeds) else cands
    if len(frame) == 0:
        raise InputError("`candidates`: no candidate site is left (none inside the study "
                         "area, or all are existing AEDs); try `candidates='nodes'`.")
    return frame


def _hourly_after(today: _Today, site_plan: Any) -> tuple[Any, ...]:
    """Coverage by hour with the proposed AEDs too (unknown hours as asked, and closed)."""
    from .coverage import hourly_coverage
    from .hours import stack

    available = today.available.assuming("closed")
    closed = hourly_coverage(
        today.src.net, site_plan.after.demand, site_plan.after.aeds,
        stack([available.take(np.flatnonzero(site_plan.kept)), site_plan.new_sites]),
        profile=site_plan.hours_after.profile, weights=site_plan.after.weights,
        model=site_plan.model,
    )
    return (*today.hourly, site_plan.hours_after, closed)


def _density_budget(target: float, today: _Today) -> int:
    """The new AEDs a density target asks for: those it implies here, less today's."""
    from .density import aeds_for_density, distinct_aeds

    if today.demand_kind != "population":
        raise InputError(
            "`target_density` counts AEDs per 100,000 people, but `demand` is not a "
            "population grid (raster, or polygons with a population column)."
        )
    people = today.counts["demand"]["weight_inside"]
    return max(0, aeds_for_density(target, people) - distinct_aeds(today.aeds))


# --------------------------------------------------------------------------- layers, report


def _frames(today: _Today, planned: _Planned | None) -> dict[str, Any]:
    """The run's layers, in the network's CRS."""
    from .coverage import hot_spots
    from .equity import district_table
    from .layers import covered_now, hours_columns, run_layers
    from .moves import moved_layers

    site_plan = None if planned is None else planned.site_plan
    frames = run_layers(today.src.net, today.demand, today.aeds, today.before, today.circles,
                        site_plan, None if planned is None else planned.circles)
    hours_columns(frames, today.available, site_plan,
                  today.hourly if planned is None else planned.hourly)
    frames["hot_spots"] = hot_spots(frames["demand"], ~covered_now(frames["demand"]),
                                    cell_m=250.0, top=10).to_crs(today.src.net.crs)
    frames.update(moved_layers(frames, site_plan))
    frames["aeds_read"] = _aeds_read(today.aeds, today.available)
    if today.districts is not None:
        frames["districts"] = district_table(
            today.districts, frames["demand"], frames["aeds"],
            None if site_plan is None else frames["proposed"],
            kept=None if site_plan is None else site_plan.kept,
            people=today.demand_kind == "population")
    return frames


def _aeds_read(aeds: Any, available: Any) -> Any:
    """How each AED's hours and access were read: as given, the ``opening_hours`` they
    became, and what the AED counts as (``aeds_read.csv``)."""
    import pandas as pd

    from .registry_hours import hours_given

    said = next((c for c in aeds.columns if c in ("access", "public")), None)
    return pd.DataFrame({
        "id": aeds["id"].to_numpy() if "id" in aeds else np.arange(len(aeds)),
        "name": aeds["name"].to_numpy() if "name" in aeds else None,
        "hours_given": hours_given(aeds) if len(aeds) else [],
        "opening_hours": np.asarray(available.hours, dtype=object),
        "access_given": aeds[said].to_numpy() if said else None,
        "public": np.asarray(available.public),
        "kind": np.asarray(available.kind, dtype=object),
    })


def _report(s: Scenario, c: _Checked, today: _Today, planned: _Planned | None,
            frames: Mapping[str, Any]) -> dict[str, Any]:
    from . import __version__
    from .equity import districts_block
    from .report import HoursNumbers, build_report

    site_plan = None if planned is None else planned.site_plan
    hourly = today.hourly if planned is None else planned.hourly
    optimise, greedy = planned is not None, s.solver.method == "greedy"
    report = build_report(
        version=__version__, model=c.model,
        inputs={"budget": planned.budget if planned else None,
                "target_coverage": s.goal.target_coverage if optimise else None,
                "target_density": s.goal.target_density if optimise else None,
                "solver": s.solver.method if optimise else None,
                "mip_rel_gap": s.solver.gap / 100 if optimise and not greedy else None,
                "time_limit_s": s.solver.time_limit if optimise and not greedy else None,
                "datum": s.aeds.datum or "wgs84", "aeds": today.aed_label,
                "demand": str(s.demand.source),
                "candidates": str(s.candidates.source) if optimise else None,
                "poi_preset": s.candidates.poi_preset if optimise else None,
                "relocate": s.goal.relocate if optimise else None,
                "movable": s.goal.movable if optimise and s.goal.relocate else None,
                "districts": s.area.districts, "lang": c.lang},
        net=today.src.net, demand_kind=today.demand_kind, before=today.before,
        aeds=today.aeds, restricted=today.restricted, site_plan=site_plan,
        n_candidates=None if planned is None else len(planned.candidates),
        hot_spots=frames["hot_spots"], notes=[],
        hours=HoursNumbers(today.available, _profile_name(s.hours.arrest_profile), *hourly),
        density=_density(today, site_plan, s.goal.target_density if optimise else None),
    )
    report["area"] = _area_block(today, planned)
    if today.districts is not None:
        report["districts"] = districts_block(
            frames["districts"], source=today.districts.source,
            outside_weight=today.before.total_weight - float(frames["districts"]["weight"].sum()),
            fairness=None if site_plan is None else site_plan.floors)
    return report


def _area_block(today: _Today, planned: _Planned | None) -> dict[str, Any]:
    """The study area and what each input lost to it."""
    block = today.area.block()
    if today.demand_kind == "population":
        block["population"] = today.counts["demand"]["weight_inside"]
    inputs = {name: {k: v for k, v in c.items() if k != "area_m2_inside"}  # in `density`
              for name, c in today.counts.items()}
    if planned is not None:
        inputs["candidates"] = dict(planned.counts)
    block["inputs"] = inputs
    return block


def _profile_name(spec: Any) -> str:
    return spec if isinstance(spec, str) and spec in ("default", "uniform") else (
        Path(spec).name if isinstance(spec, (str, Path)) else "given")


def _density(today: _Today, site_plan: Any, target: float | None) -> dict[str, Any] | None:
    """AEDs per 100,000 people and per km² of the study area, when the demand is people."""
    from .density import density_numbers, distinct_aeds

    if today.demand_kind != "population":
        return None
    n = distinct_aeds(today.aeds)  # an AED listed twice counts once
    inside = today.counts["demand"]
    return density_numbers(
        population=inside["weight_inside"], area_km2=inside.get("area_m2_inside", 0.0) / 1e6,
        aeds_before=n,
        aeds_after=None if site_plan is None else distinct_aeds(today.aeds, site_plan.kept)
        + len(site_plan.proposed),
        target=target,
    )


# --------------------------------------------------------------------------- map, files


def _render(result: PlanRun, s: Scenario, lang: str
            ) -> tuple[str, dict[str, Callable[[Path], Any]]]:
    """The map's HTML, and the images to write: coverage through the week, the
    coverage-vs-budget curve (with a plan) and, when asked, the static map."""
    from .figure import render_curve_png, render_png, render_week_png
    from .layers import overview, overview_layers
    from .render import page_html, render_map

    o = s.output
    content = (overview_layers(result, s.cluster.tile_km) if overview(result, o.map)
               else result)
    html = page_html(render_map(content, tiles=o.tiles, tiles_key=o.tiles_key, lang=lang))
    images: dict[str, Callable[[Path], Any]] = {}
    hours = result.report.get("hours")
    if hours is not None:
        before, after = hours["before"]["hourly"], (hours.get("after") or {}).get("hourly")
        images["coverage_by_hour.png"] = lambda path: render_week_png(before, after, path,
                                                                      lang=lang)
    curve = (result.report.get("plan") or {}).get("curve")
    if curve is not None and len(curve["new_sites"]) > 1:
        plan = result.report["plan"]
        rtc = bool(curve.get("round_the_clock"))
        images["coverage_curve.png"] = lambda path: render_curve_png(
            curve["new_sites"], curve["coverage"], path, chosen=plan["new_sites"],
            chosen_coverage=plan.get("round_the_clock" if rtc else "all_open_24_7",
                                     plan["coverage"]), round_the_clock=rtc, lang=lang)
    if o.png:
        images["map.png"] = lambda path: render_png(result, path, lang=lang)
    return html, images
