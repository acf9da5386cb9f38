"""Pairing, seat and request rows to the core's pairings, seats and buddy requests and back.

Rule: a seat's `open_on_demand` is written from its pairing on every write (on demand and not
ended), so the partial unique index on it allows one open on-demand pairing per member.
"""

from __future__ import annotations

from bot.kernel.model import (
    BuddyRequest,
    MeetingAnswer,
    Member,
    NewBuddyRequest,
    NewPairing,
    NewSeat,
    Pairing,
    PairingKind,
    RequestStatus,
    Seat,
    SeatRole,
    WorkspaceRef,
)
from storage.buddies.tables import BuddyRequestRow, PairingRow, SeatRow
from storage.members.mapping import member_from_row
from storage.members.tables import MemberRow
from storage.saved import row_id


def seat_from_row(row: SeatRow, member: Member) -> Seat:
    return Seat(
        member=member,
        role=SeatRole(row.role),
        reasons=row.reasons,
        answer=MeetingAnswer(row.answer) if row.answer is not None else None,
        answered_at=row.answered_at,
        ask_at=row.ask_at,
        id=row_id(row),
    )


def seat_values(seat: NewSeat, pairing_id: int) -> dict[str, object]:
    """A new seat's columns, all but its id."""
    return {
        "pairing_id": pairing_id,
        "member_id": seat.member.id,
        "role": seat.role.value,
        "reasons": seat.reasons,
    }


def seat_changes(seat: NewSeat, pairing: NewPairing) -> dict[str, object]:
    """What a seat may change after the pairing is made, and the copy of "open on demand"."""
    return {
        "answer": seat.answer.value if seat.answer is not None else None,
        "answered_at": seat.answered_at,
        "ask_at": seat.ask_at,
        "open_on_demand": is_open_on_demand(pairing),
    }


def is_open_on_demand(pairing: NewPairing) -> bool:
    return pairing.kind is PairingKind.ON_DEMAND and pairing.ended_at is None


def pairing_from_row(row: PairingRow, seats: list[Seat]) -> Pairing:
    return Pairing(
        workspace=WorkspaceRef(row.platform, row.workspace_id),
        kind=PairingKind(row.kind),
        seats=seats,
        created_at=row.created_at,
        circle_id=row.circle_id,
        round_id=row.round_id,
        subject=row.subject,
        ended_at=row.ended_at,
        end_reason=row.end_reason,
        ended_by_id=row.ended_by_id,
        id=row_id(row),
    )


def pairing_values(pairing: NewPairing) -> dict[str, object]:
    """A new pairing's columns, all but its id."""
    return {
        "platform": pairing.workspace.platform,
        "workspace_id": pairing.workspace.workspace_id,
        "kind": pairing.kind.value,
        "circle_id": pairing.circle_id,
        "round_id": pairing.round_id,
        "subject": pairing.subject,
        "created_at": pairing.created_at,
    } | pairing_changes(pairing)


def pairing_changes(pairing: NewPairing) -> dict[str, object]:
    """What a pairing may change once made: its end."""
    return {
        "ended_at": pairing.ended_at,
        "end_reason": pairing.end_reason,
        "ended_by_id": pairing.ended_by_id,
    }


def request_from_rows(row: BuddyRequestRow, member: MemberRow) -> BuddyRequest:
    return request_of(row, member_from_row(member))


def request_of(row: BuddyRequestRow, member: Member) -> BuddyRequest:
    """The request in `row`, of a member already read."""
    return BuddyRequest(
        member=member,
        created_at=row.created_at,
        expires_at=row.expires_at,
        subject=row.subject,
        status=RequestStatus(row.status),
        id=row_id(row),
    )


def request_to_row(request: NewBuddyRequest, row: BuddyRequestRow) -> None:
    row.subject, row.status = request.subject, request.status.value
    row.created_at, row.expires_at = request.created_at, request.expires_at
