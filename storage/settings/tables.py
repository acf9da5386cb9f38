"""The table of workspaces' choices: one row per workspace that chose anything, a NULL column
for each setting it left at the config's default."""

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class WorkspaceSettingsRow(SQLModel, table=True):
    """One workspace's `/settings set` choices; the retention purge groups workspaces by
    `retention_days` (one statement per distinct period, through the index)."""

    __tablename__ = "workspace_settings"
    __table_args__ = (
        Index("ix_workspace_settings_retention", "retention_days", "platform", "workspace_id"),
    )

    platform: str = Field(primary_key=True, max_length=16)
    workspace_id: str = Field(primary_key=True, max_length=64)
    timezone: str | None = Field(default=None, max_length=64)
    kudos_givers: str | None = Field(default=None, max_length=16)
    kudos_allowance: int | None = None
    retention_days: int | None = None
    self_service_mentors: bool | None = None


class WorkspaceModeratorRow(SQLModel, table=True):
    """Someone a workspace's moderators appointed a moderator of it (`/settings appoint`), by
    their platform user id; read with the workspace's other choices."""

    __tablename__ = "workspace_moderators"

    platform: str = Field(primary_key=True, max_length=16)
    workspace_id: str = Field(primary_key=True, max_length=64)
    user_id: str = Field(primary_key=True, max_length=64)
