"""pydantic v2 models of the two file kinds: the campaign (tasks.yaml) and a monthly report.

Strict: unknown keys are errors, no type coercion, and input values are never
rendered into messages (an alias bomb rendered by pydantic runs for minutes).
Rules that need more than one file live in checks.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, Callable, Literal, Optional

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from yejin import words
from yejin.campaign import rules, wording

_CONFIG = ConfigDict(
    extra="forbid",
    strict=True,
    hide_input_in_errors=True,
    frozen=True,
    arbitrary_types_allowed=False,
    populate_by_name=False,
)


class _Model(BaseModel):
    model_config = _CONFIG


def _custom(code: str, message: str) -> PydanticCustomError:
    # The error type is our problem code; validation.py turns it back into one.
    return PydanticCustomError(code, message.replace("{", "{{").replace("}", "}}"))


def _rule(rule: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A value rule of rules.py as a pydantic validator."""

    def validator(value: Any) -> Any:
        try:
            return rule(value)
        except rules.Invalid as exc:
            raise _custom(exc.code, exc.message) from None

    validator.__name__ = validator.__qualname__ = f"_{rule.__name__}"
    return validator


_as_date, _as_month, _as_phone, _as_number, _as_figure, _as_deadline, _as_responsible, _as_owner = map(
    _rule,
    (
        rules.as_date,
        rules.as_month,
        rules.as_phone,
        rules.as_number,
        rules.as_figure,
        rules.as_deadline,
        rules.as_responsible,
        rules.as_owner,
    ),
)


DRAFT_CONTEXT = {"draft": True}  # validation context of a file marked `draft: true` (checking/validation.py)


def _drafting(info: ValidationInfo) -> bool:
    """A draft (草稿) may leave text blank: checks.py lists each blank as 未填写, the file is not counted."""
    return bool(info.context and info.context.get("draft"))


def _text_rule(multiline: bool, blank: bool) -> Callable[[str, ValidationInfo], str]:
    """Text of a name or title (one line) or of a paragraph (line breaks and tabs allowed); blank=False:
    not empty either, except in a draft.  Control characters are refused in all of them (rules.as_text, Y111)."""

    def validator(value: str, info: ValidationInfo) -> str:
        if not blank and not value.strip() and not _drafting(info):
            raise _custom("Y110", "不能为空")
        try:
            return rules.as_text(value, multiline)
        except rules.Invalid as exc:
            raise _custom(exc.code, exc.message) from None

    validator.__name__ = validator.__qualname__ = (
        f"_{'paragraph' if multiline else 'line'}{'_or_empty' if blank else ''}"
    )
    return validator


def _phone(value: Any, info: ValidationInfo) -> Any:
    if value == "" and _drafting(info):
        return value
    return _as_phone(value)


# WithJsonSchema: what editors and check-jsonschema see for the hand-written validators
Date = Annotated[dt.date, PlainValidator(_as_date), WithJsonSchema({"type": "string", "format": "date"})]
Month = Annotated[
    str, PlainValidator(_as_month), WithJsonSchema({"type": "string", "pattern": wording.MONTH_PATTERN.pattern})
]
Phone = Annotated[
    str, PlainValidator(_phone), WithJsonSchema({"type": "string", "pattern": wording.PHONE_PATTERN.pattern})
]
Number = Annotated[
    Any, PlainValidator(_as_number), WithJsonSchema({"type": "number", "minimum": 0, "maximum": rules.MAX_FIGURE})
]
# An indicator value in a report: a number, or 是/否 for a yes/no indicator (checks.py matches it to the kind)
Figure = Annotated[
    Any,
    PlainValidator(_as_figure),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": rules.MAX_FIGURE},
                {"type": "string", "enum": list(words.YES_NO)},
            ]
        }
    ),
]
Line = Annotated[str, AfterValidator(_text_rule(multiline=False, blank=False))]  # names, titles
LineOrEmpty = Annotated[str, AfterValidator(_text_rule(multiline=False, blank=True))]
Text = Annotated[str, AfterValidator(_text_rule(multiline=True, blank=False))]  # paragraphs
TextOrEmpty = Annotated[str, AfterValidator(_text_rule(multiline=True, blank=True))]
Owner = Annotated[
    str, PlainValidator(_as_owner), WithJsonSchema({"type": "string", "pattern": wording.OWNER_PATTERN.pattern})
]
UnitRef = Annotated[str | int, Field(union_mode="left_to_right")]  # 太原市 / 太原 / taiyuan / 140100
Status = Literal[words.STATUSES]
Level = Literal[words.LEVELS]
IndicatorUnit = Literal["家", "家次", "个", "项", "起", "次", "期", "人次", "万元", "%"]
IndicatorKind = Literal["count", "amount", "rate", "yesno"]


