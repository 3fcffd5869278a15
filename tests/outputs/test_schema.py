"""The committed JSON Schemas match the models, describe every field in Chinese, and agree with yejin."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import MINIMAL_REPORT, TESTS, make_data_dir, run_cli
from conftest import REPO as ROOT
from hardening_helpers import native
from yejin.cli import app
from yejin.outputs.schema import KINDS, build_schema, render_schema

runner = CliRunner()


@pytest.mark.parametrize("kind", KINDS)
def test_committed_schema_matches_models(kind):
    committed = (ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == render_schema(kind), (
        f"schemas/{kind}.schema.json is out of date: run  yejin schema -k {kind} -o schemas/{kind}.schema.json --force"
    )


def _properties(node):
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            yield name, prop
        for value in node.values():
            yield from _properties(value)
    elif isinstance(node, list):
        for value in node:
            yield from _properties(value)


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_has_a_chinese_title_and_description(kind):
    schema = build_schema(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    props = list(_properties(schema))
    assert props
    for name, prop in props:
        for key in ("title", "description"):
            assert any("\u4e00" <= ch <= "\u9fff" for ch in prop.get(key, "")), f"{kind}.{name} lacks a Chinese {key}"


def test_schema_command_writes_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "report.schema.json"
    result = runner.invoke(app, ["schema", "--kind", "report", "-o", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8") == render_schema("report")
    out.write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["schema", "-o", str(out)])
    assert result.exit_code == 1 and "已存在" in result.output
    assert out.read_text(encoding="utf-8") == "mine"
    assert runner.invoke(app, ["schema", "-o", str(out), "--force"]).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["title"].startswith("月报")
    stdout = runner.invoke(app, ["schema", "--kind", "tasks"])
    assert json.loads(stdout.stdout)["title"].startswith("任务分解清单")


def _check_jsonschema(schema: str, files: list[Path]) -> subprocess.CompletedProcess:
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    return subprocess.run(
        [exe, "--schemafile", str(ROOT / "schemas" / schema), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_jsonschema_accepts_the_shipped_data():
    reports = sorted((ROOT / "data" / "reports").glob("*/*.yaml"))
    assert len(reports) > 40
    result = _check_jsonschema("report.schema.json", reports)
    assert result.returncode == 0, result.stdout + result.stderr
    result = _check_jsonschema("tasks.schema.json", [ROOT / "data" / "tasks.yaml"])
    assert result.returncode == 0, result.stdout + result.stderr


# Codes a JSON Schema can express: unknown and missing keys, types, enums, minimum, patterns.
EXPRESSIBLE = {"Y101", "Y102", "Y103", "Y104", "Y105", "Y107", "Y108"}
# Y103 here comes from checks.py: "count indicators are whole numbers" needs tasks.yaml to know the kind
NEEDS_TASKS = {"y103-float-count"}


def _expressible_cases():
    import yaml as _yaml

    invalid = TESTS / "invalid"
    for case in sorted(p for p in invalid.iterdir() if p.is_dir()):
        spec = _yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
        codes = {line.split(": ")[-1] for line in spec["problems"]}
        files = sorted((case / "reports").glob("*/*.yaml")) if (case / "reports").is_dir() else []
        if files and codes <= EXPRESSIBLE and case.name not in NEEDS_TASKS:
            yield pytest.param(files, id=case.name)


@pytest.mark.parametrize("files", list(_expressible_cases()))
def test_check_jsonschema_rejects_what_the_schema_can_express(files):
    result = _check_jsonschema("report.schema.json", files)
    assert result.returncode == 1, result.stdout + result.stderr


def test_enough_cases_are_compared():
    assert len(list(_expressible_cases())) >= 8


@pytest.mark.parametrize(
    "field, value",
    [
        ("phone", "0351-55501３7"),  # a full-width ３: Python's \d matches it, the schema (ECMAScript) does not
        ("phone", "１3912345678"),
        ("month", "２022-06"),
    ],
)
def test_full_width_digits_are_refused_by_yejin_and_by_the_schema(tmp_path, monkeypatch, field, value):
    text = MINIMAL_REPORT.replace('"0351-6819551"', f'"{value}"') if field == "phone" else MINIMAL_REPORT
    if field == "month":
        text = text.replace('month: "2022-06"', f'month: "{value}"')
    assert value in text
    report = make_data_dir(tmp_path) / "reports" / "taiyuan" / "2022-06.yaml"
    report.parent.mkdir(parents=True)
    report.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if value in row)
    code = {"phone": "Y108", "month": "Y107"}[field]
    monkeypatch.chdir(tmp_path)
    result = run_cli("--data", "data", "validate", "--as-of", "2022-12-31")
    assert result.exit_code == 1, result.output
    assert native(f"data/reports/taiyuan/2022-06.yaml:{line}:") in result.output and f" {code} " in result.output
    assert _check_jsonschema("report.schema.json", [report]).returncode == 1
