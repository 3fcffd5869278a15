"""xlsx.py's cell table gives what openpyxl itself writes: same cells, same looks, same sizes, same print
setup; compared cell by cell, for small sheets and for the real export of the shipped data."""

from __future__ import annotations

import datetime as dt
import html
import shutil
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Border, Font
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import tostring

from conftest import SHIPPED_DATA, TESTS
from yejin.checking.dataset import load_dataset
from yejin.outputs import workbook
from yejin.outputs.workbook import shown_figure, widest_figure
from yejin.outputs.xlsx import (
    AMOUNT_FMT,
    CELL,
    COUNT_FMT,
    GREEN,
    HEADER,
    LEFT,
    MUTED,
    NUM,
    NUMBER,
    PERCENT_FMT,
    THIN_TOP_MEDIUM,
    fast_cells,
    merge,
    number_entry,
    number_ids,
    number_width,
    put,
    put_row,
    save,
    set_height,
    set_widths,
    setup_print,
    text_entry,
    text_px,
)
from yejin.picture.aggregate import build_picture

FIXTURE = TESTS / "fixtures" / "export"
WHEN = dt.datetime(2022, 7, 1)


# --- what a saved workbook holds, read back with openpyxl ----------------------------------------


def _xml(part) -> str | None:
    tree = part.to_tree()
    return None if tree is None else tostring(tree).decode()


def workbook_facts(path: Path) -> dict:
    """Everything a reader of the file sees, by sheet: each cell's value, type and look (its font, fill,
    border, alignment, number format, protection and quote prefix), the merged ranges, row heights,
    column widths and print settings.

    Cells are read in openpyxl's read-only mode, which takes each cell's look as written: a normal
    load would redo the borders of merged cells from their top-left cell, hiding a wrong one.
    """
    facts: dict = {}
    book = load_workbook(path, read_only=True)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None and not getattr(cell, "has_style", False):  # (not in the file)
                    continue
                facts[ws.title, cell.coordinate] = {
                    "value": cell.value,
                    "type": cell.data_type,
                    "font": repr(cell.font),
                    "fill": repr(cell.fill),
                    "border": repr(cell.border),
                    "alignment": repr(cell.alignment),
                    "format": cell.number_format,
                    "protection": repr(cell.protection),
                    "quote prefix": cell.style_array.quotePrefix,
                }
    book.close()
    book = load_workbook(path)
    facts["", "sheets"] = book.sheetnames
    facts["", "properties"] = _xml(book.properties)
    for ws in book.worksheets:
        facts[ws.title, "merged"] = sorted(str(r) for r in ws.merged_cells.ranges)
        facts[ws.title, "row heights"] = {r: (d.height, d.customHeight) for r, d in ws.row_dimensions.items()}
        facts[ws.title, "column widths"] = {
            k: (d.min, d.max, d.width, d.customWidth) for k, d in ws.column_dimensions.items()
        }
        facts[ws.title, "print"] = {
            "page setup": _xml(ws.page_setup),
            "options": _xml(ws.print_options),
            "margins": _xml(ws.page_margins),
            "header and footer": _xml(ws.HeaderFooter),
            "sheet properties": _xml(ws.sheet_properties),
            "title rows": ws.print_title_rows,
            "title columns": ws.print_title_cols,
            "area": ws.print_area,
            "row breaks": _xml(ws.row_breaks),
            "column breaks": _xml(ws.col_breaks),
        }
        facts[ws.title, "view"] = (ws.freeze_panes, _xml(ws.views), _xml(ws.sheet_format), ws.dimensions)
    return facts


def differing(mine: dict, theirs: dict) -> list:
    return sorted((k for k in mine.keys() | theirs.keys() if mine.get(k) != theirs.get(k)), key=str)


