"""The console as a whole: the bot in this terminal (`circles console`, and `circles run` when
no chat platform is enabled).

Rules:
- `--db` replaces the config's database with that SQLite file;
- with the demo, the demo workspace is created first when it is not there yet, and the session
  starts as its first student; otherwise as `--as`, or as `admin`;
- the moderators are the people the config names (`console:<name>`), the demo's moderator when
  the demo is on, whoever starts it without the demo and without `--as` (it is their own
  terminal), and whoever `/as <name> moderator` makes one;
- what the core had queued is delivered before the first prompt; with `tick` (`circles run`)
  the clock ticks as in the service, and stops when the session ends.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterable
from pathlib import Path

from adapters.bootstrap import bootstrap
from adapters.clock import OffsetClock
from adapters.config import Settings, parse_settings
from adapters.console.demo import FIRST_STUDENT, MODERATOR, seed_demo
from adapters.console.messenger import ConsoleMessenger
from adapters.console.people import PLATFORM, actor
from adapters.console.session import ConsoleSession, stdin_lines
from adapters.scheduler import Ticker
from adapters.storage_faults import report_storage_problems
from bot.kernel.model import WorkspaceRef

ADMIN = "admin"


def run_console(
    settings: Settings,
    clock: OffsetClock,
    db: Path | None,
    demo: bool,
    as_name: str | None,
    *,
    tick: bool = False,
) -> int:
    """Run a console session on standard input until it ends; the exit status."""
    if db is not None:
        settings = parse_settings(
            {**settings.model_dump(), "storage": {"url": f"sqlite+aiosqlite:///{db}"}}
        )
    report_storage_problems(settings.storage.url)
    asyncio.run(_session(settings, clock, demo, as_name, tick))
    return 0


def first_person(named: Iterable[str], *, demo: bool, as_name: str | None) -> tuple[str, set[str]]:
    """Who the session starts as, and the moderators' names: `named` by the config, and the
    others the rules above make one."""
    moderators = set(named)
    if demo:
        moderators.add(MODERATOR.lower())
    name = as_name or (FIRST_STUDENT if demo else ADMIN)
    if not demo and not as_name:
        moderators.add(name)
    return name, moderators


async def _session(
    settings: Settings, clock: OffsetClock, demo: bool, as_name: str | None, tick: bool
) -> None:
    app = await bootstrap(settings, clock, {PLATFORM: ConsoleMessenger(sys.stdout)})
    workspace = settings.console.workspace
    ticker: Ticker | None = None
    try:
        named = settings.core().named_moderators(WorkspaceRef(PLATFORM, workspace))
        if demo:
            await seed_demo(app.bus, workspace)
        name, moderators = first_person(named, demo=demo, as_name=as_name)
        me = actor(workspace, name, name.lower() in moderators)
        session = ConsoleSession(
            app, clock, sys.stdout, workspace, me, moderators, settings.console.files_dir
        )
        session.say(
            f"Mentor Circles console, workspace '{workspace}'. You are {name}"
            + (" (moderator)" if me.is_admin else "")
            + ". Type /help to see what you can do, /as <name> to be someone else, /quit to leave."
        )
        await app.due.deliver()
        if tick:
            ticker = Ticker(app.due, settings.scheduler.tick_seconds)
            ticker.start()
        await session.run(stdin_lines(session), echo=not sys.stdin.isatty())
    finally:
        if ticker is not None:
            await ticker.stop()
        await app.close()
