"""`circles run --scheduler-only`, as a server runs it: it says it is up, delivers what is due on
its first tick, and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from tests.e2e.worker_process import PINNED_NOW, ROOT, write_config
from tests.seeding import seed_prompts

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
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "adapters.cli",
        "run",
        "--now",
        PINNED_NOW,
        "--scheduler-only",
        "--config",
        str(config),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    try:
        async with asyncio.timeout(TIMEOUT):
            seen = await _line_containing(process.stdout, "Mentor Circles is running")
            seen += await _line_containing(process.stdout, "[DM to m3]")
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        status = await asyncio.wait_for(process.wait(), TIMEOUT)
    errors = (await process.stderr.read()).decode()

    assert status == 0, errors
    assert "Stop it with Ctrl-C or SIGTERM" in seen[0]
    assert "running the scheduler only" in seen[0]
    assert sum("Check-in time for mentors" in line for line in seen) == 3
    assert "Traceback" not in errors
