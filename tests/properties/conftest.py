"""What the property tests share: apps on SQLite files seeded once and put back before every
example (far cheaper than migrating and seeding per example), the whole database read back as
rows, errors the core logged, and pings that would still work.

The tests are synchronous functions that drive the core on an event loop of their own
(`asyncio.Runner`), so hypothesis runs each example to its end without pytest-asyncio, and the
apps (engines, dispatchers) live across examples on that one loop.

CIRCLES_PROPERTY_SCALE=10 runs ten times as many examples (a longer local search for bugs)."""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from bot.runtime.bus import SOMETHING_WENT_WRONG
from tests.support.fakes import RecordingMessenger
from tests.support.settings import settings_for

PLATFORM = "console"
MODERATORS = ["console:morgan"]
"""Morgan moderates every console workspace by config, as in the other tests."""

PENDING_FEATURES = {
    "privacy export": "bot.privacy.handlers",
    "privacy delete": "bot.privacy.handlers",
    "stats": "bot.stats.handlers",
    "stats export": "bot.stats.handlers",
    "audit": "bot.moderation.audit",
}
"""Commands in the catalog whose handlers are being written as these tests are: tolerated as
unregistered only while their module does not exist, so the tests turn strict once it lands."""

MASS_PING = re.compile(r"<!|<@&|@(?:everyone|here|channel)\b", re.IGNORECASE)
"""A mass or role ping that still works: `neutralise` puts a zero-width space after the `<` or
the `@`, which breaks every one of these."""

Row = dict[str, Any]
Tables = dict[str, dict[tuple[Any, ...], Row]]
"""Every table's rows, by primary key."""
References = dict[str, dict[str, str]]
"""Per table, its columns that refer to another table's rows, and that table."""


def examples(count: int) -> int:
    """`count` examples, times CIRCLES_PROPERTY_SCALE."""
    return max(1, round(count * float(os.environ.get("CIRCLES_PROPERTY_SCALE", "1"))))


def pending_feature(path: str) -> str | None:
    """The module a command's handler is still to come from, or None when it exists."""
    module = PENDING_FEATURES.get(path)
    if module is None or importlib.util.find_spec(module) is not None:
        return None
    return module


async def open_app(path: Path, clock: ManualClock, messenger: RecordingMessenger) -> App:
    """The real composition root on the SQLite file at `path`, with everyone allowed to give
    kudos (so members' kudos and their weekly allowance take part too)."""
    settings = settings_for(
        f"sqlite+aiosqlite:///{path}", moderators=MODERATORS, kudos={"givers": "everyone"}
    )
    return await bootstrap(settings, clock, {PLATFORM: messenger})


def copy_database(template: Path, target: Path) -> None:
    """Make `target` a copy of the closed database `template` (no WAL left behind)."""
    for stale in (target, *(target.with_name(target.name + s) for s in ("-wal", "-shm"))):
        stale.unlink(missing_ok=True)
    shutil.copyfile(template, target)


def restore(template: Path, target: Path) -> None:
    """Put `target` back to `template`'s content in place, through SQLite's backup API: an app
    with `target` open reads the restored database at its next transaction, so nothing has to
    be reopened (a few milliseconds instead of a bootstrap)."""
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)


def select(path: Path, query: str) -> list[tuple[Any, ...]]:
    """The rows of one query, read straight from SQLite."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        return connection.execute(query).fetchall()


def read_tables(path: Path) -> Tables:
    """Every table there is (whatever features add, so none can change unseen), straight from
    SQLite rather than through the repositories under test, so no query of theirs hides a row."""
    tables: Tables = {}
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        connection.row_factory = sqlite3.Row
        names = [
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not name.startswith("sqlite_")
        ]
        for name in names:
            info = connection.execute(f'PRAGMA table_info("{name}")').fetchall()
            key = [c["name"] for c in sorted(info, key=lambda c: c["pk"]) if c["pk"]]
            rows = connection.execute(f'SELECT * FROM "{name}"').fetchall()
            tables[name] = {
                tuple(r[k] for k in key) if key else (n,): dict(r) for n, r in enumerate(rows)
            }
    return tables


def foreign_keys(path: Path) -> References:
    """Every table's foreign keys, as the database itself declares them."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        tables = [
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not name.startswith("sqlite_")
        ]
        return {
            table: {
                column: target
                for _, _, target, column, *_ in connection.execute(
                    f'PRAGMA foreign_key_list("{table}")'
                )
            }
            for table in tables
        }


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def logged_errors() -> Iterator[list[logging.LogRecord]]:
    """ERROR records logged meanwhile by any logger: the bus logs what it answered with an
    apology, the due work a job that failed, the outbox a send that blew up."""
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield collector.records
    finally:
        root.removeHandler(collector)


def describe_errors(records: list[logging.LogRecord]) -> str:
    formatter = logging.Formatter("%(name)s: %(message)s")
    return "\n".join(formatter.format(r) for r in records)


def is_apology(reply_text: str) -> bool:
    return SOMETHING_WENT_WRONG in reply_text
