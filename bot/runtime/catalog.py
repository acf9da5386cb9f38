"""Every command of the core, once: its usage, what it does, who may use it, and how its words
become a command object. Help, usage errors, suggestions and the adapters all read this table."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.kernel import commands as c
from bot.kernel.circle_names import CIRCLE_NAME_RULE, not_a_circle_name
from bot.kernel.errors import UsageError, UserError
from bot.kernel.model import Actor, CircleRole, MeetingAnswer
from bot.kernel.parsing import Args, mention_user_id
from bot.kernel.text import neutralise


class Audience(StrEnum):
    """Who may use a command (the handlers check it; help and the docs say it)."""

    EVERYONE = "everyone"
    MODERATORS = "moderators and facilitators"
    """Moderators, and a circle's facilitators for their own circle."""
    MODERATORS_ONLY = "moderators"


Builder = Callable[[Args, Actor], c.Command]


@dataclass(frozen=True)
class CommandSpec:
    path: str
    usage: str
    summary: str
    build: Builder
    audience: Audience = Audience.EVERYONE
    details: str = ""

    @property
    def root(self) -> str:
        return self.path.split()[0]


_MEMBER_ROLES = [r.value for r in CircleRole]
_ADD_ROLES = [*_MEMBER_ROLES, "facilitator"]


def _only(build: Callable[[Actor], c.Command]) -> Builder:
    def builder(args: Args, actor: Actor) -> c.Command:
        args.end()
        return build(actor)

    return builder


def _help(args: Args, actor: Actor) -> c.Command:
    return c.ShowHelp(actor, args.rest().lstrip("/") or None)


PERSON_FIELDS = ("role", "adult")
"""The fields a moderator sets for someone else."""


def _profile_set(args: Args, actor: Actor) -> c.Command:
    """`/profile set <field> <value>`, or a moderator's `/profile set @person <field> <value>`;
    for role and adult the person may also come last (`role mentor @ada`), as Discord writes
    its options."""
    first = args.peek()
    user_id = mention_user_id(first) if first is not None else None
    if user_id is not None:
        args.word("a person")
    field = args.word("a field").lower()
    value = args.rest()
    if user_id is None and field in PERSON_FIELDS:
        value, user_id = _trailing_person(value)
    if not value:
        raise args.fail(
            f"Missing a value for {field}. /help profile set says what each field takes;"
            " a dash (-) clears an optional one."
        )
    return c.SetProfileField(actor, field, value, user_id)


def _trailing_person(value: str) -> tuple[str, str | None]:
    words = value.split()
    user_id = mention_user_id(words[-1]) if words else None
    return (" ".join(words[:-1]), user_id) if user_id is not None else (value, None)


def _circle_name(args: Args, *, role_may_follow: bool = False) -> str:
    """The circle's name, one word. Words after it that the command does not take (up to `as`
    or a role, when a role may follow) are a name typed with spaces: refused, with a name made
    from them."""
    name = args.word("the circle's name")
    words = [name]
    while (word := args.peek()) is not None and not (
        role_may_follow and word.lower() in ("as", *_ADD_ROLES)
    ):
        words.append(args.word("more"))
    if len(words) > 1:
        raise args.fail(f"{not_a_circle_name(' '.join(words))} /circle list shows the circles.")
    return name


def _circle_named(make: Callable[[Actor, str], c.Command]) -> Builder:
    def builder(args: Args, actor: Actor) -> c.Command:
        name = _circle_name(args)
        args.end()
        return make(actor, name)

    return builder


def _circle_join(args: Args, actor: Actor) -> c.Command:
    name = _circle_name(args, role_may_follow=True)
    role = args.optional_as_role(_MEMBER_ROLES)
    args.end()
    return c.JoinCircle(actor, name, CircleRole(role) if role else None)


def _circle_create(args: Args, actor: Actor) -> c.Command:
    name = args.word("the circle's name")
    return c.CreateCircle(actor, name, args.rest())


