"""Writing a monthly report as YAML text people can read and edit, with Chinese comments.

Used by `yejin new-report` and by the sample-data script.  Strings are always
double-quoted (JSON escaping is valid YAML), so no value can turn into a number,
a date or a boolean when it is read back.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from yejin.campaign.campaign import Campaign
from yejin.campaign.models import Unit
from yejin.words import NO, NOT_STARTED, STATUSES, YES, month_words, zh

SAMPLE_NOTE = "# 示例数据：本文件是为演示和测试合成的数据，不是官方统计数字。"
DRAFT_LINE = "draft: true  # 草稿：不计入汇总；填写完毕、核对累计数后删去这一行"
SCHEMA_LINE = "# yaml-language-server: $schema=../../../schemas/report.schema.json"


@dataclass
class MeasureDraft:
    status: str = NOT_STARTED
    progress: str = ""
    indicators: dict[str, int | float | str] = field(default_factory=dict)  # str: 是/否 of a yes/no indicator
    cases: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ReportDraft:
    unit: Unit
    month: str
    submitted: str  # ISO date
    contacts: dict[str, dict[str, str]]
    measures: dict[int, MeasureDraft]
    problems: str = ""
    next_steps: str = ""
    sample_data: bool = False
    draft: bool = False  # new-report writes a draft: validate lists what is still blank, status shows 未报（草稿）
    enforcement: dict[str, int | float] = field(default_factory=dict)  # 执法情况 (tasks.yaml `enforcement`)


# characters YAML reads as line breaks even inside quotes (they would turn into spaces)
_YAML_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def q(text: str) -> str:
    quoted = json.dumps(text, ensure_ascii=False)
    for char, escape in _YAML_BREAKS.items():
        quoted = quoted.replace(char, escape)
    return quoted


def _number(value: Any) -> str:
    """A figure; text (是/否 of a yes/no indicator, or `45家` typed in a form) quoted: never read as a YAML
    boolean, and the report's rules name what is wrong with it."""
    if isinstance(value, str):
        return q(value)
    return repr(value) if isinstance(value, float) else str(value)


def _figure_lines(indicators, values: dict, indent: str) -> list[str]:
    out = []
    for ind in indicators:
        if ind.kind == "rate":
            continue
        value = values.get(ind.key, NO if ind.kind == "yesno" else 0)
        unit = f"{YES} / {NO}" if ind.kind == "yesno" else ind.unit
        out.append(f"{indent}{ind.key}: {_number(value)}  # {ind.name}（{unit}）")
    return out


def _plain(value: Any, allowed: Any) -> str:
    """A value written bare when it is one of the expected ones, else quoted (read back as that text)."""
    return str(value) if allowed(value) else q(str(value))


def _is_date(value: Any) -> bool:
    """2022-07-28 (and with a time, which the report's rule then refuses: 日期不要带时间)."""
    return isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9:]{8})?", value) is not None


def _text_field(key: str, text: str, indent: str, comment: str) -> list[str]:
    if "\n" in text.strip() and not any(c in text for c in ("\r", *_YAML_BREAKS)):  # else quoted, kept exactly
        lines = [f"{indent}{key}: |  # {comment}"]
        lines += [f"{indent}  {line}" if line else "" for line in text.strip().split("\n")]
        return lines
    return [f"{indent}{key}: {q(text)}  # {comment}"]


def render_report(campaign: Campaign, draft: ReportDraft, guidance: bool = False) -> str:
    """The report as YAML text.  `guidance` adds the 填写说明 comments for a blank form."""
    out = [SCHEMA_LINE]
    if draft.sample_data:
        out.append(SAMPLE_NOTE)
    out.append(f"# {draft.unit.name}{month_words(draft.month)}{campaign.info.name}工作进展情况")
    if guidance:
        out += [
            "# 填写说明：指标填截至当月底的全年累计数（不是当月新增数），只填阿拉伯数字，不带单位（是否类填“是”或“否”）；",
            f"#   状态只能是 {'、'.join(STATUSES)}；文字内容请写在英文双引号内；保存为 UTF-8 编码。",
        ]
    out.append("")
    if draft.draft:
        out.append(DRAFT_LINE)
    if draft.sample_data:
        out.append("sample_data: true  # 示例数据")
    out += [
        f"unit: {draft.unit.name}",
        f'month: "{draft.month}"',
        f"submitted: {_plain(draft.submitted, _is_date)}  # 报送日期",
        "contacts:  # 信息报送 A、B 角",
    ]
    for role in ("a", "b"):
        person = draft.contacts.get(role, {"name": "", "phone": ""})
        out.append(f"  {role}: {{name: {q(person.get('name', ''))}, phone: {q(person.get('phone', ''))}}}")
    out += _text_field("problems", draft.problems, "", "存在问题")
    out += _text_field("next_steps", draft.next_steps, "", "下步打算")
    if campaign.enforcement:
        out.append("enforcement:  # 执法情况：截至当月底累计，每份月报填一次，不分措施（同一案件只计一次）")
        out += _figure_lines(campaign.enforcement, draft.enforcement, "  ")
    # an empty block would read back as null, not as "no measures"
    out.append("measures:  # 各项措施，键为措施序号" if draft.measures else "measures: {}  # 各项措施，键为措施序号")
    for number, entry in sorted(draft.measures.items()):
        measure = campaign.measures[number]
        out.append(
            f"  # {number}. {measure.short_title}（完成时限：{zh(str(measure.deadline))}；责任单位：{zh(measure.responsible)}）"
        )
        out.append(f"  {number}:")
        out.append(f"    status: {_plain(entry.status, STATUSES.__contains__)}  # {' / '.join(STATUSES)}")
        comment = "进展情况" + ("：写明本月做了什么、累计完成多少" if guidance and not entry.progress else "")
        out += _text_field("progress", entry.progress, "    ", comment)
        if any(i.kind != "rate" for i in measure.indicators):
            out.append("    indicators:  # 截至当月底累计")
            out += _figure_lines(measure.indicators, entry.indicators, "      ")
        if "typical_cases" in measure.indicator_map:
            if entry.cases:
                out.append("    cases:  # 本月报送的典型执法案例")
                for case in entry.cases:
                    out.append(f"      - title: {q(case['title'])}")
                    out.append(f"        enterprise: {q(case['enterprise'])}")
                    out.append(f"        summary: {q(case['summary'])}")
                    for key, comment in (
                        ("authority", "执法单位"),
                        ("basis", "处罚依据"),
                        ("fine", "罚款金额（万元）"),
                    ):
                        if case.get(key) is not None:
                            value = _number(case[key]) if key == "fine" else q(case[key])
                            out.append(f"        {key}: {value}  # {comment}")
            else:
                out.append('    cases: []  # 本月报送的典型执法案例：- {title: "…", enterprise: "…", summary: "…"}')
    return "\n".join(out) + "\n"
