"""/profile set, field by field, and the profile form, all fields at once: good values saved in
canonical form; bad ones change nothing and say which field they were for."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.bootstrap import App
from adapters.clock import ManualClock
from adapters.console.people import actor
from adapters.discord.surface import typed_line
from bot.features import CATALOG
from bot.kernel.forms import FieldKind, Form
from bot.kernel.model import Actor
from bot.kernel.replies import Reply
from bot.profile import values as profile_values
from bot.profile.commands import SetProfileField, UpdateProfile
from bot.profile.fields import FIELD_SETTERS
from tests.support.fakes import RecordingMessenger
from tests.support.scenes import Say, school_app, speaker


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
        ("/profile set stage -1", "a whole number from 1 to 12"),
        ("/profile set stage 0", "a whole number from 1 to 12"),
        ("/profile set stage 9.5", "a whole number from 1 to 12"),
        ("/profile set timezone Tokyo", "Did you mean Asia/Tokyo?"),
        ("/profile set timezone new york", "Did you mean America/New_York?"),
        ("/profile set timezone istanbul", "Did you mean Asia/Istanbul or Europe/Istanbul?"),
        ("/profile set timezone asia/tokyo", "Did you mean Asia/Tokyo?"),
        ("/profile set role -", "role cannot be cleared, only changed; it is student or mentor"),
        ('/profile set listed ""', "listed cannot be cleared, only changed; it is on or off"),
        ("/profile set bio", "a dash (-) clears an optional one"),
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


def ada() -> Actor:
    return actor("w1", "Ada")


async def form_of(say: Say) -> Form:
    reply = await say("ada", "/profile")
    assert reply.form is not None
    return reply.form


async def update(app: App, *changes: tuple[str, str]) -> Reply:
    return await app.bus.handle(UpdateProfile(ada(), changes))


FILLED_IN = (
    "/profile set role mentor",
    "/profile set timezone Europe/Berlin",
    "/profile set stage 09",
    "/profile set subjects Algebra, physics",
    "/profile set languages English",
    "/profile set hours mon,wed 17:00-18:00; mon 18:00-19:00",
    "/profile set quiet-hours 22:00-07:30",
    "/profile set bio Line one @everyone\nline <!channel> two",
    "/profile set capacity 3",
    "/profile set public-kudos no",
    "/profile set listed off",
)


async def test_the_form_has_every_field_as_one_would_type_it(say: Say) -> None:
    for line in FILLED_IN:
        assert (await say("ada", line)).ok
    fields = {f.key: f for f in (await form_of(say)).fields}
    assert list(fields) == list(FIELD_SETTERS)
    assert {name: f.value for name, f in fields.items()} == {
        "role": "mentor",
        "timezone": "Europe/Berlin",
        "stage": "9",
        "subjects": "algebra, physics",
        "languages": "english",
        "hours": "mon 17:00-19:00; wed 17:00-18:00",
        "quiet-hours": "22:00-07:30",
        "bio": "Line one @everyone\nline <!channel> two",
        "capacity": "3",
        "public-kudos": "off",
        "listed": "off",
    }
    assert [name for name, f in fields.items() if f.kind is FieldKind.LONG] == ["bio"]
    assert all(f.label and f.hint and "\n" not in f.hint for f in fields.values())


@pytest.mark.parametrize("filled_in", [FILLED_IN, ()], ids=["filled-in", "new"])
async def test_sending_the_form_back_unchanged_changes_nothing(
    app: App, say: Say, filled_in: tuple[str, ...]
) -> None:
    for line in filled_in:
        assert (await say("ada", line)).ok
    before = await say("ada", "/profile")
    assert before.form is not None
    reply = await update(app, *((f.key, f.value) for f in before.form.fields))
    assert reply.ok, reply.text
    assert reply.text == "Nothing changed."
    assert await say("ada", "/profile") == before


async def test_changes_are_saved_together_and_named(app: App, say: Say) -> None:
    reply = await update(
        app, ("timezone", "America/Chicago"), ("subjects", "Chemistry"), ("listed", "on")
    )
    assert reply.text == "Saved: timezone, subjects."
    shown = (await say("ada", "/profile")).text
    assert "timezone: America/Chicago" in shown
    assert "subjects: chemistry" in shown


async def test_one_bad_value_saves_nothing_and_names_its_field(app: App, say: Say) -> None:
    assert (await say("ada", "/profile set subjects algebra")).ok
    before = await say("ada", "/profile")
    reply = await update(
        app, ("subjects", "chemistry"), ("timezone", "Mars/Olympus"), ("bio", "Hello!")
    )
    assert not reply.ok
    assert reply.invalid_field == "timezone"
    assert reply.text.startswith("timezone: 'Mars/Olympus' is not a time zone I know.")
    assert await say("ada", "/profile") == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("listed", "maybe", "listed is on or off, not 'maybe'."),
        ("hours", "mon 10-11", "hours: '10' is not a time"),
        ("bio", "x" * 281, "bio: Your bio is 281 characters"),
        ("Capacity", "lots", "capacity is how many mentees"),
    ],
)
async def test_a_refusal_names_its_field_once(
    app: App, field: str, value: str, message: str
) -> None:
    reply = await update(app, (field, value))
    assert reply.invalid_field == field.lower()
    assert reply.text.startswith(message)


async def test_an_unknown_field_lists_the_fields_and_points_at_none(app: App) -> None:
    reply = await update(app, ("colour", "blue"))
    assert not reply.ok
    assert reply.invalid_field is None
    assert "I don't know the field 'colour'" in reply.text


async def test_emptying_clears_optional_fields_and_keeps_what_cannot_be_unset(
    app: App, say: Say
) -> None:
    for line in FILLED_IN:
        assert (await say("ada", line)).ok
    reply = await update(
        app,
        ("subjects", ""),
        ("bio", "  "),
        ("timezone", ""),
        ("hours", "-"),
        ("role", ""),
        ("stage", "9"),
    )
    assert reply.ok, reply.text
    assert reply.text == (
        "Saved: subjects, bio, timezone, hours. Kept role: it can be changed but not emptied."
    )
    values = {f.key: f.value for f in (await form_of(say)).fields}
    assert values["subjects"] == ""
    assert values["bio"] == ""
    assert values["timezone"] == ""
    assert values["hours"] == ""
    assert values["role"] == "mentor"


async def test_the_form_refuses_a_dash_for_a_field_that_cannot_be_cleared(
    app: App, say: Say
) -> None:
    before = await form_of(say)
    refused = await update(app, ("bio", "-"), ("listed", "-"))
    assert not refused.ok
    assert refused.invalid_field == "listed"
    assert "listed cannot be cleared" in refused.text
    assert await form_of(say) == before


async def test_a_value_saved_before_a_rule_tightened_still_submits(
    app: App, say: Say, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (await say("ada", "/profile set bio " + "a long bio " * 20)).ok
    monkeypatch.setattr(profile_values, "BIO_LIMIT", 100)
    form = await form_of(say)
    changed = [(f.key, "Asia/Tokyo" if f.key == "timezone" else f.value) for f in form.fields]
    assert (await update(app, *changed)).text == "Saved: timezone."
    refused = await update(app, ("bio", "a long bio " * 19))
    assert refused.invalid_field == "bio"


@pytest.mark.parametrize(
    "field",
    ["timezone", "stage", "subjects", "languages", "hours", "quiet-hours", "bio", "capacity"],
)
@pytest.mark.parametrize("clearing", ["-", '""'])
async def test_every_optional_field_can_be_cleared(say: Say, field: str, clearing: str) -> None:
    for line in FILLED_IN:
        assert (await say("ada", line)).ok
    reply = await say("ada", f"/profile set {field} {clearing}")
    assert reply.ok, reply.text
    assert reply.text.startswith(f"Cleared. {field}: not set")
    assert f"  {field}: not set" in (await say("ada", "/profile")).text
    assert {f.key: f.value for f in (await form_of(say)).fields}[field] == ""


async def test_the_profile_and_its_help_say_how_to_clear_a_field(say: Say) -> None:
    assert "clear one with /profile set <field> -" in (await say("ada", "/profile")).text
    assert "/profile set bio -" in (await say("ada", "/help profile set")).text


# --- who makes a mentor: the school default, where the moderators appoint them ----------------


@pytest.fixture
async def school(clock: ManualClock, messenger: RecordingMessenger) -> AsyncIterator[Say]:
    """An app with the default [programme]: moderators appoint mentors. Ada, Ben and Maya are
    known; algebra has Maya as its facilitator."""
    app = await school_app(clock, messenger)
    say = speaker(app)
    for name in ("ada", "ben", "maya"):
        assert (await say(name, "/profile")).ok
    assert (await say("morgan", "/circle create algebra")).ok
    assert (await say("morgan", "/circle add @maya algebra as facilitator")).ok
    messenger.sent.clear()
    yield say
    await app.close()


async def test_asking_to_be_a_mentor_is_a_request_to_the_moderators(
    school: Say, messenger: RecordingMessenger
) -> None:
    reply = await school("ada", "/profile set role mentor")
    assert reply.ok
    assert reply.text == (
        "Mentors here are appointed by the moderators, so I've sent them your request; one of "
        "them will get back to you. Until then your role stays student."
    )
    assert "role: student" in (await school("ada", "/profile")).text
    [asked] = messenger.texts_to("morgan")
    assert asked.startswith("Ada asks to be a mentor.")
    assert "/profile set @ada role mentor appoints them" in asked
    refused = await school("ada", "/circle join algebra as mentor")
    assert not refused.ok
    assert "/profile set role mentor asks the moderators, who appoint mentors." in refused.text
    assert (await school("ada", "/profile set role mentor")).ok
    assert len(messenger.texts_to("morgan")) == 1  # once a day


async def test_a_moderator_appoints_a_mentor_who_is_told(
    school: Say, messenger: RecordingMessenger
) -> None:
    reply = await school("morgan", "/profile set @ada role mentor")
    assert reply.text == "Ada is a mentor now. I've told them by DM."
    [told] = messenger.texts_to("ada")
    assert told.startswith("Morgan made you a mentor.")
    assert "role: mentor" in (await school("ada", "/profile")).text
    assert (await school("ada", "/circle join algebra as mentor")).ok
    assert "· Morgan · set role mentor · Ada" in (await school("morgan", "/audit")).text
    again = await school("morgan", "/profile set role mentor @ada")  # Discord's order
    assert again.text == "Ada is already a mentor."


async def test_only_moderators_appoint_mentors(school: Say, messenger: RecordingMessenger) -> None:
    refused = await school("maya", "/profile set @ben role mentor")
    assert not refused.ok
    assert "Only moderators set someone else's role or adult mark" in refused.text
    assert "role: student" in (await school("ben", "/profile")).text
    assert messenger.texts_to("ben") == []
    other = await school("morgan", "/profile set @ben bio Hello")
    assert not other.ok
    assert "moderators set role and adult only" in other.text


async def test_the_profile_form_asks_instead_of_making_a_mentor_and_saves_the_rest(
    clock: ManualClock, messenger: RecordingMessenger
) -> None:
    app = await school_app(clock, messenger)
    try:
        assert (await speaker(app)("morgan", "/profile")).ok
        reply = await update(app, ("role", "mentor"), ("bio", "Hello"))
        assert reply.ok
        assert reply.text.startswith("Saved: bio. Mentors here are appointed by the moderators")
        shown = (await speaker(app)("ada", "/profile")).text
        assert "role: student" in shown
        assert "bio: Hello" in shown
        assert any(t.startswith("Ada asks to be a mentor.") for t in messenger.texts_to("morgan"))
    finally:
        await app.close()


async def test_a_facilitator_cannot_make_a_student_a_circle_mentor_but_a_moderator_can(
    school: Say, messenger: RecordingMessenger
) -> None:
    refused = await school("maya", "/circle add @ben algebra as mentor")
    assert not refused.ok
    assert refused.text == (
        "Ben is not a mentor, and only moderators appoint mentors: ask one to "
        "/profile set @ben role mentor, or add them as mentee."
    )
    assert "Ben" not in (await school("maya", "/circle info algebra")).text
    assert (await school("maya", "/circle add @ben algebra")).ok
    assert not (await school("maya", "/circle add @ben algebra as mentor")).ok
    assert (await school("morgan", "/circle add @ben algebra as mentor")).ok


async def test_making_a_mentor_a_student_again_makes_them_a_mentee_in_their_circles(
    school: Say, messenger: RecordingMessenger
) -> None:
    assert (await school("morgan", "/profile set @ada role mentor")).ok
    assert (await school("ada", "/circle join algebra as mentor")).ok
    reply = await school("morgan", "/profile set @ada role student")
    assert reply.text == "Ada is a student now, and a mentee in algebra. I've told them by DM."
    assert messenger.texts_to("ada")[-1] == (
        "Morgan made you a student again: no longer a mentor in algebra."
    )
    shown = (await school("morgan", "/circle info algebra")).text
    assert "Mentors: none yet" in shown
    assert "Mentees: Maya, Ada" in shown


async def test_a_moderator_makes_themselves_a_mentor_and_anyone_steps_down(school: Say) -> None:
    assert (await school("morgan", "/profile set role mentor")).text == "Saved. role: mentor"
    assert (await school("morgan", "/profile set @ada role mentor")).ok
    assert (await school("ada", "/profile set role student")).text == "Saved. role: student"


async def test_with_self_service_members_make_themselves_mentors(
    say: Say, messenger: RecordingMessenger
) -> None:
    """The tests' own programme sets [programme] self_service_mentors, as an adult community."""
    assert (await say("ada", "/profile set role mentor")).text == "Saved. role: mentor"
    assert messenger.texts_to("morgan") == []


def test_discord_names_the_person_last_and_it_still_appoints() -> None:
    line = typed_line(
        {
            "name": "profile",
            "options": [
                {
                    "type": 1,
                    "name": "set",
                    "options": [
                        {"name": "field", "value": "role"},
                        {"name": "value", "value": "mentor"},
                        {"name": "person", "value": "123"},
                    ],
                }
            ],
        }
    )
    assert line == "/profile set role mentor <@123>"
    command = CATALOG.parse(line, ada())
    assert command == SetProfileField(ada(), "role", "mentor", "123")


async def test_profile_lists_are_shown_unable_to_ping(say: Say) -> None:
    saved = await say("ada", "/profile set subjects @everyone, <!channel>, <@&123>")
    shown = (await say("ada", "/profile")).text
    for text in (saved.text, shown):
        assert "@everyone" not in text
        assert "<!channel>" not in text
        assert "<@&123>" not in text


async def test_too_many_free_hour_ranges_are_refused(say: Say) -> None:
    ranges = "; ".join(f"mon {h:02d}:00-{h:02d}:30" for h in range(22))
    reply = await say("ada", f"/profile set hours {ranges}")
    assert not reply.ok
    assert "more than 21 separate ranges" in reply.text
