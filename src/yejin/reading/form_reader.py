"""Reading a filled-in form (`yejin workbook`) back: each input cell by its defined name, its value as
shown (never a formula), and the cell it came from, so every problem can point at 文件!工作表!单元格.

Values are handed on as a YAML file would hand them: numbers as numbers, text as text (line breaks
kept, surrounding spaces dropped), a number typed as text ("12", " 12 ") as that number; anything
else ("45家", "１２", "2022年7月28日") stays text, so the report's own rules say what is wrong with
it, with the same codes and hints as in a YAML file.  Only what a workbook can get wrong and a YAML
file cannot is said here: a phone number stored as a number (its leading 0 lost), a formula error,
a date with a time, a file that is no .xlsx or no form of this campaign.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from yejin.campaign import form_fields as ff
from yejin.campaign.wording import PHONE_PATTERN
from yejin.problems import Problem

if TYPE_CHECKING:
    from yejin.campaign.campaign import Campaign
    from yejin.campaign.models import Unit

MAX_FORM_BYTES = 20 * 1024 * 1024  # a form is ~30 KB; anything this big is not one
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an .xls / .et file, or an .xlsx encrypted with a password
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_PLAIN_NUMBER = re.compile(r"^[0-9]+(\.[0-9]+)?$")
_SPACES = " \t\r\n\u3000\u00a0"
_ERRORS = ("#VALUE!", "#REF!", "#NAME?", "#DIV/0!", "#N/A", "#NUM!", "#NULL!")
SAVE_AS_XLSX = "请用 Excel 或 WPS 打开，点“文件 → 另存为”，文件类型选“Excel 工作簿（*.xlsx）”，再导入"
NEW_FORM = "请用 yejin workbook 重新生成这个单位本月的填报表，把已填的内容复制过去"


@dataclass(frozen=True)
class CellRef:
    sheet: str
    coord: str  # F12
    row: int
    column: int
    label: str  # 措施5　执法检查重大危险源数

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.coord}"


@dataclass
class FilledForm:
    path: str  # as shown to users
    unit: Unit
    month: str
    fields: list[ff.FormField]
    values: dict[tuple, Any] = field(default_factory=dict)  # loc -> value; None: blank
    cells: dict[tuple, CellRef] = field(default_factory=dict)  # loc -> its cell

    def value(self, loc: tuple) -> Any:
        return self.values.get(tuple(loc))


def at(shown: str, cell: CellRef, code: str, message: str, hint: str = "") -> Problem:
    """A problem located at a cell: `太原.xlsx!月报!F12（措施5　…）`."""
    return Problem(shown, cell.row, cell.column, code, message, hint, cell=cell.where, label=cell.label)


def whole(shown: str, message: str, hint: str = "") -> Problem:
    return Problem(shown, 0, 0, "Y011", message, hint)


def read_form(path: Path, shown: str, campaign: Campaign) -> tuple[Optional[FilledForm], list[Problem]]:
    """The form's values and cells, or None and why the file cannot be read as a form."""
    refused = _refusal(path)
    if refused:
        return None, [whole(shown, *refused)]
    import warnings

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation extensions it drops
            # read-only: the cells as a stream, without openpyxl's merged-cell formatting (most of a second)
            wb = load_workbook(path, data_only=True, read_only=True)
    except Exception:  # a damaged package can fail in zipfile, lxml or openpyxl in many ways
        return None, [
            whole(shown, "文件已损坏，无法作为 xlsx 工作簿读取", "请重新保存或请对方重新发送；" + SAVE_AS_XLSX)
        ]
    try:
        return _read(wb, shown, campaign)
    finally:
        wb.close()


def _refusal(path: Path) -> Optional[tuple[str, str]]:
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
            cfb = head == _CFB and _ENCRYPTED in fh.read(1 << 20)
    except OSError as exc:
        return (f"无法读取文件（{exc.strerror or type(exc).__name__}）", "请检查文件是否存在以及是否有读取权限")
    if head == _CFB:
        if cfb:
            return (
                "工作簿设置了打开密码，yejin 无法读取",
                "请在 Excel 或 WPS 中取消打开密码（文件 → 信息 → 保护工作簿）后另存，再导入",
            )
        return ("这是旧版 Excel（.xls）或 WPS（.et）格式的文件，yejin 只读取 .xlsx", SAVE_AS_XLSX)
    if suffix in (".ods", ".xls", ".et", ".csv", ".xlsb"):
        return (f"yejin 只读取 .xlsx 工作簿，不读取 {suffix} 文件", SAVE_AS_XLSX)
    if size > MAX_FORM_BYTES:
        return (f"文件过大（{size:,}字节），不是 yejin 生成的填报表", NEW_FORM)
    if not zipfile.is_zipfile(path):
        return ("文件不是 xlsx 工作簿（或已损坏）", SAVE_AS_XLSX)
    return None


def _meta(wb: Any) -> dict[str, str]:
    if ff.META_SHEET not in wb.sheetnames:
        return {}
    ws = wb[ff.META_SHEET]
    out = {}
    for row in ws.iter_rows(min_row=1, max_row=len(ff.META_KEYS) + 5, max_col=2, values_only=True):
        if row and row[0] is not None:
            out[str(row[0])] = "" if row[1] is None else str(row[1])
    return out


