"""Targeted hints for the mistakes city staff actually make.

Report files are typed with a Chinese input method, often on Windows, so the
usual slips are full-width characters, units typed after numbers, Chinese
quotes and near-miss spellings of the allowed values.  Each function names the
mistake and shows the fix; it returns "" when it has nothing specific to say.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

from yejin.campaign import wording as terms
from yejin.words import DONE, IN_PROGRESS, NOT_STARTED

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")

# status spellings seen in practice -> the allowed value
STATUS_SYNONYMS = {
    **dict.fromkeys(("完成", "已经完成", "完毕", "已完毕", "已办结", "办结"), DONE),
    **dict.fromkeys(("进行中", "正在推进", "推进", "正在进行", "在推进", "实施中"), IN_PROGRESS),
    **dict.fromkeys(("未开始", "没开始", "尚未启动", "未开展", "没有启动", "未启"), NOT_STARTED),
}


def chinese_quotes(value: str) -> str:
    if value[:1] in "“‘「『" or value[-1:] in "”’」』":
        inner = value.strip("“”‘’「」『』")
        return f'用了中文引号；需要引号时请用英文引号："{inner}"'
    return ""


def _typed_text(hint):
    """Hints about typed text: nothing to say about non-text; Chinese quotes come first."""

    @functools.wraps(hint)
    def wrapper(value: object, *args):
        if not isinstance(value, str):
            return ""
        text = value.strip()
        return chinese_quotes(text) or hint(text, *args)

    return wrapper


@_typed_text
def number_hint(text: str) -> str:
    """Why a text is not a number here, and the number it probably meant."""
    half = text.translate(FULLWIDTH_DIGITS)
    if half != text and re.fullmatch(r"-?\d+(\.\d+)?", half):
        return f"“{text}”是全角数字；请切换到半角输入，写成{half}"
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", half):
        return f"数字不要加千位分隔符，写成{half.replace(',', '')}"
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", half):
        return f"这里填累计数量，不填百分比（{text}）；整改率、销号率等比率由 yejin 根据数量计算"
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)\s*(家|个|项|次|人次|人|万元|元|期|起|处)", half):
        return f"数字后面不要带单位“{m[2]}”，写成{m[1]}（单位见注释）"
    if re.fullmatch(r"-?\d+(\.\d+)?", half):
        return f"数字不要加引号，写成{half}"
    return "只填阿拉伯数字，不带单位、引号或千位分隔符，例如12"


@_typed_text
def date_hint(text: str) -> str:
    """A date typed as 2022/6/24, 2022年6月24日, with full-width digits or with a time: the ISO form to
    write, the day terms.typed_date reads (the message, rules.as_date, names the same day)."""
    try:
        meant = terms.typed_date(text)
    except ValueError:
        return f"日期{text}不存在；请检查月份的天数"
    if meant is None:
        return "日期写成“年-月-日”，例如2022-06-28（半角数字和短横线，不加引号）"
    half = unicodedata.normalize("NFKC", text)
    extra = "，不要带时间" if terms.typed_date_has_time(text) else ("，用半角数字" if half != text else "")
    return f"日期写成“年-月-日”：{meant.isoformat()}（月、日写两位，用短横线{extra}）"


@_typed_text
def phone_hint(text: str) -> str:
    """A phone number in Chinese quotes or full-width digits."""
    half = unicodedata.normalize("NFKC", text)
    if half != text:
        return f'电话号码里有全角字符；请切换到半角输入，写成 "{half}"'
    return ""


@_typed_text
def status_hint(text: str, allowed: list[str]) -> str:
    text = unicodedata.normalize("NFKC", text)
    if text in STATUS_SYNONYMS:
        return f"是否为“{STATUS_SYNONYMS[text]}”？状态只能是 {'、'.join(allowed)} 之一"
    near = difflib.get_close_matches(text, allowed, n=1, cutoff=0.0)
    return f"是否为“{near[0]}”？" if near else ""


def control_hint(message: str) -> str:
    """Where an invisible character comes from, and what to do about it (Y111)."""
    if "只能写一行" in message:
        return "姓名、标题等只能写一行；请把换行删去（较长的说明写在 progress、summary 等栏目里）"
    if "换行符" in message:
        return "这种换行符多半是从网页或 Word 复制带进来的；请删去，需要换行时直接回车"
    return (
        "控制字符在编辑器里看不见，多半是复制粘贴带进来的，或写了 \\e、\\a、\\x1b 之类的转义；"
        "终端会把它们当作指令（改窗口标题、清屏、写剪贴板）；请删去"
    )


def unit_hint(value: object, names: dict[str, str]) -> str:
    """Suggest the unit a short, old or mistyped name probably means; `names` maps any name to a unit name."""
    text = str(value).strip()
    quoted = chinese_quotes(text)
    if quoted:  # “太原市”: the quotes are part of the name YAML read
        text = text.strip("“”‘’「」『』")
        if text in names:
            return f"{quoted}。"
    text = unicodedata.normalize("NFKC", text)
    for suffix in ("应急管理局", "应急局", "市局", "局"):
        if text.endswith(suffix) and text[: -len(suffix)] in names:
            return f"是否为“{names[text[: -len(suffix)]]}”？"
    near = difflib.get_close_matches(text, list(names), n=1, cutoff=0.5)
    return f"是否为“{names[near[0]]}”？" if near else ""
