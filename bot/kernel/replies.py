"""The neutral answer to a command; each adapter renders it its own way."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.model import Action


@dataclass(frozen=True)
class CheckinForm:
    """Questions for the adapter to ask as a form (a modal on Slack and Discord, one at a time in
    the console), prefilled with the answers given so far; what comes back is submitted as
    `AnswerCheckin(checkin_id=...)`."""

    checkin_id: int
    title: str
    questions: tuple[str, ...]
    answers: tuple[str, ...] = ()
    concern: bool = False


@dataclass(frozen=True)
class ProfileFormField:
    """One field of the profile form: its `/profile set` name, a label, the value as it would be
    typed now ("" when unset) and a one-line hint of what fits. The value is the member's own
    text as stored, not defused: it prefills an input, which never pings anyone."""

    name: str
    label: str
    value: str
    hint: str
    multiline: bool = False


@dataclass(frozen=True)
class ProfileForm:
    """The whole profile as a form (a modal on Slack and Discord); what comes back, changed or
    not, is submitted as one `UpdateProfile`."""

    fields: tuple[ProfileFormField, ...]


@dataclass(frozen=True)
class HomeSummary:
    """What a member's home page shows (Slack's App Home): short lines, newest first, each part
    empty when there is nothing to show."""

    circles: tuple[str, ...]
    buddies: tuple[str, ...]
    waiting_for_buddy: str | None
    checkin: CheckinForm | None
    """The open check-in they can answer now, if any."""
    kudos: tuple[str, ...]
    """Recent kudos they received."""
    paused_until: str | None = None


@dataclass(frozen=True)
class Attachment:
    """A file that goes with a reply (a data export, a chart, a CSV): uploaded privately on Slack
    and Discord, written to a file whose path is shown in the console."""

    name: str
    content: bytes
    media_type: str


@dataclass(frozen=True)
class Reply:
    """`private` replies are seen by the caller only (ephemeral on Slack and Discord)."""

    text: str
    private: bool = True
    ok: bool = True
    form: CheckinForm | None = None
    actions: tuple[Action, ...] = ()
    """Buttons under the reply where the platform has them (the text still says what to type)."""
    profile_form: ProfileForm | None = None
    home: HomeSummary | None = None
    choices: tuple[str, ...] = ()
    """Suggestions for a field being typed (autocomplete), best first."""
    files: tuple[Attachment, ...] = ()
    invalid_field: str | None = None
    """With `ok=False` from a form: the field whose value was refused, for the form to show the
    message under it."""

    @classmethod
    def error(cls, text: str) -> Reply:
        return cls(text=text, private=True, ok=False)
