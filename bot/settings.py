"""The programme's settings as the core needs them; the composition root builds them from config."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CoreSettings:
    default_timezone: str = "UTC"
    default_quiet_hours: str = "21:00-08:00"
    moderators: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    """(platform, user id) pairs who moderate every workspace of that platform."""

    def names_moderator(self, platform: str, user_id: str) -> bool:
        return (platform, user_id) in self.moderators
