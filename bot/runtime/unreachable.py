"""People and channels the platform will not let the bot reach, and who learns of it.

Rules:
- a DM refused for good (DMs closed, a deactivated account) marks its member unreachable, with
  the platform's reason; when they were not unreachable already, the moderators are told once,
  privately and outside their quiet hours; a DM to someone unknown is only logged;
- the member learns of it in the reply to the next command of theirs that succeeds, once: the
  marks are cleared in that command's transaction (a command that fails leaves them for the
  next one);
- a channel post refused for good tells the moderators what failed and what to do, at most once
  per channel a day (in the workspace's calendar).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace

from bot.kernel.command_refs import command_ref
from bot.kernel.local_time import shown_day, workspace_zone, zone_of
from bot.kernel.model import Member, OutboxEntry, WorkspaceRef
from bot.kernel.moderators import tell_moderators
from bot.kernel.ports import Clock, UnitOfWork, UnitOfWorkFactory
from bot.kernel.replies import Reply
from bot.kernel.settings import CoreSettings
from bot.kernel.text import neutralise
from bot.kernel.workspace_settings import settings_for

log = logging.getLogger(__name__)

REASON_LIMIT = 200


class Unreachables:
    """The outbox's `on_undeliverable` hook: what follows a send the platform refused for good."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock, settings: CoreSettings
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._settings = settings

    async def undeliverable(self, entry: OutboxEntry, reason: str) -> None:
        async with self._uow_factory() as uow:
            if entry.destination.kind == "dm":
                await self._dm_refused(uow, entry, reason)
            else:
                await self._post_refused(uow, entry, reason)
            await uow.commit()

    async def _dm_refused(self, uow: UnitOfWork, entry: OutboxEntry, reason: str) -> None:
        destination = entry.destination
        member = await uow.members.get(destination.workspace.member(destination.target))
        if member is None:
            log.warning("a DM to unknown %s could not be delivered: %s", destination, reason)
            return
        now = self._clock.now()
        already = member.unreachable_since is not None
        member.unreachable_since, member.unreachable_reason = now, reason[:REASON_LIMIT]
        await uow.members.save(member)
        if already:
            return
        key = f"unreachable:{member.id}:{now.isoformat()}"
        text = unreachable_for_moderators(member, reason)
        settings = await settings_for(uow, destination.workspace, self._settings)
        await tell_moderators(uow, destination.workspace, settings, key, text, now, routine=True)

    async def _post_refused(self, uow: UnitOfWork, entry: OutboxEntry, reason: str) -> None:
        workspace, channel = entry.destination.workspace, entry.destination.target
        now = self._clock.now()
        circles = [
            c.name
            for c in await uow.circles.in_workspace(workspace)
            if c.settings.channel == channel and not c.is_archived
        ]
        settings = await settings_for(uow, workspace, self._settings)
        is_kudos = settings.kudos.channel == channel
        text = post_refused_for_moderators(channel, reason, circles, is_kudos)
        day = now.astimezone(workspace_zone(settings)).date().isoformat()
        key = f"channel-refused:{_channel_key(workspace, channel)}:{day}"
        await tell_moderators(uow, workspace, settings, key, text, now, routine=True)


def _channel_key(workspace: WorkspaceRef, channel: str) -> str:
    """Short and fixed in length, whatever the channel's id or name (keys are bounded)."""
    named = f"{workspace.platform}:{workspace.workspace_id}:{channel}"
    return hashlib.sha256(named.encode()).hexdigest()[:20]


def unreachable_for_moderators(member: Member, reason: str) -> str:
    return (
        f"A direct message to {neutralise(member.display_name, 60)} could not be delivered: "
        f"{neutralise(reason, REASON_LIMIT)}. Until they can be reached they miss what I send "
        "them (pairings, check-ins). I will tell them the next time they use a command."
    )


def post_refused_for_moderators(
    channel: str, reason: str, circles: list[str], is_kudos: bool
) -> str:
    shown = channel if channel.startswith(("#", "<#")) else f"#{channel}"
    fixes = [f"invite the app to {shown}"]
    if circles:
        uses = ", ".join(circles)
        elsewhere = command_ref(f"/circle set {circles[0]} channel #other")
        fixes.append(f"give {uses} another channel with {elsewhere}")
    if is_kudos:
        fixes.append("change the kudos channel ([kudos] channel in the config)")
    return (
        f"I could not post in {shown}: {neutralise(reason, REASON_LIMIT)}. "
        f"To fix it, {' or '.join(fixes)}. (I tell you about this channel at most once a day.)"
    )


def unreachable_note(member: Member, settings: CoreSettings) -> str:
    """What a member is told about a DM that could not reach them."""
    since = member.unreachable_since
    assert since is not None
    day = shown_day(since, zone_of(member, settings))
    reason = neutralise(member.unreachable_reason or "no reason given", REASON_LIMIT)
    return (
        f"Note: a direct message I sent you on {day} could not reach you ({reason}). "
        "Please allow direct messages from this app so prompts and pairings reach you; "
        f"{command_ref('/buddy')} and {command_ref('/checkin')} show what is current."
    )


async def take_unreachable_note(uow: UnitOfWork, me: Member, settings: CoreSettings) -> str:
    """The note for a member marked unreachable ("" for anyone else), clearing the marks in this
    unit of work: committed with the command it is shown with, or not at all."""
    if me.unreachable_since is None:
        return ""
    note = unreachable_note(me, settings)
    me.unreachable_since = me.unreachable_reason = None
    await uow.members.save(me)
    return note


def with_note(reply: Reply, note: str) -> Reply:
    return replace(reply, text=f"{reply.text}\n\n{note}") if note else reply
