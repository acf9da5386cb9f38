"""What the Discord bot does with each interaction: slash commands, buttons, modal submissions
and autocomplete, each handed to the core.

Rules:
- Discord wants the first answer within 3 seconds: everything before it, the check that the
  interaction was not delivered before included, gets `BUDGET_SECONDS`, counted from when
  Discord created the interaction; a quicker answer is sent as the response itself, a slower
  one is deferred ("thinking…") and follows up (adapters.shared.answering). Nothing that waits
  for the database (another writer may hold it) comes before that choice;
- a form (the check-in, the profile) can only be a first answer: when the core was too slow for
  it, the follow-up offers a button that opens the form afresh;
- people a command's user options name become known members first (adapters.shared.meeting);
- replies are ephemeral when private, drawn as adapters.discord.render says (no ping, no masked
  link, no bidirectional control, no link preview);
- files that come with a reply are attached to it, and the reply is then ephemeral whatever it
  says, so only the person gets them; files beyond Discord's limits are left off and the text
  says which (adapters.discord.files);
- an interaction Discord delivers twice (two instances, a resumed gateway) has its effect
  once: the first delivery to be recorded runs the command and answers, any other answers
  nothing; when the other one gave the first answer ("thinking…", the database being slow for
  both), the reply follows up and fills it. Its work is tracked until it ends;
- autocomplete offers circles or, for `/help command:`, the commands
  (adapters.discord.suggestions); it changes nothing, so it is answered however often it comes;
- commands are used in a server; in a DM only the bot's own buttons work (they carry the server).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from typing import Any

import discord

from adapters.delivery import DeliverSoon
from adapters.discord.components import parse_run_id
from adapters.discord.files import fitting_files
from adapters.discord.forms import form_modal, read_submission
from adapters.discord.people import actor_of, mentioned
from adapters.discord.render import EDIT_PROFILE, SILENT, more_pages, reply_message, shown
from adapters.discord.suggestions import suggestions
from adapters.discord.surface import typed_line
from adapters.shared.answering import answer_within, form_again
from adapters.shared.in_flight import InFlight
from adapters.shared.meeting import run_mentioning
from bot.kernel.forms import submitted_command
from bot.kernel.model import Action
from bot.kernel.ports import Clock, SeenEvents
from bot.kernel.replies import Reply
from bot.profile.commands import ShowProfile
from bot.runtime.bus import MessageBus

log = logging.getLogger(__name__)

BUDGET_SECONDS = 2.0
ANSWERED_ELSEWHERE = 40060
"""Discord's refusal of a second first answer: another delivery of the interaction gave one."""
USE_IN_A_SERVER = "Use my commands in your server; here in DMs I send you messages and buttons."
OUT_OF_DATE = "That button or form is out of date, or belongs to another server; use the command."


