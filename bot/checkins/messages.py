"""What check-ins say: the prompt, reminders, concerns, the moderators' digest and "still in?".

Rules: every time is shown in the reader's own zone; the prompt fits on a phone and shows how to
answer in one line; the prompt, reminders and "still in?" carry their answers as buttons too;
what a member typed is quoted with mentions defused; concerns and digests go to moderators only,
so they may name people and quote answers; a digest names who wrote something in answer to the
last question ("Anything the moderators should know?") and says how to read it, never the words;
each person's part of a digest (name, note) is recorded as theirs (bot.kernel.mentions), so
erasing them finds it by who they are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from bot.kernel.command_refs import command_ref
from bot.kernel.mentions import Composer
from bot.kernel.model import Action, Checkin, CheckinStatus, Member
from bot.kernel.text import neutralise

NAMES_SHOWN = 20
QUOTE_LIMIT = 1500


def questions_block(questions: Sequence[str]) -> str:
    return "\n".join(f"{n}. {q}" for n, q in enumerate(questions, 1))


def how_to_answer(checkin: Checkin) -> str:
    blanks = " | ".join(f"<{n}>" for n in range(1, len(checkin.questions) + 1))
    return (
        f"Answer with {command_ref('/checkin')} (a short form), or in one line: "
        f"{command_ref(f'/checkin answer {blanks}')}\n"
        "Something the moderators should know? Tell them privately: "
        f"{command_ref('/checkin concern <what worries you>')}\n"
        f"Away this week? {command_ref('/checkin skip [reason]')}"
    )


def prompt_text(checkin: Checkin, closes: str) -> str:
    return (
        f"Time for your check-in in the {checkin.circle.name} circle (two minutes):\n"
        f"{questions_block(checkin.questions)}\n{how_to_answer(checkin)}\n"
        f"Open until {closes} your time."
    )


def reminder_text(checkin: Checkin, closes: str, number: int, of: int) -> str:
    last = " This is the last reminder." if number == of else ""
    return (
        f"A reminder: your {checkin.circle.name} check-in is open until {closes} your time. "
        f"{command_ref('/checkin')} answers it, {command_ref('/checkin skip [reason]')} skips "
        f"this one.{last}"
    )


def answer_actions(checkin: Checkin) -> tuple[Action, ...]:
    """Under a prompt or a reminder: open this check-in's form, or skip it."""
    return (
        Action("Answer", f"/checkin {checkin.circle.name}", "primary"),
        Action("Skip this one", "/checkin skip"),
    )


def answers_text(checkin: Checkin) -> str:
    return "\n".join(
        f"{q}\n> {neutralise(a, QUOTE_LIMIT) or '(no answer)'}"
        for q, a in zip(checkin.questions, checkin.answers, strict=False)
    )


def still_in_text(missed: int) -> str:
    return (
        f"You have missed your last {missed} check-ins; that is fine, but are you still in? "
        f"{command_ref('/checkin stay')} keeps everything as it is. If I hear nothing in a few "
        "days I will pause your check-ins and pairings; "
        f"{command_ref('/pause off')} brings you back whenever you like."
    )


PAUSED_TEXT = (
    'I did not hear back after "still in?", so your check-ins and pairings are paused. '
    f"Whenever you want to come back: {command_ref('/pause off')}."
)


def why_paused(member: Member, quiet_after: int) -> str:
    """Why a member is paused for going quiet, from their runs of missed check-ins (counted from
    `quiet_after`) and of rounds without a word about meeting."""
    missed, rounds = member.missed_checkins, member.quiet_rounds
    gone = []
    if missed >= quiet_after:
        gone.append(f"missed {missed} check-ins in a row")
    if rounds:
        gone.append(f"did not say whether they met their buddy in {rounds} rounds in a row")
    return ", ".join(gone) or "went quiet"


def paused_for_moderators(paused: Sequence[tuple[Member, str]]) -> Composer:
    """One note to the moderators naming everyone just paused for going quiet, each with why;
    each name is about its member."""
    text = Composer()
    if len(paused) == 1:
        [(member, why)] = paused
        text.about(member.id, neutralise(member.display_name, 60))
        text.add(f' {why}, and did not answer "still in?", so they are paused now.')
    else:
        text.add(f'{len(paused)} members did not answer "still in?", so they are paused now:')
        for member, why in paused:
            text.add("\n• ")
            text.about(member.id, neutralise(member.display_name, 60))
            text.add(f" {why}")
    text.add(f"\nThey come back with {command_ref('/pause off')}.")
    return text


