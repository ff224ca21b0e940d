"""Where a plan's data come from: the study area, the street network, and every input
read from its source and clipped to the area, with counts.

A source is an OSM file, an online place or box (through osmnx), a file of the user's,
or a word (``"osm"``, ``"buildings"``, ``"nodes"``...). :func:`read_input` is the one
dispatch from a scenario section to a frame. The study area is the ``bbox``, ``polygon``
or ``districts`` given, else the streets' extent (the convex hull of the network's
streets); every point input is split into the points outside the area, those inside but
farther than the snap limit from every street, and those used (:func:`within_area`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import _files, _geo, _osm
from ._caller import warn
from ._notes import as_argument
from .errors import AedplanWarning, InputError, Joined, Phrase
from .network import WalkNetwork

__all__ = ["Source", "StudyArea", "check_datum", "check_osm_words", "load_source", "osm_word",
           "read_input", "study_area", "within_area"]

#: The words each input takes besides a file.
WORDS = {
    "aeds": ("osm", "none"),
    "demand": ("buildings", "network", "arrests-smoothed"),
    "candidates": ("pois", "buildings", "nodes"),
}
_DATUM_WORDS = {"gcj02": "GCJ-02 (Amap, Tencent)", "bd09": "BD-09 (Baidu)"}


@dataclass(frozen=True)
class Source:
    """The street network and where it came from."""

    net: WalkNetwork
    osm_file: Path | None
    online: bool
    default_run: bool
    place: str | None
    clip: Any  # the bbox or polygon the network was cut to (EPSG:4326), or None


@dataclass(frozen=True)
class StudyArea:
    """The area a plan is about, in EPSG:4326: where its inputs are counted."""

    source: str  # "bbox", "polygon", "districts" or "streets"
    shape: Any  # a shapely (Multi)Polygon
    km2: float

    def contains(self, frame: Any) -> np.ndarray:
        """Which rows of ``frame`` lie inside (or on the edge of) the area."""
        import shapely

        if len(frame) == 0:
            return np.zeros(0, dtype=bool)
        pts = _geo.point_array(frame)
        shapely.prepare(self.shape)
        return np.asarray(shapely.intersects(self.shape, pts), dtype=bool)

    def block(self) -> dict[str, Any]:
        """The ``area`` block of ``report.json`` (inputs are added by the run)."""
        return {"source": self.source, "km2": round(self.km2, 4)}


# --------------------------------------------------------------------------- network


def check_sources(area: Any, inputs: dict[str, Any]) -> None:
    """Files are checked before any slow step: one network source, files that exist."""
    given = [k for k in ("osm", "place") if getattr(area, k) is not None]
    if len(given) > 1:
        raise InputError("give one network source: `osm` (a file) or `place`, not both.")
    if area.bbox is not None and area.polygon is not None:
        raise InputError("give one study area: `bbox` or `polygon`, not both.")
    if area.osm is not None:
        _files.check_file(area.osm, "osm")
    if area.polygon is not None:
        _files.check_file(area.polygon, "polygon")
    check_osm_words(area.osm, [osm_word(name, value) for name, value in inputs.items()])
    for option, value in inputs.items():
        if value is None or str(value).lower() in WORDS[option]:
            continue
        if not Path(value).exists():
            raise InputError("`{option}`: file not found: {value}. Give a file, or one of "
                             "{words}.", option=option, value=value,
                             words=Joined(WORDS[option], sep=", "))
        _files.check_file(value, option)  # a folder, an empty file


#: What the words of an input read from an OpenStreetMap file, and what else to give.
_OSM_WORDS = {("aeds", "osm"): (Phrase("AEDs"),
                                Phrase("`aeds` a file of AEDs, or `aeds='none'`")),
              ("demand", "buildings"): (Phrase("buildings"),
                                        Phrase("`demand='network'` or a file")),
              ("candidates", "pois"): (Phrase("places"), Phrase("`candidates='nodes'` or a file")),
              ("candidates", "buildings"): (Phrase("buildings"),
                                            Phrase("`candidates='nodes'` or a file"))}


def osm_word(name: str, value: Any) -> tuple[Phrase, str, Phrase] | None:
    """What input ``name`` given ``value`` reads from an OpenStreetMap file (``"AEDs"``),
    the words given (```aeds='osm'```) and what to give instead; ``None`` for a value
    that reads no OpenStreetMap file."""
    word = str(value).lower()
    found = _OSM_WORDS.get((name, word))
    return None if found is None else (found[0], f"`{name}='{word}'`", found[1])


def check_osm_words(osm: Any, asked: list[tuple[Phrase, Any, Phrase] | None]) -> None:
    """Refuse, before any slow step, a network ``osm`` that is no OpenStreetMap file
    (GraphML, street lines) when inputs ask for what only one holds (``asked``: as
    :func:`osm_word` gives them); the one message names them all."""
    wanted = [a for a in asked if a is not None]
    kind = {"graphml": Phrase("a GraphML street network"),
            "vector": Phrase("a file of street lines")}.get(
        "" if osm is None else str(_files.kind_of(str(osm))))
    if kind is None or not wanted:  # an OSM file, or one the network's reader refuses
        return
    things: list[Phrase] = []
    for thing, _, _ in wanted:  # each once (phrases are not hashable)
        if thing not in things:
            things.append(thing)
    raise InputError(
        "`osm`: {name} is {kind}, without the {things} that {words} reads from an "
        "OpenStreetMap file: {fixes}." if len(wanted) == 1 else
        "`osm`: {name} is {kind}, without the {things} that {words} read from an "
        "OpenStreetMap file: {fixes}.",
        name=Path(str(osm)).name, kind=kind, things=listed(things),
        words=listed([words for _, words, _ in wanted], code=True),
        fixes=Joined([Phrase("give {fix}", {"fix": fix}) for _, _, fix in wanted]))


def listed(items: list[Any], *, code: bool = False) -> Any:
    """Words (or ``code``, spelt as written) listed as "a, b and c" in the language they
    are said in."""
    if len(items) == 1:
        return items[0]
    if code:  # in Chinese, code is set apart by commas only
        return Phrase("{a} and {b}", {"a": Joined(items[:-1], sep=", "), "b": items[-1]})
    return Phrase("{first} and {last}", {"first": Joined(items[:-1], sep=", "),
                                         "last": items[-1]})


def check_hours_col(aeds: Any) -> None:
    """``hours_col`` names a column of a file of AEDs, not of OSM data."""
    value = "none" if aeds.source is None else str(aeds.source)
    if aeds.hours_col is not None and (value.lower() in WORDS["aeds"]
                                       or _files.is_osm_file(value)):
        raise InputError("`hours_col` names a column of a table or vector file of AEDs; "
                         "`aeds` is {value!r}, whose hours are its `opening_hours` tags. "
                         "Drop `hours_col`.", value=value)


def load_source(area: Any, say: Callable[[str], None], *, inputs: Any = None,
                tags: Any = None) -> Source:
    """The street network of a scenario's ``area`` section. Given the scenario
    (``inputs``) and its POI ``tags``, what its inputs read from OpenStreetMap files is
    said beforehand (:func:`osm_reads`), so that each file is read in one pass."""
    from .datasets import within_default
    from .network import load_network

    clip = _clip_shape(area)
    keep_all = not area.keep_disconnected
    # a box without a file: the embedded default cut to it when it lies there, else online
    online = area.place is not None or (area.bbox is not None and area.osm is None
                                        and not within_default(area.bbox))
    if area.osm is not None:
        osm_file = Path(area.osm) if _files.is_osm_file(area.osm) else None
    elif online:
        osm_file = None
    else:
        from .datasets import default_osm_path

        osm_file = default_osm_path()
    if inputs is not None:
        _osm.expect(osm_reads(inputs, osm_file, tags))
    # the area the streets are cut to is the `polygon` when one is given (else the `bbox`)
    with as_argument("polygon" if area.polygon is not None else "clip", of="clip"):
        if area.osm is not None:
            net = load_network(str(area.osm), clip=clip, largest_component=keep_all)
        elif online:
            net = load_network(area.place if area.place is not None else tuple(area.bbox),
                               clip=clip if area.place is not None else None,
                               largest_component=keep_all)
        else:
            say("no network source given: running on the embedded default, the real "
                "OpenStreetMap extract of Vaduz and Schaan (Liechtenstein) installed with "
                "aedplan.")
            net = load_network(None, clip=clip, largest_component=keep_all)
    return Source(net, osm_file, online, area.osm is None and not online, area.place, clip)


def osm_reads(inputs: Any, osm_file: Path | None, tags: Any) -> dict[Path, list[Any]]:
    """The tables a scenario (``inputs``) reads from each OpenStreetMap file, as
    :func:`read_input` will ask for them: the streets of the network's file
    (``osm_file``), and its AEDs, buildings and places when the words ask for them, or
    of the OSM files given instead. Tags that are no good read nothing here: their
    reader says so."""
    from ._buildings import osm_buildings
    from .candidates import BUILDING_TAGS, osm_pois
    from .errors import AedplanError
    from .io import OSM_AEDS
    from .network import OSM_WAYS

    reads: dict[Path, list[Any]] = {}

    def file_for(value: Any, word: str) -> Path | None:  # its word's file, or its own
        given = "none" if value is None else str(value)
        if given.lower() == word:
            return osm_file
        return Path(given) if _files.is_osm_file(given) else None

    def add(path: Any, request: Callable[[], Any]) -> None:
        if path is not None:
            with suppress(AedplanError):
                reads.setdefault(Path(path), []).append(request())

    if osm_file is not None:
        reads[osm_file] = [OSM_WAYS]
    aeds = str(inputs.aeds.source).lower()
    # with `aeds` none, the AEDs the network's file maps are counted all the same (a note
    # says how many are left out): a province run that forgot them should hear of it
    add(osm_file if aeds == "none" else file_for(inputs.aeds.source, "osm"), lambda: OSM_AEDS)
    add(file_for(inputs.demand.source, "buildings"), osm_buildings)
    if inputs.goal.optimise:
        candidates = inputs.candidates.source
        add(file_for(candidates, "pois"), lambda: osm_pois(tags))
        if str(candidates).lower() == "buildings":
            demand = str(inputs.demand.source)
            add(Path(demand) if _files.is_osm_file(demand) else osm_file,
                lambda: osm_buildings(BUILDING_TAGS))
    return reads


def _clip_shape(area: Any) -> Any:
    """The bbox or polygon the network is cut to (EPSG:4326), if any."""
    if area.bbox is not None:
        return tuple(_geo.check_bbox(area.bbox, "bbox"))
    if area.polygon is not None:
        frame = _files.read_vector(area.polygon, argument="polygon")
        shapes = frame.geometry
        if not len(shapes) or not shapes.geom_type.isin(["Polygon", "MultiPolygon"]).all():
            kinds = sorted(set(shapes.geom_type))
            raise InputError("`polygon`: {name} must hold polygons (the study area); it "
                             "holds {kinds}.", name=Path(area.polygon).name,
                             kinds=Joined(kinds, sep=", ") if kinds else Phrase("nothing"))
        from . import _validate

        _validate.has_crs(frame, "polygon", file=Path(area.polygon).name)
        return shapes.to_crs(4326).union_all()
    return None


def read_districts(area: Any, src: Source) -> Any:
    """The districts, in the network's CRS (``None`` when not asked for)."""
    if area.districts is None:
        return None
    from .districts import districts as read

    return read(area.districts, src.net.crs, osm=src.osm_file)


