"""Looks, print setup and safe cell writing for the exported workbook: the one module that knows
openpyxl's internals (workbook.py and sheets.py use openpyxl's public API and this module's).

- Fonts follow the usual 公文 tables: title 方正小标宋简体 二号 (22 pt), headers 黑体, body 宋体 / 仿宋_GB2312.
- Text from reports is always stored as text (never a formula), without the control
  characters Excel cannot hold, and cut visibly at Excel's 32,767-character limit.
- Widths and heights are estimated here (CJK ≈ 2 width units at 11 pt) because neither
  Excel nor LibreOffice sizes rows of wrapped text written by openpyxl.
- Cells go through put() / put_row() / merge(), row heights through set_height(); with
  fast_cells() they are kept in a compact table and written by this module (see "writing cells").
- `save` writes the workbook and rewrites the zip with fixed dates and order: same data, same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
import weakref
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator, Optional

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

CJK = 134  # GB2312 charset, so Excel picks the Chinese face

TITLE = Font(name="方正小标宋简体", size=22, charset=CJK)
LABEL = Font(name="黑体", size=16, charset=CJK)  # “附件2”, 黑体 三号 as in 公文
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
NUM_CARRIED = Font(name="Times New Roman", size=10.5, italic=True, color="1F4E79")  # a figure of an earlier month
CARRIED_FONT = Font(name="宋体", size=10.5, charset=CJK, italic=True, color="1F4E79")

GREEN = PatternFill("solid", fgColor="C6EFCE")
YELLOW = PatternFill("solid", fgColor="FFEB9C")
RED = PatternFill("solid", fgColor="FFC7CE")
GREY = PatternFill("solid", fgColor="D9D9D9")
LIGHT = PatternFill("solid", fgColor="F2F2F2")
CARRIED = PatternFill("solid", fgColor="DDEBF7")  # light blue: carried from an earlier month (沿用)
STATUS_FILLS = {"已完成": GREEN, "推进中": YELLOW, "未启动": RED, "未报": GREY}
WARNING_FILLS = {"green": GREEN, "yellow": YELLOW, "red": RED, "pending": GREY}
SUBMISSION_FILLS = {"按时": GREEN, "迟报": YELLOW, "未报": RED}

_THIN = Side(style="thin", color="000000")
_MEDIUM = Side(style="medium", color="000000")
THIN = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
THIN_TOP_MEDIUM = Border(left=_THIN, right=_THIN, top=_MEDIUM, bottom=_THIN)

CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
SHRINK = Alignment(horizontal="center", vertical="center", shrink_to_fit=True)  # one line, smaller if need be
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
LEFT_TOP = Alignment(horizontal="left", vertical="top", wrap_text=True)
CENTER_TOP = Alignment(horizontal="center", vertical="top", wrap_text=True)
RIGHT_TOP = Alignment(horizontal="right", vertical="top")
RIGHT = Alignment(horizontal="right", vertical="center", wrap_text=False)
LEFT_NOWRAP = Alignment(horizontal="left", vertical="center", wrap_text=False)  # runs on over empty cells
NUMBER = Alignment(horizontal="right", vertical="center")

COUNT_FMT, AMOUNT_FMT, PERCENT_FMT = "#,##0", "#,##0.00", "0.0%"
RATE_FMT = "0.0"  # a rate in percent under a “（%）” header: 67.0, the sign shown once

# Page: A4 landscape, 297 mm wide; at 96 dpi a column of width w is about 7w + 5 pixels.
MARGIN_LR_INCH = 0.4
PAGE_PX = (297 / 25.4 - 2 * MARGIN_LR_INCH) * 96
MARGIN_TOP_INCH, MARGIN_BOTTOM_INCH = 0.5, 0.6
PAGE_PT_HIGH = (210 / 25.4 - MARGIN_TOP_INCH - MARGIN_BOTTOM_INCH) * 72  # printable height in points
PAGE_WIDTH = (PAGE_PX - 5) / 7  # one column as wide as the printable page
MAX_CELL = 32767
CUT_MARK = "（已截断）"
PAGE_FOOTER = "第&P页　共&N页"  # 第1页　共3页: Excel's and WPS's page-number codes, no space beside the numbers
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class Cleaner:
    """Makes text safe for a cell and remembers where it had to change something."""

    stripped: list[str] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)

    def text(self, value: str, where: Optional[str] = None) -> str:
        cleaned = _ILLEGAL.sub("", value) if _ILLEGAL.search(value) else value
        if cleaned != value:
            self._note(self.stripped, where)
        if len(cleaned) * 2 > MAX_CELL and _utf16_len(cleaned) > MAX_CELL:  # (a UTF-16 length is at most twice)
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
            out.append(
                f"以下文字超过 Excel 单元格上限{MAX_CELL:,}字，已截断（末尾标有“{CUT_MARK}”），"
                f"全文见原报告：{'；'.join(self.truncated)}。"
            )
        return out


def _utf16_len(s: str) -> int:  # Excel counts UTF-16 code units
    if not s or max(s) <= "\uffff":  # max() runs in C: most texts have nothing beyond the BMP
        return len(s)
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
        if not changes.keys() <= _STYLE_FIELDS:
            raise TypeError(f"Style has no {', '.join(changes.keys() - _STYLE_FIELDS)}")
        made = object.__new__(Style)  # called for most cells of an export: skip the frozen __init__
        made.__dict__.update(self.__dict__)
        made.__dict__.update(changes)
        return made


_STYLE_FIELDS = frozenset(Style.__dataclass_fields__)
CELL = Style()
HEADER = Style(font=HEAD)
PLAIN = Style(border=None, align=LEFT)


# --- writing cells ------------------------------------------------------------------------------
#
# This is the one module that knows openpyxl's internals (cell._style, cell._value, ws._cells,
# wb._cell_styles, and the XML its writer makes); workbook.py and sheets.py go through put(),
# put_row(), merge(), set_height(), row_height() and save().  pyproject.toml pins openpyxl to the
# versions this was tested with, and tests/test_xlsx_style.py compares the result with what
# openpyxl itself writes.
#
# A 3,000-unit month is ~650,000 cells.  openpyxl's Cell objects cost about 1 KB and 10 µs
# each to make and as much again to write (its write-only mode saves the memory, not the
# time), and setting cell.font and the rest hashes the style objects every time.  So for an
# export (fast_cells) put() and merge() keep each cell as (value, data type, style ids) in a
# per-sheet table, the style ids being worked out by openpyxl itself once per distinct style
# (on a scratch cell, exactly as put() does on the real one otherwise), and save() writes the
# <sheetData> XML openpyxl would have written into the saved package.  The same workbook in a
# fraction of the time and memory.  Without fast_cells every cell is openpyxl's own: the
# reference the tests hold the table to.

_DATA_TYPES: dict[type, str] = {
    str: "s",
    bool: "b",
    int: "n",
    float: "n",
    Decimal: "n",
    type(None): "n",
    dt.date: "d",
    dt.datetime: "d",
    dt.time: "d",
    dt.timedelta: "d",
}


class Written:
    """What put() and merge() give back for a fast-cells sheet: the value as stored."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value


