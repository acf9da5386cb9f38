"""The moderation feature: the audit trail and blackout dates.

Importing the package registers its handlers; `FEATURE` is what it gives the house."""

from __future__ import annotations

from bot.moderation import audit, blackouts
from bot.moderation.commands import COMMANDS, ROOTS
from bot.runtime.feature import Feature

FEATURE = Feature("moderation", COMMANDS, ROOTS)
HANDLER_MODULES = (
    audit,
    blackouts,
)
