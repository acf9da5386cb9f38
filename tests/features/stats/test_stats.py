"""/stats as moderators meet it: a programme run for three months through commands and the due
jobs, then every number of the table, the chart's reply and the CSV checked against a count made
straight from the tables; only moderators and a circle's facilitators see them, and one
workspace never sees another's."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.bootstrap import App, bootstrap
from adapters.clock import ManualClock
from adapters.console.people import actor
from bot.kernel.model import OutboxEntry
from bot.kernel.ports import Delivery, Failed
from bot.kernel.replies import Reply
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say
from tests.support.settings import settings_for

ZONE = "Europe/London"
LONDON = ZoneInfo(ZONE)
FIRST_WEEK = date(2026, 3, 16)
"""The Monday twelve weeks before the last one: what happened before it is left out."""
END = datetime(2026, 6, 3, 11, 0, tzinfo=UTC)
"""A Wednesday: the twelfth week's check-ins are still open."""
STEP = timedelta(hours=6)
CLOSED_DMS = "they have closed their DMs (cannot_dm_bot)"
ALGEBRA = ("ada", "ben", "cleo", "dev", "nia")
PHYSICS = ("ada", "eli", "finn")


@dataclass
class ClosedDms(RecordingMessenger):
    """A platform on which the people named in `closed` have closed their DMs."""

    closed: set[str] = field(default_factory=set)

    async def send(self, entry: OutboxEntry) -> Delivery:
        if entry.destination.kind == "dm" and entry.destination.target in self.closed:
            return Failed(CLOSED_DMS)
        return await super().send(entry)


@pytest.fixture
def messenger() -> ClosedDms:
    return ClosedDms()


@pytest.fixture
async def app(clock: ManualClock, messenger: ClosedDms) -> AsyncIterator[App]:
    """The real bootstrap with the workspace's weeks in London time (clocks change on 29 March)."""
    application = await bootstrap(
        settings_for("sqlite+aiosqlite://", moderators=["console:morgan"], default_timezone=ZONE),
        clock,
        {"console": messenger},
    )
    yield application
    await application.close()


# What the tables say, counted without the code under test.


@dataclass(frozen=True)
class Week:
    pairs: int
    met: int
    due: int
    answered: int
    concerns: int
    kudos: int
    rated: int = 0
    rating_total: int = 0
    raters: int = 0


@dataclass(frozen=True)
class Counted:
    weeks: list[Week]
    waiting: int
    unreachable: int
    raters: int = 0
    """Different people who rated meetings in the twelve weeks."""


IN_SCOPE = (
    "platform = 'console' AND workspace_id = :ws AND (:circle IS NULL OR circle_id = :circle)"
)
IN_WEEK = "{0} >= :start AND {0} < :end"
WEEKLY = {
    "pairs": f"SELECT count(*) FROM pairings WHERE {IN_SCOPE} AND {IN_WEEK.format('created_at')}",
    "met": f"""SELECT count(*) FROM (
            SELECT min(s.answered_at) AS first_met FROM pairing_seats s
            JOIN pairings ON pairings.id = s.pairing_id
            WHERE {IN_SCOPE} AND s.answer = 'met' GROUP BY pairings.id
        ) AS met WHERE {IN_WEEK.format("first_met")}""",
    "due": f"""SELECT count(*) FROM checkins WHERE {IN_SCOPE}
        AND {IN_WEEK.format("scheduled_at")}
        AND NOT (status = 'skipped' AND prompted_at IS NULL)""",
    "answered": f"""SELECT count(*) FROM checkins WHERE {IN_SCOPE}
        AND {IN_WEEK.format("scheduled_at")} AND status = 'answered'""",
    "concerns": f"SELECT count(*) FROM flags WHERE {IN_SCOPE} AND {IN_WEEK.format('created_at')}",
    "kudos": f"""SELECT count(*) FROM kudos WHERE {IN_SCOPE}
        AND {IN_WEEK.format("created_at")} AND revoked_at IS NULL""",
    "rated": f"""SELECT count(*) FROM meeting_ratings WHERE {IN_SCOPE}
        AND {IN_WEEK.format("rated_at")}""",
    "rating_total": f"""SELECT coalesce(sum(score), 0) FROM meeting_ratings WHERE {IN_SCOPE}
        AND {IN_WEEK.format("rated_at")}""",
    "raters": f"""SELECT count(DISTINCT rater_id) FROM meeting_ratings WHERE {IN_SCOPE}
        AND {IN_WEEK.format("rated_at")}""",
}
TOO_FEW = "–"
"""A rating cell fewer than three different people gave."""
OF_CIRCLE = (
    "(:circle IS NULL OR {} IN (SELECT member_id FROM memberships WHERE circle_id = :circle))"
)
WAITING = f"""SELECT count(*) FROM buddy_requests WHERE platform = 'console' AND workspace_id = :ws
    AND status = 'waiting' AND expires_at > :now AND {OF_CIRCLE.format("member_id")}"""
