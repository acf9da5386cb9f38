"""The whole schema: every feature's tables, imported here so that SQLModel.metadata holds them
all. Alembic (storage/migrations/env.py) compares the database with it, and the unit of work
imports it so that every foreign key finds its table. A new module of tables is added here;
`tests/storage/test_schema_and_repositories.py` fails while one is missing."""

from sqlalchemy import MetaData
from sqlmodel import SQLModel

from storage import seen_events
from storage.agreements import tables as agreements
from storage.buddies import tables as buddies
from storage.checkins import tables as checkins
from storage.circles import tables as circles
from storage.connections import tables as connections
from storage.feedback import tables as feedback
from storage.flags import tables as flags
from storage.goals import tables as goals
from storage.kudos import tables as kudos
from storage.members import tables as members
from storage.moderation import tables as moderation
from storage.outbox import tables as outbox
from storage.settings import tables as settings
from storage.slack_installs import tables as slack_installs

TABLE_MODULES = (
    members,
    circles,
    buddies,
    checkins,
    flags,
    goals,
    kudos,
    moderation,
    outbox,
    seen_events,
    connections,
    feedback,
    agreements,
    slack_installs,
    settings,
)
"""The modules that declare tables (`SeenEventRow` lives with what uses it)."""

METADATA: MetaData = SQLModel.metadata


def table_names() -> tuple[str, ...]:
    """Every table's name, each before the tables it points at: an order to empty them in."""
    return tuple(table.name for table in reversed(METADATA.sorted_tables))
