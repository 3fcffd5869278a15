"""line_break.py: where a line of Chinese text with numbers may break (issue 16, item 7)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from line_checks import bad_breaks, split_across
from yejin.line_break import break_offsets, min_width, wrap


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        # the cases of the issue: rich printed "33家（+1" / "3）", "25.65万" / "元", "行政处罚3" / "0次", "202" / "2-06"
        ("督促检查企业数 33家（+13）", 11, ["督促检查企", "业数", "33家（+13）"]),
        ("督促检查企业数33家（+13）", 12, ["督促检查企业", "数", "33家（+13）"]),  # this month's part stays too
        (
            "行政处罚7起（本月+0）；罚款9.51万元（本月+0）",
            20,
            ["行政处罚", "7起（本月+0）；罚款", "9.51万元（本月+0）"],
        ),
        ("抽查率68.8%*（目标50%）", 14, ["抽查率68.8%*", "（目标50%）"]),
        ("代替（2022-10-01实施）", 12, ["代替", "（2022-10-01", "实施）"]),  # not a figure's note
        ("罚款25.65万元", 10, ["罚款", "25.65万元"]),
        ("累计行政处罚30次。", 14, ["累计行政处罚", "30次。"]),
        ("完成时限 2022-06-30", 12, ["完成时限", "2022-06-30"]),
        # a date in Chinese, with or without spaces (17d writes them without)
        ("截至2022年6月30日，", 16, ["截至", "2022年6月30日，"]),
        ("截至 2022 年 6 月 30 日，", 22, ["截至", "2022 年 6 月 30 日，"]),
        ("剩 184 天", 6, ["剩", "184 天"]),
        ("检查企业 109家次", 14, ["检查企业", "109家次"]),
        ("推进会（第 3 次）", 14, ["推进会", "（第 3 次）"]),
        ("说明：GB 30871-2014 已被代替", 16, ["说明：", "GB 30871-2014 已", "被代替"]),
        # 避头尾: no line starts with closing punctuation or ends with opening punctuation
        ("一二三四五，六七", 10, ["一二三四", "五，六七"]),
        ("一二三四（五六）", 10, ["一二三四", "（五六）"]),
        ("一二三“回头看”。", 12, ["一二三“回头", "看”。"]),
        # a space is a place to break, and is dropped there
        ("按时 9  迟报 1  未报 1  省厅：按时", 24, ["按时 9  迟报 1  未报 1", "省厅：按时"]),
        # so is a full-width space (U+3000, between the items of a line), never starting the next line
        ("按时9　迟报1　未报1　省厅：按时", 20, ["按时9　迟报1　未报1", "省厅：按时"]),
        ("措施6　三类企业再排查建台账", 12, ["措施6　三类", "企业再排查建", "台账"]),
        # the indentation of the first line stays; it is never a place to break
        ("    一二三四五六", 10, ["    一二三", "四五六"]),
        # wider than a line: only then is a piece cut
        ("12345678901", 4, ["1234", "5678", "901"]),
    ],
)
def test_lines(text, width, lines):
    assert wrap(text, width).split("\n") == lines
    assert all(cell_len(line) <= width for line in lines)


def test_hanging_indent():
    text = "      提示：数字后面不要带单位“家”，写成 12；累计数截至2022年6月30日"
    assert wrap(text, 26, hang=12).split("\n") == [
        "      提示：数字后面不要带",
        "            单位“家”，写成",
        "            12；累计数截至",
        "            2022年6月30日",
    ]


def test_min_width_is_the_widest_piece():
    assert min_width("督促检查企业数 33家（+13）") == cell_len("33家（+13）") == 11
    assert min_width("截至2022年6月30日，太原") == cell_len("2022年6月30日，")
    assert min_width("") == 0


def test_offsets_are_where_lines_start():
    assert break_offsets("一二三四五六", 4) == [2, 4]
    assert break_offsets("a b", 80) == []


def test_the_check_catches_a_split():
    """The test's own patterns see what rich did before (so the width tests below can fail)."""
    assert split_across("督促检查企业数 33家（+1", "3）") == ["+13"]
    assert "25.65万元" in split_across("罚款 25.65万", "元")
    assert "2022-06-30" in split_across("202", "2-06-30")
    assert "30 天" in split_across("剩 30", "天")
    assert bad_breaks("一二三\n，四五") == ["line starts with ，: '，四五'"]
    assert bad_breaks("按时 9\n省厅：按时") == []


# Chinese text as reports write it: characters, numbers with units, dates, punctuation, spaces
# (a number always follows a character or a mark other than a space: two numbers side by side, or
# with a space between, would read as one once a line is broken between them)
_CHAR = st.sampled_from(list("太原市累计检查企业发现问题整改罚款执法"))
_MARK = st.sampled_from(list("，。、；：！？（）“”《》 "))
_NUMBER = st.one_of(
    st.builds(lambda n, u: f"{n}{u}", st.integers(0, 99999), st.sampled_from(["家", "项", "个", "次", "万元", "%"])),
    st.builds(lambda n, u: f"{n} {u}", st.integers(0, 999), st.sampled_from(["家", "天", "个"])),
    st.builds(lambda a, b: f"{a}.{b}万元", st.integers(0, 9999), st.integers(0, 99)),
    st.builds(lambda m, d: f"2022年{m}月{d}日", st.integers(1, 12), st.integers(1, 28)),
    st.builds(lambda m, d: f"2022 年 {m} 月 {d} 日", st.integers(1, 12), st.integers(1, 28)),
    st.builds(lambda m, d: f"2022-{m:02d}-{d:02d}", st.integers(1, 12), st.integers(1, 28)),
)
_PIECE = st.one_of(_CHAR, _MARK, st.builds(lambda c, n: c + n, st.one_of(_CHAR, _MARK.filter(str.strip)), _NUMBER))


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECE, min_size=1, max_size=40).map("".join), st.integers(18, 60))
def test_no_number_date_or_unit_is_split_and_no_line_starts_with_closing_punctuation(text, width):
    """At any width the widest piece fits in (a terminal narrower than "2022 年 12 月 28 日）。" must cut it)."""
    width = max(width, min_width(text.strip()))
    lines = wrap(text.strip(), width).split("\n")
    assert all(cell_len(line) <= width for line in lines)
    assert bad_breaks("\n".join(lines)) == []
    assert "".join(text.split()) == "".join("".join(lines).split())  # nothing lost, nothing added
