"""The home feature: what a member's home page shows.

Importing the package registers its handlers; `FEATURE` is what it gives the house."""

from __future__ import annotations

from bot.home import handlers
from bot.home.commands import COMMANDS, ROOTS
from bot.runtime.feature import Feature

FEATURE = Feature("home", COMMANDS, ROOTS)
HANDLER_MODULES = (handlers,)
