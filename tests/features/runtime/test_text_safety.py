"""What a member typed stays where it belongs, through the real bootstrap: never in a log line,
never a ping when a reply echoes it, and no name in a DM carries bidirectional controls (on
Slack and Discord: tests/adapters/test_rendering_safety.py; the rule alone:
tests/unit/test_text_safety.py)."""

from __future__ import annotations

import io
import logging

import pytest

from adapters.bootstrap import bootstrap
from adapters.clock import ManualClock
from adapters.console.messenger import ConsoleMessenger
from bot.kernel.model import Actor, MemberRef
from bot.runtime.bus import SOMETHING_WENT_WRONG
from tests.support.scenes import Say
from tests.support.settings import settings_for

CONCERN = "Uncle Bertram hurts me when mum is out"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


async def test_a_command_failing_on_a_bug_logs_where_it_failed_but_not_what_was_typed(
    say: Say, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug whose error quotes the member's words (here, in reading a concern)."""

    def broken(text: str) -> str:
        raise ValueError(f"cannot read the concern {text!r}")

    monkeypatch.setattr("bot.flags.handlers.clean_input", broken)
    caplog.set_level(logging.INFO)
    reply = await say("ada", f"/flag {CONCERN}")
    assert reply.text == SOMETHING_WENT_WRONG
    assert "command RaiseFlag failed" in caplog.text
    assert "ValueError" in caplog.text
    assert "bot/flags/handlers.py" in caplog.text, "where it failed is logged"
    assert "Bertram" not in caplog.text


async def test_the_console_shows_names_without_bidirectional_controls_in_every_dm(
    clock: ManualClock,
) -> None:
    """Zed's name hides a right-to-left override; the match DM, the partner's "pairing ended"
    DM and the moderators' "Zed ended their pairing" DM each name him."""
    out = io.StringIO()
    app = await bootstrap(
        settings_for("sqlite+aiosqlite://", moderators=["console:morgan"]),
        clock,
        {"console": ConsoleMessenger(out)},
    )
    zed = Actor(MemberRef("console", "w1", "zed"), f"{BIDI}Zed")
    ben = Actor(MemberRef("console", "w1", "ben"), "Ben")
    try:
        for who, line in (
            (zed, "/findbuddy"),
            (ben, "/findbuddy"),
            (zed, "/buddy end @ben moving"),
        ):
            assert (await app.bus.handle_text(line, who)).ok
            await app.due.deliver()
    finally:
        await app.close()
    shown = out.getvalue()
    assert "[DM to ben] You have a study buddy: Zed." in shown
    assert "[DM to ben] Your buddy pairing with Zed has ended." in shown
    assert "[DM to morgan] Zed ended their buddy pairing with Ben." in shown
    assert not set(BIDI) & set(shown)


@pytest.mark.parametrize(
    "line",
    [
        "/circle info @everyone",
        "/help @everyone",
        "/circle list <!channel>",
        "/circle set algebra channel @everyone",
        "/profile set timezone <!here>",
    ],
)
async def test_nothing_typed_is_echoed_as_a_ping(circle_with_people: Say, line: str) -> None:
    text = (await circle_with_people("morgan", line)).text
    assert "@everyone" not in text
    assert "<!channel>" not in text
    assert "<!here>" not in text
