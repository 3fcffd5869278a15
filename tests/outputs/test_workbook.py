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

from conftest import REPO, TESTS
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


def tables(book) -> list:
    """The 统计表's blocks: one sheet each, in order."""
    return [ws for ws in book.worksheets if ws.title.startswith("统计表")]


def column(book, measure: int, indicator: str, part: str):
    """(sheet, column) of 统计表's (措施 number, indicator name, 本月/累计), found through the header rows."""
    for ws in tables(book):
        for col in range(4, ws.max_column + 1):
            label, name = shown(ws, 6, col) or "", (shown(ws, 7, col) or "").replace("\n", "")
            if label.startswith(f"{measure}. ") and name.startswith(indicator + "（") and ws.cell(8, col).value == part:
                return ws, col
    raise AssertionError(f"no column for 措施 {measure} {indicator} {part}")


def figure(book, unit: str, measure: int, indicator: str, part: str):
    """The 统计表 cell of a unit (or 合计) under (措施, indicator, 本月/累计)."""
    ws, col = column(book, measure, indicator, part)
    return ws.cell(row_of(ws, unit), col)


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
    assert book.sheetnames == [
        "统计表（任务1—2）",
        "统计表（任务2续）",
        "统计表（任务3）",
        "统计表（任务4—5）",
        "统计表（任务6—8）",
        "统计表（任务9）",
        "填报说明",
        "任务进展",
        "进展情况",
        "典型案例",
        "报送情况",
        "图表",
    ]


def test_totals_row(book):
    for ws in tables(book):
        total = row_of(ws, "合计")
        assert total == 9 + 12  # title and header rows 1–8, then the 12 units in the official order
        assert ws.cell(total, 3).value == "设区市已报2/11"  # issue 14: the department is not counted among the cities
    assert figure(book, "合计", 1, "督促检查企业数", "累计").value == 24  # 15 + 8 + 1
    assert figure(book, "合计", 1, "督促检查企业数", "本月").value == 14  # (15 − 10) + 8 + 1
    rate = figure(book, "合计", 1, "整改率", "累计")
    # (0+3+2)/(0+4+2), not an average; in percent under “整改率（%）”: the sign shown once
    assert rate.value == pytest.approx(500 / 6) and rate.number_format == "0.0"
    fines = figure(book, "合计", 5, "罚款", "累计")
    assert fines.value == pytest.approx(2.75) and fines.number_format == "#,##0.00"
    assert figure(book, "合计", 5, "罚款", "本月").value == pytest.approx(1.25)  # 0.75 + 0.5
    assert figure(book, "合计", 6, "列入清单企业数", "累计").value == 27


def test_unit_cells(book):
    ws, col = column(book, 1, "督促检查企业数", "本月")
    assert [ws.cell(r, 2).value for r in range(9, 12)] == ["山西省应急管理厅", "太原市", "大同市"]
    taiyuan, datong, shuozhou = (row_of(ws, n) for n in ("太原市", "大同市", "朔州市"))
    assert (ws.cell(taiyuan, col).value, ws.cell(taiyuan, col + 1).value) == (5, 15)  # June 15 − May 10
    assert (ws.cell(datong, col).value, ws.cell(datong, col + 1).value) == (8, 8)  # first report: 本月 = 累计
    assert figure(book, "太原市", 5, "罚款", "本月").value == pytest.approx(0.75)
    assert figure(book, "太原市", 1, "整改率", "累计").value == "/"  # 0 of 0
    assert figure(book, "大同市", 1, "整改率", "累计").value == pytest.approx(75.0)
    # not reported: blank, never 0; not this unit's measure: “—”
    assert ws.cell(shuozhou, 3).value == "未报·尚无报告"  # issue 14: nothing to carry, says so
    assert ws.cell(shuozhou, col).value is None and ws.cell(shuozhou, col + 1).value is None
    assert figure(book, "山西省应急管理厅", 6, "列入清单企业数", "累计").value == "—"
    assert ws.cell(datong, 3).value == "迟报3天"
    # reported, but no figure for this indicator: blank
    assert figure(book, "山西省应急管理厅", 5, "罚款", "累计").value is None


