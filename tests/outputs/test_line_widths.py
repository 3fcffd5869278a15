"""The terminal at 80, 100 and 120 columns never splits a number, a date or a number with its unit,
and never starts a line with closing punctuation (issue 16, item 7): status, status --unit,
deadlines, events and validate, on the shipped data and on tests/fixtures/long_texts (long measure
names and progress texts full of figures and dates in both spellings)."""

from __future__ import annotations

import re
import shutil

import pytest
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from typer.testing import CliRunner

from conftest import SHIPPED_DATA, TESTS
from hardening_helpers import native
from line_checks import bad_breaks
from yejin.cli import app

LONG = TESTS / "fixtures" / "long_texts"
COUNTIES = TESTS / "fixtures" / "counties"
WIDTHS = [80, 100, 120]
DAY = ["--month", "2022-06", "--as-of", "2022-07-05"]
VIEWS = {
    "status": ["status", *DAY],
    "status --unit 太原": ["status", "--unit", "太原", *DAY],
    "deadlines": ["deadlines", *DAY],
    "events": ["events"],
}
runner = CliRunner()


def shown(data, args: list[str], width: int) -> str:
    result = runner.invoke(
        app,
        ["--data", str(data), *args],
        env={"COLUMNS": str(width), "NO_COLOR": "1", "GITHUB_ACTIONS": None},
    )
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("data", [SHIPPED_DATA, LONG], ids=["shipped", "long_texts"])
def test_no_figure_is_split(data, view, width):
    output = shown(data, VIEWS[view], width)
    assert bad_breaks(output) == [], output
    assert max(cell_len(line) for line in output.splitlines()) <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_a_city_of_counties_keeps_every_phone_number_whole(width):
    """`status --unit 阳泉` (counties reporting, some late or missing: their contacts shown) sized its table
    by rich alone, and at 80 columns split 0353-2000006 and 13900000006: every table is sized alike now."""
    output = shown(COUNTIES, ["status", "--unit", "阳泉", "--as-of", "2022-07-10"], width)
    assert bad_breaks(output) == [], output
    assert max(cell_len(line) for line in output.splitlines()) <= width
    for phone in ("0353-2000006", "13900000006", "0353-2000004", "13900000004", "0353-2000007", "13900000007"):
        assert phone in output, output


def test_the_cases_of_the_issue_are_whole():
    """ "33家（+1 / 3）", "25.65万 / 元" (status --unit 太原 at 80), "行政处罚3 / 0次" (at 100),
    "202 / 2-06" (deadlines), "省厅：按时" (the summary at 80)."""
    unit80 = shown(LONG, VIEWS["status --unit 太原"], 80)
    assert "25.65万元" in unit80 and "30次" in unit80 and "12项（+2）" in unit80
    assert "2022年6月30日，" in unit80 and "2022年7月15日前" in unit80
    assert re.search(r"省厅：按时", shown(SHIPPED_DATA, VIEWS["status"], 80))
    lines = shown(SHIPPED_DATA, VIEWS["deadlines"], 80).splitlines()
    dates = [line.split("|")[1].strip() for line in lines if line.startswith("|")]
    assert {d for d in dates if d} - {"完成时限"} == {
        "2022-03-31",
        "2022-06-30",
        "2022-09-30",
        "2022-11-30",
        "2022-12-31",
    }


def test_the_check_fails_on_what_rich_does_alone():
    """Without yejin's line breaks rich folds the same text inside the numbers: the check sees it."""
    text = (LONG / "reports" / "taiyuan" / "2022-06.yaml").read_text(encoding="utf-8")
    progress = re.search(r'progress: "(截至.*?)"', text).group(1)
    console = Console(width=80, no_color=True, highlight=False)
    table = Table("序号", "进展情况", box=box.ASCII2)
    for width in range(14, 30):
        table.add_row(str(width), progress)
        table.columns[1].width = width
        with console.capture() as captured:
            console.print(table)
        if bad_breaks(captured.get()):
            return
    pytest.fail("rich alone never split a figure: the check cannot fail")


