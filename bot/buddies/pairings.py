"""Putting people together: the pairing, each seat's reasons, and the message each person gets.

Rules: every person learns who their partners are and why, in their own time zone, each
partner's name and line of reasons recorded as theirs (bot.kernel.mentions); that introduction is
told once, by DM, where it lasts: whoever's command made the pairing (a /findbuddy that found
someone waiting, a /round run from inside the circle) is answered with who, and that the
introduction is in their DMs, never with the introduction again; the message is keyed by
pairing and person, so it is queued once however often the work is retried; both are
asked "did you meet?" a few days later, with the answers as buttons and as commands to type.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.buddies.fit import Seeker, reasons
from bot.kernel.command_refs import command_ref
from bot.kernel.mentions import Composer
from bot.kernel.model import (
    Action,
    Destination,
    MeetingAnswer,
    Member,
    NewPairing,
    NewSeat,
    OutgoingMessage,
    Pairing,
    PairingKind,
    Seat,
    SeatRole,
    WorkspaceRef,
)
from bot.kernel.pairing_start import introduction_extras
from bot.kernel.ports import UnitOfWork
from bot.kernel.quiet_hours import ScheduledMessages
from bot.kernel.settings import CoreSettings
from bot.kernel.text import neutralise, typed_mention

REASONS_LIMIT = 500


@dataclass(frozen=True)
class PairingPlan:
    """Who goes together and on what terms; `repeats` are pairs that met in recent rounds."""

    workspace: WorkspaceRef
    kind: PairingKind
    seekers: tuple[Seeker, ...]
    circle_id: int | None = None
    round_id: int | None = None
    subject: str | None = None
    repeats: frozenset[tuple[int, int]] = frozenset()


def explain(plan: PairingPlan, reader: Seeker, settings: CoreSettings, monday: datetime) -> str:
    """The reader's reasons: one line for a pair, one per partner in a group."""
    lines = []
    for other in plan.seekers:
        if other is reader:
            continue
        key = tuple(sorted((reader.member.id, other.member.id)))
        said = "; ".join(reasons(reader, other, settings, monday, key in plan.repeats))
        lines.append(said if len(plan.seekers) == 2 else f"{other.member.display_name}: {said}")
    return "\n".join(lines)[:REASONS_LIMIT]


async def start_pairing(
    uow: UnitOfWork, plan: PairingPlan, now: datetime, settings: CoreSettings, monday: datetime
) -> Pairing:
    return await uow.buddies.add_pairing(new_pairing(plan, now, settings, monday))


def new_pairing(
    plan: PairingPlan, now: datetime, settings: CoreSettings, monday: datetime
) -> NewPairing:
    """The pairing the plan makes, each seat with its reasons, not yet stored."""
    ask_at = now + timedelta(days=settings.matching.meeting_check_days)
    has_mentee = any(not s.is_mentor for s in plan.seekers)
    has_mentor = any(s.is_mentor for s in plan.seekers)
    seats = [
        NewSeat(
            member=s.member,
            role=_seat_role(s.is_mentor, has_mentor and has_mentee),
            reasons=explain(plan, s, settings, monday),
            ask_at=ask_at,
        )
        for s in plan.seekers
    ]
    return NewPairing(
        workspace=plan.workspace,
        kind=plan.kind,
        seats=seats,
        created_at=now,
        circle_id=plan.circle_id,
        round_id=plan.round_id,
        subject=plan.subject,
    )


def why(seat: Seat) -> str:
    return f"Why: {seat.reasons}." if "\n" not in seat.reasons else f"Why:\n{seat.reasons}"


