"""The flags feature: /flag, a private concern for the moderators only.

Importing the package registers its handlers; `FEATURE` is what it gives the house."""

from __future__ import annotations

from bot.flags import handlers
from bot.flags.commands import COMMANDS, ROOTS
from bot.runtime.feature import Feature

FEATURE = Feature("flags", COMMANDS, ROOTS)
HANDLER_MODULES = (handlers,)
