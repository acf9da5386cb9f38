"""What the Discord bot does with each interaction: slash commands, buttons, modal submissions
and autocomplete, each handed to the core.

Rules:
- Discord wants the first answer within 3 seconds: the core gets `BUDGET_SECONDS`; a quicker
  answer is sent as the response itself, a slower one is deferred ("thinking…") and follows up;
- a form (the check-in, the profile) can only be a first answer: when the core was too slow for
  it, the follow-up offers a button that opens the form afresh;
- replies are ephemeral when private, and no message the bot sends pings anyone: mentions show
  as names;
- commands are used in a server; in a DM only the bot's own buttons work (they carry the server).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Collection
from dataclasses import dataclass, field
from typing import Any

import discord
from discord import app_commands

from adapters.delivery import DeliverSoon
from adapters.discord.components import (
    CHECKIN,
    PROFILE,
    buttons,
    checkin_modal,
    parse_run_id,
    profile_modal,
    submitted_values,
)
from adapters.discord.messenger import fitted
from adapters.discord.people import actor_of
from adapters.discord.surface import typed_line
from bot.bus import MessageBus
from bot.commands import AnswerCheckin, ShowProfile, SuggestCircles, UpdateProfile
from bot.model import Action, Actor
from bot.replies import Reply

log = logging.getLogger(__name__)

BUDGET_SECONDS = 2.0
EDIT_PROFILE = "profile-edit"
USE_IN_A_SERVER = "Use my commands in your server; here in DMs I send you messages and buttons."
OUT_OF_DATE = "That form is out of date; open it again with /checkin open."
SILENT = discord.AllowedMentions.none()
_DEFUSED_USER = re.compile(r"<\u200b@(!?\d{5,25})>")


def shown(text: str) -> str:
    """A reply as Discord shows it: user mentions as names (they ping nobody, as no message the
    bot sends allows mentions), everything else as the core left it."""
    return fitted(_DEFUSED_USER.sub(r"<@\1>", text))


@dataclass
class DiscordInteractions:
    bus: MessageBus
    moderator_roles: Collection[str]
    deliver_soon: DeliverSoon
    in_flight: set[asyncio.Task[Any]] = field(default_factory=set)

    @property
    def busy(self) -> bool:
        return bool(self.in_flight)

    async def settle(self) -> None:
        while self.in_flight:
            await asyncio.wait(list(self.in_flight))

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.in_flight.add(task)
        try:
            await self._dispatch(interaction)
        except discord.HTTPException as e:
            log.warning("answering an interaction failed: %s", e)
        finally:
            self.in_flight.discard(task)
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
            await interaction.response.send_message(USE_IN_A_SERVER, ephemeral=True)
            return
        guild = str(interaction.guild_id)
        line = typed_line(data)
        actor = actor_of(interaction, guild, self.moderator_roles)
        await self._run(interaction, guild, line, self.bus.handle_text(line, actor))

    async def _component(self, interaction: discord.Interaction, custom_id: str) -> None:
        kind, _, guild = custom_id.partition(":")
        if kind == EDIT_PROFILE and guild:
            actor = actor_of(interaction, guild, self.moderator_roles)
            reply = await self.bus.handle(ShowProfile(actor))
            if reply.profile_form is not None:
                await interaction.response.send_modal(profile_modal(guild, reply.profile_form))
            return
        parsed = parse_run_id(custom_id)
        if parsed is None:
            return
        guild, line = parsed
        actor = actor_of(interaction, guild, self.moderator_roles)
        await self._run(interaction, guild, line, self.bus.handle_text(line, actor), button=True)

    async def _run(
        self,
        interaction: discord.Interaction,
        guild: str,
        line: str,
        work: Awaitable[Reply],
        *,
        button: bool = False,
    ) -> None:
        """Answer with the core's reply: as the response when it comes within the budget, else
        after deferring."""
        running = asyncio.ensure_future(work)
        done, _ = await asyncio.wait({running}, timeout=BUDGET_SECONDS)
        if not done:
            await interaction.response.defer(ephemeral=True, thinking=True)
            reply = await running
            again = (Action("Open the form", line, "primary"),) if reply.form else ()
            await interaction.followup.send(**_message(guild, reply, again), ephemeral=True)
            return
        reply = running.result()
        if reply.form is not None:
            modal = checkin_modal(guild, reply.form)
            if modal is not None:
                await interaction.response.send_modal(modal)
                return
        if button and reply.ok and _answers_a_dm(interaction):
            assert interaction.message is not None
            content = f"{interaction.message.content}\n✓ {reply.text}"
            await interaction.response.edit_message(content=shown(content), view=None)
            return
        await interaction.response.send_message(**_message(guild, reply), ephemeral=reply.private)

    async def _submitted(self, interaction: discord.Interaction, data: dict[str, Any]) -> None:
        kind, _, rest = str(data.get("custom_id", "")).partition(":")
        guild, _, checkin_id = rest.partition(":")
        values = submitted_values(data)
        actor = actor_of(interaction, guild, self.moderator_roles)
        if kind == CHECKIN and checkin_id.isdigit():
            answers = tuple(values[f"q{n}"] for n in range(len(values)) if f"q{n}" in values)
            concern = values.get("concern", "").strip().lower().startswith("y")
            command = AnswerCheckin(actor, answers, concern, int(checkin_id))
            await self._run(interaction, guild, "", self.bus.handle(command))
        elif kind == PROFILE and guild:
            await self._run(interaction, guild, "", self._update_profile(actor, values))
        else:
            await interaction.response.send_message(OUT_OF_DATE, ephemeral=True)

    async def _update_profile(self, actor: Actor, values: dict[str, str]) -> Reply:
        return await self.bus.handle(UpdateProfile(actor, tuple(values.items())))

    async def _autocomplete(self, interaction: discord.Interaction, data: dict[str, Any]) -> None:
        if interaction.guild_id is None:
            await interaction.response.autocomplete([])
            return
        actor = actor_of(interaction, interaction.guild_id, self.moderator_roles)
        reply = await self.bus.handle(SuggestCircles(actor, _focused(data)))
        await interaction.response.autocomplete(
            [app_commands.Choice(name=name, value=name) for name in reply.choices]
        )


def _message(guild: str, reply: Reply, more: tuple[Action, ...] = ()) -> dict[str, Any]:
    view = buttons(guild, reply.actions + more)
    if reply.profile_form is not None:
        view = view or discord.ui.View(timeout=None)
        view.add_item(discord.ui.Button(label="Edit profile", custom_id=f"{EDIT_PROFILE}:{guild}"))
    message: dict[str, Any] = {"content": shown(reply.text), "allowed_mentions": SILENT}
    if view is not None:
        message["view"] = view
    return message


def _answers_a_dm(interaction: discord.Interaction) -> bool:
    """A button under one of the bot's own DMs: its answer replaces the buttons."""
    message = interaction.message
    return message is not None and interaction.guild_id is None and message.author.bot


def _focused(data: dict[str, Any]) -> str:
    options = list(data.get("options") or [])
    while options:
        option = options.pop(0)
        if option.get("focused"):
            return str(option.get("value") or "")
        options.extend(option.get("options") or [])
    return ""
