"""Meeting the people a command mentions before it runs.

Rule: everyone a command names (to thank them, to block them, to add them to a circle) becomes
a known member of the workspace first, so naming someone who never used the bot works; the
person typing is not met again (the core meets them as it runs the command). Each platform says
who was named: Slack by looking up the mentions in the line, Discord from the users it resolved.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.kernel.model import Actor
from bot.kernel.replies import Reply
from bot.runtime.bus import MessageBus


async def meet_mentioned(bus: MessageBus, actor: Actor, mentioned: Iterable[Actor]) -> None:
    """Record each person in `mentioned` other than `actor` as a member of their workspace."""
    for person in mentioned:
        if person.ref != actor.ref:
            await bus.meet(person)


async def run_mentioning(
    bus: MessageBus, line: str, actor: Actor, mentioned: Iterable[Actor]
) -> Reply:
    """Run `line` as `actor`, having met the people it mentions first."""
    await meet_mentioned(bus, actor, mentioned)
    return await bus.handle_text(line, actor)
