"""The neutral answer to a command; each adapter renders it its own way."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reply:
    """`private` replies are seen by the caller only (ephemeral on Slack and Discord)."""

    text: str
    private: bool = True
    ok: bool = True

    @classmethod
    def error(cls, text: str) -> Reply:
        return cls(text=text, private=True, ok=False)