def _circle_add(args: Args, actor: Actor) -> c.Command:
    user_id = args.mention()
    name = _circle_name(args, role_may_follow=True)
    role = args.optional_as_role(_ADD_ROLES)
    args.end()
    return c.AddToCircle(actor, user_id, name, role)


def _circle_remove(args: Args, actor: Actor) -> c.Command:
    user_id = args.mention()
    name = _circle_name(args)
    args.end()
    return c.RemoveFromCircle(actor, user_id, name)


def _circle_set(args: Args, actor: Actor) -> c.Command:
    name = args.word("the circle's name")
    key = args.word("a setting").lower()
    value = args.rest()
    if not value:
        raise args.fail(f"Missing a value for {key}.")
    return c.SetCircleOption(actor, name, key, value)


def _findbuddy(args: Args, actor: Actor) -> c.Command:
    return c.FindBuddy(actor, args.rest() or None)


def _meeting(answer: MeetingAnswer) -> Builder:
    def builder(args: Args, actor: Actor) -> c.Command:
        user_id = args.mention("your buddy (@name)")
        args.end()
        return c.AnswerMeeting(actor, user_id, answer)

    return builder


def _buddy_end(args: Args, actor: Actor) -> c.Command:
    user_id = args.mention("your buddy (@name)")
    return c.EndPairing(actor, user_id, args.rest())


def _person(make: Callable[[Actor, str], c.Command]) -> Builder:
    def builder(args: Args, actor: Actor) -> c.Command:
        user_id = args.mention()
        args.end()
        return make(actor, user_id)

    return builder


def _pause(args: Args, actor: Actor) -> c.Command:
    until = args.rest()
    if not until:
        raise args.fail("Say for how long: 2w, until YYYY-MM-DD (a date), or off.")
    return c.Pause(actor, until)


def _checkin_answer(concern: bool) -> Builder:
    def builder(args: Args, actor: Actor) -> c.Command:
        text = args.rest()
        if not text:
            raise args.fail("Give your answers in order, separated by |.")
        return c.AnswerCheckin(actor, tuple(part.strip() for part in text.split("|")), concern)

    return builder


def _checkin_show(args: Args, actor: Actor) -> c.Command:
    circle = args.optional_word()
    args.end()
    return c.ShowCheckin(actor, circle)


def _checkin_answers(args: Args, actor: Actor) -> c.Command:
    """`/checkin answers <circle> [day or period] [@person]`; a line with `|` in it is someone
    answering their own check-in with one letter too many, and is told so."""
    text = args.rest()
    if "|" in text:
        raise args.fail(
            "To answer your check-in: /checkin answer <1> | <2> | ... "
            "(/checkin answers <circle> is for moderators reading a circle's answers)."
        )
    words = Args(text, args.usage)
    circle = words.word("the circle's name")
    token = words.peek()
    period = words.word("a day") if token is not None and not mention_user_id(token) else None
    user_id = words.mention("whose answers (@name)") if words.peek() is not None else None
    words.end()
    return c.ShowCheckinAnswers(actor, circle, period, user_id)


def _flag(args: Args, actor: Actor) -> c.Command:
    text = args.rest()
    if not text:
        raise args.fail("Say what worries you; only the moderators will see it.")
    return c.RaiseFlag(actor, text)


def _blackout_add(args: Args, actor: Actor) -> c.Command:
    first = args.word("the first date (YYYY-MM-DD)")
    last = args.optional_word()
    args.end()
    return c.AddBlackout(actor, first, last)


def _blackout_remove(args: Args, actor: Actor) -> c.Command:
    day = args.word("a date of the blackout (YYYY-MM-DD)")
    args.end()
    return c.RemoveBlackout(actor, day)


