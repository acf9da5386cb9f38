"""The programme's nouns as the core sees them: plain dataclasses, no storage or platform types."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import IntEnum, StrEnum

from bot.kernel.weekly_hours import WeeklyHours


@dataclass(frozen=True, order=True)
class WorkspaceRef:
    """One tenant: a Discord guild, a Slack team or a console workspace. Nothing crosses tenants."""

    platform: str
    workspace_id: str

    def member(self, user_id: str) -> MemberRef:
        return MemberRef(self.platform, self.workspace_id, user_id)


@dataclass(frozen=True, order=True)
class MemberRef:
    """A person, always within one workspace of one platform."""

    platform: str
    workspace_id: str
    user_id: str

    @property
    def workspace(self) -> WorkspaceRef:
        return WorkspaceRef(self.platform, self.workspace_id)


@dataclass(frozen=True)
class Actor:
    """Who typed a command. `is_admin` is the platform's own word (Slack admin, Manage Server)."""

    ref: MemberRef
    display_name: str
    is_admin: bool = False
    is_bot: bool = False
    confirmed: bool = True
    """False when the platform could not be asked who this is (an outage): the name and role
    already stored stand, and a newcomer is recorded with no moderator rights."""


class ProfileRole(StrEnum):
    STUDENT = "student"
    MENTOR = "mentor"


