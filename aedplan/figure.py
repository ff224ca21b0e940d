"""The static map for printed reports: the web map's layers drawn with matplotlib.

Drawn with matplotlib's Agg renderer in a metric CRS (the layers' own if projected in
metres, else the local UTM zone), without basemap tiles: streets, rescue circles,
uncovered demand, existing and numbered proposed AEDs, a legend, a scale bar and the
credit "© OpenStreetMap contributors". matplotlib is imported inside the functions, so
``import aedplan`` stays light.
"""

from __future__ import annotations

import contextlib
import functools
import os
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from . import _geo
from ._atomic import write_atomic
from ._caller import warn
from ._format import share
from ._words import Words, language
from .datasets import OSM_CREDIT
from .errors import InputError
from .maplayers import COLOURS, LAYER_NAMES, MapSummary, map_layers

__all__ = ["render_curve_png", "render_png", "render_week_png"]

_SCALE_LENGTHS_M = (50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000)


def _plain(text: Any) -> str:
    """Text for matplotlib: ``$`` would start mathtext."""
    return str(text).replace("$", r"\$")


def _scale_length(width_m: float) -> float:
    target = width_m / 5.0
    return float(next((x for x in _SCALE_LENGTHS_M if x >= target), 100000))


def _legend_point(colour: str, size: float, label: str, edge: str | None = None) -> Any:
    from matplotlib.lines import Line2D

    return Line2D([], [], ls="", marker="o", ms=size, color=colour, mec=edge, label=label)


def _draw_circles(ax: Any, geo: dict[str, Any], w: Words) -> list[Any]:
    from matplotlib.patches import Patch

    handles = []
    for key, dashed in (("circles", False), ("proposed_circles", True)):
        if key in geo:
            colour = COLOURS[key]
            style: Literal["--", "-"] = "--" if dashed else "-"
            geo[key].plot(ax=ax, color=colour, alpha=0.16, linewidth=0, zorder=2)
            geo[key].boundary.plot(ax=ax, color=colour, linewidth=0.8, linestyle=style, zorder=3)
            handles.append(Patch(facecolor=colour + "29", edgecolor=colour, linestyle=style,
                                 label=w(LAYER_NAMES[key])))
    return handles


