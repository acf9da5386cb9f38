"""The composition root: the one place that turns settings into a running core on real storage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.config import Settings
from adapters.solver_pool import PooledSolver
from bot.buddy_jobs import BuddyJobs
from bot.bus import MessageBus
from bot.due import DueWork
from bot.outbox import OutboxDispatcher
from bot.ports import Clock, Messenger
from storage.database import DatabaseError, create_engine, describe_url, upgrade
from storage.outbox_store import SqlOutboxStore
from storage.unit_of_work import SqlUnitOfWorkFactory

__all__ = ["App", "DatabaseError", "bootstrap", "describe_url", "migrate"]


@dataclass
class App:
    bus: MessageBus
    due: DueWork
    outbox: SqlOutboxStore
    engine: AsyncEngine = field(repr=False)
    solver: PooledSolver = field(default_factory=PooledSolver, repr=False)

    async def close(self) -> None:
        self.solver.close()
        await self.engine.dispose()


async def migrate(settings: Settings) -> None:
    """Bring the configured database's schema to the latest version."""
    engine = create_engine(settings.storage.url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


async def bootstrap(
    settings: Settings,
    clock: Clock,
    messengers: Mapping[str, Messenger],
) -> App:
    """Open and migrate the database, then wire the core to it and to the platforms' messengers."""
    engine = create_engine(settings.storage.url)
    try:
        await upgrade(engine)
    except DatabaseError:
        await engine.dispose()
        raise
    outbox = SqlOutboxStore(engine)
    dispatcher = OutboxDispatcher(outbox, messengers, clock)
    await dispatcher.recover()
    uow_factory = SqlUnitOfWorkFactory(engine, clock)
    core = settings.core()
    solver = PooledSolver()
    bus = MessageBus(uow_factory, clock, core, solve=solver)
    due = DueWork(BuddyJobs(uow_factory, core, solver).all(), dispatcher, clock)
    return App(bus=bus, due=due, outbox=outbox, engine=engine, solver=solver)
