"""Every platform draws every form with its one renderer and reads it back with its one reader:
the check-in and the profile, sent back untouched, come back with the values they showed and run
the command the core would run for them; a form with every kind of field does the same."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

import bot.features  # noqa: F401  (the features register how their forms are read)
from adapters.console.forms import FormInProgress
from adapters.discord.forms import form_modal, read_submission
from adapters.slack.forms import form_view, read_form
from bot.checkins.commands import AnswerCheckin
from bot.goals.commands import AddGoal
from bot.goals.form import GOAL_FORM, goal_form
from bot.kernel.checkin_form import checkin_form
from bot.kernel.forms import (
    NO,
    YES,
    FieldKind,
    Form,
    FormField,
    StaleForm,
    Submission,
    submitted_command,
)
from bot.kernel.model import Actor, Checkin, Circle, Member, Profile, WorkspaceRef
from bot.profile.commands import UpdateProfile
from bot.profile.form import PROFILE_FORM, SHORTLIST, profile_form

TEAM = WorkspaceRef("slack", "T1")
ADA = Actor(TEAM.member("UADA"), "Ada")
GUILD = "123456789012345678"
MOMENT = datetime(2026, 3, 9, tzinfo=UTC)


def a_checkin(concern: bool) -> Checkin:
    return Checkin(
        Circle(TEAM, "algebra", id=1),
        Member(TEAM.member("UADA"), "Ada", id=1),
        "2026-W11",
        MOMENT,
        MOMENT,
        ("How is it going?", "Did you meet?", "Anything else?"),
        answers=("Fine", "", "Nothing"),
        concern=concern,
        id=41,
    )


A_PROFILE = Profile(
    timezone="Europe/Berlin", subjects=("algebra", "physics"), bio="Line one\nline two"
)


def slack_round_trip(form: Form) -> Submission:
    """The modal as Slack sends it back when nothing was touched."""
    view = form_view(form)
    state: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        if element["type"] == "checkboxes":
            touched = {"selected_options": element.get("initial_options", [])}
        elif element["type"] == "static_select":
            touched = {"selected_option": element.get("initial_option")}
        else:
            touched = {"value": element.get("initial_value")}
        state[block["block_id"]] = {element["action_id"]: {"type": element["type"], **touched}}
    return read_form({**view, "state": {"values": state}})


def discord_round_trip(form: Form) -> Submission:
    """The modal as Discord sends it back when nothing was touched."""
    modal = form_modal(GUILD, form)
    assert modal is not None
    shown = modal.to_dict()
    rows = [
        {
            "type": 1,
            "components": [
                {"type": 4, "custom_id": c["custom_id"], "value": c.get("value", "")}
                for c in row["components"]
            ],
        }
        for row in shown["components"]
    ]
    guild, submission = read_submission({"custom_id": shown["custom_id"], "components": rows})
    assert guild == GUILD
    return submission


def console_round_trip(form: Form) -> Submission:
    """Enter on every text (it keeps what was there), and a switch answered as it stood."""
    filling = FormInProgress(form, ADA)
    asked = 0
    while not filling.done:
        question = filling.question()
        field = form.fields[asked]
        assert (field.prompt or field.label) in question
        if field.kind is FieldKind.SWITCH:
            assert filling.take(field.value) is None
        else:
            assert filling.take("") is None
        asked += 1
    return Submission(form.kind, form.subject, filling.values)


ROUND_TRIPS: dict[str, Callable[[Form], Submission]] = {
    "slack": slack_round_trip,
    "discord": discord_round_trip,
    "console": console_round_trip,
}


def shown_values(form: Form, keys: tuple[str, ...] = ()) -> dict[str, str]:
    return {f.key: f.value for f in form.fields if not keys or f.key in keys}


@pytest.mark.parametrize("platform", list(ROUND_TRIPS))
@pytest.mark.parametrize("concern", [True, False])
def test_the_checkin_form_comes_back_as_the_answer_it_showed(platform: str, concern: bool) -> None:
    form = checkin_form(a_checkin(concern))
    back = ROUND_TRIPS[platform](form)
    assert (back.kind, back.subject) == (form.kind, 41)
    assert dict(back.values) == shown_values(form)
    answers = ("Fine", "", "Nothing")
    assert submitted_command(ADA, back) == AnswerCheckin(ADA, answers, concern, 41)


@pytest.mark.parametrize("platform", ["slack", "discord"])
def test_the_profile_form_comes_back_as_the_profile_it_showed(platform: str) -> None:
    """(The console has no profile form: it is offered, not opened, and `/profile set` is how
    one changes a profile there.)"""
    form = profile_form(A_PROFILE)
    assert not form.at_once
    back = ROUND_TRIPS[platform](form)
    assert (back.kind, back.subject) == (PROFILE_FORM, None)
    expected = shown_values(form, SHORTLIST if platform == "discord" else ())
    assert dict(back.values) == expected
    assert list(back.values) == list(expected), "in the form's order"
    assert submitted_command(ADA, back) == UpdateProfile(ADA, tuple(expected.items()))


EVERY_KIND = Form(
    PROFILE_FORM,
    "Everything",
    "Everything",
    (
        FormField("one", "One line", "a line", "what fits"),
        FormField("many", "Many lines", "line\nline", kind=FieldKind.LONG, max_length=50),
        FormField("pick", "Pick", "pear", kind=FieldKind.CHOICE, options=("apple", "pear")),
        FormField("on", "Switch", YES, "turns it on", kind=FieldKind.SWITCH),
        FormField("needed", "Needed", "here", required=True),
    ),
)


@pytest.mark.parametrize("platform", list(ROUND_TRIPS))
def test_every_kind_of_field_comes_back_as_it_was(platform: str) -> None:
    back = ROUND_TRIPS[platform](EVERY_KIND)
    assert dict(back.values) == shown_values(EVERY_KIND)


def test_the_console_holds_each_field_to_its_kind() -> None:
    filling = FormInProgress(EVERY_KIND, ADA)
    assert filling.question() == "1/4 One line (Enter keeps: a line)"
    assert filling.take("new line") is None
    assert filling.take("x" * 51) == "At most 50 characters, please."
    assert filling.take("") is None
    assert filling.question() == "3/4 Pick (apple / pear) (Enter keeps: pear)"
    assert filling.take("plum") == "Please answer one of: apple, pear."
    assert filling.take("APPLE") is None
    assert filling.question() == "Switch yes/no (Enter: no)"
    assert filling.take("perhaps") == "Please answer yes or no."
    assert filling.take("") is None
    assert filling.values == {"one": "new line", "many": "line\nline", "pick": "apple", "on": NO}


def test_a_submission_the_core_cannot_read_is_stale() -> None:
    with pytest.raises(StaleForm):
        Submission("no-such-form", None, {})
    with pytest.raises(StaleForm):
        Submission(checkin_form(a_checkin(False)).kind, None, {"q0": "lost"})
    with pytest.raises(StaleForm):
        read_submission({"custom_id": "checkin:", "components": []})
    with pytest.raises(StaleForm):
        read_submission({"custom_id": f"checkin:{GUILD}:", "components": []})
    with pytest.raises(StaleForm):
        read_form({"callback_id": "checkin", "private_metadata": "[1]", "state": {"values": {}}})


def test_a_checkin_modal_opened_before_forms_were_one_kind_still_reaches_its_checkin() -> None:
    view = {"callback_id": "checkin", "private_metadata": '{"checkin_id": 41}'}
    back = read_form({**view, "state": {"values": {}}})
    assert back.subject == 41


def test_discord_shows_a_form_too_big_for_a_modal_only_through_its_shortlist() -> None:
    five_questions = a_checkin(False)
    five_questions.questions += ("Four?", "Five?")
    assert form_modal(GUILD, checkin_form(five_questions)) is None, "answered in one line"
    modal = form_modal(GUILD, profile_form(A_PROFILE))
    assert modal is not None
    shown = [row["components"][0]["custom_id"] for row in modal.to_dict()["components"]]
    assert shown == list(SHORTLIST)


@pytest.mark.parametrize("platform", ["slack", "discord"])
def test_the_goal_form_is_drawn_and_read_back_as_adding_a_goal(platform: str) -> None:
    """(The console asks its questions one by one and refuses an empty goal there and then:
    tests/features/goals runs the form's command itself.)"""
    form = goal_form()
    assert form.at_once
    back = ROUND_TRIPS[platform](form)
    assert (back.kind, back.subject) == (GOAL_FORM, None)
    assert list(back.values) == ["goal", "date"]
    assert submitted_command(ADA, back) == AddGoal(ADA, "", None, from_form=True)
