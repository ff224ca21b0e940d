"""The work of ``scripts/bench.py`` that runs in fresh child processes.

Each task runs one side (aedplan or a peer) of one benchmark row in its own process
(``multiprocessing`` 'spawn'), reads its inputs from files the parent wrote, and sends
back, one message per step, the wall-clock seconds and the peak resident memory of the
step, then the arrays the parent compares. Nothing here decides whether the sides agree.

Peak memory: before each step the kernel's high-water mark of the process is reset
(``/proc/self/clear_refs`` <- 5, Linux >= 4.0) and ``VmHWM`` is read after it, so a
step's ``peak_mb`` is the largest resident set of the whole process *during that step*
(interpreter, imported libraries and loaded inputs included); ``start_mb`` is the
resident set when the step began. Where the reset is refused, ``peak_mb`` falls back to
the process's lifetime peak (``getrusage``) and ``peak_kind`` says so.
"""

from __future__ import annotations

import gc
import os
import pickle
import re
import resource
import sys
import time
import traceback
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

ROUND_TRIP_REACH_M = 168.0  # 4 min round trip at 1.4 m/s: 1.4 * 240 / 2
SECONDS_PER_M = 2.0 / 1.4  # rescue seconds per one-way metre (round trip, 1.4 m/s)


# --------------------------------------------------------------------------- measuring


def _status_kb(field: str) -> float | None:
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    m = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
    return float(m.group(1)) if m else None


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


