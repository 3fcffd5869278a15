"""Counties that report on their own (issue 19): a city's month worked out by hand.

tests/fixtures/counties: 阳泉市 opts in for its 5 counties; June 2022 as of 2022-07-05 (report day 06-30).

    row          May (cumulative)             June                                   June counts as
    省厅         —                            06-20: M1 1/0/0 推进中, M3 推进中        按时
    阳泉 市本级  M1 6/4/2, M3 未启动           06-28: M1 10/8/6 推进中, M3 推进中       按时
    城区         M1 3/2/1, M2 1 推进中         06-29: M1 5/4/4 已完成, M2 3 已完成      按时
    矿区         M1 1/1/0, M2 0 未启动         07-03: M1 2/2/1, M2 1 推进中             迟报 3 天
    郊区         M1 3/2/2, M2 2 推进中         —                                       未报, May carried
    平定县       M1 4/0/0, M2 0 未启动         a broken file (checked: 12家, Y103)      未报（报告有误）, May carried
    盂县         —                            —                                       未报, never reported

    阳泉 市本级 M3 复核县区数: May 0, June 3; tasks.yaml lists 4 重点县区 (城区、矿区、郊区、平定县).

    (M1 checked/found/fixed and 整改率 = fixed/found, 各级; M2 reviewed, 县、区 only, due 06-30;
     M3 省、市 only (counties are not asked): reviewed and 重点县区覆盖率 = reviewed / key_counties)

全市 (= the province's 阳泉 row) M1: checked 10+5+2+3+4 = 24 (本月 4+2+1 = 7), found 8+4+2+2+0 = 16 (本月 4+2+1 = 7),
fixed 6+4+1+2+0 = 13 (本月 4+3+1 = 8), 整改率 13/16 = 81.25%; M2 reviewed 3+1+2+0 = 6 (本月 2+1 = 3).
Province: checked 1+24 = 25 (本月 1+7 = 8).  全市 statuses: M1 推进中 (not all done), carried from 05 (郊区,
平定县); M2 推进中, from 05; M3 = 市本级's 推进中.
"""

from __future__ import annotations

import json
import shutil

import openpyxl
from typer.testing import CliRunner

from conftest import SHIPPED_DATA, TESTS
from yejin.cli import app

FIXTURE = TESTS / "fixtures" / "counties"
AS_OF = ("--month", "2022-06", "--as-of", "2022-07-05")


def run(*args: str, width: int = 120):
    result = CliRunner().invoke(
        app, ["--data", str(FIXTURE), *args], env={"COLUMNS": str(width), "NO_COLOR": "1", "GITHUB_ACTIONS": None}
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def rows(output: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("|").split("|")] for line in output.splitlines() if line.startswith("|")]


def test_status_unit_breaks_the_city_down_by_county():
    result = run("status", "--unit", "阳泉", *AS_OF)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "阳泉市全市：市本级和5个县（区），合计即全市数" in out
    assert "报送：市本级和县（区）6个，按时2　迟报1　未报3\n" in out
    assert "平定县  " in out and "reports/yangquan-pingding/2022-06.yaml:7:59: Y103" in out
    table = rows(out)
    assert table[1:10] == [
        ["阳泉市（市本级）", "2022-06-28", "按时", ""],
        ["阳泉市城区", "2022-06-29", "按时", ""],
        ["矿区", "2022-07-03", "迟报3天", "A角　矿甲　0353-2000006"],
        ["", "", "", "B角　矿乙　13900000006"],
        ["郊区", "—", "未报", "A角　郊甲　0353-2000004"],
        ["", "", "数据截至5月", "B角　郊乙　13900000004"],
        ["平定县", "—", "未报（报告有误）", "A角　平甲　0353-2000007"],
        ["", "", "数据截至5月", "B角　平乙　13900000007"],
        ["盂县", "—", "未报", "（无记录）"],
    ]
    progress = [r for r in table if r[0] in ("1", "2", "3")]
    assert [r[:5] for r in progress] == [
        ["1", "排查整改", "2022-12-31", "#----- 1/6*", "4/0/1"],
        ["2", "县区会诊", "2022-06-30", "#----- 1/5*", "2/1/1"],
        ["3", "县区复核", "2022-12-31", "------ 0/1", "1/0/0"],
    ]
    assert "检查企业数24家*" in out and "整改率81.2%*（目标100%）" in out
    letters = table[table.index(["单位", "1", "2", "3"]) + 1 :]
    assert letters == [
        ["阳泉市（市本级）", "推", "", "推"],
        ["阳泉市城区", "完", "完", ""],
        ["矿区", "推", "推", ""],
        ["郊区", "推*", "推*", ""],
        ["平定县", "推*", "未*", ""],
        ["盂县", "—", "—", ""],
    ]


