"""Time and size of the web map: aedplan's one-layer-per-kind map vs per-feature folium.

Synthetic city: ``--aeds`` AED points and ``--circles`` rescue circles (168 m discs around
some of them) over a 10 km x 10 km square in UTM 32N. Both maps carry the same popups
(name, opening hours, access, reach). The per-feature map is what tutorials do: one
``folium.Marker`` per AED and one ``folium.GeoJson`` per circle, coordinates unrounded.

Times are wall-clock seconds to build the map and render its HTML, best of ``--repeat``.
They are printed, never asserted. Run ``python scripts/bench_render.py``.
"""

from __future__ import annotations

import argparse
import time

import geopandas as gpd
import numpy as np
import shapely

from aedplan.maplayers import MapLayers
from aedplan.render import format_seconds, render_map

CRS = "EPSG:32632"


def make_city(n_aeds: int, n_circles: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 10_000, size=(n_aeds, 2)) + np.array([495_000, 5_195_000])
    hours = np.array(["24/7", "Mo-Fr 08:00-18:00", None], dtype=object)
    aeds = gpd.GeoDataFrame(
        {
            "name": [f"AED {i} & Co" for i in range(n_aeds)],
            "opening_hours": hours[rng.integers(0, 3, n_aeds)],
            "access": "yes",
            "max_s": rng.uniform(120, 240, n_aeds),
        },
        geometry=shapely.points(xy),
        crs=CRS,
    )
    # a street-following circle is ragged: a disc with a wobbly radius
    angles = np.linspace(0, 2 * np.pi, 64, endpoint=False)
    radius = 168 * (0.7 + 0.3 * rng.random((n_circles, angles.size)))
    rings = np.stack(
        [
            xy[:n_circles, :1] + radius * np.cos(angles),
            xy[:n_circles, 1:] + radius * np.sin(angles),
        ],
        axis=-1,
    )
    circles = gpd.GeoDataFrame(
        {
            "aed": np.arange(n_circles),
            "id": np.arange(n_circles),
            "max_s": aeds["max_s"].to_numpy()[:n_circles],
        },
        geometry=shapely.polygons(rings),
        crs=CRS,
    )
    circles["area_m2"] = circles.area
    return aeds, circles


def aedplan_map(aeds, circles) -> str:
    return render_map(MapLayers(aeds=aeds, circles=circles)).get_root().render()


def per_feature_map(aeds, circles) -> str:
    import folium

    aeds = aeds.to_crs("EPSG:4326")
    circles = circles.to_crs("EPSG:4326")
    m = folium.Map(tiles="OpenStreetMap")
    existing = folium.FeatureGroup(name="Existing AEDs").add_to(m)
    for row in aeds.itertuples():
        popup = (
            f"<b>{row.name}</b><br>Opening hours: {row.opening_hours}<br>"
            f"Access: {row.access}<br>Reaches everyone within {format_seconds(row.max_s)}"
        )
        folium.Marker(
            [row.geometry.y, row.geometry.x], popup=folium.Popup(popup), tooltip=row.name
        ).add_to(existing)
    group = folium.FeatureGroup(name="Rescue circles").add_to(m)
    for row in circles.itertuples():
        folium.GeoJson(
            row.geometry.__geo_interface__,
            style_function=lambda _f: {"color": "#1a9641", "fillOpacity": 0.16},
            popup=folium.Popup(f"AED {row.id}: {format_seconds(row.max_s)}"),
        ).add_to(group)
    folium.LayerControl().add_to(m)
    return m.get_root().render()


def best(fn, *args, repeat: int) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn(*args)
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aeds", type=int, default=5000)
    parser.add_argument("--circles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    aeds, circles = make_city(args.aeds, args.circles)
    t_ours, html_ours = best(aedplan_map, aeds, circles, repeat=args.repeat)
    t_naive, html_naive = best(per_feature_map, aeds, circles, repeat=args.repeat)
    size_ours, size_naive = len(html_ours.encode()), len(html_naive.encode())
    print(f"{args.aeds:,} AED points + {args.circles:,} rescue circles, best of {args.repeat}")
    print(f"{'':24}{'time s':>10}{'HTML MB':>10}")
    print(f"{'aedplan render_map':24}{t_ours:10.2f}{size_ours / 1e6:10.2f}")
    print(f"{'per-feature folium':24}{t_naive:10.2f}{size_naive / 1e6:10.2f}")
    print(
        f"per-feature / aedplan: time x{t_naive / t_ours:.1f}, size x{size_naive / size_ours:.1f}"
    )


if __name__ == "__main__":
    main()
