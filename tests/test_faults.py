"""Faults a new user meets: a write that fails (a full disk, a name too long, a folder
that stops taking files), two runs on one folder, an empty `--out`. Each ends in one line
naming `out` (`--out` on the command line), nothing half-written and no staging left
behind. Disk faults are injected by patching the writers (a tiny file system needs a
mount)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from aedplan import outputs
from aedplan._atomic import LOCK_NAME, holding
from aedplan.cli import main
from aedplan.errors import InputError, WriteError
from aedplan.outputs import check_out

from .conftest import SAMPLES
from .test_outputs import write

VADUZ = SAMPLES / "vaduz-centre-2024-03-03.osm.pbf"


def disk_full(path):
    """A writer that gets half its file out, then finds the disk full."""
    Path(path).write_bytes(b"half a png")
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


def everything(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too), with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}


def test_a_full_disk_leaves_no_folder_and_no_staging(tmp_path):
    out = tmp_path / "new" / "out"
    with pytest.raises(WriteError, match=r"^`out`: writing into .*out failed: no space left on "
                       r"device \(map\.png\); nothing was written.* Free some space, or "
                       r"choose another `out`\.$"):
        write(out, images={"map.png": disk_full})
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # new/ and out/ gone again


def test_a_full_disk_leaves_the_earlier_run_as_it_was(tmp_path):
    out = tmp_path / "out"
    write(out)
    before = everything(out)
    with pytest.raises(OSError, match="no space left on device"):  # an OSError too
        write(out, overwrite=True, images={"map.png": disk_full})
    assert everything(out) == before  # no staging, no lock, no half png


def test_gdal_on_a_full_disk_is_said_as_a_full_disk(tmp_path, monkeypatch):
    """GDAL tells a full disk as "Cannot write feature"; with no space left it is said as
    a full disk, naming the file."""
    import shutil
    from collections import namedtuple

    import pyogrio
    import pyogrio.errors

    def cannot(*args, **kwargs):
        raise pyogrio.errors.DataLayerError("Cannot write feature")

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(pyogrio, "write_dataframe", cannot)
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10, 10, 0))
    with pytest.raises(WriteError, match=r"no space left on device \(proposed_sites\.geojson\)"):
        write(tmp_path / "out")
    assert not (tmp_path / "out").exists()
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10 << 30, 0, 10 << 30))
    with pytest.raises(WriteError, match=r"failed: GDAL: Cannot write feature"):
        write(tmp_path / "out")


def test_a_move_that_fails_puts_the_earlier_run_back(tmp_path, monkeypatch):
    """The folder stops taking files while this run's files are moved in (the permission
    lost mid-run): the files already moved go back and the earlier run's return."""
    out = tmp_path / "out"
    write(out, images={"map.png": lambda p: p.write_bytes(b"old png")})
    before = everything(out)
    replace, calls = os.replace, []

    def fails_on_the_tenth(src, dst):
        calls.append(dst)
        if len(calls) == 10:  # 7 earlier files set aside, 2 new ones moved in, then this
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        return replace(src, dst)

    monkeypatch.setattr(outputs.os, "replace", fails_on_the_tenth)
    with pytest.raises(WriteError, match=r"failed: permission denied \(.*\); nothing was "
                       r"written.* Choose a folder you can write as `out`\.$"):
        write(out, overwrite=True)
    monkeypatch.undo()
    assert everything(out) == before


def test_a_name_too_long_is_refused_before_any_work(tmp_path):
    long = tmp_path / ("a" * 300)
    with pytest.raises(InputError, match=r"^`out`: cannot use .*\.\.\..* \(\d+ characters\): a "
                       r"name in it is too long for the file system .*choose a shorter `out`"):
        check_out(long)
    with pytest.raises(InputError, match="too long"):
        write(long)
    assert list(tmp_path.iterdir()) == []


def test_an_empty_out_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for empty in ("", "  "):
        with pytest.raises(InputError, match=r"^`out` is empty; give a folder"):
            check_out(empty)
    result = CliRunner().invoke(main, ["coverage", "--osm", str(VADUZ), "--out", ""])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        "aedplan: error: `--out` is empty; give a folder for the results, e.g. "
        "`--out aedplan-out`.")
    assert list(tmp_path.iterdir()) == []  # nothing written in the current folder


def test_a_full_disk_on_the_command_line(tmp_path, monkeypatch):
    """The whole run, through the command: one line naming `--out`, exit code 2, and no
    output folder."""
    def full(path, report):
        disk_full(path)

    monkeypatch.setattr(outputs, "write_json", full)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["coverage", "--osm", str(VADUZ), "--out", str(out),
                                       "--quiet"])
    assert result.exit_code == 2, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith(f"aedplan: error: `--out`: writing into {out} failed: no space "
                           "left on device (report.json); nothing was written"), last
    assert last.endswith("Free some space, or choose another `--out`.")
    assert "Traceback" not in result.output
    assert not out.exists()


# --------------------------------------------------------------------------- one run a folder


HOLD = """
import sys, time
from aedplan._atomic import holding
with holding(sys.argv[1]):
    print("held", flush=True)
    time.sleep(120)
"""


@pytest.fixture
def held(tmp_path):
    """The folder ``held`` held by another process, which is killed at the end of the
    test if it still runs."""
    folder = tmp_path / "held"
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(folder)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "held"
    yield folder, proc
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    proc.stdout.close()


def test_a_second_run_is_refused_while_the_first_runs(held):
    folder, proc = held
    assert (folder / LOCK_NAME).read_text().split()[0] == str(proc.pid)
    said = rf"`out`: another aedplan run \(process {proc.pid} on .*\) is writing into .*held"
    with pytest.raises(InputError, match=said):
        check_out(folder)
    with pytest.raises(InputError, match=said):
        write(folder)
    result = subprocess.run([sys.executable, "-m", "aedplan", "coverage", "--out",
                             str(folder)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"aedplan: error: `--out`: another aedplan run (process {proc.pid} on "
        f"{os.uname().nodename}) is writing into {folder}; wait for it to finish, or choose "
        f"another `--out`. (If no run is writing there, remove {folder / LOCK_NAME}.)"]
    assert sorted(p.name for p in folder.iterdir()) == [LOCK_NAME]  # nothing of the second


def test_the_lock_of_a_run_that_was_killed_is_taken_over(held):
    folder, proc = held
    proc.kill()  # no chance to clean up: its lock stays
    proc.wait()
    assert (folder / LOCK_NAME).read_text().split()[0] == str(proc.pid)
    written = write(folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted(written)  # the lock gone


def test_a_folder_is_held_again_by_the_same_run(tmp_path):
    """A command holds its `--out` for the whole run, and the writing holds it again."""
    out = tmp_path / "out"
    with holding(out):
        lock = (out / LOCK_NAME).read_text()
        assert lock.split()[0] == str(os.getpid())
        write(out)
        assert (out / LOCK_NAME).read_text() == lock  # still held, by this run
    assert not (out / LOCK_NAME).exists()
    assert "report.json" in {p.name for p in out.iterdir()}


def test_a_lock_is_released_when_the_run_fails(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(RuntimeError), holding(out):
        raise RuntimeError("the run failed")
    assert not out.exists()  # made for the run, left empty: gone again
    assert "report.json" in write(out)  # not refused
