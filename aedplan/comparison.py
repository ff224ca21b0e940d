"""Variants of a scenario side by side: the ``compare`` table, and the files of a run
with variants (a folder per variant, ``compare.csv``, ``report.json``, a ``map.html``
that switches between the variants' maps, ``scenario.toml``)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ._words import Words
from .errors import InputError, Joined
from .outputs import AEDPLAN_FILES, write_csv, write_json
from .results import Comparison, PlanRun

__all__ = ["COLUMNS", "check_folders", "comparison", "folder_name", "write_comparison"]

#: The columns of ``compare.csv``, one row per variant.
COLUMNS = ("variant", "folder", "placed", "new", "moved", "today_round_the_clock",
           "today_all_open_24_7", "round_the_clock", "all_open_24_7", "worst_district",
           "worst_district_coverage", "per_100k", "gap", "status")


def folder_name(name: str) -> str:
    """The folder a variant's files go into: its name with spaces, commas and characters
    that file names cannot hold turned into dashes (Chinese names stay Chinese).

    >>> folder_name("move 10, buy 20"), folder_name("新增 30 台")
    ('move-10-buy-20', '新增-30-台')
    """
    cleaned = re.sub(r"[\s/\\:*?\"<>|,;]+", "-", name.strip()).strip("-.")
    return cleaned or "variant"


def _row(name: str, run: PlanRun) -> dict[str, Any]:
    r = run.report
    plan = r.get("plan") or {}
    hours = r.get("hours") or {}
    after = hours.get("after") or hours.get("before") or {}
    moved = len(plan.get("moves") or [])
    new = int(plan.get("new_sites", 0))
    least = ((r.get("districts") or {}).get("least_covered") or [{}])[0]
    key = (r.get("districts") or {}).get("least_covered_by")
    density = r.get("density") or {}
    return {
        "variant": name,
        "folder": folder_name(name),
        "placed": new,
        "new": new - moved,
        "moved": moved,
        "today_round_the_clock": (hours.get("before") or {}).get("round_the_clock"),
        "today_all_open_24_7": r["existing"]["coverage"],
        "round_the_clock": after.get("round_the_clock"),
        "all_open_24_7": plan.get("coverage", r["existing"]["coverage"]),
        "worst_district": least.get("name"),
        "worst_district_coverage": least.get(key) if key else None,
        "per_100k": (density.get("after") or density.get("before") or {}).get("per_100k"),
        "gap": plan.get("gap"),
        "status": plan.get("status"),
    }


def comparison(scenario: Any, runs: Mapping[str, PlanRun]) -> Comparison:
    """The :class:`~aedplan.results.Comparison` of a scenario's variant runs."""
    import pandas as pd

    from . import __version__
    from .datasets import OSM_CREDIT

    folders = [folder_name(n) for n in runs]
    if len(set(folders)) < len(folders):
        raise InputError("two variants' names give the same folder name ({folders}); give "
                         "them names that differ in letters.",
                         folders=Joined(folders, sep=", "))
    rows = [_row(name, run) for name, run in runs.items()]
    first = next(iter(runs.values())).report
    report = {
        "aedplan_version": __version__,
        "variants": len(rows),
        "params": {k: first["params"][k] for k in ("minutes", "mode", "speed_m_s", "reach_m",
                                                   "lang") if k in first["params"]},
        "existing": first["existing"],
        "area": first.get("area"),
        "compare": rows,
        "attribution": OSM_CREDIT,
    }
    return Comparison(runs=dict(runs), table=pd.DataFrame(rows, columns=list(COLUMNS)),
                      report=report)