def digest_message(
    circle_name: str,
    period_label: str,
    checkins: Sequence[Checkin],
    late_earlier: Sequence[Checkin],
    zone: ZoneInfo,
) -> Composer:
    """The moderators' summary of a period, each person's part in it (their name and what they
    wrote) a mention of them."""
    answered = [c for c in checkins if c.status is CheckinStatus.ANSWERED]
    late = [c for c in answered if c.late]
    skipped = [c for c in checkins if c.status is CheckinStatus.SKIPPED]
    missing = [c for c in checkins if c.status in (CheckinStatus.MISSED, CheckinStatus.OPEN)]
    concerns = [c for c in checkins if c.concern]
    text = Composer()
    text.add(f"Check-in summary for {circle_name}, {period_label}: {len(checkins)} asked.\n")
    text.add(f"Answered: {len(answered)}{f' ({len(late)} late)' if late else ''}")
    _named_into(text, answered, lambda c: " (late)" if c.late else "")
    text.add(f"\nSkipped: {len(skipped)}")
    _named_into(text, skipped, skip_note)
    text.add(f"\nMissing: {len(missing)}")
    _named_into(text, missing, lambda c: "")
    text.add(f"\nConcerns: {len(concerns)}")
    if concerns:
        _named_into(text, concerns, lambda c: "")
        text.add(" (each sent to you when raised)")
    wrote = [c for c in answered if wrote_something(c)]
    if wrote:
        text.add(f"\n{wrote_heading(wrote)}")
        _named_into(text, wrote, lambda c: "")
        text.add(f"\n{read_answers_hint(circle_name, wrote)}")
    if late_earlier:
        text.add(f"\nLate answers to earlier check-ins since the last summary: {len(late_earlier)}")
        _named_into(text, late_earlier, lambda c: f" ({c.scheduled_at.astimezone(zone):%d %b})")
    text.add(f"\n{command_ref(f'/checkin status {circle_name}')} shows who is who.")
    return text


def skip_note(checkin: Checkin) -> str:
    return f" ({neutralise(checkin.skip_reason, 80)})" if checkin.skip_reason else ""


def named(
    checkins: Sequence[Checkin], note: Callable[[Checkin], str], limit: int = NAMES_SHOWN
) -> str:
    """`: Ada, Ben (late) and 3 more`, or nothing when there is nobody."""
    text = Composer()
    _named_into(text, checkins, note, limit)
    return text.text


def _named_into(
    text: Composer,
    checkins: Sequence[Checkin],
    note: Callable[[Checkin], str],
    limit: int = NAMES_SHOWN,
) -> None:
    """`named`, each person's name and note a mention of them."""
    if not checkins:
        return
    text.add(": ")
    for n, checkin in enumerate(checkins[:limit]):
        text.add(", " if n else "")
        text.about(checkin.member.id, neutralise(checkin.member.display_name, 40) + note(checkin))
    text.add(f" and {len(checkins) - limit} more" if len(checkins) > limit else "")


NOTHING_SAID = frozenset({"", "-", "no", "nope", "nothing", "none", "n/a", "na", "nil"})
"""Last answers that say there is nothing for the moderators (compared in lower case, without
the punctuation around them)."""


def wrote_something(checkin: Checkin) -> bool:
    """Whether the member answered the check-in's last question (by default "Anything the
    moderators should know?") with something other than nothing, no, none or n/a."""
    count = len(checkin.questions)
    if checkin.status is not CheckinStatus.ANSWERED or not count:
        return False
    last = checkin.answers[count - 1] if len(checkin.answers) >= count else ""
    return last.strip().strip(".!?,;:").strip().lower() not in NOTHING_SAID


def wrote_heading(wrote: Sequence[Checkin]) -> str:
    """`Wrote something under "<the last question>": <how many>`, before their names."""
    return f'Wrote something under "{neutralise(wrote[0].questions[-1], 80)}": {len(wrote)}'


def read_answers_hint(circle_name: str, wrote: Sequence[Checkin]) -> str:
    return (
        f"{command_ref(f'/checkin answers {circle_name} {wrote[0].period}')} shows what they wrote."
    )