class _Cells:
    """One worksheet's cells and row heights: row -> column -> (value, openpyxl data type, StyleArray),
    row -> height in points.  It holds no reference to the worksheet (see _TABLES)."""

    def __init__(self) -> None:
        self.rows: dict[int, dict[int, tuple[Any, str, StyleArray]]] = {}
        self.styles: dict[tuple, tuple[Style, StyleArray]] = {}  # see put()
        self.heights: dict[int, Any] = {}  # a float, or (after absorb) an openpyxl RowDimension

    @staticmethod
    def style_array(ws: Worksheet, base: Optional[StyleArray], value: Any, style: Style, quote: bool) -> StyleArray:
        """The style ids a cell with style ids `base` gets from put(value, style): put's steps, on a scratch cell."""
        cell = Cell(ws, row=1, column=1)  # never added to the sheet
        cell._style = StyleArray(base) if base is not None else StyleArray()
        cell.value = value  # a date value gives the cell a date format
        _apply(cell, style, quote)
        return cell._style

    def fresh_ids(self, ws: Worksheet, value: Any, style: Style, quote: bool) -> StyleArray:
        """The style ids a fresh cell gets from put(value, style): the same for the same style, worked out once."""
        known = self.styles.get((id(style), quote, type(value)))  # the same Style object again: most cells
        if known is None:  # then an equal one: a Style made again by .but() for each row
            key = (id(style.font), id(style.align), id(style.border), id(style.fill), style.fmt, quote, type(value))
            known = self.styles.get(key)
            if known is None:
                known = self.styles[key] = (style, self.style_array(ws, None, value, style, quote))
            self.styles[(id(style), quote, type(value))] = (style, known[1])
        return known[1]  # each Style in a key stays referenced here, so its id is not reused meanwhile

    def put(self, ws: Worksheet, row: int, col: int, value: Any, style: Style, quote: bool) -> Written:
        cells = self.rows.get(row)
        if cells is None:
            cells = self.rows[row] = {}
        old = cells.get(col)
        if old is not None and any(old[2]):  # restyling a cell: from its ids, as openpyxl would
            array = self.style_array(ws, old[2], value, style, quote)
        else:
            known = self.styles.get((id(style), quote, type(value)))  # fresh_ids(), its usual case inline
            array = known[1] if known is not None else self.fresh_ids(ws, value, style, quote)
        kind = "s" if isinstance(value, str) else _DATA_TYPES.get(type(value))
        if kind is None:  # anything else: as openpyxl types it (or refuses it)
            scratch = Cell(ws, row=1, column=1)
            scratch.value = value
            kind = scratch.data_type
        cells[col] = (value, kind, array)
        return Written(value)

    def merge(self, ws: Worksheet, row: int, col: int, last_row: int, last_col: int) -> None:
        """openpyxl merges the block (its MergedCells, and the borders it draws on the edges) on cells
        made from the table's; then they go back into the table."""
        for r in range(row, last_row + 1):
            cells = self.rows[r]
            for c in range(col, last_col + 1):
                value, kind, array = cells.pop(c)
                cell = ws.cell(row=r, column=c)
                cell._value, cell.data_type, cell._style = value, kind, StyleArray(array)
        ws.merge_cells(start_row=row, start_column=col, end_row=last_row, end_column=last_col)
        for r in range(row, last_row + 1):
            cells = self.rows[r]
            for c in range(col, last_col + 1):
                cell = ws._cells.pop((r, c))
                cells[c] = (cell._value, cell.data_type, StyleArray(cell._style))

    def absorb(self, ws: Worksheet) -> None:
        """Cells and row heights made through openpyxl after all (not by put, merge or set_height) join the
        table; where both have a row's height, the table's counts."""
        for (r, c), cell in sorted(ws._cells.items()):
            ids = StyleArray(cell._style) if cell._style is not None else StyleArray()
            self.rows.setdefault(r, {})[c] = (cell._value, cell.data_type, ids)
        ws._cells.clear()  # openpyxl then writes the sheet without them (they would only be replaced)
        for r, dim in ws.row_dimensions.items():
            self.heights.setdefault(r, dim)

    def dimension(self) -> str:
        """Worksheet.calculate_dimension() of the same cells."""
        cols = {c for cells in self.rows.values() for c in cells}
        if not cols:
            return "A1:A1"
        rows = [r for r, cells in self.rows.items() if cells]
        return f"{get_column_letter(min(cols))}{min(rows)}:{get_column_letter(max(cols))}{max(rows)}"


