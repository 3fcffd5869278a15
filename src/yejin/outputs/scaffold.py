"""Pre-filled files for city staff: a month's report (`new-report`) and an important situation (`new-event`).

A new report carries forward the unit's previous report of the year: statuses,
cumulative figures and contacts; progress text starts empty with a comment saying
what to write.  It is a draft (`draft: true`): valid on its own, not counted, and validate
lists every blank as 未填写 with its line until the line is deleted.  An event is a draft
too while its summary or a contact is blank.  Nothing here overwrites a file.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Optional

from yejin.campaign import wording as terms
from yejin.campaign.campaign import Campaign
from yejin.campaign.models import Report, Unit
from yejin.checking.dataset import Dataset
from yejin.outputs.report_writer import DRAFT_LINE, SCHEMA_LINE, MeasureDraft, ReportDraft, q, render_report
from yejin.words import NO, NOT_STARTED

EMPTY_CONTACTS = {"a": {"name": "", "phone": ""}, "b": {"name": "", "phone": ""}}


def previous_report(data: Dataset, unit_id: str, month: str) -> Optional[Report]:
    """The unit's latest counted report before this month in the same year."""
    earlier = [r for r in data.valid_reports() if r.unit_id == unit_id and r.month < month and r.month[:4] == month[:4]]
    return max(earlier, key=lambda r: r.month).report if earlier else None


def latest_contacts(data: Dataset, unit_id: str) -> dict:
    mine = [r for r in data.valid_reports() if r.unit_id == unit_id]
    if not mine:
        return EMPTY_CONTACTS
    return max(mine, key=lambda r: r.month).report.contacts.model_dump()


def draft_report(data: Dataset, unit: Unit, month: str, submitted: dt.date) -> ReportDraft:
    campaign: Campaign = data.campaign
    before = previous_report(data, unit.id, month)
    measures: dict[int, MeasureDraft] = {}
    for measure in campaign.applicable_measures(unit):
        old = before.measures.get(measure.number) if before else None
        values = blank_figures(measure.indicators, old.indicators if old else {})
        measures[measure.number] = MeasureDraft(
            status=old.status if old else NOT_STARTED, progress="", indicators=values
        )
    return ReportDraft(
        enforcement=blank_figures(campaign.enforcement, before.enforcement if before else {}),
        unit=unit,
        month=month,
        submitted=submitted.isoformat(),
        contacts=latest_contacts(data, unit.id),
        measures=measures,
        draft=True,
    )


def blank_figures(indicators, old: dict) -> dict:
    """The figures a new report starts from: the previous report's, else 0 (否 for a yes/no indicator)."""
    return {i.key: old.get(i.key, NO if i.kind == "yesno" else 0) for i in indicators if i.kind != "rate"}


def report_path(root: Path, unit: Unit, month: str) -> Path:
    return root / "reports" / unit.id / f"{month}.yaml"


def new_report_text(data: Dataset, unit: Unit, month: str, submitted: dt.date) -> str:
    terms.parse_month(month)
    return render_report(data.campaign, draft_report(data, unit, month, submitted), guidance=True)


def event_path(root: Path, unit: Unit, date: dt.date, name: str) -> Path:
    return root / "reports" / unit.id / "events" / f"{date.isoformat()}-{name}.yaml"


def free_event_name(root: Path, unit: Unit, date: dt.date, name: str) -> str:
    """`name`, or name-2, name-3 … when a file of that day already has it."""
    candidate, n = name, 1
    while event_path(root, unit, date, candidate).exists():
        n += 1
        candidate = f"{name}-{n}"
    return candidate


def new_event_text(
    data: Dataset, unit: Unit, date: dt.date, title: str, category: str, measures: list[int], summary: str
) -> str:
    contacts = latest_contacts(data, unit.id)
    blank = not (title.strip() and summary.strip()) or any(
        not contacts[r][k].strip() for r in ("a", "b") for k in ("name", "phone")
    )
    out = [
        SCHEMA_LINE.replace("report.schema.json", "event.schema.json").replace("../../../", "../../../../"),
        f"# {unit.name} 重要情况（随时报送）",
        "# 填写说明：写明时间、地点、企业、经过和已采取的措施；文字请写在英文双引号内；保存为 UTF-8 编码。",
        "",
        *([DRAFT_LINE] if blank else []),
        f"unit: {unit.name}",
        f"date: {date.isoformat()}",
        f"title: {q(title)}",
        f"category: {category}  # 事故 / 险情 / 重大隐患 / 执法行动 / 其他",
        f"measures: {json.dumps(measures)}  # 涉及的措施序号，如 [5, 7]",
        f"summary: {q(summary)}  # 情况摘要",
        "contacts:  # 信息报送 A、B 角",
    ]
    for role in ("a", "b"):
        person = contacts[role]
        out.append(f"  {role}: {{name: {q(person['name'])}, phone: {q(person['phone'])}}}")
    return "\n".join(out) + "\n"
