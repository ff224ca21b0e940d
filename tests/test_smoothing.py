"""Arrest smoothing on cases worked out by hand: the leave-one-out likelihood of a
triangle and of a far point, the kernel's cut-off and what it costs, the bandwidth
chosen on a sample, and memory bounded by blocks. Every point here is made up in the
test."""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pytest
from scipy.special import logsumexp

from aedplan import _memory
from aedplan.errors import InputError
from aedplan.smoothing import CUT_H, choose_bandwidth, density_at, smoothed_demand

#: Made-up points: a 30-40-50 m right triangle and a point 10 km away.
TRIANGLE = np.array([[0.0, 0.0], [30.0, 0.0], [0.0, 40.0]])
FAR = np.array([10_000.0, 0.0])


def _dense(points, at, h):
    """The uncut kernel density, every pair at once (small cases only)."""
    d2 = ((at[:, None, :] - points[None, :, :]) ** 2).sum(axis=2)
    return np.exp(-d2 / (2 * h * h)).sum(axis=1) / (len(points) * 2 * np.pi * h * h)


def test_the_likelihood_of_a_triangle_by_hand():
    h = 25.0

    def k(d):  # the kernel at distance d, per square metre
        return math.exp(-d * d / (2 * h * h)) / (2 * math.pi * h * h)

    # each corner's density from the other two
    want = np.mean([math.log((k(30) + k(40)) / 2), math.log((k(30) + k(50)) / 2),
                    math.log((k(40) + k(50)) / 2)])
    chosen = choose_bandwidth(TRIANGLE, [h, 2 * h])
    assert chosen.loglik[0] == pytest.approx(want, rel=1e-12)
    assert (chosen.arrests, chosen.sample) == (3, 3)


def test_a_far_point_counts_by_its_nearest_neighbour_not_as_nothing():
    # 10 km at h = 25 m: exp(-d^2 / 2h^2) underflows to 0, its log does not
    h = 25.0
    xy = np.vstack([TRIANGLE, FAR])
    d2 = ((FAR - TRIANGLE) ** 2).sum(axis=1)
    log_far = logsumexp(-d2 / (2 * h * h)) - math.log(3 * 2 * math.pi * h * h)
    assert log_far == pytest.approx(-(10_000 - 30) ** 2 / (2 * h * h) - math.log(
        3 * 2 * math.pi * h * h), abs=1e-9)  # the nearest corner (30, 0) is all of it
    corners = [np.delete(xy, i, axis=0) for i in range(3)]
    logs = [logsumexp(-((c - xy[i]) ** 2).sum(axis=1) / (2 * h * h))
            - math.log(3 * 2 * math.pi * h * h) for i, c in enumerate(corners)]
    chosen = choose_bandwidth(xy, [h])
    assert np.isfinite(chosen.loglik[0])
    assert chosen.loglik[0] == pytest.approx((sum(logs) + log_far) / 4, rel=1e-12)