def write_comparison(result: Comparison, scenario: Any,
                     publish: Callable[..., dict[str, Path]]) -> Comparison:
    """Write every variant's files into a folder of its own inside ``output.out``, and
    the comparison beside them: all or nothing."""
    import dataclasses

    from .outputs import staged

    out, overwrite = Path(scenario.output.out), scenario.output.overwrite
    check_folders(out, list(result.runs), overwrite)
    runs = {}
    with staged(out, overwrite=overwrite) as (stage, written):
        for name, run in result.runs.items():
            files = publish(run, stage / folder_name(name))
            runs[name] = dataclasses.replace(run, files={
                k: out / folder_name(name) / k for k in files})
        write_csv(stage / "compare.csv", result.table)
        write_json(stage / "report.json", result.report)
        (stage / "map.html").write_text(switcher_html(result), encoding="utf-8")
        lang = result.report["params"].get("lang")  # as resolved, as each variant's is
        resolved = scenario.absolute().replace({"output.lang": lang})
        (stage / "scenario.toml").write_text(resolved.resolved_toml(), encoding="utf-8")
    return dataclasses.replace(result, runs=runs, files=dict(written))


def check_folders(out: Path, names: list[str], overwrite: bool) -> None:
    """Variant folders of an earlier run are replaced only with ``overwrite``, and only
    when they hold nothing but aedplan's files."""
    for name in names:
        folder = out / folder_name(name)
        if not folder.exists():
            continue
        others = [p.name for p in folder.iterdir() if p.name not in AEDPLAN_FILES]
        if others or not folder.is_dir():
            raise InputError("`out`: {folder} holds files aedplan did not write ({files}); "
                             "choose another `out`.", folder=folder,
                             files=Joined(others[:3], sep=", "))
        if not overwrite:
            raise InputError("`out`: {folder} holds results of an earlier run; pass "
                             "`overwrite=True` to replace them, or choose another `out`.",
                             folder=folder)


def switcher_html(result: Comparison) -> str:
    """A page that shows each variant's map (its ``map.html``) with a switcher and the
    comparison table; it works offline, beside the variants' folders."""
    lang = result.report["params"].get("lang") or "en"
    w = Words(lang)
    zh = w.chinese
    options = "".join(
        f'<option value="{html.escape(row["folder"])}/map.html">{html.escape(row["variant"])}'
        "</option>" for row in result.report["compare"])
    head = ["variant", "placed", "new", "moved", "today_round_the_clock", "round_the_clock",
            "all_open_24_7", "gap"]
    names = ([w.script(n) for n in ("方案", "布设", "新增", "移动", "目前全天候覆盖", "全天候覆盖",
                                     "全部开放时覆盖", "差距")] if zh else
             ["variant", "placed", "new", "moved", "round the clock today", "round the clock",
              "if all open 24/7", "gap"])
    cells = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(row[k], k))}</td>" for k in head) + "</tr>"
        for row in result.report["compare"])
    title = w.script("方案比较") if zh else "Variants compared"
    credit = w("Map data © OpenStreetMap contributors")
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>aedplan: {title}</title>
<style>
body {{ margin: 0; font: 14px system-ui, sans-serif; display: flex; flex-direction: column;
       height: 100vh; }}
header {{ padding: 6px 10px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }}
table {{ border-collapse: collapse; font-size: 12px; }}
td, th {{ padding: 2px 6px; border-bottom: 1px solid #ddd; text-align: right; }}
td:first-child, th:first-child {{ text-align: left; }}
iframe {{ flex: 1; border: 0; width: 100%; }}
</style></head><body>
<header><label>{title}: <select id="variant" onchange="show(this.value)">{options}</select>
</label><table><tr>{"".join(f"<th>{html.escape(n)}</th>" for n in names)}</tr>{cells}</table>
<small>{credit}</small></header>
<iframe id="map" title="map"></iframe>
<script>
function show(src) {{ document.getElementById("map").src = src; }}
show(document.getElementById("variant").value);
</script></body></html>
"""


def _cell(value: Any, key: str) -> str:
    if value is None:
        return "–"
    if key.endswith(("round_the_clock", "all_open_24_7")):
        return f"{100 * value:.1f}%"
    if key == "gap":
        return f"{100 * max(value, 0.0):.3f}%"
    return str(value)
