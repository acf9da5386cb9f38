"""Fixtures every test folder may use: databases (a fresh SQLite file per test, and PostgreSQL
when CIRCLES_TEST_POSTGRES_URL names a server: a throwaway database is made for the session),
and the real bootstrap on in-memory SQLite with a manual clock and a recording platform (the
feature tests' `app`, also driven by some adapter tests).

With CIRCLES_REQUIRE_POSTGRES=1 (as in CI) a missing or unreachable PostgreSQL fails the run
instead of skipping, so the storage suite can never pass on SQLite alone without saying so.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from tests.support.databases import create_database, drop_database, truncate
from tests.support.fakes import RecordingMessenger
from tests.support.settings import START, settings_for

POSTGRES_ENV = "CIRCLES_TEST_POSTGRES_URL"
REQUIRE_ENV = "CIRCLES_REQUIRE_POSTGRES"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a fresh PostgreSQL database for this test session."""
    url = os.environ.get(POSTGRES_ENV)
    required = os.environ.get(REQUIRE_ENV) == "1"
    if not url:
        if required:
            pytest.fail(f"{REQUIRE_ENV}=1 but {POSTGRES_ENV} is not set")
        pytest.skip(
            f"PostgreSQL tests need {POSTGRES_ENV}, e.g. postgresql+asyncpg://postgres@127.0.0.1/test"
        )
    try:
        test_url = asyncio.run(create_database(url))
    except (OSError, asyncpg.PostgresError) as e:
        if required:
            pytest.fail(f"PostgreSQL at {make_url(url).render_as_string()} is required but: {e}")
        pytest.skip(f"PostgreSQL at {make_url(url).render_as_string()} is not reachable: {e}")
    yield test_url
    asyncio.run(drop_database(url, test_url))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage test runs once on a fresh SQLite file and once on a clean PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'circles.db'}"
    url: str = request.getfixturevalue("postgres_url")
    asyncio.run(truncate(url))
    return url


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def messenger() -> RecordingMessenger:
    return RecordingMessenger()


@pytest.fixture
async def app(
    tmp_path: Path, clock: ManualClock, messenger: RecordingMessenger
) -> AsyncIterator[App]:
    """The real bootstrap on in-memory SQLite, a manual clock and a recording platform."""
    application = await bootstrap(
        settings_for("sqlite+aiosqlite://", moderators=["console:morgan"]),
        clock,
        {"console": messenger},
    )
    yield application
    await application.close()
