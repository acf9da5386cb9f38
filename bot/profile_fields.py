"""The fields of `/profile set`: how each is read, checked and written to a profile."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.catalog import PROFILE_FIELDS_HELP
from bot.errors import UserError
from bot.model import Profile, ProfileRole
from bot.text import clean_input, neutralise
from bot.weekly_hours import DailyWindow, TimeFormatError, WeeklyHours

BIO_LIMIT = 280
LIST_ITEM_LIMIT = 40
LIST_LENGTH_LIMIT = 10
STAGE_LABEL_LIMIT = 20
MAX_CAPACITY = 20


def _is_number(text: str) -> bool:
    text = text.strip()
    return text.isascii() and text.isdecimal() and len(text) <= 6


def parse_on_off(value: str, what: str) -> bool:
    word = value.strip().lower()
    if word in {"on", "yes", "true"}:
        return True
    if word in {"off", "no", "false"}:
        return False
    raise UserError(f"{what} is on or off, not '{neutralise(value, 20)}'.")


def check_timezone(name: str) -> str:
    """An IANA zone name such as Europe/Berlin; a near miss gets a suggestion."""
    name = name.strip()
    try:
        if "/" in name or name == "UTC":
            ZoneInfo(name)
            return name
    except (ZoneInfoNotFoundError, ValueError):
        pass
    close = difflib.get_close_matches(name, sorted(available_timezones()), n=1, cutoff=0.7)
    hint = f" Did you mean {close[0]}?" if close else ""
    raise UserError(
        f"'{neutralise(name, 50)}' is not a time zone I know.{hint} "
        "Use an IANA name such as Europe/Berlin "
        "or America/Chicago."
    )


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


def _set_role(p: Profile, v: str) -> None:
    try:
        p.role = ProfileRole(v.strip().lower())
    except ValueError:
        raise UserError("role is student or mentor.") from None


def _set_timezone(p: Profile, v: str) -> None:
    p.timezone = check_timezone(v)


def _set_stage(p: Profile, v: str) -> None:
    stage = " ".join(clean_input(v).split())
    if stage.isascii() and stage.isdecimal():
        if not 1 <= int(stage) <= 12:
            raise UserError("stage is a number from 1 to 12, or a short label such as 'uni-1'.")
        stage = str(int(stage))
    elif not 1 <= len(stage) <= STAGE_LABEL_LIMIT:
        raise UserError(f"A stage label is at most {STAGE_LABEL_LIMIT} characters.")
    p.stage = stage


def _set_subjects(p: Profile, v: str) -> None:
    p.subjects = _comma_list(v, "subjects")


def _set_languages(p: Profile, v: str) -> None:
    p.languages = _comma_list(v, "languages")


def _set_hours(p: Profile, v: str) -> None:
    try:
        p.hours = WeeklyHours.parse(v)
    except TimeFormatError as e:
        raise UserError(f"hours: {e}.") from None


MAX_QUIET_HOURS = 16


def _set_quiet_hours(p: Profile, v: str) -> None:
    try:
        window = DailyWindow.parse(v)
    except TimeFormatError as e:
        raise UserError(f"quiet-hours: {e}.") from None
    if window.minutes > MAX_QUIET_HOURS * 60:
        raise UserError(
            f"quiet-hours: at most {MAX_QUIET_HOURS} hours a day, so that check-ins can reach "
            "you; /pause stops them altogether."
        )
    p.quiet_hours = str(window)


def _set_bio(p: Profile, v: str) -> None:
    bio = clean_input(v)
    if len(bio) > BIO_LIMIT:
        raise UserError(f"Your bio is {len(bio)} characters; the limit is {BIO_LIMIT}.")
    p.bio = bio


def _set_capacity(p: Profile, v: str) -> None:
    if not _is_number(v) or not 1 <= int(v) <= MAX_CAPACITY:
        raise UserError(f"capacity is how many mentees at once, a number from 1 to {MAX_CAPACITY}.")
    p.capacity = int(v)


def _set_public_kudos(p: Profile, v: str) -> None:
    p.public_kudos = parse_on_off(v, "public-kudos")


def _set_listed(p: Profile, v: str) -> None:
    p.listed = parse_on_off(v, "listed")


FIELD_SETTERS: dict[str, Callable[[Profile, str], None]] = {
    "role": _set_role,
    "timezone": _set_timezone,
    "stage": _set_stage,
    "subjects": _set_subjects,
    "languages": _set_languages,
    "hours": _set_hours,
    "quiet-hours": _set_quiet_hours,
    "bio": _set_bio,
    "capacity": _set_capacity,
    "public-kudos": _set_public_kudos,
    "listed": _set_listed,
}


def apply_field(profile: Profile, field: str, value: str) -> None:
    """Set one field, or raise a UserError that lists the fields; the profile is unchanged then."""
    setter = FIELD_SETTERS.get(field.lower())
    if setter is None:
        raise UserError(
            f"I don't know the field '{neutralise(field, 30)}'. The fields are:\n"
            f"{PROFILE_FIELDS_HELP}"
        )
    setter(profile, value)
