"""`circles` as an administrator operates it: what it says when it cannot do what was asked (no
platform to serve, a config with several mistakes, a platform that ends the connection for
good, a full or read-only disk), what it prints when it starts (nothing but what the
administrator needs) and where the console puts exported files."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from tests.adapters import slack_payloads as payloads
from tests.adapters.conftest import _discord_school
from tests.adapters.discord_fake import FakeDiscord
from tests.adapters.slack_fake import FakeSlack
from tests.e2e.worker_process import PINNED_NOW, ROOT, platform_env, until_line

TIMEOUT = 60.0


def circles(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """`circles ARGS` with no chat platform's secrets in its environment (unless `env` has some);
    the console and the service start at the pinned moment."""
    pinned = ["--now", PINNED_NOW] if args and args[0] in ("console", "run") else []
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args, *pinned],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=ROOT,
        env=env if env is not None else platform_env(),
        check=False,
    )


def _sqlite_config(tmp_path: Path, extra: str = "") -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "c.db"}"\n{extra}')
    return config


def test_a_service_with_no_platform_enabled_says_what_enables_one(tmp_path: Path) -> None:
    result = circles("run", "--no-console", "--config", str(_sqlite_config(tmp_path)))
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "no chat platform is enabled" in line
    for remedy in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN", "without --no-console"):
        assert remedy in line
    assert "Mentor Circles is running" not in result.stdout
    assert not (tmp_path / "c.db").exists(), "nothing was touched"


def test_a_config_with_several_mistakes_lists_every_one_on_its_own_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        "colour = 'blue'\n"
        "default_timezone = 'Mars/Base'\n\n"
        "[storage]\nurl = 'mysql://x'\n\n"
        "[scheduler]\ntick_seconds = 'often'\n"
    )
    for args in (("check-config", str(config)), ("run", "--config", str(config))):
        result = circles(*args)
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 4, lines
        assert all(line.startswith(f"config error: {config}: ") for line in lines)
        said = "\n".join(lines)
        assert "colour: unknown key" in said
        assert "default_timezone: 'Mars/Base' is not an IANA time zone" in said
        assert "[storage] url: use sqlite+aiosqlite" in said
        assert "[scheduler] tick_seconds: Input should be a valid integer" in said
        assert "more problem" not in said
        assert "Traceback" not in result.stderr


@dataclass
class Service:
    """A `circles run` process under test."""

    process: asyncio.subprocess.Process
    up: str = ""

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
    assert process.stdout is not None
    running = Service(process)
    try:
        async with asyncio.timeout(TIMEOUT):
            running.up = await until_line(process.stdout, "Mentor Circles is running")
        yield running
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), TIMEOUT)


LIBRARY_NOISE = ("token` will be unused", "PyNaCl", "davey", "voice will NOT be supported")


async def test_discord_starts_and_stops_without_library_noise(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        _discord_school(fake)
        config = _sqlite_config(
            tmp_path,
            f'[discord]\napi_base_url = "{fake.rest_base}"\ngateway_url = "{fake.gateway_url}"\n',
        )
        async with service(config, platform_env(DISCORD_TOKEN="token")) as bot:
            assert "Discord" in bot.up
    assert await bot.exited() == 0
    errors = await bot.stderr()
    assert not any(noise in errors for noise in LIBRARY_NOISE), errors
    assert errors == ""


@pytest.mark.parametrize(
    ("mode", "secret"),
    [("http", {"SLACK_SIGNING_SECRET": "s"}), ("socket", {"SLACK_APP_TOKEN": "xapp-1"})],
)
async def test_slack_starts_and_stops_without_library_noise(
    tmp_path: Path, mode: str, secret: dict[str, str]
) -> None:
    async with FakeSlack() as fake:
        config = _sqlite_config(
            tmp_path,
            f'[slack]\nmode = "{mode}"\nhost = "127.0.0.1"\nport = 0\n'
            f'api_base_url = "{fake.api_url}"\n',
        )
        async with service(config, platform_env(SLACK_BOT_TOKEN="xoxb-e2e", **secret)) as bot:
            assert "Slack" in bot.up
    assert await bot.exited() == 0
    errors = await bot.stderr()
    assert not any(noise in errors for noise in LIBRARY_NOISE), errors
    assert errors == ""


async def test_discord_ending_the_connection_for_good_stops_the_bot_with_status_1(
    tmp_path: Path,
) -> None:
    """The token was reset in the Developer Portal: Discord closes the gateway with 4004. A
    supervisor (Restart=on-failure) must see a failure, and the administrator what to do."""
    async with FakeDiscord() as fake:
        _discord_school(fake)
        config = _sqlite_config(
            tmp_path,
            f'[discord]\napi_base_url = "{fake.rest_base}"\ngateway_url = "{fake.gateway_url}"\n',
        )
        async with service(config, platform_env(DISCORD_TOKEN="token")) as bot:
            await fake.disconnect(code=4004)
            status = await bot.exited()
    assert status == 1
    [line] = (await bot.stderr()).strip().splitlines()
    assert "DISCORD_TOKEN" in line
    assert "Reset Token" in line


async def test_slack_revoking_the_token_stops_the_bot_with_status_1(tmp_path: Path) -> None:
    """The app was uninstalled or its token revoked: the next call Slack refuses stops the bot
    with a failure, the administrator told what to do."""
    async with FakeSlack() as fake:
        fake.add_user("UADA", "ada")
        config = _sqlite_config(
            tmp_path,
            f'[slack]\nmode = "http"\nhost = "127.0.0.1"\nport = 0\n'
            f'api_base_url = "{fake.api_url}"\n',
        )
        env = platform_env(SLACK_BOT_TOKEN="xoxb-e2e", SLACK_SIGNING_SECRET="secret")
        async with service(config, env) as bot:
            fake.fail_next("users.info", "token_revoked")
            body = payloads.form_body(
                payloads.slash_command(
                    "/circle",
                    "list",
                    "UADA",
                    trigger_id=fake.new_trigger_id(),
                    response_url=fake.new_response_url(),
                )
            )
            port = bot.up.split("127.0.0.1:")[1].split("/")[0]
            async with (
                aiohttp.ClientSession() as http,
                http.post(
                    f"http://127.0.0.1:{port}/slack/events",
                    data=body,
                    headers=payloads.signed_headers("secret", body),
                ),
            ):
                pass
            status = await bot.exited()
    assert status == 1
    errors = await bot.stderr()
    assert "Traceback" not in errors
    last = errors.strip().splitlines()[-1]
    assert "SLACK_BOT_TOKEN" in last
    assert "token_revoked" in last
