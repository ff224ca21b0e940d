"""Memory stays bounded whatever the rescue budget: reach pairs are found a chunk of
sources at a time, rescue circles a chunk of AEDs at a time on a lattice no larger than
the streets need, and a problem whose result cannot fit stops with a clear error."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import numpy as np
import pytest
import shapely

import aedplan
from aedplan import _memory, circles, reach
from aedplan.errors import AedplanWarning, ResourceError
from aedplan.timemodel import TimeModel

from .conftest import data_path


def _sorted(triples):
    s, t, secs = triples
    order = np.lexsort((t, s))
    return s[order], t[order], secs[order]


def test_many_small_chunks_give_the_same_pairs(vaduz, monkeypatch):
    net, aeds, _ = vaduz
    aeds = aedplan.snap(net, aeds)
    targets = aedplan.snap(net, aedplan.demand_from_network(net, spacing_m=5.0))
    model = TimeModel(minutes=12)
    whole = _sorted(reach.pair_times(net, aeds, targets, model=model))
    monkeypatch.setattr(_memory, "chunk_bytes", lambda: 200_000)
    chunks = list(reach.pair_chunks(net, aeds, targets, model=model))
    assert len(chunks) > 5
    # every source in exactly one chunk, in order
    done = [c[3] for c in chunks]
    assert done == sorted(done) and done[-1] == len(aeds)
    parts = _sorted(reach.pair_times(net, aeds, targets, model=model))
    assert whole[0].size > 10_000
    for a, b in zip(whole, parts, strict=True):
        np.testing.assert_array_equal(a, b)


def test_pairs_that_cannot_fit_stop_with_a_clear_error(vaduz, monkeypatch):
    net, aeds, osm = vaduz
    aeds = aedplan.snap(net, aeds)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AedplanWarning)
        demand = aedplan.demand_from_buildings(osm)
    monkeypatch.setattr(_memory, "spare_bytes", lambda: 200_000)
    with pytest.raises(ResourceError, match=r"`minutes`: within 15 minutes the \d+ sites and "
                       r"[\d,]+ demand points make about [\d,]+ pairs .*`bbox`"):
        aedplan.coverage_times(net, demand, aeds, model=TimeModel(15))
    assert issubclass(ResourceError, MemoryError)


def test_the_lattice_is_every_cell_near_an_aed_once():
    """Generated AED positions (not real data) against a brute-force scan of the lattice."""
    rng = np.random.default_rng(7)
    sx, sy = rng.uniform(0, 300, 12), rng.uniform(0, 200, 12)
    reach_m, res = 40.0, 5.0
    extent = np.array([-20.0, 10.0, 290.0, 230.0])
    cx, cy, centres = circles._lattice(sx, sy, reach_m, res, extent)
    gx, gy = np.meshgrid(np.arange(-30, 80), np.arange(-30, 80), indexing="ij")
    px, py = (gx.ravel() + 0.5) * res, (gy.ravel() + 0.5) * res
    near = (np.hypot(px[:, None] - sx, py[:, None] - sy) <= reach_m + res).any(axis=1)
    inside = (px >= extent[0]) & (px <= extent[2]) & (py >= extent[1]) & (py <= extent[3])
    want = set(zip(gx.ravel()[near & inside], gy.ravel()[near & inside], strict=True))
    got = list(zip(cx, cy, strict=True))
    assert len(got) == len(set(got))
    assert set(got) == want
    np.testing.assert_allclose(centres, np.column_stack([(cx + 0.5) * res, (cy + 0.5) * res]))


def test_a_huge_budget_draws_on_a_coarser_lattice_with_a_warning(vaduz, monkeypatch):
    net, aeds, _ = vaduz
    aeds = aedplan.snap(net, aeds)
    fine = aedplan.rescue_circles(net, aeds.take(np.arange(5)), model=TimeModel(8))
    monkeypatch.setattr(circles, "_MAX_PAIRS", 20_000)
    with pytest.warns(AedplanWarning, match=r"drawn on a \d+ m lattice, not 5 m"):
        coarse = aedplan.rescue_circles(net, aeds.take(np.arange(5)), model=TimeModel(8))
    # the same circles to within the coarser cells
    a, b = fine.circles.geometry.to_numpy(), coarse.circles.geometry.to_numpy()
    assert (shapely.area(shapely.symmetric_difference(a, b)) < 0.1 * shapely.area(a)).all()


def _limit_address_space(kilobytes: int):
    import resource  # POSIX only, as the tests that use it

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (kilobytes * 1024, kilobytes * 1024))

    return limit


@pytest.mark.skipif(os.name != "posix", reason="ulimit -v is POSIX")
def test_spare_memory_honours_ulimit():
    code = "from aedplan import _memory; print(_memory.spare_bytes())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, preexec_fn=_limit_address_space(3_000_000))
    assert 0 < int(out.stdout) < 3_000_000 * 1024


def test_spare_memory_where_the_system_cannot_tell(monkeypatch):
    """As on Windows: no /proc, no ``sysconf``, no ``resource`` module. psutil's figure
    (a made-up 3 GiB here) when it is installed, else 4 GB assumed."""
    from types import SimpleNamespace

    monkeypatch.setitem(sys.modules, "resource", None)
    monkeypatch.setattr(_memory, "_kilobytes", lambda path, key: None)
    monkeypatch.setattr(_memory, "_read_int", lambda path: None)
    monkeypatch.delattr(os, "sysconf", raising=False)
    made_up = SimpleNamespace(available=3 * 2**30)
    monkeypatch.setitem(sys.modules, "psutil", SimpleNamespace(virtual_memory=lambda: made_up))
    assert _memory.spare_bytes() == 3 * 2**30
    monkeypatch.setitem(sys.modules, "psutil", None)  # not installed
    assert _memory.spare_bytes() == 4 * 2**30
    assert _memory.chunk_bytes() == 512 * 2**20


def test_a_plan_runs_where_there_is_no_resource_module():
    """Windows has no ``resource`` module: here it is hidden before aedplan is imported
    (a fresh interpreter), and a plan of 2 new AEDs on the embedded default runs through
    reach, coverage, rescue circles and the solver."""
    code = ("import sys; sys.modules['resource'] = None\n"
            "import aedplan\n"
            "run = aedplan.run(aedplan.Scenario().replace({'goal.budget': 2}))\n"
            "print(run.report['plan']['new_sites'], len(run.frames['circles']),\n"
            "      sys.modules['resource'] is None)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    new_sites, circles, hidden = done.stdout.split()
    assert int(new_sites) == 2 and int(circles) > 0 and hidden == "True"


@pytest.mark.skipif(sys.platform != "linux", reason="ulimit -v as on Linux")
def test_two_hours_on_vaduz_schaan_within_4_gb(tmp_path):
    """`ulimit -v 4000000` and a two-hour budget: it finishes, or stops with the clear
    one-line error; never a MemoryError traceback."""
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "aedplan", "coverage", "--osm",
         str(data_path("osm", "vaduz-schaan-2024-03-03.osm.pbf")), "--minutes", "120",
         "--out", str(out)],
        capture_output=True, text=True, timeout=600, preexec_fn=_limit_address_space(4_000_000),
    )
    assert "Traceback" not in proc.stderr
    assert "budget over 15 minutes is no longer a rescue circle" in proc.stderr
    if proc.returncode == 0:
        assert (out / "map.html").exists()
    else:
        assert proc.returncode == 2, proc.stderr
        assert "aedplan: error: `--minutes`" in proc.stderr
        assert not out.exists()


def test_running_out_of_memory_anywhere_is_one_line(monkeypatch, tmp_path):
    """A step without its own estimate that still runs out: exit 2 and one line."""
    from click.testing import CliRunner

    from aedplan import pipeline
    from aedplan.cli import main

    def exhausted(*args, **options):
        raise MemoryError("Unable to allocate 25.0 GiB")

    monkeypatch.setattr(pipeline, "run", exhausted)
    result = CliRunner().invoke(main, ["coverage", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "aedplan: error: out of memory, nothing written. A smaller `--minutes`, a smaller "
        "area (`--bbox`) or fewer candidate sites (`--candidates` from a file) needs less."
    ]
