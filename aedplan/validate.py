"""Will the plan hold up on next year's arrests? Plans from several demand models, scored
on cardiac arrests they were not fitted on.

The arrests (with a time) are split by date (``train_until``) or into ``folds`` blocks
of time. On the training arrests, each demand model gives a plan of every budget ``k``:

- ``arrests``: the training arrests themselves as demand points;
- ``arrests-smoothed``: their kernel density read along the streets, the bandwidth
  chosen by cross-validation on the training arrests (:mod:`aedplan.smoothing`);
- ``buildings``: floor area of the OSM buildings; ``network``: street length;
  ``population``: a population grid, when one is given;
- ``blend``: half smoothed arrests, half buildings (each scaled to the same total).

Each plan (today's AEDs fixed, new ones placed exactly, as ``aedplan plan`` does) is
scored on the held-out arrests: an arrest counts as covered when an AED open at its time
of the week reaches it within the time budget. Scores come with Wilson intervals; every
model is compared with the best on the same arrests (:mod:`aedplan.holdout`); and the
in-sample score (on the training arrests) against the held-out one gives the optimism of
fitting to past arrests: the gain over today's AEDs it shows on the training arrests
less the gain on the held-out ones (so that a difference between the years themselves
does not count). The verdict says which model wins and whether by more than chance: a
model is behind the best beyond chance when the paired bootstrap interval of the
difference excludes 0 and the sign test gives p < 0.05.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from . import _files, _results
from ._notes import as_argument
from .errors import AedplanError, AedplanWarning, InputError, Joined, Phrase
from .optimise import DEFAULT_MIP_GAP
from .timemodel import TimeModel, resolve

__all__ = ["MODELS", "Validation", "validate_plans", "verdict"]

#: The demand models, in the order reports list them.
MODELS = ("arrests", "arrests-smoothed", "buildings", "network", "population", "blend")


@dataclass(frozen=True, eq=False)
class Validation:
    """The held-out scores (``table``: one row per model and budget, and ``today``),
    the verdict per budget, and ``report`` (as ``validation.json``)."""

    table: Any
    verdicts: dict[int, str]
    report: dict[str, Any]

    def __post_init__(self) -> None:
        object.__setattr__(self, "verdicts", _results.ReadOnlyDict(self.verdicts))
        object.__setattr__(self, "report", _results.frozen(self.report))


@dataclass(frozen=True)
class _Setting:
    """What every plan of a validation shares."""

    net: Any
    aeds: Any
    available: Any
    candidates: Any
    bases: dict[str, Any]
    model: TimeModel
    options: dict[str, Any]


def validate_plans(
    arrests: str | Path | Any,
    *,
    time_col: str,
    osm: str | Path | None = None,
    train_until: str | None = None,
    folds: int | None = None,
    budgets: Sequence[int] = (5, 10, 20),
    models: Sequence[str] = MODELS,
    aeds: str | Path | None = "osm",
    candidates: str = "pois",
    population: str | Path | None = None,
    model: TimeModel | None = None,
    minutes: float | None = None,
    time_limit_s: float = 60.0,
    mip_rel_gap: float = DEFAULT_MIP_GAP,
    lon_col: str | None = None,
    lat_col: str | None = None,
    datum: str | None = None,
    crs: Any = None,
    id_col: str | None = None,
    name_col: str | None = None,
    encoding: str | None = None,
) -> Validation:
    """Plans of each budget from each demand model, fitted on past arrests and scored on
    later ones.

    ``arrests``: a file (or GeoDataFrame) of arrest locations with a time column
    ``time_col``; ``train_until`` (a date: arrests up to its end train, later ones are
    held out) or ``folds`` (that many consecutive blocks of time, each held out once).
    ``osm``: the OSM file (default: the embedded extract), whose AEDs (``aeds="osm"``),
    buildings and places (``candidates="pois"``, or ``"nodes"``: every 50 m of street)
    are used. ``population``: a population grid, for the ``population`` model.
    ``lon_col``, ``lat_col``, ``datum``, ``crs``, ``id_col``, ``name_col`` and
    ``encoding`` tell how to read the arrests, and a file of AEDs, as
    :func:`aedplan.read_points` does.

    Examples
    --------
    >>> import aedplan, pandas as pd, numpy as np
    >>> rng = np.random.default_rng(7)  # made-up arrests around Vaduz centre, two years
    >>> made_up = pd.DataFrame({"lon": 9.521 + rng.normal(0, 0.002, 40),
    ...                         "lat": 47.139 + rng.normal(0, 0.002, 40),
    ...                         "time": pd.date_range("2022-01-01", "2023-12-31", 40)})
    >>> v = aedplan.validate_plans(made_up, time_col="time", train_until="2022-12-31",
    ...                            budgets=[2], models=["arrests", "network"])
    >>> sorted(v.table["model"].unique())
    ['arrests', 'network', 'today']
    """
    t0 = time.perf_counter()
    model = resolve(model, minutes=minutes)
    models = _check_models(models, population)
    _check_osm(osm, aeds, candidates, models)
    budgets = sorted({int(b) for b in budgets})
    if not budgets or budgets[0] < 1:
        raise InputError("`budgets`: whole numbers >= 1, got {got}.", got=list(budgets))
    reading = {"lon_col": lon_col, "lat_col": lat_col, "datum": datum, "crs": crs,
               "id_col": id_col, "name_col": name_col, "encoding": encoding}
    points, minute = _arrests(arrests, time_col, reading)
    splits = _splits(points[time_col], train_until, folds)
    setting = _setting(osm, aeds, candidates, population, model, time_limit_s, mip_rel_gap,
                       models, reading)
    _datum_hint(setting.net, points, "arrests", reading)
    held, inside, bandwidths = _run_folds(setting, points, minute, splits, budgets, models)
    table, verdicts = _score(held, inside, splits, budgets, models)
    report = {
        "arrests": {"count": len(points), "time_col": time_col,
                    "first": str(points[time_col].min()), "last": str(points[time_col].max())},
        "split": ({"train_until": str(train_until)} if train_until is not None
                  else {"folds": int(folds or 0)}),
        "held_out": int(sum(test.size for _, test in splits)),
        "budgets": budgets, "models": list(models), "params": model.summary(),
        "covered_means": "an AED open at the arrest's time of the week reaches it within "
                         "the time budget (today's AEDs with their hours, new ones 24/7)",
        "smoothing": bandwidths,
        "verdicts": {str(k): v for k, v in verdicts.items()},
        "table": table.to_dict(orient="records"),
        "seconds": time.perf_counter() - t0,
    }
    return Validation(table, verdicts, report)


def _check_models(models: Sequence[str], population: Any) -> list[str]:
    wrong = sorted(set(models) - set(MODELS))
    if wrong:
        raise InputError("`models`: unknown {wrong}; choose from {models}.", wrong=wrong,
                         models=Joined(MODELS, sep=", "))
    if population is not None:
        _files.check_file(population, "population")
        _files.require_kind(population, "population", ("raster", "vector"))
    if "population" in models and population is None:
        if list(models) != list(MODELS):
            raise InputError("`models`: 'population' needs `population`, a population grid "
                             "(a GeoTIFF such as WorldPop's).")
        models = [m for m in models if m != "population"]
    if not models:
        raise InputError("`models`: give at least one demand model.")
    return list(models)


def _check_osm(osm: Any, aeds: Any, candidates: str, models: list[str]) -> None:
    """A network file that is no OpenStreetMap file has no AEDs, buildings or places:
    refused before any slow step when the options ask for them."""
    from .sources import check_osm_words, listed, osm_word  # (what they read, words, else)

    if osm is None:
        return
    _files.check_file(osm, "osm")
    buildings = [repr(m) for m in models if m in ("buildings", "blend")]
    check_osm_words(osm, [
        osm_word("aeds", "none" if aeds is None else aeds),
        (Phrase("places"), "`candidates='pois'`", Phrase("`candidates='nodes'`"))
        if candidates == "pois" else None,
        (Phrase("buildings"), f"`models` {', '.join(buildings)}",
         Phrase("`models` without {models}", {"models": listed(buildings, code=True)}))
        if buildings else None])


def _read(name: str, source: Any, reading: dict[str, Any]) -> Any:
    """Points of a file or frame, read with the reading options that apply to it."""
    from .io import read_points

    options = {k: v for k, v in reading.items() if v is not None}
    if _files.kind_of(source) != "table":
        options = {k: v for k, v in options.items() if k not in ("lon_col", "lat_col",
                                                                  "encoding")}
    with as_argument(name):
        return read_points(source, **options)


def _datum_hint(net: Any, points: Any, name: str, reading: dict[str, Any]) -> None:
    """Warn when lon/lat read as WGS84 look copied from a Chinese web map."""
    from .sources import check_datum

    check_datum(net, points, name, datum=reading["datum"], crs=reading["crs"])


def _setting(osm: Any, aeds: Any, candidates: str, population: Any, model: TimeModel,
             time_limit_s: float, gap: float, models: list[str],
             reading: dict[str, Any]) -> _Setting:
    from .candidates import candidates_from_network, candidates_from_pois, exclude_existing
    from .datasets import default_osm_path
    from .demand import demand_from_buildings, demand_from_grid, demand_from_network
    from .hours import availability
    from .io import read_points
    from .network import load_network

    path = _files.check_file(osm, "osm") if osm is not None else default_osm_path()
    word = "none" if aeds is None else str(aeds)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)  # the data's own, told by `plan`
        net = load_network(str(path))
        with as_argument("aeds"):
            found = read_points(str(path)) if word == "osm" else None
        bases: dict[str, Any] = {"network": demand_from_network(net)}
        bases: dict[str, Any] = {"network": demand_from_network(net)}
        if {"buildings", "blend"} & set(models):
            try:
                bases["buildings"] = demand_from_buildings(str(path))
            except AedplanError:
                raise InputError("`models`: 'buildings' and 'blend' need building "
                                 "footprints, and {name} has none; leave them out "
                                 "(e.g. arrests,arrests-smoothed,network).",
                                 name=path.name) from None
        if "population" in models:
            with as_argument("population"):
                bases["population"] = demand_from_grid(str(population))
        if candidates == "pois":
            cand = candidates_from_pois(str(path))
        elif candidates == "nodes":
            cand = candidates_from_network(net, spacing_m=50.0)
        else:
            raise InputError("`candidates`: 'pois' or 'nodes', got {got!r}.", got=candidates)
    if word.lower() not in ("osm", "none"):
        found = _read("aeds", word, reading)
        _datum_hint(net, found, "aeds", reading)
    if found is not None and len(found):
        cand = exclude_existing(cand, found)
    else:
        found = None
    available = None if found is None else availability(found)
    return _Setting(net, found, available, cand.reset_index(drop=True), bases, model,
                    {"time_limit_s": time_limit_s, "mip_rel_gap": gap})


def _arrests(source: Any, time_col: str, reading: dict[str, Any]) -> tuple[Any, np.ndarray]:
    """The arrests (EPSG:4326) with their times, and each one's minute of the week."""
    from .hours import local_times

    points = _read("arrests", source, reading)
    if time_col not in points:
        given = [str(c) for c in points.columns.drop("geometry") if points[c].notna().any()]
        raise InputError("`time_col`: the arrests have no column of times named {column!r}; "
                         "besides the coordinates (read into their places) they have "
                         "{columns}.", column=time_col, columns=Joined(given, sep=", "))
    # times written with a UTC offset, in the local time of the arrests' place
    where = (float(points.geometry.x.median()), float(points.geometry.y.median()))
    times = local_times(points[time_col], where=where, argument="time_col",
                        what=Phrase("the arrests' column {column!r}", {"column": time_col}))
    if times.isna().any():
        bad = points.loc[times.isna(), time_col].astype(str).head(3).tolist()
        raise InputError("`time_col`: {n:,} times cannot be read as "
                         "dates, e.g. {bad}; write them as 2023-05-17 14:30.",
                         n=int(times.isna().sum()), bad=bad)
    points = points.assign(**{time_col: times}).reset_index(drop=True)
    minute = ((times.dt.day_of_week * 24 + times.dt.hour) * 60
              + times.dt.minute).to_numpy(dtype=np.int64)
    return points, minute


