"""What the feedback feature needs from storage: the pairings a member may rate and their
ratings (`FeedbackRepository`, `MetPairing`), and the unit of work that carries them
(`FeedbackWork`).

Only this feature writes ratings, so the port lives here, not in the kernel (privacy and stats
read the table through their own ports). Rules: everything is within the member's own
pairings; a handler reaches the repository through `feedback_repository(ctx.uow)`, never by an
attribute the kernel's `UnitOfWork` does not name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from bot.kernel.model.feedback import MeetingRating, NewMeetingRating
from bot.kernel.ports import UnitOfWork


@dataclass(frozen=True)
class MetPairing:
    """A pairing the member sat in that someone in it said "we met" about."""

    pairing_id: int
    circle_id: int | None
    partner_ids: tuple[int, ...]
    is_open: bool


@dataclass(frozen=True)
class Rated:
    """One rating about a member, as their own average needs it: who gave it and how much."""

    rater_id: int
    score: int


class FeedbackRepository(Protocol):
    async def met_pairings(self, member_id: int) -> list[MetPairing]:
        """The member's pairings someone said "we met" about, newest first."""
        ...

    async def rating_of(
        self, pairing_id: int, rater_id: int, rated_id: int
    ) -> MeetingRating | None:
        """The rating that rater gave that partner for that pairing, if any."""
        ...

    async def add(self, rating: NewMeetingRating) -> MeetingRating:
        """Store it; the rating as stored, with its id."""
        ...

    async def save(self, rating: MeetingRating) -> None:
        """Store its score, note and moment (a rating given again)."""
        ...

    async def ratings_about(self, member_id: int) -> list[Rated]:
        """Every rating about the member."""
        ...


@runtime_checkable
class FeedbackWork(UnitOfWork, Protocol):
    """A unit of work that also carries the feedback repository (storage's does)."""

    feedback: FeedbackRepository


def feedback_repository(uow: UnitOfWork) -> FeedbackRepository:
    """The feedback repository of this unit of work; a TypeError names a unit of work without
    one (a wiring mistake, never a user's)."""
    if isinstance(uow, FeedbackWork):
        return uow.feedback
    raise TypeError(f"{type(uow).__name__} has no feedback repository")
