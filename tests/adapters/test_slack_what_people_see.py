"""What a Slack user reads: channels and people as Slack draws them (never a broken `<​#...>`),
nobody pinged by what someone typed, an unknown command named as typed, a check-in form that
asks each thing once, and a start that logs nothing to act on."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from tests.support.settings import START
from tests.support.slack_harness import SlackHarness, slack_harness

ZWSP = "\u200b"
WALL = "<#CKUDOSWALL|kudos-wall>"


def _shown(text: str, blocks: list[dict[str, Any]]) -> list[str]:
    """A message's `text` (its notification) and each of its sections: what people read."""
    return [text, *(b["text"]["text"] for b in blocks if b["type"] == "section")]


def _reply(reply: dict[str, Any]) -> list[str]:
    return _shown(reply["text"], reply["blocks"])


def _posted(slack: SlackHarness, channel: str, containing: str = "") -> list[str]:
    [post] = [p for p in slack.fake.posted if p.channel == channel and containing in p.text]
    return _shown(post.text, post.blocks)


async def _kindness_with_a_wall(slack: SlackHarness) -> dict[str, Any]:
    """Ines makes the kindness circle post in #kudos-wall; Ben and she are in it. Her reply."""
    slack.fake.add_channel("CKUDOSWALL", "kudos-wall", member=True)
    await slack.reply_to("UINES", "/circle", "create kindness")
    # Slack sends a typed #kudos-wall as a link to it (should_escape).
    reply = await slack.reply_to("UINES", "/circle", f"set kindness channel {WALL}")
    for who in ("UINES", "UBEN"):
        await slack.reply_to(who, "/circle", "join kindness")
    return reply


async def test_a_channel_setting_is_shown_as_a_link_to_the_channel(slack: SlackHarness) -> None:
    reply = await _kindness_with_a_wall(slack)
    assert _reply(reply) == [f"Saved. kindness: channel is now {WALL}."] * 2


async def test_kudos_show_their_channel_and_the_one_their_reason_names_as_links(
    slack: SlackHarness,
) -> None:
    await _kindness_with_a_wall(slack)
    reason = "thanks for the <#CALGEBRA|algebra> homework help"
    given = await slack.reply_to("UINES", "/kudos", f"<@UBEN|ben> {reason}")
    assert _reply(given) == [f"Kudos to ben posted in {WALL} and sent to them."] * 2
    assert _posted(slack, "CKUDOSWALL") == [f"Kudos to ben from ines: {reason}"] * 2
    dm = _posted(slack, "DUBEN", "gave you kudos")
    assert dm == [f"ines gave you kudos: {reason}"] * 2


async def test_people_a_concern_names_reach_the_moderators_by_name_without_a_ping(
    slack: SlackHarness,
) -> None:
    """Slack sends a typed @ben as <@UBEN> (or <@UBEN|ben>); quoted in a DM it is his name, and
    someone Slack does not know is "someone": never a ping, never broken markup."""
    await slack.reply_to("UINES", "/circles")  # Ines, a moderator, is known
    typed = "<@UBEN> keeps messaging me, <@UMAYA|maya> saw it, <@UGONE> too"
    await slack.reply_to("UADA", "/flag", typed)
    await slack.settle()
    said = "@ben keeps messaging me, @maya saw it, @someone too"
    concern = f"Concern from ada (only moderators get this):\n{said}"
    assert _posted(slack, "DUINES") == [concern] * 2


async def test_what_someone_typed_never_becomes_a_mass_mention_or_a_link_anywhere(
    slack: SlackHarness,
) -> None:
    await _kindness_with_a_wall(slack)
    typed = "<!channel> <!here> <!subteam^S1|@staff> <https://evil.example|our site> thanks"
    given = await slack.reply_to("UINES", "/kudos", f"<@UBEN|ben> {typed}")
    post = _posted(slack, "CKUDOSWALL")
    for shown in post + _reply(given):
        assert "<!" not in shown, shown
        assert "<http" not in shown, shown
    assert "&lt;!channel&gt; &lt;!here&gt;" in post[0].replace(ZWSP, "")
    assert "&lt;https://evil.example|our site&gt;" in post[0]


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("frobnicate the widgets", "I don't know /frobnicate. Type"),
        ("kudo wall", "I don't know /kudo. Did you mean /kudos wall?"),
        ("circle frob", "/circle frob is not a command."),
    ],
)
async def test_an_unknown_command_is_named_as_typed_and_the_nearest_one_offered(
    slack: SlackHarness, typed: str, answer: str
) -> None:
    reply = await slack.reply_to("UADA", "/circles", typed)
    assert reply["text"].startswith(answer), reply["text"]


async def test_the_checkin_form_asks_each_thing_once_then_offers_one_clear_choice(
    slack: SlackHarness,
) -> None:
    await slack.open_mentoring_checkin()
    await slack.command("UMAYA", "/checkin")
    await slack.settle()
    [form] = slack.forms_shown()
    inputs = [b for b in form["blocks"] if b["type"] == "input"]
    assert [b["label"]["text"] for b in inputs] == [
        "How is it going?",
        "Did you meet your mentees?",
        "Anything the moderators should know?",
        "Concern",
    ]
    [box] = inputs[-1]["element"]["options"]
    assert inputs[-1]["element"]["type"] == "checkboxes"
    assert box["text"]["text"] == (
        "Send these answers to the moderators now, privately, as a concern"
    )


async def test_starting_with_the_token_in_the_environment_logs_no_warning(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    recwarn: pytest.WarningsRecorder,
) -> None:
    """Bolt reads SLACK_BOT_TOKEN from the environment even when given a client, and warns
    that "`token` will be unused" on every start: the same token, nothing to act on."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    caplog.set_level(logging.INFO)
    async with slack_harness(tmp_path, START) as slack:
        assert slack.adapter.bolt is not None
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert [str(w.message) for w in recwarn] == []
