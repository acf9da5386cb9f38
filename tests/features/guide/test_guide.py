"""/guide: the team's guide for mentors, or the school's own from `[mentoring] guide_file`; a
school's agreement from `[mentoring] agreement_file`; a file that cannot be used stops the bot
at start-up with a line for the operator, never at a member."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.bootstrap import bootstrap
from adapters.clock import ManualClock
from adapters.config import ConfigError, parse_settings
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say, speaker
from tests.support.settings import settings_for


async def test_the_guide_has_short_sections_on_listening_goals_boundaries_and_concerns(
    say: Say,
) -> None:
    guide = await say("ada", "/guide")
    assert guide.ok
    for section in (
        "Listen first",
        "Set goals together",
        "Respect boundaries",
        "Raise a concern",
        "Keep to the agreement",
    ):
        assert section in guide.text
    assert "/flag" in guide.text
    assert "/agreement" in guide.text
    assert all(len(line) <= 200 for line in guide.text.splitlines())


async def test_the_guide_takes_nothing_after_it(say: Say) -> None:
    reply = await say("ada", "/guide please")
    assert not reply.ok
    assert "/guide" in reply.text


async def test_a_school_s_guide_and_agreement_replace_the_team_s(
    tmp_path: Path, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    guide, agreement = tmp_path / "guide.txt", tmp_path / "agreement.txt"
    guide.write_text("Our school's mentoring guide: be kind, be on time. @everyone\n")
    agreement.write_text("We meet in the library only.\n")
    settings = settings_for(
        "sqlite+aiosqlite://",
        moderators=["console:morgan"],
        mentoring={"guide_file": str(guide), "agreement_file": str(agreement)},
    )
    app = await bootstrap(settings, clock, {"console": messenger})
    try:
        say = speaker(app)
        shown = await say("ada", "/guide")
        assert "Our school's mentoring guide: be kind, be on time." in shown.text
        assert "@everyone" not in shown.text  # shown, but unable to ping
        assert "Listen first" not in shown.text
        assert (await say("maya", "/profile set role mentor")).ok
        assert "queue" in (await say("maya", "/findbuddy")).text
        assert (await say("ada", "/findbuddy")).ok
        [to_ada] = [t for t in messenger.texts_to("ada") if "confirm your agreement" in t]
        assert "How often: about once a week" in to_ada
        assert "We meet in the library only." in to_ada
        assert "Off limits" not in to_ada
    finally:
        await app.close()


@pytest.mark.parametrize("key", ["guide_file", "agreement_file"])
def test_a_missing_file_stops_the_bot_at_start_up_naming_the_key(tmp_path: Path, key: str) -> None:
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(ConfigError) as raised:
        parse_settings({"mentoring": {key: str(missing)}})
    assert f"[mentoring] {key}" in str(raised.value)
    assert "is not there" in str(raised.value)


def test_an_empty_guide_file_stops_the_bot_at_start_up(tmp_path: Path) -> None:
    empty = tmp_path / "guide.txt"
    empty.write_text("  \n")
    with pytest.raises(ConfigError) as raised:
        parse_settings({"mentoring": {"guide_file": str(empty)}})
    assert "is empty" in str(raised.value)


async def test_help_lists_the_guide_and_the_agreement(say: Say) -> None:
    shown = (await say("ada", "/help")).text
    assert "/guide" in shown
    assert "/agreement" in shown
    assert (
        "I agree to my mentoring pairing's agreement"
        in (await say("ada", "/help agreement confirm")).text
    )
