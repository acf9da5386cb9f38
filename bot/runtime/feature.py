"""What a feature gives the house: its name and its declared commands. Its handlers register
themselves when its package is imported (see bot.runtime.handlers); bot.features lists them all."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.commands import CommandSpec


@dataclass(frozen=True)
class Feature:
    name: str
    commands: tuple[CommandSpec, ...] = ()