class Steps:
    """Times steps and measures their peak RSS; streams each result to the parent."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    @contextmanager
    def __call__(self, name: str, **info: Any):
        gc.collect()
        start_kb = _status_kb("VmRSS") or 0.0
        resettable = _reset_peak()
        t0 = time.perf_counter()
        yield
        secs = time.perf_counter() - t0
        if resettable and _status_kb("VmHWM") is not None:
            peak_kb, kind = _status_kb("VmHWM"), "step"
        else:
            peak_kb = float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
            kind = "process lifetime"
        self.conn.send(
            (
                "step",
                name,
                {
                    "s": secs,
                    "peak_mb": peak_kb / 1024.0,
                    "start_mb": start_kb / 1024.0,
                    "peak_kind": kind,
                    **info,
                },
            )
        )


def child_main(task: str, kwargs: dict[str, Any], conn: Any) -> None:
    """Entry point of every child process."""
    warnings.simplefilter("ignore")
    # own process group, so that a time limit also stops what the task started (CBC runs
    # as a separate program under pulp and would otherwise keep running)
    os.setpgid(0, 0)
    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    steps = Steps(conn)
    try:
        data = TASKS[task](steps, **kwargs)
        conn.send(("data", data))
    except BaseException as exc:  # report everything, the parent decides
        conn.send(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    finally:
        conn.send(("done",))
        conn.close()


def _load(path: str) -> Any:
    with open(path, "rb") as f:
        return pickle.load(f)


# --------------------------------------------------------------------------- row 1


def r1_aedplan(
    steps: Steps, *, net_file: str, cases: list[dict[str, Any]], pbf: str | None = None
) -> dict[str, Any]:
    """aedplan: network from arrays, nearest times (one multi-source search), circles."""
    import aedplan
    from aedplan.circles import rescue_circles
    from aedplan.network import _csr, network_from_arrays
    from aedplan.reach import source_node_reach
    from aedplan.timemodel import TimeModel

    d = _load(net_file)
    if pbf is not None:
        with steps("load_pbf"):
            aedplan.load_network(pbf)
    with steps("csr_only"):
        _csr(d["u"], d["v"], d["length"], d["x"].shape[0])
    with steps("build"):
        net = network_from_arrays(
            d["x"],
            d["y"],
            d["u"],
            d["v"],
            crs=d["crs"],
            edge_geometry=d.get("geometry"),
            largest_component=True,
        )
    model = TimeModel()
    out: dict[str, Any] = {"n_nodes": net.n_nodes, "n_edges": net.n_edges, "cases": {}}
    for case in cases:
        key = case["key"]
        xy = np.column_stack([d["x"][case["nodes"]], d["y"][case["nodes"]]])
        with steps(f"nearest/{key}"):
            r = aedplan.reach_times(net, xy)
        snapped = aedplan.snap(net, xy)
        # each case's circles start from no lattice kept (earlier cases on this network
        # would have left theirs), then are drawn again with it
        net._cache.pop("lattice_cells", None)
        with steps(f"circles/{key}"):
            circles = rescue_circles(net, xy).circles
        with steps(f"circles_again/{key}"):
            rescue_circles(net, xy)
        with steps(f"convex/{key}"):
            convex = rescue_circles(net, snapped, method="convex").circles
        s, node, _ = source_node_reach(net, snapped, model)
        out["cases"][key] = {
            "node_s": r.node_s,
            "pairs": np.unique(s.astype(np.int64) * net.n_nodes + node),
            "convex_area": convex["area_m2"].to_numpy(),
            "circles_area_km2": float(circles["area_m2"].sum() / 1e6),
        }
    return out


def nx_graph(d: dict[str, Any]):
    """A networkx graph from the arrays, as an analyst builds one for osmnx recipes: nodes
    with x/y, edges with ``length`` (parallel edges already reduced to the shortest)."""
    import networkx as nx

    g = nx.Graph(crs=d["crs"])
    g.add_nodes_from(
        (i, {"x": float(x), "y": float(y)})
        for i, (x, y) in enumerate(zip(d["x"], d["y"], strict=True))
    )
    # longest first: a later parallel edge overwrites, so the shortest one stays
    order = np.argsort(-d["length"], kind="stable")
    g.add_weighted_edges_from(
        zip(
            d["u"][order].tolist(), d["v"][order].tolist(), d["length"][order].tolist(), strict=True
        ),
        weight="length",
    )
    return g


def r1_networkx(steps: Steps, *, net_file: str, cases: list[dict[str, Any]]) -> dict[str, Any]:
    """networkx: multi-source Dijkstra with a cutoff; osmnx's ego-graph + convex hull."""
    import networkx as nx
    import osmnx as ox
    import shapely

    d = _load(net_file)
    with steps("build"):
        g = nx_graph(d)
    n = d["x"].shape[0]
    out: dict[str, Any] = {"cases": {}}
    for case in cases:
        key = case["key"]
        ax = d["x"][case["nodes"]]
        ay = d["y"][case["nodes"]]
        with steps(f"snap/{key}"):
            nodes = np.asarray(ox.distance.nearest_nodes(g, X=ax, Y=ay))
        with steps(f"nearest/{key}"):
            dist = nx.multi_source_dijkstra_path_length(
                g, set(nodes.tolist()), cutoff=ROUND_TRIP_REACH_M, weight="length"
            )
        node_s = np.full(n, np.inf)
        node_s[np.fromiter(dist.keys(), np.int64, len(dist))] = (
            np.fromiter(dist.values(), float, len(dist)) * SECONDS_PER_M
        )
        pairs, areas = [], []
        with steps(f"circles/{key}"):
            for i, node in enumerate(nodes):
                sub = nx.ego_graph(g, node, radius=ROUND_TRIP_REACH_M, distance="length")
                pts = [(data["x"], data["y"]) for _, data in sub.nodes(data=True)]
                hull = shapely.MultiPoint(pts).convex_hull
                areas.append(hull.area)
                pairs.append(i * n + np.fromiter(sub.nodes, np.int64))
        out["cases"][key] = {
            "node_s": node_s,
            "pairs": np.unique(np.concatenate(pairs)) if pairs else np.zeros(0, np.int64),
            "convex_area": np.asarray(areas),
            "snapped_nodes": nodes,
        }
    return out


# --------------------------------------------------------------------------- row 2


def r2_aedplan(steps: Steps, *, net_file: str, sources: np.ndarray) -> dict[str, Any]:
    """aedplan: per-source reach of every candidate; the coverage matrix nodes x sites."""
    import aedplan
    from aedplan.coverage import coverage_matrix
    from aedplan.network import network_from_arrays
    from aedplan.reach import source_node_reach
    from aedplan.timemodel import TimeModel

    d = _load(net_file)
    net = network_from_arrays(d["x"], d["y"], d["u"], d["v"], crs=d["crs"])
    xy = np.column_stack([d["x"][sources], d["y"][sources]])
    with steps("snap_sites"):
        sites = aedplan.snap(net, xy, argument="sites")
    demand = aedplan.snap(net, np.column_stack([d["x"], d["y"]]), argument="demand")
    model = TimeModel()
    with steps("reach"):
        s, node, metres = source_node_reach(net, sites, model)
    with steps("matrix"):
        A = coverage_matrix(net, demand, sites)
    return {
        "s": s,
        "node": node,
        "m": metres,
        "A_indptr": A.indptr,
        "A_indices": A.indices,
        "n": net.n_nodes,
    }


