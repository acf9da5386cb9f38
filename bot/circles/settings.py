"""The keys of `/circle set`, declared once: how each is read, checked, written to a circle's
settings and shown; help and the platforms' menus derive from the list."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from bot.kernel.cadence import next_moment
from bot.kernel.command_refs import command_ref
from bot.kernel.errors import UserError
from bot.kernel.local_time import shown, workspace_zone, zone_of
from bot.kernel.model import Cadence, CheckinAudience, CircleSettings, NewMember, OddPolicy
from bot.kernel.parsing import on_off, parse_on_off
from bot.kernel.settings import CoreSettings
from bot.kernel.text import clean_input, neutralise
from bot.kernel.weekly_hours import (
    DAYS,
    TimeFormatError,
    format_clock_time,
    parse_clock_time,
    parse_day,
)

MIN_GROUP, MAX_GROUP = 2, 8
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


def _set_agreement(s: CircleSettings, v: str) -> None:
    s.agreement = parse_on_off(v, "agreement")


@dataclass(frozen=True)
class CircleSetting:
    """One key of `/circle set`, declared once: what help says it takes, how a typed value is
    set, how the setting is shown, whether changing it starts the schedule afresh (no earlier
    period is owed then), and whether it sets when rounds fall (the reply then says when the
    first round on the new schedule is)."""

    key: str
    takes: str
    set: Callable[[CircleSettings, str], None]
    shown: Callable[[CircleSettings], str]
    restarts_schedule: bool = False
    times_rounds: bool = False


CIRCLE_SETTINGS: tuple[CircleSetting, ...] = (
    CircleSetting(
        "cadence",
        "weekly, biweekly, monthly or off",
        _set_cadence,
        lambda s: s.cadence.value,
        restarts_schedule=True,
        times_rounds=True,
    ),
    CircleSetting(
        "day", "mon..sun", _set_day, lambda s: s.day, restarts_schedule=True, times_rounds=True
    ),
    CircleSetting(
        "time",
        "HH:MM, in each member's own time zone",
        _set_time,
        lambda s: f"{s.time} in each member's own time zone",
        restarts_schedule=True,
        times_rounds=True,
    ),
    CircleSetting(
        "group-size", f"{MIN_GROUP}..{MAX_GROUP}", _set_group_size, lambda s: str(s.group_size)
    ),
    CircleSetting(
        "odd", "trio or sit-out (what to do with an odd number)", _set_odd, lambda s: s.odd.value
    ),
    CircleSetting(
        "checkin-audience",
        "mentors, everyone or nobody (who gets the check-ins)",
        _set_audience,
        lambda s: s.checkin_audience.value,
        restarts_schedule=True,
    ),
    CircleSetting(
        "checkin-questions",
        "questions separated by |",
        _set_questions,
        lambda s: " | ".join(neutralise(q, 200) for q in s.checkin_questions),
    ),
    CircleSetting(
        "channel",
        "the channel the circle's posts go to",
        _set_channel,
        lambda s: s.channel or "not set",
    ),
    CircleSetting(
        "private",
        "on or off (private circles are invisible to non-members)",
        _set_private,
        lambda s: on_off(s.private),
    ),
    CircleSetting(
        "agreement",
        "on or off (the agreement a mentor and a mentee confirm when paired)",
        _set_agreement,
        lambda s: on_off(s.agreement),
    ),
)
"""Every key, in the order help and the platforms' menus show them."""

_BY_KEY = {setting.key: setting for setting in CIRCLE_SETTINGS}
SETTING_KEYS = tuple(_BY_KEY)
SETTING_SETTERS = {setting.key: setting.set for setting in CIRCLE_SETTINGS}
SCHEDULE_KEYS = frozenset(s.key for s in CIRCLE_SETTINGS if s.restarts_schedule)
"""Changing one of these starts the circle's schedule afresh: no earlier period is owed."""
ROUND_TIMING_KEYS = frozenset(s.key for s in CIRCLE_SETTINGS if s.times_rounds)
CIRCLE_SETTINGS_HELP = "\n".join(f"{s.key}: {s.takes}" for s in CIRCLE_SETTINGS)


def shown_setting(settings: CircleSettings, key: str) -> str:
    return _BY_KEY[key.lower()].shown(settings)


def apply_setting(settings: CircleSettings, key: str, value: str) -> None:
    """Set one key, or raise a UserError that lists the keys; the settings are unchanged then."""
    setter = SETTING_SETTERS.get(key.lower())
    if setter is None:
        raise UserError(
            f"I don't know the setting '{neutralise(key, 30)}'. The settings are:\n"
            f"{CIRCLE_SETTINGS_HELP}"
        )
    setter(settings, value)


def first_round_note(
    name: str, settings: CircleSettings, now: datetime, reader: NewMember, core: CoreSettings
) -> str:
    """After a change to when a circle's rounds fall: when the first round on the new schedule
    is, in the reader's time (a schedule starts at its next moment, never at once, see
    bot.buddies.jobs), and how to pair people now instead. Empty when the cadence is off."""
    if settings.cadence is Cadence.OFF:
        return ""
    first = next_moment(settings, now, workspace_zone(core))
    return (
        f" The first round on this schedule: {shown(first, zone_of(reader, core), now)} your "
        f"time; {command_ref(f'/round run {name}')} pairs people now."
    )
