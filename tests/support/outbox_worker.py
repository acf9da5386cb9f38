"""A bot instance for the delivery tests and the fan-out bench: the real bootstrap and ticker
(as `circles run --no-console` runs them) with one platform, the fake chat API.

    python -m tests.support.outbox_worker CONFIG CHAT_URL [--rate N] [--resend-safe] [--now ISO]

It prints `worker up <pid>` once it ticks, and exits with status 0 after SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
from datetime import datetime
from pathlib import Path

from adapters.bootstrap import bootstrap
from adapters.clock import OffsetClock
from adapters.config import load_settings
from adapters.service import serve
from tests.support.fake_chat import HttpMessenger

PLATFORM = "fakechat"
UP = "worker up"


async def run(
    config: Path, chat_url: str, rate: float | None, resend_safe: bool, now: datetime | None
) -> None:
    settings = load_settings(config)
    messenger = HttpMessenger(
        chat_url, platform=PLATFORM, max_per_second=rate, resend_is_safe=resend_safe
    )
    app = await bootstrap(settings, OffsetClock(now), {PLATFORM: messenger})
    try:
        await serve(
            app,
            settings.scheduler.tick_seconds,
            lambda: print(f"{UP} {os.getpid()}", flush=True),
        )
    finally:
        await messenger.close()
        await app.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="outbox_worker")
    parser.add_argument("config", type=Path)
    parser.add_argument("chat_url")
    parser.add_argument("--rate", type=float, help="the platform's limit, messages per second")
    parser.add_argument("--resend-safe", action="store_true", help="the server drops repeats")
    parser.add_argument(
        "--now", type=datetime.fromisoformat, help="start the clock here (aware ISO date-time)"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    asyncio.run(run(args.config, args.chat_url, args.rate, args.resend_safe, args.now))


if __name__ == "__main__":
    main()
