"""Synthetic jittered street grids for scale benchmarks."""

from __future__ import annotations

import numpy as np

from aedplan.network import WalkNetwork, network_from_arrays


def jittered_grid(n_nodes: int, *, spacing_m: float = 60.0, jitter_m: float = 12.0,
                  drop: float = 0.1, seed: int = 0) -> WalkNetwork:
    """A square grid of about ``n_nodes`` nodes ``spacing_m`` apart, each moved by up to
    ``jitter_m``, with a share ``drop`` of the edges removed (blocks of varied size)."""
    rng = np.random.default_rng(seed)
    side = round(np.sqrt(n_nodes))
    ix, iy = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
    ix, iy = ix.ravel(), iy.ravel()
    x = 500_000.0 + ix * spacing_m + rng.uniform(-jitter_m, jitter_m, ix.shape[0])
    y = 5_000_000.0 + iy * spacing_m + rng.uniform(-jitter_m, jitter_m, iy.shape[0])
    idx = ix * side + iy
    right = idx[ix < side - 1]
    up = idx[iy < side - 1]
    u = np.r_[right, up]
    v = np.r_[right + side, up + 1]
    keep = rng.random(u.shape[0]) >= drop
    return network_from_arrays(x, y, u[keep], v[keep], crs="EPSG:32632", source="jittered grid")
