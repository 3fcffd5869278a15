"""campaign/rules.py: the rules for single values that are not about the notice's wording."""

from __future__ import annotations

import pytest

from yejin.campaign.rules import Invalid, as_figure, as_owner, as_text


@pytest.mark.parametrize("text", ["张三", "欧阳 晓燕", "A&B 公司 <有限>", "[/]", "全角　空格", "①②"])
def test_names_people_write_are_accepted(text: str) -> None:
    assert as_text(text) == text


@pytest.mark.parametrize(
    "text, said",
    [
        ("王\x1b[2J五", "不能含有控制字符 \\x1b（第2个字符）"),
        ("a\x07", "不能含有控制字符 \\x07（第2个字符）"),
        ("\x9b31m", "不能含有控制字符 \\x9b（第1个字符）"),
        ("abc\u202e", "不能含有控制字符 \\u202e（第4个字符）"),
        ("a\x00", "不能含有控制字符 \\x00"),
        ("a\x7f", "不能含有控制字符 \\x7f"),
        ("一\n二", "不能换行，只能写一行（第2个字符）"),
        ("一\r二", "不能换行"),
        ("一\u2028二", "不能换行"),
        ("一\t二", "不能含有制表符（Tab）"),
    ],
)
def test_a_line_refuses_control_characters_and_line_breaks(text: str, said: str) -> None:
    with pytest.raises(Invalid) as refused:
        as_text(text)
    assert refused.value.code == "Y111" and said in refused.value.message


def test_a_paragraph_keeps_line_breaks_and_tabs_only() -> None:
    assert as_text("一\n二\t三", multiline=True) == "一\n二\t三"
    for text, said in [("一\r\n二", "特殊的换行符 \\r"), ("一\u2028二", "特殊的换行符 \\u2028"), ("\x1b[2J", "\\x1b")]:
        with pytest.raises(Invalid) as refused:
            as_text(text, multiline=True)
        assert said in refused.value.message


@pytest.mark.parametrize(
    "owner", ["@taiyuan-yjj", "@sxyjt/tongji", "@group/sub/team", "@a_b.c", "li@example.org", "a.b+c@mail.sx.cn"]
)
def test_owners_as_git_hosts_write_them(owner: str) -> None:
    assert as_owner(owner) == owner


@pytest.mark.parametrize(
    "owner", ["", "@", "taiyuan", "@a#b", "@ty\n/co/ @x", "@ty\n", "@a b", "@a/", "a@b", "@a\x1b", "#@a", "@a,@b"]
)
def test_owners_that_would_change_a_codeowners_line_are_refused(owner: str) -> None:
    with pytest.raises(Invalid) as refused:
        as_owner(owner)
    assert refused.value.code == "Y110" and "写法不对" in refused.value.message


def test_figures_have_an_upper_bound_so_no_total_can_overflow() -> None:
    from yejin.campaign.rules import MAX_FIGURE, as_number

    assert as_number(MAX_FIGURE) == MAX_FIGURE and as_number(35.1) == 35.1
    for value, shown in [(1.7e308, "1.7e+308"), (MAX_FIGURE + 1, "100,000,001"), (10**99, "100位的数")]:
        with pytest.raises(Invalid) as refused:
            as_number(value)
        assert refused.value.code == "Y110" and f"指标值{shown}超过上限100,000,000（一亿）" in refused.value.message


def test_the_bound_is_in_the_schema() -> None:
    from yejin.campaign.rules import MAX_FIGURE
    from yejin.outputs.schema import build_schema

    schema = build_schema("report")
    indicators = schema["$defs"]["MeasureReport"]["properties"]["indicators"]["additionalProperties"]
    number, yes_no = indicators["anyOf"]  # a figure, or 是/否 of a yes/no indicator
    assert number["maximum"] == MAX_FIGURE and number["minimum"] == 0
    assert yes_no == {"type": "string", "enum": ["是", "否"]}
    assert schema["properties"]["enforcement"]["additionalProperties"] == indicators


@pytest.mark.parametrize("value", ["\r是", "否\x1b[2J", "是\u202e"])
def test_a_yes_no_answer_with_a_control_character_is_refused_not_stripped(value: str) -> None:
    """tests/test_program_fuzz.py found "\\r是" accepted as 是: strip() took the CR away unseen."""
    with pytest.raises(Invalid) as caught:
        as_figure(value)
    assert caught.value.code == "Y111"
    assert as_figure(" 是 ") == "是"  # spaces around it are fine
