"""The garbage collector during a run: what was alive at its start is spared from the
collector's passes while it runs, and handed back after."""

from __future__ import annotations

import contextlib
import gc

import pytest

import aedplan
from aedplan._collector import spared


def test_spared_freezes_for_the_block_and_hands_back():
    assert gc.get_freeze_count() == 0
    held = [object() for _ in range(10)]
    with spared():
        frozen = gc.get_freeze_count()
        assert frozen >= len(held)
        with spared():  # inside another: still frozen, not frozen twice
            assert gc.get_freeze_count() == frozen
        assert gc.get_freeze_count() == frozen
        made = [[] for _ in range(5)]
        gc.collect()
        assert all(gc.is_tracked(m) for m in made)  # new objects still collected
    assert gc.get_freeze_count() == 0


def test_a_process_that_froze_itself_is_left_alone():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with spared():
            pass
        assert gc.get_freeze_count() == frozen  # not unfrozen by the run
    finally:
        gc.unfreeze()


def test_a_disabled_collector_is_left_alone():
    gc.disable()
    try:
        with spared():
            assert gc.get_freeze_count() == 0
    finally:
        gc.enable()


@pytest.mark.filterwarnings("ignore::aedplan.errors.AedplanWarning")
def test_a_run_spares_what_was_alive_and_hands_it_back():
    seen = []

    @contextlib.contextmanager
    def step(label, key):
        seen.append(gc.get_freeze_count())
        yield

    scenario = aedplan.Scenario().replace({"goal.optimise": False})
    aedplan.run(scenario, step=step)
    assert seen and min(seen) > 0
    assert gc.get_freeze_count() == 0
