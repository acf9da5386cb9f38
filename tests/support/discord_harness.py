"""The real Discord adapter, connected through discord.py to a fake Discord on 127.0.0.1, on a
real database: what the Discord tests drive."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from adapters.discord.runtime import DiscordAdapter
from tests.support import discord_payloads as p
from tests.support.discord_fake import FakeDiscord, SentInteraction, pointed_at
from tests.support.settings import settings_for

GUILD = "900000000000000001"
CHANNEL = "900000000000000101"


@dataclass
class DiscordHarness:
    fake: FakeDiscord
    app: App
    adapter: DiscordAdapter
    clock: ManualClock

    async def command(
        self, user: str, name: str, sub: str | None = None, *options: dict[str, Any]
    ) -> SentInteraction:
        """Run `/name sub options...` as `user` and wait until the bot has answered it."""
        given = [p.subcommand(sub, *options)] if sub else list(options)
        sent = await self.fake.send_command(name, user, options=given, guild_id=GUILD)
        await self.answered(sent)
        return sent

    async def answered(self, sent: SentInteraction) -> None:
        """Wait until the bot has answered the interaction, and done what it started."""
        await self.fake.wait_for_callback(sent.id)
        await self.settle()

    def answer(self, sent: SentInteraction) -> dict[str, Any]:
        """The accepted initial response to an interaction: type and data."""
        accepted = [c for c in self.fake.callbacks.get(sent.id, []) if c.accepted]
        assert len(accepted) == 1, self.fake.summary()
        return {"type": accepted[0].type, **(accepted[0].data or {})}

    def text(self, sent: SentInteraction) -> str:
        """What the bot answered: the response's message and the follow-ups after it (the rest
        of a reply too long for one message), or a deferred response's follow-ups."""
        followups = [f.content or "" for f in self.fake.followups.get(sent.id, [])]
        answer = self.answer(sent)
        first = [str(answer["content"])] if answer.get("content") is not None else []
        return "\n".join(first + followups) if first or followups else ""

    async def settle(self) -> None:
        await self.adapter.settle()

    def dms_to(self, user: str) -> list[str]:
        return [m.content or "" for m in self.fake.messages.get(self.fake.dm_channel_id(user), [])]


@asynccontextmanager
async def discord_harness(
    tmp_path: Path,
    start: datetime,
    server: Callable[[FakeDiscord], None],
    *,
    discord: dict[str, object] | None = None,
    fake_options: dict[str, Any] | None = None,
    **overrides: object,
) -> AsyncIterator[DiscordHarness]:
    clock = ManualClock(start)
    async with FakeDiscord(**(fake_options or {})) as fake:
        server(fake)
        with pointed_at(fake):
            settings = settings_for(
                f"sqlite+aiosqlite:///{tmp_path / 'discord.db'}",
                discord={
                    "api_base_url": fake.rest_base,
                    "gateway_url": str(fake.gateway_url),
                    **(discord or {}),
                },
                **overrides,
            )
            adapter = DiscordAdapter(settings.discord, "token", guild_ready_timeout=0.05)
            app = await bootstrap(settings, clock, {"discord": adapter.messenger})
            adapter.attach(app.bus, app.due, app.seen_events, clock)
            await adapter.start()
            try:
                yield DiscordHarness(fake, app, adapter, clock)
            finally:
                await adapter.stop()
                await app.close()