def assert_same_facts(mine: dict, theirs: dict) -> None:
    """mine (from the cell table) and theirs (from openpyxl's cells) the same; else the first differences."""
    differ = differing(mine, theirs)
    shown = []
    for key in differ[:5]:
        a, b = mine.get(key), theirs.get(key)
        if isinstance(a, dict) and isinstance(b, dict):  # a cell, or the print settings: the parts that differ
            a, b = (
                {part: side.get(part) for part in a.keys() | b.keys() if a.get(part) != b.get(part)} for side in (a, b)
            )
        shown.append(f"{key}:\n  table:    {str(a)[:600]}\n  openpyxl: {str(b)[:600]}")
    assert not differ, f"{len(differ)} of {len(mine)} differ, the first:\n" + "\n".join(shown)


def _same_as_openpyxl(tmp_path, build) -> dict:
    """Build the sheet twice, with xlsx.py's cell table and through openpyxl's own cells; compare the saved files."""
    saved = [_saved(tmp_path / f"{'fast' if fast else 'plain'}.xlsx", fast, build) for fast in (True, False)]
    assert_same_facts(*saved)
    return saved[0]


def _saved(path: Path, fast: bool, build) -> dict:
    wb = Workbook()
    wb.properties.created = WHEN  # (not the clock's time)
    if fast:
        fast_cells(wb)
    build(wb.active)
    save(wb, path, WHEN)
    return workbook_facts(path)


# --- the real export ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def months(tmp_path_factory):
    """Months to export: the shipped data's June, the export fixture's June (text like “=1+1”, two
    months of one unit, a late report) and its April (nobody reported yet).  Each data folder is
    read from a copy: whatever loading leaves beside the data stays out of the repository."""
    loaded = {}
    for name, folder in (("shipped", SHIPPED_DATA), ("fixture", FIXTURE)):
        copy = tmp_path_factory.mktemp(name) / "data"
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".*"))
        loaded[name] = load_dataset(copy)
    return {
        "shipped 2022-06": (loaded["shipped"], "2022-06", None),
        "fixture 2022-06": (loaded["fixture"], "2022-06", None),
        "fixture 2022-04": (loaded["fixture"], "2022-04", dt.date(2022, 4, 20)),
    }


def _export_both(months, which: str, folder: Path) -> tuple[Path, Path]:
    """The month exported as `yejin export` does (cell table), and built through openpyxl's own cells."""
    data, month, as_of = months[which]
    picture = build_picture(data, month, as_of)
    fast = workbook.export_workbook(data, picture, folder / "fast.xlsx").path
    wb, _ = workbook.build_workbook(data, picture, fast=False)
    plain = folder / "plain.xlsx"
    save(wb, plain, dt.datetime.combine(picture.as_of, dt.time()))
    return fast, plain


@pytest.mark.parametrize("which", ["shipped 2022-06", "fixture 2022-06", "fixture 2022-04"])
def test_the_export_is_the_workbook_openpyxl_writes_cell_by_cell(months, tmp_path, which):
    fast, plain = _export_both(months, which, tmp_path)
    mine, theirs = workbook_facts(fast), workbook_facts(plain)
    assert sum(1 for key in mine if key[1][-1].isdigit()) > 2000  # cells read: (sheet, "A1") …
    assert_same_facts(mine, theirs)


@pytest.mark.parametrize("which", ["shipped 2022-06", "fixture 2022-06"])
def test_the_export_is_the_package_openpyxl_writes(months, tmp_path, which):
    """Beyond what a reader sees: the same parts, the sheets' XML the same text (openpyxl writes CJK as
    character references, the table as UTF-8), and styles.xml the same cell formats (the 统计表 works
    out its figure styles column by column before its rows, so fonts may be numbered otherwise)."""
    fast, plain = _export_both(months, which, tmp_path)
    with zipfile.ZipFile(fast) as a, zipfile.ZipFile(plain) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            mine, theirs = a.read(name), b.read(name)
            if name.startswith("xl/worksheets/sheet"):
                mine, theirs = html.unescape(mine.decode("utf-8")), html.unescape(theirs.decode("ascii"))
            if name == "xl/styles.xml":
                mine, theirs = _cell_looks(mine), _cell_looks(theirs)
            assert mine == theirs, name