def _draw_uncovered(ax: Any, points: Any, frame: Any, w: Words) -> Any:
    weight = (
        pd.to_numeric(frame["weight"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
        if "weight" in frame.columns
        else np.ones(len(frame))
    )
    top = float(np.quantile(weight, 0.95)) or 1.0
    sizes = 1.0 + 7.0 * np.clip(weight / top, 0.0, 1.0)
    ax.scatter(points.x, points.y, s=sizes, color=COLOURS["uncovered"], alpha=0.75, lw=0,
               zorder=4)
    return _legend_point(COLOURS["uncovered"], 4, w(LAYER_NAMES["uncovered"]))


def _draw_proposed(ax: Any, points: Any, frame: Any, w: Words) -> Any:
    if "rank" in frame.columns:
        rank = pd.to_numeric(frame["rank"], errors="coerce").to_numpy()
    else:
        rank = np.arange(1, len(frame) + 1, dtype=float)
    ax.scatter(points.x, points.y, s=170, color=COLOURS["proposed"], edgecolor="white", lw=1,
               zorder=6)
    for x, y, r in zip(points.x, points.y, rank, strict=True):  # one label per proposed AED
        ax.annotate("" if not np.isfinite(r) else str(int(r)), (x, y), ha="center",
                    va="center", color="white", fontsize=6.5, zorder=7,
                    fontweight="normal" if w.chinese else "bold")
    return _legend_point(COLOURS["proposed"], 9,
                         w("{layer} ({n:,}), numbered by rank",
                           layer=w(LAYER_NAMES["proposed"]), n=len(points)),
                         edge="white")


def _draw(ax: Any, layers: dict[str, Any], geo: dict[str, Any], w: Words) -> list[Any]:
    """Every layer, bottom to top; the legend handles."""
    from matplotlib.lines import Line2D

    handles: list[Any] = []
    if "streets" in geo:
        geo["streets"].plot(ax=ax, color="#9a9a9a", linewidth=0.5, zorder=1)
        handles.append(Line2D([], [], color="#9a9a9a", lw=1.2,
                              label=w(LAYER_NAMES["streets"])))
    handles += _draw_circles(ax, geo, w)
    if "uncovered" in geo:
        handles.append(_draw_uncovered(ax, geo["uncovered"].representative_point(),
                                       layers["uncovered"], w))
    if "aeds" in geo:
        pts = geo["aeds"].representative_point()
        ax.scatter(pts.x, pts.y, s=36, color=COLOURS["aeds"], edgecolor="white", lw=0.8,
                   zorder=5)
        handles.append(_legend_point(COLOURS["aeds"], 7,
                                     w("{layer} ({n:,})", layer=w(LAYER_NAMES["aeds"]),
                                       n=len(pts)), edge="white"))
    if "proposed" in geo:
        handles.append(_draw_proposed(ax, geo["proposed"].representative_point(),
                                      layers["proposed"], w))
    return handles


def _heading(title: str, summary: MapSummary | None, w: Words) -> str:
    s = summary or MapSummary()
    facts = []
    if s.coverage_before is not None:
        facts.append(w("covered today {share}", share=share(s.coverage_before)))
    if s.coverage_after is not None:
        facts.append(w("with the plan {share}", share=share(s.coverage_after)))
    if s.model is not None:
        facts.append(w("{minutes:g}-minute rescue circle", minutes=s.model.minutes))
    return _plain(title) + ("\n" + _plain(" · ".join(facts)) if facts else "")


def _frame_the_map(ax: Any, bounds: tuple[float, float, float, float]) -> None:
    """Extent, scale bar and credit."""
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    x0, y0, x1, y1 = bounds
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")  # geopandas labels the axes of a projected CRS; a map has a scale bar
    ax.set_ylabel("")
    length = _scale_length(x1 - x0)
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:.0f} m"
    ax.add_artist(AnchoredSizeBar(ax.transData, length, label, "lower left", pad=0.6, sep=4,
                                  frameon=True, size_vertical=(y1 - y0) / 250,
                                  fontproperties={"size": 8}))
    ax.text(0.995, 0.005, OSM_CREDIT, transform=ax.transAxes, ha="right", va="bottom",
            fontsize=7, color="#333", bbox={"facecolor": "white", "alpha": 0.8, "lw": 0})


def render_png(
    content: Any,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    circles: bool = True,
    lang: str | None = None,
    dpi: int = 150,
) -> Path:
    """A static map for printed reports, written whole or not at all.

    ``content``, ``circles``, ``title`` and ``lang`` as in :func:`aedplan.render_map` (a
    run, a plan, or :class:`~aedplan.maplayers.MapLayers`); ``dpi`` sets the resolution.
    Returns ``path``.

    Examples
    --------
    >>> import aedplan, geopandas as gpd
    >>> street = aedplan.network_from_arrays([0, 100, 200, 300, 400], [0, 0, 0, 0, 0],
    ...                                      [0, 1, 2, 3], [1, 2, 3, 4], crs="EPSG:32632")
    >>> def points(xs, ys=None):  # points in the street's CRS (metres)
    ...     return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys or [0] * len(xs)),
    ...                             crs="EPSG:32632")
    >>> import tempfile, pathlib
    >>> layers = aedplan.MapLayers(streets=street.edges_gdf(), aeds=points([0]))
    >>> path = aedplan.render_png(layers, pathlib.Path(tempfile.mkdtemp()) / "map.png")
    >>> path.read_bytes()[:4]
    b'\x89PNG'
    """
    import matplotlib

    w, style = _chart_words(lang)
    with matplotlib.rc_context(style):
        return _render_png(content, path, title=w("AED rescue circles") if title is None
                           else title, circles=circles, w=w, dpi=dpi)


def _render_png(content: Any, path: str | os.PathLike[str], *, title: str, circles: bool,
                w: Words, dpi: int) -> Path:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    content = map_layers(content, circles=circles)
    layers = content.drawn()
    if not layers:
        raise InputError("`render_png` needs at least one non-empty layer to draw, got none.")
    crs = _geo.metric_crs(next(iter(layers.values())).geometry)
    geo = {key: frame.geometry.to_crs(crs) for key, frame in layers.items()}
    xmin, ymin, xmax, ymax = np.array([g.total_bounds for g in geo.values()]).T
    x0, y0, x1, y1 = xmin.min(), ymin.min(), xmax.max(), ymax.max()
    pad = 0.04 * max(x1 - x0, y1 - y0, 200.0)
    bounds = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    width_in = 10.0
    height_in = float(np.clip(width_in * (bounds[3] - bounds[1]) / (bounds[2] - bounds[0]),
                              5.0, 14.0))
    fig = Figure(figsize=(width_in, height_in + 0.6), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98 * height_in / (height_in + 0.6)))
    ax.set_facecolor("#f7f7f4")
    handles = _draw(ax, layers, geo, w)
    _frame_the_map(ax, bounds)
    ax.legend(handles=handles, loc="upper right", fontsize=8, framealpha=0.92)
    fig.text(0.01, 0.995, _heading(title, content.summary, w), ha="left", va="top",
             **{**_title(w), "fontsize": 11})
    return write_atomic(path, lambda p: fig.savefig(p, format="png", dpi=dpi))


