"""The profile feature: what members tell about themselves, and the moderators' appointments.

Importing the package registers its handlers; `FEATURE` is what it gives the house."""

from __future__ import annotations

from bot.profile import handlers
from bot.profile.commands import COMMANDS, ROOTS
from bot.runtime.feature import Feature

FEATURE = Feature("profile", COMMANDS, ROOTS)
HANDLER_MODULES = (handlers,)
