"""Faults a test queues for a route (`fail_next`), 429s shaped as Discord's rate limits (what
discord.py needs to retry at once), and the rate-limit headers of every answer."""

from __future__ import annotations

import hashlib
import math
import time
from collections import deque

from tests.support import discord_payloads as p
from tests.support.discord_fake.bucket import Bucket
from tests.support.discord_fake.limits import DEFAULT_RETRY_AFTER
from tests.support.discord_fake.refusals import DiscordError
from tests.support.discord_fake.routes import check_route
from tests.support.discord_fake.state import FakeState, Fault


class Faults(FakeState):
    """Refusals queued per route."""

    def fail_next(
        self,
        route: str,
        status: int,
        code: int = 0,
        *,
        retry_after: float | None = None,
        message: str | None = None,
        times: int = 1,
        is_global: bool = False,
    ) -> None:
        """The next `times` calls to `route` answer `status` with `{"code": code, "message":
        ...}` and do nothing. A 429 answers Discord's rate-limit body (`retry_after`, default
        0.05 s, in the body, which is what discord.py sleeps on) with the `Retry-After`,
        `X-RateLimit-*` and `Via` headers (without `Via` discord.py takes a 429 for a Cloudflare
        ban and raises instead of retrying); discord.py then retries by itself. Beware that
        discord.py also retries 500, 502, 504 and 524, after sleeping 1 s, 3 s, ..."""
        check_route(route)
        if status == 429 and retry_after is None:
            retry_after = DEFAULT_RETRY_AFTER
        for _ in range(times):
            self._faults.setdefault(route, deque()).append(
                Fault(status, code, message, retry_after, is_global)
            )

    def limit_messages(self, per_second: float, burst: float) -> None:
        """From now on the bot may create `per_second` messages a second (`burst` at once);
        past that Discord's global 429 answers, with the exact `retry_after`."""
        self._bucket = Bucket(per_second, burst, burst, self.now())

    def spend_limit(self, seconds: float) -> None:
        """The limit is spent elsewhere (another process of the bot): every message for the
        next `seconds` draws a global 429 (after `limit_messages`)."""
        assert self._bucket is not None, "limit_messages first"
        self._bucket.empty_for(self.now(), seconds)

    def _over_limit(self, route: str) -> DiscordError | None:
        """Discord's global 429 for a message past the limit, or None."""
        if self._bucket is None or route != "send_message":
            return None
        wait = self._bucket.take(self.now())
        if not wait:
            return None
        return self._fault_answer(Fault(429, 0, None, wait, is_global=True), route)

    def _fault_answer(self, fault: Fault, route: str) -> DiscordError:
        if fault.status != 429:
            return DiscordError(fault.status, p.error_body(fault.code, fault.message))
        retry_after = fault.retry_after if fault.retry_after is not None else 0.0
        body = p.rate_limited_body(retry_after, is_global=fault.is_global, code=fault.code)
        if fault.message:
            body["message"] = fault.message
        headers = {
            "Retry-After": str(math.ceil(retry_after)),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Bucket": bucket(route),
            "X-RateLimit-Scope": "global" if fault.is_global else "user",
            "Via": "1.1 google",
        }
        if fault.is_global:
            headers["X-RateLimit-Global"] = "true"
        return DiscordError(429, body, headers)


def bucket(route: str) -> str:
    return hashlib.sha1(route.encode(), usedforsecurity=False).hexdigest()[:16]


def ratelimit_headers(route: str) -> dict[str, str]:
    """What Discord sends on every answer; a generous bucket, so discord.py never waits."""
    return {
        "X-RateLimit-Limit": "50",
        "X-RateLimit-Remaining": "49",
        "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
        "X-RateLimit-Reset-After": "1.000",
        "X-RateLimit-Bucket": bucket(route),
    }
