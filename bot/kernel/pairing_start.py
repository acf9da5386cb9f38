"""The start of a pairing: what an introduction says about each partner, the agreement a mentor
and a mentee confirm, and a new mentor's first tips.

Rules:
- an introduction shows a partner's bio only when they wrote one (it is theirs to share, and
  `/profile set bio -` takes it back), neutralised and recorded as theirs (bot.kernel.mentions),
  so erasing them takes the whole line;
- it carries ONE conversation starter, the same for everyone in the pairing, drawn from what
  they all share: the pairing's subject or a shared subject, else a shared language, else a
  shared stage, else a general one; which one is chosen by who is in it (no chance: the same
  people always read the same, whatever else happens in the workspace or any other);
- the agreement goes to every seat of a pairing with a mentor and a mentee (never to peers),
  unless its circle turned agreements off; it is held for quiet hours and holidays, keyed by
  pairing and person (queued once), and carries an "I agree" button and the line to type;
- a school's own agreement replaces the team's words (`[mentoring] agreement_file`); the line
  on how often to meet always comes from the circle's cadence;
- a mentor's first introduction as a mentor, and their first check-in prompt, each come with a
  few tips, once each (recorded as milestones, whatever retries).
"""

from __future__ import annotations

import zlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from bot.kernel.command_refs import command_ref
from bot.kernel.mentions import Composer
from bot.kernel.model import (
    Action,
    Cadence,
    Circle,
    Destination,
    Member,
    MilestoneKind,
    OutgoingMessage,
    Pairing,
    ProfileRole,
    Seat,
    SeatRole,
)
from bot.kernel.ports import UnitOfWork
from bot.kernel.quiet_hours import ScheduledMessages
from bot.kernel.settings import CoreSettings
from bot.kernel.text import neutralise, typed_mention

BIO_SHOWN = 300
AGREEMENT_LIMIT = 1500

SUBJECT_STARTERS = (
    "What got you interested in {}?",
    "Which part of {} would you most like to get better at this term?",
    "What is one thing in {} that finally clicked for you?",
)
LANGUAGE_STARTERS = (
    "You both speak {}: is there a favourite word in it you would teach the other?",
    "You both speak {}: what is a book, song or show in it you would recommend?",
)
STAGE_STARTERS = (
    "You are both at stage {}: what has been the best part of this year so far?",
    "You are both at stage {}: what is one thing you are looking forward to this term?",
)
GENERAL_STARTERS = (
    "What would you like to get out of meeting up?",
    "What is something you learned recently that surprised you?",
    "What do you enjoy doing when you are not studying?",
)

PAIRING_TIPS = (
    "Tips for your first mentee:\n"
    "• Start by asking what they would like from this, before you suggest anything.\n"
    "• Before you part, agree one small goal and when you meet next.\n"
    f"• {command_ref('/guide')} has the programme's guide; anything that worries you goes to the "
    f"moderators privately with {command_ref('/flag')}."
)
CHECKIN_TIPS = (
    "Tips for your first check-in:\n"
    "• A line or two per question is plenty.\n"
    "• Say what went well too, not only what was hard.\n"
    "• Anything about someone's safety goes privately to the moderators with "
    f"{command_ref('/checkin concern <what worries you>')}, not in the answers."
)


def default_agreement(people: int = 2) -> str:
    """The team's agreement, worded for a pair ("either of you") or a group ("any of you");
    a school's `[mentoring] agreement_file` replaces it."""
    either, other = ("either", "the other") if people <= 2 else ("any", "the others")
    return (
        "• How: in the places and ways the programme allows (at school, or a call where others "
        "could join), within your free hours.\n"
        "• Off limits: meeting alone somewhere private, swapping personal numbers or social "
        f"media, gifts or money, and anything that makes {either} of you uncomfortable.\n"
        f"• {either.capitalize()} of you can end the pairing at any time with "
        f"{command_ref('/buddy end')}, with no need to explain to {other}.\n"
        "• Worried about anything? Tell the moderators privately with "
        f"{command_ref('/flag')}; only they see it."
    )


