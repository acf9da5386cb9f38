"""On Slack the bot names Slack's commands (help is /circles help: Slack keeps /help for itself)
and what a member typed never formats the bot's own words: Slack has no escape for `*`, `_`,
`~` or a backtick, so one at the edge of a word is sent as a date Slack cannot format, which
Slack always shows as its plain fallback."""

from __future__ import annotations

import re
from typing import Any

from tests.support.slack_harness import SlackHarness

DATE = re.compile(r"<!date\^0\^\{_\}\|(.)>")


def _sections(message: dict[str, Any]) -> list[str]:
    return [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]


def _as_slack_shows(mrkdwn: str) -> str:
    """What Slack draws for the dates that stand for typed formatting characters: the character."""
    return DATE.sub(r"\1", mrkdwn)


async def test_help_names_slacks_own_commands(slack: SlackHarness) -> None:
    reply = await slack.reply_to("UADA", "/circles", "")
    shown = "\n".join(_sections(reply))
    assert "/circles help &lt;command&gt;" in shown
    assert "\n/findbuddy [subject]: " in shown
    assert "/help" not in shown.replace("/circles help", "")


async def test_a_usage_error_names_the_usage_as_typed_on_slack(slack: SlackHarness) -> None:
    reply = await slack.reply_to("UINES", "/kudos", "")
    assert "Usage: /kudos @person &lt;reason&gt; [#value]" in reply["text"]


async def test_formatting_a_member_typed_stays_inside_what_they_typed(slack: SlackHarness) -> None:
    await slack.reply_to("UBEN", "/profile", "set role student")
    await slack.reply_to("UINES", "/kudos", "<@UBEN|ben> *all* of the ~fractions~ `help`")
    [dm] = [p for p in slack.fake.posted if p.channel == "DUBEN" and "fractions" in (p.text or "")]
    assert dm.text is not None
    for shown in (*_sections({"blocks": dm.blocks}), dm.text):
        typed = DATE.findall(shown)
        assert typed, shown
        assert set(typed) <= {"*", "~", "`"}, shown
        assert not re.search(r"(^|\s)[*_~`]\S", re.sub(DATE, "", shown)), shown
    assert "*all* of the ~fractions~ `help`" in _as_slack_shows(dm.text)


async def test_a_word_with_an_underscore_inside_is_sent_as_typed(slack: SlackHarness) -> None:
    await slack.reply_to("UBEN", "/profile", "set role student")
    await slack.reply_to("UINES", "/kudos", "<@UBEN|ben> great work on year_9 revision")
    [dm] = [p for p in slack.fake.posted if p.channel == "DUBEN" and "year" in (p.text or "")]
    assert dm.text is not None
    assert "great work on year_9 revision" in dm.text


async def test_what_slack_escaped_in_a_command_is_read_as_typed(slack: SlackHarness) -> None:
    await slack.reply_to("UBEN", "/profile", "set role student")
    # Slack sends "R&D help <3" in a slash command's text as below.
    await slack.reply_to("UINES", "/kudos", "<@UBEN|ben> great R&amp;D help &lt;3")
    [dm] = [p for p in slack.fake.posted if p.channel == "DUBEN" and "help" in (p.text or "")]
    assert "great R&amp;D help &lt;3" in (dm.text or "")
    assert "&amp;amp;" not in (dm.text or "")
