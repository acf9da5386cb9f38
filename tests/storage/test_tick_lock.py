"""The tick lock on PostgreSQL: of two instances ticking at once only one runs the due jobs, and
an instance that dies lets the others tick."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.database import create_engine
from storage.tick_lock import PostgresTickLock, tick_lock_for

ON_POSTGRES_ONLY = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


@pytest.fixture
async def engines(database_url: str) -> AsyncIterator[list[AsyncEngine]]:
    """Two engines: two bot instances, each with its own connections."""
    made = [create_engine(database_url) for _ in range(2)]
    yield made
    for engine in made:
        await engine.dispose()


@ON_POSTGRES_ONLY
async def test_of_two_instances_ticking_at_once_only_one_runs_the_jobs(
    engines: list[AsyncEngine],
) -> None:
    first, second = (PostgresTickLock(engine) for engine in engines)
    try:
        async with first.hold() as first_mine, second.hold() as second_mine:
            assert [first_mine, second_mine] == [True, False]
        async with second.hold() as second_mine_next_tick:
            assert second_mine_next_tick
    finally:
        await first.close()
        await second.close()


@ON_POSTGRES_ONLY
async def test_a_dead_instance_does_not_keep_the_tick(engines: list[AsyncEngine]) -> None:
    first, second = (PostgresTickLock(engine) for engine in engines)
    try:
        async with first.hold() as first_mine:
            assert first_mine
            await first.close()  # its connection goes, as when its process is killed
            async with second.hold() as second_mine:
                assert second_mine
    finally:
        await second.close()


@ON_POSTGRES_ONLY
async def test_one_process_ticks_once_at_a_time(engines: list[AsyncEngine]) -> None:
    lock = PostgresTickLock(engines[0])
    try:
        async with lock.hold() as outer, lock.hold() as inner:
            assert [outer, inner] == [True, False]
    finally:
        await lock.close()


async def test_on_sqlite_every_instance_ticks(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        lock = tick_lock_for(engine)
        assert (lock is None) == database_url.startswith("sqlite")
    finally:
        await engine.dispose()
