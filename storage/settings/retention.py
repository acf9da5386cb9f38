"""Which rows the retention purge of one group of workspaces may touch (`kept_for`).

Rule: the condition is correlated to the row's own workspace and answered by the primary key
of `workspace_settings`, so the purge still finds its rows through its time indexes and only
asks, of each row found, whether its workspace is in the group."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, true
from sqlmodel import col

from bot.privacy.ports import RetentionGroup
from storage.settings.tables import WorkspaceSettingsRow


def kept_for(group: RetentionGroup | None, table: Any) -> ColumnElement[bool]:
    """Rows of `table` (with `platform` and `workspace_id`) in the workspaces of `group`;
    every row when `group` is None."""
    if group is None:
        return true()
    chosen = col(WorkspaceSettingsRow.retention_days)
    same = and_(
        col(WorkspaceSettingsRow.platform) == table.platform,
        col(WorkspaceSettingsRow.workspace_id) == table.workspace_id,
    )
    if group.days == group.default_days:
        return ~exists().where(same, chosen.is_not(None), chosen != group.days)
    return exists().where(same, chosen == group.days)
