"""The core's repositories over one AsyncSession. Every query is scoped to one workspace or to ids
that came from one."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Insert, and_, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col, select

from bot.kernel.model import (
    Cadence,
    Circle,
    Member,
    MemberRef,
    Membership,
    Mention,
    OutgoingMessage,
    WorkspaceRef,
)
from bot.kernel.ports import Clock
from storage.mapping import (
    actions_to_json,
    circle_from_row,
    circle_to_row,
    member_from_row,
    member_to_row,
    membership_from_rows,
    membership_to_row,
    mentions_from_json,
    mentions_to_json,
)
from storage.tables import CircleRow, MemberRow, MembershipRow, OutboxRow


def insert_or_nothing(
    session: AsyncSession,
    table: type[SQLModel],
    values: dict[str, Any] | None,
    unique: list[str],
) -> Insert:
    """INSERT ... ON CONFLICT (unique) DO NOTHING in the session's dialect: a duplicate inserts
    no row instead of raising, so the surrounding transaction carries on. With `values` None the
    rows are given at execution, as a list (SQLAlchemy batches them into few statements)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(table) if values is None else insert(table).values(values)
    return statement.on_conflict_do_nothing(index_elements=unique)


def of_workspace(table: Any, workspace: WorkspaceRef) -> ColumnElement[bool]:
    """The one condition that keeps a query inside its tenant: rows of this workspace only."""
    return and_(
        col(table.platform) == workspace.platform,
        col(table.workspace_id) == workspace.workspace_id,
    )


class SqlMemberRepository:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def get(self, ref: MemberRef) -> Member | None:
        row = (
            await self._session.execute(
                select(MemberRow).where(
                    of_workspace(MemberRow, ref.workspace),
                    MemberRow.user_id == ref.user_id,
                )
            )
        ).scalar_one_or_none()
        return member_from_row(row) if row else None

    async def add(self, member: Member) -> Member:
        """Add a new member; when a concurrent transaction added the same person first, that
        member is returned instead, so two first commands at once both succeed."""
        now = self._clock.now()
        ref = member.ref
        row = MemberRow(
            platform=ref.platform,
            workspace_id=ref.workspace_id,
            user_id=ref.user_id,
            display_name=member.display_name,
            created_at=now,
            updated_at=now,
        )
        member_to_row(member, row, now)
        values = row.model_dump(exclude={"id"})
        unique = ["platform", "workspace_id", "user_id"]
        statement = insert_or_nothing(self._session, MemberRow, values, unique)
        new_id = (await self._session.execute(statement.returning(col(MemberRow.id)))).scalar()
        if new_id is None:
            # Their first two requests raced (two instances, or two clicks): the other won.
            existing = await self.get(ref)
            assert existing is not None
            return existing
        member.id = new_id
        return member

    async def save(self, member: Member) -> None:
        row = await self._session.get_one(MemberRow, member.id)
        member_to_row(member, row, self._clock.now())

    async def by_ids(self, member_ids: Collection[int]) -> list[Member]:
        """The members that exist among these ids, by id."""
        if not member_ids:
            return []
        rows = (
            await self._session.execute(
                select(MemberRow)
                .where(col(MemberRow.id).in_(list(member_ids)))
                .order_by(col(MemberRow.id))
            )
        ).scalars()
        return [member_from_row(row) for row in rows]

    async def moderators(self, workspace: WorkspaceRef) -> list[Member]:
        rows = (
            await self._session.execute(
                select(MemberRow)
                .where(
                    of_workspace(MemberRow, workspace),
                    col(MemberRow.is_moderator),
                )
                .order_by(col(MemberRow.id))
            )
        ).scalars()
        return [member_from_row(row) for row in rows]

    async def still_in_unanswered(self, asked_before: datetime, limit: int) -> list[Member]:
        """Oldest question first. On PostgreSQL the members returned stay locked until the
        transaction ends and members locked by another transaction are skipped, so two instances
        running the job never both settle the same member."""
        rows = (
            await self._session.execute(
                select(MemberRow)
                .where(
                    col(MemberRow.still_in_asked_at).is_not(None),
                    col(MemberRow.still_in_asked_at) <= asked_before,
                )
                .order_by(col(MemberRow.still_in_asked_at), col(MemberRow.id))
                .limit(limit)
                .with_for_update(skip_locked=True)
                .execution_options(populate_existing=True)
            )
        ).scalars()
        return [member_from_row(row) for row in rows]


class SqlCircleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, circle_id: int) -> Circle | None:
        row = await self._session.get(CircleRow, circle_id)
        return circle_from_row(row) if row else None

    async def with_cadence(self) -> list[Circle]:
        rows = (
            await self._session.execute(
                select(CircleRow)
                .where(
                    col(CircleRow.cadence) != Cadence.OFF.value,
                    col(CircleRow.archived_at).is_(None),
                )
                .order_by(col(CircleRow.id))
            )
        ).scalars()
        return [circle_from_row(row) for row in rows]

    async def get_by_name(self, workspace: WorkspaceRef, name: str) -> Circle | None:
        row = (
            await self._session.execute(
                select(CircleRow).where(
                    of_workspace(CircleRow, workspace),
                    CircleRow.name_key == name.lower(),
                )
            )
        ).scalar_one_or_none()
        return circle_from_row(row) if row else None

    async def in_workspace(self, workspace: WorkspaceRef) -> list[Circle]:
        rows = (
            await self._session.execute(
                select(CircleRow)
                .where(
                    of_workspace(CircleRow, workspace),
                )
                .order_by(col(CircleRow.name_key))
            )
        ).scalars()
        return [circle_from_row(row) for row in rows]

    async def add(self, circle: Circle) -> Circle:
        assert circle.created_at is not None
        workspace = circle.workspace
        row = CircleRow(
            platform=workspace.platform,
            workspace_id=workspace.workspace_id,
            name=circle.name,
            name_key=circle.name.lower(),
            created_at=circle.created_at,
        )
        circle_to_row(circle, row)
        self._session.add(row)
        await self._session.flush()
        circle.id = row.id
        return circle

    async def save(self, circle: Circle) -> None:
        circle_to_row(circle, await self._session.get_one(CircleRow, circle.id))

    async def memberships(self, circle_id: int) -> list[Membership]:
        rows = await self._session.execute(
            select(MembershipRow, MemberRow)
            .join(MemberRow, col(MemberRow.id) == col(MembershipRow.member_id))
            .where(MembershipRow.circle_id == circle_id)
            .order_by(col(MembershipRow.joined_at), col(MembershipRow.id))
        )
        return [membership_from_rows(m, member) for m, member in rows]

    async def membership(self, circle_id: int, member_id: int) -> Membership | None:
        found = (
            await self._session.execute(
                select(MembershipRow, MemberRow)
                .join(MemberRow, col(MemberRow.id) == col(MembershipRow.member_id))
                .where(MembershipRow.circle_id == circle_id, MembershipRow.member_id == member_id)
            )
        ).first()
        return membership_from_rows(found[0], found[1]) if found else None

    async def add_membership(self, membership: Membership) -> Membership:
        assert membership.member.id is not None
        assert membership.joined_at is not None
        row = MembershipRow(
            circle_id=membership.circle_id,
            member_id=membership.member.id,
            role=membership.role.value,
            facilitator=membership.facilitator,
            joined_at=membership.joined_at,
            sit_outs=membership.sit_outs,
        )
        self._session.add(row)
        await self._session.flush()
        membership.id = row.id
        return membership

    async def save_membership(self, membership: Membership) -> None:
        membership_to_row(membership, await self._session.get_one(MembershipRow, membership.id))

    async def remove_membership(self, membership: Membership) -> None:
        await self._session.delete(await self._session.get_one(MembershipRow, membership.id))

    async def member_counts(self, circle_ids: Collection[int]) -> dict[int, int]:
        rows = await self._session.execute(
            select(MembershipRow.circle_id, func.count())
            .where(col(MembershipRow.circle_id).in_(list(circle_ids)))
            .group_by(col(MembershipRow.circle_id))
        )
        return {circle_id: count for circle_id, count in rows}

    async def circle_ids_of(self, member_id: int) -> set[int]:
        rows = await self._session.execute(
            select(MembershipRow.circle_id).where(MembershipRow.member_id == member_id)
        )
        return set(rows.scalars())


class SqlOutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, message: OutgoingMessage, now: datetime) -> bool:
        return await self.add_all([message], now) == 1

    async def add_all(self, messages: Sequence[OutgoingMessage], now: datetime) -> int:
        if not messages:
            return 0
        statement = insert_or_nothing(self._session, OutboxRow, None, ["key"]).returning(
            col(OutboxRow.id)
        )
        rows = [_outbox_values(m, now) for m in messages]
        return len((await self._session.execute(statement, rows)).all())

    async def append(
        self, key: str, text: str, mentions: Sequence[Mention], limit: int
    ) -> bool | None:
        """Read under a row lock on PostgreSQL (on SQLite transactions take turns anyway), so two
        appends never write over each other, and a row a dispatcher is claiming is waited for
        and then found no longer pending."""
        row = (
            await self._session.execute(
                select(OutboxRow).where(col(OutboxRow.key) == key).with_for_update()
            )
        ).scalar_one_or_none()
        if row is None:
            return None
        if row.status != "pending" or len(row.text) + len(text) > limit:
            return False
        start = len(row.text)
        moved = [replace(m, start=m.start + start, end=m.end + start) for m in mentions]
        row.text += text
        row.mentions = mentions_to_json([*mentions_from_json(row.mentions), *moved])
        await self._session.flush()
        return True


def _outbox_values(message: OutgoingMessage, now: datetime) -> dict[str, Any]:
    destination = message.destination
    return {
        "key": message.key,
        "platform": destination.workspace.platform,
        "workspace_id": destination.workspace.workspace_id,
        "kind": destination.kind,
        "target": destination.target,
        "text": message.text,
        "status": "pending",
        "attempts": 0,
        "created_at": now,
        "next_attempt_at": max(now, message.not_before or now),
        "actions": actions_to_json(message.actions),
        "mentions": mentions_to_json(message.mentions),
        "priority": int(message.priority),
    }
