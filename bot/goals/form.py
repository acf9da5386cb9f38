"""A new goal as a form: what `/goal add` with no words opens (a modal on Slack and Discord,
questions in the console); sent back, it is the same `AddGoal` typing would run.

Rule: an empty goal sent back from the form is refused (never a second form)."""

from __future__ import annotations

from bot.goals.commands import AddGoal
from bot.kernel.forms import FieldKind, Form, FormField, Submission, reads_form
from bot.kernel.model import Actor

GOAL_FORM = "goal"
GOAL, DATE = "goal", "date"


def goal_form() -> Form:
    return Form(
        GOAL_FORM,
        "A new goal",
        "New goal",
        (
            FormField(
                GOAL,
                "Your goal",
                hint="What you mean to do, 3 to 200 characters",
                kind=FieldKind.SHORT,
                max_length=200,
                required=True,
            ),
            FormField(
                DATE,
                "By when (optional)",
                hint="A date, YYYY-MM-DD; empty for none",
                max_length=10,
                prompt="By when? A date, YYYY-MM-DD, or nothing for none",
            ),
        ),
        submit="Set goal",
    )


@reads_form(GOAL_FORM)
def add_from_form(actor: Actor, form: Submission) -> AddGoal:
    date = form.values.get(DATE, "").strip()
    return AddGoal(actor, form.values.get(GOAL, ""), date or None, from_form=True)
