"""Loading a whole data folder: tasks.yaml, then every report, then the cross-file checks.

Layout (a folder per unit so a git host can give each city its own folder):
    data/tasks.yaml
    data/reports/<unit-id>/<YYYY-MM>.yaml

    data/reports/<unit-id>/events/<YYYY-MM-DD>-<name>.yaml   (重要情况, any time)

Ignored, by design: hidden files and folders (.git, .#x.yaml), editor backups and lock
files (*~, *.bak, *.swp, *.tmp, *.orig, #x#, ~$x.yaml) and files that are not YAML
(README.md, a .docx original next to the report).
Reported, so nothing is silently skipped: a YAML file anywhere else under reports/, in a
sub-folder nobody expects (reports/taiyuan/old/2022-05.yaml) or named 2022-06.yml or
2022-06.yaml.txt (Y211); a folder that cannot be read (Y011).
Symbolic links are followed, to files and to folders alike, and a linked file is checked
where the link stands (its folder and name count, not the target's); a link back to a folder
it sits in (a loop) is reported (Y011), not walked forever.  A dangling link is Y011.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yejin.problems import Problem, relative
from yejin.reading.yaml_loader import Document, load_file, read_source

if TYPE_CHECKING:  # imported where used: `validate` over an unchanged folder never needs pydantic
    from yejin.checking.cache import Session
    from yejin.campaign.campaign import Campaign
    from yejin.campaign.models import Event, Report

REPORT_NAME = re.compile(r"^\d{4}-\d{2}\.yaml$")
EVENT_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-[A-Za-z0-9][A-Za-z0-9_-]*\.yaml$")


@dataclass
class LoadedReport:
    path: str  # as shown to users
    doc: Document
    report: Report
    unit_id: str | None = None  # resolved by checks; None when the unit is unknown

    @property
    def month(self) -> str:
        return self.report.month


@dataclass
class LoadedEvent:
    path: str
    doc: Document
    event: Event
    unit_id: str | None = None


@dataclass
class Dataset:
    root: Path
    campaign: Campaign | None
    reports: list[LoadedReport] = field(default_factory=list)
    events: list[LoadedEvent] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0
    tasks_path: str = ""

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)

    def valid_reports(self) -> list[LoadedReport]:
        return [r for r in self.reports if r.unit_id]

    def report_for(self, unit_id: str, month: str) -> Report | None:
        for r in self.reports:
            if r.unit_id == unit_id and r.month == month:
                return r.report
        return None


def _ignored(path: Path) -> bool:
    name = path.name
    return (name.startswith((".", "#", "~$")) or name.endswith(("~", ".bak", ".swp", ".tmp", ".orig")))


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
        if (current != folder and os.path.islink(here)
                and any(os.path.realpath(p) == os.path.realpath(here) for p in current.parents
                        if p == folder or folder in p.parents)):
            dirs[:] = []
            if unreadable is not None:
                unreadable.append((current, "符号链接指向它所在的上级文件夹，形成循环；yejin 没有进入"))
            continue
        dirs[:] = sorted(d for d in dirs if not _ignored(Path(d)))
        files += (current / n for n in names if not _ignored(Path(n)))
    return sorted(files)


def report_files(reports_dir: Path, unreadable: list[tuple[Path, str]] | None = None
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


def _misplaced_hint(path: Path) -> str:
    usual = ("月报应放在 reports/<单位标识>/<YYYY-MM>.yaml（如 reports/taiyuan/2022-06.yaml），"
             "重要情况放在 reports/<单位标识>/events/<YYYY-MM-DD>-<英文短名>.yaml")
    name = path.name
    if name.lower().endswith(".txt"):
        return (f"文件名多了 .txt（Windows 记事本在隐藏扩展名时会加上）；请改名为 {name[:-4]}"
                "（资源管理器“查看”中勾选“文件扩展名”后再改名）。" + usual)
    stem, suffix = os.path.splitext(name)
    if suffix != ".yaml" and suffix.lower() in (".yaml", ".yml"):
        return f"扩展名应为小写的 .yaml；请改名为 {stem}.yaml。" + usual
    return usual


def _shown(root: Path, path: Path) -> str:
    """A file under the data folder as users see it.  Only the folder is resolved: resolving the
    file itself would follow a symlink and show (and check the folder/name of) its target."""
    return (Path(relative(root)) / path.relative_to(root)).as_posix()


def check_model(doc: Document, model: str, lite: bool = False) -> tuple[Any, list[Problem]]:
    """Validate a document against models.<model> (TasksFile, Report or Event): (the model's object
    or None, the problems).  lite: first try lite.py's reading, which needs no pydantic and gives the
    same objects for plainly valid data; anything else is validated by the model."""
    if lite:
        from yejin.lite import read

        parsed = read(doc.data, model)
        if parsed is not None:
            return parsed, []
    from yejin.campaign import models
    from yejin.checking.validation import validate

    return validate(doc, getattr(models, model))


def load_tasks(root: Path, session: "Session | None" = None, lite: bool = False
               ) -> tuple[Campaign | None, Document | None, list[Problem], str]:
    from yejin.checking import checks
    from yejin.campaign.campaign import Campaign

    tasks_file = root / "tasks.yaml"
    shown = _shown(root, tasks_file)
    if not root.is_dir():
        what = "不是文件夹" if root.exists() else "不存在"
        return None, None, [Problem(relative(root), 0, 0, "Y012", f"数据目录 {relative(root)} {what}",
                                    "用 --data 指定数据目录，或设置环境变量 YEJIN_DATA")], shown
    if not tasks_file.is_file():
        return None, None, [Problem(shown, 0, 0, "Y012", f"数据目录中没有 tasks.yaml（{relative(root)}）",
                                    "数据目录应包含任务分解清单 tasks.yaml 和 reports/ 文件夹")], shown
    doc, problems = session.load_one(tasks_file, shown) if session else load_file(tasks_file, shown)
    if doc is None:
        return None, None, problems, shown
    spec, schema_problems = check_model(doc, "TasksFile", lite)
    problems += schema_problems
    if spec is None:
        return None, doc, problems, shown
    campaign = Campaign(spec)
    problems += checks.check_tasks(campaign, doc)
    return campaign, doc, problems, shown


def load_dataset(root: Path, today: dt.date | None = None, cache: bool | None = None, lite: bool = False) -> Dataset:
    """Everything under a data folder, with every problem found (nothing raised).

    cache: use the parse cache in <root>/.yejin-cache/ (None: unless YEJIN_NO_CACHE=1); large
    folders are parsed in parallel either way.  See cache.py.
    lite: plainly valid files become lite.py's objects, not the models' (no pydantic import);
    for `validate`, which uses nothing but the problems.
    """
    from yejin.checking import cache as fast

    with fast.gc_paused():
        session = fast.session(root, cache)
        try:
            return _load_dataset(root, today or dt.date.today(), session, lite)
        finally:
            session.close()


def _load_dataset(root: Path, today: dt.date, session: "Session", lite: bool = False) -> Dataset:
    from yejin.checking import checks
    from yejin.checking.cache import store_verdict

    campaign, _, problems, tasks_path = load_tasks(root, session, lite)
    data = Dataset(root=root, campaign=campaign, problems=problems, tasks_path=tasks_path)
    if not root.is_dir():
        return data
    data.files_checked = 1
    unreadable: list[tuple[Path, str]] = []
    files, events, misplaced = report_files(root / "reports", unreadable)
    for path, reason in unreadable:
        data.problems.append(Problem(_shown(root, path), 0, 0, "Y011", reason,
                                     "请检查文件夹的读取权限和其中的符号链接"))
    for path in misplaced:
        data.files_checked += 1
        data.problems.append(Problem(_shown(root, path), 0, 0, "Y211", "报告文件不在约定位置或文件名不对",
                                     _misplaced_hint(path)))
    items = [*((p, "Report", data.reports, LoadedReport) for p in files),
             *((p, "Event", data.events, LoadedEvent) for p in events)]
    base = Path(relative(root))  # _shown, without resolving the folder again for each file
    names = [(base / path.relative_to(root)).as_posix() for path, *_ in items]
    loaded = session.load_many([(path, shown) for (path, *_), shown in zip(items, names)])
    for (path, model, bucket, kind), shown, (doc, file_problems) in zip(items, names, loaded):
        data.files_checked += 1
        data.problems += file_problems
        if doc is None:
            continue
        parsed, schema_problems = check_model(doc, model, lite)
        data.problems += schema_problems
        if parsed is not None:
            doc.data = None  # the model holds it all now (~10 KB a report: 100 MB for 10,000 files)
            bucket.append(kind(shown, doc, parsed))
    if campaign is not None:
        data.problems += checks.check_reports(campaign, data.reports, root / "reports", today)
        data.problems += checks.check_events(campaign, data.events)
    store_verdict(session, today, [_shown(root, p) for p in misplaced],
                  [(_shown(root, p), reason) for p, reason in unreadable],
                  data.problems, data.files_checked, data.tasks_path)
    return data


def inventory(root: Path) -> tuple[list[tuple[str, str]] | None, list[str], list[tuple[str, str]]]:
    """What load_dataset would read, without parsing: ((shown name, content digest) of tasks.yaml
    and of every report and event file in load_dataset's order, or None when one cannot be
    read; the misplaced files; the unreadable folders) — what a stored verdict is keyed by."""
    from yejin.checking.cache import digest

    tasks_file = root / "tasks.yaml"
    if not root.is_dir() or not tasks_file.is_file():
        return None, [], []
    unreadable: list[tuple[Path, str]] = []
    files, events, misplaced = report_files(root / "reports", unreadable)
    digests: list[tuple[str, str]] = []
    base = Path(relative(root))
    for path in [tasks_file, *files, *events]:
        shown = (base / path.relative_to(root)).as_posix()
        raw, _ = read_source(path, shown)
        if raw is None:
            return None, [], []
        digests.append((shown, digest(shown, raw)))
    return digests, [_shown(root, p) for p in misplaced], [(_shown(root, p), reason) for p, reason in unreadable]


def inside_folder(root: Path, path: Path) -> bool:
    """Whether a file lies under root, as named (through symlinked folders) or for real."""
    for folder, base in ((Path(os.path.abspath(path.parent)), Path(os.path.abspath(root))),
                         (path.parent.resolve(), root.resolve())):
        if folder == base or base in folder.parents:
            return True
    return False


def shown_path(root: Path, path: Path) -> str:
    """How a file given on the command line is named in problems: as the data set names it."""
    for folder, base in ((Path(os.path.abspath(path.parent)), Path(os.path.abspath(root))),  # through symlinks
                         (path.parent.resolve(), root.resolve())):
        try:
            return (Path(relative(root)) / (folder / path.name).relative_to(base)).as_posix()
        except ValueError:
            continue
    # outside the data folder
    return relative(path.parent) + "/" + path.name if str(path.parent) not in ("", ".") else path.name


def check_loose_file(data: Dataset, path: Path, today: dt.date | None = None, lite: bool = False) -> list[Problem]:
    """A report or event file outside the data folder (a draft, say), checked on its own.

    Everything that needs only this file and tasks.yaml is checked; rules across
    reports (duplicates, cumulative figures) need the file in place under reports/.
    lite: as for load_dataset.
    """
    from yejin.checking import checks

    shown = shown_path(data.root, path)
    doc, problems = load_file(path, shown)
    if doc is None:
        return problems
    is_event = EVENT_NAME.match(path.name) is not None
    parsed, schema_problems = check_model(doc, "Event" if is_event else "Report", lite)
    problems += schema_problems
    if parsed is None or data.campaign is None:
        return problems
    if is_event:
        return problems + checks.check_events(data.campaign, [LoadedEvent(shown, doc, parsed)])
    return problems + checks.check_one_report(data.campaign, LoadedReport(shown, doc, parsed),
                                              data.root / "reports", today or dt.date.today())
