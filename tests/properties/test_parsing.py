"""Robust parsing: every command of the catalog, followed by any text at all, typed by a member
or by a moderator, gets a reply (never an exception, never the apology for one), pings nobody
en masse, and changes nothing outside what that command is for.

Each example runs on a copy of one small seeded programme (two circles, a facilitator, a round
and an on-demand pairing, kudos and a revoked one, a waiting buddy request, a block, a blackout,
flags and an open check-in), so what a command may change is compared with the same starting
point every time: `MAY_CHANGE` says, per command, which tables it may change and how, and
anything else that changed fails the example.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from adapters.bootstrap import App
from adapters.clock import ManualClock
from adapters.console.people import actor
from bot.features import CATALOG
from bot.kernel.commands import CommandSpec
from bot.kernel.replies import Reply
from tests.properties.conftest import (
    MASS_PING,
    Tables,
    copy_database,
    describe_errors,
    examples,
    is_apology,
    logged_errors,
    open_app,
    pending_feature,
    read_tables,
    restore,
)
from tests.support.fakes import RecordingMessenger
from tests.support.settings import START

WORKSPACE = "w1"
MEMBERS = ("Ada", "Maya", "Chloe")
"""A mentee (paired twice, with an open check-in), the facilitator of algebra (who raised
concerns) and a member of the private chess circle only."""
MODERATOR = "Morgan"

PROGRAMME: tuple[tuple[str, str], ...] = (
    ("Ada", "/profile set role student"),
    ("Ada", "/profile set timezone Europe/London"),
    ("Ada", "/profile set subjects algebra, physics"),
    ("Ben", "/profile set subjects algebra"),
    ("Maya", "/profile set role mentor"),
    ("Maya", "/profile set capacity 3"),
    ("Chloe", "/profile set role student"),
    ("Morgan", "/circle create algebra Algebra for years 9-10"),
    ("Morgan", "/circle set algebra channel #algebra"),
    ("Morgan", "/circle set algebra checkin-audience everyone"),
    ("Morgan", "/circle set algebra cadence weekly"),
    ("Morgan", "/circle set algebra day tue"),
    ("Morgan", "/circle set algebra time 10:30"),
    ("Ada", "/circle join algebra"),
    ("Ben", "/circle join algebra"),
    ("Maya", "/circle join algebra as mentor"),
    ("Morgan", "/circle add @maya algebra as facilitator"),
    ("Morgan", "/circle create chess Chess club"),
    ("Morgan", "/circle set chess private on"),
    ("Morgan", "/circle add @chloe chess"),
    ("Ada", "/findbuddy physics"),
    ("Chloe", "/findbuddy physics"),
    ("Ada", "/buddy met @chloe"),
    ("Ada", "/feedback 2 @chloe a bit awkward"),
    ("Chloe", "/buddy met @ada"),
    ("Chloe", "/buddy end @ada"),
    ("Chloe", "/buddy keep @ada"),
    ("Ada", "/buddy reflect Asking early saves hours"),
    ("Morgan", "/kudos @ada Great help with proofs #patience"),
    ("Ada", "/kudos @ben Explained fractions so clearly"),
    ("Morgan", "/kudos @maya Ran a great session"),
    ("Morgan", "/kudos revoke 3 given by mistake"),
    ("Ben", "/findbuddy chemistry"),
    ("Ada", "/block @chloe"),
    ("Morgan", "/blackout add 2026-04-06 2026-04-10"),
    ("Maya", "/flag worried about exam stress in the group"),
    ("Ada", "/goal add Finish the fractions worksheet by 2026-03-20"),
    ("Ada", "/goal progress 1 halfway there"),
    ("Ada", "/goal share on"),
    ("Morgan", "/settings set retention_days 400"),
)
"""Typed at START; an hour later the algebra round runs and its check-ins open, then:"""
AFTER_THE_ROUND: tuple[tuple[str, str], ...] = (
    ("Ben", "/checkin answer going well | nothing"),
    ("Maya", "/checkin concern struggling | exams"),
    ("Ada", "/agreement confirm"),
)
SEEDED_AT = START + timedelta(hours=1)

INSERT, UPDATE, DELETE = "+", "~", "-"
# `checkin_schedules` says when the check-in job next looks at each circle: storage marks a circle
# (an update) whenever a change can bring one of its check-ins sooner, a new circle gets its row
# (storage.checkins.schedule).
MAY_CHANGE: dict[str, dict[str, str]] = {
    "help": {},
    "profile": {},
    "profile set": {
        "members": UPDATE,
        "outbox": INSERT,
        "audit_entries": INSERT,
        "memberships": UPDATE,
        "pairings": UPDATE,
        "pairing_seats": UPDATE,
        "buddy_requests": UPDATE,
        "checkin_schedules": UPDATE,  # a new time zone or quiet hours, a mentor made a mentee
    },
    "circle list": {},
    "circle mine": {},
    "circle info": {},
    "circle join": {"memberships": INSERT, "checkin_schedules": UPDATE},
    "circle leave": {"memberships": DELETE, "checkins": UPDATE, "outbox": INSERT},
    "circle create": {"circles": INSERT, "checkin_schedules": INSERT},
    "circle add": {
        "memberships": INSERT + UPDATE,
        "outbox": INSERT,
        "audit_entries": INSERT,
        "checkin_schedules": UPDATE,
    },
    "circle remove": {
        "memberships": DELETE,
        "checkins": UPDATE,
        "outbox": INSERT,
        "audit_entries": INSERT,
    },
    "circle archive": {
        "circles": UPDATE,
        "checkins": UPDATE,
        "outbox": INSERT,
        "audit_entries": INSERT,
        "checkin_schedules": UPDATE,
    },
    "circle set": {"circles": UPDATE, "checkin_schedules": UPDATE},
    "findbuddy": {
        "buddy_requests": INSERT + UPDATE,
        "pairings": INSERT,
        "pairing_seats": INSERT,
        "outbox": INSERT,
        "milestones": INSERT,  # a new mentor's tips come with their first introduction, once
    },
    "findbuddy cancel": {"buddy_requests": UPDATE},
    "buddy": {},
    "buddy met": {"pairing_seats": UPDATE, "milestones": INSERT, "outbox": INSERT},
    "buddy notyet": {"pairing_seats": UPDATE},
    "buddy couldnt": {"pairing_seats": UPDATE},
    "buddy end": {
        "pairings": UPDATE,
        "pairing_seats": UPDATE,
        "outbox": INSERT,
        "reflections": INSERT,
    },
    "buddy reflect": {"reflections": UPDATE},
    "buddy keep": {"reflections": UPDATE, "connections": INSERT, "outbox": INSERT},
    "buddy letgo": {"reflections": UPDATE, "connections": DELETE},
    "pause": {"members": UPDATE, "buddy_requests": UPDATE},
    "block": {"blocks": INSERT, "connections": DELETE},
    "unblock": {"blocks": DELETE},
    "round preview": {},
    "round run": {
        "pairing_rounds": INSERT,
        "pairings": INSERT + UPDATE,
        "pairing_seats": INSERT + UPDATE,
        "memberships": UPDATE,
        "members": UPDATE,
        "outbox": INSERT,
        "reflections": INSERT,
        "milestones": INSERT,  # a new mentor's tips come with their first introduction, once
    },
    "checkin": {},
    "checkin answer": {
        "checkins": UPDATE,
        "members": UPDATE,
        "milestones": INSERT,
        "outbox": INSERT,
        "goal_notes": INSERT,
    },
    "checkin concern": {
        "checkins": UPDATE,
        "members": UPDATE,
        "milestones": INSERT,
        "flags": INSERT,
        "outbox": INSERT,
        "goal_notes": INSERT,
    },
    "checkin skip": {"checkins": UPDATE, "members": UPDATE},
    "checkin stay": {"members": UPDATE},
    "checkin status": {"audit_entries": INSERT},
    "checkin answers": {"audit_entries": INSERT},
    "kudos": {"kudos": INSERT, "milestones": INSERT, "outbox": INSERT},
    "kudos wall": {},
    "kudos top": {},
    "kudos revoke": {"kudos": UPDATE, "audit_entries": INSERT},
    "flag": {"flags": INSERT, "outbox": INSERT},
    "privacy export": {"audit_entries": INSERT},
    # Erasing blanks what the member wrote or was written about them where a row is counted,
    # deletes what nothing counts, ends their pairings (telling their buddies) and records that
    # it happened; never the programme's circles, calendar or rounds, nor another member's
    # record (see _check_members).
    "privacy delete": {
        "members": UPDATE,
        "memberships": DELETE,
        "checkins": UPDATE,
        "buddy_requests": UPDATE,
        "pairings": UPDATE,
        "pairing_seats": UPDATE + DELETE,  # a group of three or more goes on without them
        "kudos": UPDATE,
        "flags": DELETE,
        "milestones": DELETE,
        "agreements": DELETE,
        "blocks": DELETE,
        "reflections": INSERT + DELETE,  # their partner's question, their own reflections
        "outbox": INSERT + UPDATE + DELETE,  # what names them is rewritten by id
        "audit_entries": INSERT + UPDATE,
        "goals": DELETE,
        "goal_notes": DELETE,
        "goal_sharing": DELETE,
        "meeting_ratings": UPDATE,  # notes written by or about them are blanked
        "checkin_schedules": UPDATE,  # their time zone and quiet hours are blanked
    },
    "stats": {"audit_entries": INSERT},
    "stats export": {"audit_entries": INSERT},
    "audit": {"audit_entries": INSERT},
    "blackout add": {"blackouts": INSERT},
    "blackout list": {},
    "blackout remove": {"blackouts": DELETE, "checkin_schedules": UPDATE},
    "goal add": {"goals": INSERT},
    "goal list": {},
    "goal done": {"goals": UPDATE, "milestones": INSERT, "outbox": INSERT},
    "goal progress": {"goal_notes": INSERT},
    "goal drop": {"goals": UPDATE},
    "goal share": {"goal_sharing": INSERT + DELETE},
    "goal counts": {"audit_entries": INSERT},
    "feedback": {"meeting_ratings": INSERT + UPDATE, "outbox": INSERT},
    "feedback mine": {},
    "guide": {},
    "settings": {},
    "settings set": {
        "workspace_settings": INSERT + UPDATE,
        "audit_entries": INSERT,
        "outbox": INSERT,
    },
    "settings reset": {
        "workspace_settings": UPDATE + DELETE,
        "audit_entries": INSERT,
        "outbox": INSERT,
    },
    "settings appoint": {
        "workspace_moderators": INSERT + DELETE,
        "members": UPDATE,
        "audit_entries": INSERT,
        "outbox": INSERT,
    },
    "settings dismiss": {
        "workspace_moderators": INSERT + DELETE,
        "members": UPDATE,
        "audit_entries": INSERT,
        "outbox": INSERT,
    },
    "agreement": {},
    "agreement confirm": {"agreements": INSERT},
}
"""Per command, the tables it may change and how (+ insert, ~ update, - delete). Read-only
commands change nothing but may record that a moderator looked (an audit row), and moderators'
changes to circles are recorded there too. `members` is only ever the actor's own row, but for
a moderator's /profile set @person role|adult (see `CHANGES_OTHERS`) and a round run by whoever
may run it (see `COUNTS_EVERYONE`)."""
CHANGES_OTHERS = frozenset({"profile set"})
"""Commands with which a moderator changes someone else's member record."""
COUNTS_EVERYONE = frozenset({"round run"})
"""Commands that keep a count on the record of everyone they concern: a round ends the last one,
and each member's run of rounds without a word about meeting (bot.buddies.quiet) moves on."""

