"""`new-report`, `new-event`, `events` through the CLI on a real temporary data folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from typer.testing import CliRunner

from conftest import CITY_TASKS_TEXT
from conftest import REPO as ROOT
from hardening_helpers import native
from yejin.cli import app

runner = CliRunner()


def copy_data(tmp_path: Path, with_reports: bool = True) -> Path:
    data = tmp_path / "data"
    if with_reports:
        shutil.copytree(ROOT / "data", data)
    else:
        data.mkdir()
        shutil.copy(ROOT / "data" / "tasks.yaml", data / "tasks.yaml")
    return data


def run(data: Path, *args: str):
    result = runner.invoke(app, ["--data", str(data), *args], env={"COLUMNS": "120", "GITHUB_ACTIONS": None})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_new_report_carries_forward_and_validates(tmp_path):
    data = copy_data(tmp_path)
    result = run(data, "new-report", "--unit", "太原", "--month", "2022-07", "--submitted", "2022-07-28")
    assert result.exit_code == 0
    path = data / "reports" / "taiyuan" / "2022-07.yaml"
    assert result.stdout.strip().endswith(native("reports/taiyuan/2022-07.yaml"))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/report.schema.json\n")
    assert "填写说明" in text
    new = yaml.safe_load(text)
    june = yaml.safe_load((data / "reports" / "taiyuan" / "2022-06.yaml").read_text(encoding="utf-8"))
    assert new["contacts"] == june["contacts"]
    assert set(new["measures"]) == set(june["measures"])
    for number, entry in june["measures"].items():
        assert new["measures"][number]["status"] == entry["status"]
        assert new["measures"][number]["indicators"] == entry.get("indicators", {}) or not entry.get("indicators")
        assert new["measures"][number]["progress"] == ""
    assert "sample_data" not in new  # a real report is not marked as sample
    assert run(data, "validate").exit_code == 0


def test_new_report_never_overwrites(tmp_path):
    data = copy_data(tmp_path)
    path = data / "reports" / "taiyuan" / "2022-06.yaml"
    before = path.read_bytes()
    result = run(data, "new-report", "--unit", "taiyuan", "--month", "2022-06")
    assert result.exit_code == 1
    assert "已存在" in result.output and "不会覆盖" in result.output
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_new_report_without_history_starts_from_zero(tmp_path):
    data = copy_data(tmp_path, with_reports=False)
    result = run(data, "new-report", "--unit", "140200", "--month", "2022-03", "--submitted", "2022-03-30")
    assert result.exit_code == 0
    new = yaml.safe_load((data / "reports" / "datong" / "2022-03.yaml").read_text(encoding="utf-8"))
    assert new["draft"] is True  # issue 14: a generated report is a draft until the line is deleted
    assert {e["status"] for e in new["measures"].values()} == {"未启动"}
    # every figure 0, the yes/no answer 否 (measure 18), the 执法情况 block 0 too
    figures = {k: v for e in new["measures"].values() for k, v in e.get("indicators", {}).items()}
    assert figures.pop("mechanism_established") == "否"
    assert set(figures.values()) == {0}
    assert new["enforcement"] == {"enterprises_inspected": 0, "penalties": 0, "fines": 0}
    assert 12 not in new["measures"] and 9 in new["measures"]  # province-only out, county-level in for a city
    # contacts are left for the user: the draft is valid on its own, and validate says exactly where
    result = run(data, "validate")
    assert result.exit_code == 0, result.output
    draft = native("reports/datong/2022-03.yaml")
    assert f"{draft}:6:8: Y218 [提醒] 这是草稿（draft: true），不计入汇总" in result.output
    assert f"{draft}:11:13: Y218 [提醒] 草稿中未填写：A 角姓名" in result.output
    assert f"{draft}:11:24: Y218 [提醒] 草稿中未填写：A 角电话" in result.output
    assert run(data, "validate", "--strict").exit_code == 1
    doc = json.loads(run(data, "status", "--month", "2022-03", "--as-of", "2022-04-05", "--json").stdout)
    datong = next(s for s in doc["submissions"] if s["unit_id"] == "datong")
    assert (datong["state"], datong["text"]) == ("未报", "未报（草稿）")
    assert datong["draft"].endswith(native("data/reports/datong/2022-03.yaml"))


def test_new_report_is_valid_as_a_draft_and_counts_once_the_line_is_deleted(tmp_path):
    data = copy_data(tmp_path)
    assert run(data, "new-report", "--unit", "太原", "--month", "2022-07", "--submitted", "2022-07-20").exit_code == 0
    path = data / "reports" / "taiyuan" / "2022-07.yaml"
    doc = json.loads(run(data, "status", "--month", "2022-07", "--as-of", "2022-07-31", "--json").stdout)
    taiyuan = next(s for s in doc["submissions"] if s["unit_id"] == "taiyuan")
    assert (taiyuan["text"], taiyuan["submitted"], taiyuan["carried_from"]) == ("未报（草稿）", None, "2022-06")
    text = path.read_text(encoding="utf-8")
    filled = text.replace('progress: ""', 'progress: "本月继续推进。"').replace("draft: true", "# draft: true")
    path.write_text(filled, encoding="utf-8")
    assert run(data, "validate", "--strict").exit_code == 0
    doc = json.loads(run(data, "status", "--month", "2022-07", "--as-of", "2022-07-31", "--json").stdout)
    taiyuan = next(s for s in doc["submissions"] if s["unit_id"] == "taiyuan")
    assert (taiyuan["text"], taiyuan["submitted"], taiyuan["carried_from"]) == ("按时", "2022-07-20", None)


def test_generators_refuse_months_outside_the_campaign(tmp_path):
    """issue 14: new-report -m 2023-01 wrote a file that failed Y209; now the month is refused (exit 2)."""
    data = copy_data(tmp_path)
    for month in ("2023-01", "2022-02", "2021-12"):
        result = run(data, "new-report", "--unit", "太原", "--month", month)
        assert result.exit_code == 2, (month, result.output)
        assert "本专项行动的月份为2022-03至2022-12" in result.output
    assert not (data / "reports" / "taiyuan" / "2023-01.yaml").exists()
    result = run(data, "new-event", "--unit", "太原", "--date", "2023-01-05", "--title", "x", "--summary", "y")
    assert result.exit_code == 2 and "月份2023-01不在2022年度内" in result.output


def test_new_event_without_summary_is_a_draft_and_blocks_no_one(tmp_path):
    """issue 14: `new-event` wrote summary: "" (Y110) and from then on every command refused to run."""
    data = copy_data(tmp_path)
    result = run(data, "new-event", "--unit", "太原", "--date", "2022-06-20", "--title", "某企业除尘系统隐患")
    assert result.exit_code == 0
    path = data / "reports" / "taiyuan" / "events" / "2022-06-20-event.yaml"
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["draft"] is True
    checked = run(data, "validate")
    assert checked.exit_code == 0 and "草稿中未填写：情况摘要" in checked.output
    for args in (["status"], ["events"], ["bulletin", "--month", "2022-06", "--date", "2022-07-05"]):
        assert run(data, *args).exit_code == 0, args
    listed = json.loads(run(data, "events", "--json").stdout)
    assert ("某企业除尘系统隐患", True) in [(e["title"], e["draft"]) for e in listed]
    bulletin = run(data, "bulletin", "--month", "2022-06", "--date", "2022-07-05").stdout
    assert "某企业除尘系统隐患" not in bulletin  # a draft is not reported


def test_new_report_bad_options(tmp_path):
    data = copy_data(tmp_path)
    assert run(data, "new-report", "--unit", "北京", "--month", "2022-07").exit_code == 2
    assert run(data, "new-report", "--unit", "太原", "--month", "2022年7月").exit_code == 2


def test_new_event_and_events_listing(tmp_path):
    data = copy_data(tmp_path)
    args = [
        "new-event",
        "--unit",
        "太原市",
        "--date",
        "2022-06-12",
        "--title",
        "某钢铁企业煤气泄漏险情",
        "--category",
        "险情",
        "--measure",
        "5",
        "--summary",
        "已处置，无人员伤亡。",
    ]
    first = run(data, *args)
    assert first.exit_code == 0
    second = run(data, *args[:6], "另一起险情", *args[7:])
    assert second.exit_code == 0
    # files are named as problems name them: with / on every system (problems.relative)
    assert first.stdout.strip().endswith(native("reports/taiyuan/events/2022-06-12-event.yaml"))
    assert second.stdout.strip().endswith(native("reports/taiyuan/events/2022-06-12-event-2.yaml"))
    assert run(data, "validate").exit_code == 0
    listed = json.loads(run(data, "events", "--month", "2022-06", "--json").stdout)
    assert [(e["date"], e["unit_id"], e["category"], e["measures"]) for e in listed] == [
        ("2022-06-12", "taiyuan", "险情", [5]),  # the sample event shipped in data/
        ("2022-06-12", "taiyuan", "险情", [5]),
        ("2022-06-12", "taiyuan", "险情", [5]),
    ]
    assert json.loads(run(data, "events", "--month", "2022-05", "--json").stdout) == []
    table = run(data, "events", "--unit", "taiyuan")
    assert "某钢铁企业煤气泄漏险情" in table.stdout
    status = run(data, "status", "--month", "2022-06")
    assert "本月重要情况3件，详见 yejin events --month 2022-06" in status.stdout


def test_event_rules(tmp_path):
    data = copy_data(tmp_path)
    events = data / "reports" / "taiyuan" / "events"
    events.mkdir(exist_ok=True)  # the shipped sample data has an event of taiyuan
    body = (
        'unit: 太原市\ndate: 2022-06-12\ntitle: "同一件事"\ncategory: 险情\nmeasures: [5, 99]\n'
        'summary: "摘要"\ncontacts: {a: {name: 甲, phone: "0351-1234567"}, b: {name: 乙, phone: "13912345678"}}\n'
    )
    (events / "2022-06-12-a.yaml").write_text(body, encoding="utf-8")
    (events / "2022-06-12-b.yaml").write_text(body.replace("[5, 99]", "[5]"), encoding="utf-8")
    (events / "2022-06-13-c.yaml").write_text(body.replace("category: 险情", "category: 事件"), encoding="utf-8")
    (events / "2022-06-14-e.yaml").write_text(body.replace("[5, 99]", "[]"), encoding="utf-8")
    (events / "2021-06-13-d.yaml").write_text(body.replace("2022-06-12", "2021-06-13"), encoding="utf-8")
    (events / "notes.yaml").write_text(body, encoding="utf-8")
    result = run(data, "validate")
    assert result.exit_code == 1
    out = result.output
    events = native("reports/taiyuan/events/")
    assert f"{events}2022-06-12-a.yaml:5:15: Y203 措施99不存在" in out
    assert f"{events}2022-06-12-b.yaml:3:8: Y212" in out
    assert f"{events}2022-06-14-e.yaml:2:7: Y202 文件名应以日期2022-06-12开头" in out
    assert f"{events}2022-06-13-c.yaml:4:11: Y104" in out
    assert f"{events}2021-06-13-d.yaml:2:7: Y209" in out
    assert f"{events}notes.yaml: Y211" in out


def test_new_event_bad_options(tmp_path):
    data = copy_data(tmp_path)
    base = ["new-event", "--unit", "太原", "--date", "2022-06-12", "--title", "x"]
    assert run(data, *base, "--category", "事件").exit_code == 2
    assert run(data, *base, "--measure", "99").exit_code == 2
    assert run(data, *base, "--name", "中文").exit_code == 2
    assert run(data, "new-event", "--unit", "太原", "--date", "2022-06-31", "--title", "x").exit_code == 2


def test_new_event_refuses_a_title_the_file_could_not_keep(tmp_path):
    """A title with line breaks (a fake section of the 通报) or control characters: exit 2, no file;
    the summary may have line breaks."""
    data = copy_data(tmp_path)
    files = sorted((data / "reports").rglob("*"))
    for title, said in [
        ("事故\n\n## 六、伪造的一节\n\n山西省应急管理厅", "不能换行"),
        ("王\x1b]0;pwned\x07五", "不能含有控制字符 \\x1b"),
    ]:
        result = run(data, "new-event", "--unit", "太原", "--date", "2022-06-12", "--title", title, "--summary", "摘要")
        assert result.exit_code == 2, result.output
        assert "--title" in result.output and said in result.output and "\x1b" not in result.output
        assert sorted((data / "reports").rglob("*")) == files
    result = run(
        data, "new-event", "--unit", "太原", "--date", "2022-06-12", "--title", "<b>#1</b>", "--summary", "一\n二"
    )
    assert result.exit_code == 0, result.output
    assert run(data, "validate").exit_code == 0


def test_new_report_for_a_county_once_its_city_opts_in(tmp_path):
    data = copy_data(tmp_path, with_reports=False)
    (data / "tasks.yaml").write_text(CITY_TASKS_TEXT, encoding="utf-8")  # 太原 reports 全市 figures itself
    refused = run(data, "new-report", "--unit", "小店", "--month", "2022-06")
    assert refused.exit_code == 2
    assert "小店区是太原市的县（区），太原市尚未启用县（区）单独报送" in refused.output
    tasks = data / "tasks.yaml"
    old = 'code: "140100", level: 市, parent: shanxi}'
    tasks.write_text(tasks.read_text(encoding="utf-8").replace(old, old[:-1] + ", counties: {report: true}}"), "utf-8")
    made = run(data, "new-report", "--unit", "小店", "--month", "2022-06", "--submitted", "2022-06-28")
    assert made.exit_code == 0, made.output
    path = data / "reports" / "taiyuan-xiaodian" / "2022-06.yaml"
    report = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert report["unit"] == "小店区"
    assert sorted(report["measures"]) == [n for n in range(1, 19) if n not in (10, 12, 13, 15)]
    filled = path.read_text(encoding="utf-8").replace('progress: ""', 'progress: "本月继续推进。"')
    filled = filled.replace("draft: true", "# draft: true").replace('name: ""', "name: 张三")
    path.write_text(filled.replace('phone: ""', 'phone: "0351-5550101"'), encoding="utf-8")
    checked = run(data, "validate", "--strict", "--as-of", "2022-06-30")
    assert checked.exit_code == 0, checked.output
