"""Files written whole or not at all: a temporary file beside the target, moved into
place only when complete; and an output folder held by one run at a time."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path to write ``path`` to; move it into place only on success.

    The temporary file lives in a fresh hidden directory next to ``path`` (same file
    system, so the final :func:`os.replace` is atomic) and has the same name, so
    writers that pick a format from the suffix (GDAL) behave as for ``path``. If the
    ``with`` body raises, the temporary files are deleted and ``path`` is untouched.
    Sidecar files written next to it (a Shapefile's ``.shx``/``.dbf``) are moved too,
    before the main file.

    Parameters
    ----------
    path
        Final location. Missing parent directories are created.

    Yields
    ------
    pathlib.Path
        Where to write.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.name}.") as tmp:
        staged = Path(tmp) / target.name
        yield staged
        if not staged.exists():
            raise FileNotFoundError(f"nothing was written to {staged} for {target}")
        for extra in Path(tmp).iterdir():
            if extra != staged:
                os.replace(extra, target.parent / extra.name)
        os.replace(staged, target)


def write_atomic(path: str | os.PathLike[str], writer: Callable[[Path], object]) -> Path:
    """Write ``path`` whole or not at all.

    Parameters
    ----------
    path
        Final location of the file.
    writer
        Called with a temporary path in the same directory (same file name); must
        write the complete file there, e.g. ``lambda p: gdf.to_file(p, layer="aeds")``.

    Returns
    -------
    pathlib.Path
        ``path``, now holding what ``writer`` wrote. If ``writer`` raises, the error
        propagates and any existing file at ``path`` is left as it was.
    """
    with atomic_path(path) as staged:
        writer(staged)
    return Path(path)


# --------------------------------------------------------------------------- one run a folder

#: The lock file a run keeps in its output folder while it runs: its process id and host.
LOCK_NAME = ".aedplan-lock"

#: Folders this process holds, with how many times (a run's writing holds its folder again).
_HELD: dict[Path, int] = {}


class FolderBusy(Exception):
    """Another running process holds the folder: its process id and host."""

    def __init__(self, lock: Path, pid: int, host: str) -> None:
        super().__init__(lock, pid, host)
        self.lock, self.pid, self.host = lock, pid, host


@contextmanager
def holding(folder: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold ``folder`` for one run: create it if needed and keep an advisory lock file in
    it (:data:`LOCK_NAME`, holding this process's id) until the block ends, so that a
    second run on the same folder is refused while this one runs. A lock left by a
    process that no longer runs (killed) is taken over. The same process may hold a
    folder again (writing inside a run that holds it). Folders created here are removed
    again if the block leaves them empty.

    Raises
    ------
    FolderBusy
        When a running process holds ``folder``.
    OSError
        When ``folder`` cannot be created or written.
    """
    path = Path(folder)
    created = [p for p in (path, *path.absolute().parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True)
    key = path.resolve()
    try:
        if key not in _HELD:
            _take(key / LOCK_NAME)
        _HELD[key] = _HELD.get(key, 0) + 1
    except BaseException:
        _remove_empty(created)
        raise
    try:
        yield path
    finally:
        _HELD[key] -= 1
        if not _HELD[key]:
            del _HELD[key]
            _release(key / LOCK_NAME)
        _remove_empty(created)


def _take(lock: Path) -> None:
    """Create ``lock`` with this process's id, whole (linked from a complete file), or
    take it over from a process that is gone."""
    import socket

    mine = lock.with_name(f"{lock.name}.{os.getpid()}")
    mine.write_text(f"{os.getpid()} {socket.gethostname()}\n", encoding="utf-8")
    try:
        for _ in range(5):
            try:
                os.link(mine, lock)
                return
            except FileExistsError:
                pass
            holder = _holder(lock)
            if holder is not None and _running(*holder):
                raise FolderBusy(lock, *holder)
            _drop_stale(lock, holder)
        raise FileExistsError(f"could not take {lock} over from a stopped process")
    finally:
        mine.unlink(missing_ok=True)


def _holder(lock: Path) -> tuple[int, str] | None:
    """The process id and host written in ``lock`` (``None`` when unreadable or gone)."""
    try:
        pid, host = lock.read_text(encoding="utf-8").split()
        return int(pid), host
    except (OSError, ValueError):
        return None


def _running(pid: int, host: str) -> bool:
    """Whether process ``pid`` of ``host`` still runs (another host's: assumed so)."""
    import socket

    if host != socket.gethostname() or pid == os.getpid():
        return True
    if os.name == "nt":  # pragma: no cover - Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it runs
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _drop_stale(lock: Path, holder: tuple[int, str] | None) -> None:
    """Remove the lock of a stopped process; if another process took it over meanwhile,
    leave its lock in place."""
    aside = lock.with_name(f"{lock.name}.{os.getpid()}.stale")
    try:
        os.replace(lock, aside)
    except FileNotFoundError:
        return
    if holder is not None and _holder(aside) != holder:  # not the one read: put it back
        with suppress(FileExistsError):
            os.link(aside, lock)
    aside.unlink(missing_ok=True)


def _release(lock: Path) -> None:
    """Remove ``lock`` if this process still holds it."""
    holder = _holder(lock)
    if holder is not None and holder[0] == os.getpid():
        lock.unlink(missing_ok=True)


def _remove_empty(folders: list[Path]) -> None:
    """Remove the folders of ``folders`` (deepest first) that are empty."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return
