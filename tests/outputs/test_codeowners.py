"""`yejin codeowners` gives each unit its report folder and the province the rest."""

from __future__ import annotations

import shutil

from typer.testing import CliRunner

from conftest import REPO as ROOT
from yejin.cli import app


def test_codeowners_lines(tmp_path):
    repo = tmp_path / "repo"
    data = repo / "data"
    data.mkdir(parents=True)
    (repo / ".git").mkdir()
    tasks = (ROOT / "data" / "tasks.yaml").read_text(encoding="utf-8")
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
