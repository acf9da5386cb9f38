"""Buttons and modals: the core's actions and forms as Discord components.

Rules:
- a button's custom id is `run:<server id>:<command>`: pressing it runs the command as typed by
  whoever pressed it, in that server, so it keeps working after a restart and in a DM (which
  has no server of its own); nothing else is kept anywhere;
- a check-in modal has one field per question and a yes/no for "concern"; Discord allows five
  fields, so a check-in of more than four questions is answered in one line instead;
- the profile modal holds the five fields people change most; the others stay `/profile set`.
"""

from __future__ import annotations

import discord

from bot.kernel.model import Action
from bot.kernel.replies import CheckinForm, ProfileForm
from bot.kernel.text import without_bidi_controls

RUN = "run"
CHECKIN = "checkin"
PROFILE = "profile"
CUSTOM_ID_LIMIT = 100
MODAL_FIELDS = 5
PROFILE_FIELDS = ("timezone", "subjects", "languages", "hours", "bio")
LABEL_LIMIT = 45
_STYLES = {"primary": discord.ButtonStyle.primary, "danger": discord.ButtonStyle.danger}


def run_id(guild_id: str, command: str) -> str | None:
    custom_id = f"{RUN}:{guild_id}:{command}"
    return custom_id if len(custom_id) <= CUSTOM_ID_LIMIT else None


def parse_run_id(custom_id: str) -> tuple[str, str] | None:
    """(server id, command) of a command button, or None for another component."""
    kind, _, rest = custom_id.partition(":")
    guild_id, _, command = rest.partition(":")
    return (guild_id, command) if kind == RUN and guild_id and command else None


def buttons(guild_id: str, actions: tuple[Action, ...]) -> discord.ui.View | None:
    """A view of command buttons; None when there are none. Never times out."""
    view = discord.ui.View(timeout=None)
    for action in actions[:25]:
        custom_id = run_id(guild_id, action.command)
        if custom_id is not None:
            style = _STYLES.get(action.style, discord.ButtonStyle.secondary)
            view.add_item(
                discord.ui.Button(
                    label=without_bidi_controls(action.label)[:80],
                    style=style,
                    custom_id=custom_id,
                )
            )
    if not view.children:
        return None
    view.stop()  # nothing waits on it: a press is an interaction like any other (no view store)
    return view


def checkin_modal(guild_id: str, form: CheckinForm) -> discord.ui.Modal | None:
    if len(form.questions) > MODAL_FIELDS - 1:
        return None
    modal = discord.ui.Modal(
        title=_cut(form.title, 45), custom_id=f"{CHECKIN}:{guild_id}:{form.checkin_id}"
    )
    for n, question in enumerate(form.questions):
        before = form.answers[n] if n < len(form.answers) else ""
        modal.add_item(
            discord.ui.TextInput(
                label=_cut(question, LABEL_LIMIT),
                style=discord.TextStyle.paragraph,
                custom_id=f"q{n}",
                default=before or None,
                required=False,
                max_length=1000,
            )
        )
    modal.add_item(
        discord.ui.TextInput(
            label="Send to the moderators as a concern? yes/no",
            custom_id="concern",
            default="yes" if form.concern else "no",
            required=False,
            max_length=3,
        )
    )
    return modal


def profile_modal(guild_id: str, form: ProfileForm) -> discord.ui.Modal:
    modal = discord.ui.Modal(title="Your profile", custom_id=f"{PROFILE}:{guild_id}")
    for field in form.fields:
        if field.name in PROFILE_FIELDS:
            modal.add_item(
                discord.ui.TextInput(
                    label=_cut(field.label, LABEL_LIMIT),
                    custom_id=field.name,
                    default=field.value or None,
                    placeholder=_cut(field.hint, 100),
                    style=discord.TextStyle.paragraph
                    if field.multiline
                    else discord.TextStyle.short,
                    required=False,
                    max_length=1000,
                )
            )
    return modal


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


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
