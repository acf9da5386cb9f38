"""Forms as the core gives them and takes them back, the same for every platform: a `Form` that
each platform draws with one renderer, and a `Submission` that each platform reads back with one
reader and the core turns into the command the form stands for.

Rules:
- a form's fields are shown in order, each prefilled with its `value`, so a form sent back
  untouched sends back what it showed (a platform that cannot hold every field shows the
  form's `shortlist`, or no form at all when it has none);
- a submission holds, by key, the text of each field the platform showed: a text as typed (""
  when empty), a choice the option chosen (as typed where a platform has no menu: the command
  that reads it checks it, as it checks every typed value), a switch "yes" or "no" (where a
  platform asks a switch as typed text, whatever begins with "y" is yes);
- what a submission does is decided by its form's `kind`: the feature that gives the form
  registers, with `reads_form`, how its submission becomes a command. A submission of a kind no
  feature reads, or without the `subject` its kind needs, is stale (`StaleForm`): it runs
  nothing, and the platform says the form is out of date.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from bot.kernel.commands import Command
from bot.kernel.model import Actor

YES, NO = "yes", "no"
"""A switch's two values."""


def is_yes(value: str) -> bool:
    """A switch's value read back: yes, or typed text that begins with "y"."""
    return value.strip().lower().startswith("y")


class FieldKind(StrEnum):
    SHORT = "short"
    """One line of text."""
    LONG = "long"
    """Text of several lines."""
    CHOICE = "choice"
    """One of the field's `options`."""
    SWITCH = "switch"
    """On or off: `YES` or `NO`."""


@dataclass(frozen=True)
class FormField:
    """One field. The value is the member's own text as stored, not defused: it prefills an
    input, which never pings anyone."""

    key: str
    """How the submission names it."""
    label: str
    """What the field is, shown with its input."""
    value: str = ""
    """What it holds now ("" when nothing): the input's starting text."""
    hint: str = ""
    """One line of what fits; for a switch, what turning it on does (shown beside its box)."""
    kind: FieldKind = FieldKind.SHORT
    options: tuple[str, ...] = ()
    """A choice's options, in the order shown."""
    max_length: int | None = None
    """At most this many characters where the platform can hold it to that; None: as many as
    the platform takes (the command that reads it keeps its own limit)."""
    required: bool = False
    short_label: str = ""
    """The label for a platform with little room for one (Discord's 45 characters); "": the
    label, cut short."""
    prompt: str = ""
    """The field asked as a question, where a platform asks one field at a time in words (the
    console); "": the label."""


@dataclass(frozen=True)
class Form:
    """A form to fill in: a modal on Slack and Discord, one question at a time in the
    console."""

    kind: str
    """What submitting it does (see `reads_form`)."""
    title: str
    """What it is called where there is room for it ("algebra check-in")."""
    short_title: str
    """Its name in a narrow title bar (Slack's 24 characters: "Check-in")."""
    fields: tuple[FormField, ...]
    submit: str = "Send"
    """The submit button's label."""
    subject: int | None = None
    """What it is about, when its kind needs it (the check-in it answers)."""
    at_once: bool = True
    """True: the reply is the form, opened as soon as it comes. False: the reply's text comes
    first and the form is offered under it (the profile's "Edit profile")."""
    shortlist: tuple[str, ...] = ()
    """The keys of the fields to show, in the form's order, on a platform that cannot hold them
    all (Discord's five); empty: such a platform shows no form, and the reply's text says what
    to type instead."""


class StaleForm(ValueError):
    """A submission no form the core gives could have sent: of a kind nobody reads, or without
    the subject its kind needs."""


@dataclass(frozen=True)
class Submission:
    """A form as it came back: its kind and subject, as the form carried them, and the text of
    each field by key, in the order shown. Raises StaleForm when the core cannot read it."""

    kind: str
    subject: int | None
    values: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        reader = _READERS.get(self.kind)
        if reader is None or (reader.needs_subject and self.subject is None):
            raise StaleForm(f"no form of kind {self.kind!r} reads this")


FormReader = Callable[[Actor, Submission], Command]


@dataclass(frozen=True)
class _Registered:
    read: FormReader
    needs_subject: bool


_READERS: dict[str, _Registered] = {}


def reads_form(kind: str, *, needs_subject: bool = False) -> Callable[[FormReader], FormReader]:
    """Register how a submitted form of `kind` becomes a command (the feature that gives the
    form does this once, when imported); `needs_subject`: a submission without one is stale."""

    def register(read: FormReader) -> FormReader:
        _READERS[kind] = _Registered(read, needs_subject)
        return read

    return register


def form_kinds() -> tuple[str, ...]:
    """Every kind of form some feature reads."""
    return tuple(_READERS)


def submitted_command(actor: Actor, submission: Submission) -> Command:
    """The command `actor` runs by sending the form: what the same form typed would run."""
    return _READERS[submission.kind].read(actor, submission)
