"""A console session: lines in, replies and deliveries out.

`/as <name> [moderator]`, `/advance <duration>` and `/quit` are the console's own; every other
line goes to the core. After each line, whatever the core queued is delivered at once, so the
`[DM to ...]` lines appear right under the reply that caused them. Files that come with a reply
are saved under `[console] files_dir`, and a line under the reply says where (see
adapters.console.files).
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import TextIO

from adapters.bootstrap import App
from adapters.clock import OffsetClock
from adapters.console.files import save_files
from adapters.console.forms import FormInProgress
from adapters.console.moments import USAGE as ADVANCE_USAGE
from adapters.console.moments import MomentError, moment_after
from adapters.console.people import actor
from adapters.console.render import reply_text
from bot.kernel.durations import DurationError, parse_duration
from bot.kernel.model import Actor
from bot.kernel.replies import Reply

ADVANCE_STEP = timedelta(hours=1)
"""/advance runs what falls due hour by hour: enough for a demo, quick enough to wait for."""
MAX_ADVANCE = timedelta(days=31)
_NAME = re.compile(r"^@?([A-Za-z0-9_.-]{1,40})$")

CONSOLE_HELP = """\
In the console you can also type:
/as <name> [moderator]: act as that person from now on (created on first use)
/advance <duration>: move the clock forward (e.g. 3h, 7d) and run everything that falls due
/advance until <day> [HH:MM]: move it to the next such moment (UTC), e.g. /advance until mon 09:00
/quit: leave"""


def _console_help(topic: str) -> str | None:
    """`/help as`, `/help advance`, `/help quit`: the console's own commands, which the core
    does not know; None for any other topic."""
    word = topic.strip().lower().lstrip("/")
    word = "quit" if word == "exit" else word
    lines = [line for line in CONSOLE_HELP.splitlines() if line.startswith(f"/{word} ")]
    lines += [line for line in CONSOLE_HELP.splitlines() if line.startswith(f"/{word}:")]
    return "\n".join(lines) if word and lines else None


class ConsoleSession:
    def __init__(
        self,
        app: App,
        clock: OffsetClock,
        out: TextIO,
        workspace_id: str,
        me: Actor,
        moderators: set[str],
        files_dir: str,
    ) -> None:
        self._app = app
        self._clock = clock
        self._out = out
        self._workspace_id = workspace_id
        self._moderators = {name.lower() for name in moderators}
        self._files_dir = files_dir
        self.me = me
        self._form: FormInProgress | None = None

    def say(self, text: str) -> None:
        self._out.write(text.rstrip("\n") + "\n")
        self._out.flush()

    async def handle_line(self, line: str) -> bool:
        """Run one line; False once the session should end."""
        line = line.strip()
        if self._form is not None:
            if not line.startswith("/"):
                await self._fill_form(line)
                return True
            left, self._form = self._form.form.short_title, None
            self.say(f"(The {left.lower()} form was left; nothing was saved.)")
            if line.lower() == "/cancel":
                return True
        if not line or line.startswith("#"):
            return True
        word, _, rest = line.partition(" ")
        match word.lower():
            case "/quit" | "/exit":
                return False
            case "/as":
                await self._switch(rest)
            case "/advance":
                await self._advance(rest)
            case "/help" if (own := _console_help(rest)) is not None:
                self.say(own)
            case _:
                reply = await self._app.bus.handle_text(line, self.me)
                self._show(reply)
                if word.lower() == "/help" and not rest.strip():
                    self.say(CONSOLE_HELP)
                await self._app.due.deliver()
                if reply.form is not None and reply.form.at_once:
                    self._form = FormInProgress(reply.form, self.me)
                    self.say("Answer here, one line each; /cancel stops.")
                    self.say(self._form.question())
        return True

    async def _fill_form(self, line: str) -> None:
        assert self._form is not None
        problem = self._form.take(line)
        if problem:
            self.say(problem)
        if not self._form.done:
            self.say(self._form.question())
            return
        command, self._form = self._form.command(), None
        self._show(await self._app.bus.handle(command))
        await self._app.due.deliver()

    def _show(self, reply: Reply) -> None:
        """The reply's text (drawn by adapters.console.render), then a line for each file that
        came with it, saved on disk."""
        self.say(reply_text(reply))
        for line in save_files(
            reply.files, self._files_dir, self._workspace_id, self.me.ref.user_id
        ):
            self.say(line)

    async def _switch(self, rest: str) -> None:
        words = rest.split()
        match = _NAME.match(words[0]) if words else None
        if not match or len(words) > 2 or (len(words) == 2 and words[1].lower() != "moderator"):
            self.say("Usage: /as <name> [moderator]   e.g. /as ada, or /as morgan moderator")
            return
        name = match.group(1)
        name = name.capitalize() if name.islower() else name
        if len(words) == 2:
            self._moderators.add(name.lower())
        moderator = name.lower() in self._moderators
        self.me = actor(self._workspace_id, name, moderator)
        await self._app.bus.meet(self.me)
        self.say(f"You are now {name}" + (" (moderator)." if moderator else "."))

    async def _advance(self, rest: str) -> None:
        try:
            total = self._advance_by(rest)
        except (DurationError, MomentError) as e:
            self.say(str(e) if ADVANCE_USAGE in str(e) else f"{e}\n{ADVANCE_USAGE}")
            return
        if total > MAX_ADVANCE:
            self.say(f"At most {MAX_ADVANCE.days}d at a time, so that every step can run.")
            return
        remaining = total
        while remaining > timedelta():
            step = min(ADVANCE_STEP, remaining)
            self._clock.advance(step)
            remaining -= step
            await self._app.due.run_due()
        self.say(f"The clock is now {self._clock.now():%a %Y-%m-%d %H:%M} UTC.")

    def _advance_by(self, rest: str) -> timedelta:
        """How far `/advance <rest>` moves the clock: a duration, or `until` a moment."""
        word, _, moment = rest.strip().partition(" ")
        if word.lower() != "until":
            return parse_duration(rest)
        now = self._clock.now()
        return moment_after(moment, now) - now

    @property
    def prompt(self) -> str:
        return "  > " if self._form else f"{self.me.display_name}> "

    async def run(self, lines: AsyncIterator[str], *, echo: bool = False) -> None:
        """Run lines until they end or /quit; `echo` repeats each line after the prompt, so a
        piped session reads like a transcript."""
        async for line in lines:
            if echo and line.strip():
                self.say(self.prompt + line.strip())
            if not await self.handle_line(line):
                break


async def stdin_lines(session: ConsoleSession) -> AsyncIterator[str]:
    """Lines from standard input without blocking the event loop; a prompt only on a terminal."""
    interactive = sys.stdin.isatty()
    if interactive:
        import readline  # noqa: F401  (line editing and history for input())
    while True:
        try:
            if interactive:
                line = await asyncio.to_thread(input, session.prompt)
            else:
                line = await asyncio.to_thread(sys.stdin.readline)
                if not line:
                    return
        except EOFError:
            return
        yield line
