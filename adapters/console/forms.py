"""Any form of the core in the console: its fields asked one at a time, in order, then sent.

Rules:
- texts are numbered among themselves ("1/3 How is it going?"); an empty line keeps what the
  field held (shown as "Enter keeps: ..."), or leaves it blank;
- a choice names its options and takes one of them (in any case); a switch is a yes/no question
  whose empty answer is no: it is never turned on unless said so;
- an answer that does not fit (not yes or no, not an option, empty where one is required, too
  long) is explained and the same field asked again;
- `/cancel` drops the form and changes nothing; any other command typed mid-form drops the form
  and runs (adapters.console.session).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.kernel.command_refs import as_typed
from bot.kernel.commands import Command
from bot.kernel.forms import NO, YES, FieldKind, Form, FormField, Submission, submitted_command
from bot.kernel.model import Actor

YES_WORDS, NO_WORDS = ("y", "yes"), ("n", "no", "")


@dataclass
class FormInProgress:
    form: Form
    actor: Actor
    values: dict[str, str] = field(default_factory=dict)

    def question(self) -> str:
        """What to ask next."""
        asked = self._next()
        assert asked is not None
        words = as_typed(asked.prompt or asked.label)
        if asked.kind is FieldKind.SWITCH:
            return f"{words} yes/no (Enter: no)"
        keep = f" (Enter keeps: {asked.value})" if asked.value else ""
        texts = [f.key for f in self.form.fields if f.kind is not FieldKind.SWITCH]
        number = f"{texts.index(asked.key) + 1}/{len(texts)}"
        if asked.kind is FieldKind.CHOICE:
            return f"{number} {words} ({' / '.join(asked.options)}){keep}"
        return f"{number} {words}{keep}"

    def take(self, line: str) -> str | None:
        """Record one line; a message when it was not understood."""
        asked = self._next()
        assert asked is not None
        typed = line.strip()
        if asked.kind is FieldKind.SWITCH:
            if typed.lower() not in YES_WORDS + NO_WORDS:
                return "Please answer yes or no."
            self.values[asked.key] = YES if typed.lower() in YES_WORDS else NO
            return None
        value = typed or asked.value
        if asked.kind is FieldKind.CHOICE and value:
            chosen = [o for o in asked.options if o.lower() == value.lower()]
            if not chosen:
                return f"Please answer one of: {', '.join(asked.options)}."
            value = chosen[0]
        if asked.required and not value:
            return "Please answer; this one is needed."
        if asked.max_length is not None and len(value) > asked.max_length:
            return f"At most {asked.max_length} characters, please."
        self.values[asked.key] = value
        return None

    @property
    def done(self) -> bool:
        return self._next() is None

    def command(self) -> Command:
        """What sending the form runs."""
        submission = Submission(self.form.kind, self.form.subject, dict(self.values))
        return submitted_command(self.actor, submission)

    def _next(self) -> FormField | None:
        return next((f for f in self.form.fields if f.key not in self.values), None)
