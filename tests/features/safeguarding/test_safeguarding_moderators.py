"""Safeguarding: what reaches whom. Moderators named in the config moderate one workspace and
are told nothing of another's; a facilitator sees who answered a check-in and nothing more;
moderators can read the answers, each read in the audit trail, and the digest says who wrote
something for them."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.bootstrap import App, bootstrap
from adapters.cli import main
from adapters.clock import ManualClock
from adapters.config import ConfigError, parse_settings
from bot.checkins.messages import wrote_something
from bot.kernel.model import (
    DEFAULT_CHECKIN_QUESTIONS,
    Actor,
    Checkin,
    CheckinStatus,
    Circle,
    Member,
    MemberRef,
    WorkspaceRef,
)
from bot.kernel.replies import Reply
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say
from tests.support.settings import settings_for

SCHOOL_A, SCHOOL_B = "100000000000000001", "200000000000000002"
TEACHER = "111"
"""School A's teacher, named in the config as a moderator of school A; also in school B."""
CHILD = "555"


@pytest.fixture
def discord() -> RecordingMessenger:
    return RecordingMessenger(platform="discord")


@pytest.fixture
async def two_schools(clock: ManualClock, discord: RecordingMessenger) -> AsyncIterator[App]:
    """One deployment serving two Discord servers; the config names the teacher for school A."""
    settings = settings_for("sqlite+aiosqlite://", moderators=[f"discord:{SCHOOL_A}:{TEACHER}"])
    application = await bootstrap(settings, clock, {"discord": discord})
    yield application
    await application.close()


async def run(app: App, server: str, user: str, line: str) -> Reply:
    """`line` typed in Discord server `server` by `user`, who has no Manage Server there."""
    actor = Actor(MemberRef("discord", server, user), f"user {user}")
    reply = await app.bus.handle_text(line, actor)
    await app.due.deliver()
    return reply


def dms(messenger: RecordingMessenger) -> list[tuple[str, str, str]]:
    """(server, person, text) of every DM delivered."""
    return [
        (e.destination.workspace.workspace_id, e.destination.target, e.text)
        for e in messenger.sent
        if e.destination.kind == "dm"
    ]


async def test_a_concern_in_another_school_never_reaches_a_moderator_named_for_one(
    two_schools: App, discord: RecordingMessenger
) -> None:
    reply = await run(two_schools, SCHOOL_B, CHILD, "/flag someone in my class is hurting me")

    assert reply.text.startswith("Your concern is saved. No moderator is set up in this workspace")
    assert dms(discord) == []


async def test_a_moderator_named_for_one_school_recorded_as_another_schools_hears_nothing_of_it(
    two_schools: App, discord: RecordingMessenger
) -> None:
    """The teacher was recorded as a moderator of school B (by the old `discord:111` form, or a
    role there): the config, which names them for school A only, decides where their news goes."""
    as_admin = Actor(MemberRef("discord", SCHOOL_B, TEACHER), "Teacher", is_admin=True)
    assert (await two_schools.bus.handle_text("/audit", as_admin)).ok

    reply = await run(two_schools, SCHOOL_B, CHILD, "/flag someone in my class is hurting me")

    assert reply.text.startswith("Your concern is saved. No moderator is set up in this workspace")
    assert dms(discord) == []


async def test_a_concern_in_the_school_named_reaches_its_moderator(
    two_schools: App, discord: RecordingMessenger
) -> None:
    reply = await run(two_schools, SCHOOL_A, CHILD, "/flag someone in my class is hurting me")

    assert reply.text.startswith("Sent privately to the moderators")
    [(server, person, text)] = dms(discord)
    assert (server, person) == (SCHOOL_A, TEACHER)
    assert "someone in my class is hurting me" in text


async def test_a_moderator_named_for_one_school_cannot_read_another_schools_audit(
    two_schools: App,
) -> None:
    assert (await run(two_schools, SCHOOL_A, TEACHER, "/audit")).ok
    in_b = await run(two_schools, SCHOOL_B, TEACHER, "/audit")

    assert not in_b.ok
    assert in_b.text == "Only moderators can see the audit trail."


