"""/flag: a private concern, straight to the moderators and nobody else.

Rule: any words at all are a concern, however short or long; none is refused (see
bot.kernel.concerns).
"""

from __future__ import annotations

from bot.flags.commands import RaiseFlag
from bot.kernel.concerns import SAVED, Told, flag_on_its_own
from bot.kernel.context import Context
from bot.kernel.errors import UserError
from bot.kernel.replies import Reply
from bot.kernel.text import clean_input
from bot.runtime.handlers import handles

SAID = {
    Told.NOW: "Sent privately to the moderators; nobody else sees it. Thank you for saying.",
    Told.SOON: "Sent privately to the moderators with your last few messages: they get it within "
    "two minutes, and nobody else sees it. Thank you for saying.",
    Told.NOBODY: SAVED,
}


@handles(RaiseFlag)
async def raise_flag(cmd: RaiseFlag, ctx: Context) -> Reply:
    text = clean_input(cmd.text)
    if not text:
        raise UserError("Say what worries you in your own words; only the moderators will see it.")
    return Reply(SAID[await flag_on_its_own(ctx, text)])
