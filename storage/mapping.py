"""Rows to the core's dataclasses and back. Lists are stored as JSON (a message's buttons as a list
of objects), weekly hours as their text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.kernel.model import (
    Action,
    AuditEntry,
    Blackout,
    BuddyRequest,
    Cadence,
    Checkin,
    CheckinAudience,
    CheckinStatus,
    Circle,
    CircleRole,
    CircleSettings,
    Destination,
    Flag,
    Kudos,
    MeetingAnswer,
    Member,
    MemberRef,
    Membership,
    Mention,
    OddPolicy,
    OutboxEntry,
    OutboxStatus,
    Pairing,
    PairingKind,
    PairingRound,
    Priority,
    Profile,
    ProfileRole,
    RequestStatus,
    Seat,
    SeatRole,
    WorkspaceRef,
)
from bot.kernel.weekly_hours import WeeklyHours
from storage.tables import (
    AuditEntryRow,
    BlackoutRow,
    BuddyRequestRow,
    CheckinRow,
    CircleRow,
    FlagRow,
    KudosRow,
    MemberRow,
    MembershipRow,
    OutboxRow,
    PairingRoundRow,
    PairingRow,
    SeatRow,
)

DISPLAY_NAME_LIMIT = 100
SKIP_REASON_LIMIT = 300
KUDOS_TEXT_LIMIT = 300
KUDOS_VALUE_LIMIT = 40
AUDIT_SUBJECT_LIMIT = 200
UNREACHABLE_REASON_LIMIT = 200
DELETED = "(deleted)"


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
        buddy_pool=row.buddy_pool,
    )
    ref = MemberRef(row.platform, row.workspace_id, row.user_id)
    return Member(
        ref,
        row.display_name,
        row.is_moderator,
        profile,
        row.id,
        row.paused_until,
        missed_checkins=row.missed_checkins,
        still_in_asked_at=row.still_in_asked_at,
        is_bot=row.is_bot,
        unreachable_since=row.unreachable_since,
        unreachable_reason=row.unreachable_reason,
        erased_at=row.erased_at,
        adult=row.adult,
    )


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
    row.public_kudos, row.listed, row.buddy_pool = p.public_kudos, p.listed, p.buddy_pool
    row.adult = member.adult
    row.paused_until = member.paused_until
    row.missed_checkins, row.still_in_asked_at = member.missed_checkins, member.still_in_asked_at
    row.is_bot = member.is_bot
    row.unreachable_since = member.unreachable_since
    reason = member.unreachable_reason
    row.unreachable_reason = reason[:UNREACHABLE_REASON_LIMIT] if reason is not None else None
    row.erased_at = member.erased_at
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
    return Circle(
        workspace,
        row.name,
        row.topic,
        settings,
        row.archived_at,
        row.created_at,
        row.id,
        schedule_since=row.schedule_since,
    )


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
    row.archived_at, row.schedule_since = circle.archived_at, circle.schedule_since


def membership_from_rows(row: MembershipRow, member: MemberRow) -> Membership:
    return Membership(
        row.circle_id,
        member_from_row(member),
        CircleRole(row.role),
        row.facilitator,
        row.joined_at,
        row.id,
        row.sit_outs,
    )


def membership_to_row(membership: Membership, row: MembershipRow) -> None:
    """What may change after joining; the circle, the member and the join time stay."""
    row.role, row.facilitator = membership.role.value, membership.facilitator
    row.sit_outs = membership.sit_outs


def seat_from_row(row: SeatRow, member: Member) -> Seat:
    return Seat(
        member=member,
        role=SeatRole(row.role),
        reasons=row.reasons,
        answer=MeetingAnswer(row.answer) if row.answer is not None else None,
        answered_at=row.answered_at,
        ask_at=row.ask_at,
        id=row.id,
    )


def seat_to_row(seat: Seat, pairing: Pairing, row: SeatRow) -> None:
    """What a seat may change after the pairing is made, and the copy of "open on demand"."""
    row.answer = seat.answer.value if seat.answer is not None else None
    row.answered_at, row.ask_at = seat.answered_at, seat.ask_at
    row.open_on_demand = is_open_on_demand(pairing)


def is_open_on_demand(pairing: Pairing) -> bool:
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
        id=row.id,
    )


def pairing_to_row(pairing: Pairing) -> PairingRow:
    return PairingRow(
        platform=pairing.workspace.platform,
        workspace_id=pairing.workspace.workspace_id,
        kind=pairing.kind.value,
        circle_id=pairing.circle_id,
        round_id=pairing.round_id,
        subject=pairing.subject,
        created_at=pairing.created_at,
        ended_at=pairing.ended_at,
        end_reason=pairing.end_reason,
        ended_by_id=pairing.ended_by_id,
    )


def request_from_rows(row: BuddyRequestRow, member: MemberRow) -> BuddyRequest:
    return BuddyRequest(
        member=member_from_row(member),
        created_at=row.created_at,
        expires_at=row.expires_at,
        subject=row.subject,
        status=RequestStatus(row.status),
        id=row.id,
    )


def request_to_row(request: BuddyRequest, row: BuddyRequestRow) -> None:
    row.subject, row.status = request.subject, request.status.value
    row.created_at, row.expires_at = request.created_at, request.expires_at


def round_from_row(row: PairingRoundRow) -> PairingRound:
    return PairingRound(row.circle_id, row.period, row.ran_at, row.id)


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
        id=row.id,
    )


def checkin_to_row(checkin: Checkin, row: CheckinRow) -> None:
    """What a check-in may change after it opens; its circle, member, period, window and
    questions stay. A skip reason is cut to what the column holds."""
    for column, value in _changeable(checkin).items():
        setattr(row, column, value)


def checkin_values(checkin: Checkin) -> dict[str, object]:
    """The columns of a new check-in, for an INSERT of many at once (plain values, no model)."""
    assert checkin.circle.id is not None
    assert checkin.member.id is not None
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


def _changeable(checkin: Checkin) -> dict[str, object]:
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


def flag_to_row(flag: Flag) -> FlagRow:
    assert flag.member.id is not None
    return FlagRow(
        platform=flag.workspace.platform,
        workspace_id=flag.workspace.workspace_id,
        member_id=flag.member.id,
        circle_id=flag.circle_id,
        checkin_id=flag.checkin_id,
        text=flag.text,
        created_at=flag.created_at,
    )


def kudos_from_row(
    row: KudosRow, giver: Member, recipient: Member, revoked_by: Member | None
) -> Kudos:
    return Kudos(
        workspace=WorkspaceRef(row.platform, row.workspace_id),
        giver=giver,
        recipient=recipient,
        reason=row.reason,
        created_at=row.created_at,
        dedupe_key=row.dedupe_key,
        value=row.value,
        circle_id=row.circle_id,
        revoked_at=row.revoked_at,
        revoked_by=revoked_by,
        revoke_reason=row.revoke_reason,
        id=row.id,
    )


def kudos_values(kudos: Kudos) -> dict[str, object]:
    """The columns of a new kudos, for an INSERT ... ON CONFLICT (plain values, no model). The
    texts are cut to what their columns hold."""
    assert kudos.giver.id is not None
    assert kudos.recipient.id is not None
    return {
        "platform": kudos.workspace.platform,
        "workspace_id": kudos.workspace.workspace_id,
        "giver_id": kudos.giver.id,
        "recipient_id": kudos.recipient.id,
        "reason": kudos.reason[:KUDOS_TEXT_LIMIT],
        "value": kudos.value[:KUDOS_VALUE_LIMIT] if kudos.value is not None else None,
        "circle_id": kudos.circle_id,
        "created_at": kudos.created_at,
        "dedupe_key": kudos.dedupe_key,
        **_revocation(kudos),
    }


def kudos_to_row(kudos: Kudos, row: KudosRow) -> None:
    """What a kudos may change after it is given: its revocation."""
    for column, value in _revocation(kudos).items():
        setattr(row, column, value)


def _revocation(kudos: Kudos) -> dict[str, object]:
    revoked_by = kudos.revoked_by.id if kudos.revoked_by is not None else None
    return {
        "revoked_at": kudos.revoked_at,
        "revoked_by_id": revoked_by,
        "revoke_reason": kudos.revoke_reason[:KUDOS_TEXT_LIMIT],
    }


def audit_entry_from_row(
    row: AuditEntryRow, actor: MemberRow | None, about: MemberRow | Member | None = None
) -> AuditEntry:
    """An actor whose member row was deleted comes back as a placeholder named "(deleted)",
    without an id. Whom it is about is left out unless given (read with the entry)."""
    workspace = WorkspaceRef(row.platform, row.workspace_id)
    return AuditEntry(
        workspace=workspace,
        actor=member_from_row(actor) if actor is not None else deleted_member(workspace),
        action=row.action,
        subject=row.subject,
        detail=row.detail,
        created_at=row.created_at,
        id=row.id,
        about=member_from_row(about) if isinstance(about, MemberRow) else about,
    )


def deleted_member(workspace: WorkspaceRef) -> Member:
    return Member(workspace.member(""), DELETED)


def audit_entry_to_row(entry: AuditEntry) -> AuditEntryRow:
    return AuditEntryRow(
        platform=entry.workspace.platform,
        workspace_id=entry.workspace.workspace_id,
        actor_id=entry.actor.id,
        about_id=entry.about.id if entry.about is not None else None,
        action=entry.action,
        subject=entry.subject[:AUDIT_SUBJECT_LIMIT],
        detail=entry.detail,
        created_at=entry.created_at,
    )


def blackout_from_row(row: BlackoutRow) -> Blackout:
    return Blackout(
        workspace=WorkspaceRef(row.platform, row.workspace_id),
        first=row.first_day,
        last=row.last_day,
        created_at=row.created_at,
        id=row.id,
    )


def blackout_to_row(blackout: Blackout) -> BlackoutRow:
    return BlackoutRow(
        platform=blackout.workspace.platform,
        workspace_id=blackout.workspace.workspace_id,
        first_day=blackout.first,
        last_day=blackout.last,
        created_at=blackout.created_at,
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
        actions=actions_from_json(row.actions),
        priority=Priority(row.priority),
    )


def actions_to_json(actions: tuple[Action, ...]) -> list[dict[str, str]]:
    return [{"label": a.label, "command": a.command, "style": a.style} for a in actions]


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


def actions_from_json(stored: list[dict[str, str]]) -> tuple[Action, ...]:
    """The buttons in their stored order; a missing style is the platform's default."""
    return tuple(Action(a["label"], a["command"], a.get("style", "")) for a in stored)
