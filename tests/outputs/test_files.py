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
    os.mkfifo(workdir / "out.fifo")
    result = write(command, "out.fifo")
    assert result.exit_code == 1
    assert "错误：out.fifo 是命名管道，不是普通文件；yejin 只会覆盖普通文件（加 --force 也一样）" in result.output
    assert stat.S_ISFIFO(os.lstat(workdir / "out.fifo").st_mode)
    assert leftovers(workdir) == []


@POSIX
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="making a device node needs root")
@pytest.mark.parametrize("command", list(WRITERS))
def test_force_never_replaces_a_device(data: Path, workdir: Path, command: str) -> None:
    """What `-o /dev/null --force` as root in CI would have done, on a copy of /dev/null."""
    null = workdir / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    result = write(command, "null")
    assert result.exit_code == 1 and "null 是设备，不是普通文件" in result.output
    assert stat.S_ISCHR(os.lstat(null).st_mode)


@POSIX
@pytest.mark.parametrize("command", list(WRITERS))
def test_force_never_replaces_a_link_or_a_folder(data: Path, workdir: Path, command: str) -> None:
    victim = workdir / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    os.symlink(victim, workdir / "out.link")
    result = write(command, "out.link")
    assert result.exit_code == 1 and "out.link 是符号链接，不是普通文件" in result.output
    assert os.path.islink(workdir / "out.link") and victim.read_text(encoding="utf-8") == "precious"
    if command == "schema":  # export and bulletin write into a folder given as -o
        (workdir / "folder").mkdir()
        result = write(command, "folder")
        assert result.exit_code == 1 and "folder 是文件夹，不是普通文件" in result.output


@pytest.mark.parametrize("command", list(WRITERS))
def test_force_says_what_it_replaced(data: Path, workdir: Path, command: str) -> None:
    old = workdir / "out.file"
    old.write_bytes(b"x" * 1234)
    result = write(command, "out.file")
    assert result.exit_code == 0, result.output
    assert "已覆盖 out.file（原文件 1,234 字节，修改于 " in result.output
    first = write(command, "new.file")
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
