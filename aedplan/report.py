"""``report.json``: the numbers a published report quotes, built from a run's results.

The report is a plain dict of JSON values, one section per question: ``params`` (the
time model and inputs), ``network``, ``demand``, ``existing`` (today's coverage),
``uncovered_hot_spots``, ``plan`` (when optimised), ``notes``, ``attribution`` and
``timings_s``. :func:`summary_lines` says the same in a few lines for a terminal.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._words import Words
from .coverage import CoverageStats
from .datasets import OSM_CREDIT
from .network import WalkNetwork
from .timemodel import TimeModel

if TYPE_CHECKING:  # the type only: plan imports nothing of the report
    from .plan import SitePlan

__all__ = ["WEIGHT_MEANING", "HoursNumbers", "build_report", "summary_lines"]

#: What a demand weight means, by kind of demand.
WEIGHT_MEANING = {
    "buildings": "floor area in m²: footprint x building:levels",
    "network": "metres of street each point stands for",
    "points": "the file's weight column, else 1 per point",
    "population": "people per cell of the population grid",
    "arrests-smoothed": "expected arrests: the kernel density of past arrests along the "
                        "streets, scaled to their number",
}


@dataclass(frozen=True, eq=False)
class HoursNumbers:
    """Who may use each AED and when, and the coverage by hour it gives: today (unknown
    hours counted as asked, and as closed) and, with a plan, after it."""

    availability: Any
    profile: str
    before: Any
    before_closed: Any
    after: Any = None
    after_closed: Any = None

    def block(self, all_open: float) -> dict[str, Any]:
        """The ``hours`` block of ``report.json``."""
        from .hours import PROFILE_SOURCE

        week = self.availability.week.summary()
        out: dict[str, Any] = {
            "week": week["week"],
            "resolution": week["resolution"],
            "slots": int(self.availability.edges.size - 1),
            "intervals": self.before.intervals,
            "country": week["country"],
            "public_holidays": week["public_holidays"],
            "profile": self.profile,
            "profile_source": PROFILE_SOURCE if self.profile == "default" else None,
            "unknown_hours": self.availability.unknown_hours,
            "aeds": self.availability.counts(),
            "all_open_24_7": all_open,
            "before": {**self.before.summary(),
                       "unknown_closed": self.before_closed.round_the_clock},
        }
        if self.after is not None:
            out["after"] = {**self.after.summary(),
                            "unknown_closed": self.after_closed.round_the_clock}
        return out


def build_report(
    *,
    version: str,
    model: TimeModel,
    inputs: Mapping[str, Any],
    net: WalkNetwork,
    demand_kind: str,
    before: CoverageStats,
    aeds: Any,
    restricted: int,
    site_plan: SitePlan | None,
    n_candidates: int | None,
    hot_spots: Any,
    notes: list[str],
    hours: HoursNumbers | None = None,
    density: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The report of a run (without ``timings_s``, which the caller adds last).

    ``inputs`` are the run's arguments as given (budget, solver, datum, the sources of
    AEDs, demand and candidates...); ``density`` the AEDs per 100,000 people of
    :func:`aedplan.density.density_numbers` when the demand is people. ``inputs``'
    ``lang`` is the language of the report's sentences (``notes`` come written in
    it). Keys and values a program reads (kinds, statuses, modes) stay as they are.
    """
    w = Words(inputs.get("lang") or "en")
    report: dict[str, Any] = {
        "aedplan_version": version,
        "params": {**model.summary(), **inputs},
        "network": _network(net),
        "demand": _demand(demand_kind, before, w),
        "existing": _existing(aeds, restricted, before, w),
        "uncovered_hot_spots": _hot_spots(hot_spots, net),
        "notes": list(notes),
        "attribution": OSM_CREDIT,
    }
    if site_plan is not None:
        report["plan"] = _plan(site_plan, inputs, n_candidates, w)
    if hours is not None:
        report["hours"] = hours.block(before.coverage)
        if site_plan is not None:
            report["plan"]["all_open_24_7"] = site_plan.after.coverage
            report["plan"]["round_the_clock"] = hours.after.round_the_clock
            # the gain as the map shows it; `added_coverage` counts every AED open 24/7
            report["plan"]["added_round_the_clock"] = (hours.after.round_the_clock
                                                       - hours.before.round_the_clock)
        report["existing"]["round_the_clock"] = hours.before.round_the_clock
    if density is not None:
        report["density"] = {**density, "aeds_counted": w(density["aeds_counted"])}
    return report


