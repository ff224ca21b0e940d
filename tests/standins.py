"""Stand-in inputs for the Chinese-city walkthrough, written by the tests.

The streets are real: the central Wuhan clip in data/ (OpenStreetMap, ODbL). Everything
else here is MADE UP and says so: an AED registry exported from Amap (GCJ-02), a Red
Cross sheet, a population grid, and the answers of the geocoder and of the Overpass API
for a Chinese place name (this machine has no internet to record real ones: the name
comes back as asked, with the outline and streets of the Wuhan clip). No AED here is
real.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from aedplan._datum import wgs84_to_gcj02

from .conftest import SAMPLES

CLIP = SAMPLES / "wuhan-jiangan-drive.parquet"
#: The clip's box (W, S, E, N): every edge of the sample lies inside it.
CLIP_BBOX = (114.25, 30.55, 114.31, 30.60)
STEP = 1 / 1200  # 3 arc-seconds, as WorldPop's 100 m grid


def _streets() -> gpd.GeoDataFrame:
    return gpd.read_parquet(CLIP)


@functools.lru_cache(maxsize=1)
def _connected() -> gpd.GeoDataFrame:
    """The clip's streets that aedplan walks: its largest connected part."""
    import warnings

    from aedplan.errors import AedplanWarning
    from aedplan.network import load_network

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        return load_network(CLIP).edges_gdf()


def made_up_aeds(n: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 lon/lat of ``n`` made-up AEDs, 15 m north of the middle of evenly picked
    streets of the clip, as a registry might place them."""
    streets = _connected()
    pick = np.linspace(0, len(streets) - 1, n).astype(int)
    mid = shapely.line_interpolate_point(streets.geometry.to_numpy()[pick], 0.5,
                                         normalized=True)
    xy = shapely.get_coordinates(mid) + np.array([0.0, 15.0])
    ll = gpd.GeoSeries(shapely.points(xy), crs=streets.crs).to_crs(4326)
    return ll.x.to_numpy(), ll.y.to_numpy()


def write_amap_export(path: Path, n: int = 40) -> Path:
    """A made-up Amap place-search export of AEDs: ``location`` "lng,lat" in GCJ-02."""
    lon, lat = wgs84_to_gcj02(*made_up_aeds(n))
    pd.DataFrame({
        "id": [f"STANDIN{i:04d}" for i in range(n)],
        "name": [f"示例AED（虚构）{i + 1}" for i in range(n)],
        "type": ["医疗保健服务;急救中心;急救中心"] * n,
        "typecode": ["090400"] * n,
        "address": [f"示例路{i + 1}号（虚构）" for i in range(n)],
        "location": [f"{x:.6f},{y:.6f}" for x, y in zip(lon, lat, strict=True)],
        "pname": "湖北省", "cityname": "武汉市", "adname": "江岸区",
    }).to_csv(path, index=False, encoding="utf-8")
    return path


def write_red_cross_sheet(path: Path, n: int = 25) -> Path:
    """A made-up Red Cross list in Excel: 名称, 经度, 纬度 (WGS84), 开放时间."""
    lon, lat = made_up_aeds(n)
    pd.DataFrame({
        "名称": [f"红十字会示例AED（虚构）{i + 1}" for i in range(n)],
        "经度": lon.round(6), "纬度": lat.round(6),
        "opening_hours": ["24/7" if i % 3 else "Mo-Fr 08:30-17:30" for i in range(n)],
    }).to_excel(path, index=False)
    return path


def write_population(path: Path) -> Path:
    """A made-up population grid over the clip, 3 arc-second cells like WorldPop's:
    denser in the middle, none far from a street, about 250,000 people."""
    import rasterio
    from affine import Affine

    w, s, e, n = CLIP_BBOX
    width, height = round((e - w) / STEP), round((n - s) / STEP)
    y, x = np.mgrid[0:height, 0:width]
    r = np.hypot((x - width / 2) / width, (y - height / 2) / height)
    people = (110.0 * np.exp(-4 * r**2)).astype("float32")
    # people live near streets: no one in cells more than 120 m from the streets walked
    streets = _connected()
    centres = gpd.GeoSeries(gpd.points_from_xy(w + (x.ravel() + 0.5) * STEP,
                                               n - (y.ravel() + 0.5) * STEP), crs=4326)
    near = shapely.STRtree(streets.geometry.to_numpy()).query(
        centres.to_crs(streets.crs).to_numpy(), predicate="dwithin", distance=120.0)[0]
    lived = np.zeros(people.size, dtype=bool)
    lived[near] = True
    people[~lived.reshape(people.shape)] = 0
    with rasterio.open(path, "w", driver="GTiff", height=height, width=width, count=1,
                       dtype="float32", crs="EPSG:4326", nodata=-1,
                       transform=Affine(STEP, 0, w, 0, -STEP, n)) as ds:
        ds.write(people, 1)
    return path


def nominatim_answer(query: str) -> list[dict]:
    """What Nominatim answers for a place name, with the clip's outline (made up)."""
    w, s, e, n = CLIP_BBOX
    outline = shapely.geometry.mapping(shapely.box(w, s, e, n))
    return [{
        "place_id": 1, "licence": "Data © OpenStreetMap contributors, ODbL 1.0.",
        "osm_type": "relation", "osm_id": 1, "lat": str((s + n) / 2), "lon": str((w + e) / 2),
        "class": "boundary", "type": "administrative", "place_rank": 12,
        "importance": 0.5, "addresstype": "county", "name": query.split(",")[0].strip(),
        "display_name": f"{query}, 中国", "boundingbox": [str(s), str(n), str(w), str(e)],
        "geojson": {"type": outline["type"],
                    "coordinates": json.loads(json.dumps(outline["coordinates"]))},
    }]


def overpass_streets() -> dict:
    """The clip's streets as an Overpass API answer (OSM JSON): its real nodes at the
    ends of each edge, the points between them as extra nodes."""
    streets = _streets().to_crs(4326)
    coords, index = shapely.get_coordinates(streets.geometry.to_numpy(), return_index=True)
    first = np.r_[True, index[1:] != index[:-1]]
    last = np.r_[index[1:] != index[:-1], True]
    ids = np.arange(coords.shape[0], dtype=np.int64) + 10**12  # the points between
    u = streets["u"].to_numpy(dtype=np.int64)
    v = streets["v"].to_numpy(dtype=np.int64)
    ids[first], ids[last] = u, v
    nodes = {int(i): (float(x), float(y)) for i, (x, y) in zip(ids, coords, strict=True)}
    elements = [{"type": "node", "id": i, "lon": x, "lat": y} for i, (x, y) in nodes.items()]
    bounds = [*np.flatnonzero(first).tolist(), coords.shape[0]]
    highway = streets["highway"].astype(str).to_numpy()
    for k in range(len(streets)):  # a few thousand ways, built once per test
        elements.append({"type": "way", "id": k + 1,
                         "nodes": ids[bounds[k]:bounds[k + 1]].tolist(),
                         "tags": {"highway": highway[k].split(";")[0]}})
    return {"version": 0.6, "generator": "aedplan tests (stand-in)", "elements": elements}
