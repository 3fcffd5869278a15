"""The month as it really happens (issue 14): a picture in the middle of July, with reports partial,
missing, broken and unfinished, worked out by hand; and the June bulletin of the shipped data.

tests/fixtures/midjuly, status as of 2022-07-20 for July (period end 07-31, report day 07-30):

    unit       June (cumulative)                 July                                   July counts as
    省厅       M1 3/2/2 推进中, M3 1 已完成,      a draft (draft: true)                  未到报送日（草稿）, June carried
               M4 推进中
    太原       M1 found 12 fixed 11 (checked      07-15: M1 22/15/15, M2 已完成 20       按时
               left out: May's 10), M2 已完成 20
    大同       M1 12/10/6, M2 已完成 9            07-18: M1 checked 20, fixed 9          按时 (found carried from June)
                                                 (found left out), M2 已完成 9
    朔州       M1 0/0/0 未启动, M2 推进中 4       07-08: M1 5/3/1, M2 已完成 7           按时
    忻州       M1 30/20/20, M2 推进中 11          a broken file (checked: 35家, Y103)   未到报送日（报告有误）, June carried
    吕梁       —                                  —                                      未到报送日, never reported

    (M1 checked/found/fixed, target 100 and 整改率 target 100%; M2 listed, 市、县, due 2022-03-31;
     M3 sessions, 省厅 only, target 1, due 2022-11-30; M4 省厅 only, no figures, due 2022-12-31)

Pace at the period end: 2022-03-04 -> 07-31 is 149 of the 302 days to 12-31: 49.3%.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from conftest import SHIPPED_DATA, TESTS
from hardening_helpers import native
from yejin.cli import app

FIXTURE = TESTS / "fixtures" / "midjuly"
AS_OF = "2022-07-20"


def run(*args: str, data: Path = FIXTURE, width: int = 120):
    result = CliRunner().invoke(
        app, ["--data", str(data), *args], env={"COLUMNS": str(width), "NO_COLOR": "1", "GITHUB_ACTIONS": None}
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def rows(output: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("|").split("|")] for line in output.splitlines() if line.startswith("|")]


def status_doc() -> dict:
    result = run("status", "--month", "2022-07", "--as-of", AS_OF, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- status: the terminal ---------------------------------------------------------------------------


def test_status_rows_mid_july():
    result = run("status", "--month", "2022-07", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output  # a broken file stops no one
    out = result.stdout
    assert "2022年7月进展情况　数据截至2022年7月31日　报送情况统计至2022年7月20日" in out
    # 3 of the 5 cities on time; 忻州 and 吕梁 not yet due on 07-20 (<= 07-30); the department apart
    assert "预警：红灯1　黄灯0　绿灯2　待报1\n" in out
    assert "报送：设区市5个，按时3　迟报0　未报0　未到报送日2；省厅：未到报送日（草稿）\n" in out
    # the broken file, named with its unit, place and first error
    assert "报告有误，未计入（1个文件；其余数据照常汇总，yejin validate 列出全部错误）：" in out
    assert "  忻州市  " in out and native("reports/xinzhou/2022-07.yaml:7:64:") + " Y103 指标值应为数字" in out
    table = rows(out)
    expected = [
        # nobody late or missing yet: no 联系人 column
        ["山西省应急管理厅", "—", "未到报送日（草稿）"],
        ["", "", "数据截至6月"],
        ["太原市", "2022-07-15", "按时"],
        ["大同市", "2022-07-18", "按时"],
        ["朔州市", "2022-07-08", "按时"],
        ["忻州市", "—", "未到报送日（报告有误）"],
        ["", "", "数据截至6月"],
        ["吕梁市", "—", "未到报送日"],
        ["", "", "尚无报告"],
    ]
    start = table.index(expected[0])
    assert table[start : start + len(expected)] == expected
    progress = [
        # M1: nobody done; 5 推进中 (省厅, 忻州 carried), 吕梁 no report; checked 3 + 22 + 20 + 5 + 30 = 80 of 100;
        # 整改率 (2 + 15 + 6 + 1 + 20) / (2 + 15 + 10 + 3 + 20) = 44 / 50 = 88.0% (大同's parts from June)
        ["1", "排查整改", "2022-12-31", "------ 0/6*", "5/0/1", "检查企业数80家*（目标100家）", "绿灯"],
        ["", "", "剩153天", "", "", "整改率88.0%*（目标100%）", ""],  # 07-31 -> 12-31
        # M2: 太原, 大同, 朔州 已完成 (3 of 5 -> round(6 * 3 / 5) = 4 marks); 忻州 推进中 (June), 吕梁 none
        ["2", "建台账", "2022-03-31", "####-- 3/5*", "1/0/1", "—", "红灯"],
        ["", "", "逾期122天", "", "", "", ""],  # 03-31 -> 07-31
        # M3: the department's June 已完成 stands: done, not 0 and not behind pace
        ["3", "专题培训", "2022-11-30", "###### 1/1*", "0/0/0", "举办专题培训1次*（目标1次）", "绿灯"],
        ["", "", "已完成", "", "", "", ""],
        # M4: only the department reports it, and it has not reported July: 待报
        ["4", "制定指南", "2022-12-31", "------ 0/1*", "1/0/0", "—", "待报"],
        ["", "", "剩153天", "", "", "", ""],
    ]
    start = table.index(progress[0])
    assert table[start : start + len(progress)] == progress
    assert "*含沿用以前月份数据的单位：山西省应急管理厅（数据截至6月）、忻州市（数据截至6月）" in out
    assert "尚无报告、未计入的单位：吕梁市" in out
    assert "红灯　措施2　建台账：已超过完成时限122天，2个单位未完成" in out
    assert "待报　措施4　制定指南：责任单位本月尚未报告（数据截至6月），不判断序时进度" in out


# --- status --json ------------------------------------------------------------------------------------


def test_status_json_mid_july():
    doc = status_doc()
    assert (doc["schema_version"], doc["month"], doc["period_end"], doc["as_of"]) == (
        2,
        "2022-07",
        "2022-07-31",
        "2022-07-20",
    )
    assert doc["summary"] == {
        "warnings": {"red": 1, "yellow": 0, "green": 2, "pending": 1},
        "cities": 5,
        "submissions": {"on_time": 3, "late": 0, "missing": 0, "not_due": 2},
        "carried_units": 2,  # 省厅 and 忻州 stand with June
        "never_reported": 1,  # 吕梁
        "excluded_files": 1,  # 忻州's July
    }
    subs = {s["unit_id"]: s for s in doc["submissions"]}
    assert {k: subs["shanxi"][k] for k in ("department", "state", "text", "carried_from", "submitted")} == {
        "department": True,
        "state": "未到报送日",
        "text": "未到报送日（草稿）",
        "carried_from": "2022-06",
        "submitted": None,
    }
    assert subs["shanxi"]["draft"].endswith(native("reports/shanxi/2022-07.yaml"))
    assert (subs["xinzhou"]["text"], subs["xinzhou"]["carried_from"]) == ("未到报送日（报告有误）", "2022-06")
    assert subs["xinzhou"]["excluded"].endswith(native("reports/xinzhou/2022-07.yaml"))
    assert (subs["lvliang"]["never_reported"], subs["lvliang"]["carried_from"]) == (True, None)
    assert (subs["datong"]["state"], subs["datong"]["submitted"], subs["datong"]["days_late"]) == (
        "按时",
        "2022-07-18",
        0,
    )
    (excluded,) = doc["excluded_files"]
    assert {k: excluded[k] for k in ("unit_id", "unit", "kind", "month", "line", "column", "code")} == {
        "unit_id": "xinzhou",
        "unit": "忻州市",
        "kind": "report",
        "month": "2022-07",
        "line": 7,
        "column": 64,
        "code": "Y103",
    }
    m = {x["number"]: x for x in doc["measures"]}
    assert m[1]["time_share"] == round(149 / 302, 4)  # at the period end, not the as-of date (141 / 302)
    totals = {i["key"]: i for i in m[1]["indicators"]}
    # checked: 省厅 3 (June) + 太原 22 + 大同 20 + 朔州 5 + 忻州 30 (June) = 80; 本月 (22 − 10) + (20 − 12) + (5 − 0) = 25
    assert [totals["checked"][k] for k in ("value", "this_month", "units", "carried_units")] == [80, 25, 5, 2]
    # found: 2 (June) + 15 + 10 (大同 left it out in July: June's) + 3 + 20 (June) = 50; 本月 (15 − 12) + (3 − 0) = 6
    assert [totals["found"][k] for k in ("value", "this_month", "units", "carried_units")] == [50, 6, 5, 3]
    # fixed: 2 + 15 + 9 + 1 + 20 = 47; 本月 (15 − 11) + (9 − 6) + (1 − 0) = 8
    assert [totals["fixed"][k] for k in ("value", "this_month", "units", "carried_units")] == [47, 8, 5, 2]
    # 整改率: each unit's parts from its latest report giving both: 2/2, 15/15, 6/10 (大同, June), 1/3, 20/20
    rate = totals["fix_rate"]
    assert [rate[k] for k in ("value", "numerator", "denominator", "units", "carried_units")] == [88, 44, 50, 5, 3]
    assert (rate["achieved_share"], rate["behind_pace"]) == (0.88, False)
    assert (totals["checked"]["achieved_share"], totals["checked"]["behind_pace"]) == (0.8, False)
    assert [(m[n]["warning"], m[n]["done"], m[n]["pending"]) for n in (1, 2, 3, 4)] == [
        ("green", False, False),
        ("red", False, False),
        ("green", True, False),
        ("pending", False, True),
    ]
    assert m[2]["counts"] == {"done": 3, "in_progress": 1, "not_started": 0, "not_reported": 1}
    assert [(u["unit_id"], u["status"], u["carried_from"]) for u in m[2]["units_not_done"]] == [
        ("xinzhou", "推进中", "2022-06"),
        ("lvliang", "未报", None),
    ]
    listed = m[2]["indicators"][0]  # 20 + 9 + 7 + 11 (忻州, June) = 47; 本月 0 + 0 + (7 − 4) = 3
    assert [listed[k] for k in ("value", "this_month", "carried_units")] == [47, 3, 1]
    assert m[3]["department"] == {
        "unit_id": "shanxi",
        "unit": "山西省应急管理厅",
        "status": "已完成",
        "status_month": "2022-06",
        "carried_from": "2022-06",
    }
    assert (m[3]["indicators"][0]["value"], m[3]["department_only"]) == (1, True)
    assert m[1]["cities"] == {"applicable": 5, "done": 0} and m[2]["cities"] == {"applicable": 5, "done": 3}
    # every city behind, none cut off: overdue M2 (忻州, 吕梁), then 朔州's own 整改率 1/3 < 49.3%
    assert [(b["unit_id"], b["overdue"], [x["key"] for x in b["behind_pace"]]) for b in doc["units_behind"]] == [
        ("xinzhou", [2], []),
        ("lvliang", [2], []),
        ("shuozhou", [], ["fix_rate"]),
    ]


def test_june_totals_are_not_above_july():
    """The issue's complaint: totals fell while units were missing.  June (as of 07-20) to July only grow."""
    june = json.loads(run("status", "--month", "2022-06", "--as-of", AS_OF, "--json").stdout)
    july = status_doc()
    for before, after in zip(june["measures"], july["measures"]):
        for a, b in zip(before["indicators"], after["indicators"]):
            if a["kind"] != "rate":
                assert b["value"] >= a["value"], (after["number"], b["key"], a["value"], b["value"])
    checked = june["measures"][0]["indicators"][0]
    assert (checked["value"], checked["carried_units"]) == (55, 1)  # 3 + 10 (太原, May) + 12 + 0 + 30


