"""REST under `/api/v10`: finding the route, checking the bot's token, answering a queued fault,
refusing too many files or bytes, calling the route's handler (a `_do_<route>` method of a
REST section) and recording the call."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

from tests.support import discord_payloads as p
from tests.support.discord_fake.faults import Faults, ratelimit_headers
from tests.support.discord_fake.gateway import Gateway
from tests.support.discord_fake.limits import MAX_FILES
from tests.support.discord_fake.records import Call, Callback, Upload
from tests.support.discord_fake.refusals import DiscordError
from tests.support.discord_fake.routes import ROUTES, Request, truthy

Handler = Callable[[Request], Awaitable[tuple[int, Any]]]


class Rest(Faults, Gateway):
    """The REST API's plumbing."""

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        headers = CIMultiDictProxy(CIMultiDict(request.headers))
        query = {k: v for k, v in request.query.items()}
        body, uploads = await _read_body(request)
        files = tuple(upload.name for upload in uploads)
        route = next(
            (r for r in ROUTES if r.method == request.method and r.pattern.match(path)), None
        )
        name = route.name if route is not None else "unknown"
        extra_headers: dict[str, str] = {}
        try:
            if route is None:
                raise DiscordError(404, {"message": "404: Not Found", "code": 0})
            match = route.pattern.match(path)
            assert match is not None
            if route.authed and not self._authorized(headers.get("Authorization")):
                raise DiscordError(401, {"message": "401: Unauthorized", "code": 0})
            if (over := self._over_limit(route.name)) is not None:
                raise over
            faults = self._faults.get(route.name)
            if faults:
                raise self._fault_answer(faults.popleft(), route.name)
            req = Request(
                request.method, path, match.groupdict(), query, body, files, headers, uploads
            )
            self._check_uploads(uploads)
            handler: Handler = getattr(self, f"_do_{route.name}")
            status, answer = await handler(req)
            extra_headers = ratelimit_headers(route.name)
        except DiscordError as refusal:
            status, answer, extra_headers = refusal.status, refusal.body, refusal.headers
        if name == "create_interaction_response":
            self._record_callback(path, query, body, status, answer, uploads)
        self.calls.append(
            Call(request.method, path, name, body, query, headers, files, status, answer, uploads)
        )
        await self._notify()
        if answer is None:
            return web.Response(status=status, headers=extra_headers)
        # Exactly "application/json": discord.py parses nothing else (json_response would add
        # "; charset=utf-8").
        return web.Response(
            body=json.dumps(answer).encode(),
            status=status,
            content_type="application/json",
            headers=extra_headers,
        )

    def _authorized(self, authorization: str | None) -> bool:
        if not authorization or not authorization.startswith("Bot "):
            return False
        return self._token_ok(authorization.removeprefix("Bot ").strip())

    def _check_uploads(self, uploads: tuple[Upload, ...]) -> None:
        """Discord's refusals of a request's files: too many, or too many bytes together."""
        if len(uploads) > MAX_FILES:
            raise DiscordError(
                400,
                p.invalid_form_body(
                    {
                        "attachments": p.field_error(
                            "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_FILES} or fewer in length."
                        )
                    }
                ),
            )
        if sum(len(upload.content) for upload in uploads) > self.attachment_size_limit:
            raise DiscordError(413, p.error_body(40005, "Request entity too large"))

    def _record_callback(
        self,
        path: str,
        query: Mapping[str, str],
        body: Any,
        status: int,
        answer: Any,
        uploads: tuple[Upload, ...],
    ) -> None:
        iid = path.split("/")[2]
        body = body if isinstance(body, dict) else {}
        error_code = int(answer.get("code", 0)) if status >= 400 and answer else None
        callback = Callback(
            iid,
            int(body.get("type", 0) or 0),
            body.get("data"),
            self.now(),
            status,
            error_code,
            body,
            truthy(query.get("with_response")),
            uploads,
        )
        self.callbacks.setdefault(iid, []).append(callback)


async def _read_body(request: web.Request) -> tuple[Any, tuple[Upload, ...]]:
    if not request.can_read_body:
        return None, ()
    if request.content_type == "multipart/form-data":
        body: Any = None
        files: list[Upload] = []
        form = await request.post()
        for name, value in form.items():
            if name == "payload_json":
                body = json.loads(str(value))
            elif isinstance(value, web.FileField):
                files.append(Upload(value.filename, value.file.read(), value.content_type))
        return body, tuple(files)
    raw = await request.read()
    if not raw:
        return None, ()
    return json.loads(raw), ()
