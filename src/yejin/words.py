"""The domain's words, each defined here once: what a report may say, what the picture says, and how
numbers, months and dates are written for people.

Every other module takes these from here; the file formats (campaign/models.py), the picture
(picture/aggregate.py) and each output (terminal, JSON, workbook, 通报) use the same words.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Optional

# 状态: a measure's state in a report
NOT_STARTED, IN_PROGRESS, DONE = "未启动", "推进中", "已完成"
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE)
NOT_REPORTED = "未报"  # the month's report does not mention the measure, or there is no report
STATUS_ORDER = (DONE, IN_PROGRESS, NOT_STARTED, NOT_REPORTED)  # as tables list them
STATUS_CODES = {DONE: "done", IN_PROGRESS: "in_progress", NOT_STARTED: "not_started", NOT_REPORTED: "not_reported"}

# 报送情况: a unit's report of the month
ON_TIME, LATE, MISSING, NOT_DUE = "按时", "迟报", "未报", "未到报送日"
SUBMISSION_STATES = (ON_TIME, LATE, MISSING, NOT_DUE)
SUBMISSION_CODES = {ON_TIME: "on_time", LATE: "late", MISSING: "missing", NOT_DUE: "not_due"}

# 红黄绿灯: a measure's warning; 待报 when no responsible unit has reported the month yet (no pace judged)
RED, YELLOW, GREEN, PENDING = "red", "yellow", "green", "pending"
WARNINGS = (RED, YELLOW, GREEN, PENDING)
WARNING_NAMES = {RED: "红灯", YELLOW: "黄灯", GREEN: "绿灯", PENDING: "待报"}

# 统计口径 (README): figures carried from an earlier month, drafts, files left out, the department
CARRIED = "沿用"  # a unit's latest earlier figures and status stand in for a month it has not reported
NO_REPORT = "尚无报告"  # a unit that has not reported at all this year: nothing to carry
DRAFT = "草稿"  # a report marked `draft: true`: not submitted, not counted
EXCLUDED = "报告有误，未计入"  # a file with an error: left out, the others are counted
CITIES = "设区市"  # the reporting units other than the department; submission counts and rankings cover them
DEPARTMENT = "省厅"  # the province department, as the circular and the tables call it

# 责任层级: province, city, county
LEVELS = ("省", "市", "县")
# A city whose counties report on their own: its own report is 市本级, its figures shown anywhere are 全市
CITY_OWN, CITY_WHOLE = "市本级", "全市"

# 重要情况的类别
EVENT_CATEGORIES = ("事故", "险情", "重大隐患", "执法行动", "其他")

# 是/否: the answer of a yes/no indicator (kind: yesno), written as text (YAML's yes/no are booleans, Y008).
# A unit's answer counts 1 (是) or 0 (否); a total is the number of units that answered 是.
YES, NO = "是", "否"
YES_NO = (YES, NO)
YES_NO_HINT = f"写“{YES}”或“{NO}”（加引号也可以）"
YES_NO_TOTAL_UNIT = "个"  # a yes/no total counts units (单位)


# --- numbers ------------------------------------------------------------------------------------


def number_value(value: Optional[Decimal], places: Optional[int] = None) -> int | float | None:
    """A figure as a plain number: int when whole, else float (rounded to `places` if given)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value) if places is None else round(float(value), places)


def number_text(value: Optional[Decimal], unit: str = "") -> str:
    """A figure for people: 1,234 / 12.5 / 45.0%; "/" when there is none (a rate without denominator)."""
    if value is None:
        return "/"
    if unit == "%":
        return f"{value:.1f}%"
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def figure_text(value: Optional[Decimal], unit: str, kind: str, total: bool = False) -> str:
    """An indicator's figure with its unit, as every output shows it: 12家 / 35.1万元 / 45.0%;
    a yes/no indicator: 是 / 否 for one unit, “是8个” (units that answered 是) for a total."""
    if kind == "yesno":
        return f"{YES}{number_text(value)}{YES_NO_TOTAL_UNIT}" if total else yes_no_text(value)
    if kind == "rate" or value is None:
        return number_text(value, "%" if kind == "rate" else unit)
    return number_text(value) + unit


def total_words(
    name: str, value: Optional[Decimal], this_month: Optional[Decimal], unit: str, kind: str, grouped: bool = True
) -> str:
    """A province-wide total with this month's part, as the bulletin and the workbook say it:
    检查企业1,234家次（本月+120）; a yes/no total: 与…机制是8个.  grouped=False: no thousands
    separator (official prose: 检查企业1234家次)."""
    text = f"{name}{figure_text(value, unit, kind, total=True)}".replace(" ", "")
    text += f"（本月+{number_text(this_month)}）" if this_month is not None else ""
    return text if grouped else text.replace(",", "")


def yes_no_text(value: Optional[Decimal]) -> str:
    """A unit's yes/no answer (1 or 0, carry.py) for people: 是 / 否; "/" when there is none."""
    if value is None:
        return "/"
    return YES if value else NO


# --- Chinese text -------------------------------------------------------------------------------

# A space between a Chinese character (or full-width punctuation) and an arabic numeral, either way round
_GAP = re.compile(
    r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])[ \t\u00a0]+(?=[0-9])"
    r"|(?<=[0-9%])[ \t\u00a0]+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])"
)


def zh(*parts: object) -> str:
    """Pieces of a Chinese phrase joined as official Chinese text is written: no space between Chinese
    and digits (截至2022年6月30日, 12个, 措施6).  The 通报 joins every sentence with a number in it here,
    including wording quoted from the data (完成时限 “2022 年 3 月底前” reads 2022年3月底前);
    numbers are written in plain arabic numerals (12, 1234, 35.1), None as "/"."""
    return _GAP.sub("", "".join(part if isinstance(part, str) else _figure(part) for part in parts))


def _figure(value: object) -> str:
    if value is None:
        return "/"
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if number == number.to_integral_value():
        return str(int(number))
    return f"{number:f}".rstrip("0").rstrip(".")


# --- months and dates ---------------------------------------------------------------------------


# The hint for a day that does not exist (Y007), however it was typed: 2022-06-31 or 2022年6月31日
NO_SUCH_DAY_HINT = "请检查月份的天数（如6月只有30天，2月只有28或29天）"


def month_words(month: str) -> str:
    """ "2022-06" -> 2022年6月."""
    year, m = month.split("-")
    return f"{int(year)}年{int(m)}月"


def date_words(day: dt.date) -> str:
    """2022-06-30 -> 2022年6月30日."""
    return f"{day.year}年{day.month}月{day.day}日"


def short_month(month: str) -> str:
    """ "2022-05" -> 5月 (months of the same campaign year)."""
    return f"{int(month[5:])}月"


def carried_words(month: str) -> str:
    """Where a carried figure or status comes from: 数据截至5月."""
    return f"数据截至{short_month(month)}"


def submission_words(state: str, days_late: int = 0, draft: bool = False, broken: bool = False) -> str:
    """A unit's submission as tables show it: 按时 / 迟报4天 / 未报（草稿） / 未报（报告有误）."""
    if state == LATE:
        return f"{LATE}{days_late}天"
    if broken:
        return f"{state}（报告有误）"
    if draft:
        return f"{state}（{DRAFT}）"
    return state
