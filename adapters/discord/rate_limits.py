"""Discord's 429s, heard by the outbox instead of slept through inside a send.

discord.py sleeps out a 429 of up to `max_ratelimit_timeout` seconds (30 at the least) and tries
again inside the request, so a send that drew one takes the next send's turn and the outbox's
pacing never hears of it; after a burst every message then draws a 429. Its own per-route
pre-emption (waiting for a bucket it knows is empty) is sound and is kept.

Rules:
- every 429 Discord answers the bot is counted (`seen`), through an aiohttp trace on
  discord.py's own session (`http_trace`, a documented option of `discord.Client`);
- inside an outbox send (`sending()`), a 429 ends the request at once with `Throttled`, before
  discord.py can wait and retry: the outbox puts the message back until Discord's `retry_after`
  (the body's, else `X-RateLimit-Reset-After`, else `Retry-After`), so it is sent once, later,
  counted once;
- the wait is for the whole platform when Discord says so (`global` in the body,
  `X-RateLimit-Global`, `X-RateLimit-Scope: global`, or a 429 without `Via`: Cloudflare's, for
  the whole bot), otherwise for the one route;
- anywhere else (an interaction's answer, which has a 3 s deadline) discord.py waits as before.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import SimpleNamespace

import aiohttp

DEFAULT_WAIT = 30.0
"""Seconds to wait after a 429 that says nothing of how long (it never happens on Discord)."""

_SENDING: ContextVar[bool] = ContextVar("discord_outbox_send", default=False)


class Throttled(Exception):
    """Discord answered 429 to an outbox send: wait `retry_after` seconds, the whole platform
    when `is_global`, else the route alone."""

    def __init__(self, retry_after: float, is_global: bool) -> None:
        super().__init__(f"429 for {retry_after:.3f} s ({'global' if is_global else 'route'})")
        self.retry_after = retry_after
        self.is_global = is_global


class RateLimitWatch:
    """Hears every 429 on the client's session (`config`), and turns one inside an outbox send
    into `Throttled`."""

    def __init__(self) -> None:
        self.config = aiohttp.TraceConfig()
        self.config.on_request_end.append(self._ended)
        self.seen = 0
        """429s Discord answered so far."""

    @contextmanager
    def sending(self) -> Iterator[None]:
        """Requests made inside are an outbox send's: a 429 raises `Throttled`."""
        token = _SENDING.set(True)
        try:
            yield
        finally:
            _SENDING.reset(token)

    async def _ended(
        self,
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestEndParams,
    ) -> None:
        response = params.response
        if response.status != 429:
            return
        self.seen += 1
        if _SENDING.get():
            raise throttled(response.headers, await response.read())


def throttled(headers: Mapping[str, str], body: bytes) -> Throttled:
    """What a 429 asks: how long to wait, and whether for the whole bot."""
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    data = data if isinstance(data, dict) else {}
    is_global = (
        bool(data.get("global"))
        or headers.get("X-RateLimit-Global", "").lower() == "true"
        or headers.get("X-RateLimit-Scope", "").lower() == "global"
        or not headers.get("Via")
    )
    for value in (data.get("retry_after"), *map(headers.get, _WAIT_HEADERS)):
        try:
            return Throttled(max(0.0, float(value)), is_global)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
    return Throttled(DEFAULT_WAIT, is_global)


_WAIT_HEADERS = ("X-RateLimit-Reset-After", "Retry-After")
