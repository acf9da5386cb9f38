"""The stats feature: the programme's last weeks for the moderators.

Importing the package registers its handlers; `FEATURE` is what it gives the house."""

from __future__ import annotations

from bot.runtime.feature import Feature
from bot.stats import handlers
from bot.stats.commands import COMMANDS, ROOTS

FEATURE = Feature("stats", COMMANDS, ROOTS)
HANDLER_MODULES = (handlers,)