INTERESTING = (
    *("@ada", "@ben", "@maya", "@morgan", "@chloe", "@nobody", "@Ada", "@a.b-c_d"),
    *("<@ada>", "<@U1>", "<@!123>", "<@U1|ada>", "<@ben|Ben>", "<@>", "<@@ada>"),
    *("@everyone", "@here", "@channel", "@EVERYONE", "<!channel>", "<!here>", "<!everyone>"),
    *("<!subteam^S1>", "<@&42>", "<#C1>", "<#C1|general>", "@\u200beveryone", "＠everyone"),
    *("|", "||", " | ", "#", "#patience", "#kindness", "#nope", "##", "#algebra", "#Patience"),
    *("algebra", "chess", "ALGEBRA", "confirm", "export", "cancel", "as", "mentor", "mentee"),
    *("facilitator", "week", "month", "all", "2w", "3d", "off", "until", "on", "weekly"),
    *("2026-03-10", "2026-04-08", "2026-02-30", "9999-12-31", "0001-01-01", "2026-13-01"),
    *("0", "-1", "1", "3", "200", "201", "99999999999999999999", "1e9", "NaN", "٣", "²"),
    *("cadence", "day", "time", "group-size", "odd", "checkin-questions", "private", "channel"),
    *("role", "timezone", "stage", "subjects", "languages", "hours", "quiet-hours", "bio"),
    *("capacity", "public-kudos", "listed", "Europe/London", "Mars/Olympus", "../../etc"),
    *("mon-fri 16:00-19:00", "25:99", "21:00-08:00", "00:00-23:59", "sat 10:00-12:00"),
    *("🎉", "👩🏽‍🔬", "🏳️‍🌈", "\u202e", "\u200f", "\u200b", "\u2066", "\ufeff", "\x00", "\x1b[31m"),
    *("\n", "\r\n", "\t", "\u2028", "\u0085", "ＡＢＣ", "ß", "İ", "ǅ", "Ω", "\U0001d4b6"),
    *("/help", "/kudos", "'", '"', "\\", "%s", "{}", "{0}", "*bold*", "`code`", "<b>", "&amp;"),
)
word = st.one_of(
    st.sampled_from(INTERESTING),
    st.text(max_size=20),
    st.from_regex(r"[0-9:-]{1,12}", fullmatch=True),
)
separator = st.sampled_from([" ", " ", " ", "  ", "\t", "\n", " | ", ""])
words = st.lists(st.tuples(word, separator), max_size=8).map(
    lambda pairs: "".join(w + s for w, s in pairs)
)
long_text = st.builds(
    lambda piece, times: (piece + " ") * times,
    st.sampled_from([*INTERESTING, "x", "word"]),
    st.integers(min_value=50, max_value=3000),
)
ARGUMENTS = st.one_of(st.text(), words, words, words, long_text)
"""What follows the command's name: anything, and often words that nearly make sense. Every
command is also given, always, nothing, `confirm`, a circle's name, a member with a reason, and
answers, each with mass pings where they would be shown to others (the explicit examples)."""


