"""The bot as a service (`circles run --no-console`): it ticks until it is told to stop.

Rules: it says one line once it is up; SIGTERM or SIGINT stops it cleanly, as `Ticker.stop`
describes (sends in flight finish, what was claimed goes back), and it then returns normally.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable

from adapters.bootstrap import App
from adapters.scheduler import Ticker

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


async def serve(app: App, tick_seconds: int, announce: Callable[[], None]) -> None:
    """Tick every `tick_seconds` until SIGTERM or SIGINT."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop.set)
    ticker = Ticker(app.due, tick_seconds)
    try:
        ticker.start()
        announce()
        await stop.wait()
    finally:
        for signum in STOP_SIGNALS:
            loop.remove_signal_handler(signum)
        await ticker.stop()
