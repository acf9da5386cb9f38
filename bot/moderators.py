"""Reaching a workspace's moderators privately.

Rule: a message for the moderators goes as a DM to each of them: the workspace's members who
moderate it, and the people the config names as moderators on that platform; never to a channel.
"""

from __future__ import annotations

from datetime import datetime

from bot.model import Destination, MemberRef, OutgoingMessage, WorkspaceRef
from bot.ports import UnitOfWork
from bot.settings import CoreSettings


async def moderator_refs(
    uow: UnitOfWork, workspace: WorkspaceRef, settings: CoreSettings
) -> list[MemberRef]:
    known = {m.ref for m in await uow.members.moderators(workspace)}
    configured = {
        workspace.member(user_id)
        for platform, user_id in settings.moderators
        if platform == workspace.platform
    }
    return sorted(known | configured)


async def tell_moderators(
    uow: UnitOfWork,
    workspace: WorkspaceRef,
    settings: CoreSettings,
    key: str,
    text: str,
    now: datetime,
) -> int:
    """Queue `text` for each moderator under `key`; how many moderators it goes to."""
    refs = await moderator_refs(uow, workspace, settings)
    for ref in refs:
        message = OutgoingMessage(f"{key}:to:{ref.user_id}", Destination.dm(ref), text)
        await uow.outbox.add(message, now)
    return len(refs)
