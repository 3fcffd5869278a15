"""`yejin export`: the 附件2 workbook, read back with openpyxl.

Fixture tests/fixtures/export: the real tasks.yaml and hand-written reports —
太原 May + June (本月 = June − May; a 0/0 rate), 大同 June only (first report, 3 days late),
省厅 June; the other nine cities have not reported.  Exported as of 2022-07-05 (AS_OF), when
大同's report of 07-03 is in (issue 14: a report counts once submitted by the as-of date).
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from typer.testing import CliRunner

from conftest import TESTS
from hardening_helpers import native
from yejin.cli import app
from yejin.outputs.files import TargetExists, write_atomic

FIXTURE = TESTS / "fixtures" / "export"
DEFAULT_NAME = "冶金制造专项整治三年行动2022年重点工作进展情况统计表（2022年6月）.xlsx"
GREEN, YELLOW, RED, GREY, CARRIED = "C6EFCE", "FFEB9C", "FFC7CE", "D9D9D9", "DDEBF7"
AS_OF = "2022-07-05"


# --- helpers -----------------------------------------------------------------------------------


def copy_fixture(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    return data


def run(data: Path, *args: str):
    result = CliRunner(env={"YEJIN_DATA": None, "GITHUB_ACTIONS": None}).invoke(app, ["--data", str(data), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def export(tmp_path: Path, data: Path | None = None, name: str = "out.xlsx", *extra: str):
    data = data or FIXTURE
    out = tmp_path / name
    result = run(data, "export", "--month", "2022-06", "--as-of", AS_OF, "-o", str(out), *extra)
    assert result.exit_code == 0, result.output
    return out, load_workbook(out)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return export(tmp_path_factory.mktemp("book"))[1]


def shown(ws, row: int, col: int):
    """A cell's value, or its merged block's value."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return ws.cell(rng.min_row, rng.min_col).value
    return ws.cell(row, col).value


def column(ws, measure: int, indicator: str, part: str) -> int:
    """统计表 column of (措施 number, indicator name, 本月/累计), found through the header rows."""
    for col in range(4, ws.max_column + 1):
        label, name = shown(ws, 5, col) or "", (shown(ws, 6, col) or "").replace("\n", "")
        if label.startswith(f"{measure}. ") and name.startswith(indicator + "（") and ws.cell(7, col).value == part:
            return col
    raise AssertionError(f"no column for 措施 {measure} {indicator} {part}")


def row_of(ws, name, col: int = 2, unit: str | None = None) -> int:
    """The first row with `name` in column col (and, given, the unit in column A)."""
    for row in range(1, ws.max_row + 1):
        if ws.cell(row, col).value == name and (unit is None or ws.cell(row, 1).value == unit):
            return row
    raise AssertionError(f"no row for {name}")


def fill(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:] if cell.fill and cell.fill.fill_type else ""


def tmp_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".tmp")]


# --- the statistics table ----------------------------------------------------------------------


def test_sheets_in_order(book):
    assert book.sheetnames == ["统计表", "任务进展", "进展情况", "典型案例", "报送情况", "图表"]


def test_totals_row(book):
    ws = book["统计表"]
    total = row_of(ws, "合计")
    assert total == 8 + 12  # header rows 1–7, then the 12 units in the official order
    assert ws.cell(total, 3).value == "设区市已报2/11"  # issue 14: the department is not counted among the cities
    assert ws.cell(total, column(ws, 1, "督促检查企业数", "累计")).value == 24  # 15 + 8 + 1
    assert ws.cell(total, column(ws, 1, "督促检查企业数", "本月")).value == 14  # (15 − 10) + 8 + 1
    rate = ws.cell(total, column(ws, 1, "整改率", "累计"))
    assert rate.value == pytest.approx(5 / 6) and rate.number_format == "0.0%"  # (0+3+2)/(0+4+2), not an average
    fines = ws.cell(total, column(ws, 5, "罚款", "累计"))
    assert fines.value == pytest.approx(2.75) and fines.number_format == "#,##0.00"
    assert ws.cell(total, column(ws, 5, "罚款", "本月")).value == pytest.approx(1.25)  # 0.75 + 0.5
    assert ws.cell(total, column(ws, 6, "列入清单企业数", "累计")).value == 27


