"""A small demo workspace for the console: a moderator, six students, three mentors and two
circles with filled-in profiles, one circle paired weekly and one student already looking for a
buddy, all created through the same commands a person would type: each fills in their own
profile, and the moderator appoints the mentors, as a school's moderators do."""

from __future__ import annotations

from adapters.console.people import actor
from bot.kernel.model import Actor
from bot.runtime.bus import MessageBus

MODERATOR = "Morgan"
FIRST_STUDENT = "Ada"

_PEOPLE: dict[str, list[str]] = {
    "Ada": [
        "role student",
        "timezone Europe/London",
        "stage 9",
        "subjects algebra, physics",
        "languages english",
        "hours mon-thu 16:00-19:00",
        "bio Likes puzzles and chess.",
    ],
    "Ben": [
        "role student",
        "timezone Europe/London",
        "stage 9",
        "subjects algebra, chemistry",
        "languages english, french",
        "hours mon-fri 17:00-20:00",
        "bio Training for a 10k.",
    ],
    "Chloe": [
        "role student",
        "timezone Europe/Berlin",
        "stage 10",
        "subjects python, algebra",
        "languages german, english",
        "hours tue-fri 15:00-18:00",
        "bio Builds robots.",
    ],
    "Dev": [
        "role student",
        "timezone Asia/Kolkata",
        "stage 10",
        "subjects python, statistics",
        "languages english, hindi",
        "hours mon-fri 18:00-21:00",
        "bio Loves cricket stats.",
    ],
    "Emma": [
        "role student",
        "timezone America/New_York",
        "stage 11",
        "subjects python, biology",
        "languages english, spanish",
        "hours mon-wed 15:00-18:00",
        "bio Bakes on Sundays.",
    ],
    "Finn": [
        "role student",
        "timezone America/Chicago",
        "stage 9",
        "subjects algebra, history",
        "languages english",
        "hours mon-fri 16:00-18:00; sat 10:00-12:00",
        "bio Plays the drums.",
    ],
    "Maya": [
        "timezone Europe/London",
        "stage 12",
        "subjects algebra, calculus",
        "languages english",
        "hours mon-fri 17:00-19:00",
        "capacity 3",
        "bio Year 12, happy to help with algebra.",
    ],
    "Noah": [
        "timezone Europe/Berlin",
        "stage uni-1",
        "subjects python, algebra",
        "languages german, english",
        "hours mon-thu 17:00-20:00",
        "capacity 2",
        "bio First-year computer science.",
    ],
    "Olivia": [
        "timezone America/New_York",
        "stage uni-2",
        "subjects python, biology",
        "languages english, spanish",
        "hours tue-fri 16:00-19:00",
        "capacity 3",
        "bio Studying biology; codes for fun.",
    ],
}

_MENTORS = ("Maya", "Noah", "Olivia")

_CIRCLES: list[tuple[str, str, list[str], list[str]]] = [
    (
        "algebra-club",
        "Algebra and problem solving, years 9 to 12",
        ["Ada", "Ben", "Finn", "Maya"],
        ["Maya"],
    ),
    (
        "coding-buddies",
        "Learning Python together",
        ["Chloe", "Dev", "Emma", "Noah", "Olivia"],
        ["Noah"],
    ),
]


async def seed_demo(bus: MessageBus, workspace_id: str) -> bool:
    """Create the demo workspace unless it exists; True when it was created now."""
    morgan = actor(workspace_id, MODERATOR, moderator=True)
    if (await bus.handle_text("/circle info algebra-club", morgan)).ok:
        return False
    for name, fields in _PEOPLE.items():
        for field in fields:
            await _must(bus, f"/profile set {field}", actor(workspace_id, name))
    await _must(bus, "/profile set timezone Europe/London", morgan)
    for name in _MENTORS:
        await _must(bus, f"/profile set @{name.lower()} role mentor", morgan)
    for circle, topic, members, facilitators in _CIRCLES:
        await _must(bus, f"/circle create {circle} {topic}", morgan)
        await _must(bus, f"/circle set {circle} channel #{circle}", morgan)
        for name in members:
            await _must(bus, f"/circle join {circle}", actor(workspace_id, name))
        for name in facilitators:
            await _must(bus, f"/circle add @{name.lower()} {circle} as facilitator", morgan)
    await _must(bus, "/circle set coding-buddies cadence weekly", morgan)
    # Someone is already waiting, so a newcomer's first /findbuddy finds a buddy at once.
    await _must(bus, "/findbuddy algebra", actor(workspace_id, "Ben"))
    return True


async def _must(bus: MessageBus, line: str, who: Actor) -> None:
    reply = await bus.handle_text(line, who)
    if not reply.ok:
        raise RuntimeError(f"demo seed failed at {line!r}: {reply.text}")
