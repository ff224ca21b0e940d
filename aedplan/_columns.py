"""Small column helpers shared by the readers of demand and candidate sites."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def objects(values: Any) -> np.ndarray:
    """An object array with ``None`` where values are missing.

    >>> objects([1.0, float("nan"), "a"]).tolist()
    [1.0, None, 'a']
    """
    out = np.asarray(values, dtype=object).copy()
    out[pd.isna(out)] = None
    return out


def fill_kind(values: pd.Series | None, default: str, n: int) -> np.ndarray:
    """A ``kind`` column: the source's values, ``default`` where missing (or for all)."""
    if values is None:
        return np.full(n, default, dtype=object)
    out = values.to_numpy(dtype=object)
    return np.where(pd.isna(out), default, out)
