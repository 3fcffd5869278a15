"""xlsx_style's shortcuts give what openpyxl itself would: same cells, same looks, same sizes."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

import pytest
from openpyxl import Workbook
from openpyxl.xml.functions import tostring

from yejin.outputs import xlsx as xlsx_style
from yejin.outputs.workbook import _Col, _shown, _widest
from yejin.outputs.xlsx import (CELL, GREEN, HEADER, LEFT, MUTED, NUM, NUMBER, THIN_TOP_MEDIUM, _Widths, fast_cells, merge,
                              normalize_xlsx, number_entry, number_ids, number_width, put, put_row, sheet_data,
                              text_entry, text_px)

def _save(wb: Workbook, path) -> None:
    if getattr(wb, "_yejin_fast_cells", False):
        sheets = sheet_data(wb)
        wb.save(path)
        normalize_xlsx(path, dt.datetime(2022, 7, 1), tostring(wb.properties.to_tree()), sheets)
    else:
        wb.save(path)


_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def _cells(path) -> dict:
    """Every cell as saved: value, type and its look resolved from styles.xml (fonts, fills, borders
    and number formats by content, not by index: the two writers may number them differently).

    Read from the XML itself: openpyxl's reader would redo the borders of merged cells on loading."""
    import zipfile
    from xml.etree import ElementTree as ET

    with zipfile.ZipFile(path) as z:
        sheet, styles = ET.fromstring(z.read("xl/worksheets/sheet1.xml")), ET.fromstring(z.read("xl/styles.xml"))

    def listed(tag):
        return [ET.tostring(e) for e in styles.find(f"m:{tag}", _NS) or []]

    fonts, fills, borders = listed("fonts"), listed("fills"), listed("borders")
    formats = {e.get("numFmtId"): e.get("formatCode") for e in styles.find("m:numFmts", _NS) or []}
    looks = []
    for xf in styles.find("m:cellXfs", _NS):
        align = xf.find("m:alignment", _NS)
        looks.append((fonts[int(xf.get("fontId"))], fills[int(xf.get("fillId"))], borders[int(xf.get("borderId"))],
                      formats.get(xf.get("numFmtId"), xf.get("numFmtId")), xf.get("quotePrefix"),
                      None if align is None else sorted(align.attrib.items())))
    cells = {}
    for c in sheet.iter(f"{{{_NS['m']}}}c"):
        text = "".join(c.itertext())
        cells[c.get("r")] = (c.get("t"), text, looks[int(c.get("s", 0))])
    merged = sorted(e.get("ref") for e in sheet.iter(f"{{{_NS['m']}}}mergeCell"))
    return cells | {"merged": merged}


def _same_as_openpyxl(tmp_path, build) -> dict:
    """Build the sheet twice, with yejin's cell table and through openpyxl's own cells; compare the saved files."""
    saved = []
    for fast in (True, False):
        wb = Workbook()
        if fast:
            fast_cells(wb)
        build(wb.active)
        path = tmp_path / f"{'fast' if fast else 'plain'}.xlsx"
        _save(wb, path)
        saved.append(_cells(path))
    assert saved[0] == saved[1]
    return saved[0]


@pytest.mark.parametrize("rows, cols", [(1, 2), (2, 1), (2, 2), (3, 3), (4, 7), (1, 40), (40, 1), (5, 5)])
def test_a_merged_block_gets_the_borders_openpyxl_gives_it(tmp_path, rows, cols):
    # openpyxl formats every edge cell of a merge itself; yejin formats a block of at most 3 x 3
    # and copies each kind of edge cell: the borders must come out the same on every cell
    style = CELL.but(border=THIN_TOP_MEDIUM, fill=GREEN)

    def build(ws):
        put(ws, 1, 1, "before", HEADER)
        merge(ws, 2, 2, 1 + rows, 1 + cols, "合并", style)
        put(ws, 2 + rows, 2 + cols, 7, CELL.but(font=NUM))

    cells = _same_as_openpyxl(tmp_path, build)
    assert cells["merged"] == [f"B2:{xlsx_style.get_column_letter(1 + cols)}{1 + rows}"]


def test_put_row_gives_each_cell_what_put_would(tmp_path):
    figure = CELL.but(font=NUM, align=NUMBER, fmt="#,##0")
    dash, slash = CELL.but(font=MUTED), CELL.but(font=NUM)

    def build(ws):
        put(ws, 1, 1, "单位", CELL.but(align=LEFT))
        ids = number_ids(ws, figure)
        put_row(ws, 1, {2: number_entry(12, ids), 3: number_entry(Decimal("2.5"), ids), 4: number_entry(None, ids),
                        5: text_entry(ws, "—", dash), 6: text_entry(ws, "/", slash), 7: text_entry(ws, "=1+1", dash)})
        put_row(ws, 2, {2: number_entry(-3, ids), 3: text_entry(ws, "—", dash)})

    cells = _same_as_openpyxl(tmp_path, build)
    assert cells["G1"][:2] == ("inlineStr", "=1+1")  # text, never a formula


def test_put_row_refuses_to_restyle_cells_silently():
    wb = Workbook()
    fast_cells(wb)
    ws = wb.active
    put(ws, 3, 2, 1)
    with pytest.raises(ValueError, match="row 3"):
        put_row(ws, 3, {2: number_entry(5, number_ids(ws, CELL))})


def test_the_blocks_counted_wide_at_once_are_wide_throughout():
    starts = [c for c in range(0x110000) if xlsx_style._COMMON_WIDE.fullmatch(chr(c))]
    assert starts, "pattern matches nothing"
    assert all(unicodedata.east_asian_width(chr(c)) in ("W", "F") for c in starts)


@pytest.mark.parametrize("text", ["", "abc 123", "按照部署，开展专项检查（共 12 家）。", "“三同时”—…①", "𠀀𠀁 汉字 😀",
                                  "全角ＡＢＣ１２３　空格"])
def test_text_px_is_the_sum_of_each_characters_width(text):
    table = _Widths(12)
    assert text_px(text, 12) == pytest.approx(sum(table[ch] for ch in text), abs=1e-9)


def _col(kind: str, part: str = "累计") -> _Col:
    class Indicator:  # only what _column_values and _column_format read
        def __init__(self, kind):
            self.kind = kind

    class Measure:
        pass

    return _Col(4, Measure(), Indicator(kind), part)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind, values", [
    ("count", [0, 7, 1234567, -12, None]),
    ("count", [None, None]),
    ("amount", [9.995, 10.0, -0.004, 12345.5, None]),
    ("amount", [0.5, 99.999]),
    ("rate", [0.5, "/", 1.0, 0.999, None]),
    ("rate", ["/", "/"]),
])
def test_the_widest_figure_is_found_from_two(kind, values):
    from yejin.outputs.workbook import _column_format

    fmt = _column_format(_col(kind))
    every = max(number_width(_shown(v, None if v == "/" else fmt)) for v in values)
    assert _widest(values, fmt) == every
