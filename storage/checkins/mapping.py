"""Check-in rows to the core's check-ins and back. Questions and answers are stored as JSON
lists; a skip reason is cut to what its column holds."""

from __future__ import annotations

from bot.kernel.model import Checkin, CheckinStatus, Circle, Member, NewCheckin
from storage.checkins.tables import CheckinRow
from storage.saved import row_id

SKIP_REASON_LIMIT = 300


def checkin_from_row(row: CheckinRow, circle: Circle, member: Member) -> Checkin:
    return Checkin(
        circle=circle,
        member=member,
        period=row.period,
        scheduled_at=row.scheduled_at,
        closes_at=row.closes_at,
        questions=tuple(row.questions),
        status=CheckinStatus(row.status),
        prompted_at=row.prompted_at,
        reminders_sent=row.reminders_sent,
        remind_at=row.remind_at,
        answers=tuple(row.answers),
        concern=row.concern,
        answered_at=row.answered_at,
        late=row.late,
        skip_reason=row.skip_reason,
        id=row_id(row),
    )


def checkin_to_row(checkin: NewCheckin, row: CheckinRow) -> None:
    """What a check-in may change after it opens; its circle, member, period, window and
    questions stay. A skip reason is cut to what the column holds."""
    for column, value in _changeable(checkin).items():
        setattr(row, column, value)


def checkin_values(checkin: NewCheckin) -> dict[str, object]:
    """The columns of a new check-in, for an INSERT of many at once (plain values, no model)."""
    return {
        "circle_id": checkin.circle.id,
        "member_id": checkin.member.id,
        "platform": checkin.circle.workspace.platform,
        "workspace_id": checkin.circle.workspace.workspace_id,
        "period": checkin.period,
        "scheduled_at": checkin.scheduled_at,
        "closes_at": checkin.closes_at,
        "questions": list(checkin.questions),
        **_changeable(checkin),
    }


def _changeable(checkin: NewCheckin) -> dict[str, object]:
    return {
        "status": checkin.status.value,
        "prompted_at": checkin.prompted_at,
        "reminders_sent": checkin.reminders_sent,
        "remind_at": checkin.remind_at,
        "answers": list(checkin.answers),
        "concern": checkin.concern,
        "answered_at": checkin.answered_at,
        "late": checkin.late,
        "skip_reason": checkin.skip_reason[:SKIP_REASON_LIMIT],
    }
