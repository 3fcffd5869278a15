"""outputs/files.py through the commands that write: what -o may replace, what --force says, which
file an error names, and what a killed run leaves behind."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, TESTS, assert_no_crash, run_cli, subprocess_env
from hardening_helpers import leftovers
from yejin.outputs.files import NotARegularFile, stale_temps, write_atomic

FIXTURE = TESTS / "fixtures" / "status"
POSIX = pytest.mark.skipif(os.name != "posix", reason="pipes, devices and kill are POSIX")
WRITERS = {
    "export": ["export", "--month", "2022-06", "--force", "-o"],
    "schema": ["schema", "--force", "-o"],
    "bulletin": ["bulletin", "--month", "2022-06", "--force", "-o"],
}
SUFFIX = {"export": ".xlsx", "schema": ".json", "bulletin": ".md"}  # what -o must end in


@pytest.fixture
def data(workdir: Path) -> Path:
    shutil.copytree(FIXTURE, workdir / "data")
    return workdir / "data"


def write(command: str, target: str):
    result = run_cli("--data", "data", *WRITERS[command], target)
    assert_no_crash(result)
    return result


@POSIX
@pytest.mark.parametrize("command", list(WRITERS))
def test_force_never_replaces_a_pipe(data: Path, workdir: Path, command: str) -> None:
    """`export -o <FIFO> --force` replaced the pipe with a regular file (as root, /dev/null too)."""
    fifo = f"out{SUFFIX[command]}"
    os.mkfifo(workdir / fifo)
    result = write(command, fifo)
    assert result.exit_code == 1
    assert f"错误：{fifo} 是命名管道，不是普通文件；yejin 只会覆盖普通文件（加 --force 也一样）" in result.output
    assert stat.S_ISFIFO(os.lstat(workdir / fifo).st_mode)
    assert leftovers(workdir) == []


@POSIX
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="making a device node needs root")
@pytest.mark.parametrize("command", list(WRITERS))
def test_force_never_replaces_a_device(data: Path, workdir: Path, command: str) -> None:
    """What `-o /dev/null --force` as root in CI would have done, on a copy of /dev/null."""
    null = workdir / f"null{SUFFIX[command]}"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    result = write(command, null.name)
    assert result.exit_code == 1 and f"{null.name} 是设备，不是普通文件" in result.output
    assert stat.S_ISCHR(os.lstat(null).st_mode)


@POSIX
@pytest.mark.parametrize("command", list(WRITERS))
def test_force_never_replaces_a_link_or_a_folder(data: Path, workdir: Path, command: str) -> None:
    victim = workdir / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    link = f"out{SUFFIX[command]}"
    os.symlink(victim, workdir / link)
    result = write(command, link)
    assert result.exit_code == 1 and f"{link} 是符号链接，不是普通文件" in result.output
    assert os.path.islink(workdir / link) and victim.read_text(encoding="utf-8") == "precious"
    (workdir / "folder" / f"x{SUFFIX[command]}").mkdir(parents=True)  # a folder -o names gets the file inside
    result = write(command, f"folder/x{SUFFIX[command]}")
    assert result.exit_code == 0 and (workdir / "folder" / f"x{SUFFIX[command]}").is_dir(), result.output
    assert result.stdout.startswith(f"folder/x{SUFFIX[command]}/") and Path(result.stdout.strip()).is_file()


@pytest.mark.parametrize("command", list(WRITERS))
def test_force_says_what_it_replaced(data: Path, workdir: Path, command: str) -> None:
    old = workdir / f"out{SUFFIX[command]}"
    old.write_bytes(b"x" * 1234)
    result = write(command, old.name)
    assert result.exit_code == 0, result.output
    assert f"已覆盖 {old.name}（原文件1,234字节，修改于" in result.output
    first = write(command, f"new{SUFFIX[command]}")
    assert first.exit_code == 0 and "已覆盖" not in first.output


def test_a_failed_write_names_the_target_not_the_temporary_file(
    data: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The message named `/x/.out.xlsx.u_x8c4n4.tmp`, a file the user never asked for."""
    (workdir / "out").mkdir()

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device", "/x/.table.xlsx.u_x8c4n4.tmp")

    monkeypatch.setattr(os, "fsync", disk_full)
    result = write("export", "out/table.xlsx")
    assert result.exit_code == 1
    assert "错误：无法写入文件（磁盘空间不足）：out/table.xlsx" in result.output
    assert ".tmp" not in result.output and leftovers(workdir / "out") == []


