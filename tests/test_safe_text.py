"""safe_text: what each output makes of hostile text from the data."""

from __future__ import annotations

import json

import pytest

from yejin.safe_text import escape, first_unsafe, json_text, markdown, visible

HOSTILE = "王\x1b]0;pwned\x07五\x1b[2J\x1b]52;c;ZXZpbA==\x07\x9b31m\u202e\u2028"


def test_visible_shows_every_control_character_as_an_escape() -> None:
    shown = visible(HOSTILE)
    assert shown == "王\\x1b]0;pwned\\x07五\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07\\x9b31m\\u202e\\u2028"
    assert first_unsafe(shown) is None and first_unsafe(HOSTILE) == (1, "\x1b")


def test_visible_keeps_line_breaks_only_when_asked() -> None:
    assert visible("a\nb\tc\r") == "a\\nb\\tc\\r"
    assert visible("a\nb\tc\r", newlines=True) == "a\nb\tc\\r"


def test_a_file_name_that_is_not_utf8_shows_its_bytes() -> None:
    name = b"2022-07\xff.yaml".decode("utf-8", "surrogateescape")
    assert visible(name) == "2022-07\\xff.yaml"
    assert escape("\x00") == "\\x00" and escape("\u2066") == "\\u2066"


def test_chinese_text_and_full_width_characters_are_left_alone() -> None:
    text = "截至6月底，累计检查企业“33”家（示例数据）　全角空格 ①"
    assert visible(text) == text and json_text(text) == json.dumps(text, ensure_ascii=False)


def test_json_text_is_json_with_the_same_values_and_nothing_raw() -> None:
    doc = {"name": HOSTILE, "list": ["\udcff", "\x7f"]}
    text = json_text(doc)
    assert json.loads(text) == doc
    assert first_unsafe(text, multiline=True) is None


@pytest.mark.parametrize(
    "text, shown",
    [
        ("事故\n\n## 六、伪造的一节", "事故  ## 六、伪造的一节"),
        ("# 标题", "\\# 标题"),
        ("  - 列表", "\\- 列表"),
        ("+ 列表", "\\+ 列表"),
        ("12. 编号", "12\\. 编号"),
        ("3) 编号", "3\\) 编号"),
        ("> 引用", "\\> 引用"),
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("[点此](javascript:alert(1))", "\\[点此\\](javascript:alert(1))"),
        ("![图](x.png)", "!\\[图\\](x.png)"),
        ("*强调* _强调_ `代码` ~~删除~~ | 表格 |", "\\*强调\\* \\_强调\\_ \\`代码\\` \\~\\~删除\\~\\~ \\| 表格 \\|"),
        ("&lt;b&gt;", "\\&lt;b\\&gt;"),
        ("C:\\数据", "C:\\\\数据"),
        ("    代码块", "代码块"),
        ("2022 年 6 月，完成 45.0%", "2022 年 6 月，完成 45.0%"),
        ("标题\x1b[2J", "标题\\\\x1b\\[2J"),
    ],
)
def test_markdown_shows_the_text_and_makes_no_markup(text: str, shown: str) -> None:
    assert markdown(text) == shown
