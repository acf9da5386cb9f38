"""A fake chat API on 127.0.0.1 for the tests and the fan-out bench, and a Messenger for it.

The server (`FakeChat`) behaves as a rate-limited chat platform does:
- `POST /messages` with JSON `{"to", "text", "nonce", "sender"}` delivers a message: 200;
- a token bucket of `rate` messages a second, `burst` deep: past it the answer is 429 with
  `Retry-After` in seconds (decimals, like Discord's X-RateLimit-Reset-After), nothing is
  delivered, and the 429 is counted;
- with `dedupe_nonces` (Discord's enforce_nonce) a nonce seen before is acknowledged, 200, and
  not delivered again;
- `stall_after(k)`: once k messages are delivered, every further one is delivered and never
  answered, so a test can kill a process while its send is in flight; `resume()` ends that.

`HttpMessenger` implements the core's Messenger port against it: the nonce is the outbox key, a
429 becomes a throttled RetryLater with the server's Retry-After, and a resend is safe exactly
when the server drops repeated nonces.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import ClientSession, ClientTimeout, web

from bot.kernel.model import OutboxEntry
from bot.kernel.ports import Delivery, Failed, RetryLater, Sent
from tests.support.local_server import LocalServer


@dataclass(frozen=True)
class Delivered:
    to: str
    text: str
    nonce: str
    sender: str
    at: float
    """time.monotonic() when the server took it."""


class FakeChat:
    def __init__(self, rate: float, burst: float = 10, *, dedupe_nonces: bool = False) -> None:
        self.rate = rate
        self.burst = burst
        self.dedupe_nonces = dedupe_nonces
        self.deliveries: list[Delivered] = []
        self.too_many = 0
        """429s answered."""
        self.repeats_dropped = 0
        """Sends of a nonce seen before, acknowledged and not delivered again."""
        self.stalled = 0
        """Sends delivered and left unanswered."""
        self._nonces: set[str] = set()
        self._tokens = burst
        self._filled_at = time.monotonic()
        self._stall_after: int | None = None
        self._unstall = asyncio.Event()
        self._changed = asyncio.Condition()
        self._server = LocalServer()
        self.url = ""

    async def start(self) -> str:
        """Serve on a free port of 127.0.0.1; returns the base URL."""
        app = web.Application()
        app.router.add_post("/messages", self._message)
        self.url = await self._server.serve(app)
        return self.url

    async def close(self) -> None:
        self.resume()
        await self._server.stop_serving()

    def stall_after(self, deliveries: int) -> None:
        self._stall_after = deliveries
        self._unstall.clear()

    def resume(self) -> None:
        self._stall_after = None
        self._unstall.set()

    def received(self) -> Counter[str]:
        """How many messages each recipient got."""
        return Counter(d.to for d in self.deliveries)

    async def wait_until(self, condition: Callable[[FakeChat], bool], within: float) -> None:
        """Return once `condition(self)` holds (checked at every request); TimeoutError after
        `within` seconds."""
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: condition(self))

    async def _message(self, request: web.Request) -> web.Response:
        body = await request.json()
        try:
            if not self._take_token():
                self.too_many += 1
                wait = (1 - self._tokens) / self.rate
                return web.json_response(
                    {"message": "You are being rate limited.", "retry_after": wait},
                    status=429,
                    headers={"Retry-After": f"{wait:.3f}"},
                )
            nonce = str(body["nonce"])
            if self.dedupe_nonces and nonce in self._nonces:
                self.repeats_dropped += 1
                return web.json_response({"ok": True, "duplicate": True})
            self._nonces.add(nonce)
            stall = self._stall_after is not None and len(self.deliveries) >= self._stall_after
            self.deliveries.append(
                Delivered(
                    str(body["to"]),
                    str(body["text"]),
                    nonce,
                    str(body.get("sender", "")),
                    time.monotonic(),
                )
            )
            if stall:
                self.stalled += 1
        finally:
            await self._notify()
        if stall:
            await self._unstall.wait()
            return web.json_response({"message": "resumed after a stall"}, status=503)
        return web.json_response({"ok": True})

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def _take_token(self) -> bool:
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._filled_at) * self.rate)
        self._filled_at = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True


class HttpMessenger:
    """The Messenger port over FakeChat's HTTP API."""

    def __init__(
        self,
        base_url: str,
        *,
        platform: str,
        max_per_second: float | None,
        resend_is_safe: bool,
        timeout_seconds: float = 30.0,
    ) -> None:
        self.platform = platform
        self.max_per_second = max_per_second
        self.resend_is_safe = resend_is_safe
        self._url = f"{base_url.rstrip('/')}/messages"
        self._timeout = ClientTimeout(total=timeout_seconds)
        self._session: ClientSession | None = None
        self._sender = str(os.getpid())

    async def send(self, entry: OutboxEntry) -> Delivery:
        if self._session is None:
            self._session = ClientSession(timeout=self._timeout)
        payload = {
            "to": entry.destination.target,
            "text": entry.text,
            "nonce": entry.key,
            "sender": self._sender,
        }
        async with self._session.post(self._url, json=payload) as response:
            if response.status == 200:
                return Sent()
            if response.status == 429:
                wait = float(response.headers.get("Retry-After", "1"))
                return RetryLater(wait, "429 Too Many Requests", throttled=True)
            reason = f"{response.status} {(await response.text())[:100]}"
            if response.status >= 500:
                return RetryLater(5.0, reason)
            return Failed(reason)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
