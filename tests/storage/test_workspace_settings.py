"""Each workspace's settings in storage, and the retention purge of a group of workspaces that
keep things for the same period, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.kernel.model import (
    Destination,
    GoalNote,
    NewFlag,
    NewGoal,
    OutgoingMessage,
    WorkspaceRef,
)
from bot.kernel.settings import KudosGivers, WorkspaceChoices
from bot.privacy.ports import Purged, RetentionGroup
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.settings import START
from tests.support.storage_people import HERE, THERE, add_members

ELSEWHERE = WorkspaceRef("discord", "T1")
"""Another platform's workspace with the same id as HERE."""


async def _rows(engine: AsyncEngine, query: str) -> list[dict[str, Any]]:
    async with engine.connect() as connection:
        return [dict(r._mapping) for r in await connection.execute(text(query))]


async def test_a_workspace_s_choices_are_its_own(uows: SqlUnitOfWorkFactory) -> None:
    chosen = WorkspaceChoices("Europe/London", KudosGivers.EVERYONE, 3, 90, True)
    async with uows() as uow:
        assert await uow.workspace_settings.choices(HERE) == WorkspaceChoices()
        await uow.workspace_settings.save(HERE, chosen)
        await uow.workspace_settings.save(THERE, WorkspaceChoices(retention_days=400))
        await uow.commit()
    async with uows() as uow:
        assert await uow.workspace_settings.choices(HERE) == chosen
        assert await uow.workspace_settings.choices(ELSEWHERE) == WorkspaceChoices()
        assert await uow.workspace_settings.all_choices() == {
            HERE: chosen,
            THERE: WorkspaceChoices(retention_days=400),
        }
        assert await uow.workspace_settings.retention_choices() == {90, 400}
        await uow.workspace_settings.save(HERE, WorkspaceChoices(timezone="Asia/Tokyo"))
        await uow.commit()
    async with uows() as uow:
        assert await uow.workspace_settings.choices(HERE) == WorkspaceChoices(timezone="Asia/Tokyo")
        assert await uow.workspace_settings.retention_choices() == {400}


async def test_a_workspace_back_on_every_default_has_no_row(
    engine: AsyncEngine, uows: SqlUnitOfWorkFactory
) -> None:
    async with uows() as uow:
        await uow.workspace_settings.save(HERE, WorkspaceChoices(kudos_allowance=2))
        await uow.commit()
    async with uows() as uow:
        await uow.workspace_settings.save(HERE, WorkspaceChoices())
        await uow.commit()
    assert await _rows(engine, "SELECT * FROM workspace_settings") == []


async def _words_everywhere(uows: SqlUnitOfWorkFactory) -> None:
    """In HERE, THERE and ELSEWHERE: a concern, a goal's progress note and a sent message,
    all written at START."""
    for workspace in (HERE, THERE, ELSEWHERE):
        (ada,) = await add_members(uows, "ada", workspace=workspace)
        async with uows() as uow:
            await uow.flags.add(
                NewFlag(workspace, ada, f"worry in {workspace.workspace_id}", START)
            )
            goal = await uow.goals.add(NewGoal(workspace, ada, "Finish the worksheet", START))
            await uow.goals.add_note(goal.id, GoalNote("halfway there", START))
            message = OutgoingMessage(f"m:{workspace}", Destination.dm(ada.ref), "hello")
            await uow.outbox.add(message, START)
            await uow.commit()
    async with uows() as uow:
        await uow.workspace_settings.save(HERE, WorkspaceChoices(retention_days=30))
        await uow.workspace_settings.save(THERE, WorkspaceChoices(retention_days=365))
        await uow.commit()


async def test_the_purge_of_a_group_touches_only_its_workspaces(
    engine: AsyncEngine, uows: SqlUnitOfWorkFactory
) -> None:
    """HERE keeps 30 days, THERE chose the default's 365, ELSEWHERE chose nothing."""
    await _words_everywhere(uows)
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE outbox SET status = 'sent'"))
    cutoff = START + timedelta(days=1)
    async with uows() as uow:
        purged = await uow.privacy.purge_before(cutoff, RetentionGroup(30, 365))
        await uow.commit()
    assert purged == Purged(answers=0, flags=1, messages=1, goal_notes=1)
    flags = "SELECT platform, workspace_id, text FROM flags ORDER BY id"
    assert [r["text"] for r in await _rows(engine, flags)] == ["", "worry in T2", "worry in T1"]
    notes = "SELECT text FROM goal_notes ORDER BY id"
    assert [r["text"] for r in await _rows(engine, notes)] == ["", "halfway there", "halfway there"]

    async with uows() as uow:
        purged = await uow.privacy.purge_before(cutoff, RetentionGroup(365, 365))
        await uow.commit()
    assert purged == Purged(answers=0, flags=2, messages=2, goal_notes=2), (
        "the default's group: THERE (chose 365) and ELSEWHERE (chose nothing)"
    )
    assert await _rows(engine, "SELECT key FROM outbox") == []


async def test_the_default_s_group_leaves_out_workspaces_that_keep_things_longer(
    engine: AsyncEngine, uows: SqlUnitOfWorkFactory
) -> None:
    await _words_everywhere(uows)
    async with uows() as uow:
        await uow.workspace_settings.save(THERE, WorkspaceChoices(retention_days=3650))
        purged = await uow.privacy.purge_before(START + timedelta(days=1), RetentionGroup(365, 365))
        await uow.commit()
    assert purged.flags == 1
    flags = "SELECT text FROM flags ORDER BY id"
    assert [r["text"] for r in await _rows(engine, flags)] == ["worry in T1", "worry in T2", ""]