# --- tasks.yaml: the campaign (专项行动) -------------------------------------------------------


class Campaign(_Model):
    model_config = ConfigDict(**_CONFIG, title="专项行动")

    name: Line = Field(title="专项行动名称")
    year: int = Field(ge=2000, le=2100, title="年度")
    document_number: Line = Field(title="文号")
    notice_title: Line = Field(title="通知标题")
    issuer: Line = Field(title="发文单位")
    issue_date: Date = Field(title="印发日期")
    report_day: int = Field(ge=1, le=31, title="每月报送日")
    table_title: Line = Field(title="统计表标题（附件2）")
    contact: Optional[LineOrEmpty] = Field(default=None, title="联系人及电话")


class CountyPlan(_Model):
    model_config = ConfigDict(**_CONFIG, title="本市的县（区）")

    report: bool = Field(
        default=False,
        title="县（区）单独报送：true 时本市各县（区）在各自的文件夹报送月报，本市的月报只写市本级，全市数由 yejin 汇总",
    )
    key: list[UnitRef] = Field(
        default_factory=list, title="重点县区（措施10应复核的县区）：名称、简称、英文标识或行政区划代码"
    )
    owners: dict[str, list[Owner]] = Field(
        default_factory=dict, title="各县（区）的负责人（用于 CODEOWNERS）：键为县（区）的名称、英文标识或代码"
    )


class Unit(_Model):
    model_config = ConfigDict(**_CONFIG, title="报送单位")

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$")] = Field(title="英文标识（目录名）")
    name: Line = Field(title="正式名称")
    short_name: Optional[LineOrEmpty] = Field(default=None, title="简称")
    aliases: list[LineOrEmpty] = Field(default_factory=list, title="其他名称（旧称等）")
    code: Annotated[str, Field(pattern=r"^[0-9]{6}$")] = Field(title="行政区划代码（GB/T 2260）")
    level: Level = Field(title="层级")
    parent: Optional[str] = Field(default=None, title="上级单位标识")
    owners: list[Owner] = Field(
        default_factory=list, title="代码托管平台上的负责人（用于 CODEOWNERS）：@用户名、@组织/团队 或电子邮件地址"
    )
    counties: Optional[CountyPlan] = Field(
        default=None, title="本市的县（区）：是否单独报送、重点县区、负责人（县级行政区划名录随 yejin 提供）"
    )


class Indicator(_Model):
    model_config = ConfigDict(**_CONFIG, title="统计指标")

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")] = Field(title="指标键")
    name: Line = Field(title="指标名称")
    unit: IndicatorUnit = Field(title="计量单位")
    kind: IndicatorKind = Field(
        title="类型：count 计数 / amount 金额 / rate 比率 / yesno 是否（填“是”或“否”，合计为填“是”的单位数，计量单位写 个）"
    )
    numerator: Optional[str] = Field(default=None, title="比率的分子指标")
    denominator: Optional[str] = Field(
        default=None, title="比率的分母指标（key_counties：本市 counties.key 中列出的重点县区个数，不由月报填写）"
    )
    target: Optional[Number] = Field(default=None, title="目标值（比率按百分数写，如100）")
    target_text: Optional[LineOrEmpty] = Field(default=None, title="目标的原文说法，如 全覆盖")
    headline: bool = Field(default=False, title="是否在总览中显示")
    adds_to: Optional[str] = Field(default=None, title="计入的全省合计指标（tasks.yaml 的 totals 中的指标键）")

    @model_validator(mode="after")
    def _rate_parts(self) -> "Indicator":
        try:
            rules.rate_parts(self.kind, self.key, self.numerator, self.denominator)
        except rules.Invalid as exc:
            raise _custom(exc.code, exc.message) from None
        if self.kind == "yesno" and self.unit != words.YES_NO_TOTAL_UNIT:
            raise _custom(
                "Y210", f"是否类指标 {self.key} 的计量单位写 {words.YES_NO_TOTAL_UNIT}（合计为填“是”的单位数）"
            )
        return self


