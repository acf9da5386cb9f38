"""The config file, read once into typed, validated settings.

Rules: every key has a default, so an empty file (or none) is a working console setup; an
unknown key, a wrong type or a bad time zone is a ConfigError with a line for each such problem,
naming the key and what is allowed; secrets never live here, they come from the environment:
the database URL, which holds PostgreSQL's password, is CIRCLES_DATABASE_URL when it is set
(instead of [storage] url), and no message ever shows a URL's password.

The sections are defined where they are used: the programme's in adapters.sections, each chat
platform's in its folder (`adapters/<platform>/settings.py`); `Settings` puts them together.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from adapters.console.settings import MODERATOR_ID as CONSOLE_MODERATOR
from adapters.console.settings import ConsoleConfig
from adapters.discord.settings import MODERATOR_ID as DISCORD_MODERATOR
from adapters.discord.settings import DiscordConfig
from adapters.sections import (
    CheckinsConfig,
    KudosConfig,
    MatchingConfig,
    MentoringConfig,
    OutboxConfig,
    PrivacyConfig,
    ProgrammeConfig,
    SchedulerConfig,
    Section,
    StorageConfig,
)
from adapters.slack.settings import MODERATOR_ID as SLACK_MODERATOR
from adapters.slack.settings import SlackConfig
from bot.kernel.settings import CoreSettings, NamedModerator

DEFAULT_CONFIG = Path("config.toml")
DATABASE_URL_ENV = "CIRCLES_DATABASE_URL"
"""The database URL, in the environment like the other secrets; it replaces [storage] url."""


class ConfigError(Exception):
    """A config that cannot be used; the message has one line per problem, each naming the key
    (or variable) and the fix."""


class Settings(Section):
    default_timezone: str = "UTC"
    moderators: list[str] = Field(default_factory=list)
    storage: StorageConfig = StorageConfig()
    console: ConsoleConfig = ConsoleConfig()
    discord: DiscordConfig = DiscordConfig()
    slack: SlackConfig = SlackConfig()
    scheduler: SchedulerConfig = SchedulerConfig()
    outbox: OutboxConfig = OutboxConfig()
    matching: MatchingConfig = MatchingConfig()
    checkins: CheckinsConfig = CheckinsConfig()
    kudos: KudosConfig = KudosConfig()
    privacy: PrivacyConfig = PrivacyConfig()
    programme: ProgrammeConfig = ProgrammeConfig()
    mentoring: MentoringConfig = MentoringConfig()

    @field_validator("default_timezone")
    @classmethod
    def _zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{name}' is not an IANA time zone such as Europe/Berlin") from None
        return name

    @field_validator("moderators")
    @classmethod
    def _moderator_ids(cls, entries: list[str]) -> list[str]:
        problems = []
        for entry in entries:
            try:
                named_moderator(entry)
            except ValueError as e:
                problems.append(str(e))
        if problems:
            raise ValueError("; ".join(problems))
        return entries

    def core(self) -> CoreSettings:
        return CoreSettings(
            default_timezone=self.default_timezone,
            default_quiet_hours=self.checkins.quiet_hours,
            moderators=frozenset(named_moderator(entry) for entry in self.moderators),
            matching=self.matching.rules(),
            checkins=self.checkins.rules(),
            kudos=self.kudos.rules(),
            privacy=self.privacy.rules(),
            programme=self.programme.rules(),
            mentoring=self.mentoring.rules(),
        )


MODERATOR_IDS = {m.platform: m for m in (CONSOLE_MODERATOR, DISCORD_MODERATOR, SLACK_MODERATOR)}
_FORMS = [m.form for m in MODERATOR_IDS.values()]
MODERATOR_FORMS = f"{', '.join(_FORMS[:-1])} or {_FORMS[-1]}"


def named_moderator(entry: str) -> NamedModerator:
    """One `moderators` entry, `<platform>:...` in the platform's form (its settings.py). Rule:
    on Discord and Slack it names the one server or workspace the person moderates; an entry in
    no platform's form is refused, saying the forms."""
    platform, *parts = entry.strip().split(":")
    form = MODERATOR_IDS.get(platform)
    named = form.parse(parts) if form is not None else None
    if named is not None:
        return named
    problem = form.problem(entry, parts) if form is not None else None
    raise ValueError(problem or f"'{entry}' is not a moderator: write {MODERATOR_FORMS}")


