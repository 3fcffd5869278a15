"""Loading a whole data folder: tasks.yaml, then every report and event, then the cross-file checks.

Every file is read, checked against its model and located problem by problem; nothing is
raised.  Which files there are is reading/layout.py's scan(); what is wrong with one file is
validation.py's; rules across files are checks.py's.  A report or an event that failed its model
still goes through the rules across files, with its invalid values dropped (validation.py
salvage()), so one run reports every problem; it never joins `reports` or `events` (what the
outputs show).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Optional

from yejin.checking import verdict
from yejin.problems import Problem, relative
from yejin.reading import layout
from yejin.reading.yaml_loader import Document, load_bytes, load_file, read_source

if TYPE_CHECKING:  # imported where used: `validate` over an unchanged folder never needs pydantic
    from yejin.campaign.campaign import Campaign
    from yejin.campaign.models import Event, Report


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
    # an event that failed its model (salvage_event): the index in the file of each item left in
    # event.measures, so a check locates the item it is about; None: the event as written
    measure_places: list[int] | None = None

    def measure_key(self, i: int) -> tuple:
        """Where event.measures[i] stands in the file (a key for Document.position)."""
        return ("measures", i if self.measure_places is None else self.measure_places[i])


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

    @property
    def tasks_ok(self) -> bool:
        """tasks.yaml was read and has no error: without it nothing can be counted at all."""
        return self.campaign is not None and not any(
            p.level == "error" and p.path == self.tasks_path for p in self.problems
        )

    def _broken(self) -> set[str]:
        return {p.path for p in self.problems if p.level == "error"}

    def valid_reports(self, drafts: bool = False) -> list[LoadedReport]:
        """The reports that count: no error, a known unit, not a draft (统计口径: 有误的文件和草稿不计入);
        drafts=True: the drafts (`draft: true`) without an error, shown as 未报（草稿）."""
        broken = self._broken()
        return [r for r in self.reports if r.unit_id and r.path not in broken and r.report.draft == drafts]

    def valid_events(self, drafts: bool = False) -> list[LoadedEvent]:
        """As valid_reports, for the important situations."""
        broken = self._broken()
        return [e for e in self.events if e.unit_id and e.path not in broken and e.event.draft == drafts]

    def excluded(self) -> list[Excluded]:
        """Every file left out because of an error, with its first error (报告有误，未计入), in path order."""
        first: dict[str, Problem] = {}
        for p in sorted(self.problems):
            if p.level == "error" and p.path != self.tasks_path:
                first.setdefault(p.path, p)
        loaded = {r.path: (r.unit_id, r.month, "report") for r in self.reports}
        loaded.update({e.path: (e.unit_id, e.event.date.strftime("%Y-%m"), "event") for e in self.events})
        out = []
        for path, problem in first.items():
            unit_id, month, kind = loaded.get(path) or (None, None, "")
            folder, named_month, named_kind = layout.place(path)
            if unit_id is None and folder and self.campaign is not None:
                unit = self.campaign.resolve_unit(folder)
                unit_id = unit.id if unit else None
            out.append(Excluded(path, unit_id, month or named_month, kind or named_kind, problem))
        return out

    def events_in(
        self, month: Optional[str] = None, unit_id: Optional[str] = None, drafts: bool = False
    ) -> list[LoadedEvent]:
        """The important situations of a month (all: None) and unit (all: None), by date: those without an
        error, and the drafts too when asked (统计口径: drafts and files with an error do not count)."""
        chosen = [
            e
            for e in self.valid_events() + (self.valid_events(drafts=True) if drafts else [])
            if (month is None or e.event.date.strftime("%Y-%m") == month) and (unit_id is None or e.unit_id == unit_id)
        ]
        return sorted(chosen, key=lambda e: (e.event.date, e.path))

    def report_for(self, unit_id: str, month: str) -> Report | None:
        for r in self.reports:
            if r.unit_id == unit_id and r.month == month:
                return r.report
        return None


@dataclass(frozen=True)
class Excluded:
    """A file left out of every picture because of an error: 报告有误，未计入."""

    path: str  # as shown to users
    unit_id: str | None  # the unit it belongs to (from the file, else its folder), None if unknown
    month: str | None  # a report's month or an event's, when known
    kind: str  # report | event | file
    problem: Problem  # its first error


REFUSED_HINT = (
    "数据目录里的文件和文件夹请直接提交，不要用指向数据目录以外的符号链接，也不要放设备、管道等特殊文件；"
    "请删去它（需要的内容请复制进数据目录）"
)


def check_model(doc: Document, model: str) -> tuple[Any, list[Problem]]:
    """Validate a document against models.<model> (TasksFile, Report or Event): (the model's object
    or None, the problems)."""
    from yejin.campaign import models
    from yejin.checking.validation import validate

    return validate(doc, getattr(models, model))


def salvage_report(doc: Document) -> Optional["Report"]:
    """What the cross-file checks can still read of a report that failed its model: the report with
    its invalid values dropped (validation.py salvage()); None when its unit or month is unusable."""
    from yejin.campaign.models import PartialReport
    from yejin.checking.validation import salvage

    return salvage(doc, PartialReport, unread=("contacts", "problems", "next_steps"))


def salvage_event(doc: Document, shown: str) -> Optional[LoadedEvent]:
    """What the cross-file checks can still read of an event that failed its model (as salvage_report),
    its measures located where they stand in the file; None when its unit or date is unusable."""
    from yejin.campaign.models import PartialEvent
    from yejin.checking.validation import salvage_places

    partial, places = salvage_places(doc, PartialEvent)
    if partial is None:
        return None
    return LoadedEvent(shown, doc, partial, measure_places=places.get("measures", []))


def load_tasks(
    root: Path, digests: Optional[list[tuple[str, str]]] = None
) -> tuple[Campaign | None, Document | None, list[Problem], str]:
    """tasks.yaml: (the campaign or None, its document, its problems, its name as shown)."""
    from yejin.campaign.campaign import Campaign
    from yejin.checking import checks

    tasks_file = root / "tasks.yaml"
    shown = layout.shown(root, tasks_file)
    if not root.is_dir():
        what = "不是文件夹" if root.exists() else "不存在"
        return (
            None,
            None,
            [
                Problem(
                    relative(root),
                    0,
                    0,
                    "Y012",
                    f"数据目录 {relative(root)} {what}",
                    "在数据仓库里的任何文件夹中运行 yejin 都能找到它（向上找含 tasks.yaml 的文件夹）；"
                    "也可用 --data 指定数据目录或设置环境变量 YEJIN_DATA；新建数据仓库用 yejin init",
                )
            ],
            shown,
        )
    refused = layout.refusal(root, tasks_file)
    if refused:
        return None, None, [Problem(shown, 0, 0, "Y013", refused, REFUSED_HINT)], shown
    if not tasks_file.is_file():
        return (
            None,
            None,
            [
                Problem(
                    shown,
                    0,
                    0,
                    "Y012",
                    f"数据目录中没有 tasks.yaml（{relative(root)}）",
                    "数据目录应包含任务分解清单 tasks.yaml 和 reports/ 文件夹",
                )
            ],
            shown,
        )
    doc, problems = _read(tasks_file, shown, digests, positions=True)
    if doc is None:
        return None, None, problems, shown
    spec, schema_problems = check_model(doc, "TasksFile")
    problems += schema_problems
    if spec is None:
        return None, doc, problems, shown
    campaign = Campaign(spec)
    problems += checks.check_tasks(campaign, doc)
    return campaign, doc, problems, shown


def _read(
    path: Path, shown: str, digests: Optional[list[tuple[str, str]]], positions: bool = False
) -> tuple[Optional[Document], list[Problem]]:
    """Parse one file, noting its content digest (for the stored verdict) when asked.

    Without positions: most files never need one; a problem asks the document, which reads the
    file again then (yaml_loader.Document.relocate)."""
    raw, problems = read_source(path, shown)
    if raw is None:
        return None, problems
    if digests is not None:
        digests.append((shown, verdict.digest(raw)))
    doc, problems = load_bytes(raw, shown, positions=positions)
    if doc is not None and not positions:
        doc.relocate = lambda: load_file(path, shown)[0]
    return doc, problems


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Loading keeps nearly every object it makes, and none of them form reference cycles: the cyclic
    collector would only walk them again and again (10,000 reports: 9.9 s with it, 6.1 s without,
    benchmarks/run.py).  Reference counting still frees everything as usual."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def load_dataset(
    root: Path, today: dt.date | None = None, cache: bool | None = None, only: Optional[set[Path]] = None
) -> Dataset:
    """Everything under a data folder, with every problem found (nothing raised).

    cache: keep the verdict for `validate` (verdict.py; None: unless YEJIN_NO_CACHE=1).
    only: the files under reports/ to read (absolute paths, as `git_tracked` gives them); the rest
    are left out as if absent (no verdict is kept then)."""
    with _no_cycle_collection():
        return _load_dataset(root, today, False if only is not None else cache, only)


def git_tracked(root: Path) -> Optional[set[Path]]:
    """The files under `root` that git tracks or has staged (what a commit holds), as absolute
    paths; None when `root` is not in a git work tree or git is not installed.

    In a pre-commit hook the work tree holds what is being committed: pre-commit has put unstaged
    changes aside, and only untracked files (a draft of next month) are left to leave out."""
    import subprocess

    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--full-name", "--", "."],
            cwd=root,
            capture_output=True,
            timeout=60,
        )
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    if listed.returncode != 0 or top.returncode != 0:
        return None
    base = Path(os.fsdecode(top.stdout).strip())
    return {Path(os.path.abspath(base / os.fsdecode(name))) for name in listed.stdout.split(b"\0") if name}


def _load_dataset(root: Path, today: dt.date | None, cache: bool | None, only: Optional[set[Path]] = None) -> Dataset:
    today = today or dt.date.today()
    use_cache = verdict.enabled() if cache is None else cache
    digests: list[tuple[str, str]] = []
    listing = layout.scan(root)
    if only is not None:  # files git does not track: not part of what is checked
        for kind in ("reports", "events", "misplaced"):
            setattr(listing, kind, [p for p in getattr(listing, kind) if Path(os.path.abspath(p)) in only])
        listing.refused = [(p, why) for p, why in listing.refused if Path(os.path.abspath(p)) in only]
    campaign, _, problems, tasks_path = load_tasks(root, digests)
    data = Dataset(root=root, campaign=campaign, problems=problems, tasks_path=tasks_path)
    if not root.is_dir():
        return data
    data.files_checked = 1
    for path, reason in listing.unreadable:
        data.problems.append(
            Problem(layout.shown(root, path), 0, 0, "Y011", reason, "请检查文件夹的读取权限和其中的符号链接")
        )
    for path, reason in listing.refused:
        data.files_checked += 1
        data.problems.append(Problem(layout.shown(root, path), 0, 0, "Y013", reason, REFUSED_HINT))
    for path in listing.misplaced:
        data.files_checked += 1
        data.problems.append(
            Problem(
                layout.shown(root, path), 0, 0, "Y211", "报告文件不在约定位置或文件名不对", layout.misplaced_hint(path)
            )
        )
    # reports and events that failed their model: what the cross-file checks can still read of them
    partials: list[LoadedReport] = []
    partial_events: list[LoadedEvent] = []
    items = [
        *((p, "Report", data.reports, LoadedReport) for p in listing.reports),
        *((p, "Event", data.events, LoadedEvent) for p in listing.events),
    ]
    for (path, model, bucket, kind), shown in zip(items, layout.shown_all(root, [item[0] for item in items])):
        data.files_checked += 1
        doc, file_problems = _read(path, shown, digests)
        data.problems += file_problems
        if doc is None:
            continue
        parsed, schema_problems = check_model(doc, model)
        data.problems += schema_problems
        if parsed is not None:
            doc.data = None  # the model holds it all now
            bucket.append(kind(shown, doc, parsed))
        elif model == "Report" and campaign is not None:
            partial = salvage_report(doc)
            if partial is not None:
                partials.append(LoadedReport(shown, doc, partial))
        elif campaign is not None:
            event = salvage_event(doc, shown)
            if event is not None:
                partial_events.append(event)
    if campaign is not None:
        from yejin.checking import checks

        data.problems += checks.check_reports(campaign, data.reports + partials, root / "reports", today)
        data.problems += checks.check_events(campaign, data.events + partial_events)
    readable = len(digests) == 1 + len(listing.reports) + len(listing.events)
    if use_cache and readable and listing.tasks.is_file() and not layout.refusal(root, listing.tasks):
        verdict.store(
            verdict.key(root, today, listing, digests),
            root,
            verdict.Verdict(data.problems, data.files_checked, data.tasks_path),
        )
    return data


def check_loose_file(data: Dataset, path: Path, today: dt.date | None = None) -> list[Problem]:
    """A report or event file outside the data folder (a draft, say), checked on its own.

    Everything that needs only this file and tasks.yaml is checked; rules across
    reports (duplicates, cumulative figures) need the file in place under reports/.
    """
    from yejin.checking import checks

    shown = layout.shown_path(data.root, path)
    doc, problems = load_file(path, shown)
    if doc is None:
        return problems
    is_event = layout.EVENT_NAME.match(path.name) is not None
    parsed, schema_problems = check_model(doc, "Event" if is_event else "Report")
    problems += schema_problems
    if data.campaign is None:
        return problems
    if is_event:
        event = LoadedEvent(shown, doc, parsed) if parsed is not None else salvage_event(doc, shown)
        return problems + (checks.check_events(data.campaign, [event]) if event is not None else [])
    if parsed is None:
        parsed = salvage_report(doc)
    if parsed is None:
        return problems
    return problems + checks.check_one_report(
        data.campaign, LoadedReport(shown, doc, parsed), data.root / "reports", today or dt.date.today()
    )


def check_incoming(
    data: Dataset, path: Path, raw: bytes, today: dt.date | None = None
) -> tuple[Optional[Document], Optional["Report"], list[Problem]]:
    """A report about to be written to `path` under reports/ (yejin import), checked with every rule a
    report there would meet, the rules across files included, as if it replaced whatever is there now.

    (its document with positions, the report or None, its problems and those it causes in other
    files: a later month's Y207, say)."""
    from yejin.checking import checks

    shown = layout.shown(data.root, path)
    doc, problems = load_bytes(raw, shown, positions=True)
    if doc is None or data.campaign is None:
        return doc, None, problems
    parsed, schema_problems = check_model(doc, "Report")
    problems += schema_problems
    loaded = LoadedReport(shown, doc, parsed) if parsed is not None else None
    if loaded is None:
        partial = salvage_report(doc)
        loaded = LoadedReport(shown, doc, partial) if partial is not None else None
    if loaded is not None:
        before = {(p.path, p.line, p.column, p.code, p.message) for p in data.problems}
        others = [r for r in data.reports if r.path != shown]
        found = checks.check_reports(data.campaign, [*others, loaded], data.root / "reports", today)
        problems += [
            p
            for p in found
            if p.path == shown or (shown in p.related and (p.path, p.line, p.column, p.code, p.message) not in before)
        ]
    return doc, parsed, problems


def find_data_folder(start: Path) -> Optional[Path]:
    """The data folder `start` lies in or above, as git finds its repository: walking up from
    `start`, the first folder holding tasks.yaml, or a data/ folder holding it (a data repository's
    root).  Given relative to `start` when it is `start` or above it, so messages name files as
    they are typed from here; None when there is none."""
    here = Path(os.path.abspath(start))
    for folder in [here, *here.parents]:
        for candidate in (folder, folder / "data"):
            if (candidate / "tasks.yaml").is_file():
                return Path(os.path.relpath(candidate, here))
    return None


def _under(folder: Path, listed: list[Path]) -> list[Path]:
    """The files (and refused or unreadable entries) of the data folder's listing under `folder`, as named."""
    top = os.path.abspath(folder).rstrip(os.sep) + os.sep
    return [p for p in listed if os.path.abspath(p).startswith(top)]


class UsageError(ValueError):
    """A validate command line that names no usable data folder (exit 2)."""


@dataclass
class Checked:
    """What `yejin validate` prints: the problems of the folder, or of the files named."""

    result: "Dataset | verdict.Verdict"
    only: Optional[set[str]]  # the files named on the command line, as shown; None: the whole folder


def check_paths(
    data_root: Path, paths: Optional[list[Path]], today: dt.date, cache: bool, tracked_only: bool = False
) -> Checked:
    """`yejin validate [PATH…]`: the data folder (or the folder the given files and folders belong to),
    checked whole: cross-file rules need every file.  UsageError when a path does not exist or the
    paths lie in more than one data folder."""
    root = data_root
    files: Optional[list[Path]] = None
    if paths:
        missing = [p for p in paths if not p.exists()]
        if missing:
            raise UsageError(f"路径不存在：{'、'.join(str(p) for p in missing)}")
        roots = {layout.find_root(p) for p in paths}
        if None in roots:
            if len(paths) == 1 and paths[0].is_dir():
                roots = {paths[0]}  # let load_dataset say what is missing there
            else:
                roots = {data_root}
        if len(roots) > 1:
            raise UsageError("一次只能检查一个数据目录中的文件")
        root = roots.pop()  # type: ignore[assignment]
        if not all(p.is_dir() and p.resolve() == root.resolve() for p in paths):
            listed = layout.scan(root).paths() if any(p.is_dir() for p in paths) else []
            files = [f for p in paths for f in (_under(p, listed) if p.is_dir() else [p])]
    loose = [f for f in files or [] if not layout.inside_folder(root, f)]
    only = git_tracked(root) if tracked_only else None
    if tracked_only and only is None:
        raise UsageError(f"--git-tracked：{relative(root)} 不在 git 仓库中（或没有安装 git）")
    stored = verdict.lookup(root, today) if cache and not loose and only is None else None
    if stored is not None:
        result: Dataset | verdict.Verdict = stored
    else:
        data = load_dataset(root, today=today, cache=cache, only=only)
        for f in loose:  # a draft outside the data folder is still checked, on its own
            data.problems += check_loose_file(data, f, today)
        result = data
    named = {layout.shown_path(root, f) for f in files} if files is not None else None
    return Checked(result, named)