def study_area(src: Source, districts: Any) -> StudyArea:
    """The study area: the polygon or bbox the network was cut to, else the districts,
    else the streets' extent."""
    import geopandas as gpd
    import shapely

    if src.clip is not None:
        kind = "bbox" if _geo.is_bbox(src.clip) else "polygon"
        shape = _geo.clip_polygon(src.clip, kind)
        if kind == "bbox":  # its sides run along meridians and parallels, as a lon/lat
            shape = shapely.segmentize(shape, 1e-4)  # grid's do, wherever it is projected
    elif districts is not None:
        kind = "districts"
        shape = gpd.GeoSeries(districts.polygons, crs=src.net.crs).to_crs(4326).union_all()
    else:
        kind = "streets"  # the hull of the streets as drawn, bends included
        coords = shapely.get_coordinates(src.net.edge_geometry)
        if not len(coords):
            coords = np.column_stack([src.net.x, src.net.y])
        # a metre's margin and vertices every 50 m, so that the hull stays around the
        # streets when its straight sides are drawn in lon/lat
        # (the hull of one line through the points: no point objects made)
        spine = shapely.linestrings(coords) if len(coords) > 1 else shapely.points(coords[0])
        hull = shapely.segmentize(shapely.convex_hull(spine).buffer(1.0), 50.0)
        shape = gpd.GeoSeries([hull], crs=src.net.crs).to_crs(4326).iloc[0]
    series = gpd.GeoSeries([shape], crs=4326)
    km2 = float(series.to_crs(_geo.metric_crs(series)).area.iloc[0]) / 1e6
    return StudyArea(kind, shape, km2)


