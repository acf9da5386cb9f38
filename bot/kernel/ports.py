"""What the core needs from the outside world, as Protocols that storage and adapters implement."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from bot.kernel.model import (
    AuditEntry,
    Blackout,
    BuddyRequest,
    Checkin,
    CheckinStatus,
    Circle,
    Flag,
    Kudos,
    KudosCount,
    Member,
    MemberRef,
    Membership,
    Mention,
    MilestoneKind,
    OutboxEntry,
    OutgoingMessage,
    Pairing,
    PairingRound,
    PersonalData,
    Seat,
    WorkspaceRef,
)
from bot.matching import Outcome, Problem, match


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class MemberRepository(Protocol):
    async def get(self, ref: MemberRef) -> Member | None: ...

    async def add(self, member: Member) -> Member: ...

    async def save(self, member: Member) -> None: ...

    async def by_ids(self, member_ids: Collection[int]) -> list[Member]: ...

    async def moderators(self, workspace: WorkspaceRef) -> list[Member]:
        """Known members of the workspace who moderate it, by id."""
        ...

    async def still_in_unanswered(self, asked_before: datetime, limit: int) -> list[Member]:
        """Members in every workspace asked "still in?" before then who have not answered."""
        ...


class CircleRepository(Protocol):
    async def get(self, circle_id: int) -> Circle | None: ...

    async def with_cadence(self) -> list[Circle]:
        """Circles in every workspace with a cadence (rounds and check-ins), not archived."""
        ...

    async def get_by_name(self, workspace: WorkspaceRef, name: str) -> Circle | None:
        """The circle of that name in the workspace, matched case-insensitively."""
        ...

    async def in_workspace(self, workspace: WorkspaceRef) -> list[Circle]: ...

    async def add(self, circle: Circle) -> Circle: ...

    async def save(self, circle: Circle) -> None: ...

    async def memberships(self, circle_id: int) -> list[Membership]: ...

    async def membership(self, circle_id: int, member_id: int) -> Membership | None: ...

    async def add_membership(self, membership: Membership) -> Membership: ...

    async def save_membership(self, membership: Membership) -> None: ...

    async def remove_membership(self, membership: Membership) -> None: ...

    async def member_counts(self, circle_ids: Collection[int]) -> dict[int, int]: ...

    async def circle_ids_of(self, member_id: int) -> set[int]: ...


class BuddyRepository(Protocol):
    """Pairings, the /findbuddy queue, rounds and blocks; all within one workspace."""

    async def lock_queue(self, workspace: WorkspaceRef) -> None:
        """Serialise on-demand matching in this workspace until the transaction ends, so two
        people asking at once can never both take the same waiting person."""
        ...

    async def waiting(self, workspace: WorkspaceRef) -> list[BuddyRequest]:
        """Open requests, oldest first."""
        ...

    async def waiting_of(self, member_id: int) -> BuddyRequest | None: ...

    async def add_request(self, request: BuddyRequest) -> BuddyRequest: ...

    async def save_request(self, request: BuddyRequest) -> None: ...

    async def expired_requests(self, now: datetime, limit: int) -> list[BuddyRequest]:
        """Waiting requests whose time is up, in every workspace."""
        ...

    async def add_pairing(self, pairing: Pairing) -> Pairing: ...

    async def save_pairing(self, pairing: Pairing) -> None:
        """Store its end and each seat's answer and next question."""
        ...

    async def open_pairings_of(self, member_id: int) -> list[Pairing]: ...

    async def latest_pairing_between(self, member_id: int, other_id: int) -> Pairing | None: ...

    async def open_on_demand_member_ids(self, workspace: WorkspaceRef) -> set[int]: ...

    async def open_mentee_counts(self, mentor_ids: Collection[int]) -> dict[int, int]:
        """How many mentee seats each mentor has across their open pairings."""
        ...

    async def recent_on_demand_partners(
        self, member_ids: Collection[int], limit: int
    ) -> set[tuple[int, int]]:
        """Pairs of people who were buddies in one of each member's last `limit` on-demand
        pairings, as (smaller id, larger id)."""
        ...

    async def round_partners(self, circle_id: int, last_rounds: int) -> set[tuple[int, int]]:
        """Pairs of people grouped together in the circle's last `last_rounds` rounds."""
        ...

    async def seats_to_ask(self, now: datetime, limit: int) -> list[tuple[Pairing, Seat]]:
        """Seats of open pairings whose "did you meet?" question is due."""
        ...

    async def add_round(self, round_: PairingRound) -> PairingRound | None:
        """None when the circle already had a round for that period."""
        ...

    async def open_round_pairings(self, circle_id: int) -> list[Pairing]: ...

    async def blocked_pairs(self, member_ids: Collection[int]) -> set[tuple[int, int]]:
        """Every block between two of these members, either way, as (smaller, larger)."""
        ...

    async def meetings_held(self, member_id: int) -> int:
        """The member's seats answered "met"."""
        ...

    async def add_block(self, member_id: int, blocked_id: int, now: datetime) -> bool:
        """False when it was already blocked."""
        ...

    async def remove_block(self, member_id: int, blocked_id: int) -> bool:
        """False when there was no such block."""
        ...


