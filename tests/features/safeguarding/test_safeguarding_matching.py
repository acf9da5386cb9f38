"""Safeguarding in pairing, as a school runs it (the default `[programme]`): moderators are paired
only when they opt in, and an adult is never put with a minor by /findbuddy or a circle round
(pairs, trios, groups) unless the programme allows it, and then the moderators get a copy."""

from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.bootstrap import App
from adapters.clock import ManualClock
from adapters.console.people import actor
from bot.kernel.model import NewPairing, NewSeat, PairingKind
from bot.matching import Candidate, Problem, best_partner, match
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say, school_app, speaker
from tests.support.settings import START

STUDENTS = ("ada", "ben", "cleo", "dev")


@pytest.fixture
async def app(
    tmp_path: Path, clock: ManualClock, messenger: RecordingMessenger
) -> AsyncIterator[App]:
    """The school default: moderators appoint mentors, adults never meet minors."""
    application = await school_app(clock, messenger)
    yield application
    await application.close()


def paired_with(messenger: RecordingMessenger, name: str) -> list[str]:
    """The match messages `name` received."""
    return [t for t in messenger.texts_to(name) if "you are with" in t or "study buddy" in t]


# --- moderators and the buddy pool -------------------------------------------------------------


async def test_a_teacher_who_moderates_is_not_paired_with_a_student_by_findbuddy(
    say: Say, messenger: RecordingMessenger
) -> None:
    assert "queue" in (await say("ada", "/findbuddy")).text
    refused = await say("morgan", "/findbuddy")
    assert not refused.ok
    assert "Moderators are not in the buddy pool" in refused.text
    assert "/profile set buddy-pool on" in refused.text
    assert paired_with(messenger, "ada") == []
    assert "buddy queue" in (await say("ada", "/buddy")).text


async def test_an_opted_in_moderator_counts_as_an_adult_and_meets_adults_only(
    say: Say, messenger: RecordingMessenger
) -> None:
    joined = await say("morgan", "/profile set buddy-pool on")
    assert "You are in the buddy pool" in joined.text
    assert "paired as an adult, never with a minor" in joined.text
    assert "queue" in (await say("morgan", "/findbuddy")).text
    assert "queue" in (await say("ada", "/findbuddy")).text
    assert paired_with(messenger, "ada") == []
    assert (await say("noah", "/profile")).ok
    assert (await say("morgan", "/profile set @noah adult on")).ok
    matched = await say("noah", "/findbuddy")
    assert "You have a study buddy: Morgan" in matched.text


async def test_a_moderator_leaving_the_pool_leaves_the_queue(say: Say) -> None:
    assert (await say("morgan", "/profile set buddy-pool on")).ok
    assert (await say("morgan", "/findbuddy")).ok
    left = await say("morgan", "/profile set buddy-pool off")
    assert (
        left.text
        == "You are out of the buddy pool: nothing pairs you. You have left the buddy queue."
    )
    assert "no buddy" in (await say("morgan", "/buddy")).text


async def test_buddy_pool_and_adult_are_not_for_members_to_set(say: Say) -> None:
    before = (await say("ada", "/profile")).text
    pool = await say("ada", "/profile set buddy-pool off")
    assert not pool.ok
    assert "buddy-pool is for moderators" in pool.text
    adult = await say("ada", "/profile set adult on")
    assert not adult.ok
    assert "Only a moderator marks who is an adult" in adult.text
    assert (await say("ben", "/profile")).ok
    someone = await say("ada", "/profile set @ben adult on")
    assert not someone.ok
    assert "Only moderators" in someone.text
    assert (await say("ada", "/profile")).text == before


async def test_a_moderator_in_a_circle_is_left_out_of_its_rounds(
    say: Say, messenger: RecordingMessenger
) -> None:
    assert (await say("morgan", "/circle create maths")).ok
    for name in ("ada", "ben", "cleo"):
        assert (await say(name, "/circle join maths")).ok
    assert (await say("morgan", "/circle join maths")).ok
    assert (await say("morgan", "/round run maths")).ok
    assert messenger.texts_to("morgan") == []
    trio = paired_with(messenger, "ada")
    assert len(trio) == 1
    assert "Morgan" not in trio[0]


