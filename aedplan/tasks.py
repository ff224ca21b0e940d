"""Where the work runs: in this process, or as Dask tasks on a local or real cluster.

A :class:`Runner` maps a function over its arguments, here one after another or on the
cluster's workers (each task retried once; a task that fails twice stops the run with
one line). With ``tile_m``, the network searches of a plan (:func:`aedplan.reach.
pair_times`, :func:`aedplan.reach.reach_times`, :func:`aedplan.circles.rescue_circles`)
run part by part: the area is cut into square parts, each searched on its own streets
with a halo of one search limit (:mod:`aedplan.tiling`), so that the answer is the one
the whole network gives; searches of less than :data:`MIN_WORK` stay whole. On a
cluster, the exact plan's independent parts are solved side by side too. A runner is
put in force for a block with :func:`use`; :func:`current` gives the one in force (by
default: this process, whole).

    with tasks.cluster(workers=2, tile_m=5000) as runner, tasks.use(runner):
        aedplan.run(scenario)   # the same plan; its searches ran on 2 workers

:func:`aedplan.run` does this for a scenario's ``[cluster]`` section.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .errors import AedplanError, InputError, Phrase

__all__ = ["Runner", "cluster", "current", "use"]


#: The work (pairs searched and expanded, :func:`aedplan.reach.pair_times`) below which a
#: search runs whole here: about 2 s on one core, less than cutting it into parts and
#: sending them to the workers takes.
MIN_WORK = 3e7

#: Seconds per unit of work on one core (:data:`MIN_WORK` is about 2 s).
SECONDS_PER_WORK = 2.0 / MIN_WORK


class Runner:
    """Where tasks run: in this process (``client=None``), or as Dask tasks of
    ``client`` (each retried once). ``tile_m``: the side of the parts the network
    searches are cut into (``None``: whole); a search of less than ``min_work``
    (:data:`MIN_WORK`) runs whole all the same. ``progress`` gets a line every few
    seconds while many tasks run."""

    def __init__(self, client: Any = None, *, tile_m: float | None = None,
                 min_work: float = MIN_WORK,
                 progress: Callable[[str], None] | None = None) -> None:
        self.client = client
        self.tile_m = None if tile_m is None else float(tile_m)
        self.min_work = float(min_work)
        self.progress = progress
        self._told = 0.0
        self._kept: dict[Any, Any] = {}
        #: How many tasks were run so far.
        self.tasks = 0
        #: How many network searches ran by parts, and how many whole (with ``tile_m``).
        self.searches = {"by_parts": 0, "whole": 0}

    def _tell(self, what: str, done: int, n: int) -> None:
        """``what``: done of n, every few seconds and at the end (many tasks only)."""
        now = time.perf_counter()
        if self.progress is not None and n > 1 and (done == n or now - self._told > 5.0):
            self._told = now
            self.progress(f"{what}: {done:,} of {n:,} done")

    def map(self, fn: Callable[..., Any], *iterables: Any, what: str,
            deadline: float | None = None) -> list[Any]:
        """``fn`` over the arguments, in order. With a ``deadline`` (a
        :func:`time.perf_counter` time), the tasks not done by then give ``None``: on a
        cluster they are cancelled, here they are not started."""
        args = list(zip(*iterables, strict=True))
        self.tasks += len(args)
        if not args:
            return []
        if self.client is None:
            out = []
            for k, one in enumerate(args):  # stops starting tasks at the deadline
                late = deadline is not None and time.perf_counter() > deadline
                out.append(None if late else fn(*one))
                self._tell(what, k + 1, len(args))
            return out
        from distributed import as_completed

        futures = self.client.map(fn, *zip(*args, strict=True), retries=1, pure=False)
        left = None if deadline is None else max(deadline - time.perf_counter(), 0.0)
        with contextlib.suppress(TimeoutError):  # what is late is cancelled below
            for k, _ in enumerate(as_completed(futures, timeout=left)):
                self._tell(what, k + 1, len(futures))
        late = [f for f in futures if not f.done()]
        if late:
            self.client.cancel(late)
        try:
            return [None if not f.done() or f.cancelled() else f.result() for f in futures]
        except AedplanError:
            raise
        except Exception as exc:  # a worker lost, or the task failed twice
            raise AedplanError(
                "{what} failed on the cluster, also when retried: {kind}: {detail}. Nothing was "
                "written.", what=Phrase(what), kind=type(exc).__name__, detail=str(exc)
            ) from exc

    @property
    def slots(self) -> int:
        """How many tasks run side by side: the cluster's threads, or one here."""
        if self.client is None:
            return 1
        return max(1, int(sum(self.client.nthreads().values())))

    def scatter(self, value: Any) -> Any:
        """``value`` where the tasks will read it: sent once to the cluster, or as is."""
        return value if self.client is None else self.client.scatter(value, hash=False)

    def by_parts(self, work: float) -> bool:
        """Whether a search of this much ``work`` (:data:`MIN_WORK`'s units) runs part by
        part: with ``tile_m``, from ``min_work`` up; counted in :attr:`searches`."""
        if self.tile_m is None:
            return False
        parted = work >= self.min_work
        self.searches["by_parts" if parted else "whole"] += 1
        return parted

    @property
    def parts(self) -> int:
        """How many parts of the area were searched so far."""
        return len({key[1:5] for key, value in self._kept.items()
                    if key[0] == "part" and value[1] is not None})

    def kept(self, key: Any, make: Callable[[], Any]) -> Any:
        """What ``make()`` gives, made once per ``key`` for as long as this runner
        lives (the parts of a network, searched once per kind of search)."""
        if key not in self._kept:
            self._kept[key] = make()
        return self._kept[key]


