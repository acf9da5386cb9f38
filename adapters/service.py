"""The bot as a service (`circles run --no-console`): it ticks until it is told to stop.

Rules: the chat platforms start before the first tick and the line saying it is up; SIGTERM or
SIGINT stops it cleanly: the ticker first, as `Ticker.stop` describes (sends in flight finish,
what was claimed goes back), then the platforms, which finish the requests they took (what
those queue waits in the outbox for the next start), and it returns normally. A platform that
ends its connection for good (a reset or revoked token) stops it the same way, and then
`PlatformLost` says why: a supervisor sees a failure, not a clean stop to leave alone.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Sequence
from typing import Protocol

from adapters.bootstrap import App
from adapters.scheduler import Ticker

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class PlatformLost(Exception):
    """A platform ended its connection for good; the message says why and what to do."""


class Platform(Protocol):
    """A chat platform's adapter as the service runs it."""

    async def start(self) -> None: ...

    async def lost(self) -> str:
        """Return once the platform has ended the connection for good, saying what to do."""
        ...

    async def stop(self) -> None: ...


async def serve(
    app: App,
    tick_seconds: int,
    announce: Callable[[], None],
    platforms: Sequence[Platform] = (),
) -> None:
    """Serve the platforms and tick every `tick_seconds` until SIGTERM or SIGINT, or until a
    platform is lost for good (then PlatformLost, once everything has stopped)."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop.set)
    ticker = Ticker(app.due, tick_seconds)
    started: list[Platform] = []
    lost: str | None = None
    try:
        for platform in platforms:
            await platform.start()
            started.append(platform)
        ticker.start()
        announce()
        lost = await _until_stopped(stop, started)
    finally:
        for signum in STOP_SIGNALS:
            loop.remove_signal_handler(signum)
        await ticker.stop()
        for platform in reversed(started):
            await platform.stop()
    if lost is not None:
        raise PlatformLost(lost)


async def _until_stopped(stop: asyncio.Event, platforms: Sequence[Platform]) -> str | None:
    """Wait for a stop signal (None) or a platform lost for good (what it said)."""
    stopping = asyncio.create_task(stop.wait())
    losses = [asyncio.create_task(platform.lost()) for platform in platforms]
    try:
        done, _ = await asyncio.wait([stopping, *losses], return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (stopping, *losses):
            task.cancel()
        await asyncio.gather(stopping, *losses, return_exceptions=True)
    for task in losses:
        if task in done:
            return task.result()
    return None
