"""Who is who: a tenant (`WorkspaceRef`), a person within it (`MemberRef`) and whoever typed a
command (`Actor`).

Rule: every person lives in exactly one workspace of one platform, and nothing crosses
workspaces; a `MemberRef` always carries its workspace, so a query scoped by one never reaches
another tenant."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class WorkspaceRef:
    """One tenant: a Discord guild, a Slack team or a console workspace. Nothing crosses tenants."""

    platform: str
    workspace_id: str

    def member(self, user_id: str) -> MemberRef:
        return MemberRef(self.platform, self.workspace_id, user_id)


@dataclass(frozen=True, order=True)
class MemberRef:
    """A person, always within one workspace of one platform."""

    platform: str
    workspace_id: str
    user_id: str

    @property
    def workspace(self) -> WorkspaceRef:
        return WorkspaceRef(self.platform, self.workspace_id)


@dataclass(frozen=True)
class Actor:
    """Who typed a command. `is_admin` is the platform's own word (Slack admin, Manage Server)."""

    ref: MemberRef
    display_name: str
    is_admin: bool = False
    is_bot: bool = False
    confirmed: bool = True
    """False when the platform could not be asked who this is (an outage): the name and role
    already stored stand, and a newcomer is recorded with no moderator rights."""
