"""`circles` as an administrator operates it: what it says when it cannot do what was asked (no
platform to serve, a config with several mistakes, a platform that ends the connection for
good, a full or read-only disk), what it prints when it starts (nothing but what the
administrator needs) and where the console puts exported files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.e2e.worker_process import PINNED_NOW, ROOT, platform_env

TIMEOUT = 60.0


def circles(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """`circles ARGS` with no chat platform's secrets in its environment (unless `env` has some);
    the console and the service start at the pinned moment."""
    pinned = ["--now", PINNED_NOW] if args and args[0] in ("console", "run") else []
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args, *pinned],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=ROOT,
        env=env if env is not None else platform_env(),
        check=False,
    )


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
