"""The invitation to rate a meeting, shown to whoever says "we met" (`/buddy met` or the *We
met* button): a line saying how, and the five ratings as buttons.

It lives in the kernel because the buddies feature shows it and the feedback feature reads what
it leads to, and features never import each other. Rules: the text alone says how to answer by
typing (the console has no buttons); each button runs `/feedback <n> <@partner>` for whoever
presses it; the invitation says the rating and note are for the moderators only."""

from __future__ import annotations

from bot.kernel.command_refs import command_ref
from bot.kernel.model import Action, WorkspaceRef
from bot.kernel.model.feedback import HIGHEST_SCORE, LOWEST_SCORE
from bot.kernel.text import typed_mention_of


def rating_invitation(
    workspace: WorkspaceRef, partner_user_id: str
) -> tuple[str, tuple[Action, ...]]:
    """The line inviting a rating of the meeting with that partner, and its buttons."""
    handle = typed_mention_of(workspace, partner_user_id)
    text = (
        f"How did it go? Rate it from {LOWEST_SCORE} (badly) to {HIGHEST_SCORE} (very well), "
        f"with a note if you like: {command_ref(f'/feedback 4 {handle} we worked on fractions')}. "
        "Only the moderators see your rating and note; your buddy never does."
    )
    mention = f"<@{partner_user_id}>"
    buttons = tuple(
        Action(str(n), f"/feedback {n} {mention}") for n in range(LOWEST_SCORE, HIGHEST_SCORE + 1)
    )
    return text, buttons
