"""The `circles` command as a newcomer or an administrator meets it: a scripted console session,
and the one-line answers to a broken config or an unusable database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.bot_process import circles

SCRIPT = """\
/circle list
/circle join coding-buddies
/circle info coding-buddies
/circle lst
/as morgan
/circle create chess Chess club @everyone
/circle add @ada chess
/as zed
/as morgan
/circle add @zed chess
/advance 2h
/quit
/circle list
"""


def test_a_scripted_console_session_on_the_demo_workspace(tmp_path: Path) -> None:
    result = circles("console", "--demo", "--db", str(tmp_path / "c.db"), stdin=SCRIPT)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "You are Ada" in out
    assert "algebra-club: Algebra and problem solving" in out
    assert "Welcome to coding-buddies, as mentee!" in out
    assert "Mentees: Chloe, Dev, Emma, Ada" in out
    assert "Did you mean /circle list?" in out
    assert "You are now Morgan (moderator)." in out
    assert "[DM to ada] Morgan added you to chess as mentee." in out
    assert "[DM to zed] Morgan added you to chess as mentee." in out  # /as created Zed
    assert "The clock is now" in out
    # /quit ends the session: the last line is never run.
    assert out.count("Ada> /circle list") == 1
    assert "Traceback" not in result.stderr


def test_the_demo_is_created_once_and_kept(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    circles("console", "--demo", "--db", db, stdin="/as morgan\n/circle create chess\n")
    again = circles("console", "--demo", "--db", db, stdin="/circle list\n")
    assert again.returncode == 0
    assert "chess, 0 members" in again.stdout
    assert again.stdout.count("algebra-club:") == 1


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("colour = 'blue'\n", "colour: unknown key"),
        ("[storage]\nurl = 'mysql://x'\n", "[storage] url: use sqlite+aiosqlite"),
        ("default_timezone = 'Mars/Base'\n", "default_timezone: 'Mars/Base' is not an IANA"),
        ("[scheduler]\ntick_seconds = 'often'\n", "[scheduler] tick_seconds: Input should be"),
        ("[storage\n", "not valid TOML"),
    ],
)
def test_a_broken_config_stops_with_one_line_and_status_2(
    tmp_path: Path, config: str, message: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(config)
    for args in (("check-config", str(path)), ("run", "--config", str(path))):
        result = circles(*args)
        assert result.returncode == 2
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr


def test_check_config_accepts_the_example(tmp_path: Path) -> None:
    example = Path(__file__).parents[2] / "config.example.toml"
    result = circles("check-config", str(example))
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout


def test_a_database_that_cannot_be_opened_says_where_and_why(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    result = circles("console", "--db", str(blocker / "circles.db"), stdin="/quit\n")
    assert result.returncode == 1
    assert "database error" in result.stderr
    assert str(blocker / "circles.db") in result.stderr
    assert "Traceback" not in result.stderr


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    db = tmp_path / "data" / "circles.db"
    path.write_text(f"[storage]\nurl = 'sqlite+aiosqlite:///{db}'\n")
    result = circles("db", "upgrade", "--config", str(path))
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert db.exists()


CHECKIN_SCRIPT = """\
/as noah
/advance 7d
/checkin
Going well

Nothing new
no
/checkin
/cancel
/quit
"""


def test_a_mentor_answers_a_check_in_as_a_form_in_the_console(tmp_path: Path) -> None:
    result = circles("console", "--demo", "--db", str(tmp_path / "c.db"), stdin=CHECKIN_SCRIPT)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "[DM to noah] Time for your check-in in the coding-buddies circle" in out
    assert "1/3 How is it going?" in out
    assert "Saved" in out
    assert "1/3 How is it going? (Enter keeps: Going well)" in out
    assert "(The check-in form was left; nothing was saved.)" in out
    assert "Traceback" not in result.stderr


def test_a_console_export_is_saved_and_never_overwritten(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f"[console]\nfiles_dir = '{tmp_path / 'exports'}'\n")
    script = "/privacy export\n/privacy export\n"
    result = circles(
        "console", "--demo", "--config", str(config), "--db", str(tmp_path / "c.db"), stdin=script
    )
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "exports" / "demo" / "ada"
    saved = [line for line in result.stdout.splitlines() if line.startswith("(saved ")]
    assert len(saved) == 2
    newest = sorted(folder.glob("mentor-circles-export-????-??-??.json"))[0]
    earlier = folder / f"{newest.stem}-2.json"
    assert saved[0].startswith(f"(saved {newest.name}: {newest}, ")
    assert saved[1].startswith(f"(saved {newest.name}: {newest}, ")
    assert saved[1].endswith(f"; the earlier one is kept as {earlier.name})")
    assert json.loads(newest.read_text())["member"]["display_name"] == "Ada"
    assert json.loads(earlier.read_text())["member"]["display_name"] == "Ada"


def test_now_that_is_not_a_date_stops_before_anything_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "console", "--now", "friday", "--db", "x.db"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 2
    assert "'friday' is not a date and time; use e.g. 2026-03-02T08:00" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_help_knows_the_consoles_own_commands(tmp_path: Path) -> None:
    result = circles(
        "console", "--demo", "--db", str(tmp_path / "c.db"), stdin="/help as\n/help advance\n"
    )
    assert result.returncode == 0, result.stderr
    assert "/as <name> [moderator]: act as that person" in result.stdout
    assert "/advance until <day> [HH:MM]" in result.stdout
    assert "There is no command" not in result.stdout
