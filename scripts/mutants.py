"""Hand mutants of the solver, hours, validation and floor code, each run against its
module's own tests: a rule no test protects shows up as a mutant that survives.

Each mutant is one text replacement in one file. It is applied to a copy of the
repository (made with ``git archive``, in a temporary folder next to a link to
``../shared``), never to the checkout itself; then the module's own test files and the
mutated module's doctests run there, stopping at the first failure. A mutant is
``killed`` when they fail, ``survived`` when they pass. Hypothesis runs with a fixed seed,
so that a table can be compared with another.

    python scripts/mutants.py                    # every mutant, on HEAD
    python scripts/mutants.py --rev d8fae4f      # on an earlier commit
    python scripts/mutants.py --only floor       # the mutants whose name holds "floor"
    python scripts/mutants.py --list

It takes a few minutes (one test run per mutant, one after the other); not part of CI.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

OPTIMISE = ("tests/test_optimise.py",)
#: The Ctrl-C test (a whole plan interrupted) notices a child left running too, but it is
#: not the deadline's test; under load it is also the one test here that may fail alone.
DEADLINE = ("tests/test_deadline.py", "-k", "not ctrl_c")
FLOORS = ("tests/test_constrained.py",)
HOURS = ("tests/test_hours.py",)
VALIDATE = ("tests/test_validate.py",)


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]  # pytest arguments: test files, and ``-k`` where given


MUTANTS = [
    # the solver
    Mutant("greedy takes a stale gain", "aedplan/optimise/_greedy.py",
           "if heap and g < -heap[0][0]:", "if heap and g < -heap[0][0] - 1e300:", OPTIMISE),
    Mutant("reduce drops a site sharing all but one row", "aedplan/optimise/_reduce.py",
           "beaten = (j != k) & (v == colnnz[j])", "beaten = (j != k) & (v >= colnnz[j] - 1)",
           OPTIMISE),
    Mutant("Lagrangian fixing 1% too eager", "aedplan/optimise/_lagrange.py",
           "slack = lower - REL_TOL * max(abs(lower), 1e-300)", "slack = lower * 1.01",
           OPTIMISE),
    Mutant("exact bound is the plan's own value", "aedplan/optimise/mclp.py",
           "bound = max(min(bound, core.bound), value)", "bound = value", OPTIMISE),
    Mutant("swap search ignores the overlap", "aedplan/optimise/_greedy.py",
           "- loss[overlap.col] + overlap.data", "- loss[overlap.col] - overlap.data",
           OPTIMISE),
    Mutant("late HiGHS child left running", "aedplan/optimise/_highs.py",
           "            if child is _CHILD:\n                _stop_child()",
           "            if child is _CHILD:\n                pass", DEADLINE),
    # the floors
    Mutant("district floor at half strength", "aedplan/optimise/constrained.py",
           "need = min_cov * W[g] - C[g]", "need = min_cov / 2 * W[g] - C[g]", FLOORS),
    Mutant("district floor forgets what stays covered", "aedplan/optimise/constrained.py",
           "need = min_cov * W[g] - C[g]", "need = min_cov * W[g]", FLOORS),
    Mutant("AEDs-per-district floor forgets today's AEDs", "aedplan/optimise/constrained.py",
           "need = int(min_sites) - int(have[g])", "need = int(min_sites)", FLOORS),
    # hours
    Mutant("permissive access is restricted", "aedplan/hours.py",
           'PUBLIC_ACCESS = frozenset({"yes", "public", "permissive"})',
           'PUBLIC_ACCESS = frozenset({"yes", "public"})', HOURS),
    Mutant("unknown hours count as closed by default", "aedplan/hours.py",
           'if self.unknown_hours == "open":', 'if self.unknown_hours == "closed":', HOURS),
    Mutant("24/7 means open at some hour", "aedplan/hours.py",
           "always = (self.state == _OPEN).all(axis=1)",
           "always = (self.state == _OPEN).any(axis=1)", HOURS),
    Mutant("a minute on an edge falls in the slot before", "aedplan/hours.py",
           'return np.searchsorted(edges, m, side="right") - 1',
           'return np.searchsorted(edges, m, side="left") - 1', HOURS),
    # probably equivalent: holidays' weekend workdays are never holidays themselves
    Mutant("a worked weekend day reads PH as a holiday", "aedplan/hours.py",
           "if day in holiday and day not in worked and", "if day in holiday and", HOURS),
    # validation
    Mutant("beyond chance: interval or sign test", "aedplan/holdout.py",
           "(lo > 0 or hi < 0) and p < 1 - level", "(lo > 0 or hi < 0) or p < 1 - level",
           VALIDATE),
    Mutant("Wilson interval at the wrong level", "aedplan/holdout.py",
           "stats.norm.ppf(0.5 + level / 2)", "stats.norm.ppf(level)", VALIDATE),
    Mutant("sign test counts every arrest", "aedplan/holdout.py",
           "stats.binomtest(only_a, only_a + only_b, 0.5)", "stats.binomtest(only_a, n, 0.5)",
           VALIDATE),
    Mutant("today's AEDs scored open at every hour", "aedplan/validate.py",
           "ok[~ok] = open_[site[~ok], sub.row[~ok]]", "ok[~ok] = True", VALIDATE),
    Mutant("train_until's own day is held out", "aedplan/validate.py",
           "end = end.normalize() + pd.Timedelta(days=1)", "end = end.normalize()", VALIDATE),
    Mutant("optimism with the wrong sign", "aedplan/validate.py",
           '"optimism": (in_sample - today_in) - (share - today_out)',
           '"optimism": (share - today_out) - (in_sample - today_in)', VALIDATE),
]


def copy_of(rev: str, into: Path) -> Path:
    """The repository at ``rev`` in ``into/main``, beside a link to ``../shared``."""
    repo = into / "main"
    repo.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(repo)], input=archive, check=True)
    if SHARED.exists():
        (into / "shared").symlink_to(SHARED, target_is_directory=True)
    return repo


def run_tests(repo: Path, paths: tuple[str, ...], timeout_s: float) -> tuple[str, float, str]:
    """``passed``, ``failed`` or ``timeout``, the seconds taken, and pytest's summary."""
    env = {**os.environ, "PYTHONPATH": str(repo), "MPLBACKEND": "Agg"}
    t0 = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
             "--hypothesis-seed=0", *paths],
            cwd=repo, env=env, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return "timeout", time.perf_counter() - t0, ""
    seconds = time.perf_counter() - t0
    said = (done.stdout + done.stderr).strip()
    # a failing Hypothesis test can end pytest in an INTERNALERROR (exit 3) after its
    # report: the summary line still counts it
    if done.returncode == 1 or re.search(r"^\d+ failed", said.splitlines()[-1] if said else ""):
        return "failed", seconds, said
    return ("passed" if done.returncode == 0 else "error"), seconds, said


