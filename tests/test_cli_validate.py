"""`yejin validate` as a command: exit codes, path arguments, the summary line, --version."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import MINIMAL_REPORT, VALID_REPORT, assert_no_crash, run_cli, write_report
from hardening_helpers import native
from yejin import __version__

SUMMARY = re.compile(r"^检查(\d+)个文件，发现(\d+)个错误$", re.MULTILINE)
BAD_STATUS = MINIMAL_REPORT + "measures:\n  1:\n    status: 完成\n"  # Y104 at 9:13
BAD_UNIT = MINIMAL_REPORT.replace("unit: 太原市", "unit: 太远市").replace('"2022-06"', '"2022-05"')


def summary(output: str) -> tuple[int, int]:
    (match,) = SUMMARY.findall(output)
    return int(match[0]), int(match[1])


def test_shipped_data_is_valid(shipped_data: Path) -> None:
    result = run_cli("--data", str(shipped_data), "validate")
    assert_no_crash(result)
    assert result.exit_code == 0, result.output
    files, errors = summary(result.output)
    reports = [p for p in (shipped_data / "reports").rglob("*.yaml")]
    assert files == 1 + len(reports) and errors == 0
    assert "Y0" not in result.output and "Y1" not in result.output and "Y2" not in result.output


def test_default_data_folder_is_data_in_the_working_folder(data_dir: Path) -> None:
    write_report(data_dir, "reports/taiyuan/2022-06.yaml", VALID_REPORT)
    result = run_cli("validate")
    assert result.exit_code == 0, result.output
    assert summary(result.output) == (2, 0)


def test_yejin_data_environment_variable(data_dir: Path, workdir: Path) -> None:
    elsewhere = workdir / "elsewhere"
    elsewhere.mkdir()
    data_dir.rename(elsewhere / "mydata")
    write_report(elsewhere / "mydata", "reports/taiyuan/2022-06.yaml", BAD_STATUS)
    result = run_cli("validate", env={"YEJIN_DATA": str(elsewhere / "mydata")})
    assert result.exit_code == 1
    assert native("elsewhere/mydata/reports/taiyuan/2022-06.yaml:9:13:") + " Y104 " in result.output


def test_summary_counts_files_and_errors(data_dir: Path) -> None:
    write_report(data_dir, "reports/taiyuan/2022-06.yaml", BAD_STATUS)
    write_report(data_dir, "reports/taiyuan/2022-05.yaml", BAD_UNIT)
    write_report(data_dir, "reports/datong/2022-06.yaml", VALID_REPORT.replace("太原市", "大同市"))
    write_report(data_dir, "reports/datong/notes.txt", "not yaml: ignored")
    write_report(data_dir, "reports/datong/.2022-06.yaml.swp", b"\x00\x01")  # editor files are ignored
    result = run_cli("--data", "data", "validate")
    assert result.exit_code == 1
    assert result.output.rstrip().splitlines()[-1] == "检查4个文件，发现2个错误"
    text = result.output
    assert text.index(native("data/reports/taiyuan/2022-05.yaml:1:7:") + " Y109") < text.index(
        native("data/reports/taiyuan/2022-06.yaml:9:13:") + " Y104"
    )


def test_no_errors_means_exit_0_and_no_problem_lines(data_dir: Path) -> None:
    write_report(data_dir, "reports/taiyuan/2022-06.yaml", VALID_REPORT)
    result = run_cli("--data", "data", "validate")
    assert result.exit_code == 0
    assert result.output == "检查2个文件，发现0个错误\n"


def test_a_data_folder_without_reports_is_valid(data_dir: Path) -> None:
    (data_dir / "reports").rmdir()
    result = run_cli("--data", "data", "validate")
    assert result.exit_code == 0 and summary(result.output) == (1, 0)


def test_nonexistent_path_argument_is_a_usage_error(data_dir: Path) -> None:
    result = run_cli("--data", "data", "validate", "data/reports/taiyuan/2099-01.yaml")
    assert_no_crash(result)
    assert result.exit_code == 2
    assert "路径不存在" in result.output and "2099-01.yaml" in result.output


def test_unknown_format_is_a_usage_error(data_dir: Path) -> None:
    result = run_cli("--data", "data", "validate", "--format", "xml")
    assert result.exit_code == 2


def test_single_report_path_shows_only_that_file(data_dir: Path) -> None:
    write_report(data_dir, "reports/taiyuan/2022-06.yaml", BAD_STATUS)
    write_report(data_dir, "reports/taiyuan/2022-05.yaml", BAD_UNIT)
    result = run_cli("--data", "data", "validate", "data/reports/taiyuan/2022-06.yaml")
    assert_no_crash(result)
    assert result.exit_code == 1
    assert native("data/reports/taiyuan/2022-06.yaml:9:13:") + " Y104 " in result.output
    assert "2022-05.yaml" not in result.output
    assert summary(result.output) == (1, 1)


def test_single_valid_report_passes_while_another_file_is_broken(data_dir: Path) -> None:
    write_report(data_dir, "reports/taiyuan/2022-06.yaml", VALID_REPORT)
    write_report(data_dir, "reports/taiyuan/2022-05.yaml", BAD_UNIT)
    result = run_cli("--data", "data", "validate", "data/reports/taiyuan/2022-06.yaml")
    assert result.exit_code == 0, result.output
    assert result.output == "检查1个文件，发现0个错误\n"


def test_report_path_finds_its_own_data_folder(workdir: Path, data_dir: Path) -> None:
    """The file's data folder is the nearest one with tasks.yaml, whatever --data says."""
    write_report(data_dir, "reports/taiyuan/2022-06.yaml", BAD_STATUS)
    result = run_cli("--data", "somewhere-else", "validate", "data/reports/taiyuan/2022-06.yaml")
    assert result.exit_code == 1
    assert native("data/reports/taiyuan/2022-06.yaml:9:13:") + " Y104 " in result.output


