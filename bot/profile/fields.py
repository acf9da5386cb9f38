"""The fields of `/profile set`: how each is read, checked and written to a profile, and how each
is written back as one would type it (what the profile form shows).

Rules:
- a field's typed value, set again, changes nothing; "" is the typed value of an unset field;
- every optional field (all but role and the switches) can be cleared: `/profile set <field> -`
  (or `""`), or an empty value in the form; role and the switches always have a value, so
  clearing them is refused with what they can be (the form keeps them when given empty).

Several fields at once, from the form, are bot.profile.form; time zones, bot.kernel.zones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.kernel.command_refs import command_ref
from bot.kernel.errors import UserError
from bot.kernel.model import Profile
from bot.kernel.parsing import on_off
from bot.kernel.text import clean_input, neutralise
from bot.profile.values import (
    BIO_LIMIT,
    MAX_CAPACITY,
    MAX_QUIET_HOURS,
    set_bio,
    set_capacity,
    set_hours,
    set_languages,
    set_listed,
    set_public_kudos,
    set_quiet_hours,
    set_role,
    set_stage,
    set_subjects,
    set_timezone,
)

PROFILE_FIELDS_HELP = "\n".join(
    (
        "role: student or mentor (where the moderators appoint mentors, asking sends them a "
        "request)",
        "timezone: an IANA name such as Europe/Berlin",
        "stage: where you are, a number 1-12 or a short label",
        "subjects, languages: comma lists, e.g. algebra, physics",
        "hours: when you are free, e.g. mon-fri 16:00-19:00; sat 10:00-12:00",
        "quiet-hours: when I must not message you, e.g. 21:00-08:00 (at most 16 hours)",
        "bio: up to 280 characters",
        "capacity: (mentors) how many mentees at once, 1-20",
        "public-kudos: on or off (off: kudos reach you privately only)",
        "listed: on or off (off hides you from circle listings and suggestions)",
        "A dash clears a field (all but role, public-kudos and listed): "
        f"{command_ref('/profile set bio -')}",
        "Moderators only:",
        f"buddy-pool: on or off, whether {command_ref('/findbuddy')} and circle rounds may pair "
        "you (off until you say on)",
        f"{command_ref('/profile set @person role mentor')} (or student): appoint a mentor, or "
        "make them a student again",
        f"{command_ref('/profile set @person adult on')}, off or -: mark an adult, a minor, or "
        "neither (a moderator is counted as an adult unless marked off); adults are never put "
        "with minors unless the programme allows it, and then the moderators get a copy of the "
        "introduction",
    )
)


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


@dataclass(frozen=True)
class ProfileField:
    """One field of `/profile set`, declared once: its name, how the form shows it, how a typed
    value is set and how it is typed back, whether it can be cleared, and whether only a
    moderator sets it (those are set by bot.profile.appointments and kept off the form)."""

    name: str
    label: str
    hint: str
    set: Callable[[Profile, str], None] | None = None
    typed: Callable[[Profile], str] = lambda p: ""
    clearable: bool = False
    multiline: bool = False
    moderator_only: bool = False


PROFILE_FIELDS: tuple[ProfileField, ...] = (
    ProfileField("role", "Role", "student or mentor", set_role, lambda p: p.role.value),
    ProfileField(
        "timezone",
        "Time zone",
        "an IANA name such as Europe/Berlin or America/Chicago",
        set_timezone,
        lambda p: p.timezone or "",
        clearable=True,
    ),
    ProfileField(
        "stage",
        "Stage",
        "where you are: a number 1-12 or a short label such as uni-1",
        set_stage,
        lambda p: p.stage or "",
        clearable=True,
    ),
    ProfileField(
        "subjects",
        "Subjects",
        "a comma list, e.g. algebra, physics",
        set_subjects,
        lambda p: ", ".join(p.subjects),
        clearable=True,
    ),
    ProfileField(
        "languages",
        "Languages",
        "a comma list, e.g. english, spanish",
        set_languages,
        lambda p: ", ".join(p.languages),
        clearable=True,
    ),
    ProfileField(
        "hours",
        "Free hours",
        "e.g. mon-fri 16:00-19:00; sat 10:00-12:00",
        set_hours,
        lambda p: str(p.hours),
        clearable=True,
    ),
    ProfileField(
        "quiet-hours",
        "Quiet hours",
        f"when I must not message you, e.g. 21:00-08:00 (at most {MAX_QUIET_HOURS} hours)",
        set_quiet_hours,
        lambda p: p.quiet_hours or "",
        clearable=True,
    ),
    ProfileField(
        "bio",
        "Bio",
        f"a few words about you, up to {BIO_LIMIT} characters",
        set_bio,
        lambda p: p.bio,
        clearable=True,
        multiline=True,
    ),
    ProfileField(
        "capacity",
        "Mentee capacity",
        f"(mentors) how many mentees at once, 1-{MAX_CAPACITY}",
        set_capacity,
        lambda p: str(p.capacity) if p.capacity else "",
        clearable=True,
    ),
    ProfileField(
        "public-kudos",
        "Public kudos",
        "on or off (off: kudos reach you privately only)",
        set_public_kudos,
        lambda p: on_off(p.public_kudos),
    ),
    ProfileField(
        "listed",
        "Listed",
        "on or off (off hides you from circle listings and suggestions)",
        set_listed,
        lambda p: on_off(p.listed),
    ),
    ProfileField(
        "adult", "Adult", "on, off or - (a moderator's mark)", clearable=True, moderator_only=True
    ),
    ProfileField(
        "buddy-pool", "Buddy pool", "on or off (a moderator's choice)", moderator_only=True
    ),
)
"""Every field, in the order help, the form and the platforms' menus show them."""

FIELD_NAMES = tuple(f.name for f in PROFILE_FIELDS)
FIELD_SPECS = tuple(f for f in PROFILE_FIELDS if not f.moderator_only)
"""The fields a member sets, and the profile form shows."""
FIELD_SETTERS = {f.name: f.set for f in FIELD_SPECS if f.set is not None}
CLEARABLE = frozenset(f.name for f in FIELD_SPECS if f.clearable)
"""The optional fields, which can be cleared; role and the switches always have a value."""
MODERATOR_FIELDS = tuple(f.name for f in PROFILE_FIELDS if f.moderator_only)
"""Fields of /profile set that only moderators set, each kept off the profile form."""
_BY_NAME = {f.name: f for f in PROFILE_FIELDS}


def typed_value(profile: Profile, field: str) -> str:
    """The field's value as one would type it to `/profile set`; "" when unset."""
    return _BY_NAME[field.lower()].typed(profile)
