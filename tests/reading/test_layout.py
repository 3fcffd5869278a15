"""reading/layout.py: which files of a data folder are read, reported or refused.

A city can commit symbolic links into its own folder; nothing it commits may make yejin read
outside the data folder, read a device or pipe, list the runner's tree, or skip a file whose
name hides a space or a line break.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from conftest import RUNNER_SECRET, VALID_REPORT, run_cli
from hardening_helpers import problem_lines
from yejin.reading.layout import odd_name, refusal, scan
from yejin.words import zh

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX links and pipes")

TAIYUAN = "reports/taiyuan"


@pytest.fixture
def secret(workdir: Path) -> Path:
    path = workdir / "runner-secret.yaml"
    path.write_text(RUNNER_SECRET, encoding="utf-8")
    return path


def validate(*args: str):
    start = time.perf_counter()
    result = run_cli("--data", "data", "validate", *args)
    return result, time.perf_counter() - start


def report(data: Path) -> Path:
    path = data / TAIYUAN / "2022-06.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(VALID_REPORT, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "target, shown",
    [("/dev/zero", "/dev/zero"), ("/", "/"), ("/usr", "/usr"), ("SECRET", None), ("../../..", "../../..")],
)
def test_a_link_out_of_the_data_folder_is_refused_unread(
    data_dir: Path, secret: Path, target: str, shown: str | None
) -> None:
    """Before: /dev/zero read until MemoryError, / walked for ever, /usr gave 4,225 Y211 lines, a
    YAML file of the runner had its values echoed in Y107/Y108 messages."""
    report(data_dir)
    os.symlink(str(secret) if target == "SECRET" else target, data_dir / TAIYUAN / "2022-07.yaml")
    result, seconds = validate()
    assert seconds < 5, seconds
    assert result.exit_code == 1
    assert problem_lines(result.output) == [f"data/{TAIYUAN}/2022-07.yaml: Y013"], result.output
    assert f"符号链接指向数据目录之外（{shown or secret}）" in result.output
    assert "SECRET-TOKEN" not in result.output and "hunter2" not in result.output


def test_a_linked_folder_out_of_the_data_folder_is_not_entered(data_dir: Path, workdir: Path) -> None:
    report(data_dir)
    elsewhere = workdir / "elsewhere"
    (elsewhere / "deep").mkdir(parents=True)
    (elsewhere / "deep" / "2022-05.yaml").write_text(RUNNER_SECRET, encoding="utf-8")
    os.symlink(elsewhere, data_dir / TAIYUAN / "old")
    os.symlink(elsewhere, data_dir / "reports" / "datong")  # a whole unit folder
    result, _ = validate()
    assert problem_lines(result.output) == ["data/reports/datong: Y013", f"data/{TAIYUAN}/old: Y013"], result.output
    assert "deep" not in result.output and "SECRET" not in result.output


def test_reports_and_tasks_yaml_themselves_may_not_lead_out(data_dir: Path, workdir: Path, secret: Path) -> None:
    (workdir / "reports-elsewhere").mkdir()
    (data_dir / "reports").rmdir()
    os.symlink(workdir / "reports-elsewhere", data_dir / "reports")
    result, _ = validate()
    assert problem_lines(result.output) == ["data/reports: Y013"], result.output
    (data_dir / "reports").unlink()
    (data_dir / "reports").mkdir()
    (data_dir / "tasks.yaml").unlink()
    os.symlink(secret, data_dir / "tasks.yaml")
    result, _ = validate()
    assert result.exit_code == 1 and problem_lines(result.output) == ["data/tasks.yaml: Y013"], result.output
    assert "SECRET" not in result.output


def test_links_inside_the_data_folder_are_followed(data_dir: Path) -> None:
    shared = data_dir / "shared" / "june.yaml"
    shared.parent.mkdir()
    shared.write_text(VALID_REPORT, encoding="utf-8")
    (data_dir / TAIYUAN).mkdir(parents=True)
    os.symlink("../../shared/june.yaml", data_dir / TAIYUAN / "2022-06.yaml")
    listing = scan(data_dir)
    assert listing.reports == [data_dir / TAIYUAN / "2022-06.yaml"] and listing.refused == []
    result, _ = validate()
    assert result.exit_code == 0, result.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_is_refused_not_waited_on(data_dir: Path) -> None:
    report(data_dir)
    os.mkfifo(data_dir / TAIYUAN / "2022-07.yaml")
    result, seconds = validate()
    assert seconds < 5 and problem_lines(result.output) == [f"data/{TAIYUAN}/2022-07.yaml: Y013"], result.output
    assert "不是普通文件（命名管道）" in result.output
    one, seconds = validate(f"data/{TAIYUAN}/2022-07.yaml")  # named on the command line: the same
    assert seconds < 5 and problem_lines(one.output) == [f"data/{TAIYUAN}/2022-07.yaml: Y013"], one.output


def test_a_folder_argument_shows_what_is_refused_in_it(data_dir: Path) -> None:
    report(data_dir)
    os.symlink("/", data_dir / TAIYUAN / "old")
    result, _ = validate(f"data/{TAIYUAN}")
    assert result.exit_code == 1 and problem_lines(result.output) == [f"data/{TAIYUAN}/old: Y013"], result.output


@pytest.mark.parametrize(
    "name, fixed",
    [
        ("2022-07.yaml ", "2022-07.yaml"),
        (" 2022-07.yaml", "2022-07.yaml"),
        ("2022-07.yaml\n", "2022-07.yaml"),
        ("2022-07\n.yaml", "2022-07.yaml"),
        ("2022-07.yaml\u3000", "2022-07.yaml"),
        ("2022-07\x1b[2J.yaml", "2022-07[2J.yaml"),
        ("notes.txt ", "notes.txt"),
    ],
)
def test_odd_file_names_are_reported_not_skipped(data_dir: Path, name: str, fixed: str) -> None:
    """`2022-07.yaml ` (a trailing space) or a name with a line break was skipped without a word."""
    report(data_dir)
    (data_dir / TAIYUAN / name).write_text(VALID_REPORT.replace("2022-06", "2022-07"), encoding="utf-8")
    result, _ = validate()
    assert result.exit_code == 1
    lines = result.output.splitlines()
    (line,) = [line for line in lines if "Y211" in line]
    assert line.startswith(f"  data/{TAIYUAN}/") and line.endswith("Y211 报告文件不在约定位置或文件名不对"), line
    assert zh(f"请改名为 {fixed}。") in result.output  # 请改名为2022-07.yaml
    assert "\x1b" not in result.output and not any(line.startswith((".yaml", "\x1b")) for line in lines)


def test_odd_name_and_refusal_directly(data_dir: Path, workdir: Path) -> None:
    assert not odd_name("2022-07.yaml") and not odd_name("2022-06-12-gas-leak.yaml")
    assert odd_name("a\tb") and odd_name("a ") and odd_name(b"\xff.yaml".decode("utf-8", "surrogateescape"))
    assert refusal(data_dir, data_dir / "tasks.yaml") is None
    assert refusal(data_dir, data_dir / "missing.yaml") is None
    os.symlink(workdir, data_dir / "up")
    assert "数据目录之外" in refusal(data_dir, data_dir / "up" / "anything.yaml")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_tracked_reports_a_committed_link_out_but_not_an_untracked_one(data_dir: Path, workdir: Path) -> None:
    """What the pre-commit hook checks (validate --git-tracked): the links a commit holds."""
    report(data_dir)
    os.symlink("/", data_dir / TAIYUAN / "old")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=workdir, check=True)
    subprocess.run([*git, "add", "-A"], cwd=workdir, check=True)
    os.symlink("/usr", data_dir / TAIYUAN / "untracked")
    result, _ = validate("--git-tracked")
    assert problem_lines(result.output) == [f"data/{TAIYUAN}/old: Y013"], result.output