# --------------------------------------------------------------------------- inputs


def read_input(name: str, section: Any, src: Source, area: StudyArea, *, tags: Any = None,
               demand_source: Any = None) -> tuple[Any, str]:
    """The frame of input ``name`` (``"aeds"``, ``"demand"``, ``"candidates"``) from its
    scenario ``section``, and what it is (a label for the report): one dispatch from an
    OSM file, an online source, a word or a file."""
    value = "none" if section.source is None else str(section.source)
    word = value.lower()
    if word in WORDS[name]:
        return _from_word(name, word, section, src, area, tags, demand_source)
    if _files.is_osm_file(value):
        return _from_osm_file(name, Path(value), src, tags), _osm_label(name, value)
    return _from_file(name, value, section, src, area)


def _osm_label(name: str, value: str) -> str:
    return {"aeds": value, "demand": "buildings", "candidates": value}[name]


def _from_word(name: str, word: str, section: Any, src: Source, area: StudyArea, tags: Any,
               demand_source: Any) -> tuple[Any, str]:
    from .candidates import candidates_from_network
    from .demand import demand_from_network

    if (name, word) == ("aeds", "none"):
        return _empty_points(), "none"
    if (name, word) == ("demand", "network"):
        return demand_from_network(src.net), "network"
    if (name, word) == ("demand", "arrests-smoothed"):
        return _smoothed_arrests(src, area, section), "arrests-smoothed"
    if (name, word) == ("candidates", "nodes"):
        return candidates_from_network(src.net, spacing_m=section.node_spacing), "nodes"
    if (name, word) == ("candidates", "buildings"):
        source = demand_source if _files.is_osm_file(str(demand_source)) else src.osm_file
        if source is None:
            raise InputError("`candidates='buildings'` needs an OSM file of buildings.")
        from .candidates import candidates_from_buildings

        return candidates_from_buildings(source, clip=src.clip), "buildings"
    # the OSM words: aeds "osm", demand "buildings", candidates "pois"
    if src.osm_file is not None:
        label = {"aeds": f"OpenStreetMap emergency=defibrillator in {src.osm_file.name}",
                 "demand": "buildings", "candidates": "pois"}[name]
        return _from_osm_file(name, src.osm_file, src, tags), label
    if src.online:
        label = {"aeds": "OpenStreetMap emergency=defibrillator (online)",
                 "demand": "buildings", "candidates": "pois"}[name]
        return _online(name, src, tags), label
    raise InputError("`{name}='{word}'` needs an OSM file or an online source (`osm` or "
                     "`place`); pass `{name}` a file of your own.", name=name, word=word)


