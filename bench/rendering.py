"""What writing each platform's own commands costs per message (issue 19): the core's texts carry
marked command references, and each platform writes them its own way on the way out.

Timed in one process, alternately, over the same texts: the help a moderator sees (the longest
reply, one reference per command) and a did-you-meet DM (five references), each rendered for
the console (`as_typed`: the marks taken out), for Slack (`to_mrkdwn`: escaping, Slack's command
names, formatting kept literal) and for Discord (`for_discord`: Discord's commands and options,
markdown escaped). The baseline is the same text as the core wrote it before (commands as
typed, no marks), drawn the way each renderer drew it before this change.

Reported: microseconds per message (median of ROUNDS rounds of REPEAT renders) and the ratio to
the baseline.

Run: .venv/bin/python -m bench.rendering   (also part of make bench)
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable

from adapters.discord.render import for_discord
from adapters.slack.mrkdwn import escape, to_mrkdwn
from bot.features import CATALOG
from bot.kernel.command_refs import as_typed, command_ref, usage_ref
from bot.kernel.text import without_bidi_controls

ROUNDS = 15
REPEAT = 200

HELP = "\n".join(
    [f"Here is what I can do (type {command_ref('/help <command>')} for more):"]
    + [f"{usage_ref(spec.usage)}: {spec.summary}" for spec in CATALOG]
)
MEETING = (
    "Did you meet Ben Okafor? Answer with "
    + ", ".join(command_ref(f"/buddy {a} <@4242424242>") for a in ("met", "notyet", "couldnt"))
    + f", or {command_ref('/buddy end <@4242424242>')} to end the pairing. "
    + f"{command_ref('/buddy')} shows this again."
)


def _timed(render: Callable[[str], str], text: str) -> float:
    """Median microseconds per render of `text`."""
    rounds = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(REPEAT):
            render(text)
        rounds.append((time.perf_counter() - start) / REPEAT * 1e6)
    return statistics.median(rounds)


_DEFUSED_USER = re.compile(r"<\u200b@(!?\d{5,25})>")
_MASKED_LINK = re.compile(r"\](?=\()")
_SLACK_MENTION = re.compile(r"&lt;@([UW][A-Z0-9]{2,20})&gt;")


def discord_before(text: str) -> str:
    """How the Discord adapter drew a reply before (mentions back, masked links defused)."""
    shown = _DEFUSED_USER.sub(r"<@\1>", without_bidi_controls(text))
    return _MASKED_LINK.sub("]\u200b(", shown)[:2000]


def slack_before(text: str) -> str:
    """How the Slack adapter drew a text before (escaped, the core's mentions kept)."""
    return _SLACK_MENTION.sub(r"<@\1>", escape(without_bidi_controls(text)))


RENDERERS: dict[str, tuple[Callable[[str], str], Callable[[str], str]]] = {
    "console": (as_typed, without_bidi_controls),
    "Slack": (to_mrkdwn, slack_before),
    "Discord": (for_discord, discord_before),
}
"""Each platform's renderer now (of the marked text) and before (of the same text unmarked)."""


def main() -> None:
    print("| text | platform | baseline µs | now µs | ratio |")
    print("|---|---|---:|---:|---:|")
    for name, text in (("help (moderator)", HELP), ("did-you-meet DM", MEETING)):
        for platform, (render, baseline) in RENDERERS.items():
            before, now = _timed(baseline, as_typed(text)), _timed(render, text)
            print(f"| {name} | {platform} | {before:.1f} | {now:.1f} | {now / before:.1f}x |")


if __name__ == "__main__":
    main()
