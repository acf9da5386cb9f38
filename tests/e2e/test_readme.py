"""The README's example console session is the demo's real output: replayed line by line on a
fresh demo database, every line the README shows is what the console prints, on any day."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.support.worker_process import ROOT

_INPUT = re.compile(r"^\w+> (/.*)$")


def _session_block() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```text\n$ printf ", 1)[1].split("```", 1)[0]
    return ("$ printf " + block).splitlines()


def test_the_readme_session_is_what_the_demo_prints(tmp_path: Path) -> None:
    lines = _session_block()
    command = shlex.split(lines[0].removesuffix("\\") + lines[1])
    printf, pipe = command[2], command.index("|")
    shown = lines[2:]
    inputs = [m.group(1) for line in shown if (m := _INPUT.match(line))]
    assert printf == "".join(f"{line}\\n" for line in inputs), "the printf feeds the shown lines"
    args = command[pipe + 2 :]
    result = subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args, "--db", str(tmp_path / "c.db")],
        input="".join(f"{line}\n" for line in inputs),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == shown
