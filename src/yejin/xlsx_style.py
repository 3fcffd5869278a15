"""Looks, print setup and safe cell writing for the exported workbook (openpyxl only here and in export.py).

- Fonts follow the usual 公文 tables: title 方正小标宋简体 二号 (22 pt), headers 黑体, body 宋体 / 仿宋_GB2312.
- Text from reports is always stored as text (never a formula), without the control
  characters Excel cannot hold, and cut visibly at Excel's 32,767-character limit.
- Widths and heights are estimated here (CJK ≈ 2 width units at 11 pt) because neither
  Excel nor LibreOffice sizes rows of wrapped text written by openpyxl.
- `normalize_xlsx` rewrites the saved zip with fixed dates and order: same data, same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

CJK = 134  # GB2312 charset, so Excel picks the Chinese face

TITLE = Font(name="方正小标宋简体", size=22, charset=CJK)
SUBTITLE = Font(name="楷体_GB2312", size=14, charset=CJK)
HEAD = Font(name="黑体", size=10.5, charset=CJK)
HEAD_BIG = Font(name="黑体", size=12, charset=CJK)
BODY = Font(name="宋体", size=10.5, charset=CJK)
BOLD = Font(name="黑体", size=10.5, charset=CJK)
TEXT = Font(name="仿宋_GB2312", size=12, charset=CJK)
NOTE = Font(name="仿宋_GB2312", size=10.5, charset=CJK)
WARN = Font(name="黑体", size=11, charset=CJK, color="C00000")
MUTED = Font(name="宋体", size=10.5, charset=CJK, color="808080")
NUM = Font(name="Times New Roman", size=10.5)  # figures, as in printed statistics; same metrics everywhere
NUM_BOLD = Font(name="Times New Roman", size=10.5, bold=True)

GREEN = PatternFill("solid", fgColor="C6EFCE")
YELLOW = PatternFill("solid", fgColor="FFEB9C")
RED = PatternFill("solid", fgColor="FFC7CE")
GREY = PatternFill("solid", fgColor="D9D9D9")
LIGHT = PatternFill("solid", fgColor="F2F2F2")
STATUS_FILLS = {"已完成": GREEN, "推进中": YELLOW, "未启动": RED, "未报": GREY}
WARNING_FILLS = {"green": GREEN, "yellow": YELLOW, "red": RED}
SUBMISSION_FILLS = {"按时": GREEN, "迟报": YELLOW, "未报": RED}

_THIN = Side(style="thin", color="000000")
_MEDIUM = Side(style="medium", color="000000")
THIN = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
THIN_TOP_MEDIUM = Border(left=_THIN, right=_THIN, top=_MEDIUM, bottom=_THIN)

CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
SHRINK = Alignment(horizontal="center", vertical="center", shrink_to_fit=True)  # one line, smaller if need be
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
LEFT_TOP = Alignment(horizontal="left", vertical="top", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center", wrap_text=False)
NUMBER = Alignment(horizontal="right", vertical="center")

COUNT_FMT, AMOUNT_FMT, PERCENT_FMT = "#,##0", "#,##0.00", "0.0%"

# Page: A4 landscape, 297 mm wide; at 96 dpi a column of width w is about 7w + 5 pixels.
MARGIN_LR_INCH = 0.4
PAGE_PX = (297 / 25.4 - 2 * MARGIN_LR_INCH) * 96
MARGIN_TOP_INCH, MARGIN_BOTTOM_INCH = 0.5, 0.6
PAGE_PT_HIGH = (210 / 25.4 - MARGIN_TOP_INCH - MARGIN_BOTTOM_INCH) * 72  # printable height in points
MAX_CELL = 32767
CUT_MARK = "（已截断）"
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class Cleaner:
    """Makes text safe for a cell and remembers where it had to change something."""

    stripped: list[str] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)

    def text(self, value: str, where: Optional[str] = None) -> str:
        cleaned = _ILLEGAL.sub("", value)
        if cleaned != value:
            self._note(self.stripped, where)
        if _utf16_len(cleaned) > MAX_CELL:
            cleaned = _cut(cleaned, MAX_CELL - len(CUT_MARK)) + CUT_MARK
            self._note(self.truncated, where)
        return cleaned

    @staticmethod
    def _note(seen: list[str], where: Optional[str]) -> None:
        if where and where not in seen:
            seen.append(where)

    def notes(self) -> list[str]:
        out = []
        if self.stripped:
            out.append(f"以下文字含有 Excel 无法保存的控制字符，已删除：{'；'.join(self.stripped)}。")
        if self.truncated:
            out.append(f"以下文字超过 Excel 单元格上限 {MAX_CELL:,} 字，已截断（末尾标有“{CUT_MARK}”），"
                       f"全文见原报告：{'；'.join(self.truncated)}。")
        return out


def _utf16_len(s: str) -> int:  # Excel counts UTF-16 code units
    return len(s) + sum(1 for ch in s if ord(ch) > 0xFFFF)


def _cut(s: str, units: int) -> str:
    out, used = [], 0
    for ch in s:
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > units:
            break
        out.append(ch)
    return "".join(out)


@dataclass(frozen=True)
class Style:
    font: Font = BODY
    align: Alignment = CENTER
    border: Optional[Border] = THIN
    fill: Optional[PatternFill] = None
    fmt: Optional[str] = None

    def but(self, **changes: Any) -> "Style":
        return Style(**{**self.__dict__, **changes})


CELL = Style()
HEADER = Style(font=HEAD)
PLAIN = Style(border=None, align=LEFT)


def put(ws: Worksheet, row: int, col: int, value: Any, style: Style = CELL,
        cleaner: Optional[Cleaner] = None, where: Optional[str] = None):
    """Write one cell. Strings are cleaned and always stored as text: “=1+1” stays “=1+1”."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        value = (cleaner or Cleaner()).text(value, where)
        cell.value = value
        cell.data_type = "s"  # openpyxl would store a leading “=” as a formula
        if value[:1] in ("=", "+", "-", "@"):
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    else:
        cell.value = value
    cell.font = style.font
    cell.alignment = style.align
    if style.border is not None:
        cell.border = style.border
    if style.fill is not None:
        cell.fill = style.fill
    if style.fmt is not None:
        cell.number_format = style.fmt
    return cell