# The workbooks marked by fast_cells, and their sheets' tables.  Kept here rather than as attributes
# of openpyxl's objects; weakly, so a workbook and its tables go when the caller lets go of it.
_FAST: "weakref.WeakSet[Workbook]" = weakref.WeakSet()
_TABLES: "weakref.WeakKeyDictionary[Worksheet, _Cells]" = weakref.WeakKeyDictionary()


def fast_cells(wb: Workbook) -> None:
    """From now on put(), merge() and set_height() keep this workbook's cells compactly, for save()."""
    _FAST.add(wb)


def _cells(ws: Worksheet) -> Optional[_Cells]:
    store = _TABLES.get(ws)
    if store is None and ws.parent in _FAST:
        store = _TABLES[ws] = _Cells()
    return store


_FORMULA_START = ("=", "+", "-", "@")
_NO_NOTES = Cleaner()  # notes only ever recorded for a `where`; without one, nothing accumulates here


def put(
    ws: Worksheet,
    row: int,
    col: int,
    value: Any,
    style: Style = CELL,
    cleaner: Optional[Cleaner] = None,
    where: Optional[str] = None,
):
    """Write one cell. Strings are cleaned and always stored as text: “=1+1” stays “=1+1”."""
    quote = False
    if isinstance(value, str):
        if len(value) * 2 > MAX_CELL or _ILLEGAL.search(value):  # only then has the cleaner work to do
            value = (cleaner or (Cleaner() if where else _NO_NOTES)).text(value, where)
        quote = value[:1] in _FORMULA_START
    store = _cells(ws)
    if store is not None:
        return store.put(ws, row, col, value, style, quote)
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would store a leading “=” as a formula
    _apply(cell, style, quote)
    return cell


