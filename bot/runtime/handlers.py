"""Where handlers register: each feature's handlers turn a command into state changes, outbox
messages and a reply, and `handles` files them under their command type in `HANDLERS`. The
features themselves are listed once, in `bot.features`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from bot.kernel.commands import Command
from bot.kernel.context import Context
from bot.kernel.replies import Reply

C = TypeVar("C", bound=Command)
Handler = Callable[[Any, Context], Awaitable[Reply]]
HANDLERS: dict[type[Command], Handler] = {}


def handles(command_type: type[C]) -> Callable[[Callable[[C, Context], Awaitable[Reply]]], Handler]:
    def register(handler: Callable[[C, Context], Awaitable[Reply]]) -> Handler:
        HANDLERS[command_type] = handler
        return handler

    return register
