"""One full map per district (``output.district_maps``): a district's commission or a
resident opens the map of their own district, with its own numbers, and an index of
all of them.

Each map is the run's map cut to the district (:func:`aedplan.layers.district_layers`):
its streets, the AEDs and new sites whose circles reach into it, its gaps, and a panel
that quotes the district's coverage, never the city's. Like every aedplan map, each page
is self-contained and works offline.
"""

from __future__ import annotations

import html
import re
from typing import Any

from ._words import Words

__all__ = ["FOLDER", "district_pages", "page_name"]

#: The folder of the district maps inside ``out``.
FOLDER = "district_maps"


def page_name(k: int, name: Any) -> str:
    """The file of district ``k`` (from 0) named ``name``: its number, for order and
    uniqueness, and its name with only letters, digits, ``-`` and ``_`` (any script).

    >>> page_name(2, "Schaan / Planken"), page_name(10, "鼓楼区")
    ('03-Schaan_Planken.html', '11-鼓楼区.html')
    """
    slug = re.sub(r"[^\w-]+", "_", str(name)).strip("_")[:60]
    return f"{k + 1:02d}-{slug or 'district'}.html"


def district_pages(result: Any, lang: str) -> dict[str, str]:
    """The district maps of a :class:`~aedplan.results.PlanRun` (file name inside
    ``out`` -> HTML) and their ``index.html``; none without districts."""
    from .layers import district_layers, from_run
    from .render import page_html, render_map

    table = result.frames.get("districts")
    if table is None:
        return {}
    o = result.scenario.output
    layers = from_run(result)
    pages, rows = {}, []
    for k in range(len(table)):
        row = table.iloc[k]
        name = page_name(k, row["name"])
        page = render_map(district_layers(layers, row), title=str(row["name"]),
                          tiles=o.tiles, tiles_key=o.tiles_key, lang=lang)
        pages[f"{FOLDER}/{name}"] = page_html(page)
        rows.append((name, row))
    pages[f"{FOLDER}/index.html"] = _index(rows, Words(lang), lang)
    return pages


def _index(rows: list[tuple[str, Any]], words: Words, lang: str) -> str:
    """A plain page listing the districts, their coverage and a link to each map."""
    after = any("coverage_after" in row for _, row in rows)
    heads = [words("District"), words("coverage before")] + (
        [words("coverage after")] if after else []) + [words("AEDs")]

    def share(value: Any) -> str:
        return "–" if value is None or value != value else f"{100 * float(value):.1f}%"

    lines = []
    for name, row in rows:
        cells = [f'<a href="{html.escape(name)}">{html.escape(str(row["name"]))}</a>',
                 share(row.get("coverage_before"))]
        if after:
            cells.append(share(row.get("coverage_after")))
        cells.append(str(int(row.get("aeds_after", row["aeds_before"]))))
        lines.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    title = html.escape(words("Districts: coverage"))
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{title}</title><style>body{{font-family:sans-serif;margin:2em}}"
            "td,th{padding:.2em .8em;text-align:left}</style></head><body>"
            f"<h1>{title}</h1><table><tr>"
            + "".join(f"<th>{html.escape(h)}</th>" for h in heads) + "</tr>"
            + "".join(lines) + "</table><p>"
            + html.escape(words("Map data © OpenStreetMap contributors")) + "</p></body></html>\n")
