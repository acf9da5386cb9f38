"""Work after an ack waits until the acks still owed have gone out.

Bolt sends an ack not when `ack()` is called but when its request handler next looks (every
10 ms). A listener that carries straight on into the core after `ack()` holds the event loop
until its first real wait; in a burst of 200 commands those steps add up, and every ack waits
behind all of them (measured: twice the bare app's latency). So after `ack()` a listener waits
until no request is left waiting for its answer, its own included, at most `LIMIT_SECONDS`:
acks first, the core after.
"""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web
from aiohttp.typedefs import Handler

LIMIT_SECONDS = 0.5


class AckGate:
    def __init__(self) -> None:
        self._owed = 0
        self._clear = asyncio.Event()
        self._clear.set()

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Count each request from its arrival until its answer is ready."""
        self._owed += 1
        self._clear.clear()
        try:
            return await handler(request)
        finally:
            self._owed -= 1
            if self._owed == 0:
                self._clear.set()

    async def after_ack(self) -> None:
        """Return once no request is waiting for its answer (or after LIMIT_SECONDS)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(LIMIT_SECONDS):
                await self._clear.wait()
