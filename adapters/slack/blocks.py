"""Block Kit's pieces: text as sections, actions as buttons (put together by
adapters.slack.render and the forms).

Rules: every button runs a command line as typed by whoever presses it (its value, at most the
2,000 characters Slack allows and in practice under 100), so a button can never do more than its
presser could type; the text alone still says how to answer, for notifications and screen
readers; at most 25 buttons (Slack's limit for one actions block); every text, a message's
`text` (its notification and fallback) included, is drawn by `to_mrkdwn` (no link anyone typed,
no bidirectional control), and plain text has no bidirectional control either.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.slack.command_text import for_slack
from adapters.slack.mrkdwn import pieces, to_mrkdwn
from bot.kernel.model import Action
from bot.kernel.text import without_bidi_controls

Block = dict[str, Any]

RUN_ACTION = "run"
"""Action ids of command buttons are `run:<n>` (ids must differ within a message)."""
EDIT_PROFILE = "profile:edit"
MAX_BUTTONS = 25
LABEL_LIMIT = 75


def plain(text: str, limit: int = LABEL_LIMIT) -> dict[str, Any]:
    """A plain-text object (a label, a hint, a button), its commands written for Slack."""
    text = without_bidi_controls(for_slack(text))
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return {"type": "plain_text", "text": shown, "emoji": True}


def fallback(text: str, *, private: bool = False, names: Mapping[str, str] | None = None) -> str:
    """A message's `text` next to its blocks: Slack shows it in notifications and where blocks
    cannot be shown, as mrkdwn, so it is drawn exactly like the sections."""
    return to_mrkdwn(text, private=private, names=names)


def sections(
    text: str, *, private: bool = False, names: Mapping[str, str] | None = None
) -> list[Block]:
    """`text` as sections, cut after escaping so that no section passes Slack's limit."""
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": piece}}
        for piece in pieces(to_mrkdwn(text, private=private, names=names))
        if piece.strip()
    ]


def button(action: Action, index: int) -> Block:
    block: Block = {
        "type": "button",
        "text": plain(action.label),
        "action_id": f"{RUN_ACTION}:{index}",
        "value": action.command,
    }
    if action.style in ("primary", "danger"):
        block["style"] = action.style
    return block


def buttons(actions: tuple[Action, ...], *extra: Block) -> list[Block]:
    elements = [button(action, i) for i, action in enumerate(actions)] + list(extra)
    return [{"type": "actions", "elements": elements[:MAX_BUTTONS]}] if elements else []


def edit_profile_button() -> Block:
    return {"type": "button", "text": plain("Edit profile"), "action_id": EDIT_PROFILE}
