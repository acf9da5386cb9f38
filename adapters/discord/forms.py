"""Every form of the core as a Discord modal, and every submitted modal read back: one renderer,
one reader.

Rules:
- a modal's custom id is `<kind>:<server id>[:<subject>]`: what the form does, the server it
  belongs to (so it works from a DM too) and what it is about (the check-in it answers), so a
  submission reaches what was shown, and nothing is kept anywhere meanwhile;
- Discord holds at most five inputs in a modal, each label at most 45 characters: a form with
  more fields shows its shortlist (the profile's five fields people change most; the others
  stay `/profile set`), and a form without one is not shown as a modal at all (a check-in of
  more than four questions is answered in one line instead); a label too long is the field's
  short label, or is cut;
- every field is a text input (a modal has nothing else that every client shows): a text as
  one line or a paragraph, a choice with its options as the placeholder, a switch as a yes/no
  box of three characters;
- a field is optional unless the form requires it; texts take up to 1,000 characters unless the
  form says otherwise.
"""

from __future__ import annotations

import discord

from adapters.discord.command_text import KNOWN_COMMANDS
from bot.kernel.forms import FieldKind, Form, FormField, StaleForm, Submission

MODAL_FIELDS = 5
LABEL_LIMIT = 45
TITLE_LIMIT = 45
PLACEHOLDER_LIMIT = 100
TEXT_LIMIT = 1000
"""What a text takes unless the form says otherwise."""
DISCORD_TEXT_LIMIT = 4000
SWITCH_LIMIT = 3


def form_id(guild_id: str, form: Form) -> str:
    subject = "" if form.subject is None else f":{form.subject}"
    return f"{form.kind}:{guild_id}{subject}"


def form_modal(guild_id: str, form: Form) -> discord.ui.Modal | None:
    """The modal for `form`, or None when Discord cannot hold it."""
    fields = _fitting(form)
    if fields is None:
        return None
    modal = discord.ui.Modal(title=_cut(form.title, TITLE_LIMIT), custom_id=form_id(guild_id, form))
    for field in fields:
        modal.add_item(_input(field))
    return modal


def read_submission(data: dict[str, object]) -> tuple[str, Submission]:
    """(server id, what the form sends) of a modal submission; StaleForm (a ValueError) when it
    is none of the core's forms."""
    kind, _, rest = str(data.get("custom_id", "")).partition(":")
    guild_id, _, subject = rest.partition(":")
    if not guild_id:
        raise StaleForm("a form without its server")
    number = int(subject) if subject.isascii() and subject.isdigit() else None
    return guild_id, Submission(kind, number, submitted_values(data))


def submitted_values(data: dict[str, object]) -> dict[str, str]:
    """custom id → value of every text input in a modal submission, whatever its layout."""
    values: dict[str, str] = {}

    def walk(components: object) -> None:
        for component in components if isinstance(components, list) else []:
            if not isinstance(component, dict):
                continue
            if "custom_id" in component and "value" in component:
                values[str(component["custom_id"])] = str(component.get("value") or "")
            walk(component.get("components"))
            if isinstance(component.get("component"), dict):
                walk([component["component"]])

    walk(data.get("components"))
    return values


def _fitting(form: Form) -> tuple[FormField, ...] | None:
    if len(form.fields) <= MODAL_FIELDS:
        return form.fields
    shortlisted = tuple(f for f in form.fields if f.key in form.shortlist)
    return shortlisted if 0 < len(shortlisted) <= MODAL_FIELDS else None


def _input(field: FormField) -> discord.ui.TextInput[discord.ui.Modal]:
    label = field.short_label or field.label
    if field.kind is FieldKind.SWITCH:
        return discord.ui.TextInput(
            label=_cut(f"{label} yes/no", LABEL_LIMIT),
            custom_id=field.key,
            default=field.value,
            required=field.required,
            max_length=SWITCH_LIMIT,
        )
    hint = ", ".join(field.options) if field.kind is FieldKind.CHOICE else field.hint
    return discord.ui.TextInput(
        label=_cut(label, LABEL_LIMIT),
        custom_id=field.key,
        default=field.value or None,
        placeholder=_cut(hint, PLACEHOLDER_LIMIT) if hint else None,
        style=discord.TextStyle.paragraph
        if field.kind is FieldKind.LONG
        else discord.TextStyle.short,
        required=field.required,
        max_length=min(field.max_length or TEXT_LIMIT, DISCORD_TEXT_LIMIT),
    )


def _cut(text: str, limit: int) -> str:
    """A label or a placeholder, its commands named as on Discord, cut to `limit`."""
    text = KNOWN_COMMANDS.written(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
