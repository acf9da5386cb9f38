"""Slack ack latency (issue 7): how fast our HTTP adapter acknowledges a burst of slash commands,
against a bare Bolt app that only acks.

Both are served in this process on 127.0.0.1 the same way (Bolt's `web_app` in an aiohttp
AppRunner, port 0, the same signing secret) and talk to a fake Slack (tests/support/
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
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.bootstrap import bootstrap
from adapters.clock import OffsetClock
from adapters.config import parse_settings
from adapters.slack.connection import SlackCredentials
from adapters.slack.runtime import SlackAdapter, slash_commands
from bench.ack_client import (
    PATH,
    Client,
    InProcessClient,
    ProcessClient,
    Request,
    Target,
    client_process,
    session,
)
from bench.ack_report import percentile, table, write_docs
from bench.results_page import DOCS
from tests.support import slack_payloads as payloads
from tests.support.databases import create_database, drop_database
from tests.support.slack_fake import FakeSlack
from tests.support.worker_process import PINNED

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
"""Seconds the client keeps an idle connection (aiohttp's servers keep one 75 s)."""
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
BARE = "bare Bolt app (ack only)"
WENT_WRONG = "something went wrong"
"""What the core answers when a command failed (bot.runtime.bus.SOMETHING_WENT_WRONG), in lower
case."""


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
        await target.adapter.listeners.in_flight.settle()
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
    target.round_p99s.append(percentile(latencies, 0.99))
    target.statuses.update(status for _, status in fired.results)
    print(
        f"  {target.name}: p50 {statistics.median(latencies):.1f}, "
        f"p99 {percentile(latencies, 0.99):.1f}, max {max(latencies):.1f} ms{detail}",
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
    url = await create_database(admin_url)
    try:
        yield url
    finally:
        await drop_database(admin_url, url)


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
            client = InProcessClient(await stack.enter_async_context(session()))
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
        asyncio.run(client_process())
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