DEFAULT_AGREEMENT = default_agreement()
"""The team's agreement for a pair."""

HOW_OFTEN = {
    Cadence.WEEKLY: "every week, with each of your circle's weekly rounds",
    Cadence.BIWEEKLY: "every two weeks, with each of your circle's rounds",
    Cadence.MONTHLY: "at least once a month, with each of your circle's monthly rounds",
}
ON_DEMAND_HOW_OFTEN = "about once a week, at a time you both agree"


def is_mentoring(pairing: Pairing) -> bool:
    """Whether the pairing puts a mentor with a mentee (peers are not)."""
    roles = {seat.role for seat in pairing.seats}
    return SeatRole.MENTOR in roles and SeatRole.MENTEE in roles


def agreement_text(settings: CoreSettings, circle: Circle | None, people: int = 2) -> str:
    """The agreement as shown to a pairing of `people`: how often (from the circle's cadence),
    then the school's words or the team's."""
    cadence = circle.settings.cadence if circle is not None else Cadence.OFF
    how_often = HOW_OFTEN.get(cadence, ON_DEMAND_HOW_OFTEN)
    own = settings.mentoring.agreement
    body = neutralise(own, AGREEMENT_LIMIT) if own else default_agreement(people)
    return f"• How often: {how_often}.\n{body}"


def how_to_confirm(pairing: Pairing, seat: Seat) -> str:
    others = pairing.others(seat.member.id)
    handle = typed_mention(others[0].ref) if others else "@mentor"
    return (
        f"Tap I agree, or type {command_ref(f'/agreement confirm {handle}')}; "
        f"{command_ref('/agreement')} shows it again."
    )


def agreement_actions(pairing: Pairing, seat: Seat) -> tuple[Action, ...]:
    others = pairing.others(seat.member.id)
    if not others:
        return ()
    return (Action("I agree", f"/agreement confirm <@{others[0].ref.user_id}>", "primary"),)


def agreement_message(
    pairing: Pairing, seat: Seat, circle: Circle | None, settings: CoreSettings
) -> OutgoingMessage:
    """The agreement for one seat, the partners named as theirs."""
    text = Composer()
    text.add("Before you start, please read and confirm your agreement with ")
    for n, other in enumerate(pairing.others(seat.member.id)):
        text.add(", " if n else "")
        text.about(other.id, neutralise(other.display_name, 60))
        if _role_of(pairing, other) is SeatRole.MENTOR:
            text.add(" (your mentor)")
        elif seat.role is SeatRole.MENTOR:
            text.add(" (your mentee)")
    text.add(f":\n{agreement_text(settings, circle, len(pairing.seats))}\n")
    # Confirmed with the mentor (a mentee in a group names theirs, not another mentee); the
    # handle is theirs: erasing them leaves the line without it.
    others = sorted(
        pairing.others(seat.member.id),
        key=lambda other: _role_of(pairing, other) is not SeatRole.MENTOR,
    )
    if others:
        confirm = command_ref("/agreement confirm")
        text.add("Tap I agree, or type ")
        text.about(
            others[0].id,
            command_ref(f"/agreement confirm {typed_mention(others[0].ref)}"),
            instead=confirm,
        )
        text.add(f"; {command_ref('/agreement')} shows it again.")
    return OutgoingMessage(
        f"agreement:{pairing.id}:{seat.member.id}",
        Destination.dm(seat.member.ref),
        text.text,
        actions=agreement_actions(pairing, seat),
        mentions=text.mentions,
    )


async def offer_agreement(
    pairing: Pairing,
    circle: Circle | None,
    settings: CoreSettings,
    now: datetime,
    scheduled: ScheduledMessages,
) -> None:
    """Send each seat of a mentoring pairing the agreement to confirm (see the module's rules)."""
    if not is_mentoring(pairing) or (circle is not None and not circle.settings.agreement):
        return
    for seat in pairing.seats:
        await scheduled.queue(seat.member, agreement_message(pairing, seat, circle, settings), now)