def number_ids(ws: Worksheet, style: Style) -> Any:
    """For number_entry(): what put(ws, r, c, <a number>, style) gives a fresh cell."""
    store = _cells(ws)
    return style if store is None else store.fresh_ids(ws, 0, style, False)


def number_entry(value: Any, ids: Any) -> tuple:
    """A cell for put_row(): a number (int, float, Decimal) or None, with ids from number_ids()."""
    return (value, "n", ids)


def text_entry(ws: Worksheet, value: str, style: Style = CELL) -> tuple:
    """A cell for put_row(): a fixed text (“—”, “/”), cleaned once; the same tuple can be used again and again."""
    value = _NO_NOTES.text(value)
    quote = value[:1] in _FORMULA_START
    store = _cells(ws)
    return (value, "s", style if store is None else store.fresh_ids(ws, value, style, quote))


def put_row(ws: Worksheet, row: int, entries: dict[int, tuple]) -> None:
    """Many fresh cells of one row at once ({column: entry}): as put() for each, without its per-cell cost.

    For the body of a large table (a 3,000-unit 统计表 has ~300,000 figures): the entries come from
    number_entry() and text_entry(), so style ids are worked out once per style, not once per cell.
    """
    store = _cells(ws)
    if store is None:
        for col, (value, _, style) in entries.items():
            put(ws, row, col, value, style)
        return
    cells = store.rows.get(row)
    if cells is None:
        store.rows[row] = dict(entries)
    elif cells.keys() & entries.keys():
        raise ValueError(f"put_row: row {row} already has some of these cells (use put() to restyle)")
    else:
        cells.update(entries)


def merge(
    ws: Worksheet,
    row: int,
    col: int,
    last_row: int,
    last_col: int,
    value: Any,
    style: Style = CELL,
    cleaner: Optional[Cleaner] = None,
    where: Optional[str] = None,
):
    """A merged block: value top-left, the style on every cell so borders and fills print whole."""
    for r in range(row, last_row + 1):
        for c in range(col, last_col + 1):
            put(ws, r, c, value if (r, c) == (row, col) else None, style, cleaner, where)
    store = _cells(ws)
    if (row, col) != (last_row, last_col):
        if store is not None:
            store.merge(ws, row, col, last_row, last_col)
        else:
            ws.merge_cells(start_row=row, start_column=col, end_row=last_row, end_column=last_col)
    return Written(store.rows[row][col][0]) if store is not None else ws.cell(row=row, column=col)


def set_height(ws: Worksheet, row: int, points: Optional[float]) -> None:
    """A row's height in points (None: Excel's default), as ws.row_dimensions[row].height = points."""
    store = _cells(ws)
    if store is None:
        ws.row_dimensions[row].height = points
    else:
        store.heights[row] = None if points is None else float(points)


def row_height(ws: Worksheet, row: int) -> Optional[float]:
    """The height set_height() gave the row; None if none."""
    store = _cells(ws)
    if store is not None and row in store.heights:
        return store.heights[row]
    dim = ws.row_dimensions.get(row)  # (get: looking must not add a row to the sheet)
    return None if dim is None else dim.height


def save(wb: Workbook, path: Path, when: dt.datetime) -> None:
    """wb.save(path), reproducibly: `when` as the modification time (see normalize_xlsx).  The cells
    of a fast_cells workbook are written from its tables, which it keeps to itself from then on:
    such a workbook is for saving once."""
    sheets = _sheet_data(wb) if wb in _FAST else None  # before wb.save: it gives the cells their style ids
    wb.save(path)
    wb.properties.modified = when  # save() stamped the clock time
    normalize_xlsx(path, when, tostring(wb.properties.to_tree()), sheets)


