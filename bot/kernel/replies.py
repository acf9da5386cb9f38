"""The neutral answer to a command; each adapter renders it its own way."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.forms import Form
from bot.kernel.model import Action


@dataclass(frozen=True)
class HomeSummary:
    """What a member's home page shows (Slack's App Home): short lines, newest first, each part
    empty when there is nothing to show."""

    circles: tuple[str, ...]
    buddies: tuple[str, ...]
    waiting_for_buddy: str | None
    checkin: Form | None
    """The form of the open check-in they can answer now, if any."""
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
    form: Form | None = None
    """A form to fill in (bot.kernel.forms): opened at once, or offered under the text."""
    actions: tuple[Action, ...] = ()
    """Buttons under the reply where the platform has them (the text still says what to type)."""
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
