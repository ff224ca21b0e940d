"""A plan in one file: :class:`Scenario`.

A scenario names everything a plan depends on, in sections that follow how a planner
thinks of it::

    [area]        where: the street network and the study area
    [aeds]        today's AEDs        [demand]   who needs cover   [candidates]  where AEDs may go
    [time]        the rescue circle   [hours]    who may use an AED, and when
    [goal]        what to plan        [solver]   how hard to try   [output]      what to write

It is frozen and typed; a TOML file holds one (:meth:`Scenario.from_toml`,
:meth:`Scenario.to_toml`), and ``[[variant]]`` tables vary a few of its keys, so that a
planner compares plans in one run. A key has the same name and unit in the TOML file, in
Python (``scenario.goal.budget``) and on the command line (``--budget``): the flag of
``section.key`` is ``--key`` with dashes, except the inputs' ``source`` (``--aeds``,
``--demand``, ``--candidates``) and ``solver.method`` (``--solver``).

Relative paths in a file are read from the file's own folder, so a scenario and its data
can be handed over together.

Examples
--------
>>> from aedplan import Scenario
>>> s = Scenario.from_toml('''
... [goal]
... budget = 20
... [[variant]]
... name = "budget 40"
... goal.budget = 40
... ''')
>>> s.goal.budget, s.time.minutes, [v.name for v in s.variants]
(20, 4.0, ['budget 40'])
>>> s.variant("budget 40").goal.budget
40
>>> Scenario.from_toml(s.to_toml()) == s
True
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from . import _validate
from ._words import Words, language, language_meant
from .errors import AedplanError, AedplanWarning, Clause, InputError, Joined, Phrase
from .timemodel import TimeModel

__all__ = ["SECTIONS", "Scenario", "Variant", "flag_of", "keys_of", "scenario_fields"]

# --------------------------------------------------------------------------- fields

#: Kinds of value a key holds: how TOML values are checked and flags are typed.
_KINDS = ("str", "path", "int", "float", "bool", "bbox", "lang")


def _key(default: Any, help: str, *, kind: str = "str", choices: tuple[str, ...] = (),
         words: tuple[str, ...] = (), low: float | None = None, high: float | None = None,
         low_open: bool = False, high_open: bool = False, metavar: str | None = None,
         zh: str = "", flag: str | None = None, saved: bool = True) -> Any:
    """A scenario key: its default, its help (English and Chinese), and how it is checked.

    ``words`` are the values of a ``path`` key that are not file names (``"osm"``);
    ``saved=False`` keeps a key out of written files (a secret)."""
    assert kind in _KINDS
    return field(default=default, metadata={
        "help": help, "zh": zh, "kind": kind, "choices": choices, "words": words,
        "low": low, "high": high, "low_open": low_open, "high_open": high_open,
        "metavar": metavar, "flag": flag,
        "saved": saved,
    })


class _Section:
    """Checks and normalises a section's values when it is made."""

    def __post_init__(self) -> None:
        name = _SECTION_OF[type(self)]
        for f in fields(self):  # type: ignore[arg-type]
            value = _checked(f"{name}.{f.name}", getattr(self, f.name), f.metadata)
            object.__setattr__(self, f.name, value)


def _checked(key: str, value: Any, meta: Mapping[str, Any]) -> Any:
    """``value`` of ``key`` as its kind holds it, or an :class:`InputError` naming it."""
    if value is None:
        return None
    kind = meta["kind"]
    if kind == "lang":  # as the map spells it: zh_TW, zh-Hant are zh-TW
        try:
            return language(value)
        except InputError as exc:  # named as the scenario names it
            exc.edit(lambda text: text.replace("`lang`", f"`{key}`"))
            raise
    if kind == "bool":
        if not isinstance(value, bool):
            raise InputError("`{key}` must be true or false, got {value!r}.", key=key,
                             value=value)
        return value
    if kind in ("int", "float"):
        return _number(key, value, meta)
    if kind == "bbox":
        return _bbox(key, value)
    if isinstance(value, os.PathLike) and kind == "path":
        value = os.fspath(value)
    if not isinstance(value, str):
        raise InputError("`{key}` must be text, got {value!r}.", key=key, value=value)
    choices = meta["choices"]
    if choices:
        found = {c.lower(): c for c in choices}.get(value.lower())  # as the choice is spelt
        if found is None:
            raise InputError("`{key}` must be one of {choices}; got {value!r}.", key=key,
                             choices=Joined([repr(c) for c in choices], sep=", "), value=value)
        return found
    return value


def _number(key: str, value: Any, meta: Mapping[str, Any]) -> int | float:
    kind = meta["kind"]
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value or (
            kind == "int" and not float(value).is_integer()):  # (value != value: nan)
        raise InputError("`{key}` must be a whole number, got {value!r}." if kind == "int" else
                         "`{key}` must be a number, got {value!r}.", key=key, value=value)
    number: int | float = int(value) if kind == "int" else float(value)
    low, high = meta["low"], meta["high"]
    if low is not None and (number < low or (meta["low_open"] and number == low)):
        raise InputError("`{key}` must be > {low:g}, got {value!r}." if meta["low_open"] else
                         "`{key}` must be >= {low:g}, got {value!r}.", key=key, low=low,
                         value=value)
    if high is not None and (number > high or (meta["high_open"] and number == high)):
        raise InputError("`{key}` must be < {high:g}, got {value!r}." if meta["high_open"] else
                         "`{key}` must be <= {high:g}, got {value!r}.", key=key, high=high,
                         value=value)
    return number


