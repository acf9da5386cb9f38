"""Member rows to the core's members and back. Lists are stored as JSON, weekly hours as their
text; a display name and an unreachable reason are cut to what their columns hold."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from bot.kernel.model import Member, MemberRef, NewMember, Profile, ProfileRole
from bot.kernel.weekly_hours import WeeklyHours
from storage.members.tables import MemberRow
from storage.saved import row_id

DISPLAY_NAME_LIMIT = 100
UNREACHABLE_REASON_LIMIT = 200


def member_from_row(row: MemberRow) -> Member:
    profile = Profile(
        role=ProfileRole(row.role),
        timezone=row.timezone,
        stage=row.stage,
        subjects=tuple(row.subjects),
        languages=tuple(row.languages),
        hours=_hours(row.hours) if row.hours else WeeklyHours(),
        quiet_hours=row.quiet_hours,
        bio=row.bio,
        capacity=row.capacity,
        public_kudos=row.public_kudos,
        listed=row.listed,
        buddy_pool=row.buddy_pool,
    )
    ref = MemberRef(row.platform, row.workspace_id, row.user_id)
    return Member(
        ref,
        row.display_name,
        row.is_moderator,
        profile,
        row.paused_until,
        missed_checkins=row.missed_checkins,
        still_in_asked_at=row.still_in_asked_at,
        quiet_rounds=row.quiet_rounds,
        went_quiet_at=row.went_quiet_at,
        is_bot=row.is_bot,
        unreachable_since=row.unreachable_since,
        unreachable_reason=row.unreachable_reason,
        erased_at=row.erased_at,
        adult=row.adult,
        id=row_id(row),
    )


def member_to_row(member: NewMember, row: MemberRow, now: datetime) -> None:
    p = member.profile
    row.platform, row.workspace_id, row.user_id = (
        member.ref.platform,
        member.ref.workspace_id,
        member.ref.user_id,
    )
    row.display_name = member.display_name[:DISPLAY_NAME_LIMIT]
    row.is_moderator = member.is_moderator
    row.role = p.role.value
    row.timezone, row.stage, row.quiet_hours = p.timezone, p.stage, p.quiet_hours
    row.subjects, row.languages = list(p.subjects), list(p.languages)
    row.hours = str(p.hours)
    row.bio, row.capacity = p.bio, p.capacity
    row.public_kudos, row.listed, row.buddy_pool = p.public_kudos, p.listed, p.buddy_pool
    row.adult = member.adult
    row.paused_until = member.paused_until
    row.missed_checkins, row.still_in_asked_at = member.missed_checkins, member.still_in_asked_at
    row.quiet_rounds, row.went_quiet_at = member.quiet_rounds, member.went_quiet_at
    row.is_bot = member.is_bot
    row.unreachable_since = member.unreachable_since
    reason = member.unreachable_reason
    row.unreachable_reason = reason[:UNREACHABLE_REASON_LIMIT] if reason is not None else None
    row.erased_at = member.erased_at
    row.updated_at = now


@lru_cache(maxsize=4096)
def _hours(text: str) -> WeeklyHours:
    """A stored week's hours, read once per text (a round reads thousands that share a few)."""
    return WeeklyHours.parse(text)
