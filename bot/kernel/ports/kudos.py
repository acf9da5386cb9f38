"""Storing kudos (`KudosRepository`).

Rules: within one workspace; a dedupe key makes a repeat the same kudos; revoked kudos and
members who turned public praise off are left out of walls and counts; a private circle's kudos
are seen only by its members and the moderators."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.kernel.model import Kudos, KudosCount, NewKudos, WorkspaceRef


class KudosRepository(Protocol):
    """Kudos within one workspace; revoked ones are left out of every wall and count."""

    async def add(self, kudos: NewKudos) -> Kudos | None:
        """The kudos as stored, with its id; None when a kudos with its dedupe key exists (a
        double click, a retried request)."""
        ...

    async def get(self, workspace: WorkspaceRef, kudos_id: int) -> Kudos | None: ...

    async def save(self, kudos: Kudos) -> None:
        """Store its revocation."""
        ...

    async def given_since(self, giver_id: int, since: datetime) -> int: ...

    async def gave_to_since(self, giver_id: int, recipient_id: int, since: datetime) -> bool: ...

    async def received_count(self, member_id: int) -> int: ...

    async def received_by(self, member_id: int, limit: int) -> list[Kudos]:
        """Kudos the member received, newest first, whether or not they allow public praise."""
        ...

    async def recent(
        self, workspace: WorkspaceRef, circle_id: int | None, limit: int, seen_by: int | None
    ) -> list[Kudos]:
        """Newest first, in one circle when given; only kudos whose giver and recipient both
        allow public praise, and a private circle's only when `seen_by` (a member id) is in it.
        `seen_by` None is a moderator, who sees every circle's."""
        ...

    async def counts_since(
        self, workspace: WorkspaceRef, since: datetime | None, limit: int, seen_by: int | None
    ) -> list[KudosCount]:
        """Members by kudos received (then given), most first, leaving out those who turned
        public praise off; since the start of time for None. A private circle's kudos count only
        when `seen_by` is in it (None: a moderator, for whom all count)."""
        ...
