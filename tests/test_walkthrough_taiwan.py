"""Every command of docs/walkthrough-taiwan.md, run on the real files it names (Taiwan's
MOHW registry of Taichung's AEDs and the real OSM extract of the Tunghai area, in
shared/data/taiwan), and the output the page shows, line for line."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from aedplan.cli import main

from .test_walkthrough_china import commands

PAGE = Path(__file__).resolve().parents[1] / "docs" / "walkthrough-taiwan.md"
TAIWAN = Path(__file__).resolve().parents[2] / "shared" / "data" / "taiwan"


def test_every_command_of_the_taiwan_walkthrough(tmp_path, monkeypatch):
    if not TAIWAN.exists():
        pytest.skip(f"shared data not found: {TAIWAN}")
    for path in TAIWAN.iterdir():
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.chdir(tmp_path)
    steps = commands(PAGE.read_text(encoding="utf-8"))
    assert len(steps) == 2
    for command, shown in steps:
        result = CliRunner().invoke(main, shlex.split(command)[1:])
        assert result.exit_code == 0, (command, result.output)
        lines = result.output.splitlines()
        for line in shown:
            assert line in lines, (command, line, result.output)
    audit = (tmp_path / "tunghai" / "aeds_read.csv").read_text(encoding="utf-8").splitlines()
    page = PAGE.read_text(encoding="utf-8")
    for line in audit[:4]:
        assert line in page
