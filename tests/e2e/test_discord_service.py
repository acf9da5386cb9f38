"""`circles run` on Discord, as an administrator starts it: DISCORD_TOKEN chooses the platform,
a missing one stops the start naming it, and a running bot answers slash commands and DMs both
students their match through a fake Discord on 127.0.0.1."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from tests.support.bot_process import service
from tests.support.discord_fake import FakeDiscord
from tests.support.discord_payloads import option, subcommand, user_option
from tests.support.schools import ADA, ALGEBRA_CHANNEL, BEN, INES, discord_school
from tests.support.worker_process import PINNED_NOW, ROOT, platform_env

TIMEOUT = 60.0


def test_discord_enabled_without_a_token_stops_naming_the_variable(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "c.db"}"\n\n[discord]\nenabled = true\n'
    )
    for args in (("run", "--now", PINNED_NOW), ("discord", "sync")):
        result = subprocess.run(
            [sys.executable, "-m", "adapters.cli", *args, "--config", str(config)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            cwd=ROOT,
            env=platform_env(),
            check=False,
        )
        assert result.returncode == 2
        assert "DISCORD_TOKEN" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


async def test_circles_run_serves_discord_matches_posts_kudos_and_reports_closed_dms(
    tmp_path: Path,
) -> None:
    """Through the real process: two students match and both get a DM; a moderator's kudos is
    posted in the circle's channel, pinging nobody; a member whose DMs are closed is reported to
    the moderator. (The check-in modal, which needs a check-in to fall due, is tested through the
    same adapter in tests/adapters/test_discord_flows.py.)"""
    async with FakeDiscord() as fake:
        discord_school(fake)
        fake.close_dms(BEN)
        config = tmp_path / "config.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "c.db"}"\n\n'
            f'[discord]\napi_base_url = "{fake.rest_base}"\ngateway_url = "{fake.gateway_url}"\n\n'
            # Routine news to moderators waits out quiet hours: keep them far from the pinned 08:00.
            '[checkins]\nquiet_hours = "20:00-21:00"\n'
        )
        async with service(config, platform_env(DISCORD_TOKEN="token")) as bot:
            async with asyncio.timeout(TIMEOUT):
                steps = [
                    (INES, "help", []),
                    (ADA, "findbuddy", [subcommand("start")]),
                    (BEN, "findbuddy", [subcommand("start")]),
                    (INES, "circle-admin", [subcommand("create", option("name", "algebra"))]),
                    (
                        INES,
                        "circle",
                        [
                            subcommand(
                                "set",
                                option("circle", "algebra"),
                                option("key", "channel"),
                                option("value", "#algebra"),
                            )
                        ],
                    ),
                    (ADA, "circle", [subcommand("join", option("circle", "algebra"))]),
                    (
                        INES,
                        "kudos",
                        [
                            subcommand(
                                "give",
                                user_option("person", ADA),
                                option("reason", "asked the best questions @everyone"),
                            )
                        ],
                    ),
                ]
                for user, name, options in steps:
                    sent = await fake.send_command(name, user, options=options)
                    await fake.wait_for_callback(sent.id)
                await fake.wait_for_dm(ADA)
                await fake.wait_for_message(ALGEBRA_CHANNEL)
                await fake.wait_for_dm(INES)
        status, errors, up = await bot.exited(), await bot.stderr(), bot.up
    assert status == 0, errors
    assert "Discord" in up
    assert "Traceback" not in errors
    assert fake.messages.get(fake.dm_channel_id(BEN), []) == [], "Ben's DMs are closed"
    [post] = fake.messages[ALGEBRA_CHANNEL]
    assert "asked the best questions" in (post.content or "")
    assert post.allowed_mentions is not None
    assert post.allowed_mentions.get("parse") == []
    told = [m.content or "" for m in fake.messages[fake.dm_channel_id(INES)]]
    assert any("direct messages from this server are turned off" in dm for dm in told)
