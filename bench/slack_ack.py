"""Slack ack latency (issue 7): how fast our HTTP adapter acknowledges a burst of slash commands,
against a bare Bolt app that only acks.

Both are served in this process on 127.0.0.1 the same way (Bolt's `web_app` in an aiohttp
AppRunner, port 0, the same signing secret) and talk to a fake Slack (tests/adapters/
slack_fake.py) in this process:
- ours: the real SlackAdapter in HTTP mode through the real bootstrap on a SQLite file (the
  default deployment), and on PostgreSQL too when CIRCLES_TEST_POSTGRES_URL is set;
- bare: `slack_bolt.async_app.AsyncApp` with one listener per slash command that only acks.

The load comes from a client process of its own, as Slack's requests come from elsewhere
(`--in-process` fires from the servers' own event loop instead, which adds the client's work
to both sides): one aiohttp session, no connection limit. Each round it fires BURST signed
slash commands at once at each target in turn, a mix over USERS people (/findbuddy, /circles
help, /kudos wall, /profile, /checkin), and times each from its send to its HTTP response (the
ack). The order of the targets rotates from round to round; a burst starts only when the
previous one's work after the ack has ended and this process has collected its garbage, and
the client process keeps its own collections out of the bursts. The connections are opened by
an uncounted warm-up burst and kept, so the rounds time the apps, not TCP handshakes (the
warm-up's numbers are printed; with `--in-process`, 200 connections at once overflow aiohttp's
listen backlog of 128 and the last ones wait for the kernel's 1 s SYN retry).

Reported over all rounds: p50, p99 and max ack latency and p99(ours) / p99(bare) (target: at
most 1.5); for ours, how long after a burst's first send every command's work after its ack
had ended (the listeners: the core and the private reply) and the adapter had settled (also the
DMs the commands queued and App Home refreshes), and how many commands got their private answer
(at the fake's response URLs; /checkin's answer is a modal opened and then filled).

Run: make bench   (or .venv/bin/python -m bench.slack_ack; --rounds N; --write puts the table
into docs/benchmarks.md)
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.bootstrap import bootstrap
from adapters.clock import OffsetClock
from adapters.config import parse_settings
from adapters.slack.runtime import SlackAdapter, SlackCredentials, slash_commands
from tests.adapters import slack_payloads as payloads
from tests.adapters.slack_fake import FakeSlack
from tests.conftest import _create_database, _drop_database
from tests.e2e.worker_process import PINNED

BURST = 200
USERS = 50
ROUNDS = 12
"""Twelve, so that with two or three targets each goes first equally often."""
WARM_UP = 2
"""Requests of each kind in the mix each target gets one at a time before its warm-up burst."""
MIX = (
    ("/findbuddy", ""),
    ("/circles", "help"),
    ("/kudos", "wall"),
    ("/profile", ""),
    ("/checkin", ""),
)
TARGET_RATIO = 1.5
KEEP_ALIVE = 60.0
"""Seconds the client keeps an idle connection (aiohttp's servers keep one 75 s)."""
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
PATH = "/slack/events"
BARE = "bare Bolt app (ack only)"
ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- slack-ack:begin -->", "<!-- slack-ack:end -->"
WENT_WRONG = "something went wrong"
"""What the core answers when a command failed (bot.runtime.bus.SOMETHING_WENT_WRONG), in lower
case."""


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


async def _fire(
    http: aiohttp.ClientSession, url: str, requests: list[tuple[bytes, dict[str, str]]]
) -> Fired:
    """All the requests at once; each timed from its send to its response."""
    started = time.monotonic()
    results = await asyncio.gather(*(_send(http, url, body, headers) for body, headers in requests))
    return Fired(started, list(results))


def _session() -> aiohttp.ClientSession:
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
        return await _fire(self._http, url, [(r.body, r.headers) for r in requests])


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


async def _client_process() -> None:
    """The client process: read bursts from stdin, fire them, write the results to stdout. Its
    own garbage collection is kept out of the bursts (everything imported is frozen, and it
    collects before each burst)."""
    gc.collect()
    gc.freeze()
    async with _session() as http:
        while line := await asyncio.to_thread(sys.stdin.readline):
            burst = json.loads(line)
            requests = [(body.encode(), headers) for body, headers in burst["requests"]]
            gc.collect()
            fired = await _fire(http, burst["url"], requests)
            sys.stdout.write(json.dumps({"started": fired.started, "results": fired.results}))
            sys.stdout.write("\n")
            sys.stdout.flush()


# -- the workspace, the requests and the answers --------------------------------------------


def _users(fake: FakeSlack) -> list[str]:
    users = [f"UM{n:03d}" for n in range(USERS)]
    for n, user in enumerate(users):
        fake.add_user(user, f"member{n}", tz=("Europe/Berlin", "America/Chicago")[n % 2])
    return users


def _requests(fake: FakeSlack, users: list[str], count: int) -> list[Request]:
    """`count` signed slash commands: person i % USERS, each person a different kind each time."""
    made = []
    for i in range(count):
        user = users[i % len(users)]
        command, text = MIX[(i + i // len(users)) % len(MIX)]
        response_url = fake.new_response_url()
        trigger_id = fake.new_trigger_id(user)
        fields = payloads.slash_command(
            command, text, user, trigger_id=trigger_id, response_url=response_url
        )
        body = payloads.form_body(fields)
        headers = payloads.signed_headers(SECRET, body)
        made.append(Request(command, body, headers, response_url, trigger_id))
    return made


def _answers(fake: FakeSlack, requests: list[Request]) -> tuple[int, int]:
    """How many requests got their private answer, and how many of those answers were the
    core's "something went wrong". The answer is one ephemeral reply at the response URL, or for
    /checkin (whose answer is a modal) a "one moment" modal opened with the request's trigger
    and then filled (views.update)."""
    opened = {
        c.params.get("trigger_id"): c.answer["view"]["id"]
        for c in fake.calls_to("views.open")
        if c.ok and c.answer is not None
    }
    filled = {
        c.params.get("view_id"): json.dumps(c.params.get("view"))
        for c in fake.calls_to("views.update")
        if c.ok
    }
    answered = failed = 0
    for r in requests:
        if r.command == "/checkin":
            answer = filled.get(opened.get(r.trigger_id))
        else:
            replies = fake.responses_to(r.response_url)
            ephemeral = [b.get("response_type") for b in replies] == ["ephemeral"]
            answer = json.dumps(replies[0]) if ephemeral else None
        if answer is not None:
            answered += 1
            failed += WENT_WRONG in answer.lower()
    return answered, failed


# -- rounds ---------------------------------------------------------------------------------


async def _burst(client: Client, fake: FakeSlack, target: Target, users: list[str]) -> None:
    requests = _requests(fake, users, BURST)
    gc.collect()
    fired = await client.fire(target.url, requests)
    detail = ""
    if target.adapter is not None:
        assert target.adapter.listeners is not None
        await target.adapter.listeners.settle()
        target.replies_done.append((time.monotonic() - fired.started) * 1000)
        await target.adapter.settle()
        target.all_done.append((time.monotonic() - fired.started) * 1000)
        answered, failed = _answers(fake, requests)
        target.answered += answered
        target.went_wrong += failed
        detail = (
            f", replies done {target.replies_done[-1]:.0f}, all settled {target.all_done[-1]:.0f}"
        )
    latencies = [ms for ms, _ in fired.results]
    target.sent += len(requests)
    target.latencies += latencies
    target.round_p99s.append(_percentile(latencies, 0.99))
    target.statuses.update(status for _, status in fired.results)
    print(
        f"  {target.name}: p50 {statistics.median(latencies):.1f}, "
        f"p99 {_percentile(latencies, 0.99):.1f}, max {max(latencies):.1f} ms{detail}",
        file=sys.stderr,
        flush=True,
    )


async def _warm_up(client: Client, fake: FakeSlack, target: Target, users: list[str]) -> None:
    """A few requests one at a time (Bolt's auth.test, the solver's pool, SQLAlchemy's caches),
    then one uncounted burst that opens the BURST connections the rounds reuse."""
    for request in _requests(fake, users, WARM_UP * len(MIX)):
        fired = await client.fire(target.url, [request])
        if fired.results[0][1] != 200:
            raise RuntimeError(f"{target.name}: a warm-up request answered {fired.results[0][1]}")
    if target.adapter is not None:
        await target.adapter.settle()
    burst = _requests(fake, users, BURST)
    fired = await client.fire(target.url, burst)
    detail = ""
    if target.adapter is not None:
        await target.adapter.settle()
        answered, failed = _answers(fake, burst)
        detail = f"; answered {answered} of {len(burst)}, {failed} of them went wrong"
    latencies = [ms for ms, _ in fired.results]
    print(
        f"  {target.name}, warm-up burst on new connections: p50 "
        f"{statistics.median(latencies):.1f}, max {max(latencies):.1f} ms{detail}",
        file=sys.stderr,
        flush=True,
    )


async def _ack_only(ack: Any) -> None:
    await ack()


@asynccontextmanager
async def _bare(fake: FakeSlack) -> AsyncIterator[Target]:
    app = AsyncApp(
        client=AsyncWebClient(token=TOKEN, base_url=fake.api_url),
        signing_secret=SECRET,
        process_before_response=False,
    )
    for name in slash_commands():
        app.command(name)(_ack_only)
    runner = web.AppRunner(app.web_app(path=PATH))
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        yield Target(BARE, int(runner.addresses[0][1]))
    finally:
        await runner.cleanup()


@asynccontextmanager
async def _ours(fake: FakeSlack, name: str, url: str) -> AsyncIterator[Target]:
    slack = {
        "enabled": True,
        "mode": "http",
        "host": "127.0.0.1",
        "port": 0,
        "path": PATH,
        "api_base_url": fake.api_url,
    }
    settings = parse_settings({"storage": {"url": url}, "slack": slack})
    adapter = SlackAdapter(settings.slack, SlackCredentials(TOKEN, signing_secret=SECRET))
    clock = OffsetClock(PINNED)
    app = await bootstrap(settings, clock, {"slack": adapter.messenger})
    try:
        adapter.attach(app.bus, app.due, app.seen_events, clock)
        await adapter.start()
        try:
            assert adapter.port is not None
            yield Target(name, adapter.port, adapter)
        finally:
            await adapter.stop()
    finally:
        await app.close()


@asynccontextmanager
async def _postgres(admin_url: str) -> AsyncIterator[str]:
    url = await _create_database(admin_url)
    try:
        yield url
    finally:
        await _drop_database(admin_url, url)


async def run(folder: Path, rounds: int, *, in_process: bool = False) -> list[Target]:
    postgres = os.environ.get("CIRCLES_TEST_POSTGRES_URL")
    async with AsyncExitStack() as stack:
        fake = await stack.enter_async_context(FakeSlack())
        users = _users(fake)
        sqlite = f"sqlite+aiosqlite:///{folder / 'slack-ack.db'}"
        targets = [await stack.enter_async_context(_ours(fake, "ours, SQLite", sqlite))]
        if postgres:
            url = await stack.enter_async_context(_postgres(postgres))
            targets.append(await stack.enter_async_context(_ours(fake, "ours, PostgreSQL", url)))
        targets.append(await stack.enter_async_context(_bare(fake)))
        client: Client
        if in_process:
            client = InProcessClient(await stack.enter_async_context(_session()))
        else:
            client = await stack.enter_async_context(ProcessClient.started())
        for target in targets:
            await _warm_up(client, fake, target, users)
        for n in range(rounds):
            order = targets[n % len(targets) :] + targets[: n % len(targets)]
            print(
                f"slack ack: round {n + 1}/{rounds}: " + ", then ".join(t.name for t in order),
                file=sys.stderr,
                flush=True,
            )
            for target in order:
                await _burst(client, fake, target, users)
    return targets


# -- the report -----------------------------------------------------------------------------


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _spread(samples: list[float]) -> str:
    return f"{statistics.median(samples):,.0f} / {max(samples):,.0f}" if samples else "—"


def table(targets: list[Target], rounds: int) -> str:
    """The markdown table, and under it each of ours against the bare app."""
    lines = [
        "| target | requests | ack p50 ms | ack p99 ms | ack max ms | median round's p99 ms "
        f"| acks not 200 | replies done, ms (median / max of {rounds} rounds) "
        '| all settled, ms (same) | answered privately, of them "went wrong" |',
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for t in targets:
        answered = f"{t.answered:,} of {t.sent:,}, {t.went_wrong}" if t.adapter else "—"
        lines.append(
            f"| {t.name} | {t.sent:,} | {statistics.median(t.latencies):.1f} "
            f"| {_percentile(t.latencies, 0.99):.1f} | {max(t.latencies):.1f} "
            f"| {statistics.median(t.round_p99s):.1f} | {t.sent - t.statuses[200]} "
            f"| {_spread(t.replies_done)} | {_spread(t.all_done)} | {answered} |"
        )
    bare = next(t for t in targets if t.adapter is None)
    lines.append("")
    for t in targets:
        if t.adapter is None:
            continue
        p99 = _percentile(t.latencies, 0.99) / _percentile(bare.latencies, 0.99)
        p50 = statistics.median(t.latencies) / statistics.median(bare.latencies)
        typical = statistics.median(t.round_p99s) / statistics.median(bare.round_p99s)
        verdict = "within" if p99 <= TARGET_RATIO else "**not within**"
        lines.append(
            f"- {t.name}: p99 ours / p99 bare = **{p99:.2f}**, {verdict} the target of "
            f"{TARGET_RATIO} (p50: {p50:.2f}; median round's p99: {typical:.2f})"
        )
    return "\n".join(lines)


def write_docs(markdown: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{markdown}\n{END}"
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"{DOCS} has no {BEGIN} ... {END} block to fill")
    DOCS.write_text(pattern.sub(lambda _: block, text), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.slack_ack")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"default {ROUNDS}")
    parser.add_argument(
        "--in-process", action="store_true", help="fire from the servers' own event loop"
    )
    parser.add_argument("--write", action="store_true", help=f"put the table into {DOCS.name}")
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        asyncio.run(_client_process())
        return
    with tempfile.TemporaryDirectory() as folder:
        targets = asyncio.run(run(Path(folder), args.rounds, in_process=args.in_process))
    markdown = table(targets, args.rounds)
    print(markdown)
    sys.stdout.flush()
    if args.write:
        write_docs(markdown)


if __name__ == "__main__":
    main()