#: Font families with Chinese glyphs, the first one installed is used for ``lang="zh"``.
_CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
              "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC",
              "Droid Sans Fallback")
#: The same for Traditional Chinese (zh-TW, zh-HK): its glyph shapes first.
_CJK_FONTS_TC = ("Noto Sans CJK TC", "Noto Sans TC", "Source Han Sans TC",
                 "Microsoft JhengHei", "PingFang TC", "Heiti TC", *_CJK_FONTS)


_CJK_FILES = ("cjk", "wqy", "sourcehan", "msyh", "simhei", "pingfang", "droidsansfallback",
               "notosanssc")


@functools.lru_cache(maxsize=2)
def _cjk_font(traditional: bool = False) -> str | None:
    """An installed font family with Chinese glyphs (Traditional ones' shapes first when
    ``traditional``), or None. Fonts installed after matplotlib built its font list are
    found by their file names and added."""
    from matplotlib import font_manager

    def known() -> str | None:
        installed = {f.name for f in font_manager.fontManager.ttflist}
        return next((name for name in (_CJK_FONTS_TC if traditional else _CJK_FONTS)
                     if name in installed), None)

    if (name := known()) is not None:
        return name
    for path in font_manager.findSystemFonts():
        if any(hint in Path(path).name.lower().replace("-", "") for hint in _CJK_FILES):
            with contextlib.suppress(Exception):  # a font matplotlib cannot read
                font_manager.fontManager.addfont(path)
    return known()