class CheckinRepository(Protocol):
    """Check-ins and the digests of their periods. A check-in is unique per (circle, member,
    period); the jobs that open, remind and close them work across workspaces."""

    async def existing(self, circle_id: int, periods: Collection[str]) -> set[tuple[int, str]]:
        """(member id, period) of the circle's check-ins for these periods."""
        ...

    async def add(self, checkin: Checkin) -> Checkin | None:
        """None when the member already has one for that circle and period (whatever races)."""
        ...

    async def add_all(self, checkins: Sequence[Checkin]) -> list[Checkin]:
        """Add them all at once (all of one circle); the ones already there are left out of the
        result, whatever races."""
        ...

    async def save(self, checkin: Checkin) -> None:
        """Store its status, answers, reminders and skip reason."""
        ...

    async def get(self, checkin_id: int) -> Checkin | None: ...

    async def latest_of(self, member_id: int) -> list[Checkin]:
        """The member's most recent check-in in each circle, the soonest closing first."""
        ...

    async def of_period(self, circle_id: int, period: str) -> list[Checkin]:
        """The circle's check-ins for one period, by member name."""
        ...

    async def latest_period(self, circle_id: int) -> str | None:
        """The period of the circle's most recently scheduled check-in."""
        ...

    async def reminders_due(self, now: datetime, limit: int) -> list[Checkin]:
        """Open (unanswered) check-ins whose next reminder is due."""
        ...

    async def closing(self, now: datetime, limit: int) -> list[Checkin]:
        """Open (unanswered) check-ins whose window has closed."""
        ...

    async def periods_to_digest(self, now: datetime, limit: int) -> list[tuple[int, str]]:
        """(circle id, period) whose every check-in window has closed, none still open (the
        closing job has marked each unanswered one missed), and no digest was made."""
        ...

    async def add_digest(self, circle_id: int, period: str, now: datetime) -> bool:
        """Record the period's digest; False when it was recorded before."""
        ...

    async def last_digest_at(self, circle_id: int) -> datetime | None: ...

    async def late_since(self, circle_id: int, since: datetime | None) -> list[Checkin]:
        """Late answers in the circle given after `since` (all of them for None)."""
        ...

    async def answered_count(self, member_id: int) -> int:
        """Check-ins the member has answered, in every circle."""
        ...


