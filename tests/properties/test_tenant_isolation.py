"""Tenant isolation: random command sequences in two workspaces of one platform, w1 and w2, that
share the same user ids and circle names (the hardest case), never read or write across them.

One sequence of steps (commands of the whole catalog by random people of either workspace, the
clock moving on, the scheduler's ticks), followed by fixed closing probes, is played three
times, each on its own database seeded alike (each workspace seeded as in the others):

- together: w1's and w2's commands interleaved, as drawn;
- w1 alone: only w1's commands (and every clock move and tick);
- w2 alone: only w2's commands (and every clock move and tick).

The properties, checked on those runs:

1. Nothing crosses, as the oracle sees it: each workspace's rows after playing together are
   exactly its rows after playing alone, table by table, compared by content with row ids
   replaced by what they stand for (a member by its user id, a circle by its name, a pairing by
   its people and time...); and every reply its members got together is the reply they got
   alone. A write into the other workspace, a decision taken on its rows (a blackout, a waiting
   request, a moderator), or a read of them (a listing, a count, a lookup by name or number)
   shows up as a difference.
2. Nothing refers across: no row refers to a row of the other workspace (a membership of w1's
   member in w2's circle, a kudos of w2 revoked by w1's moderator, a pairing of people of both),
   no DM is queued in one workspace to someone of the other, and no workspace gains a member who
   was never one of its people.
3. Nothing leaks into what people see: w2's free text (topics, bios, reasons, answers, check-in
   questions), its own circles and its people's names all carry the marker W2ONLY (w1's carry
   W1ONLY), and no reply, file, queued or delivered message of one workspace holds the other's
   marker, except words its member typed in that very command (a refusal may quote them).
4. Nothing fails: no reply is the apology for an exception, and nothing is logged as an error.

Asking for a lookup to cross is cheap (a name or a number of the other workspace); seeing that it
did needs something there to find, so each workspace is seeded with what only it has, and the
closing probes look for it. Some things cannot be told apart from outside and are not checked:
a query that also returns the other workspace's rows but only ever matches them against this
workspace's row ids (which are unique across workspaces) changes nothing anyone sees.

The matching seeds each round by its circle's row id, which differs between a run together and a
run alone for no reason to do with tenants; here rounds are seeded by the date alone, so the same
circle is paired the same way in every run.
"""

from __future__ import annotations

import asyncio
import json
import re
import types
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bot.buddies.rounds
from adapters.bootstrap import App
from adapters.clock import ManualClock
from bot.features import CATALOG
from bot.kernel.commands import Audience
from bot.kernel.model import Actor, MemberRef, OutboxEntry
from bot.kernel.ports import Delivery, Failed
from bot.kernel.replies import Reply
from bot.privacy.erasure import ERASED_ID_PREFIX
from tests.properties.conftest import (
    PLATFORM,
    References,
    Tables,
    copy_database,
    describe_errors,
    examples,
    foreign_keys,
    is_apology,
    logged_errors,
    open_app,
    pending_feature,
    read_tables,
    restore,
    select,
)
from tests.support.fakes import RecordingMessenger
from tests.support.settings import START

W1, W2 = "w1", "w2"
WORKSPACES = (W1, W2)
OTHER = {W1: W2, W2: W1}
MARK = {W1: "W1ONLY", W2: "W2ONLY"}

SHARED_PEOPLE = ("ada", "ben", "maya", "morgan", "sam")
OWN_PEOPLE = {W1: ("ivy-w1only", "kim-w1only"), W2: ("zoe-w2only", "otto-w2only")}
ADMINS = {W1: {"kim-w1only"}, W2: {"otto-w2only", "ben"}}
"""The platform's admins, moderators from their first command; Ben only in w2. Morgan
moderates every workspace by config."""
MENTORS = {"maya", "ivy-w1only", "zoe-w2only"}
SHARED_CIRCLES = ("algebra", "chess")
OWN_CIRCLES = {W1: ("poetry-w1only",), W2: ("robots-w2only",)}
CONFIGURED_MODERATORS = {"morgan"}

ALL_PEOPLE = (*SHARED_PEOPLE, *OWN_PEOPLE[W1], *OWN_PEOPLE[W2], "nobody")
ALL_CIRCLES = (*SHARED_CIRCLES, *OWN_CIRCLES[W1], *OWN_CIRCLES[W2], "nowhere")


def people(workspace: str) -> tuple[str, ...]:
    return (*SHARED_PEOPLE, *OWN_PEOPLE[workspace])


