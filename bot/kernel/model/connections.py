"""What stays when a pairing ends: a member's `Reflection` on it (one question, and whether they
want to stay in touch with their partner) and a `Connection` two people kept by both saying yes.

They live in the kernel because the pairing's end is the kernel's (bot.kernel.endings), and the
buddies feature lists connections under /buddy.
Rules: a member is asked about a partner at most once, ever; a reflection is its writer's alone;
a connection is the two people's, and either ends it for both."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.kernel.model.members import Member


@dataclass
class NewReflection:
    """One member asked, when their pairing with `partner` ended, what they take from it and
    whether they want to stay in touch. All a reflection is but its id."""

    member_id: int
    partner: Member
    pairing_id: int | None
    asked_at: datetime
    stay_asked: bool = True
    """Whether "stay in touch?" was asked (not when the partner erased their data)."""
    stay: bool | None = None
    """Their answer to "stay in touch?": None until they answer."""
    answered_at: datetime | None = None
    text: str = ""
    """What they wrote, for themselves only; blanked by the retention purge."""
    written_at: datetime | None = None


@dataclass
class Reflection(NewReflection):
    """A reflection as stored: always with the id storage gave it (given by name)."""

    id: int = field(kw_only=True)


@dataclass(frozen=True)
class Connection:
    """Someone a member stays in touch with, as that member sees it: the other and since when."""

    other: Member
    since: datetime
