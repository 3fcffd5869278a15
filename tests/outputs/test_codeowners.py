"""`yejin codeowners` gives each unit its report folder and the province the rest."""

from __future__ import annotations

import re
import shutil

from typer.testing import CliRunner

from conftest import CITY_TASKS_TEXT
from conftest import REPO as ROOT
from yejin.cli import app


def test_codeowners_lines(tmp_path):
    repo = tmp_path / "repo"
    data = repo / "data"
    data.mkdir(parents=True)
    (repo / ".git").mkdir()
    tasks = CITY_TASKS_TEXT
    tasks = tasks.replace('code: "140000", level: 省}', 'code: "140000", level: 省, owners: ["@sxyjt/tongji"]}')
    tasks = tasks.replace(
        'code: "140100", level: 市, parent: shanxi}',
        'code: "140100", level: 市, parent: shanxi, owners: ["@taiyuan-yjj", "li@example.org"]}',
    )
    (data / "tasks.yaml").write_text(tasks, encoding="utf-8")
    result = CliRunner().invoke(app, ["--data", str(data), "codeowners"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "/data/ @sxyjt/tongji" in lines
    assert "/data/tasks.yaml @sxyjt/tongji" in lines
    assert "/data/reports/taiyuan/ @taiyuan-yjj li@example.org" in lines
    assert "# /data/reports/datong/ 大同市：未在 tasks.yaml 中设置 owners" in lines
    # the catch-all comes before the unit folders: the last matching line wins
    assert lines.index("/data/ @sxyjt/tongji") < lines.index("/data/reports/taiyuan/ @taiyuan-yjj li@example.org")
    override = CliRunner().invoke(
        app, ["--data", str(data), "codeowners", "--province-owner", "@a", "--province-owner", "@b"]
    )
    assert "/data/ @a @b" in override.stdout.splitlines()


def test_codeowners_outside_git_uses_the_given_path(tmp_path, monkeypatch):
    data = tmp_path / "shuju"
    data.mkdir()
    shutil.copy(ROOT / "data" / "tasks.yaml", data / "tasks.yaml")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["--data", "shuju", "codeowners"])
    assert result.exit_code == 0
    assert "# /shuju/reports/taiyuan/ 太原市：未在 tasks.yaml 中设置 owners" in result.stdout.splitlines()


def _tasks_with_owners(data, owners: str) -> None:
    tasks = CITY_TASKS_TEXT
    old = 'code: "140100", level: 市, parent: shanxi}'
    assert tasks.count(old) == 1
    (data / "tasks.yaml").write_text(tasks.replace(old, old[:-1] + f", owners: {owners}}}"), encoding="utf-8")


def test_owner_strings_that_would_add_rules_are_refused(tmp_path):
    """`"@ty\\n/co/ @ty-takeover"`, `"@a#b"` and `""` once validated and gave extra ownership lines."""
    repo = tmp_path / "repo"
    data = repo / "data"
    data.mkdir(parents=True)
    (repo / ".git").mkdir()
    _tasks_with_owners(data, '["@ty\\n/co/ @ty-takeover", "@a#b", "", "@ok", "a b@example.org"]')
    validate = CliRunner().invoke(app, ["--data", str(data), "validate"])
    assert validate.exit_code == 1
    line = next(n for n, text in enumerate((data / "tasks.yaml").read_text().splitlines(), 1) if "@ty" in text)
    found = re.findall(r"tasks\.yaml:(\d+):(\d+): (Y\d+) (.*)", validate.output)
    assert [(int(n), code) for n, _, code, _ in found] == [(line, "Y110")] * 4, validate.output
    assert "负责人“@ty\\n/co/ @ty-takeover”写法不对" in validate.output and "不含空格、# 和控制字符" in validate.output
    result = CliRunner().invoke(app, ["--data", str(data), "codeowners"])
    assert result.exit_code == 1 and not any(text.startswith("/co/") for text in result.output.splitlines())


def test_a_province_owner_that_would_add_rules_is_a_usage_error(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(ROOT / "data" / "tasks.yaml", data / "tasks.yaml")
    for bad in ("@prov\n* @evil", "@a#b", "", "@a @b"):
        result = CliRunner().invoke(app, ["--data", str(data), "codeowners", "--province-owner", bad])
        assert result.exit_code == 2, (bad, result.output)
        assert "--province-owner" in result.output and "写法不对" in result.output
        assert "* @evil" not in result.stdout


def test_folder_names_with_spaces_stay_one_pattern(tmp_path):
    repo = tmp_path / "repo"
    data = repo / "省厅 数据#1"
    data.mkdir(parents=True)
    (repo / ".git").mkdir()
    _tasks_with_owners(data, '["@taiyuan-yjj"]')
    result = CliRunner().invoke(app, ["--data", str(data), "codeowners"])
    assert result.exit_code == 0, result.output
    assert "/省厅\\ 数据\\#1/reports/taiyuan/ @taiyuan-yjj" in result.stdout.splitlines()


def test_a_city_reviews_its_counties_folders(tmp_path):
    """A county's folder belongs to the county and its city; a county owns no other folder."""
    repo = tmp_path / "repo"
    data = repo / "data"
    data.mkdir(parents=True)
    (repo / ".git").mkdir()
    _tasks_with_owners(
        data, '["@taiyuan-yjj"], counties: {report: true, owners: {小店区: ["@xiaodian-yjj"], "140181": ["@gujiao"]}}'
    )
    result = CliRunner().invoke(app, ["--data", str(data), "codeowners"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "/data/reports/taiyuan/ @taiyuan-yjj" in lines
    assert "/data/reports/taiyuan-xiaodian/ @xiaodian-yjj @taiyuan-yjj" in lines
    assert "/data/reports/taiyuan-gujiao/ @gujiao @taiyuan-yjj" in lines
    assert "/data/reports/taiyuan-yingze/ @taiyuan-yjj" in lines
    assert sum("@xiaodian-yjj" in line for line in lines) == 1
    assert len([line for line in lines if line.startswith("/data/reports/taiyuan-")]) == 10
    assert not any("datong-" in line for line in lines)  # 大同 has not opted in
