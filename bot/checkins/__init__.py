"""The check-ins feature: the weekly prompt, answers, reminders and concerns.

Importing the package registers its handlers; `FEATURE` is what it gives the house."""

from __future__ import annotations

from bot.checkins import answer_handlers, handlers
from bot.checkins.commands import COMMANDS, ROOTS
from bot.checkins.jobs import CheckinJobs
from bot.runtime.feature import Feature

FEATURE = Feature(
    "checkins", COMMANDS, ROOTS, jobs=lambda w: CheckinJobs(w.uow_factory, w.settings).all()
)
HANDLER_MODULES = (
    handlers,
    answer_handlers,
)
