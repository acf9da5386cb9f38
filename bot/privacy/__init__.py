"""The privacy feature: export my data, erase it, and what is kept how long.

Importing the package registers its handlers; `FEATURE` is what it gives the house."""

from __future__ import annotations

from bot.privacy import handlers
from bot.privacy.commands import COMMANDS, ROOTS
from bot.privacy.jobs import PrivacyJobs
from bot.runtime.feature import Feature

FEATURE = Feature(
    "privacy", COMMANDS, ROOTS, jobs=lambda w: PrivacyJobs(w.uow_factory, w.settings).all()
)
HANDLER_MODULES = (handlers,)
