"""How each profile value is read and checked from what was typed, and written to the profile.

Rule: a value is refused with a message that says what fits, and the profile is unchanged."""

from __future__ import annotations

import re

from bot.kernel.command_refs import command_ref
from bot.kernel.errors import UserError
from bot.kernel.model import Profile, ProfileRole
from bot.kernel.parsing import parse_on_off
from bot.kernel.text import clean_input
from bot.kernel.weekly_hours import DailyWindow, TimeFormatError, WeeklyHours
from bot.kernel.zones import check_timezone

BIO_LIMIT = 280
LIST_ITEM_LIMIT = 40
LIST_LENGTH_LIMIT = 10
STAGE_LABEL_LIMIT = 20
MAX_CAPACITY = 20


def _is_number(text: str) -> bool:
    text = text.strip()
    return text.isascii() and text.isdecimal() and len(text) <= 6


def _comma_list(value: str, what: str) -> tuple[str, ...]:
    items: list[str] = []
    for raw in value.split(","):
        item = " ".join(clean_input(raw).split()).lower()
        if not item:
            continue
        if len(item) > LIST_ITEM_LIMIT:
            raise UserError(
                f"'{item[:20]}…' is too long; each of your {what} is at most "
                f"{LIST_ITEM_LIMIT} characters."
            )
        if item not in items:
            items.append(item)
    if len(items) > LIST_LENGTH_LIMIT:
        raise UserError(f"At most {LIST_LENGTH_LIMIT} {what}, please.")
    return tuple(items)


def set_role(p: Profile, v: str) -> None:
    try:
        p.role = ProfileRole(v.strip().lower())
    except ValueError:
        raise UserError("role is student or mentor.") from None


def set_timezone(p: Profile, v: str) -> None:
    p.timezone = check_timezone(v)


MIN_STAGE, MAX_STAGE = 1, 12
_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]*)?")


def set_stage(p: Profile, v: str) -> None:
    """A stage is a whole number from 1 to 12, or a short label (`uni-1`). Whatever reads as a
    number (`-1`, `0`, `9.5`, `99`) is held to the range: it is never taken for a label."""
    stage = " ".join(clean_input(v).split())
    if _NUMBER.fullmatch(stage):
        stage = str(_stage_number(stage))
    elif not 1 <= len(stage) <= STAGE_LABEL_LIMIT:
        raise UserError(f"A stage label is at most {STAGE_LABEL_LIMIT} characters.")
    p.stage = stage


def _stage_number(typed: str) -> int:
    try:
        number = int(typed)
    except ValueError:
        number = MIN_STAGE - 1
    if not MIN_STAGE <= number <= MAX_STAGE:
        raise UserError(
            f"stage is a whole number from {MIN_STAGE} to {MAX_STAGE}, "
            "or a short label such as 'uni-1'."
        )
    return number


def set_subjects(p: Profile, v: str) -> None:
    p.subjects = _comma_list(v, "subjects")


def set_languages(p: Profile, v: str) -> None:
    p.languages = _comma_list(v, "languages")


def set_hours(p: Profile, v: str) -> None:
    try:
        p.hours = WeeklyHours.parse(v)
    except TimeFormatError as e:
        raise UserError(f"hours: {e}.") from None


MAX_QUIET_HOURS = 16


def set_quiet_hours(p: Profile, v: str) -> None:
    try:
        window = DailyWindow.parse(v)
    except TimeFormatError as e:
        raise UserError(f"quiet-hours: {e}.") from None
    if window.minutes > MAX_QUIET_HOURS * 60:
        raise UserError(
            f"quiet-hours: at most {MAX_QUIET_HOURS} hours a day, so that check-ins can reach "
            f"you; {command_ref('/pause')} stops them altogether."
        )
    p.quiet_hours = str(window)


def set_bio(p: Profile, v: str) -> None:
    bio = clean_input(v)
    if len(bio) > BIO_LIMIT:
        raise UserError(f"Your bio is {len(bio)} characters; the limit is {BIO_LIMIT}.")
    p.bio = bio


def set_capacity(p: Profile, v: str) -> None:
    if not _is_number(v) or not 1 <= int(v) <= MAX_CAPACITY:
        raise UserError(f"capacity is how many mentees at once, a number from 1 to {MAX_CAPACITY}.")
    p.capacity = int(v)


def set_public_kudos(p: Profile, v: str) -> None:
    p.public_kudos = parse_on_off(v, "public-kudos")


def set_listed(p: Profile, v: str) -> None:
    p.listed = parse_on_off(v, "listed")
