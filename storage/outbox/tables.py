"""The outbox table."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Column, Index, SmallInteger, Text, text
from sqlmodel import Field, SQLModel


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        # A claim's order: a platform's waiting messages, most urgent first, then by turn (each
        # workspace in its turn), then oldest.
        Index("ix_outbox_claim", "status", "platform", "priority", "turn", "id"),
        # A workspace's last turn among waiting messages, where its next message queues.
        Index("ix_outbox_workspace_turn", "status", "platform", "workspace_id", "turn"),
        # The claim (ix_outbox_claim's order) and the recovery of stale claims read only the
        # rows of their status: after ANALYZE, SQLite's planner otherwise weighs `status = ?`
        # by the average status (a quarter of the outbox, mostly sent) and scans the table.
        Index(
            "ix_outbox_pending",
            "platform",
            "priority",
            "turn",
            "id",
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index(
            "ix_outbox_sending",
            "claimed_at",
            sqlite_where=text("status = 'sending'"),
            postgresql_where=text("status = 'sending'"),
        ),
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
    # Where the message waits among its platform's others: see storage.outbox.turns. The server
    # default fills the column in for messages queued before it existed: first in line.
    turn: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))


class SendBudgetRow(SQLModel, table=True):
    """A shared send budget (storage.outbox.store, `reserve`, `plan` and `hold`): booked up to
    when, and held (a 429) up to when, in seconds since 1970 on the database's clock. One row a
    key: a platform, or a `Pace` key within one (a channel, a method in a workspace, a route),
    made on its first booking or hold."""

    __tablename__ = "send_budgets"

    key: str = Field(primary_key=True, max_length=200)
    booked_until: float | None = None
    held_until: float | None = None
