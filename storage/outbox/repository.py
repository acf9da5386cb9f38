"""Queuing messages in the outbox within the unit of work's transaction, so state and messages
commit together or not at all.

Rules:
- each workspace takes its turn (storage.outbox.turns): a message is queued after its
  workspace's last waiting one, or alongside the others' backlog when its workspace has none;
- a message's key is unique: queuing it again inserts nothing (INSERT ... ON CONFLICT DO
  NOTHING), so a doubled tick or a retried request never queues a message twice;
- `append` adds to a message still pending, under a row lock on PostgreSQL, so two appends
  never write over each other and a row being claimed is found no longer pending.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlmodel import col, select

from bot.kernel.model import Mention, OutgoingMessage
from storage.outbox.mapping import mentions_from_json, mentions_to_json, outgoing_values
from storage.outbox.tables import OutboxRow
from storage.outbox.turns import first_turn
from storage.queries import SessionRepository, insert_or_nothing


class SqlOutboxRepository(SessionRepository):
    async def add(self, message: OutgoingMessage, now: datetime) -> bool:
        return await self.add_all([message], now) == 1

    async def add_all(self, messages: Sequence[OutgoingMessage], now: datetime) -> int:
        if not messages:
            return 0
        statement = insert_or_nothing(self._session, OutboxRow, None, ["key"]).returning(
            col(OutboxRow.id)
        )
        rows = [outgoing_values(m, now) for m in messages]
        next_turn: dict[tuple[str, str], int] = {}
        for row in rows:
            place = (row["platform"], row["workspace_id"])
            if place not in next_turn:
                next_turn[place] = await first_turn(self._session, *place)
            row["turn"] = next_turn[place]
            next_turn[place] += 1
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
