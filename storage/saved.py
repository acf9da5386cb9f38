"""What `add` returns and what a read gives: objects as stored, each with its id.

Rules:
- what an `add` returns is the new object's own values (none cut to fit a column, the objects
  in it shared, not copied) with the id the database gave it (`saved`);
- a row read from the database, or flushed to it, has its id (`row_id`); asking for the id of
  a row never stored is a mistake in storage, not a missing id to check for elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Saved = TypeVar("Saved")


class _Row(Protocol):
    @property
    def id(self) -> int | None: ...


def row_id(row: _Row) -> int:
    """The id of a row read from the database or flushed to it."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} was never stored, so it has no id")
    return row.id


def saved(kind: Callable[..., Saved], new: DataclassInstance, id: int, **parts: object) -> Saved:
    """`new` as stored: a `kind` (`Member` for a `NewMember`...) with `new`'s fields, `parts`
    instead of the ones they name (a pairing's stored seats), and `id`."""
    values = {f.name: getattr(new, f.name) for f in fields(new) if f.name != "id"}
    return kind(**(values | parts), id=id)
