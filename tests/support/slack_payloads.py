"""The bodies Slack sends to an app, in one module, shaped as Slack sends them.

- Slash commands arrive as form fields (`slash_command`), encoded with `form_body` over HTTP, or
  as the `payload` of a "slash_commands" Socket Mode envelope as they are (a dict of strings).
- Interactions (`block_action`, `view_submission`) are a JSON object which, over HTTP, is the
  `payload` form field (`interactivity_body`), and in Socket Mode the envelope's payload.
- Events (`event_callback`, e.g. around `app_home_opened`) are JSON over HTTP (`json_body`) and
  the payload of an "events_api" envelope.
- `signed_headers` signs a body the way Slack does (`v0:{timestamp}:{body}`, HMAC-SHA256 with the
  signing secret); `stale_timestamp()` and `bad_signature=True` make the two refusals.

Slack keeps adding fields; these carry the ones Bolt and our adapter read plus the stable ones
around them. If a Slack or Bolt upgrade changes a shape, change it here only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlencode

JsonDict = dict[str, Any]

TEAM_ID: Final = "T0001"
TEAM_DOMAIN: Final = "fake-team"
API_APP_ID: Final = "A0001"
BOT_USER_ID: Final = "UBOT"
BOT_ID: Final = "BBOT"
VERIFICATION_TOKEN: Final = "fake-verification-token"
"""The deprecated verification token Slack still puts in every payload (Bolt ignores it)."""
FORM_CONTENT_TYPE: Final = "application/x-www-form-urlencoded"
JSON_CONTENT_TYPE: Final = "application/json"
MAX_SKEW: Final = 300
"""Bolt refuses a request whose timestamp is more than this many seconds away from now."""


def slash_command(
    command: str,
    text: str,
    user_id: str,
    *,
    team_id: str = TEAM_ID,
    channel_id: str = "C0001",
    trigger_id: str,
    response_url: str,
    user_name: str | None = None,
    channel_name: str | None = None,
    api_app_id: str = API_APP_ID,
) -> dict[str, str]:
    """The form fields of a slash command (`command` with its slash, e.g. "/circles")."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": channel_name or _channel_name(channel_id),
        "user_id": user_id,
        "user_name": user_name or user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def message_container(
    channel_id: str = "C0001", message_ts: str = "1700000000.000100", *, is_ephemeral: bool = False
) -> JsonDict:
    """Where a block action happened: a message (the default container of `block_action`)."""
    return {
        "type": "message",
        "message_ts": message_ts,
        "channel_id": channel_id,
        "is_ephemeral": is_ephemeral,
    }


def view_container(view_id: str) -> JsonDict:
    """Where a block action happened: a modal or the App Home tab."""
    return {"type": "view", "view_id": view_id}


def block_action(
    action_id: str,
    value: str,
    user_id: str,
    *,
    trigger_id: str,
    response_url: str | None = None,
    container: JsonDict | None = None,
    view: JsonDict | None = None,
    block_id: str = "actions",
    action_type: str = "button",
    team_id: str = TEAM_ID,
    user_name: str | None = None,
    api_app_id: str = API_APP_ID,
) -> JsonDict:
    """The interactivity payload of one block action.

    In a message (the default container) the payload has `channel`, `message` and, when given,
    `response_url`. In a view (`container=view_container(id)`) it has `view` instead (pass the
    view as the app published it, else a bare modal with that id) and no response_url: Slack
    gives none for actions in modals and the App Home. `action_type` "static_select" puts the
    value in `selected_option`; anything else in `value`.
    """
    container = container if container is not None else message_container()
    action: JsonDict = {
        "action_id": action_id,
        "block_id": block_id,
        "type": action_type,
        "action_ts": f"{time.time():.6f}",
    }
    if action_type == "static_select":
        action["selected_option"] = {"text": _plain_text(value), "value": value}
    else:
        action["value"] = value
        action["text"] = _plain_text(value)
    payload: JsonDict = {
        "type": "block_actions",
        "user": _user(user_id, team_id, user_name),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "container": container,
        "trigger_id": trigger_id,
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "state": {"values": {}},
        "actions": [action],
    }
    if container.get("type") == "view":
        view_id = str(container["view_id"])
        payload["view"] = view if view is not None else _bare_view(view_id, team_id, api_app_id)
    else:
        channel_id = str(container.get("channel_id", "C0001"))
        message_ts = str(container.get("message_ts", "1700000000.000100"))
        payload["channel"] = {"id": channel_id, "name": _channel_name(channel_id)}
        payload["message"] = {
            "type": "message",
            "subtype": "bot_message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": api_app_id,
            "text": "",
            "ts": message_ts,
            "blocks": [],
        }
        if response_url is not None:
            payload["response_url"] = response_url
    return payload


def plain_text_value(value: str) -> JsonDict:
    """A plain_text_input's entry in `state_values[block_id][action_id]`."""
    return {"type": "plain_text_input", "value": value}


