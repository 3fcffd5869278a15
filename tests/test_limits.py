"""Resource limits: hostile or absurd files are refused or handled quickly and in little memory.

Each case runs `python -m yejin` in a child process and measures wall time and peak memory
(os.wait4's ru_maxrss).  The goal is 1 s and 200 MB; the asserted bounds are looser on time
(3 s, shared CI machines vary) — these guard against a blow-up, they are not benchmarks.
Run with -s to see the figures.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from conftest import MINIMAL_REPORT, SHIPPED_DATA, make_data_dir, measures_of
from hardening_helpers import Measured, run_measured

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="os.wait4 is POSIX only")

MAX_SECONDS, MAX_MB = 3.0, 200
FILE = "data/reports/taiyuan/2022-06.yaml"


def measured(workdir: Path, *args: str) -> Measured:
    result = run_measured(["--data", "data", *args], workdir)
    print(f"\n  yejin {' '.join(args)}: {result.seconds:.2f} s, {result.peak_mb:.0f} MB, exit {result.returncode}")
    assert "Traceback" not in result.stderr, result.stderr
    assert result.seconds < MAX_SECONDS, f"{result.seconds:.2f} s"
    assert result.peak_mb < MAX_MB, f"{result.peak_mb:.0f} MB"
    return result


def with_report(workdir: Path, content: str) -> Path:
    data = make_data_dir(workdir)
    shutil.copy(SHIPPED_DATA / "bulletin-template.md", data / "bulletin-template.md")
    path = workdir / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def test_a_5_mb_report_is_refused_unread(workdir: Path) -> None:
    with_report(workdir, MINIMAL_REPORT + 'problems: "' + "很长的内容" * 350_000 + '"\n')
    assert (workdir / FILE).stat().st_size > 5_000_000
    result = measured(workdir, "validate")
    assert result.returncode == 1
    assert f"  {FILE}: Y005 文件有5," in result.stdout and "超过上限2,097,152字节" in result.stdout


def test_an_alias_bomb_is_refused(workdir: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):  # 10^10 leaves once expanded
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 10) + "]")
    with_report(workdir, "\n".join(lines) + "\n" + MINIMAL_REPORT)
    result = measured(workdir, "validate")
    assert result.returncode == 1 and "Y006" in result.stdout and "别名炸弹" in result.stdout


def test_ten_thousand_measures_in_one_file(workdir: Path) -> None:
    """Each is an error (措施 19… 不存在, or not this unit's): all counted, the first 50 printed."""
    with_report(
        workdir, MINIMAL_REPORT + "measures:\n" + "".join(f"  {i}:\n    status: 推进中\n" for i in range(1, 10_001))
    )
    result = measured(workdir, "validate")
    assert result.returncode == 1
    assert result.stdout.count(f"  {FILE}:") == 50
    assert "该文件还有" in result.stdout and "个问题未列出" in result.stdout
    errors = int(result.stdout.rsplit("发现", 1)[1].split("个错误")[0])
    assert errors > 9_900
    every = measured(workdir, "validate", "--format", "json")  # json lists every problem
    assert every.stdout.count('"code": "Y2') == errors


def test_ten_thousand_indicator_keys(workdir: Path) -> None:
    with_report(
        workdir,
        MINIMAL_REPORT
        + "measures:\n  5:\n    status: 推进中\n    progress: 进行中\n    indicators:\n"
        + "".join(f"      k{i}: {i}\n" for i in range(10_000))
        + measures_of("taiyuan", skip=(5,)),
    )
    result = measured(workdir, "validate")
    assert result.returncode == 1 and "发现10000个错误" in result.stdout


def test_a_1_mb_progress_text_goes_through_every_command(workdir: Path) -> None:
    """Valid, if absurd: read, summed, exported (cut to Excel's cell limit, with a note) and carried on."""
    with_report(
        workdir,
        MINIMAL_REPORT
        + 'measures:\n  5:\n    status: 推进中\n    progress: "'
        + "检查" * 175_000
        + '"\n    indicators: {sources_inspected: 9}\n'
        + measures_of("taiyuan", skip=(5,)),
    )
    assert (workdir / FILE).stat().st_size > 1_048_576  # 350,000 characters, over 1 MB as UTF-8
    assert measured(workdir, "validate").returncode == 0
    assert measured(workdir, "status", "--month", "2022-06").returncode == 0
    exported = measured(workdir, "export", "--month", "2022-06", "-o", "table.xlsx")
    assert exported.returncode == 0 and "已截断" in exported.stderr
    assert measured(workdir, "bulletin", "--month", "2022-06").returncode == 0
    made = measured(workdir, "new-report", "--unit", "太原", "--month", "2022-07", "--submitted", "2022-07-20")
    assert made.returncode == 0
    assert "检查检查" not in (workdir / "data/reports/taiyuan/2022-07.yaml").read_text(encoding="utf-8")
