"""The scenario written out for people: the commented file ``aedplan init`` writes
(:func:`template`) and the reference page of the docs (:func:`reference`), both made from
the :class:`~aedplan.scenario.Scenario` type itself."""

from __future__ import annotations

import textwrap
from typing import Any

from ._words import Words
from .scenario import SECTIONS, TITLES, flag_of, keys_of

__all__ = ["reference", "template"]


def _inline(value: Any) -> str:
    """A value as TOML on one line."""
    import tomli_w

    if isinstance(value, tuple | list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return tomli_w.dumps({"v": value}).partition("=")[2].strip()


#: What a template shows for the keys without a default.
_EXAMPLES: dict[str, Any] = {
    "area.osm": "city.osm.pbf", "area.place": "Vaduz, Liechtenstein",
    "area.bbox": (116.98, 25.05, 117.07, 25.12), "area.polygon": "study-area.geojson",
    "area.districts": "osm", "datum": "gcj02", "crs": "EPSG:3826", "lon_col": "地點LNG",
    "lat_col": "地點LAT", "id_col": "id", "name_col": "name", "encoding": "gb18030",
    "demand.arrests": "arrests.csv", "demand.weight_col": "population",
    "hours.week": "2024-03-04", "hours.country": "CN", "goal.budget": 10,
    "goal.target_coverage": 0.9, "goal.target_density": 50.0,
    "goal.min_district_coverage": 0.05, "goal.min_per_community": 1,
    "output.out": "aedplan-out", "output.lang": "zh",
}


def template(lang: str = "en", name: str = "scenario.toml") -> str:
    """A commented scenario file with every key at its default, for ``aedplan init``;
    ``name``: the file's name, as its first line says to run it."""

    zh = lang.startswith("zh")
    lines = ["# aedplan scenario: " + (f"一个规划方案。运行：aedplan plan {name}" if zh else
                                       f"one plan. Run it with: aedplan plan {name}"),
             "# " + ("命令行参数会覆盖本文件中的值。相对路径从本文件所在文件夹算起。" if zh else
                     "Flags given on the command line override this file. Relative paths "
                     "start from this file's folder."),
             "# " + ("地图数据 © OpenStreetMap 贡献者" if zh else
                     "Map data © OpenStreetMap contributors"), ""]
    for name, cls in SECTIONS.items():
        lines += [f"[{name}]  # {TITLES[name][1 if zh else 0]}"]
        for f in keys_of(cls):
            if not f.metadata["saved"]:
                continue
            text = (f.metadata["zh"] or f.metadata["help"]) if zh else f.metadata["help"]
            lines += (_wrap_chinese(text, 88) if zh else textwrap.wrap(
                text, 88, initial_indent="# ", subsequent_indent="#   ",
                break_on_hyphens=False, break_long_words=False))
            value = f.default
            if zh and f"{name}.{f.name}" == "output.lang":
                value = lang  # the file init --lang zh writes plans in Chinese
            if value is None:
                example = _EXAMPLES.get(f"{name}.{f.name}", _EXAMPLES.get(f.name))
                shown = "" if example is None else _inline(example)
                lines.append(f"# {f.name} = {shown}".rstrip())
            else:
                lines.append(f"{f.name} = {_inline(value)}")
        lines.append("")
    lines += ["# " + ("方案变体：每个 [[variant]] 修改几个键，在一次运行中比较。" if zh else
                      "Variants: each [[variant]] changes a few keys; all are compared in "
                      "one run."),
              "# [[variant]]", '# name = "预算20台"' if zh else '# name = "budget 20"',
              "# goal.budget = 20", ""]
    return Words(lang).script("\n".join(lines))  # Traditional for zh-TW and zh-HK


def _wrap_chinese(text: str, width: int) -> list[str]:
    """Comment lines of Chinese text at most ``width`` columns wide (a Chinese character
    takes two), broken between characters, never inside a word, number or `code`."""
    import re
    import unicodedata

    lines, line, used = [], "# ", 2
    for token in re.findall(r"`[^`]*`|[!-~]+|\s+|.", text):
        if token.isspace():
            token = " "
        size = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in token)
        if used + size > width and line.strip("# "):
            lines.append(line.rstrip())
            line, used = "#   ", 4
            if token == " ":
                continue
        line, used = line + token, used + size
    lines.append(line.rstrip())
    return lines


def reference() -> str:
    """The scenario reference in Markdown: every key of every section, its flag, default
    and meaning, made from the :class:`~aedplan.scenario.Scenario` type itself (the docs
    include it)."""

    lines = ["# Scenario reference", "",
             "A plan is one scenario: a TOML file (`aedplan init` writes one with every key), "
             "a `Scenario` in Python, or flags of `aedplan plan`. A key has the same name and "
             "unit everywhere: `goal.budget` in Python, `budget` in the file's `[goal]` "
             "table, `--budget` on the command line. Flags override the file; relative paths "
             "in a file are read from the file's folder. The reading options (`datum`, `crs`, "
             "`lon_col`, ...) belong to each input: on the command line one flag sets them "
             "for every input file.", ""]
    for name, cls in SECTIONS.items():
        lines += [f"## `[{name}]`: {TITLES[name][0]}", "", (cls.__doc__ or "").strip(), "",
                  "| key | flag | default | meaning |", "|---|---|---|---|"]
        for f in keys_of(cls):
            default = "" if f.default is None else f"`{_inline(f.default)}`"
            flag = flag_of(name, f.name)
            meaning = f.metadata["help"].replace("|", "\\|")
            if not f.metadata["saved"]:
                meaning += " Never written into `scenario.toml`."
            lines.append(f"| `{f.name}` | {f'`{flag}`' if flag else '–'} | {default} | "
                         f"{meaning} |")
        lines.append("")
    lines += ["## `[[variant]]`: plans compared in one run", "",
              "Each `[[variant]]` table has a `name` and changes a few keys, written with "
              "their section (`goal.budget = 50`). `aedplan plan` then plans every variant, "
              "sharing the network, the inputs and today's coverage among those that have "
              "them in common, and writes a folder per variant with `compare.csv`, "
              "`report.json` (its `compare` block), `map.html` (a switcher between the "
              "variants' maps) and `scenario.toml` beside them.", "",
              "```toml", "[goal]", "budget = 30", "", "[[variant]]", 'name = "buy 30"', "",
              "[[variant]]", 'name = "move 10, buy 20"', "goal.budget = 20",
              "goal.relocate = 10", "```", ""]
    return "\n".join(lines)