async def test_the_profile_shows_a_moderator_their_pool_and_adult_mark(say: Say) -> None:
    shown = (await say("morgan", "/profile")).text
    assert "adult: not marked (paired as an adult, never with a minor)" in shown
    assert "buddy-pool: off (nothing pairs you)" in shown
    assert "buddy-pool" not in (await say("ada", "/profile")).text
    assert "adult" not in (await say("ada", "/profile")).text


# --- adults and minors -------------------------------------------------------------------------


async def adult_mentor_circle(say: Say, size: int = 2) -> None:
    """maths: Noah, a mentor the moderators marked an adult, with four students."""
    assert (await say("noah", "/profile")).ok
    assert (await say("morgan", "/profile set @noah role mentor")).ok
    assert (await say("morgan", "/profile set @noah adult on")).ok
    assert (await say("morgan", "/circle create maths")).ok
    assert (await say("morgan", f"/circle set maths group-size {size}")).ok
    for name in (*STUDENTS, "noah"):
        assert (await say(name, "/circle join maths")).ok


@pytest.mark.parametrize("size", [2, 3, 4])
async def test_a_round_never_puts_an_adult_with_a_minor(
    say: Say, messenger: RecordingMessenger, size: int
) -> None:
    await adult_mentor_circle(say, size)
    assert (await say("morgan", "/round run maths")).ok
    for name in STUDENTS:
        assert all("Noah" not in t for t in paired_with(messenger, name))
    assert paired_with(messenger, "noah") == []
    [told] = messenger.texts_to("noah")[-1:]
    assert "Nobody in maths could be paired with you this round" in told
    assert "keeps adults and students apart" in told


async def test_a_round_preview_shows_the_adult_unpaired(say: Say) -> None:
    await adult_mentor_circle(say)
    preview = (await say("morgan", "/round preview maths")).text
    assert all("Noah" not in line for line in preview.splitlines() if line.startswith("•"))
    assert "Nobody fits: Noah (adults and students are kept apart)" in preview


async def test_findbuddy_never_pairs_an_adult_with_a_minor(
    say: Say, messenger: RecordingMessenger
) -> None:
    assert (await say("noah", "/profile")).ok
    assert (await say("morgan", "/profile set @noah adult on")).ok
    assert "queue" in (await say("noah", "/findbuddy")).text
    assert "queue" in (await say("ada", "/findbuddy")).text
    assert paired_with(messenger, "noah") == []
    assert "You have a study buddy: Ada" in (await say("ben", "/findbuddy")).text


async def test_marking_an_adult_ends_their_open_pairings_with_minors(
    say: Say, messenger: RecordingMessenger
) -> None:
    assert (await say("noah", "/findbuddy")).ok
    assert "Noah" in (await say("ada", "/findbuddy")).text
    marked = await say("morgan", "/profile set @noah adult on")
    assert "Noah is marked an adult: paired as an adult, never with a minor." in marked.text
    assert "Their open pairings with minors (1) ended; each person was told." in marked.text
    assert any("pairing with Noah has ended" in t for t in messenger.texts_to("ada"))
    assert any("marked you as an adult" in t for t in messenger.texts_to("noah"))
    assert "no buddy" in (await say("ada", "/buddy")).text
    assert "adult on" in (await say("morgan", "/audit")).text


