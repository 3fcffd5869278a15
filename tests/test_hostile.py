"""Hostile and careless files (issue 15): each finding reproduced as reported, and what yejin does now.

A city commits into a shared data repository and yejin runs on every commit (pre-commit, CI) and on
the department's machine.  Nothing a city commits may stall CI, read outside the data folder, forge
output or take over someone else's folder.  docs/threat-model.md says who can write what; the
module tests (tests/reading/test_layout.py, tests/test_safe_text.py, tests/outputs/test_files.py,
tests/test_regexes.py …) go into each rule in detail.  Times are measured here, with generous bounds.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, RUNNER_SECRET, TESTS, assert_no_crash, run_cli, subprocess_env
from hardening_helpers import leftovers, native, problem_lines, run_measured

FIXTURE = TESTS / "fixtures" / "status"  # 4 units: 太原 May+June, 大同 June (late), 吕梁 May, 省厅
JUNE = "data/reports/taiyuan/2022-06.yaml"
POSIX = pytest.mark.skipif(os.name != "posix", reason="links, pipes, signals")


@pytest.fixture
def data(workdir: Path) -> Path:
    shutil.copytree(FIXTURE, workdir / "data")
    return workdir / "data"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def yejin(*args: str):
    result = run_cli("--data", "data", *args)
    assert_no_crash(result)
    return result


# 1. A date typo stalls everyone (ReDoS) ----------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="os.wait4 is POSIX only")
@pytest.mark.parametrize("spaces", [1_500, 100_000])
def test_1_a_date_typo_with_a_run_of_spaces_is_checked_at_once(data: Path, workdir: Path, spaces: int) -> None:
    """Was 16 s for 1,500 spaces (cubic: 4,000 ≈ 5 minutes, 10 KB ≈ hours); the whole program now."""
    edit(workdir / JUNE, "submitted: 2022-06-29", 'submitted: "2022-06-29' + " " * spaces + 'x"')
    result = run_measured(["--data", "data", "validate"], workdir)
    print(f"\n  {spaces:,} spaces: {result.seconds:.2f} s")
    assert result.seconds < 5, f"{result.seconds:.2f} s"
    assert result.returncode == 1 and problem_lines(result.stdout) == [f"{JUNE}:3:12: Y103"], result.stdout


# 2. Symlinks leave the data folder ----------------------------------------------------------------


@POSIX
@pytest.mark.parametrize("target", ["/dev/zero", "/", "/usr", "runner-secret.yaml"])
def test_2_a_link_out_of_the_data_folder_is_refused(data: Path, workdir: Path, target: str) -> None:
    """Was: /dev/zero read until MemoryError, / never ended, /usr printed 4,225 host paths as Y211,
    a YAML file of the runner had its values echoed in Y107/Y108 messages (into CI logs)."""
    (workdir / "runner-secret.yaml").write_text(RUNNER_SECRET, encoding="utf-8")
    link = data / "reports" / "taiyuan" / ("2022-07.yaml" if "." in target or "zero" in target else "old")
    os.symlink(workdir / target if target.endswith(".yaml") else target, link)
    start = time.perf_counter()
    result = yejin("validate")
    assert time.perf_counter() - start < 5
    assert result.exit_code == 1
    assert problem_lines(result.output) == [f"data/reports/taiyuan/{link.name}: Y013"], result.output
    assert "Y211" not in result.output and "SECRET-TOKEN" not in result.output and "hunter2" not in result.output


# 3. Text reaches the terminal raw ----------------------------------------------------------------


def test_3_markup_in_names_titles_and_progress_is_shown_as_text(data: Path) -> None:
    """`王[/]五` as a contact passed validate and crashed `status` (MarkupError); so did event titles
    (`events`) and progress (`status --unit`)."""
    edit(data / "reports/lvliang/2022-05.yaml", "name: 吕甲", 'name: "王[/]五"')  # 吕梁 is missing: contacts shown
    edit(data / "reports/taiyuan/2022-06.yaml", "progress: 仍有 2 项在整改。", 'progress: "[bold]仍有[/] [/]"')
    event = next((data / "reports/datong/events").glob("*.yaml"))
    text = event.read_text(encoding="utf-8")
    event.write_text(re.sub(r"^title: .*$", 'title: "[/]标题[red]"', text, flags=re.M), encoding="utf-8")
    assert yejin("validate").exit_code == 0
    assert "王[/]五" in yejin("status").output
    wide = run_cli("--data", "data", "status", "--unit", "太原", env={"COLUMNS": "200"})  # the progress on one line
    assert_no_crash(wide)
    assert "[bold]仍有[/] [/]" in wide.output
    assert "[/]标题[red]" in yejin("events").output


@pytest.mark.parametrize(
    "escape, shown",
    [("\\e]0;pwned\\a", "\\x1b"), ("\\e[2J", "\\x1b"), ("\\e]52;c;ZXZpbA==\\a", "\\x1b"), ("\\x9b31m", "\\x9b")],
)
def test_3_escape_sequences_in_text_are_refused_and_shown_visibly(data: Path, escape: str, shown: str) -> None:
    """Title changes, screen clears and clipboard writes (OSC 52) passed validate and reached the terminal."""
    edit(data / "reports/taiyuan/2022-06.yaml", "name: 太甲", f'name: "太{escape}甲"')
    result = yejin("validate")
    assert result.exit_code == 1 and problem_lines(result.output) == [f"{JUNE}:4:22: Y111"], result.output
    assert f"不能含有控制字符 {shown}" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output and "\x9b" not in result.output


def test_3_a_value_cannot_forge_a_line_of_validate(data: Path) -> None:
    forged = "  data/reports/taiyuan/2022-06.yaml:1:1: Y000 一切正常"
    edit(data / "reports/taiyuan/2022-06.yaml", "unit: 太原", f'unit: "太原\\n{forged}"')
    result = yejin("validate")
    assert result.exit_code == 1 and problem_lines(result.output) == [f"{JUNE}:1:7: Y109"], result.output
    assert forged not in result.output.splitlines()


# 4. Cache entries are trusted -----------------------------------------------------------------------


def test_4_a_cache_planted_in_the_data_folder_changes_nothing(data: Path) -> None:
    """A planted `.yejin-cache/` entry made an invalid report validate clean.  Verdicts now live in the
    user's cache folder, keyed by every file's content (tests/checking/test_verdict.py goes further)."""
    edit(data / "reports/taiyuan/2022-06.yaml", "status: 推进中, progress: 仍有", "status: 完成, progress: 仍有")
    expected = yejin("--no-cache", "validate").output
    for folder in (data / ".yejin-cache", data / "reports" / "taiyuan" / ".yejin-cache"):
        (folder / "verdicts").mkdir(parents=True)
        (folder / "verdicts" / "clean.json").write_text('{"problems": [], "files_checked": 1}', encoding="utf-8")
    for _ in range(2):  # cold, then from the stored verdict
        result = yejin("validate")
        assert result.exit_code == 1 and result.output == expected
    assert problem_lines(expected) == [f"{JUNE}:6:15: Y104"], expected


# 5. Markdown injection in the 通报 -----------------------------------------------------------------


def test_5_an_event_title_cannot_add_to_the_bulletin(data: Path) -> None:
    """`new-event --title` with newlines, `# heading`, `<script>` and `[x](javascript:…)` went verbatim
    into the bulletin: a city could add a section or a sign-off."""
    base = ["new-event", "--unit", "太原", "--date", "2022-06-12", "--summary", "摘要"]
    refused = yejin(*base, "--title", "事故\n\n## 六、伪造的一节\n\n山西省应急管理厅（伪造落款）")
    assert refused.exit_code == 2 and "不能换行" in refused.output
    headings = [line for line in yejin("bulletin", "--month", "2022-06").output.splitlines() if line.startswith("#")]
    title = "# 伪造 <script>alert(1)</script> [点此](javascript:alert(1))"
    assert yejin(*base, "--title", title).exit_code == 0
    bulletin = yejin("bulletin", "--month", "2022-06").output
    assert [line for line in bulletin.splitlines() if line.startswith("#")] == headings
    assert "# 伪造 \\<script\\>alert(1)\\</script\\> \\[点此\\](javascript:alert(1))" in bulletin
    assert "<script>" not in bulletin and "[点此](" not in bulletin


# 6. Tracebacks ---------------------------------------------------------------------------------------


def test_6_a_base_60_float_too_big_for_a_float_is_located_and_other_files_still_checked(data: Path) -> None:
    """174+ segments: OverflowError in PyYAML's float constructor, and no other file was reported."""
    edit(data / "reports/taiyuan/2022-06.yaml", "fines: 2.25", "fines: " + ":".join(["1"] * 180) + ".5")
    edit(data / "reports/datong/2022-06.yaml", "status: 已完成", "status: 完成")
    result = yejin("validate")
    assert result.exit_code == 1
    assert problem_lines(result.output) == [
        "data/reports/datong/2022-06.yaml:6:15: Y104",
        f"{JUNE}:7:71: Y008",
    ], result.output
    assert "读成了一个超出范围的数" in result.output


