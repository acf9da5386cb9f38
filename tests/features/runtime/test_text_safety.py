"""What a member typed stays where it belongs, through the real bootstrap: never in a log line,
never a ping when a reply echoes it, and no name in a DM carries bidirectional controls (on
Slack and Discord: tests/adapters/test_rendering_safety.py; the rule alone:
tests/unit/test_text_safety.py)."""

from __future__ import annotations

import io
import logging

import pytest

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock, OffsetClock
from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession
from bot.kernel.model import Actor, MemberRef
from bot.runtime.bus import SOMETHING_WENT_WRONG
from tests.support.scenes import Say
from tests.support.settings import START, settings_for

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


TEACHER = "\U0001f469\U0001f3fd\u200d\U0001f3eb"  # woman, medium skin tone, ZWJ, school
SCOTLAND = "\U0001f3f4" + "".join(chr(0xE0000 + ord(c)) for c in "gbsct") + "\U000e007f"
PERSIAN = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want", its ZWNJ a spelling
SHAKING = "\U0001fae8"  # an emoji of 2022, unknown to Python 3.11's own Unicode tables


async def _console_says(app: App, display_name: str, *lines: str) -> str:
    """What the console prints when `display_name` types `lines`."""
    out = io.StringIO()
    me = Actor(MemberRef("console", "w1", "ada"), display_name)
    session = ConsoleSession(app, OffsetClock(START), out, "w1", me, set(), "./files")
    for line in lines:
        await session.handle_line(line)
    return out.getvalue()


async def test_a_bio_and_a_name_keep_their_emoji_sequences_and_spelling_on_the_console(
    app: App,
) -> None:
    bio = f"Teacher {TEACHER} from {SCOTLAND}, {SHAKING} before exams; {PERSIAN}"
    shown = await _console_says(app, f"Ada {TEACHER}", f"/profile set bio {bio}", "/profile")
    assert f"Profile of Ada {TEACHER}" in shown
    assert bio in shown


async def test_invisible_characters_that_hide_text_or_disguise_a_name_are_dropped_on_the_console(
    app: App,
) -> None:
    """A joiner inside a name reads as Ada and is shown as Ada; a zero-width space, tags that
    spell hidden words and the bot's own private-use marks are dropped from a bio."""
    hidden = "".join(chr(0xE0000 + ord(c)) for c in "call me")
    bio = f"Hi\u200b there{hidden}, \ue000/findbuddy cancel\ue001"
    shown = await _console_says(app, "A\u200dda", f"/profile set bio {bio}", "/profile")
    assert "Profile of Ada:" in shown
    assert "Hi there, /findbuddy cancel" in shown
    assert not {"\u200b", "\u200d", "\ue000", "\ue001"} & set(shown)
    assert not any(0xE0000 <= ord(ch) <= 0xE007F for ch in shown)
