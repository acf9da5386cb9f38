"""The programme's numbers for /stats: twelve weeks, Monday to Sunday in the workspace's time
zone with the current week last, and two numbers as they stand now.

Definitions, each counted in the week its moment falls in:
- pairings made: pairings started, on demand or by a round (for a circle, its rounds');
- meetings held: pairings that met, each counted once, in the week of its first "we met"
  answer, however many of its people said so;
- check-in answer rate: answered ÷ due, in the week of the check-in's scheduled moment; every
  check-in is due except one recorded skipped without being asked (the member was paused); a
  late answer counts as answered, and one still open counts as due, not answered;
- concerns: flags raised, by /flag or by marking a check-in answer as a concern; for moderators
  only (a facilitator's stats have no concerns at all: a facilitator may be a student a concern
  is about, and even a count in a small circle says who raised one);
- kudos: given and not revoked;
- meetings rated: the ratings of meetings given that week (a rating given again counts once, in
  the week it was last given) and their average, both shown only when at least MIN_RATERS
  different people gave them (else "–"), so that no single rating can be traced back; the
  total likewise over the twelve weeks;
- now: people waiting in the buddy queue, and members a DM could not reach (not yet told).

For one circle: the pairings of its rounds, its check-ins, the concerns and kudos recorded for
it (a check-in's concern is its circle's; a /flag is recorded for a circle only when the person
raising it is in no other; a kudos for the circle it was posted for), and, now, its members.
The ratings of a circle are those of its rounds' pairings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.kernel.local_time import start_of_day
from bot.kernel.model import CheckinStatus
from bot.kernel.model.feedback import MIN_RATERS
from bot.stats.ports import CheckinFact, RatingFact

WEEKS = 12
CIRCLE_NOTE = (
    "A circle counts its rounds' pairings, its check-ins, the concerns and kudos recorded for it "
    "(a concern raised outside a check-in is, when whoever raised it is in no other circle) "
    "and its own members now."
)
CIRCLE_NOTE_NO_CONCERNS = (
    "A circle counts its rounds' pairings, its check-ins, the kudos recorded for it and its own "
    "members now. Concerns are for the moderators only."
)


TOO_FEW = "–"
"""A rating cell of fewer than MIN_RATERS different people."""


@dataclass(frozen=True)
class Ratings:
    """Ratings of meetings over some weeks: how many and their sum, and by how many different
    people; shown only from MIN_RATERS different people on."""

    count: int = 0
    total: int = 0
    raters: int = 0

    @property
    def shown(self) -> bool:
        return self.raters >= MIN_RATERS

    @property
    def average(self) -> float | None:
        return self.total / self.count if self.shown and self.count else None

    def shown_count(self) -> str:
        return str(self.count) if self.shown else TOO_FEW

    def shown_average(self) -> str:
        """One decimal, halves rounded up; TOO_FEW below MIN_RATERS different people."""
        if not self.shown or not self.count:
            return TOO_FEW
        tenths = (20 * self.total + self.count) // (2 * self.count)
        return f"{tenths // 10}.{tenths % 10}"


def ratings_of(facts: Iterable[RatingFact]) -> Ratings:
    chosen = list(facts)
    return Ratings(len(chosen), sum(f.score for f in chosen), len({f.rater_id for f in chosen}))


@dataclass(frozen=True)
class ProgrammeStats:
    """Each series has one number per week of `weeks` (their Mondays, oldest first)."""

    circle: str | None
    """The circle's name; None for the whole workspace."""
    zone: str
    now: datetime
    weeks: tuple[date, ...]
    pairings_made: tuple[int, ...]
    meetings_held: tuple[int, ...]
    checkins_due: tuple[int, ...]
    checkins_answered: tuple[int, ...]
    concerns: tuple[int, ...] | None
    """None when the reader may not see concerns (a facilitator)."""
    kudos: tuple[int, ...]
    waiting: int
    unreachable: int
    ratings: tuple[Ratings, ...] = ()
    """Ratings of meetings, one per week."""
    ratings_total: Ratings = Ratings()
    """Over the twelve weeks, with the same rule for different people."""

    def answer_rate(self, week: int) -> float | None:
        """Answered ÷ due in that week; None when nothing was due."""
        return rate(self.checkins_answered[week], self.checkins_due[week])

    @property
    def today(self) -> date:
        return self.now.astimezone(ZoneInfo(self.zone)).date()


def rate(answered: int, due: int) -> float | None:
    return answered / due if due else None


def shown_rate(answered: int, due: int) -> str:
    """A whole percentage, halves rounded up; "-" when nothing was due."""
    return f"{(200 * answered + due) // (2 * due)}%" if due else "-"


def week_starts(now: datetime, zone: ZoneInfo) -> tuple[date, ...]:
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    return tuple(monday - timedelta(weeks=WEEKS - 1 - n) for n in range(WEEKS))


def reading_since(now: datetime, zone: ZoneInfo) -> datetime:
    """Early enough for every fact of the first week, with a day to spare around a time change
    at midnight; what falls before the first week is left out when counting."""
    return start_of_day(week_starts(now, zone)[0], zone) - timedelta(days=1)


