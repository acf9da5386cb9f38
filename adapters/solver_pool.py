"""Big matching problems go to a worker process, so a round of thousands never stalls the bot's
event loop (and with it every command's acknowledgement); small ones are solved in place, where a
process hop would cost more than the work."""

from __future__ import annotations

import asyncio
from concurrent.futures import ProcessPoolExecutor

from bot.matching import Outcome, Problem, match

IN_PLACE_UP_TO = 300  # candidates


class PooledSolver:
    def __init__(self, in_place_up_to: int = IN_PLACE_UP_TO) -> None:
        self._in_place_up_to = in_place_up_to
        self._pool: ProcessPoolExecutor | None = None

    async def __call__(self, problem: Problem) -> Outcome:
        if len(problem.candidates) <= self._in_place_up_to:
            return match(problem)
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1)
        return await asyncio.get_running_loop().run_in_executor(self._pool, match, problem)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
