"""Walkable street networks, loaded once and turned into arrays.

:func:`load_network` reads an OSM file (.osm, .osm.bz2, .osm.pbf), a saved GraphML,
an osmnx/networkx graph, a GeoDataFrame of street lines, or (online, through osmnx) a
place name, bbox or polygon. It keeps walkable ways only, projects to the local UTM
zone and returns a :class:`WalkNetwork`: node ids and coordinates, undirected edges
with their exact geometries and lengths, and a CSR matrix of edge lengths. No module
after this one touches networkx.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
import shapely.affinity
from pyproj import CRS, Transformer
from scipy import sparse
from scipy.sparse import csgraph

from . import _files, _geo, _online, _osm, _results
from ._caller import warn
from ._columns import objects
from .errors import CRSError, DataError, InputError, Joined, Phrase

__all__ = ["WALK_EXCLUDE", "WalkNetwork", "check_network", "load_network", "network_from_arrays",
           "walkable"]


#: Tag rules of osmnx's ``network_type="walk"`` (osmnx 2.x ``_overpass._get_network_filter``):
#: a way needs ``highway`` and is dropped when any of these keys matches its pattern.
WALK_EXCLUDE: dict[str, str] = {
    "area": "yes",
    "access": "private",
    "highway": (
        "abandoned|bus_guideway|construction|cycleway|motor|no|planned|platform|"
        "proposed|raceway|razed|rest_area|services"
    ),
    "foot": "no",
    "service": "private",
    "sidewalk": "separate",
    "sidewalk:both": "separate",
    "sidewalk:left": "separate",
    "sidewalk:right": "separate",
}

#: What a walk network is read from in an OSM file: every way tagged highway=*, with the
#: tags that say whether it is walkable and what it is called.
OSM_WAYS = _osm.Ways("highway", keep=tuple(dict.fromkeys(("highway", "name", *WALK_EXCLUDE))))


def walkable(tags: pd.DataFrame) -> np.ndarray:
    """Boolean mask of ways that osmnx's walk network keeps, from a table of OSM tags.

    Parameters
    ----------
    tags
        One row per way, one column per tag key (missing tags as NaN/None).
    """
    if "highway" not in tags.columns:
        return np.zeros(len(tags), dtype=bool)
    keep = tags["highway"].notna().to_numpy().copy()
    for key, pattern in WALK_EXCLUDE.items():
        if key in tags.columns:
            values = tags[key].astype("string")
            hit = values.str.contains(pattern, regex=True, na=False).to_numpy(dtype=bool)
            keep &= ~hit
    return keep


@dataclass(frozen=True, eq=False)
class WalkNetwork:
    """An undirected walkable street network as arrays, in a local metric CRS.

    Attributes
    ----------
    node_ids
        OSM (or source) node ids, ``int64``, shape ``(n_nodes,)``.
    x, y
        Node coordinates in metres in :attr:`crs`.
    edge_u, edge_v
        Node indices (not ids) of each edge's ends; geometries run from ``u`` to ``v``.
    edge_length_m
        Length of each edge's geometry in metres.
    edge_geometry
        ``shapely.LineString`` array, one per edge.
    edge_way
        OSM way id each edge comes from (``-1`` when unknown).
    edge_highway
        The ``highway`` tag of each edge.
    edge_name
        The street's ``name`` tag of each edge (``None`` where the way has none).
    graph
        Symmetric CSR matrix of edge lengths (the shortest of parallel edges).
    crs
        The projected CRS of all coordinates.
    source
        A description of where the network came from.
    """

    node_ids: np.ndarray
    x: np.ndarray
    y: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_length_m: np.ndarray
    edge_geometry: np.ndarray
    edge_way: np.ndarray
    edge_highway: np.ndarray
    edge_name: np.ndarray
    graph: sparse.csr_matrix
    crs: CRS
    source: str
    dropped_nodes: int = 0
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        _results.freeze_arrays(self)

    @property
    def n_nodes(self) -> int:
        return int(self.node_ids.shape[0])

    @property
    def n_edges(self) -> int:
        return int(self.edge_u.shape[0])

    @property
    def total_length_m(self) -> float:
        return float(self.edge_length_m.sum())

    @property
    def edge_tree(self) -> shapely.STRtree:
        """Spatial index of edge geometries (built on first use)."""
        return self.derived("edge_tree", lambda net: shapely.STRtree(net.edge_geometry))

    def derived(self, name: str, build: Callable[[WalkNetwork], Any]) -> Any:
        """A structure derived from the network (a spatial index, a COO copy of the graph),
        built with ``build(self)`` on first use and kept with the network."""
        if name not in self._cache:
            self._cache[name] = build(self)
        return self._cache[name]

    def derived_names(self) -> frozenset[str]:
        """The names of the derived structures built so far."""
        return frozenset(self._cache)

    def with_edges(self, edges: np.ndarray, *, source: str | None = None) -> WalkNetwork:
        """The network of these ``edges`` (indices, sorted) and their end nodes, each
        edge as it is here (length, geometry, way, name); the nodes' ids are their
        indices here (:func:`aedplan.partition.clip_network`)."""
        edges = np.asarray(edges, dtype=np.int64)
        nodes, inverse = np.unique(np.r_[self.edge_u[edges], self.edge_v[edges]],
                                   return_inverse=True)
        return _assemble(
            node_ids=nodes, x=self.x[nodes], y=self.y[nodes],
            edge_u=inverse[: edges.size], edge_v=inverse[edges.size:],
            edge_length_m=self.edge_length_m[edges], edge_geometry=self.edge_geometry[edges],
            edge_way=self.edge_way[edges], edge_highway=self.edge_highway[edges],
            edge_name=self.edge_name[edges], crs=self.crs,
            source=source or f"part of {self.source}", clip=None, largest_component=False)

    def bounds(self) -> tuple[float, float, float, float]:
        """``(minx, miny, maxx, maxy)`` of the nodes, in :attr:`crs`."""
        return (
            float(self.x.min()),
            float(self.y.min()),
            float(self.x.max()),
            float(self.y.max()),
        )

    def nodes_gdf(self):
        """Nodes as a GeoDataFrame (index = node index, column ``osmid``)."""
        import geopandas as gpd

        return gpd.GeoDataFrame(
            {"osmid": self.node_ids},
            geometry=gpd.points_from_xy(self.x, self.y),
            crs=self.crs,
        )

    def edges_gdf(self):
        """Edges as a GeoDataFrame with ``u``, ``v`` (node indices), ``length_m``,
        ``way``, ``highway``, ``name``."""
        import geopandas as gpd

        return gpd.GeoDataFrame(
            {
                "u": self.edge_u,
                "v": self.edge_v,
                "length_m": self.edge_length_m,
                "way": self.edge_way,
                "highway": self.edge_highway,
                "name": self.edge_name,
            },
            geometry=self.edge_geometry,
            crs=self.crs,
        )

    def _repr_html_(self) -> str:
        return _results.html_table(
            "Walk network",
            {
                "nodes": f"{self.n_nodes:,}",
                "edges": f"{self.n_edges:,}",
                "length": f"{self.total_length_m / 1000:,.1f} km",
                "CRS": self.crs.to_string(),
                "source": self.source,
                "dropped (small parts)": f"{self.dropped_nodes:,} nodes",
            },
        )

    def __repr__(self) -> str:
        return (
            f"WalkNetwork({self.n_nodes:,} nodes, {self.n_edges:,} edges, "
            f"{self.total_length_m / 1000:,.1f} km, crs={self.crs.to_string()}, "
            f"source={self.source!r})"
        )


# --------------------------------------------------------------------------- loading


def load_network(
    source: Any = None,
    *,
    clip: Any = None,
    largest_component: bool = True,
    crs: Any = None,
) -> WalkNetwork:
    """Load a walkable street network.

    Parameters
    ----------
    source
        ``None`` for the embedded default (the Vaduz and Schaan extract installed
        with aedplan, :func:`aedplan.datasets.default_osm_path`); a path to an OSM file
        (``.osm``, ``.osm.bz2``, ``.osm.gz``, ``.osm.pbf``) or a ``.graphml``; a
        networkx/osmnx graph; a GeoDataFrame of street lines; or, online through
        osmnx, a place name (``str``), a bbox ``(west, south, east, north)`` in degrees,
        or a shapely polygon in EPSG:4326.
    clip
        Keep only the part of the network inside this bbox ``(west, south, east,
        north)`` or shapely polygon (both EPSG:4326).
    largest_component
        Keep the largest connected component only (a warning says how many nodes
        were dropped). Walking is undirected, so this is the weakly = strongly
        connected component.
    crs
        Projected CRS to compute in; by default the local UTM zone.

    Returns
    -------
    WalkNetwork

    Examples
    --------
    >>> import aedplan
    >>> from aedplan.datasets import default_osm_path
    >>> osm = default_osm_path()  # Vaduz and Schaan, installed with aedplan
    >>> net = aedplan.load_network(osm)
    >>> net.crs.to_epsg(), net.n_edges > 3000
    (32632, True)
    """
    clip_polygon = _geo.clip_polygon(clip) if clip is not None else None
    if source is None:
        from .datasets import DEFAULT_LABEL, default_osm_path

        path = default_osm_path()
        return _from_osm_file(
            path,
            clip=clip_polygon,
            largest_component=largest_component,
            crs=crs,
            label=f"embedded default, {DEFAULT_LABEL}",
        )
    if isinstance(source, (str, Path)):
        return _from_text(
            str(source), clip=clip_polygon, largest_component=largest_component, crs=crs
        )
    if _is_graph(source):
        return _from_graph(
            source, clip=clip_polygon, largest_component=largest_component, crs=crs,
            label="networkx graph",
        )
    if _is_geodataframe(source):
        return _from_lines(
            source, clip=clip_polygon, largest_component=largest_component, crs=crs,
            label="GeoDataFrame",
        )
    if isinstance(source, (shapely.Polygon, shapely.MultiPolygon)) or _geo.is_bbox(source):
        return _from_online_area(
            source, clip=clip_polygon, largest_component=largest_component, crs=crs
        )
    raise InputError(
        "`source`: cannot load a network from {got}. Pass an OSM file "
        "path, a .graphml path, a networkx graph, a GeoDataFrame of street lines, a place "
        "name, a bbox (west, south, east, north) or a shapely polygon.",
        got=type(source).__name__,
    )


def _from_text(text: str, *, clip: Any, largest_component: bool, crs: Any) -> WalkNetwork:
    """A network from a file path (by its kind) or, online, a place name."""
    kind = _files.kind_of(text)
    options = {"clip": clip, "largest_component": largest_component, "crs": crs}
    if kind in ("osm", "graphml", "vector"):
        path, _ = _files.require_kind(text, "source", ("osm", "graphml", "vector"))
        if kind == "osm":
            return _from_osm_file(path, **options)
        if kind == "graphml":
            import osmnx as ox

            return _from_graph(ox.load_graphml(path), label=text, **options)
        return _from_lines(_files.read_vector(path, argument="source"), label=text, **options)
    looks_like_path = "/" in text or "\\" in text or bool(re.search(r"\.[A-Za-z0-9]{1,8}$", text))
    if looks_like_path and not Path(text).exists():
        raise InputError(
            "`source`: file not found: {path}. Check the path (a place name to "
            "download has no file suffix, e.g. 'Vaduz, Liechtenstein').",
            path=text,
        )
    if Path(text).exists():
        raise InputError(
            "`source`: cannot read {name}: expected one of: {kinds} of street lines.",
            name=Path(text).name, kinds=_files.describe("osm", "graphml", "vector"),
        )
    return _from_place(text, **options)


def network_from_arrays(
    x: Any,
    y: Any,
    edge_u: Any,
    edge_v: Any,
    *,
    crs: Any,
    node_ids: Any = None,
    edge_geometry: Any = None,
    largest_component: bool = True,
    source: str = "arrays",
) -> WalkNetwork:
    """Build a :class:`WalkNetwork` from plain arrays (an analyst's own network).

    Parameters
    ----------
    x, y
        Node coordinates in metres in ``crs`` (a projected CRS).
    edge_u, edge_v
        Node indices of each undirected edge.
    crs
        The projected CRS of ``x``/``y``.
    node_ids
        Ids to report for the nodes (default ``0..n-1``).
    edge_geometry
        LineStrings from ``u`` to ``v``; straight lines by default.

    Examples
    --------
    >>> import aedplan
    >>> net = aedplan.network_from_arrays([0, 100, 200], [0, 0, 0], [0, 1], [1, 2],
    ...                                   crs="EPSG:32632")
    >>> net.n_nodes, net.n_edges, net.total_length_m
    (3, 2, 200.0)
    """
    if crs is None:
        raise CRSError("`crs`: give the CRS of `x` and `y`, projected in metres (e.g. "
                       "'EPSG:32632', a UTM zone).")
    crs_out = _geo.crs_from(crs)
    if not crs_out.is_projected:
        raise InputError(
            "`crs`: expected a projected CRS in metres, got {crs}.", crs=crs_out.to_string()
        )
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    u = np.asarray(edge_u, dtype=np.int64)
    v = np.asarray(edge_v, dtype=np.int64)
    n = x.shape[0]
    problems: list[Phrase] = []
    if y.shape != x.shape:
        problems.append(Phrase("`x` and `y` differ in length ({nx} and {ny})",
                               {"nx": x.shape[0], "ny": y.shape[0]}))
    if u.shape != v.shape:
        problems.append(Phrase("`edge_u` and `edge_v` differ in length ({nu}, {nv})",
                               {"nu": u.shape[0], "nv": v.shape[0]}))
    elif u.size and (min(u.min(), v.min()) < 0 or max(u.max(), v.max()) >= n):
        problems.append(Phrase("edge ends must be node indices in [0, {last}]",
                               {"last": n - 1}))
    if problems:
        raise InputError("{problems}.", problems=Joined(problems))
    if edge_geometry is None:
        coords = np.stack([np.column_stack([x[u], y[u]]), np.column_stack([x[v], y[v]])], 1)
        edge_geometry = shapely.linestrings(coords)
    geoms = np.asarray(edge_geometry)
    return _assemble(
        node_ids=np.arange(n, dtype=np.int64) if node_ids is None else np.asarray(node_ids),
        x=x,
        y=y,
        edge_u=u,
        edge_v=v,
        edge_length_m=shapely.length(geoms),
        edge_geometry=geoms,
        edge_way=np.full(u.shape[0], -1, dtype=np.int64),
        edge_highway=np.full(u.shape[0], None, dtype=object),
        edge_name=np.full(u.shape[0], None, dtype=object),
        crs=crs_out,
        source=source,
        clip=None,
        largest_component=largest_component,
    )


def check_network(net: Any, name: str = "net") -> WalkNetwork:
    """``net`` when it is a street network; a path or anything else is told how to make
    one."""
    if not isinstance(net, WalkNetwork):
        raise InputError("`{name}` must be a street network, got a {kind}: make one with "
                         "aedplan.load_network(path) (an OSM file, a place, street lines).",
                         name=name, kind=type(net).__name__)
    return net


def _is_graph(obj: Any) -> bool:
    return hasattr(obj, "nodes") and hasattr(obj, "edges") and hasattr(obj, "is_directed")


def _is_geodataframe(obj: Any) -> bool:
    return hasattr(obj, "geometry") and hasattr(obj, "crs") and hasattr(obj, "columns")


# --------------------------------------------------------------------------- OSM files


def _from_osm_file(
    path: Path,
    *,
    clip: shapely.Geometry | None,
    largest_component: bool,
    crs: Any,
    label: str | None = None,
) -> WalkNetwork:
    ways = _osm.read(path, OSM_WAYS, argument="source")
    keep = walkable(ways.tags)
    if not keep.any():
        raise DataError(
            "`source`: {name} has no walkable ways (ways tagged highway=* that osmnx's "
            "walk network keeps). Is it the right extract?",
            name=path.name,
        )
    lengths = np.diff(ways.offsets)
    way_index = np.repeat(np.arange(len(lengths)), lengths)
    # a way runs on as one piece until a node missing from a cut extract splits it
    valid = ~np.isnan(ways.lon)
    piece_start = np.ones(way_index.shape[0], dtype=bool)
    piece_start[1:] = (way_index[1:] != way_index[:-1]) | ~valid[:-1]
    piece_all = np.cumsum(piece_start)
    node_mask = keep[way_index] & valid
    way_of = way_index[node_mask]
    piece = piece_all[node_mask]
    refs = ways.node_ids[node_mask]
    lon = ways.lon[node_mask]
    lat = ways.lat[node_mask]
    # drop a node repeated right after itself in a way (zero-length segment)
    same = np.zeros(refs.shape[0], dtype=bool)
    same[1:] = (refs[1:] == refs[:-1]) & (piece[1:] == piece[:-1])
    refs, lon, lat, way_of, piece = (a[~same] for a in (refs, lon, lat, way_of, piece))
    # a piece reduced to a single node has no segment
    first = np.ones(refs.shape[0], dtype=bool)
    first[1:] = piece[1:] != piece[:-1]
    last = np.ones(refs.shape[0], dtype=bool)
    last[:-1] = piece[:-1] != piece[1:]
    single = first & last
    refs, lon, lat, way_of = (a[~single] for a in (refs, lon, lat, way_of))
    first, last = first[~single], last[~single]
    if refs.shape[0] == 0:
        raise DataError("`source`: {name} has no walkable way with two located nodes.",
                        name=path.name)

    crs_out = _geo.projected_crs(crs, lon, lat)
    to_xy = Transformer.from_crs(4326, crs_out, always_xy=True)
    px, py = to_xy.transform(lon, lat)

    # graph nodes: way ends and every node shared by two or more way positions
    unique_ids, inverse, counts = np.unique(refs, return_inverse=True, return_counts=True)
    is_graph_node = (counts[inverse] > 1) | first | last
    # split each way at its graph nodes; an interior split node is copied so it ends
    # one segment and starts the next
    interior = is_graph_node & ~first & ~last
    repeat = np.where(interior, 2, 1)
    pos = np.repeat(np.arange(refs.shape[0]), repeat)
    second_copy = np.zeros(pos.shape[0], dtype=bool)
    second_copy[1:] = pos[1:] == pos[:-1]
    starts = first[pos] | second_copy
    segment = np.cumsum(starts) - 1
    n_seg = int(segment[-1]) + 1
    seg_start = np.flatnonzero(starts)
    seg_end = np.r_[seg_start[1:] - 1, pos.shape[0] - 1]

    sx, sy = px[pos], py[pos]
    step = np.hypot(np.diff(sx), np.diff(sy))
    within = segment[1:] == segment[:-1]
    seg_len = np.bincount(segment[1:][within], weights=step[within], minlength=n_seg)
    geoms = shapely.linestrings(np.column_stack([sx, sy]), indices=segment)

    # node table: only graph nodes
    node_slot = inverse[pos]
    u_slot = node_slot[seg_start]
    v_slot = node_slot[seg_end]
    used = np.unique(np.r_[u_slot, v_slot])
    renumber = np.full(unique_ids.shape[0], -1, dtype=np.int64)
    renumber[used] = np.arange(used.shape[0])
    # coordinates of each used node, from any of its positions
    any_pos = np.empty(unique_ids.shape[0], dtype=np.int64)
    any_pos[inverse] = np.arange(refs.shape[0])
    tags = ways.tags
    highway = tags["highway"].to_numpy(dtype=object)
    names = (objects(tags["name"]) if "name" in tags.columns
             else np.full(len(tags), None, dtype=object))
    return _assemble(
        node_ids=unique_ids[used],
        x=px[any_pos[used]],
        y=py[any_pos[used]],
        edge_u=renumber[u_slot],
        edge_v=renumber[v_slot],
        edge_length_m=seg_len,
        edge_geometry=geoms,
        edge_way=ways.way_ids[way_of[pos[seg_start]]],
        edge_highway=highway[way_of[pos[seg_start]]],
        edge_name=names[way_of[pos[seg_start]]],
        crs=crs_out,
        source=label or str(path),
        clip=clip,
        largest_component=largest_component,
    )


# --------------------------------------------------------------------------- graphs, lines


def _from_graph(
    graph: Any, *, clip: Any, largest_component: bool, crs: Any, label: str
) -> WalkNetwork:
    import osmnx as ox

    if graph.number_of_edges() == 0:
        raise DataError("`source`: the graph has no edges.")
    if "crs" not in graph.graph:
        raise InputError(
            "`source`: the graph has no `crs` in G.graph; osmnx graphs carry one. Set "
            "G.graph['crs'] = 'EPSG:4326' if node x/y are lon/lat."
        )
    if graph.is_directed():
        graph = ox.convert.to_undirected(graph)
    nodes, edges = ox.convert.graph_to_gdfs(graph, nodes=True, edges=True)
    edges = edges.reset_index()
    return _from_lines(
        edges, clip=clip, largest_component=largest_component, crs=crs, label=label,
        node_ids=(nodes.index.to_numpy(), nodes.geometry),
    )


def _from_lines(
    edges: Any,
    *,
    clip: Any,
    largest_component: bool,
    crs: Any,
    label: str,
    node_ids: Any = None,
) -> WalkNetwork:
    import geopandas as gpd

    if edges.crs is None:
        raise InputError(
            "`source`: the street lines have no CRS; set one with `gdf.set_crs(...)`."
        )
    edges = edges[edges.geometry.notna() & ~edges.geometry.is_empty]
    # lines only, and of some length: a way's node repeated (a zero-length edge) has no
    # street to walk along
    edges = edges[(edges.geom_type == "LineString")
                  & (shapely.length(edges.geometry.to_numpy()) > 0)]
    if len(edges) == 0:
        raise DataError("`source`: no LineString street geometries found.")
    tag_cols = [c for c in WALK_EXCLUDE if c in edges.columns]
    if tag_cols:
        flat = edges[tag_cols].map(_flatten_tag)
        edges = edges[walkable(flat)]
    # the extent in lon/lat, from points along its box (not from every line)
    x0, y0, x1, y1 = edges.total_bounds
    t = np.linspace(0.0, 1.0, 17)
    bx = np.r_[x0 + (x1 - x0) * t, np.full(17, x1), x0 + (x1 - x0) * t, np.full(17, x0)]
    by = np.r_[np.full(17, y0), y0 + (y1 - y0) * t, np.full(17, y1), y0 + (y1 - y0) * t]
    lon, lat = Transformer.from_crs(edges.crs, 4326, always_xy=True).transform(bx, by)
    crs_out = _geo.projected_crs(crs, np.array([np.min(lon), np.max(lon)]),
                                 np.array([np.min(lat), np.max(lat)]))
    geoms = edges.geometry.to_crs(crs_out).to_numpy()
    start = shapely.get_point(geoms, 0)
    end = shapely.get_point(geoms, -1)
    if node_ids is not None and {"u", "v"} <= set(edges.columns):
        ids, node_geom = node_ids
        node_xy = gpd.GeoSeries(node_geom, crs=edges.crs).to_crs(crs_out)
        xy_of = pd.DataFrame({"x": node_xy.x.to_numpy(), "y": node_xy.y.to_numpy()}, index=ids)
        u_ids = edges["u"].to_numpy(dtype=np.int64)
        v_ids = edges["v"].to_numpy(dtype=np.int64)
    elif {"u", "v"} <= set(edges.columns):
        u_ids = edges["u"].to_numpy(dtype=np.int64)
        v_ids = edges["v"].to_numpy(dtype=np.int64)
        xy_of = None
    else:
        # no node ids: nodes are the line ends, matched at 1 mm
        ends = np.round(
            np.r_[shapely.get_coordinates(start), shapely.get_coordinates(end)], 3
        )
        _, inv = np.unique(ends, axis=0, return_inverse=True)
        u_ids, v_ids = inv[: len(geoms)].astype(np.int64), inv[len(geoms) :].astype(np.int64)
        xy_of = None
    all_ids = np.r_[u_ids, v_ids]
    uniq, inv = np.unique(all_ids, return_inverse=True)
    if xy_of is not None:
        xy = xy_of.loc[uniq]
        x, y = xy["x"].to_numpy(dtype=float), xy["y"].to_numpy(dtype=float)
    eu, ev = inv[: len(geoms)], inv[len(geoms) :]
    if xy_of is None:
        x, y = _node_xy(eu, ev, shapely.get_coordinates(start), shapely.get_coordinates(end),
                        uniq.shape[0])
    # orient each geometry from u to v
    su = shapely.get_coordinates(start)
    flip = np.hypot(su[:, 0] - x[eu], su[:, 1] - y[eu]) > np.hypot(
        su[:, 0] - x[ev], su[:, 1] - y[ev]
    )
    geoms = geoms.copy()
    geoms[flip] = shapely.reverse(geoms[flip])
    way = (
        edges["osmid"].map(_first_int).to_numpy(dtype=np.int64)
        if "osmid" in edges.columns
        else np.full(len(geoms), -1, dtype=np.int64)
    )
    highway = (
        edges["highway"].map(_flatten_tag).to_numpy(dtype=object)
        if "highway" in edges.columns
        else np.full(len(geoms), None, dtype=object)
    )
    names = (objects(edges["name"].map(_flatten_tag)) if "name" in edges.columns
             else np.full(len(geoms), None, dtype=object))
    return _assemble(
        node_ids=uniq.astype(np.int64),
        x=x,
        y=y,
        edge_u=eu,
        edge_v=ev,
        edge_length_m=shapely.length(geoms),
        edge_geometry=geoms,
        edge_way=way,
        edge_highway=highway,
        edge_name=names,
        crs=crs_out,
        source=label,
        clip=clip,
        largest_component=largest_component,
    )


def _node_xy(
    eu: np.ndarray, ev: np.ndarray, start: np.ndarray, end: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Where each node is, from the ends of the lines that meet there, when only node ids
    are given (``u``, ``v``).

    A line's geometry may run from ``v`` to ``u`` (osmnx stores one direction of an
    undirected edge), so its first point is not always ``u``. A node is the line end that
    all its lines share: the end that most of its lines have, when two or more do.
    Nodes of one line only (dead ends) take their line's other end than the node at the
    far side; a line alone keeps its first point for ``u``.
    """
    m = eu.shape[0]
    ends = np.r_[start, end]
    # line ends matched at 1 mm, as one integer each (sorting rows is far slower)
    mm = np.round((ends - ends.min(axis=0)) * 1000).astype(np.int64)
    keys, first_of, pid = np.unique(mm[:, 0] * (int(mm[:, 1].max()) + 1) + mm[:, 1],
                                    return_index=True, return_inverse=True)
    points = ends[first_of]
    p0, p1 = pid[:m], pid[m:]
    # every (node, line end) a node's lines offer, counted
    node = np.r_[eu, eu, ev, ev]
    cand = np.r_[p0, p1, p0, p1]
    pair_key, count = np.unique(node * keys.shape[0] + cand, return_counts=True)
    pairs = np.column_stack([pair_key // keys.shape[0], pair_key % keys.shape[0]])
    order = np.lexsort((-count, pairs[:, 0]))
    pairs, count = pairs[order], count[order]
    first = np.r_[True, pairs[1:, 0] != pairs[:-1, 0]]
    best = np.flatnonzero(first)
    runner = np.where(np.r_[~first[1:], False][best], count[np.minimum(best + 1, len(count) - 1)],
                      0)
    at = np.full(n, -1, dtype=np.int64)
    sure = (count[best] >= 2) & (count[best] > runner)
    at[pairs[best[sure], 0]] = pairs[best[sure], 1]
    for _ in range(n):  # dead ends from their known neighbours: a few passes at most
        u_known, v_known = at[eu] >= 0, at[ev] >= 0
        todo_u = ~u_known & v_known
        todo_v = u_known & ~v_known
        if not (todo_u.any() or todo_v.any()):
            break
        at[eu[todo_u]] = np.where(p0[todo_u] == at[ev[todo_u]], p1[todo_u], p0[todo_u])
        at[ev[todo_v]] = np.where(p0[todo_v] == at[eu[todo_v]], p1[todo_v], p0[todo_v])
    alone = at < 0  # lines on their own: u at the first point, v at the last
    first_u = np.full(n, -1, dtype=np.int64)
    first_u[eu[::-1]] = p0[::-1]
    first_v = np.full(n, -1, dtype=np.int64)
    first_v[ev[::-1]] = p1[::-1]
    at[alone] = np.where(first_u[alone] >= 0, first_u[alone], first_v[alone])
    return points[at, 0], points[at, 1]


def _flatten_tag(value: Any) -> Any:
    if isinstance(value, (list, tuple, set)):
        return ";".join(str(v) for v in value)
    return value


def _first_int(value: Any) -> int:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else -1
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


# --------------------------------------------------------------------------- online


def _from_place(
    place: str, *, clip: Any, largest_component: bool, crs: Any
) -> WalkNetwork:
    import osmnx as ox

    graph = _online.fetch(
        lambda: ox.graph_from_place(place, network_type="walk", retain_all=True),
        what=Phrase("place {place!r}", {"place": place}),
        fix=Phrase("Check the spelling (e.g. 'Longyan, Fujian, China'), or pass a bbox or an "
                   "OSM file"),
    )
    return _from_graph(
        graph, clip=clip, largest_component=largest_component, crs=crs,
        label=f"OpenStreetMap via osmnx: {place}",
    )


def _from_online_area(
    area: Any, *, clip: Any, largest_component: bool, crs: Any
) -> WalkNetwork:
    import osmnx as ox

    if _geo.is_bbox(area):
        west, south, east, north = _geo.check_bbox(area, "bbox")
        graph = _online.fetch(
            lambda: ox.graph_from_bbox(
                (west, south, east, north), network_type="walk", retain_all=True
            ),
            what=Phrase("bbox {west},{south},{east},{north}",
                        {"west": west, "south": south, "east": east, "north": north}),
            fix=Phrase("Check the bbox order (west, south, east, north), or pass an OSM file"),
        )
        label = f"OpenStreetMap via osmnx: bbox {west},{south},{east},{north}"
    else:
        graph = _online.fetch(
            lambda: ox.graph_from_polygon(area, network_type="walk", retain_all=True),
            what=Phrase("polygon"),
            fix=Phrase("Check that the polygon is in EPSG:4326 (lon/lat), or pass an OSM file"),
        )
        label = "OpenStreetMap via osmnx: polygon"
    return _from_graph(
        graph, clip=clip, largest_component=largest_component, crs=crs, label=label
    )


# --------------------------------------------------------------------------- assembly


def _outside(clip: shapely.Geometry, lon: np.ndarray, lat: np.ndarray) -> DataError:
    """Why a clip area holds no street: where it is, where the streets are, and whether
    swapping longitude and latitude would have found them."""
    w, s, e, n = (round(float(v), 5) for v in clip.bounds)
    extent = (Phrase("{w:.4f},{s:.4f},{e:.4f},{n:.4f}",
                     {"w": lon.min(), "s": lat.min(), "e": lon.max(), "n": lat.max()})
              if lon.size else Phrase("none"))
    swapped = shapely.affinity.affine_transform(clip, (0, 1, 1, 0, 0, 0))  # (x, y) -> (y, x)
    hint = (
        Phrase(" Swapped, lon and lat would fit the streets: give W,S,E,N (longitudes "
               "first), e.g. {s},{w},{n},{e}.", {"s": s, "w": w, "n": n, "e": e})
        if lon.size and shapely.contains_xy(swapped, lon, lat).any() else ""
    )
    return DataError(
        "`clip`: no street of the network lies inside the area, read as W={w} S={s} E={e} "
        "N={n}; the streets span {extent} (W,S,E,N).{hint}",
        w=w, s=s, e=e, n=n, extent=extent, hint=hint,
    )


def _assemble(
    *,
    node_ids: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    edge_u: np.ndarray,
    edge_v: np.ndarray,
    edge_length_m: np.ndarray,
    edge_geometry: np.ndarray,
    edge_way: np.ndarray,
    edge_highway: np.ndarray,
    edge_name: np.ndarray,
    crs: CRS,
    source: str,
    clip: shapely.Geometry | None,
    largest_component: bool,
) -> WalkNetwork:
    n = node_ids.shape[0]
    keep_node = np.ones(n, dtype=bool)
    if clip is not None:
        to_lonlat = Transformer.from_crs(crs, 4326, always_xy=True)
        lon, lat = to_lonlat.transform(x, y)
        keep_node &= shapely.contains_xy(clip, lon, lat)
        if not keep_node.any():
            raise _outside(clip, lon, lat)
    keep_edge = keep_node[edge_u] & keep_node[edge_v] & ~_duplicate_edges(
        edge_u, edge_v, edge_length_m, edge_geometry
    )
    if clip is not None and not keep_edge.any():  # nodes inside, but no street between two
        raise _outside(clip, lon, lat)
    graph = _csr(edge_u[keep_edge], edge_v[keep_edge], edge_length_m[keep_edge], n)
    dropped = 0
    if largest_component:
        has_edge = np.zeros(n, dtype=bool)
        has_edge[edge_u[keep_edge]] = True
        has_edge[edge_v[keep_edge]] = True
        _, labels = csgraph.connected_components(graph, directed=False)
        sizes = np.bincount(labels[has_edge])
        biggest = int(np.argmax(sizes))
        in_main = labels == biggest
        dropped = int((keep_node & has_edge & ~in_main).sum())
        keep_node &= in_main
        keep_edge &= keep_node[edge_u] & keep_node[edge_v]
    else:
        used = np.zeros(n, dtype=bool)
        used[edge_u[keep_edge]] = True
        used[edge_v[keep_edge]] = True
        keep_node &= used
    if not keep_edge.any():
        raise DataError("`source`: no walkable street edges remain after filtering.")
    renumber = np.full(n, -1, dtype=np.int64)
    renumber[keep_node] = np.arange(int(keep_node.sum()))
    eu, ev = renumber[edge_u[keep_edge]], renumber[edge_v[keep_edge]]
    lengths = np.asarray(edge_length_m[keep_edge], dtype=float)
    m = int(keep_node.sum())
    net = WalkNetwork(
        node_ids=np.asarray(node_ids[keep_node], dtype=np.int64),
        x=np.asarray(x[keep_node], dtype=float),
        y=np.asarray(y[keep_node], dtype=float),
        edge_u=eu.astype(np.int64),
        edge_v=ev.astype(np.int64),
        edge_length_m=lengths,
        edge_geometry=np.asarray(edge_geometry[keep_edge]),
        edge_way=np.asarray(edge_way[keep_edge], dtype=np.int64),
        edge_highway=np.asarray(edge_highway[keep_edge], dtype=object),
        edge_name=np.asarray(edge_name[keep_edge], dtype=object),
        graph=_csr(eu, ev, lengths, m),
        crs=crs,
        source=source,
        dropped_nodes=dropped,
    )
    if dropped:
        warn("kept the largest connected part of the street network: dropped {dropped:,} "
             "of {n:,} nodes in smaller disconnected parts (pass `largest_component=False` "
             "to keep them).", dropped=dropped, n=dropped + m)
    return net


def _duplicate_edges(
    u: np.ndarray, v: np.ndarray, length: np.ndarray, geometry: np.ndarray
) -> np.ndarray:
    """Mask of edges that repeat an earlier one (same ends, same line, either direction),
    as when two OSM ways share their nodes; one copy is enough to walk on."""
    if u.shape[0] == 0:
        return np.zeros(0, dtype=bool)
    mid = shapely.get_coordinates(shapely.line_interpolate_point(geometry, 0.5, normalized=True))
    key = np.column_stack([
        np.minimum(u, v), np.maximum(u, v), np.round(length * 1000),
        np.round(mid[:, 0] * 1000), np.round(mid[:, 1] * 1000),
    ]).astype(np.int64)
    _, first = np.unique(key, axis=0, return_index=True)
    dup = np.ones(u.shape[0], dtype=bool)
    dup[first] = False
    return dup


def _csr(u: np.ndarray, v: np.ndarray, length: np.ndarray, n: int) -> sparse.csr_matrix:
    """Symmetric CSR of edge lengths; parallel edges keep the shortest; no self-loops."""
    loop = u == v
    rows = np.r_[u[~loop], v[~loop]]
    cols = np.r_[v[~loop], u[~loop]]
    # explicit zeros would be dropped by scipy; a zero-length edge is kept as 1 nm
    w = np.maximum(np.r_[length[~loop], length[~loop]], 1e-9)
    order = np.lexsort((w, cols, rows))
    rows, cols, w = rows[order], cols[order], w[order]
    first = np.ones(rows.shape[0], dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    return sparse.csr_matrix((w[first], (rows[first], cols[first])), shape=(n, n))
