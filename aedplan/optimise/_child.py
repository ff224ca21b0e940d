"""The HiGHS solves of :func:`aedplan.optimise._highs.run` for large models, in a process
of their own so that a solve can be stopped at its deadline whatever HiGHS is doing.

Run as ``python -m aedplan.optimise._child TASKS MESSAGES``: receives models and options,
one after another, through the pipe ``TASKS``; solves each with
:func:`aedplan.optimise._highs.solve`, sending every better solution, the bound now and
then, and finally ``("result", Result)`` through the pipe ``MESSAGES``. It ignores Ctrl-C
(the parent stops it), and ends when the parent closes ``TASKS`` or is gone.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from multiprocessing.connection import Connection

from ._highs import solve


def _orphaned(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_orphaned, args=(os.getppid(),), daemon=True).start()
    tasks = Connection(int(sys.argv[1]), writable=False)
    conn = Connection(int(sys.argv[2]), readable=False)
    while True:
        try:
            task = tasks.recv()
        except (EOFError, OSError):
            break
        result = solve(task["model"], start=task["start"], seconds=max(task["seconds"], 0.01),
                       mip_rel_gap=task["mip_rel_gap"], threads=task["threads"],
                       report=conn.send)
        conn.send(("result", result))
    conn.close()


if __name__ == "__main__":
    main()