class KudosRepository(Protocol):
    """Kudos within one workspace; revoked ones are left out of every wall and count."""

    async def add(self, kudos: Kudos) -> Kudos | None:
        """None when a kudos with its dedupe key exists (a double click, a retried request)."""
        ...

    async def get(self, workspace: WorkspaceRef, kudos_id: int) -> Kudos | None: ...

    async def save(self, kudos: Kudos) -> None:
        """Store its revocation."""
        ...

    async def given_since(self, giver_id: int, since: datetime) -> int: ...

    async def gave_to_since(self, giver_id: int, recipient_id: int, since: datetime) -> bool: ...

    async def received_count(self, member_id: int) -> int: ...

    async def received_by(self, member_id: int, limit: int) -> list[Kudos]:
        """Kudos the member received, newest first, whether or not they allow public praise."""
        ...

    async def recent(
        self, workspace: WorkspaceRef, circle_id: int | None, limit: int, seen_by: int | None
    ) -> list[Kudos]:
        """Newest first, in one circle when given; only kudos whose giver and recipient both
        allow public praise, and a private circle's only when `seen_by` (a member id) is in it.
        `seen_by` None is a moderator, who sees every circle's."""
        ...

    async def counts_since(
        self, workspace: WorkspaceRef, since: datetime | None, limit: int, seen_by: int | None
    ) -> list[KudosCount]:
        """Members by kudos received (then given), most first, leaving out those who turned
        public praise off; since the start of time for None. A private circle's kudos count only
        when `seen_by` is in it (None: a moderator, for whom all count)."""
        ...


class MilestoneRepository(Protocol):
    async def reach(self, member_id: int, kind: MilestoneKind, now: datetime) -> bool:
        """Record it; False when the member had reached it before (whatever races)."""
        ...


class AuditRepository(Protocol):
    async def add(self, entry: AuditEntry) -> None: ...

    async def recent(self, workspace: WorkspaceRef, limit: int) -> list[AuditEntry]: ...


# Privacy: a member's export and erasure, and the retention purge


@dataclass(frozen=True)
class Purged:
    """What one retention purge removed."""

    answers: int
    """Check-ins whose answers (and skip reason) were blanked."""
    flags: int
    messages: int
    """Delivered (or given up) messages deleted from the outbox."""


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
        Deleted: their flags, milestones, blocks by or against them, and the outbox messages to
        them (the pending ones are never sent) or keyed by their flags, kudos and ended pairings,
        except one being sent right now. Every other message's parts recorded as theirs
        (`OutgoingMessage.mentions`) read `label`. All found by id; a name's text is searched
        for only in audit texts about or by them and in summaries queued before mentions were
        recorded. Their member row itself is the caller's to anonymise."""
        ...

    async def purge_before(self, cutoff: datetime) -> Purged:
        """Blank the answers and skip reasons of check-ins whose window closed before `cutoff`,
        delete flags raised before it, and delete messages due before it that were delivered
        or given up. Finding nothing left to purge is cheap (indexed), so it may run every tick."""
        ...


class FlagRepository(Protocol):
    async def add(self, flag: Flag) -> Flag: ...


class BlackoutRepository(Protocol):
    async def in_workspace(self, workspace: WorkspaceRef) -> list[Blackout]:
        """The workspace's blackouts, earliest first."""
        ...

    async def add(self, blackout: Blackout) -> Blackout: ...

    async def remove(self, blackout_id: int) -> None: ...


class OutboxRepository(Protocol):
    async def add(self, message: OutgoingMessage, now: datetime) -> bool:
        """Queue the message in the current transaction; False when its key was queued before."""
        ...

    async def add_all(self, messages: Sequence[OutgoingMessage], now: datetime) -> int:
        """Queue them all at once; how many were new."""
        ...

    async def append(
        self, key: str, text: str, mentions: Sequence[Mention], limit: int
    ) -> bool | None:
        """Add `text` to the end of the message queued under `key` (its `mentions` counted from
        the start of `text`), if that message is still waiting to be sent and the whole stays
        within `limit` characters: True when added, False when it was not (no room, or no longer
        waiting), None when nothing was ever queued under `key`. Appends to one message take
        turns."""
        ...


# The programme's numbers (/stats)


@dataclass(frozen=True)
class CheckinFact:
    """One check-in as the programme's numbers see it: when its period's moment fell, how it
    stands, and whether the member was ever asked (a paused member's is recorded unasked)."""

    scheduled_at: datetime
    status: CheckinStatus
    prompted: bool


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

    async def waiting_count(
        self, workspace: WorkspaceRef, circle_id: int | None, now: datetime
    ) -> int:
        """People in the /findbuddy queue whose request has not run out; in a circle, those of
        them who belong to it."""
        ...

    async def unreachable_count(self, workspace: WorkspaceRef, circle_id: int | None) -> int:
        """Members a DM could not reach, not yet told; in a circle, those who belong to it."""
        ...


