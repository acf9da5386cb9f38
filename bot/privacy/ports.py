"""What privacy needs from storage: a member's export (`PersonalData`), their erasure and the
retention purge (`PrivacyRepository`, `Purged`), and the unit of work that carries them
(`PrivacyWork`).

Only this feature reads them, so they live here, not in the kernel. Rules: an export holds
everything stored about one member and names other people only as the member was shown them;
erasure keeps the rows the programme's counts rest on; a handler or job reaches the repository
through `privacy_repository(uow)`, never by an attribute the kernel's `UnitOfWork` does not
name."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.kernel.model import (
    AuditEntry,
    BuddyRequest,
    Checkin,
    Circle,
    Connection,
    Flag,
    Goal,
    Kudos,
    Member,
    Membership,
    MilestoneKind,
    Pairing,
    Reflection,
)
from bot.kernel.model.feedback import MeetingRating
from bot.kernel.ports import UnitOfWork


@dataclass(frozen=True)
class PersonalData:
    """Everything stored about one member, for their export. Other people appear only by the
    names the member was shown (partners, whom they blocked, to and from whom kudos went)."""

    member: Member
    member_since: datetime
    memberships: list[tuple[Circle, Membership]]
    requests: list[BuddyRequest]
    pairings: list[Pairing]
    checkins: list[Checkin]
    kudos: list[Kudos]
    """Given and received, revoked ones too."""
    flags: list[Flag]
    milestones: list[tuple[MilestoneKind, datetime]]
    blocks: list[tuple[Member, datetime]]
    """Whom they blocked, and since when."""
    audit: list[AuditEntry]
    """Entries about them."""
    circle_names: dict[int, str]
    """The names of the circles their pairings, kudos and flags point at."""
    goals: list[Goal] = field(default_factory=list)
    """Every goal they set, open or closed, with its progress notes."""
    reflections: list[Reflection] = field(default_factory=list)
    """What they were asked when a pairing ended, and what they answered (bot.kernel.endings)."""
    connections: list[Connection] = field(default_factory=list)
    """Whom they stay in touch with, by the name they were shown."""
    ratings_given: list[tuple[MeetingRating, str]] = field(default_factory=list)
    """The meetings they rated, with the name of the buddy rated (never ratings about them)."""
    agreements: dict[int, datetime] = field(default_factory=dict)
    """When they confirmed the agreement of each of their pairings (by pairing id)."""


@dataclass(frozen=True)
class Purged:
    """What one retention purge removed."""

    answers: int
    """Check-ins whose answers (and skip reason) were blanked."""
    flags: int
    messages: int
    """Delivered (or given up) messages deleted from the outbox."""
    goal_notes: int = 0
    """Progress notes on goals whose words were blanked."""
    reflections: int = 0
    """Reflections on ended pairings whose words were blanked."""
    rating_notes: int = 0
    """Ratings of meetings whose note was blanked."""


@dataclass(frozen=True)
class RetentionGroup:
    """The workspaces whose retention is `days`: those whose moderators chose it, and, when it
    is the config's `default_days`, those that chose none."""

    days: int
    default_days: int


class PrivacyRepository(Protocol):
    async def personal_data(self, member: Member) -> PersonalData:
        """Everything stored about the member, oldest first in each part."""
        ...

    async def erase_records(self, member: Member, label: str) -> None:
        """Erase what the member wrote and what was written about them, keeping the rows the
        programme's counts rest on. Blanked: their check-ins' answers and skip reasons, the
        reasons (and revoke reasons) of kudos they gave or received, their seats' reasons, the
        lines about them in their partners' reasons (a pair's whole reasons) and their pairings'
        end reasons; in a group that goes on (open, two others or more) their seat is deleted.
        Deleted: their flags, milestones, agreements confirmed, blocks by or against them, and
        the outbox messages to
        them (the pending ones are never sent) or keyed by their flags, kudos and ended pairings,
        except one being sent right now. Every other message's parts recorded as theirs
        (`OutgoingMessage.mentions`) read `label`. All found by id; a name's text is searched
        for only in audit texts about or by them and in summaries queued before mentions were
        recorded. Their member row itself is the caller's to anonymise. Their goals are
        deleted, with their progress notes and their sharing, and so are their reflections and
        connections (a reflection someone else wrote about them stays theirs). Ratings of
        meetings: the notes they wrote and those about them are blanked, the scores stay
        (counted, anonymous) and the messages keyed by those ratings are deleted."""
        ...

    async def purge_before(self, cutoff: datetime, group: RetentionGroup | None = None) -> Purged:
        """In the workspaces of `group` (None: every workspace): blank the answers and skip
        reasons of check-ins whose window closed before `cutoff`, and the words of reflections
        and goals' progress notes written before it, delete flags raised before it, blank the
        notes of meeting ratings given before it, and delete messages due before it that were
        delivered or given up. Finding nothing left to purge is cheap (indexed), so it may run
        every tick. A group costs one statement per kind of record, whatever the number of its
        workspaces."""
        ...


@runtime_checkable
class PrivacyWork(UnitOfWork, Protocol):
    """A unit of work that also carries the privacy repository (storage's does)."""

    privacy: PrivacyRepository


def privacy_repository(uow: UnitOfWork) -> PrivacyRepository:
    """The privacy repository of this unit of work; a TypeError names a unit of work without
    one (a wiring mistake, never a user's)."""
    if isinstance(uow, PrivacyWork):
        return uow.privacy
    raise TypeError(f"{type(uow).__name__} has no privacy repository")
