"""Atomic file writes: the data goes to an unnamed temporary file in the target folder
(``O_TMPFILE``, which vanishes if the process is killed), is flushed to disk, then linked in
under a temporary name and renamed over the target. An interrupted write leaves the old file
or none — never half of one. Where ``O_TMPFILE`` is missing, a named temporary file is used
and removed on any error.

A temporary name is ``.<target name>.<pid>.<random>.part``. Only a kill (SIGKILL, power
loss) between the link and the rename can leave one behind; the next write to that folder
removes every such file whose writer is gone, so debris lasts until the next run at most.

Only a regular file is ever replaced: a symlink, FIFO, device, socket or directory at the
target is refused with :class:`NotRegular` (the rename would silently replace it).
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import time
from pathlib import Path

# a writer gone this long is gone for good, even if its pid has been reused since
STALE_AFTER_S = 3600
_PART = re.compile(r"^\..+\.(\d+)\.[0-9a-f]{12}\.part$")


class NotRegular(OSError):
    """The target exists and is not a regular file; ``kind`` says what it is."""

    def __init__(self, path: Path, kind: str):
        super().__init__(errno.EEXIST, f"'{path}' is {kind}, not a regular file")
        self.path = path
        self.kind = kind


def special_kind(path: Path) -> str | None:
    """What is at ``path`` if it is not a regular file (without following a symlink)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refuse_special(path: Path) -> None:
    kind = special_kind(path)
    if kind is not None:
        raise NotRegular(path, kind)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def clean_stale_parts(directory: Path) -> list[Path]:
    """Remove the temporary files of writes in ``directory`` whose writer is gone."""
    removed = []
    now = time.time()
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        match = _PART.match(entry.name)
        if not match or not entry.is_file(follow_symlinks=False):
            continue
        pid = int(match.group(1))
        try:
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER_S
        except OSError:
            continue
        if pid == os.getpid() and not old:
            continue
        if old or not _alive(pid):
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                pass
    return removed


def _temp_name(path: Path, directory: Path) -> Path:
    return directory / f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.part"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]
    os.fsync(fd)


def _via_tmpfile(path: Path, directory: Path, data: bytes) -> None:
    fd = os.open(directory, os.O_TMPFILE | os.O_WRONLY, 0o644)
    temp = _temp_name(path, directory)
    try:
        _write_all(fd, data)
        # linkat(..., AT_SYMLINK_FOLLOW): CPython only calls linkat when a dir fd is given
        root = os.open("/", os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.link(f"/proc/self/fd/{fd}", temp, src_dir_fd=root, follow_symlinks=True)
        finally:
            os.close(root)
    except BaseException:
        temp.unlink(missing_ok=True)  # linked or not: an interrupt may come just after
        raise
    finally:
        os.close(fd)
    _rename(temp, path)


def _via_named(path: Path, directory: Path, data: bytes) -> None:
    temp = _temp_name(path, directory)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    try:
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _rename(temp, path)


def _rename(temp: Path, path: Path) -> None:
    try:
        _refuse_special(path)  # again, just before: it may have appeared meanwhile
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    _refuse_special(path)
    clean_stale_parts(directory)
    if hasattr(os, "O_TMPFILE") and Path("/proc/self/fd").is_dir():
        try:
            _via_tmpfile(path, directory, data)
            return path
        except NotRegular:
            raise
        except OSError as exc:
            # EOPNOTSUPP, EINVAL, EISDIR, EPERM, EXDEV, ENOENT: no O_TMPFILE or linkat here
            if exc.errno not in (95, 22, 21, 1, 18, 2):
                raise
    _via_named(path, directory, data)
    return path


def write_text_atomic(path: str | Path, text: str) -> Path:
    return write_bytes_atomic(path, text.encode("utf-8"))
