"""The settings a workspace's moderators choose, each with its values: how a typed value is
read (`read`, raising UserError that says what is allowed) and how the effective one is shown.

Rule: a key names one field of `WorkspaceChoices`; a typed value is checked here before
anything changes, and refused with the values allowed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.kernel.errors import UserError
from bot.kernel.settings import CoreSettings, KudosGivers
from bot.kernel.text import neutralise
from bot.kernel.zones import check_timezone

APPOINTED, SELF_SERVICE = "appointed", "self-service"


@dataclass(frozen=True)
class Key:
    name: str
    field: str
    """The field of `WorkspaceChoices` it sets."""
    allowed: str
    """The values allowed, as a moderator reads them."""
    means: str
    """What it changes, in a few words."""
    read: Callable[[str], object]
    """The typed value as the choice stores it; UserError when it is not allowed."""
    shown: Callable[[CoreSettings], str]
    """The workspace's effective value, as typed."""


def _number(low: int, high: int, name: str) -> Callable[[str], object]:
    def read(value: str) -> object:
        if not value.isdecimal() or not low <= int(value) <= high:
            raise UserError(f"{name} is a whole number from {low} to {high}.")
        return int(value)

    return read


def _givers(value: str) -> object:
    try:
        return KudosGivers(value.lower())
    except ValueError:
        raise UserError("kudos is either moderators or everyone.") from None


def _mentors(value: str) -> object:
    words = {APPOINTED: False, SELF_SERVICE: True}
    if value.lower() not in words:
        raise UserError(f"mentors is either {APPOINTED} or {SELF_SERVICE}.")
    return words[value.lower()]


KEYS: dict[str, Key] = {
    key.name: key
    for key in (
        Key(
            "timezone",
            "timezone",
            "an IANA time zone such as Europe/London",
            "the time zone of members who set none, and of the workspace's dates",
            check_timezone,
            lambda s: s.default_timezone,
        ),
        Key(
            "kudos",
            "kudos_givers",
            "moderators or everyone",
            "who may give kudos",
            _givers,
            lambda s: s.kudos.givers.value,
        ),
        Key(
            "kudos_allowance",
            "kudos_allowance",
            "a number from 1 to 50",
            "kudos a member may give a week, when everyone may",
            _number(1, 50, "kudos_allowance"),
            lambda s: str(s.kudos.allowance_per_week),
        ),
        Key(
            "retention_days",
            "retention_days",
            "a number of days from 30 to 3650",
            "how long check-in answers, concerns and messages are kept",
            _number(30, 3650, "retention_days"),
            lambda s: str(s.privacy.retention_days),
        ),
        Key(
            "mentors",
            "self_service_mentors",
            f"{APPOINTED} or {SELF_SERVICE}",
            "whether moderators appoint mentors or members make themselves mentors",
            _mentors,
            lambda s: SELF_SERVICE if s.programme.self_service_mentors else APPOINTED,
        ),
    )
}


def key_named(typed: str) -> Key:
    """The key typed (`kudos-allowance` is `kudos_allowance`); UserError listing them all."""
    key = KEYS.get(typed.lower().replace("-", "_"))
    if key is None:
        raise UserError(f"There is no setting '{neutralise(typed, 30)}'. {allowed_keys()}")
    return key


def allowed_keys() -> str:
    """Every key with its values, as a sentence for a refusal."""
    listed = "; ".join(f"{k.name} ({k.allowed})" for k in KEYS.values())
    return f"The settings are: {listed}."
