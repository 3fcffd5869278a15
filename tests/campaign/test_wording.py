"""yejin.terms: how the notice's wording and the report fields become data."""

from __future__ import annotations

import datetime as dt

import pytest

from yejin.campaign import wording as terms
from yejin.words import zh


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2022 年 9 月底前", dt.date(2022, 9, 30)),
        ("2022年9月底前", dt.date(2022, 9, 30)),
        ("2022 年 6 月底前", dt.date(2022, 6, 30)),
        ("2022 年 3 月底前", dt.date(2022, 3, 31)),
        ("2022 年 11 月底前", dt.date(2022, 11, 30)),
        ("2022 年 2 月底前", dt.date(2022, 2, 28)),
        ("2024 年 2 月底前", dt.date(2024, 2, 29)),
        ("2022年底前", dt.date(2022, 12, 31)),
        ("2022 年底前", dt.date(2022, 12, 31)),
        ("  2022 年底前 ", dt.date(2022, 12, 31)),
        ("2022-09-30", dt.date(2022, 9, 30)),
        (dt.date(2022, 7, 15), dt.date(2022, 7, 15)),
    ],
)
def test_parse_deadline(text, expected) -> None:
    assert terms.parse_deadline(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2022 年 9 月中旬",
        "9 月底前",
        "2022 年 13 月底前",
        "2022 年 0 月底前",
        "年底前",
        "2022-02-30",
        "2022-9-30",
        "2022/09/30",
        "",
        "尽快",
        "2022 年 9 月 30 日前",
    ],
)
def test_parse_deadline_rejects_with_the_accepted_forms(text) -> None:
    with pytest.raises(ValueError) as info:
        terms.parse_deadline(text)
    message = str(info.value)
    assert f"“{zh(text.strip())}”" in message  # as a Chinese sentence writes it (issue 17)
    for form in ("2022年9月底前", "2022年底前", "2022-09-30"):
        assert form in message


@pytest.mark.parametrize("value", [2022, None, dt.datetime(2022, 9, 30, 12, 0), ["2022年底前"]])
def test_parse_deadline_rejects_non_text(value) -> None:
    with pytest.raises(ValueError, match="完成时限应写成"):
        terms.parse_deadline(value)


@pytest.mark.parametrize(
    "text, levels",
    [
        ("各级应急管理部门", ("省", "市", "县")),
        ("市、县应急管理部门", ("市", "县")),
        ("县、区应急管理部门", ("县",)),
        ("省、市应急管理部门", ("省", "市")),
        ("省应急管理厅", ("省",)),
        ("省 应急管理厅", ("省",)),
        ("市、 县应急管理部门", ("市", "县")),
        ("县、市应急管理部门", ("市", "县")),  # always in LEVELS order
        ("市应急管理局", ("市",)),
    ],
)
def test_parse_responsible(text, levels) -> None:
    assert terms.parse_responsible(text) == levels


@pytest.mark.parametrize(
    "text, named",
    [
        ("发展改革委", "发展改革委"),
        ("应急管理部门", "应急管理部门"),
        ("乡、镇应急管理部门", "乡"),
    ],
)
def test_parse_responsible_rejects(text, named) -> None:
    with pytest.raises(ValueError) as info:
        terms.parse_responsible(text)
    assert named in str(info.value)


@pytest.mark.parametrize("text, parsed", [("2022-06", (2022, 6)), ("2022-12", (2022, 12)), ("2021-01", (2021, 1))])
def test_parse_month(text, parsed) -> None:
    assert terms.parse_month(text) == parsed


@pytest.mark.parametrize("text", ["2022-6", "2022-13", "2022-00", "2022/06", "202206", "2022-06-01", " 2022-06", ""])
def test_parse_month_rejects(text) -> None:
    with pytest.raises(ValueError):
        terms.parse_month(text)


@pytest.mark.parametrize(
    "typed, fix",
    [
        ("2022/6", '"2022-06"'),
        ("2022.6", '"2022-06"'),
        ("2022.10", '"2022-10"'),
        ("2022-6", '"2022-06"'),
        ("2022_06", '"2022-06"'),
        ("2022年6月", '"2022-06"'),
        ("2022 年 6 月份", '"2022-06"'),
        ("202206", '"2022-06"'),
        ("6月", '"2022-06"'),
        ("12 月份", '"2022-12"'),
    ],
)
def test_month_hint_shows_the_fix(typed, fix) -> None:
    hint = terms.month_hint(typed)
    assert fix in hint
    assert f"“{typed}”" in hint


def test_month_hint_for_months_out_of_range_and_other_values() -> None:
    # the form may be right; the month does not exist, and the message says so (no "2022-13" fix offered)
    assert terms.month_hint("2022-13").startswith("月份2022-13不存在：一年只有1–12月")
    assert "不存在" in terms.month_hint("2022/13") and '"2022-13"' not in terms.month_hint("2022/13")
    assert "不存在" in terms.month_hint("2022年0月")
    assert "“三月”" in terms.month_hint("三月")
    assert "“2022.1”" in terms.month_hint(2022.1)


def test_date_hint_names_an_impossible_date() -> None:
    assert terms.option_date_hint("2022-02-30") == "日期2022-02-30不存在：2022年2月只有28天"
    assert terms.option_date_hint("2022-13-01") == "日期2022-13-01不存在：一年只有1–12月"
    assert "2022-06-03" in terms.option_date_hint("2022/6/3")
    assert "例如2022-06-30" in terms.option_date_hint("明天")


def test_month_arithmetic() -> None:
    assert terms.month_start("2022-06") == dt.date(2022, 6, 1)
    assert terms.previous_month("2022-01") == "2021-12"
    assert terms.previous_month("2022-10") == "2022-09"
    assert terms.next_month("2022-12") == "2023-01"
    assert terms.next_month("2022-09") == "2022-10"
    assert terms.month_end(2022, 2) == dt.date(2022, 2, 28)
    assert terms.month_end(2024, 2) == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    "month, due",
    [
        ("2022-02", dt.date(2022, 2, 28)),  # February: the month's last day
        ("2024-02", dt.date(2024, 2, 29)),
        ("2022-06", dt.date(2022, 6, 30)),
        ("2022-01", dt.date(2022, 1, 30)),  # the 30th, not the 31st
        ("2022-12", dt.date(2022, 12, 30)),
    ],
)
def test_report_due(month, due) -> None:
    assert terms.report_due(month, 30) == due


def test_report_due_other_days() -> None:
    assert terms.report_due("2022-02", 31) == dt.date(2022, 2, 28)
    assert terms.report_due("2022-04", 31) == dt.date(2022, 4, 30)
    assert terms.report_due("2022-02", 25) == dt.date(2022, 2, 25)


@pytest.mark.parametrize(
    "phone",
    ["0351-6819551", "03516819551", "010-12345678", "0351-6819551-801", "13912345678", "19900001111", " 0351-6819551 "],
)
def test_check_phone_accepts(phone) -> None:
    assert terms.check_phone(phone) == phone.strip()


@pytest.mark.parametrize("phone", ["6819551", "12345678901", "1391234567", "0351-68195", "+86 13912345678", "电话", ""])
def test_check_phone_rejects(phone) -> None:
    with pytest.raises(ValueError, match="0351-6819551"):
        terms.check_phone(phone)
