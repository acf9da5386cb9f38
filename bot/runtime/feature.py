"""What a feature gives the house: its name, its declared commands, a line saying what each of
its command names is for, and the jobs it runs as time passes. Its handlers register themselves
when its package is imported (see bot.runtime.handlers); bot.features lists the features."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.kernel.commands import CommandSpec
from bot.kernel.ports import Solver, UnitOfWorkFactory
from bot.kernel.settings import CoreSettings
from bot.runtime.due import DueJob


@dataclass(frozen=True)
class Wiring:
    """What a feature's jobs are built from."""

    uow_factory: UnitOfWorkFactory
    settings: CoreSettings
    solve: Solver


JobsFactory = Callable[[Wiring], Sequence[DueJob]]


def no_jobs(wiring: Wiring) -> Sequence[DueJob]:
    return ()


@dataclass(frozen=True)
class Feature:
    name: str
    commands: tuple[CommandSpec, ...] = ()
    roots: Mapping[str, str] = field(default_factory=dict)
    jobs: JobsFactory = no_jobs
    """Its due jobs, in the order each tick runs them."""
