"""The feedback feature: rating a meeting with a buddy, safely both ways.

Importing the package registers its handlers; `FEATURE` is what it gives the house."""

from __future__ import annotations

from bot.feedback import handlers
from bot.feedback.commands import COMMANDS, ROOTS
from bot.runtime.feature import Feature

FEATURE = Feature("feedback", COMMANDS, ROOTS)
HANDLER_MODULES = (handlers,)
