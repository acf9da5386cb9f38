"""A database the bot cannot write (a full disk, a read-only file system), said in words an
operator can act on.

Rules:
- `storage_problem` recognises SQLite's "full", "read-only", "cannot open", "I/O error" and
  "not a database" answers (and PostgreSQL's disk full and read-only) anywhere in an error's
  chain, and names the folder or file and what to do; anything else is not its business (None);
- at the start, `bootstrap` turns such an error into a DatabaseError saying it;
- during a command, the core's unit of work raises `CannotSave` instead: the member is told
  the bot cannot save right now and that the administrator was told, in one reply, never a
  traceback; the administrator gets one line on standard error;
- anything else that fails on it (a tick, a job, a delivery) is logged as one line saying the
  problem, no traceback; the same problem is said once a minute at most, however many
  commands and jobs hit it.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from types import TracebackType

from sqlalchemy.engine import make_url

from bot.kernel.errors import UserError
from bot.kernel.model import Actor
from bot.kernel.ports import UnitOfWork, UnitOfWorkFactory
from bot.runtime.bus import MessageBus

log = logging.getLogger(__name__)

SQLITE_PERM, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT = 3, 8, 10, 11
SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 13, 14, 26
NEARLY_FULL_BYTES = 256 * 1024
"""Free space under which an I/O error or a file that cannot be opened means a full disk."""
REPEAT_SECONDS = 60.0
"""The same problem is logged once in this long at most."""
CANNOT_SAVE = (
    "Sorry, I can't save anything right now: the bot's storage has a problem, so nothing was "
    "changed. The bot's administrator has been told; please try again later."
)


class CannotSave(UserError):
    """The database cannot be written to; the message is for the member, `problem` for the
    operator."""

    def __init__(self, problem: str) -> None:
        super().__init__(CANNOT_SAVE)
        self.problem = problem


def storage_problem(error: BaseException, url: str) -> str | None:
    """What is wrong with the storage at `url`, if `error` is the database refusing to write
    or open (a full disk, a read-only file system...); None for any other error."""
    if (sqlite := _in_chain(error, sqlite3.Error)) is not None:
        return _sqlite_problem(sqlite, url)
    for cause in _chain(error):
        sqlstate = getattr(cause, "sqlstate", None)
        if sqlstate == "53100":
            return "the PostgreSQL server's disk is full: free some space on the database server"
        if sqlstate == "25006":
            return (
                "the PostgreSQL server is read-only (a standby?): point [storage] url at the "
                "primary"
            )
    return None


def _chain(error: BaseException) -> list[BaseException]:
    """`error`, what it wraps (SQLAlchemy's `orig`) and its causes and contexts, each once."""
    found: list[BaseException] = []
    waiting: list[BaseException] = [error]
    while waiting:
        current = waiting.pop()
        if any(current is seen for seen in found):
            continue
        found.append(current)
        for inner in (getattr(current, "orig", None), current.__cause__, current.__context__):
            if isinstance(inner, BaseException):
                waiting.append(inner)
    return found


def _in_chain(error: BaseException, kind: type[sqlite3.Error]) -> sqlite3.Error | None:
    for cause in _chain(error):
        if isinstance(cause, kind) and getattr(cause, "sqlite_errorcode", None) is not None:
            return cause
    return None


def _sqlite_problem(error: sqlite3.Error, url: str) -> str | None:
    code = int(getattr(error, "sqlite_errorcode", 0)) & 0xFF
    database = make_url(url).database or ""
    if database in ("", ":memory:"):
        return None if code != SQLITE_FULL else "the memory for the in-memory database ran out"
    folder = os.path.dirname(database) or "."
    full = f"the disk holding {folder} is full: free some space there (the database is {database})"
    if code == SQLITE_FULL:
        return full
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return (
            f"{database} is damaged or is not a SQLite database ({error}): restore it from a "
            "backup, or point [storage] url at another file"
        )
    if code not in (SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_PERM):
        return None
    if (unwritable := _read_only(folder, database)) is not None:
        return unwritable
    if code in (SQLITE_IOERR, SQLITE_CANTOPEN) and _free_bytes(folder) < NEARLY_FULL_BYTES:
        return full
    if code == SQLITE_CANTOPEN:
        return (
            f"cannot open {database}: check that {folder} exists and that the user running the "
            "bot may read and write it"
        )
    if code == SQLITE_IOERR:
        return (
            f"the disk holding {folder} reported an I/O error "
            f"({getattr(error, 'sqlite_errorname', error)}): check the disk (e.g. dmesg) and its "
            "free space"
        )
    return (
        f"{database} cannot be written to ({error}): check that it, its -wal and -shm files and "
        f"{folder} are writable by the user running the bot"
    )


def _read_only(folder: str, database: str) -> str | None:
    """What is read-only, if the folder or the database file is."""
    writes = f"the bot writes {database} and its -wal and -shm files there"
    try:
        read_only_fs = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        read_only_fs = False
    if read_only_fs:
        return (
            f"{folder} is on a read-only file system: remount it read-write, or point [storage] "
            f"url at a writable place ({writes})"
        )
    if os.path.isdir(folder) and not os.access(folder, os.W_OK):
        return (
            f"{folder} is read-only: make it writable by the user running the bot ({writes}), "
            "or point [storage] url elsewhere"
        )
    if os.path.exists(database) and not os.access(database, os.W_OK):
        return (
            f"{database} is read-only: make it writable by the user running the bot, or point "
            "[storage] url elsewhere"
        )
    return None


def _free_bytes(folder: str) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return NEARLY_FULL_BYTES


class _Once:
    """Says each problem once per REPEAT_SECONDS."""

    def __init__(self) -> None:
        self._said: dict[str, float] = {}

    def first(self, problem: str) -> bool:
        now = time.monotonic()
        if now - self._said.get(problem, -REPEAT_SECONDS) < REPEAT_SECONDS:
            return False
        self._said = {p: t for p, t in self._said.items() if now - t < REPEAT_SECONDS}
        self._said[problem] = now
        return True


_once = _Once()


class GuardedUnitOfWorkFactory:
    """Units of work that raise CannotSave, with one line for the operator, when the storage
    refuses them."""

    def __init__(self, factory: UnitOfWorkFactory, url: str) -> None:
        self._factory = factory
        self._url = url

    def __call__(self) -> UnitOfWork:
        return _GuardedUnitOfWork(self._factory(), self._url)  # type: ignore[return-value]


class _GuardedUnitOfWork:
    def __init__(self, inner: UnitOfWork, url: str) -> None:
        self._inner = inner
        self._url = url

    async def __aenter__(self) -> UnitOfWork:
        try:
            return await self._inner.__aenter__()
        except Exception as e:
            self._refused(e)
            raise

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self._inner.__aexit__(exc_type, exc, tb)
        except Exception as e:
            self._refused(e)
            raise
        if isinstance(exc, Exception) and not isinstance(exc, UserError):
            self._refused(exc)

    def _refused(self, error: Exception) -> None:
        if (problem := storage_problem(error, self._url)) is not None:
            if _once.first(problem):
                log.error("a command could not be saved: %s", problem)
            raise CannotSave(problem) from error


class GuardedBus(MessageBus):
    """The core's bus, on units of work that say when the storage refuses them (CannotSave is
    answered like any UserError); meeting someone is skipped while nothing can be saved."""

    async def meet(self, actor: Actor) -> None:
        try:
            await super().meet(actor)
        except CannotSave:
            return


class OneLineStorageProblems(logging.Filter):
    """On a log handler: a record whose traceback is a storage problem becomes one line
    saying it (once a minute at most); any other record passes as it is."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self._url = url

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is None or (problem := storage_problem(error, self._url)) is None:
            return True
        if not _once.first(problem):
            return False
        record.msg = f"{record.getMessage()}: {problem}"
        record.args = ()
        record.exc_info = None
        record.exc_text = None
        return True


def report_storage_problems(url: str) -> Callable[[], None]:
    """Put OneLineStorageProblems on the root logger's handlers; returns how to take it off."""
    handlers = list(logging.getLogger().handlers)
    one_line = OneLineStorageProblems(url)
    for handler in handlers:
        handler.addFilter(one_line)

    def remove() -> None:
        for handler in handlers:
            handler.removeFilter(one_line)

    return remove


__all__ = [
    "CANNOT_SAVE",
    "CannotSave",
    "GuardedBus",
    "GuardedUnitOfWorkFactory",
    "OneLineStorageProblems",
    "report_storage_problems",
    "storage_problem",
]
