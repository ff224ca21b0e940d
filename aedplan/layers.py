"""The layers of a run: its GeoDataFrames assembled (demand, AEDs, proposed sites,
circles with their hours), and the :class:`~aedplan.maplayers.MapLayers` a map draws
from a :class:`~aedplan.results.PlanRun` or a :class:`~aedplan.plan.SitePlan`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .maplayers import DAY_HOUR, DEMAND_UNITS, NIGHT_HOUR, MapLayers, MapSummary
from .network import WalkNetwork
from .timemodel import TimeModel

__all__ = ["OVERVIEW_EDGES", "circles_of", "covered_now", "district_layers", "from_run",
           "from_site_plan", "hours_columns", "overview", "overview_layers", "run_layers"]

#: Above this many street edges, a run's ``map.html`` is an overview (``output.map =
#: "auto"``): a page with every street and circle of a province weighs tens of MB.
OVERVIEW_EDGES = 300_000


def circles_of(net: WalkNetwork, aeds: Any, model: TimeModel) -> Any:
    """The rescue circles of ``aeds`` (an empty frame when there are none)."""
    from .circles import rescue_circles

    if aeds is None or len(aeds) == 0:
        return _empty_circles(net.crs)
    return rescue_circles(net, aeds, model=model).circles


def run_layers(
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


def hours_columns(frames: dict[str, Any], available: Any, site_plan: Any,
                   hourly: tuple[Any, ...]) -> None:
    """Who may use each AED and when, and how much of the week each place is covered."""
    from .hours import Availability, hours_in_words

    aeds = frames["aeds"]
    aeds["public"] = np.asarray(available.public)
    aeds["hours_kind"] = available.kind
    aeds["open_share"] = np.asarray(available.open_share)
    aeds["hours_words"] = [hours_in_words(row, available.edges)  # text, per AED
                           for row in available.open]
    demand = frames["demand"]
    demand["covered_share_before"] = np.asarray(hourly[0].point_share)
    new = Availability.cabinets(0, available.week)
    if site_plan is not None:  # the proposed layer has its hours columns from plan_sites
        new = site_plan.new_sites
        frames["proposed"]["hours_words"] = [hours_in_words(row, new.edges)
                                             for row in new.open]
        demand["covered_share_after"] = np.asarray(hourly[2].point_share)
    circles = frames["circles"]
    row = circles["index_in_layer"].to_numpy(dtype=np.int64)
    is_new = (circles["status"] == "proposed").to_numpy()
    for column, hour in (("open_day", DAY_HOUR), ("open_night", NIGHT_HOUR)):
        minute = hour * 60 + 30  # the map names the moment: half past
        is_open = np.zeros(len(circles), dtype=bool)
        is_open[~is_new] = available.open_at(minute)[row[~is_new]]
        is_open[is_new] = new.open_at(minute)[row[is_new]]
        circles[column] = is_open


def covered_now(demand_layer: Any) -> np.ndarray:
    """Which demand points are covered: after the plan when there is one, else today."""
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


def _source_label(source: str) -> str:
    path = Path(source)
    return path.name if path.exists() else source


def _streets(net: Any) -> Any:
    """The network's streets with their kind and name, or ``None`` without a network."""
    return None if net is None else net.edges_gdf()[["highway", "name", "geometry"]]


def from_run(run: Any) -> MapLayers:
    frames = run.frames
    demand = frames["demand"]
    column = "covered_after" if "covered_after" in demand else "covered_before"
    circles = frames["circles"]
    status = circles["status"].to_numpy()
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
        places=_places(run),
        summary=_run_summary(run),
    )


def overview(run: Any, kind: str = "auto") -> bool:
    """Whether ``run``'s map is an overview: ``kind`` is ``output.map`` (``"auto"``: above
    :data:`OVERVIEW_EDGES` street edges)."""
    if kind == "auto":
        return run.net is not None and run.net.n_edges > OVERVIEW_EDGES
    return kind == "overview"


def overview_layers(run: Any, tile_km: float = 10.0) -> MapLayers:
    """The overview map of a run too big for one page of streets and circles: each
    district (with ``area.districts``; else each square of ``tile_km``, named by its
    column letter and its row from the north, ``C7``) shaded by its coverage, with its numbers;
    today's AEDs and the new sites as points; the summary panel. No streets, circles or
    demand squares: a full map per district is ``output.district_maps``."""
    from .equity import tiles_table

    frames = run.frames
    districts = frames.get("districts")
    if districts is None:
        districts = tiles_table(frames, tile_km, planned=run.report.get("plan") is not None,
                                people=run.report["demand"]["kind"] == "population")
    return MapLayers(aeds=frames["aeds"], proposed=frames["proposed"], districts=districts,
                     moves=frames.get("moves"), places=_places(run),
                     summary=_run_summary(run))


def _run_summary(run: Any) -> MapSummary:
    """The numbers a run's map panel quotes."""
    from .report import WEIGHT_MEANING

    r = run.report
    plan = r.get("plan")
    p, hours = r["params"], r.get("hours")
    return MapSummary(
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
        country=(hours or {}).get("country"),
        week=(hours or {}).get("week"),
        unknown_hours=(hours or {}).get("unknown_hours", "open"),
        show_operator=run.scenario is not None and run.scenario.output.show_operator,
        **_hours_summary(hours),
        **_density_summary(r.get("density")),
    )


