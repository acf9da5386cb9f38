"""Sending what a command queued right after it, not at the next tick.

Rules: a kick starts a delivery when none is running; kicks during one make it run once more
when it ends, so nothing queued waits for the tick and deliveries never pile up.
"""

from __future__ import annotations

import asyncio
import logging

from bot.runtime.due import DueWork

log = logging.getLogger(__name__)


class DeliverSoon:
    def __init__(self, due: DueWork) -> None:
        self._due = due
        self._running: asyncio.Task[None] | None = None
        self._again = False

    def __call__(self) -> None:
        if self._running is not None and not self._running.done():
            self._again = True
            return
        self._running = asyncio.create_task(self._deliver())

    @property
    def busy(self) -> bool:
        return self._running is not None and not self._running.done()

    async def settle(self) -> None:
        """Wait until what was kicked so far has been delivered (tests; shutting down)."""
        while self._running is not None and not self._running.done():
            await asyncio.wait([self._running])

    async def _deliver(self) -> None:
        while True:
            self._again = False
            try:
                await self._due.deliver()
            except Exception:
                log.exception("delivering after a command failed; the next tick tries again")
            if not self._again:
                return
