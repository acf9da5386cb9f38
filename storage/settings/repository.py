"""Workspaces' choices over one AsyncSession (`WorkspaceSettingsRepository`).

Rules: a workspace's row is read and written by its own key only; saving is an insert that a
concurrent one cannot spoil followed by an update, and a workspace back on every default has
no row, so the retention purge sees only real choices; a new time zone marks the workspace's
circles for the check-in and round jobs' next pass (storage.checkins.schedule)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import delete, update
from sqlmodel import col, select

from bot.kernel.model import WorkspaceRef
from bot.kernel.settings import KudosGivers, NamedModerator, WorkspaceChoices
from storage.checkins.schedule import MARKED, mark_workspace
from storage.circles.tables import CircleRow
from storage.queries import SessionRepository, insert_or_nothing, of_workspace
from storage.settings.tables import WorkspaceModeratorRow, WorkspaceSettingsRow


class SqlWorkspaceSettingsRepository(SessionRepository):
    async def choices(self, workspace: WorkspaceRef) -> WorkspaceChoices:
        rows = await self._rows(
            select(WorkspaceSettingsRow).where(of_workspace(WorkspaceSettingsRow, workspace))
        )
        appointed = await self._rows(
            select(WorkspaceModeratorRow).where(of_workspace(WorkspaceModeratorRow, workspace))
        )
        choices = _choices(rows[0][0]) if rows else WorkspaceChoices()
        return replace(choices, moderators=frozenset(_moderator(r) for (r,) in appointed))

    async def all_choices(self) -> dict[WorkspaceRef, WorkspaceChoices]:
        rows = await self._rows(select(WorkspaceSettingsRow))
        found = {WorkspaceRef(r.platform, r.workspace_id): _choices(r) for (r,) in rows}
        appointed: dict[WorkspaceRef, set[NamedModerator]] = {}
        for (row,) in await self._rows(select(WorkspaceModeratorRow)):
            where = WorkspaceRef(row.platform, row.workspace_id)
            appointed.setdefault(where, set()).add(_moderator(row))
        for where, moderators in appointed.items():
            found[where] = replace(
                found.get(where, WorkspaceChoices()), moderators=frozenset(moderators)
            )
        return found

    async def save(self, workspace: WorkspaceRef, choices: WorkspaceChoices) -> None:
        before = await self.choices(workspace)
        if before.timezone != choices.timezone:
            await self._look_again_at_schedules(workspace)
        if before.moderators != choices.moderators:
            await self._appoint(workspace, choices.moderators)
        choices = replace(choices, moderators=frozenset())
        if choices == WorkspaceChoices():
            await self._session.execute(
                delete(WorkspaceSettingsRow).where(of_workspace(WorkspaceSettingsRow, workspace))
            )
            return
        key = {"platform": workspace.platform, "workspace_id": workspace.workspace_id}
        await self._session.execute(
            insert_or_nothing(
                self._session, WorkspaceSettingsRow, key, ["platform", "workspace_id"]
            )
        )
        givers = choices.kudos_givers.value if choices.kudos_givers else None
        await self._session.execute(
            update(WorkspaceSettingsRow)
            .where(of_workspace(WorkspaceSettingsRow, workspace))
            .values(
                timezone=choices.timezone,
                kudos_givers=givers,
                kudos_allowance=choices.kudos_allowance,
                retention_days=choices.retention_days,
                self_service_mentors=choices.self_service_mentors,
            )
            .execution_options(synchronize_session=False)
        )

    async def _appoint(
        self, workspace: WorkspaceRef, moderators: frozenset[NamedModerator]
    ) -> None:
        """The workspace's appointed moderators become exactly `moderators`."""
        await self._session.execute(
            delete(WorkspaceModeratorRow).where(of_workspace(WorkspaceModeratorRow, workspace))
        )
        for moderator in sorted(moderators):
            self._session.add(
                WorkspaceModeratorRow(
                    platform=workspace.platform,
                    workspace_id=workspace.workspace_id,
                    user_id=moderator.user_id,
                )
            )
        await self._session.flush()

    async def _look_again_at_schedules(self, workspace: WorkspaceRef) -> None:
        """A new time zone moves every moment its members without a zone of their own and its
        rounds keep: the check-in and round jobs look at its circles again at the next tick."""
        await self._session.run_sync(
            lambda session: mark_workspace(session.connection(), workspace)
        )
        await self._session.execute(
            update(CircleRow)
            .where(of_workspace(CircleRow, workspace), col(CircleRow.round_due_at).is_not(None))
            .values(round_due_at=MARKED)
            .execution_options(synchronize_session=False)
        )

    async def retention_choices(self) -> set[int]:
        days = col(WorkspaceSettingsRow.retention_days)
        rows = await self._session.execute(select(days).where(days.is_not(None)).distinct())
        return {d for d in rows.scalars() if d is not None}


def _moderator(row: WorkspaceModeratorRow) -> NamedModerator:
    return NamedModerator(row.platform, row.workspace_id, row.user_id)


def _choices(row: WorkspaceSettingsRow) -> WorkspaceChoices:
    givers = KudosGivers(row.kudos_givers) if row.kudos_givers else None
    return WorkspaceChoices(
        row.timezone, givers, row.kudos_allowance, row.retention_days, row.self_service_mentors
    )
