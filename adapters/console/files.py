"""Files that come with a reply, saved where the console person can open them.

Rules:
- a file goes to `[console] files_dir`, in a folder per workspace, created when needed;
- a name from the core is made safe first: no path separators or control characters, no
  leading dots (nothing hidden, nothing outside the folder), never empty, not too long;
- an existing file is never overwritten: the new one gets -2, -3... before its extension;
- what could not be saved is said in a line too, never raised.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from bot.replies import Attachment

MAX_NAME = 120
"""Characters kept of a name (most file systems allow 255 bytes)."""
MAX_COPIES = 10_000
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


def safe_name(name: str) -> str:
    """`name` as a plain file name in one folder: unsafe characters become "_", leading dots and
    spaces go, and what is too long is shortened before its extension."""
    cleaned = _UNSAFE.sub("_", name).strip().lstrip(". ").rstrip(". ")
    if not cleaned.strip("_"):
        cleaned = "file"
    if len(cleaned) > MAX_NAME:
        stem, suffix = _split(cleaned)
        suffix = suffix[:20]
        cleaned = stem[: MAX_NAME - len(suffix)] + suffix
    return cleaned


def save_files(files: Iterable[Attachment], files_dir: str, workspace: str) -> list[str]:
    """Save each file under `files_dir`/`workspace`; one line per file saying where it went
    (the path as configured, so it can be copied) and its size, or why it was not saved."""
    folder = os.path.join(files_dir, safe_name(workspace))
    lines: list[str] = []
    for attachment in files:
        name = safe_name(attachment.name)
        try:
            os.makedirs(folder, mode=0o700, exist_ok=True)
            saved = _write_new(Path(folder), name, attachment.content)
        except OSError as e:
            reason = e.strerror or str(e)
            lines.append(f"(couldn't save {name} in {folder}: {reason})")
            continue
        where = os.path.join(folder, saved)
        lines.append(f"(saved {saved}: {where}, {human_size(len(attachment.content))})")
    return lines


def human_size(size: int) -> str:
    if size < 1000:
        return f"{size} byte" + ("" if size == 1 else "s")
    value = size / 1000
    for unit in ("KB", "MB"):
        if value < 1000:
            return f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"


def _write_new(folder: Path, name: str, content: bytes) -> str:
    """Write `content` to a file of `folder` that did not exist (created exclusively, so two
    sessions never write the same one); the name it got."""
    stem, suffix = _split(name)
    for copy in range(1, MAX_COPIES + 1):
        candidate = name if copy == 1 else f"{stem}-{copy}{suffix}"
        path = folder / candidate
        try:
            # Readable by this user only: an export holds a member's (often a minor's) data.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            file = os.fdopen(fd, "wb")
        except FileExistsError:
            continue
        try:
            with file:
                file.write(content)
        except OSError:
            path.unlink(missing_ok=True)
            raise
        return candidate
    raise FileExistsError(0, f"{MAX_COPIES} files named like {name} exist already")


def _split(name: str) -> tuple[str, str]:
    """(stem, extension) with the extension's dot; "" when there is none."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        return name, ""
    return stem, "." + suffix
