"""yejin's performance, measured against the alternatives on the same files: one table.

    python benchmarks/run.py                       # the full run (about 15 minutes on 2 cores)
    python benchmarks/run.py --quick               # 1,000 files, one run each (about 2 minutes)
    python benchmarks/run.py --sizes 1000 --repeat 5 --check-jsonschema-10k

Run it with the Python of a venv where yejin is installed with its test extras
(`pip install -e '.[test]'`: check-jsonschema is one of them).  Synthetic data folders are
generated once into benchmarks/.data/ (git-ignored; benchmarks/make_data.py) and reused.

What is measured, each in a fresh process (start-up included), as the median of --repeat
runs interleaved with one another, so that a busy machine slows all of them alike:
- for each size: `yejin validate` with no stored verdict (cold: the user cache folder emptied
  before each run), over the unchanged folder (its verdict stored) and with one file edited since
  (the usual pre-commit case); `status` and `export` (they always read every file); beside them
  the parsing floor, a bare loop of yaml.load(..., CSafeLoader) over the same report files, and
  check-jsonschema with the committed schemas/report.schema.json over the same files;
- the export of one month of a 3,000-unit folder;
- the start-up: `yejin --help`, `yejin --no-cache validate <one file>`, `yejin status` on a copy
  of the shipped data/, beside `python -c "import yaml, pydantic, typer, rich"` and
  check-jsonschema on the same file.
The yejin runs keep their verdicts in a cache folder of this run (XDG_CACHE_HOME).
Peak memory is the child's ru_maxrss from os.wait4.  Children are started by a small helper
process: Linux carries the high-water mark of the forking process into the child, so forking from
this one would put its own ~40 MB under every figure.  For the exports one more, untimed run
samples the summed PSS of the process tree (/proc/<pid>/smaps_rollup, every 0.1 s), the figure
for "all processes".  Ratios are computed from figures of the same run; absolute times on shared
machines are noise.  The targets (issue "one path in") are checked at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import make_data  # noqa: E402

BIN = Path(sys.executable).parent
FLOOR = (
    "import sys, yaml\nfrom pathlib import Path\n"
    "for f in sorted(Path(sys.argv[1]).glob('reports/*/*.yaml')):\n"
    "    yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)\n"
)
IMPORTS = "import yaml, pydantic, typer, rich"
# The same global options and a `validate` command with the same parameters, doing nothing:
# what any command of a typer application of this shape costs before it does anything.
TYPER_APP = """
from pathlib import Path
from typing import Annotated, Optional
import typer
app = typer.Typer()
@app.callback()
def main(data: Annotated[Path, typer.Option("--data")] = Path("data"), version: bool = False,
         no_cache: bool = False) -> None: ...
@app.command()
def validate(paths: Annotated[Optional[list[Path]], typer.Argument()] = None,
             fmt: Annotated[Optional[str], typer.Option("--format")] = None, as_of: Optional[str] = None) -> None: ...