_KILLED_WRITER = """
import sys, time
from yejin.outputs.files import write_atomic

def writer(temp):
    temp.write_bytes(b"PK half a workbook")
    print("writing", flush=True)
    time.sleep(60)

write_atomic(sys.argv[1], writer, force=True)
"""


@POSIX
def test_a_killed_write_leaves_a_file_the_next_run_removes(data: Path, workdir: Path) -> None:
    """A killed export left `.out.xlsx.<random>.tmp`, which later runs never cleaned up."""
    env = subprocess_env(PYTHONPATH=str(REPO / "src"))
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, "out.xlsx"], cwd=workdir, env=env, stdout=subprocess.PIPE
    )
    assert child.stdout.readline() == b"writing\n"
    child.send_signal(signal.SIGKILL)
    child.wait()
    (left,) = leftovers(workdir)
    assert left.startswith(f".out.xlsx.yejin-{child.pid}-")
    result = run_cli("--data", "data", "export", "--month", "2022-06", "-o", "out.xlsx")
    assert result.exit_code == 0, result.output
    assert f"注意：已删除上次中断的写入留下的临时文件 {left}" in result.output
    assert leftovers(workdir) == [] and (workdir / "out.xlsx").is_file()


def test_temporary_files_of_running_writers_and_older_ones_are_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    mine = tmp_path / f".out.xlsx.yejin-{os.getpid()}-abc123.tmp"  # a write of this process, under way
    older = tmp_path / ".out.xlsx.u_x8c4n4.tmp"  # yejin before it put the process in the name
    other_target = tmp_path / ".out.xlsx.bak.yejin-1-abc.tmp"
    for path in (mine, older, other_target):
        path.write_bytes(b"")
    assert stale_temps(target) == ([], [str(older)])
    assert mine.exists() and older.exists() and other_target.exists()


def test_write_atomic_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(NotARegularFile):
        write_atomic(tmp_path / "folder", lambda temp: temp.write_text("x"), force=True)
    assert leftovers(tmp_path) == []


# --- what -o names (issue 16, item 6) ----------------------------------------------------------------

TABLE = "测试专项行动2022年重点工作进展情况统计表（2022年6月）.xlsx"
BULLETIN = "关于测试专项行动2022年6月份工作进展情况的通报"


def test_export_into_a_folder_given_with_a_separator(data: Path, workdir: Path) -> None:
    """README: `yejin export --month 2022-06 -o 报表/ --force` created a FILE named 报表."""
    result = run_cli("--data", "data", "export", "--month", "2022-06", "-o", "报表/", "--force")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"报表/{TABLE}\n"
    assert (workdir / "报表").is_dir() and (workdir / "报表" / TABLE).is_file()
    assert (workdir / "报表" / TABLE).read_bytes()[:2] == b"PK"
    again = run_cli("--data", "data", "export", "--month", "2022-06", "-o", "报表")  # an existing folder
    assert again.exit_code == 1
    assert again.output == f"错误：报表/{TABLE} 已存在，未覆盖；如需覆盖请加 --force\n"


def test_a_file_where_the_folder_should_be(data: Path, workdir: Path) -> None:
    (workdir / "报表").write_text("not a folder", encoding="utf-8")
    result = run_cli("--data", "data", "export", "--month", "2022-06", "-o", "报表/")
    assert result.exit_code == 1
    assert result.output == f"错误：无法写入 报表/{TABLE}：报表 不是文件夹\n"
    assert (workdir / "报表").read_text(encoding="utf-8") == "not a folder"