class Solver(Protocol):
    """Runs the matching function somewhere that does not stall the event loop (a big round is
    seconds of CPU work)."""

    async def __call__(self, problem: Problem) -> Outcome: ...


async def solve_here(problem: Problem) -> Outcome:
    """For small problems and tests: solve on the caller's thread."""
    return match(problem)


class UnitOfWork(Protocol):
    """One transaction. Leaving the block without `commit()` rolls everything back."""

    members: MemberRepository
    circles: CircleRepository
    buddies: BuddyRepository
    checkins: CheckinRepository
    flags: FlagRepository
    blackouts: BlackoutRepository
    kudos: KudosRepository
    milestones: MilestoneRepository
    audit: AuditRepository
    outbox: OutboxRepository
    stats: StatsRepository
    privacy: PrivacyRepository

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


class OutboxStore(Protocol):
    """The dispatcher's side of the outbox; each call is its own short transaction."""

    async def claim(
        self, now: datetime, limit: int, platforms: Collection[str]
    ) -> list[OutboxEntry]:
        """Mark up to `limit` due pending rows as sending and return them, the most urgent first
        (`Priority`), then the oldest; no row goes to two claimers, even across processes."""
        ...

    async def mark_sent(self, entry_ids: Collection[int], now: datetime) -> None:
        """Record these rows as sent, in one transaction."""
        ...

    async def retry_later(self, entry_id: int, at: datetime, error: str) -> None: ...

    async def mark_failed(self, entry_id: int, error: str) -> None: ...

    async def mark_uncertain(self, entry_id: int, error: str) -> None:
        """The send's outcome is unknown (`Uncertain`): keep the row, never send it again."""
        ...

    async def release(self, entry_ids: Collection[int], at: datetime, error: str) -> None:
        """Claimed rows that were not sent because the platform asked us to wait (a 429, or
        a lane holding for one): back to pending at `at`, and their claims do not count as
        attempts, so throttling alone never makes a message fail."""
        ...

    async def recover_stale(
        self, claimed_before: datetime, resend_safe: Collection[str], platforms: Collection[str]
    ) -> tuple[int, int]:
        """Rows left in `sending` by a crash: back to pending where a resend is harmless on that
        platform, otherwise marked uncertain. Returns (requeued, uncertain)."""
        ...


@dataclass(frozen=True)
class Sent:
    pass


@dataclass(frozen=True)
class RetryLater:
    """Not delivered; try again after `after_seconds`. `throttled` means the platform said 429
    (too many requests): the whole platform waits that long, and the try does not count."""

    after_seconds: float
    reason: str
    throttled: bool = False


@dataclass(frozen=True)
class Failed:
    """The platform refused for good (DMs closed, deactivated user)."""

    reason: str


@dataclass(frozen=True)
class Uncertain:
    """The request may have reached the platform, but no answer came (a connection dropped after
    sending). Sending again could post twice where the platform does not drop repeats (Slack), so
    the entry is recorded uncertain, not retried."""

    reason: str


Delivery = Sent | RetryLater | Failed | Uncertain


class Messenger(Protocol):
    """Delivers outbox entries on one platform."""

    platform: str
    resend_is_safe: bool
    """True when the platform drops a repeated send (Discord's nonce), so a crash may resend."""
    max_per_second: float | None
    """The platform's sustained send limit for this bot; None when it has none (the console)."""

    async def send(self, entry: OutboxEntry) -> Delivery: ...


class SeenEvents(Protocol):
    """Platform deliveries already handled, kept long enough to outlast the platform's retries
    (Slack retries an event for about five minutes)."""

    async def first_sighting(self, key: str, now: datetime) -> bool:
        """True the first time `key` is seen, in this instance or any other sharing the
        database; False for every later sighting."""
        ...


class TickLock(Protocol):
    """Picks the one instance that runs the due jobs in a tick when several share a database."""

    def hold(self) -> AbstractAsyncContextManager[bool]:
        """`async with lock.hold() as mine:` mine is True when this instance may run the jobs
        now; the lock is let go when the block ends (or the process dies)."""
        ...
