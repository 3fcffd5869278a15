"""The 执法情况 block (report `enforcement`) and the yes/no kind (measure 18's 建立与否), as validate
reports them: exact code, line and column, and a Chinese hint.  Each case changes one line of
tests/fixtures/totals/reports/taiyuan/2022-06.yaml (line 9 enforcement, line 11 measure 1, line 12 measure 2)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import TESTS, assert_no_crash, run_cli
from hardening_helpers import problem_lines

FIXTURE = TESTS / "fixtures" / "totals"
FILE = "reports/taiyuan/2022-06.yaml"
LINES = (FIXTURE / FILE).read_text(encoding="utf-8").splitlines()
ENFORCEMENT, MEASURE_1, MEASURE_2 = LINES[8], LINES[10], LINES[11]


def validate(tmp_path: Path, old: str, new: str):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    path = data / FILE
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    result = run_cli("--data", str(data), "validate", "--as-of", "2022-07-05")
    assert_no_crash(result)
    return result, [line.split(str(data) + "/", 1)[-1] for line in problem_lines(result.output)]


def col(line: str, text: str) -> int:
    return line.index(text) + 1


def test_the_fixture_is_valid(tmp_path):
    result, problems = validate(tmp_path, "mechanism: 是", "mechanism: 是")
    assert result.exit_code == 0 and problems == [], result.output


@pytest.mark.parametrize("written", ["有", "已建立", "没有", '"yes"', '"No"'])  # quoted yes/no: text, not 是/否
def test_yes_no_written_otherwise_is_told_to_write_yes_or_no(tmp_path, written):
    result, problems = validate(tmp_path, "mechanism: 是", f"mechanism: {written}")
    assert result.exit_code == 1
    assert problems == [f"{FILE}:12:{col(MEASURE_2, '是}')}: Y103"], result.output
    assert "是否类指标只能写“是”或“否”" in result.output and "提示：写“是”或“否”" in result.output


def test_a_number_for_a_yes_no_indicator(tmp_path):
    result, problems = validate(tmp_path, "mechanism: 是", "mechanism: 1")
    assert problems == [f"{FILE}:12:{col(MEASURE_2, '是}')}: Y103"], result.output
    assert "建立沟通协调工作机制是“是否”类指标，不填数字" in result.output and "写“是”或“否”" in result.output


def test_yes_for_a_count(tmp_path):
    result, problems = validate(tmp_path, "found: 9", "found: 是")
    assert problems == [f"{FILE}:11:{col(MEASURE_1, '9,')}: Y103"], result.output
    assert "发现隐患数（项）应为数字，实际是“是”" in result.output


def test_a_yaml_boolean_is_refused_with_its_hint(tmp_path):
    result, problems = validate(tmp_path, "mechanism: 是", "mechanism: yes")
    assert problems == [f"{FILE}:12:{col(MEASURE_2, '是}')}: Y008"], result.output


def test_an_enforcement_figure_going_down_is_y207(tmp_path):
    result, problems = validate(tmp_path, "inspected: 25", "inspected: 9")
    assert problems == [f"{FILE}:9:{col(ENFORCEMENT, '25')}: Y207"], result.output
    assert "累计数9比2022年5月报送的10少" in result.output


def test_penalties_under_a_measure_point_to_the_enforcement_block(tmp_path):
    result, problems = validate(tmp_path, "{found: 9, fixed: 6}", "{found: 9, fixed: 6, penalties: 1}")
    assert problems == [f"{FILE}:11:{col(MEASURE_1, 'fixed: 6}') + 10}: Y205"], result.output
    assert "行政处罚（penalties）填在月报的 enforcement（执法情况）下，每份月报只填一次，不分措施" in result.output


def test_an_unknown_enforcement_key(tmp_path):
    result, problems = validate(tmp_path, "penalties: 3,", "penalty: 3,")
    assert problems == [f"{FILE}:9:{col(ENFORCEMENT, 'penalties')}: Y205"], result.output
    assert "指标 penalty 不属于执法情况" in result.output and "是否为 penalties？" in result.output


def test_a_fraction_of_a_case_is_y103(tmp_path):
    result, problems = validate(tmp_path, "penalties: 3,", "penalties: 3.5,")
    assert problems == [f"{FILE}:9:{col(ENFORCEMENT, '3,')}: Y103"], result.output
    assert "行政处罚（起）应为整数" in result.output
