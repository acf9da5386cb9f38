"""/settings: the workspace's settings, and a moderator's `set` and `reset` of one of them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.commands import Audience, Builder, Command, CommandSpec, choice, person, text
from bot.kernel.model import Actor
from bot.kernel.parsing import Args
from bot.runtime.builders import no_words
from bot.settings.keys import KEYS, allowed_keys


@dataclass(frozen=True)
class ShowSettings(Command):
    pass


@dataclass(frozen=True)
class ChangeSetting(Command):
    key: str
    value: str


@dataclass(frozen=True)
class ResetSetting(Command):
    key: str


@dataclass(frozen=True)
class AppointModerator(Command):
    user_id: str


@dataclass(frozen=True)
class DismissModerator(Command):
    user_id: str


def _set(args: Args, actor: Actor) -> Command:
    key = args.word(f"a setting. {allowed_keys()}")
    value = args.rest()
    if not value:
        raise args.fail(f"Missing a value for {key}. {allowed_keys()}")
    return ChangeSetting(actor, key, value)


def _reset(args: Args, actor: Actor) -> Command:
    key = args.word(f"a setting. {allowed_keys()}")
    args.end()
    return ResetSetting(actor, key)


def _person(kind: type[AppointModerator] | type[DismissModerator]) -> Builder:
    def build(args: Args, actor: Actor) -> Command:
        user_id = args.mention()
        args.end()
        return kind(actor, user_id)

    return build


SETTINGS_HELP = "\n".join(f"{k.name}: {k.allowed} ({k.means})" for k in KEYS.values())

ROOTS: dict[str, str] = {
    "settings": "moderators: this workspace's settings (time zone, kudos, retention, mentors) "
    "and its moderators",
}
"""What each command name of the feature is for, in a line (menus that list names show it)."""

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "settings",
        "this workspace's settings, each its own or the default, and its moderators",
        no_words(ShowSettings),
        audience=Audience.MODERATORS_ONLY,
    ),
    CommandSpec(
        "settings set",
        "change one of this workspace's settings",
        _set,
        params=(
            choice("key", "which setting", tuple(KEYS)),
            text("value", "the new value (see /help command:settings set)", limit=64),
        ),
        audience=Audience.MODERATORS_ONLY,
        details=SETTINGS_HELP,
    ),
    CommandSpec(
        "settings reset",
        "put one of this workspace's settings back to the default",
        _reset,
        params=(choice("key", "which setting", tuple(KEYS)),),
        audience=Audience.MODERATORS_ONLY,
    ),
    CommandSpec(
        "settings appoint",
        "make someone a moderator of this workspace (they see concerns and answers)",
        _person(AppointModerator),
        params=(person("who becomes a moderator"),),
        audience=Audience.MODERATORS_ONLY,
    ),
    CommandSpec(
        "settings dismiss",
        "stop someone appointed here being a moderator of this workspace",
        _person(DismissModerator),
        params=(person("who stops being a moderator"),),
        audience=Audience.MODERATORS_ONLY,
    ),
)