def _bbox(key: str, value: Any) -> tuple[float, float, float, float]:
    parts = value.replace(" ", "").split(",") if isinstance(value, str) else value
    try:
        box = tuple(float(v) for v in parts)
    except (TypeError, ValueError):
        box = ()
    if len(box) != 4:
        raise InputError("`{key}` must be four numbers W, S, E, N in degrees (e.g. "
                         "[9.49, 47.12, 9.55, 47.18]), got {value!r}.", key=key, value=value)
    return box  # type: ignore[return-value]


# Reading options shared by the three inputs read from files. Each input keeps its own,
# so that the AED registry may be GCJ-02 while the demand file is WGS84.
def _reading() -> dict[str, Any]:
    return {
        "datum": _key(None, "Datum of lon/lat in a CSV/Excel/GeoJSON file: wgs84, gcj02 "
                      "(Amap, Tencent) or bd09 (Baidu) [default: wgs84; an Amap, Tencent or "
                      "Baidu export needs it given].", choices=("wgs84", "gcj02", "bd09"),
                      zh="文件中经纬度的坐标系：wgs84、gcj02（高德、腾讯）或 bd09（百度）。"),
        "crs": _key(None, "CRS of x/y columns in metres, e.g. EPSG:3826 [default: lon/lat "
                    "in WGS84].", metavar="CRS", zh="x/y 列（米）的坐标参考系，例如 EPSG:3826。"),
        "lon_col": _key(None, "Longitude column of a table [default: found by name: lon, "
                        "lng, longitude, x, 经度, ...].", metavar="COLUMN",
                        zh="表格的经度列（默认按列名识别）。"),
        "lat_col": _key(None, "Latitude column of a table [default: lat, latitude, y, 纬度, "
                        "...].", metavar="COLUMN", zh="表格的纬度列。"),
        "id_col": _key(None, "Column of unique ids [default: id, else the row].",
                       metavar="COLUMN", zh="唯一编号列（默认 id，否则为行号）。"),
        "name_col": _key(None, "Column of names [default: name, 名称].", metavar="COLUMN",
                         zh="名称列（默认 name、名称）。"),
        "encoding": _key(None, "Text encoding of a CSV file, e.g. gb18030 [default: UTF-8, "
                         "else detected].", metavar="NAME",
                         zh="CSV 文件的文字编码，例如 gb18030（默认 UTF-8，否则自动识别）。"),
    }


#: The reading options every input file section has, by name.
READING = tuple(_reading())


@dataclass(frozen=True)
class _Input(_Section):
    """How an input's files are read: each input keeps its own (listed after its own
    keys)."""

    datum: str | None = _reading()["datum"]
    crs: str | None = _reading()["crs"]
    lon_col: str | None = _reading()["lon_col"]
    lat_col: str | None = _reading()["lat_col"]
    id_col: str | None = _reading()["id_col"]
    name_col: str | None = _reading()["name_col"]
    encoding: str | None = _reading()["encoding"]


@dataclass(frozen=True)
class Area(_Section):
    """Where: the street network, and the study area every input is clipped to."""

    osm: str | None = _key(
        None, "The street network: an OSM file (.osm, .osm.bz2, .osm.pbf), a saved "
        ".graphml, or street lines (.gpkg, .geojson, .parquet) [default: the embedded "
        "Vaduz and Schaan extract].", kind="path", metavar="FILE",
        zh="街道网络：OSM 文件、.graphml 或街道线文件（默认：内置的瓦杜兹和沙恩数据）。")
    place: str | None = _key(None, "A place name to download through osmnx (online).",
                             zh="在线下载的地名（通过 osmnx）。")
    bbox: tuple[float, float, float, float] | None = _key(
        None, "The study area as a box W,S,E,N in degrees: the network is cut to it (or "
        "downloaded for it) and every input outside it is left out.", kind="bbox",
        metavar="W,S,E,N", zh="研究区范围（经纬度 W,S,E,N）：网络按其裁剪，范围外的输入不计。")
    polygon: str | None = _key(
        None, "The study area as polygons (GeoJSON, GeoPackage, ...): the network is cut "
        "to it and every input outside it is left out.", kind="path", metavar="FILE",
        zh="研究区多边形文件：网络按其裁剪，范围外的输入不计。")
    districts: str | None = _key(
        None, "Coverage, AEDs and people per district: polygons with a name column, or the "
        "OSM file's administrative areas (osm; osm:8 for admin_level 8).", kind="path",
        words=("osm",), metavar="FILE|osm[:LEVEL]",
        zh="按区统计：带名称列的多边形文件，或 OSM 文件中的行政区（osm 或 osm:8）。")
    keep_disconnected: bool = _key(False, "Keep street parts not connected to the main "
                                   "network.", kind="bool", zh="保留与主网络不连通的街道。")


@dataclass(frozen=True)
class Aeds(_Input):
    """Today's AEDs."""

    source: str = _key("osm", "Existing AEDs: osm (emergency=defibrillator in the OSM "
                       "source), a CSV/Excel/GeoJSON/GeoPackage/OSM file, or none.",
                       kind="path", words=("osm", "none"), metavar="FILE|osm|none",
                       flag="--aeds", zh="现有 AED：osm（OSM 中的 emergency=defibrillator）、"
                       "文件或 none。")
    public_only: bool = _key(False, "Leave out AEDs the public may not use (access other "
                             "than yes/public/permissive, or a public column saying no).",
                             kind="bool", zh="不计公众不可使用的 AED。")
    hours_col: str | None = _key(
        None, "Column of each AED's opening hours when its name is not one aedplan knows: "
        "OSM opening_hours syntax, or text as registries write it (周一至周五 8:30-17:30, "
        "24小時開放) [default: opening_hours, else a registry's day-group or hours columns].",
        metavar="COLUMN", zh="AED 开放时间列（默认 opening_hours，否则识别登记表的时段列或"
        "开放时间列）：OSM 语法或登记表的文字。")


