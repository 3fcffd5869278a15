"""`yejin site` at real scale and far beyond it: time, peak memory and size of the site.

    python benchmarks/site.py                 # shipped data (5 runs) and 1,000 units × 10 months (3 runs)
    python benchmarks/site.py --repeat 1      # one run each

Each run is a fresh process (start-up and reading every file included; no stored verdict matters,
`site` always reads the reports), measured like benchmarks/run.py does (its spawner: wall time and
the child's peak RSS).  It runs this checkout's yejin (src/ first on PYTHONPATH).  The big folder is
benchmarks/make_data.py's: data/tasks.yaml with 1,000 counties added, every month of the campaign
(2022-03 to 2022-12: ten months, the most a campaign year has), 10,000 report files of the counties
(the 12 units of data/tasks.yaml are listed, without reports).  The site is written to a temporary folder and removed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import make_data  # noqa: E402
import run as bench  # noqa: E402


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def time_site(data: Path, as_of: str, repeat: int) -> tuple[list[float], int, tuple[int, int]]:
    seconds, peak, size = [], 0, (0, 0)
    env = {"PYTHONPATH": str(REPO / "src"), "YEJIN_NO_CACHE": "1"}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="yejin-site-bench-") as temp:
            out = Path(temp) / "site"
            argv = [sys.executable, "-m", "yejin", "--data", str(data), "site", "--as-of", as_of, "-o", str(out)]
            elapsed, kib, code = bench.measure(argv, env=env)
            if code != 0:
                sys.exit(f"yejin site failed ({code}) on {data}")
            seconds.append(elapsed)
            peak = max(peak, kib)
            size = folder_size(out)
    return seconds, peak, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=0, help="runs per figure (default: 5 shipped, 3 big)")
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--data-dir", type=Path, default=HERE / ".data")
    args = parser.parse_args()
    big = make_data.ensure(args.data_dir / f"site-{args.units}x10", args.units, 10)
    print(bench.machine())
    rows = [
        ("随附数据（12 个单位，4 个月）", REPO / "data", "2022-07-05", args.repeat or 5),
        (f"{args.units:,} 个县 × 10 个月", big, "2023-01-31", args.repeat or 3),
    ]
    print("| 数据 | 报告文件 | 时间（中位数） | 峰值内存 | 网页文件 | 网页大小 |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, data, as_of, repeat in rows:
        seconds, kib, (files, size) = time_site(data, as_of, repeat)
        reports = sum(1 for _ in (data / "reports").glob("*/*.yaml"))
        print(
            f"| {name} | {reports:,} | {statistics.median(seconds):.2f} s | {kib / 1024:.0f} MB | {files:,} | "
            f"{size / 1e6:.1f} MB |",
            flush=True,
        )
    shutil.rmtree(bench.CACHE_HOME, ignore_errors=True)


if __name__ == "__main__":
    main()