def test_6_huge_figures_are_a_located_error_not_a_crash_in_the_total(data: Path) -> None:
    """`fines: 1.7e+308` in two units passed validate and crashed export (OverflowError in the total)."""
    edit(data / "reports/taiyuan/2022-06.yaml", "fines: 2.25", "fines: 1.7e+308")
    edit(data / "reports/datong/2022-06.yaml", "fines: 0.5", "fines: 1.7e+308")
    result = yejin("validate")
    assert problem_lines(result.output) == ["data/reports/datong/2022-06.yaml:7:71: Y110", f"{JUNE}:7:71: Y110"]
    assert "超过上限100,000,000" in result.output
    export = yejin("export", "--month", "2022-06", "-o", "t.xlsx")  # issue 14: the two files are left out
    assert export.exit_code == 0 and "报告有误，未计入（2个文件" in export.output
    strict = yejin("export", "--month", "2022-06", "-o", "t2.xlsx", "--strict")
    assert strict.exit_code == 1 and "数据未通过校验" in strict.output


# 7. --force destroys non-files ----------------------------------------------------------------------


@POSIX
@pytest.mark.parametrize("command", [["export", "--month", "2022-06"], ["schema"]])
def test_7_force_never_replaces_a_pipe(data: Path, workdir: Path, command: list[str]) -> None:
    os.mkfifo(workdir / "out.fifo")  # as reported: now refused for its extension before anything is written
    result = yejin(*command, "-o", "out.fifo", "--force")
    assert result.exit_code == 2 and "out.fifo 的扩展名应为" in result.output
    assert stat.S_ISFIFO(os.lstat(workdir / "out.fifo").st_mode)
    name = "out.xlsx" if command[0] == "export" else "out.json"  # a pipe with the right extension
    os.mkfifo(workdir / name)
    result = yejin(*command, "-o", name, "--force")
    assert result.exit_code == 1 and f"{name} 是命名管道，不是普通文件" in result.output
    assert stat.S_ISFIFO(os.lstat(workdir / name).st_mode)