def mutate(repo: Path, mutant: Mutant) -> str:
    """Apply ``mutant`` to the copy; return the original text to restore."""
    path = repo / mutant.path
    text = path.read_text()
    if text.count(mutant.old) != 1:
        raise SystemExit(f"{mutant.name}: {mutant.old!r} occurs {text.count(mutant.old)} "
                         f"times in {mutant.path}; update the mutant.")
    path.write_text(text.replace(mutant.old, mutant.new))
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default="HEAD", help="the commit to mutate (default HEAD)")
    parser.add_argument("--only", default="", help="run the mutants whose name holds this")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per test run")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTANTS if args.only.lower() in m.name.lower()]
    if args.list:
        for m in chosen:
            print(f"{m.path:34} {m.name}")
        return 0
    with tempfile.TemporaryDirectory(prefix="aedplan-mutants-") as tmp:
        repo = copy_of(args.rev, Path(tmp))
        suites = sorted({m.tests for m in chosen})
        for tests in suites:  # the tests must pass before any mutant can be judged
            outcome, _, said = run_tests(repo, tests, args.timeout)
            if outcome == "failed":  # once more: a loaded machine can fail a test once
                outcome, _, said = run_tests(repo, tests, args.timeout)
            if outcome != "passed":
                print(f"{said[-3000:]}\nunmutated {' '.join(tests)}: {outcome}; fix that "
                      "first", file=sys.stderr)
                return 1
        print(f"mutants of {args.rev} ({len(chosen)}), each against its module's own tests")
        print(f"{'mutant':47} {'file':32} {'tests':22} {'result':9} seconds")
        survived = 0
        for m in chosen:
            original = mutate(repo, m)
            try:
                outcome, seconds, _ = run_tests(repo, (m.path, *m.tests), args.timeout)
            finally:
                (repo / m.path).write_text(original)
            verdict = {"passed": "survived", "failed": "killed"}.get(outcome, outcome)
            survived += verdict == "survived"
            names = ",".join(Path(t).stem.removeprefix("test_") for t in m.tests
                             if t.startswith("tests/"))
            print(f"{m.name:47} {m.path.removeprefix('aedplan/'):32} {names:22} {verdict:9} "
                  f"{seconds:5.0f}", flush=True)
        print(f"{len(chosen) - survived} killed, {survived} survived")
    return 0


if __name__ == "__main__":
    sys.exit(main())
