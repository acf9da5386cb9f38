"""/audit: what moderators and facilitators did with members' data and standing, for moderators.

Rules: newest first, one line each: when (in the reader's time zone), who, what, about whom and
any detail; someone who erased their data is named `(former member)`; the reply stays within
what one message holds, saying how many older entries it left out.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.kernel.circle_access import require_moderator
from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.local_time import shown, zone_of
from bot.kernel.model import AuditEntry
from bot.kernel.replies import Reply
from bot.kernel.text import neutralise
from bot.moderation.commands import ShowAudit
from bot.runtime.handlers import handles

WHAT = {
    "circle.add": "added to {subject}",
    "circle.remove": "removed from {subject}",
    "circle.archive": "archived {subject}",
    "checkin.status": "read the check-in status of {subject}",
    "checkin.answers": "read the check-in answers of {subject}",
    "kudos.revoke": "revoked {subject}",
    "profile.set": "set {subject}",
    "privacy.export": "exported their own data",
    "privacy.delete": "erased their own data",
    "settings.set": "set the workspace's {subject}",
    "settings.reset": "reset the workspace's {subject} to the default",
    "settings.appoint": "appointed {subject} a moderator",
    "settings.dismiss": "dismissed {subject} as a moderator",
}
TEXT_BUDGET = 9_000
"""Characters of lines in one reply, under the bus's limit for a reply."""


@handles(ShowAudit)
async def show_audit(cmd: ShowAudit, ctx: Context) -> Reply:
    require_moderator(ctx, "see the audit trail")
    entries = await ctx.uow.audit.recent(ctx.me.ref.workspace, cmd.limit)
    if not entries:
        return Reply("The audit trail is empty: nobody has acted on members' data yet.")
    zone = zone_of(ctx.me, ctx.settings)
    lines = [f"Audit trail, newest first (times in {zone.key}):"]
    for shown_so_far, entry in enumerate(entries):
        line = audit_line(entry, zone)
        if sum(map(len, lines)) + len(line) > TEXT_BUDGET:
            lines.append(
                f"… and {len(entries) - shown_so_far} older; {command_ref('/audit')} with a "
                "smaller number."
            )
            break
        lines.append(line)
    return Reply("\n".join(lines))


def audit_line(entry: AuditEntry, zone: ZoneInfo) -> str:
    subject = neutralise(entry.subject, 120)
    template = WHAT.get(entry.action)
    what = template.format(subject=subject) if template else f"{entry.action} {subject}".strip()
    parts = [shown(entry.created_at, zone), neutralise(entry.actor_name, 40), what]
    if entry.about is not None and not entry.acted_by(entry.about.id):
        parts.append(neutralise(entry.about.display_name, 40))
    if entry.detail:
        parts.append(neutralise(entry.detail, 120))
    return "• " + " · ".join(parts)
