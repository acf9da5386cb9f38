"""The platform contract: what a chat platform is to the rest of the bot.

Rules:
- a platform is one folder, `adapters/<name>/`, and one entry in `adapters.registry.PLATFORMS`;
  the CLI and the service know it only through this contract, never by its name;
- its folder has the same files as every other where the job is the same: `settings.py` (its
  section of the config file), `connection.py` (its secrets from the environment, where it
  connects, what ending the connection for good means), `runtime.py` (the adapter as a whole,
  and the `Platform` the registry lists), `people.py` (who is acting, as the core's Actor),
  `messenger.py` (the outbox's sends), `render.py` (replies and messages as its payloads),
  `files.py` (the files that come with a reply) and `forms.py` (the core's forms); the console,
  which is the terminal rather than a service, has the same files for the same jobs but
  `connection.py` (it has no secrets), and is started by the CLI's `console` command;
- it is enabled by `enabled = true` in its section or by its token in the environment, and
  then it must start: a missing secret is a ConfigError, a platform that cannot be reached or
  served a `StartError` (the CLI says `<name> error: ...` and stops with a failure);
- what every platform does the same way (tracking work after the acknowledgement, answering
  within the deadline, meeting the people a command mentions) is written once, in
  adapters.shared.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Protocol

from adapters.config import Settings
from bot.kernel.ports import Clock, Messenger, SeenEvents
from bot.runtime.bus import MessageBus
from bot.runtime.due import DueWork

EXIT_PLATFORM = 1
"""The exit status when a platform cannot start or is lost."""


class StartError(Exception):
    """A platform could not be reached or served; the message says what to check."""

    platform = "platform"
    """The platform's name, which the CLI's one line of error starts with."""


class Adapter(Protocol):
    """One platform's adapter as the service runs it: give its `messenger` to the outbox,
    `attach` the core, `start` it; `lost` returns if the platform ends the connection for good,
    saying what to do; `stop` takes no more requests and lets those taken finish."""

    @property
    def messenger(self) -> Messenger: ...

    def attach(self, bus: MessageBus, due: DueWork, seen: SeenEvents, clock: Clock) -> object:
        """Wire the core in: the bus runs what people do, `due` delivers what it queued, `seen`
        keeps a repeated request from having its effect twice."""
        ...

    async def start(self) -> None:
        """Connect, or serve, and return once requests can come in (else a StartError)."""
        ...

    async def lost(self) -> str:
        """Return once the platform has ended the connection for good, saying what to do;
        while it works, wait."""
        ...

    async def stop(self) -> None: ...

    async def settle(self) -> None:
        """Wait until the requests taken so far have done all their work."""
        ...

    def describe(self) -> str:
        """How it runs, for the line saying the bot is up (`Slack in Socket Mode`)."""
        ...


class Platform(Protocol):
    """A chat platform as the registry lists it."""

    @property
    def name(self) -> str:
        """Its workspaces' platform, its config section and outbox lane (`slack`)."""
        ...

    @property
    def title(self) -> str:
        """Its name as people write it (`Slack`)."""
        ...

    @property
    def token(self) -> str:
        """The environment variable that, set, enables it (`SLACK_BOT_TOKEN`)."""
        ...

    @property
    def maintenance(self) -> Maintenance | None:
        """Its own command, `circles <name> ...`; None when it has none."""
        ...

    def adapter(self, settings: Settings, env: Mapping[str, str]) -> Adapter | None:
        """Its adapter when the config or the environment enables it, else None."""
        ...


class Maintenance(Protocol):
    """A platform's own command, `circles <name> ACTION ...` (Discord's `sync`)."""

    @property
    def help(self) -> str: ...

    def add_actions(self, parser: argparse.ArgumentParser) -> None:
        """Add the actions and their options to the command's parser."""
        ...

    def run(self, args: argparse.Namespace, settings: Settings, env: Mapping[str, str]) -> int:
        """Run the action parsed into `args` (secrets from `env`); the exit status."""
        ...
