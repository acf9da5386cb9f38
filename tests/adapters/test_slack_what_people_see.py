"""What a Slack user reads: an unknown command named as typed, the nearest one offered, and a
check-in form that asks each thing once."""

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