def is_due(checkin: CheckinFact) -> bool:
    return checkin.prompted or checkin.status is not CheckinStatus.SKIPPED


def programme_stats(
    circle: str | None,
    zone: ZoneInfo,
    now: datetime,
    *,
    pairings: Iterable[datetime],
    meetings: Iterable[datetime],
    checkins: Sequence[CheckinFact],
    concerns: Iterable[datetime] | None,
    kudos: Iterable[datetime],
    waiting: int,
    unreachable: int,
    ratings: Iterable[RatingFact] = (),
) -> ProgrammeStats:
    weeks = week_starts(now, zone)

    def week_of(moment: datetime) -> int | None:
        week = (moment.astimezone(zone).date() - weeks[0]).days // 7
        return week if 0 <= week < WEEKS else None

    def per_week(moments: Iterable[datetime]) -> tuple[int, ...]:
        counts = [0] * WEEKS
        for moment in moments:
            week = week_of(moment)
            if week is not None:
                counts[week] += 1
        return tuple(counts)

    rated: list[list[RatingFact]] = [[] for _ in range(WEEKS)]
    for fact in ratings:
        week = week_of(fact.rated_at)
        if week is not None:
            rated[week].append(fact)

    due = [c for c in checkins if is_due(c)]
    return ProgrammeStats(
        circle=circle,
        zone=zone.key,
        now=now,
        weeks=weeks,
        pairings_made=per_week(pairings),
        meetings_held=per_week(meetings),
        checkins_due=per_week(c.scheduled_at for c in due),
        checkins_answered=per_week(
            c.scheduled_at for c in due if c.status is CheckinStatus.ANSWERED
        ),
        concerns=None if concerns is None else per_week(concerns),
        kudos=per_week(kudos),
        waiting=waiting,
        unreachable=unreachable,
        ratings=tuple(ratings_of(week) for week in rated),
        ratings_total=ratings_of(fact for week in rated for fact in week),
    )


def week_label(monday: date) -> str:
    return f"{monday.day} {monday:%b}"


def stats_table(stats: ProgrammeStats) -> str:
    """The twelve weeks as a table narrow enough for a phone, a total and what stands now; the
    concerns column only for a reader who may see concerns."""
    first, today = stats.weeks[0], stats.today
    where = "the whole workspace" if stats.circle is None else stats.circle
    concerns = stats.concerns
    rows = [
        _row(
            [
                "Week",
                "Pairs",
                "Met",
                "Check",
                *([] if concerns is None else ["Conc"]),
                "Kudos",
                "Rated",
                "Avg",
            ]
        ),
        *(
            _row(
                [
                    week_label(monday),
                    stats.pairings_made[n],
                    stats.meetings_held[n],
                    shown_rate(stats.checkins_answered[n], stats.checkins_due[n]),
                    *([] if concerns is None else [concerns[n]]),
                    stats.kudos[n],
                    *_rated(stats.ratings[n] if stats.ratings else Ratings()),
                ]
            )
            for n, monday in enumerate(stats.weeks)
        ),
        _row(
            [
                "Total",
                sum(stats.pairings_made),
                sum(stats.meetings_held),
                shown_rate(sum(stats.checkins_answered), sum(stats.checkins_due)),
                *([] if concerns is None else [sum(concerns)]),
                sum(stats.kudos),
                *_rated(stats.ratings_total),
            ]
        ),
    ]
    conc = "" if concerns is None else " Conc: concerns raised."
    note = CIRCLE_NOTE_NO_CONCERNS if concerns is None else CIRCLE_NOTE
    return "\n".join(
        [
            f"Stats for {where}, {WEEKS} weeks from Mon {week_label(first)} to today, "
            f"{today:%a} {week_label(today)} (weeks start on Monday, {stats.zone} time):",
            "```",
            *rows,
            "```",
            f"Now: {_people(stats.waiting)} waiting for a buddy; {_people(stats.unreachable)} "
            "I cannot reach by DM (DMs closed).",
            'Pairs: pairings made. Met: pairings that met, in the week of the first "we met". '
            f"Check: check-ins answered of those due, late answers included.{conc} Kudos: not "
            "revoked. Rated, Avg: meetings rated and their average rating (1-5), shown when "
            f"{MIN_RATERS} or more different people rated ({TOO_FEW} for fewer).",
            *([] if stats.circle is None else [note]),
        ]
    )


WIDTHS = (6, 5, 4, 5, 4, 5)
"""Week, Pairs, Met, Check, Conc, Kudos; without Conc, Kudos keeps its width."""
RATING_WIDTHS = (5, 3)
"""Rated, Avg: after Kudos."""


def _rated(ratings: Ratings) -> list[object]:
    return [ratings.shown_count(), ratings.shown_average()]


def _row(cells: list[object]) -> str:
    with_concerns = len(cells) == len(WIDTHS) + len(RATING_WIDTHS)
    widths = (*(WIDTHS if with_concerns else (*WIDTHS[:4], WIDTHS[5])), *RATING_WIDTHS)
    week, *numbers = cells
    shown = [f"{c:>{w}}" for c, w in zip(numbers, widths[1:], strict=True)]
    return " ".join([f"{week:<{widths[0]}}", *shown])


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"
