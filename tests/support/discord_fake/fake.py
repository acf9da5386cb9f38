"""The fake Discord: every section put together, served on a free port of 127.0.0.1."""

from __future__ import annotations

from types import TracebackType

from aiohttp import web

from tests.support.discord_fake.interactions import Interactions
from tests.support.discord_fake.limits import MAX_REQUEST_BYTES
from tests.support.discord_fake.recording import Recording
from tests.support.discord_fake.rest import Rest
from tests.support.discord_fake.rest_callbacks import RestCallbacks
from tests.support.discord_fake.rest_commands import RestCommands
from tests.support.discord_fake.rest_messages import RestMessages


class FakeDiscord(RestCallbacks, RestCommands, RestMessages, Rest, Interactions, Recording):
    """A fake Discord served on 127.0.0.1. Use as `async with FakeDiscord() as fake:`."""

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> None:
        app = web.Application(client_max_size=MAX_REQUEST_BYTES)
        app.router.add_route("*", "/api/v{version:\\d+}/{tail:.*}", self._rest)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/gateway-resume", self._gateway)
        self.base_url = await self._server.serve(app)

    async def close(self) -> None:
        """Close the gateway connections and stop serving. Close discord.py clients first:
        a client still running would try to reconnect."""
        for ws in list(self._sockets):
            await ws.close(code=1001, message=b"fake Discord is shutting down")
        await self._server.stop_serving()