@dataclass(frozen=True)
class Demand(_Input):
    """Who needs cover."""

    source: str = _key(
        "buildings", "Who needs cover: buildings (OSM, floor area), network (points every "
        "50 m along the streets), arrests-smoothed (past arrests smoothed "
        "into a risk at points along the streets), or a file: points with a weight "
        "column, or a population grid (raster, or polygons with a population column).",
        kind="path",
        words=("buildings", "network", "arrests-smoothed"),
        metavar="buildings|network|arrests-smoothed|FILE", flag="--demand",
        zh="需求：buildings（OSM 建筑面积）、network（沿街每 50 米一点）、arrests-smoothed"
        "（沿街平滑的既往心脏骤停）或文件（带权重的点，或人口栅格）。")
    arrests: str | None = _key(None, "Past cardiac arrests (lon/lat), for demand "
                               "arrests-smoothed.", kind="path", metavar="FILE",
                               zh="既往心脏骤停位置文件（用于 arrests-smoothed）。")
    spread: str = _key("streets", "How a population grid's people are placed: along the "
                       "streets inside each cell by length, or over its buildings by floor "
                       "area.", choices=("streets", "buildings"),
                       zh="人口栅格中人口的分布方式：按街道长度或按建筑面积。")
    weight_col: str | None = _key(None, "Column of demand weights in a points file, or of "
                                  "people in a polygon grid [default: weight, population].",
                                  metavar="COLUMN", zh="需求权重列或人口列。")


@dataclass(frozen=True)
class Candidates(_Input):
    """Where new AEDs may go."""

    source: str = _key("pois", "Candidate sites: pois (OSM places that host AEDs in "
                       "practice: stations, pharmacies, schools, ...), buildings, nodes "
                       "(street points every 50 m), or a file.", kind="path",
                       words=("pois", "buildings", "nodes"), metavar="pois|buildings|nodes|FILE",
                       flag="--candidates", zh="候选点：pois（车站、药店、学校等 OSM 地点）、"
                       "buildings、nodes（沿街每 50 米）或文件。")
    node_spacing: float = _key(
        50.0, "With nodes: at most one street-node candidate per square of this side, in "
        "metres (the node nearest its centre); 0 keeps every node, as aedplan province "
        "does.", kind="float", low=0.0, metavar="METRES",
        zh="nodes 时：每个此边长（米）的方格内至多一个街道节点候选点；0 表示保留全部节点。")
    poi_preset: str = _key("default", "Which OSM places are candidates with pois: default, "
                           "or cn-nhc-2021, the priority places of China's National Health "
                           "Commission guideline (国卫办医函〔2021〕602号).",
                           choices=("default", "cn-nhc-2021"),
                           zh="pois 的地点类别：default，或 cn-nhc-2021（国卫办医函〔2021〕602号的"
                           "重点场所）。")


@dataclass(frozen=True)
class Time(_Section):
    """The rescue circle: how far a bystander gets in the time."""

    minutes: float = _key(4.0, "Time budget of the rescue, in minutes.", kind="float",
                          zh="救援时间（分钟）。")
    mode: str = _key("round-trip", "round-trip: fetch the AED and come back; one-way: carry "
                     "it from its site to the patient.", choices=("round-trip", "one-way"),
                     zh="round-trip：取 AED 再返回；one-way：从 AED 处直接送到患者身边。")
    speed: float = _key(1.4, "Walking speed in m/s (about 2.0 for a hurried walk).",
                        kind="float", metavar="M_S",
                        zh="步行速度（米/秒，快步约 2.0）。")

    def __post_init__(self) -> None:
        super().__post_init__()
        try:
            with warnings.catch_warnings():  # an unusual model is warned by the run, once
                warnings.simplefilter("ignore", AedplanWarning)
                self.model()  # the time model's own checks: positive, and a speed that walks
        except InputError as exc:
            exc.edit(lambda text: in_keys(text).replace("`speed`", "`time.speed`"))
            raise exc from None

    def model(self) -> TimeModel:
        """The :class:`~aedplan.timemodel.TimeModel` of this section."""
        return TimeModel(self.minutes, self.mode, self.speed)


@dataclass(frozen=True)
class Hours(_Section):
    """Who may use each AED, and when."""

    week: str | None = _key(None, "Monday of the reference week the opening hours are read "
                            "over [default: a fixed week without public holidays].",
                            metavar="YYYY-MM-DD", zh="参考周的周一（默认：无公共假日的固定周）。")
    country: str | None = _key(None, "ISO code of the country whose public holidays apply "
                               "[default: the data's].", metavar="CC",
                               zh="适用公共假日的国家代码（默认：按数据所在地）。")
    unknown_hours: str = _key("open", "How an AED counts when its opening hours are missing "
                              "or unreadable.", choices=("open", "closed"),
                              zh="开放时间缺失或无法识别的 AED 按开放还是关闭计。")
    arrest_profile: str = _key("default", "When arrests happen over the week: the published "
                               "default, uniform, or a CSV of 168 numbers or of arrest "
                               "times.", kind="path", words=("default", "uniform"),
                               metavar="default|uniform|FILE",
                               zh="一周内心脏骤停发生的时间分布：default、uniform 或 CSV 文件。")
    objective: str = _key("hours", "hours: maximise the coverage a patient gets round the "
                          "clock; always: as if every AED were public and open 24/7.",
                          choices=("hours", "always"),
                          zh="hours：按全天候覆盖优化；always：假设所有 AED 全天开放。")
    new_site_hours: str = _key("24/7", "24/7: a new AED is a public cabinet open round the "
                               "clock; host: it keeps the candidate's own opening hours.",
                               choices=("24/7", "host"),
                               zh="24/7：新 AED 为全天开放的公共机柜；"
                               "host：沿用所在场所的开放时间。")