@pytest.mark.parametrize(
    ("entry", "new_form"),
    [
        ("discord:111", "discord:<server id>:<user id>, e.g. discord:<server id>:111"),
        ("slack:U0123ABCD", "slack:<team id>:<user id>, e.g. slack:T0123ABCD:U0123ABCD"),
    ],
)
def test_the_old_form_without_a_workspace_is_refused_naming_the_new_one(
    entry: str, new_form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'moderators = ["console:morgan", "{entry}"]\n')

    assert main(["check-config", str(config)]) == 2

    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"config error: {config}: moderators: '{entry}' does not say which")
    assert new_form in line


def test_every_moderator_entry_that_is_wrong_is_named() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_settings({"moderators": ["discord:111", "discord:1:2", "slack:T1:U1", "teams:x"]})

    problems = str(raised.value)
    assert "'discord:111' does not say which server" in problems
    assert "'teams:x' is not a moderator" in problems
    assert "discord:1:2" not in problems
    assert "slack:T1:U1" not in problems


# -- a facilitator sees who answered, nothing more ------------------------------------------

MONDAY = datetime(2026, 3, 9, tzinfo=UTC)


async def tick_until(app: App, clock: ManualClock, until: datetime) -> None:
    """Tick hourly until `until`, as the scheduler would."""
    while clock.now() < until:
        clock.advance(timedelta(hours=1))
        await app.due.run_due()


@pytest.fixture
async def student_facilitated(app: App, say: Say, clock: ManualClock) -> Say:
    """A weekly circle of students (Mondays 09:00 UTC, everyone asked) facilitated by Dev, a
    student. On Monday Ada raises a concern about Dev, Ben skips with a private reason and
    Cleo answers; Dev does not."""
    assert (await say("morgan", "/circle create mentoring")).ok
    for key, value in (("cadence", "weekly"), ("day", "mon"), ("time", "09:00")):
        assert (await say("morgan", f"/circle set mentoring {key} {value}")).ok
    assert (await say("morgan", "/circle set mentoring checkin-audience everyone")).ok
    for name in ("ada", "ben", "cleo", "dev"):
        assert (await say(name, "/circle join mentoring")).ok
    assert (await say("morgan", "/circle add @dev mentoring as facilitator")).ok
    clock.current = MONDAY
    await tick_until(app, clock, MONDAY + timedelta(hours=10))
    assert (await say("ada", "/checkin concern Fine | No | Dev keeps messaging me at night")).ok
    assert (await say("ben", "/checkin skip family stuff, my dad is in hospital")).ok
    assert (await say("cleo", "/checkin answer Good | Yes | No")).ok
    return say


async def test_a_facilitator_sees_who_answered_and_who_has_not_and_nothing_more(
    student_facilitated: Say,
) -> None:
    status = await student_facilitated("dev", "/checkin status mentoring")

    assert status.text == (
        "mentoring, check-in of Mon 9 Mar: 4 asked.\n"
        "Answered: 2: Ada, Cleo\n"
        "Not answered: 2: Ben, Dev\n"
        "Skip reasons, answers and concerns are for the moderators only."
    )


async def test_a_moderator_still_sees_skips_with_their_reasons_and_who_raised_a_concern(
    student_facilitated: Say,
) -> None:
    status = (await student_facilitated("morgan", "/checkin status mentoring")).text

    assert "Skipped: 1: Ben (family stuff, my dad is in hospital)" in status
    assert "Raised a concern: 1: Ada" in status


async def test_a_facilitators_stats_and_export_carry_no_concerns(student_facilitated: Say) -> None:
    table = await student_facilitated("dev", "/stats mentoring")
    export = await student_facilitated("dev", "/stats export mentoring")

    assert table.ok
    lines = table.text.splitlines()
    assert lines[2] == "Week   Pairs  Met Check Kudos Rated Avg"
    assert [line for line in lines if "onc" in line] == [
        "A circle counts its rounds' pairings, its check-ins, the kudos recorded for it and its "
        "own members now. Concerns are for the moderators only."
    ]
    [csv_file] = export.files
    header, *weeks = csv_file.content.decode().splitlines()
    assert header == (
        "week_starting,pairings_made,meetings_held,checkins_due,checkins_answered,"
        "checkin_answer_rate,kudos,meetings_rated,meeting_rating_average,people_waiting_now,"
        "dms_closed_now"
    )
    assert len(weeks) == 12


