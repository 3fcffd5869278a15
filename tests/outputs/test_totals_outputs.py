"""The 执法情况 block, the 全省合计 and the yes/no kind through every output that shows figures:
status (terminal and --json), status --unit, export (统计表 cells read back) and bulletin.
Figures are those of tests/picture/test_totals.py (tests/fixtures/totals, June, as of 2022-07-05)."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from conftest import TESTS, run_cli

FIXTURE = TESTS / "fixtures" / "totals"
AS_OF = "2022-07-05"


def yejin(*args: str):
    result = run_cli("--data", str(FIXTURE), *args, env={"COLUMNS": "200"})  # no line wrapped
    assert result.exit_code == 0, result.output
    return result.output


def test_status_json_has_the_totals_once():
    doc = json.loads(yejin("status", "--month", "2022-06", "--as-of", AS_OF, "--json"))
    enforcement = {t["key"]: t for t in doc["totals"]["enforcement"]}
    assert [t["key"] for t in doc["totals"]["enforcement"]] == ["inspected", "penalties", "fines"]
    assert (enforcement["inspected"]["value"], enforcement["inspected"]["this_month"]) == (36, 19)
    assert (enforcement["fines"]["value"], enforcement["fines"]["this_month"]) == (2.75, 0.75)
    assert enforcement["inspected"]["units"] == 3 and enforcement["inspected"]["carried_units"] == 1
    summed = {t["key"]: (t["value"], t["this_month"]) for t in doc["totals"]["summed"]}
    assert summed == {"hazards_found": (21, 9), "hazards_fixed": (15, 7)}
    m2 = next(m for m in doc["measures"] if m["number"] == 2)
    mechanism = next(i for i in m2["indicators"] if i["key"] == "mechanism")
    assert (mechanism["kind"], mechanism["value"], mechanism["this_month"]) == ("yesno", 2, None)
    assert "answer" not in mechanism  # a total counts units; an answer is one unit's


def test_status_unit_json_gives_the_answer_and_the_note():
    doc = json.loads(yejin("status", "--month", "2022-06", "--as-of", AS_OF, "--unit", "太原", "--json"))
    m1, m2 = doc["measures"]
    mechanism = next(i for i in m2["indicators"] if i["key"] == "mechanism")
    assert (mechanism["answer"], mechanism["value"]) == ("是", 1)
    assert m1["note"] == "测试用说明（非通知原文）" and m2["note"] is None
    assert [(t["key"], t["value"], t["this_month"]) for t in doc["enforcement"]] == [
        ("inspected", 25, 15),
        ("penalties", 3, 1),
        ("fines", 2.25, 0.75),
    ]


def test_status_terminal_shows_the_totals_and_the_answer():
    out = yejin("status", "--month", "2022-06", "--as-of", AS_OF)
    assert "执法情况：检查企业36家次（本月+19）*；行政处罚4起（本月+1）*；" in out
    assert "各措施合计：发现隐患21项（本月+9）*；整改隐患15项（本月+7）*" in out
    unit = yejin("status", "--month", "2022-06", "--as-of", AS_OF, "--unit", "太原")
    assert "建立沟通协调工作机制：是" in unit
    assert "执法情况：检查企业25家次（本月+15）；行政处罚3起（本月+1）；罚款2.25万元（本月+0.75）" in unit
    assert "措施1说明：测试用说明（非通知原文）" in unit


def test_export_shows_yes_no_cells_and_the_totals(tmp_path):
    out = tmp_path / "t.xlsx"
    yejin("export", "--month", "2022-06", "--as-of", AS_OF, "-o", str(out))
    book = load_workbook(out)
    (ws,) = [ws for ws in book.worksheets if ws.title.startswith("统计表（任务")]
    col = next(c for c in range(4, ws.max_column + 1) if (ws.cell(7, c).value or "").startswith("建立沟通协调工作机制"))
    assert (
        ws.cell(7, col).value.replace("\n", "") == "建立沟通协调工作机制（是/否）" and ws.cell(8, col).value == "累计"
    )
    rows = {ws.cell(r, 2).value: r for r in range(9, ws.max_row + 1) if ws.cell(r, 2).value}
    assert ws.cell(rows["太原市"], col).value == "是"
    assert ws.cell(rows["大同市"], col).value == "是"  # carried from May
    assert ws.cell(rows["山西省应急管理厅"], col).value == "—"  # 市、县 measure
    assert ws.cell(rows["合计"], col).value == "是2个"
    notes = [c.value for row in book["填报说明"].iter_rows() for c in row if isinstance(c.value, str)]
    assert (
        "5. 全省执法情况（不分措施）：检查企业36家次（本月+19），行政处罚4起（本月+1），罚款2.75万元（本月+0.75）。"
        in notes
    )
    assert "6. 各措施合计：发现隐患21项（本月+9），整改隐患15项（本月+7）。" in notes


def test_export_shows_the_enforcement_block_once_as_a_block_of_its_own(tmp_path):
    """执法情况 is its own block (the first sheet), every unit's figures and the 合计 from the picture;
    no measure's block repeats it."""
    out = tmp_path / "t.xlsx"
    yejin("export", "--month", "2022-06", "--as-of", AS_OF, "-o", str(out))
    book = load_workbook(out)
    ws = book.worksheets[0]
    assert ws.title == "统计表（执法情况）" and ws["A1"].value == "附件2"
    assert ws["D5"].value == "执法情况（不分措施，每份月报填报一次）" and "D5:I6" in {
        str(r) for r in ws.merged_cells.ranges
    }
    heads = [(ws.cell(7, c).value or "").replace("\n", "") for c in (4, 6, 8)]
    assert heads == ["检查企业（家次）", "行政处罚（起）", "罚款（万元）"]
    assert [ws.cell(8, c).value for c in range(4, 10)] == ["本月", "累计"] * 3
    rows = {ws.cell(r, 2).value: r for r in range(9, ws.max_row + 1) if ws.cell(r, 2).value}
    assert [ws.cell(rows["太原市"], c).value for c in range(4, 10)] == [15, 25, 1, 3, 0.75, 2.25]
    assert [ws.cell(rows["合计"], c).value for c in range(4, 10)] == [19, 36, 1, 4, 0.75, 2.75]
    datong = [ws.cell(rows["大同市"], c) for c in range(4, 10)]  # carried from May: no 本月, blue italics
    assert [c.value for c in datong[::2]] == [None, None, None] and all(c.font.i for c in datong[1::2])
    others = [w for w in book.worksheets if w.title.startswith("统计表（任务")]
    assert not any("执法情况" in str(c.value) for w in others for row in w.iter_rows(max_row=8) for c in row)


def test_bulletin_leads_with_the_totals():
    out = yejin("bulletin", "--month", "2022-06", "--date", AS_OF)
    first = out.split("## 一、总体情况\n\n", 1)[1].split("\n\n", 1)[0]  # the first paragraph of the body
    assert first == (
        "截至6月底，全省累计检查企业36家次（本月+19）、行政处罚4起（本月+1）、罚款2.75万元（本月+0.75）；"
        "各项措施累计发现隐患21项（本月+9）、整改隐患15项（本月+7）。"
    )


def test_the_measure_note_is_in_the_workbook_and_the_task_list(tmp_path):
    out = tmp_path / "t.xlsx"
    yejin("export", "--month", "2022-06", "--as-of", AS_OF, "-o", str(out))
    ws = load_workbook(out)["任务进展"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "说明　1. 隐患排查：测试用说明（非通知原文）" in texts
    assert "说明：测试用说明（非通知原文）" in yejin("tasks")
