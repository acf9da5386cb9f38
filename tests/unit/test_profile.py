"""/profile set, field by field: good values saved in canonical form; bad ones change nothing."""

from __future__ import annotations

import pytest

from tests.unit.conftest import Say


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("role", "Mentor", "role: mentor"),
        ("timezone", "America/Chicago", "timezone: America/Chicago"),
        ("stage", "09", "stage: 9"),
        ("stage", "uni-1", "stage: uni-1"),
        ("subjects", "Algebra,  physics, algebra", "subjects: algebra, physics"),
        ("languages", "English, Spanish", "languages: english, spanish"),
        (
            "hours",
            "mon-fri 16:00-19:00; sat 10:00-12:00",
            "hours: mon-fri 16:00-19:00; sat 10:00-12:00",
        ),
        (
            "hours",
            "mon,wed 17:00-18:00; mon 18:00-19:00",
            "hours: mon 17:00-19:00; wed 17:00-18:00",
        ),
        ("quiet-hours", "22:00-07:30", "quiet-hours: 22:00-07:30"),
        ("capacity", "3", "capacity: 3"),
        ("public-kudos", "off", "public-kudos: off"),
        ("listed", "no", "listed: off"),
    ],
)
async def test_each_field_is_saved_and_shown(say: Say, field: str, value: str, shown: str) -> None:
    reply = await say("ada", f"/profile set {field} {value}")
    assert reply.ok, reply.text
    assert shown in (await say("ada", "/profile")).text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/profile set timezone Mars/Olympus", "not a time zone I know"),
        ("/profile set timezone Europe/Berln", "Did you mean Europe/Berlin?"),
        ("/profile set role teacher", "student or mentor"),
        ("/profile set stage 13", "1 to 12"),
        ("/profile set hours mon-fri 19:00-16:00", "ends before it starts"),
        ("/profile set hours someday 10:00-11:00", "not a day"),
        ("/profile set hours mon 10-11", "not a time"),
        ("/profile set quiet-hours 25:00-07:00", "not a time"),
        ("/profile set capacity lots", "from 1 to 20"),
        ("/profile set bio " + "x" * 281, "281 characters; the limit is 280"),
        ("/profile set listed maybe", "on or off"),
        ("/profile set colour blue", "I don't know the field 'colour'"),
        ("/profile set timezone", "Missing a value for timezone"),
    ],
)
async def test_bad_values_are_explained_and_change_nothing(
    say: Say, line: str, expected: str
) -> None:
    assert (await say("ada", "/profile set timezone Europe/London")).ok
    before = (await say("ada", "/profile")).text
    reply = await say("ada", line)
    assert not reply.ok
    assert expected in reply.text
    assert (await say("ada", "/profile")).text == before


async def test_a_bio_cannot_ping_anyone_when_shown(say: Say) -> None:
    assert (await say("ada", "/profile set bio hi @everyone and <!channel> and <@&123>")).ok
    shown = (await say("ada", "/profile")).text
    assert "@everyone" not in shown
    assert "<!channel>" not in shown
    assert "<@&123>" not in shown
    assert "everyone" in shown


async def test_an_unset_timezone_shows_the_workspace_default(say: Say) -> None:
    assert "not set (using the workspace's UTC)" in (await say("ada", "/profile")).text
