"""A database that fails to open leaves no thread to report into a closed event loop.

aiosqlite (0.22) runs each SQLite connection on a worker thread; when opening fails it queues
the thread's stop and returns at once. If the program then ends (the CLI says what went wrong
and exits), the event loop closes first and the thread, finishing its stop, prints "Exception
in thread ... Event loop is closed" and a traceback to the operator, in about one run in six.

Rule: wherever a failed open ends what the program is doing, the worker threads started while
opening are waited for (briefly) before the error goes on.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

WORKER = "_connection_worker_thread"
"""aiosqlite's worker threads are named after this function (`Thread-1 (<name>)`)."""
WAIT_SECONDS = 2.0


@asynccontextmanager
async def worker_threads_settled_on_failure() -> AsyncIterator[None]:
    """Run the block; if it fails, wait for the aiosqlite threads it started to end first."""
    before = set(threading.enumerate())
    try:
        yield
    except BaseException:
        started = [t for t in threading.enumerate() if t not in before and WORKER in t.name]
        await asyncio.to_thread(_join, started)
        raise


def _join(threads: Iterable[threading.Thread]) -> None:
    for thread in threads:
        thread.join(WAIT_SECONDS)