def merge(ws: Worksheet, row: int, col: int, last_row: int, last_col: int, value: Any, style: Style = CELL,
          cleaner: Optional[Cleaner] = None, where: Optional[str] = None):
    """A merged block: value top-left, the style on every cell so borders and fills print whole."""
    for r in range(row, last_row + 1):
        for c in range(col, last_col + 1):
            put(ws, r, c, value if (r, c) == (row, col) else None, style, cleaner, where)
    if (row, col) != (last_row, last_col):
        ws.merge_cells(start_row=row, start_column=col, end_row=last_row, end_column=last_col)
    return ws.cell(row=row, column=col)


# --- sizes -------------------------------------------------------------------------------------

def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def text_px(text: str, size: float) -> float:
    """Rendered width of one line, in pixels at 96 dpi (CJK a full em, others about half)."""
    em = size * 96 / 72
    return sum(em if _wide(ch) else em * 0.55 for ch in text)


def text_width(text: str, size: float = 11) -> float:
    """Column width (Excel units, ≈ 7 px) that holds the longest line of text."""
    return max((text_px(line, size) for line in str(text).split("\n")), default=0) / 7 + 1.5


def number_width(shown: str) -> float:
    """Column width for a figure in NUM (Times New Roman digits are half an em)."""
    return len(shown) * 1.1 + 1.5


def col_px(width: float) -> float:
    return width * 7 + 5


def lines(text: str, width_px: float, size: float) -> int:
    """Lines a wrapped text takes in a cell width_px wide (with room for punctuation rules)."""
    room = max(width_px - 10, size)
    return sum(max(1, math.ceil(text_px(part, size) * 1.05 / room)) for part in str(text).split("\n"))


def height(n_lines: int, size: float, leading: float = 1.4) -> float:
    """Row height in points for n lines (CJK faces such as Noto CJK need about 1.45 × the size per line)."""
    return min(409.0, round(n_lines * size * leading + 5, 1))


def set_widths(ws: Worksheet, widths: dict[int, float]) -> None:
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = round(width, 2)


def span_px(ws: Worksheet, first: int, last: int) -> float:
    return sum(col_px(ws.column_dimensions[get_column_letter(c)].width or 8.43) for c in range(first, last + 1))


# --- printing ----------------------------------------------------------------------------------

def setup_print(ws: Worksheet, title_rows: str, *, scale: Optional[int] = None,
                title_cols: Optional[str] = None, freeze: Optional[str] = None) -> None:
    """A4 landscape, one page wide (or a fixed scale with manual breaks), titles repeated, page numbers."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    if scale is None:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    else:  # Excel ignores manual page breaks when fitting to a page count
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_setup.scale = scale
    ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    ws.page_margins.left = ws.page_margins.right = MARGIN_LR_INCH
    ws.page_margins.top, ws.page_margins.bottom = MARGIN_TOP_INCH, MARGIN_BOTTOM_INCH
    ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.size = 10
    ws.oddFooter.center.font = "宋体"
    if freeze:
        ws.freeze_panes = freeze


# --- reproducible files ------------------------------------------------------------------------

def normalize_xlsx(path: Path, when: dt.datetime, core_xml: bytes) -> None:
    """Rewrite the saved workbook: fixed entry dates, fixed order and compression, fixed core properties.

    openpyxl stamps the save time into docProps/core.xml and every zip entry; with this,
    two exports of the same data are byte-identical (given the same zlib).
    """
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    entries.sort(key=lambda e: e[0] != "[Content_Types].xml")  # stable: otherwise openpyxl's order
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, core_xml if name == "docProps/core.xml" else data, compresslevel=6)
    path.write_bytes(buf.getvalue())
