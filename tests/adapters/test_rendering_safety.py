"""Text a member typed, as the bot shows it on Discord and Slack: a link never passes for
something else (Discord's `[label](url)`, Slack's `<url|label>` read as typed, with the URL in
sight, and Discord shows no link preview), and no name or text carries a bidirectional control
character, in DMs, channel posts, replies and Slack's notification text alike; and never in a log
line, even from a request the bot cannot read."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest

from adapters.slack.mrkdwn import to_mrkdwn
from tests.support import discord_payloads as p
from tests.support.discord_fake import FakeDiscord, SentMessage
from tests.support.discord_harness import GUILD, DiscordHarness, discord_harness
from tests.support.schools import ADA, BEN, INES, MAYA, discord_school
from tests.support.settings import START
from tests.support.slack_harness import SlackHarness

URL = "https://evil.example/form"
MASKED = f"[Safeguarding report - open the secure form]({URL})"
SLACK_MASKED = f"<{URL}|Safeguarding report - open the secure form>"
SUPPRESS_EMBEDS = 1 << 2
BIDI = "\u202e\u2066\u200f\u061c"
ZED = "100000000000000106"
_DISCORD_MASKED_LINK = re.compile(r"\[[^\]]*\]\(")


def _shows_a_masked_link(content: str | None) -> bool:
    return bool(_DISCORD_MASKED_LINK.search(content or ""))


def _dms(discord_bot: DiscordHarness, user: str) -> list[SentMessage]:
    return discord_bot.fake.messages.get(discord_bot.fake.dm_channel_id(user), [])


async def test_a_masked_link_in_a_flag_reaches_the_moderators_on_discord_as_plain_text(
    discord_bot: DiscordHarness,
) -> None:
    await discord_bot.command(INES, "help")  # Ines moderates (Manage Server) and is known
    sent = await discord_bot.command(ADA, "flag", None, p.option("text", f"please read {MASKED}"))
    assert discord_bot.answer(sent)["type"] == p.CHANNEL_MESSAGE_WITH_SOURCE
    await discord_bot.settle()
    [concern] = [m for m in _dms(discord_bot, INES) if "Safeguarding report" in (m.content or "")]
    assert not _shows_a_masked_link(concern.content)
    assert URL in (concern.content or ""), "the URL itself is in sight"
    assert concern.flags & SUPPRESS_EMBEDS, "no preview with the page's own title"


async def test_a_masked_link_in_a_kudos_reason_reaches_the_channel_on_discord_as_plain_text(
    discord_bot: DiscordHarness,
) -> None:
    await discord_bot.command(INES, "circle-admin", "create", p.option("name", "algebra"))
    await discord_bot.command(
        INES,
        "circle",
        "set",
        p.option("circle", "algebra"),
        p.option("key", "channel"),
        p.option("value", "#algebra"),
    )
    await discord_bot.command(MAYA, "circle", "join", p.option("circle", "algebra"))
    sent = await discord_bot.command(
        INES,
        "kudos",
        "give",
        p.user_option("person", MAYA),
        p.option("reason", f"great work, see {MASKED}"),
    )
    reply = discord_bot.answer(sent)
    await discord_bot.settle()
    [post] = discord_bot.fake.messages["900000000000000102"]
    dm = [m for m in _dms(discord_bot, MAYA) if "great work" in (m.content or "")]
    for shown in (post, *dm):
        assert not _shows_a_masked_link(shown.content)
        assert URL in (shown.content or "")
        assert shown.flags & SUPPRESS_EMBEDS
    assert dm, "Maya got her kudos by DM too"
    assert not _shows_a_masked_link(reply.get("content"))


async def test_a_reply_quoting_a_masked_link_shows_it_as_plain_text_on_discord(
    discord_bot: DiscordHarness,
) -> None:
    sent = await discord_bot.command(
        INES, "circle-admin", "create", p.option("name", "algebra"), p.option("topic", MASKED)
    )
    answer = discord_bot.answer(sent)
    assert "Created algebra" in answer["content"]
    assert not _shows_a_masked_link(answer["content"])
    assert URL in answer["content"]
    assert answer["flags"] & SUPPRESS_EMBEDS


def _school_with_zed(fake: FakeDiscord) -> None:
    """The usual server, and Zed, whose display name hides a right-to-left override."""
    discord_school(fake)
    fake.add_member(GUILD, ZED, "zed", nick=f"{BIDI}Zed")


async def test_a_name_with_bidirectional_controls_is_shown_without_them_in_every_dm(
    tmp_path: Path,
) -> None:
    """The match DM, the partner's "pairing ended" DM and the moderators' "X ended their
    pairing" DM each name Zed."""
    async with discord_harness(
        tmp_path, START, _school_with_zed, discord={"moderator_roles": ["Mentor Team"]}
    ) as discord_bot:
        await discord_bot.command(INES, "help")
        await discord_bot.command(ZED, "findbuddy", "start")
        await discord_bot.command(BEN, "findbuddy", "start")
        await discord_bot.command(
            ZED, "buddy", "end", p.user_option("person", BEN), p.option("reason", "moving")
        )
        await discord_bot.settle()
        to_ben = [m.content or "" for m in _dms(discord_bot, BEN)]
        to_ines = [m.content or "" for m in _dms(discord_bot, INES)]
    assert any("Zed" in dm and "study buddy" in dm for dm in to_ben), to_ben
    assert any("Zed" in dm and "ended" in dm for dm in to_ben), to_ben
    assert any("Zed" in dm and "ended" in dm for dm in to_ines), to_ines
    for dm in to_ben + to_ines:
        assert not set(BIDI) & set(dm), repr(dm)


def _says_no_link(text: str | None) -> None:
    """Slack mrkdwn with the typed link escaped: it reads as typed, nothing links."""
    assert text is not None
    assert f"<{URL}" not in text
    assert f"&lt;{URL}|" in text


def _section_texts(blocks: list[Any] | None) -> str:
    return "\n".join(b["text"]["text"] for b in blocks or [] if b.get("type") == "section")


async def test_a_link_in_a_flag_reaches_the_moderators_on_slack_as_plain_text_notification_too(
    slack: SlackHarness,
) -> None:
    await slack.reply_to("UINES", "/circles")  # Ines, a workspace admin, is known
    await slack.reply_to("UADA", "/flag", f"please read {SLACK_MASKED}")
    await slack.settle()
    [concern] = [
        m for m in slack.fake.posted if m.channel == "DUINES" and "please" in (m.text or "")
    ]
    _says_no_link(concern.text)  # the notification and fallback
    _says_no_link(_section_texts(concern.blocks))


async def test_a_reply_quoting_a_link_on_slack_has_no_link_in_its_notification_text(
    slack: SlackHarness,
) -> None:
    reply = await slack.reply_to("UINES", "/circle", f"create algebra {SLACK_MASKED}")
    assert "Created algebra" in reply["text"]
    _says_no_link(reply["text"])
    _says_no_link(_section_texts(reply["blocks"]))


def test_slack_text_loses_bidirectional_controls_and_keeps_the_cores_mentions() -> None:
    assert to_mrkdwn(f"Ask {BIDI}Zed: /buddy met <@U0ZED1>") == "Ask Zed: /buddy met <@U0ZED1>"


async def test_a_request_slack_cannot_have_sent_is_logged_without_its_body(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    status, _ = await slack.post(b"command=%2Fflag&text=Uncle+Bertram+hurts+me\xff")
    assert status == 400
    assert "refused a malformed request" in caplog.text
    assert "Bertram" not in caplog.text
