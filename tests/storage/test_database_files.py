"""What the database lets out: a SQLite database's files can be read by the user running the bot
only; and on SQLite and PostgreSQL an error it raises quotes no value, so no log line carries
what a member typed."""

from __future__ import annotations

import logging
import os
import stat
import traceback
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from adapters.console.people import actor
from bot.kernel.text import SAFE_TO_LOG
from bot.runtime.bus import SOMETHING_WENT_WRONG
from storage.database import create_engine
from tests.support.fakes import RecordingMessenger
from tests.support.settings import START, settings_for

CONCERN = "Uncle Bertram hurts me when mum is out"
WORDS = ("Bertram", "hurts", "mum is out")
REFUSAL = "no_concern_stored"


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[App]:
    application = await bootstrap(
        settings_for(database_url), ManualClock(START), {"console": RecordingMessenger()}
    )
    yield application
    await application.close()


async def _refuse_concerns(engine: AsyncEngine, how: str) -> None:
    """Make the database refuse to store a concern: a second identical one (a unique index: on
    PostgreSQL its DETAIL quotes the key), or any (a trigger on SQLite; on PostgreSQL a check
    constraint, whose DETAIL quotes the whole row)."""
    async with engine.begin() as connection:
        if how == "twice":
            await connection.exec_driver_sql(f"CREATE UNIQUE INDEX {REFUSAL} ON flags (text)")
        elif engine.dialect.name == "sqlite":
            await connection.exec_driver_sql(
                f"CREATE TRIGGER {REFUSAL} BEFORE INSERT ON flags "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            )
        else:
            await connection.exec_driver_sql(
                f"ALTER TABLE flags ADD CONSTRAINT {REFUSAL} CHECK (length(text) < 3)"
            )


async def _accept_concerns(engine: AsyncEngine) -> None:
    """Undo `_refuse_concerns` (the PostgreSQL database is shared by the session's tests)."""
    async with engine.begin() as connection:
        await connection.exec_driver_sql(f"DROP INDEX IF EXISTS {REFUSAL}")
        if engine.dialect.name == "sqlite":
            await connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {REFUSAL}")
        else:
            await connection.exec_driver_sql(
                f"ALTER TABLE flags DROP CONSTRAINT IF EXISTS {REFUSAL}"
            )


@pytest.mark.parametrize("how", ["twice", "always"])
async def test_a_concern_the_database_refuses_leaves_no_word_of_it_in_the_log(
    app: App, how: str, caplog: pytest.LogCaptureFixture
) -> None:
    ada = actor("w1", "Ada")
    await _refuse_concerns(app.engine, how)
    try:
        caplog.set_level(logging.INFO)
        if how == "twice":
            assert (await app.bus.handle_text(f"/flag {CONCERN}", ada)).ok
        reply = await app.bus.handle_text(f"/flag {CONCERN}", ada)
    finally:
        await _accept_concerns(app.engine)
    assert reply.text == SOMETHING_WENT_WRONG
    logged = caplog.text
    assert "command RaiseFlag failed" in logged
    assert "INSERT INTO flags" in logged, "the operator still learns what failed"
    for word in WORDS:
        assert word not in logged


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "SELECT CAST(:value AS INTEGER)",  # asyncpg: "invalid input for query argument $1: '...'"
        "SELECT CAST(CAST(:value AS TEXT) AS INTEGER)",  # PostgreSQL: 'invalid input syntax...'
    ],
)
async def test_a_value_postgresql_cannot_take_is_not_quoted_in_the_error(
    postgres_url: str, statement: str
) -> None:
    engine = create_engine(postgres_url)
    try:
        async with engine.connect() as connection:
            with pytest.raises(DBAPIError) as raised:
                await connection.execute(text(statement), {"value": CONCERN})
    finally:
        await engine.dispose()
    printed = "".join(traceback.format_exception(raised.value))
    assert "SQLSTATE 22" in printed
    for word in WORDS:
        assert word not in printed
    assert getattr(raised.value, SAFE_TO_LOG) is True


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The umask most servers run with (022), under which SQLite made its files world-readable."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def _write_something(database: Path) -> App:
    """The bot, running on `database`, after a command that wrote to it (so -wal and -shm are
    there); the caller closes it."""
    app = await bootstrap(
        settings_for(f"sqlite+aiosqlite:///{database}"),
        ManualClock(START),
        {"console": RecordingMessenger()},
    )
    assert (await app.bus.handle_text(f"/flag {CONCERN}", actor("w1", "Ada"))).ok
    return app


def _files_of(database: Path) -> list[Path]:
    return [database, *(database.with_name(database.name + end) for end in ("-wal", "-shm"))]


@pytest.mark.usefixtures("usual_umask")
async def test_a_new_database_its_companions_and_its_folders_are_the_bots_user_s_only(
    tmp_path: Path,
) -> None:
    database = tmp_path / "srv" / "data" / "circles.db"
    app = await _write_something(database)
    try:
        for file in _files_of(database):
            assert _mode(file) == 0o600, file
        for folder in (tmp_path / "srv", tmp_path / "srv" / "data"):
            assert _mode(folder) == 0o700, folder
    finally:
        await app.close()


@pytest.mark.usefixtures("usual_umask")
async def test_a_database_an_earlier_version_left_readable_to_all_is_tightened_at_the_start(
    tmp_path: Path,
) -> None:
    database = tmp_path / "data" / "circles.db"
    await (await _write_something(database)).close()
    (tmp_path / "data").chmod(0o755)
    database.chmod(0o644)
    app = await _write_something(database)
    try:
        assert _mode(tmp_path / "data") == 0o700, "the folder holds nothing but the database"
        for file in _files_of(database):
            assert _mode(file) == 0o600, file
    finally:
        await app.close()


@pytest.mark.usefixtures("usual_umask")
async def test_a_folder_shared_with_other_files_is_left_as_it_is_and_the_files_are_tightened(
    tmp_path: Path,
) -> None:
    shared = tmp_path / "project"
    shared.mkdir(mode=0o755)
    (shared / "README.md").write_text("not the bot's")
    database = shared / "circles.db"
    app = await _write_something(database)
    try:
        assert _mode(shared) == 0o755
        for file in _files_of(database):
            assert _mode(file) == 0o600, file
    finally:
        await app.close()