def test_status_unit_json_is_the_citys_own_month():
    result = run("status", "--unit", "阳泉", "--json", *AS_OF)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["scope"] == {"unit_id": "yangquan", "unit": "阳泉市", "counties": 5}
    assert doc["summary"]["submissions"] == {"on_time": 2, "late": 1, "missing": 3, "not_due": 0}
    assert (doc["summary"]["carried_units"], doc["summary"]["never_reported"]) == (2, 1)
    subs = [(s["unit_id"], s["text"], s["submitted"], s["carried_from"]) for s in doc["submissions"]]
    assert subs == [
        ("yangquan", "按时", "2022-06-28", None),
        ("yangquan-chengqu", "按时", "2022-06-29", None),
        ("yangquan-kuangqu", "迟报3天", "2022-07-03", None),
        ("yangquan-jiaoqu", "未报", None, "2022-05"),
        ("yangquan-pingding", "未报（报告有误）", None, "2022-05"),
        ("yangquan-yuxian", "未报", None, None),
    ]
    m1, m2, m3 = doc["measures"]
    figures = {i["key"]: (i["value"], i["this_month"], i["units"], i["carried_units"]) for i in m1["indicators"]}
    assert figures == {
        "checked": (24, 7, 5, 2),
        "found": (16, 7, 5, 2),
        "fixed": (13, 8, 5, 2),
        "fix_rate": (81.25, None, 5, 2),
    }
    assert [(i["value"], i["this_month"]) for i in m2["indicators"]] == [(6, 3)]
    assert m2["counts"] == {"done": 1, "in_progress": 2, "not_started": 1, "not_reported": 1}
    assert m3["applicable"] == 1 and m3["counts"]["in_progress"] == 1  # 省、市: 市本级 only


def test_the_province_sees_the_city_as_one_row_of_全市_figures():
    doc = json.loads(run("status", "--json", *AS_OF).stdout)
    assert doc["summary"]["cities"] == 1
    assert [(s["unit_id"], s["text"]) for s in doc["submissions"]] == [("shanxi", "按时"), ("yangquan", "按时")]
    m1, m2, _ = doc["measures"]
    figures = {i["key"]: (i["value"], i["this_month"], i["units"], i["carried_units"]) for i in m1["indicators"]}
    assert figures == {
        "checked": (25, 8, 2, 1),
        "found": (16, 7, 2, 1),
        "fixed": (13, 8, 2, 1),
        "fix_rate": (81.25, None, 2, 1),
    }
    assert [(i["value"], i["this_month"], i["units"]) for i in m2["indicators"]] == [(6, 3, 1)]
    yangquan = m2["units_not_done"][0]
    assert (yangquan["unit_id"], yangquan["status"], yangquan["carried_from"]) == ("yangquan", "推进中", "2022-05")
    assert [(p["unit_id"], p["status"]) for p in yangquan["parts"]] == [
        ("yangquan-chengqu", "已完成"),
        ("yangquan-kuangqu", "推进中"),
        ("yangquan-jiaoqu", "推进中"),
        ("yangquan-pingding", "未启动"),
        ("yangquan-yuxian", "未报"),
    ]


def test_deadlines_name_the_counties_not_done():
    out = run("deadlines", *AS_OF, width=200).stdout
    assert "阳泉（推进中，数据截至5月；未完成：矿区推进中、郊区推进中、平定县未启动、盂县未报）" in out


