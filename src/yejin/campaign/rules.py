"""The rules for single values of the data files.

Dates, months, phone numbers, figures, 完成时限 and 责任单位: each rule returns the value as the
data model keeps it, or raises Invalid with the problem code and the message shown to the user.
models.py wraps each rule in a pydantic validator.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Optional

from yejin import words
from yejin.campaign import wording as terms
from yejin.safe_text import escape, first_unsafe


class Invalid(ValueError):
    """A value a rule refuses: the problem code and the message the model reports for it."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


# --- the rules for single values (models.py wraps each in a PlainValidator) -------------------------


def as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise Invalid("Y110", f"日期不要带时间，写成{value.date().isoformat()}即可")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise Invalid("Y007", f"日期{value.strip()}不存在") from None
    # the day the hint (checking/hints.date_hint) shows too: one reading of what was typed
    try:
        meant = terms.typed_date(value) if isinstance(value, str) else None
    except ValueError:  # typed as 2022年6月31日: a day that does not exist, as for 2022-06-31
        raise Invalid("Y007", f"日期{value.strip()}不存在") from None
    raise Invalid("Y103", f"应为日期，写成{meant.isoformat()}" if meant else "应为日期，写成“年-月-日”形式")


def as_month(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid("Y107", terms.month_hint(value))
    try:
        terms.parse_month(value.strip())
    except ValueError as exc:
        raise Invalid("Y107", str(exc)) from None
    return value.strip()


def as_phone(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid("Y108", '电话号码要加引号写成文本，例如 "0351-6819551" 或 "13912345678"')
    try:
        return terms.check_phone(value)
    except ValueError as exc:
        raise Invalid("Y108", str(exc)) from None


# The largest figure an indicator (or its target) may have: 一亿 enterprises, inspections or 万元 is far
# beyond any province's year, and no total of such figures (even over 100,000 units) comes near what
# a float, Decimal or Excel cell holds: no sum can overflow.  Stated in the JSON Schema (maximum).
MAX_FIGURE = 100_000_000


def as_number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid("Y103", "指标值应为数字（不带单位、不带千位分隔符）")
    if isinstance(value, float) and not math.isfinite(value):
        raise Invalid("Y110", "指标值应为有限的数字")
    if value < 0:
        raise Invalid("Y105", "指标值不能为负数")
    if value > MAX_FIGURE:
        shown = (
            f"{value:.3g}"
            if isinstance(value, float)
            else f"{value:,}"
            if value < 10**30
            else f"{len(str(value))}位的数"
        )
        raise Invalid("Y110", f"指标值{shown}超过上限{MAX_FIGURE:,}（一亿）；请检查是否多写了位数（金额以万元计）")
    return value


# What people write for a yes/no indicator instead of 是/否: told to write 是 or 否 (not “应为数字”).
YES_NO_LIKE = frozenset(
    {"有", "无", "没有", "已建立", "未建立", "建立", "已", "未", "对", "不是", "不", "Y", "N", "y", "n"}
    | {w for word in ("yes", "no", "true", "false", "on", "off") for w in (word, word.title(), word.upper())}
)


def as_figure(value: Any) -> int | float | str:
    """An indicator value: a number (as_number), or 是/否 for a yes/no indicator (kind: yesno).
    Which one an indicator takes is checked against tasks.yaml in checks.py (Y103)."""
    if isinstance(value, str):
        text = as_text(value).strip()  # "\r是": a control character is said as in any text (Y111), not stripped
        if text in words.YES_NO:
            return text
        if text in YES_NO_LIKE:
            raise Invalid("Y103", f"是否类指标只能写“{words.YES}”或“{words.NO}”")
    return as_number(value)


def as_deadline(value: Any) -> str | dt.date:
    try:
        terms.parse_deadline(value)
    except ValueError as exc:
        raise Invalid("Y106", str(exc)) from None
    return value


def as_text(value: str, multiline: bool = False) -> str:
    """Text the way people write it: no control characters (ESC, BEL, DEL, C1), no bidirectional
    overrides; a name or a title also on one line (multiline: line breaks and tabs are fine).
    The message starts with 不能 (validation.py puts the field's name in front of it)."""
    found = first_unsafe(value, multiline)
    if found is None:
        return value
    index, char = found
    where = f"（第{index + 1}个字符）"
    if char in "\n\r\x85\u2028\u2029" and not multiline:
        raise Invalid("Y111", "不能换行，只能写一行" + where)
    if char in "\r\x85\u2028\u2029":
        raise Invalid("Y111", f"不能含有特殊的换行符 {escape(char)}" + where + "；换行请直接回车")
    if char == "\t":
        raise Invalid("Y111", "不能含有制表符（Tab）" + where)
    raise Invalid("Y111", f"不能含有控制字符 {escape(char)}" + where)


def as_owner(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid("Y103", '负责人应为文本，例如 "@taiyuan-yjj"')
    try:
        return terms.check_owner(value)
    except ValueError as exc:
        raise Invalid("Y110", str(exc)) from None


def as_responsible(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid("Y103", "责任单位应为文本")
    as_text(value)
    try:
        terms.parse_responsible(value)
    except ValueError as exc:
        raise Invalid("Y104", str(exc)) from None
    return value


def rate_parts(kind: str, key: str, numerator: Optional[str], denominator: Optional[str]) -> None:
    """An indicator names numerator and denominator if, and only if, it is a rate."""
    if kind == "rate" and not (numerator and denominator):
        raise Invalid("Y210", f"比率指标 {key} 需要写明 numerator 和 denominator")
    if kind != "rate" and (numerator or denominator):
        raise Invalid("Y210", f"只有比率指标才有 numerator/denominator（{key}）")
