"""Work a platform took and has not finished: what shutting down and the tests wait for.

Rules: a request's work is tracked from when it starts until it ends, whatever it raised; a
platform has settled when none of its parts is busy at the same moment, since finishing one part
may start work in another (a command starts a delivery, a delivery refreshes an App Home).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine, Iterator
from typing import Any, Protocol


class Settling(Protocol):
    """Something that may have work under way and can wait for it."""

    @property
    def busy(self) -> bool: ...

    async def settle(self) -> None: ...


class InFlight:
    """The tasks running a platform's requests (or its background work) right now."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    @contextlib.contextmanager
    def this_task(self) -> Iterator[None]:
        """Track the running task until the block ends."""
        task = asyncio.current_task()
        assert task is not None, "only inside a task"
        self._tasks.add(task)
        try:
            yield
        finally:
            self._tasks.discard(task)

    def start(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Run `work` in a task of its own, tracked from now until it ends."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    async def settle(self) -> None:
        """Wait until every task tracked so far, and any tracked meanwhile, has ended."""
        while self._tasks:
            await asyncio.wait(list(self._tasks))


async def settle_all(*parts: Settling) -> None:
    """Wait until no part is busy: each is settled in turn, again, until all are idle at once."""
    while any(part.busy for part in parts):
        for part in parts:
            await part.settle()
