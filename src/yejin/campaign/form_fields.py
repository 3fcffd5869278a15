"""The fill-in form's contract: every input cell's defined name and the report field it holds.

`yejin workbook` writes one cell per FormField and gives it the field's name as a workbook-level
defined name; `yejin import` reads the cells back by those names.  Both build the list here, from
the campaign (the measures a unit reports, their indicators) and the report model (the fields of a
典型案例), so a change to tasks.yaml or models.py reaches the form and the import alike.
README (“用 Excel / WPS 填报”) documents the names.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from yejin.campaign import models

if TYPE_CHECKING:
    from yejin.campaign.campaign import Campaign
    from yejin.campaign.models import Indicator, Measure, Unit

SHEET = "月报"  # the sheet with the input cells
META_SHEET = "yejin"  # hidden: campaign, template version, layout, unit id and month (key in A, value in B)
META_KEYS = ("campaign", "template", "layout", "unit", "month")
FORM_VERSION = "1"  # the form's layout; the import refuses a workbook of another version
CASE_ROWS = 3  # 典型案例 rows per measure that has them

# kinds of cell: what the form checks while typing and how the import reads the value
FIXED, DATE, LINE, PHONE, TEXT, STATUS, COUNT, AMOUNT, YESNO = (
    "fixed",
    "date",
    "line",
    "phone",
    "text",
    "status",
    "count",
    "amount",
    "yesno",
)
INDICATOR_KINDS = {"count": COUNT, "amount": AMOUNT, "yesno": YESNO}  # tasks.yaml kind -> kind of cell


@dataclass(frozen=True)
class FormField:
    name: str  # the defined name: m5_sources_inspected
    loc: tuple  # where the value goes in the report: ("measures", 5, "indicators", "sources_inspected")
    kind: str
    label: str  # what the cell holds, in the department's words: 措施5　执法检查重大危险源数
    unit: str = ""  # 计量单位 of an indicator
    required: bool = True  # a case field the model may leave out: blank means absent


@cache
def case_fields() -> tuple[tuple[str, str, str, bool], ...]:
    """(field, title, kind, required) of a 典型案例, from the report model (models.Case)."""
    schema = models.Case.model_json_schema()
    required = set(schema.get("required", ()))
    out = []
    for name, prop in schema["properties"].items():
        types = {prop.get("type")} | {p.get("type") for p in prop.get("anyOf", ())}
        kind = AMOUNT if types & {"number", "integer"} else TEXT
        out.append((name, prop.get("title", name), kind, name in required))
    return tuple(out)


def has_cases(measure: Measure) -> bool:
    """Does the measure take 典型案例 (its indicators count them)?"""
    return "typical_cases" in measure.indicator_map


def entered(indicators: list[Indicator]) -> list[Indicator]:
    """The indicators a report fills in: all but rates (yejin computes those)."""
    return [i for i in indicators if i.kind != "rate"]


def indicator_field(name: str, loc: tuple, ind: Indicator, label: str) -> FormField:
    return FormField(name, loc, INDICATOR_KINDS[ind.kind], label, ind.unit)


def head_fields() -> list[FormField]:
    out = [
        FormField("unit", ("unit",), FIXED, "报送单位"),
        FormField("month", ("month",), FIXED, "月份"),
        FormField("submitted", ("submitted",), DATE, "报送日期"),
    ]
    for role, who in (("a", "A 角"), ("b", "B 角")):
        out.append(FormField(f"contact_{role}_name", ("contacts", role, "name"), LINE, f"{who}姓名"))
        out.append(FormField(f"contact_{role}_phone", ("contacts", role, "phone"), PHONE, f"{who}电话"))
    return out


def measure_fields(measure: Measure, case_rows: int = CASE_ROWS) -> list[FormField]:
    n = measure.number
    out = [
        FormField(f"m{n}_status", ("measures", n, "status"), STATUS, f"措施{n}　状态"),
        FormField(f"m{n}_progress", ("measures", n, "progress"), TEXT, f"措施{n}　进展情况"),
    ]
    for ind in entered(measure.indicators):
        loc = ("measures", n, "indicators", ind.key)
        out.append(indicator_field(f"m{n}_{ind.key}", loc, ind, f"措施{n}　{ind.name}"))
    if has_cases(measure):
        for k in range(1, case_rows + 1):
            for name, title, kind, required in case_fields():
                loc = ("measures", n, "cases", k - 1, name)
                out.append(FormField(f"m{n}_case{k}_{name}", loc, kind, f"措施{n}　典型案例{k}　{title}", "", required))
    return out


def enforcement_fields(campaign: Campaign) -> list[FormField]:
    """执法情况: the campaign-wide indicators a report fills in once (tasks.yaml `enforcement`)."""
    return [
        indicator_field(f"enf_{ind.key}", ("enforcement", ind.key), ind, f"执法情况　{ind.name}")
        for ind in entered(campaign.enforcement)
    ]


def tail_fields() -> list[FormField]:
    return [
        FormField("problems", ("problems",), TEXT, "存在问题"),
        FormField("next_steps", ("next_steps",), TEXT, "下步打算"),
    ]


def form_fields(campaign: Campaign, unit: Unit, case_rows: int = CASE_ROWS) -> list[FormField]:
    """Every input cell of the unit's form, in the order of the form."""
    out = head_fields() + enforcement_fields(campaign)
    for measure in campaign.applicable_measures(unit):
        out += measure_fields(measure, case_rows)
    return out + tail_fields()


def layout_digest(fields: list[FormField]) -> str:
    """A fingerprint of the names and kinds: a form made from another tasks.yaml has another one."""
    text = "\n".join(f"{f.name}:{f.kind}" for f in fields)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
