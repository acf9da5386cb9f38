"""Deleting the outbox's messages by key, for erasure and the retention purge.

Rules:
- a message being sent right now (`sending`) is never deleted: the dispatcher holds its id, and
  SQLite may give a deleted row's id to the next message;
- deleting a flag's words deletes the messages keyed by it (`flag:<id>:`), so a new flag that
  gets the same id on SQLite is never taken for one already sent;
- key prefixes are matched a few hundred to a statement: SQLite parses a long OR as a deep
  expression tree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Executable, delete, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.kernel.model import MemberRef, OutboxStatus
from storage.outbox.tables import OutboxRow
from storage.queries import of_workspace

NOT_SENDING = col(OutboxRow.status) != OutboxStatus.SENDING.value
FINISHED = (OutboxStatus.SENT.value, OutboxStatus.FAILED.value, OutboxStatus.UNCERTAIN.value)
KEYS_PER_STATEMENT = 200
"""Key prefixes matched in one DELETE: SQLite parses a long OR as a deep expression tree."""


async def drop_messages(
    session: AsyncSession,
    key_prefixes: Sequence[str],
    to: MemberRef | None,
    keep: Sequence[str] = (),
) -> None:
    """Delete the messages whose key starts with one of the prefixes but none of `keep`,
    and those to `to`'s DMs; never one being sent."""
    if to is not None:
        await session.execute(
            delete(OutboxRow).where(
                NOT_SENDING,
                of_workspace(OutboxRow, to.workspace),
                col(OutboxRow.kind) == "dm",
                col(OutboxRow.target) == to.user_id,
            )
        )
    kept = [~col(OutboxRow.key).startswith(k, autoescape=True) for k in keep]
    for chunk in chunks(key_prefixes, KEYS_PER_STATEMENT):
        keyed = [col(OutboxRow.key).startswith(p, autoescape=True) for p in chunk]
        await session.execute(delete(OutboxRow).where(NOT_SENDING, or_(*keyed), *kept))


async def ids(session: AsyncSession, statement: Executable) -> list[int]:
    """The ids a statement returns (a SELECT of ids, or an UPDATE ... RETURNING them)."""
    result = await session.execute(statement)
    return [int(i) for i in result.scalars()]


def chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    return (items[i : i + size] for i in range(0, len(items), size))


def count(result: object) -> int:
    """How many rows a statement changed (0 where the driver does not say)."""
    return int(getattr(result, "rowcount", 0) or 0)