RATERS = f"""SELECT count(DISTINCT rater_id) FROM meeting_ratings WHERE {IN_SCOPE}
    AND {IN_WEEK.format("rated_at")}"""
UNREACHABLE = f"""SELECT count(*) FROM members WHERE platform = 'console' AND workspace_id = :ws
    AND unreachable_since IS NOT NULL AND {OF_CIRCLE.format("id")}"""


async def query(engine: AsyncEngine, sql: str, **params: object) -> list[tuple[object, ...]]:
    """Rows of a plain SQL query; datetimes are bound as the database stores them."""
    moments = [
        bindparam(name, type_=DateTime(timezone=True))
        for name, value in params.items()
        if isinstance(value, datetime)
    ]
    async with engine.connect() as connection:
        result = await connection.execute(text(sql).bindparams(*moments), params)
        return [tuple(row) for row in result]


async def count(engine: AsyncEngine, sql: str, **params: object) -> int:
    [(found,)] = await query(engine, sql, **params)
    assert isinstance(found, int)
    return found


async def circle_id(engine: AsyncEngine, workspace: str, name: str) -> int:
    [(found,)] = await query(
        engine,
        "SELECT id FROM circles WHERE workspace_id = :ws AND name = :name",
        ws=workspace,
        name=name,
    )
    assert isinstance(found, int)
    return found


def mondays() -> list[datetime]:
    """The thirteen London midnights that bound the twelve weeks, as UTC moments."""
    return [
        datetime.combine(FIRST_WEEK + timedelta(weeks=n), time(0), LONDON).astimezone(UTC)
        for n in range(13)
    ]


async def counted(engine: AsyncEngine, workspace: str, circle: str | None = None) -> Counted:
    scope = {
        "ws": workspace,
        "circle": await circle_id(engine, workspace, circle) if circle else None,
    }
    bounds = mondays()
    weeks = [
        Week(
            **{
                name: await count(engine, sql, start=start, end=end, **scope)
                for name, sql in WEEKLY.items()
            }
        )
        for start, end in pairwise(bounds)
    ]
    return Counted(
        weeks,
        await count(engine, WAITING, now=END, **scope),
        await count(engine, UNREACHABLE, **scope),
        await count(engine, RATERS, start=bounds[0], end=bounds[-1], **scope),
    )


def percent(answered: int, due: int) -> str:
    if not due:
        return "-"
    share = (Decimal(100 * answered) / Decimal(due)).quantize(Decimal(1), ROUND_HALF_UP)
    return f"{share}%"


# What a moderator reads.

ROW = re.compile(
    r"^(\d{1,2} [A-Z][a-z]{2}|Total) +(\d+) +(\d+) +(\d+%|-) +(\d+) +(\d+) +(\d+|–) +(\d\.\d|–)$"
)
NOW = re.compile(
    r"Now: (\d+) (?:person|people) waiting for a buddy; (\d+) (?:person|people) I cannot reach"
)


def table_rows(reply: Reply) -> list[tuple[str, ...]]:
    block = reply.text.split("```")[1]
    rows = block.strip().splitlines()[1:]  # under the header
    parsed = [ROW.match(row) for row in rows]
    assert all(parsed), rows
    return [m.groups() for m in parsed if m]


