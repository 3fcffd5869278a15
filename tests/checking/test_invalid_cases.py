"""Golden cases: every folder in tests/invalid/ is one broken data folder and what yejin must say.

A case folder holds
  expected.yaml   problems: the exact `path:line:col: CODE` lines (`path: CODE` when the whole
                  file is meant) that `yejin validate` must print, no more and no fewer;
                  messages: text that must appear in the output (the Chinese explanation);
                  strict: true for reminders (提醒: Y217, Y218), which fail only `validate --strict`;
                  optional data: absent / tasks: absent, and generate: {path: large | dangling-symlink}
                  for files too big or too odd to keep in git.
  reports/...     report files, copied into data/reports/ of a temporary data folder;
  tasks.yaml      optional; otherwise the real data/tasks.yaml is used.
See tests/invalid/README.md.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from conftest import INVALID, MINIMAL_REPORT, assert_no_crash, build_case, load_spec, make_data_dir, run_cli
from hardening_helpers import native
from yejin.problems import CODES

CASES = sorted(p for p in INVALID.iterdir() if p.is_dir())
LINE = re.compile(r"^  (\S+): (Y\d{3}) ", re.MULTILINE)  # `  path:line:col: CODE message` in text output


def found(output: str) -> list[str]:
    return sorted(f"{loc.replace(os.sep, '/')}: {code}" for loc, code in LINE.findall(output))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_case(case: Path, workdir: Path) -> None:
    spec = build_case(case, workdir)
    if spec.get("strict"):  # reminders: without --strict they are shown and validate passes
        lenient = run_cli("--data", "data", "validate")
        assert lenient.exit_code == 0 and found(lenient.output) == sorted(spec["problems"]), lenient.output
    result = run_cli("--data", "data", "validate", *(["--strict"] if spec.get("strict") else []))
    assert_no_crash(result)
    assert result.exit_code == 1, result.output
    for line in spec["problems"]:
        assert f"  {native(line)} " in result.output, f"missing {line!r} in:\n{result.output}"
    assert found(result.output) == sorted(spec["problems"]), result.output
    for text in spec.get("messages") or []:  # (a message that names a file names it as the platform does)
        assert text in result.output or native(text) in result.output, f"missing {text!r} in:\n{result.output}"
    count = len(spec["problems"])
    summary = f"发现0个错误，{count}个提醒" if spec.get("strict") else f"发现{count}个错误"
    assert result.output.rstrip().endswith(summary), result.output


def test_every_code_has_a_case() -> None:
    covered = {line.rsplit(" ", 1)[1] for case in CASES for line in load_spec(case)["problems"]}
    assert covered <= set(CODES), covered - set(CODES)
    assert set(CODES) - covered == set(), f"codes without a golden case: {sorted(set(CODES) - covered)}"


def test_case_names_start_with_their_code() -> None:
    for case in CASES:
        codes = {line.rsplit(" ", 1)[1] for line in load_spec(case)["problems"]}
        assert case.name[:4].upper() in codes, case.name


# --- output formats, on a few of the cases ----------------------------------------------------


def _case(name: str) -> Path:
    path = INVALID / name
    assert path.is_dir(), name
    return path


def test_json_format_unknown_key(workdir: Path) -> None:
    build_case(_case("y101-unknown-key"), workdir)
    result = run_cli("--data", "data", "validate", "--format", "json")
    assert_no_crash(result)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["files_checked"] == 2  # tasks.yaml and the report
    assert doc["error_count"] == 2 and doc["warning_count"] == 0
    first = doc["problems"][0]
    assert first == {
        "path": native("data/reports/taiyuan/2022-06.yaml"),
        "line": 10,
        "column": 5,
        "code": "Y101",
        "message": '未知字段 "stauts"，是否为 "status"？',
        "hint": "允许的字段：status、progress、indicators、cases",
        "level": "error",
        "detail": "Extra inputs are not permitted",  # pydantic's own words: in JSON only (issue 16)
    }
    assert [(p["code"], p["line"]) for p in doc["problems"]] == [("Y101", 10), ("Y102", 10)]


@pytest.mark.parametrize(
    ("case", "detail"),
    [
        ("y101-unknown-key", "Extra inputs are not permitted"),  # pydantic
        ("y002-fullwidth-colon", "could not find expected ':'"),  # PyYAML's parser
        ("y007-nonexistent-date", "day is out of range for month"),  # the date PyYAML could not make
    ],
)
def test_the_original_words_are_a_json_detail_and_never_text(workdir: Path, case: str, detail: str) -> None:
    build_case(_case(case), workdir)
    doc = json.loads(run_cli("--data", "data", "validate", "--format", "json").stdout)
    assert detail in doc["problems"][0]["detail"]
    for fmt in ("text", "github"):
        result = run_cli("--data", "data", "validate", "--format", fmt)
        assert result.exit_code == 1 and detail not in result.output


def test_json_format_whole_file_problem_has_line_zero(workdir: Path) -> None:
    build_case(_case("y211-misplaced-report"), workdir)
    result = run_cli("--data", "data", "validate", "-f", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert [(p["path"], p["line"], p["column"], p["code"]) for p in doc["problems"]] == [
        (native("data/reports/2022-06.yaml"), 0, 0, "Y211"),
        (native("data/reports/taiyuan/2022-6.yaml"), 0, 0, "Y211"),
    ]


def test_json_is_the_whole_stdout_and_keeps_chinese(workdir: Path) -> None:
    build_case(_case("y104-status"), workdir)
    result = run_cli("--data", "data", "validate", "--format", "json")
    assert result.stdout.lstrip().startswith("{")
    doc = json.loads(result.stdout)  # no summary line or anything else around it
    assert "完成" in result.stdout  # ensure_ascii=False: readable, not \u5b8c
    assert doc["problems"][0]["hint"] == "是否为“已完成”？状态只能是 未启动、推进中、已完成 之一"


GITHUB_LINE = re.compile(r"^::error file=([^,]+),line=(\d+),col=(\d+),title=(Y\d{3})::(.*)$", re.MULTILINE)


def test_github_format(workdir: Path) -> None:
    build_case(_case("y008-octal-count"), workdir)
    result = run_cli("--data", "data", "validate", "--format", "github")
    assert_no_crash(result)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "::group::data/reports/taiyuan/2022-06.yaml"
    assert lines[2] == "::endgroup::"
    (match,) = GITHUB_LINE.findall(result.stdout)
    assert match[:4] == ("data/reports/taiyuan/2022-06.yaml", "12", "28", "Y008")
    assert match[4].startswith("Y008 未加引号的010被 YAML 1.1当作八进制数读成了8（提示：")


def test_github_format_escapes_property_values(workdir: Path) -> None:
    data = make_data_dir(workdir)
    path = data / "reports" / "taiyuan" / "a,b:c.yaml"  # misplaced, with , and : in its name
    path.parent.mkdir(parents=True)
    path.write_text(MINIMAL_REPORT, encoding="utf-8")
    result = run_cli("--data", "data", "validate", "--format", "github")
    assert "::error file=data/reports/taiyuan/a%2Cb%3Ac.yaml,title=Y211::Y211 " in result.stdout


def test_github_actions_env_selects_github_format(workdir: Path) -> None:
    build_case(_case("y008-octal-count"), workdir)
    plain = run_cli("--data", "data", "validate")
    assert "::error" not in plain.output
    result = run_cli("--data", "data", "validate", env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    assert GITHUB_LINE.search(result.stdout), result.stdout
    explicit = run_cli("--data", "data", "validate", "--format", "text", env={"GITHUB_ACTIONS": "true"})
    assert "::error" not in explicit.output
    assert f"  {native('data/reports/taiyuan/2022-06.yaml:12:28:')} Y008 " in explicit.output