def _cell_looks(styles_xml: bytes) -> list[tuple]:
    """styles.xml's cell formats (the s="N" of the sheets) with the fonts, fills, borders and number
    formats they point to written out: the same looks, whatever order those lists are in."""
    from xml.etree import ElementTree as ET

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    root = ET.fromstring(styles_xml)

    def listed(tag: str) -> list[bytes]:
        found = root.find(f"m:{tag}", ns)
        return [ET.tostring(e) for e in (found if found is not None else [])]

    fonts, fills, borders = listed("fonts"), listed("fills"), listed("borders")
    found = root.find("m:numFmts", ns)
    formats = {e.get("numFmtId"): e.get("formatCode") for e in (found if found is not None else [])}
    looks = []
    for xf in root.find("m:cellXfs", ns):
        attrs = {k: v for k, v in xf.attrib.items() if k not in ("fontId", "fillId", "borderId", "numFmtId")}
        looks.append(
            (
                fonts[int(xf.get("fontId", 0))],
                fills[int(xf.get("fillId", 0))],
                borders[int(xf.get("borderId", 0))],
                formats.get(xf.get("numFmtId"), xf.get("numFmtId")),
                sorted(attrs.items()),
                [ET.tostring(child) for child in xf],
            )
        )
    return looks


def _small_sheet(ws) -> None:
    """A bit of everything the comparison looks at."""
    put(ws, 1, 1, "单位", HEADER)
    put(ws, 1, 2, "=1+1", CELL.but(align=LEFT))
    put(ws, 2, 1, 12.5, CELL.but(font=NUM, align=NUMBER, fmt="#,##0.00"))
    merge(ws, 3, 1, 4, 3, "合并", CELL.but(border=THIN_TOP_MEDIUM, fill=GREEN))
    set_height(ws, 3, 30)
    set_widths(ws, {1: 12.0, 2: 30.0})
    setup_print(ws, "1:1", freeze="A2")


@pytest.mark.parametrize(
    "change, seen_at",
    [
        ("a value", "A2"),
        ("a font", "A1"),
        ("a number format", "A2"),
        ("a quote prefix", "B1"),
        ("the border of a merged cell", "B4"),
        ("a row height", "row heights"),
        ("a column width", "column widths"),
        ("a merged range", "merged"),
        ("a print setting", "print"),
    ],
)
def test_the_comparison_sees_every_kind_of_difference(tmp_path, change, seen_at):
    """Each kind of difference, made on openpyxl's side, fails the comparison (the border of a merged
    cell too: openpyxl's normal loading would redo it from the top-left cell and hide it)."""

    def changed(ws):
        _small_sheet(ws)
        if change == "a value":
            ws["A2"].value = 12.25
        elif change == "a font":
            ws["A1"].font = Font(name="黑体", size=10.5, charset=134, bold=True)
        elif change == "a number format":
            ws["A2"].number_format = "0.0"
        elif change == "a quote prefix":
            ws["B1"].quotePrefix = False
        elif change == "the border of a merged cell":
            ws["B4"].border = Border()
        elif change == "a row height":
            ws.row_dimensions[3].height = 31
        elif change == "a column width":
            ws.column_dimensions["B"].width = 31
        elif change == "a merged range":
            ws.merge_cells("A6:B6")
        elif change == "a print setting":
            ws.page_margins.left = 0.5

    assert_same_facts(_saved(tmp_path / "a.xlsx", True, _small_sheet), _saved(tmp_path / "b.xlsx", False, _small_sheet))
    mine, theirs = _saved(tmp_path / "fast.xlsx", True, _small_sheet), _saved(tmp_path / "plain.xlsx", False, changed)
    assert ("Sheet", seen_at) in differing(mine, theirs)


def test_heights_set_through_openpyxl_on_a_fast_sheet_are_kept(tmp_path):
    def build(ws):
        _small_sheet(ws)
        ws.row_dimensions[7].height = 40  # not through set_height

    facts = _same_as_openpyxl(tmp_path, build)
    assert facts["Sheet", "row heights"][7] == (40.0, True)
    assert facts["Sheet", "row heights"][3] == (30.0, True)


# --- small sheets --------------------------------------------------------------------------------


