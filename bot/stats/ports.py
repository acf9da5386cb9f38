"""What /stats needs from storage: the raw facts behind the programme's numbers
(`StatsRepository`, `CheckinFact`), and the unit of work that carries them (`StatsWork`).

Only this feature reads them, so they live here, not in the kernel. Rules: every fact is
within one workspace and, when a circle is given, within that circle; a handler reaches the
repository through `stats_repository(ctx.uow)`, never by an attribute the kernel's
`UnitOfWork` does not name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.kernel.model import CheckinStatus, WorkspaceRef
from bot.kernel.ports import UnitOfWork


@dataclass(frozen=True)
class CheckinFact:
    """One check-in as the programme's numbers see it: when its period's moment fell, how it
    stands, and whether the member was ever asked (a paused member's is recorded unasked)."""

    scheduled_at: datetime
    status: CheckinStatus
    prompted: bool


@dataclass(frozen=True)
class RatingFact:
    """One rating of a meeting as the programme's numbers see it: when it was given (or last
    given again), by whom, and how much."""

    rated_at: datetime
    rater_id: int
    score: int


class StatsRepository(Protocol):
    """Raw facts behind the programme's numbers, all within one workspace and, when `circle_id`
    is given, within that circle; `since` bounds the moment each fact is counted at."""

    async def pairings_started(
        self, workspace: WorkspaceRef, circle_id: int | None, since: datetime
    ) -> list[datetime]:
        """When each pairing began; a circle's are those of its rounds."""
        ...

    async def first_meetings(
        self, workspace: WorkspaceRef, circle_id: int | None, since: datetime
    ) -> list[datetime]:
        """For each pairing someone said "we met" about: when the first of them said so."""
        ...

    async def checkins(
        self, workspace: WorkspaceRef, circle_id: int | None, since: datetime
    ) -> list[CheckinFact]:
        """Check-ins whose moment fell at or after `since`."""
        ...

    async def concerns_raised(
        self, workspace: WorkspaceRef, circle_id: int | None, since: datetime
    ) -> list[datetime]:
        """When each flag was raised, by /flag or in a check-in; a circle's are those recorded
        for it."""
        ...

    async def kudos_given(
        self, workspace: WorkspaceRef, circle_id: int | None, since: datetime
    ) -> list[datetime]:
        """When each kudos not revoked was given; a circle's are those recorded for it."""
        ...

    async def ratings(
        self, workspace: WorkspaceRef, circle_id: int | None, since: datetime
    ) -> list[RatingFact]:
        """Ratings of meetings given at or after `since`; a circle's are those of its rounds'
        pairings."""
        ...

    async def waiting_count(
        self, workspace: WorkspaceRef, circle_id: int | None, now: datetime
    ) -> int:
        """People in the /findbuddy queue whose request has not run out; in a circle, those of
        them who belong to it."""
        ...

    async def unreachable_count(self, workspace: WorkspaceRef, circle_id: int | None) -> int:
        """Members a DM could not reach, not yet told; in a circle, those who belong to it."""
        ...


@runtime_checkable
class StatsWork(UnitOfWork, Protocol):
    """A unit of work that also carries the stats repository (storage's does)."""

    stats: StatsRepository


def stats_repository(uow: UnitOfWork) -> StatsRepository:
    """The stats repository of this unit of work; a TypeError names a unit of work without one
    (a wiring mistake, never a user's)."""
    if isinstance(uow, StatsWork):
        return uow.stats
    raise TypeError(f"{type(uow).__name__} has no stats repository")
