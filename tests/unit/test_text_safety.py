"""What a member typed stays where it belongs: never in a log line; and no name reads as
something it is not (bidirectional controls are taken out of every text the bot sends, on the
console as on Slack and Discord, see tests/adapters/test_rendering_safety.py)."""

from __future__ import annotations

from bot.kernel.text import neutralise, without_bidi_controls

CONCERN = "Uncle Bertram hurts me when mum is out"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_every_bidirectional_control_goes_and_the_zero_width_spaces_that_defuse_pings_stay() -> (
    None
):
    assert without_bidi_controls(f"{BIDI}gnp.exe") == "gnp.exe"
    defused = neutralise("@everyone look")
    assert without_bidi_controls(defused) == defused
