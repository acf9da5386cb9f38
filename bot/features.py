"""The features of the programme, listed once; the order is the order help lists their
commands. This module sits above every feature, so the runtime below never names one: the bus
is given the catalog and the handlers from here."""

from __future__ import annotations

from bot import (
    buddies,
    checkins,
    circles,
    connections,
    feedback,
    flags,
    goals,
    guide,
    home,
    kudos,
    moderation,
    privacy,
    profile,
    settings,
    stats,
)
from bot.kernel.commands import Command
from bot.runtime import help
from bot.runtime.catalog import Catalog
from bot.runtime.due import DueJob
from bot.runtime.feature import Feature, Wiring
from bot.runtime.handlers import HANDLERS, Handler

FEATURES: tuple[Feature, ...] = (
    help.FEATURE,
    profile.FEATURE,
    circles.FEATURE,
    buddies.FEATURE,
    connections.FEATURE,
    checkins.FEATURE,
    goals.FEATURE,
    kudos.FEATURE,
    flags.FEATURE,
    privacy.FEATURE,
    stats.FEATURE,
    moderation.FEATURE,
    home.FEATURE,
    feedback.FEATURE,
    guide.FEATURE,
    settings.FEATURE,
)

CATALOG = Catalog(spec for feature in FEATURES for spec in feature.commands)

ROOTS: dict[str, str] = {root: line for feature in FEATURES for root, line in feature.roots.items()}
"""Every command name with what it is for, in a line."""


def jobs(wiring: Wiring) -> list[DueJob]:
    """Every feature's due jobs, feature by feature."""
    return [job for feature in FEATURES for job in feature.jobs(wiring)]


def handlers() -> dict[type[Command], Handler]:
    """Every command type with its handler (the registry itself, so a test may stand in for
    one handler)."""
    return HANDLERS
