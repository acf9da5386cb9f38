"""A database held at an old schema revision with a member in a circle, as a deployment that
upgrades would have it: for the migration tests."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, bindparam, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.sql.sqltypes import UTCDateTime

from storage.database import MIGRATIONS
from tests.support.settings import START

MEMBER = (
    "INSERT INTO members (platform, workspace_id, user_id, display_name, is_moderator, role,"
    " subjects, languages, hours, bio, public_kudos, listed, created_at, updated_at) VALUES"
    " ('slack', 'T1', 'ada', 'Ada', false, 'student', '[]', '[]', '', '', true, true, :now, :now)"
)
CIRCLE = (
    "INSERT INTO circles (platform, workspace_id, name, name_key, topic, private, cadence, day,"
    " time, group_size, odd, checkin_audience, checkin_questions, created_at) VALUES ('slack',"
    " 'T1', 'Algebra', 'algebra', '', false, :cadence, 'mon', '09:00', 2, 'trio', 'mentors',"
    " '[]', :now)"
)
MEMBERSHIP = (
    "INSERT INTO memberships (circle_id, member_id, role, facilitator, joined_at)"
    " SELECT circles.id, members.id, 'mentee', false, :now FROM circles, members"
)
# A message to Ada still waiting in the outbox (every revision has these columns).
OUTBOX = (
    "INSERT INTO outbox (key, platform, workspace_id, kind, target, text, status, attempts,"
    " created_at, next_attempt_at) VALUES (:key, 'slack', 'T1', 'dm', 'ada', 'hello', 'pending',"
    " 0, :now, :now)"
)


def migrate(connection: Connection, direction: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    getattr(command, direction)(config, revision)


async def at_revision_with_ada(engine: AsyncEngine, revision: str, cadence: str = "off") -> None:
    """Bring the database to `revision` (up from nothing, or down from PostgreSQL's session
    database at head) and put Ada in the Algebra circle."""
    async with engine.begin() as connection:
        await connection.run_sync(migrate, "upgrade", revision)
        await connection.run_sync(migrate, "downgrade", revision)
        for statement in (MEMBER, CIRCLE, MEMBERSHIP):
            await connection.execute(
                text(statement).bindparams(bindparam("now", type_=UTCDateTime())),
                {"now": START, "cadence": cadence},
            )
