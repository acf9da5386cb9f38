"""The journey a student takes, written once as console lines, and how it is run on a platform's
`Stage`: each step is typed, pressed or waited for there, and what comes back is written down as
the person reads it (`Seen`).

Rules:
- time is the tests' pinned START, moved only by the journey's own "later" steps (`moved_on`);
- the outbox sends one message at a time (`ONE_AT_A_TIME`), so messages are shown in the order
  the bot queued them, the same on every run;
- what a step does not show (a moderator setting up a circle) is run quietly, and its replies
  and messages are left out;
- lines are wrapped at WIDTH, and a long reply is cut to its first lines where the step says so.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from tests.support.discord_harness import DiscordHarness
from tests.support.settings import START
from tests.support.slack_harness import SlackHarness

WIDTH = 100
ONE_AT_A_TIME = {"concurrency": 1}
"""The outbox's settings for the capture: one send at a time, in the order the bot queued them."""


# The journey, as console lines; {name} is that person, mentioned as the platform sends it.


@dataclass(frozen=True)
class Types:
    who: str
    line: str
    first_lines: int | None = None
    """Show only this many lines of the reply (the help lists every command)."""


@dataclass(frozen=True)
class Quietly:
    """Something that sets the scene, not shown."""

    who: str
    line: str


@dataclass(frozen=True)
class Later:
    after: timedelta
    what: str


@dataclass(frozen=True)
class Presses:
    who: str
    label: str


Step = Types | Quietly | Later | Presses

STUDENTS = ("ada", "ben", "maya", "rory")
"""The people whose DMs the journey shows (ines is a moderator)."""

JOURNEY: tuple[Step, ...] = (
    Types("ada", "/help", first_lines=4),
    Types("ada", "/profile set subjects algebra"),
    Types("ada", "/findbuddy algebra"),
    Types("ben", "/findbuddy algebra"),
    Types("ines", "/kudos {ada} thanks for explaining fractions so clearly"),
    Later(timedelta(days=3), "Three days later"),
    Presses("ada", "We met"),
    Quietly("ines", "/circle create mentoring"),
    Quietly("ines", "/circle set mentoring cadence weekly"),
    Quietly("ines", "/circle set mentoring day fri"),
    Quietly("ines", "/circle set mentoring time 10:30"),
    Quietly("maya", "/profile set role mentor"),
    Quietly("maya", "/circle join mentoring as mentor"),
    Later(
        timedelta(hours=1), "An hour later, the check-in of maya's weekly mentoring circle opens"
    ),
)


@dataclass(frozen=True)
class Seen:
    """One thing someone sees: where (`only ada sees this`, `DM to ben`), its text as drawn and
    its buttons."""

    where: str
    text: str
    buttons: tuple[str, ...] = ()

    def lines(self, first_lines: int | None = None) -> list[str]:
        text = self.text.split("\n")
        if first_lines is not None and len(text) > first_lines:
            text = [*text[:first_lines], "… (cut here for this page)"]
        wrapped = [
            piece
            for line in text
            for piece in textwrap.wrap(
                line,
                WIDTH,
                initial_indent="    ",
                subsequent_indent="    ",
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [""]
        ]
        shown = [f"  {self.where}:", *wrapped]
        if self.buttons:
            shown.append("    " + " ".join(f"[{label}]" for label in self.buttons))
        return shown


class Stage(Protocol):
    """A platform's adapter against its fake, as the journey drives it."""

    def mention(self, who: str) -> str: ...

    def typed(self, line: str) -> str:
        """The line as a person types it on this platform, drawn as they see it."""
        ...

    async def type(self, who: str, line: str) -> Seen: ...

    async def later(self, after: timedelta) -> datetime:
        """Move time on and run what fell due; the time now."""
        ...

    async def press(self, who: str, label: str) -> Seen: ...

    def messages(self) -> list[Seen]:
        """What the bot sent since the last call, in order."""
        ...


async def screen(stage: Stage) -> str:
    """The journey on `stage`, as lines to read."""
    out = [f"({_when(START)})"]
    stage.messages()
    for step in JOURNEY:
        if isinstance(step, Quietly):
            await stage.type(step.who, _with_people(step.line, stage))
            stage.messages()
            continue
        out.append("")
        if isinstance(step, Types):
            line = _with_people(step.line, stage)
            out.append(f"{step.who} types {stage.typed(line)}")
            out += (await stage.type(step.who, line)).lines(step.first_lines)
        elif isinstance(step, Later):
            now = await stage.later(step.after)
            out.append(f"({_when(now)}) {step.what}")
        else:
            out.append(f"{step.who} presses [{step.label}]")
            out += (await stage.press(step.who, step.label)).lines()
        out += [line for seen in stage.messages() if _a_student_sees(seen) for line in seen.lines()]
    return "\n".join(out) + "\n"


def _a_student_sees(seen: Seen) -> bool:
    """Messages in channels and DMs to the students the journey follows; not the moderators'
    DMs (what a moderator is told is in docs/commands.md and docs/safeguarding.md)."""
    return not seen.where.startswith("DM to ") or seen.where.removeprefix("DM to ") in STUDENTS


def _with_people(line: str, stage: Stage) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: stage.mention(m.group(1)), line)


async def moved_on(harness: SlackHarness | DiscordHarness, after: timedelta) -> datetime:
    """Move the harness's clock on, run what fell due and settle; the time now."""
    harness.clock.advance(after)
    await harness.app.due.run_due()
    await harness.settle()
    return harness.clock.now()


def _when(now: datetime) -> str:
    return f"{now:%a} {now.day} {now:%b}, {now:%H:%M} UTC"
