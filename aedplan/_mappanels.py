"""The web map's panels: the summary with its charts (coverage through the week, and with
each further AED) and the legend, each a box placed as a Leaflet control.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ._format import share
from ._maptext import aed_kinds, html_text
from ._words import Words
from .datasets import OSM_COPYRIGHT_URL, OSM_CREDIT
from .maplayers import (
    AED_KINDS,
    CELL_COLOURS,
    COLOURS,
    DISTRICT_COLOURS,
    KIND_CSS,
    LAYER_NAMES,
    MapSummary,
    streets_name,
)

__all__ = ["legend_entries", "legend_html", "macro", "panel", "summary_html"]

_PANEL = """
{% macro html(this, kwargs) %}
<div id="{{ this.get_name() }}" class="aedplan-box {{ this.css_class }}">{{ this.body }}</div>
{% endmacro %}
{% macro script(this, kwargs) %}
(function () {
    var box = document.getElementById({{ this.get_name()|tojson }});
    var control = L.control({position: {{ this.position|tojson }}});
    control.onAdd = function () {
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
    };
    control.addTo({{ this._parent.get_name() }});
    if (window.matchMedia && window.matchMedia("(max-width: 600px)").matches) {
        box.querySelectorAll("details").forEach(function (d) { d.open = false; });
    }
})();
{% endmacro %}
"""


def macro(name: str, template: str, **attributes: Any) -> Any:
    """A folium element drawn by ``template`` (its ``html`` and ``script`` macros), with
    ``attributes`` for the template to read as ``this.<name>``."""
    from branca.element import MacroElement
    from jinja2 import Template

    element = MacroElement()
    element._name = name
    element._template = Template(template)
    for key, value in attributes.items():
        setattr(element, key, value)
    return element


def panel(body: str, *, position: str, css_class: str) -> Any:
    """A box of HTML placed as a Leaflet control (so it stacks with the others)."""
    return macro("AedplanPanel", _PANEL, body=body, position=position, css_class=css_class)


def _big(share_text: str, colour: str, words: str) -> str:
    return (f'<p class="aedplan-share"><span class="aedplan-big" style="color:{colour}">'
            f"{html_text(share_text)}</span> {words}</p>")


def _shares_html(s: MapSummary, w: Words) -> list[str]:
    """The big numbers: covered today and with the plan; round the clock when the AEDs'
    hours are known, with the always-open figures beside them."""
    t = html_text
    clock = s.round_the_clock_before is not None
    before = s.round_the_clock_before if clock else s.coverage_before
    after = s.round_the_clock_after if clock else s.coverage_after
    parts = []
    none_today = s.n_aeds == 0  # no AEDs: no 0.0% charts, a sentence
    if none_today:
        parts.append('<p class="aedplan-share">' + w("No AEDs today.") + "</p>")
    elif before is not None:
        parts.append(_big(share(before) or "", COLOURS["aeds"],
                          w("covered today, round the clock" if clock else "covered today")))
    if after is not None:
        with_what = (
            w("with {n} proposed AEDs", n=t(s.n_proposed)) if s.n_proposed is not None
            else w("with the plan")
        )
        if s.n_moved:
            with_what = w("with {n} AED placed ({new} new, {moved} moved)"
                          if s.n_proposed == 1 else
                          "with {n} AEDs placed ({new} new, {moved} moved)",
                          n=t(s.n_proposed), new=t((s.n_proposed or 0) - s.n_moved),
                          moved=t(s.n_moved))
        gain = (" " + w("({points:+.1f} points)", points=100.0 * (after - before))
                if before is not None and not none_today else "")
        parts.append(_big(share(after) or "", COLOURS["proposed"], f"{with_what}{t(gain)}"))
    if clock and s.coverage_before is not None and none_today:
        if s.hourly_after is not None:
            parts.append(_week_chart(s.hourly_after, None, w))
    elif clock and s.coverage_before is not None:
        with_plan = (w(", {share} with the plan", share=t(share(s.coverage_after)))
                     if s.coverage_after is not None else "")
        parts.append('<p class="aedplan-note">' + w(
            "If every AED were public and open 24/7: {today} today{after}. An AED counts "
            "only in the hours it is open to the public.",
            today=t(share(s.coverage_before)), after=with_plan) + "</p>")
        parts.extend(_night_note(s, w))
        parts.append(_week_chart(s.hourly_before, s.hourly_after, w))
    parts.append(_curve_chart(s, w))
    return parts


def _night_note(s: MapSummary, w: Words) -> list[str]:
    """The night's coverage, and today's with unknown hours counted closed: what the
    round-the-clock share averages away."""
    if s.night_before is None:
        return []
    t = html_text
    after = (w(", {share} with the plan", share=t(share(s.night_after)))
             if s.night_after is not None else "")
    closed = (w("; with unknown hours counted closed, {share} today",
                share=t(share(s.unknown_closed_before)))
              if s.unknown_closed_before is not None
              and s.unknown_closed_before != s.round_the_clock_before else "")
    return ['<p class="aedplan-note">' + w("At night (22:00-06:00): {today} today{after}"
                                           "{closed}.", today=t(share(s.night_before)),
                                           after=after, closed=closed) + "</p>"]


def _week_chart(before: Any, after: Any, w: Words) -> str:
    """Coverage through the week as a small inline SVG (no script, no image file)."""
    series = [np.asarray(v, dtype=float) for v in (before, after) if v is not None]
    if not series:
        return ""
    width, height, top = 270.0, 64.0, max(max(float(v.max()) for v in series), 1e-9) * 1.1
    x = np.arange(168) * width / 167

    def line(values: np.ndarray, colour: str) -> str:
        y = height - values / top * height
        points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(x, y, strict=True))
        return f'<polyline fill="none" stroke="{colour}" stroke-width="1.3" points="{points}"/>'

    days = "".join(
        f'<line x1="{d * width / 7:.1f}" y1="0" x2="{d * width / 7:.1f}" y2="{height}" '
        f'stroke="#ddd"/><text x="{d * width / 7 + 2:.1f}" y="{height + 10}" '
        f'font-size="9" fill="#555">{w(name)}</text>'
        for d, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
    )
    lines = line(series[0], "#555") + (line(series[1], COLOURS["proposed"])
                                       if len(series) > 1 else "")
    return (
        '<p class="aedplan-note">' + w("Coverage through the week (0 to {top:.0f}%)",
                                       top=100 * top)
        + (w(": today in grey, with the plan in purple") if len(series) > 1 else "") + "</p>"
        f'<svg class="aedplan-chart" width="{width:.0f}" height="{height + 12:.0f}" '
        f'role="img" aria-label="{w("coverage through the week")}">{days}{lines}</svg>'
    )


def _curve_chart(s: MapSummary, w: Words) -> str:
    """Coverage against the number of new AEDs, with the plan's marked: a small SVG."""
    if s.curve_sites is None or s.curve_coverage is None or len(s.curve_sites) < 2:
        return ""
    n = np.asarray(s.curve_sites, dtype=float)
    c = np.asarray(s.curve_coverage, dtype=float)
    width, height, top = 270.0, 60.0, max(float(c.max()), 1e-9) * 1.1
    x, y = n / max(n.max(), 1.0) * width, height - c / top * height
    points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(x, y, strict=True))
    mark = ""
    if s.n_proposed:
        k = int(np.argmin(np.abs(n - s.n_proposed)))
        mark = (f'<circle cx="{x[k]:.1f}" cy="{y[k]:.1f}" r="3.5" '
                f'fill="{COLOURS["proposed"]}"/>')
    axis = (f'<text x="0" y="{height + 10}" font-size="9" fill="#555">0</text>'
            f'<text x="{width - 2:.0f}" y="{height + 10}" font-size="9" fill="#555" '
            f'text-anchor="end">{w("{n} new AEDs", n=int(n.max()))}</text>')
    return (
        '<p class="aedplan-note">' + w(
            "Each further AED buys less: coverage with 0 to {n} new AEDs ({counted}), up to "
            "{top}; the plan's dot in purple", n=int(n.max()), top=share(c.max()),
            counted=w("round the clock" if s.curve_round_the_clock else
                      "every AED counted open"))
        + "</p>"
        f'<svg class="aedplan-chart" width="{width:.0f}" height="{height + 12:.0f}" '
        f'role="img" aria-label="{w("coverage against the number of new AEDs")}">'
        f'<polyline fill="none" stroke="#555" stroke-width="1.3" points="{points}"/>'
        f"{mark}{axis}</svg>"
    )


