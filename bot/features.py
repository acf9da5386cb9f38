"""The features of the programme, listed once. Importing a feature's handlers registers them;
the bus is given the result. This module sits above every feature, so the runtime below never
names one."""

from __future__ import annotations

from bot.buddies import boundaries, round_handlers
from bot.buddies import handlers as buddies
from bot.checkins import answer_handlers
from bot.checkins import handlers as checkins
from bot.circles import handlers as circles
from bot.home import handlers as home
from bot.kernel.commands import Command
from bot.kudos import handlers as kudos
from bot.moderation import audit, blackouts, flags
from bot.privacy import handlers as privacy
from bot.profile import handlers as profile
from bot.runtime import help
from bot.runtime.handlers import HANDLERS, Handler
from bot.stats import handlers as stats

FEATURE_MODULES = (
    profile,
    circles,
    buddies,
    round_handlers,
    boundaries,
    checkins,
    answer_handlers,
    kudos,
    privacy,
    stats,
    audit,
    blackouts,
    flags,
    home,
    help,
)


def handlers() -> dict[type[Command], Handler]:
    """Every command type with its handler (the registry itself, so a test may stand in for
    one handler)."""
    return HANDLERS
