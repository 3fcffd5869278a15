"""problems.py: how a problem's path and text are printed (issue 16: the platform's separator, the
original parser words only in JSON, lines broken to a terminal's width)."""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

from yejin.problems import Problem, path_text, relative, render, render_github, render_text

PATH = os.path.join("data", "reports", "taiyuan", "2022-06.yaml")


def test_paths_are_printed_with_the_platforms_separator():
    assert path_text(PurePosixPath("data/reports/taiyuan/2022-06.yaml")) == PATH
    assert path_text("data/reports/taiyuan/2022-06.yaml") == PATH
    assert relative(Path.cwd() / "data" / "reports" / "taiyuan" / "2022-06.yaml") == PATH


def test_github_annotations_name_the_file_in_the_repository_with_slashes():
    problem = Problem(PATH, 3, 5, "Y103", "应为数字")
    assert "::error file=data/reports/taiyuan/2022-06.yaml,line=3,col=5,title=Y103::" in render_github([problem])
    assert render_text([problem]).splitlines()[1] == f"  {PATH}:3:5: Y103 应为数字"


def test_detail_is_json_only():
    problem = Problem(PATH, 3, 5, "Y103", "应为数字", "写成 12", detail="Input should be a valid integer")
    assert json.loads(render("json", 1, [problem]))["problems"][0]["detail"] == "Input should be a valid integer"
    for fmt in ("text", "github"):
        assert "Input should" not in render(fmt, 1, [problem])


def test_text_broken_to_a_width_keeps_location_whole_and_indents():
    problem = Problem(PATH, 12, 5, "Y207", "累计数5比2022年5月报送的6少", "指标填写截至当月底的全年累计数，不应减少")
    assert render_text([problem], width=43).splitlines() == [
        PATH,
        f"  {PATH}:12:5:",
        "    Y207 累计数5比2022年5月报送的6少",
        "      提示：指标填写截至当月底的全年累计",
        "            数，不应减少",  # "，" stays with the character before it
    ]
    assert render_text([problem]).splitlines()[1] == f"  {PATH}:12:5: Y207 累计数5比2022年5月报送的6少"


# --- issue 17: no space between Chinese and a digit in what yejin says about a bad file ----------


def test_code_titles_examples_and_hints_have_no_gap_between_chinese_and_digits():
    """README's 错误提示一览 is made of these.  A YAML snippet in backticks is what a person typed
    (`deadline: 2022 年 6 月中旬`) and stays as typed."""
    import re

    from chinese_text import gaps
    from yejin.problems import CODE_EXAMPLES, CODES

    found = [f"{code} title: {g}" for code, title in CODES.items() for g in gaps(title)]
    for code, (trigger, words) in CODE_EXAMPLES.items():
        typed = re.sub(r"`[^`]*`", "`…`", trigger)
        found += [f"{code} trigger: {g}" for g in gaps(typed)] + [f"{code} words: {g}" for g in gaps(words)]
    assert not found, "\n".join(found)


def test_the_summary_line_has_no_gap():
    from chinese_text import gaps

    problems = [Problem(PATH, 3, 5, "Y103", "应为整数"), Problem(PATH, 4, 5, "Y217", "状态倒退", level="warning")]
    assert render("text", 12, problems).splitlines()[-1] == "检查12个文件，发现1个错误，1个提醒"
    assert not gaps(render("text", 12, []))


def test_golden_cases_print_no_gap_between_chinese_and_digits(workdir):
    """Every golden case of tests/invalid/, as text and as --format json: every message, hint and the
    summary line."""
    import shutil

    from chinese_text import gaps
    from conftest import INVALID, build_case, run_cli

    found = []
    for case in sorted(p for p in INVALID.iterdir() if p.is_dir()):
        shutil.rmtree(workdir / "data", ignore_errors=True)
        spec = build_case(case, workdir)
        strict = ["--strict"] if spec.get("strict") else []
        text = run_cli("--data", "data", "validate", *strict)
        found += [f"{case.name}: …{g}…" for g in gaps(text.output)]
        doc = json.loads(run_cli("--data", "data", "validate", *strict, "--format", "json").stdout)
        for p in doc["problems"]:
            found += [f"{case.name} json: …{g}…" for key in ("message", "hint") for g in gaps(p[key])]
    assert not found, f"{len(found)} 处：\n" + "\n".join(found)


def test_json_schemas_have_no_gap_in_titles_and_descriptions():
    from chinese_text import gaps
    from yejin.outputs.schema import KINDS, build_schema

    def strings(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("title", "description") and isinstance(value, str):
                    yield f"{where}.{key}", value
                else:
                    yield from strings(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from strings(value, f"{where}[{i}]")

    found = [f"{kind} {w}: …{g}…" for kind in KINDS for w, s in strings(build_schema(kind), "$") for g in gaps(s)]
    assert not found, f"{len(found)} 处：\n" + "\n".join(found)
