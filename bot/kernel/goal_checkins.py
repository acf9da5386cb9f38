"""Goals in the weekly check-in: the prompt asks about them, and the answer can note progress.
Check-ins call these two functions (features do not import each other, so they live here).

Rules:
- a member's check-in prompt names their own open goals, numbered as `/goal list` numbers
  them, and asks how they are going;
- a member who sits as mentor in an open pairing is also shown each mentee's open goals (the
  mentor is one of the few who may read them, see bot.goals.visibility) and asked how they are
  going, to talk them over at the next meeting; each mentee's part of the message is recorded
  as about them, so erasing them rewrites it;
- a line of a check-in answer that begins `goal <n>:` becomes a progress note, in the member's
  own words after the colon, on their own open goal n, and leaves the answer the check-in keeps
  (`without_goal_lines`): the moderators, who read answers, never read a goal's words; nothing
  else of an answer is copied to a goal (the rest of a check-in may be meant for the moderators
  alone), and a mentor's answer is never a note on a mentee's goal (a goal's notes are its
  owner's own words);
- a line naming a goal the member does not have is left as it is, and the reply says so.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime

from bot.kernel.command_refs import command_ref
from bot.kernel.local_time import shown_day, start_of_day, zone_of
from bot.kernel.mentions import Composer
from bot.kernel.model import Goal, GoalNote, Member, Mention, OutgoingMessage, SeatRole
from bot.kernel.ports import UnitOfWork
from bot.kernel.settings import CoreSettings
from bot.kernel.text import clean_input, neutralise

NOTE_MIN, NOTE_MAX = 1, 500
"""A progress note's length, typed or from a check-in answer (cleaned)."""
GOAL_SHOWN = 120
"""Characters of a goal's text in a check-in prompt."""
_GOAL_LINE = re.compile(
    r"^\s*goal\s*#?([0-9]{1,2})\s*[:.)-]\s*(\S.*)$", re.IGNORECASE | re.MULTILINE
)


def goal_line(goal: Goal, number: int, settings: CoreSettings, now: datetime) -> str:
    """`1. Learn fractions (by Fri 20 Mar)`, unable to ping."""
    by = ""
    if goal.due_on is not None:
        zone = zone_of(goal.owner, settings)
        by = f" (by {shown_day(start_of_day(goal.due_on, zone), zone, now)})"
    return f"{number}. {neutralise(goal.text, GOAL_SHOWN)}{by}"


async def goals_for_prompt(
    uow: UnitOfWork, member: Member, settings: CoreSettings, now: datetime, owners: set[int]
) -> Composer | None:
    """What a check-in prompt adds about goals: the member's own, then their mentees'; None
    when there are none. `owners`: the workspace's members with an open goal
    (`GoalRepository.owners_in`), so that a check-in of thousands looks up nobody's goals when
    nobody in the workspace has one, and only owners' goals otherwise."""
    if not owners:
        return None
    text = Composer()
    own = await uow.goals.open_of(member.id) if member.id in owners else []
    if own:
        text.add("\n\nYour goals: how are they going?\n")
        text.add("\n".join(goal_line(g, n, settings, now) for n, g in enumerate(own, 1)))
        text.add(
            "\nTo note progress, begin a line of an answer with the goal's number, e.g. "
            "goal 1: finished the first chapter. That line goes to your goal, not to the "
            "moderators."
        )
    mentees = await _mentees(uow, member)
    shown = [
        (m, goals) for m in mentees if m.id in owners and (goals := await uow.goals.open_of(m.id))
    ]
    if shown:
        text.add("\n\nYour mentees' goals: how are they going? Worth asking at your next meeting.")
        for mentee, goals in shown:
            lines = "; ".join(goal_line(g, n, settings, now) for n, g in enumerate(goals, 1))
            text.add("\n")
            text.about(mentee.id, f"{neutralise(mentee.display_name, 40)}: {lines}")
    return text if own or shown else None


async def _mentees(uow: UnitOfWork, member: Member) -> list[Member]:
    """Whom the member mentors in their open pairings, each once."""
    mentees: dict[int, Member] = {}
    for pairing in await uow.buddies.open_pairings_of(member.id):
        seat = pairing.seat_of(member.id)
        if seat is None or seat.role is not SeatRole.MENTOR:
            continue
        for other in pairing.seats:
            if other.role is SeatRole.MENTEE:
                mentees.setdefault(other.member.id, other.member)
    return list(mentees.values())


def with_goals(message: OutgoingMessage, goals: Composer | None) -> OutgoingMessage:
    """The prompt with the goals' part after its text (and its mentions after the prompt's)."""
    if goals is None:
        return message
    start = len(message.text)
    moved = tuple(
        Mention(m.member_id, m.start + start, m.end + start, m.instead) for m in goals.mentions
    )
    return replace(message, text=message.text + goals.text, mentions=message.mentions + moved)


async def notes_from_answers(
    uow: UnitOfWork, member: Member, answers: Sequence[str], now: datetime
) -> tuple[list[str], tuple[str, ...]]:
    """Record each `goal <n>: ...` line of the answers as a note on the member's goal n: what
    to tell them (nothing when no line named a goal), and the answers as the check-in keeps
    them (`without_goal_lines`)."""
    found = [(int(m[0]), m[1]) for answer in answers for m in _GOAL_LINE.findall(answer)]
    if not found:
        return [], tuple(answers)
    goals = await uow.goals.open_of(member.id)
    noted: list[int] = []
    missing: list[int] = []
    for number, words in found:
        note = clean_input(words)[:NOTE_MAX]
        if not 1 <= number <= len(goals) or len(note) < NOTE_MIN:
            missing.append(number)
            continue
        await uow.goals.add_note(goals[number - 1].id, GoalNote(note, now))
        noted.append(number)
    said = []
    if noted:
        said.append(f"Noted progress on goal {_numbers(noted)}.")
    if missing:
        said.append(
            f"You have no open goal {_numbers(missing)}, so nothing was noted for it; "
            f"{command_ref('/goal list')} numbers yours."
        )
    return said, without_goal_lines(answers, noted)


GOAL_LINE_KEPT = "(progress on goal {number}: kept with the goal)"
"""What the check-in keeps of a `goal <n>:` line: that there was one, not its words."""


def without_goal_lines(answers: Sequence[str], noted: Collection[int]) -> tuple[str, ...]:
    """The answers as the check-in keeps them: each `goal <n>:` line that became a progress
    note on goal n (`noted`: its owner's and their mentor's to read) replaced by a mark without
    its words; a line naming a goal they do not have stays as typed."""

    def kept(line: re.Match[str]) -> str:
        number = int(line[1])
        return GOAL_LINE_KEPT.format(number=number) if number in noted else line[0]

    return tuple(_GOAL_LINE.sub(kept, answer) for answer in answers)


def _numbers(numbers: Sequence[int]) -> str:
    unique = sorted(set(numbers))
    return ", ".join(str(n) for n in unique)
