"""/privacy: a member sees everything stored about them, and erases it.

Rules: the export is a file only the member gets, and is in the audit trail; erasing asks
first and changes nothing until confirmed (see bot.privacy.erasure for what goes and what stays).
"""

from __future__ import annotations

from bot.kernel.context import Context
from bot.kernel.local_time import zone_of
from bot.kernel.model import NewAuditEntry
from bot.kernel.replies import Reply
from bot.privacy.commands import DeleteMyData, ExportMyData
from bot.privacy.erasure import CONFIRM, ERASED, WHAT_ERASING_DOES, erase_member
from bot.privacy.export import export_file, export_summary
from bot.privacy.ports import privacy_repository
from bot.runtime.handlers import handles


@handles(ExportMyData)
async def export_my_data(cmd: ExportMyData, ctx: Context) -> Reply:
    data = await privacy_repository(ctx.uow).personal_data(ctx.me)
    file = export_file(data, ctx.now, zone_of(ctx.me, ctx.settings))
    await ctx.uow.audit.add(
        NewAuditEntry(ctx.me.ref.workspace, ctx.me, "privacy.export", "", "", ctx.now, about=ctx.me)
    )
    return Reply(export_summary(data, file.name), files=(file,))


@handles(DeleteMyData)
async def delete_my_data(cmd: DeleteMyData, ctx: Context) -> Reply:
    if not cmd.confirmed:
        return Reply(WHAT_ERASING_DOES, actions=(CONFIRM,))
    await erase_member(ctx.uow, ctx.me, ctx.now, ctx.settings)
    return Reply(ERASED)
