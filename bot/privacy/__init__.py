"""The privacy feature: export my data, erase it, and what is kept how long.

Importing the package registers its handlers; `FEATURE` is what it gives the house."""

from __future__ import annotations

from bot.privacy import handlers
from bot.privacy.commands import COMMANDS, ROOTS
from bot.runtime.feature import Feature

FEATURE = Feature("privacy", COMMANDS, ROOTS)
HANDLER_MODULES = (handlers,)