_HERE = Runner()
_CURRENT: contextvars.ContextVar[Runner] = contextvars.ContextVar("aedplan_runner",
                                                                  default=_HERE)


def current() -> Runner:
    """The runner in force (:func:`use`); by default this process, whole."""
    return _CURRENT.get()


@contextmanager
def use(runner: Runner) -> Iterator[Runner]:
    """Put ``runner`` in force for the block."""
    token = _CURRENT.set(runner)
    try:
        yield runner
    finally:
        _CURRENT.reset(token)


@contextmanager
def cluster(*, workers: int | None = None, scheduler: str | None = None,
            memory_per_worker: str | None = None, client: Any = None, tile_m: float | None = None,
            min_work: float = MIN_WORK, progress: Callable[[str], None] | None = None,
            ) -> Iterator[Runner]:
    """A runner for the block: on ``client`` (a :class:`distributed.Client` the caller
    keeps), on the Dask scheduler at ``scheduler``, on a local cluster of ``workers``
    processes (``memory_per_worker`` each, e.g. ``"6GB"``), or here when none is given."""
    given = [n for n, v in (("workers", workers), ("scheduler", scheduler),
                            ("client", client)) if v is not None]
    if len(given) > 1:
        raise InputError("`{first}`/`{second}`: give one (a local cluster of `workers` "
                         "processes, the address of a running `scheduler`, or a `client`), "
                         "not both.", first=given[0], second=given[1])
    if client is not None or not given:
        yield Runner(client, tile_m=tile_m, min_work=min_work, progress=progress)
        return
    import logging

    try:
        from distributed import Client, LocalCluster, fire_and_forget
    except ImportError:
        raise InputError(
            "`workers`/`scheduler`: running on a Dask cluster needs Dask's distributed "
            'scheduler: `pip install "aedplan[cluster]"`. Without them the parts run here.'
        ) from None

    logging.getLogger("distributed").setLevel(logging.ERROR)
    if scheduler is not None:
        try:
            remote = Client(scheduler, timeout="10s")
        except (OSError, ValueError, TypeError) as exc:
            raise InputError("`scheduler`: cannot reach a Dask scheduler at {scheduler!r} "
                             "({kind}: {detail}); give its address as tcp://host:8786, or use "
                             "`workers` for a local cluster.", scheduler=scheduler,
                             kind=type(exc).__name__, detail=str(exc)) from None
        with remote:
            yield Runner(remote, tile_m=tile_m, min_work=min_work, progress=progress)
        return
    _check_memory(memory_per_worker)
    # the scheduler's HTTP server on a free port: another cluster may hold the usual one
    with LocalCluster(n_workers=int(workers or 1), threads_per_worker=1, processes=True,
                      memory_limit=memory_per_worker or "auto", dashboard_address=":0",
                      silence_logs=logging.ERROR) as local, Client(local) as here:
        for worker in here.scheduler_info()["workers"]:  # while this process reads
            fire_and_forget(here.submit(_warm_up, workers=[worker], pure=False))
        yield Runner(here, tile_m=tile_m, min_work=min_work, progress=progress)


def _warm_up() -> None:
    """Import what the tasks run, once per worker, before the first task."""
    import aedplan.optimise
    import aedplan.reach  # noqa: F401


def _check_memory(size: str | None) -> None:
    if size is None:
        return
    from dask.utils import parse_bytes

    try:
        parse_bytes(size)
    except (ValueError, TypeError):
        raise InputError("`memory_per_worker`: {size!r} is not a size; give one like 6GB or "
                         "500MB.", size=size) from None
