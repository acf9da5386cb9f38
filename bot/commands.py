"""What people ask the bot to do: one frozen dataclass per command, named as an order."""

from __future__ import annotations

from dataclasses import dataclass

from bot.model import Actor, CircleRole


@dataclass(frozen=True)
class Command:
    actor: Actor


@dataclass(frozen=True)
class ShowHelp(Command):
    topic: str | None = None


@dataclass(frozen=True)
class ShowProfile(Command):
    pass


@dataclass(frozen=True)
class SetProfileField(Command):
    field: str
    value: str


@dataclass(frozen=True)
class ListCircles(Command):
    pass


@dataclass(frozen=True)
class ShowCircle(Command):
    name: str


@dataclass(frozen=True)
class JoinCircle(Command):
    name: str
    role: CircleRole | None = None


@dataclass(frozen=True)
class LeaveCircle(Command):
    name: str


@dataclass(frozen=True)
class CreateCircle(Command):
    name: str
    topic: str = ""


@dataclass(frozen=True)
class AddToCircle(Command):
    user_id: str
    name: str
    role: str | None = None  # "mentor", "mentee" or "facilitator"


@dataclass(frozen=True)
class RemoveFromCircle(Command):
    user_id: str
    name: str


@dataclass(frozen=True)
class ArchiveCircle(Command):
    name: str


@dataclass(frozen=True)
class SetCircleOption(Command):
    name: str
    key: str
    value: str