def _splits(times: Any, train_until: Any, folds: int | None
            ) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(train, test)`` row positions: by date, or consecutive blocks of time."""
    import pandas as pd

    if (train_until is None) == (folds is None):
        raise InputError("`train_until`/`folds`: give one: a date that ends the training "
                         "arrests, or a number of blocks of time to hold out in turn.")
    t = times.to_numpy()
    if train_until is not None:
        try:
            end = pd.Timestamp(pd.to_datetime(str(train_until), format="ISO8601"))
        except (ValueError, TypeError):
            raise InputError("`train_until`: {given!r} is not a date written as "
                             "YYYY-MM-DD (e.g. 2023-12-31).", given=train_until) from None
        end = end.normalize() + pd.Timedelta(days=1)
        train = np.flatnonzero(t < end.to_datetime64())
        test = np.flatnonzero(t >= end.to_datetime64())
        if train.size < 3 or test.size == 0:
            raise InputError("`train_until`: {train:,} arrests up to it and "
                             "{test:,} after; each side needs some (3 to train).",
                             train=train.size, test=test.size)
        return [(train, test)]
    k = int(folds or 0)
    if not 2 <= k <= len(t):
        raise InputError("`folds`: between 2 and the number of arrests, got {folds}.",
                         folds=folds)
    order = np.argsort(t, kind="stable")
    blocks = np.array_split(order, k)
    return [(np.sort(np.concatenate(blocks[:f] + blocks[f + 1:])), np.sort(b))
            for f, b in enumerate(blocks)]


def _run_folds(setting: _Setting, points: Any, minute: np.ndarray,
               splits: list[tuple[np.ndarray, np.ndarray]], budgets: list[int],
               models: list[str]) -> tuple[dict[Any, np.ndarray], dict[Any, list[float]],
                                           list[dict[str, Any] | None]]:
    """Per model and budget, whether each held-out arrest is covered (in arrest order),
    and the in-sample share of each fold."""
    from .snapping import concat_snapped, snap

    net, n = setting.net, len(points)
    sites = snap(net, setting.candidates, argument="candidates")
    every = sites if setting.aeds is None else concat_snapped(
        snap(net, setting.aeds, argument="aeds"), sites)
    n_aeds = 0 if setting.aeds is None else len(setting.aeds)
    with as_argument("arrests", of="demand"):  # the arrests are the demand here
        A = sp.csr_array(_coverage(net, points, every, setting.model))
    open_ = np.ones((n_aeds, minute.size), dtype=bool)  # today's AEDs at each arrest's time
    if setting.available is not None:
        open_ = setting.available.open_at(minute)
    held: dict[Any, np.ndarray] = {}
    inside: dict[Any, list[float]] = {}
    smoothing = []
    for train, test in splits:
        demands, bw = _demands(setting, points.iloc[train], models)
        smoothing.append(bw)
        plans = {("today", 0): np.arange(n_aeds)}
        for name, demand in demands.items():
            chosen = _plans(setting, demand, budgets)
            for k in budgets:
                plans[(name, k)] = np.r_[np.arange(n_aeds), n_aeds + chosen[k]]
        for key, cols in plans.items():
            covered = _covered(A, open_, cols, n)
            held.setdefault(key, np.zeros(n, dtype=bool))[test] = covered[test]
            inside.setdefault(key, []).append(float(covered[train].mean()))
    return held, inside, smoothing


def _coverage(net: Any, points: Any, sites: Any, model: TimeModel) -> Any:
    from .coverage import coverage_matrix

    return coverage_matrix(net, points, sites, model=model)


def _covered(A: sp.csr_array, open_: np.ndarray, cols: np.ndarray, n: int) -> np.ndarray:
    """Arrests reached by an AED among ``cols`` that is open at the arrest's time
    (``open_``: today's AEDs by arrests; new sites are open round the clock)."""
    sub = sp.coo_array(A[:, cols])
    site = cols[sub.col]
    ok = site >= open_.shape[0]
    ok[~ok] = open_[site[~ok], sub.row[~ok]]
    return np.bincount(sub.row[ok], minlength=n) > 0


def _demands(setting: _Setting, train: Any, models: list[str]) -> tuple[dict[str, Any],
                                                                         dict[str, Any] | None]:
    """Each model's demand points (EPSG:4326, with ``weight``) from the training arrests."""
    import pandas as pd

    from .smoothing import smoothed_demand

    net = setting.net
    out: dict[str, Any] = {}
    bw = None
    if {"arrests-smoothed", "blend"} & set(models):
        base = setting.bases["network"].to_crs(net.crs)
        smooth, chosen = smoothed_demand(base, train, net.crs)
        bw = None if chosen is None else chosen.summary()
        smooth = smooth.to_crs(4326)
    for name in models:
        if name == "arrests":
            out[name] = train[["geometry"]].assign(weight=1.0)
        elif name == "arrests-smoothed":
            out[name] = smooth
        elif name == "blend":
            b = setting.bases["buildings"]
            parts = [smooth.assign(weight=smooth["weight"] / smooth["weight"].sum()),
                     b.assign(weight=b["weight"] / b["weight"].sum())]
            out[name] = pd.concat([p[["weight", "geometry"]] for p in parts],
                                  ignore_index=True).set_crs(4326, allow_override=True)
        else:
            out[name] = setting.bases[name]
    return out, bw


def _plans(setting: _Setting, demand: Any, budgets: list[int]) -> dict[int, np.ndarray]:
    """The candidate positions of the exact plan of each budget on ``demand`` (today's
    coverage of it computed once)."""
    from .plan import coverage_today, plan_sites

    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        before = coverage_today(setting.net, demand, setting.aeds, model=setting.model)
        for k in budgets:
            site_plan = plan_sites(setting.net, demand, setting.candidates,
                                   aeds=setting.aeds, budget=k, model=setting.model,
                                   hours=setting.available, before=before, **setting.options)
            out[k] = np.asarray(site_plan.proposed["candidate"].to_numpy(), dtype=np.int64)
    return out


def _score(held: dict[Any, np.ndarray], inside: dict[Any, list[float]],
           splits: list[tuple[np.ndarray, np.ndarray]], budgets: list[int],
           models: list[str]) -> tuple[Any, dict[int, str]]:
    """The table of held-out scores and the verdict per budget."""
    import pandas as pd

    from .holdout import paired, wilson

    tested = np.zeros(next(iter(held.values())).size, dtype=bool)
    for _, test in splits:
        tested[test] = True
    n = int(tested.sum())
    rows, verdicts = [], {}
    today_in = float(np.mean(inside[("today", 0)]))
    today_out = float(held[("today", 0)][tested].mean()) if n else 0.0
    for k in [0, *budgets]:
        names = ["today"] if k == 0 else models
        hits = {m: held[(m, k)][tested] for m in names}
        best = max(names, key=lambda m: (hits[m].sum(), -names.index(m)))
        for m in names:
            got = int(hits[m].sum())
            lo, hi = wilson(got, n)
            vs = paired(hits[best], hits[m])
            share, in_sample = (got / n if n else 0.0), float(np.mean(inside[(m, k)]))
            rows.append({"model": m, "budget": k, "held_out": n, "covered": got,
                         "share": share, "wilson_low": lo, "wilson_high": hi,
                         "gain": share - today_out, "in_sample": in_sample,
                         "in_sample_gain": in_sample - today_in,
                         # the gain over today the training arrests show, less the gain
                         # on held-out ones: what fitting to past arrests overstates
                         "optimism": (in_sample - today_in) - (share - today_out),
                         "best": m == best, "behind_best": vs["difference"],
                         "behind_low": vs["interval"][0], "behind_high": vs["interval"][1],
                         "p_value": vs["p_value"], "beyond_chance": vs["beyond_chance"]})
        if k:
            verdicts[k] = verdict(rows[-len(names):], k, n)
    return pd.DataFrame(rows), verdicts


#: A verdict's clauses: which model wins (or which tie), and how far the others are
#: behind, with "it" for one best model and "them" for several (and one or several behind).
_HEAD = {
    True: "{k} new AEDs: {models} tie, each covering {covered} of {n} held-out arrests "
          "({share}, 95% CI {low}-{high})",
    False: "{k} new AEDs: {models} covers most held-out arrests, {covered} of {n} ({share}, "
           "95% CI {low}-{high})",
}
_LEVEL = {
    (False, False): "{models}: behind it by no more than chance (paired bootstrap and sign "
                    "test), so the data cannot tell the two apart",
    (True, False): "{models}: behind it by no more than chance (paired bootstrap and sign "
                   "test), so the data cannot tell them apart from it",
    (False, True): "{models}: behind them by no more than chance (paired bootstrap and sign "
                   "test), so the data cannot tell it apart from them",
    (True, True): "{models}: behind them by no more than chance (paired bootstrap and sign "
                  "test), so the data cannot tell any of them apart",
}
_BEATEN = {False: "{models}: behind it beyond chance", True: "{models}: behind them beyond chance"}


def verdict(rows: Sequence[dict[str, Any]], k: int, n: int, lang: str = "en") -> str:
    """The verdict on the plans of ``k`` new AEDs (``rows``: their rows of
    :attr:`Validation.table`, ``n`` held-out arrests) in the language ``lang``: which
    model covers most held-out arrests, and whether the others are behind it by more
    than chance."""
    from ._words import Words

    w = Words(lang)
    best = next(r for r in rows if r["best"])
    tied = [r["model"] for r in rows if r["covered"] == best["covered"]]
    others = [r for r in rows if r["model"] not in tied]
    beaten = [r["model"] for r in others if r["beyond_chance"]]
    level = [r["model"] for r in others if not r["beyond_chance"]]
    several = len(tied) > 1
    parts = [w(_HEAD[several], k=k, models=_and(tied, w), covered=best["covered"], n=n,
               share=f"{best['share']:.1%}", low=f"{best['wilson_low']:.1%}",
               high=f"{best['wilson_high']:.1%}")]
    if level:
        parts.append(w(_LEVEL[len(level) > 1, several], models=_listed(level, w)))
    if beaten:
        parts.append(w(_BEATEN[several], models=_listed(beaten, w)))
    return w("; ").join(parts) + w(".")


def _listed(names: list[str], w: Any) -> str:
    return w(", ").join(w(n) for n in names)


def _and(names: list[str], w: Any) -> str:
    if len(names) == 1:
        return w(names[0])
    return w("{names} and {last}", names=_listed(names[:-1], w), last=w(names[-1]))