def test_header_and_title(book):
    title = "冶金制造专项整治三年行动2022年重点工作进展情况统计表"  # the notice's 附件说明, word for word
    for i, ws in enumerate(tables(book)):
        merged = {str(r) for r in ws.merged_cells.ranges}
        last = get_column_letter(ws.max_column)
        assert ws["A1"].value == ("附件2" if i == 0 else None)  # once, top left of the first page
        assert ws["A2"].value == title and f"A2:{last}2" in merged  # centred over the block's whole width
        assert ws["A3"].value == "（数据截至2022年6月30日）" and f"A3:{last}3" in merged
        assert ws["A4"].value == "填报单位：山西省应急管理厅" and "A4:C4" in merged
        date = [r for r in ws.merged_cells.ranges if r.min_row == 4 and r.max_col == ws.max_column]
        assert [ws.cell(4, r.min_col).value for r in date] == ["填报日期：2022年7月5日"]  # the as-of day
        assert {"A5:A8", "B5:B8", "C5:C8"} <= merged
        assert ws.cell(8, 4).value in ("本月", "累计")
    ws, first = column(book, 1, "督促检查企业数", "本月")
    assert first == 4 and ws.title == "统计表（任务1—2）"
    assert shown(ws, 5, first).startswith("任务1") and shown(ws, 6, first) == "1. 危险作业管理制度"
    _, task1_last = column(book, 2, "行政处罚", "累计")
    assert f"D5:{get_column_letter(task1_last)}5" in {str(r) for r in ws.merged_cells.ranges}  # 任务1, 13 columns
    assert shown(ws, 7, 4).replace("\n", "") == "督促检查企业数（家）"
    ws, rate = column(book, 1, "整改率", "累计")
    assert shown(ws, 7, rate).replace("\n", "") == "整改率（%）" and ws.cell(8, rate).value == "累计"
    assert [ws.cell(8, c).value for c in (4, 5)] == ["本月", "累计"]
    cont = book["统计表（任务2续）"]
    assert shown(cont, 5, 4).startswith("任务2") and shown(cont, 5, 4).endswith("（续）")


def test_the_date_filled_in(tmp_path):
    _, wb = export(tmp_path, None, "dated.xlsx", "--date", "2022-07-08")
    ws = tables(wb)[0]
    assert shown(ws, 4, ws.max_column) == "填报日期：2022年7月8日"
    assert wb["报送情况"]["A2"].value.endswith("报送情况统计至2022年7月5日）")  # --as-of stays the as-of day


def test_signature_under_the_last_block_only(book):
    *others, last = tables(book)
    footer = [r for r in range(1, last.max_row + 1) if str(last.cell(r, 1).value or "").startswith("单位负责人：")]
    assert footer == [row_of(last, "合计") + 2]
    assert all("单位负责人" not in str(ws.cell(r, 1).value) for ws in others for r in range(1, ws.max_row + 1))


def test_notes_on_a_page_of_their_own(book):
    ws = book["填报说明"]
    assert ws["A1"].value == "冶金制造专项整治三年行动2022年重点工作进展情况统计表"
    assert ws["A2"].value == "填报说明（数据截至2022年6月30日）"
    texts = [ws.cell(r, 1).value or "" for r in range(3, ws.max_row + 1)]
    joined = "\n".join(texts)
    assert texts[0].startswith("1. ") and all(t.startswith(f"{i}. ") for i, t in enumerate(texts, 1))
    assert "截至当月底的全年累计数" in joined and "此前最近一次报告的该项累计数" in joined
    assert (
        "数据截至2022年6月30日（完成时限、序时进度按此日计算）；报送情况统计至2022年7月5日，本月应于2022年6月30日前报送。"
        in joined
    )
    assert "本年度尚无报告的单位空白（不按0计），不计入合计" in joined
    assert "只合计同时填报了分子和分母的单位" in joined
    assert "未报单位：朔州市、忻州市" in joined and "迟报：大同市（迟报3天）" in joined
    assert "由合计的分子、分母计算" in joined and "“/”" in joined
    assert "示例数据" not in joined  # the fixture is not marked sample_data


