"""What a map shows: its layers and summary, from a run, a plan, or layers of one's own.

:class:`MapLayers` holds the GeoDataFrames a map draws (any CRS) and a
:class:`MapSummary` of the numbers its panel quotes. :func:`map_layers` makes them from
a whole result: the :class:`~aedplan.pipeline.PlanRun` of ``aedplan.run`` or a
:class:`~aedplan.plan.SitePlan`. The web map (:func:`aedplan.render_map`) and the static
map (:func:`aedplan.render_png`) draw the same layers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import CRSError, InputError
from .timemodel import TimeModel

__all__ = ["COLOURS", "DEMAND_UNITS", "LAYER_NAMES", "MapLayers", "MapSummary", "map_layers"]

#: Layer names as shown in the layer switcher and the legend.
LAYER_NAMES: dict[str, str] = {
    "streets": "Streets (walk network)",
    "circles": "Rescue circles: existing AEDs",
    "proposed_circles": "Rescue circles: proposed AEDs",
    "uncovered": "Uncovered demand",
    "aeds": "Existing AEDs",
    "proposed": "Proposed AEDs",
    "circles_day": "Rescue circles at 10:30 (Wednesday)",
    "circles_night": "Rescue circles at 03:30 (Wednesday)",
    "hot_spots": "Hot spots: most demand out of reach",
    "districts": "Districts: coverage",
    "moves": "AEDs moved",
}

#: What one unit of demand weight is, by kind of demand, for popups and tooltips.
DEMAND_UNITS: dict[str, str] = {
    "buildings": "m² of floor",
    "network": "m of street",
    "population": "people",
    "arrests-smoothed": "expected arrests",
}

#: Who may use an AED, and when: how the map draws each kind, in colours that readers
#: with colour-blindness tell apart (Okabe-Ito), each with its own shape too.
AED_KINDS: dict[str, tuple[str, str, str, str]] = {
    "24/7": ("#009E73", "circle", "public, open round the clock", "AED: public, 24/7"),
    "hours": ("#E69F00", "square", "public, with opening hours", "AED: public, with hours"),
    "unknown": ("#56B4E9", "diamond", "public, opening hours unknown",
                "AED: public, hours unknown"),
    "restricted": ("#D55E00", "triangle", "not for public use", "AED: not public"),
}
#: The CSS name of each kind of AED, for its marker and legend swatch.
KIND_CSS = {"24/7": "always", "hours": "hours", "unknown": "unknown",
            "restricted": "restricted"}
#: Uncovered demand per square, light to dark (ColorBrewer YlOrBr: apart from the green
#: and purple of the circles for readers with colour-blindness too).
CELL_COLOURS = ("#fed98e", "#fe9929", "#d95f0e", "#993404")
#: The hours of the reference week the day and night circles show (Wednesday).
DAY_HOUR, NIGHT_HOUR = 2 * 24 + 10, 2 * 24 + 3

#: One colour per kind of feature (green: today's AEDs, purple: proposed, red: gaps).
COLOURS: dict[str, str] = {
    "streets": "#5f5f5f",
    "aeds": "#1a9641",
    "circles": "#1a9641",
    "proposed": "#6a3d9a",
    "proposed_circles": "#6a3d9a",
    "uncovered": "#e31a1c",
    "circles_day": "#b38f00",
    "circles_night": "#0072B2",
    "hot_spots": "#000000",
    "moves": "#CC79A7",
}
#: Districts shaded by coverage: the class limits and their colours, light (left out) to
#: dark (ColorBrewer PuBu).
DISTRICT_CLASSES = (0.05, 0.10, 0.20, 0.40)
DISTRICT_COLOURS = ("#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d")


@dataclass(frozen=True)
class MapSummary:
    """The numbers a map's summary panel quotes; any of them may be left out.

    ``coverage_before`` and ``coverage_after`` are shares of demand weight (0..1) with
    every AED counted public and open round the clock; ``round_the_clock_*`` the shares a
    patient gets when only AEDs open to the public in each hour count, and ``hourly_*``
    (168 shares each) that coverage through the week; ``curve_sites`` and
    ``curve_coverage`` the coverage-vs-budget curve (new AEDs, the share covered: round
    the clock when ``curve_round_the_clock``, else with every AED open);
    ``demand_kind`` what the demand is (``"buildings"``) and ``demand_weight`` what its
    weight means, both in English (the map says them in its language);
    ``per_100k_*`` the AEDs per 100,000 people when the demand is people;
    ``n_moved`` how many of the ``n_proposed`` places take an AED moved from elsewhere.
    """

    coverage_before: float | None = None
    coverage_after: float | None = None
    model: TimeModel | None = None
    n_aeds: int | None = None
    n_proposed: int | None = None
    n_moved: int = 0
    demand_kind: str | None = None
    demand_weight: str | None = None
    demand_unit: str | None = None
    demand_total: float | None = None
    source: str | None = None
    round_the_clock_before: float | None = None
    round_the_clock_after: float | None = None
    hourly_before: Any = None
    hourly_after: Any = None
    curve_sites: Any = None
    curve_coverage: Any = None
    curve_round_the_clock: bool = False
    per_100k_before: float | None = None
    per_100k_after: float | None = None


@dataclass(frozen=True, eq=False)
class MapLayers:
    """The layers of a map, each a GeoDataFrame in any CRS, or ``None``.

    Attributes
    ----------
    streets
        Street lines (the walk network); with a ``name`` column, the longest named
        streets are labelled when no basemap loads.
    aeds
        Existing AED points; optional columns ``name``, ``opening_hours``, ``access``,
        ``max_s`` (rescue seconds to the farthest place the AED covers).
    circles
        Rescue-circle polygons of the existing AEDs.
    proposed
        Proposed AED points; optional ``rank`` (1..N), ``added_weight``, ``name``, ``kind``.
    proposed_circles
        Rescue-circle polygons of the proposed AEDs.
    uncovered
        Demand points out of reach, with an optional ``weight``; drawn summed in squares.
    hot_spots
        The squares with the most demand out of reach (``rank``, ``uncovered_weight``),
        outlined.
    circles_day, circles_night
        The rescue circles of the AEDs open on a weekday at 10:30 and at 03:30 (hidden at
        first; a reader switches them on).
    districts
        District polygons with ``name`` and coverage columns (``coverage_before``,
        ``coverage_after``, ``round_the_clock_*``, ``aeds_*``, as
        :func:`aedplan.equity.district_table` makes them), shaded by coverage (hidden at
        first).
    moves
        Lines from each moved AED to its new place (``aed_id``, ``to_rank``,
        ``distance_m``, ``gained_share``), drawn as arrows.
    summary
        The numbers for the summary panel.
    """

    streets: Any = None
    aeds: Any = None
    circles: Any = None
    proposed: Any = None
    proposed_circles: Any = None
    uncovered: Any = None
    hot_spots: Any = None
    circles_day: Any = None
    circles_night: Any = None
    districts: Any = None
    moves: Any = None
    summary: MapSummary | None = None

    def drawn(self) -> dict[str, Any]:
        """The layers to draw, checked: every one a GeoDataFrame with a CRS, without
        missing or empty geometries; empty layers are left out."""
        return _check_frames(
            {f.name: getattr(self, f.name) for f in fields(self) if f.name != "summary"}
        )


def map_layers(content: Any, *, circles: bool = True) -> MapLayers:
    """The layers of a map of ``content``: a :class:`~aedplan.pipeline.PlanRun`, a
    :class:`~aedplan.plan.SitePlan` or :class:`MapLayers`. ``circles=False`` leaves the
    rescue circles out (for a :class:`~aedplan.plan.SitePlan` they are computed here)."""
    from .pipeline import PlanRun
    from .plan import SitePlan

    if isinstance(content, MapLayers):
        layers = content
    elif isinstance(content, PlanRun):
        layers = _from_run(content)
    elif isinstance(content, SitePlan):
        layers = _from_site_plan(content, circles=circles)
    else:
        raise InputError(
            "`content` must be the result of aedplan.run (a PlanRun), a SitePlan from "
            f"plan_sites, or MapLayers; got {type(content).__name__}."
        )
    if circles:
        return layers
    return replace(layers, circles=None, proposed_circles=None, circles_day=None,
                   circles_night=None)


def _source_label(source: str) -> str:
    path = Path(source)
    return path.name if path.exists() else source


def _streets(net: Any) -> Any:
    """The network's streets with their kind and name, or ``None`` without a network."""
    return None if net is None else net.edges_gdf()[["highway", "name", "geometry"]]


