"""Recording deliveries as sent, many in one transaction when they come fast.

Rules: while one group is being written, the next gathers, so at a high rate one transaction
records many sends and at a low rate each is written at once; no timer delays any of them. A
caller returns once its own send is recorded, or with the error that stopped the write.
"""

from __future__ import annotations

import asyncio

from bot.kernel.ports import Clock, OutboxStore


class SentMarks:
    def __init__(self, store: OutboxStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._gathering: list[tuple[int, asyncio.Future[None]]] = []
        self._writing = False

    async def record(self, entry_id: int) -> None:
        done = asyncio.get_running_loop().create_future()
        self._gathering.append((entry_id, done))
        if not self._writing:
            # This caller writes every group that gathers until none is left.
            self._writing = True
            try:
                while self._gathering:
                    await self._write(self._take())
            finally:
                self._writing = False
        await done

    def _take(self) -> list[tuple[int, asyncio.Future[None]]]:
        group, self._gathering = self._gathering, []
        return group

    async def _write(self, group: list[tuple[int, asyncio.Future[None]]]) -> None:
        try:
            await self._store.mark_sent([entry_id for entry_id, _ in group], self._clock.now())
        except Exception as e:
            for _, done in group:
                done.set_exception(e)
        else:
            for _, done in group:
                done.set_result(None)
