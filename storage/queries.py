"""What every repository's queries share: the tenant condition and the INSERT that a duplicate
cannot spoil.

Rules:
- every query keeps to one workspace (`of_workspace`) or to ids that came from one;
- a duplicate is an INSERT ... ON CONFLICT DO NOTHING, never an error that would spoil the
  surrounding transaction;
- a condition that a partial index's predicate names (`status = 'open'`) is written with the
  same literal (`written`), never a bound parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Insert, Row, Select, String, and_, literal_column
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col

from bot.kernel.model import WorkspaceRef

_Ts = TypeVarTuple("_Ts")


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


def written(value: str) -> ColumnElement[str]:
    """A constant written into the SQL text instead of sent as a parameter. A partial index
    (`WHERE status = 'open'`) serves a query only when the query says the same literal: SQLite
    matches the text, and a plan prepared once for any parameter (PostgreSQL's generic plans)
    cannot count on its value."""
    if not value.replace("_", "").replace("-", "").isalnum():
        raise ValueError(f"{value!r} is not a plain word to write into SQL")
    return literal_column(f"'{value}'", String)


class SessionRepository:
    """A repository over the unit of work's one AsyncSession."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _rows(self, statement: Select[*_Ts]) -> Sequence[Row[*_Ts]]:
        """What the statement selects, refreshing rows already in the session
        (`populate_existing`): a row read again after waiting for its lock is what the other
        transaction committed."""
        result = await self._session.execute(statement.execution_options(populate_existing=True))
        return result.all()
