"""One module per feature; each handler turns a command into state changes, outbox messages and
a reply. `HANDLERS` maps command types to them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from bot.commands import Command
from bot.handlers.context import Context
from bot.replies import Reply

C = TypeVar("C", bound=Command)
Handler = Callable[[Any, Context], Awaitable[Reply]]
HANDLERS: dict[type[Command], Handler] = {}


def handles(command_type: type[C]) -> Callable[[Callable[[C, Context], Awaitable[Reply]]], Handler]:
    def register(handler: Callable[[C, Context], Awaitable[Reply]]) -> Handler:
        HANDLERS[command_type] = handler
        return handler

    return register


def load_all() -> dict[type[Command], Handler]:
    """Import every feature module so its handlers register themselves."""
    from bot.handlers import (  # noqa: F401
        audit,
        blackouts,
        boundaries,
        buddies,
        checkin_answers,
        checkins,
        circles,
        flags,
        help,
        home,
        kudos,
        privacy,
        profile,
        rounds,
        stats,
    )

    return HANDLERS