@pytest.mark.parametrize("rows, cols", [(1, 2), (2, 1), (2, 2), (3, 3), (4, 7), (1, 40), (40, 1), (5, 5)])
def test_a_merged_block_gets_the_borders_openpyxl_gives_it(tmp_path, rows, cols):
    # openpyxl gives the cells on a merged block's edges the top-left cell's borders on those edges;
    # a fast sheet's block goes through openpyxl's merge and back into the table: the same on every cell
    style = CELL.but(border=THIN_TOP_MEDIUM, fill=GREEN)

    def build(ws):
        put(ws, 1, 1, "before", HEADER)
        merge(ws, 2, 2, 1 + rows, 1 + cols, "合并", style)
        put(ws, 2 + rows, 2 + cols, 7, CELL.but(font=NUM))

    cells = _same_as_openpyxl(tmp_path, build)
    assert cells["Sheet", "merged"] == [f"B2:{get_column_letter(1 + cols)}{1 + rows}"]


def test_put_row_gives_each_cell_what_put_would(tmp_path):
    figure = CELL.but(font=NUM, align=NUMBER, fmt="#,##0")
    dash, slash = CELL.but(font=MUTED), CELL.but(font=NUM)

    def build(ws):
        put(ws, 1, 1, "单位", CELL.but(align=LEFT))
        ids = number_ids(ws, figure)
        put_row(
            ws,
            1,
            {
                2: number_entry(12, ids),
                3: number_entry(Decimal("2.5"), ids),
                4: number_entry(None, ids),
                5: text_entry(ws, "—", dash),
                6: text_entry(ws, "/", slash),
                7: text_entry(ws, "=1+1", dash),
            },
        )
        put_row(ws, 2, {2: number_entry(-3, ids), 3: text_entry(ws, "—", dash)})

    cells = _same_as_openpyxl(tmp_path, build)
    assert (cells["Sheet", "G1"]["value"], cells["Sheet", "G1"]["type"]) == ("=1+1", "s")  # text, never a formula


def test_put_row_refuses_to_restyle_cells_silently():
    wb = Workbook()
    fast_cells(wb)
    ws = wb.active
    put(ws, 3, 2, 1)
    with pytest.raises(ValueError, match="row 3"):
        put_row(ws, 3, {2: number_entry(5, number_ids(ws, CELL))})


def _width(ch: str, size: float) -> float:
    """What text_px counts for one character: a full em if it is East Asian wide, else 0.55 em."""
    em = size * 96 / 72
    return em if unicodedata.east_asian_width(ch) in ("W", "F") else em * 0.55


def test_text_px_counts_every_character_as_unicodedata_says():
    """text_px counts the usual CJK blocks at once and the rest one by one: every code point, in blocks of
    4,096, comes to the sum of the widths unicodedata gives (one counted wide wrongly adds 0.45 em)."""
    for start in range(0, 0x110000, 4096):
        text = "".join(map(chr, range(start, start + 4096)))
        assert text_px(text, 12) == pytest.approx(sum(_width(ch, 12) for ch in text), abs=0.01), hex(start)


@pytest.mark.parametrize(
    "text",
    ["", "abc 123", "按照部署，开展专项检查（共 12 家）。", "“三同时”—…①", "𠀀𠀁 汉字 😀", "全角ＡＢＣ１２３　空格"],
)
def test_text_px_is_the_sum_of_each_characters_width(text):
    assert text_px(text, 12) == pytest.approx(sum(_width(ch, 12) for ch in text), abs=1e-9)


@pytest.mark.parametrize(
    "fmt, values",
    [
        (COUNT_FMT, [0, 7, 1234567, -12, None]),
        (COUNT_FMT, [None, None]),
        (AMOUNT_FMT, [9.995, 10.0, -0.004, 12345.5, None]),
        (AMOUNT_FMT, [0.5, 99.999]),
        (PERCENT_FMT, [0.5, "/", 1.0, 0.999, None]),
        (PERCENT_FMT, ["/", "/"]),
    ],
)
def test_the_widest_figure_is_found_from_two(fmt, values):
    """A 统计表 column's width comes from its largest and smallest figure, not from formatting every one."""
    every = max(number_width(shown_figure(v, None if v == "/" else fmt)) for v in values)
    assert widest_figure(values, fmt) == every
