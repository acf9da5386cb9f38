"""The check-in as a form: one long answer per question, prefilled with the answers given so
far, then the concern switch; given by /checkin and by the member's home (two features, so it
lives here), read back by the check-ins feature.

Rules: the form carries the check-in's id, so its answers reach the check-in that was shown,
not whichever is current when it is sent; the answers come back in question order, one for
each question the form asked, in keys q0, q1...; the concern switch is on only when said so.
The switch reads as a choice, not a second question (the default last question already asks
"Anything the moderators should know?"): its label names it, its box or prompt says what ticking
it does (the answers go to the moderators now, privately).
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.kernel.forms import NO, YES, FieldKind, Form, FormField, is_yes
from bot.kernel.model import Checkin

CHECKIN_FORM = "checkin"
CONCERN = "concern"


def question_key(n: int) -> str:
    return f"q{n}"


def checkin_form(checkin: Checkin) -> Form:
    answers = checkin.answers
    questions = tuple(
        FormField(
            question_key(n), question, answers[n] if n < len(answers) else "", kind=FieldKind.LONG
        )
        for n, question in enumerate(checkin.questions)
    )
    concern = FormField(
        CONCERN,
        "Concern",
        YES if checkin.concern else NO,
        hint="Send these answers to the moderators now, privately, as a concern",
        kind=FieldKind.SWITCH,
        short_label="Send to the moderators as a concern?",
        prompt="Send these answers to the moderators now, privately, as a concern?",
    )
    return Form(
        CHECKIN_FORM,
        f"{checkin.circle.name} check-in",
        "Check-in",
        (*questions, concern),
        submit="Send",
        subject=checkin.id,
    )


def checkin_answers(values: Mapping[str, str]) -> tuple[tuple[str, ...], bool]:
    """(the answers in question order, the concern switch) of a submitted check-in form."""
    answers: list[str] = []
    while (key := question_key(len(answers))) in values:
        answers.append(values[key])
    return tuple(answers), is_yes(values.get(CONCERN, NO))
