"""Refusals shaped as Discord's: a status and a `{"code", "message"}` body (with the field
errors of an invalid form body where Discord gives them)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.support import discord_payloads as p
from tests.support.discord_fake.records import JsonDict


class DiscordError(Exception):
    """A refusal: answered with `status` and the Discord-shaped `body`."""

    def __init__(self, status: int, body: JsonDict, headers: Mapping[str, str] | None = None):
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


def refused(status: int, code: int, message: str | None = None) -> DiscordError:
    return DiscordError(status, p.error_body(code, message))


def form_error(code: str, message: str) -> JsonDict:
    return {"code": code, "message": message}


def json_object(body: Any) -> JsonDict:
    if not isinstance(body, dict):
        raise DiscordError(400, p.error_body(50109, "The request body contains invalid JSON."))
    return body
