"""Atomic file writes: the data goes to an unnamed temporary file in the target folder
(``O_TMPFILE``, which vanishes if the process is killed), is flushed to disk, then linked in
under a temporary name and renamed over the target. An interrupted write leaves the old file
or none — never half of one — and leaves no debris. Where ``O_TMPFILE`` is missing, a named
temporary file is used and removed on any error.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path


def _via_tmpfile(path: Path, directory: Path, data: bytes) -> None:
    fd = os.open(directory, os.O_TMPFILE | os.O_WRONLY, 0o644)
    try:
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
        os.fsync(fd)
        temp = directory / f".{path.name}.{secrets.token_hex(6)}.part"
        # linkat(..., AT_SYMLINK_FOLLOW): CPython only calls linkat when a dir fd is given
        root = os.open("/", os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.link(f"/proc/self/fd/{fd}", temp, src_dir_fd=root, follow_symlinks=True)
        finally:
            os.close(root)
    finally:
        os.close(fd)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _via_named(path: Path, directory: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if hasattr(os, "O_TMPFILE") and Path("/proc/self/fd").is_dir():
        try:
            _via_tmpfile(path, directory, data)
            return path
        except OSError as exc:
            # EOPNOTSUPP, EINVAL, EISDIR, EPERM, EXDEV, ENOENT: no O_TMPFILE or linkat here
            if exc.errno not in (95, 22, 21, 1, 18, 2):
                raise
    _via_named(path, directory, data)
    return path


def write_text_atomic(path: str | Path, text: str) -> Path:
    return write_bytes_atomic(path, text.encode("utf-8"))
