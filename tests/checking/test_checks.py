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
    assert "比2022年5月报送的100少" in result.output
    other = validate("data/reports/datong", cache=cache)  # nothing to do with it
    assert other.exit_code == 0, other.output


# --- every problem in one run (issue 16, item 4) ------------------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_type_error_does_not_hide_a_decreased_count(data: Path) -> None:
    """`45家` (Y103) hid the cumulative figure lower than last month (Y207) until it was fixed."""
    _edit(data / "reports" / "taiyuan" / "2022-06.yaml", "found: 12, fixed: 10", "found: 45家, fixed: 1")
    result = validate(cache=False)
    assert result.exit_code == 1
    assert problem_lines(result.output) == [
        "data/reports/taiyuan/2022-06.yaml:6:62: Y103",
        "data/reports/taiyuan/2022-06.yaml:6:74: Y207",
    ], result.output
    assert "Y207 累计数1比2022年5月报送的6少" in result.output
    assert "发现2个错误" in result.output


def test_a_value_that_failed_its_own_rule_is_not_checked_again(data: Path) -> None:
    """`5家` is lower than May's 10, but it is not a number: Y103 only, no Y207 on it."""
    _edit(data / "reports" / "taiyuan" / "2022-06.yaml", "found: 12", "found: 5家")
    result = validate(cache=False)
    assert problem_lines(result.output) == ["data/reports/taiyuan/2022-06.yaml:6:62: Y103"], result.output


def test_an_invalid_report_in_the_wrong_folder(data: Path) -> None:
    """A count with an unknown unit (`12台`) and a bad phone number, in another unit's folder: the model's
    problems and the folder's (Y202), and the duplicate it makes (Y201), in one run."""
    own = data / "reports" / "taiyuan" / "2022-06.yaml"
    stray = data / "reports" / "datong" / "2022-06.yaml"
    stray.parent.mkdir(exist_ok=True)
    stray.write_text(
        own.read_text(encoding="utf-8").replace("found: 12", "found: 12台").replace("0351-2000001", "12345"),
        encoding="utf-8",
    )
    result = validate(cache=False)
    assert result.exit_code == 1
    assert problem_lines(result.output) == [
        "data/reports/datong/2022-06.yaml:1:7: Y201",
        "data/reports/datong/2022-06.yaml:1:7: Y202",
        "data/reports/datong/2022-06.yaml:4:33: Y108",
        "data/reports/datong/2022-06.yaml:6:62: Y103",
    ], result.output
    assert "Y202 文件在 datong/ 文件夹里，但填写的单位是太原市（taiyuan）" in result.output
    alone = validate("data/reports/datong/2022-06.yaml", cache=False)  # a file named alone: the same
    assert problem_lines(alone.output) == problem_lines(result.output), alone.output


def test_a_report_without_a_usable_unit_gets_its_own_problems_only(data: Path) -> None:
    _edit(data / "reports" / "taiyuan" / "2022-06.yaml", "unit: 太原", "unit: [太原]")
    _edit(data / "reports" / "taiyuan" / "2022-06.yaml", "found: 12", "found: 1")  # lower, but whose?
    result = validate(cache=False)
    assert problem_lines(result.output) == ["data/reports/taiyuan/2022-06.yaml:1:7: Y103"], result.output


def test_salvage_drops_what_failed_and_keeps_the_rest() -> None:
    from yejin.campaign.models import PartialReport
    from yejin.checking.validation import salvage
    from yejin.reading.yaml_loader import load_bytes

    text = (
        'unit: 太原\nmonth: "2022-06"\nsubmitted: 昨天\ncontacts: {a: {name: 甲}}\nextra: 1\n'
        "measures:\n  1: {status: 推进中, indicators: {found: 3家, fixed: 2}, cases: [{title: x}]}\n"
        "  x: {status: 推进中}\n  3: {status: 没有这个状态}\n"
    )
    doc, _ = load_bytes(text.encode(), "r.yaml", positions=True)
    partial = salvage(doc, PartialReport)
    assert partial is not None and partial.unit == "太原" and partial.month == "2022-06"
    assert partial.submitted is None and partial.contacts is None
    assert list(partial.measures) == [1] and partial.measures[1].indicators == {"fixed": 2}
    assert partial.measures[1].cases == []
    assert doc.data["measures"][1]["indicators"]["found"] == "3家"  # the document is left as it was
    for broken in ("- 1\n- 2\n", "month: 2022-06\n", "unit: 太原\nmonth: 六月\n", "42\n"):
        doc, _ = load_bytes(broken.encode(), "r.yaml", positions=True)
        assert doc is None or salvage(doc, PartialReport) is None


def test_salvage_places_keeps_where_each_list_item_stands() -> None:
    """An event's measures with items that failed: the items left are located where they are in the file."""
    from yejin.campaign.models import PartialEvent
    from yejin.checking.validation import salvage_places
    from yejin.reading.yaml_loader import load_bytes

    text = "unit: 太原\ndate: 2022-06-12\ncategory: 大事\nmeasures: [5, x, 99, 010, [1], 98]\n"
    doc, _ = load_bytes(text.encode(), "e.yaml", positions=True)
    partial, places = salvage_places(doc, PartialEvent)
    assert partial is not None and partial.measures == [5, 99, 98] and partial.category is None
    assert places == {"measures": [0, 2, 5]}
    doc, _ = load_bytes(b"unit: [x]\ndate: 2022-06-12\n", "e.yaml", positions=True)
    assert salvage_places(doc, PartialEvent) == (None, {})  # no unit: nothing to check across files


def test_a_type_error_does_not_hide_a_missing_measure_nor_repeat_itself(data: Path) -> None:
    """issue 14's completeness rules read a report that failed its model too: a deleted measure (Y215)
    is said in the same run as a count typed `5家` (Y103), and a status typed wrong (Y104) is not also
    called a missing measure or an empty progress."""
    june = data / "reports" / "taiyuan" / "2022-06.yaml"
    _edit(june, "found: 12", "found: 5家")
    text = june.read_text(encoding="utf-8")
    june.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("  4:")) + "\n", encoding="utf-8"
    )
    result = validate(cache=False)
    assert problem_lines(result.output) == [
        "data/reports/taiyuan/2022-06.yaml:5:1: Y215",
        "data/reports/taiyuan/2022-06.yaml:6:62: Y103",
    ], result.output
    _edit(data / "reports" / "datong" / "2022-06.yaml", "status: 已完成", "status: 完成")
    result = validate(cache=False)
    assert [line for line in problem_lines(result.output) if "datong" in line] == [
        "data/reports/datong/2022-06.yaml:6:15: Y104"
    ], result.output
