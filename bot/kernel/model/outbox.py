"""What the outbox carries: where a message goes (`Destination`), how urgent it is
(`Priority`), its buttons (`Action`), the parts of it about members (`Mention`), the message to
queue (`OutgoingMessage`) and the stored row (`OutboxEntry`, with its `OutboxStatus`).

Rules: a message's key makes it idempotent (queued once, whatever repeats); concerns go before
anything routine; a button's command stays under the platforms' 100 characters; a member's
erasure rewrites the parts of a message recorded as theirs, found by id, never by name."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum

from bot.kernel.model.identity import MemberRef, WorkspaceRef


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
