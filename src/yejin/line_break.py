"""Where a line of mixed Chinese and ASCII text may break: the one rule for every wrapped line.

rich folds a run of Chinese characters anywhere, so "33家（+13）" became "33家（+1" / "3）" and a
line could start with "，".  Here the text is cut into chunks that must stay on one line, and
lines are filled greedily with whole chunks (outputs/terminal.py hands rich these lines; problems.py
wraps validate's text output with them):

- a break may fall between two Chinese characters, and after a space, ASCII or full-width (U+3000,
  between the items of a line: 红灯1　黄灯0): the space is dropped;
- never inside a run of ASCII letters, digits and signs (2022-06-30, 67.0%, 0351-6819551,
  data/reports/taiyuan/2022-06.yaml:3:5), nor between a number and its unit (25.65万元, 33家,
  30 天: one space at most; 第3次; GB 30871), nor inside a date written in Chinese (2022年6月30日,
  2022 年 6 月);
- never before closing punctuation (，。、；：！？）」』》…) and never after opening
  punctuation (（「『《“) — 避头尾;
- never between a figure and this month's part of it in brackets, nor inside that part: 12项（+2）,
  1,373家次（本月+307）; never inside a target in brackets: （目标80个）.

Only a chunk wider than the whole line is cut (by characters): nothing else can fit it.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

# characters that may not begin a line (closing punctuation; ASCII ones too)
CLOSING = frozenset("，。、；：！？）」』》】〉〕〗｝”’…—％‰·～,.;:!?)]}%*")
# characters that may not end a line (opening punctuation)
OPENING = frozenset("（「『《【〈〔〖｛“‘([{")

# A date written in Chinese (2022年6月30日, 2022 年 6 月) never breaks inside; runs of ASCII
# (and Latin) characters side by side never do either (_NARROW: 2022-06-30, 67.0%, Y103).
_DATE = re.compile(r"\d{4} ?年 ?\d{1,2} ?月(?: ?\d{1,2} ?日)?|\d{1,2} ?月 ?\d{1,2} ?日")
_NARROW = re.compile(r"[!-~\u00c0-\u024f]")
# this month's part of a figure, in brackets, stays whole and with the figure: 12项（+2）, 1,373家次（本月+307）;
# a target in brackets stays whole (it may begin a line): 62个*／（目标80个）, 8个／（目标80个，落后序时）
_THIS_MONTH = re.compile(r"（(?:本月)?[+\-−]\d[\d,.]*）")
_TARGET = re.compile(r"（目标\d[^（）\n]{0,14}）")
# units that stay with the number before them (33家, 25.65万元, 67.0%, and with one space: 30 天)
# (the units of tasks.yaml's indicators among them: 家 项 个 次 起 期 万元 人次 家次 %; longest first)
_UNITS = (
    "万元",
    "万人",
    "人次",
    "家次",
    "小时",
    *"万亿元家项个次人天年月日号件起期名处台套座户吨份条批所类轮倍分秒％‰",
)


_SPACES = " \t\u3000"


def _breaks(text: str) -> list[int]:
    """The positions (0 < p < len) where a line may begin."""
    glued = bytearray(len(text) + 1)  # 1: no break before this position
    for m in _DATE.finditer(text):
        glued[m.start() + 1 : m.end()] = b"\1" * (m.end() - m.start() - 1)
    for m in _THIS_MONTH.finditer(text):
        glued[m.start() : m.end()] = b"\1" * (m.end() - m.start())
    for m in _TARGET.finditer(text):
        glued[m.start() + 1 : m.end()] = b"\1" * (m.end() - m.start() - 1)
    out = []
    indent = len(text) - len(text.lstrip(" \t"))
    for p in range(1, len(text)):
        if glued[p]:
            continue
        before, after = text[p - 1], text[p]
        if after in _SPACES or p <= indent:  # a space stays on the line before it; so does the indentation
            continue
        last = p - 1  # the last character before the break that is not a space
        while text[last] in _SPACES:
            last -= 1
        if after in CLOSING or text[last] in OPENING:
            continue
        if _NARROW.match(before) and _NARROW.match(after):
            continue  # two runs of ASCII side by side: 2022-06-30, 67.0%
        if text[last] == "第" and after in "0123456789" and p - last <= 2:
            continue  # an ordinal: 第3次, 第 3 次
        if p - last == 2 and text[last].isascii() and text[last].isalpha() and after in "0123456789":
            continue  # a designation: GB 30871-2022, --month 2022-06
        if text[last] in "0123456789%" and p - last <= 2 and text.startswith(_UNITS, p):  # 33家, 30 天, 25.65万元
            unit = next(u for u in _UNITS if text.startswith(u, p))
            glued[p + 1 : p + len(unit)] = b"\1" * (len(unit) - 1)
            continue
        out.append(p)
    return out


def _chunks(text: str) -> list[tuple[int, int, int]]:
    """(start, end of its visible part, end) of each chunk: what lies between two break positions."""
    bounds = [0, *_breaks(text), len(text)]
    out = []
    for start, end in zip(bounds, bounds[1:]):
        piece = text[start:end]
        stripped = piece.rstrip(_SPACES)
        out.append((start, start + len(stripped) if stripped else start, end))
    return out


def break_offsets(text: str, width: int, hang: int = 0) -> list[int]:
    """Where the lines after the first begin, for one paragraph (no newline) filling `width` cells;
    the lines after the first have `hang` cells less (the caller indents them)."""
    offsets: list[int] = []
    room = max(width, 1)
    used = 0  # cells on the current line, up to the end of its last visible character
    space = 0  # cells of the spaces after it
    for start, visible_end, end in _chunks(text):
        size = cell_len(text[start:visible_end])
        if used and used + space + size > room:
            offsets.append(start)
            room, used, space = max(width - hang, 1), 0, 0
        if used + space + size > room:  # wider than a whole line: cut it by characters
            at = used + space
            for i in range(start, visible_end):
                w = cell_len(text[i])
                if at and at + w > room:
                    offsets.append(i)
                    room, at = max(width - hang, 1), 0
                at += w
            used, space = at, cell_len(text[visible_end:end])
            continue
        used += space + size
        space = cell_len(text[visible_end:end])
    return offsets


def min_width(text: str) -> int:
    """The widest chunk: the narrowest a column can be without cutting anything."""
    widest = 0
    for line in text.split("\n"):
        for start, visible_end, _ in _chunks(line):
            widest = max(widest, cell_len(line[start:visible_end]))
    return widest


def wrap(text: str, width: int, hang: int = 0) -> str:
    """The text with its lines broken to `width` cells; continuation lines indented by `hang` spaces."""
    out = []
    for line in text.split("\n"):
        bounds = [0, *break_offsets(line, width, hang), len(line)]
        for i, (start, end) in enumerate(zip(bounds, bounds[1:])):
            out.append((" " * hang if i else "") + line[start:end].rstrip(_SPACES))
    return "\n".join(out)
