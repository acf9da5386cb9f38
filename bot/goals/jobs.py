"""What falls due in goals as time passes; each method is a job for `DueWork`.

Rules: when a goal's day comes (at `ASK_AT` in its owner's zone, see bot.goals.rules), its owner
is asked once whether they reached it, with buttons (Reached it / Not yet / Drop it); the
question waits out their quiet hours and the workspace's blackout dates like every routine
message, and is keyed by the goal, so a doubled tick or a second instance asks once. A paused
member is not asked (their pause keeps routine messages away); the goal stays open.
"""

from __future__ import annotations

from datetime import datetime

from bot.goals.views import due_actions, due_question
from bot.kernel.goal_checkins import goal_line
from bot.kernel.model import Destination, OutgoingMessage
from bot.kernel.ports import UnitOfWorkFactory
from bot.kernel.quiet_hours import ScheduledMessages
from bot.kernel.settings import CoreSettings
from bot.kernel.workspace_settings import settings_for
from bot.runtime.due import DueJob

BATCH = 500


class GoalJobs:
    def __init__(self, uow_factory: UnitOfWorkFactory, settings: CoreSettings) -> None:
        self._uow_factory = uow_factory
        self._settings = settings

    def all(self) -> list[DueJob]:
        return [self.ask_due]

    async def ask_due(self, now: datetime) -> None:
        async with self._uow_factory() as uow:
            scheduled = ScheduledMessages(uow, self._settings)
            for goal in await uow.goals.due_to_ask(now, BATCH):
                goal.asked_at = now
                await uow.goals.save(goal)
                owner = goal.owner
                if owner.is_paused(now):
                    continue
                numbered = [g.id for g in await uow.goals.open_of(owner.id)]
                settings = await settings_for(uow, owner.ref.workspace, self._settings)
                line = goal_line(goal, numbered.index(goal.id) + 1, settings, now)
                message = OutgoingMessage(
                    f"goal:{goal.id}:due",
                    Destination.dm(owner.ref),
                    due_question(goal, line),
                    actions=due_actions(goal),
                )
                await scheduled.queue(owner, message, now)
            await uow.commit()
