"""Throwaway PostgreSQL databases, for the tests and the benchmarks: made, emptied and dropped
through an admin connection to the server a URL names."""

from __future__ import annotations

import uuid

import asyncpg
from sqlalchemy.engine import make_url

from storage.schema import table_names

TABLES = table_names()
"""Every table the schema declares (storage.schema), each before those it points at."""


def admin_dsn(url: str) -> str:
    """`url` as asyncpg takes it (no `+asyncpg` driver name), password included."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def create_database(url: str) -> str:
    """A new, empty database on the server `url` names; its URL."""
    name = f"circles_test_{uuid.uuid4().hex[:10]}"
    connection = await asyncpg.connect(admin_dsn(url), timeout=10)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


async def drop_database(admin_url: str, test_url: str) -> None:
    """Drop the database `test_url` names, whoever is still connected to it."""
    connection = await asyncpg.connect(admin_dsn(admin_url), timeout=10)
    try:
        name = make_url(test_url).database
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def truncate(url: str) -> None:
    """Empty every table of the database `url` names (if it has been migrated at all)."""
    connection = await asyncpg.connect(admin_dsn(url), timeout=10)
    try:
        exists = await connection.fetchval("SELECT to_regclass('members') IS NOT NULL")
        if exists:
            await connection.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()
