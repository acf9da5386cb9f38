"""The milestones a member can reach (`MilestoneKind`); each is reached once per member
(see bot.kernel.milestones for when and what is said)."""

from __future__ import annotations

from enum import StrEnum


class MilestoneKind(StrEnum):
    TENTH_CHECKIN = "tenth-checkin"
    FIFTH_MEETING = "fifth-meeting"
    FIRST_KUDOS = "first-kudos"
    FIRST_GOAL_REACHED = "first-goal-reached"
    MENTOR_TIPS_PAIRING = "mentor-tips-pairing"
    """A mentor's first pairing introduction came with tips (bot.kernel.pairing_start)."""
    MENTOR_TIPS_CHECKIN = "mentor-tips-checkin"
    """A mentor's first check-in prompt came with tips (bot.kernel.pairing_start)."""
