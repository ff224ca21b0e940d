"""Files written whole or not at all: a temporary file beside the target, moved into
place only when complete."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
