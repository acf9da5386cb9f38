"""/profile and /profile set: a member's own profile, shown to them (also as a form), changed a
field at a time or, from the form, several at once; a moderator's role and adult mark for
someone else. Who may make whom a mentor or an adult is bot.profile.appointments."""

from __future__ import annotations

import copy

from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.model import Member
from bot.kernel.parsing import on_off
from bot.kernel.replies import Reply
from bot.kernel.text import neutralise
from bot.profile.appointments import (
    asks_to_mentor,
    counted_as,
    keep_role,
    request_mentoring,
    set_for_someone,
    set_own_standing,
)
from bot.profile.commands import SetProfileField, ShowProfile, UpdateProfile
from bot.profile.fields import MODERATOR_FIELDS, apply_field, is_clearing
from bot.profile.form import FieldRefused, ProfileUpdate, apply_changes, profile_form
from bot.runtime.handlers import handles


@handles(ShowProfile)
async def show_profile(cmd: ShowProfile, ctx: Context) -> Reply:
    return Reply(describe_profile(ctx), form=profile_form(ctx.me.profile))


@handles(SetProfileField)
async def set_profile_field(cmd: SetProfileField, ctx: Context) -> Reply:
    """One field of my own profile, set or (with `-` or `""`) cleared, and shown as /profile
    will; someone else's role or adult mark, for a moderator; a request to the moderators when
    I ask to be a mentor and they appoint mentors."""
    field = cmd.field.lower()
    if cmd.user_id is not None and cmd.user_id != ctx.me.ref.user_id:
        return await set_for_someone(ctx, cmd.user_id, field, cmd.value)
    if field in MODERATOR_FIELDS:
        return await set_own_standing(ctx, field, cmd.value)
    profile = copy.deepcopy(ctx.me.profile)
    apply_field(profile, field, cmd.value)
    if asks_to_mentor(ctx.me, profile.role, ctx.settings.programme.self_service_mentors):
        return Reply(await request_mentoring(ctx))
    ctx.me.profile = profile
    await ctx.uow.members.save(ctx.me)
    done = "Cleared" if is_clearing(cmd.value) else "Saved"
    return Reply(f"{done}. {field}: {_shown_fields(ctx.me, ctx)[field]}")


@handles(UpdateProfile)
async def update_profile(cmd: UpdateProfile, ctx: Context) -> Reply:
    """All or nothing: one refused value saves none, and the reply names its field. An empty
    value clears an optional field; role and the switches given empty keep their value (they
    cannot be cleared with /profile set either), and the reply says they were kept. Asking to be
    a mentor where the moderators appoint them sends the request and saves the rest."""
    try:
        update = apply_changes(ctx.me.profile, cmd.changes)
    except FieldRefused as e:
        return Reply(e.message, ok=False, invalid_field=e.field)
    asked = ""
    if asks_to_mentor(ctx.me, update.profile.role, ctx.settings.programme.self_service_mentors):
        update = keep_role(update, ctx.me.profile.role)
        asked = " " + await request_mentoring(ctx)
    if update.changed:
        ctx.me.profile = update.profile
        await ctx.uow.members.save(ctx.me)
    return Reply(_saved(update) + asked)


def _saved(update: ProfileUpdate) -> str:
    said = f"Saved: {', '.join(update.changed)}." if update.changed else "Nothing changed."
    if update.kept:
        fields, them = ", ".join(update.kept), "they" if len(update.kept) > 1 else "it"
        said += f" Kept {fields}: {them} can be changed but not emptied."
    return said


def describe_profile(ctx: Context) -> str:
    fields = _shown_fields(ctx.me, ctx)
    lines = [f"Profile of {neutralise(ctx.me.display_name, 80)}:"]
    lines += [f"  {field}: {value}" for field, value in fields.items()]
    lines.append(
        f"Change a field with {command_ref('/profile set <field> <value>')}, clear one with "
        f"{command_ref('/profile set <field> -')}; {command_ref('/help profile set')} lists them."
    )
    return "\n".join(lines)


def _shown_fields(member: Member, ctx: Context) -> dict[str, str]:
    """Every field as /profile shows it; adult and buddy-pool for moderators, and adult for
    whoever a moderator marked one."""
    p, settings, unset = member.profile, ctx.settings, "not set"
    shown = {
        "role": p.role.value,
        "timezone": p.timezone or f"not set (using the workspace's {settings.default_timezone})",
        "stage": neutralise(p.stage, 20) if p.stage else unset,
        "subjects": neutralise(", ".join(p.subjects), 500) or unset,
        "languages": neutralise(", ".join(p.languages), 500) or unset,
        "hours": str(p.hours) if p.hours.slots else unset,
        "quiet-hours": p.quiet_hours or f"not set ({settings.default_quiet_hours})",
        "bio": neutralise(p.bio, 300) if p.bio else unset,
        "capacity": str(p.capacity) if p.capacity else unset,
        "public-kudos": on_off(p.public_kudos),
        "listed": on_off(p.listed),
    }
    if member.is_moderator or member.adult:
        shown["adult"] = f"{_ADULT[member.adult]} ({counted_as(member, ctx)})"
    if member.is_moderator:
        shown["buddy-pool"] = "on" if p.buddy_pool else "off (nothing pairs you)"
    return shown


_ADULT = {True: "yes", False: "no", None: "not marked"}