class Measure(_Model):
    model_config = ConfigDict(**_CONFIG, title="工作措施")

    number: int = Field(ge=1, title="措施序号")
    short_title: Line = Field(title="简称（用于表格，非通知原文）")
    text: Text = Field(title="工作措施（通知原文）")
    target: Text = Field(title="目标要求（通知原文）")
    responsible: Annotated[str, PlainValidator(_as_responsible), WithJsonSchema({"type": "string"})] = Field(
        title="责任单位（通知原文）",
        description="如 各级应急管理部门、市、县应急管理部门、省应急管理厅；据此判断由哪些层级报送",
    )
    deadline: Annotated[Any, PlainValidator(_as_deadline), WithJsonSchema({"type": "string"})] = Field(
        title="完成时限（通知原文或 ISO 日期）", description="写成“2022年9月底前”“2022年底前”或“2022-09-30”"
    )
    note: Optional[LineOrEmpty] = Field(default=None, title="说明（非通知原文），如所引标准已被代替")
    indicators: list[Indicator] = Field(default_factory=list, title="统计指标")

    @cached_property
    def levels(self) -> tuple[str, ...]:  # 责任层级, from the 责任单位 wording
        return wording.parse_responsible(self.responsible)

    @cached_property
    def deadline_date(self) -> dt.date:  # 完成时限
        return wording.parse_deadline(self.deadline)

    @cached_property
    def indicator_map(self) -> dict[str, Indicator]:
        return {i.key: i for i in self.indicators}


class Task(_Model):
    model_config = ConfigDict(**_CONFIG, title="任务")

    number: int = Field(ge=1, title="任务序号")
    title: Line = Field(title="任务")
    measures: list[Measure] = Field(min_length=1, title="工作措施")

    @property
    def targets(self) -> list[str]:  # 目标要求: merged cells give one, tasks 3 and 5 two
        return list(dict.fromkeys(m.target for m in self.measures))


class TasksFile(_Model):
    model_config = ConfigDict(**_CONFIG, title="任务分解清单（tasks.yaml）")

    campaign: Campaign = Field(title="专项行动基本信息")
    units: list[Unit] = Field(min_length=1, title="报送单位")
    tasks: list[Task] = Field(min_length=1, title="任务分解清单")
    enforcement: list[Indicator] = Field(
        default_factory=list, title="执法情况指标（全专项行动一次报送，不分措施；月报的 enforcement）"
    )
    totals: list[Indicator] = Field(
        default_factory=list, title="全省合计指标（由各措施中 adds_to 指向它的指标相加，不填写）"
    )


# --- data/reports/<unit>/<YYYY-MM>.yaml: a monthly report (月报) --------------------------------


class Contact(_Model):
    model_config = ConfigDict(**_CONFIG, title="联系人")

    name: Line = Field(title="姓名")
    phone: Phone = Field(title="电话（固定电话0351-6819551或手机，加引号）")


class Contacts(_Model):
    model_config = ConfigDict(**_CONFIG, title="信息报送 A、B 角")

    a: Contact = Field(title="A 角")
    b: Contact = Field(title="B 角")


