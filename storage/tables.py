"""The database tables: storage's own business; the core sees its dataclasses via repositories."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel


class MemberRow(SQLModel, table=True):
    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("platform", "workspace_id", "user_id"),
        # The "still in?" job's scan, across workspaces: only members with a question pending.
        Index(
            "ix_members_still_in_asked",
            "still_in_asked_at",
            sqlite_where=text("still_in_asked_at IS NOT NULL"),
            postgresql_where=text("still_in_asked_at IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    user_id: str = Field(max_length=64)
    display_name: str = Field(max_length=100)
    is_moderator: bool = False
    role: str = Field(default="student", max_length=16)
    timezone: str | None = Field(default=None, max_length=64)
    stage: str | None = Field(default=None, max_length=20)
    subjects: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    hours: str = Field(default="", max_length=500)
    quiet_hours: str | None = Field(default=None, max_length=11)
    bio: str = Field(default="", max_length=300)
    capacity: int | None = None
    public_kudos: bool = True
    listed: bool = True
    paused_until: datetime | None = None
    # The server default fills the column in for members made before it existed.
    missed_checkins: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    still_in_asked_at: datetime | None = None
    # "0", a plain string, is false on both databases and keeps the migration's ADD COLUMN in
    # place on SQLite; existing members are people, not bots.
    is_bot: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    unreachable_since: datetime | None = None
    unreachable_reason: str | None = Field(default=None, max_length=200)
    erased_at: datetime | None = None
    # Marked by a moderator: adult (true), not (false), or nobody said (null).
    adult: bool | None = None
    buddy_pool: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    created_at: datetime
    updated_at: datetime


class CircleRow(SQLModel, table=True):
    __tablename__ = "circles"
    __table_args__ = (UniqueConstraint("platform", "workspace_id", "name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    name: str = Field(max_length=40)
    name_key: str = Field(max_length=40)
    topic: str = Field(default="", max_length=200)
    private: bool = False
    cadence: str = Field(default="off", max_length=16)
    day: str = Field(default="mon", max_length=3)
    time: str = Field(default="09:00", max_length=5)
    group_size: int = 2
    odd: str = Field(default="trio", max_length=16)
    checkin_audience: str = Field(default="mentors", max_length=16)
    checkin_questions: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    channel: str | None = Field(default=None, max_length=80)
    created_at: datetime
    archived_at: datetime | None = None
    schedule_since: datetime | None = None


class MembershipRow(SQLModel, table=True):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("circle_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(
        sa_column=Column(Integer, ForeignKey("circles.id", ondelete="CASCADE"), nullable=False)
    )
    member_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    role: str = Field(max_length=16)
    facilitator: bool = False
    joined_at: datetime
    # The server default fills the column in for memberships made before it existed.
    sit_outs: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


def _member_fk(*, index: bool = False) -> Column[int]:
    return Column(
        Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=index
    )


class PairingRoundRow(SQLModel, table=True):
    __tablename__ = "pairing_rounds"
    __table_args__ = (UniqueConstraint("circle_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(
        sa_column=Column(Integer, ForeignKey("circles.id", ondelete="CASCADE"), nullable=False)
    )
    period: str = Field(max_length=40)
    ran_at: datetime


class PairingRow(SQLModel, table=True):
    __tablename__ = "pairings"

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    circle_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("circles.id", ondelete="SET NULL"), index=True),
    )
    round_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("pairing_rounds.id", ondelete="SET NULL"), index=True),
    )
    subject: str | None = Field(default=None, max_length=40)
    created_at: datetime
    ended_at: datetime | None = None
    end_reason: str | None = Field(default=None, max_length=300)
    ended_by_id: int | None = None
    """A member id without a foreign key: adding one would make SQLite copy `pairings`, which
    the seats point at; members are never deleted (erasure blanks them), so it cannot dangle."""


class SeatRow(SQLModel, table=True):
    """One person in one pairing. `open_on_demand` copies "the pairing is on demand and open" so
    that a unique index can refuse a second open on-demand pairing for anyone, whatever races."""

    __tablename__ = "pairing_seats"
    __table_args__ = (
        UniqueConstraint("pairing_id", "member_id"),
        Index(
            "ux_one_open_on_demand",
            "member_id",
            unique=True,
            sqlite_where=text("open_on_demand"),
            postgresql_where=text("open_on_demand"),
        ),
        Index("ix_seats_ask_at", "ask_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    pairing_id: int = Field(
        sa_column=Column(Integer, ForeignKey("pairings.id", ondelete="CASCADE"), nullable=False)
    )
    member_id: int = Field(sa_column=_member_fk(index=True))
    role: str = Field(default="peer", max_length=16)
    reasons: str = Field(default="", max_length=500)
    answer: str | None = Field(default=None, max_length=16)
    answered_at: datetime | None = None
    ask_at: datetime | None = None
    open_on_demand: bool = False


class BuddyRequestRow(SQLModel, table=True):
    """A waiting /findbuddy. The partial unique index keeps one waiting request per member."""

    __tablename__ = "buddy_requests"
    __table_args__ = (
        Index(
            "ux_one_waiting_request",
            "member_id",
            unique=True,
            sqlite_where=text("status = 'waiting'"),
            postgresql_where=text("status = 'waiting'"),
        ),
        Index("ix_requests_queue", "platform", "workspace_id", "status", "created_at"),
        # The expiry job's scan, across workspaces: only waiting requests, by when they expire.
        Index(
            "ix_waiting_requests_expiry",
            "expires_at",
            sqlite_where=text("status = 'waiting'"),
            postgresql_where=text("status = 'waiting'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    member_id: int = Field(sa_column=_member_fk())
    subject: str | None = Field(default=None, max_length=40)
    status: str = Field(default="waiting", max_length=16)
    created_at: datetime
    expires_at: datetime


class BlockRow(SQLModel, table=True):
    __tablename__ = "blocks"
    __table_args__ = (UniqueConstraint("member_id", "blocked_id"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(sa_column=_member_fk())
    blocked_id: int = Field(sa_column=_member_fk(index=True))
    created_at: datetime


def _circle_fk() -> Column[int]:
    return Column(Integer, ForeignKey("circles.id", ondelete="CASCADE"), nullable=False)


OPEN_CHECKIN = text("status = 'open'")
# A check-in still holding what the member wrote: the retention purge's scan, by when its window
# closed, sees only these, so once purged a row costs the purge nothing. The same text is in the
# purge's WHERE, which is what lets both databases use this partial index.
HOLDS_ANSWERS = "(CAST(answers AS TEXT) <> '[]' OR skip_reason <> '')"


class CheckinRow(SQLModel, table=True):
    """One member's check-in for one period of one circle. The partial indexes serve the jobs'
    scans across workspaces: only open check-ins, by when they are reminded or close."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("circle_id", "member_id", "period"),
        Index(
            "ix_open_checkins_remind_at",
            "remind_at",
            sqlite_where=OPEN_CHECKIN,
            postgresql_where=OPEN_CHECKIN,
        ),
        Index(
            "ix_open_checkins_closes_at",
            "closes_at",
            sqlite_where=OPEN_CHECKIN,
            postgresql_where=OPEN_CHECKIN,
        ),
        Index("ix_checkins_circle_period", "circle_id", "period"),
        Index("ix_checkins_member_scheduled", "member_id", "scheduled_at"),
        Index(
            "ix_checkins_holding_answers",
            "closes_at",
            sqlite_where=text(HOLDS_ANSWERS),
            postgresql_where=text(HOLDS_ANSWERS),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(sa_column=_circle_fk())
    member_id: int = Field(sa_column=_member_fk())
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    period: str = Field(max_length=40)
    scheduled_at: datetime
    closes_at: datetime
    questions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="open", max_length=16)
    prompted_at: datetime | None = None
    reminders_sent: int = 0
    remind_at: datetime | None = None
    answers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    concern: bool = False
    answered_at: datetime | None = None
    late: bool = False
    skip_reason: str = Field(default="", max_length=300)


