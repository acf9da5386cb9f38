"""Reading back what happened: the calls to a route, and `wait_for_*` until something arrives
(an AssertionError listing what did arrive on timeout)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from tests.support.discord_fake.records import Call, Callback, GatewaySession, SentMessage
from tests.support.discord_fake.registry import Registry
from tests.support.discord_fake.routes import check_route


class Recording(Registry):
    """What the bot did, awaited."""

    def calls_to(self, route: str) -> list[Call]:
        check_route(route)
        return [call for call in self.calls if call.route == route]

    async def wait_for(
        self,
        route: str,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[Call]:
        """`calls_to(route)` once at least `count` arrived (answered or refused)."""
        check_route(route)
        await self._wait(
            lambda: len(self.calls_to(route)) >= count,
            lambda: f"{count} call(s) to {route}",
            timeout,
        )
        return self.calls_to(route)

    async def wait_for_callback(
        self,
        interaction_id: str | int,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        count: int = 1,
    ) -> Callback:
        """The `count`-th initial-response attempt for the interaction (accepted or refused)."""
        iid = str(interaction_id)
        await self._wait(
            lambda: len(self.callbacks.get(iid, [])) >= count,
            lambda: f"{count} callback(s) for interaction {iid}",
            timeout,
        )
        return self.callbacks[iid][count - 1]

    async def wait_for_message(
        self,
        channel_id: str | int,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        """The channel's messages once at least `count` were created."""
        cid = str(channel_id)
        await self._wait(
            lambda: len(self.messages.get(cid, [])) >= count,
            lambda: f"{count} message(s) in channel {cid}",
            timeout,
        )
        return list(self.messages[cid])

    async def wait_for_dm(
        self,
        user_id: str | int,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        """The messages in the bot's DM channel with the user once `count` were created."""
        return await self.wait_for_message(self.dm_channel_id(user_id), count, timeout)

    async def wait_for_followup(
        self,
        interaction_id: str | int,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        iid = str(interaction_id)
        await self._wait(
            lambda: len(self.followups.get(iid, [])) >= count,
            lambda: f"{count} followup(s) for interaction {iid}",
            timeout,
        )
        return list(self.followups[iid])

    async def wait_for_ready(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        count: int = 1,
    ) -> GatewaySession:
        """The newest session once `count` sessions got READY and their GUILD_CREATEs. (The
        discord.py client is ready a `guild_ready_timeout` later: await
        `client.wait_until_ready()` for that.)"""
        await self._wait(
            lambda: sum(s.ready for s in self.sessions) >= count,
            lambda: f"{count} ready gateway session(s)",
            timeout,
        )
        return [s for s in self.sessions if s.ready][-1]

    async def wait_for_resume(
        self,
        shard: int,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        count: int = 1,
    ) -> GatewaySession:
        """Shard `shard`'s session once it was RESUMEd `count` times in all (RESUMED sent)."""

        def resumed() -> list[GatewaySession]:
            return [s for s in self.sessions if s.shard[0] == shard and s.resumes >= count]

        await self._wait(
            lambda: bool(resumed()) and bool(resumed()[-1].dispatched("RESUMED")),
            lambda: f"shard {shard} resumed {count} time(s)",
            timeout,
        )
        return resumed()[-1]

    async def _wait(
        self,
        predicate: Callable[[], bool],
        wanted: Callable[[], str],
        timeout: float,  # noqa: ASYNC109
    ) -> None:
        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(predicate)
        except TimeoutError:
            raise AssertionError(
                f"expected {wanted()} within {timeout} s; what arrived: {self.summary()}"
            ) from None
