"""The load of the Slack acknowledgement benchmark: signed requests fired in bursts, from the
benchmark's own event loop or from a process of its own (`python -m bench.slack_ack --client`),
each answer timed."""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import aiohttp

from adapters.slack.runtime import SlackAdapter

KEEP_ALIVE = 60.0
PATH = "/slack/events"
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Request:
    command: str
    body: bytes
    headers: dict[str, str]
    response_url: str
    trigger_id: str


@dataclass(frozen=True)
class Fired:
    started: float
    """time.monotonic() at the first send (the same clock in every process)."""
    results: list[tuple[float, int]]
    """Per request: ms from its send to its response, and the HTTP status."""


@dataclass
class Target:
    name: str
    port: int
    adapter: SlackAdapter | None = None
    """Ours; None for the bare app."""
    latencies: list[float] = field(default_factory=list)
    round_p99s: list[float] = field(default_factory=list)
    """Each round's own p99: a burst is acked nearly all at once, so the p99 over all rounds is
    about the slowest round's, and this shows the typical one."""
    statuses: Counter[int] = field(default_factory=Counter)
    replies_done: list[float] = field(default_factory=list)
    """Per round, ms from the burst's first send until every command's listener had ended: the
    core's work and the private reply."""
    all_done: list[float] = field(default_factory=list)
    """The same until the adapter had settled: also the DMs the commands queued (paced at
    [slack] sends_per_second) and App Home refreshes."""
    answered: int = 0
    went_wrong: int = 0
    """Answers that were the core's "something went wrong"."""
    sent: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PATH}"


# -- the client -----------------------------------------------------------------------------


async def _send(
    http: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str]
) -> tuple[float, int]:
    start = time.perf_counter()
    async with http.post(url, data=body, headers=headers) as response:
        await response.read()
        return (time.perf_counter() - start) * 1000, response.status


async def fire_burst(
    http: aiohttp.ClientSession, url: str, requests: list[tuple[bytes, dict[str, str]]]
) -> Fired:
    """All the requests at once; each timed from its send to its response."""
    started = time.monotonic()
    results = await asyncio.gather(*(_send(http, url, body, headers) for body, headers in requests))
    return Fired(started, list(results))


def session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0, keepalive_timeout=KEEP_ALIVE)
    )


class Client(Protocol):
    async def fire(self, url: str, requests: list[Request]) -> Fired: ...


class InProcessClient:
    """The load on the servers' own event loop (--in-process)."""

    def __init__(self, http: aiohttp.ClientSession) -> None:
        self._http = http

    async def fire(self, url: str, requests: list[Request]) -> Fired:
        return await fire_burst(self._http, url, [(r.body, r.headers) for r in requests])


class ProcessClient:
    """The load from a process of its own (`python -m bench.slack_ack --client`): one JSON line
    per burst on its stdin, one line of results back."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self._process = process

    @classmethod
    @asynccontextmanager
    async def started(cls) -> AsyncIterator[ProcessClient]:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.slack_ack",
            "--client",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            cwd=ROOT,
            limit=1 << 22,
        )
        try:
            yield cls(process)
        finally:
            assert process.stdin is not None
            process.stdin.close()
            if await process.wait() != 0:
                raise RuntimeError(f"the client process ended with {process.returncode}")

    async def fire(self, url: str, requests: list[Request]) -> Fired:
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        burst = {"url": url, "requests": [[r.body.decode(), r.headers] for r in requests]}
        self._process.stdin.write(json.dumps(burst).encode() + b"\n")
        await self._process.stdin.drain()
        line = await self._process.stdout.readline()
        if not line:
            raise RuntimeError("the client process ended early")
        answer = json.loads(line)
        return Fired(answer["started"], [(ms, status) for ms, status in answer["results"]])


async def client_process() -> None:
    """The client process: read bursts from stdin, fire them, write the results to stdout. Its
    own garbage collection is kept out of the bursts (everything imported is frozen, and it
    collects before each burst)."""
    gc.collect()
    gc.freeze()
    async with session() as http:
        while line := await asyncio.to_thread(sys.stdin.readline):
            burst = json.loads(line)
            requests = [(body.encode(), headers) for body, headers in burst["requests"]]
            gc.collect()
            fired = await fire_burst(http, burst["url"], requests)
            sys.stdout.write(json.dumps({"started": fired.started, "results": fired.results}))
            sys.stdout.write("\n")
            sys.stdout.flush()