def test_print_settings(book):
    """Every sheet fits its page's width by its own settings (no fixed scale, no manual breaks), A4 landscape."""
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True, ws.title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
        assert ws.page_setup.scale is None, ws.title
        assert not ws.col_breaks.brk and ws.print_title_cols is None, ws.title
        assert ws.print_options.horizontalCentered is True, ws.title
        margins = ws.page_margins
        assert (margins.left, margins.right, margins.top, margins.bottom) == (0.4, 0.4, 0.5, 0.6), ws.title
        assert ws.oddFooter.center.text == "第&P页\u3000共&N页", ws.title
    for ws in tables(book):
        assert ws.print_title_rows == "$2:$8"  # title and header on every page of a tall block
        assert ws.print_area == f"'{ws.title}'!$A$1:${get_column_letter(ws.max_column)}${ws.max_row}"
        assert ws.freeze_panes == "D9"
    for name in ("填报说明", "任务进展", "进展情况", "典型案例", "报送情况"):
        assert book[name].print_title_rows == ("$1:$2" if name == "填报说明" else "$1:$3"), name
    assert book["图表"].print_title_rows == "$1:$2" and not book["图表"].print_area  # the used area, with its charts
    areas = {
        name: book[name].print_area.split("!")[1]
        for name in ("填报说明", "任务进展", "进展情况", "典型案例", "报送情况")
    }
    assert areas == {
        "填报说明": "$A$1:$A$10",  # 8 notes
        "任务进展": "$A$1:$R$28",  # 18 measures, legend, reasons; 序号…完成时限, 12 units, 已完成, 预警
        "进展情况": "$A$1:$C$75",
        "典型案例": "$A$1:$I$4",  # one case
        "报送情况": "$A$1:$K$18",
    }
    assert all(int(area.rsplit("$", 1)[1]) == book[name].max_row for name, area in areas.items())  # every row


def test_one_title_everywhere(book):
    for ws in book.worksheets:
        assert ws.cell(1 if not ws.title.startswith("统计表") else 2, 1).value == (
            "冶金制造专项整治三年行动2022年重点工作进展情况统计表"
        ), ws.title


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
    deadline = ws.cell(m6, col["完成时限"])  # 2022年3月底前, not done everywhere
    assert deadline.value == "2022年3月底前\n逾期91天" and fill(deadline) == RED
    assert "逾期" not in ws.cell(m5, col["完成时限"]).value
    assert any(ws.cell(r, c).value == "图例：" for r in range(1, ws.max_row + 1) for c in (1,))


def narrative(ws, unit: str, what: str):
    """The 进展情况 cell of `what` (a measure, 存在问题…) in the unit's section."""
    units = {"山西省应急管理厅"} | {f"{n}市" for n in "太原 大同 朔州 忻州 阳泉 吕梁 晋中 长治 晋城 临汾 运城".split()}
    for r in range(row_of(ws, unit, 1) + 1, ws.max_row + 1):
        if ws.cell(r, 1).value in units:
            break
        if ws.cell(r, 1).value == what:
            return ws.cell(r, 3)
    raise AssertionError(f"no {what} under {unit}")


def test_narratives(book):
    ws = book["进展情况"]
    assert [ws.cell(3, c).value for c in (1, 2, 3)] == ["工作措施", "状态", "进展情况"]
    sections = sorted((r for r in ws.merged_cells.ranges if r.min_row > 3), key=lambda r: r.min_row)
    table = tables(book)[0]
    assert [ws.cell(r.min_row, 1).value for r in sections] == [table.cell(r, 2).value for r in range(9, 21)]
    assert all((r.min_col, r.max_col) == (1, 3) for r in sections)  # the unit once, over the whole row
    rows = [[ws.cell(r, c).value for c in range(1, 4)] for r in range(4, ws.max_row + 1)]
    assert rows[rows.index(["朔州市", None, None]) + 1] == ["—", "未报", "本月未报送。本年度尚无报告。"]
    assert narrative(ws, "太原市", "存在问题").value == "个别企业整改不到位。"
    cell = narrative(ws, "大同市", "5. 重大危险源执法检查")
    assert (cell.value, ws.cell(cell.row, 2).value) == ("（未填写）", "未启动")
    for r in range(4, ws.max_row + 1):  # wrapped text gets room: taller rows for longer text
        if ws.cell(r, 3).value and len(ws.cell(r, 3).value) > 80:
            assert ws.row_dimensions[r].height >= 30