def test_unit_cells(book):
    ws = book["统计表"]
    assert [ws.cell(r, 2).value for r in range(8, 11)] == ["山西省应急管理厅", "太原市", "大同市"]
    taiyuan, datong, shuozhou, province = (row_of(ws, n) for n in ("太原市", "大同市", "朔州市", "山西省应急管理厅"))
    col = column(ws, 1, "督促检查企业数", "本月")
    assert (ws.cell(taiyuan, col).value, ws.cell(taiyuan, col + 1).value) == (5, 15)  # June 15 − May 10
    assert (ws.cell(datong, col).value, ws.cell(datong, col + 1).value) == (8, 8)  # first report: 本月 = 累计
    assert ws.cell(taiyuan, column(ws, 5, "罚款", "本月")).value == pytest.approx(0.75)
    assert ws.cell(taiyuan, column(ws, 1, "整改率", "累计")).value == "/"  # 0 of 0
    assert ws.cell(datong, column(ws, 1, "整改率", "累计")).value == pytest.approx(0.75)
    # not reported: blank, never 0; not this unit's measure: “—”
    assert ws.cell(shuozhou, 3).value == "未报·尚无报告"  # issue 14: nothing to carry, says so
    assert ws.cell(shuozhou, col).value is None and ws.cell(shuozhou, col + 1).value is None
    assert ws.cell(province, column(ws, 6, "列入清单企业数", "累计")).value == "—"
    assert ws.cell(datong, 3).value == "迟报3天"
    # reported, but no figure for this indicator: blank
    assert ws.cell(province, column(ws, 5, "罚款", "累计")).value is None


