"""The schema and the repositories on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from adapters.clock import ManualClock
from bot.kernel.model import MemberRef, NewCircle, NewMember, WorkspaceRef
from bot.kernel.weekly_hours import WeeklyHours
from storage.database import create_engine, upgrade
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.settings import START


async def test_the_migrations_build_exactly_the_tables_the_code_uses(database_url: str) -> None:
    engine = create_engine(database_url)
    await upgrade(engine)
    async with engine.connect() as connection:
        differences = await connection.run_sync(
            lambda c: compare_metadata(MigrationContext.configure(c), SQLModel.metadata)
        )
    await engine.dispose()
    assert differences == []


async def test_upgrading_twice_is_harmless(database_url: str) -> None:
    engine = create_engine(database_url)
    await upgrade(engine)
    await upgrade(engine)
    await engine.dispose()


async def test_members_and_circles_round_trip_within_their_workspace(database_url: str) -> None:
    engine = create_engine(database_url)
    await upgrade(engine)
    uows = SqlUnitOfWorkFactory(engine, ManualClock(START))
    here, there = MemberRef("slack", "T1", "U1"), MemberRef("slack", "T2", "U1")
    async with uows() as uow:
        ada = NewMember(here, "Ada")
        ada.profile.subjects = ("algebra", "physics")
        ada.profile.hours = WeeklyHours.parse("mon-fri 16:00-19:00")
        await uow.members.add(ada)
        await uow.members.add(NewMember(there, "Someone else"))
        await uow.circles.add(NewCircle(here.workspace, "Algebra", "x", created_at=START))
        await uow.commit()
    async with uows() as uow:
        loaded = await uow.members.get(here)
        assert loaded is not None
        assert loaded.display_name == "Ada"
        assert loaded.profile.subjects == ("algebra", "physics")
        assert str(loaded.profile.hours) == "mon-fri 16:00-19:00"
        circle = await uow.circles.get_by_name(WorkspaceRef("slack", "T1"), "ALGEBRA")
        assert circle is not None
        assert circle.created_at == START
        assert circle.created_at.tzinfo is not None
        assert await uow.circles.get_by_name(WorkspaceRef("slack", "T2"), "algebra") is None
    await engine.dispose()


async def test_the_migrations_make_partial_indexes_partial(database_url: str) -> None:
    """Alembic's comparison ignores an index's WHERE: a partial unique index built whole would
    refuse what it should allow. Check that each one the tables declare has a predicate."""
    engine = create_engine(database_url)
    await upgrade(engine)
    dialect = engine.dialect.name
    option = f"{dialect}_where"
    declared = {
        index.name
        for table in SQLModel.metadata.tables.values()
        for index in table.indexes
        if index.dialect_options[dialect]["where"] is not None
    }
    async with engine.connect() as connection:
        reflected = await connection.run_sync(
            lambda c: {
                index["name"]: index["dialect_options"].get(option) is not None
                for table in SQLModel.metadata.tables
                for index in inspect(c).get_indexes(table)
            }
        )
    await engine.dispose()
    assert len(declared) >= 3
    assert {name for name, partial in reflected.items() if partial} == declared