def mapped_aeds(src: Source) -> int:
    """How many AEDs the network's OSM file maps (0 without one): what ``aeds = "none"``
    leaves out."""
    from .io import OSM_AEDS

    if src.osm_file is None or src.default_run:
        return 0
    return len(_osm.read(src.osm_file, OSM_AEDS, argument="osm"))


def _from_osm_file(name: str, path: Path, src: Source, tags: Any) -> Any:
    from .candidates import candidates_from_pois
    from .demand import demand_from_buildings
    from .io import read_points

    if name == "aeds":
        with warnings.catch_warnings():  # having none is a finding, reported by the run
            warnings.filterwarnings("ignore", message=".*defibrillator.*",
                                    category=AedplanWarning)
            return read_points(path)
    if name == "demand":
        return demand_from_buildings(path, clip=src.clip)
    return candidates_from_pois(path, tags=tags, clip=src.clip)


def _online(name: str, src: Source, tags: Any) -> Any:
    from . import _online as online
    from .candidates import candidates_from_features, osmnx_tags
    from .demand import demand_from_buildings
    from .io import read_points

    bbox = src.clip if src.place is not None else None
    if name == "aeds":
        found = online.features({"emergency": "defibrillator"}, place=src.place, bbox=bbox,
                                thing=Phrase("AEDs"))
        return read_points(found) if len(found) else _empty_points()
    if name == "demand":
        return demand_from_buildings(online.features({"building": True}, place=src.place,
                                                     bbox=bbox, thing=Phrase("buildings")))
    return candidates_from_features(
        online.features(osmnx_tags(tags), place=src.place, bbox=bbox, thing=Phrase("places")),
        tags=tags)