async def tell_matched(
    uow: UnitOfWork,
    pairing: Pairing,
    seat: Seat,
    opening: str,
    now: datetime,
    days: int,
    scheduled: ScheduledMessages | None = None,
    first_as_mentor: Collection[int] | None = None,
) -> None:
    """DM the seat's member their match and why; held for their quiet hours and holidays when
    `scheduled` is given (a round, or a match made by someone else's command).
    `first_as_mentor`: see bot.kernel.pairing_start.introduction_extras."""
    text = Composer()
    text.add(f"{opening} ")
    _partners_into(text, pairing, seat)
    text.add(". ")
    _why_into(text, pairing, seat)
    await introduction_extras(uow, text, pairing, seat, now, first_as_mentor)
    text.add(
        f"\nSay hello to them directly. In {days} days I'll ask whether you met; "
        f"{command_ref('/buddy')} shows this again."
    )
    key = f"pairing:{pairing.id}:matched:{seat.member.id}"
    destination = Destination.dm(seat.member.ref)
    message = OutgoingMessage(key, destination, text.text, mentions=text.mentions)
    if scheduled is None:
        await uow.outbox.add(message, now)
    else:
        await scheduled.queue(seat.member, message, now)


def _partners_into(text: Composer, pairing: Pairing, seat: Seat) -> None:
    """`partners_line`, each name a mention of its partner."""
    others = pairing.others(seat.member.id)
    for n, other in enumerate(others):
        text.add("" if n == 0 else " and " if n == len(others) - 1 else ", ")
        text.about(other.id, other.display_name)


def _why_into(text: Composer, pairing: Pairing, seat: Seat) -> None:
    """`why`; in a group, each partner's line (the lines follow the seats, as `explain` wrote
    them) a mention of that partner, with the line break before it, so erasing them takes the
    whole line."""
    others = pairing.others(seat.member.id)
    lines = seat.reasons.split("\n")
    if len(lines) == 1:
        text.add(why(seat))
        return
    text.add("Why:")
    for n, line in enumerate(lines):
        if len(lines) <= len(others):  # fewer only when cut to fit: the last ones are missing
            text.about(others[n].id, "\n" + line, instead="")
        else:
            text.add("\n" + line)


def ended_for_moderators(ender: Member, pairing: Pairing, reason: str) -> Composer:
    """What the moderators are told when someone ends a pairing with a reason (they alone see
    it): who, with whom, and the reason, shown neutralised; each name recorded as its
    member's, so the report outlives the erasure of whoever it is about."""
    text = Composer()
    text.about(ender.id, ender.display_name)
    text.add(" ended their buddy pairing with ")
    for n, other in enumerate(pairing.others(ender.id)):
        text.add(", " if n else "")
        text.about(other.id, other.display_name)
    text.add(f". Their reason, for the moderators only: {neutralise(reason, 300)}")
    return text


def meeting_question(pairing: Pairing, seat: Seat) -> str:
    """The "did you meet?" message, with the four answers as commands."""
    others = pairing.others(seat.member.id)
    who = pairing.partners_line(seat)
    handle = typed_mention(others[0].ref) if others else "@buddy"
    answers = ", ".join(command_ref(f"/buddy {a.value} {handle}") for a in MeetingAnswer)
    end = command_ref(f"/buddy end {handle}")
    return f"Did you meet {who}? Answer with {answers}, or {end} to end the pairing."


MEETING_BUTTONS = (
    ("We met", MeetingAnswer.MET, "primary"),
    ("Not yet", MeetingAnswer.NOT_YET, ""),
    ("We couldn't", MeetingAnswer.COULDNT, ""),
)


def meeting_actions(pairing: Pairing, seat: Seat) -> tuple[Action, ...]:
    """The answers to "did you meet?" as buttons, about the first partner (one answer is the
    seat's, whoever it names)."""
    others = pairing.others(seat.member.id)
    if not others:
        return ()
    mention = f"<@{others[0].ref.user_id}>"
    return tuple(
        Action(label, f"/buddy {answer.value} {mention}", style)
        for label, answer, style in MEETING_BUTTONS
    )


def _seat_role(is_mentor: bool, mixed: bool) -> SeatRole:
    if not mixed:
        return SeatRole.PEER
    return SeatRole.MENTOR if is_mentor else SeatRole.MENTEE