# --- the bulletin -------------------------------------------------------------------------------------


def test_bulletin_paragraphs_mid_july():
    result = run("bulletin", "--month", "2022-07", "--date", AS_OF)
    assert result.exit_code == 0, result.output
    text = result.stdout
    paragraphs = text.split("\n\n")
    assert (
        "现将截至2022年7月31日全省测试专项行动2022年重点任务推进情况通报如下。" in paragraphs[2]
    )  # the data stand at the period end
    assert (
        "截至2022年7月20日，7月应报送月报的设区市5个，按时报送3个；尚未到报送日2个：忻州市、吕梁市。"
        "忻州市7月未报，数据沿用6月。省厅负责的措施沿用6月情况。吕梁市本年度尚无报告，未计入统计。"
        "忻州市7月报告有误，未计入。山西省应急管理厅7月报告尚为草稿，未计入。"
    ) in paragraphs
    assert (
        "4条措施中，全部责任单位均已完成1条，其余3条正在推进；按完成时限和序时进度，"
        "红灯1条、黄灯0条、绿灯2条，待报1条。"
    ) in paragraphs
    assert (
        "措施1（排查整改）尚无设区市完成，省厅正在推进（数据截至6月），"
        "检查企业数累计80家（本月25家），完成目标100家的80.0%，整改率88.0%，目标100%，序时进度49.3%；"
        "措施2（建台账）已有3个设区市完成（共5个）。"
    ) in paragraphs
    assert (
        "措施3（专题培训）省厅已完成（数据截至6月），举办专题培训累计1次，"
        "完成目标1次的100.0%；措施4（制定指南）省厅正在推进（数据截至6月），本月待报。"
    ) in paragraphs
    assert (
        "措施2（建台账）完成时限为2022年3月底前，已逾期122天，忻州市（推进中，数据截至6月）、吕梁市（未报）尚未完成。"
    ) in paragraphs
    assert (
        "按逾期未完成的措施数、本市比率指标落后序时进度的项数由多到少排列：忻州市逾期未完成措施2（数据截至6月）；"
        "吕梁市逾期未完成措施2；朔州市措施1整改率落后序时进度。"
    ) in paragraphs
    assert text.rstrip().endswith("2022年7月20日")  # 成文日期
    assert "0次" not in text and "落后于序时进度的指标" not in text  # no indicator behind pace: no such section