def test_cases(book):
    ws = book["典型案例"]
    header = ["序号", "单位", "措施", "案例标题", "企业名称", "执法单位", "案情简介", "处罚依据", "罚款金额\n（万元）"]
    assert [ws.cell(3, c).value for c in range(1, 10)] == header
    assert [ws.cell(4, c).value for c in range(1, 10)] == [
        1,
        "太原市",
        7,
        "某铝业公司未设置报警仪案",
        "太原某铝业有限公司",
        "太原市应急管理局",
        '=HYPERLINK("http://example.com")',
        "《中华人民共和国安全生产法》第九十九条第（二）项",
        2.5,
    ]
    assert ws.cell(4, 7).data_type == "s" and ws.cell(4, 9).number_format == "#,##0.00"
    assert ws.cell(5, 1).value is None


def test_a_case_without_the_new_fields_is_still_valid_and_shown(tmp_path):
    """執法单位, 处罚依据 and 罚款金额 came in issue 17: reports written before stay valid, the cells stay blank."""
    data = copy_fixture(tmp_path)
    report = data / "reports" / "taiyuan" / "2022-06.yaml"
    text = report.read_text(encoding="utf-8")
    kept = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("authority", "basis", "fine")))
    report.write_text(kept + "\n", encoding="utf-8")
    assert run(data, "validate").exit_code == 0
    _, wb = export(tmp_path, data)
    assert [wb["典型案例"].cell(4, c).value for c in (5, 6, 8, 9)] == ["太原某铝业有限公司", None, None, None]


def test_a_case_fine_follows_the_amount_rules(tmp_path):
    data = copy_fixture(tmp_path)
    report = data / "reports" / "taiyuan" / "2022-06.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("fine: 2.5", "fine: 2.5万元"), encoding="utf-8")
    result = run(data, "validate")
    assert result.exit_code == 1
    assert "2022-06.yaml:33:" in result.output and "Y103" in result.output  # a number, without its unit


def test_submissions_sheet(book):
    ws = book["报送情况"]
    datong = row_of(ws, "大同市")
    values = [ws.cell(datong, c).value for c in range(1, 12)]
    assert values[4:] == ["迟报3天", 3, "本月报告", "丙", "0352-3333333", "丁", "13933333333"]
    assert values[2].date().isoformat() == "2022-06-30" and values[3].date().isoformat() == "2022-07-03"
    assert [ws.cell(row_of(ws, "朔州市"), c).value for c in (5, 7)] == ["未报", "尚无报告"]
    # issue 14: the 11 cities numbered and counted; the department in its own row below, out of the counts
    assert [ws.cell(r, 1).value for r in range(4, 15)] == list(range(1, 12))
    assert any("合计（设区市11个）：按时1个，迟报1个，未报9个" in str(ws.cell(r, 1).value) for r in range(1, 40))
    province = row_of(ws, "山西省应急管理厅")
    assert province > row_of(ws, "运城市") and ws.cell(province, 1).value == "省厅"
    assert ws["A2"].value == "各单位报送情况（2022年6月，数据截至2022年6月30日，报送情况统计至2022年7月5日）"


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
    cell = narrative(ws, "太原市", "1. 危险作业管理制度")
    assert cell.value == "=1+1" and cell.data_type == "s"
    for text in ("-执法检查5个重大危险源。", "@专项执法进行中。", "+继续督促整改"):
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
    assert narrative(ws, "太原市", "存在问题").value == "个别企业整改不到位。"
    notes = " ".join(str(c.value) for row in wb["填报说明"].iter_rows() for c in row if c.value)
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
    cell = narrative(ws, "大同市", "1. 危险作业管理制度")
    assert len(cell.value) == 32767 and cell.value.endswith("（已截断）")
    notes = " ".join(str(c.value) for row in wb["填报说明"].iter_rows() for c in row if c.value)
    assert "已截断" in notes and "大同市 措施1\u3000进展情况" in notes


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
    for ws in tables(load_workbook(out)):
        assert ws["A3"].value == "（数据截至2022年4月30日）"  # issue 14: the data stand at the month's end
        total = row_of(ws, "合计")
        assert ws.cell(total, 3).value == "设区市已报0/11"
        assert all(ws.cell(total, c).value is None for c in range(4, ws.max_column + 1))  # blank, not 0
        assert ws.cell(9, 3).value == "未到报送日·尚无报告"
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
    ws = tables(wb)[0]
    notes = " ".join(str(c.value) for row in wb["填报说明"].iter_rows() for c in row if c.value)
    assert "报告有误，未计入：太原市" in notes and native("reports/taiyuan/2022-06.yaml") in notes and "Y104" in notes
    taiyuan = row_of(ws, "太原市")
    assert ws.cell(taiyuan, 3).value == "未报（报告有误）·沿用5月"  # it stands with its May report