def test_header_and_title(book):
    ws = book["统计表"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A4:A7", "B4:B7", "C4:C7"} <= merged
    assert ws["D1"].value == "冶金制造专项整治三年行动2022年重点工作进展情况统计表"
    assert ws["D2"].value == "（数据截至 2022 年 6 月 30 日）"
    assert ws["A3"].value == "填报单位：山西省应急管理厅" and "A3:C3" in merged
    first = column(ws, 1, "督促检查企业数", "本月")
    assert first == 4
    assert shown(ws, 4, first).startswith("任务1") and shown(ws, 5, first) == "1. 危险作业管理制度"
    task1_last = column(ws, 2, "行政处罚", "累计")
    assert f"D4:{get_column_letter(task1_last)}4" in merged  # 任务1 over its 13 columns
    assert "D6:E6" in merged and shown(ws, 6, 4).replace("\n", "") == "督促检查企业数（家）"
    rate = column(ws, 1, "整改率", "累计")
    assert shown(ws, 6, rate).replace("\n", "") == "整改率（%）" and ws.cell(7, rate).value == "累计"
    assert [ws.cell(7, c).value for c in (4, 5)] == ["本月", "累计"]


def test_notes_under_the_table(book):
    ws = book["统计表"]
    texts = [ws.cell(r, 4).value or "" for r in range(row_of(ws, "合计") + 1, ws.max_row + 1)]
    joined = "\n".join(texts)
    assert "填报说明：" in texts
    assert "截至当月底的全年累计数" in joined and "此前最近一次报告的该项累计数" in joined
    assert "数据截至 2022 年 6 月 30 日（完成时限、序时进度按此日计算）；报送情况统计至 2022 年 7 月 5 日" in joined
    assert "本年度尚无报告的单位空白（不按 0 计），不计入合计" in joined
    assert "只合计同时填报了分子和分母的单位" in joined
    assert "未报单位：朔州市、忻州市" in joined and "迟报：大同市（迟报 3 天）" in joined
    assert "由合计的分子、分母计算" in joined and "“/”" in joined
    assert any(t.startswith("单位负责人：") and "填表人：" in t and "联系电话：" in t for t in texts)
    assert "示例数据" not in joined  # the fixture is not marked sample_data


def test_print_settings(book):
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert ws.print_title_rows, ws.title
    for name in ("任务进展", "进展情况", "典型案例", "报送情况", "图表"):
        ws = book[name]
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    ws = book["统计表"]  # too wide for one page: pages by task, 序号/单位/报送情况 on each
    assert ws.print_title_rows == "$1:$7" and ws.print_title_cols == "$A:$C"
    assert ws.freeze_panes == "D8"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is False
    assert 70 <= ws.page_setup.scale <= 100
    breaks = [b.id for b in ws.col_breaks.brk]
    assert breaks and breaks == sorted(breaks)
    assert all(ws.cell(1, b + 1).value.endswith("（续）") for b in breaks)  # each page has its title
    assert book["任务进展"].print_title_rows == "$1:$3"


# --- the other sheets ---------------------------------------------------------------------------


def test_status_matrix(book):
    ws = book["任务进展"]
    header = [ws.cell(3, c).value for c in range(1, ws.max_column + 1)]
    col = {name: header.index(name) + 1 for name in ("省厅", "太原", "大同", "朔州", "完成时限")}
    m5, m6 = row_of(ws, 5, 1), row_of(ws, 6, 1)
    assert ws.cell(m6, col["太原"]).value == "已完成" and fill(ws.cell(m6, col["太原"])) == GREEN
    assert ws.cell(m6, col["大同"]).value == "推进中" and fill(ws.cell(m6, col["大同"])) == YELLOW
    assert ws.cell(m5, col["大同"]).value == "未启动" and fill(ws.cell(m5, col["大同"])) == RED
    assert ws.cell(m5, col["朔州"]).value == "未报" and fill(ws.cell(m5, col["朔州"])) == GREY
    assert ws.cell(m6, col["省厅"]).value == "—"  # 市、县 measure
    deadline = ws.cell(m6, col["完成时限"])  # 2022 年 3 月底前, not done everywhere
    assert "逾期 91 天" in deadline.value and fill(deadline) == RED
    assert "逾期" not in ws.cell(m5, col["完成时限"]).value
    assert any(ws.cell(r, c).value == "图例：" for r in range(1, ws.max_row + 1) for c in (1,))


def test_narratives(book):
    ws = book["进展情况"]
    rows = [[ws.cell(r, c).value for c in range(1, 5)] for r in range(4, ws.max_row + 1)]
    assert ["太原市", "存在问题", None, "个别企业整改不到位。"] in rows
    assert ["朔州市", "—", "未报", "本月未报送。本年度尚无报告。"] in rows
    assert ["大同市", "5. 重大危险源执法检查", "未启动", "（未填写）"] in rows
    for r in range(4, ws.max_row + 1):  # wrapped text gets room: taller rows for longer text
        if ws.cell(r, 4).value and len(ws.cell(r, 4).value) > 80:
            assert ws.row_dimensions[r].height >= 30


def test_cases(book):
    ws = book["典型案例"]
    assert [ws.cell(3, c).value for c in range(1, 7)] == ["序号", "单位", "措施", "案例标题", "企业名称", "案情简介"]
    assert [ws.cell(4, c).value for c in range(1, 6)] == [
        1,
        "太原市",
        7,
        "某铝业公司未设置报警仪案",
        "太原某铝业有限公司",
    ]
    assert ws.cell(4, 6).value == '=HYPERLINK("http://example.com")' and ws.cell(4, 6).data_type == "s"
    assert ws.cell(5, 1).value is None


def test_submissions_sheet(book):
    ws = book["报送情况"]
    datong = row_of(ws, "大同市")
    values = [ws.cell(datong, c).value for c in range(1, 12)]
    assert values[4:] == ["迟报 3 天", 3, "本月报告", "丙", "0352-3333333", "丁", "13933333333"]
    assert values[2].date().isoformat() == "2022-06-30" and values[3].date().isoformat() == "2022-07-03"
    assert [ws.cell(row_of(ws, "朔州市"), c).value for c in (5, 7)] == ["未报", "尚无报告"]
    # issue 14: the 11 cities numbered and counted; the department in its own row below, out of the counts
    assert [ws.cell(r, 1).value for r in range(4, 15)] == list(range(1, 12))
    assert any(
        "合计（设区市 11 个）：按时 1 个，迟报 1 个，未报 9 个" in str(ws.cell(r, 1).value) for r in range(1, 40)
    )
    province = row_of(ws, "山西省应急管理厅")
    assert province > row_of(ws, "运城市") and ws.cell(province, 1).value == "省厅"
    assert ws["A2"].value == "（2022年6月，数据截至 2022 年 6 月 30 日，报送情况统计至 2022 年 7 月 5 日）"


def test_charts_sheet(book):
    ws = book["图表"]
    assert len(ws._charts) == 2
    taiyuan = row_of(ws, "太原市", 1)
    assert [ws.cell(taiyuan, c).value for c in (2, 3)] == [15, 1]  # measures reported, done (措施 6)
    assert ws.cell(taiyuan, 4).value == pytest.approx(1 / 15)
    sources = row_of(ws, "5. 执法检查重大危险源数", 1)
    assert ws.cell(sources, 2).value == 80 and ws.cell(sources, 3).value == 8  # 5 + 2 + 1
    assert ws.cell(sources, 4).value == pytest.approx(0.1)


# --- safety -------------------------------------------------------------------------------------


def test_report_text_is_never_a_formula(book, tmp_path):
    ws = book["进展情况"]
    cell = ws.cell(row_of(ws, "1. 危险作业管理制度", 2, unit="太原市"), 4)
    assert cell.value == "=1+1" and cell.data_type == "s"
    for text in ("-执法检查 5 个重大危险源。", "@专项执法进行中。", "+继续督促整改"):
        found = [c for row in ws.iter_rows() for c in row if c.value == text]
        assert found and all(c.data_type == "s" for c in found), text
    out, _ = export(tmp_path)
    with zipfile.ZipFile(out) as z:  # no <f> (formula) element anywhere
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in xml or b"<f " in xml for xml in sheets)