@dataclass(frozen=True)
class Goal(_Section):
    """What to plan: one of a budget, a coverage target or a density target."""

    optimise: bool = _key(True, "Plan new sites (false: today's coverage only, as "
                          "`aedplan coverage`).", kind="bool", flag="",
                          zh="是否规划新点位（false：仅计算现状覆盖）。")
    budget: int | None = _key(None, "Number of new AEDs to place [default: 10, unless a "
                              "target is given].", kind="int", low=0,
                              zh="新增 AED 数量（默认 10，除非给出目标）。")
    target_coverage: float | None = _key(
        None, "Instead of budget: the fewest new AEDs that cover this share (0-1).",
        kind="float", low=0, low_open=True, high=1, metavar="SHARE",
        zh="或：达到该覆盖率（0-1）所需的最少新增 AED。")
    target_density: float | None = _key(
        None, "Instead of budget: as many new AEDs as reach this many AEDs per 100,000 "
        "people (e.g. 50, Shanghai's 2025 target); needs a population grid as demand.",
        kind="float", low=0, low_open=True, metavar="PER_100K",
        zh="或：达到每 10 万人该数量的 AED（如上海 2025 年目标 50）；需人口栅格作为需求。")
    relocate: int = _key(0, "Also let the exact plan move up to this many of today's AEDs to "
                         "candidate sites.", kind="int", low=0, metavar="K",
                         zh="允许移动的现有 AED 数量上限。")
    movable: str = _key("all", "Which AEDs relocate may move: all, or only those the public "
                        "may not use.", choices=("all", "restricted"),
                        zh="可移动的 AED：all，或仅公众不可用的 restricted。")
    min_district_coverage: float | None = _key(
        None, "Every district's coverage must reach this share (needs area.districts); the "
        "price is reported.", kind="float", low=0, high=1, metavar="SHARE",
        zh="每个区的覆盖率下限（需要 area.districts）。")
    min_per_community: int | None = _key(
        None, "Every district must hold at least this many AEDs (needs area.districts).",
        kind="int", low=1, metavar="N", zh="每个区（社区）至少拥有的 AED 数量。")


@dataclass(frozen=True)
class Solver(_Section):
    """How hard to try."""

    method: str = _key("exact", "exact: MILP (HiGHS) with a proven gap; greedy: fast, for "
                       "very large cases.", choices=("exact", "greedy"), flag="--solver",
                       zh="exact：精确求解（HiGHS）并给出最优性差距；greedy：快速启发式。")
    time_limit: float = _key(60.0, "Seconds for the whole run, reading to writing: the "
                             "exact solver gets what the other steps leave (at least a "
                             "tenth); the gap is reported.",
                             kind="float", low=0, low_open=True, metavar="SECONDS",
                             zh="整个运行（读取到写出）的时间上限（秒）：精确求解使用其余步骤剩下的时间"
                             "（至少十分之一）；报告最优性差距。")
    gap: float = _key(100 * _validate.DEFAULT_MIP_GAP, "Stop once the plan is proven within "
                      "this many percent of the best (0: prove it optimal).", kind="float",
                      low=0, high=100 * _validate.MIP_GAP_BELOW, high_open=True,
                      metavar="PERCENT", zh="证明与最优解相差不超过该百分比即停止（0：证明最优）。")


@dataclass(frozen=True)
class Cluster(_Section):
    """Where the work runs: here, or part by part on a Dask cluster (the same plan)."""

    workers: int | None = _key(
        None, "Run the network searches part by part on a local Dask cluster of this many "
        "worker processes; the plan is the one a single process gives.", kind="int", low=1,
        metavar="N", zh="在本机启动含 N 个进程的 Dask 集群，分片计算路网搜索（结果与单机相同）。")
    scheduler: str | None = _key(
        None, "Run the parts on a running Dask cluster instead, e.g. tcp://10.0.0.5:8786.",
        metavar="ADDRESS", zh="改用已运行的 Dask 集群（调度器地址，例如 tcp://10.0.0.5:8786）。")
    memory_per_worker: str | None = _key(
        None, "Memory limit of each local worker, e.g. 6GB [default: shared evenly].",
        metavar="SIZE", zh="本机每个工作进程的内存上限，例如 6GB（默认平均分配）。")
    tile_km: float = _key(
        10.0, "Side of the square parts, in km, with workers or scheduler (each part also "
        "reads the streets within one search of it).", kind="float", low=0, low_open=True,
        metavar="KM", zh="分片（正方形）的边长，单位千米（每片另读其外一个搜索半径内的街道）。")


