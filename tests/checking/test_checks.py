"""checking/checks.py: rules across files, and which file they blame."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import TESTS, run_cli
from hardening_helpers import problem_lines

FIXTURE = TESTS / "fixtures" / "status"  # taiyuan: 2022-05 and 2022-06, both valid


@pytest.fixture
def data(workdir: Path) -> Path:
    shutil.copytree(FIXTURE, workdir / "data")
    return workdir / "data"


def validate(*args: str, cache: bool = True):
    return run_cli("--data", "data", *([] if cache else ["--no-cache"]), "validate", *args)


@pytest.mark.parametrize("month", ["2022-05", "2022-06"])
def test_a_copy_in_another_folder_never_blames_the_units_own_report(data: Path, month: str) -> None:
    """A copy of taiyuan's report in a folder no unit owns made the genuine one get Y201 (and, with
    other figures, Y207): the copy is the one in the wrong place, the problems are its own."""
    own = data / "reports" / "taiyuan" / f"{month}.yaml"
    copy = data / "reports" / "aaa" / f"{month}.yaml"  # sorts before taiyuan/
    copy.parent.mkdir()
    copy.write_text(own.read_text(encoding="utf-8").replace("found: ", "found: 9999"), encoding="utf-8")
    result = validate()
    assert result.exit_code == 1
    assert all(line.startswith(f"data/reports/aaa/{month}.yaml:") for line in problem_lines(result.output)), (
        result.output
    )
    assert {line.rsplit(" ", 1)[1] for line in problem_lines(result.output)} == {"Y201", "Y202"}
    own_folder = validate("data/reports/taiyuan")  # the duplicate names taiyuan's report: it is shown there too
    assert [line.rsplit(" ", 1)[1] for line in problem_lines(own_folder.output)] == ["Y201"], own_folder.output
    assert problem_lines(own_folder.output)[0].startswith("data/reports/aaa/")


@pytest.mark.parametrize("cache", [True, False])
def test_a_file_named_alone_shows_the_problems_it_causes_elsewhere(data: Path, cache: bool) -> None:
    """Raising May above June and validating May's file printed "0 个错误": the Y207 lands on June."""
    may = data / "reports" / "taiyuan" / "2022-05.yaml"
    text = may.read_text(encoding="utf-8")
    assert "found: 10" in text
    may.write_text(text.replace("found: 10", "found: 100"), encoding="utf-8")
    validate()  # fills the stored verdict when the cache is on
    result = validate("data/reports/taiyuan/2022-05.yaml", cache=cache)
    assert result.exit_code == 1, result.output
    (line,) = problem_lines(result.output)
    assert line.startswith("data/reports/taiyuan/2022-06.yaml:") and line.endswith("Y207"), result.output
    assert "比 2022-05 报送的 100 少" in result.output
    other = validate("data/reports/datong", cache=cache)  # nothing to do with it
    assert other.exit_code == 0, other.output
