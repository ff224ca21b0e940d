"""AEDs per 100,000 people and per km², and what published targets mean for an area.

The figure every Chinese plan quotes is the number of AEDs per 100,000 people: Shanghai
aimed for more than 50 by the end of 2025, Shenzhen announced 300, Jinjiang (Fujian)
1 per 10,000. :func:`density_targets` reads those published figures, each with its
place, year and source, from a table shipped with aedplan
(``aedplan/data/aed_density_targets.csv``); :func:`density_numbers` gives an area's
density today and with a plan, and how many AEDs each target implies there.

The people are the demand's weights when the demand is a population grid, and the area
is that of the populated cells (where people live, not fields or water).
"""

from __future__ import annotations

import csv
import math
from dataclasses import asdict, dataclass
from importlib import resources
from typing import Any

from ._validate import is_real
from .errors import InputError

__all__ = ["DensityTarget", "aeds_for_density", "density_numbers", "density_targets",
           "distinct_aeds", "same_place"]

#: AEDs closer than this are one AED listed twice (a registry's copy under another id).
SAME_PLACE_M = 1.0


@dataclass(frozen=True)
class DensityTarget:
    """A published number of AEDs per 100,000 people: a ``"target"`` or a ``"level"``
    reached (for comparison)."""

    per_100k: float
    kind: str
    place: str
    place_zh: str
    year: int
    note: str
    source: str


def density_targets() -> tuple[DensityTarget, ...]:
    """The published AED densities shipped with aedplan, each with its source.

    >>> [(t.place, t.per_100k) for t in density_targets() if t.kind == "target"][:2]
    [('Shanghai', 50.0), ('Shenzhen', 300.0)]
    """
    text = resources.files("aedplan").joinpath("data", "aed_density_targets.csv").read_text(
        encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(
        DensityTarget(float(r["per_100k"]), r["kind"], r["place"], r["place_zh"],
                      int(r["year"]), r["note"], r["source"])
        for r in rows
    )


def same_place(points: Any, *, within_m: float = SAME_PLACE_M) -> Any:
    """Which rows of ``points`` (a GeoDataFrame with a CRS) lie within ``within_m`` metres
    of an earlier row: the same AED listed twice, under two ids. Measured in metres in the
    local UTM zone (in the points' own CRS when it is in metres).

    Examples
    --------
    >>> import geopandas as gpd
    >>> aeds = gpd.GeoDataFrame(geometry=gpd.points_from_xy([0, 0.5, 3, 0.2], [0, 0, 0, 0.3]),
    ...                         crs="EPSG:32632")
    >>> same_place(aeds).tolist()  # the second and the fourth repeat the first
    [False, True, False, True]
    """
    import numpy as np
    import shapely

    from . import _geo

    out = np.zeros(len(points), dtype=bool)
    if len(points) < 2:
        return out
    pts = _geo.point_array(points, _geo.metric_crs(points))
    pairs = shapely.STRtree(pts).query(pts, predicate="dwithin", distance=within_m)
    out[pairs[1][pairs[0] < pairs[1]]] = True
    return out


def distinct_aeds(aeds: Any, keep: Any = None) -> int:
    """How many AEDs ``aeds`` holds, each place counted once (:func:`same_place`): the
    count a density is made of. ``keep``: the rows to count (a boolean mask), e.g. the
    AEDs a plan keeps where they are.

    >>> import geopandas as gpd
    >>> aeds = gpd.GeoDataFrame(geometry=gpd.points_from_xy([0, 0.5, 30], [0, 0, 0]),
    ...                         crs="EPSG:32632")
    >>> distinct_aeds(aeds), distinct_aeds(aeds, keep=[True, True, False])
    (2, 1)
    """
    import numpy as np

    rows = aeds if keep is None else aeds.loc[np.asarray(keep, dtype=bool)]
    return int(len(rows) - same_place(rows).sum())


def aeds_for_density(per_100k: float, population: float) -> int:
    """The fewest AEDs that give ``population`` people at least ``per_100k`` AEDs per
    100,000.

    >>> aeds_for_density(50, 123_456)  # 61.7 -> 62
    62
    >>> aeds_for_density(10, 200_000)
    20
    """
    if not (is_real(per_100k) and math.isfinite(per_100k) and per_100k > 0):
        raise InputError(
            "`target_density` must be a number of AEDs per 100,000 people > 0, got "
            "{value!r} (Shanghai's 2025 target is 50).", value=per_100k,
        )
    if not (is_real(population) and math.isfinite(population) and population >= 0):
        raise InputError("`population` must be a number of people >= 0, got {value!r}.",
                         value=population)
    return max(0, math.ceil(per_100k * population / 100_000 - 1e-9))


def density_numbers(
    *,
    population: float,
    area_km2: float,
    aeds_before: int,
    aeds_after: int | None = None,
    target: float | None = None,
) -> dict[str, Any]:
    """An area's AED density today and with a plan, against every published figure.

    Parameters
    ----------
    population
        The people of the area.
    area_km2
        Its populated area in km².
    aeds_before, aeds_after
        The AEDs in the area today, and with the plan (``None`` without one).
    target
        The density the plan was asked to reach (``--target-density``), if any.

    Returns
    -------
    dict
        ``population``, ``populated_area_km2``, ``before`` and ``after`` (``aeds``,
        ``per_100k``, ``per_km2``), ``targets`` (each published figure with the AEDs it
        implies here, ``aeds_needed``, and the shortfall today and with the plan,
        ``gap_before`` and ``gap_after``) and, when asked, ``target_density``.

    Examples
    --------
    >>> out = density_numbers(population=200_000, area_km2=40.0, aeds_before=30,
    ...                       aeds_after=90)
    >>> out["before"], out["after"]["per_100k"]
    ({'aeds': 30, 'per_100k': 15.0, 'per_km2': 0.75}, 45.0)
    >>> shanghai = out["targets"][0]
    >>> shanghai["place"], shanghai["aeds_needed"], shanghai["gap_before"], shanghai["gap_after"]
    ('Shanghai', 100, 70, 10)
    """
    if not population > 0:
        raise InputError("`population` must be > 0 to give AEDs per 100,000 people.")

    def level(n: int) -> dict[str, Any]:
        return {"aeds": int(n), "per_100k": round(n / population * 100_000, 6),
                "per_km2": round(n / area_km2, 6) if area_km2 > 0 else None}

    targets = []
    for t in density_targets():  # a handful of published figures
        needed = aeds_for_density(t.per_100k, population)
        targets.append({**asdict(t), "aeds_needed": needed,
                        "gap_before": max(0, needed - aeds_before),
                        "gap_after": None if aeds_after is None else max(0, needed - aeds_after)})
    out: dict[str, Any] = {
        "population": float(population),
        "populated_area_km2": round(float(area_km2), 6),
        "aeds_counted": "every existing AED in the area, public or not",
        "before": level(aeds_before),
        "after": None if aeds_after is None else level(aeds_after),
        "targets": targets,
    }
    if target is not None:
        needed = aeds_for_density(target, population)
        out["target_density"] = {"per_100k": float(target), "aeds_needed": needed,
                                 "new_aeds": max(0, needed - aeds_before)}
    return out
