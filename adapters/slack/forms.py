"""Every form of the core as a Slack modal, and every submitted modal read back: one renderer,
one reader.

Rules:
- a modal shows the form exactly as the core gave it: its short title in the title bar (Slack
  allows 24 characters), its full title above the fields when it says more, each field
  prefilled with what it holds; texts are inputs (`answer` is each one's action id, the field's
  key its block id), a choice a menu, a switch one box ticked when on;
- a field is optional unless the form requires it (an unanswered question is sent as blank, as
  in the console);
- the form's kind is the modal's callback id and its subject travels in the private metadata,
  so an answer reaches what was shown (the check-in that was open), not whatever is current
  when it is sent;
- read back, every input is taken by its block id: a text as typed ("" when empty), a choice as
  chosen, a switch "yes" when ticked; a submission the core cannot read raises StaleForm (a
  ValueError), as does metadata that is not ours.
"""

from __future__ import annotations

import json
from typing import Any

from adapters.slack.blocks import Block, plain, sections
from bot.kernel.forms import NO, YES, FieldKind, Form, FormField, StaleForm, Submission

ANSWER = "answer"
"""The action id of every text input."""
INPUT_LIMIT = 3000
TITLE_LIMIT = 24
LABEL_LIMIT = 2000
SUBJECT = "subject"
_EARLIER_SUBJECT = "checkin_id"
"""Where modals opened before forms were one kind of thing kept their check-in's id."""


def form_view(form: Form) -> dict[str, Any]:
    """The modal for `form`."""
    blocks: list[Block] = sections(form.title) if form.title != form.short_title else []
    blocks += [_block(field) for field in form.fields]
    metadata = {} if form.subject is None else {SUBJECT: form.subject}
    return {
        "type": "modal",
        "callback_id": form.kind,
        "title": plain(form.short_title, TITLE_LIMIT),
        "submit": plain(form.submit),
        "close": plain("Cancel"),
        "private_metadata": json.dumps(metadata),
        "blocks": blocks,
    }


def read_form(view: dict[str, Any]) -> Submission:
    """What a submitted modal sends: its kind, subject and the value of each input, in order."""
    metadata = json.loads(view["private_metadata"] or "{}")
    if not isinstance(metadata, dict):
        raise StaleForm("private metadata that is not ours")
    subject = metadata.get(SUBJECT, metadata.get(_EARLIER_SUBJECT))
    values = {
        block_id: _value(state)
        for block_id, actions in view["state"]["values"].items()
        for state in list(actions.values())[:1]
    }
    return Submission(str(view["callback_id"]), None if subject is None else int(subject), values)


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


def submitted_title(view: dict[str, Any]) -> str:
    """The title of a submitted modal, as Slack sends it back: what its answer is shown under."""
    title = view.get("title")
    return str(title.get("text") or "") if isinstance(title, dict) else ""


def _block(field: FormField) -> Block:
    block: Block = {
        "type": "input",
        "block_id": field.key,
        "optional": not field.required,
        "label": plain(field.label, LABEL_LIMIT),
        "element": _element(field),
    }
    if field.hint and field.kind is not FieldKind.SWITCH:
        block["hint"] = plain(field.hint, LABEL_LIMIT)
    return block


def _element(field: FormField) -> Block:
    if field.kind is FieldKind.SWITCH:
        box: Block = {"type": "checkboxes", "action_id": field.key, "options": [_box(field)]}
        if field.value == YES:
            box["initial_options"] = [_box(field)]
        return box
    if field.kind is FieldKind.CHOICE:
        menu: Block = {
            "type": "static_select",
            "action_id": ANSWER,
            "options": [_option(option) for option in field.options],
        }
        if field.value in field.options:
            menu["initial_option"] = _option(field.value)
        return menu
    limit = min(field.max_length or INPUT_LIMIT, INPUT_LIMIT)
    element: Block = {
        "type": "plain_text_input",
        "action_id": ANSWER,
        "multiline": field.kind is FieldKind.LONG,
        "max_length": limit,
    }
    if field.value:
        element["initial_value"] = field.value[:limit]
    return element


def _box(field: FormField) -> dict[str, Any]:
    return {"text": plain(field.hint or field.label), "value": YES}


def _option(option: str) -> dict[str, Any]:
    return {"text": plain(option), "value": option}


def _value(state: dict[str, Any]) -> str:
    if "selected_options" in state or state.get("type") == "checkboxes":
        return YES if state.get("selected_options") else NO
    if "selected_option" in state or state.get("type") == "static_select":
        return str((state.get("selected_option") or {}).get("value") or "")
    return str(state.get("value") or "")
