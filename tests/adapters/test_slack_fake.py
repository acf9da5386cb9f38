"""The fake Slack itself, driven by the real clients: slack-sdk's AsyncWebClient, a bare Bolt
AsyncApp over HTTP, and Bolt's Socket Mode handler."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.web.async_client import AsyncWebClient

from tests.support import slack_payloads as sp
from tests.support.slack_fake import FakeSlack

BOT_TOKEN = "xoxb-test"
APP_TOKEN = "xapp-test"
SECRET = "signing-secret"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as slack:
        slack.add_user("U1", "ada")
        slack.add_user("U2", "gone", deleted=True)
        slack.add_user("UB2", "otherbot", is_bot=True)
        yield slack


def client_for(fake: FakeSlack, *, retries: bool = False) -> AsyncWebClient:
    # No retry handler unless asked: a test sees exactly what the fake answered.
    return AsyncWebClient(
        token=BOT_TOKEN, base_url=fake.api_url, retry_handlers=None if retries else []
    )


async def refusal(call: Awaitable[object]) -> SlackApiError:
    """The SlackApiError the call raised."""
    with pytest.raises(SlackApiError) as raised:
        await call
    return raised.value


async def test_auth_test_answers_the_bot_identity(fake: FakeSlack) -> None:
    answer = await client_for(fake).auth_test()

    assert answer["user_id"] == "UBOT"
    assert answer["bot_id"] == "BBOT"
    assert answer["team_id"] == "T0001"
    assert fake.calls_to("auth.test")[0].headers["Authorization"] == f"Bearer {BOT_TOKEN}"


async def test_calls_without_a_token_are_not_authed(fake: FakeSlack) -> None:
    client = AsyncWebClient(base_url=fake.api_url, retry_handlers=[])

    assert (await refusal(client.auth_test())).response["error"] == "not_authed"


async def test_users_info_known_and_unknown(fake: FakeSlack) -> None:
    client = client_for(fake)

    user = (await client.users_info(user="U1"))["user"]
    assert user["name"] == "ada"
    assert user["tz"] == "Europe/Berlin"
    assert user["is_admin"] is False
    gone = (await client.users_info(user="U2"))["user"]
    assert gone["deleted"] is True
    assert "tz" not in gone
    assert (await refusal(client.users_info(user="U404"))).response["error"] == "user_not_found"


async def test_post_message_is_recorded_with_its_params(fake: FakeSlack) -> None:
    fake.join_channel("C1")
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]

    first = await client_for(fake).chat_postMessage(channel="C1", text="hi", blocks=blocks)
    second = await client_for(fake).chat_postMessage(channel="U1", text="psst")

    (call, _) = await fake.wait_for("chat.postMessage", count=2)
    assert call.params["channel"] == "C1"
    assert call.params["text"] == "hi"
    assert call.params["blocks"] == blocks
    assert second["channel"] == "DU1"
    assert float(second["ts"]) > float(first["ts"])
    assert [(p.channel, p.text) for p in fake.posted] == [("C1", "hi"), ("DU1", "psst")]


async def test_form_encoded_blocks_are_decoded(fake: FakeSlack) -> None:
    fake.join_channel("C1")
    blocks = [{"type": "divider"}]

    await client_for(fake).api_call(
        "chat.postMessage", data={"channel": "C1", "blocks": '[{"type": "divider"}]'}
    )

    assert fake.calls_to("chat.postMessage")[0].params["blocks"] == blocks


async def test_channel_and_dm_refusals(fake: FakeSlack) -> None:
    client = client_for(fake)
    fake.add_channel("C2", "random")

    assert (await refusal(client.chat_postMessage(channel="C404", text="x"))).response[
        "error"
    ] == "channel_not_found"
    assert (await refusal(client.chat_postMessage(channel="C2", text="x"))).response[
        "error"
    ] == "not_in_channel"
    assert (await refusal(client.conversations_open(users="U2"))).response[
        "error"
    ] == "user_disabled"
    assert (await refusal(client.conversations_open(users="UB2"))).response[
        "error"
    ] == "cannot_dm_bot"
    assert (await refusal(client.chat_postMessage(channel="DU2", text="x"))).response[
        "error"
    ] == "account_inactive"
    assert (await client.conversations_open(users="U1"))["channel"]["id"] == "DU1"
    assert fake.posted == []


async def test_rate_limit_surfaces_as_429_with_retry_after(fake: FakeSlack) -> None:
    fake.join_channel("C1")
    fake.fail_next("chat.postMessage", status=429, retry_after=2)
    client = client_for(fake)

    error = await refusal(client.chat_postMessage(channel="C1", text="hi"))

    assert error.response.status_code == 429
    assert error.response.headers["Retry-After"] == "2"
    assert error.response["error"] == "ratelimited"
    assert fake.posted == []
    assert (await client.chat_postMessage(channel="C1", text="hi"))["ok"] is True


async def test_a_dropped_send_is_resent_by_the_sdk_default_retry(fake: FakeSlack) -> None:
    """slack-sdk resends once after a disconnect: a send Slack did take is then doubled."""
    fake.join_channel("C1")
    fake.drop_next("chat.postMessage", processed=True)
    without_retries = client_for(fake)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await without_retries.chat_postMessage(channel="C1", text="once?")
    assert len(fake.posted) == 1

    fake.drop_next("chat.postMessage", processed=True)
    retry_at_once = AsyncConnectionErrorRetryHandler(
        interval_calculator=FixedValueRetryIntervalCalculator(0.0)
    )
    client = AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url, retry_handlers=[retry_at_once])
    await client.chat_postMessage(channel="C1", text="twice")

    assert [c.error for c in fake.calls_to("chat.postMessage")] == ["dropped", "dropped", None]
    assert [p.text for p in fake.posted] == ["once?", "twice", "twice"]


async def test_trigger_ids_expire_and_are_single_use(fake: FakeSlack) -> None:
    client = client_for(fake)
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Hi"}, "blocks": []}
    stale = fake.new_trigger_id()
    fake.advance(3.1)
    fresh = fake.new_trigger_id()

    assert (await refusal(client.views_open(trigger_id=stale, view=modal))).response[
        "error"
    ] == "expired_trigger_id"
    opened = (await client.views_open(trigger_id=fresh, view=modal))["view"]
    assert opened["id"] in fake.views
    assert (await refusal(client.views_open(trigger_id=fresh, view=modal))).response[
        "error"
    ] == "exchanged_trigger_id"
    updated = await client.views_update(view_id=opened["id"], view=modal, hash=opened["hash"])
    assert updated["view"]["id"] == opened["id"]


async def test_views_publish_keeps_the_home_view(fake: FakeSlack) -> None:
    home = {"type": "home", "blocks": [{"type": "divider"}]}

    await client_for(fake).views_publish(user_id="U1", view=home)

    assert fake.home_views["U1"]["blocks"] == home["blocks"]


@pytest.fixture
async def bolt_http(fake: FakeSlack) -> AsyncIterator[tuple[AsyncApp, str]]:
    app = AsyncApp(client=client_for(fake), signing_secret=SECRET)
    runner = web.AppRunner(app.server(path="/slack/events").web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield app, f"http://{host}:{port}/slack/events"
    finally:
        await runner.cleanup()


async def test_bolt_over_http_acks_a_signed_slash_command(
    fake: FakeSlack, bolt_http: tuple[AsyncApp, str]
) -> None:
    app, url = bolt_http

    @app.command("/circles")
    async def circles(ack: AsyncAck, respond: AsyncRespond) -> None:
        await ack("on it")
        await respond("done")

    response_url = fake.new_response_url()
    fields = sp.slash_command(
        "/circles", "join", "U1", trigger_id=fake.new_trigger_id(), response_url=response_url
    )
    body = sp.form_body(fields)
    async with aiohttp.ClientSession() as http:
        async with http.post(url, data=body, headers=sp.signed_headers(SECRET, body)) as answer:
            assert answer.status == 200
            assert await answer.text() == "on it"
        stale = sp.signed_headers(SECRET, body, timestamp=sp.stale_timestamp())
        async with http.post(url, data=body, headers=stale) as answer:
            assert answer.status == 401
        forged = sp.signed_headers(SECRET, body, bad_signature=True)
        async with http.post(url, data=body, headers=forged) as answer:
            assert answer.status == 401

    (posted,) = await fake.wait_for_response()
    assert posted["text"] == "done"
    assert fake.responses_to(response_url) == [posted]
    assert len(fake.calls_to("auth.test")) == 1


async def test_socket_mode_round_trip(fake: FakeSlack) -> None:
    app = AsyncApp(client=client_for(fake), signing_secret=SECRET)

    @app.command("/circles")
    async def circles(ack: AsyncAck) -> None:
        await ack("on it")

    @app.event("app_home_opened")
    async def home(event: dict[str, str], client: AsyncWebClient) -> None:
        await client.views_publish(user_id=event["user"], view={"type": "home", "blocks": []})

    handler = AsyncSocketModeHandler(
        app,
        app_token=APP_TOKEN,
        web_client=AsyncWebClient(token=APP_TOKEN, base_url=fake.api_url),
    )
    try:
        async with asyncio.timeout(5):
            await handler.connect_async()  # type: ignore[no-untyped-call]
        (opened,) = fake.calls_to("apps.connections.open")
        assert opened.headers["Authorization"] == f"Bearer {APP_TOKEN}"

        command = sp.slash_command(
            "/circles",
            "join",
            "U1",
            trigger_id=fake.new_trigger_id(),
            response_url=fake.new_response_url(),
        )
        envelope_id = await fake.send_envelope("slash_commands", command)
        assert await fake.wait_for_ack(envelope_id) == {"text": "on it"}

        event = sp.event_callback(sp.app_home_opened("U1"), event_id="Ev1")
        envelope_id = await fake.send_envelope("events_api", event)
        assert await fake.wait_for_ack(envelope_id) is None
        (published,) = await fake.wait_for("views.publish")
        assert published.params["user_id"] == "U1"
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]


async def test_socket_mode_reconnects_on_disconnect_and_routes_actions(fake: FakeSlack) -> None:
    app = AsyncApp(client=client_for(fake), signing_secret=SECRET)
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Pick"}, "blocks": []}

    @app.action("pick")
    async def pick(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=modal)

    handler = AsyncSocketModeHandler(
        app,
        app_token=APP_TOKEN,
        web_client=AsyncWebClient(token=APP_TOKEN, base_url=fake.api_url),
    )
    try:
        async with asyncio.timeout(5):
            await handler.connect_async()  # type: ignore[no-untyped-call]
        await fake.send_disconnect()
        await fake.wait_for_socket(count=2)
        assert len(fake.calls_to("apps.connections.open")) == 2

        action = sp.block_action(
            "pick",
            "v",
            "U1",
            trigger_id=fake.new_trigger_id(),
            response_url=fake.new_response_url(),
        )
        envelope_id = await fake.send_envelope("interactive", action)
        assert await fake.wait_for_ack(envelope_id) is None
        (opened,) = await fake.wait_for("views.open")
        assert opened.ok
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
