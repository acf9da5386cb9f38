"""Outbox rows to the core's outbox entries, and outgoing messages to rows. A message's buttons
are stored as a JSON list of objects, whom its parts are about as a JSON object by member id."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.kernel.model import (
    Action,
    Destination,
    Mention,
    OutboxEntry,
    OutboxStatus,
    OutgoingMessage,
    Priority,
    WorkspaceRef,
)
from storage.outbox.tables import OutboxRow
from storage.saved import row_id


def outbox_entry_from_row(row: OutboxRow) -> OutboxEntry:
    destination = Destination(WorkspaceRef(row.platform, row.workspace_id), row.kind, row.target)
    return OutboxEntry(
        id=row_id(row),
        key=row.key,
        destination=destination,
        text=row.text,
        status=OutboxStatus(row.status),
        attempts=row.attempts,
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at,
        claimed_at=row.claimed_at,
        sent_at=row.sent_at,
        last_error=row.last_error,
        actions=actions_from_json(row.actions),
        priority=Priority(row.priority),
    )


def outgoing_values(message: OutgoingMessage, now: datetime) -> dict[str, Any]:
    """The columns of a message queued now: pending, due at once or at its `not_before`."""
    destination = message.destination
    return {
        "key": message.key,
        "platform": destination.workspace.platform,
        "workspace_id": destination.workspace.workspace_id,
        "kind": destination.kind,
        "target": destination.target,
        "text": message.text,
        "status": "pending",
        "attempts": 0,
        "created_at": now,
        "next_attempt_at": max(now, message.not_before or now),
        "actions": actions_to_json(message.actions),
        "mentions": mentions_to_json(message.mentions),
        "priority": int(message.priority),
    }


def actions_to_json(actions: tuple[Action, ...]) -> list[dict[str, str]]:
    return [{"label": a.label, "command": a.command, "style": a.style} for a in actions]


def actions_from_json(stored: list[dict[str, str]]) -> tuple[Action, ...]:
    """The buttons in their stored order; a missing style is the platform's default."""
    return tuple(Action(a["label"], a["command"], a.get("style", "")) for a in stored)


def mentions_to_json(mentions: Sequence[Mention]) -> dict[str, list[list[int | str]]]:
    """{"<member id>": [[start, end], [start, end, instead], ...]}: member ids as keys, so a
    query can find a member's messages by `"<id>"` in the stored text."""
    stored: dict[str, list[list[int | str]]] = {}
    for m in mentions:
        span: list[int | str] = (
            [m.start, m.end] if m.instead is None else [m.start, m.end, m.instead]
        )
        stored.setdefault(str(m.member_id), []).append(span)
    return stored


def mentions_from_json(stored: dict[str, list[list[int | str]]]) -> tuple[Mention, ...]:
    return tuple(
        Mention(int(member_id), int(span[0]), int(span[1]), str(span[2]) if len(span) > 2 else None)
        for member_id, spans in stored.items()
        for span in spans
    )
