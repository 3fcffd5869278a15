"""Loading a whole data folder: tasks.yaml, then every report, then the cross-file checks.

Layout (a folder per unit so a git host can give each city its own folder):
    data/tasks.yaml
    data/reports/<unit-id>/<YYYY-MM>.yaml

    data/reports/<unit-id>/events/<YYYY-MM-DD>-<name>.yaml   (重要情况, any time)

Ignored, by design: hidden files and folders (.git, .#x.yaml), editor backups
(*~, *.bak, *.swp) and files that are not YAML.
Reported: a YAML file anywhere else under reports/ (Y211), so nothing is silently skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import checks
from .campaign import Campaign
from .models import Event, Report, TasksFile
from .problems import Problem, relative
from .validation import validate
from .yaml_loader import Document, load_file

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


def report_files(reports_dir: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """(monthly reports, event files, misplaced YAML files) under reports/, in a stable order."""
    found: list[Path] = []
    events: list[Path] = []
    misplaced: list[Path] = []
    if not reports_dir.is_dir():
        return found, events, misplaced
    for path in sorted(reports_dir.rglob("*")):
        rel = path.relative_to(reports_dir)
        if any(_ignored(Path(part)) for part in rel.parts) or path.is_dir():
            continue
        if path.suffix.lower() not in (".yaml", ".yml"):
            continue
        if len(rel.parts) == 2 and REPORT_NAME.match(rel.name):
            found.append(path)
        elif len(rel.parts) == 3 and rel.parts[1] == "events" and EVENT_NAME.match(rel.name):
            events.append(path)
        else:
            misplaced.append(path)
    return found, events, misplaced


def _shown(root: Path, path: Path) -> str:
    """A file under the data folder as users see it.  Only the folder is resolved: resolving the
    file itself would follow a symlink and show (and check the folder/name of) its target."""
    return (Path(relative(root)) / path.relative_to(root)).as_posix()


def load_tasks(root: Path) -> tuple[Campaign | None, Document | None, list[Problem], str]:
    tasks_file = root / "tasks.yaml"
    shown = _shown(root, tasks_file)
    if not root.is_dir():
        what = "不是文件夹" if root.exists() else "不存在"
        return None, None, [Problem(relative(root), 0, 0, "Y012", f"数据目录 {relative(root)} {what}",
                                    "用 --data 指定数据目录，或设置环境变量 YEJIN_DATA")], shown
    if not tasks_file.is_file():
        return None, None, [Problem(shown, 0, 0, "Y012", f"数据目录中没有 tasks.yaml（{relative(root)}）",
                                    "数据目录应包含任务分解清单 tasks.yaml 和 reports/ 文件夹")], shown
    doc, problems = load_file(tasks_file, shown)
    if doc is None:
        return None, None, problems, shown
    spec, schema_problems = validate(doc, TasksFile)
    problems += schema_problems
    if spec is None:
        return None, doc, problems, shown
    campaign = Campaign(spec)
    problems += checks.check_tasks(campaign, doc)
    return campaign, doc, problems, shown


def load_dataset(root: Path, today: dt.date | None = None) -> Dataset:
    """Everything under a data folder, with every problem found (nothing raised)."""
    campaign, _, problems, tasks_path = load_tasks(root)
    data = Dataset(root=root, campaign=campaign, problems=problems, tasks_path=tasks_path)
    if not root.is_dir():
        return data
    data.files_checked = 1
    files, events, misplaced = report_files(root / "reports")
    for path in misplaced:
        data.files_checked += 1
        data.problems.append(Problem(_shown(root, path), 0, 0, "Y211", "报告文件不在约定位置或文件名不对",
                                     "月报应放在 reports/<单位标识>/<YYYY-MM>.yaml（如 reports/taiyuan/2022-06.yaml），"
                                     "重要情况放在 reports/<单位标识>/events/<YYYY-MM-DD>-<英文短名>.yaml"))
    for path, model, bucket, kind in [*((p, Report, data.reports, LoadedReport) for p in files),
                                      *((p, Event, data.events, LoadedEvent) for p in events)]:
        data.files_checked += 1
        shown = _shown(root, path)
        doc, file_problems = load_file(path, shown)
        data.problems += file_problems
        if doc is None:
            continue
        parsed, schema_problems = validate(doc, model)
        data.problems += schema_problems
        if parsed is not None:
            bucket.append(kind(shown, doc, parsed))
    if campaign is not None:
        data.problems += checks.check_reports(campaign, data.reports, root / "reports", today)
        data.problems += checks.check_events(campaign, data.events)
    return data


def shown_path(root: Path, path: Path) -> str:
    """How a file given on the command line is named in problems: as the data set names it."""
    try:
        return _shown(root, Path(path.parent.resolve()) / path.name)
    except ValueError:  # outside the data folder
        return relative(path.parent) + "/" + path.name if str(path.parent) not in ("", ".") else path.name


def check_loose_file(data: Dataset, path: Path) -> list[Problem]:
    """A report or event file outside the data folder (a draft, say), checked on its own.

    Everything that needs only this file and tasks.yaml is checked; rules across
    reports (duplicates, cumulative figures) need the file in place under reports/.
    """
    shown = shown_path(data.root, path)
    doc, problems = load_file(path, shown)
    if doc is None:
        return problems
    is_event = EVENT_NAME.match(path.name) is not None
    parsed, schema_problems = validate(doc, Event if is_event else Report)
    problems += schema_problems
    if parsed is None or data.campaign is None:
        return problems
    if is_event:
        return problems + checks.check_events(data.campaign, [LoadedEvent(shown, doc, parsed)])
    return problems + checks.check_one_report(data.campaign, LoadedReport(shown, doc, parsed),
                                              data.root / "reports", dt.date.today())