def _chart_words(lang: str | None) -> tuple[Words, Any]:
    """The chart's words and the matplotlib settings that draw them: Chinese needs a
    font with its glyphs; without one the words stay English, with a warning."""
    w = Words(language(lang))
    if not w.chinese:
        return w, {}
    font = _cjk_font(w.lang in ("zh-TW", "zh-HK"))
    if font is None:
        warn("no font with Chinese glyphs is installed, so the PNG charts keep English "
             "words; install one (Debian/Ubuntu: fonts-noto-cjk or fonts-wqy-microhei).")
        return Words("en"), {}
    return w, {"font.sans-serif": [font, "DejaVu Sans"], "font.family": "sans-serif"}


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Chart titles: bold, except in Chinese, where most fonts have one weight (a bold request
# would only be logged and ignored)
_TITLE: dict[str, dict[str, Any]] = {"en": {"fontsize": 10, "fontweight": "bold"},
                                     "zh": {"fontsize": 11}}


def _title(w: Words) -> dict[str, Any]:
    """The style of a chart's title in the language of ``w``."""
    return _TITLE["zh" if w.chinese else "en"]


def render_week_png(
    before: Any, after: Any, path: str | os.PathLike[str], *, lang: str | None = None,
    dpi: int = 120,
) -> Path:
    """Coverage through the week (168 shares, hour 0 = Monday 00:00), today and with the
    plan, as a line chart for printed reports, in ``lang`` (``"en"`` or ``"zh"``; default
    the locale's); written whole or not at all."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    w, style = _chart_words(lang)
    days = [w.script(w("周{day}", day=w(d))) if w.chinese else d  # 周一; 週一 in Traditional
            for d in _DAYS]
    with matplotlib.rc_context(style):
        fig = Figure(figsize=(9.0, 3.0), dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.07, 0.17, 0.91, 0.72))
        hours = np.arange(168) + 0.5
        ax.step(hours, 100 * np.asarray(before, dtype=float), where="mid", color="#555",
                label=w("today"), clip_on=False, zorder=3)  # a line at 0 stays in sight
        if after is not None:
            ax.step(hours, 100 * np.asarray(after, dtype=float), where="mid",
                    color=COLOURS["proposed"], label=w("with the plan"), clip_on=False,
                    zorder=3)
        ax.set_xlim(0, 168)
        ax.set_ylim(bottom=0)
        ax.set_xticks(np.arange(7) * 24 + 12, days)
        for day in range(1, 7):
            ax.axvline(day * 24, color="#ddd", lw=0.8, zorder=0)
        ax.set_ylabel(w("covered, % of demand"))
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=8,
                  frameon=False, borderaxespad=0.2)  # above the chart: it hides no hour
        fig.text(0.01, 0.97,
                 w("Coverage by hour of the week (only AEDs open to the public count)"),
                 ha="left", va="top", **_title(w))
        return write_atomic(path, lambda p: fig.savefig(p, format="png", dpi=dpi))


def render_curve_png(
    new_sites: Any, coverage: Any, path: str | os.PathLike[str], *, chosen: int | None = None,
    chosen_coverage: float | None = None, round_the_clock: bool = False,
    lang: str | None = None, dpi: int = 120,
) -> Path:
    """The coverage-vs-budget curve (coverage with 0, 1, 2, ... new AEDs; round the clock
    or with every AED counted open), the plan of ``chosen`` new AEDs marked at its own
    coverage ``chosen_coverage`` (an exact plan may cover more than the greedy curve at
    its count; without it, the curve's), as a chart for printed reports, in ``lang``;
    written whole or not at all."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    w, style = _chart_words(lang)
    n = np.asarray(new_sites, dtype=float)
    c = 100 * np.asarray(coverage, dtype=float)
    with matplotlib.rc_context(style):
        fig = Figure(figsize=(6.0, 3.4), dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.11, 0.15, 0.85, 0.72))
        ax.plot(n, c, color="#555", marker="o", ms=3, lw=1.3)
        if chosen is not None and chosen in set(n.astype(int).tolist()):
            k = int(np.flatnonzero(n.astype(int) == chosen)[0])
            at = c[k] if chosen_coverage is None else 100 * float(chosen_coverage)
            ax.plot([n[k]], [at], "o", color=COLOURS["proposed"], ms=8,
                    label=w("the plan: {n} new AEDs, {share:.1f}%", n=chosen, share=at))
            ax.legend(loc="lower right", fontsize=8, frameon=False)
        ax.set_xlabel(w("new AEDs"))
        ax.set_ylabel(w("covered, % of demand"))
        ax.set_xlim(0, max(float(n.max()), 1.0))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole AEDs
        ax.grid(color="#eee", lw=0.8)
        title = ("Coverage with each further AED (round the clock)" if round_the_clock
                 else "Coverage with each further AED (every AED counted open)")
        fig.text(0.01, 0.97, w(title),
                 ha="left", va="top", **_title(w))
        return write_atomic(path, lambda p: fig.savefig(p, format="png", dpi=dpi))


#: One colour per demand model in the validation chart (Okabe-Ito, for readers with
#: colour-blindness), and a marker each.
_MODEL_STYLE = {"arrests": ("#D55E00", "o"), "arrests-smoothed": ("#CC79A7", "s"),
                "buildings": ("#0072B2", "^"), "network": ("#009E73", "D"),
                "population": ("#E69F00", "v"), "blend": ("#56B4E9", "P")}


def render_validation_png(table: Any, path: str | os.PathLike[str], *, lang: str | None = None,
                          dpi: int = 120) -> Path:
    """Held-out arrests covered against the number of new AEDs, per demand model, with
    95% Wilson intervals; today's coverage as a line; written whole or not at all."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    w, style = _chart_words(lang)
    rows = table[table["model"] != "today"]
    today = table[table["model"] == "today"]["share"]
    budgets = sorted(rows["budget"].unique())
    models = list(dict.fromkeys(rows["model"]))
    width = 0.6 / max(len(models), 1)
    with matplotlib.rc_context(style):
        fig = Figure(figsize=(7.0, 3.8), dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.1, 0.14, 0.62, 0.72))
        for i, name in enumerate(models):
            r = rows[rows["model"] == name].set_index("budget").loc[budgets]
            x = np.arange(len(budgets)) + (i - (len(models) - 1) / 2) * width
            colour, marker = _MODEL_STYLE.get(name, ("#555", "o"))
            y = 100 * r["share"].to_numpy(dtype=float)
            err = 100 * np.vstack([y / 100 - r["wilson_low"], r["wilson_high"] - y / 100])
            ax.errorbar(x, y, yerr=err, fmt=marker, color=colour, ms=5, capsize=2, lw=1,
                        label=w(name))
        if len(today):
            ax.axhline(100 * float(today.iloc[0]), color="#888", lw=1, ls="--",
                       label=w("today"))
        ax.set_xticks(np.arange(len(budgets)), [str(b) for b in budgets])
        ax.set_xlabel(w("new AEDs"))
        ax.set_ylabel(w("held-out arrests covered, %"))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6))
        ax.grid(axis="y", color="#eee", lw=0.8)
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
        fig.text(0.01, 0.97, w("Plans scored on arrests they were not fitted on "
                               "(95% intervals)"), ha="left", va="top", **_title(w))
        return write_atomic(path, lambda p: fig.savefig(p, format="png", dpi=dpi))