def test_a_carried_unit_is_marked_in_every_sheet(tmp_path):
    """issue 14: 太原 without a June report stands with May, in blue italics on light blue, without 本月."""
    data = copy_fixture(tmp_path)
    (data / "reports" / "taiyuan" / "2022-06.yaml").unlink()
    _, wb = export(tmp_path, data)
    ws, col = column(wb, 1, "督促检查企业数", "本月")
    taiyuan, total = row_of(ws, "太原市"), row_of(ws, "合计")
    month_cell, cumulative = ws.cell(taiyuan, col), ws.cell(taiyuan, col + 1)
    assert ws.cell(taiyuan, 3).value == "未报·沿用5月"
    assert (month_cell.value, cumulative.value) == (None, 10)  # May's 10: no 本月
    assert fill(month_cell) == fill(cumulative) == CARRIED and cumulative.font.i
    assert ws.cell(total, col + 1).value == 19  # 10 (May, carried) + 8 + 1: the total does not fall
    assert ws.cell(total, col).value == 9  # 本月: 大同 8 + 省厅 1 only
    notes = " ".join(str(c.value) for row in wb["填报说明"].iter_rows() for c in row if c.value)
    assert "合计含沿用的数：太原市（数据截至5月）" in notes
    matrix = wb["任务进展"]
    header = [matrix.cell(3, c).value for c in range(1, matrix.max_column + 1)]
    cell = matrix.cell(row_of(matrix, 6, 1), header.index("太原") + 1)
    assert cell.value == "已完成\n（5月）" and cell.font.i and fill(cell) == GREEN
    narratives = wb["进展情况"]
    assert (
        narrative(narratives, "太原市", "—").value == "本月未报送。统计中沿用其5月报告的状态和累计数（数据截至5月）。"
    )
    sheet = wb["报送情况"]
    assert sheet.cell(row_of(sheet, "太原市"), 7).value == "数据截至5月"


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


def test_key_county_coverage_is_not_applicable_where_no_key_counties_are_listed(tmp_path):
    """Shipped data, June: measure 10's 重点县区覆盖率 over the 重点县区 tasks.yaml lists per city (太原: 小店区、
    晋源区、清徐县 = 3, 复核重点县区数 2 → 66.67); the 省厅 lists none: “—” as for a measure it does not report,
    not a blank (which reads as “not reported”); 合计 24 / 35 (every city's list, 吕梁 carried from May)."""
    book = export(tmp_path, REPO / "data")[1]
    assert figure(book, "山西省应急管理厅", 10, "重点县区覆盖率", "累计").value == "—"
    assert figure(book, "山西省应急管理厅", 10, "复核重点县区数", "累计").value == 0  # it reports the count itself
    assert figure(book, "太原市", 10, "复核重点县区数", "累计").value == 2
    assert figure(book, "太原市", 10, "重点县区覆盖率", "累计").value == pytest.approx(200 / 3)
    assert figure(book, "合计", 10, "复核重点县区数", "累计").value == 24
    assert figure(book, "合计", 10, "重点县区覆盖率", "累计").value == pytest.approx(2400 / 35)
