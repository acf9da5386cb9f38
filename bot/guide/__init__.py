"""The guide feature: the programme's guide for mentors (/guide) and the agreement a mentor and
a mentee confirm at the start of their pairing (/agreement), with the moderators' note of pairs
that have not both confirmed.

Importing the package registers its handlers; `FEATURE` is what it gives the house."""

from __future__ import annotations

from bot.guide import handlers
from bot.guide.commands import COMMANDS, ROOTS
from bot.guide.jobs import guide_jobs
from bot.runtime.feature import Feature

FEATURE = Feature("guide", COMMANDS, ROOTS, guide_jobs)
HANDLER_MODULES = (handlers,)
