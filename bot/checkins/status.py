"""`/checkin status`: who stands where in a circle's latest check-in, for the moderators and the
circle's facilitators.

Rules: it never shows what anyone answered (`/checkin answers` does, for moderators). Moderators
see each person's state: answered (late or not), skipped with the reason, not answered yet,
missed, and who raised a concern. A facilitator, who may be a student the concern is about, sees
who answered and who has not, nothing more: no skip, reason, lateness or concern.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.checkins.messages import named, skip_note
from bot.kernel.command_refs import command_ref
from bot.kernel.local_time import shown, shown_day, workspace_zone
from bot.kernel.model import Cadence, Checkin, CheckinStatus, Circle, Member
from bot.kernel.settings import CoreSettings
from bot.kernel.text import neutralise

NAMES_SHOWN = 40


def describe_status(
    circle: Circle,
    checkins: Sequence[Checkin],
    audience: Sequence[Member],
    now: datetime,
    settings: CoreSettings,
    *,
    moderator: bool,
) -> str:
    """The status as `moderator` or, when not, as a facilitator may see it."""
    if not checkins:
        return _no_checkins_yet(circle)
    zone = workspace_zone(settings)
    rows = _moderators_rows(checkins, now, zone) if moderator else _facilitators_rows(checkins)
    first = min(c.scheduled_at for c in checkins)
    lines = [f"{circle.name}, check-in of {shown_day(first, zone)}: {len(checkins)} asked."]
    lines += [
        f"{label}: {len(group)}{named(group, note, NAMES_SHOWN)}" for label, group, note in rows
    ]
    asked = {c.member.id for c in checkins}
    waiting = [m for m in audience if m.id not in asked]
    if waiting:
        names = ", ".join(neutralise(m.display_name, 40) for m in waiting[:NAMES_SHOWN])
        lines.append(
            f"Not asked this time (their time had not come, or they joined later): {names}"
        )
    if not moderator:
        lines.append(FOR_MODERATORS)
    elif any(c.status is CheckinStatus.ANSWERED for c in checkins):
        lines.append(f"What they wrote: {command_ref(f'/checkin answers {circle.name}')}")
    return "\n".join(lines)


Row = tuple[str, Sequence[Checkin], Callable[[Checkin], str]]
FOR_MODERATORS = "Skip reasons, answers and concerns are for the moderators only."


def _facilitators_rows(checkins: Sequence[Checkin]) -> list[Row]:
    """Who answered and who has not: skipped, missed and still open alike, with no detail."""
    answered = _with(checkins, CheckinStatus.ANSWERED)
    others = [c for c in checkins if c.status is not CheckinStatus.ANSWERED]
    return [("Answered", answered, _nothing), ("Not answered", others, _nothing)]


def _nothing(checkin: Checkin) -> str:
    return ""


def _moderators_rows(checkins: Sequence[Checkin], now: datetime, zone: ZoneInfo) -> list[Row]:
    return [
        ("Answered", _with(checkins, CheckinStatus.ANSWERED), lambda c: " (late)" * c.late),
        ("Skipped", _with(checkins, CheckinStatus.SKIPPED), skip_note),
        (
            "Not answered yet",
            [c for c in checkins if c.status is CheckinStatus.OPEN and not c.is_closed(now)],
            lambda c: f" (open until {shown(c.closes_at, zone)})",
        ),
        (
            "Missed",
            [
                c
                for c in checkins
                if c.status is CheckinStatus.MISSED
                or (c.status is CheckinStatus.OPEN and c.is_closed(now))
            ],
            _nothing,
        ),
        ("Raised a concern", [c for c in checkins if c.concern], _nothing),
    ]


def _with(checkins: Sequence[Checkin], status: CheckinStatus) -> list[Checkin]:
    return [c for c in checkins if c.status is status]


def _no_checkins_yet(circle: Circle) -> str:
    s = circle.settings
    if s.cadence is Cadence.OFF:
        return (
            f"{circle.name} has no check-ins: it has no cadence. "
            f"{command_ref(f'/circle set {circle.name} cadence weekly')} starts them."
        )
    return (
        f"{circle.name} has had no check-ins yet. They go to its {s.checkin_audience.value} "
        f"({s.cadence.value}, {s.day} at {s.time}, in each member's own time zone)."
    )