async def introduction_extras(
    uow: UnitOfWork,
    text: Composer,
    pairing: Pairing,
    seat: Seat,
    now: datetime,
    first_as_mentor: Collection[int] | None = None,
) -> None:
    """Add to an introduction each partner's bio, one conversation starter and, for a mentor's
    first introduction as one, the tips. `first_as_mentor`: who of a round's mentors reached
    that milestone just now (`mentors_first_time`), recorded in one statement beforehand; else
    it is recorded here."""
    for other in pairing.others(seat.member.id):
        if other.profile.bio:
            line = (
                f"\n{neutralise(other.display_name, 60)} in their own words: "
                f"{neutralise(other.profile.bio, BIO_SHOWN)}"
            )
            text.about(other.id, line, instead="")
    text.add(f"\nTo start the conversation: {starter(pairing)}")
    if seat.role is not SeatRole.MENTOR:
        return
    if first_as_mentor is None:
        first = await uow.milestones.reach(seat.member.id, MilestoneKind.MENTOR_TIPS_PAIRING, now)
    else:
        first = seat.member.id in first_as_mentor
    if first:
        text.add(f"\n{PAIRING_TIPS}")


async def mentors_first_time(
    uow: UnitOfWork, pairings: Sequence[Pairing], now: datetime
) -> set[int]:
    """Record, in one statement, that the mentors of these pairings had their first
    introduction as one: those for whom it is the first."""
    mentors = {s.member.id for p in pairings for s in p.seats if s.role is SeatRole.MENTOR}
    return await uow.milestones.reach_all(mentors, MilestoneKind.MENTOR_TIPS_PAIRING, now)


def starter(pairing: Pairing) -> str:
    """The pairing's conversation starter, from what everyone in it shares."""
    members = [seat.member for seat in pairing.seats]
    pick = zlib.crc32(",".join(sorted(m.ref.user_id for m in members)).encode())
    subjects = _shared(m.profile.subjects for m in members)
    if pairing.subject:
        subjects = [pairing.subject.lower()]
    if subjects:
        return _pick(SUBJECT_STARTERS, pick).format(neutralise(_pick(subjects, pick), 40))
    languages = _shared(m.profile.languages for m in members)
    if languages:
        return _pick(LANGUAGE_STARTERS, pick).format(neutralise(_pick(languages, pick), 40))
    stages = {(m.profile.stage or "").strip().lower() for m in members}
    if len(stages) == 1 and (stage := stages.pop()):
        return _pick(STAGE_STARTERS, pick).format(neutralise(stage, 20))
    return _pick(GENERAL_STARTERS, pick)


async def with_checkin_tips(
    uow: UnitOfWork, prompts: list[OutgoingMessage], members: Sequence[Member], now: datetime
) -> list[OutgoingMessage]:
    """The check-in prompts, a mentor's first one with the tips appended (once per mentor)."""
    mentors = {Destination.dm(m.ref): m for m in members if m.profile.role is ProfileRole.MENTOR}
    prompted = {p.destination for p in prompts}
    asked = [m.id for dm, m in mentors.items() if dm in prompted]
    first = await uow.milestones.reach_all(asked, MilestoneKind.MENTOR_TIPS_CHECKIN, now)
    shown: list[OutgoingMessage] = []
    for prompt in prompts:
        mentor = mentors.pop(prompt.destination, None)
        if mentor is not None and mentor.id in first:
            prompt = replace(prompt, text=f"{prompt.text}\n{CHECKIN_TIPS}")
        shown.append(prompt)
    return shown


def _role_of(pairing: Pairing, member: Member) -> SeatRole | None:
    seat = pairing.seat_of(member.id)
    return seat.role if seat is not None else None


def _shared(values: Iterable[Sequence[str]]) -> list[str]:
    """What every member lists, compared without case, in alphabetical order."""
    sets = [{v.strip().lower() for v in vs if v.strip()} for vs in values]
    return sorted(set.intersection(*sets)) if sets else []


def _pick(options: Sequence[str], n: int) -> str:
    return options[n % len(options)]
