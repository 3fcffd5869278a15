"""`yejin init`: a new data repository, then the README's steps — pre-commit install, commit —
with the real git and pre-commit programs and no network."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import CLEAN_ENV, run_cli
from yejin.outputs.init_repo import FILES, InitError, init_repository, template

ROOT = Path(__file__).parents[2]
SRC = ROOT / "src"


def test_init_writes_a_data_repository_that_validates(workdir: Path) -> None:
    result = run_cli("init", "shuju")
    assert result.exit_code == 0, result.output
    repo = workdir / "shuju"
    for name in [*FILES, "schemas/report.schema.json", "schemas/tasks.schema.json", "schemas/event.schema.json"]:
        assert (repo / name).is_file(), name
    for unit in ("taiyuan", "shanxi", "yuncheng"):
        assert (repo / "data" / "reports" / unit / ".gitkeep").is_file()
    assert (repo / ".git").is_dir() == (shutil.which("git") is not None)
    # the editors' `$schema=` lines of the files yejin writes resolve in the new repository
    written = run_cli("--data", "shuju/data", "new-report", "--unit", "太原", "--month", "2022-06")
    assert written.exit_code == 0, written.output
    report = repo / "data" / "reports" / "taiyuan" / "2022-06.yaml"
    schema_ref = report.read_text(encoding="utf-8").splitlines()[0].split("$schema=")[1]
    assert (report.parent / schema_ref).resolve() == (repo / "schemas" / "report.schema.json").resolve()
    tasks_ref = (repo / "data" / "tasks.yaml").read_text(encoding="utf-8").splitlines()[0].split("$schema=")[1]
    assert (repo / "data" / tasks_ref).resolve() == (repo / "schemas" / "tasks.schema.json").resolve()
    # a fresh report is a draft (issue 14): its empty phone is named as not filled in, not as Chinese quotes
    checked = run_cli("--data", "shuju/data", "validate")
    assert checked.exit_code == 0, checked.output
    assert "Y218 [提醒] 草稿中未填写：A 角电话" in checked.output and "中文引号" not in checked.output
    assert "请填写信息报送人的姓名和电话" in checked.output
    assert run_cli("--data", "shuju/data", "validate", "--strict").exit_code == 1


def test_init_refuses_to_overwrite_and_changes_nothing(workdir: Path) -> None:
    (workdir / "shuju").mkdir()
    (workdir / "shuju" / "README.md").write_text("我们自己的说明\n", encoding="utf-8")
    result = run_cli("init", "shuju")
    assert result.exit_code == 1
    assert "错误：shuju 中已有 README.md，未做任何改动（yejin init 不覆盖已有文件）" in result.output
    assert sorted(p.name for p in (workdir / "shuju").iterdir()) == ["README.md"]
    with pytest.raises(InitError):
        init_repository(workdir / "shuju", git=False)


def test_the_shipped_templates_are_the_projects_files() -> None:
    assert template("tasks.yaml") == (ROOT / "data" / "tasks.yaml").read_text(encoding="utf-8")
    assert template("bulletin-template.md") == (ROOT / "data" / "bulletin-template.md").read_text(encoding="utf-8")
    assert template("github-validate.yml") == (ROOT / "docs" / "ci" / "validate.yml").read_text(encoding="utf-8")
    assert template("gitlab-ci.yml") == (ROOT / "docs" / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8")
    for name in ("github-validate.yml", "gitlab-ci.yml", "pre-commit-config.yaml"):
        yaml.safe_load(template(name))
    gitlab = yaml.safe_load(template("gitlab-ci.yml"))["yejin-validate"]
    assert "slim" not in gitlab["image"] and "git+" not in " ".join(gitlab["script"])
    hook = yaml.safe_load(template("pre-commit-config.yaml"))["repos"][0]
    assert hook["repo"] == "local" and hook["hooks"][0]["language"] == "system"
    assert "--git-tracked" in hook["hooks"][0]["entry"]
    assert set(template("gitignore").split()) >= {".venv/", "*.xlsx", "*.docx"}


def test_package_data_is_declared() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"yejin.outputs" = ["init_files/*"' in pyproject


# --- the README's steps with the real programs -------------------------------------------------------


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV and k != "GITHUB_ACTIONS"}
    return {
        **env,
        "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
        "PYTHONPATH": str(SRC),  # the `yejin` the hook runs is this one
        "PRE_COMMIT_HOME": str(home),
        "NO_COLOR": "1",
        "GIT_AUTHOR_NAME": "太原市应急管理局",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(home),
        # no network: a hook that tried to fetch anything would fail
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
        "PIP_NO_INDEX": "1",
    }


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_init_then_pre_commit_then_commit(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    env = _env(tmp_path / "home")
    (tmp_path / "home").mkdir()
    yejin = [sys.executable, "-m", "yejin"]

    made = _run([*yejin, "init", "shuju"], tmp_path, env)
    assert made.returncode == 0, made.stdout + made.stderr
    repo = tmp_path / "shuju"
    installed = _run([pre_commit, "install"], repo, env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    first = _run(["git", "add", "-A"], repo, env)
    assert first.returncode == 0
    setup = _run(["git", "commit", "-q", "-m", "新建数据仓库"], repo, env)
    assert setup.returncode == 0, setup.stdout + setup.stderr

    # a good report commits, while an untracked draft of next month (broken) lies beside it
    good = ROOT / "data" / "reports" / "taiyuan" / "2022-03.yaml"
    shutil.copy(good, repo / "data" / "reports" / "taiyuan" / "2022-03.yaml")
    (repo / "data" / "reports" / "taiyuan" / "2022-04.yaml").write_text("unit: 太原市\nmonth: [\n", encoding="utf-8")
    ran = _run([pre_commit, "run", "--files", "data/reports/taiyuan/2022-03.yaml"], repo, env)
    assert ran.returncode == 0, ran.stdout + ran.stderr  # nothing staged yet: the draft is not looked at
    assert _run(["git", "add", "data/reports/taiyuan/2022-03.yaml"], repo, env).returncode == 0
    committed = _run(["git", "commit", "-m", "太原市 2022 年 3 月月报"], repo, env)
    assert committed.returncode == 0, committed.stdout + committed.stderr
    assert "Passed" in committed.stdout + committed.stderr

    # a bad report is stopped, with the file, line, column and the Chinese message
    bad = repo / "data" / "reports" / "taiyuan" / "2022-03.yaml"
    lines = bad.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("status:"))
    lines[index] = lines[index].replace("status:", "stauts:")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _run(["git", "add", "data/reports/taiyuan/2022-03.yaml"], repo, env).returncode == 0
    refused = _run(["git", "commit", "-m", "改错了"], repo, env)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    said = refused.stdout + refused.stderr
    column = lines[index].index("stauts") + 1
    shown = "data/reports/taiyuan/2022-03.yaml"  # problems name files with / on every system
    assert f'{shown}:{index + 1}:{column}: Y101 未知字段 "stauts"，是否为 "status"？' in said
    assert "2022-04.yaml" not in said  # the untracked draft never blocks
    log = _run(["git", "log", "--format=%s"], repo, env).stdout.splitlines()
    assert log == ["太原市 2022 年 3 月月报", "新建数据仓库"]


def test_init_in_an_existing_git_clone_and_without_git(workdir: Path) -> None:
    if shutil.which("git") is not None:
        (workdir / "clone").mkdir()
        subprocess.run(["git", "init", "-q"], cwd=workdir / "clone", check=True)
        result = run_cli("init", "clone")
        assert result.exit_code == 0, result.output
        assert "已是 git 仓库" in result.output
    result = run_cli("init", "plain", "--no-git")
    assert result.exit_code == 0 and not (workdir / "plain" / ".git").exists()
    assert "下一步：阅读其中的 README.md" in result.output


def test_a_missing_bulletin_template_says_where_to_get_one(data_dir: Path) -> None:
    shutil.copytree(ROOT / "data" / "reports", data_dir / "reports", dirs_exist_ok=True)
    result = run_cli("--data", "data", "bulletin", "--month", "2022-06")
    assert result.exit_code == 1
    assert "数据目录中没有 bulletin-template.md" in result.output
    assert "yejin init 新建的数据仓库自带这个文件" in result.output


def test_init_packs_the_running_yejin_as_the_wheel_ci_installs(workdir: Path, tmp_path_factory) -> None:
    import zipfile

    from yejin import __version__

    assert run_cli("init", "shuju", "--no-git").exit_code == 0
    wheel = workdir / "shuju" / "tools" / f"yejin-{__version__}-py3-none-any.whl"
    assert wheel.is_file()
    with zipfile.ZipFile(wheel) as packed:
        names = packed.namelist()
        assert "yejin/cli.py" in names and "yejin/outputs/init_files/README.md" in names
        assert not any("__pycache__" in n for n in names)
        assert f"Version: {__version__}" in packed.read(f"yejin-{__version__}.dist-info/METADATA").decode()
    # pip takes it, offline, and the yejin it installs runs
    target = tmp_path_factory.mktemp("site")
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert pip.returncode == 0, pip.stderr
    env = {**os.environ, "PYTHONPATH": str(target)}
    ran = subprocess.run([sys.executable, "-m", "yejin", "--version"], capture_output=True, text=True, env=env)
    assert ran.stdout.strip() == f"yejin {__version__}"
    assert (target / "bin" / "yejin").exists() or (target / "Scripts" / "yejin.exe").exists()
    # a second init elsewhere packs the same bytes
    assert run_cli("init", "again", "--no-git").exit_code == 0
    assert (workdir / "again" / "tools" / wheel.name).read_bytes() == wheel.read_bytes()
