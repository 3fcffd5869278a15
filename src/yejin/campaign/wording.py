"""How the notice's wording becomes data: deadlines, responsible levels, months, phones.

Plain functions, no pydantic: the status and export paths use them too.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

from yejin.words import LEVELS, zh

DEADLINE_FORMS = "“2022年9月底前”、“2022年底前”（数字与年、月之间可有空格）或 ISO 日期“2022-09-30”"
_MONTH_END = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*底\s*前$")
_YEAR_END = re.compile(r"^(\d{4})\s*年\s*底\s*前$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(text: str | dt.date) -> dt.date:
    """`2022 年 9 月底前` -> 2022-09-30; `2022年底前` -> 2022-12-31; ISO dates as they are."""
    if isinstance(text, dt.date) and not isinstance(text, dt.datetime):
        return text
    if not isinstance(text, str):
        raise ValueError(f"完成时限应写成{DEADLINE_FORMS}")
    s = text.strip()
    if m := _MONTH_END.match(s):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            return month_end(year, month)
    elif m := _YEAR_END.match(s):
        return dt.date(int(m[1]), 12, 31)
    elif m := _ISO_DATE.match(s):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    raise ValueError(f"无法识别完成时限“{zh(s)}”；应写成{DEADLINE_FORMS}")


def parse_responsible(text: str) -> tuple[str, ...]:
    """Levels named by a 责任单位 wording, in LEVELS order.

    各级应急管理部门 = all; 市、县应急管理部门 = city+county; 县、区… = county;
    省、市… = province+city; 省应急管理厅 = province only.
    """
    s = re.sub(r"\s+", "", text)
    if s.startswith("各级"):
        return LEVELS
    if s == "省应急管理厅":
        return ("省",)
    head = s.split("应急管理", 1)[0]
    if not head or head == s:
        raise ValueError(
            f"无法从责任单位“{text}”判断层级；应为“各级应急管理部门”“省应急管理厅”或“市、县应急管理部门”这类写法"
        )
    found = set()
    for part in head.split("、"):
        level = {"省": "省", "市": "市", "县": "县", "区": "县", "县区": "县", "市县": None}.get(part, "?")
        if level == "?":
            raise ValueError(f"责任单位“{text}”中的“{part}”不是可识别的层级（省、市、县、区）")
        if level:
            found.add(level)
    return tuple(level for level in LEVELS if level in found)


# ASCII digits only ([0-9], not \\d, which also matches full-width ones): the JSON Schemas use the same
# patterns (models.py), and check-jsonschema reads them as ECMAScript, where \\d is ASCII.
MONTH_PATTERN = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")


def parse_month(text: str) -> tuple[int, int]:
    m = MONTH_PATTERN.match(text)
    if not m:
        raise ValueError(month_hint(text))
    return int(m[1]), int(m[2])


def month_hint(text: object) -> str:
    """Name the usual ways a month is mistyped and show the fix."""
    typed = s = str(text).strip()
    if s[:1] in "“‘" and s[-1:] in "”’":  # Chinese quotes were typed instead of "
        s = s[1:-1].strip()
    s = unicodedata.normalize("NFKC", s)  # full-width digits ２０２２年６月
    if s != typed:
        return month_hint(s).replace(
            f"（不是“{s}”）", f"（不是“{typed}”{'：用了中文引号' if typed[:1] in '“‘' else '：有全角字符'}）"
        )
    for pattern in (r"^(\d{4})\s*年\s*(\d{1,2})\s*月份?$", r"^(\d{4})[/.\-_](\d{1,2})$", r"^(\d{4})(\d{2})$"):
        if m := re.match(pattern, s):
            if not 1 <= int(m[2]) <= 12:  # the form is right; the month does not exist
                return f'月份{s}不存在：一年只有1–12月（写成 "{m[1]}-01" 到 "{m[1]}-12"）'
            if 1 <= int(m[2]) <= 12:
                return f'月份应写成“年-月”两位数形式："{m[1]}-{int(m[2]):02d}"（不是“{s}”）'
    if m := re.match(r"^(\d{1,2})\s*月份?$", s):
        return f'月份要写明年份，例如 "2022-{int(m[1]):02d}"（不是“{s}”）'
    return f'月份应写成“年-月”形式，例如 "2022-06"（不是“{s}”）'


def option_date_hint(text: str) -> str:
    """Why a date typed as text (a command-line option) is not one."""
    s = unicodedata.normalize("NFKC", text.strip())
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        if not 1 <= month <= 12:
            return f"日期{s}不存在：一年只有1–12月"
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return f"日期{s}不存在：{year}年{month}月只有{last}天"
    if (meant := typed_date(s)) is not None and meant.isoformat() != s:
        return f"日期应写成“年-月-日”形式：{meant.isoformat()}（不是“{text}”）"
    return f"日期应写成“年-月-日”形式，例如2022-06-30（不是“{text}”）"


# year, month and day with the separators people type, then an optional 日 and an optional time.
# No two neighbouring quantifiers can take the same characters (日 stands between them, or nothing):
# a run of spaces is walked once, not once per way of splitting it (the old pattern took minutes).
_TYPED_DATE = re.compile(r"(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})(?:\s*日)?([\sT]*\d{1,2}[:：].*)?")
_LONGEST_TYPED_DATE = 64  # 2022 年 06 月 24 日 10:30:00 +08:00 and more; a longer text is not a date typo


def typed_date(text: str) -> dt.date | None:
    """The day a date typed as 2022/6/24, 2022年6月24日, 2022-6-24 10:30 or in full-width digits means:
    the one reading of it that every message and hint shows (so they agree on the day).  None when the
    text is no typed date; ValueError when it names a day that does not exist (2022年6月31日)."""
    half = unicodedata.normalize("NFKC", text.strip())
    m = _TYPED_DATE.fullmatch(half) if len(half) <= _LONGEST_TYPED_DATE else None
    if not m:
        return None
    return dt.date(int(m[1]), int(m[2]), int(m[3]))


def typed_date_has_time(text: str) -> bool:
    m = _TYPED_DATE.fullmatch(unicodedata.normalize("NFKC", text.strip()))
    return bool(m and m[4])


def month_start(month: str) -> dt.date:
    year, m = parse_month(month)
    return dt.date(year, m, 1)


def previous_month(month: str) -> str:
    year, m = parse_month(month)
    return f"{year - 1}-12" if m == 1 else f"{year}-{m - 1:02d}"


def next_month(month: str) -> str:
    year, m = parse_month(month)
    return f"{year + 1}-01" if m == 12 else f"{year}-{m + 1:02d}"


def report_due(month: str, report_day: int) -> dt.date:
    """The day a month's report is due: the report day, or the month's last day when shorter (February)."""
    year, m = parse_month(month)
    return dt.date(year, m, min(report_day, calendar.monthrange(year, m)[1]))


PHONE_PATTERN = re.compile(r"^(0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?|1[3-9][0-9]{9})$")  # landline or mobile


# Who may approve changes on a git host (CODEOWNERS): @user, @org/team (GitLab: @group/subgroup/…) or an
# e-mail address.  No white space, no #, nothing else: an owner is written into a CODEOWNERS line as it is.
OWNER_PATTERN = re.compile(
    r"^(@[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)$"
)
OWNER_FORMS = "@用户名、@组织/团队 或电子邮件地址（如 @taiyuan-yjj、@shanxi-yjt/reviewers、a@example.cn）"


def check_owner(text: str) -> str:
    if OWNER_PATTERN.fullmatch(text):  # (match would let a trailing line break through `$`)
        return text
    raise ValueError(f"负责人“{text}”写法不对；应写成 {OWNER_FORMS}，不含空格、# 和控制字符")


def check_phone(text: str) -> str:
    s = text.strip().replace(" ", "")
    if not s:
        raise ValueError('电话号码不能为空；固定电话写成 "0351-6819551"，手机写成 "13912345678"')
    if PHONE_PATTERN.match(s):
        return text.strip()
    raise ValueError(f'电话号码“{text}”格式不对；固定电话写成 "0351-6819551"，手机写成 "13912345678"（都要加引号）')
