"""What the Slack app does with each request: slash commands, buttons, modal submissions and
App Home events, each handed to the core.

Rules:
- every request is acknowledged before any slow work (Slack allows 3 seconds); the core runs
  after the ack and its private reply follows through the request's response_url;
- a request that wants a form opens a "one moment" modal right after the ack, while its
  trigger_id is fresh (it lives about 3 seconds), and the form replaces it when the core has
  answered; when Slack no longer takes the trigger, the reply offers a button that opens it afresh;
- people a command mentions become known members first (Slack says who they are);
- a modal submission gets its answer in the modal itself: the core's message replaces the form,
  or the refused field shows the error; a core too slow for Slack's deadline gets the modal
  closed and the answer by DM;
- files that come with a reply follow it into the person's DM with the app (a reply through a
  response URL says so); a file Slack refused is told the way the reply went, or by DM;
- after anything a member does, queued messages go out and their App Home refreshes.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import EDIT_PROFILE, RUN_ACTION, fallback, reply_blocks, sections
from adapters.slack.files import send_files
from adapters.slack.forms import (
    form_view,
    loading_view,
    notice_view,
    read_form,
    submitted_title,
)
from adapters.slack.home import FIND_BUDDY, OPEN_CHECKIN, HomePublisher
from adapters.slack.people import SlackPeople
from bot.features import CATALOG
from bot.home.commands import ShowHome
from bot.kernel.commands import Command
from bot.kernel.forms import form_kinds, submitted_command
from bot.kernel.model import Action, Actor
from bot.kernel.ports import Clock, SeenEvents
from bot.kernel.replies import Reply
from bot.profile.commands import ShowProfile
from bot.runtime.bus import MessageBus

log = logging.getLogger(__name__)

UMBRELLA = "/circles"
"""Runs any command (`/circles kudos wall`), for workspaces where a name is taken by another
app; alone it shows the help."""
SUBMIT_BUDGET_SECONDS = 2.0
FILES_FOLLOW = "(The file comes in our DM.)"
SEVERAL_FILES_FOLLOW = "(The files come in our DM.)"
NOTHING_OPEN = "Nothing to answer right now: your next check-in comes as a DM."
OUT_OF_DATE = "This form is out of date; open your check-in again with /checkin."
_MENTIONS = re.compile(r"<@([UW][A-Z0-9]{2,20})(?:\|[^>]*)?>")
"""How long a modal submission waits for the core before closing the form (Slack allows 3 s)."""


def command_line(command: str, text: str) -> str:
    """The line the core parses for a slash command: `/kudos` + text, or `/circles <line>`."""
    if command == UMBRELLA:
        return "/" + (text.strip().lstrip("/") or "help")
    return f"{command} {text}".strip()


Listener = Callable[..., Awaitable[None]]


def tracked(listener: Listener) -> Listener:
    """Keep the listener's run in `in_flight` until it ends (Bolt runs it after the ack in a task
    of its own), so shutting down and tests can wait for the work after the ack."""

    @functools.wraps(listener)
    async def run(self: SlackListeners, *args: Any, **kwargs: Any) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.in_flight.add(task)
        try:
            await listener(self, *args, **kwargs)
        finally:
            self.in_flight.discard(task)

    return run


def _ids(body: dict[str, Any]) -> tuple[str, str]:
    """(workspace id, user id) of whoever sent an interaction: the workspace the app is in, not
    the user's home team (they differ for a guest from another organisation)."""
    user = body.get("user") or {}
    team = (body.get("team") or {}).get("id") or body.get("team_id") or user.get("team_id")
    return str(team), str(user.get("id") or body.get("user_id"))


def wants_form(line: str) -> bool:
    """True for a line whose answer is the check-in form (`/checkin`, `/checkin algebra`): a
    modal is opened at once, before the core answers, while Slack's trigger is fresh."""
    found = CATALOG.find(line.lstrip("/").split())
    return found is not None and found[0].path == "checkin"


async def _nothing() -> None:
    return None


