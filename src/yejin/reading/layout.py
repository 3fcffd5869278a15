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
2022-06.yaml.txt (Y211); a folder that cannot be read (Y011).
Symbolic links are followed, to files and to folders alike, and a linked file is checked
where the link stands (its folder and name count, not the target's); a link back to a folder
it sits in (a loop) is reported (Y011), not walked forever.  A dangling link is Y011.

scan() is the one listing of a data folder: loading it and keying validate's stored verdict
both use it, so the two can never disagree about which files there are.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from yejin.problems import relative

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


def scan(root: Path) -> Listing:
    """tasks.yaml, the reports, events and misplaced YAML files under reports/, the unreadable folders."""
    listing = Listing(root / "tasks.yaml")
    listing.reports, listing.events, listing.misplaced = report_files(root / "reports", listing.unreadable)
    return listing


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


def walk_files(folder: Path, unreadable: list[tuple[Path, str]] | None = None) -> list[Path]:
    """Every file under folder that is not ignored (see the module docstring), in a stable order.

    Follows symbolic links to folders (Path.rglob does not, and would skip a linked unit folder
    without a word); a folder that cannot be listed, or a link back to a folder it sits in, is
    added to `unreadable` with the reason."""
    files: list[Path] = []

    def failed(exc: OSError) -> None:
        if unreadable is not None:
            unreadable.append((Path(exc.filename or folder), f"无法读取文件夹：{exc.strerror or exc}"))

    for here, dirs, names in os.walk(folder, onerror=failed, followlinks=True):
        current = Path(here)
        # a loop needs a link back to a folder above: only a linked folder is worth the realpath calls
        if (
            current != folder
            and os.path.islink(here)
            and any(
                os.path.realpath(p) == os.path.realpath(here)
                for p in current.parents
                if p == folder or folder in p.parents
            )
        ):
            dirs[:] = []
            if unreadable is not None:
                unreadable.append((current, "符号链接指向它所在的上级文件夹，形成循环；yejin 没有进入"))
            continue
        dirs[:] = sorted(d for d in dirs if not _ignored(Path(d)))
        files += (current / n for n in names if not _ignored(Path(n)))
    return sorted(files)


def report_files(
    reports_dir: Path, unreadable: list[tuple[Path, str]] | None = None
) -> tuple[list[Path], list[Path], list[Path]]:
    """(monthly reports, event files, misplaced YAML files) under reports/, in a stable order."""
    found: list[Path] = []
    events: list[Path] = []
    misplaced: list[Path] = []
    if not reports_dir.is_dir():
        if reports_dir.exists() and unreadable is not None:
            unreadable.append((reports_dir, "reports 不是文件夹"))
        return found, events, misplaced
    for path in walk_files(reports_dir, unreadable):
        rel = path.relative_to(reports_dir)
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
    if name.lower().endswith(".txt"):
        return (
            f"文件名多了 .txt（Windows 记事本在隐藏扩展名时会加上）；请改名为 {name[:-4]}"
            "（资源管理器“查看”中勾选“文件扩展名”后再改名）。" + usual
        )
    stem, suffix = os.path.splitext(name)
    if suffix != ".yaml" and suffix.lower() in (".yaml", ".yml"):
        return f"扩展名应为小写的 .yaml；请改名为 {stem}.yaml。" + usual
    return usual


def shown(root: Path, path: Path) -> str:
    """A file under the data folder as users see it.  Only the folder is resolved: resolving the
    file itself would follow a symlink and show (and check the folder/name of) its target."""
    return shown_all(root, [path])[0]


def shown_all(root: Path, paths: list[Path]) -> list[str]:
    """shown() for many files of one folder (the folder is resolved once)."""
    base = Path(relative(root))
    return [(base / path.relative_to(root)).as_posix() for path in paths]


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
            return (Path(relative(root)) / (folder / path.name).relative_to(base)).as_posix()
        except ValueError:
            continue
    # outside the data folder
    return relative(path.parent) + "/" + path.name if str(path.parent) not in ("", ".") else path.name
