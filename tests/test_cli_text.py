"""Every word the command line shows is Chinese: each command's help and the usage errors
(English words allowed only for option names, codes, paths, commands and the values typed)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from chinese_text import gaps
from conftest import CLEAN_ENV
from yejin.cli import app
from yejin.cli_text import cells, move_global_options, wrap

# ASCII words a Chinese user may see: names of programs, formats and things typed as they are
ALLOWED = {
    "yejin",
    "taiyuan",
    "Windows",
    "VS",
    "Code",
    "GBK",
    "GB18030",
    "ANSI",
    "Tab",
    "WPS",
    "BOM",
    "Red",
    "Hat",
    "ISO",
    "true",
    "false",
    "YAML",
    "JSON",
    "Schema",
    "CI",
    "GitHub",
    "Actions",
    "GitLab",
    "CODEOWNERS",
    "Excel",
    "Word",
    "Markdown",
    "md",
    "docx",
    "xlsx",
    "text",
    "json",
    "github",
    "report",
    "tasks",
    "event",
    "draft",
    "A4",
    "YYYY",
    "MM",
    "DD",
    "bash",
    "zsh",
    "fish",
    "PowerShell",
    "YEJIN",
    "DATA",
    "NO",
    "CACHE",
    "UTF",
    "validate",
    "status",
    "deadlines",
    "new",
    "export",
    "bulletin",
    "events",
    "schema",
    "codeowners",
    "migrate",
    "enforcement",  # the report's 执法情况 key, named in migrate's help
    "init",
    "site",
    "workbook",
    "import",
    "pre",
    "commit",
    "git",
    "owners",
    "data",
    "reports",
    "README",
    "Y213",
    "force",
    "unit",
    "month",
}
COMMANDS = [c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands]


def english_words(text: str) -> list[str]:
    text = re.sub(r"(?<![\w])-{1,2}[a-z][\w-]*", " ", text)  # option names
    text = re.sub(r"\S*[./\\_=]\S*", " ", text)  # paths, file names, environment variables
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", text)
    return [w for w in words if w not in ALLOWED and not re.fullmatch(r"Y\d{3}", w)]


def run(*args: str):
    return CliRunner(env=CLEAN_ENV).invoke(app, list(args), prog_name="yejin")


@pytest.mark.parametrize("command", [[], *[[c] for c in COMMANDS]])
def test_every_help_is_chinese(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("用法：yejin")
    assert english_words(result.output) == [], result.output
    assert "选项：" in result.output and "显示本帮助并退出" in result.output


@pytest.mark.parametrize("command", [[], *[[c] for c in COMMANDS]])
def test_no_help_has_a_space_between_chinese_and_a_digit(command: list[str]) -> None:
    """Issue 17: 退出码为1, 措施5　…, 2022年7月 in help as in every other output; the help is laid out
    at a width where none of its lines is broken, so a space is a space the text has."""
    result = CliRunner(env=CLEAN_ENV).invoke(app, [*command, "--help"], prog_name="yejin", terminal_width=400)
    assert result.exit_code == 0, result.output
    assert gaps(result.output) == [], result.output


def test_help_never_breaks_a_date_format_and_counts_chinese_as_two_cells() -> None:
    result = CliRunner().invoke(app, ["validate", "--help"], terminal_width=60, env={"COLUMNS": "60"})
    assert "YYYY-MM-DD" in result.output
    for line in result.output.splitlines():
        assert cells(line) <= 80, line
    lines = wrap("把哪一天当作今天（YYYY-MM-DD），用于检查", 14)
    assert any("YYYY-MM-DD" in line for line in lines), lines
    assert not any(line.startswith(("，", "）")) or line.endswith("（") for line in lines), lines


USAGE_ERRORS = [
    (["status", "--within", "abc"], "错误：--within 的取值有误：应为整数"),
    (["validate", "--format", "xml"], "错误：--format / -f 的取值有误：“xml”不是可选的值；可选：text、json、github"),
    (["new-report"], "错误：缺少选项 --unit / -u"),
    (["statsu"], "错误：没有命令 statsu，是否为 status？"),
    (["status", "--monht", "2022-06"], "错误：没有选项 --monht，是否为 --month？"),
    (["status", "--unit"], "错误：选项 --unit 后面缺少取值"),
    (
        ["new-event", "-u", "太原", "-d", "2022-06-01", "-t", "x", "--measure", "a"],
        "错误：--measure 的取值有误：应为整数",
    ),
    (["status", "--month", "2022-13"], "错误：--month 的取值有误：月份2022-13不存在：一年只有1–12月"),
    (["status", "--as-of", "2022-02-30"], "错误：--as-of 的取值有误：日期2022-02-30不存在：2022年2月只有28天"),
    (["validate", "--as-of", "2022/6/3"], "错误：--as-of 的取值有误：日期应写成“年-月-日”形式：2022-06-03"),
    (["tasks", "extra"], "错误：多出了参数：extra"),
]


@pytest.mark.parametrize("args,said", USAGE_ERRORS)
def test_usage_errors_in_chinese(args: list[str], said: str, shipped_data) -> None:
    result = run("--data", str(shipped_data), *args)
    assert result.exit_code == 2, result.output
    assert said in result.output
    typed = set(re.findall(r"[A-Za-z]+", " ".join(args)))
    assert [w for w in english_words(result.output) if w not in typed] == [], result.output
    if len(args) > 1 and args[1] != "--unit":
        assert "用法：yejin" in result.output and "--help 查看用法" in result.output


def test_unit_typo_on_the_command_line_gets_the_suggestion_validate_gives(shipped_data) -> None:
    result = run("--data", str(shipped_data), "status", "--unit", "太远")
    assert result.exit_code == 2
    assert "无法识别单位“太远”。是否为“太原市”？" in result.output


def test_data_option_after_the_command(data_dir) -> None:
    before = run("--data", str(data_dir), "tasks")
    after = run("tasks", "--data", str(data_dir))
    assert after.exit_code == 0, after.output
    assert after.output == before.output
    assert run("tasks", f"--data={data_dir}").output == before.output
    assert move_global_options(["validate", "a.yaml", "--data", "d"], {"validate"}) == [
        "--data",
        "d",
        "validate",
        "a.yaml",
    ]
    assert move_global_options(["new-event", "--", "--data", "d"], {"new-event"}) == ["new-event", "--", "--data", "d"]


def test_finds_the_data_folder_from_any_folder_inside(data_dir, monkeypatch, tmp_path_factory) -> None:
    monkeypatch.delenv("YEJIN_DATA", raising=False)
    unit_folder = data_dir / "reports" / "taiyuan"
    unit_folder.mkdir()
    monkeypatch.chdir(unit_folder)
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "发现0个错误" in result.output
    monkeypatch.chdir(data_dir.parent)  # the data repository's root: its data/ folder
    assert run("tasks").exit_code == 0
    monkeypatch.chdir(tmp_path_factory.mktemp("nowhere"))
    nowhere = run("validate")
    assert nowhere.exit_code == 1 and "Y012" in nowhere.output and "向上找含 tasks.yaml 的文件夹" in nowhere.output


def test_validation_messages_of_every_golden_case_are_chinese(tmp_path, monkeypatch) -> None:
    """The corpus of tests/invalid/: what validate prints for each case has no English sentence
    (field names, codes, paths and the values quoted from the file aside)."""
    from conftest import INVALID, build_case

    field_words = {"unit", "month", "submitted", "contacts", "name", "phone", "measures", "status", "progress"}
    field_words |= {"indicators", "cases", "deadline", "date", "title", "category", "summary", "problems"}
    field_words |= {"next", "steps", "sample", "fix", "rate", "issues", "found", "fixed", "sources", "inspected"}
    field_words |= {"A", "B", "draft", "true"}  # A、B 角 are the notice's own words; `draft: true` is what to delete
    bad = []
    for i, case in enumerate(sorted(p for p in INVALID.iterdir() if p.is_dir())):
        work = tmp_path / str(i)
        work.mkdir()
        monkeypatch.chdir(work)
        build_case(case, work)
        result = run("--data", "data", "validate")
        files = "".join(p.read_text(encoding="utf-8", errors="replace") for p in work.rglob("*.yaml") if p.is_file())
        typed = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", files))
        left = [w for w in english_words(result.output) if w not in typed and w not in field_words]
        bad.extend((case.name, w) for w in left)
    assert bad == [], "\n".join(map(str, bad))