def expected_rows(numbers: Counted) -> list[tuple[str, ...]]:
    def row(label: str, w: Week) -> tuple[str, ...]:
        counts = (w.pairs, w.met, percent(w.answered, w.due), w.concerns, w.kudos)
        return (label, *(str(c) for c in counts), *rating_cells(w))

    labels = [f"{d.day} {d:%b}" for d in (FIRST_WEEK + timedelta(weeks=n) for n in range(12))]
    total = Week(*(sum(getattr(w, f.name) for w in numbers.weeks) for f in fields(Week)))
    total = replace(total, raters=numbers.raters)
    return [*map(row, labels, numbers.weeks), row("Total", total)]


def rating_cells(w: Week) -> tuple[str, str]:
    """How many ratings and their average to one decimal (halves up), from three different
    people on."""
    if w.raters < 3:
        return (TOO_FEW, TOO_FEW)
    average = (Decimal(w.rating_total) / Decimal(w.rated)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return (str(w.rated), str(average))


def now_line(reply: Reply) -> tuple[int, int]:
    found = NOW.search(reply.text)
    assert found, reply.text
    return int(found[1]), int(found[2])


def csv_rows(reply: Reply) -> list[dict[str, str]]:
    [attachment] = reply.files
    assert attachment.media_type == "text/csv"
    return list(csv.DictReader(io.StringIO(attachment.content.decode("utf-8"))))


def expected_csv(numbers: Counted) -> list[dict[str, str]]:
    rows = []
    for n, w in enumerate(numbers.weeks):
        last = n == len(numbers.weeks) - 1
        rows.append(
            {
                "week_starting": (FIRST_WEEK + timedelta(weeks=n)).isoformat(),
                "pairings_made": str(w.pairs),
                "meetings_held": str(w.met),
                "checkins_due": str(w.due),
                "checkins_answered": str(w.answered),
                "checkin_answer_rate": f"{w.answered / w.due:.3f}" if w.due else "",
                "concerns": str(w.concerns),
                "kudos": str(w.kudos),
                "meetings_rated": str(w.rated) if w.raters >= 3 else "",
                "meeting_rating_average": f"{w.rating_total / w.rated:.2f}"
                if w.raters >= 3
                else "",
                "people_waiting_now": str(numbers.waiting) if last else "",
                "dms_closed_now": str(numbers.unreachable) if last else "",
            }
        )
    return rows


# Driving the programme.


async def tick_until(app: App, clock: ManualClock, until: datetime) -> None:
    """Run the due jobs every few hours until `until`, as the scheduler would."""
    while clock.now() < until:
        clock.current = min(clock.now() + STEP, until)
        await app.due.run_due()


async def partners(app: App, name: str) -> list[str]:
    """Who is with `name` in their latest pairing (the test's look, not the bot's)."""
    rows = await query(
        app.engine,
        """SELECT other.user_id FROM members me
        JOIN pairing_seats mine ON mine.member_id = me.id
        JOIN pairing_seats theirs
            ON theirs.pairing_id = mine.pairing_id AND theirs.member_id <> me.id
        JOIN members other ON other.id = theirs.member_id
        WHERE me.workspace_id = 'w1' AND me.user_id = :name AND mine.pairing_id = (
            SELECT max(pairing_id) FROM pairing_seats WHERE member_id = me.id)
        ORDER BY other.user_id""",
        name=name,
    )
    return [str(user_id) for (user_id,) in rows]


async def say_we_met(app: App, say: Say, *names: str, answer: str = "met") -> None:
    for name in names:
        [partner, *_] = await partners(app, name)
        assert (await say(name, f"/buddy {answer} @{partner}")).ok


async def rate(app: App, say: Say, score: int, *names: str) -> None:
    """Each of `names` rates the meeting with their latest partner."""
    for name in names:
        [partner, *_] = await partners(app, name)
        reply = await say(name, f"/feedback {score} @{partner}")
        assert reply.ok, reply.text


async def answer(say: Say, *names: str, concern: bool = False) -> None:
    verb = "concern" if concern else "answer"
    for name in names:
        reply = await say(name, f"/checkin {verb} Going fine | We met twice | Nothing more")
        assert reply.ok, reply.text


async def week_of(app: App, clock: ManualClock, monday: date) -> None:
    """From Sunday noon (or now, if later) to Monday noon, London time: the round runs and
    check-ins open at 9."""
    clock.current = max(clock.now(), datetime.combine(monday - timedelta(days=1), time(12), LONDON))
    await tick_until(app, clock, datetime.combine(monday, time(12), LONDON))


async def until_thursday(app: App, clock: ManualClock, monday: date) -> None:
    """On to Thursday noon: check-ins closed at 9, "did you meet?" asked."""
    await tick_until(app, clock, datetime.combine(monday + timedelta(days=3), time(12), LONDON))


async def kudos_id(app: App, reason: str) -> int:
    [(found,)] = await query(app.engine, "SELECT id FROM kudos WHERE reason = :r", r=reason)
    assert isinstance(found, int)
    return found


async def run_programme(app: App, clock: ManualClock, say: Say, messenger: ClosedDms) -> None:
    for name in (*ALGEBRA, "eli", "finn"):
        assert (await say(name, "/profile set role student")).ok
    assert (await say("maya", "/profile set role mentor")).ok
    for line in (
        "/circle create algebra",
        "/circle set algebra cadence weekly",
        "/circle set algebra day mon",
        "/circle set algebra time 09:00",
        "/circle set algebra checkin-audience everyone",
        "/circle set algebra channel #algebra",
        "/circle create physics",
    ):
        assert (await say("morgan", line)).ok, line
    for name in ALGEBRA:
        assert (await say(name, "/circle join algebra")).ok
    assert (await say("morgan", "/circle add @maya algebra as facilitator")).ok
    for name in PHYSICS:
        assert (await say(name, "/circle join physics")).ok
    messenger.closed.add("nia")

    # Before the twelve weeks: all of this is left out.
    assert (await say("morgan", "/round run physics")).ok
    assert (await say("eli", "/findbuddy")).ok
    assert (await say("finn", "/findbuddy")).ok
    assert (await say("morgan", "/kudos @ada Set up the study group")).ok
    assert (await say("ada", "/flag Someone was unkind in the physics chat")).ok
    clock.advance(timedelta(days=1))
    await say_we_met(app, say, "finn")

    march_9 = date(2026, 3, 9)
    await week_of(app, clock, march_9)
    await answer(say, "ada", "maya")
    await answer(say, "ben", concern=True)
    await until_thursday(app, clock, march_9)

    # The first week counted: a pairing of the week before meets in it.
    march_16 = date(2026, 3, 16)
    clock.current = datetime.combine(march_16, time(7), LONDON)
    await say_we_met(app, say, "ada")
    await week_of(app, clock, march_16)
    await answer(say, "ada", "maya")
    await answer(say, "ben", concern=True)
    assert (await say("cleo", "/checkin skip Away on a school trip")).ok
    assert (await say("ben", "/findbuddy")).ok
    assert (await say("dev", "/findbuddy")).ok
    await until_thursday(app, clock, march_16)
    await say_we_met(app, say, "ben", "cleo")
    await rate(app, say, 4, "ben", "cleo")  # two people: too few to show
    clock.advance(timedelta(days=1))
    await answer(say, "dev")  # late: the window closed yesterday
    await say_we_met(app, say, "dev")
    assert (await say("dev", "/pause until 2026-04-01")).ok
    assert (await say("morgan", "/kudos @maya Ran a great revision session")).ok

    # Half an hour into Monday in London is still Sunday in UTC, after the clocks went forward.
    march_30 = date(2026, 3, 30)
    clock.current = datetime(2026, 3, 29, 23, 30, tzinfo=UTC)
    await app.due.run_due()
    assert (await say("morgan", "/kudos @ben Helped a classmate with equations")).ok
    await tick_until(app, clock, datetime.combine(march_30, time(12), LONDON))
    await answer(say, "ada", "maya")
    await answer(say, "cleo", concern=True)
    assert (await say("ben", "/checkin skip Exams this week")).ok
    assert (await say("finn", "/buddy end @eli")).ok
    assert (await say("eli", "/findbuddy physics")).ok
    assert (await say("morgan", "/round run physics")).ok
    assert (await say("ada", "/flag Worried about a friend in both circles")).ok
    assert (await say("morgan", "/kudos @eli Explained circuits clearly")).ok
    assert (await say("morgan", "/kudos @cleo Great notes for everyone")).ok
    await until_thursday(app, clock, march_30)
    await say_we_met(app, say, "eli", "finn")
    await rate(app, say, 1, "eli")
    await say_we_met(app, say, "ada", answer="notyet")
    number = await kudos_id(app, "Great notes for everyone")
    assert (await say("morgan", f"/kudos revoke {number} posted twice")).ok

    may_18 = date(2026, 5, 18)
    await week_of(app, clock, may_18)
    await answer(say, "ada", "ben", "cleo", "dev")
    await answer(say, "maya", concern=True)
    assert (await say("cleo", "/flag The algebra channel got heated")).ok
    await until_thursday(app, clock, may_18)
    await say_we_met(app, say, "ada", "ben", "cleo", "dev")
    await rate(app, say, 2, "ada")
    await rate(app, say, 5, "ada", "ben")  # Ada's second rating replaces her first
    await rate(app, say, 3, "cleo")
    await rate(app, say, 4, "dev")

    # The twelfth week, still running.
    june_1 = date(2026, 6, 1)
    await week_of(app, clock, june_1)
    await answer(say, "ada")
    await answer(say, "ben", concern=True)
    assert (await say("morgan", "/kudos @dev Came back strong")).ok
    assert (await say("cleo", "/findbuddy chemistry")).ok
    assert (await say("finn", "/findbuddy biology")).ok
    await tick_until(app, clock, END)


async def elsewhere(app: App) -> None:
    """A second workspace's programme in the same weeks, with a circle of the same name."""

    async def say_there(name: str, line: str) -> None:
        reply = await app.bus.handle_text(line, actor("w2", name.capitalize()))
        assert reply.ok, (line, reply.text)
        await app.due.deliver()

    await say_there("morgan", "/circle create algebra")
    for name in ("zed", "yan"):
        await say_there(name, "/circle join algebra")
        await say_there(name, "/findbuddy")
    await say_there("yan", "/buddy met @zed")
    await say_there("yan", "/feedback 5 @zed")
    await say_there("morgan", "/kudos @zed Welcomed the new students")
    await say_there("zed", "/flag Trouble in algebra")
    await say_there("xia", "/findbuddy chemistry")


async def covers_every_case(engine: AsyncEngine) -> None:
    """So that the reconciliation is not vacuous: every case a definition decides on happened
    inside the twelve weeks, and some of each kind before them."""
    start, end = mondays()[0], mondays()[-1]

    async def found(what: str, table: str, when: str = "created_at", also: str = "") -> set[object]:
        sql = f"""SELECT {what} FROM {table} WHERE workspace_id = 'w1' {also}
            AND {IN_WEEK.format(when)}"""
        return {row[0] for row in await query(engine, sql, start=start, end=end)}

    assert await found("kind", "pairings") == {"on-demand", "round"}
    statuses = await found("status", "checkins", "scheduled_at")
    assert statuses == {"answered", "skipped", "missed", "open"}
    assert await found("late", "checkins", "scheduled_at", "AND status = 'answered'") == {0, 1}
    never_asked = "AND status = 'skipped' AND prompted_at IS NULL"
    assert await found("skip_reason", "checkins", "scheduled_at", never_asked) == {"paused"}
    assert await found("checkin_id IS NULL", "flags") == {0, 1}
    assert await found("revoked_at IS NULL", "kudos") == {0, 1}
    twice_met = await query(
        engine,
        """SELECT pairing_id FROM pairing_seats WHERE answer = 'met'
        AND answered_at >= :start AND answered_at < :end
        GROUP BY pairing_id HAVING count(*) > 1""",
        start=start,
        end=end,
    )
    assert twice_met
    for table in ("pairings", "flags", "kudos"):
        sql = f"SELECT count(*) FROM {table} WHERE workspace_id = 'w1' AND created_at < :start"
        assert await count(engine, sql, start=start) > 0, table


async def test_every_number_of_stats_and_its_export_reconciles_with_the_tables(
    app: App, clock: ManualClock, say: Say, messenger: ClosedDms
) -> None:
    await run_programme(app, clock, say, messenger)
    await elsewhere(app)
    await covers_every_case(app.engine)

    for workspace, circle in (
        ("w1", None),
        ("w1", "algebra"),
        ("w1", "physics"),
        ("w2", None),
        ("w2", "algebra"),
    ):
        moderator = actor(workspace, "Morgan")
        where = f" {circle}" if circle else ""
        shown = await app.bus.handle_text(f"/stats{where}", moderator)
        exported = await app.bus.handle_text(f"/stats export{where}", moderator)
        numbers = await counted(app.engine, workspace, circle)
        assert table_rows(shown) == expected_rows(numbers), (workspace, circle)
        assert now_line(shown) == (numbers.waiting, numbers.unreachable), (workspace, circle)
        assert csv_rows(exported) == expected_csv(numbers), (workspace, circle)

    # What the moderators set out to see, as plain numbers.
    here, algebra = await counted(app.engine, "w1"), await counted(app.engine, "w1", "algebra")
    assert (here.waiting, here.unreachable) == (2, 1)
    assert (algebra.waiting, algebra.unreachable) == (1, 1)
    assert sum(w.kudos for w in here.weeks) == 4  # one more before the weeks, one revoked
    # The kudos given on Sunday night in UTC counts in London's week of 30 March.
    assert [w.kudos for w in here.weeks[1:3]] == [0, 2]
    # The other workspace was busy in the same week, and none of it showed above.
    there = await counted(app.engine, "w2")
    assert there.weeks[-1] == Week(
        pairs=1, met=1, due=0, answered=0, concerns=1, kudos=1, rated=1, rating_total=5, raters=1
    )
    # Ratings were shown in some weeks and hidden as too few in others.
    assert {rating_cells(w)[0] == TOO_FEW for w in here.weeks if w.rated} == {True, False}
    # Week of 18 May: 5, 5, 3 and 4 (Ada's 2 replaced) make 4.25, shown as 4.3; in algebra, one
    # of them is about a pairing outside its rounds, so 5, 3 and 4.
    assert [rating_cells(w) for w in here.weeks if w.raters >= 3] == [("4", "4.3")]
    assert [rating_cells(w) for w in algebra.weeks if w.raters >= 3] == [("3", "4.0")]
    assert (there.waiting, there.unreachable) == (1, 0)


async def test_the_reply_has_a_chart_and_the_export_a_csv_named_for_the_circle_and_day(
    say: Say, circle_with_people: Say
) -> None:
    shown = await say("morgan", "/stats algebra")
    [chart] = shown.files
    assert chart.name == "stats-algebra-2026-03-03.png"
    assert chart.media_type == "image/png"
    assert chart.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(chart.content) > 10_000
    assert "/stats export algebra" in shown.text
    assert "Europe/London" in shown.text

    exported = await say("morgan", "/stats export")
    [sheet] = exported.files
    assert sheet.name == "stats-workspace-2026-03-03.csv"
    rows = csv_rows(exported)
    assert len(rows) == 12
    assert [rows[0]["week_starting"], rows[-1]["week_starting"]] == ["2025-12-15", "2026-03-02"]


async def test_only_moderators_and_the_circles_facilitators_see_stats_and_each_look_is_audited(
    app: App, say: Say, circle_with_people: Say
) -> None:
    for who, line, says in (
        ("ada", "/stats", "Only moderators can"),
        ("ada", "/stats export", "Only moderators can"),
        ("ada", "/stats algebra", "Only moderators and algebra's facilitators"),
        ("ben", "/stats export algebra", "Only moderators and algebra's facilitators"),
        ("maya", "/stats", "Only moderators can"),
        ("morgan", "/stats chemistry", "There is no circle called 'chemistry'"),
        ("morgan", "/stats export chemistry", "There is no circle called 'chemistry'"),
    ):
        refused = await say(who, line)
        assert not refused.ok, line
        assert says in refused.text, (line, refused.text)
        assert refused.files == ()
    looked = "SELECT count(*) FROM audit_entries WHERE action = 'stats.read'"
    assert await count(app.engine, looked) == 0

    for who, line in (
        ("maya", "/stats algebra"),
        ("maya", "/stats export algebra"),
        ("morgan", "/stats"),
    ):
        assert (await say(who, line)).ok, line
    looks = await query(
        app.engine,
        """SELECT m.user_id, a.action, a.subject, a.detail FROM audit_entries a
        JOIN members m ON m.id = a.actor_id WHERE a.action = 'stats.read' ORDER BY a.id""",
    )
    assert looks == [
        ("maya", "stats.read", "circle algebra", "table and chart"),
        ("maya", "stats.read", "circle algebra", "CSV export"),
        ("morgan", "stats.read", "whole workspace", "table and chart"),
    ]
