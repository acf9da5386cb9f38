"""What a feature gives the house: its name, its declared commands, and a line saying what each
of its command names is for. Its handlers register
themselves when its package is imported (see bot.runtime.handlers); bot.features lists them all."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.kernel.commands import CommandSpec


@dataclass(frozen=True)
class Feature:
    name: str
    commands: tuple[CommandSpec, ...] = ()
    roots: Mapping[str, str] = field(default_factory=dict)
