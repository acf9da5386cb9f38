"""/stats export: the same numbers as /stats as a CSV file a spreadsheet opens.

Rules: one row per week, oldest first, one column per number; the answer rate is a fraction
(0 to 1, three decimals) next to the counts it comes from, empty when nothing was due; what is
known only as of now (people waiting, DMs closed) fills the current week's row alone; the
concerns column is there only for a reader who may see concerns (a moderator), never as blanks
or zeros for a facilitator; meetings rated and their average (two decimals) are empty for a
week fewer than MIN_RATERS different people rated in.
"""

from __future__ import annotations

import csv
import io

from bot.stats.figures import ProgrammeStats, Ratings

COLUMNS = (
    "week_starting",
    "pairings_made",
    "meetings_held",
    "checkins_due",
    "checkins_answered",
    "checkin_answer_rate",
    "concerns",
    "kudos",
    "meetings_rated",
    "meeting_rating_average",
    "people_waiting_now",
    "dms_closed_now",
)


def stats_csv(stats: ProgrammeStats) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    concerns = stats.concerns
    writer.writerow([c for c in COLUMNS if concerns is not None or c != "concerns"])
    last = len(stats.weeks) - 1
    for n, monday in enumerate(stats.weeks):
        rate = stats.answer_rate(n)
        writer.writerow(
            [
                monday.isoformat(),
                stats.pairings_made[n],
                stats.meetings_held[n],
                stats.checkins_due[n],
                stats.checkins_answered[n],
                "" if rate is None else f"{rate:.3f}",
                *([] if concerns is None else [concerns[n]]),
                stats.kudos[n],
                *_rated(stats.ratings[n] if stats.ratings else Ratings()),
                stats.waiting if n == last else "",
                stats.unreachable if n == last else "",
            ]
        )
    return out.getvalue().encode("utf-8")


def _rated(ratings: Ratings) -> list[object]:
    average = ratings.average
    return ["", ""] if average is None else [ratings.count, f"{average:.2f}"]
