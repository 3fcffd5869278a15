"""Write a file all at once, or not at all.

The content goes to a temporary file in the target's folder (same file system),
which then takes the target's name in one step.  A failure part-way leaves the
old file as it was and no temporary file behind; an existing file is replaced
only when asked to (force), and only a regular file: a device (`-o /dev/null`
as root in CI), a pipe, a link or a folder is never replaced.  Used by `export`,
`new-report`, `new-event`, `schema -o` and `bulletin`.

A run that is killed cannot remove its temporary file.  Its name says whose it is
(`.<name>.yejin-<pid>-<random>.tmp`): the next write to the same target removes those
of processes that no longer run (stale_temps()), and names any other it finds.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Callable, Optional


class TargetExists(FileExistsError):
    """The target file exists and overwriting was not asked for."""


class NotARegularFile(OSError):
    """The target is a device, a pipe, a link or a folder: never replaced, --force or not."""


def _exists(path: Path) -> TargetExists:
    return TargetExists(errno.EEXIST, "文件已存在", str(path))


def _kind(mode: int) -> Optional[str]:
    """What a target that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "符号链接"
    if stat.S_ISDIR(mode):
        return "文件夹"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备"
    return "命名管道" if stat.S_ISFIFO(mode) else "套接字"


def check_target(path: Path) -> Optional[os.stat_result]:
    """The target's own status (a link is not followed) when it exists, None when it does not;
    NotARegularFile when it is anything but a regular file."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    kind = _kind(st.st_mode)
    if kind:
        raise NotARegularFile(errno.EINVAL, f"是{kind}，不是普通文件", str(path))
    return st


def write_atomic(path: str | os.PathLike, writer: Callable[[Path], None], force: bool = False) -> Path:
    """Call writer(temp_path) to write the whole file, then move it to `path`.

    Raises TargetExists (a FileExistsError) when `path` exists and force is false (checked before
    writing and again, atomically where the file system allows, when moving into place), and
    NotARegularFile when `path` is a device, a pipe, a link or a folder (force or not; checked
    before writing and again just before the move).  Any exception from writer propagates after
    the temporary file is removed.
    """
    path = Path(path)
    existing = check_target(path)
    if existing is not None and not force:
        raise _exists(path)
    folder = path.parent
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else _new_file_mode()
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.yejin-{os.getpid()}-", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        writer(tmp)
        with open(tmp, "rb+") as fh:  # on disk before the rename makes it visible
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        if force:
            check_target(path)  # nothing else took the name meanwhile
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
        if os.path.lexists(path):
            raise _exists(path) from None
        os.replace(tmp, path)
    else:
        tmp.unlink()


def _new_file_mode() -> int:
    """New files get the usual permissions (0666 less the umask); a replaced file keeps its own."""
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


def describe_existing(path: Path) -> Optional[str]:
    """What --force is about to replace, for the message after it did: size and time of the old file."""
    try:
        st = check_target(path)
    except OSError:
        return None
    if st is None:
        return None
    when = dt.datetime.fromtimestamp(st.st_mtime).strftime("%Y-%m-%d %H:%M")
    return f"原文件{st.st_size:,}字节，修改于{when}"


_OURS = re.compile(r"yejin-(\d+)-[a-z0-9_]+\.tmp")  # after `.<name>.`: this version's temporary files
_OLDER = re.compile(r"[a-z0-9_]{8}\.tmp")  # tempfile's own names, as yejin used them before


def _running(pid: int) -> bool:
    if os.name != "posix":  # no cheap way to ask: assume it runs, never remove another's file
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it runs, as another user
        return True
    return True


def stale_temps(path: Path) -> tuple[list[str], list[str]]:
    """Temporary files an earlier write to `path` left behind (killed, power cut): (removed, others).

    Removed: ours (`.<name>.yejin-<pid>-….tmp`) whose process no longer runs.  Others: a temporary
    file of this target without a process id (an older yejin), left for people to judge."""
    removed: list[str] = []
    others: list[str] = []
    prefix = f".{path.name}."
    try:
        names = [n for n in os.listdir(path.parent or ".") if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return removed, others
    for name in sorted(names):
        rest, temp = name[len(prefix) :], path.parent / name
        found = _OURS.fullmatch(rest)
        if found is None:
            if _OLDER.fullmatch(rest):
                others.append(str(temp))
        elif int(found[1]) != os.getpid() and not _running(int(found[1])):
            try:
                if stat.S_ISREG(os.lstat(temp).st_mode):
                    temp.unlink()
                    removed.append(str(temp))
            except OSError:
                others.append(str(temp))
    return removed, others


def describe_os_error(exc: OSError, target: Optional[Path] = None) -> str:
    """A Chinese sentence for the write failures users meet (disk full, no permission …), naming the
    file the user asked for (not the temporary file the error happened on)."""
    where = str(target) if target is not None else exc.filename
    if isinstance(exc, NotARegularFile):
        return (
            f"{where} {exc.strerror}；yejin 只会覆盖普通文件（加 --force 也一样），"
            "不会替换设备、管道、链接或文件夹：请另选一个文件名"
        )
    if isinstance(exc, FileExistsError):
        return f"文件已存在：{where}"
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
    return f"无法写入文件（{reason}）" + (f"：{where}" if where else "")


class OutputPathError(ValueError):
    """`-o` names a file yejin cannot write there (its folder is missing or not a folder)."""


class WrongSuffix(OutputPathError):
    """`-o` names a file whose extension does not fit what the command writes."""


_SEPARATORS = tuple(s for s in (os.sep, os.altsep) if s)


def check_suffix(path_text: str, allowed_suffixes: tuple[str, ...]) -> None:
    """WrongSuffix when `-o path_text` names a file (not a folder: one that exists, or a path ending in a
    separator) whose extension is not one of allowed_suffixes (case aside).  Needs nothing but the
    path, so a command can refuse it before it reads any data."""
    path = Path(path_text)
    if path_text.endswith(_SEPARATORS) or path.is_dir() or path.suffix.lower() in allowed_suffixes:
        return
    wanted = " 或 ".join(allowed_suffixes)
    if path.suffix and path.stem:
        raise WrongSuffix(f"{path_text} 的扩展名应为 {wanted}（例如 {path.with_suffix(allowed_suffixes[0])}）")
    raise WrongSuffix(
        f"{path_text} 没有扩展名 {wanted}：写入文件请用 {path_text}{allowed_suffixes[0]}，"
        f"写入文件夹请在末尾加 {os.sep}（{path_text}{os.sep}）"
    )


def folder_ending_in_separator(path_text: str, default_name: str) -> Optional[Path]:
    """`-o 文件夹/`: a path ending in a separator is a folder (made when missing) with default_name inside;
    None for any other path."""
    if not path_text.endswith(_SEPARATORS):
        return None
    path = Path(path_text)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputPathError(f"无法写入 {path_text}{default_name}：{path} 不是文件夹") from None
    except OSError as exc:
        raise OutputPathError(f"无法创建文件夹 {path_text}（{_reason(exc)}）") from None
    return path / default_name


def resolve_output(path_text: str, default_name: str, allowed_suffixes: tuple[str, ...]) -> Path:
    """The file `-o path_text` asks for: an existing folder, or a path ending in a separator (a folder
    made when missing), gets `default_name` inside it; any other path must end in one of
    allowed_suffixes (case aside) and lie in a folder that exists.  Errors are Chinese sentences
    naming the file the user asked for."""
    check_suffix(path_text, allowed_suffixes)
    path = Path(path_text)
    inside = folder_ending_in_separator(path_text, default_name)
    if inside is not None:
        return inside
    if path.is_dir():
        return path / default_name
    parent = path.parent
    if not parent.exists():
        raise OutputPathError(f"无法写入文件（文件夹不存在）：{path}；请先创建文件夹 {parent}，或检查路径是否写错")
    if not parent.is_dir():
        raise OutputPathError(f"无法写入 {path}：{parent} 不是文件夹")
    return path


def _reason(exc: OSError) -> str:
    return describe_os_error(exc).removeprefix("无法写入文件（").split("）")[0]
