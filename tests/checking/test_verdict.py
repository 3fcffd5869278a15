"""validate's stored verdict (checking/verdict.py): it may never change a single problem, and it lives
outside the data folder.

Most tests run `yejin` as a separate program (python -m yejin), as pre-commit and CI do, on a
copy of the shipped data/ with a few broken reports added, and compare its output with the
output of `yejin --no-cache` on the same files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, subprocess_env
from hardening_helpers import native
from yejin.checking import verdict
from yejin.checking.dataset import load_dataset

YEJIN = [sys.executable, "-m", "yejin"]

# Broken reports: problems found while parsing (Y002, Y003, Y008), by the models (Y101, Y104, Y102,
# located through Document.relocate) and across files (Y207, Y202).
BROKEN = {
    "reports/taiyuan/2022-07.yaml": None,  # the June report with a figure that went down: Y207
    "reports/datong/2022-07.yaml": 'unit: 大同市\nmonth: "2022-07"\nsubmitted: 2022-07-20\ncontacts:\n'
    '  a: {name: 张三, phone: "0352-5550187"}\n  b: {name: 李四, phone: 010}\n'
    "measures:\n  1:\n    stauts: 推进中\n    status: 完成\n    status: 推进中\n",
    "reports/shuozhou/2022-07.yaml": 'unit: 朔州市\nmonth: "2022-07"\nsubmitted: 2022-07-20\ncontacts:\n  a: {name: "x"\n',
    "reports/xinzhou/2022-07.yaml": 'unit: 太原市\nmonth: "2022-07"\nsubmitted: 2022-07-20\ncontacts:\n'
    '  a: {name: 张三, phone: "0351-6819551"}\n  b: {name: 李四, phone: "13912345678"}\n',
    "reports/yangquan/2022-07.yaml": 'unit: 阳泉市\nmonth: "2022-07"\nsubmitted: 2022-07-20\n',  # Y102
}


env = subprocess_env


def yejin(folder: Path, *args: str, **extra: str | None) -> subprocess.CompletedProcess:
    """`yejin --data data ARGS` in folder, its cache folder in folder/cache (XDG_CACHE_HOME)."""
    return subprocess.run(
        [*YEJIN, "--data", "data", *args],
        cwd=folder,
        env=env(XDG_CACHE_HOME=str(folder / "cache"), **extra),
        capture_output=True,
        text=True,
        timeout=300,
    )


def problems(folder: Path, *args: str, **extra: str | None) -> dict:
    """validate --format json, parsed; --as-of fixed so that the day the tests run cannot matter."""
    result = yejin(folder, *args, "validate", "--format", "json", "--as-of", "2022-12-31", **extra)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """tmp/data: the shipped data with the BROKEN reports added; runs happen in tmp."""
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    june = (data / "reports/taiyuan/2022-06.yaml").read_text(encoding="utf-8")
    for rel, text in BROKEN.items():
        if text is None:
            text = _decrease_first_figure(june)
        (data / rel).parent.mkdir(parents=True, exist_ok=True)
        (data / rel).write_text(text, encoding="utf-8")
    return tmp_path


def _decrease_first_figure(june: str) -> str:
    """The June report, as July, with its first indicator lower than June's: Y207."""
    out, done = [], False
    for line in june.replace('month: "2022-06"', 'month: "2022-07"').splitlines():
        if line.startswith("submitted:"):
            line = "submitted: 2022-07-25  # 报送日期"
        if (
            not done
            and line.startswith("      ")
            and ": " in line
            and line.split(":")[1].split("#")[0].strip().isdigit()
        ):
            key, rest = line.split(":", 1)
            value = int(rest.split("#")[0])
            if value > 0:
                line, done = f"{key}: {value - 1}", True
        out.append(line)
    return "\n".join(out) + "\n"


def stored(folder: Path) -> list[Path]:
    """The verdicts in folder's cache folder."""
    return sorted((folder / "cache" / "yejin" / "verdicts").glob("*.json"))


# --- the same problems, whether found or remembered -----------------------------------------------


def test_the_folder_has_problems_of_every_stage(folder: Path) -> None:
    found = problems(folder, "--no-cache")
    codes = {p["code"] for p in found["problems"]}
    assert {"Y002", "Y003", "Y008", "Y101", "Y104", "Y102", "Y202", "Y207"} <= codes, codes
    assert not (folder / "cache").exists()  # --no-cache writes nothing


def test_identical_problems_with_and_without_the_verdict(folder: Path) -> None:
    expected = problems(folder, "--no-cache")
    cold = problems(folder)  # checks every file and stores the verdict
    (path,) = stored(folder)
    kept = json.loads(path.read_text(encoding="utf-8"))
    assert len(kept["problems"]) == len(expected["problems"]) and kept["files_checked"] == expected["files_checked"]
    warm = problems(folder)
    assert cold == expected and warm == expected
    assert problems(folder, YEJIN_NO_CACHE="1") == expected