def _network(net: WalkNetwork) -> dict[str, Any]:
    return {
        "nodes": net.n_nodes,
        "edges": net.n_edges,
        "length_km": net.total_length_m / 1000,
        "crs": net.crs.to_string(),
        "source": net.source,
        "dropped_nodes": net.dropped_nodes,
    }


def _demand(kind: str, before: CoverageStats, w: Words) -> dict[str, Any]:
    return {
        "kind": kind,
        "weight": w(WEIGHT_MEANING[kind]),
        "points": before.n_points,
        "total_weight": before.total_weight,
        "off_network_points": int((~before.demand.ok).sum()),
    }


def _existing(aeds: Any, restricted: int, before: CoverageStats, w: Words) -> dict[str, Any]:
    return {
        "aeds": len(aeds),
        "restricted_access": int(restricted),
        "counted_as": w("coverage: every AED counted as public and open around the clock; "
                        "hours.before: only AEDs the public may use, in the hours they are "
                        "open"),
        "snapped": int(before.aeds.ok.sum()) if before.aeds is not None else 0,
        "covered_weight": before.covered_weight,
        "coverage": before.coverage,
        "within_minutes": before.summary()["within_minutes"],
    }


def _hot_spots(spots: Any, net: WalkNetwork) -> list[dict[str, Any]]:
    if len(spots) == 0:
        return []
    centres = spots.to_crs(net.crs).centroid.to_crs(4326)
    return [
        {"rank": int(r), "lon": round(float(x), 6), "lat": round(float(y), 6),
         "cell_m": 250, "uncovered_weight": float(w), "uncovered_points": int(n)}
        for r, x, y, w, n in zip(spots["rank"], centres.x, centres.y,
                                 spots["uncovered_weight"], spots["uncovered_points"],
                                 strict=True)
    ]


#: What the coverage-vs-budget curve counts, by what the plan optimised.
_CURVE_COUNTS = {
    "hours": "round the clock: an AED counts in the hours the public may use it",
    "always": "every AED counted public and open around the clock",
}


def _plan(site_plan: SitePlan, inputs: Mapping[str, Any], n_candidates: int | None,
          w: Words) -> dict:
    summary = site_plan.plan.summary()
    curve = site_plan.curve
    return {
        "budget": inputs.get("budget"),
        "target_coverage": inputs.get("target_coverage"),
        "new_sites": len(site_plan.proposed),
        "candidates": n_candidates,
        "covered_weight": site_plan.after.covered_weight,
        "coverage": site_plan.after.coverage,
        "added_coverage": site_plan.after.coverage - site_plan.before.coverage,
        "optimised_for": site_plan.objective,
        "solver": summary["solver"],
        "status": summary["status"],
        "objective": summary["objective"],
        "bound": summary["bound"],
        "gap": summary["gap"],
        "within_minutes": site_plan.after.summary()["within_minutes"],
        "curve": {
            "method": w("greedy (each new AED the best next one)"),
            "round_the_clock": site_plan.objective == "hours",
            "counts": w(_CURVE_COUNTS[site_plan.objective]),
            "new_sites": curve["new_sites"].astype(int).tolist(),
            "coverage": curve["coverage"].round(6).tolist(),
        } if curve is not None else None,
        "solver_details": summary,
        **({} if site_plan.moves is None else {"moves": _moves(site_plan)}),
    }


def _moves(site_plan: SitePlan) -> list[dict[str, Any]]:
    """Each AED moved: from where (its id, name, lon/lat) to where (the proposed site's
    rank, lon/lat), how far, and the coverage it gains (the plan's less that of the plan
    with the move undone)."""
    from pyproj import Transformer

    m = site_plan.moves
    assert m is not None  # asked only for a plan with moves
    to_wgs84 = Transformer.from_crs(site_plan.proposed.crs, 4326, always_xy=True)
    fx, fy = to_wgs84.transform(m["from_x"].to_numpy(), m["from_y"].to_numpy())
    tx, ty = to_wgs84.transform(m["to_x"].to_numpy(), m["to_y"].to_numpy())
    return [
        {"from": {"aed_id": None if a is None else str(a), "name": n if isinstance(n, str)
                  else None, "lon": round(float(x0), 7), "lat": round(float(y0), 7)},
         "to": {"rank": int(r), "lon": round(float(x1), 7), "lat": round(float(y1), 7)},
         "distance_m": round(float(d), 1), "gained_weight": float(g),
         "gained_coverage": float(s)}
        for a, n, x0, y0, r, x1, y1, d, g, s in zip(
            m["aed_id"], m["aed_name"], fx, fy, m["to_rank"], tx, ty, m["distance_m"],
            m["gained_weight"], m["gained_share"], strict=True)
    ]


