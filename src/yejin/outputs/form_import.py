"""`yejin import`: a filled-in form (reading/form_reader.py) becomes reports/<unit>/<YYYY-MM>.yaml.

The report is written by report_writer, as `new-report` writes one, and checked with every rule a
report in the data folder meets (checking/dataset.py check_incoming), the rules across files
included.  Each problem of the written YAML is taken back to the cell its value came from, so the
clerk reads `太原-2022-07.xlsx!月报!E31（措施5　执法检查重大危险源数）: Y103 …`.

An unedited form gives exactly what `new-report` writes for the unit and month: a draft
(`draft: true`, with the 填写说明 comments) while anything the draft rule lets stay blank is blank
(a contact, the progress of a measure under way); filled in, a report that counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from yejin.campaign import form_fields as ff
from yejin.checking.dataset import check_incoming
from yejin.outputs.report_writer import MeasureDraft, ReportDraft, render_report
from yejin.problems import Problem
from yejin.reading import layout
from yejin.reading.form_reader import FilledForm, at, read_form
from yejin.words import NOT_STARTED

if TYPE_CHECKING:
    from yejin.campaign.models import Report
    from yejin.checking.dataset import Dataset


@dataclass
class Imported:
    source: str  # the workbook, as shown
    form: Optional[FilledForm]
    target: Optional[Path] = None  # reports/<unit>/<month>.yaml
    text: str = ""
    report: Optional[Report] = None
    draft: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.form is not None and not any(p.level == "error" for p in self.problems)


def import_form(data: Dataset, path: Path, shown: str, submitted: dt.date, today: dt.date | None = None) -> Imported:
    """Read, write (in memory) and check one form.  submitted: the 报送日期 of a form that leaves it blank."""
    form, problems = read_form(path, shown, data.campaign)
    result = Imported(shown, form, problems=problems)
    if form is None:
        return result
    draft = report_draft(data, form, submitted)
    result.draft = draft.draft
    result.text = render_report(data.campaign, draft, guidance=draft.draft)
    result.target = data.root / "reports" / form.unit.id / f"{form.month}.yaml"
    doc, report, found = check_incoming(data, result.target, result.text.encode("utf-8"), today)
    result.report = report
    taken = {p.cell for p in problems}
    for p in found:
        located = _to_cell(form, doc, p) if doc is not None and p.path == doc.path else p
        if located.cell and located.cell in taken:
            continue  # the cell already has its problem (a phone stored as a number)
        result.problems.append(located)
    return result


def report_draft(data: Dataset, form: FilledForm, submitted: dt.date) -> ReportDraft:
    """The form's values as the report writer takes them."""
    campaign = data.campaign
    value = form.value

    def text(loc: tuple) -> str:
        got = value(loc)
        return "" if got is None else str(got)

    day = value(("submitted",))
    if day is None:
        day = submitted
    day = (
        day.isoformat(" ")
        if isinstance(day, dt.datetime)
        else day.isoformat()
        if isinstance(day, dt.date)
        else str(day)
    )
    contacts = {r: {k: text(("contacts", r, k)) for k in ("name", "phone")} for r in ("a", "b")}
    blank = any(not v for person in contacts.values() for v in person.values())
    measures: dict[int, MeasureDraft] = {}
    for measure in campaign.applicable_measures(form.unit):
        n = measure.number
        status = text(("measures", n, "status")) or NOT_STARTED
        progress = text(("measures", n, "progress"))
        blank = blank or (not progress and status != NOT_STARTED)
        indicators = {}
        for ind in ff.entered(measure.indicators):
            got = value(("measures", n, "indicators", ind.key))
            if got is not None:
                indicators[ind.key] = got
        cases = []
        if ff.has_cases(measure):
            for k in range(ff.CASE_ROWS):
                case = _case(form, n, k)
                if case:
                    cases.append(case)
        measures[n] = MeasureDraft(status=status, progress=progress, indicators=indicators, cases=cases)
    enforcement = {}
    for ind in ff.entered(campaign.enforcement):
        got = value(("enforcement", ind.key))
        if got is not None:
            enforcement[ind.key] = got
    return ReportDraft(
        enforcement=enforcement,
        unit=form.unit,
        month=form.month,
        submitted=day,
        contacts=contacts,
        measures=measures,
        problems=text(("problems",)),
        next_steps=text(("next_steps",)),
        draft=blank,
    )