@dataclass(frozen=True)
class Output(_Section):
    """What to write, and how the map looks."""

    out: str | None = _key(None, "Folder for map.html, report.json, scenario.toml, "
                           "GeoPackage, GeoJSON and CSV [default on the command line: "
                           "aedplan-out; in Python: nothing written].", kind="path",
                           metavar="FOLDER", zh="输出文件夹。")
    overwrite: bool = _key(False, "Replace the results of an earlier run in out (aedplan's "
                           "own files only).", kind="bool", zh="覆盖输出文件夹中以前的结果。")
    png: bool = _key(False, "Also write map.png, a static map.", kind="bool",
                     zh="同时输出静态地图 map.png。")
    district_maps: bool = _key(
        False, "With area.districts: also write one full map per district into "
        "district_maps/ (its streets, AEDs, circles, new sites and gaps, and its own "
        "numbers), with an index.html.", kind="bool",
        zh="配合 area.districts：另为每个分区输出一幅完整地图（district_maps/，含索引页）。")
    map: str = _key("auto", "What map.html draws: full (every street, rescue circle and "
                    "gap), overview (each district, or square of cluster.tile_km, shaded by "
                    "its coverage, with the AEDs and new sites as points: a province's page) "
                    "or auto (overview above 300,000 street edges).",
                    choices=("auto", "full", "overview"),
                    zh="map.html 的内容：full（全部街道、救护圈与缺口）、overview（按分区或 "
                    "cluster.tile_km 方格着色的概览，AED 与新址为点，适合全省）或 auto"
                    "（街道超过 30 万段时为概览）。")
    tiles: str = _key("osm", "Basemap of map.html: osm, tianditu (天地图, needs a key), amap "
                      "(高德, layers shifted to its GCJ-02) or none.",
                      choices=("osm", "tianditu", "amap", "none"),
                      zh="底图：osm、tianditu（天地图，需密钥）、amap（高德）或 none。")
    tiles_key: str | None = _key(None, "Tianditu key [default: the TIANDITU_KEY environment "
                                 "variable]; it goes into map.html only, never into "
                                 "scenario.toml.", metavar="KEY", saved=False,
                                 zh="天地图密钥（只写入 map.html）。")
    show_operator: bool = _key(
        False, "Show each AED's operator in the map's popups and name an AED without a name "
        "after it (for internal maps: OSM's operator often names a contact person; a "
        "published map never shows it). The GeoPackage and CSV keep it either way.",
        kind="bool", zh="在地图弹窗中显示 AED 的运营者（仅供内部地图：OSM 的 operator "
        "常为联系人姓名，公开地图不显示）。")
    lang: str | None = _key(None, "Language of the map, charts, summary and warnings: en, zh "
                            "(简体中文), zh-TW or zh-HK (繁體中文) [default: the locale's when "
                            "it is Chinese, else the data's in China, Taiwan, Hong Kong and "
                            "Macau, else English].",
                            kind="lang", metavar="en|zh|zh-TW|zh-HK",
                            zh="语言：en、zh（简体中文）、zh-TW 或 zh-HK（繁体中文）"
                            "（默认按系统语言，否则按数据所在地）。")


#: The sections of a scenario, in order, with their types.
SECTIONS: dict[str, type] = {
    "area": Area, "aeds": Aeds, "demand": Demand, "candidates": Candidates, "time": Time,
    "hours": Hours, "goal": Goal, "solver": Solver, "cluster": Cluster, "output": Output,
}
_SECTION_OF = {cls: name for name, cls in SECTIONS.items()}

#: Section titles, for help pages and templates.
TITLES: dict[str, tuple[str, str]] = {
    "area": ("Study area and streets", "研究区与街道"),
    "aeds": ("Today's AEDs", "现有 AED"),
    "demand": ("Demand: who needs cover", "需求"),
    "candidates": ("Candidate sites", "候选点"),
    "time": ("Time model: the rescue circle", "时间模型：救护圈"),
    "hours": ("Opening hours and access", "开放时间与使用权限"),
    "goal": ("Goal", "规划目标"),
    "solver": ("Solver", "求解器"),
    "cluster": ("Where it runs: parts on a Dask cluster", "运行位置：Dask 集群分片"),
    "output": ("Output", "输出"),
}


def keys_of(cls: type) -> list[dataclasses.Field[Any]]:
    """The keys of a section in the order they are shown: its own, then the reading
    options an input section shares with the others."""
    shared = {f.name for f in fields(_Input)} if issubclass(cls, _Input) else set()
    found = fields(cls)
    return [f for f in found if f.name not in shared] + [f for f in found if f.name in shared]


def scenario_fields() -> Iterator[tuple[str, dataclasses.Field[Any]]]:
    """Every key of a scenario: ``(section, field)`` in order."""
    for name, cls in SECTIONS.items():
        for f in keys_of(cls):
            yield name, f


def flag_of(section: str, name: str) -> str:
    """The command-line flag of ``section.name`` (``""`` when it has none)."""
    f = next(f for f in fields(SECTIONS[section]) if f.name == name)
    flag = f.metadata["flag"]
    return flag if flag is not None else "--" + name.replace("_", "-")


# --------------------------------------------------------------------------- the scenario


