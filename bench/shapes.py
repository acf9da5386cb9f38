"""The kinds of programme the matching benchmark draws, each from its own seed.

- `today`: the first benchmark's programme (eight zones, 26 subjects, 10% mentors);
- `school`: one school in one zone, stages as year numbers, a few subjects, older pupils mentoring;
- `global`: an international community in twelve zones (half-hour offsets: Tehran, Kolkata,
  Adelaide), 60 subjects, ten languages, half the mentees asking for a subject;
- `sparse`: little free time per person, stage labels that are not numbers, a third mentors and
  half of those with no room left, 8% of people blocking someone;
- `mentor_heavy` and `mentor_scarce`: half the members mentors, or one in thirty.
"""

from __future__ import annotations

from dataclasses import replace

from bench.population import Hours, Shape, Zone

TODAY_SUBJECTS: tuple[tuple[str, float], ...] = (
    ("Mathematics", 14.0),
    ("English", 10.0),
    ("Computer Science", 9.0),
    ("Biology", 8.0),
    ("Chemistry", 7.0),
    ("Physics", 7.0),
    ("Economics", 6.0),
    ("History", 5.0),
    ("Psychology", 5.0),
    ("Statistics", 4.0),
    ("Business Studies", 4.0),
    ("Spanish", 3.0),
    ("French", 3.0),
    ("Geography", 3.0),
    ("Literature", 2.5),
    ("Engineering", 2.5),
    ("Medicine", 2.0),
    ("Law", 2.0),
    ("Philosophy", 2.0),
    ("Sociology", 1.5),
    ("Political Science", 1.5),
    ("German", 1.0),
    ("Art", 1.0),
    ("Music", 1.0),
    ("Environmental Science", 1.0),
    ("Accounting", 1.0),
)
MORE_SUBJECTS = [
    "Astronomy",
    "Anthropology",
    "Architecture",
    "Data Science",
    "Machine Learning",
    "Nursing",
    "Pharmacy",
    "Dentistry",
    "Veterinary Science",
    "Marketing",
    "Finance",
    "Linguistics",
    "Japanese",
    "Mandarin",
    "Arabic",
    "Portuguese",
    "Swahili",
    "Hindi",
    "Film Studies",
    "Theatre",
    "Design",
    "Photography",
    "Journalism",
    "Education",
    "Public Health",
    "Nutrition",
    "Sports Science",
    "Agriculture",
    "Geology",
    "Oceanography",
    "Robotics",
    "Electronics",
    "Civil Engineering",
    "Mechanical Engineering",
]
GLOBAL_SUBJECTS = TODAY_SUBJECTS + tuple(
    (name, round(1.0 / (1 + i) ** 0.5, 3)) for i, name in enumerate(MORE_SUBJECTS)
)
SCHOOL_SUBJECTS: tuple[tuple[str, float], ...] = (
    ("Mathematics", 10.0),
    ("English", 8.0),
    ("Biology", 5.0),
    ("Chemistry", 5.0),
    ("Physics", 5.0),
    ("History", 4.0),
    ("Geography", 3.0),
    ("French", 3.0),
    ("Spanish", 2.0),
    ("Computing", 3.0),
    ("Art", 2.0),
    ("Music", 1.5),
)
TODAY_ZONES: tuple[Zone, ...] = (
    Zone("Europe/London", 0.15, ("fr", "es", "ar")),
    Zone("Europe/Berlin", 0.18, ("de", "fr", "ar")),
    Zone("America/New_York", 0.20, ("es", "zh", "fr")),
    Zone("America/Chicago", 0.09, ("es",)),
    Zone("America/Los_Angeles", 0.10, ("es", "zh")),
    Zone("Asia/Kolkata", 0.12, ()),
    Zone("Asia/Singapore", 0.09, ("zh",)),
    Zone("Australia/Sydney", 0.07, ("zh", "ar")),
)
GLOBAL_ZONES: tuple[Zone, ...] = (  # ten languages: en es pt fr de ar sw hi zh ja
    Zone("America/Los_Angeles", 0.08, ("es", "zh")),
    Zone("America/New_York", 0.11, ("es", "fr")),
    Zone("America/Sao_Paulo", 0.09, ("pt", "es")),
    Zone("Europe/London", 0.09, ("fr", "ar")),
    Zone("Europe/Berlin", 0.09, ("de", "fr")),
    Zone("Africa/Lagos", 0.08, ("fr",)),
    Zone("Africa/Nairobi", 0.07, ("sw",)),
    Zone("Asia/Tehran", 0.06, ("ar",)),
    Zone("Asia/Kolkata", 0.12, ("hi",)),
    Zone("Asia/Singapore", 0.08, ("zh",)),
    Zone("Asia/Tokyo", 0.07, ("ja",)),
    Zone("Australia/Adelaide", 0.06, ("zh",)),
)
NUMBERED = tuple(str(stage) for stage in range(1, 13))
NAMED = ("foundation", "first year", "second year", "final year", "masters", "doctorate")

