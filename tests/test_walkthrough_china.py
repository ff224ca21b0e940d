"""Every command of docs/walkthrough-china.md, run on the stand-in data the page names
(tests/standins.py: real Wuhan streets, made-up AEDs and people), and the output the
page shows, line for line."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from aedplan.cli import main

from . import standins
from .test_online_china import answers  # noqa: F401  (the stand-in geocoder and Overpass)

STAND_IN_KEY = "0123456789abcdef0123456789abcdef"  # made up, as a Tianditu key looks
PAGE = Path(__file__).resolve().parents[1] / "docs" / "walkthrough-china.md"
#: What the page's names stand for in the test (the page's table says the same).
STAND_INS = {
    "fujian-latest.osm.pbf": str(standins.CLIP),
    "116.98,25.05,117.07,25.12": ",".join(map(str, standins.CLIP_BBOX)),
    "116.98 25.05 117.07 25.12": " ".join(map(str, standins.CLIP_BBOX)),
}


def commands(text: str) -> list[tuple[str, list[str]]]:
    """``(command, shown output lines)`` of every ```console block, in order."""
    out: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        lines = block.splitlines()
        i = 0
        while i < len(lines):
            if not lines[i].startswith("$ "):
                i += 1
                continue
            command = lines[i][2:]
            while command.endswith("\\"):
                i += 1
                command = command[:-1] + " " + lines[i].strip()
            i += 1
            shown = []
            while i < len(lines) and not lines[i].startswith("$ "):
                if lines[i].strip() and lines[i].strip() != "...":
                    shown.append(lines[i].rstrip())
                i += 1
            out.append((command, shown))
    return out


def test_the_page_names_its_stand_ins():
    text = PAGE.read_text(encoding="utf-8")
    assert "made up" in text and "no AED on this page is real" in text
    for name in ("fujian-latest.osm.pbf", "116.98,25.05,117.07,25.12", "amap-aeds.csv",
                 "红十字会AED.xlsx", "chn_ppp_2020_UNadj_constrained.tif"):
        assert f"| `{name}`" in text, name


def test_every_command_of_the_walkthrough(answers, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    standins.write_amap_export(tmp_path / "amap-aeds.csv")
    standins.write_red_cross_sheet(tmp_path / "红十字会AED.xlsx")
    standins.write_population(tmp_path / "chn_ppp_2020_UNadj_constrained.tif")
    steps = commands(PAGE.read_text(encoding="utf-8"))
    assert len(steps) == 9
    ran = []
    for command, shown in steps:
        for name, stand_in in STAND_INS.items():
            command = command.replace(name, stand_in)
        args = shlex.split(command)
        if args[0] == "export":
            key = args[1].split("=")[0]
            monkeypatch.setenv(key, STAND_IN_KEY)
            continue
        if args[0] == "rio":
            rio = str(Path(sys.executable).with_name("rio"))
            done = subprocess.run([rio, *args[1:]], capture_output=True, text=True,
                                  check=False, timeout=120)
            assert done.returncode == 0, done.stderr
            output = done.stdout + done.stderr
        else:
            assert args[0] == "aedplan", command
            result = CliRunner().invoke(main, args[1:])
            expected = 2 if "--datum" not in args and "amap-aeds.csv" in args else 0
            assert result.exit_code == expected, (command, result.output)
            output = result.output
        ran.append(args[0])
        lines = output.splitlines()
        for line in shown:
            assert line in lines, (command, line, output)
    assert ran.count("aedplan") == 7 and ran.count("rio") == 1
    # what the page promises of the outputs
    assert STAND_IN_KEY in (tmp_path / "xinluo-map" / "map.html").read_text()
    assert STAND_IN_KEY not in (tmp_path / "xinluo-map" / "report.json").read_text()
    assert "每10万人AED数：22.8 → 50.2台" in (tmp_path / "xinluo-map" / "map.html").read_text()
    sites = (tmp_path / "xinluo-budget" / "proposed_sites.csv").read_text().splitlines()
    assert len(sites) == 31  # 30 new AEDs and the header

