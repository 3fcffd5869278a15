"""`yejin site`: the static website — its files, its numbers (those of status --json), escaping,
where it is written and what it never replaces, the preview server.  The pages in a real browser:
tests/outputs/test_site_browser.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import threading
import urllib.request
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REPO
from site_tools import FIXTURE, check_numbers, hostile_data, overview_numbers
from yejin.cli import app
from yejin.outputs import site as website

runner = CliRunner()
ARGS = ("site", "--month", "2022-06", "--as-of", "2022-07-05")


def run(*args: str, data: Path = FIXTURE):
    result = runner.invoke(app, ["--data", str(data), *args], env={"GITHUB_ACTIONS": None})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def status_json(data: Path = FIXTURE, month: str = "2022-06") -> dict:
    result = run("status", "--json", "--month", month, "--as-of", "2022-07-05", data=data)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "网页"
    result = run(*ARGS, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out / "index.html")
    return out


def test_pages(built: Path):
    """Every month with data up to the chosen one, each with its 总览, 4 措施, 4 单位 and the other pages."""
    names = sorted(p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file())
    per_month = ["events.html", "index.html"] + [f"measure-{n}.html" for n in (1, 2, 3, 4)]
    per_month += ["problems.html", "submissions.html", "units.html"]
    per_month += [f"unit-{u}.html" for u in ("datong", "lvliang", "shanxi", "taiyuan")]
    expected = [".yejin-site", "index.html", "style.css"] + [
        f"{m}/{p}" for m in ("2022-05", "2022-06") for p in per_month
    ]
    assert names == sorted(expected)
    home = (built / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=2022-06/index.html">' in home


def test_overview_numbers_are_status_json(built: Path):
    doc = status_json()
    found = overview_numbers((built / "2022-06" / "index.html").read_text(encoding="utf-8"))
    check_numbers(found, doc)
    # hand-checked against the fixture: 红灯 1, 黄灯 2; cities 按时 1, 迟报 1, 未报 1; 吕梁 carried from May
    assert found["summary.warnings.red"] == ["1"] and found["summary.warnings.yellow"] == ["2"]
    assert found["summary.submissions.late"] == ["1"] and found["summary.carried_units"] == ["1"]


def test_carried_and_late_marks(built: Path):
    overview = (built / "2022-06" / "index.html").read_text(encoding="utf-8")
    assert "含沿用以前月份数据的单位：吕梁市（数据截至5月）" in overview
    grid = (built / "2022-06" / "submissions.html").read_text(encoding="utf-8")
    assert '<span class="sub sub-late">迟报3天</span>' in grid
    assert '<span class="sub sub-missing">未报</span><small class="carried">数据截至5月</small>' in grid


def test_no_address_outside_the_site(built: Path):
    """No http(s)://, protocol-relative // or absolute path in any link, source or style."""
    for path in built.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(?i)https?:|(?:href|src)=\"(?:/|[a-z]+:)|url\(", text), path
            assert "<script" not in text, path


def test_same_data_same_bytes(built: Path, tmp_path: Path):
    again = tmp_path / "again"
    assert run(*ARGS, "-o", str(again)).exit_code == 0
    files = sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for name in files:
        assert (built / name).read_bytes() == (again / name).read_bytes(), name


def test_data_cannot_inject_markup(tmp_path: Path):
    data = hostile_data(tmp_path)
    assert run("validate", data=data).exit_code == 0, run("validate", data=data).output
    out = tmp_path / "site"
    assert run(*ARGS, "-o", str(out), data=data).exit_code == 0
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&#34;onload=alert(2) {{ 7*7 }} javascript:alert(3)"
    pages = {
        "unit-taiyuan.html": 2,  # the unit name (heading, list) and the progress text
        "measure-1.html": 2,  # the unit in the grid and among the units not done, with the progress text
        "events.html": 1,  # the event title
    }
    for page, at_least in pages.items():
        html = (out / "2022-06" / page).read_text(encoding="utf-8")
        assert html.count(escaped) >= at_least, page
        assert "<script" not in html and "49" not in re.findall(r"alert\(2\) (\S+)", html)
        assert 'href="javascript' not in html
    for path in out.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text and '"onload' not in text and "{{ 7*7 }}" not in text.replace(escaped, ""), path


