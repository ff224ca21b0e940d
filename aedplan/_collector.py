"""Python's garbage collector during a run.

A run creates many containers (frames, GeoJSON features, graph arrays' wrappers), so the
collector's full passes come several times a run, and each walks every object the
process holds: pandas', matplotlib's and folium's modules, the caller's notebook. The
objects alive when a run starts are not the run's garbage; :func:`spared` leaves them
out of the collector's passes (:func:`gc.freeze`) until the run ends, when they are
handed back (:func:`gc.unfreeze`). On the embedded default that is 0.15-0.2 s of a 2 s
run. Nothing is kept longer than the run: garbage among those objects is collected at
the next pass after it.

A process that froze objects itself (a server after its start) is left as it is.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["spared"]

_lock = threading.Lock()
_depth = [0]  # runs inside one another (compare's variants) freeze once


@contextlib.contextmanager
def spared() -> Iterator[None]:
    """Objects alive now stay out of the collector's passes until the block ends."""
    with _lock:
        mine = _depth[0] > 0 or (gc.isenabled() and gc.get_freeze_count() == 0)
        if mine:
            if _depth[0] == 0:
                gc.freeze()
            _depth[0] += 1
    try:
        yield
    finally:
        if mine:
            with _lock:
                _depth[0] -= 1
                if _depth[0] == 0:
                    gc.unfreeze()