@dataclass(repr=False)
class Bench:
    """One app on a work copy of the seeded programme, put back before every example."""

    runner: asyncio.Runner
    template: Path
    work: Path
    app: App
    clock: ManualClock
    messenger: RecordingMessenger
    seeded: Tables

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text("Bench(the seeded programme)")

    def reset(self) -> None:
        restore(self.template, self.work)
        self.clock.current = SEEDED_AT
        self.messenger.sent.clear()


async def _seed(path: Path) -> None:
    clock = ManualClock(START)
    app = await open_app(path, clock, RecordingMessenger())
    try:
        for lines in (PROGRAMME, AFTER_THE_ROUND):
            for name, line in lines:
                reply = await app.bus.handle_text(line, actor(WORKSPACE, name))
                assert reply.ok, f"seeding failed at {line!r}: {reply.text}"
            clock.current = SEEDED_AT
            await app.due.run_due()
    finally:
        await app.close()


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    folder = tmp_path_factory.mktemp("parsing")
    template, work = folder / "programme.db", folder / "work.db"
    with asyncio.Runner() as runner:
        runner.run(_seed(template))
        copy_database(template, work)
        clock, messenger = ManualClock(SEEDED_AT), RecordingMessenger()
        app = runner.run(open_app(work, clock, messenger))
        seeded = read_tables(template)
        assert all(seeded[t] for t in MAY_CHANGE["privacy delete"]), "the seed misses a table"
        try:
            yield Bench(runner, template, work, app, clock, messenger, seeded)
        finally:
            runner.run(app.close())


