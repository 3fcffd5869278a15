"""Faults: a full disk or a refused write, two exports at once, and odd data folders.

Every command that writes a file (export, new-report, schema -o, bulletin -o) must, when the
write fails, print a clear Chinese message, exit 1, leave an existing file byte for byte as it
was and leave no temporary file behind.  Tests run as root in CI containers, where chmod does
not stop a write, so refused writes are simulated by making the system calls fail.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import MINIMAL_REPORT, assert_no_crash, run_cli
from hardening_helpers import leftovers, native, problem_lines

FIXTURE = Path(__file__).parent / "fixtures" / "status"  # 4 units, events and the bulletin template
OLD = b"last month's file, must survive"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def data(workdir: Path) -> Path:
    shutil.copytree(FIXTURE, workdir / "data")
    (workdir / "out").mkdir()
    return workdir / "data"


# command -> (arguments, the file it writes, relative to the working folder)
WRITERS = {
    "export": (["export", "--month", "2022-06", "-o", "out/table.xlsx", "--force"], "out/table.xlsx"),
    "schema": (["schema", "-o", "out/report.schema.json", "--force"], "out/report.schema.json"),
    "bulletin-md": (["bulletin", "--month", "2022-06", "-o", "out/bulletin.md", "--force"], "out/bulletin.md"),
    "bulletin-docx": (
        ["bulletin", "--month", "2022-06", "--format", "docx", "-o", "out/bulletin.docx", "--force"],
        "out/bulletin.docx",
    ),
    "new-report": (
        ["new-report", "--unit", "太原", "--month", "2022-07", "--submitted", "2022-07-20"],
        "data/reports/taiyuan/2022-07.yaml",
    ),
    "new-event": (
        ["new-event", "--unit", "太原", "--date", "2022-06-01", "--title", "测试"],
        "data/reports/taiyuan/events/2022-06-01-event.yaml",
    ),
}
NEW_FILES = ("new-report", "new-event")  # never overwrite: there is no old file to keep


def enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device", str(args[-1]) if args else None)


def eacces(*args, **kwargs):
    raise PermissionError(errno.EACCES, "Permission denied", str(args[-1]) if args else None)


def half_written(kind: str):
    """A writer that puts part of the file on disk and then finds the disk full."""

    def fail(self, target, *args, **kwargs):
        Path(target).write_bytes(b"PK\x03\x04 half")
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    return fail


def break_writes(monkeypatch: pytest.MonkeyPatch, fault: str, command: str) -> str:
    """Make the write fail the way `fault` says; return the words the message must contain."""
    if fault == "folder-not-writable":  # what a read-only folder does to the temporary file
        monkeypatch.setattr(tempfile, "mkstemp", eacces)
        return "没有写入权限"
    if fault == "rename-refused":  # the target is locked or protected: neither link nor replace works
        monkeypatch.setattr(os, "replace", eacces)
        monkeypatch.setattr(os, "link", eacces)
        return "没有写入权限"
    if fault == "disk-full-on-flush":
        monkeypatch.setattr(os, "fsync", enospc)
        return "磁盘空间不足"
    assert fault == "disk-full-while-writing"
    if command == "export":
        from openpyxl.workbook.workbook import Workbook

        monkeypatch.setattr(Workbook, "save", half_written("xlsx"))
    elif command == "bulletin-docx":
        from docx.document import Document

        monkeypatch.setattr(Document, "save", half_written("docx"))
    else:
        original = Path.write_text

        def write_text(self, text, *args, **kwargs):
            if self.name.endswith(".tmp"):
                original(self, text[: len(text) // 2], *args, **kwargs)
                raise OSError(errno.ENOSPC, "No space left on device", str(self))
            return original(self, text, *args, **kwargs)

        monkeypatch.setattr(Path, "write_text", write_text)
    return "磁盘空间不足"


FAULTS = ["folder-not-writable", "rename-refused", "disk-full-on-flush", "disk-full-while-writing"]


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("command", list(WRITERS))
def test_a_failed_write_damages_nothing(
    data: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch, command: str, fault: str
) -> None:
    args, target = WRITERS[command]
    target = workdir / target
    existed = command not in NEW_FILES
    if existed:
        target.write_bytes(OLD)
    words = break_writes(monkeypatch, fault, command)
    result = run_cli("--data", "data", *args)
    assert_no_crash(result)
    assert result.exit_code == 1, result.output
    assert f"错误：无法写入文件（{words}）" in result.output, result.output
    if existed:
        assert target.read_bytes() == OLD
    else:
        assert not target.exists()
    assert leftovers(target.parent) == []


@pytest.mark.skipif(IS_ROOT or sys.platform == "win32", reason="root writes into read-only folders anyway")
@pytest.mark.parametrize("command", list(WRITERS))
def test_a_real_read_only_folder(data: Path, workdir: Path, command: str) -> None:
    args, target = WRITERS[command]
    target = workdir / target
    target.parent.mkdir(parents=True, exist_ok=True)
    if command not in NEW_FILES:
        target.write_bytes(OLD)
    target.parent.chmod(0o555)
    try:
        result = run_cli("--data", "data", *args)
    finally:
        target.parent.chmod(0o755)
    assert result.exit_code == 1 and "没有写入权限" in result.output, result.output
    assert leftovers(target.parent) == []


def test_output_folder_that_does_not_exist(data: Path) -> None:
    result = run_cli("--data", "data", "schema", "-o", "nowhere/schema.json")
    assert result.exit_code == 1 and "文件夹不存在" in result.output, result.output
    result = run_cli("--data", "data", "export", "--month", "2022-06", "-o", "nowhere/table.xlsx")
    assert result.exit_code == 1 and "文件夹不存在" in result.output, result.output


def test_output_is_an_existing_folder(data: Path, workdir: Path) -> None:
    """-o naming a folder writes the default name into it; a folder where that file would go is refused."""
    (workdir / "out").mkdir(exist_ok=True)  # the fixture made it
    result = run_cli("--data", "data", "schema", "-o", "out", "--force")
    assert result.exit_code == 0 and result.stdout == "out/report.schema.json\n", result.output
    (workdir / "out" / "tasks.schema.json").mkdir()
    result = run_cli("--data", "data", "schema", "-k", "tasks", "-o", "out", "--force")
    assert_no_crash(result)
    assert result.exit_code == 1 and "错误：out/tasks.schema.json 是文件夹，不是普通文件" in result.output, (
        result.output
    )
    assert leftovers(workdir / "out") == []


# --- two at once --------------------------------------------------------------------------------


def _yejin(*args: str, cwd: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "YEJIN_DATA")}
    return subprocess.Popen(
        [sys.executable, "-m", "yejin", *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def test_two_exports_of_the_same_month_at_once(data: Path, workdir: Path) -> None:
    runs = [
        _yejin("--data", "data", "export", "--month", "2022-06", "-o", "out/same.xlsx", "--force", cwd=workdir)
        for _ in range(2)
    ]
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err.decode()
    book = load_workbook(workdir / "out" / "same.xlsx")
    assert book.sheetnames[0].startswith("统计表")
    assert leftovers(workdir / "out") == []


def test_two_exports_without_force_one_wins(data: Path, workdir: Path) -> None:
    runs = [
        _yejin("--data", "data", "export", "--month", "2022-06", "-o", "out/same.xlsx", cwd=workdir) for _ in range(2)
    ]
    codes = sorted(run.wait(timeout=120) for run in runs)
    assert codes == [0, 1]  # the second finds the first one's file and does not overwrite it
    load_workbook(workdir / "out" / "same.xlsx")
    assert leftovers(workdir / "out") == []


def test_two_new_reports_for_the_same_month_at_once(data: Path, workdir: Path) -> None:
    args = ("--data", "data", "new-report", "--unit", "太原", "--month", "2022-07", "--submitted", "2022-07-20")
    runs = [_yejin(*args, cwd=workdir) for _ in range(2)]
    codes = sorted(run.wait(timeout=120) for run in runs)
    assert codes == [0, 1]
    assert run_cli("--data", "data", "validate").exit_code == 0


# --- odd data folders ---------------------------------------------------------------------------

READERS = [
    ["validate"],
    ["status"],
    ["deadlines"],
    ["tasks"],
    ["events"],
    ["codeowners"],
    ["export", "--month", "2022-06"],
    ["bulletin", "--month", "2022-06"],
    ["new-report", "--unit", "太原", "--month", "2022-07"],
    ["new-event", "--unit", "太原", "--date", "2022-06-01", "--title", "x"],
]


@pytest.mark.parametrize(
    "kind, words",
    [
        ("missing", "数据目录 data 不存在"),
        ("empty", "数据目录中没有 tasks.yaml"),
        ("a-file", "数据目录 data 不是文件夹"),
        ("tasks-is-a-folder", "数据目录中没有 tasks.yaml"),
    ],
)
@pytest.mark.parametrize("args", READERS, ids=[a[0] for a in READERS])
def test_no_usable_data_folder(workdir: Path, kind: str, words: str, args: list[str]) -> None:
    if kind == "empty":
        (workdir / "data").mkdir()
    elif kind == "a-file":
        (workdir / "data").write_text("tasks: x\n", encoding="utf-8")
    elif kind == "tasks-is-a-folder":
        (workdir / "data" / "tasks.yaml").mkdir(parents=True)
    result = run_cli("--data", "data", *args)
    assert_no_crash(result)
    assert result.exit_code == 1, result.output
    assert "Y012" in result.output and words in result.output, result.output
    assert sorted(p.name for p in workdir.iterdir()) == ([] if kind == "missing" else ["data"])  # nothing written


def test_no_reports_folder_yet(data: Path) -> None:
    shutil.rmtree(data / "reports")
    assert run_cli("--data", "data", "validate").exit_code == 0
    result = run_cli("--data", "data", "status")
    assert_no_crash(result)
    assert result.exit_code == 1 and "还没有可汇总的月报" in result.output


def test_reports_is_a_file(data: Path) -> None:
    shutil.rmtree(data / "reports")
    (data / "reports").write_text("", encoding="utf-8")
    result = run_cli("--data", "data", "validate")
    assert result.exit_code == 1 and "data/reports: Y011" in problem_lines(result.output)[0], result.output
    assert "reports 不是文件夹" in result.output


def validate(*extra: str):
    result = run_cli("--data", "data", "validate", *extra)
    assert_no_crash(result)
    return result


def checked(result) -> int:
    return int(result.output.rsplit("检查", 1)[1].split("个文件")[0])


def test_files_that_are_not_reports_are_ignored(data: Path) -> None:
    """Editor backups and lock files, hidden files and folders, notes and Word originals."""
    before = checked(validate())
    unit = data / "reports" / "taiyuan"
    june = (unit / "2022-06.yaml").read_text(encoding="utf-8")
    broken = "unit: [\n"  # would be Y002 if it were read
    for name in [
        "2022-06.yaml~",
        "2022-06.yaml.bak",
        ".2022-06.yaml.swp",
        "~$2022-06.yaml",
        "#2022-06.yaml#",
        ".hidden.yaml",
        "2022-06.yaml.orig",
    ]:
        (unit / name).write_text(broken, encoding="utf-8")
    os.symlink("root@host.12345:1669999999", unit / ".#2022-06.yaml")  # Emacs lock: a dangling symlink
    (data / "reports" / ".git").mkdir()
    (data / "reports" / ".git" / "config.yaml").write_text(broken, encoding="utf-8")
    (unit / "README.md").write_text("# 太原市月报\n", encoding="utf-8")
    (unit / "2022-06 原件.docx").write_bytes(b"PK\x03\x04")
    (unit / "notes.txt").write_text("草稿", encoding="utf-8")
    result = validate()
    assert result.exit_code == 0, result.output
    assert checked(result) == before
    assert (unit / "2022-06.yaml").read_text(encoding="utf-8") == june


@pytest.mark.parametrize(
    "rel, hint",
    [
        ("reports/taiyuan/old/2022-05.yaml", "月报应放在 reports/<单位标识>/<YYYY-MM>.yaml"),
        ("reports/taiyuan/2022-07.yaml.txt", "文件名多了 .txt"),
        ("reports/taiyuan/2022-07.yml", "扩展名应为小写的 .yaml；请改名为2022-07.yaml"),
        ("reports/taiyuan/2022-07.YAML", "请改名为2022-07.yaml"),
        ("reports/2022-07.yaml", "月报应放在"),
        ("reports/taiyuan/events/x.yaml", "重要情况放在"),
    ],
)
def test_yaml_files_in_unexpected_places_are_reported(data: Path, rel: str, hint: str) -> None:
    (data / rel).parent.mkdir(parents=True, exist_ok=True)
    (data / rel).write_text(MINIMAL_REPORT, encoding="utf-8")
    result = validate()
    assert result.exit_code == 1
    assert problem_lines(result.output) == [f"data/{rel}: Y211"], result.output
    assert hint in result.output


def test_unreadable_report(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = os.open

    def refuse(path, *args, **kwargs):
        if Path(path).name == "2022-06.yaml" and Path(path).parent.name == "taiyuan":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return original(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    result = validate()
    assert result.exit_code == 1
    assert problem_lines(result.output) == ["data/reports/taiyuan/2022-06.yaml: Y011"], result.output
    assert "无法读取文件：没有读取权限" in result.output and "Permission" not in result.output
    # issue 14: the others are counted; the unreadable file is named, and only --strict refuses
    result = run_cli("--data", "data", "status", "--month", "2022-06")
    assert result.exit_code == 0 and "报告有误，未计入（1个文件" in result.output
    assert f"太原市  {native('data/reports/taiyuan/2022-06.yaml')}: Y011 无法读取文件" in result.output
    assert "太原市" in result.output and "按时" in result.output
    result = run_cli("--data", "data", "status", "--strict")
    assert result.exit_code == 1 and "Y011" in result.output and "按时" not in result.output


def test_unreadable_unit_folder(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Path.rglob skips a folder it cannot list without a word; yejin says so."""
    original = os.scandir

    def scandir(path="."):
        if Path(path).name == "datong":
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return original(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = validate()
    assert result.exit_code == 1
    assert problem_lines(result.output) == ["data/reports/datong: Y011"], result.output
    assert "无法读取文件夹" in result.output


def test_symlinked_report_is_checked_where_the_link_stands(data: Path, workdir: Path) -> None:
    real = data / "elsewhere" / "june.yaml"  # inside the data folder: links out of it are refused (Y013)
    real.parent.mkdir()
    link = data / "reports" / "taiyuan" / "2022-06.yaml"
    shutil.move(link, real)
    os.symlink(real, link)
    assert validate().exit_code == 0
    real.write_text(
        real.read_text(encoding="utf-8").replace("submitted: 2022-06-", "submitted: 2022-05-"), encoding="utf-8"
    )
    result = validate()
    assert result.exit_code == 1
    assert [p.split(":")[0] for p in problem_lines(result.output)] == ["data/reports/taiyuan/2022-06.yaml"]
    one = validate("data/reports/taiyuan/2022-06.yaml")  # named through the link: the same problem, once
    assert problem_lines(one.output) == problem_lines(result.output), one.output


def test_symlinked_unit_folder_is_followed(data: Path, workdir: Path) -> None:
    """Path.rglob does not enter a linked folder: its reports were silently missing before."""
    before = checked(validate())
    shutil.move(data / "reports" / "taiyuan", data / "taiyuan-share")
    os.symlink("../taiyuan-share", data / "reports" / "taiyuan")
    result = validate()
    assert result.exit_code == 0 and checked(result) == before, result.output
    status = run_cli("--data", "data", "status", "--json")
    assert '"unit_id": "taiyuan"' in status.output and '"state": "按时"' in status.output
    (data / "taiyuan-share" / "2022-06.yaml").write_text("unit: [\n", encoding="utf-8")
    for args in ([], ["data/reports/taiyuan"], ["data/reports"], ["data/reports/taiyuan/2022-06.yaml"]):
        result = validate(*args)
        assert result.exit_code == 1, (args, result.output)
        assert problem_lines(result.output) == ["data/reports/taiyuan/2022-06.yaml:2:1: Y002"], (args, result.output)


def test_symlink_loop_is_reported_not_followed_forever(data: Path) -> None:
    os.symlink("..", data / "reports" / "taiyuan" / "loop")
    result = validate()
    assert result.exit_code == 1
    assert problem_lines(result.output) == ["data/reports/taiyuan/loop: Y011"], result.output
    assert "形成循环" in result.output


def test_dangling_symlink_report(data: Path) -> None:
    os.symlink("nowhere.yaml", data / "reports" / "taiyuan" / "2022-07.yaml")
    result = validate()
    assert problem_lines(result.output) == ["data/reports/taiyuan/2022-07.yaml: Y011"], result.output


def test_unreadable_bulletin_template(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = Path.read_text

    def read_text(self, *args, **kwargs):
        if self.name == "bulletin-template.md":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)
    result = run_cli("--data", "data", "bulletin", "--month", "2022-06")
    assert_no_crash(result)
    assert result.exit_code == 1 and "无法读取 bulletin-template.md" in result.output
