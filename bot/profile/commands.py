"""The profile commands: /profile and /profile set, and the profile form's update."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.command_refs import command_ref
from bot.kernel.commands import Command, CommandSpec, choice, person, text
from bot.kernel.model import Actor
from bot.kernel.parsing import Args, mention_user_id
from bot.profile.fields import FIELD_NAMES, PROFILE_FIELDS_HELP
from bot.runtime.builders import (
    no_words,
)


@dataclass(frozen=True)
class ShowProfile(Command):
    drawn_by_the_adapter = True


@dataclass(frozen=True)
class SetProfileField(Command):
    field: str
    value: str
    user_id: str | None = None
    """Whose profile, when a moderator names someone (`/profile set @ada role mentor`)."""


@dataclass(frozen=True)
class UpdateProfile(Command):
    """Several profile fields at once, from a form: all are checked before any is saved."""

    changes: tuple[tuple[str, str], ...]


PERSON_FIELDS = ("role", "adult")
"""The fields a moderator sets for someone else."""


def _profile_set(args: Args, actor: Actor) -> Command:
    """`/profile set <field> <value>`, or a moderator's `/profile set @person <field> <value>`;
    for role and adult the person may also come last (`role mentor @ada`), as Discord writes
    its options."""
    first = args.peek()
    user_id = mention_user_id(first) if first is not None else None
    if user_id is not None:
        args.word("a person")
    field = args.word("a field").lower()
    value = args.rest()
    if user_id is None and field in PERSON_FIELDS:
        value, user_id = _trailingone_person(value)
    if not value:
        raise args.fail(
            f"Missing a value for {field}. {command_ref('/help profile set')} says what each field "
            "takes; a dash (-) clears an optional one."
        )
    return SetProfileField(actor, field, value, user_id)


def _trailingone_person(value: str) -> tuple[str, str | None]:
    words = value.split()
    user_id = mention_user_id(words[-1]) if words else None
    return (" ".join(words[:-1]), user_id) if user_id is not None else (value, None)


ROOTS: dict[str, str] = {
    "profile": "show or edit my profile",
}
"""What each command name of the feature is for, in a line (menus that list names show it)."""

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("profile", "show my profile", no_words(lambda a: ShowProfile(a))),
    CommandSpec(
        "profile set",
        "set one field of my profile",
        _profile_set,
        params=(
            choice("field", "which field", FIELD_NAMES),
            text("value", "the new value (see /help command:profile set)", limit=300),
            person(
                "moderators: whose role or adult mark (empty: your own profile)",
                required=False,
                shown="",
            ),
        ),
        details=PROFILE_FIELDS_HELP,
    ),
)
