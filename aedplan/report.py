"""``report.json``: the numbers a published report quotes, built from a run's results.

The report is a plain dict of JSON values, one section per question: ``params`` (the
time model and inputs), ``network``, ``demand``, ``existing`` (today's coverage),
``uncovered_hot_spots``, ``plan`` (when optimised), ``notes``, ``attribution`` and
``timings_s``. :func:`summary_lines` says the same in a few lines for a terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .coverage import CoverageStats
from .datasets import OSM_CREDIT
from .network import WalkNetwork
from .plan import SitePlan
from .timemodel import TimeModel

__all__ = ["WEIGHT_MEANING", "build_report", "summary_lines"]

#: What a demand weight means, by kind of demand.
WEIGHT_MEANING = {
    "buildings": "floor area in m²: footprint x building:levels",
    "network": "metres of street each point stands for",
    "points": "the file's weight column, else 1 per point",
}


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
) -> dict[str, Any]:
    """The report of a run (without ``timings_s``, which the caller adds last).

    ``inputs`` are the run's arguments as given (budget, solver, datum, the sources of
    AEDs, demand and candidates...).
    """
    report: dict[str, Any] = {
        "aedplan_version": version,
        "params": {**model.summary(), **inputs},
        "network": _network(net),
        "demand": _demand(demand_kind, before),
        "existing": _existing(aeds, restricted, before),
        "uncovered_hot_spots": _hot_spots(hot_spots, net),
        "notes": list(notes),
        "attribution": OSM_CREDIT,
    }
    if site_plan is not None:
        report["plan"] = _plan(site_plan, inputs, n_candidates)
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


def _demand(kind: str, before: CoverageStats) -> dict[str, Any]:
    return {
        "kind": kind,
        "weight": WEIGHT_MEANING[kind],
        "points": before.n_points,
        "total_weight": before.total_weight,
        "off_network_points": int((~before.demand.ok).sum()),
    }


def _existing(aeds: Any, restricted: int, before: CoverageStats) -> dict[str, Any]:
    return {
        "aeds": len(aeds),
        "restricted_access": int(restricted),
        "counted_as": "available to the public around the clock (opening hours and "
        "access are kept in the outputs, not applied)",
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


def _plan(site_plan: SitePlan, inputs: Mapping[str, Any], n_candidates: int | None) -> dict:
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
        "solver": summary["solver"],
        "status": summary["status"],
        "objective": summary["objective"],
        "bound": summary["bound"],
        "gap": summary["gap"],
        "within_minutes": site_plan.after.summary()["within_minutes"],
        "curve": {
            "method": "greedy (each new AED the best next one)",
            "new_sites": curve["new_sites"].astype(int).tolist(),
            "coverage": curve["coverage"].round(6).tolist(),
        } if curve is not None else None,
        "solver_details": summary,
    }


def summary_lines(
    report: Mapping[str, Any], files: Mapping[str, Path], notes: list[str]
) -> list[str]:
    """A short human summary of a run for the terminal."""
    r = report
    out = [f"network: {r['network']['nodes']:,} nodes, {r['network']['edges']:,} edges "
           f"({r['network']['source']})"]
    out.append(
        f"demand: {r['demand']['points']:,} points ({r['demand']['kind']}), total weight "
        f"{r['demand']['total_weight']:,.0f} ({r['demand']['weight']})"
    )
    ex, p = r["existing"], r["params"]
    out.append(
        f"existing AEDs: {ex['aeds']}; within {p['minutes']:g} min {p['mode']} at "
        f"{p['speed_m_s']:g} m/s ({p['reach_m']:.0f} m): {ex['coverage']:.1%} of demand"
    )
    plan = r.get("plan")
    if plan:
        gap = "" if plan["gap"] is None or not np.isfinite(plan["gap"]) else (
            f", gap {plan['gap']:.2%}")
        noun = "AED" if plan["new_sites"] == 1 else "AEDs"
        out.append(
            f"plan: {plan['new_sites']} new {noun} from {plan['candidates']:,} candidate "
            f"sites ({plan['solver']}, {plan['status']}{gap}) -> coverage "
            f"{plan['coverage']:.1%}"
        )
    out.extend(f"note: {n}" for n in notes)
    if files:
        folder = next(iter(files.values())).parent
        out.append(f"wrote {folder}/: {', '.join(sorted(files))}")
    out.append(f"map data {OSM_CREDIT}")
    return out