def test_every_command_says_what_it_may_change(bench: Bench) -> None:
    assert set(MAY_CHANGE) == set(CATALOG.by_path)
    unknown = {t for allowed in MAY_CHANGE.values() for t in allowed} - set(bench.seeded)
    assert not unknown


@pytest.mark.parametrize("role", ["member", "moderator"])
@pytest.mark.parametrize("spec", CATALOG.specs, ids=[s.path for s in CATALOG])
@settings(
    max_examples=examples(12),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@example(arguments="", member="Ada", shouting=False)
@example(arguments="confirm", member="Ada", shouting=False)
@example(arguments="algebra", member="Maya", shouting=False)
@example(
    arguments="@ben Explained fractions so clearly @everyone #patience",
    member="Ada",
    shouting=False,
)
@example(arguments="<!channel> fine | met twice | <!here>", member="Ada", shouting=False)
@given(
    arguments=ARGUMENTS,
    member=st.sampled_from(MEMBERS),
    shouting=st.booleans(),
)
def test_any_text_after_a_command_gets_a_reply_and_changes_only_its_own_tables(
    bench: Bench, spec: CommandSpec, role: str, arguments: str, member: str, shouting: bool
) -> None:
    if module := pending_feature(spec.path):
        pytest.skip(f"/{spec.path} has no handler until {module} exists")
    name = MODERATOR if role == "moderator" else member
    line = f"/{spec.path.upper() if shouting else spec.path} {arguments}"
    bench.reset()
    with logged_errors() as errors:
        reply = bench.runner.run(bench.app.bus.handle_text(line, actor(WORKSPACE, name)))
    after = read_tables(bench.work)
    assert not errors, describe_errors(errors)
    assert isinstance(reply, Reply)
    assert reply.text.strip()
    assert not is_apology(reply.text)
    assert not MASS_PING.search(reply.text), reply.text
    changed = _changes(bench.seeded, after)
    for table, (inserted, updated, _) in changed.items():
        if table == "outbox":
            queued = [after[table][key]["text"] for key in inserted | updated]
            assert not [t for t in queued if MASS_PING.search(t)], queued
    allowed = MAY_CHANGE[spec.path]
    refused = {
        f"{table}{op}{sorted(keys)}"
        for table, by_op in changed.items()
        for op, keys in zip((INSERT, UPDATE, DELETE), by_op, strict=True)
        if keys and op not in allowed.get(table, "")
    }
    assert not refused, f"/{spec.path} changed {refused}; it may change {allowed}"
    if (
        not (role == "moderator" and spec.path in CHANGES_OTHERS)
        and spec.path not in COUNTS_EVERYONE
    ):
        _check_members(bench.seeded, after, name.lower())


Keys = set[tuple[object, ...]]


def _changes(before: Tables, after: Tables) -> dict[str, tuple[Keys, Keys, Keys]]:
    """Per table that changed: the primary keys inserted, updated and deleted."""
    changes = {}
    for table, rows in after.items():
        old = before.get(table, {})
        inserted = set(rows) - set(old)
        deleted = set(old) - set(rows)
        updated = {key for key in set(rows) & set(old) if rows[key] != old[key]}
        if inserted or updated or deleted:
            changes[table] = (inserted, updated, deleted)
    return changes


def _check_members(before: Tables, after: Tables, user_id: str) -> None:
    """Nobody's record but the actor's own changes, and nobody new appears."""
    old, new = before["members"], after["members"]
    others = {key for key, row in old.items() if row["user_id"] != user_id}
    touched = {key for key in others if new.get(key) != old[key]}
    assert not touched, f"changed the records of others: {[old[k]['user_id'] for k in touched]}"
    added = [new[key]["user_id"] for key in set(new) - set(old)]
    assert not added, f"added members: {added}"
