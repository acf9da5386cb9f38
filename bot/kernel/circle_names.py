"""What a circle's name is: one word of 1 to 40 letters, digits, - or _; and, for a name typed
wrongly, the name to suggest."""

from __future__ import annotations

import re
import unicodedata

from bot.kernel.text import neutralise

CIRCLE_NAME_RULE = "1 to 40 letters, digits, - or _"
_NAME_LIMIT = 40


def suggested_circle_name(typed: str) -> str:
    """A circle name made from what was typed: lower case, accents dropped, every run of other
    characters (spaces, punctuation) one -, at most 40 characters; "" when nothing is left."""
    plain = unicodedata.normalize("NFKD", typed).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9_]+", "-", plain).strip("-")[:_NAME_LIMIT].strip("-")


def not_a_circle_name(typed: str) -> str:
    """Why what was typed is no circle's name, with a name made from it."""
    made = suggested_circle_name(typed)
    such_as = f", such as {made}" if made else ""
    return (
        f"'{neutralise(typed, 50)}' is not a circle's name: a name is one word of "
        f"{CIRCLE_NAME_RULE}{such_as}."
    )


CIRCLE_NAME = re.compile(r"[A-Za-z0-9_-]{1,40}")


def is_circle_name(typed: str) -> bool:
    return CIRCLE_NAME.fullmatch(typed) is not None