@dataclass(frozen=True)
class Variant:
    """A named variation of a scenario: dotted keys and their values
    (``{"goal.budget": 50}``)."""

    name: str
    changes: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Scenario:
    """One plan: the study area, its inputs, the time model, hours, the goal, the solver
    and the output, each a frozen section (see the module's documentation and the
    scenario reference for every key).

    Examples
    --------
    >>> s = Scenario().replace({"goal.budget": 5, "time.minutes": 5})
    >>> s.goal.budget, s.time.model().reach_m
    (5, 210.0)
    """

    area: Area = field(default_factory=Area)
    aeds: Aeds = field(default_factory=Aeds)
    demand: Demand = field(default_factory=Demand)
    candidates: Candidates = field(default_factory=Candidates)
    time: Time = field(default_factory=Time)
    hours: Hours = field(default_factory=Hours)
    goal: Goal = field(default_factory=Goal)
    solver: Solver = field(default_factory=Solver)
    cluster: Cluster = field(default_factory=Cluster)
    output: Output = field(default_factory=Output)
    variants: tuple[Variant, ...] = ()

    def __post_init__(self) -> None:
        for name, cls in SECTIONS.items():
            value = getattr(self, name)
            if not isinstance(value, cls):
                keys = dict(list(value.items())[:2]) if isinstance(value, Mapping) else {
                    "key": "value"}
                raise InputError(
                    "`{section}` must be the scenario's {section} section, got a {kind}: "
                    "build a scenario with Scenario.from_dict({example}) or "
                    "Scenario().replace({dotted}).", section=name, kind=type(value).__name__,
                    example={name: keys}, dotted={f"{name}.{k}": v for k, v in keys.items()})

    # ------------------------------------------------------------------ building

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, base: str | Path | None = None,
                  where: Callable[[str], Any] = lambda key: "") -> Scenario:
        """A scenario from nested mappings, as a TOML file holds it. Relative paths are
        read from ``base`` (a folder); ``where(key)`` says where a key was written, for
        messages (a text, or a :class:`~aedplan.errors.Phrase`)."""
        unknown = [k for k in data if k not in SECTIONS and k != "variant"]
        output = data.get("output", {})
        with _said_in(output.get("lang") if isinstance(output, Mapping) else None):
            if unknown:
                raise _unknown(unknown[0], where, list(SECTIONS))
            sections = {}
            for name, cls_ in SECTIONS.items():
                values = data.get(name, {})
                if not isinstance(values, Mapping):
                    raise InputError("`{name}` must be a table ([{name}]){where}.", name=name,
                                     where=where(name))
                sections[name] = _section(name, cls_, values, base, where)
            variants = _variants(data.get("variant", []), base, where)
            scenario = cls(**sections, variants=variants)
            for v in variants:  # every variant is checked now, not when it runs
                scenario.variant(v.name, where=where)
        return scenario

    @classmethod
    def from_toml(cls, source: str | os.PathLike[str]) -> Scenario:
        """A scenario from a TOML file (a path) or TOML text.

        A key that is not a scenario key, or a value of the wrong kind, is an
        :class:`~aedplan.errors.InputError` naming the key and its line."""
        text, base, name = _toml_text(source)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            with _said_in(_lang_written(text)):  # said as the file asks, though unread
                raise InputError("{name} is not valid TOML: {detail}.{hint}", name=name,
                                 detail=str(exc), hint=_toml_hint(text, exc)) from None
        locate = _Locator(text, name)
        return cls.from_dict(data, base=base, where=locate)

    def to_dict(self) -> dict[str, Any]:
        """The scenario as nested plain values (keys at their defaults included, unset
        keys and secrets left out), as :meth:`to_toml` writes it."""
        out: dict[str, Any] = {}
        for name in SECTIONS:
            section = getattr(self, name)
            out[name] = {f.name: _plain(getattr(section, f.name)) for f in keys_of(type(section))
                         if getattr(section, f.name) is not None and f.metadata["saved"]}
        if self.variants:
            out["variant"] = [{"name": v.name, **_nested(v.changes)} for v in self.variants]
        return out

    def to_toml(self) -> str:
        """The scenario as TOML text, which :meth:`from_toml` reads back equal: its
        sections, then each variant as a ``[[variant]]`` table of dotted keys, as a
        planner writes them."""
        import tomli_w

        data = self.to_dict()
        data.pop("variant", None)
        tables = ["[[variant]]\n" + "".join(
            f"{key} = {tomli_w.dumps({'v': _plain(value)})[4:]}"  # "v = ...\n": the value
            for key, value in {"name": v.name, **dict(v.changes)}.items())
            for v in self.variants]
        return "\n".join([tomli_w.dumps(data), *tables])

    def resolved_toml(self) -> str:
        """The scenario as a run writes it into ``output.out``, with a heading saying how
        to run it again (which gives the same ``report.json``, timings aside)."""
        return ("# The scenario of this run, every key resolved. Run it again with:\n"
                "#   aedplan plan scenario.toml --overwrite\n" + self.to_toml())

    def absolute(self, base: str | Path | None = None) -> Scenario:
        """A copy whose relative paths are read from ``base`` (default: the current
        folder), so that the scenario runs the same from anywhere."""
        folder = Path.cwd() if base is None else Path(base)
        changes = {}
        for section, f in scenario_fields():
            value = getattr(getattr(self, section), f.name)
            if f.metadata["kind"] == "path" and isinstance(value, str):
                changes[f"{section}.{f.name}"] = _resolved(value, f.metadata["words"], folder)
        return self.replace(changes)

    def replace(self, changes: Mapping[str, Any]) -> Scenario:
        """A copy with ``changes``: dotted keys and their values
        (``{"goal.budget": 50, "time.minutes": 5}``)."""
        grouped: dict[str, dict[str, Any]] = {}
        if not isinstance(changes, Mapping):
            raise InputError("`changes` must be a dict of dotted keys and values, e.g. "
                             "{example}, got a {kind}.", example={"goal.budget": 50},
                             kind=type(changes).__name__)
        with _said_in(changes.get("output.lang", self.output.lang)):
            for key, value in changes.items():
                section, _, name = str(key).partition(".")
                if section in SECTIONS and not name and isinstance(value, Mapping):
                    raise InputError(
                        "`{section}` is a section: replace its keys with dotted names, e.g. "
                        "{example}, or build the scenario with Scenario.from_dict.",
                        section=section, example={f"{section}.{k}": v for k, v in
                                                  list(value.items())[:2]})
                if section not in SECTIONS or name not in _names(section):
                    raise _unknown(str(key), lambda k: "", _all_keys())
                grouped.setdefault(section, {})[name] = value
            return dataclasses.replace(self, **{
                section: dataclasses.replace(getattr(self, section), **values)
                for section, values in grouped.items()})

    # ------------------------------------------------------------------ variants

    def variant(self, name: str, *,
                where: Callable[[str], Any] = lambda key: "") -> Scenario:
        """The scenario of variant ``name``: this one with its changes, without variants."""
        found = next((v for v in self.variants if v.name == name), None)
        if found is None and not self.variants:
            raise InputError("no variant {name!r} in the scenario (variants: none).",
                             name=name)
        if found is None:
            raise InputError("no variant {name!r} in the scenario (variants: {names}).",
                             name=name,
                             names=Joined([repr(v.name) for v in self.variants], sep=", "))
        try:
            return dataclasses.replace(self, variants=()).replace(dict(found.changes))
        except InputError as exc:
            raise InputError("variant {name!r}: {error}{where}.", name=name,
                             error=Clause(exc), where=where(f"variant.{name}")) from None

    def runs(self) -> list[tuple[str | None, Scenario]]:
        """What a run of this scenario plans: itself alone, or each variant by name."""
        if not self.variants:
            return [(None, self)]
        return [(v.name, self.variant(v.name)) for v in self.variants]


