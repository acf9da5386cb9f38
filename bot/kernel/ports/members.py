"""Storing members (`MemberRepository`).

Rule: a member is found by a `MemberRef` (one workspace) or by ids that came from one; only the
"still in?" job looks across workspaces."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from bot.kernel.model import Member, MemberRef, NewMember, WorkspaceRef


class MemberRepository(Protocol):
    async def get(self, ref: MemberRef) -> Member | None: ...

    async def add(self, member: NewMember) -> Member:
        """Store them; the member as stored, with their id (whoever added them first, when two
        first commands race)."""
        ...

    async def save(self, member: Member) -> None: ...

    async def by_ids(self, member_ids: Collection[int]) -> list[Member]: ...

    async def moderators(self, workspace: WorkspaceRef) -> list[Member]:
        """Known members of the workspace who moderate it, by id."""
        ...

    async def still_in_unanswered(self, asked_before: datetime, limit: int) -> list[Member]:
        """Members in every workspace asked "still in?" before then who have not answered."""
        ...