# 8. CODEOWNERS injection ----------------------------------------------------------------------------


def test_8_owners_cannot_add_ownership_lines(data: Path) -> None:
    edit(
        data / "tasks.yaml",
        "level: 市, parent: shanxi}\n  - {id: datong",
        'level: 市, parent: shanxi, owners: ["@ty\\n/co/ @ty-takeover", "@a#b", ""]}\n  - {id: datong',
    )
    result = yejin("validate")
    assert [line.rsplit(" ", 1)[1] for line in problem_lines(result.output)] == ["Y110"] * 3, result.output
    assert yejin("codeowners").exit_code == 1
    edit(data / "tasks.yaml", '["@ty\\n/co/ @ty-takeover", "@a#b", ""]', '["@taiyuan-yjj"]')
    province = yejin("codeowners", "--province-owner", "@prov\n* @evil")
    assert province.exit_code == 2 and "* @evil" not in province.stdout
    lines = yejin("codeowners").output.splitlines()
    assert "/data/reports/taiyuan/ @taiyuan-yjj" in lines, lines
    assert not any(line.startswith(("/co/", "* ")) for line in lines)


# 9. Reports silently ignored --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["2022-07.yaml ", "2022-07.yaml\n", "2022-07\n.yaml"])
def test_9_a_report_with_an_odd_name_is_reported(data: Path, name: str) -> None:
    july = (data / "reports/taiyuan/2022-06.yaml").read_text(encoding="utf-8").replace("2022-06", "2022-07")
    (data / "reports/taiyuan" / name).write_text(july, encoding="utf-8")
    result = yejin("validate")
    assert result.exit_code == 1
    (line,) = [line for line in result.output.splitlines() if "Y211" in line]
    assert line.startswith("  " + native("data/reports/taiyuan/2022-07")) and "请改名为2022-07.yaml" in result.output


# 10. Smaller -------------------------------------------------------------------------------------------


def test_10_a_write_error_names_the_target(data: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(fd):
        raise OSError(28, "No space left on device", str(workdir / ".out.xlsx.u_x8c4n4.tmp"))

    monkeypatch.setattr(os, "fsync", disk_full)
    result = yejin("export", "--month", "2022-06", "-o", "out.xlsx")
    assert result.exit_code == 1 and "无法写入文件（磁盘空间不足）：out.xlsx" in result.output
    assert ".tmp" not in result.output


@POSIX
def test_10_a_killed_export_leaves_nothing_the_next_run_keeps(data: Path, workdir: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "yejin", "--data", "data", "export", "--month", "2022-06", "-o", "out.xlsx"],
        cwd=workdir,
        env=subprocess_env(PYTHONPATH=str(REPO / "src")),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not leftovers(workdir) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    child.send_signal(signal.SIGKILL)
    child.wait()
    left = leftovers(workdir)
    if not left:
        pytest.skip("the export finished before it could be killed mid-write")
    result = yejin("export", "--month", "2022-06", "-o", "out.xlsx", "--force")
    assert result.exit_code == 0, result.output
    assert f"已删除上次中断的写入留下的临时文件 {left[0]}" in result.output
    assert leftovers(workdir) == []


def test_10_a_copy_in_an_unknown_folder_does_not_blame_the_genuine_report(data: Path) -> None:
    (data / "reports/unknown").mkdir()
    shutil.copy(data / "reports/taiyuan/2022-06.yaml", data / "reports/unknown/2022-06.yaml")
    result = yejin("validate")
    assert [line.split(":")[0] for line in problem_lines(result.output)] == ["data/reports/unknown/2022-06.yaml"] * 2


def test_10_a_file_filter_shows_what_its_file_causes_elsewhere(data: Path) -> None:
    edit(data / "reports/taiyuan/2022-05.yaml", "found: 10", "found: 100")
    result = yejin("validate", "data/reports/taiyuan/2022-05.yaml")
    assert result.exit_code == 1, result.output  # was "0 个错误": the Y207 lands on June
    assert problem_lines(result.output) == [f"{JUNE}:6:62: Y207"], result.output
