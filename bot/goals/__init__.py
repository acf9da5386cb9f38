"""The goals feature: a member's goals, their progress, and being asked when a goal's day comes.

Importing the package registers its handlers and its form; `FEATURE` is what it gives the
house."""

from __future__ import annotations

from bot.goals import form, handlers
from bot.goals.commands import COMMANDS, ROOTS
from bot.goals.jobs import GoalJobs
from bot.runtime.feature import Feature

FEATURE = Feature(
    "goals", COMMANDS, ROOTS, jobs=lambda w: GoalJobs(w.uow_factory, w.settings).all()
)
HANDLER_MODULES = (handlers, form)
