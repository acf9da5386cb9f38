"""The neutral answer to a command; each adapter renders it its own way."""

from __future__ import annotations

from dataclasses import dataclass


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
class Reply:
    """`private` replies are seen by the caller only (ephemeral on Slack and Discord)."""

    text: str
    private: bool = True
    ok: bool = True
    form: CheckinForm | None = None

    @classmethod
    def error(cls, text: str) -> Reply:
        return cls(text=text, private=True, ok=False)
