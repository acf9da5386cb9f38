"""Files that come with a reply, saved where the console person can open them.

Rules:
- a file goes to `[console] files_dir`, in a folder per workspace and in it one per person
  (an export holds a member's, often a minor's, data), created when needed, each readable by
  this user only, as the files are;
- a name from the core is made safe first: no path separators or control characters, no
  leading dots (nothing hidden, nothing outside the folder), never empty, not too long;
- the file gets the name the reply gives it, so the reply, the line under it and the disk
  agree; an earlier file of that name is never overwritten: it is kept as -2, -3... before its
  extension (the higher the number, the later it was saved), and the line says so;
- what could not be saved is said in a line too, never raised.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path

from bot.kernel.replies import Attachment

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


def save_files(
    files: Iterable[Attachment], files_dir: str, workspace: str, person: str
) -> list[str]:
    """Save each file under `files_dir`/`workspace`/`person`; one line per file saying where it
    went (the path as configured, so it can be copied) and its size, or why it was not saved."""
    folder = os.path.join(files_dir, safe_name(workspace), safe_name(person))
    lines: list[str] = []
    for attachment in files:
        name = safe_name(attachment.name)
        try:
            _make_private_folders(files_dir, folder)
            kept = _save(Path(folder), name, attachment.content)
        except OSError as e:
            reason = e.strerror or str(e)
            lines.append(f"(couldn't save {name} in {folder}: {reason})")
            continue
        where = os.path.join(folder, name)
        earlier = f"; the earlier one is kept as {kept}" if kept else ""
        lines.append(f"(saved {name}: {where}, {human_size(len(attachment.content))}{earlier})")
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


def _make_private_folders(files_dir: str, folder: str) -> None:
    """`folder` and the folders between it and `files_dir`, each readable by this user only."""
    os.makedirs(files_dir, exist_ok=True)
    missing: list[str] = []
    current = folder
    while os.path.normpath(current) != os.path.normpath(files_dir) and not os.path.isdir(current):
        missing.append(current)
        current = os.path.dirname(current)
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another session
            os.mkdir(path, 0o700)


def _save(folder: Path, name: str, content: bytes) -> str | None:
    """Write `content` to `folder`/`name`; an earlier file of that name is kept under the first
    free `stem-N.ext` (N from 2), which is returned."""
    target = folder / name
    partial = _write_partial(folder, name, content)
    try:
        try:
            os.link(partial, target)  # only where no file has that name
            return None
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not target.exists():
                os.replace(partial, target)
                return None
        kept = _keep_aside(folder, name)
        os.replace(partial, target)
        return kept
    finally:
        partial.unlink(missing_ok=True)


def _write_partial(folder: Path, name: str, content: bytes) -> Path:
    """`content` in a new hidden file of `folder`, readable by this user only."""
    path = folder / f".{name}.{secrets.token_hex(4)}.part"
    # Readable by this user only: an export holds a member's (often a minor's) data.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(content)
    except OSError:
        path.unlink(missing_ok=True)
        raise
    return path


def _keep_aside(folder: Path, name: str) -> str:
    """Give the file `folder`/`name` also the first free name `stem-N.ext` (N from 2), never
    replacing a file; that name."""
    stem, suffix = _split(name)
    for copy in range(2, MAX_COPIES + 1):
        candidate = f"{stem}-{copy}{suffix}"
        try:
            os.link(folder / name, folder / candidate)
            return candidate
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links
            if (folder / candidate).exists():
                continue
            os.rename(folder / name, folder / candidate)
            return candidate
    raise FileExistsError(0, f"{MAX_COPIES} files named like {name} exist already")


def _split(name: str) -> tuple[str, str]:
    """(stem, extension) with the extension's dot; "" when there is none."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        return name, ""
    return stem, "." + suffix