def test_export_unit_writes_the_citys_own_table(tmp_path):
    result = run("export", "--unit", "阳泉", "-o", str(tmp_path) + "/", *AS_OF)
    assert result.exit_code == 0, result.output
    path = tmp_path / "阳泉市测试专项行动2022年重点工作进展情况统计表（2022年6月）.xlsx"
    ws = openpyxl.load_workbook(path)["统计表（任务1）"]
    assert ws.cell(4, 1).value == "填报单位：阳泉市应急管理局"
    got = [[c.value for c in row[:12]] for row in ws.iter_rows(min_row=9, max_row=15)]
    assert got == [
        [1, "阳泉市（市本级）", "按时", 4, 10, 4, 8, 4, 6, 75, "—", "—"],
        [2, "阳泉市城区", "按时", 2, 5, 2, 4, 3, 4, 100, 2, 3],
        [3, "矿区", "迟报3天", 1, 2, 1, 2, 1, 1, 50, 1, 1],
        [4, "郊区", "未报·沿用5月", None, 3, None, 2, None, 2, 100, None, 2],
        [5, "平定县", "未报（报告有误）·沿用5月", None, 4, None, 0, None, 0, "/", None, 0],
        [6, "盂县", "未报·尚无报告", None, None, None, None, None, None, None, None, None],
        [None, "合计", "市本级和县（区）已报3/6", 7, 24, 7, 16, 8, 13, 81.25, 3, 6],
    ]


def test_the_province_export_keeps_one_row_per_city(tmp_path):
    result = run("export", "-o", str(tmp_path / "t.xlsx"), *AS_OF)
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["统计表（任务1）"]
    got = [[c.value for c in row[:12]] for row in ws.iter_rows(min_row=9, max_row=11)]
    assert got == [
        [1, "山西省应急管理厅", "按时", 1, 1, 0, 0, 0, 0, "/", "—", "—"],
        [2, "阳泉市", "按时", 7, 24, 7, 16, 8, 13, 81.25, 3, 6],  # the city export's 合计
        [None, "合计", "设区市已报1/1", 8, 25, 7, 16, 8, 13, 81.25, 3, 6],
    ]


def test_export_unit_of_a_city_without_counties_is_a_usage_error(tmp_path):
    result = run("export", "--unit", "省厅", "-o", str(tmp_path / "x.xlsx"), *AS_OF)
    assert result.exit_code == 2
    assert "县（区）单独报送的设区市才能导出本市的统计表" in result.output
    assert not (tmp_path / "x.xlsx").exists()
    county = run("export", "--unit", "矿区", "-o", str(tmp_path / "x.xlsx"), *AS_OF)
    assert (
        county.exit_code == 2 and "矿区是阳泉市的县（区），它的数据在阳泉市的统计表中（--unit 阳泉）" in county.output
    )
    assert not (tmp_path / "x.xlsx").exists()


def test_the_shipped_太原_is_measured_by_rates_not_by_the_provinces_count_targets():
    """全省 80 个 is the province's target: 太原's own view shows its 9 without it and lights no yellow for it."""
    result = CliRunner().invoke(
        app,
        ["--data", str(SHIPPED_DATA), "status", "--unit", "太原", "--as-of", "2022-07-05"],
        env={"COLUMNS": "120", "NO_COLOR": "1", "GITHUB_ACTIONS": None},
    )
    assert result.exit_code == 0, result.output
    row = next(r for r in rows(result.stdout) if r[0] == "5")
    assert (row[3], row[5], row[6]) == ("###--- 5/11", "执法检查重大危险源数9个", "绿灯")
    assert "太原市全市：市本级和10个县（区），合计即全市数" in result.stdout
    assert "太原市全市合计（截至月底累计）" in result.stdout and "全省合计" not in result.stdout


