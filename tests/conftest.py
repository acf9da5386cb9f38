"""Databases for the tests: a fresh SQLite file per test, and PostgreSQL when
CIRCLES_TEST_POSTGRES_URL names a server (a throwaway database is made for the session).

With CIRCLES_REQUIRE_POSTGRES=1 (as in CI) a missing or unreachable PostgreSQL fails the run
instead of skipping, so the storage suite can never pass on SQLite alone without saying so.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from adapters.config import Settings, parse_settings
from storage.schema import table_names
from tests.fakes import RecordingMessenger

POSTGRES_ENV = "CIRCLES_TEST_POSTGRES_URL"
REQUIRE_ENV = "CIRCLES_REQUIRE_POSTGRES"
TABLES = table_names()
"""Every table the schema declares (storage.schema), each before those it points at."""

# A Tuesday in term time, 10:00 UTC: the tests' "now".
START = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


def _admin_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _create_database(url: str) -> str:
    name = f"circles_test_{uuid.uuid4().hex[:10]}"
    connection = await asyncpg.connect(_admin_dsn(url), timeout=10)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


async def _drop_database(admin_url: str, test_url: str) -> None:
    connection = await asyncpg.connect(_admin_dsn(admin_url), timeout=10)
    try:
        name = make_url(test_url).database
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


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
        test_url = asyncio.run(_create_database(url))
    except (OSError, asyncpg.PostgresError) as e:
        if required:
            pytest.fail(f"PostgreSQL at {make_url(url).render_as_string()} is required but: {e}")
        pytest.skip(f"PostgreSQL at {make_url(url).render_as_string()} is not reachable: {e}")
    yield test_url
    asyncio.run(_drop_database(url, test_url))


async def _truncate(url: str) -> None:
    connection = await asyncpg.connect(_admin_dsn(url), timeout=10)
    try:
        exists = await connection.fetchval("SELECT to_regclass('members') IS NOT NULL")
        if exists:
            await connection.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage test runs once on a fresh SQLite file and once on a clean PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'circles.db'}"
    url: str = request.getfixturevalue("postgres_url")
    asyncio.run(_truncate(url))
    return url


def settings_for(url: str, **overrides: object) -> Settings:
    """The tests' settings. Their members make themselves mentors (`[programme]
    self_service_mentors`), as most tests set their scene that way; the school default, where
    the moderators appoint mentors, is tested in tests/unit/test_safeguarding_matching.py and
    wherever a test passes its own `programme`."""
    overrides.setdefault("programme", {"self_service_mentors": True})
    return parse_settings({"storage": {"url": url}, **overrides})


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
