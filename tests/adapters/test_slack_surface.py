"""The Slack surface as a whole: every core command reachable, text shown safely, forms that
round-trip."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from adapters.slack.forms import form_view, read_form
from adapters.slack.manifest import HINT_LIMIT, NOT_ON_SLACK
from adapters.slack.mrkdwn import pieces, to_mrkdwn
from adapters.slack.requests import UMBRELLA, command_line
from adapters.slack.runtime import MANIFEST, slash_commands
from bot.checkins.commands import AnswerCheckin
from bot.features import CATALOG
from bot.kernel.checkin_form import checkin_form
from bot.kernel.commands import CommandSpec
from bot.kernel.forms import FieldKind, Form, FormField, submitted_command
from bot.kernel.model import Actor, Checkin, Circle, Member, MemberRef, WorkspaceRef
from bot.profile.commands import UpdateProfile
from bot.profile.form import PROFILE_FORM


def test_every_core_command_has_a_slack_entry() -> None:
    """Adding a command to the core without a slash command in the manifest fails here."""
    declared = set(slash_commands())
    for spec in CATALOG:
        entry = "/" + spec.root
        assert entry in declared or spec.root == "help", f"{spec.path} has no slash command"
        words = spec.path.split()[1:]
        slack_command = entry if entry in declared else UMBRELLA
        text = " ".join(words if slack_command == entry else spec.path.split())
        found = CATALOG.find(command_line(slack_command, text).lstrip("/").split())
        assert found is not None
        assert found[0].path == spec.path


@pytest.mark.parametrize(
    "spec", [s for s in CATALOG if s.root not in NOT_ON_SLACK], ids=lambda s: s.path
)
def test_every_form_of_a_command_is_in_the_hint_slack_shows_for_it(spec: CommandSpec) -> None:
    """Slack shows a slash command's usage hint as people type it: each form the command takes
    is there, whole (nothing cut at Slack's limit), and a command that also runs alone
    (`/buddy`, `/profile`) says so with brackets, as an optional part does."""
    written = json.loads(MANIFEST.read_text(encoding="utf-8"))["features"]["slash_commands"]
    hint = next(e.get("usage_hint", "") for e in written if e["command"] == f"/{spec.root}")
    assert len(hint) <= HINT_LIMIT
    form = spec.usage.removeprefix(f"/{spec.root}").strip()
    if form:
        assert form in hint
    elif [s for s in CATALOG if s.root == spec.root] == [spec]:  # `/guide`: nothing to hint
        assert hint == "", hint
    else:
        assert hint.startswith("["), hint


def test_the_manifest_declares_nothing_the_core_does_not_know() -> None:
    roots = {"/" + spec.root for spec in CATALOG} | {UMBRELLA}
    assert set(slash_commands()) <= roots
    manifest = json.loads(MANIFEST.read_text())
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert "app_home_opened" in manifest["settings"]["event_subscriptions"]["bot_events"]
    assert {"commands", "chat:write", "im:write", "users:read"} <= set(
        manifest["oauth_config"]["scopes"]["bot"]
    )


@pytest.mark.parametrize(
    ("command", "text", "line"),
    [
        ("/circles", "", "/help"),
        ("/circles", "kudos wall", "/kudos wall"),
        ("/circles", "/findbuddy algebra", "/findbuddy algebra"),
        ("/kudos", "<@U2|bo> thanks for the help", "/kudos <@U2|bo> thanks for the help"),
        ("/buddy", "", "/buddy"),
    ],
)
def test_slash_command_text_becomes_the_line_the_core_reads(
    command: str, text: str, line: str
) -> None:
    assert command_line(command, text) == line


def test_nothing_typed_becomes_markup_but_the_cores_mentions_do() -> None:
    shown = to_mrkdwn("<!channel> <https://evil|click> & /buddy met <@U02ABC>")
    assert shown == "&lt;!channel&gt; &lt;https://evil|click&gt; &amp; /buddy met <@U02ABC>"


def test_defused_mentions_show_as_names_only_in_private_replies() -> None:
    defused = "thanks <\u200b@U02ABC>"
    assert to_mrkdwn(defused, private=True) == "thanks <@U02ABC>"
    assert "<@U02ABC>" not in to_mrkdwn(defused)


@pytest.mark.parametrize("private", [True, False])
def test_channels_are_links_and_people_names_but_never_broken_markup(private: bool) -> None:
    """What the core's last guard defused comes back as Slack draws it: a channel as a link (it
    pings nobody), a person as a mention privately, else as their name in plain text."""
    typed = (
        "see <\u200b#C0KUDOS|kudos-wall> and <#G0PRIV>, ask <\u200b@U0ADA|ada> or <\u200b@U0BEN>"
    )
    shown = to_mrkdwn(typed, private=private, names={"U0BEN": "Ben <Bo>"})
    people = "<@U0ADA> or <@U0BEN>" if private else "@ada or @Ben &lt;Bo&gt;"
    assert shown == f"see <#C0KUDOS|kudos-wall> and <#G0PRIV>, ask {people}"


@pytest.mark.parametrize("private", [True, False])
@pytest.mark.parametrize(
    "typed",
    [
        "<!channel>",
        "<\u200b!here>",
        "<\u200b!subteam^S0STAFF|@staff>",
        "<https://evil.example|our site>",
        "<#C0KUDOS|kudos wall> <https://evil.example|#C0KUDOS>",
    ],
)
def test_no_mass_mention_or_link_is_ever_restored(typed: str, private: bool) -> None:
    shown = to_mrkdwn(typed, private=private)
    assert "<!" not in shown
    assert "<http" not in shown
    assert "<#C0KUDOS|kudos wall>" not in shown


def test_long_text_is_cut_between_lines_into_pieces_slack_takes() -> None:
    text = "\n".join(f"line {n} " + "x" * 90 for n in range(100))
    cut = pieces(text, 1000)
    assert all(len(piece) <= 1000 for piece in cut)
    assert "\n".join(cut) == text


TEAM = WorkspaceRef("slack", "T1")
ADA = Actor(TEAM.member("UADA"), "Ada")


def _checkin(checkin_id: int, questions: tuple[str, ...], answers: tuple[str, ...]) -> Checkin:
    moment = datetime(2026, 3, 9, tzinfo=UTC)
    member = Member(MemberRef("slack", "T1", "UADA"), "Ada", id=1)
    circle = Circle(TEAM, "algebra", id=1)
    return Checkin(
        circle, member, "2026-W11", moment, moment, questions, answers=answers, id=checkin_id
    )


def _submitted(view: dict, answers: dict[str, str], concern: bool = False) -> dict:
    """The view as Slack sends it back: the modal plus the state of its inputs."""
    values: dict = {
        block: {"answer": {"type": "plain_text_input", "value": value}}
        for block, value in answers.items()
    }
    if concern:
        values["concern"] = {"concern": {"selected_options": [{"value": "yes"}]}}
    return {**view, "state": {"values": values}}


def test_a_checkin_modal_sends_back_the_checkin_it_showed_with_answers_in_order() -> None:
    form = checkin_form(_checkin(41, ("How is it going?", "Met?"), ("fine", "")))
    view = form_view(form)
    inputs = [b for b in view["blocks"] if b["type"] == "input" and b["block_id"].startswith("q")]
    assert [b["element"].get("initial_value") for b in inputs] == ["fine", None]
    back = read_form(_submitted(view, {"q0": "good", "q1": "yes, twice"}, concern=True))
    assert submitted_command(ADA, back) == AnswerCheckin(ADA, ("good", "yes, twice"), True, 41)


def test_a_profile_modal_sends_back_every_field_by_name() -> None:
    form = Form(
        PROFILE_FORM,
        "Your profile",
        "Your profile",
        (
            FormField("timezone", "Time zone", "Europe/Berlin", "e.g. Europe/Berlin"),
            FormField("bio", "About you", "", "up to 280 characters", FieldKind.LONG),
        ),
        at_once=False,
    )
    view = form_view(form)
    assert [b["block_id"] for b in view["blocks"]] == ["timezone", "bio"]
    back = read_form(_submitted(view, {"timezone": "America/Chicago", "bio": None}))
    assert submitted_command(ADA, back) == UpdateProfile(
        ADA, (("timezone", "America/Chicago"), ("bio", ""))
    )