async def test_marking_a_teacher_an_adult_ends_a_pairing_made_before_these_rules(
    app: App, say: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    """The reported case: a teacher (a moderator) paired with a student before the upgrade."""
    for name in ("morgan", "ada"):
        assert (await say(name, "/profile")).ok
    async with SqlUnitOfWorkFactory(app.engine, clock)() as uow:
        teacher = await uow.members.get(actor("w1", "Morgan").ref)
        student = await uow.members.get(actor("w1", "Ada").ref)
        assert teacher is not None
        assert student is not None
        seats = [NewSeat(teacher), NewSeat(student)]
        await uow.buddies.add_pairing(
            NewPairing(teacher.ref.workspace, PairingKind.ON_DEMAND, seats, START)
        )
        await uow.commit()
    marked = await say("morgan", "/profile set @morgan adult on")
    assert "Their open pairings with minors (1) ended" in marked.text
    assert any("pairing with Morgan has ended" in t for t in messenger.texts_to("ada"))
    assert "no buddy" in (await say("ada", "/buddy")).text


async def test_a_members_export_holds_their_adult_mark_and_buddy_pool(say: Say) -> None:
    assert (await say("morgan", "/profile set adult on")).ok
    assert (await say("morgan", "/profile set buddy-pool on")).ok
    [file] = (await say("morgan", "/privacy export")).files
    exported = json.loads(file.content)
    assert exported["member"]["marked_adult"] is True
    assert exported["profile"]["buddy_pool"] is True


async def test_a_moderator_marked_not_adult_is_paired_with_students_when_in_the_pool(
    say: Say,
) -> None:
    """A student moderator (a student-run server) is marked not an adult and opts in."""
    assert (await say("morgan", "/profile set adult off")).ok
    assert (await say("morgan", "/profile set buddy-pool on")).ok
    assert (await say("ada", "/findbuddy")).ok
    assert "You have a study buddy: Ada" in (await say("morgan", "/findbuddy")).text


async def test_where_allowed_an_adult_meets_a_minor_with_the_moderators_copied(
    clock: ManualClock, messenger: RecordingMessenger
) -> None:
    app = await school_app(clock, messenger, adults_paired_with_minors=True)
    try:
        say = speaker(app)
        assert (await say("noah", "/profile")).ok
        marked = await say("morgan", "/profile set @noah adult on")
        assert "when with a minor, the moderators get a copy" in marked.text
        assert (await say("noah", "/findbuddy")).ok
        assert "Noah" in (await say("ada", "/findbuddy")).text
        [copy] = [t for t in messenger.texts_to("morgan") if t.startswith("Copy")]
        assert "/findbuddy put an adult with a minor" in copy
        assert "Together: Ada, Noah (adult)" in copy or "Together: Noah (adult), Ada" in copy
    finally:
        await app.close()


async def test_where_allowed_a_round_with_an_adult_is_copied_to_the_moderators(
    clock: ManualClock, messenger: RecordingMessenger
) -> None:
    app = await school_app(clock, messenger, adults_paired_with_minors=True)
    try:
        say = speaker(app)
        await adult_mentor_circle(say)
        assert (await say("morgan", "/round run maths")).ok
        copies = [t for t in messenger.texts_to("morgan") if t.startswith("Copy")]
        assert len(copies) == 1
        assert "the round of maths put an adult with a minor" in copies[0]
        assert "Noah (adult)" in copies[0]
    finally:
        await app.close()


# --- the matcher itself ------------------------------------------------------------------------


def crowd(n: int, adults: int, seed: int = 0) -> tuple[Candidate, ...]:
    rng = random.Random(seed)
    grown = set(rng.sample(range(1, n + 1), adults))
    return tuple(
        Candidate(
            id=i,
            is_adult=i in grown,
            is_mentor=rng.random() < 0.2,
            mentee_room=2,
            subjects=frozenset(rng.sample(["algebra", "physics", "coding"], 1)),
            free_slots=frozenset(range(s, s + 8)),
        )
        for i, s in ((i, rng.randrange(300)) for i in range(1, n + 1))
    )


@pytest.mark.parametrize(
    ("size", "trio"), [(2, True), (2, False), (3, True), (4, True), (4, False)]
)
def test_no_group_the_matcher_makes_mixes_adults_and_minors(size: int, trio: bool) -> None:
    people = crowd(61, adults=7)
    adult = {c.id: c.is_adult for c in people}
    outcome = match(Problem(people, group_size=size, trio_for_odd=trio, seed=3))
    assert outcome.groups
    for group in outcome.groups:
        assert len({adult[m] for m in group.members}) == 1, group
    adults_placed = [m for g in outcome.groups for m in g.members if adult[m]]
    assert len(adults_placed) >= 6  # the adults find each other


def test_the_matcher_mixes_them_only_where_the_problem_allows() -> None:
    adult, minor = Candidate(1, is_adult=True), Candidate(2)
    assert match(Problem((adult, minor))).groups == ()
    assert best_partner(Problem((adult, minor)), 1) is None
    allowed = Problem((adult, minor), adults_with_minors=True)
    assert [g.members for g in match(allowed).groups] in ([(1, 2)], [(2, 1)])
    assert best_partner(allowed, 1) is not None


def test_adults_still_find_each_other_when_only_a_shortlist_is_scored() -> None:
    people = crowd(2600, adults=80, seed=5)
    adult = {c.id: c.is_adult for c in people}
    outcome = match(Problem(people, seed=1))
    for group in outcome.groups:
        assert len({adult[m] for m in group.members}) == 1
    adults_placed = sum(1 for g in outcome.groups for m in g.members if adult[m])
    assert adults_placed == 80
