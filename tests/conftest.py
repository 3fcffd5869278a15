"""Shared fixtures: a temporary data folder built from the real tasks.yaml, and a CLI runner.

Tests run `yejin` in-process through typer's CliRunner with the working folder set
to a temporary directory, so paths in the output read like `data/reports/...`,
exactly as a user running `yejin validate` next to their data folder sees them.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

import hardening_helpers  # noqa: E402,F401  registers the hypothesis profiles (--hypothesis-profile=long) before pytest reads the option
from yejin.cli import app
from yejin.reading.yaml_loader import MAX_FILE_BYTES

REPO = Path(__file__).resolve().parents[1]
TASKS_YAML = REPO / "data" / "tasks.yaml"
# The task list most tests build a data folder on: data/tasks.yaml with 太原's counties not reporting on
# their own (nor any 重点县区 listed), so that 太原 stands for "a city" that reports 全市 figures and every
# city measure (measure 9 too), as the golden cases and most CLI tests were written.  Counties:
# tests/test_counties_month.py, tests/campaign/test_counties.py, tests/picture/test_rollup.py and the shipped data.
OPT_IN = ", counties: {report: true, key: [小店区, 晋源区, 清徐县]}}  # 太原市的 10 个县（区）单独报送"
assert OPT_IN in TASKS_YAML.read_text(encoding="utf-8")
CITY_TASKS_TEXT = TASKS_YAML.read_text(encoding="utf-8").replace(OPT_IN, "}")
assert CITY_TASKS_TEXT.count("\n") == TASKS_YAML.read_text(encoding="utf-8").count("\n")
_CITY_TASKS_DIR = Path(tempfile.mkdtemp(prefix="yejin-tests-"))
atexit.register(shutil.rmtree, _CITY_TASKS_DIR, ignore_errors=True)
CITY_TASKS = _CITY_TASKS_DIR / "tasks.yaml"
CITY_TASKS.write_text(CITY_TASKS_TEXT, encoding="utf-8")
SHIPPED_DATA = REPO / "data"
TESTS = Path(__file__).resolve().parent
INVALID = TESTS / "invalid"

# The head of a report: the smallest text the report model accepts; cases add or break one thing.
# A complete report (VALID_REPORT) also lists every measure the unit reports (Y214, Y215).
MINIMAL_REPORT = """\
unit: 太原市
month: "2022-06"
submitted: 2022-06-24
contacts:
  a: {name: 张三, phone: "0351-6819551"}
  b: {name: 李四, phone: "13912345678"}
"""

# A YAML file outside the data folder that a symbolic link in a city's folder could point at: nothing
# of it may be read, let alone shown (tests/invalid/y013-*, tests/test_hostile.py).
RUNNER_SECRET = """\
unit: 太原市
month: "sk-live-SECRET-TOKEN"
submitted: 2022-07-20
contacts:
  a: {name: 张三, phone: "DB_PASSWORD=hunter2"}
  b: {name: 李四, phone: "13912345678"}
"""


def measures_of(unit_id: str = "taiyuan", skip: tuple[int, ...] = ()) -> str:
    """`  N: {status: 未启动}` lines for every measure the unit reports under data/tasks.yaml, except `skip`:
    appended under a `measures:` block, they complete a report without moving the lines above them."""
    from yejin.checking.dataset import load_tasks

    campaign = load_tasks(CITY_TASKS.parent)[0]
    unit = campaign.unit_by_id[unit_id]
    return "".join(
        f"  {m.number}: {{status: 未启动}}\n" for m in campaign.applicable_measures(unit) if m.number not in skip
    )


VALID_REPORT = MINIMAL_REPORT + "measures:\n" + measures_of()  # the smallest complete report (太原市, 2022-06)

# Environment for every CLI run: nothing from the developer's or CI's shell leaks in
# (GITHUB_ACTIONS=true would switch the default output format to github).
CLEAN_ENV: dict[str, str | None] = {"GITHUB_ACTIONS": None, "YEJIN_DATA": None}


def subprocess_env(**extra: str | None) -> dict[str, str]:
    """os.environ for a yejin child process, without the variables that change what yejin does
    (CLEAN_ENV, the cache switches), then `extra` (None unsets a variable)."""
    out = dict(os.environ)
    for key, value in {**CLEAN_ENV, "YEJIN_NO_CACHE": None, **extra}.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


@pytest.fixture(scope="session", autouse=True)
def _cache_folder(tmp_path_factory: pytest.TempPathFactory):
    """validate's stored verdicts go to a folder of this test session, not the user's cache folder."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


