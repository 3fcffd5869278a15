"""The data folder's layout: which files are reports, events or misplaced, and how each is named.

    data/tasks.yaml
    data/reports/<unit-id>/<YYYY-MM>.yaml                      (月报, one per unit and month)
    data/reports/<unit-id>/events/<YYYY-MM-DD>-<name>.yaml     (重要情况, any time)

A folder per unit, so a git host can give each city its own folder.
Ignored, by design: hidden files and folders (.git, .#x.yaml), editor backups and lock
files (*~, *.bak, *.swp, *.tmp, *.orig, #x#, ~$x.yaml) and files that are not YAML
(README.md, a .docx original next to the report).
Reported, so nothing is silently skipped: a YAML file anywhere else under reports/, in a
sub-folder nobody expects (reports/taiyuan/old/2022-05.yaml) or named 2022-06.yml or
2022-06.yaml.txt (Y211); any file whose name starts or ends with white space or holds a line
break or another control character (`2022-07.yaml `, Y211, whatever its extension); a folder that
cannot be read (Y011).
Symbolic links are followed, to files and to folders alike, as long as they stay inside the data
folder, and a linked file is checked where the link stands (its folder and name count, not the
target's); a link back to a folder it sits in (a loop) is reported (Y011), not walked forever.
A dangling link is Y011.  What a city commits cannot make yejin read anything else (Y013, never
opened): a link that leads out of the data folder (to /dev/zero, to /, to a file of the machine
yejin runs on), and anything that is neither a regular file nor a folder (a device, a pipe).

scan() is the one listing of a data folder: loading it and keying validate's stored verdict
both use it, so the two can never disagree about which files there are.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from yejin.problems import path_text, relative
from yejin.safe_text import first_unsafe
from yejin.words import zh

REPORT_NAME = re.compile(r"^\d{4}-\d{2}\.yaml$")
EVENT_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-[A-Za-z0-9][A-Za-z0-9_-]*\.yaml$")


@dataclass
class Listing:
    """What scan() found under a data folder, in a stable order."""

    tasks: Path
    reports: list[Path] = field(default_factory=list)
    events: list[Path] = field(default_factory=list)
    misplaced: list[Path] = field(default_factory=list)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)  # (folder, reason)
    refused: list[tuple[Path, str]] = field(default_factory=list)  # (path, reason): never opened, Y013

    def paths(self) -> list[Path]:
        """Every file and folder listed under reports/: those read and those only reported."""
        return [*self.reports, *self.events, *self.misplaced, *(p for p, _ in self.unreadable + self.refused)]


def scan(root: Path) -> Listing:
    """tasks.yaml, the reports, events and misplaced files under reports/, the unreadable folders and
    what is refused (links out of the data folder, devices, pipes).  tasks.yaml itself is checked by
    whoever reads it (refusal())."""
    listing = Listing(root / "tasks.yaml")
    reports = root / "reports"
    reason = refusal(root, reports) if os.path.lexists(reports) else None
    if reason:
        listing.refused.append((reports, reason))
        return listing
    listing.reports, listing.events, listing.misplaced = report_files(
        reports, listing.unreadable, listing.refused, root
    )
    return listing


def _inside(real: str, boundary: str) -> bool:
    return real == boundary or real.startswith(boundary.rstrip(os.sep) + os.sep)


def refusal(root: Path, path: Path) -> Optional[str]:
    """Why yejin will not open `path` under the data folder `root`, or None: a symbolic link (anywhere
    along the path below root) that leads out of the data folder, or something that is neither a
    regular file nor a folder.  A path that does not exist is not refused (reading it says so)."""
    if not _inside(os.path.realpath(path), os.path.realpath(root)):
        link = _link_text(path)
        return f"符号链接指向数据目录之外{f'（{link}）' if link else ''}；yejin 不读取数据目录以外的文件"
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = "命名管道" if stat.S_ISFIFO(mode) else "设备" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "套接字"
    return f"不是普通文件（{kind}）；yejin 只读取普通文件"


def _link_text(path: Path) -> str:
    try:
        target = os.readlink(path)
    except OSError:  # not a link itself: a folder above it is
        return ""
    return target if len(target) <= 100 else target[:100] + "…"


def odd_name(name: str) -> bool:
    """A name with white space at either end, a line break or another control character: people cannot
    see what is wrong with `2022-07.yaml ` or `2022-07.yaml\n`, so it is reported, never skipped."""
    return name != name.strip() or first_unsafe(name) is not None


def find_root(path: Path) -> Optional[Path]:
    """The data folder a file or folder belongs to: the nearest one holding tasks.yaml."""
    # the folders the path names first (a unit folder may be a symlink to elsewhere), then the real ones
    for candidate in [path, *Path(os.path.abspath(path)).parents, *path.resolve().parents]:
        if candidate.is_dir() and (candidate / "tasks.yaml").is_file():
            return candidate
    return None


def _ignored(path: Path) -> bool:
    name = path.name
    return name.startswith((".", "#", "~$")) or name.endswith(("~", ".bak", ".swp", ".tmp", ".orig"))


def looks_like_yaml(path: Path) -> bool:
    """.yaml/.yml in any case, and 2022-06.yaml.txt (Windows Notepad adds .txt when extensions are hidden)."""
    name = path.name.lower()
    return name.endswith((".yaml", ".yml", ".yaml.txt", ".yml.txt"))


def walk_files(
    folder: Path,
    unreadable: list[tuple[Path, str]] | None = None,
    refused: list[tuple[Path, str]] | None = None,
    root: Path | None = None,
) -> list[Path]:
    """Every file under folder that is not ignored (see the module docstring), in a stable order.

    Follows symbolic links to folders (Path.rglob does not, and would skip a linked unit folder
    without a word) while they stay inside the data folder `root` (default: folder).  A link out of
    it, or a device or pipe, is added to `refused` and never opened, nor listed; a folder that cannot
    be listed, or a link back to a folder it sits in, is added to `unreadable`; each with the reason."""
    top = Path(root if root is not None else folder)
    boundary = os.path.realpath(top)
    unreadable = [] if unreadable is None else unreadable
    refused = [] if refused is None else refused
    files: list[Path] = []
    stack: list[tuple[Path, tuple[str, ...]]] = [(folder, (os.path.realpath(folder),))]
    while stack:
        here, above = stack.pop()  # above: the real folders from `folder` down to here (for loops)
        try:
            with os.scandir(here) as listed:
                entries = sorted(listed, key=lambda entry: entry.name)
        except OSError as exc:
            unreadable.append((here, f"无法读取文件夹：{exc.strerror or exc}"))
            continue
        folders = []
        for entry in entries:  # is_dir()/is_file() cost no system call for entries that are not links
            path = here / entry.name
            if _ignored(path):
                continue
            link = entry.is_symlink()
            if link and not _inside(os.path.realpath(path), boundary):
                refused.append((path, refusal(top, path) or ""))
            elif entry.is_dir():
                real = os.path.realpath(path) if link else os.path.join(above[-1], entry.name)
                if real in above:
                    unreadable.append((path, "符号链接指向它所在的上级文件夹，形成循环；yejin 没有进入"))
                else:
                    folders.append((path, above + (real,)))
            elif entry.is_file() or (link and not os.path.exists(path)):  # dangling: reading says so (Y011)
                files.append(path)
            else:  # a device, a pipe, a socket
                refused.append((path, refusal(top, path) or ""))
        stack += reversed(folders)
    return sorted(files)


def report_files(
    reports_dir: Path,
    unreadable: list[tuple[Path, str]] | None = None,
    refused: list[tuple[Path, str]] | None = None,
    root: Path | None = None,
) -> tuple[list[Path], list[Path], list[Path]]:
    """(monthly reports, event files, misplaced files) under reports/, in a stable order.  Misplaced: YAML
    files where none belongs or with names yejin does not know, and any file with an odd name."""
    found: list[Path] = []
    events: list[Path] = []
    misplaced: list[Path] = []
    if not reports_dir.is_dir():
        if reports_dir.exists() and unreadable is not None:
            unreadable.append((reports_dir, "reports 不是文件夹"))
        return found, events, misplaced
    for path in walk_files(reports_dir, unreadable, refused, root if root is not None else reports_dir.parent):
        rel = path.relative_to(reports_dir)
        if odd_name(path.name):
            misplaced.append(path)
            continue
        if not looks_like_yaml(path):
            continue
        if len(rel.parts) == 2 and REPORT_NAME.match(rel.name):
            found.append(path)
        elif len(rel.parts) == 3 and rel.parts[1] == "events" and EVENT_NAME.match(rel.name):
            events.append(path)
        else:
            misplaced.append(path)
    return found, events, misplaced


def misplaced_hint(path: Path) -> str:
    usual = (
        "月报应放在 reports/<单位标识>/<YYYY-MM>.yaml（如 reports/taiyuan/2022-06.yaml），"
        "重要情况放在 reports/<单位标识>/events/<YYYY-MM-DD>-<英文短名>.yaml"
    )
    name = path.name
    if odd_name(name):
        what = "开头或末尾有空格" if name != name.strip() and first_unsafe(name) is None else "里有换行或控制字符"
        fixed = "".join(c for c in name if first_unsafe(c) is None).strip()
        return zh(f"文件名{what}（看不出来，但 yejin 会因此认不出这个文件）；请改名为 {fixed}。") + usual
    if name.lower().endswith(".txt"):
        return (
            zh(f"文件名多了 .txt（Windows 记事本在隐藏扩展名时会加上）；请改名为 {name[:-4]}")
            + "（资源管理器“查看”中勾选“文件扩展名”后再改名）。"
            + usual
        )
    stem, suffix = os.path.splitext(name)
    if suffix != ".yaml" and suffix.lower() in (".yaml", ".yml"):
        return zh(f"扩展名应为小写的 .yaml；请改名为 {stem}.yaml。") + usual
    return usual


def shown(root: Path, path: Path) -> str:
    """A file under the data folder as users see it.  Only the folder is resolved: resolving the
    file itself would follow a symlink and show (and check the folder/name of) its target."""
    return shown_all(root, [path])[0]


def shown_all(root: Path, paths: list[Path]) -> list[str]:
    """shown() for many files of one folder (the folder is resolved once)."""
    base = Path(relative(root))
    return [path_text(base / path.relative_to(root)) for path in paths]


def inside_folder(root: Path, path: Path) -> bool:
    """Whether a file lies under root, as named (through symlinked folders) or for real."""
    for folder, base in (
        (Path(os.path.abspath(path.parent)), Path(os.path.abspath(root))),
        (path.parent.resolve(), root.resolve()),
    ):
        if folder == base or base in folder.parents:
            return True
    return False


def shown_path(root: Path, path: Path) -> str:
    """How a file given on the command line is named in problems: as the data set names it."""
    for folder, base in (
        (Path(os.path.abspath(path.parent)), Path(os.path.abspath(root))),  # through symlinks
        (path.parent.resolve(), root.resolve()),
    ):
        try:
            return path_text(Path(relative(root)) / (folder / path.name).relative_to(base))
        except ValueError:
            continue
    # outside the data folder
    return path_text(Path(relative(path.parent)) / path.name) if str(path.parent) not in ("", ".") else path.name


def place(shown_path: str) -> tuple[Optional[str], Optional[str], str]:
    """What a file's place says about it, for a file that could not be read as what it is:
    (its unit folder, the month its name gives, report | event | file).  reports/taiyuan/2022-06.yaml ->
    ("taiyuan", "2022-06", "report"); reports/taiyuan/events/2022-06-12-x.yaml -> ("taiyuan", "2022-06", "event")."""
    path = Path(shown_path)
    parts = path.parts
    if "reports" not in parts[:-1]:
        return None, None, "file"
    below = parts[len(parts) - 1 - parts[::-1].index("reports") :]  # after the last reports/ folder
    if len(below) == 3 and REPORT_NAME.match(below[2]):
        return below[1], below[2][:7], "report"
    if len(below) == 4 and below[2] == "events" and EVENT_NAME.match(below[3]):
        return below[1], below[3][:7], "event"
    return (below[1] if len(below) > 2 else None), None, "file"
