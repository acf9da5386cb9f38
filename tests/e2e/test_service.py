"""`circles run --scheduler-only`, as a server runs it: it says it is up, delivers what is due on
its first tick, and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.support.bot_process import service
from tests.support.seeding import seed_prompts
from tests.support.worker_process import platform_env, write_config

TIMEOUT = 60.0


async def _line_containing(stream: asyncio.StreamReader, text: str) -> list[str]:
    """Lines read up to and including the first that contains `text`."""
    lines: list[str] = []
    while not lines or text not in lines[-1]:
        line = await stream.readline()
        if not line:
            raise AssertionError(f"output ended before {text!r}: {lines}")
        lines.append(line.decode())
    return lines


async def test_the_service_delivers_what_is_due_and_stops_cleanly_on_sigterm(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'circles.db'}"
    config = write_config(tmp_path / "config.toml", url, tick_seconds=60)
    await seed_prompts(url, 3, platform="console")
    async with (
        service(config, platform_env(), "--scheduler-only") as bot,
        asyncio.timeout(TIMEOUT),
    ):
        seen = [bot.up, *await _line_containing(bot.stdout, "[DM to m3]")]
    status, errors = await bot.exited(), await bot.stderr()

    assert status == 0, errors
    assert "Stop it with Ctrl-C or SIGTERM" in seen[0]
    assert "running the scheduler only" in seen[0]
    assert sum("Time for your check-in in the mentors circle" in line for line in seen) == 3
    assert "Traceback" not in errors
