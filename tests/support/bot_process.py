"""The `circles` command under test, as a person runs it: a finished run (`circles`) or a
running service (`service`). Every process starts its clock at the pinned moment and sees no
chat platform's secrets but those a test gives it."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.worker_process import PINNED_NOW, ROOT, platform_env, until_line

TIMEOUT = 60.0
UP = "Mentor Circles is running"


def circles(
    *args: str, stdin: str = "", cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`circles ARGS` run to its end; the console and the service start at the pinned moment."""
    pinned = ["--now", PINNED_NOW] if args and args[0] in ("console", "run") else []
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args, *pinned],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=cwd or ROOT,
        env=env if env is not None else platform_env(),
        check=False,
    )


@dataclass
class Service:
    """A `circles run` process under test."""

    process: asyncio.subprocess.Process
    up: str = ""

    @property
    def stdout(self) -> asyncio.StreamReader:
        assert self.process.stdout is not None
        return self.process.stdout

    async def stderr(self) -> str:
        """Everything it said on standard error (once it has exited)."""
        assert self.process.stderr is not None
        return (await self.process.stderr.read()).decode()

    async def exited(self) -> int:
        return await asyncio.wait_for(self.process.wait(), TIMEOUT)


@asynccontextmanager
async def service(config: Path, env: dict[str, str], *args: str) -> AsyncIterator[Service]:
    """`circles run --config CONFIG ARGS`, once it has said it is up; SIGTERM at the end if it
    is still running."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "adapters.cli",
        "run",
        "--now",
        PINNED_NOW,
        "--config",
        str(config),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    running = Service(process)
    try:
        async with asyncio.timeout(TIMEOUT):
            running.up = await until_line(running.stdout, UP)
        yield running
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), TIMEOUT)
