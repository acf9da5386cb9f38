"""The /findbuddy queue: who among the people waiting fits a new seeker best.

Rules: only people who are waiting right now are candidates (nobody is paired who did not ask);
never someone paused, blocked either way, already in an open on-demand pairing, or out of the
pairing pool (a moderator who has not opted in, see bot.kernel.safeguarding); never an adult with a
minor unless the programme allows it; a subject asked for by either person must be studied or
asked for by the other; among those, the highest weight wins, and on a tie whoever has waited
longest.
"""

from __future__ import annotations

import re

from bot.buddies.fit import Seeker, as_candidate, folded
from bot.kernel.command_refs import command_ref
from bot.kernel.context import Context
from bot.kernel.errors import UserError
from bot.kernel.local_time import week_start
from bot.kernel.model import BuddyRequest, Member, ProfileRole
from bot.kernel.safeguarding import in_pairing_pool
from bot.kernel.text import neutralise
from bot.matching import Problem, best_partner

_SUBJECT = re.compile(r"[\w][\w .+#&-]{0,39}")


def check_subject(text: str | None) -> str | None:
    if text is None:
        return None
    subject = " ".join(text.split()).casefold()
    if not _SUBJECT.fullmatch(subject):
        raise UserError(
            f"'{neutralise(text, 40)}' is not a subject I can match on; use up to 40 letters, "
            f"e.g. {command_ref('/findbuddy algebra')}"
        )
    return subject


def seeker(member: Member, wants: str | None) -> Seeker:
    return Seeker(member, member.profile.role is ProfileRole.MENTOR, wants)


async def best_waiting(ctx: Context, me: Seeker) -> BuddyRequest | None:
    """The waiting request whose person fits `me` best, or None when nobody fits."""
    buddies = ctx.uow.buddies
    workspace = ctx.me.ref.workspace
    busy = await buddies.open_on_demand_member_ids(workspace)
    queue = [
        r
        for r in await buddies.waiting(workspace)
        if r.member.id not in busy
        and r.member.id != me.member.id
        and not r.member.is_paused(ctx.now)
        and in_pairing_pool(r.member)
        and _subjects_agree(me, seeker(r.member, r.subject))
    ]
    if not queue:
        return None
    seekers = [me, *(seeker(r.member, r.subject) for r in queue)]
    ids = [s.member.id for s in seekers]
    mentees = await buddies.open_mentee_counts([s.member.id for s in seekers if s.is_mentor])
    monday = week_start(ctx.now)
    problem = Problem(
        candidates=tuple(
            as_candidate(s, ctx.settings, monday, mentees.get(s.member.id, 0)) for s in seekers
        ),
        blocked=frozenset(await buddies.blocked_pairs(ids)),
        recent=frozenset(
            await buddies.recent_on_demand_partners(ids, ctx.settings.matching.recent_rounds)
        ),
        weights=ctx.settings.matching.weights,
        adults_with_minors=ctx.settings.programme.adults_paired_with_minors,
    )
    found = best_partner(problem, me.member.id)
    if found is None:
        return None
    return next(r for r in queue if r.member.id == found[0])


def _subjects_agree(a: Seeker, b: Seeker) -> bool:
    return _accepts(a, b) and _accepts(b, a)


def _accepts(asker: Seeker, other: Seeker) -> bool:
    wish = asker.wants
    return wish is None or wish == other.wants or wish in folded(other.member.profile.subjects)
