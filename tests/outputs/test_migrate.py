"""`yejin migrate`: old reports (行政处罚、罚款、执法检查 under measures) rewritten into the 执法情况 block,
every other line and comment kept; files it cannot rewrite safely are refused and left untouched.
tests/fixtures/migrate/before.yaml → after.yaml is the expected rewrite, written by hand:
enterprises_inspected 40 (措施16), penalties 2 + 1 = 3 (措施2、5), fines 35.1 + 0.2 = 35.3 (措施5、16)."""

from __future__ import annotations

import shutil
from pathlib import Path

from chinese_text import gaps
from conftest import CITY_TASKS, TESTS, measures_of, run_cli

FIXTURE = TESTS / "fixtures" / "migrate"
REST = measures_of("taiyuan", skip=(2, 5, 16))  # the other measures, so that the report is complete


def folder(tmp_path: Path, text: str) -> Path:
    data = tmp_path / "data"
    (data / "reports" / "taiyuan").mkdir(parents=True)
    shutil.copy(CITY_TASKS, data / "tasks.yaml")  # 太原 reporting 全市 figures, as measures_of() assumes
    (data / "reports" / "taiyuan" / "2022-06.yaml").write_text(text, encoding="utf-8")
    return data


def test_before_is_refused_by_validate_and_after_is_what_migrate_writes(tmp_path):
    before = (FIXTURE / "before.yaml").read_text(encoding="utf-8") + REST
    data = folder(tmp_path, before)
    old = run_cli("--data", str(data), "validate", "--as-of", "2022-07-05")
    assert old.exit_code == 1 and old.output.count("Y205") == 5, old.output  # 2 penalties, 2 fines, inspections
    result = run_cli("--data", str(data), "migrate")
    assert result.exit_code == 0, result.output
    report = data / "reports" / "taiyuan" / "2022-06.yaml"
    assert report.read_text(encoding="utf-8") == (FIXTURE / "after.yaml").read_text(encoding="utf-8") + REST
    assert "行政处罚：措施2的2、措施5的1 → enforcement.penalties: 3" in result.output
    assert "注意：罚款由2条措施相加（措施5的35.1、措施16的0.2），同一案件可能重复计数" in result.output
    assert "改写1份月报" in result.output
    assert not gaps(result.output)  # no space between Chinese and digits (issue 17)
    new = run_cli("--data", str(data), "validate", "--as-of", "2022-07-05")
    assert new.exit_code == 0, new.output
    again = run_cli("--data", str(data), "migrate")  # nothing left to move
    assert again.exit_code == 0 and "改写0份月报" in again.output
    assert report.read_text(encoding="utf-8") == (FIXTURE / "after.yaml").read_text(encoding="utf-8") + REST


def test_dry_run_changes_nothing(tmp_path):
    before = (FIXTURE / "before.yaml").read_text(encoding="utf-8")
    data = folder(tmp_path, before)
    result = run_cli("--data", str(data), "migrate", "--dry-run")
    assert result.exit_code == 0 and "将改写" in result.output and "需要改写1份月报" in result.output
    assert (data / "reports" / "taiyuan" / "2022-06.yaml").read_text(encoding="utf-8") == before


def test_files_it_cannot_rewrite_safely_are_left_untouched(tmp_path):
    before = (FIXTURE / "before.yaml").read_text(encoding="utf-8")
    cases = {
        "flow": (
            before.replace(
                "    indicators:\n      enterprises_graded: 12\n      inspections: 40\n      fines: 0.2\n",
                "    indicators: {enterprises_graded: 12, inspections: 40, fines: 0.2}\n",
            ),
            "花括号",
        ),
        "broken": (before.replace("status: 推进中", "status：推进中", 1), "文件读不通"),
        "both": (before.replace("measures:  #", "enforcement: {penalties: 1}\nmeasures:  #"), "已有 enforcement"),
    }
    for name, (text, reason) in cases.items():
        data = folder(tmp_path / name, text)
        result = run_cli("--data", str(data), "migrate")
        assert result.exit_code == 1 and reason in result.output, (name, result.output)
        assert (data / "reports" / "taiyuan" / "2022-06.yaml").read_text(encoding="utf-8") == text, name
