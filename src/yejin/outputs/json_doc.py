"""The month's picture as a stable JSON document (for scripts and dashboards).

Keys are English and documented in README (“status --json”); values are as in the data.
Bump SCHEMA_VERSION when a key changes meaning or disappears (2: the 统计口径 of README — carried
figures, 待报, the department apart from the cities, files left out, three dates).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from yejin.campaign.campaign import Campaign
from yejin.campaign.models import Unit
from yejin.picture.aggregate import (
    IndicatorTotal,
    MeasureProgress,
    MonthPicture,
    Submission,
    UnitState,
    unit_completion,
    unit_measures,
)
from yejin.safe_text import json_text
from yejin.words import STATUS_CODES, SUBMISSION_CODES, number_value, yes_no_text

SCHEMA_VERSION = 2


def number(value: Optional[Decimal]) -> int | float | None:
    return number_value(value, places=4)


def _unit(unit: Unit) -> dict:
    return {"unit_id": unit.id, "unit": unit.name}


def excluded_json(campaign: Campaign, e) -> dict:
    """A file left out for an error (报告有误，未计入), with its first error."""
    p = e.problem
    return {
        "unit_id": e.unit_id,
        "unit": campaign.unit_by_id[e.unit_id].name if e.unit_id else None,
        "path": e.path,
        "kind": e.kind,
        "month": e.month,
        "line": p.line,
        "column": p.column,
        "code": p.code,
        "message": p.message,
    }


def submission_json(s: Submission) -> dict:
    return {
        **_unit(s.unit),
        "department": s.department,
        "state": s.state,
        "state_code": SUBMISSION_CODES[s.state],
        "text": s.text,
        "due": s.due.isoformat(),
        "submitted": s.submitted.isoformat() if s.submitted else None,
        "days_late": s.days_late,
        "carried_from": s.carried_from,
        "never_reported": s.never,
        "draft": s.draft,
        "excluded": s.excluded.path if s.excluded else None,
        "contacts": s.contacts,
    }


def indicator_json(t: IndicatorTotal) -> dict:
    ind = t.indicator
    return {
        "key": ind.key,
        "name": ind.name,
        "unit": ind.unit,
        "kind": ind.kind,
        "value": number(t.value),
        "this_month": number(t.this_month),
        "numerator": number(t.numerator),
        "denominator": number(t.denominator),
        "target": ind.target,
        "target_text": ind.target_text,
        "achieved_share": None if t.achieved_share is None else round(t.achieved_share, 4),
        "behind_pace": t.behind_pace,
        "carried_from": t.carried_from,
        # a yes/no indicator: one unit's answer 是/否 (value 1/0); a total's value counts the units with 是
        **({"answer": yes_no_text(t.value)} if ind.kind == "yesno" else {}),
    }


def total_json(t: IndicatorTotal) -> dict:
    """A province total: the indicator, and how many units it adds up and how many of them are carried."""
    out = indicator_json(t)
    del out["carried_from"]
    out.pop("answer", None)
    return {**out, "units": t.units, "carried_units": t.carried_units}


def state_json(u: UnitState) -> dict:
    out = {**_unit(u.unit), "status": u.status, "status_month": u.month, "carried_from": u.carried_from}
    if u.parts:  # a city whose counties report: 市本级 (its own id) and each county on the measure
        out["parts"] = [state_json(part) for part in u.parts]
    return out


def measure_json(campaign: Campaign, p: MeasureProgress) -> dict:
    m = p.measure
    department = [u for u in p.units if campaign.is_department(u.unit)]
    cities = [u for u in p.units if not campaign.is_department(u.unit)]
    return {
        "number": m.number,
        "task": p.task_number,
        "task_title": p.task_title,
        "short_title": m.short_title,
        "responsible": m.responsible,
        "deadline": p.deadline.isoformat(),
        "deadline_text": str(m.deadline),
        "days_left": p.days_left,
        "time_share": round(p.time_share, 4),
        "warning": p.warning,
        "reasons": p.reasons,
        "done": p.done,
        "pending": p.pending,
        "department_only": p.department_only,
        "applicable": p.applicable,
        "counts": {STATUS_CODES[k]: v for k, v in p.counts.items()},
        "carried": p.carried,
        "cities": {"applicable": len(cities), "done": sum(1 for u in cities if u.done)},
        "department": state_json(department[0]) if department else None,
        "indicators": [total_json(t) for t in p.indicators],
        "units_not_done": [state_json(u) for u in p.not_done],
    }


def picture_json(campaign: Campaign, picture: MonthPicture) -> dict:
    completion = unit_completion(picture)
    return {
        "schema_version": SCHEMA_VERSION,
        "campaign": {
            "name": campaign.info.name,
            "document_number": campaign.info.document_number,
            "year": campaign.info.year,
            "issuer": campaign.info.issuer,
            "notice_title": campaign.info.notice_title,
            "report_day": campaign.info.report_day,
        },
        "month": picture.month,
        "period_end": picture.period_end.isoformat(),
        "as_of": picture.as_of.isoformat(),
        "within_days": picture.within,
        "summary": {
            "warnings": picture.warning_counts(),
            "cities": len(picture.city_submissions),
            "submissions": {SUBMISSION_CODES[k]: v for k, v in picture.submission_counts().items()},
            "carried_units": len(picture.carried),
            "never_reported": len(picture.never),
            "excluded_files": len(picture.excluded),
        },
        # 全省合计 (picture rule 10): 执法情况 (reported once per report) and the totals summed over measures
        "totals": {
            "enforcement": [total_json(t) for t in picture.enforcement],
            "summed": [total_json(t) for t in picture.summed],
        },
        "submissions": [submission_json(s) for s in picture.submissions],
        "excluded_files": [excluded_json(campaign, e) for e in picture.excluded],
        "measures": [measure_json(campaign, p) for p in picture.measures],
        "unit_completion": [
            {
                **_unit(u),
                "done": completion[u.id][0],
                "applicable": completion[u.id][1],
                "share": round(completion[u.id][0] / completion[u.id][1], 4) if completion[u.id][1] else None,
            }
            for u in (s.unit for s in picture.submissions)
            if u.id in completion
        ],
        "units_behind": [
            {
                **_unit(b.unit),
                "overdue": [p.measure.number for p in b.overdue],
                "behind_pace": [
                    {"measure": p.measure.number, "key": t.indicator.key, "name": t.indicator.name}
                    for p, t in b.behind_pace
                ],
                "carried_from": b.carried_from,
            }
            for b in picture.behind
        ],
    }


def city_json(campaign: Campaign, view: MonthPicture) -> dict:
    """`status --unit 太原 --json` for a city whose counties report: the province's document for the
    city's own month (its rows: 市本级 and each county; its totals: 全市), and `scope` the city."""
    assert view.scope is not None
    return {**picture_json(campaign, view), "scope": {**_unit(view.scope), "counties": len(view.submissions) - 1}}


