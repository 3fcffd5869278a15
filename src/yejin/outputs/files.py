"""Write a file all at once, or not at all.

The content goes to a temporary file in the target's folder (same file system),
which then takes the target's name in one step.  A failure part-way leaves the
old file as it was and no temporary file behind; an existing file is replaced
only when asked to (force).  Used by `export`, and meant for `new-report`,
`schema -o` and `bulletin` too.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import Callable


class TargetExists(FileExistsError):
    """The target file exists and overwriting was not asked for."""


def _exists(path: Path) -> TargetExists:
    return TargetExists(errno.EEXIST, "文件已存在", str(path))


def write_atomic(path: str | os.PathLike, writer: Callable[[Path], None], force: bool = False) -> Path:
    """Call writer(temp_path) to write the whole file, then move it to `path`.

    Raises TargetExists (a FileExistsError) when `path` exists and force is false (checked before
    writing and again, atomically where the file system allows, when moving into place).
    Any exception from writer propagates after the temporary file is removed.
    """
    path = Path(path)
    if path.exists() and not force:
        raise _exists(path)
    folder = path.parent
    mode = _mode_for(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        writer(tmp)
        with open(tmp, "rb+") as fh:  # on disk before the rename makes it visible
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        if force:
            os.replace(tmp, path)
        else:
            _move_new(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(folder)
    return path


def _move_new(tmp: Path, path: Path) -> None:
    """Give tmp the name path unless something else took that name meanwhile."""
    try:
        os.link(tmp, path)  # fails with FileExistsError rather than replacing
    except FileExistsError:
        raise _exists(path) from None
    except OSError:  # no hard links here (some network or FAT file systems)
        if path.exists():
            raise _exists(path) from None
        os.replace(tmp, path)
    else:
        tmp.unlink()


def _mode_for(path: Path) -> int:
    """Keep a replaced file's permissions; new files get the usual ones (0666 less the umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open folders; the rename is durable enough there
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_text_atomic(path: str | os.PathLike, text: str, force: bool = False) -> Path:
    return write_atomic(path, lambda temp: temp.write_text(text, encoding="utf-8", newline="\n"), force)


def describe_os_error(exc: OSError) -> str:
    """A Chinese sentence for the write failures users meet (disk full, no permission …)."""
    if isinstance(exc, FileExistsError):
        return f"文件已存在：{exc.filename}"
    reasons = {
        errno.ENOSPC: "磁盘空间不足",
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.EROFS: "文件系统只读",
        errno.ENOENT: "文件夹不存在",
        errno.EDQUOT: "超出磁盘配额",
        errno.ENOTDIR: "路径中有一段不是文件夹",
        errno.EISDIR: "目标是一个文件夹",
    }
    reason = reasons.get(exc.errno or 0, exc.strerror or str(exc))
    where = f"：{exc.filename}" if exc.filename else ""
    return f"无法写入文件（{reason}）{where}"