def test_unit_folder_path(data_dir: Path) -> None:
    write_report(data_dir, "reports/taiyuan/2022-06.yaml", BAD_STATUS)
    write_report(data_dir, "reports/datong/2022-06.yaml", BAD_STATUS.replace("太原市", "大同市"))
    result = run_cli("--data", "data", "validate", "data/reports/taiyuan")
    assert result.exit_code == 1
    assert "taiyuan/2022-06.yaml:9:13: Y104" in result.output and "datong" not in result.output
    assert summary(result.output) == (1, 1)


def test_data_folder_path_argument(data_dir: Path) -> None:
    write_report(data_dir, "reports/taiyuan/2022-06.yaml", BAD_STATUS)
    result = run_cli("validate", "data")
    assert result.exit_code == 1 and summary(result.output) == (2, 1)


def test_a_folder_without_tasks_yaml_as_argument(workdir: Path) -> None:
    (workdir / "empty").mkdir()
    result = run_cli("validate", "empty")
    assert_no_crash(result)
    assert result.exit_code == 1
    assert "empty/tasks.yaml: Y012 " in result.output


def test_tasks_problems_are_shown_with_a_single_report(data_dir: Path) -> None:
    tasks = data_dir / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("report_day: 30", "report_day: 32"), encoding="utf-8")
    write_report(data_dir, "reports/taiyuan/2022-06.yaml", VALID_REPORT)
    result = run_cli("--data", "data", "validate", "data/reports/taiyuan/2022-06.yaml")
    assert result.exit_code == 1
    assert re.search(r"^  data/tasks\.yaml:\d+:\d+: Y110 ", result.output, re.MULTILINE), result.output


def test_report_outside_the_data_folder_is_not_silently_passed(data_dir: Path, workdir: Path) -> None:
    stray = workdir / "stray" / "2022-06.yaml"
    stray.parent.mkdir()
    stray.write_text("unit: 太远市\n", encoding="utf-8")
    result = run_cli("--data", "data", "validate", "stray/2022-06.yaml")
    assert result.exit_code == 1
    assert "stray/2022-06.yaml:1:1: Y102" in result.output  # checked on its own: month, contacts … missing
    assert "检查1个文件" in result.output


def test_version() -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.output == f"yejin {__version__}\n"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", __version__)


def test_help_lists_validate() -> None:
    result = run_cli("--help")
    assert result.exit_code == 0 and "validate" in result.output


FORGED = "  data/reports/taiyuan/2022-06.yaml:1:1: Y000 一切正常"


def test_a_value_cannot_print_a_line_of_its_own(data_dir: Path) -> None:
    """A unit value with a line break once printed a forged `path:1:1: Y000 …` line; escape
    sequences in values reached the terminal and the CI log.  Every problem is one line, escaped."""
    value = "x\\n" + FORGED.replace('"', "") + "\\e]0;pwned\\a\\e[2J\\x9b31m"
    write_report(data_dir, "reports/taiyuan/2022-06.yaml", MINIMAL_REPORT.replace("unit: 太原市", f'unit: "{value}"'))
    result = run_cli("--data", "data", "validate")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert [line for line in lines if "Y000" in line] == [
        f"  {native('data/reports/taiyuan/2022-06.yaml:1:7:')} Y109 单位“x\\n"
        + FORGED
        + "\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m”无法识别"
    ], result.output
    assert not any(line.startswith(FORGED) for line in lines)
    for fmt in ("text", "json", "github"):
        output = run_cli("--data", "data", "validate", "--format", fmt).output
        assert "\x1b" not in output and "\x07" not in output and "\x9b" not in output, fmt
        assert "\n" + FORGED not in output, fmt
        if fmt == "github":  # one workflow command per problem, then the summary line
            assert [line[:2] for line in output.splitlines()[:-1]] == ["::"] * 3, output
