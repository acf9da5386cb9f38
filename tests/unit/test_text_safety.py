"""What a member typed stays where it belongs: never in a log line."""

from __future__ import annotations

import logging

import pytest

from bot.bus import SOMETHING_WENT_WRONG
from tests.unit.conftest import Say

CONCERN = "Uncle Bertram hurts me when mum is out"


async def test_a_command_failing_on_a_bug_logs_where_it_failed_but_not_what_was_typed(
    say: Say, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug whose error quotes the member's words (here, in reading a concern)."""

    def broken(text: str) -> str:
        raise ValueError(f"cannot read the concern {text!r}")

    monkeypatch.setattr("bot.handlers.flags.clean_input", broken)
    caplog.set_level(logging.INFO)
    reply = await say("ada", f"/flag {CONCERN}")
    assert reply.text == SOMETHING_WENT_WRONG
    assert "command RaiseFlag failed" in caplog.text
    assert "ValueError" in caplog.text
    assert "bot/handlers/flags.py" in caplog.text, "where it failed is logged"
    assert "Bertram" not in caplog.text