def _kudos(args: Args, actor: Actor) -> c.Command:
    user_id = args.mention("who the kudos are for (@name)")
    words = args.rest().split()
    value = words.pop()[1:].lower() if words and words[-1].startswith("#") else None
    if any(mention_user_id(word) not in (None, *MASS_MENTIONS) for word in words):
        raise args.fail("One person per kudos; say why in words.")
    return c.GiveKudos(actor, user_id, " ".join(words), value)


def _kudos_wall(args: Args, actor: Actor) -> c.Command:
    circle = args.optional_word()
    args.end()
    return c.ShowKudosWall(actor, circle)


def _kudos_top(args: Args, actor: Actor) -> c.Command:
    period = args.choice("week, month or all", KUDOS_PERIODS) if args.peek() else "week"
    args.end()
    return c.ShowKudosTop(actor, period)


def _kudos_revoke(args: Args, actor: Actor) -> c.Command:
    kudos_id = args.word("the kudos number (shown on /kudos wall)")
    return c.RevokeKudos(actor, kudos_id, args.rest())


def _privacy_delete(args: Args, actor: Actor) -> c.Command:
    confirmed = args.choice("confirm", ("confirm",)) == "confirm" if args.peek() else False
    args.end()
    return c.DeleteMyData(actor, confirmed)


def _stats(make: Callable[[Actor, str | None], c.Command]) -> Builder:
    def builder(args: Args, actor: Actor) -> c.Command:
        circle = args.optional_word()
        args.end()
        return make(actor, circle)

    return builder


def _audit(args: Args, actor: Actor) -> c.Command:
    word = args.optional_word()
    args.end()
    if word is None:
        return c.ShowAudit(actor)
    if not word.isdecimal() or not 1 <= int(word) <= AUDIT_LIMIT:
        raise args.fail(f"How many entries: a number from 1 to {AUDIT_LIMIT}.")
    return c.ShowAudit(actor, int(word))


AUDIT_LIMIT = 200
KUDOS_PERIODS = ("week", "month", "all")
MASS_MENTIONS = ("everyone", "here", "channel")
"""Not a person: in a reason they are text, shown unable to ping."""

PROFILE_FIELDS_HELP = """\
role: student or mentor (where the moderators appoint mentors, asking sends them a request)
timezone: an IANA name such as Europe/Berlin
stage: where you are, a number 1-12 or a short label
subjects, languages: comma lists, e.g. algebra, physics
hours: when you are free, e.g. mon-fri 16:00-19:00; sat 10:00-12:00
quiet-hours: when I must not message you, e.g. 21:00-08:00 (at most 16 hours)
bio: up to 280 characters
capacity: (mentors) how many mentees at once, 1-20
public-kudos: on or off (off: kudos reach you privately only)
listed: on or off (off hides you from circle listings and suggestions)
A dash clears a field (all but role, public-kudos and listed): /profile set bio -
Moderators only:
buddy-pool: on or off, whether /findbuddy and circle rounds may pair you (off until you say on)
/profile set @person role mentor (or student): appoint a mentor, or make them a student again
/profile set @person adult on, off or -: mark an adult, a minor, or neither (a moderator is
counted as an adult unless marked off); adults are never put with minors unless the programme
allows it, and then the moderators get a copy of the introduction"""

CIRCLE_SETTINGS_HELP = """\
cadence: weekly, biweekly, monthly or off
day: mon..sun
time: HH:MM, in each member's own time zone
group-size: 2..8
odd: trio or sit-out (what to do with an odd number)
checkin-audience: mentors, everyone or nobody (who gets the check-ins)
checkin-questions: questions separated by |
channel: the channel the circle's posts go to
private: on or off (private circles are invisible to non-members)"""

