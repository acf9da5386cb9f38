"""The config file's sections for the programme itself: storage, the clock, the outbox,
matching, check-ins, kudos, privacy and the programme's own rules. Each platform's section lives
in its folder (`adapters/<platform>/settings.py`).

Rules: every key has a default; an unknown key is refused (`Section` forbids extras), and each
section turns into the core's rules (`bot.kernel.settings`) through its `rules()`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.kernel.settings import (
    CheckinRules,
    KudosGivers,
    KudosRules,
    MatchingRules,
    MentoringRules,
    NamedModerator,
    PrivacyRules,
    ProgrammeRules,
)
from bot.kernel.weekly_hours import DailyWindow, TimeFormatError
from bot.matching import Weights


@dataclass(frozen=True)
class ModeratorId:
    """How a platform's moderators are named in the config's `moderators` (`<platform>:...`)."""

    platform: str
    form: str
    """The form, as a problem says it (`slack:<team id>:<user id>`)."""
    parse: Callable[[list[str]], NamedModerator | None]
    """The moderator the parts after `<platform>:` name, or None when they name none."""
    problem: Callable[[str, list[str]], str | None] = lambda entry, parts: None
    """What is wrong with an entry `parse` refused, when there is more to say than the forms."""


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StorageConfig(Section):
    url: str = "sqlite+aiosqlite:///./data/circles.db"

    @field_validator("url")
    @classmethod
    def _supported(cls, url: str) -> str:
        """A URL of one of the two databases; a mistake is said without the URL (it may hold
        a password)."""
        usage = "use sqlite+aiosqlite:///path/to/file.db or postgresql+asyncpg://user@host/db"
        if not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(usage)
        try:
            make_url(url)
        except (ArgumentError, ValueError) as e:
            raise ValueError(f"{e}; {usage}") from None
        return url


class SchedulerConfig(Section):
    tick_seconds: int = Field(default=60, ge=1, le=3600)


class OutboxConfig(Section):
    lease_seconds: int = Field(default=30, ge=1, le=86_400)
    """How long a claimed message may stay `sending` before another instance settles it: sent
    again on Discord (whose nonce drops a repeat for a few minutes), marked uncertain on Slack.
    Leases are checked every half lease, so a dead instance's messages go out again within a
    lease and a half (45 s by default), well inside Discord's nonce window."""
    concurrency: int = Field(default=4, ge=1, le=64)


class MatchingWeights(Section):
    """What each preference is worth when people are put together (0 ignores it)."""

    base: float = Field(default=2.0, gt=0, le=100)
    fresh: float = Field(default=6.0, ge=0, le=100)
    requested_subject: float = Field(default=5.0, ge=0, le=100)
    shared_subject: float = Field(default=3.0, ge=0, le=100)
    stage: float = Field(default=2.0, ge=0, le=100)
    overlap: float = Field(default=3.0, ge=0, le=100)
    language: float = Field(default=1.0, ge=0, le=100)


class MatchingConfig(Section):
    recent_rounds: int = Field(default=6, ge=0, le=52)
    queue_days: int = Field(default=3, ge=1, le=30)
    meeting_check_days: int = Field(default=3, ge=1, le=30)
    not_yet_days: int = Field(default=2, ge=1, le=30)
    mentor_capacity: int = Field(default=3, ge=1, le=20)
    weights: MatchingWeights = MatchingWeights()

    def rules(self) -> MatchingRules:
        return MatchingRules(
            weights=Weights(**self.weights.model_dump()),
            **self.model_dump(exclude={"weights"}),
        )


class CheckinsConfig(Section):
    quiet_hours: str = "21:00-08:00"
    window_days: int = Field(default=3, ge=1, le=6)
    reminders: int = Field(default=2, ge=0, le=2)
    quiet_after: int = Field(default=3, ge=1, le=12)
    still_in_days: int = Field(default=3, ge=1, le=14)

    def rules(self) -> CheckinRules:
        return CheckinRules(**self.model_dump(exclude={"quiet_hours"}))

    @field_validator("quiet_hours")
    @classmethod
    def _window(cls, value: str) -> str:
        try:
            return str(DailyWindow.parse(value))
        except TimeFormatError as e:
            raise ValueError(str(e)) from None


class KudosConfig(Section):
    givers: KudosGivers = KudosGivers.MODERATORS
    allowance_per_week: int = Field(default=5, ge=1, le=100)
    values: list[str] = Field(default_factory=lambda: list(KudosRules().values), max_length=20)
    channel: str = Field(default="", max_length=80)
    public_leaderboard: bool = False

    @field_validator("values")
    @classmethod
    def _tags(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.fullmatch(r"[a-z][a-z0-9-]{0,29}", value):
                raise ValueError(f"'{value}' is not a tag: use lowercase letters, digits and -")
        return values

    def rules(self) -> KudosRules:
        return KudosRules(
            givers=self.givers,
            allowance_per_week=self.allowance_per_week,
            values=tuple(self.values),
            channel=self.channel or None,
            public_leaderboard=self.public_leaderboard,
        )


class PrivacyConfig(Section):
    retention_days: int = Field(365, ge=30, le=3650)

    def rules(self) -> PrivacyRules:
        return PrivacyRules(retention_days=self.retention_days)


class ProgrammeConfig(Section):
    self_service_mentors: bool = False
    adults_paired_with_minors: bool = False

    def rules(self) -> ProgrammeRules:
        return ProgrammeRules(**self.model_dump())


MENTORING_TEXT_LIMIT = 3500
"""The most characters a school's agreement or guide may have (a few phone screens)."""


def read_mentoring_text(path: str) -> str:
    """A school's text from `path` (UTF-8); ValueError saying what is wrong and what to do."""
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise ValueError(f"the file '{path}' is not there; give a readable text file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"the file '{path}' cannot be read as UTF-8 text ({e})") from None
    if not text:
        raise ValueError(f"the file '{path}' is empty; write the text in it or leave the key out")
    if len(text) > MENTORING_TEXT_LIMIT:
        raise ValueError(
            f"the file '{path}' has {len(text)} characters; at most {MENTORING_TEXT_LIMIT}"
        )
    return text


class MentoringConfig(Section):
    """A school's own agreement and guide, each a text file read once at start-up; empty: the
    team's. A file that is missing, unreadable, empty or too long stops the bot with a line
    naming the key, before any member can meet it."""

    agreement_file: str = ""
    guide_file: str = ""

    @field_validator("agreement_file", "guide_file")
    @classmethod
    def _readable(cls, path: str) -> str:
        if path.strip():
            read_mentoring_text(path.strip())
        return path.strip()

    def rules(self) -> MentoringRules:
        return MentoringRules(
            agreement=read_mentoring_text(self.agreement_file) if self.agreement_file else None,
            guide=read_mentoring_text(self.guide_file) if self.guide_file else None,
        )