def run_cli(*args: str, env: dict[str, str | None] | None = None) -> Result:
    """Run `yejin <args>` in-process; stdout and stderr are both in result.output."""
    runner = CliRunner(env={**CLEAN_ENV, **(env or {})})
    return runner.invoke(app, list(args), catch_exceptions=True)


def assert_no_crash(result: Result) -> None:
    """The CLI ended through typer.Exit / sys.exit, never through an uncaught exception."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"yejin raised {result.exception!r}\n{result.output}"
    )
    assert "Traceback" not in result.output


def make_data_dir(root: Path, tasks: Path | None = CITY_TASKS) -> Path:
    """root/data with tasks.yaml (CITY_TASKS unless given) and an empty reports/ folder."""
    data = root / "data"
    (data / "reports").mkdir(parents=True, exist_ok=True)
    if tasks is not None:
        shutil.copyfile(tasks, data / "tasks.yaml")
    return data


def write_report(data: Path, rel: str, content: str | bytes) -> Path:
    """Write a report file under data/ (rel like "reports/taiyuan/2022-06.yaml"); text as UTF-8."""
    path = data / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="\n")
    else:
        path.write_bytes(content)
    return path


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder the test runs in (so output paths are relative)."""
    monkeypatch.chdir(tmp_path)
    for name in CLEAN_ENV:
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def data_dir(workdir: Path) -> Path:
    """workdir/data holding CITY_TASKS (data/tasks.yaml, 太原 without counties) and an empty reports/ folder."""
    return make_data_dir(workdir)


@pytest.fixture(scope="session")
def shipped_data() -> Path:
    assert (SHIPPED_DATA / "tasks.yaml").is_file(), SHIPPED_DATA
    return SHIPPED_DATA


# --- golden invalid cases (tests/invalid/<case>/) -------------------------------------------------


def load_spec(case: Path) -> dict:
    spec = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    assert spec["problems"], f"{case.name}: expected.yaml lists no problems"
    return spec


def build_case(case: Path, workdir: Path) -> dict:
    """Lay the case out as workdir/data and return its expected.yaml."""
    spec = load_spec(case)
    if spec.get("data") == "absent":
        return spec
    own_tasks = case / "tasks.yaml"
    tasks = own_tasks if own_tasks.is_file() else None if spec.get("tasks") == "absent" else CITY_TASKS
    data = make_data_dir(workdir, tasks)
    if (case / "reports").is_dir():
        shutil.copytree(case / "reports", data / "reports", dirs_exist_ok=True)
    for rel, kind in (spec.get("generate") or {}).items():
        target = data / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if kind == "large":
            padding = "# " + "示例" * 80 + "\n"
            count = MAX_FILE_BYTES // len(padding.encode()) + 1
            target.write_text(MINIMAL_REPORT + padding * count, encoding="utf-8")
            assert target.stat().st_size > MAX_FILE_BYTES
        elif kind in ("dangling-symlink", "symlink-out-of-the-data-folder", "symlink-to-the-root-folder"):
            outside = workdir / "runner-secret.yaml"  # a file of the machine yejin runs on
            outside.write_text(RUNNER_SECRET, encoding="utf-8")
            to = {"dangling-symlink": "does-not-exist.yaml", "symlink-out-of-the-data-folder": outside}
            try:
                os.symlink(to.get(kind, Path(os.path.abspath(os.sep))), target)
            except (OSError, NotImplementedError):
                pytest.skip("symlinks are not available here")
        elif kind == "named-pipe":
            if not hasattr(os, "mkfifo"):
                pytest.skip("no named pipes here")
            os.mkfifo(target)
        elif kind == "minimal-report":  # under a name git can hold but the case folder should not
            target.write_text(MINIMAL_REPORT, encoding="utf-8")
        else:
            raise AssertionError(f"{case.name}: unknown generate kind {kind!r}")
    return spec
