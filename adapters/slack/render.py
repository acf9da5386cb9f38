"""Replies and messages as Slack payloads: Block Kit and the fallback text next to it.

Rules:
- an outbox message is its text, then its buttons; its `text` (notifications) is drawn exactly
  like its blocks, and a person it quotes a defused mention of is shown by name (`names`);
- a private reply is its text (mentions shown as names), its buttons, more buttons the adapter
  adds (a form offered again), and "Edit profile" when it carries the profile form;
- a reply shown where its files are not (an ephemeral message) says they come in the DM;
- a button's answer under a message keeps the message's text, loses its buttons, and adds the
  answer after a check mark.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, TypedDict

from adapters.slack.blocks import Block, buttons, edit_profile_button, fallback, sections
from bot.kernel.model import Action
from bot.kernel.replies import Reply
from bot.profile.form import PROFILE_FORM

FILES_FOLLOW = "(The file comes in our DM.)"
SEVERAL_FILES_FOLLOW = "(The files come in our DM.)"


class Payload(TypedDict):
    """A message's blocks and the text Slack shows next to them (notifications, fallback)."""

    text: str
    blocks: list[Block]


def message_blocks(
    text: str, actions: tuple[Action, ...], names: Mapping[str, str] | None = None
) -> list[Block]:
    """An outbox message: its text (the people it quotes by `names`), then its buttons."""
    return sections(text, names=names) + buttons(actions)


def message_payload(
    text: str, actions: tuple[Action, ...], names: Mapping[str, str] | None = None
) -> Payload:
    """An outbox message as `text` and `blocks`, drawn alike."""
    return {"text": fallback(text, names=names), "blocks": message_blocks(text, actions, names)}


def reply_blocks(reply: Reply, *, more: tuple[Action, ...] = ()) -> list[Block]:
    """A private reply: text (mentions shown as names), its buttons, and "Edit profile" when the
    reply carries the profile form."""
    offers_profile = reply.form is not None and reply.form.kind == PROFILE_FORM
    extra = [edit_profile_button()] if offers_profile else []
    return sections(reply.text, private=True) + buttons(reply.actions + more, *extra)


def reply_payload(reply: Reply, *, more: tuple[Action, ...] = ()) -> Payload:
    """A private reply as `text` and `blocks`."""
    return {"text": fallback(reply.text, private=True), "blocks": reply_blocks(reply, more=more)}


def noting_files(reply: Reply) -> Reply:
    """A reply shown where its files are not (an ephemeral message) says where they come."""
    if not reply.files:
        return reply
    note = FILES_FOLLOW if len(reply.files) == 1 else SEVERAL_FILES_FOLLOW
    return replace(reply, text=f"{reply.text}\n{note}")


def answered_payload(message: dict[str, Any], reply: Reply) -> Payload:
    """The message a button was under, answered: its text kept, its buttons gone, the reply
    (noting where its files come) after a check mark."""
    kept = [b for b in message.get("blocks") or [] if b.get("type") != "actions"]
    reply = noting_files(reply)
    blocks = (kept or sections(message.get("text", ""))) + sections(f"✓ {reply.text}", private=True)
    return {"text": fallback(reply.text, private=True), "blocks": blocks}
