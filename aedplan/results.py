"""What a run produced: :class:`PlanRun` for one scenario, :class:`Comparison` for a
scenario with variants.

Both are read-only all the way down: the report refuses changes (``copy.deepcopy`` of it
gives a plain dict to change), the files and runs are read-only mappings, and a run's
frames are copied out on every access."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import _format, _results
from .network import WalkNetwork

__all__ = ["Comparison", "PlanRun"]


@dataclass(frozen=True, eq=False)
class PlanRun:
    """What a run produced.

    Attributes
    ----------
    report
        The report, as written to ``report.json``: read-only (``copy.deepcopy`` gives a
        plain dict).
    files
        File name -> path of every file written.
    frames
        The GeoDataFrames behind the files, in the network's CRS: ``demand``, ``aeds``,
        ``proposed``, ``circles``, ``hot_spots``; each access gives a copy.
    notes
        What the run noticed about the inputs, warnings included (as in the report's
        ``notes``).
    net
        The walk network.
    site_plan
        The plan (``None`` for today's coverage only).
    scenario
        The :class:`~aedplan.scenario.Scenario` that was run.
    """

    report: dict[str, Any]
    files: Mapping[str, Path]
    frames: Mapping[str, Any]
    notes: tuple[str, ...] = ()
    net: WalkNetwork | None = field(default=None, repr=False)
    site_plan: Any = field(default=None, repr=False)
    scenario: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "report", _results.frozen(self.report))
        object.__setattr__(self, "files", _results.ReadOnlyDict(self.files))
        object.__setattr__(self, "frames", _results.copies_out(self.frames))
        object.__setattr__(self, "notes", tuple(self.notes))

    def lines(self) -> list[str]:
        """A short human summary for the terminal."""
        from .report import summary_lines

        return summary_lines(self.report, self.files, [
            n for n in self.notes if not n.startswith("warning: ")])

    def map_layers(self, *, circles: bool = True) -> Any:
        """The :class:`~aedplan.maplayers.MapLayers` of this run."""
        from .layers import from_run

        return from_run(self)

    def __repr__(self) -> str:
        plan = self.report.get("plan") or {}
        hours = self.report.get("hours") or {}
        parts = []
        if hours.get("before"):  # round the clock first: what a run plans for by default
            after = (hours.get("after") or {}).get("round_the_clock")
            parts.append(f"round the clock {_format.share(hours['before']['round_the_clock'])}"
                         + (f" -> {_format.share(after)}" if after is not None else ""))
        all_open = _format.share(self.report["existing"]["coverage"]) + (
            f" -> {_format.share(plan['coverage'])}" if "coverage" in plan else "")
        parts.append(f"if all were open 24/7 {all_open}" if parts else f"coverage {all_open}")
        return f"PlanRun({', '.join(parts)}, {len(self.files)} files written)"

    def _repr_html_(self) -> str:
        return _results.html_table("aedplan run", {line.split(":")[0]: line.partition(": ")[2]
                                                   for line in self.lines() if ": " in line})


@dataclass(frozen=True, eq=False)
class Comparison:
    """The variants of a scenario, planned in one run.

    Attributes
    ----------
    runs
        Variant name -> its :class:`PlanRun`.
    table
        One row per variant (a DataFrame, as ``compare.csv``): AEDs placed, new and
        moved, coverage round the clock and if every AED were open 24/7, the least
        covered district, AEDs per 100,000 people and the proven gap.
    report
        The top-level report (``report.json``): the scenario and the ``compare`` block;
        read-only, as a run's.
    files
        File name -> path of every file written at the top level; each variant's files
        are in its :class:`PlanRun`.
    """

    runs: Mapping[str, PlanRun]
    table: Any
    report: dict[str, Any]
    files: Mapping[str, Path] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "runs", _results.ReadOnlyDict(self.runs))
        object.__setattr__(self, "report", _results.frozen(self.report))
        object.__setattr__(self, "files", _results.ReadOnlyDict(self.files))

    def lines(self) -> list[str]:
        """A short human summary for the terminal: one line per variant."""
        from .report import compare_lines

        return compare_lines(self.report, self.files)

    def __repr__(self) -> str:
        return f"Comparison({len(self.runs)} variants: {', '.join(map(repr, self.runs))})"

    def _repr_html_(self) -> str:
        return str(self.table.to_html(index=False))