def _from_file(name: str, value: str, section: Any, src: Source, area: StudyArea
               ) -> tuple[Any, str]:
    from .candidates import candidates_from_points
    from .demand import demand_from_points
    from .io import read_points

    if name == "demand" and _is_grid(value):
        return _population(value, section, src, area), "population"
    options = reading_options(section, value)
    if name == "aeds":
        frame = _hours_column(read_points(value, **options), section.hours_col, value)
    elif name == "demand":
        frame = demand_from_points(value, weight_col=section.weight_col, **options)
    else:
        frame = candidates_from_points(value, **options)
    check_datum(src.net, frame, name, datum=section.datum, crs=section.crs)
    return frame, value if name != "demand" else "points"


def _hours_column(frame: Any, column: str | None, value: str) -> Any:
    """The AEDs with the column ``hours_col`` names as their ``opening_hours`` (read as
    OSM syntax or as text, :mod:`aedplan.registry_hours`)."""
    if column is None:
        return frame
    found = [c for c in frame.columns if str(c).strip().lower() == column.strip().lower()]
    columns = Joined([repr(c) for c in frame.columns if c != "geometry"], sep=", ")
    if not found:
        raise InputError("`hours_col`: {name} has no column {column!r}; its "
                         "columns are {columns}.", name=Path(value).name, column=column,
                         columns=columns)
    if found[0] != "opening_hours" and "opening_hours" in frame.columns:
        raise InputError("`hours_col`: {name} has an `opening_hours` column "
                         "besides {column!r}; drop `hours_col` to read opening_hours, or "
                         "rename one of the two.", name=Path(value).name, column=found[0])
    return frame.rename(columns={found[0]: "opening_hours"})


def _population(value: str, section: Any, src: Source, area: StudyArea) -> Any:
    """A population grid cut by the study area, each cell's people spread over the streets
    inside it by length (or over its buildings by floor area)."""
    from .demand import demand_from_buildings, demand_from_grid

    buildings = None
    if section.spread == "buildings":
        if src.osm_file is None:
            raise InputError("`spread='buildings'` spreads a grid's people over the OSM "
                             "buildings: it needs an OSM file as `osm`; or spread them "
                             "along the streets.")
        buildings = demand_from_buildings(src.osm_file, clip=src.clip)
    # the grid's messages name `net` and `area`: here the streets and the study area
    with as_argument("osm", of="net"), as_argument("bbox", of="area"):
        return demand_from_grid(value, population_col=section.weight_col, net=src.net,
                                area=area.shape, spread=section.spread, buildings=buildings)