def test_the_same_numbers_as_every_pair_at_once():
    """The dense computation aedplan used before the kernel was cut and the work split
    into blocks: log-likelihoods to 1e-12, densities within the cut-off's bound."""
    rng = np.random.default_rng(5)
    xy = np.r_[rng.normal(0, 150, size=(250, 2)), rng.normal(900, 40, size=(50, 2))]
    hs = np.geomspace(25.0, 5000.0, 25)
    d2 = ((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)
    np.fill_diagonal(d2, np.inf)
    want = [float((logsumexp(-d2 / (2 * h * h), axis=1)
                   - np.log(299 * 2 * np.pi * h * h)).mean()) for h in hs]
    chosen = choose_bandwidth(xy)
    np.testing.assert_allclose(chosen.loglik, want, rtol=1e-12)
    assert chosen.h_m == hs[int(np.argmax(want))]
    at = rng.uniform(-800, 1200, size=(500, 2))
    full = _dense(xy, at, chosen.h_m)
    cut = density_at(xy, at, chosen.h_m)
    bound = 1e-12 / (2 * np.pi * chosen.h_m**2)
    assert np.all(full - cut <= bound)
    np.testing.assert_allclose(cut, full, rtol=1e-9, atol=bound)


def test_the_kernel_is_cut_where_a_trillionth_of_its_mass_is_left():
    h = 10.0
    assert math.exp(-CUT_H**2 / 2) == pytest.approx(1e-12, rel=1e-9)
    assert CUT_H * h == pytest.approx(74.3, abs=0.05)
    one = np.zeros((1, 2))
    at = np.array([[0.0, 0.0], [74.0, 0.0], [0.0, -74.5], [300.0, 0.0]])
    got = density_at(one, at, h)
    peak = 1 / (2 * math.pi * h * h)
    assert got[0] == pytest.approx(peak, rel=1e-15)
    assert got[1] == pytest.approx(peak * math.exp(-74.0**2 / 200), rel=1e-12)
    assert got[2] == got[3] == 0.0  # beyond 74.3 m: cut off
    # what the cut left out is below a trillionth of the peak
    assert peak * math.exp(-74.5**2 / 200) < 1e-12 * peak


def test_the_cut_density_never_exceeds_the_full_one_by_more_than_its_bound():
    rng = np.random.default_rng(8)
    points = rng.uniform(0, 2000, size=(400, 2))
    at = rng.uniform(-500, 2500, size=(2000, 2))
    for h in (20.0, 90.0, 700.0):
        gap = _dense(points, at, h) - density_at(points, at, h)
        bound = 1e-12 / (2 * math.pi * h * h)
        assert gap.min() >= -1e-15 * bound / 1e-12  # rounding only: the cut never adds
        assert gap.max() <= bound


def test_more_arrests_than_the_sample_choose_on_a_sample_and_say_so():
    rng = np.random.default_rng(3)
    n, m, sigma = 2000, 500, 200.0
    xy = rng.normal(0, sigma, size=(n, 2))
    chosen = choose_bandwidth(xy, sample=m)
    assert (chosen.arrests, chosen.sample) == (n, m)
    # the sample's choice, a bandwidth tried, scaled to all the points
    on_sample = chosen.h_m / (m / n) ** (1 / 6)
    assert np.isclose(chosen.tried_m, on_sample, rtol=1e-12).sum() == 1
    assert chosen.loglik.argmax() == np.flatnonzero(np.isclose(chosen.tried_m, on_sample))[0]
    # near the normal reference rule for all n points, not for the sample
    assert 0.6 * sigma * n ** (-1 / 6) <= chosen.h_m <= 1.3 * sigma * n ** (-1 / 6)
    summary = chosen.summary()
    assert "on a random 500 of the 2,000 arrests" in summary["method"]
    assert (summary["arrests"], summary["sample"]) == (2000, 500)
    # the same sample every time; all the points when the sample would hold them
    assert choose_bandwidth(xy, sample=m).h_m == chosen.h_m
    whole = choose_bandwidth(xy[:400], sample=m)
    assert whole.sample == 400 and "random" not in whole.summary()["method"]
    np.testing.assert_array_equal(whole.loglik, choose_bandwidth(xy[:400], sample=None).loglik)
    with pytest.raises(InputError, match="`sample`: the bandwidth is chosen on 3 arrests"):
        choose_bandwidth(xy, sample=2)


def test_blocks_give_the_same_numbers(monkeypatch):
    rng = np.random.default_rng(11)
    xy = rng.normal(0, 300, size=(600, 2))
    at = rng.uniform(-900, 900, size=(3000, 2))
    whole = choose_bandwidth(xy)
    dens = density_at(xy, at, 400.0)
    monkeypatch.setattr(_memory, "chunk_bytes", lambda: 20_000)  # one row, 250 pairs
    np.testing.assert_allclose(choose_bandwidth(xy).loglik, whole.loglik, rtol=1e-13)
    np.testing.assert_allclose(density_at(xy, at, 400.0), dens, rtol=1e-13, atol=0)


def _peak_bytes(fn):
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_the_density_holds_the_pairs_a_block_at_a_time(monkeypatch):
    # 1,500 points read at 2,000 places with a wide kernel: 3 million pairs, whose
    # kernel values alone take 24 MB an array if all are held at once
    rng = np.random.default_rng(2)
    points = rng.uniform(0, 1000, size=(1500, 2))
    at = rng.uniform(0, 1000, size=(2000, 2))
    monkeypatch.setattr(_memory, "chunk_bytes", lambda: 2**30)
    assert _peak_bytes(lambda: density_at(points, at, 500.0)) > 40e6
    monkeypatch.setattr(_memory, "chunk_bytes", lambda: 2**20)
    assert _peak_bytes(lambda: density_at(points, at, 500.0)) < 4e6


def test_choosing_the_bandwidth_holds_a_block_of_distances_at_a_time():
    # 2,000 points: 32 MB a matrix of all their distances, a few MB a block
    xy = np.random.default_rng(4).normal(0, 300, size=(2000, 2))
    assert _peak_bytes(lambda: choose_bandwidth(xy, sample=None)) < 8e6


def test_a_bandwidth_given_must_be_a_distance():
    import geopandas as gpd

    made_up = gpd.GeoDataFrame({"weight": [1.0, 2.0]},
                               geometry=gpd.points_from_xy([0, 50], [0, 0]), crs=32632)
    for bad in (0.0, -5.0, float("nan")):
        with pytest.raises(InputError, match="`bandwidth_m`: a distance in metres above 0"):
            smoothed_demand(made_up, made_up, made_up.crs, bandwidth_m=bad)
    out, chosen = smoothed_demand(made_up, made_up, made_up.crs, bandwidth_m=50.0)
    # each point's own arrest at distance 0, the other's at 50 m: exp(-1/2) of the peak
    share = np.array([1 + math.exp(-0.5), 2 * (1 + math.exp(-0.5))])
    np.testing.assert_allclose(out["weight"], 2 * share / share.sum(), rtol=1e-12)
    assert chosen is None and (out["kind"] == "arrests-smoothed").all()
