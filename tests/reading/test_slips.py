"""The slips of a Word paste or a Chinese IME that YAML reports as something general (in English,
often a line late), named with their own line, column and fix; and nothing silently cut."""

from __future__ import annotations

import pytest

from conftest import MINIMAL_REPORT, measures_of, run_cli, write_report
from yejin.reading.yaml_loader import load_text, parser_words

MEASURE = """measures:
  1:
    status: 推进中
    progress: "截至6月底，累计督促检查企业 33 家。"
    indicators: {enterprises_checked: 33, issues_found: 21, issues_fixed: 5}
"""
REPORT = MINIMAL_REPORT + MEASURE + measures_of("taiyuan", skip=(1,))  # complete (Y215), lines 1–11 as before
STATUS_LINE = 9  # `    status: 推进中`
PROGRESS_LINE = 10
SHOWN = "data/reports/taiyuan/2022-06.yaml"  # problems name files with / on every system


def check(data_dir, text: str):
    write_report(data_dir, "reports/taiyuan/2022-06.yaml", text)
    result = run_cli("--data", "data", "validate")
    assert "Traceback" not in result.output
    return result


def test_the_good_report_passes(data_dir) -> None:
    result = check(data_dir, REPORT)
    assert result.exit_code == 0, result.output


SLIPS = [
    (  # English quotes inside English quotes
        ('    progress: "截至6月底，', '    progress: "开展涉爆粉尘"回头看"专项检查，'),
        (PROGRESS_LINE, 22),
        "Y002 YAML 语法错误：英文双引号里的文字中又用了英文双引号",
        "文字中的引号请改用中文引号“ ”",
    ),
    (  # no space after the colon: reported on its own line, not the next
        ("    status: 推进中", "    status:推进中"),
        (STATUS_LINE, 11),
        "Y002 YAML 语法错误：冒号后面缺少空格",
        "status: 推进中",
    ),
    (  # unquoted text holding ": "
        ('    progress: "截至6月底，累计督促检查企业 33 家。"', "    progress: 原因: 设备老化"),
        (PROGRESS_LINE, 17),
        "Y002 YAML 语法错误：没加引号的文字中有“冒号加空格”",
        "请把整段文字放在英文双引号里",
    ),
    (  # an unquoted multi-line paste
        ('    progress: "截至6月底，累计督促检查企业 33 家。"', "    progress: 第一段检查\n第二段继续"),
        (PROGRESS_LINE + 1, 1),
        "Y002 YAML 语法错误：没加引号的文字换行后写到了下一行",
        "或用 | 写成多行",
    ),
    (  # indentation with a non-breaking space pasted from Word: its own line, no Chinese-quotes hint
        ("    status: 推进中", "\u00a0   status: 推进中"),
        (STATUS_LINE, 1),
        "Y002 YAML 语法错误：有看不见的特殊字符⟨不间断空格⟩",
        "请删去这一行开头的空白，重新用空格键输入",
    ),
    (
        ('    progress: "截至6月底，累计督促检查企业 33 家。"', "    progress: *重点*检查"),
        (PROGRESS_LINE, 15),
        "Y002 YAML 语法错误：文字不能以“*”开头（YAML 把它当作特殊符号）",
        "请把整段文字放在英文双引号里",
    ),
    (
        ('    progress: "截至6月底，累计督促检查企业 33 家。"', "    progress: @各市 检查"),
        (PROGRESS_LINE, 15),
        "Y002 YAML 语法错误：文字不能以“@”开头（YAML 把它当作特殊符号）",
        "请把整段文字放在英文双引号里",
    ),
    (  # text YAML would cut at " #": reported, never stored as "检查了"
        ('    progress: "截至6月底，累计督促检查企业 33 家。"', "    progress: 检查了 #3 号高炉 等设施"),
        (PROGRESS_LINE, 19),
        "Y002 文字在“ #”处被截断：YAML 把“#3号高炉 等设施”当作注释丢掉，只留下“检查了”",
        "请把整段文字放在英文双引号里",
    ),
    (  # a zero-width space in a key, shown visibly
        ("    status: 推进中", "    status\u200b: 推进中"),
        (STATUS_LINE, 5),
        'Y101 未知字段 "status⟨零宽空格⟩"，是否为 "status"？',
        "字段名中有看不见的字符⟨零宽空格⟩",
    ),
    (  # phone: "" as new-report writes it in a fresh repository
        ('phone: "13912345678"', 'phone: ""'),
        (6, 24),
        "Y108 电话号码不能为空",
        "请填写信息报送人的电话",
    ),
]


@pytest.mark.parametrize("change,where,said,hint", SLIPS, ids=[s[2][:30] for s in SLIPS])
def test_slip_is_named_where_it_is(data_dir, change, where, said, hint) -> None:
    old, new = change
    assert old in REPORT
    result = check(data_dir, REPORT.replace(old, new, 1))
    assert result.exit_code == 1, result.output
    line, column = where
    assert f"{SHOWN}:{line}:{column}: {said}" in result.output, result.output
    assert hint in result.output
    assert "中文引号" not in result.output or "中文引号“ ”" in hint
    assert not any(word in result.output for word in ("found", "expected", "mapping values", "Input should"))


def test_parser_reasons_are_never_english() -> None:
    for problem in ["did not find expected key", "mapping values are not allowed here", "something new"]:
        assert all(not ch.isascii() or not ch.isalpha() for ch in parser_words(problem).replace("YAML", ""))
    _, problems = load_text("a: 1\nb: [1, 2\n", "x.yaml")
    assert problems and problems[0].message.startswith("YAML 语法错误：") and "expected" not in problems[0].message
    _, problems = load_text("a: b\x07c\n", "x.yaml")
    assert problems[0].message == "YAML 语法错误：有看不见的控制字符 U+0007" and (
        problems[0].line,
        problems[0].column,
    ) == (1, 5)


def test_line_breaks_in_pasted_text_are_kept() -> None:
    doc, problems = load_text("progress: \"第一段。\n  第二段。\n\n  第三段。\"\nother: '甲\n  乙'\n", "x.yaml")
    assert problems == []
    assert doc.data["progress"] == "第一段。\n第二段。\n\n第三段。"
    assert doc.data["other"] == "甲\n乙"
    doc, _ = load_text('escaped: "甲\\t\n  乙"\n', "x.yaml")  # with escapes: as YAML reads it
    assert doc.data["escaped"] == "甲\t 乙"


def test_a_comment_after_a_value_is_still_a_comment() -> None:
    _, problems = load_text("status: 推进中  # 未启动 / 推进中 / 已完成\nn: 5 # 个\n", "x.yaml")
    assert problems == []
