"""Buttons, modals, the App Home and the ways Slack can fail, through the real Bolt app."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.bootstrap import bootstrap
from adapters.clock import ManualClock
from adapters.slack.blocks import sections
from adapters.slack.connection import SlackCredentials, SlackStartError
from adapters.slack.messenger import SlackMessenger, method_key
from adapters.slack.runtime import SlackAdapter
from bot.kernel.model import Destination, OutboxEntry, OutboxStatus, WorkspaceRef
from bot.kernel.ports import Failed, RetryLater, Sent, Uncertain
from tests.support import slack_payloads as payloads
from tests.support.settings import START, settings_for
from tests.support.slack_fake import FakeSlack
from tests.support.slack_harness import SlackHarness, slack_harness

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
    [modal] = slack.forms_shown()
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
    await slack.open_mentoring_checkin()
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
    [form] = slack.forms_shown()
    assert form["callback_id"] == "checkin"


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
    headings = [b["text"]["text"] for b in first["blocks"] if b["type"] == "section"]
    assert "*Kudos for you*" in headings, "the home's own headings are bold"
    await slack.reply_to("UINES", "/kudos", "<@UADA|ada> asked the best questions today")
    await slack.settle()
    assert "asked the best questions" in json.dumps(slack.fake.home_views["UADA"])


async def test_an_unknown_user_or_command_gets_a_useful_answer(slack: SlackHarness) -> None:
    reply = await slack.reply_to("UNOBODY", "/circles", "frobnicate")
    assert "Type /circles help for everything I can do." in reply["text"]
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
        posts = method_key(TEAM.workspace_id, "chat.postMessage")  # this workspace's posts
        assert limited == RetryLater(7.0, "rate limited by Slack", throttled=True, scope=posts)

        fake.drop_next("chat.postMessage", processed=True)
        assert isinstance(await messenger.send(to_ada), Uncertain)
        assert len([p for p in fake.posted if p.channel == "DUADA"]) == 2, "never resent"

        for target, kind in (("UGONE", "dm"), ("UBOT2", "dm"), ("CNOPE", "channel")):
            messenger, entry = await _entry(fake, target, kind)
            outcome = await messenger.send(entry)
            assert isinstance(outcome, Failed), target


async def test_slack_failing_to_say_who_someone_is_never_demotes_a_moderator(
    slack: SlackHarness,
) -> None:
    await slack.reply_to("UINES", "/circle", "create algebra")
    slack.adapter.people.forget("T0001", "UINES")
    slack.fake.fail_next("users.info", "internal_error", status=500, times=5)
    reply = await slack.reply_to("UINES", "/circle", "create physics")
    assert reply["text"].startswith("Created physics")
    flagged = await slack.reply_to("UADA", "/flag", "someone is being unkind in algebra")
    assert "No moderator" not in flagged["text"]
    listed = (await slack.reply_to("UADA", "/circle", "info algebra"))["text"]
    assert "UINES" not in listed


async def test_mentioning_someone_who_never_used_the_bot_works(slack: SlackHarness) -> None:
    reply = await slack.reply_to("UADA", "/block", "<@UBEN|ben>")
    assert reply["text"].startswith("Blocked")
    thanked = await slack.reply_to("UINES", "/kudos", "<@UMAYA|maya> great session on primes")
    assert "don't know" not in thanked["text"]


async def test_an_answer_button_whose_trigger_expired_keeps_the_prompt_and_offers_the_form(
    slack: SlackHarness,
) -> None:
    await slack.open_mentoring_checkin()
    trigger = slack.fake.new_trigger_id("UMAYA")
    slack.fake.advance(4)
    response_url = slack.fake.new_response_url()
    await slack.interact(
        payloads.block_action(
            "run:0",
            "/checkin mentoring",
            "UMAYA",
            trigger_id=trigger,
            response_url=response_url,
            container=payloads.message_container("DUMAYA"),
        )
    )
    await slack.settle()
    [answer] = slack.fake.responses_to(response_url)
    assert answer.get("replace_original") is not True, "the prompt keeps its buttons"
    assert "Open the form" in json.dumps(answer["blocks"])
    assert slack.forms_shown() == []


async def test_a_signed_body_of_the_wrong_shape_gets_400_not_a_traceback(
    slack: SlackHarness,
) -> None:
    status, _ = await slack.post(b"payload=%5B1%5D")
    assert status == 400
    submission = payloads.view_submission("checkin", "not json", {}, "UADA")
    status, body = await slack.interact(submission)
    assert status == 200
    assert "out of date" in body


async def test_the_messenger_never_reposts_when_slack_may_have_posted() -> None:
    async with FakeSlack() as fake:
        fake.add_user("UADA", "ada")
        messenger, to_ada = await _entry(fake, "UADA")
        fake.fail_next("chat.postMessage", "internal_error")
        assert isinstance(await messenger.send(to_ada), Uncertain)
        fake.fail_next("chat.postMessage", "", status=503)
        assert isinstance(await messenger.send(to_ada), Uncertain)
        fake.fail_next("chat.postMessage", "invalid_auth")
        held = await messenger.send(to_ada)
        assert isinstance(held, RetryLater)
        assert held.throttled, "a refused token holds all sending, it marks nobody unreachable"


async def test_a_slack_that_cannot_be_reached_is_retried_later() -> None:
    client = AsyncWebClient(
        token="xoxb-test", base_url="http://127.0.0.1:9/api/", retry_handlers=[]
    )
    entry = OutboxEntry(
        1, "k", Destination(TEAM, "channel", "C1"), "hi", OutboxStatus.SENDING, 1, START, START
    )
    outcome = await SlackMessenger(client, 5.0).send(entry)
    assert isinstance(outcome, RetryLater)
    assert not outcome.throttled


async def test_a_refused_bot_token_stops_the_start_with_a_clear_message(tmp_path: Path) -> None:
    async with FakeSlack() as fake:
        fake.fail_next("auth.test", "invalid_auth")
        settings = settings_for(
            f"sqlite+aiosqlite:///{tmp_path / 's.db'}",
            slack={"mode": "http", "host": "127.0.0.1", "port": 0, "api_base_url": fake.api_url},
        )
        adapter = SlackAdapter(settings.slack, SlackCredentials("xoxb-x", signing_secret="s"))
        app = await bootstrap(settings, ManualClock(START), {"slack": adapter.messenger})
        adapter.attach(app.bus, app.due, app.seen_events, ManualClock(START))
        try:
            with pytest.raises(SlackStartError, match="SLACK_BOT_TOKEN"):
                await adapter.start()
        finally:
            await adapter.stop()
            await app.close()


def test_no_section_passes_slacks_limit_however_much_escaping_grows_the_text() -> None:
    blocks = sections("&" * 2_900 + "\n" + "<" * 2_900)
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks)
    assert "".join(b["text"]["text"] for b in blocks).count("&amp;") == 2_900
