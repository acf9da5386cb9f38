"""The /findbuddy queue: requests waiting for a buddy, per workspace.

Rules:
- `lock_queue` serialises a workspace's matching: on PostgreSQL a transaction-level advisory
  lock (`queue_lock_key`), on SQLite nothing (one writer at a time anyway);
- reads refresh rows already in the session, so what a transaction sees after `lock_queue` is
  what other transactions committed before it got the lock;
- on PostgreSQL the queue's reads lock the waiting requests they return (FOR UPDATE), and the
  expiry job skips locked ones: a request being matched is not expired under the matcher, and
  one being expired is re-read by the matcher after the job commits.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import ColumnElement, Select, text
from sqlmodel import col, select

from bot.kernel.model import BuddyRequest, NewBuddyRequest, RequestStatus, WorkspaceRef
from storage.buddies.mapping import request_from_rows, request_to_row
from storage.buddies.tables import BuddyRequestRow
from storage.members.tables import MemberRow
from storage.queries import SessionRepository, of_workspace, written
from storage.saved import row_id, saved

WAITING = RequestStatus.WAITING.value


def queue_lock_key(workspace: WorkspaceRef) -> int:
    """The PostgreSQL advisory lock key of a workspace's /findbuddy queue: the first 8 bytes of
    a SHA-256 as a signed 64-bit integer, the same in every process and release."""
    name = f"circles:buddy-queue:{workspace.platform}:{workspace.workspace_id}"
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class SqlBuddyQueue(SessionRepository):
    async def lock_queue(self, workspace: WorkspaceRef) -> None:
        # SQLite needs nothing: every transaction there begins IMMEDIATE, one writer at a time.
        if self._session.get_bind().dialect.name == "postgresql":
            await self._session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": queue_lock_key(workspace)}
            )

    async def waiting(self, workspace: WorkspaceRef) -> list[BuddyRequest]:
        return await self._requests(
            self._waiting_requests(
                of_workspace(BuddyRequestRow, workspace),
            )
            .order_by(col(BuddyRequestRow.created_at), col(BuddyRequestRow.id))
            .with_for_update(of=BuddyRequestRow)
        )

    async def waiting_of(self, member_id: int) -> BuddyRequest | None:
        found = await self._requests(
            self._waiting_requests(BuddyRequestRow.member_id == member_id).with_for_update(
                of=BuddyRequestRow
            )
        )
        return found[0] if found else None

    async def add_request(self, request: NewBuddyRequest) -> BuddyRequest:
        ref = request.member.ref
        row = BuddyRequestRow(
            platform=ref.platform,
            workspace_id=ref.workspace_id,
            member_id=request.member.id,
            created_at=request.created_at,
            expires_at=request.expires_at,
        )
        request_to_row(request, row)
        self._session.add(row)
        await self._session.flush()
        return saved(BuddyRequest, request, row_id(row))

    async def save_request(self, request: BuddyRequest) -> None:
        request_to_row(request, await self._session.get_one(BuddyRequestRow, request.id))
        await self._session.flush()

    async def expired_requests(self, now: datetime, limit: int) -> list[BuddyRequest]:
        # Skips requests that a /findbuddy is matching right now; the next run sees them if
        # they are still waiting then. The ids first, off ix_waiting_requests_expiry alone (an
        # idle pass is this one read); joined to members, SQLite's planner may start from them.
        due = await self._session.execute(
            select(BuddyRequestRow.id)
            .where(
                col(BuddyRequestRow.status) == written(WAITING),
                col(BuddyRequestRow.expires_at) <= now,
            )
            .order_by(col(BuddyRequestRow.expires_at), col(BuddyRequestRow.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        ids = list(due.scalars())
        if not ids:
            return []
        return await self._requests(
            self._waiting_requests(col(BuddyRequestRow.id).in_(ids))
            .order_by(col(BuddyRequestRow.expires_at), col(BuddyRequestRow.id))
            .with_for_update(of=BuddyRequestRow, skip_locked=True)
        )

    @staticmethod
    def _waiting_requests(*where: ColumnElement[bool] | bool) -> Select[BuddyRequestRow, MemberRow]:
        return (
            select(BuddyRequestRow, MemberRow)
            .join(MemberRow, col(MemberRow.id) == col(BuddyRequestRow.member_id))
            # as ix_waiting_requests_expiry and ux_one_waiting_request say it: a literal
            .where(col(BuddyRequestRow.status) == written(WAITING), *where)
        )

    async def _requests(self, statement: Select[BuddyRequestRow, MemberRow]) -> list[BuddyRequest]:
        return [request_from_rows(r, m) for r, m in await self._rows(statement)]