def summary_lines(
    report: Mapping[str, Any], files: Mapping[str, Path], notes: list[str]
) -> list[str]:
    """A short human summary of a run for the terminal, in the report's language
    (``params.lang``), as its notes and warnings are."""
    r = report
    w = Words(r.get("params", {}).get("lang") or "en")
    out = [w("network: {nodes:,} nodes, {edges:,} edges ({source})",
             nodes=r["network"]["nodes"], edges=r["network"]["edges"],
             source=w(r["network"]["source"]))]
    out.append(w("demand: {points:,} points ({kind}), total weight {total:,.0f} ({meaning})",
                 points=r["demand"]["points"], kind=w(r["demand"]["kind"]),
                 total=r["demand"]["total_weight"], meaning=r["demand"]["weight"]))
    out.extend(_coverage_lines(r, w))
    out.extend(_density_lines(r.get("density"), w))
    out.extend(_district_lines(r.get("districts"), w))
    out.extend(f"note: {n}" for n in notes)
    if files:
        folder = next(iter(files.values())).parent
        out.append(w("wrote {folder}/: {files}", folder=folder, files=w(", ").join(sorted(files))))
    out.append(w("map data {credit}", credit=OSM_CREDIT))
    return out


def _coverage_lines(r: Mapping[str, Any], w: Words) -> list[str]:
    """Coverage today and with the plan: round the clock first when hours are known."""
    ex, p, hours, plan = r["existing"], r["params"], r.get("hours"), r.get("plan")
    model = w("within {minutes:g} min {mode} at {speed:g} m/s ({reach:.0f} m)",
              minutes=p["minutes"], mode=w(p["mode"]), speed=p["speed_m_s"], reach=p["reach_m"])
    if hours is None or ex["aeds"] == 0:
        out = [w("existing AEDs: {n}; {model}: {share:.1%} of demand", n=ex["aeds"],
                 model=model, share=ex["coverage"])]
    else:
        a, b = hours["aeds"], hours["before"]
        out = [
            w("existing AEDs: {n} ({always} public 24/7, {hours} public with opening hours, "
              "{unknown} public with unknown hours, {restricted} not public)", n=ex["aeds"],
              always=a["public_24_7"], hours=a["public_hours"], unknown=a["public_unknown"],
              restricted=a["restricted"]),
            w("coverage round the clock, {model}: {clock:.1%} of demand; {all:.1%} if every "
              "AED were public and open 24/7 (night 22-06: {night:.1%}; unknown hours counted "
              "closed: {closed:.1%})", model=model, clock=b["round_the_clock"],
              all=ex["coverage"], night=b["night_22_06"], closed=b["unknown_closed"]),
        ]
        if b["round_the_clock"] < ex["coverage"]:
            out.append(w("  they differ because an AED counts only in the hours it is open, "
                         "and only if the public may use it"))
    if plan:
        gap = "" if plan["gap"] is None or not np.isfinite(plan["gap"]) else (
            w(", gap {gap:.2%}", gap=plan["gap"]))
        if (plan.get("target_coverage") is not None and plan["status"] != "optimal"
                and plan.get("bound") is not None and np.isfinite(plan["bound"])):
            # a count's gap is said as the count proven needed
            gap = w(", at least {n:,} needed", n=math.ceil(plan["bound"] - 1e-9))
        noun = w("AED" if plan["new_sites"] == 1 else "AEDs")
        after = (w("round the clock {clock:.1%} ({all:.1%} if all were open 24/7)",
                   clock=plan["round_the_clock"], all=plan["coverage"])
                 if "round_the_clock" in plan else f"{plan['coverage']:.1%}")
        what = w("{n} new {noun}", n=plan["new_sites"], noun=noun)
        if plan.get("moves") is not None:
            what = w("{n} {noun} placed ({bought} new, {moved} of today's moved; up to {k} "
                     "{movable} allowed)", n=plan["new_sites"], noun=noun,
                     moved=len(plan["moves"]),
                     bought=plan["new_sites"] - len(plan["moves"]), k=p["relocate"],
                     movable=w(_MOVABLE_WORDS[p["movable"]]))
        out.append(w("plan: {what} from {candidates:,} candidate sites ({solver}, "
                     "{status}{gap}) -> coverage {after}", what=what,
                     candidates=plan["candidates"], solver=w(plan["solver"]),
                     status=w(plan["status"]), gap=gap, after=after))
    return out


