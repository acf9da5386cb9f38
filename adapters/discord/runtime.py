"""The Discord adapter as a whole: the client, start, stop and `circles discord sync`; and
`DISCORD`, the platform the registry lists.

Rules:
- `shards = "auto"` uses AutoShardedClient (`ShardedClient`), for the shards of `shard_ids`
  (all of `shard_count`, or of Discord's recommendation, by default); with several processes,
  each runs its shards' gateway connections and sends what the outbox gives it (REST does not
  depend on the shard); the commands are still installed once, by `circles discord sync`;
- the bot is ready once every shard of this process is: the wait allows for each shard's turn
  to identify;
- each server's owner is recorded as its moderator when the server becomes available or adds
  the bot, in the background;
- the commands are installed by `circles discord sync`, to the servers in `[discord] guild_ids`
  (at once) or globally (Discord takes up to an hour), never on every start;
- a gateway that Discord closes for good (4004: the token was reset; sharding required) is a
  lost platform: `lost()` says what to do, and the service stops with a failure.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import discord

from adapters.config import Settings
from adapters.delivery import DeliverSoon
from adapters.discord.command_text import KNOWN_COMMANDS
from adapters.discord.connection import (
    IDENTIFY_INTERVAL_SECONDS,
    DiscordStartError,
    client_kind,
    discord_token,
    intents,
    log_in,
    point_at,
    shards_described,
    shards_to_start,
    why_ended,
)
from adapters.discord.interactions import DiscordInteractions
from adapters.discord.messenger import DiscordMessenger
from adapters.discord.people import PLATFORM
from adapters.discord.rate_limits import RateLimitWatch
from adapters.discord.render import SILENT
from adapters.discord.settings import DiscordConfig
from adapters.discord.surface import command_definitions
from adapters.platform import EXIT_PLATFORM
from adapters.shared.in_flight import InFlight, Settling, settle_all
from bot.kernel.model import Actor, MemberRef
from bot.kernel.ports import Clock, SeenEvents
from bot.runtime.bus import MessageBus
from bot.runtime.due import DueWork

log = logging.getLogger(__name__)

READY_TIMEOUT_SECONDS = 120.0
RATE_LIMIT_WAIT_SECONDS = 30.0
"""The longest wait for a route discord.py knows is spent (its own pre-emption) that it sleeps
through; a 429 inside an outbox send is never slept through (adapters.discord.rate_limits)."""


class DiscordAdapter:
    def __init__(self, config: DiscordConfig, token: str, **client_options: Any) -> None:
        point_at(config)
        self.config = config
        self._token = token
        client_options = {**config.shard_options(), **client_options}
        kind = client_kind(config)
        self.rate_limits = RateLimitWatch()
        self.client = kind(
            intents=intents(),
            allowed_mentions=SILENT,
            max_ratelimit_timeout=RATE_LIMIT_WAIT_SECONDS,
            http_trace=self.rate_limits.config,
            **client_options,
        )
        self.messenger = DiscordMessenger(self.client, config.sends_per_second, self.rate_limits)
        self.interactions: DiscordInteractions | None = None
        self.deliver_soon: DeliverSoon | None = None
        self._bus: MessageBus | None = None
        self._background = InFlight()
        self._connection: asyncio.Task[None] | None = None

    def attach(self, bus: MessageBus, due: DueWork, seen: SeenEvents, clock: Clock) -> None:
        self._bus = bus
        self.deliver_soon = DeliverSoon(due)
        self.interactions = DiscordInteractions(
            bus, self.config.moderator_roles, self.deliver_soon, seen, clock
        )

        async def on_guild_available(guild: discord.Guild) -> None:
            await self._owner_known(guild)

        async def on_guild_join(guild: discord.Guild) -> None:
            await self._owner_known(guild)

        self.client.event(self.interactions.on_interaction)
        self.client.event(on_guild_available)
        self.client.event(on_guild_join)

    async def _owner_known(self, guild: discord.Guild) -> None:
        """A server's owner moderates it from the start, so a concern or a closed DM reaches
        someone before any moderator has used the bot."""
        with self._background.this_task():
            if self._bus is None or guild.owner_id is None:
                return
            owner = guild.get_member(guild.owner_id)
            name = owner.display_name if owner is not None else f"the owner of {guild.name}"
            ref = MemberRef(PLATFORM, str(guild.id), str(guild.owner_id))
            await self._bus.meet(Actor(ref, name, is_admin=True))

    async def start(self) -> None:
        """Log in, connect to the gateway and wait until the servers are known."""
        await log_in(self.client, self._token, self.config.api_base_url)
        shards = await shards_to_start(self.client, self.config)
        self._connection = asyncio.create_task(self.client.connect())
        ready = asyncio.create_task(self.client.wait_until_ready())
        done, _ = await asyncio.wait(
            {self._connection, ready},
            timeout=READY_TIMEOUT_SECONDS + IDENTIFY_INTERVAL_SECONDS * shards,
            return_when=asyncio.FIRST_COMPLETED,
        )
        if ready not in done:
            ready.cancel()
            error = self._connection.exception() if self._connection in done else None
            await self.client.close()
            if isinstance(error, discord.ConnectionClosed | discord.PrivilegedIntentsRequired):
                raise DiscordStartError(why_ended(error))
            raise DiscordStartError(
                f"Discord's gateway did not get ready ({error or 'timed out'}); check the "
                "network, [discord] gateway_url, and the intents in docs/discord.md"
            )
        await self._learn_command_ids()

    async def _learn_command_ids(self) -> None:
        """Ask Discord for the ids of the installed commands (global, and in each server of
        `[discord] guild_ids`), so texts name them as clickable mentions; without them a text
        names `/command sub` as typed, so a refusal only costs the clicking."""
        KNOWN_COMMANDS.forget()
        app_id = self.client.application_id
        if app_id is None:
            return
        try:
            KNOWN_COMMANDS.learn(None, await self.client.http.get_global_commands(app_id))
            for guild_id in self.config.guild_ids:
                listed = await self.client.http.get_guild_commands(app_id, guild_id)
                KNOWN_COMMANDS.learn(str(guild_id), listed)
        except discord.HTTPException as e:
            log.warning(
                "Discord did not list the commands (%s); texts name them unclickable", e.status
            )

    async def lost(self) -> str:
        """Return once Discord has ended the gateway connection for good (a reset token,
        sharding required), saying what to do; while the bot runs, and after `stop`, it waits."""
        assert self._connection is not None, "start() first"
        try:
            await asyncio.shield(self._connection)
        except asyncio.CancelledError:
            raise
        except Exception as e:
            return why_ended(e)
        await asyncio.Event().wait()  # closed by stop(): nothing was lost
        raise AssertionError("unreachable")

    async def sync(self, guild_ids: list[int]) -> list[str]:
        """Install the commands in those servers (or globally when empty); where it went."""
        await log_in(self.client, self._token, self.config.api_base_url)
        try:
            app_id = self.client.application_id
            assert app_id is not None
            definitions = command_definitions()
            if not guild_ids:
                await self.client.http.bulk_upsert_global_commands(app_id, definitions)
                return ["everywhere (Discord shows changes within an hour)"]
            for guild_id in guild_ids:
                await self.client.http.bulk_upsert_guild_commands(app_id, guild_id, definitions)
            return [f"server {g}" for g in guild_ids]
        except discord.HTTPException as e:
            raise DiscordStartError(
                f"Discord refused the commands ({e.status}: {e.text or e}); is the bot in every "
                "server of [discord] guild_ids, invited with the applications.commands scope?"
            ) from None
        finally:
            await self.client.close()

    async def settle(self) -> None:
        """Wait until the interactions taken so far, what they queued and the servers' owners
        being recorded have all finished."""
        requests = self.interactions.in_flight if self.interactions is not None else None
        parts: list[Settling] = [p for p in (requests, self.deliver_soon) if p is not None]
        await settle_all(self._background, *parts)

    async def stop(self) -> None:
        await self.settle()
        KNOWN_COMMANDS.forget()
        await self.client.close()
        if self._connection is not None:
            await asyncio.gather(self._connection, return_exceptions=True)

    def describe(self) -> str:
        return "Discord" + shards_described(self.client, self.config)


class DiscordSync:
    """`circles discord sync`: install the slash commands."""

    help = "Discord maintenance"

    def add_actions(self, parser: argparse.ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="discord_command", required=True, metavar="ACTION")
        sync = actions.add_parser(
            "sync", help="install the slash commands ([discord] guild_ids, or globally)"
        )
        sync.add_argument("--config", type=Path, help="config file (default: ./config.toml if any)")
        sync.add_argument(
            "--guild",
            type=int,
            action="append",
            dest="guild_ids",
            metavar="ID",
            help="install in this server only (repeatable); instant, for testing",
        )

    def run(self, args: argparse.Namespace, settings: Settings, env: Mapping[str, str]) -> int:
        adapter = DiscordAdapter(settings.discord, discord_token(env))
        wanted = settings.discord.guild_ids if args.guild_ids is None else args.guild_ids
        try:
            places = asyncio.run(adapter.sync(wanted))
        except DiscordStartError as e:
            print(f"{e.platform} error: {e}", file=sys.stderr)
            return EXIT_PLATFORM
        print(f"Installed {len(command_definitions())} commands: {', '.join(places)}.")
        return 0


class DiscordPlatform:
    """Discord as the registry lists it: enabled by `[discord] enabled` or DISCORD_TOKEN."""

    name = PLATFORM
    title = "Discord"
    token = "DISCORD_TOKEN"
    maintenance = DiscordSync()

    def adapter(self, settings: Settings, env: Mapping[str, str]) -> DiscordAdapter | None:
        if not (settings.discord.enabled or env.get(self.token)):
            return None
        return DiscordAdapter(settings.discord, discord_token(env))


DISCORD = DiscordPlatform()
