"""/settings: a workspace's own settings, for its moderators.

Rules: moderators only (anyone else is refused and shown nothing); each setting shows whether
the workspace chose it ("set here") or runs on the config's default ("default"); a change or a
reset applies to this workspace alone, is in the audit trail and is told to the other
moderators; a bad key or value is refused with what is allowed, and changes nothing; a change
to what is already so changes nothing and says so. Moderators are the workspace's admins, the
people the config names, and the people its moderators appoint (`/settings appoint @person`,
undone by `/settings dismiss`, each audited and told to the other moderators); an admin or
someone the config names is a moderator by the platform's or the config's word, which chat
cannot undo. /settings lists them, and points to the commands that appoint mentors rather than
repeat them.
"""

from __future__ import annotations

import zlib
from dataclasses import replace
from typing import Any

from bot.kernel.circle_access import require_moderator
from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.mentions import Composer
from bot.kernel.model import Member, NewAuditEntry
from bot.kernel.moderators import moderators_of, tell_moderators
from bot.kernel.replies import Reply
from bot.kernel.settings import CoreSettings, NamedModerator, WorkspaceChoices
from bot.kernel.text import neutralise
from bot.runtime.handlers import handles
from bot.settings.commands import (
    AppointModerator,
    ChangeSetting,
    DismissModerator,
    ResetSetting,
    ShowSettings,
)
from bot.settings.keys import KEYS, Key, key_named

MAY_NOT = "see or change this workspace's settings"


@handles(ShowSettings)
async def show_settings(cmd: ShowSettings, ctx: Context) -> Reply:
    require_moderator(ctx, MAY_NOT)
    choices = await ctx.uow.workspace_settings.choices(ctx.me.ref.workspace)
    lines = ["This workspace's settings:"]
    for key in KEYS.values():
        mark = "default" if getattr(choices, key.field) is None else "set here"
        lines.append(f"• {key.name}: {key.shown(ctx.settings)} ({mark})")
    lines.append(
        f"{command_ref('/settings set <key> <value>')} changes one for this workspace only, "
        f"{command_ref('/settings reset <key>')} puts it back to the default."
    )
    lines.append(await _moderators(ctx))
    return Reply("\n".join(lines))


@handles(ChangeSetting)
async def change_setting(cmd: ChangeSetting, ctx: Context) -> Reply:
    require_moderator(ctx, MAY_NOT)
    key = key_named(cmd.key)
    value = key.read(cmd.value.strip())
    choices = await ctx.uow.workspace_settings.choices(ctx.me.ref.workspace)
    if getattr(choices, key.field) == value:
        return Reply(f"{key.name} is already {key.shown(ctx.settings)} here; nothing changed.")
    return await _choose(ctx, key, _with(choices, key, value), "settings.set")


@handles(ResetSetting)
async def reset_setting(cmd: ResetSetting, ctx: Context) -> Reply:
    require_moderator(ctx, MAY_NOT)
    key = key_named(cmd.key)
    choices = await ctx.uow.workspace_settings.choices(ctx.me.ref.workspace)
    if getattr(choices, key.field) is None:
        return Reply(
            f"{key.name} is the default already ({key.shown(ctx.settings)}); nothing changed."
        )
    return await _choose(ctx, key, _with(choices, key, None), "settings.reset")


@handles(AppointModerator)
async def appoint_moderator(cmd: AppointModerator, ctx: Context) -> Reply:
    require_moderator(ctx, MAY_NOT)
    workspace = ctx.me.ref.workspace
    member = await ctx.uow.members.get(workspace.member(cmd.user_id))
    name = _name(member)
    if ctx.settings.names_moderator(workspace.member(cmd.user_id)) or (
        member is not None and member.is_moderator
    ):
        return Reply(f"{name} is a moderator of this workspace already; nothing changed.")
    choices = await ctx.uow.workspace_settings.choices(workspace)
    appointed = NamedModerator(workspace.platform, workspace.workspace_id, cmd.user_id)
    await ctx.uow.workspace_settings.save(
        workspace, replace(choices, moderators=choices.moderators | {appointed})
    )
    await _mark_moderator(ctx, member, True)
    await _record(ctx, "settings.appoint", name, f"appointed {name} a moderator")
    return Reply(
        f"{name} is now a moderator of this workspace: they see its concerns, check-in answers "
        f"and stats, and its {command_ref('/settings')}. "
        f"{command_ref('/settings dismiss @person')} undoes it. The other moderators are told."
    )


