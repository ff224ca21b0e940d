"""A smoothed risk surface from past cardiac arrests: a kernel density on the plane, its
bandwidth chosen by cross-validation.

Arrests are few and scattered, so planning on them directly fits their noise; smoothing
them (Chan et al., Circulation 2013; Chan, Demirtas & Kwon, Management Science 2016)
spreads each arrest's weight over the streets around it. The kernel is a 2-D Gaussian
of standard deviation ``h`` in metres; ``h`` maximises the leave-one-out
log-likelihood of the arrests themselves (likelihood cross-validation). The surface is
then read at demand points along the streets, each weighted by the street length it
stands for: the demand ``--demand arrests-smoothed`` plans on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import logsumexp

from .errors import InputError

__all__ = ["BANDWIDTHS_M", "Bandwidth", "choose_bandwidth", "density_at", "smoothed_demand",
           "xy_in"]

#: The bandwidths tried, in metres: 25 m to 5 km, evenly on a log scale.
BANDWIDTHS_M = np.geomspace(25.0, 5000.0, 25)

#: Pairs of points handled at once (memory: 8 bytes each, a few times over).
_BLOCK = 4_000_000


@dataclass(frozen=True)
class Bandwidth:
    """The chosen bandwidth and the leave-one-out log-likelihood of every one tried
    (per arrest, so numbers compare across samples)."""

    h_m: float
    tried_m: np.ndarray
    loglik: np.ndarray

    def summary(self) -> dict[str, Any]:
        return {"bandwidth_m": self.h_m, "method": "leave-one-out likelihood "
                "cross-validation, Gaussian kernel on the plane",
                "tried_m": [round(float(h), 1) for h in self.tried_m],
                "loglik_per_arrest": [None if not np.isfinite(v) else round(float(v), 4)
                                      for v in self.loglik]}


def choose_bandwidth(xy: Any, tried_m: Any = BANDWIDTHS_M) -> Bandwidth:
    """The bandwidth (metres) that maximises the leave-one-out log-likelihood of the
    points ``xy`` (``(n, 2)``, metres) under a Gaussian kernel density.

    Examples
    --------
    Points drawn from a Gaussian of 200 m: the choice lies near the normal reference
    rule in two dimensions, ``200 * n ** (-1/6)`` (Silverman 1986) = 77 m for 300 points.

    >>> rng = np.random.default_rng(1)
    >>> h = choose_bandwidth(rng.normal(0, 200, size=(300, 2))).h_m
    >>> 50 < h < 160
    True
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    n = xy.shape[0]
    if n < 3:
        raise InputError(f"`arrests`: {n} arrests are too few to smooth (3 at least); "
                         "plan on them as points instead.")
    hs = np.asarray(tried_m, dtype=float)
    d2 = np.concatenate([_sq_dist(xy[i:i + 2000], xy) for i in range(0, n, 2000)])
    np.fill_diagonal(d2, np.inf)  # leave each point out of its own estimate
    loglik = np.array([_loo_loglik(d2, h, n) for h in hs])
    best = int(np.argmax(np.where(np.isfinite(loglik), loglik, -np.inf)))
    return Bandwidth(float(hs[best]), hs, loglik)


def density_at(points: Any, at: Any, h_m: float) -> np.ndarray:
    """The Gaussian kernel density of ``points`` (``(n, 2)``, metres) at ``at``
    (``(m, 2)``), per square metre; it integrates to 1 over the plane."""
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    at = np.asarray(at, dtype=float).reshape(-1, 2)
    out = np.zeros(at.shape[0])
    if points.shape[0] == 0:
        return out
    step = max(1, _BLOCK // points.shape[0])
    norm = 1.0 / (points.shape[0] * 2.0 * np.pi * h_m * h_m)
    for lo in range(0, at.shape[0], step):
        d2 = _sq_dist(at[lo:lo + step], points)
        out[lo:lo + step] = norm * np.exp(-d2 / (2.0 * h_m * h_m)).sum(axis=1)
    return out


def smoothed_demand(demand: Any, arrests: Any, crs: Any, *,
                    bandwidth_m: float | None = None) -> tuple[Any, Bandwidth | None]:
    """``demand`` (points along the streets with a ``weight``, e.g. metres of street
    each stands for) reweighted by the density of ``arrests`` there, scaled to sum to
    the number of arrests: the expected arrests each point stands for. Distances are
    taken in ``crs`` (projected, in metres: the network's). The bandwidth is chosen by
    cross-validation unless ``bandwidth_m`` is given."""
    pts = xy_in(arrests, crs)
    chosen = None
    if bandwidth_m is None:
        chosen = choose_bandwidth(pts)
        bandwidth_m = chosen.h_m
    here = xy_in(demand, crs)
    risk = density_at(pts, here, bandwidth_m) * demand["weight"].to_numpy(dtype=float)
    total = risk.sum()
    out = demand.copy()
    out["weight"] = risk * (len(pts) / total) if total > 0 else risk
    out["kind"] = "arrests-smoothed"
    return out, chosen


def xy_in(frame: Any, crs: Any) -> np.ndarray:
    """``(n, 2)`` coordinates of a GeoDataFrame's points in ``crs``."""
    geom = frame.geometry if frame.crs is not None and frame.crs.equals(crs) else (
        frame.geometry.to_crs(crs))
    return np.column_stack([geom.x.to_numpy(), geom.y.to_numpy()])


def _sq_dist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return ((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2)


def _loo_loglik(d2: np.ndarray, h: float, n: int) -> float:
    """Mean log of each point's density from the others."""
    log_norm = -np.log((n - 1) * 2.0 * np.pi * h * h)
    per_point = logsumexp(-d2 / (2.0 * h * h), axis=1) + log_norm
    return float(per_point.mean())
