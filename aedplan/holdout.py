"""How sure a held-out score is: Wilson intervals, paired comparisons of two plans on the
same held-out arrests (a paired bootstrap and an exact sign test), and the verdict a
planner reads: which demand model wins, and whether by more than chance.

Two plans scored on the same arrests differ only on the arrests one covers and the
other does not (the discordant ones); the sign test (McNemar's exact test) asks whether
those split unevenly, and the paired bootstrap resamples arrests to give an interval for
the difference in arrests covered.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

__all__ = ["paired", "wilson"]

#: Bootstrap resamples, and the seed that keeps reports reproducible.
REPS, SEED = 4000, 20240303


def wilson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of a share ``k / n``.

    Examples
    --------
    >>> [round(v, 4) for v in wilson(8, 10)]
    [0.4902, 0.9433]
    >>> wilson(0, 0)
    (0.0, 1.0)
    """
    if n == 0:
        return 0.0, 1.0
    z = float(stats.norm.ppf(0.5 + level / 2))
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return float(max(centre - half, 0.0)), float(min(centre + half, 1.0))


def paired(a: Any, b: Any, *, level: float = 0.95) -> dict[str, Any]:
    """Plan ``a`` against plan ``b`` on the same held-out arrests (booleans: covered):
    the difference in arrests covered, its paired-bootstrap interval, the discordant
    counts and the exact sign test's two-sided p-value; ``beyond_chance`` when the
    interval excludes 0 and the sign test rejects at ``1 - level``.

    Examples
    --------
    >>> a = np.array([1, 1, 1, 1, 1, 1, 0, 0], bool)
    >>> b = np.array([0, 0, 0, 0, 0, 1, 0, 0], bool)
    >>> r = paired(a, b)
    >>> r["difference"], r["a_only"], r["b_only"], round(r["p_value"], 4)
    (5, 5, 0, 0.0625)

    The interval excludes 0, but the sign test does not reject: not beyond chance.

    >>> r["interval"][0] > 0, r["beyond_chance"]
    (True, False)
    """
    a, b = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    d = a.astype(np.int64) - b.astype(np.int64)
    n = d.size
    only_a, only_b = int((d > 0).sum()), int((d < 0).sum())
    p = (stats.binomtest(only_a, only_a + only_b, 0.5).pvalue if only_a + only_b else 1.0)
    if n:
        rng = np.random.default_rng(SEED)
        sums = np.concatenate([d[rng.integers(0, n, size=(min(REPS, 400), n))].sum(axis=1)
                               for _ in range(REPS // min(REPS, 400))])
        lo, hi = np.quantile(sums, [0.5 - level / 2, 0.5 + level / 2])
    else:
        lo = hi = 0.0
    return {"difference": int(d.sum()), "interval": [float(lo), float(hi)],
            "a_only": only_a, "b_only": only_b, "p_value": float(p),
            # both must agree: the interval excludes 0, and the sign test rejects
            "beyond_chance": bool((lo > 0 or hi < 0) and p < 1 - level)}