def test_events_without_a_month_name_the_months(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(LONG, data)
    shutil.rmtree(data / "reports" / "datong" / "events")
    result = runner.invoke(app, ["--data", str(data), "events"], env={"NO_COLOR": "1"})
    assert (result.exit_code, result.stdout) == (0, "重要情况（2022年3月至2022年12月）：无\n")
    result = runner.invoke(app, ["--data", str(data), "events", "-u", "大同", "-m", "2022-06"], env={"NO_COLOR": "1"})
    assert (result.exit_code, result.stdout) == (0, "大同市重要情况（2022年6月）：无\n")


def _broken(tmp_path):
    """long_texts with mistakes whose messages and hints are long and full of figures."""
    data = tmp_path / "data"
    shutil.copytree(LONG, data)
    report = data / "reports" / "taiyuan" / "2022-06.yaml"
    text = report.read_text(encoding="utf-8")
    text = text.replace("{found: 12, fixed: 10}", "{found: 12家, fixed: 5}")  # Y103; Y207: May had 6 fixed
    text = text.replace("{inspected: 5, fines: 2.25}", "{inspected: ５, fines: 2.25}")
    text = text.replace("submitted: 2022-06-29", "submitted: 2022年6月29日")
    report.write_text(text, encoding="utf-8")
    return data


@pytest.mark.parametrize("width", WIDTHS)
def test_validate_breaks_lines_by_the_same_rule_and_keeps_the_hints_indent(tmp_path, monkeypatch, width):
    import yejin.cli

    _broken(tmp_path)
    monkeypatch.setattr(yejin.cli, "_terminal_width", lambda: width)  # as on a terminal that wide
    monkeypatch.chdir(tmp_path)
    output = runner.invoke(app, ["--data", "data", "validate"], env={"GITHUB_ACTIONS": None}).stdout
    lines = output.splitlines()
    assert bad_breaks(output) == [], output
    assert max(cell_len(line) for line in lines) <= width
    assert "提示：数字后面不要带单位“家”，写成12" in re.sub(r"\n {12}", "", output)
    # each line of a hint after the first is indented under the hint's first word, each line of a
    # message under its location
    kinds = []
    for line in lines:
        if line.startswith("      提示："):
            kinds.append("hint")
        elif line.startswith("  " + native("data/")):
            kinds.append("problem")
        elif line.startswith(" " * 12) and kinds[-1] in ("hint", "hint+"):
            kinds.append("hint+")
        elif line.startswith("    ") and kinds[-1] in ("problem", "problem+"):
            kinds.append("problem+")
        else:
            kinds.append(line)
    if width == 80:
        assert "hint+" in kinds  # the test means something: some hint is long enough to wrap
    assert [k for k in kinds if k not in ("hint", "hint+", "problem", "problem+")] == [
        native("data/reports/taiyuan/2022-06.yaml"),
        "检查9个文件，发现4个错误",
    ]


def test_validate_into_a_pipe_keeps_each_problem_on_one_line(tmp_path, monkeypatch):
    _broken(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["--data", "data", "validate"], env={"COLUMNS": "80", "GITHUB_ACTIONS": None})
    lines = result.stdout.splitlines()
    assert result.exit_code == 1 and len(lines) == 10  # the file, 4 problems with a hint each, the summary
    assert all(line.startswith((native("data/"), native("  data/"), "      提示：", "检查")) for line in lines)
    assert max(cell_len(line) for line in lines) > 80


def test_the_files_left_out_are_listed_to_the_terminals_width(tmp_path, monkeypatch):
    """deadlines, export … name the files left out on stderr: broken to the terminal's width too."""
    import yejin.cli

    _broken(tmp_path)
    monkeypatch.setattr(yejin.cli, "_terminal_width", lambda err=False: 60)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["--data", "data", "deadlines", *DAY[:2]], env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert lines[:2] == ["报告有误，未计入（1个文件；其余数据照常汇总，yejin validate", "列出全部错误）："]
    assert lines[2] == f"  太原市  {native('data/reports/taiyuan/2022-06.yaml:3:12:')} Y103 应为"
    assert lines[3] == "    日期，写成2022-06-29"  # the day the hint names too
    assert max(cell_len(line) for line in lines) <= 60
    assert bad_breaks(result.stderr) == []