#: How the terminal says which AEDs could move.
_MOVABLE_WORDS = {"all": "of any", "restricted": "not for public use"}


def _district_lines(d: Mapping[str, Any] | None, w: Words) -> list[str]:
    """The districts, and the least covered."""
    if not d:
        return []
    key = d["least_covered_by"]
    least = ", ".join(f"{x['name']} {x[key]:.1%}" for x in d["least_covered"])
    out = [w("districts ({source}): {n}; least covered ({by}): {least}", source=d["source"],
             n=d["count"], by=w(key.replace("_", " ")), least=least)]
    floors = d.get("floors")
    if floors:
        out.append(w("  floors kept; they cost {price:.2%} of all demand against the plan "
                     "without them", price=floors["price_share"]))
    return out


def _density_lines(d: Mapping[str, Any] | None, w: Words) -> list[str]:
    """AEDs per 100,000 people today and with the plan, and what each published target
    means here."""
    if d is None:
        return []
    b, a = d["before"], d["after"]
    per_km2 = (w(", {before:.2f} per km²", before=b["per_km2"]) if a is None else
               w(", {before:.2f} -> {after:.2f} per km²", before=b["per_km2"],
                 after=a["per_km2"])) if b["per_km2"] is not None else ""
    now = (w("{before:.1f} today", before=b["per_100k"]) if a is None else
           w("{before:.1f} today -> {after:.1f} with the plan", before=b["per_100k"],
             after=a["per_100k"]))
    out = [w("AEDs per 100,000 people: {now} ({people:,.0f} people on {area:,.1f} km² "
             "populated{per_km2})", now=now, people=d["population"],
             area=d["populated_area_km2"], per_km2=per_km2)]
    if "target_density" in d:
        t = d["target_density"]
        out.append(w("  target {per:g} per 100,000: {needed:,} AEDs for this area, so {new:,} "
                     "new", per=t["per_100k"], needed=t["aeds_needed"], new=t["new_aeds"]))
    for t in d["targets"]:
        if t["kind"] != "target":
            continue
        place = w.script(t["place_zh"]) if w.chinese else t["place"]
        gaps = (w("short by {before:,} today", before=t["gap_before"]) if t["gap_after"] is None
                else w("short by {before:,} today, {after:,} with the plan",
                       before=t["gap_before"], after=t["gap_after"]))
        out.append(w("  {place} ({year}): {per:g} per 100,000 means {needed:,} AEDs here; "
                     "{gaps}", place=place, year=t["year"], per=t["per_100k"],
                     needed=t["aeds_needed"], gaps=gaps))
    return out


def compare_lines(report: Mapping[str, Any], files: Mapping[str, Path]) -> list[str]:
    """A short human summary of a run with variants: one line per variant."""
    w = Words(report.get("params", {}).get("lang") or "en")
    out = []
    for row in report["compare"]:
        rtc = row["round_the_clock"]
        gap = row["gap"]
        before = row["today_round_the_clock"]
        out.append(w("{variant}: {placed} AEDs placed ({new} new, {moved} moved); round the "
                     "clock {before} → {rtc}, if all were open 24/7 {always_before} → "
                     "{always}{gap}",
                     variant=row["variant"], placed=row["placed"], new=row["new"],
                     moved=row["moved"], before="–" if before is None else f"{before:.1%}",
                     rtc="–" if rtc is None else f"{rtc:.1%}",
                     always_before=f"{row['today_all_open_24_7']:.1%}",
                     always=f"{row['all_open_24_7']:.1%}",
                     gap="" if gap is None else w("; gap {gap}", gap=f"{gap:.3%}")))
    if files:
        folder = next(iter(files.values())).parent
        out.append(w("wrote {folder}/: {files}", folder=folder, files=w(", ").join(sorted(files))))
    out.append(w("map data {credit}", credit=OSM_CREDIT))
    return out
