"""Starting, stopping and killing `tests.support.outbox_worker` processes, for tests and the bench.
Every wait is on a condition (the process's "up" line, its exit) and bounded by a timeout."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tests.support.outbox_worker import UP

ROOT = Path(__file__).parents[2]
PINNED = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
"""Where every bot process under test starts its clock (`--now`): a Monday morning in term time,
so that nothing depends on the day the suite runs."""
PINNED_NOW = PINNED.isoformat()


def write_config(
    path: Path, url: str, *, tick_seconds: int = 1, lease_seconds: int = 300, concurrency: int = 4
) -> Path:
    path.write_text(
        f'[storage]\nurl = "{url}"\n\n'
        f"[scheduler]\ntick_seconds = {tick_seconds}\n\n"
        f"[outbox]\nlease_seconds = {lease_seconds}\nconcurrency = {concurrency}\n",
        encoding="utf-8",
    )
    return path


@dataclass
class WorkerProcess:
    process: asyncio.subprocess.Process
    log: Path

    @classmethod
    async def start(
        cls,
        config: Path,
        chat_url: str,
        *,
        log: Path,
        rate: float | None = None,
        resend_safe: bool = False,
        within: float = 60.0,
    ) -> WorkerProcess:
        """Start a worker and return once it says it is up (TimeoutError after `within` s)."""
        options = [*(["--rate", str(rate)] if rate else []), *(["--resend-safe"] * resend_safe)]
        with log.open("ab") as errors:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.support.outbox_worker",
                str(config),
                chat_url,
                *options,
                "--now",
                PINNED_NOW,
                stdout=asyncio.subprocess.PIPE,
                stderr=errors,
                cwd=ROOT,
            )
        worker = cls(process, log)
        assert process.stdout is not None
        try:
            line = await asyncio.wait_for(process.stdout.readline(), within)
        except TimeoutError:
            await worker.kill()
            raise
        if not line.decode().startswith(UP):
            await worker.kill()
            raise RuntimeError(f"the worker did not start:\n{worker.errors()}")
        return worker

    @property
    def pid(self) -> str:
        return str(self.process.pid)

    def errors(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    async def stop(self, within: float = 60.0) -> int:
        """SIGTERM, then the exit status once it has exited."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), within)

    async def kill(self, within: float = 30.0) -> int:
        """SIGKILL: the process dies wherever it is."""
        if self.process.returncode is None:
            self.process.kill()
        return await asyncio.wait_for(self.process.wait(), within)


def platform_env(**variables: str) -> dict[str, str]:
    """This process's environment without any chat platform's secrets or database URL (a
    developer's CIRCLES_DATABASE_URL must not point a test at their database), plus `variables`."""
    kept = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DISCORD_")) and k != "CIRCLES_DATABASE_URL"
    }
    return {**kept, **variables}


async def until_line(stream: asyncio.StreamReader, text: str) -> str:
    """The first line of `stream` that contains `text`."""
    while True:
        line = (await stream.readline()).decode()
        if not line:
            raise AssertionError(f"output ended before {text!r}")
        if text in line:
            return line
