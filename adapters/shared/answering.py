"""Answering within a platform's deadline, and a form that came too late for it.

Rules:
- Slack and Discord want a first answer to a request within about 3 seconds, and the core may
  take longer. The core's work gets a budget: done within it, its reply is the first answer (a
  form can only be shown then); not done, the platform's holding answer goes first (Slack's
  empty ack, Discord's "thinking…") and the reply follows when it comes, another way (a DM, a
  follow-up). The work is never cut short: a late reply is still the whole reply;
- a form that could not be shown (it came after the moment a platform allows for opening one)
  is offered again under the reply's text, as a button that asks for it afresh: the platform's
  own (`instead`), or one that runs again the line that asked for it, "Open the form".
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.kernel.model import Action
from bot.kernel.replies import Reply

T = TypeVar("T")

OPEN_THE_FORM = "Open the form"


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


def form_again(reply: Reply, line: str, instead: tuple[Action, ...] = ()) -> tuple[Action, ...]:
    """The buttons that offer again the form `reply` carries, which could not be shown: none
    when it carries none (or there is nothing to run again)."""
    if reply.form is None:
        return ()
    if instead:
        return instead
    return (Action(OPEN_THE_FORM, line, "primary"),) if line else ()
