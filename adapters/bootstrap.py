"""The composition root: the one place that turns settings into a running core on real storage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.config import Settings
from adapters.solver_pool import PooledSolver
from adapters.storage_faults import GuardedBus, GuardedUnitOfWorkFactory, storage_problem
from bot import features
from bot.kernel.ports import Clock, Messenger
from bot.runtime.bus import MessageBus
from bot.runtime.due import DueWork
from bot.runtime.feature import Wiring
from bot.runtime.outbox import OutboxDispatcher
from bot.runtime.unreachable import Unreachables
from storage.database import DatabaseError, create_engine, describe_url, upgrade
from storage.outbox.store import SqlOutboxStore
from storage.seen_events import SqlSeenEvents
from storage.sqlite_threads import worker_threads_settled_on_failure
from storage.tick_lock import PostgresTickLock, tick_lock_for
from storage.unit_of_work import SqlUnitOfWorkFactory

__all__ = ["App", "DatabaseError", "bootstrap", "describe_url", "migrate"]


@dataclass
class App:
    bus: MessageBus
    due: DueWork
    outbox: SqlOutboxStore
    seen_events: SqlSeenEvents
    engine: AsyncEngine = field(repr=False)
    solver: PooledSolver = field(default_factory=PooledSolver, repr=False)
    tick_lock: PostgresTickLock | None = field(default=None, repr=False)

    async def close(self) -> None:
        self.solver.close()
        if self.tick_lock is not None:
            await self.tick_lock.close()
        await self.engine.dispose()


async def migrate(settings: Settings) -> None:
    """Bring the configured database's schema to the latest version."""
    engine = create_engine(settings.storage.url)
    async with worker_threads_settled_on_failure():
        try:
            await _upgrade(engine, settings.storage.url)
        finally:
            await engine.dispose()


async def _upgrade(engine: AsyncEngine, url: str) -> None:
    """`upgrade`, with a database that refuses to be written said in an operator's words."""
    try:
        await upgrade(engine)
    except DatabaseError as e:
        problem = storage_problem(e, url)
        if problem is None:
            raise
        raise DatabaseError(f"Could not open the database at {describe_url(url)}: {problem}") from e


async def bootstrap(
    settings: Settings,
    clock: Clock,
    messengers: Mapping[str, Messenger],
) -> App:
    """Open and migrate the database, then wire the core to it and to the platforms' messengers."""
    url = settings.storage.url
    engine = create_engine(url)
    async with worker_threads_settled_on_failure():
        try:
            await _upgrade(engine, url)
            return await _wire(settings, clock, messengers, engine)
        except Exception as e:
            await engine.dispose()
            if isinstance(e, DatabaseError) or (problem := storage_problem(e, url)) is None:
                raise
            raise DatabaseError(
                f"Could not open the database at {describe_url(url)}: {problem}"
            ) from e


async def _wire(
    settings: Settings, clock: Clock, messengers: Mapping[str, Messenger], engine: AsyncEngine
) -> App:
    uow_factory = SqlUnitOfWorkFactory(engine, clock)
    core = settings.core()
    outbox = SqlOutboxStore(engine)
    dispatcher = OutboxDispatcher(
        outbox,
        messengers,
        clock,
        lease=timedelta(seconds=settings.outbox.lease_seconds),
        concurrency=settings.outbox.concurrency,
        on_undeliverable=Unreachables(uow_factory, clock, core).undeliverable,
        budget=outbox,
    )
    await dispatcher.recover()
    solver = PooledSolver()
    guarded = GuardedUnitOfWorkFactory(uow_factory, settings.storage.url)
    bus = GuardedBus(
        guarded, clock, core, solve=solver, handlers=features.handlers(), catalog=features.CATALOG
    )
    jobs = features.jobs(Wiring(uow_factory, core, solver))
    tick_lock = tick_lock_for(engine)
    due = DueWork(jobs, dispatcher, clock, tick_lock)
    return App(
        bus=bus,
        due=due,
        outbox=outbox,
        seen_events=SqlSeenEvents(engine),
        engine=engine,
        solver=solver,
        tick_lock=tick_lock,
    )