# --------------------------------------------------------------------------- reading


@contextmanager
def _said_in(lang: Any) -> Iterator[None]:
    """Errors found in the block said in ``lang`` (a scenario's ``output.lang``, as given:
    its errors read in the language it asks for); as they are when it is not one."""
    try:
        yield
    except AedplanError as exc:
        if exc.lookup is None and isinstance(lang, str):
            exc.speak(Words(language_meant(lang)))
        raise


def _names(section: str) -> list[str]:
    return [f.name for f in fields(SECTIONS[section])]


#: Full-width punctuation a Chinese input method types, and the ASCII TOML needs.
_HALF_WIDTH = {"＝": "=", "［": "[", "］": "]", "【": "[", "】": "]", "“": '"', "”": '"',
               "＂": '"', "‘": "'", "’": "'", "，": ",", "＃": "#", "｛": "{", "｝": "}"}


#: Chinese characters (the CJK Unified Ideographs block and its extension A).
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def _lang_written(text: str) -> str | None:
    """The ``lang`` a scenario's text gives, read from the text itself (for its errors,
    when TOML cannot read it)."""
    found = re.search(r"^\s*lang\s*[=＝]\s*[\"“”'‘’]([A-Za-z_-]+)", text, re.MULTILINE)
    return None if found is None else found.group(1)


def _toml_hint(text: str, exc: Exception) -> Phrase | str:
    """A hint when the line TOML stopped at holds full-width punctuation (an input method
    left in full-width mode): which, and the ASCII to type instead; or a table or key
    named in Chinese outside quotes."""
    at = re.search(r"line (\d+)", str(exc))
    lines = text.splitlines()
    if at is None or not 0 < int(at.group(1)) <= len(lines):
        return ""
    line = lines[int(at.group(1)) - 1]
    found = list(dict.fromkeys(c for c in line if c in _HALF_WIDTH))
    if not found:
        bare = re.split(r"[=＝#]", line, maxsplit=1)[0]  # the key or [table] part
        if _CJK.search(bare) and not re.search(r"[\"']", bare):
            return Phrase(" Line {line} names a table or key in Chinese: TOML's names are the "
                          "English ones (`[goal]`, `budget`); Chinese goes in quoted values "
                          "and # comments.", {"line": at.group(1)})
        return ""
    said = Joined([Phrase("{typed} for {ascii}", {"typed": c, "ascii": _HALF_WIDTH[c]})
                   for c in found], sep=", ")
    return Phrase(" Line {line} holds full-width punctuation ({said}): TOML needs the ASCII "
                  "ones; switch the input method to half-width (半角) and type them again.",
                  {"line": at.group(1), "said": said})


def _all_keys() -> list[str]:
    return [f"{s}.{f.name}" for s, f in scenario_fields()]


#: Words a planner may write for a key (``folder`` for ``out``): the key they mean.
_SAID_FOR = {"folder": "out", "dir": "out", "directory": "out", "output": "out",
             "output_dir": "out", "language": "lang", "file": "source", "path": "source"}


def _unknown(key: str, where: Callable[[str], Any], known: list[str],
             variant: str | None = None) -> InputError:
    """The error of a key that is not a scenario key (in ``variant``, if given), with the
    key it is closest to."""
    import difflib

    section, _, name = key.rpartition(".")
    meant = f"{section}.{_SAID_FOR.get(name, name)}" if section else name
    close = [meant] if meant in known else difflib.get_close_matches(key, known, n=1)
    hint = Phrase(" Did you mean `{close}`?", {"close": close[0]}) if close else ""
    if variant is not None:
        return InputError("variant {variant!r}: unknown key `{key}`{where}.{hint} See "
                          "`aedplan init` for every key.", variant=variant, key=key,
                          where=where(key), hint=hint)
    return InputError("unknown key `{key}`{where}.{hint} See `aedplan init` for every key.",
                      key=key, where=where(key), hint=hint)


def _section(name: str, cls: type, values: Mapping[str, Any], base: str | Path | None,
             where: Callable[[str], Any]) -> Any:
    known = {f.name: f for f in fields(cls)}
    for key in values:
        if key not in known:
            raise _unknown(f"{name}.{key}", where, [f"{name}.{k}" for k in known])
    kwargs = {}
    for key, value in values.items():
        meta = known[key].metadata
        if meta["kind"] == "path" and isinstance(value, str) and base is not None:
            value = _resolved(value, meta["words"], base)
        kwargs[key] = value
    try:
        return cls(**kwargs)
    except InputError as exc:
        key = re.search(r"`([a-z_]+\.[a-z_]+)`", str(exc))
        raise InputError("{error}{where}.", error=Clause(exc),
                         where=where(key.group(1)) if key else "") from None


def _resolved(value: str, words: tuple[str, ...], base: str | Path) -> str:
    """A relative path read from the scenario file's folder; words stay words."""
    if value.lower() in words or value.split(":")[0].lower() in words:
        return value
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else (Path(base) / path))


