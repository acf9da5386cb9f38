"""The bot as a service (`circles run --no-console`): it ticks until it is told to stop.

Rules: the chat platforms start before the first tick and the line saying it is up; SIGTERM or
SIGINT stops it cleanly: the ticker first, as `Ticker.stop` describes (sends in flight finish,
what was claimed goes back), then the platforms, which finish the requests they took (what
those queue waits in the outbox for the next start), and it returns normally.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Sequence
from typing import Protocol

from adapters.bootstrap import App
from adapters.scheduler import Ticker

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Platform(Protocol):
    """A chat platform's adapter as the service runs it."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


async def serve(
    app: App,
    tick_seconds: int,
    announce: Callable[[], None],
    platforms: Sequence[Platform] = (),
) -> None:
    """Serve the platforms and tick every `tick_seconds` until SIGTERM or SIGINT."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop.set)
    ticker = Ticker(app.due, tick_seconds)
    started: list[Platform] = []
    try:
        for platform in platforms:
            await platform.start()
            started.append(platform)
        ticker.start()
        announce()
        await stop.wait()
    finally:
        for signum in STOP_SIGNALS:
            loop.remove_signal_handler(signum)
        await ticker.stop()
        for platform in reversed(started):
            await platform.stop()
