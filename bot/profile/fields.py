"""The fields of `/profile set`: how each is read, checked and written to a profile, and how each
is written back as one would type it (what the profile form shows).

Rules:
- a field's typed value, set again, changes nothing; "" is the typed value of an unset field;
- every optional field (all but role and the switches) can be cleared: `/profile set <field> -`
  (or `""`), or an empty value in the form; role and the switches always have a value, so
  clearing them is refused with what they can be (the form keeps them when given empty).

Several fields at once, from the form, are bot.profile.form; time zones, bot.profile.zones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.kernel.errors import UserError
from bot.kernel.model import Profile, ProfileRole
from bot.kernel.parsing import parse_on_off
from bot.kernel.text import clean_input, neutralise
from bot.kernel.weekly_hours import DailyWindow, TimeFormatError, WeeklyHours
from bot.profile.zones import check_timezone

PROFILE_FIELDS_HELP = """\
role: student or mentor (where the moderators appoint mentors, asking sends them a request)
timezone: an IANA name such as Europe/Berlin
stage: where you are, a number 1-12 or a short label
subjects, languages: comma lists, e.g. algebra, physics
hours: when you are free, e.g. mon-fri 16:00-19:00; sat 10:00-12:00
quiet-hours: when I must not message you, e.g. 21:00-08:00 (at most 16 hours)
bio: up to 280 characters
capacity: (mentors) how many mentees at once, 1-20
public-kudos: on or off (off: kudos reach you privately only)
listed: on or off (off hides you from circle listings and suggestions)
A dash clears a field (all but role, public-kudos and listed): /profile set bio -
Moderators only:
buddy-pool: on or off, whether /findbuddy and circle rounds may pair you (off until you say on)
/profile set @person role mentor (or student): appoint a mentor, or make them a student again
/profile set @person adult on, off or -: mark an adult, a minor, or neither (a moderator is
counted as an adult unless marked off); adults are never put with minors unless the programme
allows it, and then the moderators get a copy of the introduction"""

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


def _set_role(p: Profile, v: str) -> None:
    try:
        p.role = ProfileRole(v.strip().lower())
    except ValueError:
        raise UserError("role is student or mentor.") from None


def _set_timezone(p: Profile, v: str) -> None:
    p.timezone = check_timezone(v)


MIN_STAGE, MAX_STAGE = 1, 12
_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]*)?")


def _set_stage(p: Profile, v: str) -> None:
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
    """Set one field, or clear it when the value is a clearing word (`-`, `""`); or raise a
    UserError that lists the fields, or says what a field that cannot be cleared can be; the
    profile is unchanged then."""
    setter = setter_of(field)
    if is_clearing(value):
        clear_field(profile, field)
    else:
        setter(profile, value)


CLEARING_WORDS = frozenset({"-", '""', "''", "\u201c\u201d"})
"""What `/profile set <field>` takes as "clear it": a dash, or a pair of quotes with nothing in
between."""


def is_clearing(value: str) -> bool:
    return clean_input(value) in CLEARING_WORDS


def clear_field(profile: Profile, field: str) -> None:
    """Give an optional field back its unset value; refuse for role and the switches."""
    field = field.lower()
    if field not in CLEARABLE:
        hint = next(f.hint for f in FIELD_SPECS if f.name == field)
        raise UserError(f"{field} cannot be cleared, only changed; it is {hint}.")
    attribute = field.replace("-", "_")
    setattr(profile, attribute, getattr(Profile(), attribute))


def setter_of(field: str) -> Callable[[Profile, str], None]:
    """How a field is set; a UserError listing the fields for one that is not a field."""
    setter = FIELD_SETTERS.get(field.lower())
    if setter is None:
        raise UserError(
            f"I don't know the field '{neutralise(field, 30)}'. The fields are:\n"
            f"{PROFILE_FIELDS_HELP}"
        )
    return setter


CLEARABLE = frozenset(
    {"timezone", "stage", "subjects", "languages", "hours", "quiet-hours", "bio", "capacity"}
)
"""The optional fields, which can be cleared; role and the switches always have a value."""


@dataclass(frozen=True)
class FieldSpec:
    """How the profile form presents one field."""

    name: str
    label: str
    hint: str
    multiline: bool = False


FIELD_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec("role", "Role", "student or mentor"),
    FieldSpec("timezone", "Time zone", "an IANA name such as Europe/Berlin or America/Chicago"),
    FieldSpec("stage", "Stage", "where you are: a number 1-12 or a short label such as uni-1"),
    FieldSpec("subjects", "Subjects", "a comma list, e.g. algebra, physics"),
    FieldSpec("languages", "Languages", "a comma list, e.g. english, spanish"),
    FieldSpec("hours", "Free hours", "e.g. mon-fri 16:00-19:00; sat 10:00-12:00"),
    FieldSpec(
        "quiet-hours",
        "Quiet hours",
        f"when I must not message you, e.g. 21:00-08:00 (at most {MAX_QUIET_HOURS} hours)",
    ),
    FieldSpec("bio", "Bio", f"a few words about you, up to {BIO_LIMIT} characters", True),
    FieldSpec(
        "capacity", "Mentee capacity", f"(mentors) how many mentees at once, 1-{MAX_CAPACITY}"
    ),
    FieldSpec("public-kudos", "Public kudos", "on or off (off: kudos reach you privately only)"),
    FieldSpec("listed", "Listed", "on or off (off hides you from circle listings and suggestions)"),
)


def typed_value(profile: Profile, field: str) -> str:
    """The field's value as one would type it to `/profile set`; "" when unset."""
    p = profile
    on_off = {True: "on", False: "off"}
    return {
        "role": p.role.value,
        "timezone": p.timezone or "",
        "stage": p.stage or "",
        "subjects": ", ".join(p.subjects),
        "languages": ", ".join(p.languages),
        "hours": str(p.hours),
        "quiet-hours": p.quiet_hours or "",
        "bio": p.bio,
        "capacity": str(p.capacity) if p.capacity else "",
        "public-kudos": on_off[p.public_kudos],
        "listed": on_off[p.listed],
    }[field.lower()]


MODERATOR_FIELDS = ("adult", "buddy-pool")
"""Fields of /profile set that only moderators set, each kept off the profile form."""

FIELD_NAMES = (*FIELD_SETTERS, *MODERATOR_FIELDS)
"""Every field /profile set takes, in the order help and the platforms' menus show them."""
