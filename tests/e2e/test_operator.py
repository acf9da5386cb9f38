"""`circles` as an administrator operates it: what it says when it cannot do what was asked (no
platform to serve, a config with several mistakes, a platform that ends the connection for
good, a full or read-only disk), what it prints when it starts (nothing but what the
administrator needs) and where the console puts exported files."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from adapters.bootstrap import bootstrap
from adapters.clock import ManualClock
from adapters.console.people import actor
from adapters.storage_faults import CANNOT_SAVE
from tests.support import slack_payloads as payloads
from tests.support.bot_process import TIMEOUT, circles, service
from tests.support.discord_fake import FakeDiscord
from tests.support.fakes import RecordingMessenger
from tests.support.schools import discord_school
from tests.support.settings import settings_for
from tests.support.slack_fake import FakeSlack
from tests.support.worker_process import PINNED, PINNED_NOW, ROOT, platform_env, until_line


def _sqlite_config(tmp_path: Path, extra: str = "") -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "c.db"}"\n{extra}')
    return config


def test_a_service_with_no_platform_enabled_says_what_enables_one(tmp_path: Path) -> None:
    result = circles("run", "--no-console", "--config", str(_sqlite_config(tmp_path)))
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "no chat platform is enabled" in line
    for remedy in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN", "without --no-console"):
        assert remedy in line
    assert "Mentor Circles is running" not in result.stdout
    assert not (tmp_path / "c.db").exists(), "nothing was touched"


def test_a_config_with_several_mistakes_lists_every_one_on_its_own_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        "colour = 'blue'\n"
        "default_timezone = 'Mars/Base'\n\n"
        "[storage]\nurl = 'mysql://x'\n\n"
        "[scheduler]\ntick_seconds = 'often'\n"
    )
    for args in (("check-config", str(config)), ("run", "--config", str(config))):
        result = circles(*args)
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 4, lines
        assert all(line.startswith(f"config error: {config}: ") for line in lines)
        said = "\n".join(lines)
        assert "colour: unknown key" in said
        assert "default_timezone: 'Mars/Base' is not an IANA time zone" in said
        assert "[storage] url: use sqlite+aiosqlite" in said
        assert "[scheduler] tick_seconds: Input should be a valid integer" in said
        assert "more problem" not in said
        assert "Traceback" not in result.stderr


LIBRARY_NOISE = ("token` will be unused", "PyNaCl", "davey", "voice will NOT be supported")


async def test_discord_starts_and_stops_without_library_noise(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        discord_school(fake)
        config = _sqlite_config(
            tmp_path,
            f'[discord]\napi_base_url = "{fake.rest_base}"\ngateway_url = "{fake.gateway_url}"\n',
        )
        async with service(config, platform_env(DISCORD_TOKEN="token")) as bot:
            assert "Discord" in bot.up
    assert await bot.exited() == 0
    errors = await bot.stderr()
    assert not any(noise in errors for noise in LIBRARY_NOISE), errors
    assert errors == ""


@pytest.mark.parametrize(
    ("mode", "secret"),
    [("http", {"SLACK_SIGNING_SECRET": "s"}), ("socket", {"SLACK_APP_TOKEN": "xapp-1"})],
)
async def test_slack_starts_and_stops_without_library_noise(
    tmp_path: Path, mode: str, secret: dict[str, str]
) -> None:
    async with FakeSlack() as fake:
        config = _sqlite_config(
            tmp_path,
            f'[slack]\nmode = "{mode}"\nhost = "127.0.0.1"\nport = 0\n'
            f'api_base_url = "{fake.api_url}"\n',
        )
        async with service(config, platform_env(SLACK_BOT_TOKEN="xoxb-e2e", **secret)) as bot:
            assert "Slack" in bot.up
    assert await bot.exited() == 0
    errors = await bot.stderr()
    assert not any(noise in errors for noise in LIBRARY_NOISE), errors
    assert errors == ""


async def test_discord_ending_the_connection_for_good_stops_the_bot_with_status_1(
    tmp_path: Path,
) -> None:
    """The token was reset in the Developer Portal: Discord closes the gateway with 4004. A
    supervisor (Restart=on-failure) must see a failure, and the administrator what to do."""
    async with FakeDiscord() as fake:
        discord_school(fake)
        config = _sqlite_config(
            tmp_path,
            f'[discord]\napi_base_url = "{fake.rest_base}"\ngateway_url = "{fake.gateway_url}"\n',
        )
        async with service(config, platform_env(DISCORD_TOKEN="token")) as bot:
            await fake.disconnect(code=4004)
            status = await bot.exited()
    assert status == 1
    [line] = (await bot.stderr()).strip().splitlines()
    assert "DISCORD_TOKEN" in line
    assert "Reset Token" in line


async def test_slack_revoking_the_token_stops_the_bot_with_status_1(tmp_path: Path) -> None:
    """The app was uninstalled or its token revoked: the next call Slack refuses stops the bot
    with a failure, the administrator told what to do."""
    async with FakeSlack() as fake:
        fake.add_user("UADA", "ada")
        config = _sqlite_config(
            tmp_path,
            f'[slack]\nmode = "http"\nhost = "127.0.0.1"\nport = 0\n'
            f'api_base_url = "{fake.api_url}"\n',
        )
        env = platform_env(SLACK_BOT_TOKEN="xoxb-e2e", SLACK_SIGNING_SECRET="secret")
        async with service(config, env) as bot:
            fake.fail_next("users.info", "token_revoked")
            body = payloads.form_body(
                payloads.slash_command(
                    "/circle",
                    "list",
                    "UADA",
                    trigger_id=fake.new_trigger_id(),
                    response_url=fake.new_response_url(),
                )
            )
            port = bot.up.split("127.0.0.1:")[1].split("/")[0]
            async with (
                aiohttp.ClientSession() as http,
                http.post(
                    f"http://127.0.0.1:{port}/slack/events",
                    data=body,
                    headers=payloads.signed_headers("secret", body),
                ),
            ):
                pass
            status = await bot.exited()
    assert status == 1
    errors = await bot.stderr()
    assert "Traceback" not in errors
    last = errors.strip().splitlines()[-1]
    assert "SLACK_BOT_TOKEN" in last
    assert "token_revoked" in last


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A small disk of its own (a 2 MB tmpfs), unmounted afterwards; skipped where this test
    may not mount one (it needs root)."""
    where = tmp_path / "disk"
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(folder: Path) -> None:
    """Write to a file in `folder` until its disk is full."""
    descriptor = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(descriptor, bytes(64 * 1024))
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _database_on(disk: Path, tmp_path: Path) -> Path:
    """A config whose database is on `disk`, created and up to date."""
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\nurl = "sqlite+aiosqlite:///{disk / "data" / "c.db"}"\n')
    assert circles("db", "upgrade", "--config", str(config)).returncode == 0
    return config


