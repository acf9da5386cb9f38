"""Members for the storage tests, added as the bot would add them."""

from __future__ import annotations

from bot.kernel.model import Member, NewMember, WorkspaceRef
from storage.unit_of_work import SqlUnitOfWorkFactory

HERE = WorkspaceRef("slack", "T1")
THERE = WorkspaceRef("slack", "T2")


async def add_members(
    uows: SqlUnitOfWorkFactory, *names: str, workspace: WorkspaceRef = HERE
) -> list[Member]:
    async with uows() as uow:
        members = [await uow.members.add(NewMember(workspace.member(n), n.title())) for n in names]
        await uow.commit()
    return members