def _case(form: FilledForm, n: int, k: int) -> dict[str, Any]:
    """One 典型案例 row: nothing when all its cells are blank; a required field left blank stays in, empty,
    so the report's rule says 不能为空 at its cell."""
    values = {name: form.value(("measures", n, "cases", k, name)) for name, *_ in ff.case_fields()}
    if all(v is None for v in values.values()):
        return {}
    return {
        name: ("" if values[name] is None else values[name])
        for name, _, _, required in ff.case_fields()
        if required or values[name] is not None
    }


def _to_cell(form: FilledForm, doc: Any, problem: Problem) -> Problem:
    """A problem of the written YAML at the cell its value came from; the workbook itself when no one
    cell holds it (a measure missing, the draft reminder)."""
    exact: dict[tuple[int, int], tuple] = {}
    by_line: dict[int, tuple] = {}
    for loc in form.cells:
        for table in (doc.positions, doc.key_positions):
            if loc in table:
                line, col = table[loc]
                exact.setdefault((line, col), loc)
                by_line.setdefault(line, loc)
    loc = exact.get((problem.line, problem.column)) or by_line.get(problem.line)
    if loc is None:
        message, hint = problem.message, problem.hint
        if problem.code == "Y218":  # the draft line: there is no line to delete in a form
            message = "还有未填写的内容，导入为草稿（draft: true），不计入汇总"
            hint = "在填报表中填好下面列出的单元格后重新导入（加 --force 替换这份草稿）"
        return Problem(form.path, 0, 0, problem.code, message, hint, problem.level)
    cell = form.cells[loc]
    return replace(at(form.path, cell, problem.code, problem.message, problem.hint), level=problem.level)


def changes(old: Report, new: Report) -> list[str]:
    """What an import with --force changes: `措施 5 指标 fines: 25.65 → 30`, one line per field."""
    before, after = _flat(old.model_dump()), _flat(new.model_dump())
    out = []
    for key in sorted(before.keys() | after.keys(), key=_order):
        if before.get(key) != after.get(key):
            out.append(f"{key}: {_shown(before.get(key))} → {_shown(after.get(key))}")
    return out


def _flat(node: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            out.update(_flat(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(node, list):
        out = {}
        for i, value in enumerate(node, start=1):
            out.update(_flat(value, f"{prefix}[{i}]"))
        return out or {prefix: "[]"}
    return {prefix: node}


def _order(key: str) -> tuple:
    parts = key.replace("[", ".").replace("]", "").split(".")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def _shown(value: Any) -> str:
    if value is None:
        return "（无）"
    text = str(value).replace("\n", "⏎")
    return text if len(text) <= 40 else text[:40] + "…"


def import_forms(
    data: Dataset, paths: list[tuple[Path, str]], submitted: dt.date, force: bool, today: dt.date | None = None
) -> list[Imported]:
    """Every form of one `yejin import`, (path, as shown) each: read and checked; a report that exists
    already (without force) or two forms for one unit and month are errors of the form (Y201)."""
    results = [import_form(data, path, shown, submitted, today) for path, shown in paths]
    seen: dict[Path, str] = {}
    for result in results:
        if result.target is None:
            continue
        shown_target = layout.shown(data.root, result.target)
        if result.target in seen:
            result.problems.append(
                Problem(
                    result.source,
                    0,
                    0,
                    "Y201",
                    f"与 {seen[result.target]} 是同一单位同一月份的填报表（{shown_target}）",
                    "每个单位每月只导入一份；请去掉其中一个文件",
                )
            )
        seen.setdefault(result.target, result.source)
        if result.target.exists() and not force:
            result.problems.append(
                Problem(
                    result.source,
                    0,
                    0,
                    "Y201",
                    f"{shown_target} 已存在，未覆盖",
                    "确认要用这份填报表替换时加 --force（会列出改动的字段）",
                )
            )
    return results


def previous_version(data: Dataset, result: Imported) -> Optional[Report]:
    """The report the import replaces, when it was readable."""
    shown = layout.shown(data.root, result.target)
    return next((r.report for r in data.reports if r.path == shown), None)