async def test_a_moderators_stats_count_the_concern(student_facilitated: Say) -> None:
    table = (await student_facilitated("morgan", "/stats mentoring")).text
    export = await student_facilitated("morgan", "/stats export mentoring")

    assert "Conc" in table
    rows = list(csv.DictReader(io.StringIO(export.files[0].content.decode())))
    assert sum(int(row["concerns"]) for row in rows) == 1


# -- moderators read the answers, and the digest says who wrote something for them ----------


async def test_a_moderator_reads_the_answers_those_who_wrote_something_first(
    student_facilitated: Say,
) -> None:
    reply = await student_facilitated("morgan", "/checkin answers mentoring")

    header, wrote, *rest = reply.text.splitlines()
    assert header == (
        "mentoring, check-in of Mon 9 Mar (2026-W11): 4 asked, 2 answered. For moderators "
        "only; this read is in the audit trail."
    )
    assert wrote == 'Wrote something under "Anything the moderators should know?": 1: Ada'
    body = "\n".join(rest)
    assert body.index("Ada (marked as a concern") < body.index("Cleo:")
    assert "Anything the moderators should know?\n> Dev keeps messaging me at night" in body
    assert "Anything the moderators should know?\n> No" in body
    assert rest[-2:] == [
        "Skipped: 1: Ben (family stuff, my dad is in hospital)",
        "Not answered: 1: Dev",
    ]


async def test_every_read_of_answers_is_in_the_audit_trail(student_facilitated: Say) -> None:
    assert (await student_facilitated("morgan", "/checkin answers mentoring")).ok
    one = await student_facilitated("morgan", "/checkin answers mentoring 2026-03-10 @ada")

    assert "Cleo" not in one.text
    audit = (await student_facilitated("morgan", "/audit")).text.splitlines()
    assert audit[1].endswith(
        "Morgan · read the check-in answers of mentoring · Ada · check-in 2026-W11, 1 answered"
    )
    assert audit[2].endswith(
        "Morgan · read the check-in answers of mentoring · check-in 2026-W11, 2 answered"
    )


async def test_a_facilitator_cannot_read_answers_and_nothing_is_recorded_as_read(
    student_facilitated: Say,
) -> None:
    refused = await student_facilitated("dev", "/checkin answers mentoring")

    assert not refused.ok
    assert refused.text == (
        "Only moderators can read check-in answers; /checkin status <circle> shows who answered."
    )
    audit = (await student_facilitated("morgan", "/audit")).text
    assert "answers" not in audit


async def test_a_day_with_no_check_in_and_a_mistyped_answer_are_told_what_to_do(
    student_facilitated: Say,
) -> None:
    earlier = await student_facilitated("morgan", "/checkin answers mentoring 2026-03-02")
    answering = await student_facilitated("cleo", "/checkin answers Good | Yes | No")

    assert earlier.text == (
        "mentoring had no check-in then (2026-03-02). /checkin answers mentoring shows the latest."
    )
    assert answering.text.startswith("To answer your check-in: /checkin answer <1> | <2> | ...")


async def test_the_digest_names_who_wrote_something_for_the_moderators(
    app: App, student_facilitated: Say, clock: ManualClock, messenger: RecordingMessenger
) -> None:
    await tick_until(app, clock, MONDAY + timedelta(days=4))

    [digest] = [t for t in messenger.texts_to("morgan") if t.startswith("Check-in summary")]
    assert (
        'Wrote something under "Anything the moderators should know?": 1: Ada\n'
        "/checkin answers mentoring 2026-W11 shows what they wrote."
    ) in digest
    assert "Dev keeps messaging me" not in digest


@pytest.mark.parametrize(
    ("last", "wrote"),
    [
        ("No", False),
        ("no.", False),
        ("N/A", False),
        ("  None! ", False),
        ("nothing", False),
        ("", False),
        ("Not really, but Ben seems low", True),
        ("No one talks to Ada", True),
    ],
)
def test_what_counts_as_writing_something_for_the_moderators(last: str, wrote: bool) -> None:
    circle = Circle(WorkspaceRef("console", "w1"), "mentoring", id=1)
    member = Member(MemberRef("console", "w1", "ada"), "Ada", id=1)
    checkin = Checkin(
        circle,
        member,
        "2026-W11",
        MONDAY,
        MONDAY,
        DEFAULT_CHECKIN_QUESTIONS,
        CheckinStatus.ANSWERED,
        answers=("Fine", "Yes", last),
        id=1,
    )

    assert wrote_something(checkin) is wrote