def test_the_verdict_is_used_when_nothing_changed(folder: Path) -> None:
    """A planted verdict with the right key is what validate prints: proof it is read (and why it must
    live where no city can write)."""
    problems(folder)
    (path,) = stored(folder)
    kept = json.loads(path.read_text(encoding="utf-8"))
    kept["problems"] = [["data/tasks.yaml", 1, 1, "Y210", "记下的结论", "", "error"]]
    path.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    assert [p["message"] for p in problems(folder)["problems"]] == ["记下的结论"]


def test_the_verdict_is_stored_outside_the_data_folder(folder: Path) -> None:
    before = sorted(p.relative_to(folder) for p in (folder / "data").rglob("*"))
    problems(folder)
    assert stored(folder)
    assert sorted(p.relative_to(folder) for p in (folder / "data").rglob("*")) == before


def test_text_and_github_output_identical_warm_and_cold(folder: Path) -> None:
    for fmt in ("text", "github"):
        expected = yejin(folder, "--no-cache", "validate", "-f", fmt, "--as-of", "2022-12-31")
        first = yejin(folder, "validate", "-f", fmt, "--as-of", "2022-12-31")
        second = yejin(folder, "validate", "-f", fmt, "--as-of", "2022-12-31")
        assert expected.stdout == first.stdout == second.stdout and expected.returncode == second.returncode == 1


def test_one_file_argument_uses_the_verdict_and_filters_it(folder: Path) -> None:
    target = "data/reports/datong/2022-07.yaml"
    expected = problems(folder, "--no-cache")
    yejin(folder, "validate")
    result = yejin(folder, "validate", target, "--format", "json", "--as-of", "2022-12-31")
    shown = json.loads(result.stdout)
    assert shown["problems"] and all(p["path"] in (target, "data/tasks.yaml") for p in shown["problems"])
    assert shown["problems"] == [p for p in expected["problems"] if p["path"] == target]


# --- what the verdict depends on ----------------------------------------------------------------


