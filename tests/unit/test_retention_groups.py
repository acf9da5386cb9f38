"""The retention purge's groups: one per distinct period, never one per workspace, and today's
single purge when no workspace chose a period of its own."""

from __future__ import annotations

from bot.privacy.jobs import retention_groups
from bot.privacy.ports import RetentionGroup


def test_with_no_period_of_their_own_every_workspace_is_purged_at_once() -> None:
    assert retention_groups(set(), 365) == [None]
    assert retention_groups({365}, 365) == [None], "choosing the default is no other period"


def test_each_distinct_period_is_one_group_whatever_the_number_of_workspaces() -> None:
    assert retention_groups({30, 400, 365}, 365) == [
        RetentionGroup(30, 365),
        RetentionGroup(365, 365),
        RetentionGroup(400, 365),
    ]
