"""Circle and membership rows to the core's circles and memberships and back. A circle's name is
also stored lower-cased (`name_key`), which is what makes names unique whatever the case."""

from __future__ import annotations

from datetime import datetime

from bot.kernel.model import (
    Cadence,
    CheckinAudience,
    Circle,
    CircleRole,
    CircleSettings,
    Member,
    Membership,
    NewCircle,
    OddPolicy,
    WorkspaceRef,
)
from storage.circles.tables import CircleRow, MembershipRow
from storage.members.mapping import member_from_row
from storage.members.tables import MemberRow
from storage.saved import row_id


def circle_from_row(row: CircleRow) -> Circle:
    settings = CircleSettings(
        cadence=Cadence(row.cadence),
        day=row.day,
        time=row.time,
        group_size=row.group_size,
        odd=OddPolicy(row.odd),
        checkin_audience=CheckinAudience(row.checkin_audience),
        checkin_questions=tuple(row.checkin_questions),
        channel=row.channel,
        private=row.private,
        agreement=row.agreement,
    )
    workspace = WorkspaceRef(row.platform, row.workspace_id)
    return Circle(
        workspace,
        row.name,
        row.topic,
        settings,
        row.archived_at,
        row.created_at,
        schedule_since=row.schedule_since,
        id=row_id(row),
    )


def circle_to_row(circle: NewCircle, row: CircleRow) -> None:
    s = circle.settings
    schedule = (s.cadence.value, s.day, s.time, circle.archived_at)
    if (row.cadence, row.day, row.time, row.archived_at) != schedule:
        row.round_due_at = round_check(circle)
    row.platform, row.workspace_id = circle.workspace.platform, circle.workspace.workspace_id
    row.name, row.name_key, row.topic = circle.name, circle.name.lower(), circle.topic
    row.cadence, row.day, row.time = s.cadence.value, s.day, s.time
    row.group_size, row.odd = s.group_size, s.odd.value
    row.checkin_audience, row.checkin_questions = (
        s.checkin_audience.value,
        list(s.checkin_questions),
    )
    row.channel, row.private = s.channel, s.private
    row.agreement = s.agreement
    row.archived_at, row.schedule_since = circle.archived_at, circle.schedule_since


def round_check(circle: NewCircle) -> datetime | None:
    """When the round job should first look at a circle whose schedule is new: at once (the
    schedule's start), or never while it has no cadence or is archived."""
    if circle.settings.cadence is Cadence.OFF or circle.archived_at is not None:
        return None
    return circle.schedule_since or circle.created_at


def membership_from_rows(row: MembershipRow, member: MemberRow) -> Membership:
    return membership_of(row, member_from_row(member))


def membership_of(row: MembershipRow, member: Member) -> Membership:
    """The membership in `row`, of a member already read."""
    return Membership(
        row.circle_id,
        member,
        CircleRole(row.role),
        row.facilitator,
        row.joined_at,
        row.sit_outs,
        id=row_id(row),
    )


def membership_to_row(membership: Membership, row: MembershipRow) -> None:
    """What may change after joining; the circle, the member and the join time stay."""
    row.role, row.facilitator = membership.role.value, membership.facilitator
    row.sit_outs = membership.sit_outs
