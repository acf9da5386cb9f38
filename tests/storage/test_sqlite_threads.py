"""A database that fails to open leaves no aiosqlite thread running when the error goes on, so
none can print a traceback into a closed event loop as the CLI exits."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import aiosqlite
import pytest

from storage.sqlite_threads import WORKER, worker_threads_settled_on_failure


def _workers() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if WORKER in t.name}


async def test_the_thread_of_a_failed_open_has_ended_when_the_error_arrives(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    before = _workers()
    with pytest.raises(sqlite3.OperationalError):
        async with worker_threads_settled_on_failure():
            await aiosqlite.connect(blocker / "circles.db")
    assert _workers() - before == set()
