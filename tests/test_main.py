"""The program as pre-commit, CI and a clerk start it (python -m yejin, the console script):
exit codes, all output delivered, a closed pipe, a bug."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SHIPPED_DATA, subprocess_env

YEJIN = [sys.executable, "-m", "yejin"]


@pytest.fixture
def work(tmp_path: Path) -> Path:
    shutil.copytree(SHIPPED_DATA, tmp_path / "data")
    return tmp_path


def run(work: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*YEJIN, *args], cwd=work, env=subprocess_env(), capture_output=True, timeout=300)


def test_all_output_arrives_and_exit_codes_are_the_commands(work: Path) -> None:
    result = run(work, "status", "--json")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout) > 8192  # more than one pipe buffer's worth
    assert json.loads(result.stdout)["month"] == "2022-06"
    assert run(work, "validate").returncode == 0
    assert run(work, "status", "--month", "2022-13").returncode == 2  # a usage error
    assert run(work, "--version").stdout.decode().startswith("yejin ")
    (work / "data/reports/taiyuan/2022-06.yaml").write_text("unit: 太原市\n", encoding="utf-8")
    for args in (["validate"], ["status", "--strict"]):  # (status without --strict leaves the file out: exit 0)
        result = run(work, *args)
        assert result.returncode == 1, (args, result.stderr.decode())
        assert "Traceback" not in result.stderr.decode()
    assert run(work, "status").returncode == 0


def test_usage_errors_exit_2_and_missing_paths_too(work: Path) -> None:
    assert run(work, "validate", "-f", "xml").returncode == 2
    assert run(work, "validate", "--no-such-option").returncode == 2
    result = run(work, "validate", "missing.yaml")
    assert result.returncode == 2 and result.stderr.decode() == "错误：路径不存在：missing.yaml\n"


def test_into_a_closed_pipe_ends_quietly(work: Path) -> None:
    """`yejin status | head -1`: no traceback, no “Exception ignored” at shutdown."""
    child = subprocess.Popen(
        [*YEJIN, "status"], cwd=work, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.read(10)
    child.stdout.close()
    stderr = child.stderr.read().decode()
    assert child.wait(timeout=300) in (0, 1)
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr


def test_the_console_script_is_the_typer_application() -> None:
    """One front door: the console script and python -m yejin both run cli.main, which runs cli.app."""
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "yejin"]
    assert script.value == "yejin.cli:main"
    main = (Path(__file__).resolve().parents[1] / "src/yejin/__main__.py").read_text(encoding="utf-8")
    assert "from yejin.cli import main" in main
