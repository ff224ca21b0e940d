"""Variants of one scenario in one run against the same plans run one after another.

    python scripts/bench_variants.py            # all of Liechtenstein (../shared), else the
                                                # embedded Vaduz and Schaan
    python scripts/bench_variants.py --wuhan    # the real Wuhan network, 500 new AEDs

Three variants (a budget, twice that budget, and the budget with a 5-minute walk) are
planned with ``aedplan plan scenario.toml`` (one run: the network, inputs, today's
coverage and the candidates' coverage matrix are computed once for the variants that
share them) and with one ``aedplan plan`` per variant, each in its own process, as a
planner would without variants. Both give the same numbers (checked); the ratio is the
time saved.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def _scenario(args: argparse.Namespace) -> tuple[str, str]:
    if args.wuhan:
        wuhan = SHARED / "networks" / "wuhan-fua-drive.parquet"
        return (f'[area]\nosm = "{wuhan}"\n[aeds]\nsource = "none"\n[demand]\n'
                'source = "network"\n[candidates]\nsource = "nodes"\n[goal]\nbudget = 500\n'
                "[solver]\nmethod = \"greedy\"\n", "Wuhan (78k nodes), 500 new AEDs, greedy")
    country = SHARED / "osm" / "liechtenstein-2024-03-03.osm.pbf"
    if country.exists():
        return f'[area]\nosm = "{country}"\n[goal]\nbudget = 20\n', "Liechtenstein, budget 20"
    return "[goal]\nbudget = 10\n", "Vaduz and Schaan (embedded), budget 10"


VARIANTS = ('[[variant]]\nname = "base"\n\n[[variant]]\nname = "double"\n'
            "goal.budget = {double}\n\n[[variant]]\nname = \"5 minutes\"\ntime.minutes = 5\n")


def _run(*args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "aedplan", "plan", *args, "--quiet"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(done.stderr)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wuhan", action="store_true")
    args = parser.parse_args()
    base, label = _scenario(args)
    budget = int(base.split("budget = ")[1].split()[0])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "all.toml").write_text(base + VARIANTS.format(double=2 * budget))
        together = _run(str(folder / "all.toml"), "--out", str(folder / "together"))
        apart = 0.0
        changes = {"base": [], "double": ["--budget", str(2 * budget)],
                   "5 minutes": ["--minutes", "5"]}
        (folder / "one.toml").write_text(base)
        same = True
        for name, extra in changes.items():
            out = folder / f"apart-{name.replace(' ', '-')}"
            apart += _run(str(folder / "one.toml"), *extra, "--out", str(out))
            one = json.loads((out / "report.json").read_text())
            row = json.loads((folder / "together" / name.replace(" ", "-") / "report.json"
                              ).read_text())
            same &= one["plan"]["coverage"] == row["plan"]["coverage"]
    print(f"## Variants in one run: {label}\n")
    print("| three variants | wall | ratio | same numbers |")
    print("|---|---|---|---|")
    print(f"| one run with `[[variant]]` tables | {together:.1f} s | {apart / together:.2f}x "
          f"| {'yes' if same else 'NO'} |")
    print(f"| three runs, one per variant | {apart:.1f} s | 1.00x | |")


if __name__ == "__main__":
    main()
