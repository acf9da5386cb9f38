"""A migrated database per storage test, and the core's unit of work on it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.clock import ManualClock
from bot.kernel.ports import UnitOfWorkFactory
from storage.database import create_engine, upgrade
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.settings import START


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def uows(engine: AsyncEngine) -> SqlUnitOfWorkFactory:
    factory = SqlUnitOfWorkFactory(engine, ManualClock(START))
    _: UnitOfWorkFactory = factory  # mypy: the storage satisfies the core's ports
    return factory