def load_settings(path: Path | None, env: Mapping[str, str] = os.environ) -> Settings:
    """Read `path` (or ./config.toml when it exists, or the defaults) into Settings, with the
    database URL from CIRCLES_DATABASE_URL in `env` when it is set. A bad variable is one more
    line among the config's problems, naming the variable and never showing its value."""
    raw, source = _read(path)
    url, problems = _database_url(env)
    if url is not None and isinstance(raw.get("storage", {}), dict):
        raw = {**raw, "storage": {**raw.get("storage", {}), "url": url}}
    try:
        settings = parse_settings(raw, source)
    except ConfigError as e:
        problems = [*str(e).splitlines(), *problems]
    if problems:
        raise ConfigError("\n".join(problems))
    return settings


def _read(path: Path | None) -> tuple[dict[str, Any], str]:
    """The config file's keys (none when there is no file and none was named), and its name."""
    if path is None:
        if not DEFAULT_CONFIG.exists():
            return {}, "config"
        path = DEFAULT_CONFIG
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), str(path)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file; copy config.example.toml to start") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot be read ({e})") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from None


def _database_url(env: Mapping[str, str]) -> tuple[str | None, list[str]]:
    """CIRCLES_DATABASE_URL when it is set and usable (else None), and what is wrong with it."""
    if DATABASE_URL_ENV not in env:
        return None, []
    url = env[DATABASE_URL_ENV].strip()
    if not url:
        return None, [
            f"{DATABASE_URL_ENV} is set but empty: unset it to use [storage] url, or set it to "
            "the database's URL, e.g. postgresql+asyncpg://circles:PASSWORD@db.example.org/circles"
        ]
    try:
        StorageConfig(url=url)
    except ValidationError as e:
        return None, [
            f"{DATABASE_URL_ENV}: {_without_secrets(_message(p), url)}" for p in e.errors()
        ]
    return url, []


def _without_secrets(message: str, url: str) -> str:
    """`message` with every piece of `url` it quotes left out: a broken URL's parser may quote
    the password (`invalid literal for int(): 's3cretpw'`)."""
    for piece in sorted(set(re.split(r"[:/@?#=&]+", url)), key=len, reverse=True):
        if len(piece) >= 3 and piece.lower() not in _SAFE_PIECES:
            message = message.replace(piece, "…")
    return message


_SAFE_PIECES = {"sqlite+aiosqlite", "postgresql+asyncpg", "sqlite", "postgresql"}


def parse_settings(raw: dict[str, Any], source: str = "config") -> Settings:
    try:
        return Settings.model_validate(raw)
    except ValidationError as e:
        raise ConfigError("\n".join(f"{source}: {p}" for p in _problems(e))) from None


def _problems(error: ValidationError) -> list[str]:
    """Every problem of the config, one line each, naming the key and what is allowed."""
    return [_problem(problem) for problem in error.errors()]


def _problem(problem: ErrorDetails) -> str:
    location = [str(part) for part in problem["loc"]]
    *sections, key = location or ["?"]
    where = f"[{'.'.join(sections)}] {key}" if sections else key
    if problem["type"] == "extra_forbidden":
        allowed = _allowed_keys(sections)
        return f"{where}: unknown key; the keys allowed here are: {allowed}"
    return f"{where}: {_message(problem)}"


def _message(problem: ErrorDetails) -> str:
    """What pydantic says is wrong, in one line, without its "Value error, " prefix."""
    return " ".join(str(problem["msg"]).removeprefix("Value error, ").split())


def _allowed_keys(sections: list[str]) -> str:
    model: type[BaseModel] = Settings
    for name in sections:
        annotation = model.model_fields[name].annotation
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            break
        model = annotation
    return ", ".join(model.model_fields) or "none yet"
