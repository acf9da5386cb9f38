"""The tests' moment and settings: every test starts at `START` and builds its settings with
`settings_for`, so no test depends on the day it runs."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.config import Settings, parse_settings

# A Tuesday in term time, 10:00 UTC: the tests' "now".
START = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


def settings_for(url: str, **overrides: object) -> Settings:
    """The tests' settings. Their members make themselves mentors (`[programme]
    self_service_mentors`), as most tests set their scene that way; the school default, where
    the moderators appoint mentors, is tested in
    tests/features/safeguarding/test_safeguarding_matching.py and wherever a test passes its own
    `programme`."""
    overrides.setdefault("programme", {"self_service_mentors": True})
    return parse_settings({"storage": {"url": url}, **overrides})
