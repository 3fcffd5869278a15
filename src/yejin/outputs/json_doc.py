"""The month's picture as a stable JSON document (for scripts and dashboards).

Keys are English and documented in README (“status --json”); values are as in the data.
Bump SCHEMA_VERSION when a key changes meaning or disappears.
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
    unit_completion,
    unit_measures,
)
from yejin.safe_text import json_text
from yejin.words import STATUS_CODES, SUBMISSION_CODES, number_value

SCHEMA_VERSION = 1


def number(value: Optional[Decimal]) -> int | float | None:
    return number_value(value, places=4)


def _unit(unit: Unit) -> dict:
    return {"unit_id": unit.id, "unit": unit.name}


def submission_json(s: Submission) -> dict:
    return {
        **_unit(s.unit),
        "state": s.state,
        "state_code": SUBMISSION_CODES[s.state],
        "due": s.due.isoformat(),
        "submitted": s.submitted.isoformat() if s.submitted else None,
        "days_late": s.days_late,
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
    }


def measure_json(p: MeasureProgress) -> dict:
    m = p.measure
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
        "applicable": p.applicable,
        "counts": {STATUS_CODES[k]: v for k, v in p.counts.items()},
        "indicators": [indicator_json(t) for t in p.indicators],
        "units_not_done": [
            {**_unit(u.unit), "status": u.status, "last_status": u.last_status, "last_month": u.last_month}
            for u in p.not_done
        ],
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
        "as_of": picture.as_of.isoformat(),
        "within_days": picture.within,
        "summary": {
            "warnings": picture.warning_counts(),
            "submissions": {SUBMISSION_CODES[k]: v for k, v in picture.submission_counts().items()},
        },
        "submissions": [submission_json(s) for s in picture.submissions],
        "measures": [measure_json(p) for p in picture.measures],
        "unit_completion": [
            {
                **_unit(u),
                "done": completion[u.id][0],
                "applicable": completion[u.id][1],
                "share": round(completion[u.id][0] / completion[u.id][1], 4) if completion[u.id][1] else None,
            }
            for u in campaign.units
            if u.id in completion
        ],
    }


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
                "deadline": progress.deadline.isoformat(),
                "days_left": progress.days_left,
                "status": state.status,
                "last_status": state.last_status,
                "last_month": state.last_month,
                "overdue": progress.days_left < 0 and not state.done,
                "progress": entry.progress if entry else None,
                "indicators": values,
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        **_unit(unit),
        "month": picture.month,
        "as_of": picture.as_of.isoformat(),
        "submission": submission_json(submission),
        "previous_month": fig.previous.month if fig.previous else None,
        "measures": rows,
    }


def deadlines_json(campaign: Campaign, picture: MonthPicture) -> dict:
    ordered = sorted(picture.measures, key=lambda p: (p.deadline, p.measure.number))
    return {
        "schema_version": SCHEMA_VERSION,
        "as_of": picture.as_of.isoformat(),
        "month": picture.month,
        "within_days": picture.within,
        "measures": [measure_json(p) for p in ordered],
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
            "path": e.path,
        }
        for e in events
    ]


def dumps(doc: Any) -> str:
    """The document as printed: indented, Chinese as it is, control characters as \\u escapes."""
    return json_text(doc)
