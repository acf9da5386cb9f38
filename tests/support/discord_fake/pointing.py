"""Pointing discord.py at the fake, and a client logged in, connected and ready."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator

import discord
from discord.gateway import DiscordWebSocket
from discord.http import Route as DiscordRoute

from tests.support.discord_fake.fake import FakeDiscord


@contextlib.contextmanager
def pointed_at(fake: FakeDiscord) -> Iterator[FakeDiscord]:
    """Point discord.py's REST (and webhooks, interaction callbacks) and its gateway at the
    fake; restore both class attributes afterwards."""
    old_base, old_gateway = DiscordRoute.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    DiscordRoute.BASE = fake.rest_base
    DiscordWebSocket.DEFAULT_GATEWAY = fake.gateway_url
    try:
        yield fake
    finally:
        DiscordRoute.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


@contextlib.asynccontextmanager
async def running(
    client: discord.Client,
    *,
    token: str = "token",
    timeout: float = 5.0,  # noqa: ASYNC109
) -> AsyncIterator[discord.Client]:
    """Log `client` in, connect it in a task, wait until it is ready; close it afterwards
    (which also ends the task). A failure to connect (bad token, disallowed intents) raises
    discord.py's exception instead of waiting."""
    try:
        await client.login(token)
    except BaseException:
        await client.close()
        raise
    connection = asyncio.create_task(client.connect(), name="discord-client-connect")
    ready = asyncio.create_task(client.wait_until_ready(), name="discord-client-ready")
    try:
        done, _ = await asyncio.wait(
            {connection, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if connection in done:
            connection.result()
            raise AssertionError("the discord.py client stopped before it was ready")
        if ready not in done:
            raise AssertionError(f"the discord.py client was not ready within {timeout} s")
        yield client
    finally:
        ready.cancel()
        await client.close()
        # connect() returns once the client is closed; a failure was raised above already.
        await asyncio.gather(connection, ready, return_exceptions=True)