#: The kinds of OSM ``place`` a map names when zoomed out.
PLACE_KINDS = ("city", "town", "village", "suburb")


def _places(run: Any) -> Any:
    """The named places (:data:`PLACE_KINDS`) of the run's OSM file inside its streets'
    box, for names at low zoom; ``None`` without an OSM file."""
    import geopandas as gpd
    import shapely

    from . import _files, _osm
    from .datasets import default_osm_path
    from .errors import AedplanError

    area = getattr(run.scenario, "area", None)
    path = getattr(area, "osm", None)
    if path is None and str(run.report["network"]["source"]).startswith("embedded default"):
        path = default_osm_path()
    if path is None or run.net is None or not _files.is_osm_file(path):
        return None
    try:
        table = _osm.read_features(path, tags=[("place", k) for k in PLACE_KINDS],
                                   areas=False, argument="osm")
    except AedplanError:
        return None
    tags = table.tags.reset_index(drop=True).reindex(columns=["name", "name:zh", "name:en",
                                                              "place"])
    places = gpd.GeoDataFrame(tags, geometry=list(table.geometry), crs=4326)
    x0, y0, x1, y1 = run.net.edges_gdf().to_crs(4326).total_bounds
    box = shapely.box(x0, y0, x1, y1)
    return places[places["name"].notna().to_numpy() & shapely.within(
        places.geometry.to_numpy(), box)].to_crs(run.net.crs)


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
        "night_before": hours["before"]["night_22_06"],
        "night_after": after["night_22_06"] if after else None,
        "unknown_closed_before": hours["before"].get("unknown_closed"),
    }


def from_site_plan(plan: Any, *, circles: bool) -> MapLayers:
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
            **_read_over(plan.hours),
        ),
    )


def _read_over(hours: Any) -> dict[str, Any]:
    """The week, country and unknown hours a plan read the AEDs' hours over, for the
    map's search (none known: the default week, its country from the streets)."""
    if hours is None:
        return {}
    week = hours.week.summary()
    return {"week": week["week"], "country": week["country"],
            "unknown_hours": hours.unknown_hours}


def _plan_hours(plan: Any) -> dict[str, Any] | None:
    if plan.hours_before is None:
        return None
    return {"before": plan.hours_before.summary(), "after": plan.hours_after.summary()}


def district_layers(layers: MapLayers, district: Any) -> MapLayers:
    """The layers of one district's own map. ``district`` is its row of the run's
    district table (:func:`aedplan.equity.district_table`: its polygon and numbers), in
    the layers' CRS.

    The map shows the district's streets, the AEDs and new sites whose rescue circles
    reach into it (a neighbour's AED near the border serves it too) with those circles,
    its demand out of reach and hot spots; its panel quotes the district's own numbers
    (coverage, round the clock, its demand, the AEDs and new sites inside it). The
    city's week and budget curve are left out: they are not the district's."""
    import dataclasses

    area = district.geometry
    circles = _touching(layers.circles, area)
    proposed_circles = _touching(layers.proposed_circles, area)
    s = layers.summary or MapSummary()

    def get(name: str) -> Any:
        value = district.get(name)
        return None if value is None or value != value else float(value)  # NaN: none

    proposed = _served(layers.proposed, proposed_circles, area)
    return dataclasses.replace(
        layers,
        streets=_touching(layers.streets, area),
        aeds=_served(layers.aeds, circles, area), circles=circles,
        proposed=proposed, proposed_circles=proposed_circles,
        uncovered=_touching(layers.uncovered, area), hot_spots=_touching(layers.hot_spots, area),
        circles_day=_touching(layers.circles_day, area),
        circles_night=_touching(layers.circles_night, area),
        districts=_touching(layers.districts, area).loc[lambda f: f["name"] == district["name"]]
        if layers.districts is not None else None,
        moves=_touching(layers.moves, area),
        places=_touching(layers.places, area),
        summary=dataclasses.replace(
            s, coverage_before=get("coverage_before"), coverage_after=get("coverage_after"),
            round_the_clock_before=get("round_the_clock_before"),
            round_the_clock_after=get("round_the_clock_after"),
            n_aeds=int(district["aeds_before"]),
            n_proposed=0 if proposed is None else int(proposed.within(area).sum()),
            demand_total=float(district["weight"]),
            per_100k_before=get("aeds_per_100k_before"),
            per_100k_after=get("aeds_per_100k_after"),
            hourly_before=None, hourly_after=None, night_before=None, night_after=None,
            unknown_closed_before=None, curve_sites=None, curve_coverage=None),
    )


def _touching(frame: Any, area: Any) -> Any:
    """The rows of ``frame`` whose geometry meets ``area`` (``None`` stays ``None``)."""
    return None if frame is None else frame[frame.intersects(area).to_numpy()]


def _served(points: Any, circles: Any, area: Any) -> Any:
    """The AEDs (or new sites) inside ``area`` or whose circle (``index_in_layer``) is
    among ``circles``."""
    if points is None:
        return None
    keep = points.within(area).to_numpy().copy()
    if circles is not None and "index_in_layer" in circles:
        keep[circles["index_in_layer"].to_numpy(dtype=np.int64)] = True
    return points[keep]
