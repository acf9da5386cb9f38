"""Acks first, the core after: work that follows an ack waits for the acks still owed."""

from __future__ import annotations

import asyncio
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from adapters.slack.ack_gate import AckGate
from tests.support.settings import START
from tests.support.slack_harness import slack_harness


async def test_work_after_an_ack_waits_until_no_request_is_owed_its_answer() -> None:
    gate = AckGate()
    arrived, release = asyncio.Event(), asyncio.Event()
    happened: list[str] = []

    async def slow_to_answer(request: web.Request) -> web.StreamResponse:
        arrived.set()
        await release.wait()
        happened.append("answered")
        return web.Response(text="ok")

    async def core_after_ack() -> None:
        await gate.after_ack()
        happened.append("core")

    owed = asyncio.ensure_future(gate.middleware(make_mocked_request("POST", "/"), slow_to_answer))
    await arrived.wait()
    core = asyncio.ensure_future(core_after_ack())
    release.set()
    await asyncio.gather(owed, core)
    assert happened == ["answered", "core"]


async def test_the_http_adapter_puts_its_listeners_behind_the_gate(tmp_path: Path) -> None:
    async with slack_harness(tmp_path, START) as slack:
        listeners = slack.adapter.listeners
        assert listeners is not None
        gate = slack.adapter._ack_gate
        assert listeners.after_ack == gate.after_ack
