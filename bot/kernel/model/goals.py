"""A member's goal (`Goal`, a `NewGoal` until storage keeps it) and its progress notes
(`GoalNote`).

The goals feature keeps them, and the kernel reads them too: a check-in prompt names them
(bot.kernel.goal_checkins) and reaching one is a milestone, so they live here.
Rules: a goal is open until its owner says it is reached (done) or drops it; its date, when it
has one, is a day in the owner's own calendar, and `due_at` is when that day begins there; the
owner is asked about it once (`asked_at`); notes are in the owner's own words, oldest first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from bot.kernel.model.identity import WorkspaceRef
from bot.kernel.model.members import Member


class GoalStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


@dataclass
class GoalNote:
    """How a goal is going, as its owner wrote it (typed, or a line of a check-in answer); the
    retention purge blanks its text and keeps when it was written."""

    text: str
    written_at: datetime


@dataclass
class NewGoal:
    """Something a member means to do, perhaps by a day. All a goal is but its id."""

    workspace: WorkspaceRef
    owner: Member
    text: str
    created_at: datetime
    due_on: date | None = None
    due_at: datetime | None = None
    """When `due_on` begins in the owner's zone: when they are asked whether they reached it."""
    status: GoalStatus = GoalStatus.OPEN
    closed_at: datetime | None = None
    asked_at: datetime | None = None
    """When they were asked about its date; never twice."""
    notes: list[GoalNote] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status is GoalStatus.OPEN


@dataclass
class Goal(NewGoal):
    """A goal as stored: always with the id storage gave it (given by name)."""

    id: int = field(kw_only=True)
