"""What the goal commands say: a list of goals, the moderators' counts, the question when a
goal's day comes.

Rules: every text a member wrote is shown unable to ping; dates in the reader's calendar (a
goal's day is a day of its owner's); counts name members and numbers, never a goal's words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.kernel.command_refs import command_ref
from bot.kernel.goal_checkins import goal_line
from bot.kernel.model import Action, Goal, Member
from bot.kernel.settings import CoreSettings
from bot.kernel.text import neutralise

NOTE_SHOWN = 200


def goals_text(
    goals: Sequence[Goal],
    reached: int,
    settings: CoreSettings,
    now: datetime,
    whose: str,
    with_notes: bool = True,
) -> str:
    """`whose` is "Your" or a name's possessive; each goal's latest note `with_notes` only."""
    if not goals:
        lines = [f"{whose} open goals: none."]
    else:
        lines = [f"{whose} open goals:"]
        for n, goal in enumerate(goals, 1):
            lines.append(goal_line(goal, n, settings, now))
            notes = [note for note in goal.notes if note.text and with_notes]
            if notes:
                lines.append(f"   latest: {neutralise(notes[-1].text, NOTE_SHOWN)}")
    if reached:
        lines.append(f"Reached so far: {reached}.")
    return "\n".join(lines)


def counts_text(where: str, counts: Sequence[tuple[Member, int, int]]) -> str:
    if not counts:
        return f"Nobody {where} has set a goal yet."
    lines = [f"Goals {where}, open and reached (their words stay theirs):"]
    lines += [
        f"• {neutralise(member.display_name, 40)}: {open_} open, {reached} reached"
        for member, open_, reached in counts
    ]
    total_open, total_reached = sum(c[1] for c in counts), sum(c[2] for c in counts)
    lines.append(f"Altogether: {total_open} open, {total_reached} reached.")
    return "\n".join(lines)


def due_question(goal: Goal, line: str) -> str:
    return (
        f"Your goal's day has come:\n{line}\nDid you reach it? "
        f"{command_ref('/goal done <number>')} marks it reached, "
        f"{command_ref('/goal progress <number> <note>')} notes how it is going, "
        f"{command_ref('/goal drop <number>')} lets it go; {command_ref('/goal list')} numbers "
        "your goals."
    )


def due_actions(goal: Goal) -> tuple[Action, ...]:
    """Buttons that name the goal by id, so a list changed since cannot misdirect them."""
    return (
        Action("Reached it", f"/goal done g{goal.id}", "primary"),
        Action("Not yet", f"/goal progress g{goal.id} Not reached yet; still going."),
        Action("Drop it", f"/goal drop g{goal.id}", "danger"),
    )
