"""The pre-commit hook, run by the real pre-commit program against a real git repository.

Slow (pre-commit builds a virtualenv with yejin in it once per test session), but part of CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
pytestmark = pytest.mark.slow


def _pre_commit() -> str:
    exe = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    if not Path(exe).exists():
        pytest.fail("pre-commit is a test dependency: pip install -e '.[test]'")
    return exe


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org",
        },
    )


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def data_repo(tmp_path):
    repo = tmp_path / "shuju"
    (repo / "data").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "tasks.yaml", repo / "data" / "tasks.yaml")
    shutil.copytree(ROOT / "data" / "reports" / "taiyuan", repo / "data" / "reports" / "taiyuan")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    return repo


def _try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [_pre_commit(), "try-repo", str(ROOT), "yejin-validate", "--all-files", "--color", "never"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )


def test_hook_passes_good_data_and_stops_bad_data(data_repo, pre_commit_home):
    good = _try_repo(data_repo, pre_commit_home)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout

    report = data_repo / "data" / "reports" / "taiyuan" / "2022-06.yaml"
    lines = report.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("status:"))
    lines[index] = lines[index].replace("status:", "stauts:")
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _git(data_repo, "add", "-A")
    bad = _try_repo(data_repo, pre_commit_home)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    column = lines[index].index("stauts") + 1
    assert (
        f'data/reports/taiyuan/2022-06.yaml:{index + 1}:{column}: Y101 未知字段 "stauts"，是否为 "status"？'
        in bad.stdout
    )
    assert "Failed" in bad.stdout


def test_untracked_or_unstaged_files_never_block_a_commit_of_others(data_repo, pre_commit_home):
    """The hook checks what is being committed: a broken draft of next month, untracked, and a
    broken unstaged edit of a tracked file are left out (pre-commit puts unstaged changes aside)."""
    reports = data_repo / "data" / "reports" / "taiyuan"
    _git(data_repo, "commit", "-q", "-m", "start")
    (reports / "2022-08.yaml").write_text("unit: 太原市\nmonth: [\n", encoding="utf-8")  # untracked draft
    june = reports / "2022-06.yaml"
    june.write_text(june.read_text(encoding="utf-8").replace("status:", "stauts:", 1), encoding="utf-8")  # unstaged
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    tasks = data_repo / "data" / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _git(data_repo, "add", "data/tasks.yaml")
    ran = subprocess.run(
        [_pre_commit(), "try-repo", str(ROOT), "yejin-validate", "--color", "never"],
        cwd=data_repo,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "Passed" in ran.stdout
    assert "2022-08.yaml" not in ran.stdout and "stauts" not in ran.stdout
