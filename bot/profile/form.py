"""The profile as a form: every field of `/profile set`, prefilled with its typed value, offered
under /profile's text ("Edit profile"); sent back, it is one `UpdateProfile` with every field
shown, changed or not.

Rules:
- sending the form back untouched changes nothing (each field is prefilled with its typed
  value, and a field given its current typed value is left alone, not checked again: a value
  saved before a rule tightened still submits);
- the fields sent are all checked before any is kept: one refused value keeps the whole profile
  as it was, and the refusal names its field (for the form to show it under that field);
- a platform that cannot hold every field shows the five people change most (`SHORTLIST`); the
  others stay `/profile set`.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

from bot.kernel.errors import UserError
from bot.kernel.forms import FieldKind, Form, FormField, Submission, reads_form
from bot.kernel.model import Actor, Profile
from bot.kernel.text import clean_input
from bot.profile.commands import UpdateProfile
from bot.profile.fields import CLEARABLE, FIELD_SPECS, apply_field, setter_of, typed_value

PROFILE_FORM = "profile"
SHORTLIST = ("timezone", "subjects", "languages", "hours", "bio")


def profile_form(profile: Profile) -> Form:
    fields = tuple(
        FormField(
            f.name,
            f.label,
            typed_value(profile, f.name),
            f.hint,
            FieldKind.LONG if f.multiline else FieldKind.SHORT,
        )
        for f in FIELD_SPECS
    )
    return Form(
        PROFILE_FORM,
        "Your profile",
        "Your profile",
        fields,
        submit="Save",
        at_once=False,
        shortlist=SHORTLIST,
    )


@reads_form(PROFILE_FORM)
def update_from_form(actor: Actor, form: Submission) -> UpdateProfile:
    return UpdateProfile(actor, tuple(form.values.items()))


class FieldRefused(UserError):
    """A value refused while changing several fields; `field` is the one it was for."""

    def __init__(self, field: str, message: str) -> None:
        shown = message if message.startswith((f"{field}:", f"{field} ")) else f"{field}: {message}"
        super().__init__(shown)
        self.field = field


@dataclass(frozen=True)
class ProfileUpdate:
    profile: Profile
    changed: tuple[str, ...]
    """Fields whose typed value is now different, in the order given."""
    kept: tuple[str, ...]
    """Fields given empty that cannot be emptied, so kept their value."""


def apply_changes(profile: Profile, changes: Sequence[tuple[str, str]]) -> ProfileUpdate:
    """The profile with all the changes (for a field given twice, the last), leaving `profile`
    itself alone; raises FieldRefused for the first value refused, UserError for an unknown
    field."""
    updated = copy.deepcopy(profile)
    wanted = {field.lower(): value for field, value in changes}
    kept = []
    for field, value in wanted.items():
        setter_of(field)
        typed = clean_input(value)
        if typed == typed_value(profile, field):
            continue
        if not typed and field not in CLEARABLE:
            kept.append(field)
            continue
        try:
            apply_field(updated, field, value if typed else "-")
        except UserError as e:
            raise FieldRefused(field, e.message) from None
    changed = tuple(f for f in wanted if typed_value(updated, f) != typed_value(profile, f))
    return ProfileUpdate(updated, changed, tuple(kept))
