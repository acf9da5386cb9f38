"""The buddies feature: /findbuddy, pairing rounds, meetings, pauses and blocks.

Importing the package registers its handlers; `FEATURE` is what it gives the house."""

from __future__ import annotations

from bot.buddies import boundaries, handlers, round_handlers
from bot.buddies.commands import COMMANDS, ROOTS
from bot.buddies.jobs import BuddyJobs
from bot.runtime.feature import Feature

FEATURE = Feature(
    "buddies", COMMANDS, ROOTS, jobs=lambda w: BuddyJobs(w.uow_factory, w.settings, w.solve).all()
)
HANDLER_MODULES = (
    handlers,
    boundaries,
    round_handlers,
)