def _headline(s: MapSummary) -> str:
    """Coverage today and with the plan, for the panel's one-line bar when it is closed."""
    before = s.round_the_clock_before if s.round_the_clock_before is not None else (
        s.coverage_before)
    after = s.round_the_clock_after if s.round_the_clock_after is not None else (
        s.coverage_after)
    if before is None or (s.n_aeds == 0 and after is None):
        return ""
    text = (f"→ {share(after)}" if s.n_aeds == 0 else  # no AEDs today: no 0.0%
            f"{share(before)}" + (f" → {share(after)}" if after is not None else ""))
    return f'<span class="aedplan-headline">{html_text(text)}</span>'


def _demand_words(s: MapSummary, w: Words) -> str:
    """What the demand is and how it is weighted, in the map's language."""
    kind = w(str(s.demand_kind))
    if s.demand_weight is None:
        return kind
    return w("{kind}, weighted by {weight}", kind=kind, weight=w(s.demand_weight))


def summary_html(title: str, summary: MapSummary | None, w: Words | None = None) -> str:
    """The summary panel in the language of ``w`` (default English)."""
    w = w or Words()
    s = summary or MapSummary()
    t = html_text
    parts = [f"<details open><summary>{t(title)}{_headline(s)}</summary>",
             *_shares_html(s, w)]
    if s.model is not None:
        # one sentence on what the share means, with the time model
        demand = f" ({t(_demand_words(s, w))})" if s.demand_kind is not None else ""
        trip = "round trip" if s.model.mode == "round-trip" else "one way"
        parts.append('<p class="aedplan-note">' + w(
            "Share of demand{demand} where a bystander can fetch an AED and reach the patient "
            "within {minutes:g} minutes: {trip}, walking {speed:g} m/s, {reach:.0f} m along "
            "the streets.", demand=demand, minutes=s.model.minutes, trip=t(w(trip)),
            speed=s.model.speed_m_s, reach=s.model.reach_m) + "</p>")
    facts = []
    if s.n_aeds is not None:
        facts.append(w("Existing AEDs: {n}", n=t(s.n_aeds)))
    if s.n_proposed is not None:
        facts.append(w("proposed: {n}", n=t(s.n_proposed)))
    if s.source is not None:
        facts.append(w("streets: {source}", source=t(w(s.source))))
    if s.per_100k_before is not None:
        facts.append(w("AEDs per 100,000 people: {before:.1f}", before=s.per_100k_before)
                     if s.per_100k_after is None else
                     w("AEDs per 100,000 people: {before:.1f} → {after:.1f}",
                       before=s.per_100k_before, after=s.per_100k_after))
    if facts:
        parts.append(f'<p class="aedplan-note">{" &middot; ".join(facts)}</p>')
    parts.append(
        f'<p class="aedplan-credit">{w("Map data")} {t(OSM_CREDIT)} '
        f'(<a href="{OSM_COPYRIGHT_URL}" target="_blank" rel="noopener">ODbL</a>) '
        f"&middot; {w('made with aedplan')}</p></details>"
    )
    return "".join(parts)