def _from_run(run: Any) -> MapLayers:
    from .report import WEIGHT_MEANING

    r, frames = run.report, run.frames
    plan = r.get("plan")
    demand = frames["demand"]
    column = "covered_after" if "covered_after" in demand else "covered_before"
    circles = frames["circles"]
    status = circles["status"].to_numpy()
    p, hours = r["params"], r.get("hours")
    day = night = None
    if "open_day" in circles:
        day, night = circles[circles["open_day"]], circles[circles["open_night"]]
    return MapLayers(
        streets=_streets(run.net),
        aeds=frames["aeds"],
        circles=frames["circles"][status == "existing"],
        proposed=frames["proposed"],
        proposed_circles=frames["circles"][status == "proposed"],
        uncovered=demand.loc[~demand[column].to_numpy(dtype=bool), ["weight", "kind",
                                                                      "geometry"]],
        hot_spots=frames.get("hot_spots"),
        circles_day=day,
        circles_night=night,
        districts=frames.get("districts"),
        moves=frames.get("moves"),
        summary=MapSummary(
            coverage_before=r["existing"]["coverage"],
            coverage_after=plan["coverage"] if plan else None,
            model=TimeModel(p["minutes"], p["mode"], p["speed_m_s"]),
            n_aeds=r["existing"]["aeds"],
            n_proposed=plan["new_sites"] if plan else 0,
            n_moved=len((plan or {}).get("moves") or []),
            demand_kind=r["demand"]["kind"],
            demand_weight=WEIGHT_MEANING.get(r["demand"]["kind"]),
            demand_unit=DEMAND_UNITS.get(r["demand"]["kind"]),
            demand_total=r["demand"]["total_weight"],
            curve_sites=((plan or {}).get("curve") or {}).get("new_sites"),
            curve_coverage=((plan or {}).get("curve") or {}).get("coverage"),
            curve_round_the_clock=bool(((plan or {}).get("curve") or {}).get("round_the_clock")),
            source=_source_label(r["network"]["source"]),
            **_hours_summary(hours),
            **_density_summary(r.get("density")),
        ),
    )


