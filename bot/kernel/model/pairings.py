"""People put together: a `Pairing` of seats (on demand or by a circle's round), the
/findbuddy queue (`BuddyRequest`) and the rounds themselves (`PairingRound`); each a `New...`
until storage keeps it, then saved with the id storage gave it (a pairing's seats too).

Several features read pairings (buddies, home, privacy, profile) and so does the kernel's
safeguarding, so they live in the kernel.
Rules: a pairing is open until someone ends it or, for a round, the circle's next round; a
scheduled round happens once per cadence period; each seat keeps its own answer to "did you
meet?"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.kernel.model.identity import WorkspaceRef
from bot.kernel.model.members import Member


class PairingKind(StrEnum):
    ON_DEMAND = "on-demand"
    ROUND = "round"


class SeatRole(StrEnum):
    PEER = "peer"
    MENTOR = "mentor"
    MENTEE = "mentee"


class MeetingAnswer(StrEnum):
    MET = "met"
    NOT_YET = "notyet"
    COULDNT = "couldnt"


@dataclass
class NewSeat:
    """One person's place in a pairing: why they were put there, in their own time zone, and
    what they said about meeting. All a seat is but its id."""

    member: Member
    role: SeatRole = SeatRole.PEER
    reasons: str = ""
    answer: MeetingAnswer | None = None
    answered_at: datetime | None = None
    ask_at: datetime | None = None
    """When to ask "did you meet?" next; None once answered or ended."""


@dataclass
class Seat(NewSeat):
    """A seat as stored: always with the id storage gave it (given by name)."""

    id: int = field(kw_only=True)


@dataclass
class NewPairing:
    """Two people (three in a trio, more in a group) put together, on demand or by a round.
    Open until someone ends it or, for a round, until the circle's next round. All a pairing
    is but its id and its seats' ids."""

    workspace: WorkspaceRef
    kind: PairingKind
    seats: Sequence[NewSeat]
    created_at: datetime
    circle_id: int | None = None
    round_id: int | None = None
    subject: str | None = None
    ended_at: datetime | None = None
    end_reason: str | None = None
    """Why it was ended, as the one who ended it wrote it: for the moderators and the writer."""
    ended_by_id: int | None = None
    """The member who ended it with /buddy end; None when a round or a rule ended it."""

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


@dataclass
class Pairing(NewPairing):
    """A pairing as stored: always with the id storage gave it (given by name), its seats
    stored too."""

    seats: list[Seat]
    id: int = field(kw_only=True)

    def seat_of(self, member_id: int) -> Seat | None:
        return next((s for s in self.seats if s.member.id == member_id), None)

    def others(self, member_id: int) -> list[Member]:
        return [s.member for s in self.seats if s.member.id != member_id]

    def partners_line(self, seat: Seat) -> str:
        """The names of `seat`'s partners: "Ben", or "Ben, Cy and Dee"."""
        names = [m.display_name for m in self.others(seat.member.id)]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class RequestStatus(StrEnum):
    WAITING = "waiting"
    MATCHED = "matched"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


@dataclass
class NewBuddyRequest:
    """A /findbuddy that found nobody yet and waits in the workspace's queue. All a request is
    but its id."""

    member: Member
    created_at: datetime
    expires_at: datetime
    subject: str | None = None
    status: RequestStatus = RequestStatus.WAITING


@dataclass
class BuddyRequest(NewBuddyRequest):
    """A request as stored: always with the id storage gave it (given by name)."""

    id: int = field(kw_only=True)


@dataclass
class NewPairingRound:
    """One round of a circle. `period` makes a scheduled round happen once per cadence period
    (`2026-W10`); a round run by hand has its own period (`manual:<time>`). All a round is but
    its id."""

    circle_id: int
    period: str
    ran_at: datetime


@dataclass
class PairingRound(NewPairingRound):
    """A round as stored: always with the id storage gave it (given by name)."""

    id: int = field(kw_only=True)
