"""The connections feature: what stays when a pairing ends, a reflection and the people kept.

Importing the package registers its handlers; `FEATURE` is what it gives the house. The
question itself is asked by the kernel where every pairing ends (bot.kernel.endings)."""

from __future__ import annotations

from bot.connections import handlers
from bot.connections.commands import COMMANDS, ROOTS
from bot.runtime.feature import Feature

FEATURE = Feature("connections", COMMANDS, ROOTS)
HANDLER_MODULES = (handlers,)
