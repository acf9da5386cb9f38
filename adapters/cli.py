"""The `circles` command: run the bot, open the console, check a config, upgrade the database,
and each platform's own maintenance (`circles discord sync`).

Rules: `circles run` serves every platform the config or the environment enables (those in
adapters.registry), or opens the console when there is none; every failure a person can fix (a
bad config, a database that will not open, a platform that cannot start) ends with one line on
standard error and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from adapters.bootstrap import DatabaseError, describe_url, migrate
from adapters.clock import OffsetClock
from adapters.config import ConfigError, Settings, load_settings
from adapters.console.runtime import run_console
from adapters.platform import EXIT_PLATFORM, Adapter, StartError
from adapters.registry import PLATFORMS, spoken
from adapters.service import PlatformLost, run_service

EXIT_CONFIG = 2
EXIT_DATABASE = 1

_TITLES = [p.title for p in PLATFORMS]
_TOKENS = [p.token for p in PLATFORMS]
_SECTIONS = [f"[{p.name}]" for p in PLATFORMS]
_NONE = "neither" if len(PLATFORMS) == 2 else "none"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="circles", description="Mentor Circles: peer mentorship in the chat you already use."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help=f"start what the config enables ({', '.join(_TITLES)}, or the console with no token)",
    )
    run.add_argument("--config", type=Path, help="config file (default: ./config.toml if any)")
    _add_now(run)
    run.add_argument(
        "--no-console",
        action="store_true",
        help=f"run as a service on a server: serve {spoken(_TITLES, 'and/or')}, tick and deliver "
        f"until SIGTERM or Ctrl-C; stops with status 2 if {_NONE} is enabled "
        f"({', '.join(_TOKENS)}, or enabled = true under {spoken(_SECTIONS, 'or')})",
    )
    run.add_argument(
        "--scheduler-only",
        action="store_true",
        help="serve no platform, only tick: run what falls due (matching rounds, check-ins, "
        f"reminders, purges) and deliver the console's messages; messages for "
        f"{spoken(_TITLES, 'and')} wait in the outbox for an instance that serves them. For one "
        "more instance next to others on PostgreSQL",
    )

    console = commands.add_parser("console", help="the bot in this terminal")
    console.add_argument("--config", type=Path, help="config file (default: ./config.toml if any)")
    console.add_argument("--db", type=Path, help="SQLite file to use instead of the config's")
    console.add_argument("--demo", action="store_true", help="create the demo workspace if needed")
    console.add_argument("--as", dest="as_name", metavar="NAME", help="who you are at the start")
    _add_now(console)

    check = commands.add_parser("check-config", help="check a config file and say what is wrong")
    check.add_argument("path", type=Path)

    for platform in PLATFORMS:
        if platform.maintenance is not None:
            own = commands.add_parser(platform.name, help=platform.maintenance.help)
            platform.maintenance.add_actions(own)

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
        for platform in PLATFORMS:
            if args.command == platform.name and platform.maintenance is not None:
                return platform.maintenance.run(args, settings, os.environ)
        if args.command == "run":
            if args.scheduler_only:
                return _serve(settings, OffsetClock(args.now), [])
            return _run(settings, OffsetClock(args.now), headless=args.no_console)
        return run_console(settings, OffsetClock(args.now), args.db, args.demo, args.as_name)
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
    "no chat platform is enabled, so there is nothing to serve: set "
    + spoken([f"{p.token} ({p.title})" for p in PLATFORMS], "or")
    + f", or enabled = true under {spoken(_SECTIONS, 'or')}; run `circles run` "
    "without --no-console for the console in this terminal, or `circles run --scheduler-only` "
    "to only tick"
)


def _run(settings: Settings, clock: OffsetClock, *, headless: bool) -> int:
    adapters = [a for p in PLATFORMS if (a := p.adapter(settings, os.environ)) is not None]
    if not adapters:
        if headless:
            raise ConfigError(NO_PLATFORM)
        return run_console(settings, clock, None, settings.console.demo, None, tick=True)
    return _serve(settings, clock, adapters)


def _serve(settings: Settings, clock: OffsetClock, adapters: list[Adapter]) -> int:
    try:
        asyncio.run(run_service(settings, clock, adapters))
    except StartError as e:
        print(f"{e.platform} error: {e}", file=sys.stderr)
        return EXIT_PLATFORM
    except PlatformLost as e:
        print(f"stopped: {e}", file=sys.stderr)
        return EXIT_PLATFORM
    return 0


if __name__ == "__main__":
    sys.exit(main())