def test_strict_refuses_and_validate_agrees():
    assert run("status", "--month", "2022-07", "--strict").exit_code == 1
    checked = run("validate", "--as-of", AS_OF)
    assert checked.exit_code == 1 and "发现1个错误，4个提醒" in checked.output  # the broken file; the draft


# --- the June bulletin of the shipped data ------------------------------------------------------------


def test_shipped_june_bulletin_dated_july_5(tmp_path):
    """Acceptance: 成文日期 2022年7月5日, data as at 2022-06-30, 大同 4 days late, 吕梁 missing and carried,
    the 11 cities counted; and validate --as-of 2022-07-05 passes on the same data."""
    data = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, data)
    result = run("bulletin", "--month", "2022-06", "--date", "2022-07-05", data=data)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "现将截至2022年6月30日全省" in text
    assert "截至2022年7月5日，6月应报送月报的设区市11个，按时报送9个；迟报1个：大同市（迟4天）；" in text
    assert "未报送1个：吕梁市。吕梁市6月未报，数据沿用5月。" in text
    assert "应报送单位12个" not in text and "山西省应急管理厅1/" not in text
    assert "措施12（考核记分办法）省厅已完成" in text
    # 措施 6: 吕梁's May 已完成 stands, so one city (运城) has not finished — the same count everywhere
    assert "措施6（三类企业再排查建台账）已有10个设区市完成（共11个）" in text
    assert "已逾期91天，运城市（推进中）尚未完成" in text
    assert text.rstrip().endswith("山西省应急管理厅\n\n2022年7月5日")
    assert run("validate", "--as-of", "2022-07-05", data=data).exit_code == 0
    doc = json.loads(run("status", "--month", "2022-06", "--as-of", "2022-07-05", "--json", data=data).stdout)
    six = next(m for m in doc["measures"] if m["number"] == 6)
    assert (six["cities"], six["reasons"]) == ({"applicable": 11, "done": 10}, ["已超过完成时限91天，1个单位未完成"])
    # the workbook's 图表 counts 吕梁 as done on 措施 6 too: the same status everywhere
    lvliang = next(u for u in doc["unit_completion"] if u["unit_id"] == "lvliang")
    assert lvliang["done"] >= 1