def test_edited_file_is_never_served_from_the_verdict(folder: Path) -> None:
    report = folder / "data/reports/taiyuan/2022-06.yaml"
    problems(folder)
    before = {p["path"] for p in problems(folder)["problems"]}
    assert native("data/reports/taiyuan/2022-06.yaml") not in before
    original = report.read_text(encoding="utf-8")
    stat = os.stat(report)
    edited_text = original.replace("status: 推进中", "status: 进行中", 1)
    assert len(edited_text.encode()) == len(original.encode())
    report.write_text(edited_text, encoding="utf-8")
    os.utime(report, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime: only the content differs
    edited = problems(folder)
    assert any(
        p["path"] == native("data/reports/taiyuan/2022-06.yaml") and p["code"] == "Y104" for p in edited["problems"]
    )
    assert edited == problems(folder, "--no-cache")
    report.write_text(original, encoding="utf-8")
    assert {p["path"] for p in problems(folder)["problems"]} == before


def test_a_new_or_removed_file_is_noticed(folder: Path) -> None:
    problems(folder)
    extra = folder / "data/reports/taiyuan/old/2022-05.yaml"  # misplaced: Y211
    extra.parent.mkdir()
    extra.write_text("x: 1\n", encoding="utf-8")
    assert any(p["code"] == "Y211" for p in problems(folder)["problems"])
    extra.unlink()
    assert not any(p["code"] == "Y211" for p in problems(folder)["problems"])
    (folder / "data/reports/datong/2022-07.yaml").unlink()
    assert problems(folder) == problems(folder, "--no-cache")


def test_verdict_depends_on_the_day(folder: Path) -> None:
    """Y213 (submitted in the future) depends on today: a verdict of another day is not reused."""
    late = problems(folder, "--no-cache")
    yejin(folder, "validate", "--as-of", "2022-12-31")
    early = json.loads(yejin(folder, "validate", "--format", "json", "--as-of", "2022-06-01").stdout)
    assert any(p["code"] == "Y213" for p in early["problems"])
    assert not any(p["code"] == "Y213" for p in late["problems"])
    assert early == json.loads(
        yejin(folder, "--no-cache", "validate", "--format", "json", "--as-of", "2022-06-01").stdout
    )


def test_verdict_depends_on_the_folder_as_named(folder: Path) -> None:
    """Problems name files as the user reaches them: another working folder, other paths."""
    problems(folder)
    result = subprocess.run(
        [*YEJIN, "--data", ".", "validate", "--format", "json", "--as-of", "2022-12-31"],
        cwd=folder / "data",
        env=env(XDG_CACHE_HOME=str(folder / "cache")),
        capture_output=True,
        text=True,
        timeout=300,
    )
    paths = {p["path"] for p in json.loads(result.stdout)["problems"]}
    assert paths and all(not p.startswith("data/") for p in paths), paths


@pytest.mark.parametrize("damage", ["garbage", "empty", "wrong-key", "bad-rows"])
def test_damaged_verdict_is_never_trusted(folder: Path, damage: str) -> None:
    expected = problems(folder, "--no-cache")
    problems(folder)
    (path,) = stored(folder)
    kept = json.loads(path.read_text(encoding="utf-8"))
    if damage == "garbage":
        path.write_bytes(os.urandom(500))
    elif damage == "empty":
        path.write_text("{not json", encoding="utf-8")
    elif damage == "wrong-key":
        path.write_text(json.dumps({**kept, "key": "0" * 64, "problems": []}), encoding="utf-8")
    else:
        path.write_text(json.dumps({**kept, "problems": [["x", "one", 1, "Y001", "m", "", "error"]]}), encoding="utf-8")
    assert problems(folder) == expected
    assert problems(folder) == expected  # and the verdict written again serves the next run


def test_cache_folder_that_cannot_be_written_is_skipped_silently(folder: Path) -> None:
    (folder / "cache").write_text("not a folder", encoding="utf-8")
    expected = problems(folder, "--no-cache")
    result = yejin(folder, "validate", "--format", "json", "--as-of", "2022-12-31")
    assert json.loads(result.stdout) == expected and result.stderr == ""


def test_two_runs_at_once(folder: Path) -> None:
    expected = problems(folder, "--no-cache")
    args = [*YEJIN, "--data", "data", "validate", "--format", "json", "--as-of", "2022-12-31"]
    runs = [
        subprocess.Popen(
            args,
            cwd=folder,
            env=env(XDG_CACHE_HOME=str(folder / "cache")),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert all(json.loads(out) == expected for out, _ in outputs), [err for _, err in outputs]
    assert all(not err for _, err in outputs)
    assert problems(folder) == expected


def test_verdict_is_keyed_by_yejin_itself(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = folder / "data"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder / "cache"))
    import datetime as dt

    today = dt.date(2022, 12, 31)
    load_dataset(data, today=today, cache=True)
    first = verdict.current_key(data, today)
    assert first is not None and verdict.lookup(data, today) is not None
    verdict.fingerprint.cache_clear()
    monkeypatch.setattr(verdict, "FORMAT", verdict.FORMAT + 1)
    try:
        assert verdict.current_key(data, today) != first and verdict.lookup(data, today) is None
    finally:
        verdict.fingerprint.cache_clear()


# --- reading without positions --------------------------------------------------------------------


def test_positions_found_again_are_the_positions_of_a_full_parse(folder: Path) -> None:
    """load_dataset parses without positions and reads a file again when a problem needs one."""
    from yejin.campaign.models import Event, Report
    from yejin.checking.validation import validate
    from yejin.reading.yaml_loader import load_bytes, load_file

    data = folder / "data"
    files = sorted((data / "reports").rglob("*.yaml"))
    assert len(files) > 40
    for path in files:
        shown = path.relative_to(folder).as_posix()
        eager, eager_problems = load_file(path, shown)
        lazy, lazy_problems = load_bytes(path.read_bytes(), shown, positions=False)
        assert lazy_problems == eager_problems, shown
        if eager is None:
            assert lazy is None
            continue
        lazy.relocate = lambda path=path, shown=shown: load_file(path, shown)[0]
        assert (lazy.data, lazy.sources, lazy.reported) == (eager.data, eager.sources, eager.reported)
        model = Event if "/events/" in shown else Report
        assert validate(lazy, model)[1] == validate(eager, model)[1], shown
        for key in list(eager.positions) + list(eager.key_positions):
            assert lazy.position(key) == eager.position(key) and lazy.position(key, prefer_key=True) == eager.position(
                key, prefer_key=True
            )


def test_a_verdict_planted_in_the_data_folder_changes_nothing(folder: Path) -> None:
    """Issue 15, finding 4: a planted `.yejin-cache/` entry once made an invalid report validate clean.
    There is no cache in the data folder any more: a city can plant the old cache folder, or a verdict
    with the right key for the folder as it is, anywhere in the data folder, and nothing changes."""
    expected = problems(folder, "--no-cache")
    assert expected["error_count"] > 0
    data = folder / "data"
    key = verdict.current_key(data, dt.date(2022, 12, 31))
    clean = {"key": key, "files_checked": expected["files_checked"], "tasks_path": "data/tasks.yaml", "problems": []}
    for place in (
        data / ".yejin-cache",
        data / "reports" / ".yejin-cache",
        data / "reports" / "taiyuan" / ".yejin-cache",
    ):
        (place / "verdicts").mkdir(parents=True)
        (place / "verdicts" / "planted.json").write_text(json.dumps(clean), encoding="utf-8")
        (place / "00" / "entry").parent.mkdir()
        (place / "00" / "entry").write_bytes(b"\x80\x04K\x00.")  # an entry of the old parse cache
    expected = problems(folder, "--no-cache")  # the planted files are hidden: not even listed
    assert problems(folder) == expected and problems(folder) == expected  # cold, then from the real store
