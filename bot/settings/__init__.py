"""The settings feature: each workspace's own settings (time zone, kudos rules, retention,
mentors appointed or self-service), shown and changed in chat by its moderators (/settings).

Importing the package registers its handlers; `FEATURE` is what it gives the house."""

from __future__ import annotations

from bot.runtime.feature import Feature
from bot.settings import handlers
from bot.settings.commands import COMMANDS, ROOTS

FEATURE = Feature("settings", COMMANDS, ROOTS)
HANDLER_MODULES = (handlers,)
