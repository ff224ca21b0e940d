"""A smoothed risk surface from past cardiac arrests: a kernel density on the plane, its
bandwidth chosen by cross-validation.

Arrests are few and scattered, so planning on them directly fits their noise; smoothing
them (Chan et al., Circulation 2013; Chan, Demirtas & Kwon, Management Science 2016)
spreads each arrest's weight over the streets around it. The kernel is a 2-D Gaussian
of standard deviation ``h`` in metres; ``h`` maximises the leave-one-out
log-likelihood of the arrests themselves (likelihood cross-validation). The surface is
then read at demand points along the streets, each weighted by the street length it
stands for: the demand ``--demand arrests-smoothed`` plans on.

Time and memory stay bounded however many arrests a registry holds:

- each arrest's kernel is cut off :data:`CUT_H` bandwidths from it (7.4), where it has
  ``1e-12`` of its mass left, so a demand point only looks at the arrests near it;
- the bandwidth is chosen on at most :data:`SAMPLE` arrests: on more, on a random
  sample of that many, the sample's choice scaled to all the arrests by
  ``(sample / arrests) ** (1/6)``, the rate at which the best bandwidth of a 2-D kernel
  density shrinks with the number of points (Silverman 1986, section 4.3; Hall &
  Robinson 2009 and Barreiro-Ures et al., Biometrika 2021, choose bandwidths for large
  samples this way). :class:`Bandwidth` records both counts;
- both work a block at a time, blocks sized from the memory the machine can spare
  (:func:`aedplan._memory.chunk_bytes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.spatial import cKDTree
from scipy.spatial.distance import cdist

from . import _memory
from .errors import InputError

__all__ = ["BANDWIDTHS_M", "CUT_H", "SAMPLE", "Bandwidth", "choose_bandwidth", "density_at",
           "smoothed_demand", "xy_in"]

#: The bandwidths tried, in metres: 25 m to 5 km, evenly on a log scale.
BANDWIDTHS_M = np.geomspace(25.0, 5000.0, 25)

#: Where each arrest's kernel is cut off, in bandwidths: a 2-D Gaussian has
#: ``exp(-CUT_H**2 / 2) = 1e-12`` of its mass beyond (7.43 bandwidths).
CUT_H = float(np.sqrt(2.0 * np.log(1e12)))

#: The bandwidth is chosen on at most this many arrests (a random sample of them).
SAMPLE = 5_000

#: Distances held at once while choosing the bandwidth: a block that stays in the
#: processor's cache, reused for every bandwidth tried.
_CACHE_CELLS = 2**18
#: Working bytes per (demand point, arrest) pair while reading the density: the pair's
#: indices and distance as the tree returns them, built and copied, and its kernel value.
_PAIR_BYTES = 80


@dataclass(frozen=True)
class Bandwidth:
    """The chosen bandwidth and the leave-one-out log-likelihood of every one tried
    (per arrest, so numbers compare across samples), computed on ``sample`` of the
    ``arrests`` (all of them, unless there were more than :data:`SAMPLE`)."""

    h_m: float
    tried_m: np.ndarray
    loglik: np.ndarray
    arrests: int
    sample: int

    def summary(self) -> dict[str, Any]:
        method = ("leave-one-out likelihood cross-validation, Gaussian kernel on the "
                  "plane")
        if self.sample < self.arrests:
            method += (f", on a random {self.sample:,} of the {self.arrests:,} arrests, "
                       f"the sample's choice scaled by ({self.sample:,} / "
                       f"{self.arrests:,})^(1/6)")
        return {"bandwidth_m": self.h_m, "method": method, "arrests": self.arrests,
                "sample": self.sample,
                "tried_m": [round(float(h), 1) for h in self.tried_m],
                "loglik_per_arrest": [None if not np.isfinite(v) else round(float(v), 4)
                                      for v in self.loglik]}


def choose_bandwidth(xy: Any, tried_m: Any = BANDWIDTHS_M, *, sample: int | None = SAMPLE,
                     seed: int = 0) -> Bandwidth:
    """The bandwidth (metres) that maximises the leave-one-out log-likelihood of the
    points ``xy`` (``(n, 2)``, metres) under a Gaussian kernel density.

    On more than ``sample`` points (``None``: no limit) the likelihood is that of a
    random ``sample`` of them (drawn with ``seed``), and the bandwidth it chooses is
    scaled by ``(sample / n) ** (1/6)``. The work takes ``sample ** 2`` distances
    for each bandwidth tried, a cache-sized block at a time.

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
        raise InputError("`arrests`: {n} arrests are too few to smooth (3 at least); "
                         "plan on them as points instead.", n=n)
    if sample is not None and sample < 3:
        raise InputError("`sample`: the bandwidth is chosen on 3 arrests at least, got "
                         "{sample}; pass a larger `sample`, or None for all of them.",
                         sample=sample)
    m = n if sample is None else min(n, int(sample))
    if m < n:
        xy = xy[np.sort(np.random.default_rng(seed).choice(n, size=m, replace=False))]
    hs = np.asarray(tried_m, dtype=float)
    loglik = _loo_loglik(xy, hs)
    best = int(np.argmax(np.where(np.isfinite(loglik), loglik, -np.inf)))
    return Bandwidth(float(hs[best] * (m / n) ** (1 / 6)), hs, loglik, n, m)


