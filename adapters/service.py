"""The bot as a service (`circles run --no-console`): it ticks until it is told to stop.

Rules: the outbox delivers to every platform that runs and to the console (its messages are
printed); the chat platforms start before the first tick and the line saying it is up; SIGTERM or
SIGINT stops it cleanly: the ticker first, as `Ticker.stop` describes (sends in flight finish,
what was claimed goes back), then the platforms, which finish the requests they took (what
those queue waits in the outbox for the next start), and it returns normally. A platform that
ends its connection for good (a reset or revoked token) stops it the same way, and then
`PlatformLost` says why: a supervisor sees a failure, not a clean stop to leave alone.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Callable, Sequence

from adapters.bootstrap import App, bootstrap, describe_url
from adapters.config import Settings
from adapters.console.messenger import ConsoleMessenger
from adapters.console.people import PLATFORM as CONSOLE
from adapters.platform import Adapter
from adapters.registry import PLATFORMS, spoken
from adapters.scheduler import Ticker
from adapters.storage_faults import report_storage_problems
from bot.kernel.ports import Clock, Messenger

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class PlatformLost(Exception):
    """A platform ended its connection for good; the message says why and what to do."""


async def run_service(settings: Settings, clock: Clock, adapters: Sequence[Adapter]) -> None:
    """Bootstrap the core with the adapters' messengers, attach them and `serve` them; with no
    adapter, only tick (what it queues for a platform waits for an instance that serves it)."""
    report_storage_problems(settings.storage.url)
    messengers: dict[str, Messenger] = {CONSOLE: ConsoleMessenger(sys.stdout)}
    for adapter in adapters:
        messengers[adapter.messenger.platform] = adapter.messenger
    app = await bootstrap(settings, clock, messengers)
    for adapter in adapters:
        adapter.attach(app.bus, app.due, app.seen_events, clock)
    tick = settings.scheduler.tick_seconds

    def announce() -> None:
        where = "".join(f", {adapter.describe()}" for adapter in adapters)
        what = "" if adapters else " the scheduler only"
        titles = spoken([p.title for p in PLATFORMS], "and")
        waiting = "" if adapters else f"; messages for {titles} wait for `circles run`"
        print(
            f"Mentor Circles is running{what} (storage: {describe_url(settings.storage.url)}"
            f"{where}, a tick every {tick} s{waiting}). Stop it with Ctrl-C or SIGTERM.",
            flush=True,
        )

    try:
        await serve(app, tick, announce, adapters)
    finally:
        await app.close()


async def serve(
    app: App,
    tick_seconds: int,
    announce: Callable[[], None],
    platforms: Sequence[Adapter] = (),
) -> None:
    """Serve the platforms and tick every `tick_seconds` until SIGTERM or SIGINT, or until a
    platform is lost for good (then PlatformLost, once everything has stopped)."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop.set)
    ticker = Ticker(app.due, tick_seconds)
    started: list[Adapter] = []
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


async def _until_stopped(stop: asyncio.Event, platforms: Sequence[Adapter]) -> str | None:
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
