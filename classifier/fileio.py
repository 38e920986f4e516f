"""Writing files so that a killed process never leaves half of one."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator


@contextmanager
def atomic_writer(path: str | Path, *, encoding: str = "utf-8", newline: str | None = None,
                  binary: bool = False, durable: bool = True) -> Iterator[IO]:
    """Write to a temporary file beside `path` and rename it into place only on success.

    Either way a killed process leaves the old file or the new one, never half of one.
    durable=True also flushes the file to disk before the rename, so that it survives a
    power cut; a batch skips that for each transcript's output, because a resumed run
    re-hashes those against the journal anyway."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        handle_args = {"mode": "wb"} if binary else {"mode": "w", "encoding": encoding, "newline": newline}
        with os.fdopen(fd, **handle_args) as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~umask())  # mkstemp makes it private; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def umask() -> int:
    """The process's file-creation mask (reading it means setting it, so it is set back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_directory(path: str | Path) -> Iterator[Path]:
    """Fill a temporary directory beside `path` and swap it into place only on success, so a
    half-written directory never replaces a good one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}-", dir=path.parent))
    os.chmod(tmp, 0o777 & ~umask())  # mkdtemp makes it private; what we write is meant to be shared
    try:
        yield tmp
        if path.exists():
            backup = path.with_name(f".{path.name}-old")
            shutil.rmtree(backup, ignore_errors=True)
            os.replace(path, backup)
            os.replace(tmp, path)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.replace(tmp, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def mark_output_folder(folder: str | Path, mark: str, note: str) -> None:
    """Leave `mark` in a folder this tool writes, so that a later run never reads it as input."""
    path = Path(folder) / mark
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(note + "\n", encoding="utf-8")