def reading_options(section: Any, path: Any) -> dict[str, Any]:
    """Keywords of the point readers for ``path`` from an input's section: coordinate
    columns and encoding only for tables."""
    out: dict[str, Any] = {"datum": section.datum, "crs": section.crs,
                           "id_col": section.id_col, "name_col": section.name_col}
    if _files.kind_of(path) == "table":
        out.update(lon_col=section.lon_col, lat_col=section.lat_col,
                   encoding=section.encoding)
    return out


def _is_grid(path: str) -> bool:
    """Whether a demand file is a population grid: a raster, or polygons (cells)."""
    kind = _files.kind_of(path)
    if kind == "raster":
        return True
    if kind != "vector":
        return False
    shapes = _files.read_vector(path, argument="demand").geom_type
    return bool(len(shapes)) and bool(shapes.isin(["Polygon", "MultiPolygon"]).all())


def _smoothed_arrests(src: Source, area: StudyArea, section: Any) -> Any:
    """Points along the streets weighted by the kernel density of the past arrests inside
    the study area."""
    from .demand import demand_from_network
    from .io import read_points
    from .smoothing import smoothed_demand

    if section.arrests is None:
        raise InputError("`demand='arrests-smoothed'` smooths past arrests: pass `arrests`, "
                         "a file of their locations.")
    _files.check_file(section.arrests, "arrests")
    with as_argument("arrests"):
        points = read_points(str(section.arrests), **reading_options(section, section.arrests))
    points, counts = within_area("arrests", points, area, src.net)
    base = demand_from_network(src.net).to_crs(src.net.crs)
    frame, chosen = smoothed_demand(base, points, src.net.crs)
    frame = frame.to_crs(4326)
    frame.attrs.update(arrests=len(points), bandwidth_m=float(chosen.h_m), counts=counts,
                       bandwidth_sample=chosen.sample)
    return frame


def check_datum(net: WalkNetwork, points: Any, argument: str, *, datum: str | None,
                crs: Any) -> None:
    """Warn when lon/lat points read as WGS84 (no ``datum``, no ``crs`` given) sit off
    the streets by what GCJ-02 or BD-09 moves them, whatever their columns, or points
    read in the ``datum`` given sit off the streets where as written (WGS84) they would
    not (:func:`aedplan.snapping.datum_hint`)."""
    from ._datum import normalise_datum
    from .snapping import datum_hint

    declared = normalise_datum(datum or "wgs84")
    if crs is not None or len(points) == 0:
        return
    hint = datum_hint(net, points, declared=declared)
    if hint is None:
        return
    said, given, then = hint
    if declared != "wgs84":
        warn("`{argument}`: read as {declared}, the points lie {given:.0f} m from the "
             "streets (median), but {then:.0f} m as written, in WGS84 (GPS, "
             "OpenStreetMap): is `datum` right? If the coordinates are WGS84, leave "
             "`datum` out.", argument=argument, given=given, then=then,
             declared=Phrase(_DATUM_WORDS[declared]))
        return
    warn("`{argument}`: the points lie {given:.0f} m from the streets (median), but "
         "{then:.0f} m if their lon/lat are {datum}: they look copied from a Chinese web "
         "map. If so, pass `datum='{said}'`.", argument=argument, given=given, then=then,
         datum=Phrase(_DATUM_WORDS[said]), said=said)


# --------------------------------------------------------------------------- the area