def test_measure_3_coverage_of_the_key_counties_is_computed_not_typed(tmp_path):
    """重点县区 listed in tasks.yaml (阳泉: 城区、矿区、郊区、平定县 = 4); 市本级 reported 复核县区数 3: 3/4 = 75%."""
    doc = json.loads(run("status", "--json", *AS_OF).stdout)
    m3 = doc["measures"][2]
    coverage = next(i for i in m3["indicators"] if i["key"] == "coverage")
    assert (coverage["value"], coverage["numerator"], coverage["denominator"], coverage["units"]) == (75, 3, 4, 1)
    assert coverage["achieved_share"] == 0.75 and m3["warning"] == "green"
    # a report may not type the denominator: it is not one of the measure's indicators (Y205)
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    june = data / "reports" / "yangquan" / "2022-06.yaml"
    june.write_text(
        june.read_text(encoding="utf-8").replace("{reviewed: 3}", "{reviewed: 3, key_counties: 9}"), "utf-8"
    )
    result = CliRunner().invoke(app, ["--data", str(data), "validate", "--as-of", "2022-07-05"])
    assert result.exit_code == 1 and "Y205" in result.output and "key_counties" in result.output


def test_more_key_counties_reviewed_than_listed_is_y208(tmp_path):
    """阳泉 lists 4 重点县区; a report of 5 reviewed would make the coverage 125%: Y208 at the figure, naming them.
    (The fixture's 平定县 June file is broken on purpose: validate exits 1 with or without this.)"""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    june = data / "reports" / "yangquan" / "2022-06.yaml"
    text = june.read_text(encoding="utf-8")
    june.write_text(text.replace("{reviewed: 3}", "{reviewed: 5}"), "utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "{reviewed: 3}" in row)
    column = text.splitlines()[line - 1].index("reviewed: 3") + len("reviewed: ") + 1  # at the figure
    result = CliRunner().invoke(app, ["--data", str(data), "validate", "--as-of", "2022-07-05"])
    output = result.output.replace("\\", "/")
    assert result.exit_code == 1 and output.count("Y208") == 1, output
    assert (
        f"/reports/yangquan/2022-06.yaml:{line}:{column}: "
        "Y208 复核县区数5大于本市列出的重点县区数4（重点县区覆盖率不能超过100%）\n"
        "      提示：本市的重点县区（tasks.yaml 中 counties.key）：城区、矿区、郊区、平定县\n"
    ) in output
    june.write_text(text.replace("{reviewed: 3}", "{reviewed: 4}"), "utf-8")  # all four: 100%, no Y208
    result = CliRunner().invoke(app, ["--data", str(data), "validate", "--as-of", "2022-07-05"])
    assert "Y208" not in result.output and "Y103" in result.output  # only the fixture's own broken file


def test_key_counties_is_only_a_denominator(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    tasks = data / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8").replace(
        "numerator: reviewed, denominator: key_counties", "numerator: key_counties, denominator: reviewed"
    )
    tasks.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["--data", str(data), "validate", "--as-of", "2022-07-05"])
    assert result.exit_code == 1 and "Y210" in result.output and "key_counties 不存在" in result.output


def test_status_unit_of_a_county_is_its_row_of_the_citys_month():
    result = run("status", "--unit", "矿区", *AS_OF)
    assert result.exit_code == 0, result.output
    assert (
        "矿区：迟报3天（2022年7月3日报送）\n联系人：A角　矿甲　0353-2000006；B角　矿乙　13900000006\n" in result.stdout
    )
    table = rows(result.stdout)
    assert [r[:4] for r in table if r[0] in ("1", "2", "3")] == [
        ["1", "排查整改", "2022-12-31", "推进中"],
        ["2", "县区会诊", "2022-06-30", "推进中"],  # not measure 3: 省、市 only
    ]
    assert "检查企业数2家（+1）" in result.stdout and "整改率50.0%" in result.stdout
    doc = json.loads(run("status", "--unit", "郊区", "--json", *AS_OF).stdout)
    assert (doc["unit_id"], doc["carried_from"], doc["submission"]["text"]) == ("yangquan-jiaoqu", "2022-05", "未报")
    assert [(m["number"], m["status"], m["carried_from"]) for m in doc["measures"]] == [
        (1, "推进中", "2022-05"),
        (2, "推进中", "2022-05"),
    ]
