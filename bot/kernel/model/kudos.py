"""Recognition between members (`Kudos`) and the counts on the kudos board (`KudosCount`).

Several features read kudos (kudos, home, privacy), so they live in the kernel. Rules: a dedupe
key makes a repeated click the same kudos; a revoked kudos leaves every wall and count but stays
for the audit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.kernel.model.identity import WorkspaceRef
from bot.kernel.model.members import Member


@dataclass
class Kudos:
    """Recognition from one member to another. `dedupe_key` makes a double click or a retried
    request the same kudos; a revoked one leaves every wall and count but stays for the audit."""

    workspace: WorkspaceRef
    giver: Member
    recipient: Member
    reason: str
    created_at: datetime
    dedupe_key: str
    value: str | None = None
    circle_id: int | None = None
    revoked_at: datetime | None = None
    revoked_by: Member | None = None
    revoke_reason: str = ""
    id: int | None = None


@dataclass(frozen=True)
class KudosCount:
    member: Member
    received: int
    given: int
