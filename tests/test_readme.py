"""README.md states things that must stay true: the code table and the first-screen commands."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _update_readme():
    spec = importlib.util.spec_from_file_location("update_readme", ROOT / "scripts" / "update_readme.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_code_table_matches_the_code():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _update_readme().updated(text) == text, "run: python scripts/update_readme.py"


def test_first_screen_has_the_two_commands():
    first_screen = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:25])
    assert "pip install -q -e . && .venv/bin/yejin status" in first_screen
    assert "pip install -q -e '.[test]' && .venv/bin/python -m pytest" in first_screen


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest" in ci and "yejin validate data/" in ci


def test_documented_hints_are_what_yejin_says(tmp_path, monkeypatch):
    """Each README example phrase appears in the output of a golden invalid case with that code."""
    import json as _json

    from typer.testing import CliRunner

    from conftest import INVALID, build_case
    from yejin.cli import app
    from yejin.problems import CODE_EXAMPLES, CODES

    assert set(CODE_EXAMPLES) == set(CODES)
    said: dict[str, str] = {code: "" for code in CODES}
    for i, case in enumerate(sorted(p for p in INVALID.iterdir() if p.is_dir())):
        work = tmp_path / str(i)
        work.mkdir()
        monkeypatch.chdir(work)
        build_case(case, work)
        result = CliRunner().invoke(app, ["--data", "data", "validate", "--format", "json"])
        for problem in _json.loads(result.stdout)["problems"]:
            said[problem["code"]] += problem["message"] + "\n" + problem["hint"] + "\n"
    for code, (_, phrase) in CODE_EXAMPLES.items():
        assert phrase in said[code], f"{code}: README says “{phrase}”, yejin said:\n{said[code]}"


def test_command_table_lists_every_command():
    from yejin.cli import app

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| 命令 | 用途 |") : text.index("## 数据目录")]
    for command in app.registered_commands:
        name = command.name or command.callback.__name__.replace("_", "-")
        assert f"| `yejin {name}" in table, f"README's command table does not list {name}"


def test_readme_events_example_is_in_the_sample_data():
    assert (ROOT / "data" / "reports" / "taiyuan" / "events" / "2022-06-12-gas-leak.yaml").is_file()


def test_windows_forms_of_the_two_commands():
    first_screen = (ROOT / "README.md").read_text(encoding="utf-8").split("---")[0]
    assert "```powershell" in first_screen and "```bat" in first_screen
    assert 'pip install -q -e ".[test]"; .venv\\Scripts\\python -m pytest' in first_screen
    assert "py -m venv .venv && .venv\\Scripts\\pip install -q -e . && .venv\\Scripts\\yejin status" in first_screen


def test_readme_names_no_tag_that_does_not_exist():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "rev: v0.1.0" not in text and "yejin init" in text
