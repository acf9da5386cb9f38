"""A check-in form in the console: the questions one at a time, then "a concern?", then submit.

Rules: an empty line keeps the answer given before (or leaves it blank); `/cancel` drops the
form and changes nothing; any other command typed mid-form drops the form and runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.checkins.commands import AnswerCheckin
from bot.kernel.model import Actor
from bot.kernel.replies import CheckinForm

YES, NO = ("y", "yes"), ("n", "no", "")


@dataclass
class FormInProgress:
    form: CheckinForm
    actor: Actor
    answers: list[str] = field(default_factory=list)
    concern: bool | None = None

    def question(self) -> str:
        """What to ask next."""
        n = len(self.answers)
        if n < len(self.form.questions):
            before = self.form.answers[n] if n < len(self.form.answers) else ""
            keep = f" (Enter keeps: {before})" if before else ""
            return f"{n + 1}/{len(self.form.questions)} {self.form.questions[n]}{keep}"
        return "Should the moderators see this privately as a concern? yes/no (Enter: no)"

    def take(self, line: str) -> str | None:
        """Record one line; a message when it was not understood."""
        n = len(self.answers)
        if n < len(self.form.questions):
            before = self.form.answers[n] if n < len(self.form.answers) else ""
            self.answers.append(line.strip() or before)
            return None
        word = line.strip().lower()
        if word not in YES + NO:
            return "Please answer yes or no."
        self.concern = word in YES
        return None

    @property
    def done(self) -> bool:
        return self.concern is not None

    def command(self) -> AnswerCheckin:
        return AnswerCheckin(
            self.actor, tuple(self.answers), bool(self.concern), self.form.checkin_id
        )
