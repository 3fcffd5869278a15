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
    problem = Problem(
        PATH, 12, 5, "Y207", "累计数 5 比 2022-05 报送的 6 少", "指标填写截至当月底的全年累计数，不应减少"
    )
    assert render_text([problem], width=43).splitlines() == [
        PATH,
        f"  {PATH}:12:5:",
        "    Y207 累计数 5 比 2022-05 报送的 6 少",
        "      提示：指标填写截至当月底的全年累计",
        "            数，不应减少",  # "，" stays with the character before it
    ]
    assert render_text([problem]).splitlines()[1] == f"  {PATH}:12:5: Y207 累计数 5 比 2022-05 报送的 6 少"
