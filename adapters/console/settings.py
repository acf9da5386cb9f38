"""The console's section of the config file (`[console]`): which workspace the terminal is,
whether the demo is seeded, and where files that come with a reply are saved."""

from __future__ import annotations

from pydantic import Field

from adapters.sections import ModeratorId, Section
from bot.kernel.settings import NamedModerator


class ConsoleConfig(Section):
    workspace: str = Field(default="demo", pattern=r"^[A-Za-z0-9_-]{1,40}$")
    demo: bool = True
    files_dir: str = Field(default="./exports", min_length=1)


def _moderator(parts: list[str]) -> NamedModerator | None:
    """The console serves one workspace per config, so `console:<name>` is enough."""
    if len(parts) == 1 and parts[0].strip():
        return NamedModerator("console", None, parts[0].strip().lower())
    return None


MODERATOR_ID = ModeratorId("console", "console:<name>", _moderator)