def density_at(points: Any, at: Any, h_m: float) -> np.ndarray:
    """The Gaussian kernel density of ``points`` (``(n, 2)``, metres) at ``at``
    (``(m, 2)``), per square metre, each point's kernel cut off :data:`CUT_H`
    bandwidths from it.

    It integrates to ``1 - 1e-12`` over the plane, and it is below the uncut kernel's
    density by at most ``1e-12 / (2 pi h_m**2)`` anywhere (the peak of one point's
    kernel, times the mass cut off). Only the pairs of a point of ``at`` and a point
    within the cut-off are visited, a block of ``at`` at a time.
    """
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    at = np.asarray(at, dtype=float).reshape(-1, 2)
    out = np.zeros(at.shape[0])
    if points.shape[0] == 0 or at.shape[0] == 0:
        return out
    radius = CUT_H * h_m
    tree = cKDTree(points)
    # neighbouring points of `at` in one block make a compact tree to search with
    cell = np.floor((at - at.min(axis=0)) / max(radius, 1.0)).astype(np.int64)
    order = np.lexsort((cell[:, 1], cell[:, 0]))
    pairs = tree.query_ball_point(at[order], radius, return_length=True)
    scale = -0.5 / (h_m * h_m)
    for lo, hi in _blocks(pairs, max(1, _memory.chunk_bytes() // _PAIR_BYTES)):
        near = cKDTree(at[order[lo:hi]]).sparse_distance_matrix(
            tree, radius, output_type="ndarray")
        out[order[lo:hi]] = np.bincount(near["i"], weights=np.exp(near["v"] ** 2 * scale),
                                        minlength=hi - lo)
    return out / (points.shape[0] * 2.0 * np.pi * h_m * h_m)


def smoothed_demand(demand: Any, arrests: Any, crs: Any, *,
                    bandwidth_m: float | None = None) -> tuple[Any, Bandwidth | None]:
    """``demand`` (points along the streets with a ``weight``, e.g. metres of street
    each stands for) reweighted by the density of ``arrests`` there, scaled to sum to
    the number of arrests: the expected arrests each point stands for. Distances are
    taken in ``crs`` (projected, in metres: the network's). The bandwidth is chosen by
    cross-validation unless ``bandwidth_m`` is given."""
    if bandwidth_m is not None and not (np.isfinite(bandwidth_m) and bandwidth_m > 0):
        raise InputError("`bandwidth_m`: a distance in metres above 0, got {bandwidth_m!r}; "
                         "leave it out to choose one by cross-validation.",
                         bandwidth_m=bandwidth_m)
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


def _loo_loglik(xy: np.ndarray, hs: np.ndarray) -> np.ndarray:
    """For each bandwidth of ``hs``, the mean log of each point's density from the
    others. A block of rows of the distance matrix at a time, each row's log-sum-exp
    taken from its nearest other point."""
    n = xy.shape[0]
    scale = -0.5 / hs**2
    total = np.zeros(hs.size)
    rows = max(1, min(_CACHE_CELLS // n, _memory.chunk_bytes() // (16 * n)))
    work = np.empty((rows, n))
    for lo in range(0, n, rows):
        d2 = cdist(xy[lo:lo + rows], xy, "sqeuclidean")
        k = d2.shape[0]
        d2[np.arange(k), lo + np.arange(k)] = np.inf  # leave each point out of its own
        nearest = d2.min(axis=1)
        d2 -= nearest[:, None]
        terms = work[:k]
        for q, s in enumerate(scale):
            np.multiply(d2, s, out=terms)
            np.exp(terms, out=terms)
            total[q] += np.sum(nearest * s + np.log(terms.sum(axis=1)))
    return total / n - np.log((n - 1) * 2.0 * np.pi * hs**2)


def _blocks(sizes: np.ndarray, budget: int) -> list[tuple[int, int]]:
    """Consecutive ``(lo, hi)`` blocks of rows whose ``sizes`` add up to ``budget`` at
    most (a row larger than ``budget`` alone in its block)."""
    ends = np.cumsum(sizes)
    blocks, lo = [], 0
    while lo < sizes.size:
        start = ends[lo - 1] if lo else 0
        hi = max(lo + 1, int(np.searchsorted(ends, start + budget, side="right")))
        blocks.append((lo, hi))
        lo = hi
    return blocks
