"""How much memory a step may use: the least of what the machine has free, what the
process may still map (``ulimit -v``) and what its container allows (cgroup). Where the
system cannot tell (no ``/proc``, no ``resource`` module: Windows), psutil answers when
it is installed, and otherwise a step assumes 4 GB free and no address-space limit.

Steps whose size grows with the rescue budget (reach pairs, rescue-circle lattices) work
in chunks sized from :func:`spare_bytes`, and stop with a
:class:`~aedplan.errors.ResourceError` that says how to shrink the problem when even
their result would not fit.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["chunk_bytes", "gigabytes", "spare_bytes"]

#: Working memory of one chunk, at most: large enough to keep arrays efficient, small
#: enough to stay in bounds on a laptop.
_CHUNK_CAP = 512 * 2**20
_UNKNOWN = 4 * 2**30  # when the system says nothing


def _read_int(path: str) -> int | None:
    try:
        text = Path(path).read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _kilobytes(path: str, key: str) -> int | None:
    """A ``key: N kB`` line of a /proc file, in bytes (None where it is missing)."""
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _available() -> int | None:
    """The machine's available memory: from /proc, ``sysconf``, or psutil (Windows), in
    that order; None when none of them can tell."""
    available = _kilobytes("/proc/meminfo", "MemAvailable")
    if available is None and hasattr(os, "sysconf"):
        try:
            available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError):
            available = None
    if available is None:
        try:
            import psutil
        except ImportError:
            return None
        available = int(psutil.virtual_memory().available)
    return available


def _address_space_left() -> int | None:
    """What the process may still map under ``RLIMIT_AS`` (``ulimit -v``); None without a
    limit, or without the ``resource`` module (Windows, which has no such limit)."""
    try:
        import resource
    except ImportError:
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return None
    return soft - (_kilobytes("/proc/self/status", "VmSize") or 0)


def spare_bytes() -> int:
    """Bytes this process can still allocate without failing or pushing the machine into
    swap: the least of the machine's available memory, the address space left under
    ``RLIMIT_AS`` (``ulimit -v``) and the room left under a cgroup memory limit."""
    available = _available()
    limits = [available if available is not None else _UNKNOWN]
    address_space = _address_space_left()
    if address_space is not None:
        limits.append(address_space)
    cap = _read_int("/sys/fs/cgroup/memory.max")  # cgroup v2; "max" reads as None
    if cap is not None:
        used = (_read_int("/sys/fs/cgroup/memory.current")
                or _kilobytes("/proc/self/status", "VmRSS") or 0)
        limits.append(cap - used)
    return max(int(min(limits)), 0)


def chunk_bytes() -> int:
    """Working memory one chunk of a large step may take: a quarter of what is spare,
    at most 512 MiB, at least 16 MiB."""
    return max(16 * 2**20, min(_CHUNK_CAP, spare_bytes() // 4))


def gigabytes(n_bytes: float) -> str:
    """``1.9 GB``, ``0.3 GB``: sizes as a message gives them."""
    return f"{n_bytes / 1e9:,.1f} GB"