CATALOG: tuple[CommandSpec, ...] = (
    CommandSpec("help", "/help [command]", "what I can do here, or one command in detail", _help),
    CommandSpec("profile", "/profile", "show my profile", _only(lambda a: c.ShowProfile(a))),
    CommandSpec(
        "profile set",
        "/profile set <field> <value>",
        "set one field of my profile",
        _profile_set,
        details=PROFILE_FIELDS_HELP,
    ),
    CommandSpec(
        "circle list",
        "/circle list",
        "circles I can see, with member counts",
        _only(lambda a: c.ListCircles(a)),
    ),
    CommandSpec(
        "circle info",
        "/circle info <name>",
        "topic, members by role, cadence",
        _circle_named(lambda a, n: c.ShowCircle(a, n)),
    ),
    CommandSpec(
        "circle join",
        "/circle join <name> [as mentor|mentee]",
        "join an open circle",
        _circle_join,
    ),
    CommandSpec(
        "circle leave",
        "/circle leave <name>",
        "leave a circle (the last facilitator leaves it to the moderators)",
        _circle_named(lambda a, n: c.LeaveCircle(a, n)),
    ),
    CommandSpec(
        "circle create",
        "/circle create <name> [topic]",
        "a new circle",
        _circle_create,
        Audience.MODERATORS_ONLY,
        details=f"The name is {CIRCLE_NAME_RULE}.",
    ),
    CommandSpec(
        "circle add",
        "/circle add @person <name> [as mentor|mentee|facilitator]",
        "add someone to a circle, or make them its facilitator",
        _circle_add,
        Audience.MODERATORS,
    ),
    CommandSpec(
        "circle remove",
        "/circle remove @person <name>",
        "take someone out of a circle",
        _circle_remove,
        Audience.MODERATORS,
    ),
    CommandSpec(
        "circle archive",
        "/circle archive <name>",
        "close a circle, keeping its history",
        _circle_named(lambda a, n: c.ArchiveCircle(a, n)),
        Audience.MODERATORS_ONLY,
    ),
    CommandSpec(
        "circle set",
        "/circle set <name> <key> <value>",
        "change a circle's settings",
        _circle_set,
        Audience.MODERATORS,
        details=CIRCLE_SETTINGS_HELP,
    ),
    CommandSpec(
        "findbuddy",
        "/findbuddy [subject]",
        "find a study buddy now, or wait in the queue until someone fits",
        _findbuddy,
        details="With a subject, only people who study it or asked for it too are matched.",
    ),
    CommandSpec(
        "findbuddy cancel",
        "/findbuddy cancel",
        "leave the buddy queue",
        _only(lambda a: c.CancelFindBuddy(a)),
    ),
    CommandSpec("buddy", "/buddy", "my buddies and why we were put together", _only(c.ShowBuddies)),
    CommandSpec("buddy met", "/buddy met @person", "we met", _meeting(MeetingAnswer.MET)),
    CommandSpec(
        "buddy notyet",
        "/buddy notyet @person",
        "we have not met yet (I ask again in two days)",
        _meeting(MeetingAnswer.NOT_YET),
    ),
    CommandSpec(
        "buddy couldnt",
        "/buddy couldnt @person",
        "we could not meet",
        _meeting(MeetingAnswer.COULDNT),
    ),
    CommandSpec(
        "buddy end",
        "/buddy end @person [reason]",
        "end a pairing; I may be paired again",
        _buddy_end,
        details="The reason is kept for the moderators only; your buddy is just told it ended.",
    ),
    CommandSpec(
        "pause",
        "/pause <2w|until YYYY-MM-DD|off>",
        "no pairings and no prompts until then",
        _pause,
    ),
    CommandSpec(
        "block",
        "/block @person",
        "never pair me with this person; nobody else is told",
        _person(lambda a, u: c.BlockMember(a, u)),
    ),
    CommandSpec(
        "unblock",
        "/unblock @person",
        "undo a block",
        _person(lambda a, u: c.UnblockMember(a, u)),
    ),
    CommandSpec(
        "round preview",
        "/round preview <circle>",
        "the pairing round that would run now, with reasons; sends nothing",
        _circle_named(lambda a, n: c.PreviewRound(a, n)),
        Audience.MODERATORS,
    ),
    CommandSpec(
        "round run",
        "/round run <circle>",
        "run a pairing round now",
        _circle_named(lambda a, n: c.RunRound(a, n)),
        Audience.MODERATORS,
    ),
    CommandSpec(
        "checkin",
        "/checkin [circle]",
        "answer my current check-in",
        _checkin_show,
        details="Answers can be changed until the check-in closes; later answers are kept as late.",
    ),
    CommandSpec(
        "checkin answer",
        "/checkin answer <answer 1> | <answer 2> | ...",
        "answer my check-in in one line, in the order of the questions",
        _checkin_answer(concern=False),
    ),
    CommandSpec(
        "checkin concern",
        "/checkin concern <answer 1> | <answer 2> | ...",
        "answer it and send it to the moderators privately as a concern",
        _checkin_answer(concern=True),
    ),
    CommandSpec(
        "checkin skip",
        "/checkin skip [reason]",
        "skip this period (on leave, nothing to report)",
        lambda args, actor: c.SkipCheckin(actor, args.rest()),
    ),
    CommandSpec(
        "checkin stay",
        "/checkin stay",
        'answer "still in?": keep my check-ins going',
        _only(lambda a: c.StayIn(a)),
    ),
    CommandSpec(
        "checkin status",
        "/checkin status <circle>",
        "who answered this period and who has not (for moderators also: skips, late answers, "
        "concerns)",
        _circle_named(lambda a, n: c.ShowCheckinStatus(a, n)),
        Audience.MODERATORS,
    ),
    CommandSpec(
        "checkin answers",
        "/checkin answers <circle> [YYYY-MM-DD] [@person]",
        "what the members wrote in a circle's check-in; each read is in the audit trail",
        _checkin_answers,
        Audience.MODERATORS_ONLY,
        details="The latest check-in, or the one of the week (fortnight, month) a day falls in; "
        "with @person, only theirs. Those who wrote something under the last question come "
        "first.",
    ),
    CommandSpec(
        "kudos",
        "/kudos @person <reason> [#value]",
        "recognise someone; posted in the circle's channel and sent to them",
        _kudos,
        details="The reason is 3 to 300 characters; /kudos wall shows recent kudos.",
    ),
    CommandSpec(
        "kudos wall",
        "/kudos wall [circle]",
        "recent kudos, in the workspace or one circle",
        _kudos_wall,
    ),
    CommandSpec(
        "kudos top",
        "/kudos top [week|month|all]",
        "who received and gave most (moderators, unless the workspace makes it public)",
        _kudos_top,
    ),
    CommandSpec(
        "kudos revoke",
        "/kudos revoke <number> [reason]",
        "take a kudos back; it leaves every wall and count, with an audit record",
        _kudos_revoke,
        Audience.MODERATORS_ONLY,
    ),
    CommandSpec(
        "flag",
        "/flag <text>",
        "a private concern, delivered to the moderators only",
        _flag,
    ),
    CommandSpec(
        "privacy export",
        "/privacy export",
        "everything stored about me, as a file",
        _only(lambda a: c.ExportMyData(a)),
    ),
    CommandSpec(
        "privacy delete",
        "/privacy delete [confirm]",
        "erase my personal data (asks first)",
        _privacy_delete,
        details="Your pairings and kudos stay as anonymous records, so the programme's counts "
        "still add up; everything that names you or that you wrote is erased.",
    ),
    CommandSpec(
        "stats",
        "/stats [circle]",
        "the programme's last 12 weeks, as text and a chart",
        _stats(lambda a, circle: c.ShowStats(a, circle)),
        Audience.MODERATORS,
    ),
    CommandSpec(
        "stats export",
        "/stats export [circle]",
        "the same numbers as a CSV file",
        _stats(lambda a, circle: c.ExportStats(a, circle)),
        Audience.MODERATORS,
    ),
    CommandSpec(
        "audit",
        "/audit [number]",
        "what moderators did with members' data, newest first",
        _audit,
        Audience.MODERATORS_ONLY,
    ),
    CommandSpec(
        "blackout add",
        "/blackout add <YYYY-MM-DD> [<YYYY-MM-DD>]",
        "holidays: no rounds and no check-ins on these dates, workspace-wide",
        _blackout_add,
        Audience.MODERATORS_ONLY,
    ),
    CommandSpec(
        "blackout list",
        "/blackout list",
        "the workspace's blackout dates",
        _only(lambda a: c.ListBlackouts(a)),
        Audience.MODERATORS_ONLY,
    ),
    CommandSpec(
        "blackout remove",
        "/blackout remove <YYYY-MM-DD>",
        "remove the blackout that includes this date",
        _blackout_remove,
        Audience.MODERATORS_ONLY,
    ),
)

