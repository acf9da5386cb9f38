"""What the Slack app does with each request: slash commands, buttons, modal submissions and
App Home events, each handed to the core.

Rules:
- every request is acknowledged before any slow work (Slack allows 3 seconds); the core runs
  after the ack and its private reply follows through the request's response_url;
- a request that wants a form opens a "one moment" modal right after the ack, while its
  trigger_id is fresh (it lives about 3 seconds), and the form replaces it when the core has
  answered; when Slack no longer takes the trigger, the reply offers a button that opens it afresh;
- people a command mentions become known members first (Slack says who they are);
- work after the ack is tracked until it ends (adapters.shared.in_flight), and a modal
  submission is answered within Slack's deadline (adapters.shared.answering);
- a modal submission gets its answer in the modal itself: the core's message replaces the form,
  or the refused field shows the error; a core too slow for Slack's deadline gets the modal
  closed and the answer by DM;
- files that come with a reply follow it into the person's DM with the app (a reply through a
  response URL says so), as adapters.slack.answers does;
- after anything a member does, queued messages go out and their App Home refreshes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Concatenate, ParamSpec

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.shared.answering import answer_within, form_again
from adapters.shared.in_flight import InFlight
from adapters.shared.meeting import run_mentioning
from adapters.slack.answers import (
    Ack,
    Respond,
    answer_under,
    attach,
    direct,
    form_window,
    respond_privately,
    show,
)
from adapters.slack.blocks import EDIT_PROFILE, RUN_ACTION
from adapters.slack.forms import form_view, notice_view, read_form, submitted_title
from adapters.slack.home import FIND_BUDDY, OPEN_CHECKIN, HomePublisher
from adapters.slack.people import SlackPeople
from adapters.slack.requests import command_line, sender, wants_form
from bot.home.commands import ShowHome
from bot.kernel.commands import Command
from bot.kernel.forms import form_kinds, submitted_command
from bot.kernel.model import Actor
from bot.kernel.ports import Clock, SeenEvents
from bot.kernel.replies import Reply
from bot.profile.commands import ShowProfile
from bot.runtime.bus import MessageBus

SUBMIT_BUDGET_SECONDS = 2.0
"""How long a modal submission waits for the core before closing the form (Slack allows 3 s)."""
NOTHING_OPEN = "Nothing to answer right now: your next check-in comes as a DM."
OUT_OF_DATE = "This form is out of date; open your check-in again with /checkin."


P = ParamSpec("P")
Listener = Callable[Concatenate["SlackListeners", P], Awaitable[None]]


def tracked(listener: Listener[P]) -> Listener[P]:
    """Keep the listener's run in `in_flight` until it ends (Bolt runs it after the ack in a task
    of its own), so shutting down and tests can wait for the work after the ack. Bolt passes a
    listener the arguments its parameters name, which the wrapper keeps (`functools.wraps`)."""

    @functools.wraps(listener)
    async def run(self: SlackListeners, /, *args: P.args, **kwargs: P.kwargs) -> None:
        with self.in_flight.this_task():
            await listener(self, *args, **kwargs)

    return run


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
    in_flight: InFlight = field(default_factory=InFlight)
    """Every request's work after its ack, until it ends."""

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
        self, ack: Ack, command: dict[str, Any], respond: Respond, client: AsyncWebClient
    ) -> None:
        await ack()
        await self.after_ack()
        line = command_line(command["command"], command.get("text", ""))
        window = await form_window(client, command.get("trigger_id")) if wants_form(line) else None
        team, user = command["team_id"], command["user_id"]
        actor, reply = await self._run(team, user, command.get("user_name", ""), line)
        self._changed(actor)
        if window is not None:
            await show(client, window, _checkin_or_notice(reply))
            await attach(client, actor, reply)
            return
        again = form_again(reply, line) if _opens_a_form(reply) else ()
        await respond_privately(respond, reply, more=again)
        await attach(client, actor, reply, respond)

    @tracked
    async def on_button(
        self,
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: Respond,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        await self.after_ack()
        line = str(action.get("value", ""))
        window = await form_window(client, body.get("trigger_id")) if wants_form(line) else None
        actor, reply = await self._run(*sender(body), "", line)
        self._changed(actor)
        if window is not None:
            await show(client, window, _checkin_or_notice(reply))
            await attach(client, actor, reply)
        elif _opens_a_form(reply):
            await respond_privately(respond, reply, more=form_again(reply, line))
            await attach(client, actor, reply, respond)
        else:
            await _answer(body, respond, client, actor, reply)
            await attach(client, actor, reply, respond if body.get("response_url") else None)

    @tracked
    async def on_edit_profile(self, ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await self.after_ack()
        window = await form_window(client, body.get("trigger_id"))
        actor = await self.people.actor(*sender(body))
        reply = await self.bus.handle(ShowProfile(actor))
        if window is not None:
            form = reply.form
            await show(client, window, form_view(form) if form else notice_view("", reply.text))

    @tracked
    async def on_home_checkin(self, ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await self.after_ack()
        window = await form_window(client, body.get("trigger_id"))
        actor = await self.people.actor(*sender(body))
        reply = await self.bus.handle(ShowHome(actor))
        checkin = reply.home.checkin if reply.home is not None else None
        if window is not None:
            view = form_view(checkin) if checkin else notice_view("Check-in", NOTHING_OPEN)
            await show(client, window, view)
        self.home.touch(*sender(body))

    @tracked
    async def on_home_findbuddy(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        await self.after_ack()
        actor = await self.people.actor(*sender(body))
        reply = await self.bus.handle_text("/findbuddy", actor)
        self._changed(actor)
        await direct(client, actor, reply)
        await attach(client, actor, reply)

    @tracked
    async def on_form_submitted(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
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
        ack: Ack,
        client: AsyncWebClient,
        body: dict[str, Any],
        build: Callable[[Actor], Command],
        title: str,
    ) -> None:
        """Run a modal's command and answer in the modal, within Slack's deadline: looking up
        who sent it counts against the deadline too; too late, the modal closes and the answer
        comes by DM."""

        async def run() -> tuple[Actor, Reply]:
            actor = await self.people.actor(*sender(body))
            return actor, await self.bus.handle(build(actor))

        answer = await answer_within(SUBMIT_BUDGET_SECONDS, run(), hold=ack)
        actor, reply = answer.value
        if not answer.in_time:
            await direct(client, actor, reply)
        elif reply.invalid_field:
            await ack(response_action="errors", errors={reply.invalid_field: reply.text[:150]})
        else:
            await ack(response_action="update", view=notice_view(title, reply.text))
        self._changed(actor)
        await attach(client, actor, reply)

    async def _run(self, team_id: str, user_id: str, handle: str, line: str) -> tuple[Actor, Reply]:
        """Who typed `line`, and the core's reply to it; the people it mentions become known
        members first (adapters.shared.meeting)."""
        mentioned = await self.people.mentioned(team_id, line, but=user_id)
        actor = await self.people.actor(team_id, user_id, handle)
        return actor, await run_mentioning(self.bus, line, actor, mentioned)

    def _changed(self, actor: Actor) -> None:
        self.deliver_soon()
        self.home.touch(actor.ref.workspace_id, actor.ref.user_id)


async def _answer(
    body: dict[str, Any], respond: Respond, client: AsyncWebClient, actor: Actor, reply: Reply
) -> None:
    """A button's reply: under a message, the message keeps its text and loses its buttons
    once answered; elsewhere (the App Home) the reply comes by DM."""
    message = body.get("message")
    if not body.get("response_url"):
        await direct(client, actor, reply)
    elif reply.ok and message is not None:
        await answer_under(respond, message, reply)
    else:
        await respond_privately(respond, reply)


def _checkin_or_notice(reply: Reply) -> dict[str, Any]:
    return form_view(reply.form) if reply.form else notice_view("Check-in", reply.text)


def _opens_a_form(reply: Reply) -> bool:
    """A reply that is a form to open at once (the check-in), not one offered under its text."""
    return reply.form is not None and reply.form.at_once
