"""What a Slack user reads: an unknown command named as typed, the nearest one offered."""

from __future__ import annotations

import pytest

from tests.support.slack_harness import SlackHarness


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
