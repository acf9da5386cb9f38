"""Circles, their settings (cadence, group size, check-in audience and questions) and who
belongs to them (`Membership`, with the member's `CircleRole`); each a `New...` until storage
keeps it, then saved with the id storage gave it.

Rules: a circle belongs to one workspace; an archived circle keeps its rows; `schedule_since`
moves whenever the schedule changes, so periods before it are nobody's to answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.kernel.model.identity import WorkspaceRef
from bot.kernel.model.members import Member


class CircleRole(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"


class Cadence(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    OFF = "off"


class OddPolicy(StrEnum):
    TRIO = "trio"
    SIT_OUT = "sit-out"


class CheckinAudience(StrEnum):
    MENTORS = "mentors"
    EVERYONE = "everyone"
    NOBODY = "nobody"


DEFAULT_CHECKIN_QUESTIONS: tuple[str, ...] = (
    "How is it going?",
    "Did you meet your mentees?",
    "Anything the moderators should know?",
)


@dataclass
class CircleSettings:
    cadence: Cadence = Cadence.OFF
    day: str = "mon"
    time: str = "09:00"
    group_size: int = 2
    odd: OddPolicy = OddPolicy.TRIO
    checkin_audience: CheckinAudience = CheckinAudience.MENTORS
    checkin_questions: tuple[str, ...] = DEFAULT_CHECKIN_QUESTIONS
    channel: str | None = None
    private: bool = False
    agreement: bool = True
    """Whether a mentor and a mentee paired here get the agreement (bot.kernel.pairing_start)."""


@dataclass
class NewCircle:
    """A circle as /circle create makes it: all a circle is but its id."""

    workspace: WorkspaceRef
    name: str
    topic: str = ""
    settings: CircleSettings = field(default_factory=CircleSettings)
    archived_at: datetime | None = None
    created_at: datetime | None = None
    schedule_since: datetime | None = None
    """When the cadence, day, time or check-in audience last changed: periods scheduled before
    it are nobody's to answer (none is recorded missed)."""

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


@dataclass
class Circle(NewCircle):
    """A circle as stored: always with the id storage gave it (given by name)."""

    id: int = field(kw_only=True)


@dataclass
class NewMembership:
    """A member joining a circle: all a membership is but its id."""

    circle_id: int
    member: Member
    role: CircleRole
    facilitator: bool = False
    joined_at: datetime | None = None
    sit_outs: int = 0
    """Rounds this member sat out for the odd-number rule; who has fewest sits out next."""


@dataclass
class Membership(NewMembership):
    """A membership as stored: always with the id storage gave it (given by name)."""

    id: int = field(kw_only=True)
