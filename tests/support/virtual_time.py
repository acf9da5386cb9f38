"""An event loop whose clock jumps ahead instead of waiting, for tests of pacing and holds.

Whenever nothing is ready to run and the loop would sleep until its next timer, the clock moves
to that timer at once. `asyncio.sleep`, `loop.call_later` and aiolimiter (which reads
`loop.time()`) then see time pass exactly as they would in real time, but a 30 s hold costs
nothing. Each turn of the loop also moves the clock by a microsecond, as running code does in
real time (code that reschedules itself "when enough time has passed" would otherwise spin).
Only for code that waits on timers and in-process futures: a real socket or a worker thread
would see the clock race past it.
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Coroutine
from datetime import datetime, timedelta
from typing import Any, TypeVar

T = TypeVar("T")


TURN = 1e-6


class _JumpingSelector(selectors.DefaultSelector):
    loop: VirtualTimeLoop

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        if timeout is None:
            return super().select(None)
        ready = super().select(0)
        self.loop.jump(TURN if ready or timeout <= TURN else timeout)
        return ready


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        selector = _JumpingSelector()
        super().__init__(selector)
        selector.loop = self
        self._virtual_now = 0.0

    def time(self) -> float:
        return self._virtual_now

    def jump(self, seconds: float) -> None:
        self._virtual_now += seconds


def run_in_virtual_time(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run the coroutine to its end on a fresh virtual-time loop."""
    with asyncio.Runner(loop_factory=VirtualTimeLoop) as runner:
        return runner.run(coroutine)


class LoopClock:
    """The Clock port read off the running loop: `start` plus the loop's (virtual) seconds."""

    def __init__(self, start: datetime) -> None:
        self._start = start

    def now(self) -> datetime:
        return self._start + timedelta(seconds=asyncio.get_running_loop().time())