def selected_option_value(value: str, text: str | None = None) -> JsonDict:
    """A static_select's entry in `state_values[block_id][action_id]`."""
    return {
        "type": "static_select",
        "selected_option": {"text": _plain_text(text or value), "value": value},
    }


def view_submission(
    callback_id: str,
    private_metadata: str,
    state_values: Mapping[str, Mapping[str, JsonDict]],
    user_id: str,
    *,
    view_id: str = "V00000001",
    trigger_id: str = "1.1700000000.view-submission",
    team_id: str = TEAM_ID,
    blocks: list[JsonDict] | None = None,
    view_hash: str = "1700000000.abcd1234",
    user_name: str | None = None,
    api_app_id: str = API_APP_ID,
) -> JsonDict:
    """The interactivity payload of a modal submission. `state_values` is
    `{block_id: {action_id: plain_text_value(...) | selected_option_value(...) | ...}}`."""
    view = _bare_view(view_id, team_id, api_app_id)
    view.update(
        callback_id=callback_id,
        private_metadata=private_metadata,
        blocks=blocks or [],
        state={"values": {k: dict(v) for k, v in state_values.items()}},
        hash=view_hash,
    )
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": _user(user_id, team_id, user_name),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "view": view,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def app_home_opened(
    user_id: str, *, tab: str = "home", view: JsonDict | None = None, channel: str | None = None
) -> JsonDict:
    """The `event` of app_home_opened (`view` is present once a Home view was published)."""
    event: JsonDict = {
        "type": "app_home_opened",
        "user": user_id,
        "channel": channel or "D" + user_id,
        "tab": tab,
        "event_ts": f"{time.time():.6f}",
    }
    if view is not None:
        event["view"] = view
    return event


def event_callback(
    event: JsonDict,
    *,
    event_id: str,
    team_id: str = TEAM_ID,
    event_time: int | None = None,
    api_app_id: str = API_APP_ID,
) -> JsonDict:
    """The Events API envelope around one event (HTTP body, or an events_api payload)."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "context_team_id": team_id,
        "context_enterprise_id": None,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time if event_time is not None else int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def url_verification(challenge: str) -> JsonDict:
    """What Slack POSTs to check an Events API request URL (answer: the challenge)."""
    return {"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"}


def form_body(fields: Mapping[str, str]) -> bytes:
    """A slash command's HTTP body."""
    return urlencode(fields).encode()


def interactivity_body(payload: Mapping[str, Any]) -> bytes:
    """An interaction's HTTP body: the JSON payload in the `payload` form field."""
    return urlencode({"payload": json.dumps(payload)}).encode()


def json_body(payload: Mapping[str, Any]) -> bytes:
    """An Events API HTTP body."""
    return json.dumps(payload).encode()


def stale_timestamp(age: int = MAX_SKEW + 60) -> int:
    """A request timestamp `age` seconds in the past (Bolt refuses more than 300 s of skew). Real
    time on purpose: Bolt checks signatures against the wall clock, not the bot's pinned Clock."""
    return int(time.time()) - age


def signature(secret: str, body: bytes, timestamp: int) -> str:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str,
    body: bytes,
    *,
    timestamp: int | None = None,
    bad_signature: bool = False,
    retry_num: int | None = None,
    retry_reason: str | None = None,
) -> dict[str, str]:
    """The headers Slack sends with `body`: signature, timestamp (now unless given; see
    `stale_timestamp`) and the content type the body's shape calls for (JSON for Events API
    bodies, form-encoded otherwise). `bad_signature` signs with the wrong secret.
    `retry_num`/`retry_reason` add the Events API redelivery headers."""
    ts = int(time.time()) if timestamp is None else timestamp
    key = secret + "-wrong" if bad_signature else secret
    headers = {
        "Content-Type": JSON_CONTENT_TYPE if body.lstrip()[:1] == b"{" else FORM_CONTENT_TYPE,
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": signature(key, body, ts),
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
    if retry_reason is not None:
        headers["X-Slack-Retry-Reason"] = retry_reason
    return headers


def _plain_text(text: str) -> JsonDict:
    return {"type": "plain_text", "text": text, "emoji": True}


def _user(user_id: str, team_id: str, user_name: str | None) -> JsonDict:
    name = user_name or user_id.lower()
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def _channel_name(channel_id: str) -> str:
    if channel_id.startswith("D"):
        return "directmessage"
    if channel_id.startswith("G"):
        return "privategroup"
    return channel_id.lower()


def _bare_view(view_id: str, team_id: str, api_app_id: str) -> JsonDict:
    return {
        "id": view_id,
        "team_id": team_id,
        "type": "modal",
        "title": _plain_text("Modal"),
        "blocks": [],
        "private_metadata": "",
        "callback_id": "",
        "state": {"values": {}},
        "hash": "1700000000.abcd1234",
        "clear_on_close": False,
        "notify_on_close": False,
        "close": None,
        "submit": None,
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": api_app_id,
        "external_id": "",
        "app_installed_team_id": team_id,
        "bot_id": BOT_ID,
    }