def _text(value: str) -> str:
    """Text content escaped as lxml escapes it."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _sheet_data(wb: Workbook) -> dict[str, tuple[str, Any]]:
    """For each sheet with a table, its path in the package, its dimension and a function giving its
    <sheetData> in pieces, for normalize_xlsx.

    Style ids are registered here, in the order openpyxl's writer would register them (sheet by
    sheet, row by row), so the saved styles.xml is the one openpyxl would write.
    """
    out: dict[str, tuple[str, Any]] = {}
    xf: dict[int, int] = {}  # id(StyleArray) -> cellXfs index; the arrays live in the tables meanwhile
    for number, ws in enumerate(wb.worksheets, 1):
        store = _TABLES.get(ws)
        if store is None:
            continue
        store.absorb(ws)
        for r in sorted(store.rows):
            cells = store.rows[r]
            for c in sorted(cells):
                array = cells[c][2]
                if id(array) not in xf and any(array):
                    xf[id(array)] = wb._cell_styles.add(array)
        out[f"xl/worksheets/sheet{number}.xml"] = (store.dimension(), lambda store=store: _sheet_rows(wb, store, xf))
    return out


def _sheet_rows(wb: Any, store: _Cells, xf: dict[int, int]) -> Iterator[str]:
    """<sheetData> as openpyxl's lxml writer writes it (openpyxl.cell._writer), in pieces."""
    from openpyxl.compat import safe_string
    from openpyxl.utils.datetime import to_excel, to_ISO8601

    heights = store.heights
    rows = sorted(set(store.rows) | set(heights))
    styled = {key: f' s="{index}"' for key, index in xf.items()}
    widest = max((max(cells) for cells in store.rows.values() if cells), default=0)
    letters = [""] + [get_column_letter(c) for c in range(1, widest + 1)]  # column -> its letters
    parts: list[str] = ["<sheetData>"]
    add = parts.append
    for r in rows:
        dim = heights.get(r)
        add(f'<row r="{r}"{_row_attrs(dim) if dim is not None else ""}>')
        cells = store.rows.get(r)
        for c in sorted(cells) if cells else ():
            value, kind, array = cells[c]
            s = styled.get(id(array), "")
            if value is None:
                if s:
                    add(f'<c r="{letters[c]}{r}"{s} t="{kind}"></c>')
                continue
            letter = letters[c]
            vtype = type(value)
            if vtype is int and kind == "n" and -(10**15) < value < 10**15:  # most figures: as below, sooner
                add(f'<c r="{letter}{r}"{s} t="n"><v>{value}</v></c>')
                continue
            if vtype is float and kind == "n" and value - value == 0:  # finite: safe_string's "%.16g"
                add(f'<c r="{letter}{r}"{s} t="n"><v>{"%.16g" % value}</v></c>')
                continue
            if kind == "s":
                if value == "":
                    add(f'<c r="{letter}{r}"{s} t="inlineStr"></c>')
                    continue
                space = ' xml:space="preserve"' if value != value.strip() else ""
                if _ESCAPE.search(value):
                    value = _text(value)
                add(f'<c r="{letter}{r}"{s} t="inlineStr"><is><t{space}>{value}</t></is></c>')
                continue
            if kind == "d":
                if getattr(value, "tzinfo", None) is not None:
                    raise TypeError("Excel does not support timezones in datetimes.")
                if wb.iso_dates and not isinstance(value, dt.timedelta):
                    value = to_ISO8601(value)
                else:
                    kind, value = "n", to_excel(value, wb.epoch)
                if value == "":
                    add(f'<c r="{letter}{r}"{s} t="{kind}"></c>')
                    continue
            number = str(value) if type(value) is int and -(10**15) < value < 10**15 else _text(safe_string(value))
            add(f'<c r="{letter}{r}"{s} t="{kind}"><v>{number}</v></c>')
        add("</row>")
        if len(parts) > 20000:
            yield "".join(parts)
            parts.clear()
    add("</sheetData>")
    yield "".join(parts)


_ESCAPE = re.compile("[&<>\r]")
_ROW_ATTRS: dict[float, str] = {}


def _row_attrs(dim: Any) -> str:
    """A row's attributes as openpyxl writes them from its RowDimension."""
    if type(dim) is float:  # set_height's
        attrs = _ROW_ATTRS.get(dim)
        if attrs is None:
            from openpyxl.compat import safe_string

            attrs = _ROW_ATTRS[dim] = f' ht="{safe_string(dim)}" customHeight="1"'
        return attrs
    return "".join(f' {k}="{v}"' for k, v in dim)  # an openpyxl RowDimension


