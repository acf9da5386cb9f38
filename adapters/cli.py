"""The `circles` command: run the bot, open the console, check a config, upgrade the database.

Every failure a person can fix (a bad config, a database that will not open) ends with one line
on standard error and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from adapters.bootstrap import DatabaseError, bootstrap, describe_url, migrate
from adapters.clock import OffsetClock
from adapters.config import ConfigError, Settings, load_settings, parse_settings
from adapters.console.demo import FIRST_STUDENT, MODERATOR, actor, seed_demo
from adapters.console.messenger import PLATFORM as CONSOLE
from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession, stdin_lines
from adapters.discord.runtime import (
    DiscordAdapter,
    DiscordStartError,
    discord_adapter,
    discord_token,
)
from adapters.discord.surface import command_definitions
from adapters.scheduler import Ticker
from adapters.service import PlatformLost, serve
from adapters.slack.runtime import SlackAdapter, SlackStartError, slack_adapter
from adapters.storage_faults import report_storage_problems
from bot.kernel.model import WorkspaceRef
from bot.kernel.ports import Messenger

EXIT_CONFIG = 2
EXIT_DATABASE = 1
EXIT_PLATFORM = 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="circles", description="Mentor Circles: peer mentorship in the chat you already use."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run", help="start what the config enables (Slack, Discord, or the console with no token)"
    )
    run.add_argument("--config", type=Path, help="config file (default: ./config.toml if any)")
    _add_now(run)
    run.add_argument(
        "--no-console",
        action="store_true",
        help="run as a service on a server: serve Slack and/or Discord, tick and deliver until "
        "SIGTERM or Ctrl-C; stops with status 2 if neither is enabled (SLACK_BOT_TOKEN, "
        "DISCORD_TOKEN, or enabled = true under [slack] or [discord])",
    )
    run.add_argument(
        "--scheduler-only",
        action="store_true",
        help="serve no platform, only tick: run what falls due (matching rounds, check-ins, "
        "reminders, purges) and deliver the console's messages; messages for Slack and Discord "
        "wait in the outbox for an instance that serves them. For one more instance next to "
        "others on PostgreSQL",
    )

    console = commands.add_parser("console", help="the bot in this terminal")
    console.add_argument("--config", type=Path, help="config file (default: ./config.toml if any)")
    console.add_argument("--db", type=Path, help="SQLite file to use instead of the config's")
    console.add_argument("--demo", action="store_true", help="create the demo workspace if needed")
    console.add_argument("--as", dest="as_name", metavar="NAME", help="who you are at the start")
    _add_now(console)

    check = commands.add_parser("check-config", help="check a config file and say what is wrong")
    check.add_argument("path", type=Path)

    chat = commands.add_parser("discord", help="Discord maintenance")
    chat_commands = chat.add_subparsers(dest="discord_command", required=True, metavar="ACTION")
    sync = chat_commands.add_parser(
        "sync", help="install the slash commands ([discord] guild_ids, or globally)"
    )
    sync.add_argument("--config", type=Path, help="config file (default: ./config.toml if any)")
    sync.add_argument(
        "--guild",
        type=int,
        action="append",
        dest="guild_ids",
        metavar="ID",
        help="install in this server only (repeatable); instant, for testing",
    )

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_commands.add_parser("upgrade", help="apply the schema migrations")
    upgrade.add_argument("--config", type=Path, help="config file (default: ./config.toml if any)")
    return parser


def _moment(text: str) -> datetime:
    """An ISO date-time as typed after --now; without an offset it is UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date and time; use e.g. 2026-03-02T08:00 (UTC) "
            "or 2026-03-02T09:00+01:00"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _add_now(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--now",
        type=_moment,
        metavar="DATETIME",
        help="start the clock at this moment (ISO, e.g. 2026-03-02T08:00, UTC unless an offset "
        "is given) and let it run from there; default: the real time",
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.command == "check-config":
            settings = load_settings(args.path)
            print(f"{args.path}: OK (storage: {describe_url(settings.storage.url)})")
            return 0
        settings = load_settings(args.config)
        if args.command == "db":
            asyncio.run(migrate(settings))
            print(f"The database at {describe_url(settings.storage.url)} is up to date.")
            return 0
        if args.command == "discord":
            return _sync(settings, args.guild_ids)
        if args.command == "run":
            if args.scheduler_only:
                return _scheduler_only(settings, OffsetClock(args.now))
            return _run(settings, OffsetClock(args.now), headless=args.no_console)
        return _console(settings, OffsetClock(args.now), args.db, args.demo, args.as_name)
    except ConfigError as e:
        for line in str(e).splitlines():
            print(f"config error: {line}", file=sys.stderr)
        return EXIT_CONFIG
    except DatabaseError as e:
        print(f"database error: {e}", file=sys.stderr)
        return EXIT_DATABASE
    except KeyboardInterrupt:
        return 130


NO_PLATFORM = (
    "no chat platform is enabled, so there is nothing to serve: set SLACK_BOT_TOKEN (Slack) or "
    "DISCORD_TOKEN (Discord), or enabled = true under [slack] or [discord]; run `circles run` "
    "without --no-console for the console in this terminal, or `circles run --scheduler-only` "
    "to only tick"
)


def _run(settings: Settings, clock: OffsetClock, *, headless: bool) -> int:
    slack = slack_adapter(settings, os.environ)
    discord = discord_adapter(settings, os.environ)
    if slack is None and discord is None:
        if headless:
            raise ConfigError(NO_PLATFORM)
        return _console(settings, clock, None, settings.console.demo, None, tick=True)
    try:
        asyncio.run(_service(settings, clock, slack, discord))
    except SlackStartError as e:
        print(f"slack error: {e}", file=sys.stderr)
        return EXIT_PLATFORM
    except DiscordStartError as e:
        print(f"discord error: {e}", file=sys.stderr)
        return EXIT_PLATFORM
    except PlatformLost as e:
        print(f"stopped: {e}", file=sys.stderr)
        return EXIT_PLATFORM
    return 0


def _scheduler_only(settings: Settings, clock: OffsetClock) -> int:
    asyncio.run(_service(settings, clock, None, None))
    return 0


def _sync(settings: Settings, guild_ids: list[int] | None) -> int:
    adapter = DiscordAdapter(settings.discord, discord_token(os.environ))
    wanted = settings.discord.guild_ids if guild_ids is None else guild_ids
    try:
        places = asyncio.run(adapter.sync(wanted))
    except DiscordStartError as e:
        print(f"discord error: {e}", file=sys.stderr)
        return EXIT_PLATFORM
    print(f"Installed {len(command_definitions())} commands: {', '.join(places)}.")
    return 0


async def _service(
    settings: Settings,
    clock: OffsetClock,
    slack: SlackAdapter | None,
    discord: DiscordAdapter | None,
) -> None:
    report_storage_problems(settings.storage.url)
    messengers: dict[str, Messenger] = {CONSOLE: ConsoleMessenger(sys.stdout)}
    platforms: list[SlackAdapter | DiscordAdapter] = [p for p in (slack, discord) if p]
    for platform in platforms:
        messengers[platform.messenger.platform] = platform.messenger
    app = await bootstrap(settings, clock, messengers)
    if slack is not None:
        slack.attach(app.bus, app.due, app.seen_events, clock)
    if discord is not None:
        discord.attach(app.bus, app.due, app.seen_events, clock)
    tick = settings.scheduler.tick_seconds

    def announce() -> None:
        where = "".join(f", {p.describe()}" for p in platforms)
        what = "" if platforms else " the scheduler only"
        waiting = "" if platforms else "; messages for Slack and Discord wait for `circles run`"
        print(
            f"Mentor Circles is running{what} (storage: {describe_url(settings.storage.url)}"
            f"{where}, a tick every {tick} s{waiting}). Stop it with Ctrl-C or SIGTERM.",
            flush=True,
        )

    try:
        await serve(app, tick, announce, platforms)
    finally:
        await app.close()


def _console(
    settings: Settings,
    clock: OffsetClock,
    db: Path | None,
    demo: bool,
    as_name: str | None,
    *,
    tick: bool = False,
) -> int:
    if db is not None:
        settings = parse_settings(
            {**settings.model_dump(), "storage": {"url": f"sqlite+aiosqlite:///{db}"}}
        )
    report_storage_problems(settings.storage.url)
    asyncio.run(_console_session(settings, clock, demo, as_name, tick))
    return 0


async def _console_session(
    settings: Settings, clock: OffsetClock, demo: bool, as_name: str | None, tick: bool
) -> None:
    app = await bootstrap(settings, clock, {CONSOLE: ConsoleMessenger(sys.stdout)})
    workspace = settings.console.workspace
    ticker: Ticker | None = None
    try:
        moderators = set(settings.core().named_moderators(WorkspaceRef(CONSOLE, workspace)))
        if demo:
            await seed_demo(app.bus, workspace)
            moderators.add(MODERATOR.lower())
        name = as_name or (FIRST_STUDENT if demo else "admin")
        if not demo and not as_name:
            moderators.add(name)
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


if __name__ == "__main__":
    sys.exit(main())