def test_a_full_disk_at_the_start_says_which_disk_is_full(disk: Path, tmp_path: Path) -> None:
    config = _database_on(disk, tmp_path)
    _fill(disk)
    result = circles("console", "--demo", "--config", str(config), stdin="/circle list\n")
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert f"the disk holding {disk / 'data'} is full: free some space there" in line
    assert "disk I/O error" not in line


def test_a_read_only_file_system_at_the_start_says_so(disk: Path, tmp_path: Path) -> None:
    config = _database_on(disk, tmp_path)
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    result = circles("console", "--demo", "--config", str(config), stdin="/circle list\n")
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert f"{disk / 'data'} is on a read-only file system: remount it read-write" in line
    assert "unable to open database file" not in line


async def test_a_disk_that_fills_up_while_running_gets_a_plain_answer_and_one_line(
    disk: Path, tmp_path: Path
) -> None:
    config = _database_on(disk, tmp_path)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "adapters.cli", "console", "--demo", "--config", str(config)),
        *("--now", PINNED_NOW),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=ROOT,
        env=platform_env(),
    )
    assert process.stdin is not None
    assert process.stdout is not None
    process.stdin.write(b"/circle list\n")
    await process.stdin.drain()
    async with asyncio.timeout(TIMEOUT):
        await until_line(process.stdout, "Join one with /circle join")  # the demo is ready
    _fill(disk)
    # Two commands that write, then a week in which check-ins fall due (and cannot be saved).
    script = b"/circle join coding-buddies\n/circle leave algebra-club\n/advance 7d\n/quit\n"
    out, errors = await asyncio.wait_for(process.communicate(script), TIMEOUT)
    assert process.returncode == 0
    assert out.decode().count(CANNOT_SAVE) == 2
    assert "Welcome to coding-buddies" not in out.decode()
    [line] = errors.decode().strip().splitlines()  # the check-ins due meanwhile failed too
    assert f"the disk holding {disk / 'data'} is full" in line


async def test_a_database_turned_read_only_while_running_gets_a_plain_answer_and_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """As when the file system goes read-only under the bot (simulated: SQLite's query_only on
    the one connection the bot holds)."""
    settings = settings_for(f"sqlite+aiosqlite:///{tmp_path / 'c.db'}")
    app = await bootstrap(settings, ManualClock(PINNED), {"console": RecordingMessenger()})
    morgan = actor("demo", "Morgan", moderator=True)
    try:
        assert (await app.bus.handle_text("/circle create chess Chess club", morgan)).ok
        async with app.engine.connect() as connection:
            await connection.exec_driver_sql("PRAGMA query_only = ON")
        caplog.set_level(logging.WARNING)
        ada = actor("demo", "Ada")
        reply = await app.bus.handle_text("/circle join chess", ada)
        again = await app.bus.handle_text("/circle create go Go club", morgan)
    finally:
        await app.close()
    assert reply.text == CANNOT_SAVE
    assert again.text == CANNOT_SAVE
    [record] = caplog.records
    assert f"{tmp_path / 'c.db'} cannot be written to" in record.getMessage()
    assert record.exc_info is None