SPECS_BY_PATH: dict[str, CommandSpec] = {spec.path: spec for spec in CATALOG}
ROOTS: frozenset[str] = frozenset(spec.root for spec in CATALOG)


class UnknownCommand(UserError):
    """Not a command of ours; the message suggests the nearest one."""


def find_spec(words: list[str]) -> tuple[CommandSpec, int] | None:
    """The longest command path that starts `words`, with how many words it used."""
    for length in (2, 1):
        spec = SPECS_BY_PATH.get(" ".join(words[:length]).lower())
        if spec and len(words) >= length:
            return spec, length
    return None


def suggest(words: list[str]) -> str | None:
    """The command nearest to what was typed. Rule: the first word decides the family (`kudo`
    is `kudos`); a second word picks a subcommand only when it reads like one, so `/kudo @noah
    hi` suggests `/kudos`, never `/kudos top`."""
    if not words:
        return None
    paths = list(SPECS_BY_PATH)
    first = words[0].lower()
    roots = difflib.get_close_matches(first, sorted(ROOTS), n=1, cutoff=0.7)
    if not roots:
        close = difflib.get_close_matches(" ".join(words[:2]).lower(), paths, n=1, cutoff=0.6)
        return close[0] if close else None
    root = roots[0]
    if len(words) > 1:
        subcommands = [p for p in paths if p.startswith(root + " ")]
        typed = f"{root} {words[1].lower()}"
        close = difflib.get_close_matches(typed, subcommands, n=1, cutoff=0.8)
        if close:
            return close[0]
    return root if root in SPECS_BY_PATH else next(p for p in paths if p.startswith(root + " "))


