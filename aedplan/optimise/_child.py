"""The HiGHS solve of :func:`aedplan.optimise._highs.run` for a large model, in a process
of its own so that it can be stopped at the deadline whatever HiGHS is doing.

Run as ``python -m aedplan.optimise._child FD``: reads the pickled model and options from
stdin, solves with :func:`aedplan.optimise._highs.solve`, and sends every better solution,
the bound now and then, and finally ``("result", Result)`` through the pipe ``FD``. It
ignores Ctrl-C (the parent stops it) and ends itself when the parent is gone.
"""

from __future__ import annotations

import os
import pickle
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
    conn = Connection(int(sys.argv[1]), readable=False)
    task = pickle.load(sys.stdin.buffer)
    result = solve(task["model"], start=task["start"], seconds=max(task["seconds"], 0.01),
                   mip_rel_gap=task["mip_rel_gap"], threads=task["threads"], report=conn.send)
    conn.send(("result", result))
    conn.close()


if __name__ == "__main__":
    main()
