"""Numbers in words for maps and reports: times, quantities, areas, shares."""

from __future__ import annotations

import math
from typing import Any


def format_seconds(seconds: Any) -> str:
    """Seconds as a person reads them: ``200 -> "3 min 20 s"``, ``60 -> "1 min"``.

    Missing, negative or infinite values give ``"unknown"``.
    """
    try:
        s = float(seconds)
    except (TypeError, ValueError):
        return "unknown"
    if not math.isfinite(s) or s < 0:
        return "unknown"
    minutes, rest = divmod(round(s), 60)
    if minutes == 0:
        return f"{rest} s"
    return f"{minutes} min" if rest == 0 else f"{minutes} min {rest} s"


def number(value: Any) -> float | None:
    """A finite float, or ``None`` for anything else (missing, text, inf)."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def quantity(value: Any) -> str | None:
    """A demand quantity: ``12345.6 -> "12,346"``, ``3.14159 -> "3.14"``."""
    x = number(value)
    if x is None:
        return None
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def hectares(area_m2: Any) -> str | None:
    x = number(area_m2)
    return None if x is None else f"{quantity(x / 1e4)} ha"


def share(value: Any) -> str | None:
    x = number(value)
    return None if x is None else f"{100.0 * x:.1f}%"
