"""Network, AEDs and nearest-AED times on a real OSM extract, with timings.

    python scripts/reach_numbers.py ../shared/data/osm/vaduz-schaan-2024-03-03.osm.pbf
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

import aedplan
from aedplan.demand import demand_from_buildings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("osm")
    args = parser.parse_args()
    warnings.simplefilter("ignore", aedplan.AedplanWarning)

    t = time.perf_counter()
    net = aedplan.load_network(args.osm)
    t_net = time.perf_counter() - t
    print(f"network: {net.n_nodes:,} nodes, {net.n_edges:,} edges, "
          f"{net.total_length_m / 1000:,.1f} km, {net.crs.to_string()}; "
          f"dropped {net.dropped_nodes} nodes outside the main component; load {t_net:.2f} s")

    t = time.perf_counter()
    aeds = aedplan.read_points(args.osm)
    snapped = aedplan.snap(net, aeds)
    t_aed = time.perf_counter() - t
    print(f"AEDs: {len(aeds)} read, {int(snapped.ok.sum())} snapped; off-street distance "
          f"median {np.median(snapped.offset_m):.1f} m, max {snapped.offset_m.max():.1f} m; "
          f"{t_aed:.2f} s")

    t = time.perf_counter()
    buildings = demand_from_buildings(args.osm)
    t_b = time.perf_counter() - t
    t = time.perf_counter()
    r = aedplan.reach_times(net, snapped, buildings, limit_s=3600.0)
    t_reach = time.perf_counter() - t
    within = r.node_s <= 240.0
    print(f"buildings: {len(buildings):,} read in {t_b:.2f} s")
    print(f"nearest-AED time (4 min round trip at 1.4 m/s; search limit 1 h) for "
          f"{net.n_nodes:,} nodes and {len(buildings):,} building points: {t_reach * 1000:.1f} ms")
    for label, secs in (("nodes", r.node_s), ("buildings", r.target_s)):
        q = np.percentile(secs[np.isfinite(secs)], [25, 50, 75, 90])
        print(f"  {label}: within 4 min {np.mean(secs <= 240.0):.1%}; "
              f"quartiles {q[0]:.0f} / {q[1]:.0f} / {q[2]:.0f} s, 90th {q[3]:.0f} s")
    print(f"share of nodes within the 4-minute round trip: {within.mean():.1%}")
    t = time.perf_counter()
    circles = aedplan.rescue_circles(net, snapped)
    t_c = time.perf_counter() - t
    print(f"rescue circles: {len(circles.circles)} polygons, union "
          f"{circles.union.area / 1e6:.2f} km², {t_c:.2f} s")


if __name__ == "__main__":
    main()
