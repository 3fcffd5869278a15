"""Every county of Shanxi reporting (issue 19): validate, status and export at the real scale of counties.

    python benchmarks/counties.py [--repeat 3] [--months 10]

The folder (benchmarks/.data/counties, made once by make_data.py --counties): data/tasks.yaml with every
city opted in for its counties, and a report for every unit — the department, the 11 cities (市本级) and
the 117 counties — for each month from 2022-03 (10 months, the whole campaign: 1,290 files).  Each
figure is the median of --repeat fresh processes (run.py's measure(): wall time and peak memory), the
commands interleaved.  Run it with the Python of a venv where yejin is installed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_data  # noqa: E402
from run import Bench, clear_cache, fmt_mb, fmt_s, machine, tool  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--months", type=int, default=10, help="1–10, from 2022-03")
    parser.add_argument("--data-dir", type=Path, default=HERE / ".data")
    args = parser.parse_args()
    yejin = tool("yejin")
    if yejin is None:
        sys.exit("yejin is not installed next to this Python: pip install -e '.[test]'")
    folder = make_data.ensure(args.data_dir / "counties", 0, args.months, counties=True)
    files = len(list(folder.glob("reports/*/*.yaml")))
    month = make_data.MONTHS[args.months - 1]
    out = Path(tempfile.mkdtemp(prefix="yejin-bench-")) / "out.xlsx"
    base = [yejin, "--data", str(folder)]
    as_of = ["--month", month, "--as-of", "2022-12-31"]
    cases = [
        ("validate (no stored verdict)", base + ["validate", "--as-of", "2022-12-31"], {"before": clear_cache}),
        ("validate (unchanged folder)", base + ["validate", "--as-of", "2022-12-31"], {}),
        ("status", base + ["status", *as_of], {}),
        ("status --unit 太原 (10 counties)", base + ["status", *as_of, "--unit", "太原"], {}),
        ("deadlines", base + ["deadlines", *as_of], {}),
        ("export (the province: 12 rows)", base + ["export", *as_of, "-o", str(out), "--force"], {}),
        (
            "export --unit 临汾 (17 counties)",
            base + ["export", *as_of, "--unit", "临汾", "-o", str(out), "--force"],
            {},
        ),
    ]
    print(f"machine: {machine()}\ndata: {folder} ({files} report files)", file=sys.stderr)
    bench = Bench(args.repeat)
    bench.rounds(cases)
    print(f"\nyejin counties benchmark — {time.strftime('%Y-%m-%d')}, {files:,} files, median of {args.repeat} runs")
    print(f"machine: {machine()}\n")
    print("| command | time | peak memory |")
    print("|---|---:|---:|")
    for name, *_ in cases:
        run = bench.runs[name]
        assert run.codes == {0}, (name, run.codes)
        print(f"| `yejin {name}` | {fmt_s(run)} | {fmt_mb(run)} |")


if __name__ == "__main__":
    main()