class CircleRole(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"


@dataclass
class Profile:
    """What a member tells the programme about themselves; every field is optional but role."""

    role: ProfileRole = ProfileRole.STUDENT
    timezone: str | None = None
    stage: str | None = None
    subjects: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    hours: WeeklyHours = field(default_factory=WeeklyHours)
    quiet_hours: str | None = None
    bio: str = ""
    capacity: int | None = None
    public_kudos: bool = True
    listed: bool = True
    buddy_pool: bool = False
    """A moderator's choice to be paired (/findbuddy, circle rounds); everyone else is paired
    whatever this says (see bot.kernel.safeguarding)."""


@dataclass
class Member:
    ref: MemberRef
    display_name: str
    is_moderator: bool = False
    profile: Profile = field(default_factory=Profile)
    id: int | None = None
    paused_until: datetime | None = None
    missed_checkins: int = 0
    """Check-ins missed in a row; three bring one "still in?" message."""
    still_in_asked_at: datetime | None = None
    """When "still in?" was asked and not yet answered; unanswered, it pauses the member."""
    is_bot: bool = False
    """A bot account, as the platform says: never paired, never given kudos."""
    unreachable_since: datetime | None = None
    """When a DM to them last failed for good (DMs closed, deactivated); None once they are
    told, the next time they use a command."""
    unreachable_reason: str | None = None
    erased_at: datetime | None = None
    """When they erased their personal data (/privacy delete): the record left is anonymous,
    named `(former member)`, under a platform id nobody has, and kept only so that the pairings
    and kudos it took part in still count."""
    adult: bool | None = None
    """Whether a moderator marked them an adult (True) or not one (False); None when nobody
    did, see `is_adult`."""

    @property
    def is_adult(self) -> bool:
        """As a moderator marked them; unmarked, a moderator counts as an adult (staff) and
        everyone else as a minor (students, and the student mentors the moderators appoint)."""
        return self.adult if self.adult is not None else self.is_moderator

    def is_paused(self, now: datetime) -> bool:
        return self.paused_until is not None and now < self.paused_until

    def heard_from(self) -> None:
        """The member answered, skipped, paused or said they are still in: the run of missed
        check-ins starts again and no "still in?" is pending."""
        self.missed_checkins = 0
        self.still_in_asked_at = None


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


@dataclass
class Circle:
    workspace: WorkspaceRef
    name: str
    topic: str = ""
    settings: CircleSettings = field(default_factory=CircleSettings)
    archived_at: datetime | None = None
    created_at: datetime | None = None
    id: int | None = None
    schedule_since: datetime | None = None
    """When the cadence, day, time or check-in audience last changed: periods scheduled before
    it are nobody's to answer (none is recorded missed)."""

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


@dataclass
class Membership:
    circle_id: int
    member: Member
    role: CircleRole
    facilitator: bool = False
    joined_at: datetime | None = None
    id: int | None = None
    sit_outs: int = 0
    """Rounds this member sat out for the odd-number rule; who has fewest sits out next."""


@dataclass(frozen=True)
class Destination:
    """Where an outgoing message goes: a member's DMs or a channel of the workspace."""

    workspace: WorkspaceRef
    kind: str  # "dm" or "channel"
    target: str  # a user id or a channel id

    @classmethod
    def dm(cls, ref: MemberRef) -> Destination:
        return cls(ref.workspace, "dm", ref.user_id)

    @classmethod
    def channel(cls, workspace: WorkspaceRef, channel_id: str) -> Destination:
        return cls(workspace, "channel", channel_id)


class Priority(IntEnum):
    """Which due message the outbox sends first: the lower, the sooner; within one priority,
    the one queued first."""

    CONCERN = 0
    """A concern for the moderators: ahead of everything else due."""
    ROUTINE = 1
    """Everything else: prompts, reminders, kudos, matches, digests, notices."""


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class Action:
    """A button under a message or reply: pressing it runs `command` as typed by whoever pressed
    it (mentions in the `<@id>` form every platform's parser reads). Platforms limit a button's
    data to 100 characters, so `command` stays under it."""

    label: str
    command: str
    style: str = ""  # "primary", "danger" or "" (the platform's default)


@dataclass(frozen=True)
class Mention:
    """A part of a message's text that is about one member: `text[start:end]` names them or
    quotes what they wrote. Erasing the member puts `instead` there (None: the label erased
    members go by), so it is found by who they are, never by their name's text."""

    member_id: int
    start: int
    end: int
    instead: str | None = None


@dataclass(frozen=True)
class OutgoingMessage:
    """A message to put in the outbox. `key` makes it idempotent: the same key is queued once."""

    key: str
    destination: Destination
    text: str
    not_before: datetime | None = None
    """Held until then (a member's quiet hours); sent as soon as it is queued when None."""
    actions: tuple[Action, ...] = ()
    """Buttons under the message where the platform has them; the text alone must still say how
    to answer by typing (the console has no buttons)."""
    mentions: tuple[Mention, ...] = ()
    """The parts of `text` about members other than the one it goes to (see `Mention`)."""
    priority: Priority = Priority.ROUTINE

    @classmethod
    def notice(cls, destination: Destination, text: str) -> OutgoingMessage:
        """A one-off message caused by a command. The command's transaction already makes it
        happen once, so its key only has to be unique (row ids can be reused after a delete)."""
        return cls(f"notice:{uuid.uuid4().hex}", destination, text)


@dataclass
class OutboxEntry:
    id: int
    key: str
    destination: Destination
    text: str
    status: OutboxStatus
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    claimed_at: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = None
    actions: tuple[Action, ...] = ()
    priority: Priority = Priority.ROUTINE


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
class Seat:
    """One person's place in a pairing: why they were put there, in their own time zone, and
    what they said about meeting."""

    member: Member
    role: SeatRole = SeatRole.PEER
    reasons: str = ""
    answer: MeetingAnswer | None = None
    answered_at: datetime | None = None
    ask_at: datetime | None = None
    """When to ask "did you meet?" next; None once answered or ended."""
    id: int | None = None


@dataclass
class Pairing:
    """Two people (three in a trio, more in a group) put together, on demand or by a round.
    Open until someone ends it or, for a round, until the circle's next round."""

    workspace: WorkspaceRef
    kind: PairingKind
    seats: list[Seat]
    created_at: datetime
    circle_id: int | None = None
    round_id: int | None = None
    subject: str | None = None
    ended_at: datetime | None = None
    end_reason: str | None = None
    """Why it was ended, as the one who ended it wrote it: for the moderators and the writer."""
    ended_by_id: int | None = None
    """The member who ended it with /buddy end; None when a round or a rule ended it."""
    id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    def seat_of(self, member_id: int | None) -> Seat | None:
        return next((s for s in self.seats if s.member.id == member_id), None)

    def others(self, member_id: int | None) -> list[Member]:
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
class BuddyRequest:
    """A /findbuddy that found nobody yet and waits in the workspace's queue."""

    member: Member
    created_at: datetime
    expires_at: datetime
    subject: str | None = None
    status: RequestStatus = RequestStatus.WAITING
    id: int | None = None


@dataclass
class PairingRound:
    """One round of a circle. `period` makes a scheduled round happen once per cadence period
    (`2026-W10`); a round run by hand has its own period (`manual:<time>`)."""

    circle_id: int
    period: str
    ran_at: datetime
    id: int | None = None


class CheckinStatus(StrEnum):
    OPEN = "open"
    """Prompted (or due to be), not answered yet."""
    ANSWERED = "answered"
    SKIPPED = "skipped"
    MISSED = "missed"
    """The window closed with no answer, or could no longer be answered when the bot got to it."""


@dataclass
class Checkin:
    """One member's check-in for one period of one circle: unique per (circle, member, period).
    The questions are copied when it opens, so a later change of the circle's questions does not
    change what this member is answering."""

    circle: Circle
    member: Member
    period: str
    scheduled_at: datetime
    closes_at: datetime
    questions: tuple[str, ...]
    status: CheckinStatus = CheckinStatus.OPEN
    prompted_at: datetime | None = None
    """None when no prompt was sent (missed while the bot was down, or skipped while paused)."""
    reminders_sent: int = 0
    remind_at: datetime | None = None
    answers: tuple[str, ...] = ()
    concern: bool = False
    answered_at: datetime | None = None
    late: bool = False
    skip_reason: str = ""
    id: int | None = None

    def is_closed(self, now: datetime) -> bool:
        return now >= self.closes_at


@dataclass
class Flag:
    """A concern for the moderators: from /flag, or a check-in answer marked as a concern."""

    workspace: WorkspaceRef
    member: Member
    text: str
    created_at: datetime
    circle_id: int | None = None
    checkin_id: int | None = None
    id: int | None = None


@dataclass
class Blackout:
    """Workspace holidays, `first` to `last` inclusive, in each member's own calendar: no rounds
    and no check-in prompts fall on them."""

    workspace: WorkspaceRef
    first: date
    last: date
    created_at: datetime
    id: int | None = None

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


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


class MilestoneKind(StrEnum):
    TENTH_CHECKIN = "tenth-checkin"
    FIFTH_MEETING = "fifth-meeting"
    FIRST_KUDOS = "first-kudos"


@dataclass(frozen=True)
class AuditEntry:
    """A moderator's action on someone else's data or standing, kept for the audit trail."""

    workspace: WorkspaceRef
    actor: Member
    action: str
    subject: str
    detail: str
    created_at: datetime
    id: int | None = None
    about: Member | None = None
    """The member the action was about, when it was about one; named as they are now, so an
    entry about someone who erased their data names a former member."""


@dataclass(frozen=True)
class KudosCount:
    member: Member
    received: int
    given: int


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