# --- sizes -------------------------------------------------------------------------------------


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


class _Widths(dict):
    """Character -> its width at one size, looked up in unicodedata once per character."""

    def __init__(self, size: float):
        super().__init__()
        self.em = size * 96 / 72

    def __missing__(self, ch: str) -> float:
        width = self[ch] = self.em if _wide(ch) else self.em * 0.55
        return width


_WIDTHS: dict[float, _Widths] = {}


# Blocks whose every character is wide (checked against unicodedata in the tests): most of a
# Chinese text, counted by one C-speed regex pass instead of a lookup per character.
_COMMON_WIDE = re.compile("[\u3000-\u303e\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60]+")


def text_px(text: str, size: float) -> float:
    """Rendered width of one line, in pixels at 96 dpi (CJK a full em, others about half)."""
    table = _WIDTHS.get(size)
    if table is None:
        table = _WIDTHS[size] = _Widths(size)
    rest = text if text.isascii() else _COMMON_WIDE.sub("", text)
    return (len(text) - len(rest)) * table.em + sum(map(table.__getitem__, rest))


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


def setup_print(ws: Worksheet, title_rows: str, *, freeze: Optional[str] = None) -> None:
    """A4 landscape, fitted to one page's width by the sheet's own settings (fitToWidth 1, as many pages
    down as it takes): whatever fonts the reader has, a sheet never spills columns onto pages of their own.
    Title rows repeated, page numbers, centred on the page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = title_rows
    ws.page_margins.left = ws.page_margins.right = MARGIN_LR_INCH
    ws.page_margins.top, ws.page_margins.bottom = MARGIN_TOP_INCH, MARGIN_BOTTOM_INCH
    ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = PAGE_FOOTER
    ws.oddFooter.center.size = 10
    ws.oddFooter.center.font = "宋体"
    if freeze:
        ws.freeze_panes = freeze


def set_print_area(ws: Worksheet, last_col: int) -> None:
    """Print columns 1..last_col of every row written so far (the sheet's own width, whatever lies beside it)."""
    store = _cells(ws)
    rows = [r for r, cells in store.rows.items() if cells] if store is not None else [ws.max_row]
    ws.print_area = f"A1:{get_column_letter(last_col)}{max(rows, default=1)}"


# --- reproducible files ------------------------------------------------------------------------


def normalize_xlsx(path: Path, when: dt.datetime, core_xml: bytes, sheets: Optional[dict] = None) -> None:
    """Rewrite the saved workbook: fixed entry dates, fixed order and compression, fixed core properties.

    openpyxl stamps the save time into docProps/core.xml and every zip entry; with this,
    two exports of the same data are byte-identical (given the same zlib).  `sheets`, from
    sheet_data(): the cells of fast_cells sheets, written into their (cell-less) sheet XML.
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
            if sheets and name in sheets:
                _write_sheet(dst, info, data, *sheets[name])
                continue
            dst.writestr(info, core_xml if name == "docProps/core.xml" else data, compresslevel=6)
    path.write_bytes(buf.getvalue())


def _write_sheet(dst: zipfile.ZipFile, info: zipfile.ZipInfo, saved: bytes, dimension: str, rows) -> None:
    """The sheet openpyxl saved, with its dimension and <sheetData> from the cell table, streamed."""
    text = saved.decode("utf-8")
    start = text.index("<sheetData")
    if "</sheetData>" in text:
        end = text.index("</sheetData>", start) + len("</sheetData>")
    else:  # <sheetData/>
        end = text.index("/>", start) + 2
    head = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', text[:start], count=1)
    info.compress_type = zipfile.ZIP_DEFLATED  # at zlib's default level, 6: as writestr(..., compresslevel=6)
    with dst.open(info, "w") as out:
        out.write(head.encode("utf-8"))
        for piece in rows():
            out.write(piece.encode("utf-8"))
        out.write(text[end:].encode("utf-8"))


def _apply(cell, style, quote: bool) -> None:
    """Give a cell a Style's font, alignment, border, fill and number format."""
    if quote:
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    cell.font = style.font
    cell.alignment = style.align
    if style.border is not None:
        cell.border = style.border
    if style.fill is not None:
        cell.fill = style.fill
    if style.fmt is not None:
        cell.number_format = style.fmt