def within_area(name: str, frame: Any, area: StudyArea, net: WalkNetwork, *,
                strict: bool = True, refuse_outside: bool = True
                ) -> tuple[Any, dict[str, int]]:
    """The rows of ``frame`` to use, and the counts: ``given``, ``outside_area``,
    ``off_street`` (inside, but farther than the snap limit from every street) and
    ``used``; for AEDs also ``same_place``, those within a metre of another (warned).
    Points left out are warned once. Refused: points given but none inside the
    area (``refuse_outside``: a file of the user's; an OSM file's AEDs may all lie
    elsewhere), or (``strict``) most of those inside far from every street, a sign of
    swapped lon/lat or another datum."""
    from .snapping import DEFAULT_MAX_SNAP_M, near_streets

    given = len(frame)
    inside = area.contains(frame)
    n_inside = int(inside.sum())
    if given and not n_inside and refuse_outside:
        raise InputError(
            "`{name}`: {given} point given, none inside the "
            "study area ({area}). Are lon/lat swapped, are the coordinates in "
            "another datum (GCJ-02/BD-09: pass `datum`), or do the files cover another "
            "place? A study area larger than the streets is given with `bbox` or "
            "`polygon`." if given == 1 else
            "`{name}`: {given} points given, none inside the "
            "study area ({area}). Are lon/lat swapped, are the coordinates in "
            "another datum (GCJ-02/BD-09: pass `datum`), or do the files cover another "
            "place? A study area larger than the streets is given with `bbox` or "
            "`polygon`.", name=name, given=given, area=_area_words(area))
    kept = frame.loc[inside].reset_index(drop=True)
    near = near_streets(net, kept, DEFAULT_MAX_SNAP_M)
    n_off = int((~near).sum())
    if n_inside and (n_off == n_inside or (strict and n_off > n_inside / 2)):
        raise InputError(
            "`{name}`: {n_off} of the {n_inside} points inside the study area are more "
            "than {m:g} m from any street of the network. Are lon/lat "
            "swapped, are the coordinates in another datum (GCJ-02/BD-09: pass `datum`), "
            "or is the network a different place?", name=name, n_off=n_off,
            n_inside=n_inside, m=DEFAULT_MAX_SNAP_M)
    counts = {"given": given, "outside_area": given - n_inside, "off_street": n_off,
              "used": n_inside - n_off}
    used = kept.loc[near].reset_index(drop=True)
    if name == "aeds":
        counts["same_place"] = _same_place(used)
    left = []
    if counts["outside_area"]:
        left.append(Phrase("{n:,} lie outside the study area ({area})" if counts[
            "outside_area"] != 1 else "{n:,} lies outside the study area ({area})",
                           {"n": counts["outside_area"], "area": _area_words(area)}))
    if n_off:
        left.append(Phrase("{n:,} lie more than {m:g} m from any street" if n_off != 1 else
                           "{n:,} lies more than {m:g} m from any street",
                           {"n": n_off, "m": DEFAULT_MAX_SNAP_M}))
    if left:
        warn("`{name}`: of {given:,} points, {left}; they are left out and {used:,} are "
             "used.", name=name, given=given, used=counts["used"],
             left=left[0] if len(left) == 1 else Phrase("{a} and {b}",
                                                        {"a": left[0], "b": left[1]}))
    return used, counts


def _same_place(aeds: Any) -> int:
    """How many AEDs repeat an earlier one's place (within a metre), said in a warning:
    they count once in the density."""
    from .density import SAME_PLACE_M, same_place

    again = same_place(aeds)
    n = int(again.sum())
    if n:
        ids = ", ".join(str(i) for i in aeds.loc[again, "id"].head(5)) + (
            ", ..." if n > 5 else "")
        warn(("`aeds`: {n:,} AEDs (ids {ids}) lie within {m:g} m of another listed before: "
              "the same AED listed twice? Each place counts once in the AEDs per 100,000 "
              "people; drop the copies if they are one AED.") if n != 1 else (
             "`aeds`: 1 AED (id {ids}) lies within {m:g} m of another listed before: the "
             "same AED listed twice? Each place counts once in the AEDs per 100,000 "
             "people; drop the copy if they are one AED."), n=n, ids=ids, m=SAME_PLACE_M)
    return n


#: A study area's source, in words.
_AREA_WORDS = {"bbox": "the `bbox`", "polygon": "the `polygon`", "districts": "the districts",
               "streets": "the streets' extent"}


def _area_words(area: StudyArea) -> Phrase:
    return Phrase("{where}, {km2:,.2f} km²",
                  {"where": Phrase(_AREA_WORDS[area.source]), "km2": area.km2})


def _empty_points() -> Any:
    import geopandas as gpd

    return gpd.GeoDataFrame({"id": [], "name": []}, geometry=gpd.GeoSeries([], crs=4326),
                            crs=4326)
