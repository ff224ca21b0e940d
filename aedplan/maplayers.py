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
from typing import Any

from .errors import CRSError, InputError, Joined, Phrase
from .timemodel import TimeModel

__all__ = ["COLOURS", "DEMAND_UNITS", "LAYER_NAMES", "MapLayers", "MapSummary", "map_layers",
           "streets_name"]

#: Layer names as shown in the layer switcher and the legend.
LAYER_NAMES: dict[str, str] = {
    "streets": "Streets (walk network)",
    "circles": "Rescue circles: existing AEDs",
    "circles_24_7": "Rescue circles: public AEDs open round the clock",
    "circles_hours": "Rescue circles: public AEDs with opening hours or hours unknown",
    "circles_restricted": "Rescue circles: AEDs not for public use",
    "proposed_circles": "Rescue circles: proposed AEDs",
    "uncovered": "Uncovered demand",
    "aeds": "Existing AEDs",
    "proposed": "Proposed AEDs",
    "circles_day": "Rescue circles at 10:30 (Wednesday)",
    "circles_night": "Rescue circles at 03:30 (Wednesday)",
    "hot_spots": "Hot spots: most demand out of reach",
    "districts": "Districts: coverage",
    "moves": "AEDs moved",
    "places": "Place names",
}

#: Kinds of way only people on foot use: a network with none of them is not a walk network
#: (a drive network may hold ``pedestrian`` streets, which cars may enter).
_ON_FOOT = frozenset({"footway", "path", "steps", "bridleway", "corridor", "cycleway"})


def streets_name(streets: Any) -> str:
    """The street layer's name, saying truthfully what network it is: a walk network (it
    has footways, paths or steps), a drive network (``highway`` kinds, none on foot), or
    streets of unknown kind.

    >>> import pandas as pd
    >>> streets_name(pd.DataFrame({"highway": ["residential", "footway"]}))
    'Streets (walk network)'
    >>> streets_name(pd.DataFrame({"highway": ["primary", "pedestrian"]}))
    'Streets (drive network: no footpaths)'
    >>> streets_name(pd.DataFrame({"name": ["A"]}))
    'Streets'
    """
    if streets is None or "highway" not in streets.columns:
        return "Streets"
    kinds = {str(k) for v in streets["highway"].dropna()
             for k in (v if isinstance(v, list | tuple) else [v])}
    return LAYER_NAMES["streets"] if kinds & _ON_FOOT else "Streets (drive network: no footpaths)"


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
#: The hours of the reference week the day and night circles show, at half past (Wednesday).
DAY_HOUR, NIGHT_HOUR = 2 * 24 + 10, 2 * 24 + 3

#: One colour per kind of feature (green: today's AEDs, purple: proposed, red: gaps).
COLOURS: dict[str, str] = {
    "streets": "#5f5f5f",
    "aeds": "#1a9641",
    "circles": "#1a9641",
    "circles_24_7": "#1a9641",
    "circles_hours": "#E69F00",
    "circles_restricted": "#D55E00",
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
    ``n_moved`` how many of the ``n_proposed`` places take an AED moved from elsewhere;
    ``country`` the data's country (ISO code: the map's default language follows it);
    ``week`` (its Monday) and ``unknown_hours`` how the run read the AEDs' hours, which
    the page's nearest-AED search reads the same way;
    ``show_operator`` whether popups may show an AED's ``operator`` (an internal map).
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
    night_before: float | None = None
    night_after: float | None = None
    unknown_closed_before: float | None = None
    curve_sites: Any = None
    curve_coverage: Any = None
    curve_round_the_clock: bool = False
    per_100k_before: float | None = None
    per_100k_after: float | None = None
    country: str | None = None
    week: str | None = None
    unknown_hours: str = "open"
    show_operator: bool = False


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
    places
        Named places (``name``, optional ``name:zh``, ``place``: city, town, village,
        suburb) as points, named on the map when zoomed out.
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
    places: Any = None
    summary: MapSummary | None = None

    def drawn(self) -> dict[str, Any]:
        """The layers to draw, checked: every one a GeoDataFrame with a CRS, without
        missing or empty geometries; empty layers are left out."""
        return _check_frames(
            {f.name: getattr(self, f.name) for f in fields(self) if f.name != "summary"}
        )


def map_layers(content: Any, *, circles: bool = True) -> MapLayers:
    """The layers of a map of ``content``: :class:`MapLayers`, or a result that makes its
    own (a :class:`~aedplan.results.PlanRun`, a :class:`~aedplan.plan.SitePlan`: any
    object with a ``map_layers(circles=...)`` method). ``circles=False`` leaves the rescue
    circles out (for a :class:`~aedplan.plan.SitePlan` they are computed otherwise)."""
    if isinstance(content, MapLayers):
        layers = content
    elif callable(getattr(content, "map_layers", None)):
        layers = content.map_layers(circles=circles)
    else:
        raise InputError(
            "`content` must be the result of aedplan.run (a PlanRun), a SitePlan from "
            "plan_sites, or MapLayers; got {kind}.", kind=type(content).__name__)
    if circles:
        return layers
    return replace(layers, circles=None, proposed_circles=None, circles_day=None,
                   circles_night=None)


def _check_frames(frames: Mapping[str, Any]) -> dict[str, Any]:
    """Check every layer at once; return the non-empty ones without missing geometry."""
    not_frames, no_crs = [], []
    for name, frame in frames.items():
        if frame is None:
            continue
        if not (hasattr(frame, "geometry") and hasattr(frame, "crs")):
            not_frames.append(Phrase(
                "`{name}` must be a GeoDataFrame with a geometry column, got {kind}",
                {"name": name, "kind": type(frame).__name__}))
        elif frame.crs is None:
            no_crs.append(f"`{name}`")
    if not_frames:
        raise InputError("{problems}.", problems=Joined(not_frames))
    if no_crs:
        raise CRSError(
            "{layers} has no CRS: set it with `.set_crs('EPSG:4326')` if the coordinates are "
            "lon/lat, or with the projected CRS they were computed in (`net.crs`)."
            if len(no_crs) == 1 else
            "{layers} have no CRS: set it with `.set_crs('EPSG:4326')` if the coordinates are "
            "lon/lat, or with the projected CRS they were computed in (`net.crs`).",
            layers=Joined(no_crs, sep=", "))
    out = {}
    for name, frame in frames.items():
        if frame is None:
            continue
        geom = frame.geometry
        keep = ~(geom.isna() | geom.is_empty).to_numpy()
        if keep.any():
            out[name] = frame[keep]
    return out