@app.command()
def status() -> None: ...
app()
"""
SPAWNER = """
import json, os, sys, time
for line in sys.stdin:
    argv, cwd, env = json.loads(line)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            if cwd:
                os.chdir(cwd)
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    print(json.dumps([time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status)]), flush=True)
"""
UNITS_MONTHS = {1000: (100, 10), 10000: (1000, 10)}  # files -> (units, months)


@dataclass
class Run:
    seconds: list[float] = field(default_factory=list)
    kib: list[int] = field(default_factory=list)
    codes: set[int] = field(default_factory=set)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mb(self) -> float:
        return max(self.kib) / 1024


def tool(name: str) -> str | None:
    found = BIN / name
    return str(found) if found.exists() else shutil.which(name)


_spawner: subprocess.Popen | None = None


def measure(argv: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, int, int]:
    """(wall seconds, peak KiB, exit code) of one child process, its output discarded."""
    global _spawner
    if _spawner is None:
        _spawner = subprocess.Popen(
            [sys.executable, "-S", "-c", SPAWNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
    argv = [shutil.which(argv[0]) or argv[0], *argv[1:]]
    env = {**os.environ, "XDG_CACHE_HOME": str(CACHE_HOME), **(env or {})}
    _spawner.stdin.write(json.dumps([argv, str(cwd) if cwd else None, env]) + "\n")
    _spawner.stdin.flush()
    elapsed, kib, code = json.loads(_spawner.stdout.readline())
    return elapsed, kib, code


def _tree(pid: int) -> list[int]:
    found = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                for child in fh.read().split():
                    found += _tree(int(child))
    except OSError:
        pass
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_peak_pss(argv: list[str], before=None) -> tuple[int, int] | None:
    """(peak KiB of the summed PSS of the process and its descendants, most processes seen at once),
    sampled every 0.1 s in an untimed run; None where /proc has no smaps_rollup (not Linux)."""
    if not os.path.exists("/proc/self/smaps_rollup"):
        return None
    if before:
        before()
    run = subprocess.Popen(
        argv,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "XDG_CACHE_HOME": str(CACHE_HOME)},
    )
    peak, most = 0, 1
    while run.poll() is None:
        pids = _tree(run.pid)
        peak, most = max(peak, sum(_pss_kib(p) for p in pids)), max(most, len(pids))
        time.sleep(0.1)
    return peak, most


class Bench:
    def __init__(self, repeat: int):
        self.repeat = repeat
        self.runs: dict[str, Run] = {}

    def rounds(self, cases: list[tuple[str, list[str], dict]], repeat: int | None = None) -> None:
        """Each case once per round, rounds interleaved; a case's 'before' callable runs untimed."""
        for _ in range(repeat or self.repeat):
            for name, argv, opts in cases:
                if opts.get("before"):
                    opts["before"]()
                seconds, kib, code = measure(argv, opts.get("cwd"), opts.get("env"))
                run = self.runs.setdefault(name, Run())
                run.seconds.append(seconds)
                run.kib.append(kib)
                run.codes.add(code)
                print(f"  {name:45s} {seconds:7.2f} s {kib / 1024:7.0f} MB  exit {code}", file=sys.stderr, flush=True)


CACHE_HOME = Path(tempfile.mkdtemp(prefix="yejin-bench-cache-"))  # the runs' user cache folder


def clear_cache() -> None:
    """No stored verdict: the next validate checks every file."""
    shutil.rmtree(CACHE_HOME, ignore_errors=True)
    CACHE_HOME.mkdir()


