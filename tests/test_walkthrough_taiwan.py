"""Every command of docs/walkthrough-taiwan.md, run on the real files it names (Taiwan's
MOHW registry of Taichung's AEDs and the real OSM extract of the Tunghai area, in
shared/data/taiwan), and the output the page shows, line for line."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

from click.testing import CliRunner

from aedplan.cli import main

from .conftest import data_path
from .test_walkthrough_china import commands

PAGE = Path(__file__).resolve().parents[1] / "docs" / "walkthrough-taiwan.md"


def test_every_command_of_the_taiwan_walkthrough(tmp_path, monkeypatch):
    for name in ("taichung-aed-mohw-2018.csv", "taichung-tunghai-2025-08.osm"):
        shutil.copy(data_path("taiwan", name), tmp_path / name)
    monkeypatch.chdir(tmp_path)
    steps = commands(PAGE.read_text(encoding="utf-8"))
    assert len(steps) == 2
    for command, shown in steps:
        result = CliRunner().invoke(main, shlex.split(command)[1:])
        assert result.exit_code == 0, (command, result.output)
        lines = result.output.splitlines()
        for line in shown:
            assert line in lines, (command, line, result.output)
    audit = (tmp_path / "tunghai" / "aeds_read.csv").read_text(encoding="utf-8-sig").splitlines()
    page = PAGE.read_text(encoding="utf-8")
    for line in audit[:4]:
        assert line in page


def test_a_run_on_taiwans_data_speaks_traditional_chinese(tmp_path):
    """No `lang`: the real Taichung registry on the real Tunghai streets is planned in
    Traditional Chinese with Taiwan's words, its map, summary and warnings."""
    import warnings

    import aedplan
    from aedplan.errors import AedplanWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AedplanWarning)
        run = aedplan.run(aedplan.Scenario().replace({
            "area.osm": data_path("taiwan", "taichung-tunghai-2025-08.osm"),
            "aeds.source": data_path("taiwan", "taichung-aed-mohw-2018.csv"),
            "demand.source": "network", "goal.optimise": False,
            "output.out": tmp_path / "out"}))
    assert run.report["params"]["lang"] == "zh-TW"
    assert any(str(w.message).startswith("只保留了街道網路中最大的連通部分") for w in caught)
    page = (tmp_path / "out" / "map.html").read_text(encoding="utf-8")
    assert "圖例" in page and "图例" not in page
