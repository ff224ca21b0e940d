"""Input checks in one place: each collects every problem and raises once."""

from __future__ import annotations

import math
from typing import Any

from .errors import CRSError, InputError

MODES = ("round-trip", "one-way")


def _raise(problems: list[str]) -> None:
    if problems:
        raise InputError("; ".join(problems))


def _number(value: Any) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def time_model(minutes: Any, mode: Any, speed_m_s: Any) -> tuple[float, str, float]:
    """Check the rescue-circle time model and return it normalised."""
    problems = []
    m = _number(minutes)
    if m is None or m <= 0:
        problems.append(f"`minutes` must be a positive number of minutes, got {minutes!r}")
    if mode not in MODES:
        problems.append(
            f"`mode` must be 'round-trip' (fetch the AED and come back) or 'one-way' "
            f"(the AED is carried from its site to the patient), got {mode!r}"
        )
    s = _number(speed_m_s)
    if s is None or s <= 0:
        problems.append(
            f"`speed_m_s` must be a positive walking speed in m/s (1.4 is a walk, about 2.0 "
            f"a hurried walk), got {speed_m_s!r}"
        )
    elif s > 12:
        problems.append(
            f"`speed_m_s` is {s} m/s, faster than a sprinter; give the speed in metres per "
            "second, not km/h"
        )
    _raise(problems)
    assert m is not None and s is not None  # for type checkers; checked above
    return m, str(mode), s


def positive(value: Any, name: str, *, allow_zero: bool = False) -> float:
    v = _number(value)
    if v is None or v < 0 or (v == 0 and not allow_zero):
        kind = "a non-negative" if allow_zero else "a positive"
        raise InputError(f"`{name}` must be {kind} number, got {value!r}")
    return v


def has_crs(gdf: Any, name: str) -> None:
    if getattr(gdf, "crs", None) is None:
        raise CRSError(
            f"`{name}` has no CRS; set it with `{name}.set_crs('EPSG:4326')` if the "
            "coordinates are lon/lat."
        )