def unit_json(campaign: Campaign, picture: MonthPicture, unit: Unit) -> dict:
    fig = picture.figures[unit.id]
    submission = next(s for s in picture.submissions if s.unit.id == unit.id)
    rows = []
    for progress, state in unit_measures(picture, unit.id):
        m = progress.measure
        entry = fig.report.measures.get(m.number) if fig.report else None
        values = [
            indicator_json(fig.values[(m.number, i.key)]) for i in m.indicators if (m.number, i.key) in fig.values
        ]
        rows.append(
            {
                "number": m.number,
                "short_title": m.short_title,
                "note": m.note,
                "deadline": progress.deadline.isoformat(),
                "days_left": progress.days_left,
                "status": state.status,
                "status_month": state.month,
                "carried_from": state.carried_from,
                "overdue": progress.days_left < 0 and not state.done,
                "progress": entry.progress if entry else None,
                "indicators": values,
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        **_unit(unit),
        "month": picture.month,
        "period_end": picture.period_end.isoformat(),
        "as_of": picture.as_of.isoformat(),
        "submission": submission_json(submission),
        "carried_from": fig.carried_from,
        "excluded_files": [excluded_json(campaign, e) for e in picture.excluded if e.unit_id == unit.id],
        "enforcement": [indicator_json(t) for t in fig.enforcement.values()],
        "measures": rows,
    }


def deadlines_json(campaign: Campaign, picture: MonthPicture) -> dict:
    ordered = sorted(picture.measures, key=lambda p: (p.deadline, p.measure.number))
    return {
        "schema_version": SCHEMA_VERSION,
        "period_end": picture.period_end.isoformat(),
        "as_of": picture.as_of.isoformat(),
        "month": picture.month,
        "within_days": picture.within,
        "measures": [measure_json(campaign, p) for p in ordered],
    }


def events_json(campaign: Campaign, events: list) -> list[dict]:
    """Important situations (checking.dataset.LoadedEvent) as `events --json` lists them."""
    return [
        {
            "date": e.event.date.isoformat(),
            "unit_id": e.unit_id,
            "unit": campaign.unit_by_id[e.unit_id].name,
            "category": e.event.category,
            "title": e.event.title,
            "measures": e.event.measures,
            "summary": e.event.summary,
            "draft": e.event.draft,
            "path": e.path,
        }
        for e in events
    ]


def dumps(doc: Any) -> str:
    """The document as printed: indented, Chinese as it is, control characters as \\u escapes."""
    return json_text(doc)