@dataclass
class SlackListeners:
    bus: MessageBus
    people: SlackPeople
    home: HomePublisher
    seen: SeenEvents
    clock: Clock
    deliver_soon: Callable[[], None]
    after_ack: Callable[[], Awaitable[None]] = _nothing
    """Waited for right after every `ack()` that comes before the core (see ack_gate)."""
    in_flight: set[asyncio.Task[Any]] = field(default_factory=set)

    @property
    def busy(self) -> bool:
        return bool(self.in_flight)

    async def settle(self) -> None:
        """Wait until every request's work after its ack has ended."""
        while self.in_flight:
            await asyncio.wait(list(self.in_flight))

    def register(self, app: AsyncApp, command_names: list[str]) -> None:
        app.middleware(self.once_per_event)
        for name in command_names:
            app.command(name)(self.on_command)
        app.action(re.compile(rf"^{RUN_ACTION}:"))(self.on_button)
        app.action(EDIT_PROFILE)(self.on_edit_profile)
        app.action(OPEN_CHECKIN)(self.on_home_checkin)
        app.action(FIND_BUDDY)(self.on_home_findbuddy)
        for kind in form_kinds():
            app.view(kind)(self.on_form_submitted)
        app.event("app_home_opened")(self.on_home_opened)
        app.event("user_change")(self.on_user_change)

    async def once_per_event(
        self, body: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """An Events API delivery Slack retries has its effect once, across instances."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            key = f"slack:{body.get('team_id')}:{event_id}"
            if not await self.seen.first_sighting(key, self.clock.now()):
                return BoltResponse(status=200, body="")
        await next()
        return None

    @tracked
    async def on_command(
        self, ack: Any, command: dict[str, Any], respond: Any, client: AsyncWebClient
    ) -> None:
        await ack()
        await self.after_ack()
        line = command_line(command["command"], command.get("text", ""))
        window = await _form_window(client, command.get("trigger_id")) if wants_form(line) else None
        team, user = command["team_id"], command["user_id"]
        actor = await self._actor(team, user, command.get("user_name", ""), line)
        reply = await self.bus.handle_text(line, actor)
        self._changed(actor)
        if window is not None:
            await _show(client, window, _checkin_or_notice(reply))
            await _attach(client, actor, reply)
            return
        again = (Action("Open the form", line, "primary"),) if _opens_a_form(reply) else ()
        await _respond(respond, reply, more=again)
        await _attach(client, actor, reply, respond)

    @tracked
    async def on_button(
        self,
        ack: Any,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: Any,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        await self.after_ack()
        line = str(action.get("value", ""))
        window = await _form_window(client, body.get("trigger_id")) if wants_form(line) else None
        actor = await self._actor(*_ids(body), "", line)
        reply = await self.bus.handle_text(line, actor)
        self._changed(actor)
        if window is not None:
            await _show(client, window, _checkin_or_notice(reply))
            await _attach(client, actor, reply)
        elif _opens_a_form(reply):
            await _respond(respond, reply, more=(Action("Open the form", line, "primary"),))
            await _attach(client, actor, reply, respond)
        else:
            await self._answer(body, respond, client, actor, reply)
            await _attach(client, actor, reply, respond if body.get("response_url") else None)

    @tracked
    async def on_edit_profile(self, ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await self.after_ack()
        window = await _form_window(client, body.get("trigger_id"))
        actor = await self.people.actor(*_ids(body))
        reply = await self.bus.handle(ShowProfile(actor))
        if window is not None:
            form = reply.form
            await _show(client, window, form_view(form) if form else notice_view("", reply.text))

    @tracked
    async def on_home_checkin(self, ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await self.after_ack()
        window = await _form_window(client, body.get("trigger_id"))
        actor = await self.people.actor(*_ids(body))
        reply = await self.bus.handle(ShowHome(actor))
        checkin = reply.home.checkin if reply.home is not None else None
        if window is not None:
            view = form_view(checkin) if checkin else notice_view("Check-in", NOTHING_OPEN)
            await _show(client, window, view)
        self.home.touch(*_ids(body))

    @tracked
    async def on_home_findbuddy(
        self, ack: Any, body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        await self.after_ack()
        actor = await self.people.actor(*_ids(body))
        reply = await self.bus.handle_text("/findbuddy", actor)
        self._changed(actor)
        await _direct(client, actor, reply)
        await _attach(client, actor, reply)

    @tracked
    async def on_form_submitted(
        self, ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        title = submitted_title(view)
        try:
            submission = read_form(view)
        except (KeyError, TypeError, ValueError):
            await ack(response_action="update", view=notice_view(title, OUT_OF_DATE))
            return
        await self._submit(ack, client, body, lambda a: submitted_command(a, submission), title)

    @tracked
    async def on_home_opened(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tab", "home") == "home":
            await self.home.opened(str(body.get("team_id")), str(event["user"]))

    async def on_user_change(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        user = event.get("user") or {}
        self.people.forget(str(user.get("team_id") or body.get("team_id")), str(user.get("id")))

    async def _submit(
        self,
        ack: Any,
        client: AsyncWebClient,
        body: dict[str, Any],
        build: Callable[[Actor], Command],
        title: str,
    ) -> None:
        """Run a modal's command and answer in the modal, within Slack's deadline: looking up
        who sent it counts against the deadline too."""

        async def run() -> tuple[Actor, Reply]:
            actor = await self.people.actor(*_ids(body))
            return actor, await self.bus.handle(build(actor))

        running = asyncio.ensure_future(run())
        done, _ = await asyncio.wait({running}, timeout=SUBMIT_BUDGET_SECONDS)
        if not done:
            await ack()
            actor, reply = await running
            await _direct(client, actor, reply)
        else:
            actor, reply = running.result()
            if reply.invalid_field:
                await ack(response_action="errors", errors={reply.invalid_field: reply.text[:150]})
            else:
                await ack(response_action="update", view=notice_view(title, reply.text))
        self._changed(actor)
        await _attach(client, actor, reply)

    async def _actor(self, team_id: str, user_id: str, handle: str, line: str) -> Actor:
        """Who typed `line`; the people it mentions become known members first, so a mention
        of someone who never used the bot (to block them, to thank them) works."""
        for mentioned in set(_MENTIONS.findall(line)) - {user_id}:
            person = await self.people.actor(team_id, mentioned)
            if person.confirmed:
                await self.bus.meet(person)
        return await self.people.actor(team_id, user_id, handle)

    async def _answer(
        self,
        body: dict[str, Any],
        respond: Any,
        client: AsyncWebClient,
        actor: Actor,
        reply: Reply,
    ) -> None:
        """A button's reply: under a message, the message keeps its text and loses its buttons
        once answered; elsewhere (the App Home) the reply comes by DM."""
        message = body.get("message")
        if not body.get("response_url"):
            await _direct(client, actor, reply)
        elif reply.ok and message is not None:
            kept = [b for b in message.get("blocks") or [] if b.get("type") != "actions"]
            reply = _noting_files(reply)
            blocks = (kept or sections(message.get("text", ""))) + sections(
                f"✓ {reply.text}", private=True
            )
            await respond(
                replace_original=True, text=fallback(reply.text, private=True), blocks=blocks
            )
        else:
            await _respond(respond, reply)

    def _changed(self, actor: Actor) -> None:
        self.deliver_soon()
        self.home.touch(actor.ref.workspace_id, actor.ref.user_id)


async def _respond(respond: Any, reply: Reply, more: tuple[Action, ...] = ()) -> None:
    reply = _noting_files(reply)
    blocks = reply_blocks(reply, more=more)
    try:
        await respond(
            response_type="ephemeral", text=fallback(reply.text, private=True), blocks=blocks
        )
    except (SlackApiError, SlackClientError, OSError) as e:
        log.warning("could not answer through response_url: %s", e)


async def _form_window(client: AsyncWebClient, trigger_id: str | None) -> str | None:
    """Open a "one moment" modal at once, while the trigger is fresh (it lives about 3 s), to
    be filled when the core has answered; its view id, or None when Slack refused it."""
    if not trigger_id:
        return None
    try:
        opened = await client.views_open(trigger_id=trigger_id, view=loading_view())
    except (SlackApiError, SlackClientError, OSError) as e:
        log.info("views.open refused: %s", e)
        return None
    return str(opened["view"]["id"])


async def _show(client: AsyncWebClient, view_id: str, view: dict[str, Any]) -> None:
    try:
        await client.views_update(view_id=view_id, view=view)
    except (SlackApiError, SlackClientError, OSError) as e:
        log.warning("views.update failed: %s", e)


def _checkin_or_notice(reply: Reply) -> dict[str, Any]:
    return form_view(reply.form) if reply.form else notice_view("Check-in", reply.text)


def _opens_a_form(reply: Reply) -> bool:
    """A reply that is a form to open at once (the check-in), not one offered under its text."""
    return reply.form is not None and reply.form.at_once


async def _direct(client: AsyncWebClient, actor: Actor, reply: Reply) -> None:
    """A reply with no response_url to follow (the App Home, a late modal): by DM."""
    try:
        await client.chat_postMessage(
            channel=actor.ref.user_id,
            text=fallback(reply.text, private=True),
            blocks=reply_blocks(reply),
        )
    except (SlackApiError, SlackClientError, OSError) as e:
        log.warning("could not DM a reply to %s: %s", actor.ref.user_id, e)


def _noting_files(reply: Reply) -> Reply:
    """A reply shown where its files are not (an ephemeral message) says where they come."""
    if not reply.files:
        return reply
    note = FILES_FOLLOW if len(reply.files) == 1 else SEVERAL_FILES_FOLLOW
    return replace(reply, text=f"{reply.text}\n{note}")


async def _attach(
    client: AsyncWebClient, actor: Actor, reply: Reply, respond: Any | None = None
) -> None:
    """After the reply: its files into the person's DM with the app. A file Slack refused is
    told to them through `respond` (privately, under the reply), or by DM without one."""
    problem = await send_files(client, actor.ref.user_id, reply.files)
    if problem is None:
        return
    if respond is not None:
        await _respond(respond, Reply.error(problem))
    else:
        await _direct(client, actor, Reply.error(problem))