def test_broken_file_still_gives_a_site(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    (data / "reports" / "taiyuan" / "2022-06.yaml").write_text(
        'unit: 太原\nmonth: "2022-06"\nsubmitted: 2022-06-31\n', encoding="utf-8"
    )
    out = tmp_path / "site"
    result = run(*ARGS, "-o", str(out), data=data)
    assert result.exit_code == 0, result.output
    problems = (out / "2022-06" / "problems.html").read_text(encoding="utf-8")
    assert "<code>data/reports/taiyuan/2022-06.yaml:3:12</code> Y007" in problems.replace(str(tmp_path) + "/", "")
    overview = (out / "2022-06" / "index.html").read_text(encoding="utf-8")
    assert '<span data-json="summary.excluded_files">1</span>' in overview
    check_numbers(overview_numbers(overview), status_json(data))


def test_existing_site_needs_force_other_folders_never_replaced(tmp_path: Path):
    out = tmp_path / "site"
    assert run(*ARGS, "-o", str(out)).exit_code == 0
    (out / "extra.txt").write_text("x")
    refused = run(*ARGS, "-o", str(out))
    assert refused.exit_code == 1 and "已存在，未覆盖；如需替换以前生成的网页请加 --force" in refused.output
    assert (out / "extra.txt").exists()
    assert run(*ARGS, "-o", str(out), "--force").exit_code == 0
    assert not (out / "extra.txt").exists() and (out / "2022-06" / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no temporary or old folder left behind

    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep")
    into = run(*ARGS, "-o", str(other), "--force")  # an existing folder: the site goes inside it
    assert into.exit_code == 0
    assert (other / "notes.txt").read_text() == "keep"
    assert (other / "测试专项行动进展网页" / "index.html").is_file()

    with pytest.raises(website.NotASite):
        website.write_site([("index.html", b"")], other, force=True)
    assert (other / "notes.txt").read_text() == "keep"
    a_file = tmp_path / "file.html"
    a_file.write_text("keep")
    refused = run(*ARGS, "-o", str(a_file), "--force")
    assert refused.exit_code == 1 and "不是文件夹；yejin 不会替换它" in refused.output
    assert a_file.read_text() == "keep"


def test_missing_parent_folder(tmp_path: Path):
    result = run(*ARGS, "-o", str(tmp_path / "no" / "site"))
    assert result.exit_code == 1 and "文件夹" in result.output and "不存在" in result.output


def test_a_failed_write_leaves_the_old_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    out = tmp_path / "site"
    assert run(*ARGS, "-o", str(out)).exit_code == 0
    before = (out / "2022-06" / "index.html").read_bytes()

    def broken(files, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", broken)
    result = run(*ARGS, "-o", str(out), "--force")
    monkeypatch.undo()
    assert result.exit_code == 1 and "磁盘空间不足" in result.output
    assert (out / "2022-06" / "index.html").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_what_a_killed_run_left_is_swept_by_the_next(tmp_path: Path):
    """kill -9 during `yejin site` leaves .site.yejin-<pid>-….tmp; the next run removes it once it is an hour
    old and holds a site (or nothing) — never a folder of another name, a young one, or one with other files."""
    import os
    import time

    out = tmp_path / "site"
    hour_ago = time.time() - website.LEFTOVER_AGE_SECONDS - 5

    def leftover(name: str, files: dict[str, str], old: bool = True) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        for rel, text in files.items():
            (folder / rel).write_text(text, encoding="utf-8")
        if old:
            os.utime(folder, (hour_ago, hour_ago))
        return folder

    killed = leftover(".site.yejin-4242-ab12cd.tmp", {website.MARK: website.MARK_TEXT, "index.html": ""})
    empty = leftover(".site.yejin-4243-x.old", {})
    young = leftover(".site.yejin-4244-y.tmp", {website.MARK: website.MARK_TEXT}, old=False)
    foreign = leftover(".site.yejin-4245-z.tmp", {"笔记.txt": "不是网页"})
    other_site = leftover(".网页.yejin-4246-w.tmp", {website.MARK: website.MARK_TEXT})
    similar = leftover("site.yejin-4247-v.tmp", {website.MARK: website.MARK_TEXT})

    assert run(*ARGS, "-o", str(out)).exit_code == 0
    left = {p.name for p in tmp_path.iterdir()}
    assert killed.name not in left and empty.name not in left
    assert {young.name, foreign.name, other_site.name, similar.name, "site"} == left
    assert (foreign / "笔记.txt").read_text(encoding="utf-8") == "不是网页"


def test_preview_server_is_local_only(built: Path):
    server = website.make_server(built, port=0)
    try:
        host, port = server.server_address[:2]
        assert host == "127.0.0.1"
        thread = threading.Thread(target=server.handle_request, daemon=True)
        thread.start()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/2022-06/index.html", timeout=10) as answer:
            assert answer.status == 200 and "2022年6月进展情况" in answer.read().decode("utf-8")
        thread.join(10)
    finally:
        server.server_close()


@pytest.mark.slow
def test_wheel_ships_the_templates(tmp_path: Path):
    """A non-editable install gets the templates and the stylesheet (pyproject package-data)."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("yejin-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {
        f"yejin/outputs/site_templates/{p.name}" for p in (REPO / "src/yejin/outputs/site_templates").iterdir()
    }
    assert templates and templates <= names, sorted(templates - names)
