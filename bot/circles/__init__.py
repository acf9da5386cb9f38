"""The circles feature: study groups and mentorship circles, created and managed in chat.

Importing the package registers its handlers; `FEATURE` is what it gives the house."""

from __future__ import annotations

from bot.circles import handlers
from bot.circles.commands import COMMANDS, ROOTS
from bot.runtime.feature import Feature

FEATURE = Feature("circles", COMMANDS, ROOTS)
HANDLER_MODULES = (handlers,)