def test_control_characters_stripped_and_noted(tmp_path):
    """validate refuses control characters (Y111); the workbook still strips any that got past it."""
    from yejin.checking.dataset import load_dataset
    from yejin.outputs.workbook import export_workbook
    from yejin.picture.aggregate import build_picture

    loaded = load_dataset(FIXTURE, cache=False)
    (june,) = [r for r in loaded.reports if r.path.endswith("taiyuan/2022-06.yaml")]
    assert june.report.problems == "个别企业整改不到位。"
    june.report = june.report.model_copy(update={"problems": "个别企业\x0b整改\0不到位。"})  # not validated
    out = tmp_path / "out.xlsx"
    result = export_workbook(loaded, build_picture(loaded, "2022-06"), out)
    assert any("控制字符" in note and "太原市 存在问题" in note for note in result.notes), result.notes
    wb = load_workbook(out)
    ws = wb["进展情况"]
    assert ws.cell(row_of(ws, "存在问题", 2, unit="太原市"), 4).value == "个别企业整改不到位。"
    notes = " ".join(str(c.value) for row in wb["统计表"].iter_rows(min_row=21) for c in row if c.value)
    assert "控制字符，已删除：太原市 存在问题" in notes


def test_long_text_is_cut_visibly(tmp_path):
    data = copy_fixture(tmp_path)
    report = data / "reports" / "datong" / "2022-06.yaml"
    report.write_text(
        report.read_text(encoding="utf-8").replace('progress: "督促检查 8 家企业。"', f'progress: "{"检" * 40000}"'),
        encoding="utf-8",
    )
    out, wb = export(tmp_path, data)
    ws = wb["进展情况"]
    cell = ws.cell(row_of(ws, "1. 危险作业管理制度", 2, unit="大同市"), 4)
    assert len(cell.value) == 32767 and cell.value.endswith("（已截断）")
    notes = " ".join(str(c.value) for row in wb["统计表"].iter_rows(min_row=21) for c in row if c.value)
    assert "已截断" in notes and "大同市 措施 1 进展情况" in notes