@handles(DismissModerator)
async def dismiss_moderator(cmd: DismissModerator, ctx: Context) -> Reply:
    require_moderator(ctx, MAY_NOT)
    workspace = ctx.me.ref.workspace
    member = await ctx.uow.members.get(workspace.member(cmd.user_id))
    name = _name(member)
    choices = await ctx.uow.workspace_settings.choices(workspace)
    appointed = {m for m in choices.moderators if m.user_id == cmd.user_id}
    if not appointed:
        return Reply(_not_appointed(ctx, member, cmd.user_id, name))
    await ctx.uow.workspace_settings.save(
        workspace, replace(choices, moderators=choices.moderators - appointed)
    )
    await _mark_moderator(ctx, member, False)
    await _record(ctx, "settings.dismiss", name, f"dismissed {name} as a moderator")
    return Reply(
        f"{name} is no longer a moderator of this workspace (unless its admins make them one). "
        "The other moderators are told."
    )


def _not_appointed(ctx: Context, member: Member | None, user_id: str, name: str) -> str:
    """Why someone not appointed here cannot be dismissed, and who decides instead."""
    if _defaults(ctx).names_moderator(ctx.me.ref.workspace.member(user_id)):
        return f"{name} is a moderator because the config file names them; only it can change that."
    if member is not None and member.is_moderator:
        return (
            f"{name} is a moderator as an admin of this workspace; the platform's admin settings "
            f"decide that, not {command_ref('/settings')}."
        )
    return f"{name} is not a moderator of this workspace; nothing changed."


def _name(member: Member | None) -> str:
    return neutralise(member.display_name, 60) if member is not None else "That person"


async def _mark_moderator(ctx: Context, member: Member | None, moderates: bool) -> None:
    """Their record says so at once, so concerns reach them (or stop) before they next speak;
    someone not known yet is recorded as a moderator when they first do."""
    if member is not None:
        member.is_moderator = moderates
        await ctx.uow.members.save(member)


async def _record(ctx: Context, action: str, name: str, what: str) -> None:
    """Audit the appointment and tell the other moderators."""
    workspace = ctx.me.ref.workspace
    await ctx.uow.audit.add(NewAuditEntry(workspace, ctx.me, action, name, "", ctx.now))
    news = Composer()
    news.about(ctx.me.id, neutralise(ctx.me.display_name, 60))
    news.add(f" {what} of this workspace. {command_ref('/settings')} lists its moderators.")
    await tell_moderators(
        ctx.uow,
        workspace,
        ctx.settings,
        f"settings:{ctx.me.id}:{ctx.now:%Y%m%dT%H%M%S}:{action}:{zlib.crc32(what.encode())}",
        news.text,
        ctx.now,
        routine=True,
        mentions=news.mentions,
        but=ctx.me.ref,
    )


async def _choose(ctx: Context, key: Key, choices: WorkspaceChoices, action: str) -> Reply:
    """Store the workspace's new choices, record it and tell the other moderators."""
    workspace = ctx.me.ref.workspace
    before = key.shown(ctx.settings)
    after = key.shown(_defaults(ctx).chosen(choices))
    await ctx.uow.workspace_settings.save(workspace, choices)
    detail = f"{before} -> {after}"
    await ctx.uow.audit.add(NewAuditEntry(workspace, ctx.me, action, key.name, detail, ctx.now))
    how = "set" if action == "settings.set" else "reset to the default"
    news = Composer()
    news.about(ctx.me.id, neutralise(ctx.me.display_name, 60))
    news.add(
        f" {how} this workspace's {key.name}: {after} (was {before}). "
        f"{command_ref('/settings')} shows every setting."
    )
    stamp = f"{ctx.now:%Y%m%dT%H%M%S}:{zlib.crc32(f'{key.name}={after}'.encode())}"
    await tell_moderators(
        ctx.uow,
        workspace,
        ctx.settings,
        f"settings:{ctx.me.id}:{stamp}",
        news.text,
        ctx.now,
        routine=True,
        mentions=news.mentions,
        but=ctx.me.ref,
    )
    said = "is now" if action == "settings.set" else "is back to the default,"
    return Reply(
        f"{key.name} {said} {after} in this workspace (was {before}); no other workspace "
        "changes. The other moderators are told."
    )


async def _moderators(ctx: Context) -> str:
    moderators = await moderators_of(ctx.uow, ctx.me.ref.workspace, ctx.settings)
    names = ", ".join(neutralise(m.display_name, 60) for m in moderators)
    appoint = command_ref("/profile set @person role mentor")
    return (
        f"Moderators: {names}. They are the workspace's admins, the people the config names "
        f"for it and the people appointed here ({command_ref('/settings appoint @person')}); "
        f"{appoint} appoints a mentor."
    )


def _with(choices: WorkspaceChoices, key: Key, value: object) -> WorkspaceChoices:
    """`choices` with `key`'s field now `value` (read by `key.read`, so of the field's type)."""
    changed: dict[str, Any] = {key.field: value}
    return replace(choices, **changed)


def _defaults(ctx: Context) -> CoreSettings:
    return ctx.defaults or ctx.settings