def r2_scipy(
    steps: Steps, *, net_file: str, sources: np.ndarray, chunk: int = 250
) -> dict[str, Any]:
    """scipy: ``csgraph.dijkstra(G, indices=chunk, limit=reach_m)``, finite entries kept."""
    from scipy import sparse
    from scipy.sparse import csgraph

    d = _load(net_file)
    n = d["x"].shape[0]
    g = sparse.csr_matrix((d["csr_data"], d["csr_indices"], d["csr_indptr"]), shape=(n, n))
    ss, nn, mm = [], [], []
    with steps("reach", chunk=chunk):
        for lo in range(0, sources.shape[0], chunk):
            idx = sources[lo : lo + chunk]
            dist = csgraph.dijkstra(g, indices=idx, limit=ROUND_TRIP_REACH_M)
            r, c = np.nonzero(np.isfinite(dist))
            ss.append(r + lo)
            nn.append(c)
            mm.append(dist[r, c])
    return {"s": np.concatenate(ss), "node": np.concatenate(nn), "m": np.concatenate(mm)}


# --------------------------------------------------------------------------- rows 3-5


def _instance(path: str):
    from scipy import sparse

    d = _load(path)
    A = sparse.csr_matrix((d["data"], d["indices"], d["indptr"]), shape=d["shape"])
    return A, d["w"]


def mclp_aedplan(
    steps: Steps, *, inst: str, budgets: list[int], time_limit_s: float, greedy: bool = False
) -> dict[str, Any]:
    from aedplan.optimise import greedy_mclp, solve_mclp

    A, w = _instance(inst)
    out: dict[str, Any] = {}
    for p in budgets:
        with steps(f"exact/{p}"):
            plan = solve_mclp(A, w, p, time_limit_s=time_limit_s)
        out[f"exact/{p}"] = _plan_dict(plan)
        if greedy:
            with steps(f"greedy/{p}"):
                g = greedy_mclp(A, w, p)
            out[f"greedy/{p}"] = _plan_dict(g)
    return out


def _plan_dict(plan: Any) -> dict[str, Any]:
    return {
        "sites": np.asarray(plan.sites),
        "objective": float(plan.objective),
        "bound": float(plan.bound),
        "gap": float(plan.gap),
        "status": plan.status,
        "covered_weight": float(plan.covered_weight),
        "solve_s": dict(plan.solve_s),
        "model_size": {k: list(v) for k, v in plan.model_size.items()},
    }


def mclp_spopt(steps: Steps, *, inst: str, p: int) -> dict[str, Any]:
    """PySAL spopt MCLP from a dense cost matrix (0 covered, 2 not; radius 1), CBC."""
    import pulp
    from spopt.locate import MCLP

    A, w = _instance(inst)
    cost = np.where(A.toarray(), 0.0, 2.0)
    with steps("build"):
        model = MCLP.from_cost_matrix(cost, w, service_radius=1.0, p_facilities=p)
    with steps("solve"):
        model = model.solve(pulp.PULP_CBC_CMD(msg=False))
    chosen = np.array(
        [j for j, v in enumerate(model.fac_vars) if (v.value() or 0) > 0.5], dtype=np.int64
    )
    return {
        "sites": chosen,
        "objective": float(pulp.value(model.problem.objective)),
        "status": pulp.LpStatus[model.problem.status],
    }


