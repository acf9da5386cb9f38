"""The kudos feature: recognising mentors, without abuse.

Importing the package registers its handlers; `FEATURE` is what it gives the house."""

from __future__ import annotations

from bot.kudos import handlers
from bot.kudos.commands import COMMANDS, ROOTS
from bot.runtime.feature import Feature

FEATURE = Feature("kudos", COMMANDS, ROOTS)
HANDLER_MODULES = (handlers,)
