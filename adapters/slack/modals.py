"""The check-in and profile forms as Slack modals, and reading what comes back.

Rules: a modal shows the form exactly as the core gave it (questions, earlier answers, the
concern box); every field is optional (an unanswered question is sent as blank, as in the
console); the check-in's id travels in the modal's private metadata, so the answer reaches the
check-in that was shown, not whichever is current when the form is sent.
"""

from __future__ import annotations

import json
from typing import Any

from adapters.slack.blocks import Block, plain, sections
from bot.kernel.replies import CheckinForm, ProfileForm

CHECKIN_CALLBACK = "checkin"
PROFILE_CALLBACK = "profile"
CONCERN_BLOCK = "concern"
INPUT_LIMIT = 3000
TITLE_LIMIT = 24
LABEL_LIMIT = 2000


def checkin_modal(form: CheckinForm) -> dict[str, Any]:
    blocks: list[Block] = sections(form.title)
    for n, question in enumerate(form.questions):
        before = form.answers[n] if n < len(form.answers) else ""
        blocks.append(_input(f"q{n}", question, before, multiline=True))
    concern: Block = {
        "type": "checkboxes",
        "action_id": CONCERN_BLOCK,
        "options": [_concern_option()],
    }
    if form.concern:
        concern["initial_options"] = [_concern_option()]
    blocks.append(
        {
            "type": "input",
            "block_id": CONCERN_BLOCK,
            "optional": True,
            "element": concern,
            "label": plain("Something the moderators should know?", LABEL_LIMIT),
        }
    )
    return _modal(CHECKIN_CALLBACK, "Check-in", blocks, {"checkin_id": form.checkin_id}, "Send")


def read_checkin(view: dict[str, Any]) -> tuple[int, tuple[str, ...], bool]:
    """(check-in id, answers in question order, concern) from a submitted check-in modal."""
    values = view["state"]["values"]
    checkin_id = int(json.loads(view["private_metadata"])["checkin_id"])
    answers = []
    n = 0
    while f"q{n}" in values:
        answers.append(values[f"q{n}"]["answer"].get("value") or "")
        n += 1
    chosen = values.get(CONCERN_BLOCK, {}).get(CONCERN_BLOCK, {}).get("selected_options") or []
    return checkin_id, tuple(answers), bool(chosen)


def profile_modal(form: ProfileForm) -> dict[str, Any]:
    blocks = [
        _input(f.name, f.label, f.value, multiline=f.multiline, hint=f.hint) for f in form.fields
    ]
    return _modal(PROFILE_CALLBACK, "Your profile", blocks, {}, "Save")


def read_profile(view: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Every field of a submitted profile modal as (field, value typed), in the form's order."""
    values = view["state"]["values"]
    return tuple((name, (fields["answer"].get("value") or "")) for name, fields in values.items())


def notice_view(title: str, text: str) -> dict[str, Any]:
    """What a modal turns into once it was sent: the core's answer and a Close button."""
    return {
        "type": "modal",
        "title": plain(title or "Mentor Circles", TITLE_LIMIT),
        "close": plain("Close"),
        "blocks": sections(text, private=True),
    }


def loading_view() -> dict[str, Any]:
    """The modal shown for the moment between a click and the core's form."""
    return {
        "type": "modal",
        "title": plain("Mentor Circles", TITLE_LIMIT),
        "close": plain("Close"),
        "blocks": sections("One moment…"),
    }


def _input(block_id: str, label: str, value: str, *, multiline: bool, hint: str = "") -> Block:
    element: Block = {
        "type": "plain_text_input",
        "action_id": "answer",
        "multiline": multiline,
        "max_length": INPUT_LIMIT,
    }
    if value:
        element["initial_value"] = value[:INPUT_LIMIT]
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": plain(label, LABEL_LIMIT),
        "element": element,
    }
    if hint:
        block["hint"] = plain(hint, LABEL_LIMIT)
    return block


def _concern_option() -> dict[str, Any]:
    return {"text": plain("Send it to the moderators privately as a concern"), "value": "yes"}


def _modal(
    callback_id: str, title: str, blocks: list[Block], metadata: dict[str, Any], submit: str
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, TITLE_LIMIT),
        "submit": plain(submit),
        "close": plain("Cancel"),
        "private_metadata": json.dumps(metadata),
        "blocks": blocks,
    }