def _variants(tables: Any, base: str | Path | None, where: Callable[[str], Any]
              ) -> tuple[Variant, ...]:
    if not isinstance(tables, list):
        raise InputError("variants are written as [[variant]] tables{where}.",
                         where=where("variant"))
    out, seen = [], set()
    for i, table in enumerate(tables, start=1):
        name = table.get("name")
        if not isinstance(name, str) or not name.strip():
            raise InputError("[[variant]] number {i} needs a `name`{where}.", i=i,
                             where=where("variant"))
        if name in seen:
            raise InputError("two variants are called {name!r}; give each its own name.",
                             name=name)
        seen.add(name)
        changes = []
        for key, value in _flat({k: v for k, v in table.items() if k != "name"}):
            section, _, key_name = key.partition(".")
            if section not in SECTIONS or key_name not in _names(section):
                raise _unknown(key, where, _all_keys(), variant=name)
            meta = next(f for f in fields(SECTIONS[section]) if f.name == key_name).metadata
            if meta["kind"] == "path" and isinstance(value, str) and base is not None:
                value = _resolved(value, meta["words"], base)
            changes.append((key, value))
        out.append(Variant(name, tuple(changes)))
    return tuple(out)


def _flat(nested: Mapping[str, Any], prefix: str = "") -> tuple[tuple[str, Any], ...]:
    out: list[tuple[str, Any]] = []
    for key, value in nested.items():
        if isinstance(value, Mapping):
            out.extend(_flat(value, f"{prefix}{key}."))
        else:
            out.append((f"{prefix}{key}", value))
    return tuple(out)


def _nested(changes: tuple[tuple[str, Any], ...]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for key, value in changes:
        section, _, name = key.partition(".")
        out.setdefault(section, {})[name] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _toml_text(source: str | os.PathLike[str]) -> tuple[str, Path | None, str | Phrase]:
    """The text of a TOML file or string, the folder relative paths start from, and what
    messages call it."""
    if isinstance(source, os.PathLike) or (isinstance(source, str) and "\n" not in source
                                           and "=" not in source):
        path = Path(source)
        if not path.is_file():
            raise InputError("scenario file not found: {path}. Write one with "
                             "`aedplan init > scenario.toml`.", path=path)
        try:
            return path.read_text(encoding="utf-8"), path.resolve().parent, path.name
        except UnicodeDecodeError:
            guess = path.read_bytes().decode("gb18030", errors="replace")  # Notepad's own
            with _said_in(_lang_written(guess) or ("zh" if _CJK.search(guess) else None)):
                raise InputError("{name} is not UTF-8 text; save it as UTF-8.",
                                 name=path.name) from None
    return str(source), None, Phrase("the scenario")


class _Locator:
    """Where a key is written in a TOML text: ``" (scenario.toml, line 7)"``, as a
    :class:`~aedplan.errors.Phrase` said in the message's language."""

    def __init__(self, text: str, name: str | Phrase) -> None:
        self.name = name
        self.lines: dict[str, int] = {}
        table, variant = "", None
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.split("#", 1)[0].strip()
            header = re.fullmatch(r"\[\[?\s*([A-Za-z0-9_.]+)\s*\]\]?", stripped)
            if header:
                table, variant = header.group(1), None
                self.lines.setdefault(table, number)
                continue
            key = re.match(r"([A-Za-z0-9_.\"]+)\s*=", stripped)
            if not key:
                continue
            dotted = key.group(1).replace('"', "")
            if table == "variant" and dotted == "name":
                variant = re.sub(r"^name\s*=\s*[\"']?|[\"']\s*$", "", stripped)
                self.lines.setdefault(f"variant.{variant}", number)
            full = f"{table}.{dotted}" if table and table != "variant" else dotted
            self.lines.setdefault(full, number)

    def __call__(self, key: str) -> Phrase:
        line = self.lines.get(key) or self.lines.get(key.split(".")[0])
        if line:
            return Phrase(" ({name}, line {line})", {"name": self.name, "line": line})
        return Phrase(" ({name})", {"name": self.name})


# --------------------------------------------------------------------------- words

#: The names the stages give their arguments in messages, as scenario keys.
_KEY_OF = {"aeds": "aeds.source", "demand": "demand.source", "candidates": "candidates.source",
           "speed_m_s": "time.speed", "mip_rel_gap": "solver.gap",
           "time_limit_s": "solver.time_limit", "solver": "solver.method",
           "largest_component": "area.keep_disconnected", "population_col": "demand.weight_col",
           "clip": "area.bbox", "poi_preset": "candidates.poi_preset"}

#: Arguments whose scenario key means the opposite: their values are negated.
_NEGATED = {"largest_component"}


def in_keys(message: str) -> str:
    """A message of the stages with the arguments it names (```budget```,
    ```speed_m_s=5```) written as scenario keys (```goal.budget```, ```time.speed=5```);
    names that are not one key (a reading option every input has) stay as they are."""
    owners: dict[str, list[str]] = {}
    for section, f in scenario_fields():
        owners.setdefault(f.name, []).append(f"{section}.{f.name}")
    keys = {name: found[0] for name, found in owners.items() if len(found) == 1}
    keys.update(_KEY_OF)

    def key(m: re.Match[str]) -> str:
        name, value = m.group(1), m.group(2) or ""
        if name not in keys:
            return m.group(0)
        if name in _NEGATED and value in ("=True", "=False"):
            value = "=false" if value == "=True" else "=true"
        return f"`{keys[name]}{value}`"

    return re.sub(r"`([a-z_]+)(=[^`]*)?`", key, message)
