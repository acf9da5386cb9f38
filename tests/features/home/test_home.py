"""The home page as members see it: their circles, buddies, queue, open check-in, kudos and
pause, each from their own data only, and a valid empty home for someone new."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.bootstrap import App
from adapters.clock import ManualClock
from adapters.console.people import actor
from bot.home.commands import ShowHome
from bot.kernel.command_refs import as_typed
from bot.kernel.forms import FieldKind
from bot.kernel.replies import HomeSummary, Reply
from tests.support.scenes import Say

MONDAY_MORNING = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)


async def home_of(app: App, name: str) -> Reply:
    return await app.bus.handle(ShowHome(actor("w1", name.capitalize())))


def summary(reply: Reply) -> HomeSummary:
    assert reply.ok, reply.text
    assert reply.home is not None
    return reply.home


async def study_buddies(say: Say) -> None:
    """Ada and Ben, both free after school and studying algebra, find each other."""
    for name in ("ada", "ben"):
        assert (await say(name, "/profile set subjects algebra")).ok
        assert (await say(name, "/profile set hours mon-fri 16:00-19:00")).ok
    assert (await say("ada", "/findbuddy algebra")).ok
    assert "Ada" in (await say("ben", "/findbuddy")).text


async def weekly_checkins_open(app: App, say: Say, clock: ManualClock) -> None:
    """algebra asks everyone on Mondays at 09:00 (and runs its round); the clock moves to Monday
    10:00."""
    for key, value in (
        ("cadence", "weekly"),
        ("day", "mon"),
        ("time", "09:00"),
        ("checkin-audience", "everyone"),
    ):
        assert (await say("morgan", f"/circle set algebra {key} {value}")).ok
    clock.current = MONDAY_MORNING - timedelta(hours=2)
    while clock.now() < MONDAY_MORNING:
        clock.advance(timedelta(hours=1))
        await app.due.run_due()


async def test_a_busy_member_sees_circle_buddy_checkin_and_kudos(
    app: App, circle_with_people: Say, clock: ManualClock
) -> None:
    say = circle_with_people
    await study_buddies(say)
    assert (await say("morgan", "/kudos @ada Great questions in class #kindness")).ok
    await weekly_checkins_open(app, say, clock)
    reply = await home_of(app, "ada")
    home = summary(reply)
    assert home.circles == ("algebra: mentee, weekly on mon at 09:00 your time",)
    assert home.buddies == ("Maya: since Mon 9 Mar", "Ben: since Tue 3 Mar, for algebra")
    assert home.waiting_for_buddy is None
    assert home.checkin == (await say("ada", "/checkin")).form
    assert home.kudos == ("Tue 3 Mar, from Morgan: Great questions in class #kindness",)
    assert home.paused_until is None
    for shown in ("algebra: mentee", "Ben: since", "/checkin algebra", "Great questions"):
        assert shown in reply.text


async def test_a_facilitator_sees_their_role_and_an_answered_checkin_to_change(
    app: App, circle_with_people: Say, clock: ManualClock
) -> None:
    say = circle_with_people
    await weekly_checkins_open(app, say, clock)
    assert (await say("maya", "/checkin answer Good week")).ok
    reply = await home_of(app, "maya")
    home = summary(reply)
    assert home.circles == ("algebra: mentor and facilitator, weekly on mon at 09:00 your time",)
    assert home.checkin is not None
    assert home.checkin.fields[0].value == "Good week"
    assert "check-in is answered; /checkin algebra changes it" in as_typed(reply.text)


async def test_a_new_member_gets_an_empty_but_valid_home(app: App) -> None:
    reply = await home_of(app, "newbie")
    assert summary(reply) == HomeSummary(
        circles=(), buddies=(), waiting_for_buddy=None, checkin=None, kudos=()
    )
    assert "Your circles: none yet" in reply.text
    assert "Kudos for you: none yet" in reply.text


async def test_the_queue_and_a_pause_show_with_their_dates(app: App, say: Say) -> None:
    assert (await say("ada", "/findbuddy chemistry")).ok
    home = summary(await home_of(app, "ada"))
    assert home.waiting_for_buddy == (
        "Waiting for a buddy since Tue 3 Mar, for chemistry (until Fri 6 Mar)"
    )
    assert (await say("ada", "/findbuddy cancel")).ok
    assert (await say("ada", "/pause 2w")).ok
    home = summary(await home_of(app, "ada"))
    assert home.waiting_for_buddy is None
    assert home.paused_until == "Tue 17 Mar, 10:00"


async def test_only_the_five_latest_kudos_show_and_revoked_ones_never(
    app: App, say: Say, clock: ManualClock
) -> None:
    assert (await say("ada", "/profile")).ok
    for n in range(1, 7):
        assert (await say("morgan", f"/kudos @ada Thanks for help number {n}")).ok
        clock.advance(timedelta(days=1))
    assert (await say("morgan", "/kudos revoke 6 given twice")).ok
    kudos = summary(await home_of(app, "ada")).kudos
    assert [k.rsplit(" ", 1)[-1] for k in kudos] == ["5", "4", "3", "2", "1"]


async def test_kudos_kept_off_the_wall_still_reach_their_home(app: App, say: Say) -> None:
    assert (await say("ada", "/profile set public-kudos off")).ok
    assert (await say("morgan", "/kudos @ada Quietly brilliant work")).ok
    assert "Quietly brilliant work" in summary(await home_of(app, "ada")).kudos[0]


async def test_nobody_elses_answers_or_kudos_appear_in_my_home(
    app: App, circle_with_people: Say, clock: ManualClock
) -> None:
    say = circle_with_people
    assert (await say("ben", "/circle join algebra")).ok
    assert (await say("morgan", "/kudos @ben Helped everyone with fractions")).ok
    assert (await say("morgan", "/kudos @ada Kind to newcomers")).ok
    await weekly_checkins_open(app, say, clock)
    assert (await say("ben", "/checkin concern Secret worry about home")).ok
    assert (await say("maya", "/checkin answer Mentor notes on Ada")).ok
    reply = await home_of(app, "ada")
    everything = f"{reply.text}\n{reply.home!r}"
    for private in ("Secret worry", "Mentor notes", "Helped everyone"):
        assert private not in everything
    home = summary(reply)
    assert home.checkin is not None
    assert {f.value for f in home.checkin.fields if f.kind is FieldKind.LONG} == {""}
    assert home.kudos == ("Tue 3 Mar, from Morgan: Kind to newcomers",)


async def test_text_that_someone_typed_cannot_ping_from_the_home(app: App, say: Say) -> None:
    assert (await say("ada", "/profile")).ok
    assert (await say("morgan", "/kudos @ada You were great @everyone <!channel>")).ok
    reply = await home_of(app, "ada")
    everything = f"{reply.text}\n{reply.home!r}"
    assert "@everyone" not in everything
    assert "<!channel>" not in everything


async def test_a_circle_left_takes_its_checkin_off_the_home(
    app: App, circle_with_people: Say, clock: ManualClock
) -> None:
    say = circle_with_people
    await weekly_checkins_open(app, say, clock)
    assert summary(await home_of(app, "ada")).checkin is not None
    assert (await say("ada", "/circle leave algebra")).ok
    home = summary(await home_of(app, "ada"))
    assert home.circles == ()
    assert home.checkin is None


async def test_a_checkin_whose_window_closed_is_not_offered(
    app: App, circle_with_people: Say, clock: ManualClock
) -> None:
    say = circle_with_people
    await weekly_checkins_open(app, say, clock)
    clock.advance(timedelta(days=5))
    await app.due.run_due()
    assert summary(await home_of(app, "ada")).checkin is None