def _density_summary(density: Any) -> dict[str, Any]:
    """AEDs per 100,000 people from a report's ``density`` block, for the panel."""
    if density is None:
        return {}
    after = density["after"]
    return {"per_100k_before": density["before"]["per_100k"],
            "per_100k_after": after["per_100k"] if after else None}


def _hours_summary(hours: Any) -> dict[str, Any]:
    """The round-the-clock numbers of a report's ``hours`` block, for the panel."""
    if hours is None:
        return {}
    after = hours.get("after")
    return {
        "round_the_clock_before": hours["before"]["round_the_clock"],
        "round_the_clock_after": after["round_the_clock"] if after else None,
        "hourly_before": hours["before"]["hourly"],
        "hourly_after": after["hourly"] if after else None,
    }


def _from_site_plan(plan: Any, *, circles: bool) -> MapLayers:
    from .circles import rescue_circles
    from .coverage import hot_spots

    existing = proposed = None
    if circles and plan.net is not None:
        if plan.before.aeds is not None:
            existing = rescue_circles(plan.net, plan.before.aeds, model=plan.model).circles
        if len(plan.proposed):
            proposed = rescue_circles(plan.net, plan.proposed, model=plan.model).circles
    demand = plan.demand
    moves = None
    if plan.moves is not None:
        from .moves import moved_layers

        moves = moved_layers({"aeds": plan.aeds, "proposed": plan.proposed}, plan)["moves"]
    return MapLayers(
        streets=_streets(plan.net),
        aeds=plan.aeds,
        circles=existing,
        proposed=plan.proposed,
        proposed_circles=proposed,
        uncovered=demand.loc[~demand["covered_after"].to_numpy(dtype=bool)],
        moves=moves,
        hot_spots=hot_spots(demand, ~demand["covered_after"].to_numpy(dtype=bool), top=10),
        summary=MapSummary(
            coverage_before=plan.before.coverage,
            coverage_after=plan.after.coverage,
            model=plan.model,
            n_aeds=len(plan.aeds),
            n_proposed=len(plan.proposed),
            n_moved=0 if plan.moves is None else len(plan.moves),
            source=_source_label(plan.net.source) if plan.net is not None else None,
            **_hours_summary(_plan_hours(plan)),
        ),
    )


def _check_frames(frames: Mapping[str, Any]) -> dict[str, Any]:
    """Check every layer at once; return the non-empty ones without missing geometry."""
    not_frames, no_crs = [], []
    for name, frame in frames.items():
        if frame is None:
            continue
        if not (hasattr(frame, "geometry") and hasattr(frame, "crs")):
            not_frames.append(
                f"`{name}` must be a GeoDataFrame with a geometry column, got "
                f"{type(frame).__name__}"
            )
        elif frame.crs is None:
            no_crs.append(f"`{name}`")
    if not_frames:
        raise InputError("; ".join(not_frames) + ".")
    if no_crs:
        raise CRSError(
            f"{', '.join(no_crs)} {'has' if len(no_crs) == 1 else 'have'} no CRS: set it with "
            "`.set_crs('EPSG:4326')` if the coordinates are lon/lat, or with the projected "
            "CRS they were computed in (`net.crs`)."
        )
    out = {}
    for name, frame in frames.items():
        if frame is None:
            continue
        geom = frame.geometry
        keep = ~(geom.isna() | geom.is_empty).to_numpy()
        if keep.any():
            out[name] = frame[keep]
    return out


def _plan_hours(plan: Any) -> dict[str, Any] | None:
    if plan.hours_before is None:
        return None
    return {"before": plan.hours_before.summary(), "after": plan.hours_after.summary()}
