"""/profile and /profile set: a member's own profile, shown to them (also as a form), changed a
field at a time or, from the form, several at once."""

from __future__ import annotations

import copy

from bot.commands import SetProfileField, ShowProfile, UpdateProfile
from bot.handlers import handles
from bot.handlers.context import Context
from bot.model import Profile
from bot.profile_fields import (
    FieldRefused,
    ProfileUpdate,
    apply_changes,
    apply_field,
    is_clearing,
    profile_form,
)
from bot.replies import Reply
from bot.settings import CoreSettings
from bot.text import neutralise


@handles(ShowProfile)
async def show_profile(cmd: ShowProfile, ctx: Context) -> Reply:
    profile = ctx.me.profile
    return Reply(
        describe_profile(ctx.me.display_name, profile, ctx.settings),
        profile_form=profile_form(profile),
    )


@handles(SetProfileField)
async def set_profile_field(cmd: SetProfileField, ctx: Context) -> Reply:
    """One field, set or (with `-` or `""`) cleared; the reply shows it as /profile will."""
    profile = copy.deepcopy(ctx.me.profile)
    apply_field(profile, cmd.field, cmd.value)
    ctx.me.profile = profile
    await ctx.uow.members.save(ctx.me)
    shown = _shown_fields(profile, ctx.settings)[cmd.field.lower()]
    done = "Cleared" if is_clearing(cmd.value) else "Saved"
    return Reply(f"{done}. {cmd.field.lower()}: {shown}")


@handles(UpdateProfile)
async def update_profile(cmd: UpdateProfile, ctx: Context) -> Reply:
    """All or nothing: one refused value saves none, and the reply names its field. An empty
    value clears an optional field; role and the switches given empty keep their value (they
    cannot be cleared with /profile set either), and the reply says they were kept."""
    try:
        update = apply_changes(ctx.me.profile, cmd.changes)
    except FieldRefused as e:
        return Reply(e.message, ok=False, invalid_field=e.field)
    if update.changed:
        ctx.me.profile = update.profile
        await ctx.uow.members.save(ctx.me)
    return Reply(_saved(update))


def _saved(update: ProfileUpdate) -> str:
    said = f"Saved: {', '.join(update.changed)}." if update.changed else "Nothing changed."
    if update.kept:
        fields, them = ", ".join(update.kept), "they" if len(update.kept) > 1 else "it"
        said += f" Kept {fields}: {them} can be changed but not emptied."
    return said


def describe_profile(name: str, profile: Profile, settings: CoreSettings) -> str:
    fields = _shown_fields(profile, settings)
    lines = [f"Profile of {neutralise(name, 80)}:"]
    lines += [f"  {field}: {value}" for field, value in fields.items()]
    lines.append(
        "Change a field with /profile set <field> <value>, clear one with /profile set <field> -;"
        " /help profile set lists them."
    )
    return "\n".join(lines)


def _shown_fields(p: Profile, settings: CoreSettings) -> dict[str, str]:
    unset = "not set"
    return {
        "role": p.role.value,
        "timezone": p.timezone or f"not set (using the workspace's {settings.default_timezone})",
        "stage": neutralise(p.stage, 20) if p.stage else unset,
        "subjects": neutralise(", ".join(p.subjects), 500) or unset,
        "languages": neutralise(", ".join(p.languages), 500) or unset,
        "hours": str(p.hours) if p.hours.slots else unset,
        "quiet-hours": p.quiet_hours or f"not set ({settings.default_quiet_hours})",
        "bio": neutralise(p.bio, 300) if p.bio else unset,
        "capacity": str(p.capacity) if p.capacity else unset,
        "public-kudos": "on" if p.public_kudos else "off",
        "listed": "on" if p.listed else "off",
    }
