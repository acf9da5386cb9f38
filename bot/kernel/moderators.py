"""Reaching a workspace's moderators privately.

Rules: a message for the moderators goes as a DM to each of them: the workspace's members who
moderate it, and the people the config names as moderators of that workspace; never to a
channel. Someone the config names for one Discord server or Slack workspace is told nothing of
another's unless the config names them there too, even if they are recorded as one of its
moderators (as the old `discord:<user>` form made them everywhere, or by a role they hold there):
for the people it names, the config says where their moderators' news goes. A concern goes at
once; routine news (digests, pauses) waits out each moderator's quiet hours, read in the
workspace's time zone for a moderator who set none.
"""

from __future__ import annotations

from datetime import datetime

from bot.kernel.model import (
    Destination,
    MemberRef,
    Mention,
    NewMember,
    OutgoingMessage,
    WorkspaceRef,
)
from bot.kernel.ports import UnitOfWork
from bot.kernel.quiet_hours import first_moment_allowed
from bot.kernel.settings import CoreSettings
from bot.kernel.workspace_settings import settings_for


async def moderators_of(
    uow: UnitOfWork, workspace: WorkspaceRef, settings: CoreSettings
) -> list[NewMember]:
    """Known moderators of `workspace` (but for people the config names for another one only),
    and the ones the config names for it that are not known yet (with default zone and
    hours)."""
    elsewhere = settings.named_elsewhere(workspace)
    recorded = await uow.members.moderators(workspace)
    known: dict[MemberRef, NewMember] = {
        m.ref: m for m in recorded if m.ref.user_id not in elsewhere
    }
    for user_id in settings.named_moderators(workspace):
        ref = workspace.member(user_id)
        if ref not in known:
            known[ref] = NewMember(ref, user_id, is_moderator=True)
    return [known[ref] for ref in sorted(known)]


async def tell_moderators(
    uow: UnitOfWork,
    workspace: WorkspaceRef,
    settings: CoreSettings,
    key: str,
    text: str,
    now: datetime,
    *,
    routine: bool = False,
    mentions: tuple[Mention, ...] = (),
    but: MemberRef | None = None,
) -> int:
    """Queue `text` for each moderator under `key` (but the moderator `but`, who did what it
    tells of), with the parts of it about members (`mentions`); how many moderators it goes
    to."""
    settings = await settings_for(uow, workspace, settings)  # a job's are the config's
    moderators = [m for m in await moderators_of(uow, workspace, settings) if m.ref != but]
    for moderator in moderators:
        at = first_moment_allowed(moderator, now, settings) if routine else None
        destination = Destination.dm(moderator.ref)
        key_for = f"{key}:to:{moderator.ref.user_id}"
        message = OutgoingMessage(key_for, destination, text, at, mentions=mentions)
        await uow.outbox.add(message, now)
    return len(moderators)