# --- files ----------------------------------------------------------------------------------------


def test_default_name_in_current_folder_and_path_printed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(FIXTURE, "export")  # month: the latest reported, 2022-06
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == DEFAULT_NAME
    assert (tmp_path / DEFAULT_NAME).is_file()
    assert not tmp_files(tmp_path)


def test_output_folder_gets_the_default_name(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    result = run(FIXTURE, "export", "--month", "2022-06", "-o", str(folder))
    assert result.exit_code == 0 and (folder / DEFAULT_NAME).is_file()


def test_refuses_to_overwrite(tmp_path):
    out = tmp_path / "table.xlsx"
    out.write_bytes(b"keep me")
    result = run(FIXTURE, "export", "--month", "2022-06", "-o", str(out))
    assert result.exit_code == 1
    assert "已存在" in result.output and "--force" in result.output
    assert out.read_bytes() == b"keep me" and not tmp_files(tmp_path)
    result = run(FIXTURE, "export", "--month", "2022-06", "-o", str(out), "--force")
    assert result.exit_code == 0 and zipfile.is_zipfile(out)


def test_failure_midway_keeps_the_old_file(tmp_path, monkeypatch):
    out = tmp_path / "table.xlsx"
    out.write_bytes(b"last month's workbook")

    def broken_save(self, filename):
        Path(filename).write_bytes(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device", str(filename))

    monkeypatch.setattr(Workbook, "save", broken_save)
    result = run(FIXTURE, "export", "--month", "2022-06", "-o", str(out), "--force")
    assert result.exit_code == 1 and "磁盘空间不足" in result.output
    assert out.read_bytes() == b"last month's workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.xlsx"]


def test_two_exports_are_byte_identical(tmp_path):
    first, _ = export(tmp_path, None, "a.xlsx")
    second, _ = export(tmp_path, None, "b.xlsx")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert {i.date_time for i in z.infolist()} == {(2022, 7, 5, 0, 0, 0)}  # the as-of date
        assert z.namelist()[0] == "[Content_Types].xml"
        assert b"2022-07-05T00:00:00Z" in z.read("docProps/core.xml")


def test_as_of_and_a_month_nobody_reported(tmp_path):
    out = tmp_path / "april.xlsx"
    result = run(FIXTURE, "export", "--month", "2022-04", "--as-of", "2022-04-20", "-o", str(out))
    assert result.exit_code == 0, result.output
    ws = load_workbook(out)["统计表"]
    assert ws["D2"].value == "（数据截至 2022 年 4 月 30 日）"  # issue 14: the data stand at the month's end
    total = row_of(ws, "合计")
    assert ws.cell(total, 3).value == "设区市已报0/11"
    assert all(ws.cell(total, c).value is None for c in range(4, ws.max_column + 1))  # blank, not 0
    assert ws.cell(8, 3).value == "未到报送日·尚无报告"
    with zipfile.ZipFile(out) as z:
        assert {i.date_time for i in z.infolist()} == {(2022, 4, 20, 0, 0, 0)}


def test_invalid_data_is_left_out_and_named_and_strict_refuses(tmp_path):
    """issue 14: a broken report no longer stops the export; it is named in 填报说明, --strict refuses."""
    data = copy_fixture(tmp_path)
    report = data / "reports" / "taiyuan" / "2022-06.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("status: 已完成", "status: 完成"), encoding="utf-8")
    out = tmp_path / "strict.xlsx"
    result = run(data, "export", "--month", "2022-06", "--strict", "-o", str(out))
    assert result.exit_code == 1
    assert "数据未通过校验" in result.output and "2022-06.yaml" in result.output
    assert not out.exists() and not tmp_files(tmp_path)
    out, wb = export(tmp_path, data, "lenient.xlsx")
    ws = wb["统计表"]
    notes = " ".join(str(c.value) for row in ws.iter_rows(min_row=row_of(ws, "合计")) for c in row if c.value)
    assert "报告有误，未计入：太原市" in notes and native("reports/taiyuan/2022-06.yaml") in notes and "Y104" in notes
    taiyuan = row_of(ws, "太原市")
    assert ws.cell(taiyuan, 3).value == "未报（报告有误）·沿用5月"  # it stands with its May report


def test_a_carried_unit_is_marked_in_every_sheet(tmp_path):
    """issue 14: 太原 without a June report stands with May, in blue italics on light blue, without 本月."""
    data = copy_fixture(tmp_path)
    (data / "reports" / "taiyuan" / "2022-06.yaml").unlink()
    _, wb = export(tmp_path, data)
    ws = wb["统计表"]
    taiyuan, total = row_of(ws, "太原市"), row_of(ws, "合计")
    col = column(ws, 1, "督促检查企业数", "本月")
    month_cell, cumulative = ws.cell(taiyuan, col), ws.cell(taiyuan, col + 1)
    assert ws.cell(taiyuan, 3).value == "未报·沿用5月"
    assert (month_cell.value, cumulative.value) == (None, 10)  # May's 10: no 本月
    assert fill(month_cell) == fill(cumulative) == CARRIED and cumulative.font.i
    assert ws.cell(total, col + 1).value == 19  # 10 (May, carried) + 8 + 1: the total does not fall
    assert ws.cell(total, col).value == 9  # 本月: 大同 8 + 省厅 1 only
    notes = " ".join(str(c.value) for row in ws.iter_rows(min_row=total) for c in row if c.value)
    assert "合计含沿用的数：太原市（数据截至 5 月）" in notes
    matrix = wb["任务进展"]
    header = [matrix.cell(3, c).value for c in range(1, matrix.max_column + 1)]
    cell = matrix.cell(row_of(matrix, 6, 1), header.index("太原") + 1)
    assert cell.value == "已完成\n（5月）" and cell.font.i and fill(cell) == GREEN
    narratives = wb["进展情况"]
    row = [narratives.cell(row_of(narratives, "太原市", 1), c).value for c in range(1, 5)]
    assert row[3] == "本月未报送。统计中沿用其 5 月报告的状态和累计数（数据截至 5 月）。"
    sheet = wb["报送情况"]
    assert sheet.cell(row_of(sheet, "太原市"), 7).value == "数据截至 5 月"


def test_bad_month_is_a_usage_error(tmp_path):
    assert run(FIXTURE, "export", "--month", "2022年6月", "-o", str(tmp_path / "x.xlsx")).exit_code == 2
    assert not (tmp_path / "x.xlsx").exists()


def test_cli_does_not_import_openpyxl():
    import subprocess
    import sys

    code = "import sys, yejin.cli; print('openpyxl' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


# --- write_atomic -------------------------------------------------------------------------------


def test_write_atomic(tmp_path):
    path = tmp_path / "f.txt"
    write_atomic(path, lambda tmp: tmp.write_text("one", encoding="utf-8"))
    assert path.read_text(encoding="utf-8") == "one"
    with pytest.raises(TargetExists):
        write_atomic(path, lambda tmp: tmp.write_text("two", encoding="utf-8"))
    os.chmod(path, 0o640)
    write_atomic(path, lambda tmp: tmp.write_text("two", encoding="utf-8"), force=True)
    assert path.read_text(encoding="utf-8") == "two" and (path.stat().st_mode & 0o777) == 0o640

    def boom(tmp: Path) -> None:
        tmp.write_text("partial", encoding="utf-8")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_atomic(path, boom, force=True)
    assert path.read_text(encoding="utf-8") == "two" and not tmp_files(tmp_path)
