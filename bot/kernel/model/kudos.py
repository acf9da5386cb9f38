"""Recognition between members (`Kudos`, a `NewKudos` until storage keeps it) and the counts
on the kudos board (`KudosCount`).

Several features read kudos (kudos, home, privacy), so they live in the kernel. Rules: a dedupe
key makes a repeated click the same kudos; a revoked kudos leaves every wall and count but stays
for the audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.kernel.model.identity import WorkspaceRef
from bot.kernel.model.members import Member


@dataclass
class NewKudos:
    """Recognition from one member to another. `dedupe_key` makes a double click or a retried
    request the same kudos; a revoked one leaves every wall and count but stays for the audit.
    All a kudos is but its id."""

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


@dataclass
class Kudos(NewKudos):
    """A kudos as stored: always with the id storage gave it (given by name)."""

    id: int = field(kw_only=True)


@dataclass(frozen=True)
class KudosCount:
    member: Member
    received: int
    given: int
