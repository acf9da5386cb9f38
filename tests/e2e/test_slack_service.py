"""`circles run` on Slack, as an administrator starts it: the environment's tokens choose the
platform, a missing one stops the start naming it, and a running bot answers signed commands
over HTTP and DMs matches through Slack's Web API (a fake one on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from tests.support import slack_payloads as payloads
from tests.support.bot_process import service
from tests.support.slack_fake import FakeSlack
from tests.support.worker_process import PINNED_NOW, ROOT, platform_env

TIMEOUT = 60.0
SECRET = "e2e-signing-secret"


@pytest.mark.parametrize(
    ("mode", "variables", "named"),
    [
        ("socket", {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
        ("http", {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ("socket", {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, "SLACK_APP_TOKEN"),
        ("socket", {}, "SLACK_BOT_TOKEN"),
    ],
)
def test_a_missing_or_wrong_slack_secret_stops_the_start_naming_the_variable(
    tmp_path: Path, mode: str, variables: dict[str, str], named: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "c.db"}"\n\n'
        f'[slack]\nenabled = true\nmode = "{mode}"\n'
    )
    result = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "run", "--now", PINNED_NOW, "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=ROOT,
        env=platform_env(**variables),
        check=False,
    )
    assert result.returncode == 2
    assert named in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "c.db").exists(), "nothing was touched"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_circles_run_serves_slack_and_dms_both_students_their_match(tmp_path: Path) -> None:
    async with FakeSlack() as fake:
        fake.add_user("UADA", "ada")
        fake.add_user("UBEN", "ben")
        port = _free_port()
        config = tmp_path / "config.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "c.db"}"\n\n'
            f'[slack]\nmode = "http"\nhost = "127.0.0.1"\nport = {port}\n'
            f'api_base_url = "{fake.api_url}"\n'
        )
        env = platform_env(SLACK_BOT_TOKEN="xoxb-e2e", SLACK_SIGNING_SECRET=SECRET)
        async with service(config, env) as bot, asyncio.timeout(TIMEOUT):
            async with aiohttp.ClientSession() as http:
                for user in ("UADA", "UBEN"):
                    fields = payloads.slash_command(
                        "/findbuddy",
                        "",
                        user,
                        trigger_id=fake.new_trigger_id(),
                        response_url=fake.new_response_url(),
                    )
                    body = payloads.form_body(fields)
                    async with http.post(
                        f"http://127.0.0.1:{port}/slack/events",
                        data=body,
                        headers=payloads.signed_headers(SECRET, body),
                    ) as response:
                        assert response.status == 200
                    await fake.wait_for_response(1 if user == "UADA" else 2)
            await fake.wait_for("chat.postMessage", 2)
        status, errors, up = await bot.exited(), await bot.stderr(), bot.up
    assert status == 0, errors
    assert f"Slack over HTTP on 127.0.0.1:{port}/slack/events" in up
    dms = {p.channel: p.text for p in fake.posted}
    assert "ben" in dms["DUADA"]
    assert "ada" in dms["DUBEN"]
    assert "Traceback" not in errors
