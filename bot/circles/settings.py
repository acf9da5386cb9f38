"""The keys of `/circle set`: how each is read, checked and written to a circle's settings."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from bot.kernel.errors import UserError
from bot.kernel.model import Cadence, CheckinAudience, CircleSettings, OddPolicy
from bot.kernel.parsing import parse_on_off
from bot.kernel.text import clean_input, neutralise
from bot.kernel.weekly_hours import (
    DAYS,
    TimeFormatError,
    format_clock_time,
    parse_clock_time,
    parse_day,
)

MIN_GROUP, MAX_GROUP = 2, 8
CIRCLE_SETTINGS_HELP = """\
cadence: weekly, biweekly, monthly or off
day: mon..sun
time: HH:MM, in each member's own time zone
group-size: 2..8
odd: trio or sit-out (what to do with an odd number)
checkin-audience: mentors, everyone or nobody (who gets the check-ins)
checkin-questions: questions separated by |
channel: the channel the circle's posts go to
private: on or off (private circles are invisible to non-members)"""

QUESTION_LIMIT = 200
MAX_QUESTIONS = 8
# A console or plain channel name (#algebra-club), or a Slack or Discord channel link (<#C123|x>).
_CHANNEL = re.compile(r"#?[A-Za-z0-9_-]{1,80}|<#[A-Za-z0-9]{1,30}(\|[A-Za-z0-9_-]{0,80})?>")


E = TypeVar("E", Cadence, CheckinAudience, OddPolicy)


def _enum_value(kind: type[E], key: str, v: str) -> E:
    try:
        return kind(v.strip().lower())
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise UserError(f"{key} is one of {allowed}; not '{neutralise(v, 20)}'.") from None


def _set_cadence(s: CircleSettings, v: str) -> None:
    s.cadence = _enum_value(Cadence, "cadence", v)


def _set_day(s: CircleSettings, v: str) -> None:
    try:
        s.day = DAYS[parse_day(v)]
    except TimeFormatError as e:
        raise UserError(f"day: {e}.") from None


def _set_time(s: CircleSettings, v: str) -> None:
    try:
        s.time = format_clock_time(parse_clock_time(v))
    except TimeFormatError as e:
        raise UserError(f"time: {e}.") from None


def _set_group_size(s: CircleSettings, v: str) -> None:
    if not (v.strip().isascii() and v.strip().isdecimal()) or not MIN_GROUP <= int(v) <= MAX_GROUP:
        raise UserError(f"group-size is a number from {MIN_GROUP} to {MAX_GROUP}.")
    s.group_size = int(v)


def _set_odd(s: CircleSettings, v: str) -> None:
    s.odd = _enum_value(OddPolicy, "odd", v)


def _set_audience(s: CircleSettings, v: str) -> None:
    s.checkin_audience = _enum_value(CheckinAudience, "checkin-audience", v)


def _set_questions(s: CircleSettings, v: str) -> None:
    questions = tuple(q for q in (clean_input(part) for part in v.split("|")) if q)
    if not questions:
        raise UserError("checkin-questions needs at least one question; separate them with |.")
    if len(questions) > MAX_QUESTIONS or any(len(q) > QUESTION_LIMIT for q in questions):
        raise UserError(
            f"At most {MAX_QUESTIONS} questions of at most {QUESTION_LIMIT} characters each."
        )
    s.checkin_questions = questions


def _set_channel(s: CircleSettings, v: str) -> None:
    channel = v.strip()
    if not _CHANNEL.fullmatch(channel):
        raise UserError("channel is one channel, e.g. #algebra-club (or a Slack or Discord link).")
    s.channel = channel


def _set_private(s: CircleSettings, v: str) -> None:
    s.private = parse_on_off(v, "private")


SCHEDULE_KEYS = frozenset({"cadence", "day", "time", "checkin-audience"})
"""Changing one of these starts the circle's schedule afresh: no earlier period is owed."""

SETTING_SETTERS: dict[str, Callable[[CircleSettings, str], None]] = {
    "cadence": _set_cadence,
    "day": _set_day,
    "time": _set_time,
    "group-size": _set_group_size,
    "odd": _set_odd,
    "checkin-audience": _set_audience,
    "checkin-questions": _set_questions,
    "channel": _set_channel,
    "private": _set_private,
}

SETTING_KEYS = tuple(SETTING_SETTERS)
"""Every key /circle set takes, in the order help and the platforms' menus show them."""


def apply_setting(settings: CircleSettings, key: str, value: str) -> None:
    """Set one key, or raise a UserError that lists the keys; the settings are unchanged then."""
    setter = SETTING_SETTERS.get(key.lower())
    if setter is None:
        raise UserError(
            f"I don't know the setting '{neutralise(key, 30)}'. The settings are:\n"
            f"{CIRCLE_SETTINGS_HELP}"
        )
    setter(settings, value)
