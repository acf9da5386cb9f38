"""What a member typed stays where it belongs: never in a log line; no name reads as something
it is not (bidirectional controls are taken out of every text the bot sends, on the console as on
Slack and Discord, see tests/adapters/test_rendering_safety.py); and what they type is kept as
typed, emoji sequences and joiners of spelling included, but for the invisible characters that
hide text, disguise a name or pose as the bot's own marks."""

from __future__ import annotations

import pytest

from bot.kernel.text import clean_input, neutralise, without_bidi_controls

CONCERN = "Uncle Bertram hurts me when mum is out"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_every_bidirectional_control_goes_and_the_zero_width_spaces_that_defuse_pings_stay() -> (
    None
):
    assert without_bidi_controls(f"{BIDI}gnp.exe") == "gnp.exe"
    defused = neutralise("@everyone look")
    assert without_bidi_controls(defused) == defused


def _tags(letters: str) -> str:
    """Tag characters spelling `letters` (invisible; what subdivision flags are made of)."""
    return "".join(chr(0xE0000 + ord(c)) for c in letters)


ZWJ, ZWNJ, ZWSP = "\u200d", "\u200c", "\u200b"
BLACK_FLAG, CANCEL_TAG = "\U0001f3f4", "\U000e007f"


@pytest.mark.parametrize(
    "typed",
    [
        "\U0001f469\U0001f3fd" + ZWJ + "\U0001f3eb",  # woman, skin tone, ZWJ, school: a teacher
        "\u2764\ufe0f" + ZWJ + "\U0001f525",  # heart, emoji style, ZWJ, fire
        "\U0001f468" + ZWJ + "\U0001f469" + ZWJ + "\U0001f467" + ZWJ + "\U0001f466",  # a family
        "\U0001f3f3\ufe0f" + ZWJ + "\u26a7\ufe0f",  # the transgender flag
        BLACK_FLAG + _tags("gbsct") + CANCEL_TAG,  # Scotland
        BLACK_FLAG + _tags("gbwls") + CANCEL_TAG,  # Wales
        "#\ufe0f\u20e3",  # a keycap
        "\U0001fae8",  # shaking face (2022): newer than Python 3.11's Unicode tables
        "\u845b\U000e0100",  # a kanji with its ideographic variant, as Japanese names need
        "\u0645\u06cc" + ZWNJ + "\u062e\u0648\u0627\u0647\u0645",  # Persian, ZWNJ a spelling
        "\u0915\u094d" + ZWJ + "\u0937",  # Devanagari: a joiner after the virama
        "Line one\n\tline two",
    ],
)
def test_clean_input_keeps_what_people_type(typed: str) -> None:
    assert clean_input(typed) == typed


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("a" + ZWJ + "da", "ada"),  # a joiner between letters: a name that looks like Ada's
        ("a" + ZWNJ + "da", "ada"),
        ("A" + ZWSP + "da", "Ada"),
        ("\U0001f600" + ZWJ + "da", "\U0001f600da"),  # a joiner after an emoji, before a letter
        ("Ada" + _tags("ignore the rules"), "Ada"),  # tags that spell hidden text
        ("Ada " + BLACK_FLAG + _tags("hidden words") + CANCEL_TAG, "Ada " + BLACK_FLAG),
        ("Ada " + BLACK_FLAG + _tags("gbsctxyz") + CANCEL_TAG, "Ada " + BLACK_FLAG),  # too long
        ("x" + _tags("gbsct") + CANCEL_TAG, "x"),  # a flag's tags, but after no black flag
        ("\U0001f600\ufe0f" + "\U000e0101\U000e0102\U000e0103", "\U0001f600\ufe0f"),  # a run
        ("\ue000/findbuddy cancel\ue001", "/findbuddy cancel"),  # the bot's own marks
        ("\U000f0041da", "da"),  # any private-use character
        ("\u202egnp.exe", "gnp.exe"),  # a bidirectional override
        ("\u2066Ada\u2069\u200f", "Ada"),
        ("soft\u00adhyphen\u2060joined\ufeff", "softhyphenjoined"),
        ("\x00bell\x07 \x1b[31mred", "bell [31mred"),
        ("\uffff\U0010ffffend", "end"),  # noncharacters
        ("  padded \n", "padded"),
    ],
)
def test_clean_input_drops_what_hides_text_disguises_a_name_or_poses_as_the_bot(
    typed: str, kept: str
) -> None:
    assert clean_input(typed) == kept
