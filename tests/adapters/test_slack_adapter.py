"""The Slack adapter through the real Bolt app over HTTP, against a fake Slack on 127.0.0.1."""

from __future__ import annotations

import json

from tests.support import slack_payloads as payloads
from tests.support.slack_harness import SECRET, SlackHarness


def _text(reply: dict) -> str:
    return str(reply.get("text", ""))


async def test_a_slash_command_is_answered_privately_in_block_kit(slack: SlackHarness) -> None:
    reply = await slack.reply_to("UADA", "/circles")
    assert reply["response_type"] == "ephemeral"
    assert "/findbuddy" in _text(reply)
    assert reply["blocks"][0]["type"] == "section"


async def test_two_students_find_each_other_and_each_is_introduced_once_by_dm(
    slack: SlackHarness,
) -> None:
    """Ben's /findbuddy makes the match: his ephemeral reply points to the introduction in his
    DMs instead of repeating it, so he reads it once, as Ada does."""
    first = await slack.reply_to("UADA", "/findbuddy")
    assert "queue" in _text(first).lower()
    second = await slack.reply_to("UBEN", "/findbuddy")
    assert second.get("response_type") == "ephemeral"
    assert "introduction by DM" in _text(second)
    assert "Why" not in _text(second)
    await slack.settle()
    for user, partner in (("UADA", "ben"), ("UBEN", "ada")):
        [introduction] = slack.dms_to(user)
        assert partner in introduction.lower()
        assert "Why" in introduction


async def test_workspace_admins_and_configured_ids_are_moderators_others_are_not(
    slack: SlackHarness,
) -> None:
    assert "Created" in _text(await slack.reply_to("UINES", "/circle", "create algebra"))
    assert "Created" in _text(await slack.reply_to("UMORGAN", "/circle", "create physics"))
    refused = await slack.reply_to("UADA", "/circle", "create chemistry")
    assert "moderator" in _text(refused).lower()
    listed = _text(await slack.reply_to("UADA", "/circle", "list"))
    assert "algebra" in listed
    assert "chemistry" not in listed


async def test_a_moderators_kudos_appear_in_the_circles_channel(slack: SlackHarness) -> None:
    await slack.reply_to("UINES", "/circle", "create algebra")
    await slack.reply_to("UINES", "/circle", "set algebra channel <#CALGEBRA|algebra>")
    await slack.reply_to("UMAYA", "/profile", "set role mentor")
    await slack.reply_to("UMAYA", "/circle", "join algebra as mentor")
    reply = await slack.reply_to("UINES", "/kudos", "<@UMAYA|maya> explained factoring so well")
    assert "Maya" in _text(reply) or "maya" in _text(reply)
    await slack.settle()
    posts = slack.posts_in("CALGEBRA")
    assert len(posts) == 1
    assert "explained factoring so well" in posts[0]
    assert any("explained factoring" in text for text in slack.dms_to("UMAYA"))


async def test_a_mentor_answers_a_checkin_through_the_modal(slack: SlackHarness) -> None:
    await slack.open_mentoring_checkin()
    prompt = [
        p for p in slack.fake.posted if p.channel == "DUMAYA" and "Time for your check-in" in p.text
    ]
    assert len(prompt) == 1
    buttons = next(b for b in prompt[0].blocks if b["type"] == "actions")["elements"]
    answer = next(b for b in buttons if b["text"]["text"] == "Answer")

    await slack.interact(
        payloads.block_action(
            answer["action_id"],
            answer["value"],
            "UMAYA",
            trigger_id=slack.fake.new_trigger_id("UMAYA"),
            response_url=slack.fake.new_response_url(),
            container=payloads.message_container("DUMAYA"),
        )
    )
    await slack.settle()
    assert len(slack.fake.calls_to("views.open")) == 1, "opened at once, before the core"
    [modal] = slack.forms_shown()
    questions = [b for b in modal["blocks"] if b.get("block_id", "").startswith("q")]
    state = {
        b["block_id"]: {"answer": payloads.plain_text_value(f"answer {n}")}
        for n, b in enumerate(questions)
    }
    status, body = await slack.interact(
        payloads.view_submission("checkin", modal["private_metadata"], state, "UMAYA")
    )
    assert status == 200
    answer_view = json.loads(body)
    assert answer_view["response_action"] == "update"
    assert "Saved your mentoring check-in" in json.dumps(answer_view["view"])
    status_reply = _text(await slack.reply_to("UINES", "/checkin", "status mentoring"))
    assert "Maya" in status_reply or "maya" in status_reply
    assert "answered" in status_reply.lower()


async def test_a_bad_signature_or_a_stale_timestamp_gets_401_and_runs_nothing(
    slack: SlackHarness,
) -> None:
    fields = payloads.slash_command(
        "/findbuddy",
        "",
        "UADA",
        trigger_id=slack.fake.new_trigger_id(),
        response_url=slack.fake.new_response_url(),
    )
    body = payloads.form_body(fields)
    forged = payloads.signed_headers(SECRET, body, bad_signature=True)
    stale = payloads.signed_headers(SECRET, body, timestamp=payloads.stale_timestamp())
    assert (await slack.post(body, headers=forged))[0] == 401
    assert (await slack.post(body, headers=stale))[0] == 401
    await slack.settle()
    assert slack.fake.responses == []
    reply = await slack.reply_to("UBEN", "/findbuddy")
    assert "queue" in _text(reply).lower(), "Ada never joined the queue, so Ben waits"


async def test_an_event_slack_retries_has_its_effect_once(slack: SlackHarness) -> None:
    event = payloads.event_callback(payloads.app_home_opened("UADA"), event_id="Ev001")
    body = payloads.json_body(event)
    assert (await slack.post(body))[0] == 200
    retry = payloads.signed_headers(SECRET, body, retry_num=1, retry_reason="http_timeout")
    assert (await slack.post(body, headers=retry))[0] == 200
    await slack.settle()
    assert len(slack.fake.calls_to("views.publish")) == 1
    other = payloads.json_body(
        payloads.event_callback(payloads.app_home_opened("UADA"), event_id="Ev002")
    )
    assert (await slack.post(other))[0] == 200
    await slack.settle()
    assert len(slack.fake.calls_to("views.publish")) == 2
