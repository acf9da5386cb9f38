"""Answering within a platform's deadline.

Rule: Slack and Discord want a first answer to a request within about 3 seconds, and the core
may take longer. The core's work gets a budget: done within it, its reply is the first answer
(a form can only be shown then); not done, the platform's holding answer goes first (Slack's
empty ack, Discord's "thinking…") and the reply follows when it comes, another way (a DM, a
follow-up). The work is never cut short: a late reply is still the whole reply.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Answer(Generic[T]):
    value: T
    in_time: bool
    """True when the work ended within the budget, so its answer can be the first one."""


async def answer_within(
    budget: float, work: Awaitable[T], hold: Callable[[], Awaitable[object]]
) -> Answer[T]:
    """Run `work` for up to `budget` seconds; when it is still running then, `hold` answers the
    platform first and the work's result is waited for."""
    running = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({running}, timeout=budget)
    if done:
        return Answer(running.result(), in_time=True)
    await hold()
    return Answer(await running, in_time=False)
