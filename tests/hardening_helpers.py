"""Helpers for the hardening tests (test_hints, test_faults, test_limits, test_program_fuzz).

Also registers the hypothesis profiles: imported by tests/conftest.py, so `--hypothesis-profile`
can name them (hypothesis' pytest plugin loads the profile before test modules are collected).

    pytest tests/test_program_fuzz.py                              # CI: a few examples, well under a minute
    pytest tests/test_program_fuzz.py --hypothesis-profile=long    # deeper local run (several minutes)
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, settings

LONG_PROFILE = "long"
settings.register_profile(
    LONG_PROFILE,
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def budget(ci_examples: int) -> settings:
    """Settings for an expensive property: `ci_examples` normally, the long profile's count under it."""
    common = dict(
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    )
    if settings.get_current_profile_name() == LONG_PROFILE:
        return settings(**common)  # max_examples from the loaded profile
    return settings(max_examples=ci_examples, **common)


# `  path:line:col: CODE message` (or `  path: CODE message`) in yejin's text output
PROBLEM_LINE = re.compile(r"^  (\S+): (Y\d{3}) ", re.MULTILINE)


def native(path: str) -> str:
    """A path written with / in a test (data/reports/taiyuan/2022-06.yaml, or `path:line:col:`) as yejin
    prints it on this platform (problems.path_text: \\ on Windows)."""
    return path.replace("/", os.sep)


def problem_lines(output: str) -> list[str]:
    """The `path:line:col: CODE` of each problem printed, the path written with / whatever the platform
    (so the expected lines of a test read the same everywhere)."""
    return sorted(f"{loc.replace(os.sep, '/')}: {code}" for loc, code in PROBLEM_LINE.findall(output))


YEJIN = [sys.executable, "-m", "yejin"]


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float  # maximum resident set size of the child


# The measured process must not be forked from pytest itself: on Linux a child's ru_maxrss
# starts from the RSS of the process it was forked from, and pytest grows to hundreds of MB
# over a full run.  A small launcher forks yejin and reports the peak of that one child.
_LAUNCHER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[2:]).returncode\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code)\n"
)


def run_measured(args: list[str], cwd: Path, timeout: float = 60) -> Measured:
    """Run `python -m yejin <args>` in a grandchild process: wall time and its peak memory (ru_maxrss)."""
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "YEJIN_DATA")}
    env["NO_COLOR"] = "1"
    out_path, err_path, rss_path = cwd / ".yejin-out", cwd / ".yejin-err", cwd / ".yejin-rss"
    start = time.perf_counter()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        child = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, str(rss_path), *YEJIN, *args],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        try:
            returncode = child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            raise TimeoutError(f"yejin {' '.join(args)} ran over {timeout} s") from None
    seconds = time.perf_counter() - start
    kb = int(rss_path.read_text())
    peak = kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024
    result = Measured(
        returncode,
        out_path.read_text(encoding="utf-8", errors="replace"),
        err_path.read_text(encoding="utf-8", errors="replace"),
        seconds,
        peak,
    )
    for path in (out_path, err_path, rss_path):
        path.unlink()
    return result


def leftovers(folder: Path) -> list[str]:
    """Temporary files a write left behind (atomic writes use .<name>.<random>.tmp)."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))
