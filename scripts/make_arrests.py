"""Made-up cardiac arrests for trying ``aedplan validate``: NOT real data.

    python scripts/make_arrests.py ../shared/data/osm/liechtenstein-2024-03-03.osm.pbf arrests.csv

No real arrest data ships with aedplan (registries do not publish locations), so this
script makes arrests from a documented process on a real OSM file:

1. Where people are: the file's buildings (``aedplan.demand_from_buildings``), each
   weighted by its floor area (footprint x levels).
2. A risk surface: each building's weight times ``1 + 3 exp(-d^2 / (2 * 700^2))``, ``d``
   the distance in metres to the nearer of two risk centres given with ``--centres``
   (default: Vaduz Staedtle and Schaan centre), as an older or busier population would
   make it.
3. How many: Poisson, ``--per-year`` (default 40, about 100 per 100,000 residents of
   Liechtenstein's 39,000) for each year of ``--years`` (default 2021-2023).
4. Each arrest: a building drawn with probability proportional to its risk, its place
   moved by a Gaussian of 20 m (geocoding error); a day uniform in its year, an hour of
   the week from aedplan's default arrest profile (``aedplan.arrest_profile``), a
   minute uniform.

The seed is fixed (``--seed``), so the file is the same on every machine. Every row says
``made_up`` in its ``source`` column.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("osm", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--per-year", type=float, default=40.0)
    parser.add_argument("--years", default="2021-2023")
    parser.add_argument("--centres", default="9.5215,47.1395;9.5095,47.1650",
                        help="lon,lat;lon,lat of the risk centres")
    parser.add_argument("--seed", type=int, default=20240303)
    args = parser.parse_args(argv)
    import geopandas as gpd

    import aedplan

    rng = np.random.default_rng(args.seed)
    buildings = aedplan.demand_from_buildings(args.osm)
    crs = buildings.estimate_utm_crs()
    b = buildings.to_crs(crs)
    xy = np.column_stack([b.geometry.x, b.geometry.y])
    lonlat = [tuple(map(float, c.split(","))) for c in args.centres.split(";")]
    centres = gpd.GeoSeries(gpd.points_from_xy(*zip(*lonlat, strict=True)), crs=4326).to_crs(crs)
    cxy = np.column_stack([centres.x, centres.y])
    d2 = ((xy[:, None, :] - cxy[None, :, :]) ** 2).sum(axis=2).min(axis=1)
    risk = b["weight"].to_numpy(float) * (1 + 3 * np.exp(-d2 / (2 * 700.0**2)))
    first, last = (int(y) for y in args.years.split("-"))
    profile = aedplan.arrest_profile("default")
    rows = []
    for year in range(first, last + 1):
        n = rng.poisson(args.per_year)
        where = rng.choice(len(b), size=n, p=risk / risk.sum())
        moved = xy[where] + rng.normal(0, 20.0, size=(n, 2))
        days = pd.Timestamp(f"{year}-01-01") + pd.to_timedelta(
            rng.integers(0, 365 + (year % 4 == 0), size=n), unit="D")
        how = rng.choice(168, size=n, p=profile)  # hour of the week: Monday 00:00 = 0
        # move each day to the wanted weekday in its week, then set the hour
        shift = (how // 24) - days.day_of_week.to_numpy()
        when = (days + pd.to_timedelta(shift, unit="D") + pd.to_timedelta(how % 24, unit="h")
                + pd.to_timedelta(rng.integers(0, 60, size=n), unit="min"))
        rows.append(pd.DataFrame({"x": moved[:, 0], "y": moved[:, 1], "time": when}))
    table = pd.concat(rows, ignore_index=True).sort_values("time", ignore_index=True)
    points = gpd.GeoSeries(gpd.points_from_xy(table["x"], table["y"]), crs=crs).to_crs(4326)
    out = pd.DataFrame({"lon": points.x.round(6), "lat": points.y.round(6),
                        "time": table["time"].dt.strftime("%Y-%m-%d %H:%M"),
                        "source": "made_up"})
    out.to_csv(args.out, index=False)
    print(f"wrote {len(out)} made-up arrests ({first}-{last}) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