def legend_entries(
    layers: Mapping[str, Any], w: Words | None = None
) -> list[tuple[str, str, int | None]]:
    """``(swatch, label, count)`` for each layer drawn, points first; existing AEDs one
    entry per kind of availability when it is known; labels in the language of ``w``."""
    w = w or Words()
    order = list(LAYER_NAMES)[::-1]
    entries: list[tuple[str, str, int | None]] = []
    for key in sorted(layers, key=order.index):
        frame = layers[key]
        if key == "places":
            continue  # names on the map itself
        kinds = aed_kinds(frame) if key == "aeds" else []
        if kinds and "any" not in kinds:
            for kind, (_, _, _, label) in AED_KINDS.items():
                n = kinds.count(kind)
                if n:
                    entries.append((f"aed-{KIND_CSS[kind]}", w(label), n))
            continue
        name = streets_name(frame) if key == "streets" else LAYER_NAMES[key]
        entries.append((key, w(name), None if key == "streets" else len(frame)))
    return entries


def legend_html(entries: Sequence[tuple[str, str, int | None]]) -> str:
    swatches = {
        "streets": f'<span class="aedplan-sw" style="height:0;border-top:2px solid '
        f'{COLOURS["streets"]};vertical-align:3px"></span>',
        "circles": f'<span class="aedplan-sw" style="background:{COLOURS["circles"]}33;'
        f'border:1.5px solid {COLOURS["circles"]}"></span>',
        "circles_hours": f'<span class="aedplan-sw" style="background:'
        f'{COLOURS["circles_hours"]}22;border:1.5px dotted {COLOURS["circles_hours"]}"></span>',
        "circles_restricted": f'<span class="aedplan-sw" style="background:repeating-linear-'
        f'gradient(45deg,{COLOURS["circles_restricted"]}55 0 2px,transparent 2px 5px);'
        f'border:1.5px dashed {COLOURS["circles_restricted"]}"></span>',
        "proposed_circles": f'<span class="aedplan-sw" style="background:'
        f'{COLOURS["proposed_circles"]}33;border:1.5px dashed {COLOURS["proposed_circles"]}">'
        "</span>",
        "uncovered": '<span class="aedplan-sw" style="background:linear-gradient(90deg,'
        + ",".join(CELL_COLOURS) + ')"></span>',
        "hot_spots": f'<span class="aedplan-sw" style="border:2px dashed '
        f'{COLOURS["hot_spots"]}"></span>',
        "aeds": f'<span class="aedplan-sw aedplan-dot" style="background:{COLOURS["aeds"]};'
        'border:1.5px solid #fff;box-shadow:0 0 2px #000"></span>',
        "proposed": '<span class="aedplan-sw aedplan-dot" style="width:16px;height:16px;'
        f"margin:0 5px 0 0;background:{COLOURS['proposed']};color:#fff;font-size:9px;"
        'text-align:center;line-height:16px;font-weight:700">1</span>',
    }
    swatches["circles_24_7"] = swatches["circles"]
    swatches["districts"] = ('<span class="aedplan-sw" style="background:linear-gradient(90deg,'
                             + ",".join(DISTRICT_COLOURS) + ');border:1px solid #444"></span>')
    swatches["moves"] = (f'<span class="aedplan-sw" style="height:0;border-top:2.5px solid '
                         f'{COLOURS["moves"]};vertical-align:3px"></span>')
    for kind in (*KIND_CSS.values(), "any"):
        swatches[f"aed-{kind}"] = (
            f'<span class="aedplan-sw aedplan-aed aedplan-aed-{kind}" style="width:12px;'
            'height:12px;margin:0 9px 0 2px"></span>'
        )
    for key in ("circles_day", "circles_night"):
        swatches[key] = (f'<span class="aedplan-sw" style="background:{COLOURS[key]}33;'
                         f'border:1.5px solid {COLOURS[key]}"></span>')
    rows = [
        f"<div>{swatches[key]}{html_text(label)}"
        + (f" ({count:,})" if count is not None else "")
        + "</div>"
        for key, label, count in entries
    ]
    return "".join(rows)
