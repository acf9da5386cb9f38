"""Kudos over one AsyncSession.

Rules:
- a kudos is loaded whole, with its giver, its recipient and whoever revoked it, in one query
  (joins on aliases of `members`, never a lazy load); kudos of one result that share a member
  share its object;
- a kudos belongs to one workspace: `get` finds only the workspace's own, and the walls and
  counts are per workspace;
- a duplicate kudos (same dedupe key) is an INSERT ... ON CONFLICT DO NOTHING, never an error
  that would spoil the surrounding transaction;
- revoked kudos stay in the table for the audit but leave every count and wall;
- the public walls (`recent`, `counts_since`) leave out members who turned public praise off:
  `recent` drops kudos they gave or received, `counts_since` drops their own row (kudos they
  gave or received still count for the other member, whom it names alone);
- a private circle's kudos are on a wall and in a count only for its members and the moderators
  (`seen_by` None); to anyone else they do not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Integer, Row, Select, func, literal_column, or_, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from bot.kernel.model import Kudos, KudosCount, Member, NewKudos, WorkspaceRef
from storage.circles.tables import CircleRow, MembershipRow
from storage.kudos.mapping import kudos_from_row, kudos_to_row, kudos_values
from storage.kudos.tables import KudosRow
from storage.members.mapping import member_from_row
from storage.members.tables import MemberRow
from storage.queries import insert_or_nothing, of_workspace
from storage.saved import row_id, saved

Giver = aliased(MemberRow, name="giver")
Recipient = aliased(MemberRow, name="recipient")
Revoker = aliased(MemberRow, name="revoker")

KudosRows = Select[KudosRow, MemberRow, MemberRow, MemberRow | None]


def _kudos(*where: ColumnElement[bool] | bool) -> KudosRows:
    """Kudos with their giver, recipient and revoker rows (None when not revoked), filtered."""
    return (
        select(KudosRow, Giver, Recipient, Revoker)
        .join(Giver, col(Giver.id) == col(KudosRow.giver_id))
        .join(Recipient, col(Recipient.id) == col(KudosRow.recipient_id))
        .outerjoin(Revoker, col(Revoker.id) == col(KudosRow.revoked_by_id))
        .where(*where)
    )


NOT_REVOKED = col(KudosRow.revoked_at).is_(None)


def _seen_by(member_id: int | None) -> ColumnElement[bool] | bool:
    """Kudos outside private circles, and those of the private circles the member is in; all of
    them for None (a moderator)."""
    if member_id is None:
        return True
    theirs = select(MembershipRow.circle_id).where(col(MembershipRow.member_id) == member_id)
    hidden = select(CircleRow.id).where(col(CircleRow.private), col(CircleRow.id).not_in(theirs))
    return or_(col(KudosRow.circle_id).is_(None), col(KudosRow.circle_id).not_in(hidden))


def _since(since: datetime | None) -> ColumnElement[bool] | bool:
    return col(KudosRow.created_at) >= since if since is not None else True


class SqlKudosRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _load(self, statement: KudosRows) -> list[Kudos]:
        """The kudos the statement selects, in its order."""
        rows: Sequence[Row[KudosRow, MemberRow, MemberRow, MemberRow | None]] = (
            await self._session.execute(statement.execution_options(populate_existing=True))
        ).all()
        members: dict[int, Member] = {}

        def member(row: MemberRow) -> Member:
            found = members.get(row_id(row)) or member_from_row(row)
            members[found.id] = found
            return found

        return [
            kudos_from_row(
                row, member(giver), member(recipient), member(revoker) if revoker else None
            )
            for row, giver, recipient, revoker in rows
        ]

    async def add(self, kudos: NewKudos) -> Kudos | None:
        statement = insert_or_nothing(
            self._session, KudosRow, kudos_values(kudos), ["dedupe_key"]
        ).returning(col(KudosRow.id))
        kudos_id = (await self._session.execute(statement)).scalar_one_or_none()
        if kudos_id is None:
            return None
        return saved(Kudos, kudos, kudos_id)

    async def get(self, workspace: WorkspaceRef, kudos_id: int) -> Kudos | None:
        found = await self._load(
            _kudos(col(KudosRow.id) == kudos_id, of_workspace(KudosRow, workspace))
        )
        return found[0] if found else None

    async def save(self, kudos: Kudos) -> None:
        kudos_to_row(kudos, await self._session.get_one(KudosRow, kudos.id))
        await self._session.flush()

    async def given_since(self, giver_id: int, since: datetime) -> int:
        found = await self._session.execute(
            select(func.count())
            .select_from(KudosRow)
            .where(col(KudosRow.giver_id) == giver_id, NOT_REVOKED, _since(since))
        )
        return found.scalar_one()

    async def gave_to_since(self, giver_id: int, recipient_id: int, since: datetime) -> bool:
        found = await self._session.execute(
            select(KudosRow.id)
            .where(
                col(KudosRow.giver_id) == giver_id,
                col(KudosRow.recipient_id) == recipient_id,
                NOT_REVOKED,
                _since(since),
            )
            .limit(1)
        )
        return found.first() is not None

    async def received_count(self, member_id: int) -> int:
        found = await self._session.execute(
            select(func.count())
            .select_from(KudosRow)
            .where(col(KudosRow.recipient_id) == member_id, NOT_REVOKED)
        )
        return found.scalar_one()

    async def received_by(self, member_id: int, limit: int) -> list[Kudos]:
        return await self._load(
            _kudos(col(KudosRow.recipient_id) == member_id, NOT_REVOKED)
            .order_by(col(KudosRow.created_at).desc(), col(KudosRow.id).desc())
            .limit(limit)
        )

    async def recent(
        self, workspace: WorkspaceRef, circle_id: int | None, limit: int, seen_by: int | None
    ) -> list[Kudos]:
        in_circle = col(KudosRow.circle_id) == circle_id if circle_id is not None else True
        return await self._load(
            _kudos(
                of_workspace(KudosRow, workspace),
                NOT_REVOKED,
                col(Giver.public_kudos).is_(True),
                col(Recipient.public_kudos).is_(True),
                in_circle,
                _seen_by(seen_by),
            )
            .order_by(col(KudosRow.created_at).desc(), col(KudosRow.id).desc())
            .limit(limit)
        )

    async def counts_since(
        self, workspace: WorkspaceRef, since: datetime | None, limit: int, seen_by: int | None
    ) -> list[KudosCount]:
        """Ties go by display name, whatever the case, then by id."""
        counted = (of_workspace(KudosRow, workspace), NOT_REVOKED, _since(since), _seen_by(seen_by))
        one: ColumnElement[int] = literal_column("1", Integer)
        zero: ColumnElement[int] = literal_column("0", Integer)
        events = union_all(
            select(
                col(KudosRow.recipient_id).label("member_id"),
                one.label("received"),
                zero.label("given"),
            ).where(*counted),
            select(col(KudosRow.giver_id).label("member_id"), zero, one).where(*counted),
        ).subquery()
        totals = (
            select(
                events.c.member_id,
                func.sum(events.c.received).label("received"),
                func.sum(events.c.given).label("given"),
            )
            .group_by(events.c.member_id)
            .subquery()
        )
        rows = await self._session.execute(
            select(MemberRow, totals.c.received, totals.c.given)
            .join(totals, totals.c.member_id == col(MemberRow.id))
            .where(col(MemberRow.public_kudos))
            .order_by(
                totals.c.received.desc(),
                totals.c.given.desc(),
                func.lower(col(MemberRow.display_name)),
                col(MemberRow.id),
            )
            .limit(limit)
        )
        return [
            KudosCount(member_from_row(member), int(received), int(given))
            for member, received, given in rows
        ]
