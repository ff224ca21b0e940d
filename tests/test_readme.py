"""The README is a quick read that stays true: its Python example runs as written, its
links lead to files of the repository, and it stays short (the manual is in docs/)."""

from __future__ import annotations

import doctest
import re
import warnings
from pathlib import Path

from aedplan.errors import AedplanWarning

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def test_the_readmes_python_example_runs_as_written():
    with warnings.catch_warnings():  # the embedded default's remarks on its data
        warnings.simplefilter("ignore", AedplanWarning)
        failed, tried = doctest.testfile(str(README), module_relative=False,
                                         optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried >= 4 and failed == 0


def test_the_readmes_links_lead_to_files_of_the_repository():
    links = re.findall(r"\]\(([^)#]+)\)", README.read_text(encoding="utf-8"))
    local = [link for link in links if "://" not in link]
    assert local and all((ROOT / link).exists() for link in local), local


def test_the_readme_is_a_quick_read_with_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 160
    commands = [line.strip() for line in text.splitlines()
                if line.startswith("    python3 -m venv .venv")]
    assert commands == [
        "python3 -m venv .venv && . .venv/bin/activate && pip install . && "
        "aedplan plan --budget 10",
        "python3 -m venv .venv && . .venv/bin/activate && pip install \".[test]\" && "
        "python -m pytest -q"]


def test_every_docs_page_is_in_the_documentations_contents():
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    pages = {p.stem for p in (ROOT / "docs").glob("*.md")} - {"index"}
    assert {p for p in pages if not re.search(rf"(?m)^{re.escape(p)}$", index)} == set()


def test_the_hours_page_quotes_a_run_on_liechtenstein():
    """The figures docs/hours.md gives for all of Liechtenstein are a run's, rounded."""
    import aedplan

    from .conftest import data_path

    osm = data_path("osm", "liechtenstein-2024-03-03.osm.pbf")
    text = (ROOT / "docs" / "hours.md").read_text(encoding="utf-8")
    quoted = re.search(r"([\d.]+)% of demand is covered if every AED were\s+public and open "
                       r"24/7, ([\d.]+)% round the clock, ([\d.]+)% at night", text)
    assert quoted is not None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        run = aedplan.run(aedplan.Scenario().replace({
            "area.osm": str(osm), "goal.optimise": False, "hours.arrest_profile": "uniform"}))
    hours = run.report["hours"]
    numbers = (hours["all_open_24_7"], hours["before"]["round_the_clock"],
               hours["before"]["night_22_06"])
    assert [f"{100 * n:.1f}" for n in numbers] == list(quoted.groups())


def test_the_layout_page_names_every_module_and_only_modules_that_exist():
    """docs/layout.md cannot drift from the code: each module of the package is named
    there, and each module it names exists."""
    package = ROOT / "aedplan"
    modules = {p.stem for p in package.glob("*.py")} | {
        p.stem for p in (package / "optimise").glob("*.py")} | {"optimise"}
    modules -= {"__init__", "__main__"}
    text = (ROOT / "docs" / "layout.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(_?[a-z_]+)/?`", text)) | {  # and in the flow drawn
        word for line in text.splitlines() if line.startswith("    ")
        for word in re.findall(r"[a-z_]+", line)}
    assert modules - named == set()
    private = {n for n in named if n.startswith("_") and not n.startswith("__")}
    assert private - modules == set()