def test_console_exports_go_to_each_persons_own_folder_under_the_name_the_reply_gives(
    tmp_path: Path,
) -> None:
    exports = tmp_path / "exports"
    config = _sqlite_config(tmp_path, f"\n[console]\nfiles_dir = '{exports}'\n")
    script = "/privacy export\n/privacy export\n/as ben\n/privacy export\n"
    result = circles("console", "--demo", "--config", str(config), stdin=script)
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stdout.splitlines() if line.startswith("Here is everything")]
    saved = [line for line in result.stdout.splitlines() if line.startswith("(saved ")]
    assert len(said) == len(saved) == 3
    for reply, line, person in zip(said, saved, ("ada", "ada", "ben"), strict=True):
        name = reply.split(" in ", 1)[1].split(":", 1)[0]  # "... in NAME: your member record"
        path = exports / "demo" / person / name
        assert line.startswith(f"(saved {name}: {path}, ")
        assert path.stat().st_mode & 0o777 == 0o600
    # Ada's first export is kept, and the line under her second says where.
    [first, second] = saved[:2]
    name = first.split(" ", 2)[1].removesuffix(":")
    kept = name.replace(".json", "-2.json")
    assert f"; the earlier one is kept as {kept})" in second
    assert sorted(p.name for p in (exports / "demo" / "ada").iterdir()) == sorted([name, kept])
    assert [p.name for p in (exports / "demo" / "ben").iterdir()] == [name]
    for folder in (exports / "demo", exports / "demo" / "ada", exports / "demo" / "ben"):
        assert folder.stat().st_mode & 0o777 == 0o700


def test_exports_and_the_database_are_never_committed() -> None:
    for path in ("exports/demo/ada/mentor-circles-export-2026-03-02.json", "data/circles.db"):
        ignored = subprocess.run(
            ["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT, check=False
        )
        assert ignored.returncode == 0, f"{path} is not in .gitignore"


def test_the_database_the_console_creates_is_readable_by_its_user_only(tmp_path: Path) -> None:
    """Concerns and check-in answers are in that file: `ls -l` shows nobody else may read it."""
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "data" / "c.db"}"\n')
    result = circles("console", "--demo", "--config", str(config), stdin="/flag I am scared\n")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "data" / "c.db").stat().st_mode & 0o777 == 0o600


def test_the_database_url_comes_from_the_environment_and_its_password_is_never_shown(
    tmp_path: Path,
) -> None:
    """CIRCLES_DATABASE_URL replaces [storage] url, so PostgreSQL's password need not be written
    in config.toml; what `circles` prints shows the URL without it."""
    config = _sqlite_config(tmp_path)  # [storage] url names c.db
    url = "postgresql+asyncpg://circles:hunter2-secret@db.example.org:5432/circles"
    checked = circles("check-config", str(config), env=platform_env(CIRCLES_DATABASE_URL=url))
    assert checked.returncode == 0, checked.stderr
    assert "storage: postgresql+asyncpg://circles:***@db.example.org:5432/circles" in checked.stdout
    assert "hunter2" not in checked.stdout + checked.stderr
    elsewhere = f"sqlite+aiosqlite:///{tmp_path / 'from-env.db'}"
    upgraded = circles(
        "db", "upgrade", "--config", str(config), env=platform_env(CIRCLES_DATABASE_URL=elsewhere)
    )
    assert upgraded.returncode == 0, upgraded.stderr
    assert (tmp_path / "from-env.db").exists()
    assert not (tmp_path / "c.db").exists(), "the config file's url is not used"


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("mysql://root:hunter2-secret@db/circles", "CIRCLES_DATABASE_URL: use sqlite+aiosqlite"),
        # No @host: the URL parser reads the password as a port and quotes it in its complaint.
        ("postgresql+asyncpg://circles:hunter2/circles", "CIRCLES_DATABASE_URL: invalid literal"),
        ("  ", "CIRCLES_DATABASE_URL is set but empty: unset it to use [storage] url"),
    ],
)
def test_a_bad_database_url_in_the_environment_is_a_config_error_naming_the_variable(
    tmp_path: Path, value: str, said: str
) -> None:
    config = _sqlite_config(tmp_path, "[scheduler]\ntick_seconds = 0\n")
    env = platform_env(CIRCLES_DATABASE_URL=value)
    for args in (("check-config", str(config)), ("run", "--config", str(config))):
        result = circles(*args, env=env)
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 2, lines  # the file's mistake and the variable's, a line each
        assert lines[0].startswith(f"config error: {config}: [scheduler] tick_seconds")
        assert lines[1].startswith(f"config error: {said}")
        assert "hunter2" not in result.stdout + result.stderr
    assert not (tmp_path / "c.db").exists(), "nothing was touched"
