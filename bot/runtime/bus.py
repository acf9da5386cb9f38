"""Runs one command in one unit of work and always answers with a Reply.

Rules: a command runs with its workspace's settings (the config's defaults under its moderators'
choices); a command either commits everything it did (state and outbox) or nothing; a mistake the
user can fix gets its message; anything else is answered with an apology, never a traceback, and
logged without a word of what anyone typed (`loggable`: where it failed and the type of each error,
a message only from an error marked SAFE_TO_LOG); a member a DM could not reach is told so under the
reply to their next command that succeeds (see bot.runtime.unreachable), but not under a reply an
adapter may draw as a page or a form; someone whose first command was refused is still known from
then on, so others can name them.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Mapping
from dataclasses import replace

from bot.kernel.command_refs import guarded
from bot.kernel.commands import Command
from bot.kernel.context import Context
from bot.kernel.errors import UserError
from bot.kernel.model import Actor, Member, NewMember
from bot.kernel.ports import Clock, Solver, UnitOfWork, UnitOfWorkFactory, solve_here
from bot.kernel.replies import Reply
from bot.kernel.settings import CoreSettings
from bot.kernel.text import SAFE_TO_LOG, unable_to_ping
from bot.kernel.workspace_settings import settings_for
from bot.runtime.catalog import Catalog
from bot.runtime.handlers import Handler
from bot.runtime.unreachable import take_unreachable_note, with_note

log = logging.getLogger(__name__)

REPLY_LIMIT = 10_000
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side and nothing was changed. "
    "Please try again in a minute; if it keeps happening, tell a moderator."
)


class MessageBus:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        settings: CoreSettings,
        on_commit: Callable[[], None] = lambda: None,
        solve: Solver = solve_here,
        *,
        handlers: Mapping[type[Command], Handler],
        catalog: Catalog,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._settings = settings
        self._on_commit = on_commit
        self._solve = solve
        self._handlers = handlers
        self._catalog = catalog

    async def handle_text(self, line: str, actor: Actor) -> Reply:
        """Parse a typed command line and run it."""
        try:
            command = self._catalog.parse(line, actor)
        except UserError as e:
            return _unable_to_ping(Reply.error(e.message))
        return await self.handle(command)

    async def handle(self, command: Command) -> Reply:
        """Run the command; whatever it answers is shown with every ping defused."""
        return _unable_to_ping(await self._run(command))

    async def meet(self, actor: Actor) -> None:
        """Record the actor as a member of their workspace without running a command (the
        console's /as; adapters that learn of someone before they type anything)."""
        async with self._uow_factory() as uow:
            settings = await settings_for(uow, actor.ref.workspace, self._settings)
            await self._known_member(uow, actor, settings)
            await uow.commit()

    async def _run(self, command: Command) -> Reply:
        handler = self._handlers[type(command)]
        try:
            async with self._uow_factory() as uow:
                settings = await settings_for(uow, command.actor.ref.workspace, self._settings)
                me = await self._known_member(uow, command.actor, settings)
                note = (
                    ""
                    if command.drawn_by_the_adapter
                    else await take_unreachable_note(uow, me, settings)
                )
                ctx = Context(
                    uow,
                    self._clock.now(),
                    settings,
                    me,
                    self._solve,
                    self._catalog.specs,
                    defaults=self._settings,
                )
                reply = with_note(await handler(command, ctx), note)
                await uow.commit()
        except UserError as e:
            await self.meet(command.actor)
            return Reply.error(e.message)
        except Exception as e:
            log.error("command %s failed\n%s", type(command).__name__, loggable(e))
            return Reply.error(SOMETHING_WENT_WRONG)
        self._on_commit()
        return reply

    async def _known_member(self, uow: UnitOfWork, actor: Actor, settings: CoreSettings) -> Member:
        """The actor's member record, created on first contact and kept up to date: a
        moderator is the workspace's admin, or named by the config or appointed in chat
        (`settings`, the workspace's own)."""
        is_moderator = actor.is_admin or settings.names_moderator(actor.ref)
        member = await uow.members.get(actor.ref)
        if member is None:
            known = NewMember(actor.ref, actor.display_name, is_moderator, is_bot=actor.is_bot)
            return await uow.members.add(known)
        said = (actor.display_name, is_moderator, actor.is_bot)
        if actor.confirmed and (member.display_name, member.is_moderator, member.is_bot) != said:
            member.display_name, member.is_moderator, member.is_bot = said
            await uow.members.save(member)
        return member


MESSAGE_LEFT_OUT = "(message left out: it may quote what a member typed)"


def loggable(error: BaseException) -> str:
    """`error`'s traceback as Python prints it, oldest error first, with each error's message
    left out unless the error is marked SAFE_TO_LOG: a message may quote anything (a concern,
    an answer, a name) and a log line never carries what a member typed."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and not any(current is seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    lines: list[str] = []
    for n, failure in enumerate(reversed(chain)):
        if n:
            lines.append("\nwhich led to:\n\n")
        lines += [
            "Traceback (most recent call last):\n",
            *traceback.format_tb(failure.__traceback__),
        ]
        said = str(failure) if getattr(failure, SAFE_TO_LOG, False) else MESSAGE_LEFT_OUT
        kind = type(failure)
        lines.append(f"{kind.__module__}.{kind.__qualname__}: {said}\n")
    return "".join(lines).rstrip("\n")


def _unable_to_ping(reply: Reply) -> Reply:
    """The last guard: a reply may quote what someone typed, but it never pings anyone."""
    return replace(reply, text=guarded(reply.text, unable_to_ping, REPLY_LIMIT))
