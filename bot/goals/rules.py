"""What a goal may be, and which goal a number names.

Rules:
- a goal's text is 3 to 200 characters, cleaned of invisible characters (and shown unable to
  ping); a progress note is 1 to 500;
- at most `MAX_OPEN` goals are open at once;
- a date is a day written YYYY-MM-DD (as /pause until and the blackouts take it), read in the
  member's own calendar: not before today, at most a year ahead;
- `<n>` is the member's own open goal as `/goal list` numbers it (oldest first); `g<id>`, what
  the buttons carry, names one of their own open goals by id.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from bot.kernel.command_refs import command_ref, usage_ref
from bot.kernel.context import Context
from bot.kernel.durations import MAX_DURATION
from bot.kernel.errors import NotFound, UserError
from bot.kernel.goal_checkins import NOTE_MAX, NOTE_MIN
from bot.kernel.local_time import example_day, zone_of
from bot.kernel.model import Goal
from bot.kernel.text import clean_input, neutralise

MAX_OPEN = 5
"""The most goals a member keeps open at once: few enough to talk through in a check-in."""
TEXT_MIN, TEXT_MAX = 3, 200
ASK_AT = time(18)
"""The hour of a goal's day, in its owner's zone, at which they are asked whether they reached
it (then held for their quiet hours and holidays like every routine message)."""
_BY_ID = re.compile(r"^g(\d{1,9})$", re.IGNORECASE)


def checked_text(typed: str) -> str:
    text = clean_input(typed)
    if not TEXT_MIN <= len(text) <= TEXT_MAX:
        raise UserError(
            f"A goal is {TEXT_MIN} to {TEXT_MAX} characters (this one is {len(text)}): "
            f"{usage_ref('/goal add <goal> [by <date>]')}"
        )
    return text


def checked_note(typed: str) -> str:
    note = clean_input(typed)
    if not NOTE_MIN <= len(note) <= NOTE_MAX:
        raise UserError(
            f"Say how it is going in up to {NOTE_MAX} characters: "
            f"{usage_ref('/goal progress <number> <note>')}"
        )
    return note


def due_day(typed: str, ctx: Context) -> tuple[date, datetime]:
    """The day typed, and when its owner is asked about it (`ASK_AT` that day, their time)."""
    example = f"by {example_day(ctx.now, 14)}"
    try:
        day = date.fromisoformat(typed)
    except ValueError:
        raise UserError(
            f"'{neutralise(typed, 20)}' is not a date I can read: write it YYYY-MM-DD, "
            f"e.g. {example}"
        ) from None
    zone = zone_of(ctx.me, ctx.settings)
    today = ctx.now.astimezone(zone).date()
    if day < today:
        raise UserError(f"{day.isoformat()} has passed; give today or a later date, e.g. {example}")
    if day - today > MAX_DURATION:
        raise UserError(f"A goal's date is at most a year ahead, e.g. {example}")
    return day, datetime.combine(day, ASK_AT, tzinfo=zone)


def check_room(open_goals: list[Goal]) -> None:
    if len(open_goals) >= MAX_OPEN:
        raise UserError(
            f"You have {MAX_OPEN} open goals, the most at once. Mark one reached with "
            f"{command_ref('/goal done <number>')} or let one go with "
            f"{command_ref('/goal drop <number>')} first."
        )


async def my_goal(ctx: Context, which: str) -> tuple[int, Goal]:
    """The member's open goal `which` names, with its number in /goal list."""
    goals = await ctx.uow.goals.open_of(ctx.me.id)
    listed = command_ref("/goal list")
    if match := _BY_ID.match(which.strip()):
        found = next(((n, g) for n, g in enumerate(goals, 1) if g.id == int(match.group(1))), None)
        if found is None:
            raise NotFound(f"That goal is no longer open. {listed} shows your goals.")
        return found
    if not goals:
        raise NotFound(f"You have no open goals. {command_ref('/goal add <goal>')} sets one.")
    number = which.strip()
    if not (number.isdecimal() and number.isascii() and 1 <= int(number) <= len(goals)):
        count = f"{len(goals)} open goal{'s' if len(goals) > 1 else ''}"
        raise NotFound(
            f"You have {count}, numbered 1 to {len(goals)}; there is no goal "
            f"{neutralise(which, 12)}. {listed} numbers them."
        )
    return int(number), goals[int(number) - 1]
