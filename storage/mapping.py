"""Rows to the core's dataclasses and back. Lists are stored as JSON, weekly hours as their text."""

from __future__ import annotations

from datetime import datetime

from bot.model import (
    Cadence,
    CheckinAudience,
    Circle,
    CircleRole,
    CircleSettings,
    Destination,
    Member,
    MemberRef,
    Membership,
    OddPolicy,
    OutboxEntry,
    OutboxStatus,
    Profile,
    ProfileRole,
    WorkspaceRef,
)
from bot.weekly_hours import WeeklyHours
from storage.tables import CircleRow, MemberRow, MembershipRow, OutboxRow

DISPLAY_NAME_LIMIT = 100


def member_from_row(row: MemberRow) -> Member:
    profile = Profile(
        role=ProfileRole(row.role),
        timezone=row.timezone,
        stage=row.stage,
        subjects=tuple(row.subjects),
        languages=tuple(row.languages),
        hours=WeeklyHours.parse(row.hours) if row.hours else WeeklyHours(),
        quiet_hours=row.quiet_hours,
        bio=row.bio,
        capacity=row.capacity,
        public_kudos=row.public_kudos,
        listed=row.listed,
    )
    ref = MemberRef(row.platform, row.workspace_id, row.user_id)
    return Member(ref, row.display_name, row.is_moderator, profile, row.id)


def member_to_row(member: Member, row: MemberRow, now: datetime) -> None:
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
    row.public_kudos, row.listed = p.public_kudos, p.listed
    row.updated_at = now


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
    )
    workspace = WorkspaceRef(row.platform, row.workspace_id)
    return Circle(workspace, row.name, row.topic, settings, row.archived_at, row.created_at, row.id)


def circle_to_row(circle: Circle, row: CircleRow) -> None:
    s = circle.settings
    row.platform, row.workspace_id = circle.workspace.platform, circle.workspace.workspace_id
    row.name, row.name_key, row.topic = circle.name, circle.name.lower(), circle.topic
    row.cadence, row.day, row.time = s.cadence.value, s.day, s.time
    row.group_size, row.odd = s.group_size, s.odd.value
    row.checkin_audience, row.checkin_questions = (
        s.checkin_audience.value,
        list(s.checkin_questions),
    )
    row.channel, row.private = s.channel, s.private
    row.archived_at = circle.archived_at


def membership_from_rows(row: MembershipRow, member: MemberRow) -> Membership:
    return Membership(
        row.circle_id,
        member_from_row(member),
        CircleRole(row.role),
        row.facilitator,
        row.joined_at,
        row.id,
    )


def outbox_entry_from_row(row: OutboxRow) -> OutboxEntry:
    assert row.id is not None
    destination = Destination(WorkspaceRef(row.platform, row.workspace_id), row.kind, row.target)
    return OutboxEntry(
        id=row.id,
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
    )