def mclp_milp(steps: Steps, *, inst: str, p: int, time_limit_s: float) -> dict[str, Any]:
    """scipy.optimize.milp (HiGHS) on the direct sparse model, no reductions: binary x per
    site, y in [0, 1] per demand point, y_i <= sum_j a_ij x_j, sum x = p; max w . y."""
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp

    A, w = _instance(inst)
    n, m = A.shape
    with steps("build"):
        cover = sparse.hstack([-A.astype(float), sparse.eye(n)], format="csr")
        count = sparse.csr_matrix(np.r_[np.ones(m), np.zeros(n)][None, :])
        cons = [LinearConstraint(cover, -np.inf, 0.0), LinearConstraint(count, p, p)]
        c = np.r_[np.zeros(m), -w]
        integrality = np.r_[np.ones(m), np.zeros(n)]
    with steps("solve"):
        res = milp(
            c,
            constraints=cons,
            integrality=integrality,
            bounds=Bounds(0.0, 1.0),
            options={"time_limit": time_limit_s, "mip_rel_gap": 0.0},
        )
    out = {
        "status": int(res.status),
        "message": str(res.message),
        "objective": None,
        "bound": None,
        "gap": getattr(res, "mip_gap", None),
    }
    if res.x is not None:
        x = res.x[:m] > 0.5
        sites = np.flatnonzero(x)
        hit = np.asarray(A[:, sites].sum(axis=1)).ravel() > 0
        out.update(sites=sites, objective=float(w[hit].sum()), milp_objective=-float(res.fun))
    bound = getattr(res, "mip_dual_bound", None)
    if bound is not None and np.isfinite(bound):
        out["bound"] = -float(bound)
    return out


def minsites_aedplan(steps: Steps, *, inst: str, time_limit_s: float) -> dict[str, Any]:
    from aedplan.optimise import greedy_mclp, solve_min_sites

    A, w = _instance(inst)
    reach = np.diff(A.indptr) > 0
    target = float(w[reach].sum() / w.sum())
    with steps("exact"):
        plan = solve_min_sites(A, w, target, time_limit_s=time_limit_s)
    with steps("greedy"):
        g = greedy_mclp(A, w, A.shape[1])
    hit = np.asarray(A[:, np.asarray(plan.sites)].sum(axis=1)).ravel() > 0
    return {
        "exact": _plan_dict(plan),
        "greedy_sites": int(g.n_sites),
        "greedy_covered": float(g.covered_weight),
        "target": target,
        "exact_covers_all": bool(np.all(hit[reach])),
        "reachable": float(w[reach].sum()),
    }