def _read(wb: Any, shown: str, campaign: Campaign) -> tuple[Optional[FilledForm], list[Problem]]:
    meta = _meta(wb)
    if not meta:
        return None, [whole(shown, "这不是 yejin workbook 生成的填报表（没有找到表内的标记）", NEW_FORM)]
    if meta.get("campaign") != campaign.info.document_number:
        return None, [
            whole(
                shown,
                f"这份填报表是为另一项工作（{meta.get('campaign', '')}）制作的，不是 {campaign.info.document_number}",
                NEW_FORM,
            )
        ]
    unit = campaign.unit_by_id.get(meta.get("unit", ""))
    month = meta.get("month", "")
    month_ok = re.fullmatch(r"\d{4}-\d{2}", month) is not None and campaign.month_problem(month) is None
    if unit is None or not month_ok:
        return None, [whole(shown, "填报表中记录的单位或月份无法识别（表内标记被改动过）", NEW_FORM)]
    fields = ff.form_fields(campaign, unit)
    if meta.get("template") != ff.FORM_VERSION or meta.get("layout") != ff.layout_digest(fields):
        return None, [
            whole(
                shown,
                f"这份填报表（{unit.name}　{month}）是按另一版任务清单或模板制作的，与现在的任务清单不一致",
                NEW_FORM,
            )
        ]
    form = FilledForm(shown, unit, month, fields)
    problems: list[Problem] = []
    names = wb.defined_names
    grids: dict[str, dict[tuple[int, int], Any]] = {}
    for f in fields:
        cell_ref, value = _cell(wb, grids, names.get(f.name), f)
        if cell_ref is None:
            problems.append(whole(shown, f"填报表中找不到单元格 {f.name}（{f.label}），表格结构被改动过", NEW_FORM))
            continue
        form.cells[f.loc] = cell_ref
        converted, problem = convert(f, value)
        if problem:
            problems.append(at(shown, cell_ref, *problem))
        form.values[f.loc] = converted
    return form, problems


def _cell(wb: Any, grids: dict, name: Any, f: ff.FormField) -> tuple[Optional[CellRef], Any]:
    """The cell a defined name points at and its value; grids: each sheet's values, read once."""
    if name is None:
        return None, None
    try:
        (sheet, coord), *_ = name.destinations
        column, row = coordinate_from_string(coord.replace("$", ""))
    except (ValueError, TypeError):  # a range or a formula: not a form this version wrote
        return None, None
    if sheet not in grids:
        if sheet not in wb.sheetnames:
            return None, None
        grids[sheet] = {
            (cell.row, cell.column): cell.value
            for row_cells in wb[sheet].iter_rows()
            for cell in row_cells
            if getattr(cell, "value", None) is not None
        }
    col = column_index_from_string(column)
    return CellRef(sheet, f"{column}{row}", row, col, f.label), grids[sheet].get((row, col))


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("_x000D_", "")
    return text.strip(_SPACES)


def convert(f: ff.FormField, value: Any) -> tuple[Any, Optional[tuple[str, str, str]]]:
    """(the value as a report holds it, or a problem (code, message, hint) of the cell)."""
    if value is None or (isinstance(value, str) and not value.strip(_SPACES)):
        return None, None
    if isinstance(value, str) and value.strip() in _ERRORS:
        return value.strip(), ("Y103", f"单元格显示错误值 {value.strip()}", "请删去公式，直接输入数值或文字")
    if f.kind in (ff.COUNT, ff.AMOUNT):
        if isinstance(value, bool):
            return str(value), None
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat(), None
        if not isinstance(value, (int, float)):
            text = str(value).strip(_SPACES)
            if not _PLAIN_NUMBER.match(text):
                return text, None  # 45家, １２, 1,234: the report's rules name it, with their hint
            value = float(text)  # a number stored as text (Excel's green triangle)
        if f.kind == ff.AMOUNT:  # 万元: a file keeps 6.0 as 6; the report's amounts are decimals
            return float(value), None
        return (int(value) if isinstance(value, float) and value.is_integer() else value), None
    if f.kind == ff.DATE:
        if isinstance(value, dt.datetime):
            if value.time() != dt.time():
                return value, None  # the report's rule: 日期不要带时间
            return value.date(), None
        if isinstance(value, dt.date):
            return value, None
        if isinstance(value, (int, float)):
            return str(value), ("Y103", f"报送日期是数字{value}，不是日期", "请输入日期，写成2022-07-28")
        return _text(value), None
    if f.kind == ff.PHONE:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            digits = str(int(value)) if float(value).is_integer() else str(value)
            if PHONE_PATTERN.match(digits):  # a mobile number: nothing was lost
                return digits, None
            return digits, (
                "Y108",
                f"电话存成了数字{digits}，开头的0丢了",
                "请把单元格格式设为“文本”后重新输入，或在号码前加英文单引号：'0351-6819551",
            )
        return _text(value), None
    return _text(value), None
