"""Opening the database and bringing its schema up to date.

Rules:
- SQLite runs in WAL mode with foreign keys on, and every transaction starts with
  BEGIN IMMEDIATE: one writer at a time, waiting out a busy database instead of failing when a
  read transaction tries to upgrade to a write; within one process they share one connection;
- a SQLite database is readable by the user running the bot only: its file, -wal and -shm are
  0600, and its folder 0700 when the bot creates it or it holds nothing but this database (see
  `_owner_only`; any other folder is left as it is);
- the schema is whatever Alembic's head says; the bot upgrades it on start;
- a database that cannot be opened or migrated raises DatabaseError saying where and why;
- no error the database raises quotes a value (what a member typed is stored in those values),
  so that whatever logs it logs no concern, answer or name: SQLAlchemy leaves the bound
  parameters out (`hide_parameters`, on every engine, the migrations' too), PostgreSQL's DETAIL
  ("Key (text)=(...)", "Failing row contains (...)") is dropped, and the message of a data
  exception (SQLSTATE class 22, e.g. asyncpg's "invalid input for query argument $1: '...'") is
  replaced by its name; such an error is then marked `SAFE_TO_LOG` (see bot.kernel.text).
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

from bot.kernel.text import SAFE_TO_LOG

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
OWNER_ONLY_FILE, OWNER_ONLY_FOLDER = 0o600, 0o700
COMPANIONS = ("-wal", "-shm", "-journal")
"""The files SQLite keeps next to a database, with its name and these endings."""


class DatabaseError(Exception):
    """The database could not be opened or migrated; the message names it and says why."""


def describe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def create_engine(url: str) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return _quoting_no_values(
            create_async_engine(url, pool_pre_ping=True, hide_parameters=True)
        )
    database = parsed.database or ""
    in_memory = database in ("", ":memory:")
    if not in_memory:
        _owner_only(Path(database).expanduser())
    # One connection per process: writers in this process queue for it without blocking the event
    # loop, instead of each holding a connection and sleeping in SQLite's busy handler.
    options: dict[str, Any] = (
        {"poolclass": StaticPool} if in_memory else {"pool_size": 1, "max_overflow": 0}
    )
    engine = create_async_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        hide_parameters=True,
        **options,
    )
    _configure_sqlite(engine, wal=not in_memory)
    return _quoting_no_values(engine)


def _owner_only(database: Path) -> None:
    """Make `database`, its companions and its folder readable by this user only, before SQLite
    opens it (SQLite creates the -wal and -shm files with the database file's mode).

    The folder: one the bot creates is 0700 (with any missing folder above it), and so is an
    existing one that holds nothing but this database: it is the database's own folder, made by
    an earlier version of the bot (which made it 0755) or by an administrator for it. Any other
    existing folder (the project folder, a home, /tmp) is left as it is: it is shared, changing
    it could break whatever else uses it, and the files' own 0600 already keep their contents to
    this user (the folder then shows only their names and sizes). What this user may not change
    (another user's file, a read-only file system) is left for opening the database to report.
    """
    folder = database.parent
    missing = [f for f in (folder, *folder.parents) if not f.exists()]
    try:
        for made in reversed(missing):
            made.mkdir(mode=OWNER_ONLY_FOLDER, exist_ok=True)
            made.chmod(OWNER_ONLY_FOLDER)
    except OSError as e:
        raise DatabaseError(
            f"Could not open the database at {database}: cannot create the folder "
            f"{folder} ({e.strerror})"
        ) from e
    files = [database, *(database.with_name(database.name + end) for end in COMPANIONS)]
    if _holds_only(folder, files):
        _tighten(folder, OWNER_ONLY_FOLDER)
    with suppress(OSError):  # there already, or cannot be made: SQLite says why when it opens it
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE))
    for file in files:
        _tighten(file, OWNER_ONLY_FILE)


def _holds_only(folder: Path, files: list[Path]) -> bool:
    try:
        return {entry.name for entry in folder.iterdir()} <= {file.name for file in files}
    except OSError:
        return False


def _tighten(path: Path, mode: int) -> None:
    """`path` with `mode`, if it is there and this user's."""
    try:
        if path.stat().st_uid == os.geteuid() and path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except OSError:
        pass


def _quoting_no_values(engine: AsyncEngine) -> AsyncEngine:
    """`engine`, whose errors say what failed and where, never with which values."""
    event.listen(engine.sync_engine, "handle_error", _hide_values)
    return engine


def _hide_values(context: ExceptionContext) -> None:
    """Take the values out of the error being raised and of the driver's errors it wraps
    (SQLAlchemy built its message from the driver's before this runs, so both are rewritten),
    then mark them SAFE_TO_LOG. An error that is not the database's (one from turning a value
    into a parameter, say) is neither touched nor marked: its message is nobody's to vouch for."""
    if context.sqlalchemy_exception is None or not isinstance(
        context.original_exception, context.dialect.loaded_dbapi.Error
    ):
        return
    chain = _wrapped(context.sqlalchemy_exception)
    for error in chain:
        if isinstance(getattr(error, "detail", None), str):
            error.detail = None  # type: ignore[attr-defined]  # asyncpg's DETAIL: the values
        sqlstate = str(getattr(error, "sqlstate", None) or "")
        if sqlstate.startswith("22") and error.args and isinstance(error.args[0], str):
            quoted = error.args[0]
            hidden = f"{type(error).__name__} (SQLSTATE {sqlstate}; the message may quote a value)"
            for other in chain:
                _replace_in_message(other, quoted, hidden)
            error.__cause__, error.__suppress_context__ = None, True  # the codec's own words
    for error in chain:
        setattr(error, SAFE_TO_LOG, True)


def _wrapped(error: BaseException) -> list[BaseException]:
    """`error` and the errors it wraps (`orig`, then each `raise ... from`), each once; not the
    errors that happened to be handled when it was raised (`__context__`): those are not the
    database's."""
    found: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and not any(current is seen for seen in found):
        found.append(current)
        inner = getattr(current, "orig", None)
        current = inner if isinstance(inner, BaseException) else current.__cause__
    return found


def _replace_in_message(error: BaseException, quoted: str, hidden: str) -> None:
    if error.args and isinstance(error.args[0], str) and quoted in error.args[0]:
        error.args = (error.args[0].replace(quoted, hidden), *error.args[1:])


def _configure_sqlite(engine: AsyncEngine, *, wal: bool) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below start transactions, not the driver.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def upgrade(engine: AsyncEngine) -> None:
    """Apply every migration not yet applied."""
    try:
        async with engine.begin() as connection:
            await connection.run_sync(lambda c: command.upgrade(_alembic_config(c), "head"))
    except (SQLAlchemyError, OSError) as e:
        raise DatabaseError(
            f"Could not open or migrate the database at {describe_url(str(engine.url))}: "
            f"{_reason(e)}"
        ) from e


def _reason(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    return str(original).splitlines()[0] if str(original) else type(original).__name__