def minsites_milp(steps: Steps, *, inst: str, time_limit_s: float) -> dict[str, Any]:
    """scipy milp set covering: min sum x s.t. every coverable demand row covered once."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    A, _ = _instance(inst)
    m = A.shape[1]
    with steps("build"):
        rows = np.diff(A.indptr) > 0
        cover = A[rows].astype(float)
        cons = [LinearConstraint(cover, 1.0, np.inf)]
    with steps("solve"):
        res = milp(
            np.ones(m),
            constraints=cons,
            integrality=np.ones(m),
            bounds=Bounds(0.0, 1.0),
            options={"time_limit": time_limit_s, "mip_rel_gap": 0.0},
        )
    out = {"status": int(res.status), "message": str(res.message), "count": None, "bound": None}
    if res.x is not None:
        sites = np.flatnonzero(res.x > 0.5)
        hit = np.asarray(A[:, sites].sum(axis=1)).ravel() > 0
        out.update(count=int(sites.size), covers_all=bool(np.all(hit[rows])))
    bound = getattr(res, "mip_dual_bound", None)
    if bound is not None and np.isfinite(bound):
        out["bound"] = float(bound)
    return out


# --------------------------------------------------------------------------- row 6


#: what an ``aedplan plan`` run imports inside its functions (kept out of its modules'
#: import so that ``import aedplan`` stays quick)
_AEDPLAN_USES = ("folium", "branca", "jinja2", "matplotlib.pyplot", "rasterio.features",
                 "pyogrio", "osmium", "opening_hours", "holidays", "tzfpy", "tomli_w",
                 "pyarrow", "PIL.Image")


def e2e_aedplan(steps: Steps, *, pbf: str, out_dir: str, budget: int) -> dict[str, Any]:
    """aedplan: the whole ``aedplan plan`` run, PBF in, files out. Like the peer, it
    imports the libraries it calls before the clock starts: aedplan's modules and the
    ones they import where they are used (the time is kept as ``import``)."""
    with steps("import"):
        import importlib
        import pkgutil

        import aedplan
        from aedplan.pipeline import run
        from aedplan.scenario import Scenario

        for module in pkgutil.walk_packages(aedplan.__path__, "aedplan."):
            if not module.name.endswith("__main__"):  # (runs the command line)
                importlib.import_module(module.name)
        for name in _AEDPLAN_USES:
            importlib.import_module(name)
    scenario = Scenario().replace({"area.osm": pbf, "goal.budget": budget,
                                   "output.out": out_dir, "output.overwrite": True})
    with steps("total"):
        result = run(scenario)
    r = result.report
    return {
        "stages": dict(r["timings_s"]),
        "nodes": r["network"]["nodes"],
        "aeds": r["existing"]["aeds"],
        "demand_points": r["demand"]["points"],
        "candidates": r["plan"]["candidates"],
        "coverage_before": r["existing"]["coverage"],
        "coverage_after": r["plan"]["coverage"],
        "status": r["plan"]["status"],
        "html_mb": os.path.getsize(Path(out_dir) / "map.html") / 1e6,
    }


_WALK_EXCLUDE = {
    "area": "yes",
    "access": "private",
    "highway": "abandoned|bus_guideway|construction|cycleway|motor|no|planned|platform|"
    "proposed|raceway|razed|rest_area|services",
    "foot": "no",
    "service": "private",
    "sidewalk": "separate",
}


def e2e_osmnx(
    steps: Steps,
    *,
    network_xml: str,
    full_xml: str,
    candidates_lonlat: np.ndarray,
    out_dir: str,
    budget: int,
) -> dict[str, Any]:
    """The pipeline an analyst assembles today: osmnx graph from OSM XML with a walk filter,
    features from XML, nearest-node snapping, a networkx cutoff distance matrix, spopt MCLP
    with CBC, ego-graph convex hulls, folium with one object per feature."""
    stages: dict[str, float] = {}
    t_all = time.perf_counter()

    def stage(name: str, t0: float) -> None:
        stages[name] = time.perf_counter() - t0

    with steps("import"):
        import folium
        import networkx as nx
        import osmnx as ox
        import pandas as pd
        import pulp
        import shapely
        from spopt.locate import MCLP
    with steps("total"):
        t = time.perf_counter()
        ox.settings.useful_tags_way = list(
            dict.fromkeys([*ox.settings.useful_tags_way, "foot", "sidewalk", "area"])
        )
        g = ox.graph_from_xml(network_xml, bidirectional=True, simplify=True)
        drop = []
        for u, v, k, data in g.edges(keys=True, data=True):
            for key, pattern in _WALK_EXCLUDE.items():
                val = data.get(key)
                vals = val if isinstance(val, list) else [val]
                if any(isinstance(x, str) and re.search(pattern, x) for x in vals):
                    drop.append((u, v, k))
                    break
        g.remove_edges_from(drop)
        g.remove_nodes_from(list(nx.isolates(g)))
        g = ox.truncate.largest_component(g, strongly=False)
        g = ox.project_graph(g)
        crs = g.graph["crs"]
        stage("network", t)

        t = time.perf_counter()
        feats = ox.features_from_xml(
            full_xml, tags={"building": True, "emergency": "defibrillator"}
        )
        feats = feats.to_crs(crs)
        is_aed = feats.get("emergency", pd.Series(index=feats.index, dtype=object)).eq(
            "defibrillator"
        )
        aeds = feats[is_aed]
        bld = feats[feats["building"].notna() & feats.geom_type.isin(["Polygon", "MultiPolygon"])]
        levels = pd.to_numeric(bld.get("building:levels"), errors="coerce")
        levels = levels.where(levels > 0, 1.0).fillna(1.0) if levels is not None else 1.0
        weights = (bld.geometry.area * levels).to_numpy(dtype=float)
        cents = bld.geometry.centroid
        aed_pts = aeds.geometry.representative_point()
        stage("features", t)

        t = time.perf_counter()
        cand = shapely.points(candidates_lonlat)
        import geopandas as gpd

        cand = gpd.GeoSeries(cand, crs=4326).to_crs(crs)
        aed_nodes = np.asarray(
            ox.distance.nearest_nodes(g, aed_pts.x.to_numpy(), aed_pts.y.to_numpy())
        )
        cand_nodes = np.asarray(ox.distance.nearest_nodes(g, cand.x.to_numpy(), cand.y.to_numpy()))
        bld_nodes = np.asarray(ox.distance.nearest_nodes(g, cents.x.to_numpy(), cents.y.to_numpy()))
        stage("snap", t)

        t = time.perf_counter()
        fac_nodes = np.r_[aed_nodes, cand_nodes]
        clients_at = pd.Series(np.arange(bld_nodes.size)).groupby(bld_nodes).apply(list)
        cost = np.full((bld_nodes.size, fac_nodes.size), 1e9)
        for j, src in enumerate(fac_nodes):
            lengths = nx.single_source_dijkstra_path_length(
                g, src, cutoff=ROUND_TRIP_REACH_M, weight="length"
            )
            for node, dist in lengths.items():
                if node in clients_at.index:
                    cost[clients_at[node], j] = dist
        stage("distance_matrix", t)

        t = time.perf_counter()
        existing = np.r_[np.ones(aed_nodes.size, bool), np.zeros(cand_nodes.size, bool)]
        mclp = MCLP.from_cost_matrix(
            cost,
            weights,
            service_radius=ROUND_TRIP_REACH_M,
            p_facilities=int(aed_nodes.size + budget),
            predefined_facilities_arr=existing,
        )
        mclp = mclp.solve(pulp.PULP_CBC_CMD(msg=False))
        chosen = np.array([j for j, v in enumerate(mclp.fac_vars) if (v.value() or 0) > 0.5])
        stage("mclp", t)
        covered = cost <= ROUND_TRIP_REACH_M
        before = float(weights[covered[:, existing].any(1)].sum() / weights.sum())
        after = float(weights[covered[:, chosen].any(1)].sum() / weights.sum())
        proposed = np.setdiff1d(chosen, np.flatnonzero(existing))

        t = time.perf_counter()
        hull_nodes = np.r_[aed_nodes, fac_nodes[proposed]]
        hulls = []
        for node in hull_nodes:
            sub = nx.ego_graph(g, node, radius=ROUND_TRIP_REACH_M, distance="length")
            pts = [shapely.Point(d["x"], d["y"]) for _, d in sub.nodes(data=True)]
            hulls.append(shapely.MultiPoint(pts).convex_hull)
        hull_ll = gpd.GeoSeries(hulls, crs=crs).to_crs(4326)
        stage("circles", t)

        t = time.perf_counter()
        aed_ll = gpd.GeoSeries(aed_pts.to_numpy(), crs=crs).to_crs(4326)
        new_ll = gpd.GeoSeries(cand.to_numpy()[proposed - aed_nodes.size], crs=crs).to_crs(4326)
        m = folium.Map(location=[aed_ll.y.mean(), aed_ll.x.mean()], zoom_start=13)
        names = aeds["name"].to_numpy() if "name" in aeds else [None] * len(aeds)
        for pt, name in zip(aed_ll, names, strict=True):
            folium.Marker([pt.y, pt.x], popup=str(name)).add_to(m)
        for rank, pt in enumerate(new_ll, 1):
            folium.Marker(
                [pt.y, pt.x], popup=f"proposed #{rank}", icon=folium.Icon(color="red")
            ).add_to(m)
        for hull in hull_ll:
            folium.GeoJson(hull.__geo_interface__).add_to(m)
        html = Path(out_dir) / "peer-map.html"
        m.save(str(html))
        stage("render", t)
    return {
        "stages": stages,
        "total_check_s": time.perf_counter() - t_all,
        "nodes": g.number_of_nodes(),
        "aeds": len(aeds),
        "demand_points": len(bld),
        "candidates": int(cand_nodes.size),
        "coverage_before": before,
        "coverage_after": after,
        "status": pulp.LpStatus[mclp.problem.status],
        "html_mb": os.path.getsize(html) / 1e6,
    }


# --------------------------------------------------------------------------- row 7


def map_render(steps: Steps, *, frames: str, side: str) -> dict[str, Any]:
    """Build the map and render its HTML (aedplan render_map, or folium per feature)."""
    from bench_render import aedplan_map, per_feature_map

    aeds, circles = _load(frames)
    fn = aedplan_map if side == "aedplan" else per_feature_map
    with steps("render"):
        html = fn(aeds, circles)
    return {
        "html_bytes": len(html.encode()),
        "markers": html.count("L.marker(") + html.count("L.circleMarker("),
        "geojson_objects": html.count("L.geoJson("),
    }


TASKS = {
    "r1_aedplan": r1_aedplan,
    "r1_networkx": r1_networkx,
    "r2_aedplan": r2_aedplan,
    "r2_scipy": r2_scipy,
    "mclp_aedplan": mclp_aedplan,
    "mclp_spopt": mclp_spopt,
    "mclp_milp": mclp_milp,
    "minsites_aedplan": minsites_aedplan,
    "minsites_milp": minsites_milp,
    "e2e_aedplan": e2e_aedplan,
    "e2e_osmnx": e2e_osmnx,
    "map_render": map_render,
}