SAME_NAME = {"sam"}
"""Named alike in both workspaces: what is done by name (erasing names from the audit trail)
must not reach the other's Sam."""


def person(workspace: str, user_id: str) -> Actor:
    """Ada of w1 is "Ada (W1ONLY)", Ada of w2 "Ada (W2ONLY)": same user id, told apart by name;
    Sam is "Sam" in both."""
    name = user_id.split("-")[0].capitalize()
    if user_id not in SAME_NAME:
        name = f"{name} ({MARK[workspace]})"
    return Actor(MemberRef(PLATFORM, workspace, user_id), name, user_id in ADMINS[workspace])


def moderators(workspace: str) -> tuple[str, ...]:
    """Who may run moderators' commands, and Maya, who facilitates algebra."""
    return ("morgan", *sorted(ADMINS[workspace]), "maya")


SEEDED_ONLY_IN = {
    W1: [("ivy-w1only", "/findbuddy physics"), ("kim-w1only", "/blackout add 2026-03-23")],
    W2: [("zoe-w2only", "/findbuddy biology"), ("otto-w2only", "/blackout add 2026-03-25")],
}
"""What only one workspace has, for the other's closing probes to find if a query crossed."""


def seed(workspace: str) -> list[tuple[str, str]]:
    """Profiles for everyone; algebra (Maya facilitates; its first round and check-in fall on
    Wednesday at nine) and the workspace's own circle; Ada and Ben paired on demand, Maya
    waiting for a buddy; two kudos; a blackout and a buddy request of its own."""
    mark = MARK[workspace]
    lines = []
    for user_id in people(workspace):
        role = "mentor" if user_id in MENTORS else "student"
        lines += [
            (user_id, f"/profile set role {role}"),
            (user_id, "/profile set subjects algebra, chess"),
            (user_id, f"/profile set bio {mark} bio of {user_id}"),
        ]
    own = OWN_CIRCLES[workspace][0]
    lines += [
        ("morgan", f"/circle create algebra {mark} algebra for years 9-10"),
        ("morgan", "/circle set algebra channel #algebra"),
        ("morgan", f"/circle create {own} {mark} a circle of this workspace only"),
        ("ada", "/circle join algebra"),
        ("ben", "/circle join algebra"),
        ("maya", "/circle join algebra as mentor"),
        ("morgan", "/circle add @maya algebra as facilitator"),
        ("morgan", "/circle add @sam algebra"),
        # Ben moderates w2 as a student: marked not an adult and in the buddy pool, so that he
        # is paired there as in w1 (moderators are left out of pairing until they opt in).
        *(
            ("ben", line)
            for line in ("/profile set adult off", "/profile set buddy-pool on")
            if "ben" in ADMINS[workspace]
        ),
        *((user_id, f"/circle join {own}") for user_id in OWN_PEOPLE[workspace]),
        *(("morgan", f"/circle set algebra {s}") for s in ("cadence weekly", "day wed")),
        ("morgan", "/circle set algebra checkin-audience everyone"),
        ("ada", "/findbuddy algebra"),
        ("ben", "/findbuddy algebra"),
        ("maya", "/findbuddy chess"),
        ("morgan", f"/kudos @ada {mark} great help with proofs #patience"),
        ("maya", f"/kudos @ben {mark} explained fractions clearly"),
        *SEEDED_ONLY_IN[workspace],
    ]
    return lines


REFUSED = {(W2, "dm", "ben"), (W1, "dm", "ivy-w1only"), (W2, "channel", "#general")}
"""DMs closed and a channel the bot is not in, each in one workspace only (Ben's DMs are open
in w1): who is marked unreachable, and which moderators hear of it, must stay in that one."""


@dataclass
class Platform(RecordingMessenger):
    """The console, refusing for good what `REFUSED` names."""

    async def send(self, entry: OutboxEntry) -> Delivery:
        where = entry.destination
        if (where.workspace.workspace_id, where.kind, where.target) in REFUSED:
            return Failed("the platform refused it (closed DMs, or not in the channel)")
        return await super().send(entry)


# Steps -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Say:
    workspace: str
    user_id: str
    line: str

    def __repr__(self) -> str:
        return f"Say({self.workspace}, {self.user_id}, {self.line!r})"


@dataclass(frozen=True)
class Advance:
    hours: int


@dataclass(frozen=True)
class Tick:
    pass