def parse_command(line: str, actor: Actor) -> c.Command:
    """Turn `/circle join algebra as mentor` into a command; usage errors say what fits."""
    words = line.strip().lstrip("/").split()
    if not words:
        raise UnknownCommand("Type a command, such as /help.")
    found = find_spec(words)
    if found is None:
        raise UnknownCommand(_unknown_message(words))
    spec, used = found
    rest = re.sub(r"^\s*/?" + r"\s+".join(map(re.escape, words[:used])), "", line, flags=re.I)
    try:
        return spec.build(Args(rest, spec.usage), actor)
    except UsageError as e:
        nearest = suggest(words) if used == 1 and len(words) > 1 else None
        if nearest is None or " " not in nearest:
            raise
        raise UserError(f"{e.message}\nDid you mean /{nearest}?") from None


def _unknown_message(words: list[str]) -> str:
    typed = neutralise("/" + " ".join(words[:2]), 60)
    nearest = suggest(words)
    hint = f" Did you mean /{nearest}?" if nearest else ""
    if words[0].lower() in ROOTS:
        hint = hint if len(words) > 1 else ""
        usages = "\n".join(s.usage for s in CATALOG if s.root == words[0].lower())
        return f"{typed} is not a command.{hint} The {words[0].lower()} commands are:\n{usages}"
    return f"I don't know {typed}.{hint} Type /help for everything I can do."
