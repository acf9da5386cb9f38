"""`circles run` on Discord, as an administrator starts it: DISCORD_TOKEN chooses the platform,
a missing one stops the start naming it, and a running bot answers slash commands and DMs both
students their match through a fake Discord on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.adapters.conftest import ADA, BEN, _discord_school
from tests.adapters.discord_fake import FakeDiscord
from tests.adapters.discord_payloads import subcommand
from tests.e2e.worker_process import ROOT

TIMEOUT = 60.0


def _env(**variables: str) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    return {**kept, **variables}


def test_discord_enabled_without_a_token_stops_naming_the_variable(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "c.db"}"\n\n[discord]\nenabled = true\n'
    )
    for args in (("run",), ("discord", "sync")):
        result = subprocess.run(
            [sys.executable, "-m", "adapters.cli", *args, "--config", str(config)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            cwd=ROOT,
            env=_env(),
            check=False,
        )
        assert result.returncode == 2
        assert "DISCORD_TOKEN" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


async def _until_line(stream: asyncio.StreamReader, text: str) -> str:
    while True:
        line = (await stream.readline()).decode()
        if not line:
            raise AssertionError(f"output ended before {text!r}")
        if text in line:
            return line


async def test_circles_run_serves_discord_and_dms_both_students_their_match(
    tmp_path: Path,
) -> None:
    async with FakeDiscord() as fake:
        _discord_school(fake)
        config = tmp_path / "config.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "c.db"}"\n\n'
            f'[discord]\napi_base_url = "{fake.rest_base}"\ngateway_url = "{fake.gateway_url}"\n'
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "adapters.cli",
            "run",
            "--config",
            str(config),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            cwd=ROOT,
            env=_env(DISCORD_TOKEN="token"),
        )
        assert process.stdout is not None
        assert process.stderr is not None
        try:
            async with asyncio.timeout(TIMEOUT):
                up = await _until_line(process.stdout, "Mentor Circles is running")
                for user in (ADA, BEN):
                    sent = await fake.send_command("findbuddy", user, options=[subcommand("now")])
                    await fake.wait_for_callback(sent.id)
                await fake.wait_for_dm(ADA)
                await fake.wait_for_dm(BEN)
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            status = await asyncio.wait_for(process.wait(), TIMEOUT)
        errors = (await process.stderr.read()).decode()
    assert status == 0, errors
    assert "Discord" in up
    assert "Traceback" not in errors
