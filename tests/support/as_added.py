"""What an `add` returned, seen as what was added: the same values, without the id storage gave
it (so a test can say "it came back as it went in")."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

New = TypeVar("New", bound="DataclassInstance")


def as_added(stored: object, kind: type[New]) -> New:
    """`stored` as a `kind` (`NewCheckin` for a `Checkin`...): its fields but the id."""
    return kind(**{f.name: getattr(stored, f.name) for f in fields(kind)})