def test_wrong_extension_is_refused_with_a_hint(data: Path, workdir: Path) -> None:
    """`-o out.xls` wrote xlsx content under .xls."""
    result = run_cli("--data", "data", "export", "--month", "2022-06", "-o", "out.xls")
    assert result.exit_code == 2
    assert "错误：-o/--output 的取值有误：out.xls 的扩展名应为 .xlsx（例如 out.xlsx）" in result.output
    assert not (workdir / "out.xls").exists()
    result = run_cli("--data", "data", "export", "--month", "2022-06", "-o", "报表")  # no such folder, no extension
    assert result.exit_code == 2
    assert (
        f"报表 没有扩展名 .xlsx：写入文件请用 报表.xlsx，写入文件夹请在末尾加 {os.sep}（报表{os.sep}）" in result.output
    )
    assert not (workdir / "报表").exists()
    result = run_cli("--data", "data", "schema", "-o", "s.yaml")
    assert result.exit_code == 2 and "s.yaml 的扩展名应为 .json（例如 s.json）" in result.output
    result = run_cli("--data", "data", "bulletin", "--month", "2022-06", "-o", "b.docx")
    assert result.exit_code == 2 and "b.docx 的扩展名应为 .md（例如 b.md）" in result.output
    result = run_cli("--data", "data", "bulletin", "--month", "2022-06", "-f", "docx", "-o", "b.md")
    assert result.exit_code == 2 and "b.md 的扩展名应为 .docx（例如 b.docx）" in result.output
    assert sorted(p.name for p in workdir.iterdir()) == ["data"]
    upper = run_cli("--data", "data", "export", "--month", "2022-06", "-o", "OUT.XLSX")  # case aside
    assert upper.exit_code == 0 and (workdir / "OUT.XLSX").is_file()


@pytest.mark.parametrize(
    ("command", "output", "message"),
    [
        (["export"], "out.xls", "out.xls 的扩展名应为 .xlsx（例如 out.xlsx）"),
        (["bulletin"], "b.txt", "b.txt 的扩展名应为 .md（例如 b.md）"),
        (["bulletin", "-f", "docx"], "b.doc", "b.doc 的扩展名应为 .docx（例如 b.docx）"),
    ],
)
def test_wrong_extension_is_refused_before_the_data_is_read(workdir: Path, command, output, message) -> None:
    """Said at once, not after a minute of reading 1,500 files, nor hidden behind the data's own errors."""
    (workdir / "data").mkdir()  # a data folder without tasks.yaml: reading it would end with Y012, exit 1
    result = run_cli("--data", "data", *command, "--month", "2022-06", "-o", output)
    assert result.exit_code == 2
    assert f"错误：-o/--output 的取值有误：{message}" in result.output
    assert "Y012" not in result.output


def test_missing_folder_is_named(data: Path, workdir: Path) -> None:
    result = run_cli("--data", "data", "export", "--month", "2022-06", "-o", "nosuchdir/out.xlsx")
    assert result.exit_code == 1
    assert result.output == (
        "错误：无法写入文件（文件夹不存在）：nosuchdir/out.xlsx；请先创建文件夹 nosuchdir，或检查路径是否写错\n"
    )
    assert not (workdir / "nosuchdir").exists()


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["schema", "-k", "event"], "event.schema.json"),
        (["bulletin", "--month", "2022-06"], f"{BULLETIN}.md"),
        (["bulletin", "--month", "2022-06", "-f", "docx"], f"{BULLETIN}.docx"),
    ],
)
def test_schema_and_bulletin_write_into_a_folder_too(data: Path, workdir: Path, args: list[str], name: str) -> None:
    result = run_cli("--data", "data", *args, "-o", "a/b/")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"a/b/{name}\n" and (workdir / "a" / "b" / name).is_file()
    assert [p.name for p in (workdir / "a" / "b").iterdir()] == [name]


def test_resolve_output(tmp_path: Path) -> None:
    from yejin.outputs.files import OutputPathError, WrongSuffix, resolve_output

    assert resolve_output(str(tmp_path / "x.JSON"), "d.json", (".json",)) == tmp_path / "x.JSON"
    assert resolve_output(str(tmp_path), "d.json", (".json",)) == tmp_path / "d.json"
    assert resolve_output(f"{tmp_path}/new/", "d.json", (".json",)) == tmp_path / "new" / "d.json"
    assert (tmp_path / "new").is_dir()
    with pytest.raises(WrongSuffix):
        resolve_output(str(tmp_path / "x.json.tmp"), "d.json", (".json",))
    with pytest.raises(OutputPathError, match="文件夹不存在"):
        resolve_output(str(tmp_path / "gone" / "x.json"), "d.json", (".json",))
    (tmp_path / "file").write_text("")
    with pytest.raises(OutputPathError, match="不是文件夹"):
        resolve_output(str(tmp_path / "file" / "x.json"), "d.json", (".json",))