Step = Say | Advance | Tick
KUDOS_REF = re.compile(r"KUDOS:(own|other):(\d+|last)")
"""In a drawn line, the k-th (or the latest) kudos of the speaker's or the other workspace, to
be typed as its number."""
NO_SUCH_KUDOS = 900_000
"""Plus k: the number typed for a k-th kudos that does not exist (yet)."""

PHRASES = (
    "thanks for the help with proofs",
    "explained fractions clearly",
    "worried about the exams",
    "it went well this week",
    "we met on Tuesday",
    "nothing to report",
)


def free(workspace: str) -> st.SearchStrategy[str]:
    """Free text of this workspace, carrying its marker."""
    return st.sampled_from(PHRASES).map(lambda phrase: f"{MARK[workspace]} {phrase}")


def mostly(own: tuple[str, ...], anything: tuple[str, ...]) -> st.SearchStrategy[str]:
    """One of `own` three times in four, else one of `anything` (of either workspace or none)."""
    return st.sampled_from((*own, *own, *own, *anything))


def maybe(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), strategy.map(lambda s: f" {s}"))


def line(template: str, **parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.fixed_dictionaries(parts).map(lambda drawn: template.format(**drawn))


CIRCLE_SETTINGS = (
    *("cadence weekly", "cadence biweekly", "cadence off", "day tue", "day wed", "time 11:00"),
    *("time 09:00", "group-size 3", "odd sit-out", "odd trio", "checkin-audience everyone"),
    *("checkin-audience mentors", "channel #general", "channel #algebra", "private on"),
    "private off",
)
PROFILE_SETTINGS = (
    *("role student", "role mentor", "timezone Asia/Tokyo", "timezone Europe/London"),
    *("subjects algebra, physics", "hours mon-fri 16:00-19:00", "quiet-hours 22:00-07:00"),
    *("capacity 2", "public-kudos off", "public-kudos on", "listed off", "listed on"),
    *("stage 10", "languages english, french"),
)
DATES = ("2026-03-04", "2026-03-05 2026-03-06", "2026-03-10", "2026-03-20")


WORKSPACE_SETTINGS = (
    "timezone Asia/Tokyo",
    "timezone America/Chicago",
    "kudos everyone",
    "kudos moderators",
    "kudos_allowance 1",
    "retention_days 30",
    "retention_days 3650",
    "mentors self-service",
    "mentors appointed",
)
"""Each setting a workspace's moderators may choose, with values that change what members see
(the time zone of dates, who may give kudos and how many, what is purged, who becomes a
mentor): a choice that crossed would show in the other workspace's replies and rows."""


def lines_for(workspace: str) -> dict[str, st.SearchStrategy[str]]:
    """For every command of the catalog, realistic lines typed in this workspace: its own free
    text, but names of circles and people of both workspaces (and of nobody)."""
    text = free(workspace)
    own_circles = st.sampled_from((*SHARED_CIRCLES, *OWN_CIRCLES[workspace]))
    circle = mostly((*SHARED_CIRCLES, *OWN_CIRCLES[workspace]), ALL_CIRCLES)
    person = mostly(people(workspace), ALL_PEOPLE).map(lambda user_id: f"@{user_id}")
    roles = maybe(st.sampled_from(["as mentor", "as mentee"]))
    answers = line("{a} | {b}", a=text, b=text)
    kudos_ref = line(
        "KUDOS:{which}:{k}", which=st.sampled_from(["other", "own"]), k=st.sampled_from("123")
    )
    return {
        "help": st.sampled_from(["/help", "/help kudos", "/help circle join"]),
        "profile": st.just("/profile"),
        "profile set": st.one_of(
            st.sampled_from(PROFILE_SETTINGS).map(lambda s: f"/profile set {s}"),
            text.map(lambda t: f"/profile set bio {t}"),
        ),
        "circle list": st.just("/circle list"),
        "circle mine": st.just("/circle mine"),
        "circle info": line("/circle info {c}", c=circle),
        "circle join": line("/circle join {c}{r}", c=circle, r=roles),
        "circle leave": line("/circle leave {c}", c=circle),
        "circle create": line("/circle create {c} {t}", c=own_circles, t=text),
        "circle add": line(
            "/circle add {p} {c}{r}",
            p=person,
            c=circle,
            r=maybe(st.sampled_from(["as mentor", "as mentee", "as facilitator"])),
        ),
        "circle remove": line("/circle remove {p} {c}", p=person, c=circle),
        "circle archive": line("/circle archive {c}", c=circle),
        "circle set": st.one_of(
            line("/circle set {c} {s}", c=circle, s=st.sampled_from(CIRCLE_SETTINGS)),
            line("/circle set {c} checkin-questions {a}", c=circle, a=answers),
        ),
        "findbuddy": st.sampled_from(["/findbuddy", "/findbuddy algebra", "/findbuddy chess"]),
        "findbuddy cancel": st.just("/findbuddy cancel"),
        "buddy": st.just("/buddy"),
        "buddy met": line("/buddy met {p}", p=person),
        "buddy notyet": line("/buddy notyet {p}", p=person),
        "buddy couldnt": line("/buddy couldnt {p}", p=person),
        "buddy end": line("/buddy end {p}{t}", p=person, t=maybe(text)),
        "buddy reflect": line("/buddy reflect {t}", t=text),
        "buddy keep": line("/buddy keep {p}", p=person),
        "buddy letgo": line("/buddy letgo {p}", p=person),
        "pause": st.sampled_from(
            ["/pause 2w", "/pause 3d", "/pause off", "/pause until 2026-03-20"]
        ),
        "block": line("/block {p}", p=person),
        "unblock": line("/unblock {p}", p=person),
        "round preview": line("/round preview {c}", c=circle),
        "round run": line("/round run {c}", c=circle),
        "checkin": line("/checkin{c}", c=maybe(circle)),
        "checkin answer": line("/checkin answer {a}", a=answers),
        "checkin concern": line("/checkin concern {a}", a=answers),
        "checkin skip": line("/checkin skip{t}", t=maybe(text)),
        "checkin stay": st.just("/checkin stay"),
        "checkin status": line("/checkin status {c}", c=circle),
        "checkin answers": line("/checkin answers {c}", c=circle),
        "kudos": line(
            "/kudos {p} {t}{v}",
            p=person,
            t=text,
            v=maybe(st.sampled_from(["#patience", "#kindness"])),
        ),
        "kudos wall": line("/kudos wall{c}", c=maybe(circle)),
        "kudos top": line("/kudos top{p}", p=maybe(st.sampled_from(["week", "month", "all"]))),
        "kudos revoke": line("/kudos revoke {k}{t}", k=kudos_ref, t=maybe(text)),
        "flag": text.map(lambda t: f"/flag {t}"),
        "privacy export": st.just("/privacy export"),
        "privacy delete": st.sampled_from(["/privacy delete", "/privacy delete confirm"]),
        "stats": line("/stats{c}", c=maybe(circle)),
        "stats export": line("/stats export{c}", c=maybe(circle)),
        "audit": st.sampled_from(["/audit", "/audit 5"]),
        "blackout add": st.sampled_from(DATES).map(lambda d: f"/blackout add {d}"),
        "blackout list": st.just("/blackout list"),
        "blackout remove": st.sampled_from(DATES).map(lambda d: f"/blackout remove {d[:10]}"),
        "goal add": line("/goal add {t}{d}", t=text, d=maybe(st.just("by 2026-03-20"))),
        "goal list": line("/goal list{p}", p=maybe(person)),
        "goal done": st.sampled_from(["/goal done 1", "/goal done 2", "/goal done g1"]),
        "goal progress": line("/goal progress 1 {t}", t=text),
        "goal drop": st.sampled_from(["/goal drop 1", "/goal drop g2"]),
        "goal share": st.sampled_from(["/goal share on", "/goal share off"]),
        "goal counts": line("/goal counts{c}", c=maybe(circle)),
        "feedback": line(
            "/feedback {n} {p}{t}", n=st.sampled_from(["1", "4", "7"]), p=person, t=maybe(text)
        ),
        "feedback mine": st.just("/feedback mine"),
        "guide": st.just("/guide"),
        "agreement": st.just("/agreement"),
        "agreement confirm": line("/agreement confirm{p}", p=maybe(person)),
        "settings": st.just("/settings"),
        "settings set": st.sampled_from(WORKSPACE_SETTINGS).map(lambda s: f"/settings set {s}"),
        "settings reset": st.sampled_from(
            ["timezone", "kudos", "kudos_allowance", "retention_days", "mentors"]
        ).map(lambda key: f"/settings reset {key}"),
        "settings appoint": line("/settings appoint {p}", p=person),
        "settings dismiss": line("/settings dismiss {p}", p=person),
    }


LINES = {workspace: lines_for(workspace) for workspace in WORKSPACES}


CLOSING_PROBES = {
    workspace: [
        Say(workspace, user_id, typed)
        for user_id, typed in (
            ("morgan", "/circle list"),
            ("morgan", "/kudos wall"),
            ("morgan", "/kudos top all"),
            ("morgan", "/blackout list"),
            ("morgan", "/audit 200"),
            ("morgan", "/settings"),
            ("ada", "/buddy met @ben"),
            ("morgan", "/stats export"),
            ("morgan", "/kudos revoke KUDOS:other:1 probing"),
            ("ada", "/privacy export"),
            (OWN_PEOPLE[workspace][1], f"/findbuddy {'biology' if workspace == W1 else 'physics'}"),
        )
    ]
    for workspace in WORKSPACES
}
"""After every sequence, in each workspace: what a moderator is shown of the whole workspace
(circles, kudos, counts, blackouts, the audit trail, its settings, stats with a meeting held),
what Ada's export holds, a kudos of the other workspace revoked by its number, and a buddy sought
for the subject only the other workspace's queue has (each would cross if a query forgot its
workspace)."""
ERASING_PROBES = [
    Say(W2, "morgan", f"/kudos @sam {MARK[W2]} for the closing probe"),
    Say(W2, "morgan", "/kudos revoke KUDOS:own:last"),
    Say(W1, "sam", "/privacy delete confirm"),
]
"""Then w2 queues a message for its Sam (not sent before the next tick), revokes that kudos
(an audit entry naming Sam), and w1's Sam erases their data: neither w2's message nor w2's
audit entry may lose Sam with it."""
PROBES = [*CLOSING_PROBES[W1], *CLOSING_PROBES[W2], *ERASING_PROBES]

PATHS = sorted(CATALOG.by_path)
SAY, ADVANCE, TICK = range(3)
HOURS = (1, 6, 24, 72, 170)


@st.composite
def sequences(draw: st.DrawFn) -> list[Step]:
    """1 to 30 steps, mostly commands. The commands go through the catalog in an order drawn
    for the sequence, so a sequence of twenty tries twenty different commands (left to itself,
    hypothesis favours the first of a list). Moderators' commands are mostly typed by someone
    who may run them, so that they do something."""
    length = draw(st.integers(min_value=1, max_value=30))
    order = draw(st.permutations(PATHS))
    steps: list[Step] = []
    for _ in range(length):
        kind = draw(st.sampled_from((SAY,) * 8 + (ADVANCE, TICK)))
        if kind == ADVANCE:
            steps.append(Advance(draw(st.sampled_from(HOURS))))
        elif kind == TICK:
            steps.append(Tick())
        else:
            path = order[sum(isinstance(step, Say) for step in steps) % len(order)]
            workspace = draw(st.sampled_from(WORKSPACES))
            speakers: st.SearchStrategy[str] = st.sampled_from(people(workspace))
            if CATALOG.by_path[path].audience is not Audience.EVERYONE:
                speakers = mostly(moderators(workspace), people(workspace))
            steps.append(Say(workspace, draw(speakers), draw(LINES[workspace][path])))
    return steps


def test_every_command_has_lines_in_both_workspaces() -> None:
    for workspace in WORKSPACES:
        assert set(LINES[workspace]) == set(CATALOG.by_path)


# Playing -----------------------------------------------------------------------------------


@dataclass
class Said:
    step: int
    say: Say
    typed: str
    reply: Reply
    shown: str
    """The reply's text with kudos numbers told as what they number, comparable across runs."""


@dataclass
class Run:
    said: list[Said] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def replies(self, workspace: str) -> list[tuple[int, str, str]]:
        """What the workspace's members were told, step by step (with the lines as drawn: the
        number typed for a kudos differs between runs, what it numbers does not)."""
        return [(s.step, s.say.line, s.shown) for s in self.said if s.say.workspace == workspace]


@dataclass
class Stage:
    """One app on a database put back to its seeded template before every example."""

    template: Path
    work: Path
    app: App
    clock: ManualClock
    messenger: Platform

    def reset(self) -> None:
        restore(self.template, self.work)
        self.clock.current = START
        self.messenger.sent.clear()

    async def play(self, steps: list[Step], only: str | None) -> Run:
        run = Run()
        with logged_errors() as errors:
            for number, step in enumerate(steps):
                if isinstance(step, Advance):
                    self.clock.advance(timedelta(hours=step.hours))
                elif isinstance(step, Tick):
                    await self.app.due.run_due()
                elif only in (None, step.workspace):
                    run.said.append(await self._say(number, step))
            await self.app.due.deliver()
            run.errors = [describe_errors(errors)] if errors else []
        return run

    async def _say(self, number: int, say: Say) -> Said:
        typed = KUDOS_REF.sub(lambda m: self._kudos_number(say.workspace, m), say.line)
        words = typed.lstrip("/").split()
        spec = CATALOG.find(words)
        assert spec is not None
        path = spec[0].path
        try:
            reply = await self.app.bus.handle_text(typed, person(say.workspace, say.user_id))
        except KeyError:
            if pending_feature(path) is None:
                raise
            reply = Reply.error(f"(/{path} has no handler yet)")
        shown = reply.text + "".join(
            f"\n[{file.name}]\n{file.content.decode()}"
            for file in reply.files
            if file.media_type.startswith("text/")
        )
        if path in ("kudos wall", "kudos revoke", "audit"):
            shown = self._kudos_told(say.workspace, shown)
        return Said(number, say, typed, reply, shown)

    def _kudos_ids(self) -> dict[int, tuple[str, int]]:
        """Each kudos id: its workspace and its place there (1 for the first)."""
        places: dict[str, int] = {}
        ids = {}
        for kudos_id, workspace in select(
            self.work, "SELECT id, workspace_id FROM kudos ORDER BY id"
        ):
            places[workspace] = places.get(workspace, 0) + 1
            ids[kudos_id] = (workspace, places[workspace])
        return ids

    def _kudos_number(self, workspace: str, ref: re.Match[str]) -> str:
        which = workspace if ref.group(1) == "own" else OTHER[workspace]
        theirs = {place: i for i, (owner, place) in self._kudos_ids().items() if owner == which}
        k = max(theirs, default=0) if ref.group(2) == "last" else int(ref.group(2))
        return str(theirs.get(k, NO_SUCH_KUDOS + k))

    def _kudos_told(self, workspace: str, text: str) -> str:
        ids = self._kudos_ids()

        def told(number: re.Match[str]) -> str:
            value = int(number.group(0))
            if value >= NO_SUCH_KUDOS:
                return f"<other kudos {value - NO_SUCH_KUDOS}>"
            if value not in ids:
                return number.group(0)
            owner, place = ids[value]
            return f"<{'own' if owner == workspace else 'other'} kudos {place}>"

        return KUDOS_NUMBER.sub(told, text)


KUDOS_NUMBER = re.compile(r"(?<=\[)\d+(?=\])|(?<=kudos )\d+|(?<=kudos number )\d+", re.I)


class World:
    """The three stages, on one event loop (a plain class: hypothesis prints it in one line)."""

    def __init__(self, runner: asyncio.Runner, together: Stage, alone: dict[str, Stage]) -> None:
        self.runner = runner
        self.together = together
        self.alone = alone

    def __repr__(self) -> str:
        return "World(together, w1 alone, w2 alone)"


async def _seeded(path: Path, workspaces: tuple[str, ...]) -> None:
    app = await open_app(path, ManualClock(START), Platform())
    try:
        for workspace in workspaces:
            for user_id, typed in seed(workspace):
                reply = await app.bus.handle_text(typed, person(workspace, user_id))
                assert reply.ok, f"seeding {workspace} failed at {typed!r}: {reply.text}"
        await app.due.run_due()
    finally:
        await app.close()


async def _stage(folder: Path, name: str, workspaces: tuple[str, ...]) -> Stage:
    template, work = folder / f"{name}.template.db", folder / f"{name}.db"
    await _seeded(template, workspaces)
    copy_database(template, work)
    clock, messenger = ManualClock(START), Platform()
    return Stage(template, work, await open_app(work, clock, messenger), clock, messenger)


def _seed_by_date(data: bytes) -> int:
    return zlib.crc32(data.split(b":", 1)[-1])


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("tenants")
    with pytest.MonkeyPatch.context() as patch, asyncio.Runner() as runner:
        patch.setattr(bot.buddies.rounds, "zlib", types.SimpleNamespace(crc32=_seed_by_date))
        together = runner.run(_stage(folder, "together", WORKSPACES))
        alone = {w: runner.run(_stage(folder, w, (w,))) for w in WORKSPACES}
        try:
            yield World(runner, together, alone)
        finally:
            for stage in (together, *alone.values()):
                runner.run(stage.app.close())


@settings(
    max_examples=examples(25),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(steps=sequences())
def test_no_read_or_write_crosses_between_workspaces(world: World, steps: list[Step]) -> None:
    for stage in (world.together, *world.alone.values()):
        stage.reset()
    played = [*steps, *PROBES]
    together = world.runner.run(world.together.play(played, None))
    alone = {w: world.runner.run(world.alone[w].play(played, w)) for w in WORKSPACES}

    for run in (together, *alone.values()):
        assert not run.errors, run.errors[0]
        apologies = [s.typed for s in run.said if is_apology(s.reply.text)]
        assert not apologies, f"answered with the apology: {apologies}"

    rows = read_tables(world.together.work)
    references = foreign_keys(world.together.work)
    crossed = crossings(rows, references)
    assert not crossed, crossed
    for workspace in WORKSPACES:
        leaks = [*leaks_in_replies(together, workspace), *leaks_in_messages(world, rows, workspace)]
        assert not leaks, f"{workspace} was shown the other workspace's data: {leaks}"

    view = tenant_view(rows, references)
    for workspace in WORKSPACES:
        alone_rows = read_tables(world.alone[workspace].work)
        assert_same_rows(workspace, view[workspace], tenant_view(alone_rows, references)[workspace])
        assert together.replies(workspace) == alone[workspace].replies(workspace)


# Checks ------------------------------------------------------------------------------------


class Owners:
    """Which workspace each row belongs to: its own columns say, or the rows it refers to."""

    def __init__(self, rows: Tables, references: References) -> None:
        self.rows = rows
        self.references = references

    def of_id(self, table: str, row_id: int) -> str | None:
        row = self.rows[table].get((row_id,))
        return None if row is None else self.of(table, row)

    def of(self, table: str, row: dict[str, Any]) -> str | None:
        if "workspace_id" in row:
            return str(row["workspace_id"])
        for column, target in self.references[table].items():
            if row[column] is not None:
                return self.of_id(target, row[column])
        return None


def crossings(rows: Tables, references: References) -> list[str]:
    """Rows that refer to a row of another workspace, members who are none of the workspace's
    people, DMs queued to someone who is not."""
    owners = Owners(rows, references)
    found = []
    for table, table_rows in rows.items():
        for key, row in table_rows.items():
            mine = owners.of(table, row)
            for column, target in references[table].items():
                if row[column] is not None and owners.of_id(target, row[column]) != mine:
                    found.append(f"{table} {key} of {mine}: {column} is of another workspace")
    for row in rows["members"].values():
        if not _erased(row["user_id"]) and row["user_id"] not in people(row["workspace_id"]):
            found.append(f"{row['user_id']} became a member of {row['workspace_id']}")
    for row in rows["outbox"].values():
        reachable = {*people(row["workspace_id"]), *CONFIGURED_MODERATORS}
        if row["kind"] == "dm" and row["target"] not in reachable:
            found.append(f"a DM in {row['workspace_id']} to {row['target']}: {row['text']!r}")
    return found


def _without_typed(text: str, typed: str, mark: str) -> str:
    """The text minus the words of `typed` that carry `mark` (a refusal may quote them)."""
    for word in sorted(typed.split(), key=len, reverse=True):
        if mark.lower() in word.lower():
            for form in (word, word.lstrip("@#")):
                text = re.sub(re.escape(form), "", text, flags=re.I)
    return text


def _carries(text: str, mark: str) -> bool:
    return mark.lower() in text.lower()


def leaks_in_replies(run: Run, workspace: str) -> list[str]:
    mark = MARK[OTHER[workspace]]
    found = []
    for said in run.said:
        if said.say.workspace != workspace:
            continue
        if _carries(_without_typed(said.reply.text, said.typed, mark), mark):
            found.append(f"{said.typed!r} was answered {said.reply.text!r}")
        for file in said.reply.files:
            if _carries(file.content.decode("utf-8", "replace"), mark):
                found.append(f"{said.typed!r} came with {file.name} holding {mark}")
    return found


def leaks_in_messages(world: World, rows: Tables, workspace: str) -> list[str]:
    mark = MARK[OTHER[workspace]]
    found = [
        f"queued for {row['target']}: {row['text']!r}"
        for row in rows["outbox"].values()
        if row["workspace_id"] == workspace
        and _carries(json.dumps([row["target"], row["text"], row["actions"]]), mark)
    ]
    found += [
        f"sent to {entry.destination.target}: {entry.text!r}"
        for entry in world.together.messenger.sent
        if entry.destination.workspace.workspace_id == workspace and _carries(entry.text, mark)
    ]
    return found


IGNORED_COLUMNS = {"id", "key", "dedupe_key"}
"""Row ids, and the outbox's and the kudos' idempotency keys, which are made of row ids."""
SHARED_ORDER = {"outbox": {"turn"}}
"""Places in a queue every workspace shares by design: a message's turn is counted alongside the
other workspaces' backlogs (storage.outbox.turns), so it differs with their traffic and says
nothing of their content."""
NUMBERED_TEXT = {"audit_entries": ("subject", "detail")}
"""Columns of text that may name rows by number (`kudos 12 to Ada`)."""


def tenant_view(rows: Tables, references: References) -> dict[str, dict[str, list[str]]]:
    """Per workspace, every table's rows with ids replaced by what they stand for, sorted."""
    owners = Owners(rows, references)
    seats: dict[int, list[str]] = {}
    for seat in rows["pairing_seats"].values():
        seats.setdefault(seat["pairing_id"], []).append(_member(rows, seat["member_id"]))
    tokens = {
        "members": _member_token,
        "circles": lambda r: ("circle", r["name_key"]),
        "pairing_rounds": lambda r: ("round", _circle(rows, r["circle_id"]), r["period"]),
        "checkins": lambda r: (
            "checkin",
            _circle(rows, r["circle_id"]),
            _member(rows, r["member_id"]),
            r["period"],
        ),
        "pairings": lambda r: (
            "pairing",
            r["kind"],
            r["circle_id"] and _circle(rows, r["circle_id"]),
            r["created_at"],
            tuple(sorted(seats.get(r["id"], []))),
        ),
    }

    def token(table: str, row_id: int) -> object:
        row = rows[table][(row_id,)]
        if table in tokens:
            return tokens[table](row)
        return ("row of", table, _place(rows, owners, table, row))

    view: dict[str, dict[str, list[str]]] = {w: {} for w in WORKSPACES}
    for table, table_rows in rows.items():
        for row in table_rows.values():
            owner = owners.of(table, row)
            if owner is None:
                continue
            shown = {}
            for column, value in row.items():
                if column in IGNORED_COLUMNS or column in SHARED_ORDER.get(table, ()):
                    continue
                if column in references[table] and value is not None:
                    value = token(references[table][column], value)
                elif column in NUMBERED_TEXT.get(table, ()) and isinstance(value, str):
                    value = re.sub(r"\d+", "#", value)
                elif table == "members" and column == "user_id" and _erased(value):
                    value = ERASED_ID_PREFIX
                elif table == "outbox" and column == "mentions" and value:
                    value = _mentions_by_member(rows, value)
                shown[column] = value
            view[owner].setdefault(table, []).append(repr(sorted(shown.items())))
    for tables in view.values():
        for table_rows in tables.values():
            table_rows.sort()
    return view


def _mentions_by_member(rows: Tables, mentions: str) -> str:
    """An outbox row's `mentions` ({member id: spans}) with each id replaced by its member."""
    spans = json.loads(mentions)
    return repr(sorted((_member(rows, int(key)), value) for key, value in spans.items()))


def _member(rows: Tables, member_id: int) -> str:
    return repr(_member_token(rows["members"][(member_id,)]))


def _member_token(row: dict[str, Any]) -> tuple[object, ...]:
    """A member by user id; an erased one (whose id is random) by when it joined and left."""
    if _erased(row["user_id"]):
        return ("former member", row["created_at"], row["erased_at"])
    return ("member", row["user_id"])


def _erased(user_id: str) -> bool:
    return user_id.startswith(ERASED_ID_PREFIX)


def _circle(rows: Tables, circle_id: int) -> str:
    return str(rows["circles"][(circle_id,)]["name_key"])


def _place(rows: Tables, owners: Owners, table: str, row: dict[str, Any]) -> int:
    """The row's place among its workspace's rows of the table, oldest first."""
    owner = owners.of(table, row)
    return sorted(k for k, r in rows[table].items() if owners.of(table, r) == owner).index(
        next(k for k, r in rows[table].items() if r is row)
    )


def assert_same_rows(
    workspace: str, together: dict[str, list[str]], alone: dict[str, list[str]]
) -> None:
    for table in sorted(set(together) | set(alone)):
        extra = sorted(set(together.get(table, [])) - set(alone.get(table, [])))
        missing = sorted(set(alone.get(table, [])) - set(together.get(table, [])))
        assert together.get(table) == alone.get(table), (
            f"{workspace}'s {table} differ when the other workspace is active too;\n"
            f"only together: {extra}\nonly alone: {missing}"
        )
