"""How the database would run a statement, for tests (and the bench) that check a query reads an
index: SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN, each step a string.

Rule: on PostgreSQL the tests ask with sequential scans off (`seqscan_off`), so that a table too
small for the planner to bother still shows whether an index could serve the query; the bench
asks without, to show the plans as they are."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine


async def plan_steps(
    engine: AsyncEngine, statements: Sequence[tuple[str, Any]], *, seqscan_off: bool = True
) -> list[list[str]]:
    """Each statement's plan, a step a string (SQLite's detail column, PostgreSQL's line)."""
    postgres = engine.dialect.name == "postgresql"
    explain = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
    plans: list[list[str]] = []
    async with engine.connect() as connection:
        if postgres and seqscan_off:
            await connection.exec_driver_sql("SET enable_seqscan = off")
        for sql, params in statements:
            rows = await connection.exec_driver_sql(explain + sql, params)
            plans.append([str(row[0]).strip() if postgres else str(row[-1]) for row in rows])
        await connection.rollback()
    return plans


async def query_plan(engine: AsyncEngine, sql: str, params: Any) -> str:
    """One statement's plan, its steps joined by " | "."""
    [steps] = await plan_steps(engine, [(sql, params)])
    return " | ".join(steps)