class Case(_Model):
    model_config = ConfigDict(**_CONFIG, title="典型执法案例")

    title: Line = Field(title="案例标题")
    enterprise: Line = Field(title="企业名称")
    summary: Text = Field(title="案情简介")
    # added in issue 17; optional, so earlier reports stay valid
    authority: Optional[Line] = Field(default=None, title="执法单位（如：太原市应急管理局）")
    basis: Optional[Text] = Field(default=None, title="处罚依据（法律条款）")
    fine: Optional[Number] = Field(default=None, title="罚款金额（万元）")


class MeasureReport(_Model):
    model_config = ConfigDict(**_CONFIG, title="措施进展")

    status: Status = Field(title="状态：" + " / ".join(words.STATUSES))
    progress: TextOrEmpty = Field(default="", title="进展情况")
    indicators: dict[str, Figure] = Field(default_factory=dict, title="指标（截至当月底累计；是否类填“是”或“否”）")
    cases: list[Case] = Field(default_factory=list, title="本月报送的典型执法案例（措施7）")


DRAFT_TITLE = "草稿：true 时不计入汇总，未填写的内容列为提醒；填写完毕后删去这一行"


class Report(_Model):
    model_config = ConfigDict(**_CONFIG, title="月报（reports/<单位>/<YYYY-MM>.yaml）")

    draft: bool = Field(default=False, title=DRAFT_TITLE)
    sample_data: bool = Field(default=False, title="示例数据（合成数据时为 true）")
    unit: UnitRef = Field(title="报送单位（名称、简称、标识或代码）")
    month: Month = Field(title="月份 YYYY-MM")
    submitted: Date = Field(title="报送日期")
    contacts: Contacts = Field(title="联系人 A、B 角")
    problems: Optional[TextOrEmpty] = Field(default=None, title="存在问题")
    next_steps: Optional[TextOrEmpty] = Field(default=None, title="下步打算")
    measures: dict[int, MeasureReport] = Field(
        default_factory=dict,
        title="各项措施进展（键为措施序号）",
        json_schema_extra={"propertyNames": {"pattern": "^[1-9][0-9]*$"}},
    )
    enforcement: dict[str, Figure] = Field(
        default_factory=dict,
        title="执法情况（截至当月底累计，每份月报一次，不分措施）：检查企业家次、行政处罚起数、罚款",
    )


def as_decimal(value: int | float) -> Decimal:
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


# --- data/reports/<unit>/events/<YYYY-MM-DD>-<name>.yaml: an important situation (重要情况) -----


class Event(_Model):
    model_config = ConfigDict(**_CONFIG, title="重要情况（随时报送）")

    draft: bool = Field(default=False, title=DRAFT_TITLE)
    sample_data: bool = Field(default=False, title="示例数据（合成数据时为 true）")
    unit: UnitRef = Field(title="报送单位（名称、简称、标识或代码）")
    date: Date = Field(title="发生或报送日期")
    title: Line = Field(title="标题")
    category: Literal[words.EVENT_CATEGORIES] = Field(title="类别：" + " / ".join(words.EVENT_CATEGORIES))
    measures: list[int] = Field(default_factory=list, title="涉及的措施序号")
    summary: Text = Field(title="情况摘要")
    contacts: Contacts = Field(title="联系人 A、B 角")


class PartialReport(Report):
    """What is left of a report that failed Report once its invalid values are dropped (validation.py
    salvage()): the cross-file checks read it, so one run reports every problem.  Only unit and month
    are needed; contacts and submitted may have been dropped.  Never shown in any output."""

    contacts: Optional[Contacts] = Field(default=None, title="联系人 A、B 角")
    submitted: Optional[Date] = Field(default=None, title="报送日期")


class PartialEvent(Event):
    """As PartialReport, for an event file: unit and date are needed; the rest may have been dropped."""

    title: Optional[Line] = Field(default=None, title="标题")
    category: Optional[Literal[words.EVENT_CATEGORIES]] = Field(
        default=None, title="类别：" + " / ".join(words.EVENT_CATEGORIES)
    )
    summary: Optional[Text] = Field(default=None, title="情况摘要")
    contacts: Optional[Contacts] = Field(default=None, title="联系人 A、B 角")