@dataclass
class DiscordInteractions:
    bus: MessageBus
    moderator_roles: Collection[str]
    deliver_soon: DeliverSoon
    seen: SeenEvents
    clock: Clock
    in_flight: InFlight = field(default_factory=InFlight)
    """Every interaction's work, until it ends."""

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        with self.in_flight.this_task():
            try:
                await self._dispatch(interaction)
            except discord.HTTPException as e:
                log.warning("answering an interaction failed: %s", e)
            finally:
                self.deliver_soon()

    async def _dispatch(self, interaction: discord.Interaction) -> None:
        data: dict[str, Any] = dict(interaction.data or {})
        match interaction.type:
            case discord.InteractionType.application_command:
                await self._command(interaction, data)
            case discord.InteractionType.component:
                await self._component(interaction, str(data.get("custom_id", "")))
            case discord.InteractionType.modal_submit:
                await self._submitted(interaction, data)
            case discord.InteractionType.autocomplete:
                await self._autocomplete(interaction, data)

    async def _command(self, interaction: discord.Interaction, data: dict[str, Any]) -> None:
        if interaction.guild_id is None:
            await _notice(interaction, USE_IN_A_SERVER)
            return
        guild = str(interaction.guild_id)
        line = typed_line(data)
        actor = actor_of(interaction, guild, self.moderator_roles)
        people = mentioned(data, guild)
        await self._run(
            interaction, guild, line, lambda: run_mentioning(self.bus, line, actor, people)
        )

    async def _component(self, interaction: discord.Interaction, custom_id: str) -> None:
        kind, _, rest = custom_id.partition(":")
        parsed = parse_run_id(custom_id)
        guild = parsed[0] if parsed else rest
        if not guild or not _same_server(interaction, guild):
            await _notice(interaction, OUT_OF_DATE)
            return
        actor = actor_of(interaction, guild, self.moderator_roles)
        if kind == EDIT_PROFILE:
            again = (Action("Edit profile", "/profile", "primary"),)
            await self._run(
                interaction, guild, "", lambda: self.bus.handle(ShowProfile(actor)), again
            )
        elif parsed is not None:
            line = parsed[1]
            await self._run(
                interaction, guild, line, lambda: self.bus.handle_text(line, actor), button=True
            )
        else:
            await _notice(interaction, OUT_OF_DATE)

    async def _run(
        self,
        interaction: discord.Interaction,
        guild: str,
        line: str,
        work: Callable[[], Awaitable[Reply]],
        slow_again: tuple[Action, ...] = (),
        *,
        button: bool = False,
    ) -> None:
        """Answer with the core's reply: as the response when it comes in time (the budget runs
        from when Discord created the interaction, and the check for a second delivery counts
        in it), else after deferring; a form that came too late is offered again as a button
        (`slow_again`, or the line that asked for it). When another delivery of the interaction
        answered first, the reply follows up (filling that delivery's "thinking…")."""
        answer = await answer_within(
            _time_left(interaction), self._once(interaction, work), hold=lambda: _hold(interaction)
        )
        reply = answer.value
        if reply is None:
            return
        if answer.in_time:
            try:
                await self._respond(interaction, guild, reply, slow_again, button=button)
                return
            except discord.HTTPException as e:
                if e.code != ANSWERED_ELSEWHERE:
                    raise
        more = form_again(reply, line, slow_again)
        message = reply_message(guild, reply, interaction.filesize_limit, more)
        await interaction.followup.send(**message, ephemeral=True)
        await _rest_of(interaction, reply, ephemeral=True)

    async def _respond(
        self,
        interaction: discord.Interaction,
        guild: str,
        reply: Reply,
        slow_again: tuple[Action, ...],
        *,
        button: bool,
    ) -> None:
        """The reply as the interaction's response: its form, the DM it answers (a button's),
        or a message."""
        if reply.form is not None and (reply.form.at_once or slow_again):
            modal = form_modal(guild, reply.form)
            if modal is not None:
                await interaction.response.send_modal(modal)
                return
        if button and reply.ok and _answers_a_dm(interaction):
            assert interaction.message is not None
            files, note = fitting_files(reply.files, interaction.filesize_limit)
            content = f"{interaction.message.content}\n✓ {reply.text}"
            extra: dict[str, Any] = {"attachments": files} if files else {}
            await interaction.response.edit_message(
                content=shown(content, note),
                view=None,
                allowed_mentions=SILENT,
                suppress_embeds=True,
                **extra,
            )
            return
        ephemeral = reply.private or bool(reply.files)
        await interaction.response.send_message(
            **reply_message(guild, reply, interaction.filesize_limit), ephemeral=ephemeral
        )
        await _rest_of(interaction, reply, ephemeral=ephemeral)

    async def _submitted(self, interaction: discord.Interaction, data: dict[str, Any]) -> None:
        try:
            guild, submission = read_submission(data)
        except ValueError:
            await _notice(interaction, OUT_OF_DATE)
            return
        if not _same_server(interaction, guild):
            await _notice(interaction, OUT_OF_DATE)
            return
        command = submitted_command(actor_of(interaction, guild, self.moderator_roles), submission)
        await self._run(interaction, guild, "", lambda: self.bus.handle(command))

    async def _once(
        self, interaction: discord.Interaction, work: Callable[[], Awaitable[Reply]]
    ) -> Reply | None:
        """The work's reply; None, having run nothing, when this interaction was delivered
        before (that delivery runs it)."""
        if not await self.seen.first_sighting(f"discord:{interaction.id}", self.clock.now()):
            return None
        return await work()

    async def _autocomplete(self, interaction: discord.Interaction, data: dict[str, Any]) -> None:
        if interaction.guild_id is None:
            await interaction.response.autocomplete([])
            return
        actor = actor_of(interaction, interaction.guild_id, self.moderator_roles)
        choices = await suggestions(self.bus, actor, data, _time_left(interaction))
        await interaction.response.autocomplete(choices)


async def _hold(interaction: discord.Interaction) -> None:
    """Show "thinking…", unless another delivery of the interaction has answered it already."""
    try:
        await interaction.response.defer(ephemeral=True, thinking=True)
    except discord.HTTPException as e:
        if e.code != ANSWERED_ELSEWHERE:
            raise


async def _rest_of(interaction: discord.Interaction, reply: Reply, *, ephemeral: bool) -> None:
    """The messages after the first of a reply too long for one (the whole help), seen by the
    same people."""
    for page in more_pages(reply, interaction.filesize_limit):
        await interaction.followup.send(
            content=page, ephemeral=ephemeral, allowed_mentions=SILENT, suppress_embeds=True
        )


async def _notice(interaction: discord.Interaction, text: str) -> None:
    """Answer with a line of the adapter's own, privately."""
    await interaction.response.send_message(text, ephemeral=True, allowed_mentions=SILENT)


def _time_left(interaction: discord.Interaction) -> float:
    """What is left of the budget, counted from when Discord created the interaction (time spent
    waiting for the event loop counts too)."""
    waited = (discord.utils.utcnow() - interaction.created_at).total_seconds()
    return max(0.0, BUDGET_SECONDS - max(0.0, waited))


def _same_server(interaction: discord.Interaction, guild: str) -> bool:
    """A button or form of server `guild` used where it belongs: in that server, or in a DM
    (where the bot's own messages carry it). Elsewhere it is refused, whatever its id claims."""
    return interaction.guild_id is None or str(interaction.guild_id) == guild


def _answers_a_dm(interaction: discord.Interaction) -> bool:
    """A button under one of the bot's own DMs: its answer replaces the buttons."""
    message = interaction.message
    return message is not None and interaction.guild_id is None and message.author.bot
