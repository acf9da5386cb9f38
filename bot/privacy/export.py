"""A member's data export (/privacy export): everything stored about them, as one JSON file.

Rules:
- the file is readable as it is (indented, UTF-8, times in ISO 8601 UTC) and machine-readable,
  with a `format` to tell versions apart;
- it holds the member's own records whole, and other people only as the names the member was
  shown: partners, whom they blocked, to and from whom kudos went, whom they reflected on or
  stay in touch with. Never another person's answer about a pairing (or reflection on it), and
  a pairing's end reason only to the one who wrote it; the meetings they rated, with their
  notes, but never a rating about them or who gave it;
- who acted in an audit entry about them is "you" or "a moderator or facilitator";
- the file is named for the day, in the member's own calendar.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.kernel.command_refs import command_ref
from bot.kernel.endings import QUESTION
from bot.kernel.model import AuditEntry, Checkin, Goal, Kudos, Member, Pairing, Reflection
from bot.kernel.replies import Attachment
from bot.privacy.ports import PersonalData

FORMAT = "mentor-circles-export/1"
MEDIA_TYPE = "application/json"
SOMEONE_MANAGING = "a moderator or facilitator"


def export_file(data: PersonalData, now: datetime, zone: ZoneInfo) -> Attachment:
    content = json.dumps(export_document(data, now), indent=2, ensure_ascii=False) + "\n"
    name = f"mentor-circles-export-{now.astimezone(zone):%Y-%m-%d}.json"
    return Attachment(name, content.encode("utf-8"), MEDIA_TYPE)


def export_document(data: PersonalData, now: datetime) -> dict[str, Any]:
    me = data.member
    names = data.circle_names
    return {
        "format": FORMAT,
        "exported_at": _when(now),
        "member": _member(me, data.member_since),
        "profile": _profile(me),
        "circles": [
            {
                "circle": circle.name,
                "role": m.role.value,
                "facilitator": m.facilitator,
                "joined_at": _when(m.joined_at),
            }
            for circle, m in data.memberships
        ],
        "buddy_requests": [
            {
                "subject": r.subject,
                "status": r.status.value,
                "created_at": _when(r.created_at),
                "expires_at": _when(r.expires_at),
            }
            for r in data.requests
        ],
        "pairings": [_pairing(p, me, names) for p in data.pairings],
        "checkins": [_checkin(c) for c in data.checkins],
        "kudos_given": [_kudos(k, "to", k.recipient, names) for k in data.kudos if _gave(k, me)],
        "kudos_received": [
            _kudos(k, "from", k.giver, names) for k in data.kudos if not _gave(k, me)
        ],
        "concerns_raised": [
            {
                "text": f.text,
                "circle": names.get(f.circle_id) if f.circle_id else None,
                "with_a_checkin": f.checkin_id is not None,
                "raised_at": _when(f.created_at),
            }
            for f in data.flags
        ],
        "milestones": [{"milestone": k.value, "reached_at": _when(t)} for k, t in data.milestones],
        "agreements_confirmed": [
            {"with": [m.display_name for m in p.others(me.id)], "confirmed_at": _when(at)}
            for p in data.pairings
            if (at := data.agreements.get(p.id)) is not None
        ],
        "blocked": [{"name": m.display_name, "since": _when(t)} for m, t in data.blocks],
        "audit_entries_about_me": [_audit(e, me) for e in data.audit],
        "goals": [_goal(g) for g in data.goals],
        "reflections": [_reflection(r) for r in data.reflections],
        "connections": [
            {"name": c.other.display_name, "since": _when(c.since)} for c in data.connections
        ],
        "meetings_i_rated": [
            {
                "buddy": buddy,
                "circle": names.get(r.circle_id) if r.circle_id else None,
                "rating": r.score,
                "note": r.note,
                "rated_at": _when(r.rated_at),
            }
            for r, buddy in data.ratings_given
        ],
    }


def export_summary(data: PersonalData, file_name: str) -> str:
    given = sum(_gave(k, data.member) for k in data.kudos)
    parts = [
        _count(len(data.memberships), "circle"),
        _count(len(data.requests), "buddy request"),
        _count(len(data.pairings), "pairing"),
        _count(len(data.checkins), "check-in") + " with your answers",
        f"{_count(given, 'kudos', 'kudos')} given and {len(data.kudos) - given} received",
        _count(len(data.flags), "concern") + " you raised",
        _count(len(data.milestones), "milestone"),
        _count(len(data.agreements), "agreement") + " you confirmed",
        _count(len(data.blocks), "block"),
        _count(len(data.goals), "goal") + " with their progress notes",
        _count(len(data.reflections), "reflection"),
        _count(len(data.connections), "connection"),
        _count(len(data.ratings_given), "meeting") + " you rated",
        _count(len(data.audit), "audit entry", "audit entries") + " about you",
    ]
    return (
        f"Here is everything stored about you, in {file_name}: your member record and profile, "
        f"{', '.join(parts[:-1])} and {parts[-1]}. It is JSON, readable in any text editor. "
        f"Only you got this file. {command_ref('/privacy delete')} erases your personal data."
    )


def _goal(goal: Goal) -> dict[str, Any]:
    return {
        "goal": goal.text,
        "status": goal.status.value,
        "by": goal.due_on.isoformat() if goal.due_on else None,
        "set_at": _when(goal.created_at),
        "closed_at": _when(goal.closed_at),
        "asked_about_its_day_at": _when(goal.asked_at),
        "progress_notes": [{"note": n.text, "written_at": _when(n.written_at)} for n in goal.notes],
    }


def _member(me: Member, since: datetime) -> dict[str, Any]:
    return {
        "display_name": me.display_name,
        "platform": me.ref.platform,
        "workspace_id": me.ref.workspace_id,
        "user_id": me.ref.user_id,
        "member_since": _when(since),
        "moderator": me.is_moderator,
        "marked_adult": me.adult,
        "bot": me.is_bot,
        "paused_until": _when(me.paused_until),
        "checkins_missed_in_a_row": me.missed_checkins,
        "still_in_asked_at": _when(me.still_in_asked_at),
        "rounds_without_a_word_in_a_row": me.quiet_rounds,
        "paused_for_going_quiet_at": _when(me.went_quiet_at),
        "unreachable_since": _when(me.unreachable_since),
        "unreachable_reason": me.unreachable_reason,
    }


def _profile(me: Member) -> dict[str, Any]:
    p = me.profile
    return {
        "role": p.role.value,
        "timezone": p.timezone,
        "stage": p.stage,
        "subjects": list(p.subjects),
        "languages": list(p.languages),
        "hours": str(p.hours) or None,
        "quiet_hours": p.quiet_hours,
        "bio": p.bio,
        "capacity": p.capacity,
        "public_kudos": p.public_kudos,
        "listed": p.listed,
        "buddy_pool": p.buddy_pool,
    }


def _pairing(p: Pairing, me: Member, names: dict[int, str]) -> dict[str, Any]:
    seat = p.seat_of(me.id)
    assert seat is not None
    return {
        "kind": p.kind.value,
        "circle": names.get(p.circle_id) if p.circle_id else None,
        "subject": p.subject,
        "partners": [m.display_name for m in p.others(me.id)],
        "started_at": _when(p.created_at),
        "ended_at": _when(p.ended_at),
        "my_role": seat.role.value,
        "why": seat.reasons,
        "did_we_meet": seat.answer.value if seat.answer else None,
        "answered_at": _when(seat.answered_at),
        "ended_by_me": p.ended_by_id == me.id,
        "my_reason_for_ending": p.end_reason if p.ended_by_id == me.id else None,
    }


def _reflection(r: Reflection) -> dict[str, Any]:
    """What they were asked when a pairing ended (bot.kernel.endings), and their answers."""
    return {
        "pairing_with": r.partner.display_name,
        "asked_at": _when(r.asked_at),
        "question": QUESTION,
        "my_reflection": r.text,
        "written_at": _when(r.written_at),
        "asked_to_stay_in_touch": r.stay_asked,
        "stay_in_touch": r.stay,
        "answered_at": _when(r.answered_at),
    }


def _checkin(c: Checkin) -> dict[str, Any]:
    answers = list(c.answers) + [""] * (len(c.questions) - len(c.answers))
    return {
        "circle": c.circle.name,
        "period": c.period,
        "scheduled_at": _when(c.scheduled_at),
        "closes_at": _when(c.closes_at),
        "status": c.status.value,
        "answers": [
            {"question": q, "answer": a} for q, a in zip(c.questions, answers, strict=False)
        ],
        "marked_as_concern": c.concern,
        "answered_at": _when(c.answered_at),
        "late": c.late,
        "skip_reason": c.skip_reason,
    }


def _kudos(k: Kudos, direction: str, other: Member, names: dict[int, str]) -> dict[str, Any]:
    return {
        direction: other.display_name,
        "reason": k.reason,
        "value": k.value,
        "circle": names.get(k.circle_id) if k.circle_id else None,
        "given_at": _when(k.created_at),
        "revoked": k.revoked_at is not None,
        "revoked_at": _when(k.revoked_at),
        "revoke_reason": k.revoke_reason,
    }


def _audit(e: AuditEntry, me: Member) -> dict[str, Any]:
    return {
        "at": _when(e.created_at),
        "action": e.action,
        "by": "you" if e.acted_by(me.id) else SOMEONE_MANAGING,
        "subject": e.subject,
        "detail": e.detail,
    }


def _gave(k: Kudos, me: Member) -> bool:
    return k.giver.id == me.id


def _when(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"