class CheckinDigestRow(SQLModel, table=True):
    """That a circle's period was digested: one row per (circle, period), whatever races."""

    __tablename__ = "checkin_digests"
    __table_args__ = (UniqueConstraint("circle_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(sa_column=_circle_fk())
    period: str = Field(max_length=40)
    sent_at: datetime


class FlagRow(SQLModel, table=True):
    __tablename__ = "flags"

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    member_id: int = Field(sa_column=_member_fk(index=True))
    circle_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("circles.id", ondelete="SET NULL"), index=True),
    )
    checkin_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("checkins.id", ondelete="SET NULL"), index=True),
    )
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(index=True)  # the retention purge's scan


class BlackoutRow(SQLModel, table=True):
    """Workspace holidays, first to last day inclusive."""

    __tablename__ = "blackouts"
    __table_args__ = (Index("ix_blackouts_workspace", "platform", "workspace_id", "first_day"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    first_day: date
    last_day: date
    created_at: datetime


def _optional_fk(target: str, *, index: bool = False) -> Column[int]:
    """A reference that outlives its row: set to NULL when the row it points at is deleted."""
    return Column(Integer, ForeignKey(target, ondelete="SET NULL"), nullable=True, index=index)


class KudosRow(SQLModel, table=True):
    """Recognition from one member to another. `dedupe_key` is unique, so a double click or a
    retried request stores one row whatever races; a revoked one keeps its row for the audit."""

    __tablename__ = "kudos"
    __table_args__ = (
        Index("ix_kudos_workspace_created", "platform", "workspace_id", "created_at"),
        Index("ix_kudos_giver_created", "giver_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    giver_id: int = Field(sa_column=_member_fk())
    recipient_id: int = Field(sa_column=_member_fk(index=True))
    reason: str = Field(max_length=300)
    value: str | None = Field(default=None, max_length=40)
    circle_id: int | None = Field(default=None, sa_column=_optional_fk("circles.id", index=True))
    created_at: datetime
    dedupe_key: str = Field(max_length=200, unique=True)
    revoked_at: datetime | None = None
    revoked_by_id: int | None = Field(default=None, sa_column=_optional_fk("members.id"))
    revoke_reason: str = Field(default="", max_length=300)


class MilestoneRow(SQLModel, table=True):
    """That a member reached a milestone: one row per (member, kind), whatever races."""

    __tablename__ = "milestones"
    __table_args__ = (UniqueConstraint("member_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(sa_column=_member_fk())
    kind: str = Field(max_length=32)
    reached_at: datetime


class AuditEntryRow(SQLModel, table=True):
    """A moderator's action, kept when the moderator's member row is deleted (actor NULL);
    `about_id` is the member it was about, if any (a member's export lists those)."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_workspace_created", "platform", "workspace_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    actor_id: int | None = Field(default=None, sa_column=_optional_fk("members.id"))
    about_id: int | None = Field(default=None, sa_column=_optional_fk("members.id", index=True))
    action: str = Field(max_length=40)
    subject: str = Field(max_length=200)
    detail: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        # A claim's order: a platform's waiting messages, most urgent first, then oldest.
        Index("ix_outbox_claim", "status", "platform", "priority", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    target: str = Field(max_length=100)
    text: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    created_at: datetime
    next_attempt_at: datetime
    claimed_at: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = Field(default=None, max_length=300)
    # Each button as {"label", "command", "style"}, in order. The server default fills the
    # column in for messages queued before it existed: no buttons.
    actions: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    # Which parts of the text are about which member, so that erasing one rewrites those parts
    # by who they are, never by their name's text: {"<member id>": [[start, end], [start, end,
    # "replacement"], ...]}. The server default fills the column in for messages queued before
    # it existed: none recorded.
    mentions: dict[str, list[list[int | str]]] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )
    # bot.kernel.model.Priority: 0 a concern, 1 everything else. The server default fills the
    # column in for messages queued before it existed: routine.
    priority: int = Field(
        default=1, sa_column=Column(SmallInteger, nullable=False, server_default="1")
    )


class SeenEventRow(SQLModel, table=True):
    """A platform delivery already handled: the primary key makes the first sighting the only
    one, whatever races; rows older than the platform's retries are deleted."""

    __tablename__ = "seen_events"

    key: str = Field(max_length=200, primary_key=True)
    seen_at: datetime = Field(index=True)