class Editor:
    """Changes one report's bytes before each run (a comment line), so the stored verdict misses."""

    def __init__(self, path: Path):
        self.path, self.original, self.count = path, path.read_bytes(), 0

    def __call__(self) -> None:
        self.count += 1
        self.path.write_bytes(self.original + f"# 基准测试修改 {self.count}\n".encode())

    def restore(self) -> None:
        self.path.write_bytes(self.original)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = next(
            int(row.split()[1]) for row in Path("/proc/meminfo").read_text().splitlines() if row.startswith("MemTotal")
        )
        memory = f"{mem / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        memory = "?"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = subprocess.run(
        [
            sys.executable,
            "-c",
            "import yaml, pydantic, yejin, typer; print("
            "f'yejin {yejin.__version__}, PyYAML {yaml.__version__} (libyaml {yaml.__with_libyaml__}), "
            "pydantic {pydantic.VERSION}, typer {typer.__version__}')",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    cj = (
        subprocess.run(
            [tool("check-jsonschema") or "check-jsonschema", "--version"], capture_output=True, text=True
        ).stdout.strip()
        if tool("check-jsonschema")
        else "check-jsonschema not installed"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{cores} cores ({cpu}), {memory} RAM, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; {versions}; {cj}; load average at start {load:.2f}"
    )


def fmt_s(run: Run | None) -> str:
    return "—" if run is None else f"{run.median:.2f} s"


def fmt_mb(run: Run | None) -> str:
    return "—" if run is None else f"{run.peak_mb:.0f} MB"


def fmt_kib(found: tuple[int, int] | None) -> str:
    return "—" if found is None else f"{found[0] / 1024:.0f} MB"


def ratio(a: Run | None, b: Run | None) -> str:
    return "—" if a is None or b is None else f"{a.median / b.median:.2f}×"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="report files per folder, comma-separated (1000, 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (the median is shown)")
    parser.add_argument("--quick", action="store_true", help="1,000 files, one run each, a 300-unit export")
    parser.add_argument("--export-units", type=int, default=3000, help="units in the one-month export folder (0: skip)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--check-jsonschema-10k",
        dest="cj10k",
        action="store_true",
        help="also run check-jsonschema over 10,000 files (once; about 5 minutes)",
    )
    group.add_argument("--skip-check-jsonschema-10k", dest="cj10k", action="store_false", help="skip it (the default)")
    parser.add_argument("--data-dir", type=Path, default=HERE / ".data", help="where the synthetic folders go")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.quick:
        sizes, args.repeat, args.export_units = [1000], 1, min(args.export_units, 300)
    yejin, cj = tool("yejin"), tool("check-jsonschema")
    if yejin is None:
        sys.exit("yejin is not installed next to this Python: pip install -e '.[test]'")
    # as installed for users: with compiled modules (a shell with PYTHONDONTWRITEBYTECODE=1 would
    # have every run compile yejin's modules again, ~0.1 s of start-up that nobody else pays)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "src" / "yejin")], check=False)
    schema = REPO / "schemas" / "report.schema.json"
    bench = Bench(args.repeat)
    started = time.perf_counter()
    print(f"machine: {machine()}", file=sys.stderr)

    # --- folders of 1,000 and 10,000 report files -------------------------------------------
    folders: dict[int, Path] = {}
    memory_runs: list[tuple[str, list[str], object]] = []  # (label, argv, before): summed PSS, untimed
    for n in sizes:
        units, months = UNITS_MONTHS.get(n, (max(1, n // 10), 10))
        folder = args.data_dir / f"n{n}"
        print(f"data: {folder} ({units} units × {months} months)", file=sys.stderr)
        make_data.ensure(folder, units, months)
        folders[n] = folder
        files = [str(p) for p in sorted(folder.glob("reports/*/*.yaml"))]
        month = make_data.MONTHS[months - 1]
        out = Path(tempfile.mkdtemp(prefix="yejin-bench-")) / "out.xlsx"
        base = [yejin, "--data", str(folder)]
        cmds = {
            "validate": base + ["validate"],
            "status": base + ["status", "--month", month],
            "export": base + ["export", "--month", month, "-o", str(out), "--force"],
        }
        memory_runs.append((f"{n:,} files, export --month {month}", cmds["export"], None))
        editor = Editor(folder / "reports" / "bench0001" / f"{month}.yaml")
        keep: dict = {}
        try:
            cases: list[tuple[str, list[str], dict]] = [
                (f"{n} floor: yaml.load CSafeLoader", [sys.executable, "-c", FLOOR, str(folder)], keep),
                (f"{n} validate cold", cmds["validate"], {"before": clear_cache}),
                (f"{n} validate warm", cmds["validate"], keep),  # right after a run over the same files
                (f"{n} validate 1 file edited", cmds["validate"], {"before": editor}),
                (f"{n} status cold", cmds["status"], keep),
                (f"{n} export cold", cmds["export"], keep),
            ]
            bench.rounds(cases)
        finally:
            editor.restore()
        if cj and (n < 10000 or args.cj10k):
            bench.rounds(
                [(f"{n} check-jsonschema", [cj, "--schemafile", str(schema), *files], keep)],
                repeat=args.repeat if n < 10000 else 1,
            )

    # --- one month of a 3,000-unit folder: the export ----------------------------------------
    if args.export_units:
        folder = args.data_dir / f"export{args.export_units}"
        make_data.ensure(folder, args.export_units, 1)
        out = Path(tempfile.mkdtemp(prefix="yejin-bench-")) / "out.xlsx"
        argv = [yejin, "--data", str(folder), "export", "--month", make_data.MONTHS[0], "-o", str(out), "--force"]
        bench.rounds([(f"export {args.export_units} units cold", argv, {})])
        memory_runs[:0] = [(f"{args.export_units:,} units, export", argv, None)]
    memory: list[tuple[str, tuple[int, int] | None]] = []
    for label, argv, before in memory_runs:
        memory.append((label, tree_peak_pss(argv, before)))
        print(f"  {label:45s} summed PSS {fmt_kib(memory[-1][1])}", file=sys.stderr, flush=True)

    # --- start-up: the shipped data/ (48 reports) -------------------------------------------
    work = Path(tempfile.mkdtemp(prefix="yejin-bench-start-"))
    shutil.copytree(REPO / "data", work / "data")
    one = work / "data" / "reports" / "taiyuan" / "2022-06.yaml"
    env = {"YEJIN_DATA": str(work / "data")}
    measure([yejin, "validate"], cwd=work, env=env)  # a stored verdict, as on a developer's machine
    editor = Editor(one)
    start = [
        ("python -c pass", [sys.executable, "-c", "pass"], {}),
        ("python -c 'import yaml, pydantic, typer, rich'", [sys.executable, "-c", IMPORTS], {}),
        ("typer app, same options, empty command", [sys.executable, "-c", TYPER_APP, "validate", str(one)], {}),
        ("yejin --help", [yejin, "--help"], {"cwd": work, "env": env}),
        ("yejin validate <one file>, nothing changed", [yejin, "validate", str(one)], {"cwd": work, "env": env}),
        (
            "yejin validate <one file>, file edited",
            [yejin, "validate", str(one)],
            {"cwd": work, "env": env, "before": editor},
        ),
        (
            "yejin validate <one file> --no-cache",
            [yejin, "--no-cache", "validate", str(one)],
            {"cwd": work, "env": env},
        ),
        ("yejin status", [yejin, "status"], {"cwd": work, "env": env}),
    ]
    if cj:
        start.append(("check-jsonschema <one file>", [cj, "--schemafile", str(schema), str(one)], {}))
    try:
        bench.rounds(start, repeat=max(args.repeat, 5))
    finally:
        editor.restore()
    shutil.rmtree(work, ignore_errors=True)

    # --- the table ---------------------------------------------------------------------------
    R = bench.runs.get
    print(
        f"\nyejin benchmark — {time.strftime('%Y-%m-%d')}, median of {args.repeat} runs "
        f"({time.perf_counter() - started:.0f} s in all)"
    )
    print(f"machine: {machine()}\n")
    print("| files | what | cold (no verdict) | unchanged folder | 1 file edited | peak memory (cold) |")
    print("|---:|---|---:|---:|---:|---:|")
    for n in sizes:
        print(
            f"| {n:,} | parsing floor: yaml.load(CSafeLoader) loop | {fmt_s(R(f'{n} floor: yaml.load CSafeLoader'))} "
            f"| | | {fmt_mb(R(f'{n} floor: yaml.load CSafeLoader'))} |"
        )
        cjr = R(f"{n} check-jsonschema")
        print(
            f"| {n:,} | check-jsonschema (committed schema) | {fmt_s(cjr) if cjr else 'not run (--check-jsonschema-10k)'} "
            f"| | | {fmt_mb(cjr)} |"
        )
        print(
            f"| {n:,} | yejin validate | {fmt_s(R(f'{n} validate cold'))} | {fmt_s(R(f'{n} validate warm'))} "
            f"| {fmt_s(R(f'{n} validate 1 file edited'))} | {fmt_mb(R(f'{n} validate cold'))} |"
        )
        for what in ("status", "export"):
            print(f"| {n:,} | yejin {what} | {fmt_s(R(f'{n} {what} cold'))} | | | {fmt_mb(R(f'{n} {what} cold'))} |")
    if args.export_units:
        u = args.export_units
        print(
            f"| {u:,} units, 1 month | yejin export | {fmt_s(R(f'export {u} units cold'))} "
            f"| | | {fmt_mb(R(f'export {u} units cold'))} |"
        )
    if memory:
        print("\n| all processes together (untimed run) | peak of the summed PSS | processes at most |")
        print("|---|---:|---:|")
        for label, found in memory:
            print(f"| {label} | {fmt_kib(found)} | {found[1] if found else '—'} |")
    print("\n| start-up (shipped data/) | time | ratio to the import floor | peak memory |")
    print("|---|---:|---:|---:|")
    floor = R("python -c 'import yaml, pydantic, typer, rich'")
    for name, *_ in start:
        print(f"| `{name}` | {fmt_s(R(name))} | {ratio(R(name), floor)} | {fmt_mb(R(name))} |")

    print("\nratios (same run):")
    for n in sizes:
        fl, cjr = R(f"{n} floor: yaml.load CSafeLoader"), R(f"{n} check-jsonschema")
        vc, vw, ve = R(f"{n} validate cold"), R(f"{n} validate warm"), R(f"{n} validate 1 file edited")
        sc = R(f"{n} status cold")
        print(
            f"  {n:,} files: validate cold / parsing floor = {ratio(vc, fl)}; "
            f"check-jsonschema / validate cold = {ratio(cjr, vc)}; validate unchanged / cold = {ratio(vw, vc)}; "
            f"1 file edited / cold = {ratio(ve, vc)}; status / parsing floor = {ratio(sc, fl)}"
        )
    one_file = R("yejin validate <one file> --no-cache")
    print(
        f"  start-up: validate <one file> --no-cache / import floor = {ratio(one_file, floor)}; "
        f"validate <one file> --no-cache / check-jsonschema <one file> = "
        f"{ratio(one_file, R('check-jsonschema <one file>'))}"
    )

    def seconds(name: str) -> float | None:
        return R(name).median if R(name) else None

    def share(a: str, b: str) -> float | None:
        return R(a).median / R(b).median if R(a) and R(b) else None

    big = max(sizes)
    cold_export = f"export {args.export_units} units cold"
    export_pss = next((found for label, found in memory if "units, export" in label), None)
    targets = [
        (
            "validate <one file> --no-cache / check-jsonschema <one file> ≤ 1.0",
            share("yejin validate <one file> --no-cache", "check-jsonschema <one file>"),
            1.0,
        ),
        ("validate <one file> --no-cache < 0.5 s", seconds("yejin validate <one file> --no-cache"), 0.5),
        (
            f"{big:,} files: validate cold / parsing floor ≤ 1.5",
            share(f"{big} validate cold", f"{big} floor: yaml.load CSafeLoader"),
            1.5,
        ),
        (f"{big:,} files: unchanged folder / cold ≤ 0.1", share(f"{big} validate warm", f"{big} validate cold"), 0.1),
        ("status on the shipped data < 0.5 s", seconds("yejin status"), 0.5),
        (f"export of {args.export_units:,} units < 10 s", seconds(cold_export), 10.0),
        (
            f"export of {args.export_units:,} units, all processes < 500 MB",
            export_pss[0] / 1024 if export_pss else None,
            500.0,
        ),
    ]
    print("\n| target | measured | |\n|---|---:|---|")
    for label, value, limit in targets:
        verdict = "not measured" if value is None else ("met" if value <= limit else "MISSED")
        print(f"| {label} | {'—' if value is None else f'{value:.2f}'} | {verdict} |")
    failed = {name: run.codes for name, run in bench.runs.items() if run.codes - {0}}
    if failed:
        print(f"\nnon-zero exit codes: {failed}")


if __name__ == "__main__":
    main()