TODAY = Shape(
    name="today",
    seed=2026,
    summary="8 zones, 26 subjects, 10% mentors (15% of them full), 2% blocking",
    zones=TODAY_ZONES,
    subjects=TODAY_SUBJECTS,
    stages=NUMBERED,
    stage_weights=(6, 8, 9, 9, 9, 8, 8, 7, 6, 5),
)
SCHOOL = Shape(
    name="school",
    seed=2027,
    summary="one zone, years 7-13, 12 subjects, 20% older pupils mentoring, after-school hours",
    zones=(Zone("Europe/London", 1.0, ("fr", "es", "pl", "ur")),),
    subjects=SCHOOL_SUBJECTS,
    stages=tuple(str(year) for year in range(7, 14)),
    stage_weights=(8, 8, 7, 7, 6),
    hours=Hours(days=(2, 5), start=(30, 34), length=(2, 4), weekend=0.3),
    mentor_share=0.20,
    roomless_share=0.10,
    wants=0.3,
    english=0.95,
    blocking=0.03,
    history_rounds=10,
)
GLOBAL = Shape(
    name="global",
    seed=2028,
    summary="12 zones (Tehran, Kolkata, Adelaide off by half an hour), 60 subjects, "
    "10 languages, half the mentees asking for a subject",
    zones=GLOBAL_ZONES,
    subjects=GLOBAL_SUBJECTS,
    stages=NUMBERED,
    stage_weights=(6, 8, 9, 9, 9, 8, 8, 7, 6, 5),
    mentor_share=0.12,
    wants=0.5,
    english=0.6,
)
SPARSE = Shape(
    name="sparse",
    seed=2029,
    summary="1-2 short windows a week, named stages, a third mentors (half of them full), "
    "8% blocking",
    zones=TODAY_ZONES,
    subjects=TODAY_SUBJECTS,
    stages=NAMED,
    stage_weights=(3, 8, 7, 6, 3),
    hours=Hours(days=(1, 2), start=(16, 44), length=(2, 3), weekend=0.2, weekend_length=(2, 3)),
    mentor_share=0.33,
    roomless_share=0.5,
    blocking=0.08,
)
MENTOR_HEAVY = replace(
    TODAY,
    name="mentor_heavy",
    seed=2030,
    summary="as today, but half the members mentors (10% of them full)",
    mentor_share=0.5,
    roomless_share=0.1,
)
MENTOR_SCARCE = replace(
    TODAY,
    name="mentor_scarce",
    seed=2031,
    summary="as today, but one in thirty a mentor (30% of them full), 40% asking for a subject",
    mentor_share=0.033,
    roomless_share=0.3,
    wants=0.4,
)
SHAPES: dict[str, Shape] = {
    s.name: s for s in (TODAY, SCHOOL, GLOBAL, SPARSE, MENTOR_HEAVY, MENTOR_SCARCE)
}
