"""Who is left out, district by district: coverage, round-the-clock coverage, people and
AEDs per district, before and after a plan.

:func:`district_table` sums the demand layer of a run over districts (polygons from a
file, or the administrative areas of the OSM file, :func:`aedplan.districts.districts`);
:func:`districts_block` is its part of ``report.json``; :func:`tiles_table` the same
table over squares (a run's parts on a cluster, a province's overview). Every demand
point belongs to at most one district, so the districts' totals add up to the whole less
what lies outside them (reported).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .districts import Districts

__all__ = ["district_table", "districts_block", "tiles_table"]

#: The districts listed as least covered in the report.
LEAST = 5


def district_table(districts: Districts, demand: Any, aeds: Any = None, proposed: Any = None,
                   *, kept: Any = None, people: bool = False) -> Any:
    """One row per district: ``name``, ``demand_points``, ``weight``, ``coverage_before``
    and ``coverage_after`` (shares of its weight), ``round_the_clock_before`` and
    ``_after`` (when the demand layer has ``covered_share_*``), ``aeds_before`` and
    ``aeds_after`` (today's AEDs in it; those that stay plus the proposed), and with
    ``people`` (the weights count people) ``people`` and ``aeds_per_100k_before`` and
    ``_after``. A GeoDataFrame of the district polygons, in the demand's CRS.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from aedplan.districts import districts
    >>> halves = districts(gpd.GeoDataFrame({"name": ["west", "east"]}, crs="EPSG:32632",
    ...     geometry=[shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)]), "EPSG:32632")
    >>> demand = gpd.GeoDataFrame({"weight": [1.0, 3.0, 2.0], "covered_before": [1, 0, 1],
    ...     "covered_after": [1, 1, 1]}, geometry=gpd.points_from_xy([2, 4, 15], [5, 5, 5]),
    ...     crs="EPSG:32632")
    >>> t = district_table(halves, demand)
    >>> t[["name", "weight", "coverage_before", "coverage_after"]].values.tolist()
    [['west', 4.0, 0.25, 1.0], ['east', 2.0, 1.0, 1.0]]
    """
    import geopandas as gpd
    import pandas as pd

    k = districts.n_parts
    where = _where(districts, demand)
    inside = where >= 0
    w = demand["weight"].to_numpy(dtype=float)

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(where[inside], weights=values[inside], minlength=k)

    weight = total(w)
    table = pd.DataFrame({"name": districts.names,
                          "demand_points": np.bincount(where[inside], minlength=k),
                          "weight": weight})
    for when in ("before", "after"):
        if f"covered_{when}" in demand:
            hit = demand[f"covered_{when}"].to_numpy(dtype=bool)
            table[f"coverage_{when}"] = _share(total(w * hit), weight)
        if f"covered_share_{when}" in demand:
            share = demand[f"covered_share_{when}"].to_numpy(dtype=float)
            table[f"round_the_clock_{when}"] = _share(total(w * share), weight)
    table["aeds_before"] = _count(districts, aeds)
    if proposed is not None:
        stay = None if kept is None or aeds is None else aeds.iloc[np.flatnonzero(kept)]
        table["aeds_after"] = _count(districts, aeds if kept is None else stay) + _count(
            districts, proposed)
    if people:
        table["people"] = weight
        for when in ("before", "after"):
            if f"aeds_{when}" in table:
                table[f"aeds_per_100k_{when}"] = _share(1e5 * table[f"aeds_{when}"], weight)
    return gpd.GeoDataFrame(table, geometry=list(districts.polygons), crs=demand.crs)


def tiles_table(frames: dict[str, Any], tile_km: float, *, planned: bool,
                people: bool = False) -> Any:
    """:func:`district_table` of a run's ``frames`` (its demand, AEDs and, when
    ``planned``, new sites) over the squares of ``tile_km`` that hold its demand, each
    named by its column letter and its row from the north (``C7``); ``None`` without
    demand."""
    import shapely

    from .partition import tiles

    f = frames
    demand = f["demand"]
    xy = shapely.get_coordinates(demand.geometry.to_numpy())
    if not len(xy):
        return None
    grid = tiles((*xy.min(axis=0), *xy.max(axis=0)), tile_km * 1000.0)
    used = np.unique(grid.part_of(xy[:, 0], xy[:, 1]))
    col, row = used % grid.cols, used // grid.cols
    names = np.array([_column_letters(c) + str(grid.rows - r)  # rows from the north
                      for c, r in zip(col, row, strict=True)])
    cells = Districts(np.array([grid.shape(k) for k in used]), names, source="tiles")
    aeds = f["aeds"]
    kept = (aeds["moved_to_rank"].isna().to_numpy() if "moved_to_rank" in aeds
            else np.ones(len(aeds), dtype=bool))
    return district_table(cells, demand, aeds, f["proposed"] if planned else None,
                          kept=kept if planned else None, people=people)


def _column_letters(k: int) -> str:
    """A map grid's column name: A..Z, AA, AB..."""
    letters = ""
    k += 1
    while k:
        k, rest = divmod(k - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def districts_block(table: Any, *, source: str, outside_weight: float,
                    fairness: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ``districts`` section of ``report.json``: the table, the least covered
    districts (after the plan when there is one), what lies outside every district, and
    the floors with their price."""
    rows = table.drop(columns=table.geometry.name)
    key = next(c for c in ("round_the_clock_after", "coverage_after", "round_the_clock_before",
                           "coverage_before") if c in rows)
    with_demand = rows[rows["weight"] > 0]
    least = with_demand.sort_values([key, "weight"], ascending=[True, False]).head(LEAST)
    out: dict[str, Any] = {
        "source": source,
        "count": len(rows),
        "with_demand": len(with_demand),
        "outside_weight": float(outside_weight),
        "least_covered_by": key,
        "least_covered": [{"name": str(n), key: float(v)}
                          for n, v in zip(least["name"], least[key], strict=True)],
        "table": [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
                  for r in rows.to_dict(orient="records")],
    }
    if fairness is not None:
        out["floors"] = fairness
    return out


def _where(districts: Districts, frame: Any) -> np.ndarray:
    if frame is None or len(frame) == 0:
        return np.zeros(0, dtype=np.int64)
    return districts.part_of(frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy())


def _count(districts: Districts, frame: Any) -> np.ndarray:
    where = _where(districts, frame)
    return np.bincount(where[where >= 0], minlength=districts.n_parts)


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    return np.where(whole > 0, part / np.where(whole > 0, whole, 1.0), np.nan)
