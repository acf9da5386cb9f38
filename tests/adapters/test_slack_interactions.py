"""Buttons, modals, the App Home and the ways Slack can fail, through the real Bolt app."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.messenger import SlackMessenger
from bot.model import Destination, OutboxEntry, OutboxStatus, WorkspaceRef
from bot.ports import Failed, RetryLater, Sent, Uncertain
from tests.adapters import slack_payloads as payloads
from tests.adapters.slack_fake import FakeSlack
from tests.adapters.slack_harness import SlackHarness, slack_harness
from tests.conftest import START

TEAM = WorkspaceRef("slack", "T0001")


async def _paired(slack: SlackHarness) -> None:
    await slack.reply_to("UADA", "/findbuddy")
    await slack.reply_to("UBEN", "/findbuddy")


def _buttons(blocks: list[dict]) -> list[dict]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


async def test_did_you_meet_has_buttons_and_pressing_one_answers_and_clears_them(
    slack: SlackHarness,
) -> None:
    await _paired(slack)
    slack.clock.advance(timedelta(days=3, hours=1))
    await slack.app.due.run_due()
    asked = [p for p in slack.fake.posted if p.channel == "DUADA" and "Did you meet" in p.text]
    assert len(asked) == 1
    met = next(b for b in _buttons(asked[0].blocks) if b["text"]["text"] == "We met")
    assert met["value"] == "/buddy met <@UBEN>"
    response_url = slack.fake.new_response_url()
    pressed = payloads.block_action(
        met["action_id"],
        met["value"],
        "UADA",
        trigger_id=slack.fake.new_trigger_id(),
        response_url=response_url,
        container=payloads.message_container("DUADA"),
    )
    pressed["message"].update(text=asked[0].text, blocks=asked[0].blocks)
    await slack.interact(pressed)
    await slack.settle()
    [replaced] = slack.fake.responses_to(response_url)
    assert replaced["replace_original"] is True
    assert _buttons(replaced["blocks"]) == []
    assert "thanks for telling me" in json.dumps(replaced["blocks"])
    assert "Did you meet" in json.dumps(replaced["blocks"]), "the question stays readable"


async def test_a_button_runs_as_whoever_presses_it_never_as_the_one_it_was_sent_to(
    slack: SlackHarness,
) -> None:
    await _paired(slack)
    response_url = slack.fake.new_response_url()
    await slack.interact(
        payloads.block_action(
            "run:0",
            "/buddy met <@UBEN>",
            "UMAYA",
            trigger_id=slack.fake.new_trigger_id(),
            response_url=response_url,
            container=payloads.message_container("DUADA"),
        )
    )
    await slack.settle()
    [answer] = slack.fake.responses_to(response_url)
    assert answer["response_type"] == "ephemeral"
    assert answer.get("replace_original") is not True
    assert "not" in answer["text"].lower()


async def test_a_refused_profile_field_shows_under_that_field_and_saves_nothing(
    slack: SlackHarness,
) -> None:
    reply = await slack.reply_to("UADA", "/profile")
    edit = next(b for b in _buttons(reply["blocks"]) if b["text"]["text"] == "Edit profile")
    await slack.interact(
        payloads.block_action(
            edit["action_id"],
            "",
            "UADA",
            trigger_id=slack.fake.new_trigger_id(),
            response_url=slack.fake.new_response_url(),
        )
    )
    await slack.settle()
    [opened] = slack.fake.calls_to("views.open")
    modal = opened.params["view"]
    state = {
        b["block_id"]: {"answer": payloads.plain_text_value(b["element"].get("initial_value", ""))}
        for b in modal["blocks"]
    }
    state["timezone"] = {"answer": payloads.plain_text_value("Mars/Olympus")}
    state["subjects"] = {"answer": payloads.plain_text_value("algebra")}
    status, body = await slack.interact(
        payloads.view_submission("profile", modal["private_metadata"], state, "UADA")
    )
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["timezone"]
    profile = (await slack.reply_to("UADA", "/profile"))["text"]
    assert "algebra" not in profile

    state["timezone"] = {"answer": payloads.plain_text_value("America/Chicago")}
    status, body = await slack.interact(
        payloads.view_submission("profile", modal["private_metadata"], state, "UADA")
    )
    assert json.loads(body)["response_action"] == "update"
    profile = (await slack.reply_to("UADA", "/profile"))["text"]
    assert "America/Chicago" in profile
    assert "algebra" in profile


async def test_an_expired_trigger_leaves_a_button_that_opens_the_form_afresh(
    slack: SlackHarness,
) -> None:
    await slack.reply_to("UINES", "/circle", "create mentoring")
    for key, value in (("cadence", "weekly"), ("day", "tue"), ("time", "10:30")):
        await slack.reply_to("UINES", "/circle", f"set mentoring {key} {value}")
    await slack.reply_to("UMAYA", "/profile", "set role mentor")
    await slack.reply_to("UMAYA", "/circle", "join mentoring as mentor")
    slack.clock.advance(timedelta(hours=1))
    await slack.app.due.run_due()
    response_url = slack.fake.new_response_url()
    fields = payloads.slash_command(
        "/checkin",
        "",
        "UMAYA",
        trigger_id=slack.fake.new_trigger_id("UMAYA"),
        response_url=response_url,
    )
    slack.fake.advance(4)
    await slack.post(payloads.form_body(fields))
    await slack.settle()
    [reply] = slack.fake.responses_to(response_url)
    again = next(b for b in _buttons(reply["blocks"]) if b["text"]["text"] == "Open the form")
    await slack.interact(
        payloads.block_action(
            again["action_id"],
            again["value"],
            "UMAYA",
            trigger_id=slack.fake.new_trigger_id("UMAYA"),
            response_url=slack.fake.new_response_url(),
        )
    )
    await slack.settle()
    opened = [c for c in slack.fake.calls_to("views.open") if c.ok]
    assert len(opened) == 1
    assert opened[0].params["view"]["callback_id"] == "checkin"


async def test_the_app_home_shows_my_circles_and_refreshes_when_kudos_reach_me(
    slack: SlackHarness,
) -> None:
    await slack.reply_to("UINES", "/circle", "create algebra")
    await slack.reply_to("UADA", "/circle", "join algebra")
    await slack.post(
        payloads.json_body(
            payloads.event_callback(payloads.app_home_opened("UADA"), event_id="EvHome1")
        )
    )
    await slack.settle()
    first = slack.fake.home_views["UADA"]
    assert "algebra" in json.dumps(first)
    assert "Kudos for you" in json.dumps(first)
    await slack.reply_to("UINES", "/kudos", "<@UADA|ada> asked the best questions today")
    await slack.settle()
    assert "asked the best questions" in json.dumps(slack.fake.home_views["UADA"])


async def test_an_unknown_user_or_command_gets_a_useful_answer(slack: SlackHarness) -> None:
    reply = await slack.reply_to("UNOBODY", "/circles", "frobnicate")
    assert "/help" in reply["text"]
    reply = await slack.reply_to("UINES", "/kudos", "<@UNOBODY|x> thanks a lot")
    assert "don't know" in reply["text"]


async def test_a_malformed_request_is_refused_and_runs_nothing(slack: SlackHarness) -> None:
    for body in (b"payload=%7Bnot-json", b"\xff\xfe garbage", b'{"type": "event_callback"}'):
        status, _ = await slack.post(body)
        assert status in (400, 401, 404), body
    await slack.settle()
    assert slack.fake.responses == []
    assert slack.fake.calls_to("chat.postMessage") == []


async def test_slash_commands_over_socket_mode_are_acked_and_answered(tmp_path: Path) -> None:
    async with slack_harness(tmp_path, START, socket=True) as slack:
        slack.fake.add_user("UADA", "ada")
        response_url = slack.fake.new_response_url()
        fields = payloads.slash_command(
            "/circles",
            "help",
            "UADA",
            trigger_id=slack.fake.new_trigger_id(),
            response_url=response_url,
        )
        envelope = await slack.fake.send_envelope("slash_commands", fields)
        await slack.fake.wait_for_ack(envelope)
        await slack.settle()
        [reply] = slack.fake.responses_to(response_url)
        assert "/findbuddy" in reply["text"]
        event = payloads.event_callback(payloads.app_home_opened("UADA"), event_id="EvS1")
        first = await slack.fake.send_envelope("events_api", event, retry_attempt=0)
        await slack.fake.wait_for_ack(first)
        again = await slack.fake.send_envelope(
            "events_api", event, retry_attempt=1, retry_reason="timeout"
        )
        await slack.fake.wait_for_ack(again)
        await slack.settle()
        assert len(slack.fake.calls_to("views.publish")) == 1


async def _entry(
    fake: FakeSlack, target: str, kind: str = "dm"
) -> tuple[SlackMessenger, OutboxEntry]:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url, retry_handlers=[])
    entry = OutboxEntry(
        1, "k", Destination(TEAM, kind, target), "hello", OutboxStatus.SENDING, 1, START, START
    )
    return SlackMessenger(client, 5.0), entry


async def test_the_messenger_tells_the_outbox_what_slack_answered() -> None:
    async with FakeSlack() as fake:
        fake.add_user("UADA", "ada")
        fake.add_user("UGONE", "gone", deleted=True)
        fake.add_user("UBOT2", "helper", is_bot=True)
        messenger, to_ada = await _entry(fake, "UADA")
        assert isinstance(await messenger.send(to_ada), Sent)

        fake.fail_next("chat.postMessage", "ratelimited", retry_after=7)
        limited = await messenger.send(to_ada)
        assert limited == RetryLater(7.0, "rate limited by Slack", throttled=True)

        fake.drop_next("chat.postMessage", processed=True)
        assert isinstance(await messenger.send(to_ada), Uncertain)
        assert len([p for p in fake.posted if p.channel == "DUADA"]) == 2, "never resent"

        for target, kind in (("UGONE", "dm"), ("UBOT2", "dm"), ("CNOPE", "channel")):
            messenger, entry = await _entry(fake, target, kind)
            outcome = await messenger.send(entry)
            assert isinstance(outcome, Failed), target
