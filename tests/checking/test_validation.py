"""yejin.validation: pydantic's errors turned into located problems, one per mistake."""

from __future__ import annotations

import pytest

from conftest import MINIMAL_REPORT
from yejin.campaign.models import Report, TasksFile
from yejin.checking.validation import validate
from yejin.reading.yaml_loader import load_text


def problems(text: str, model=Report) -> list[tuple[int, int, str, str]]:
    doc, found = load_text(text, "r.yaml")
    assert doc is not None, found
    result, more = validate(doc, model)
    assert (result is None) == bool(more)
    return [(p.line, p.column, p.code, p.message) for p in found + more]


def test_minimal_report_is_valid() -> None:
    doc, found = load_text(MINIMAL_REPORT, "r.yaml")
    report, more = validate(doc, Report)
    assert found == [] and more == []
    assert report.unit == "太原市" and report.month == "2022-06" and report.measures == {}


@pytest.mark.parametrize("value, kind", [("3.5", "小数3.5"), ("[太原]", "列表"), ("true", "布尔值")])
def test_union_field_reports_one_problem(value: str, kind: str) -> None:
    """unit is text or a code: pydantic fails both branches, the user sees one problem."""
    found = problems(MINIMAL_REPORT.replace("unit: 太原市", f"unit: {value}"))
    assert [(line, col, code) for line, col, code, _ in found] == [(1, 7, "Y103")]
    assert kind in found[0][3]


def test_every_missing_field_is_reported() -> None:
    found = problems('month: "2022-06"\ncontacts:\n  a: {name: 张三, phone: "0351-6819551"}\n  b: {}\n')
    assert sorted((line, col, message) for line, col, _, message in found) == [
        (1, 1, '缺少必填字段 "submitted"（报送日期）'),
        (1, 1, '缺少必填字段 "unit"（报送单位（名称、简称、标识或代码））'),
        (4, 6, '缺少必填字段 "name"（姓名）'),
        (4, 6, '缺少必填字段 "phone"（电话（固定电话0351-6819551或手机，加引号））'),
    ]


def test_aliased_mistake_is_reported_once() -> None:
    text = MINIMAL_REPORT + "x: &c {title: t}\nmeasures:\n  7:\n    status: 推进中\n    cases: [*c, *c, *c]\n"
    found = problems(text)
    assert [(code, message) for _, _, code, message in found].count(
        ("Y102", '缺少必填字段 "enterprise"（企业名称）')
    ) == 1


@pytest.mark.parametrize(
    "typo, field, where",
    [
        ("stauts: 推进中", "status", "measures"),
        ("status: 推进中\n    indicator: {}", "indicators", "measures"),
        ("status: 推进中\n    progres: x", "progress", "measures"),
    ],
)
def test_unknown_key_suggests_the_field(typo: str, field: str, where: str) -> None:
    found = problems(MINIMAL_REPORT + f"measures:\n  1:\n    {typo}\n")
    messages = [m for _, _, code, m in found if code == "Y101"]
    assert len(messages) == 1 and f'是否为 "{field}"？' in messages[0]


def test_unknown_top_level_key_is_located_on_the_key() -> None:
    found = problems(MINIMAL_REPORT + "remark: 无\n")
    assert found == [(7, 1, "Y101", '未知字段 "remark"')]


def test_unknown_contact_key() -> None:
    found = problems(
        MINIMAL_REPORT.replace('a: {name: 张三, phone: "0351-6819551"}', 'a: {name: 张三, phnoe: "0351-6819551"}')
    )
    codes = sorted((code, message) for _, _, code, message in found)
    assert codes[0] == ("Y101", '未知字段 "phnoe"，是否为 "phone"？')
    assert codes[1][0] == "Y102"


@pytest.mark.parametrize("key", ["int", "str", "float", "bool"])
def test_keys_named_like_pydantic_markers_are_named(key: str) -> None:
    found = problems(MINIMAL_REPORT + f"{key}: 1\n")
    assert found == [(7, 1, "Y101", f'未知字段 "{key}"')]


def test_quoted_measure_number() -> None:
    found = problems(MINIMAL_REPORT + 'measures:\n  "1": {status: 推进中}\n')
    assert [(code, message) for _, _, code, message in found] == [("Y103", "“1”应为整数，实际是文本“1”")]


def test_text_where_a_number_belongs_gets_a_hint() -> None:
    doc, _ = load_text(
        MINIMAL_REPORT + "measures:\n  1:\n    status: 推进中\n    indicators: {issues_found: 12家}\n", "r.yaml"
    )
    _, found = validate(doc, Report)
    (p,) = found
    assert (p.code, p.line) == ("Y103", 10) and "12" in p.hint and "家" in p.hint


def test_unquoted_number_where_text_belongs_asks_for_quotes() -> None:
    doc, _ = load_text(MINIMAL_REPORT + "problems: 12\n", "r.yaml")
    _, found = validate(doc, Report)
    (p,) = found
    assert p.code == "Y103" and p.hint == '请加引号："12"'
    assert "未加引号的12（YAML 读成了整数12）" in p.message


def test_inputs_are_not_rendered_at_length() -> None:
    long = "很长的文字" * 200
    found = problems(MINIMAL_REPORT + f"measures:\n  1:\n    status: {long}\n")
    (message,) = [m for _, _, code, m in found if code == "Y104"]
    assert len(message) < 120 and "…" in message


def test_tasks_file_errors_are_located(tmp_path) -> None:
    text = (
        "campaign: {name: x, year: 1999, document_number: x, notice_title: x, issuer: x, issue_date: 2022-03-04,"
        " report_day: 30, table_title: x}\nunits: []\ntasks: []\n"
    )
    found = problems(text, TasksFile)
    assert sorted((line, code) for line, _, code, _ in found) == [(1, "Y110"), (2, "Y102"), (3, "Y102")]


@pytest.mark.parametrize(
    "typed, day",
    [
        ("2022年6月29日", "2022-06-29"),
        ('"2022-6-9"', "2022-06-09"),
        ("2022/06/30", "2022-06-30"),
        ('"２０２２-０６-２４"', "2022-06-24"),
        ('"2022年6月29日 10:30"', "2022-06-29"),
    ],
)
def test_a_date_typed_another_way_names_one_day_in_message_and_hint(typed: str, day: str) -> None:
    """The message said 应为日期，写成 2022-06-28 (a fixed example) while the hint said 2022-06-29: both
    now read the typed date once (wording.typed_date) and name the same day."""
    doc, _ = load_text(MINIMAL_REPORT.replace("submitted: 2022-06-24", f"submitted: {typed}"), "r.yaml")
    _, found = validate(doc, Report)
    (p,) = found
    assert (p.code, p.line, p.message) == ("Y103", 3, f"应为日期，写成{day}")
    assert f"：{day}（" in p.hint


def test_a_date_with_a_time_names_its_own_day() -> None:
    doc, _ = load_text(MINIMAL_REPORT.replace("submitted: 2022-06-24", "submitted: 2022-06-29 10:30:00"), "r.yaml")
    _, found = validate(doc, Report)
    assert [(p.code, p.message) for p in found] == [("Y110", "日期不要带时间，写成2022-06-29即可")]


def test_a_date_that_is_no_date_at_all_gives_the_form_not_a_day() -> None:
    doc, _ = load_text(MINIMAL_REPORT.replace("submitted: 2022-06-24", "submitted: 明天"), "r.yaml")
    _, found = validate(doc, Report)
    (p,) = found
    assert (p.code, p.message) == ("Y103", "应为日期，写成“年-月-日”形式")
    assert p.hint == "日期写成“年-月-日”，例如2022-06-28（半角数字和短横线，不加引号）"


def test_a_bad_list_item_is_named_by_its_list_and_place() -> None:
    """Y103 for `measures: [1, abc]` in an event named the index as the field (“1”应为整数)."""
    from yejin.campaign.models import Event

    event = (
        "unit: 太原市\ndate: 2022-06-12\ntitle: 泄漏\ncategory: 险情\nmeasures: [1, abc]\nsummary: 无\n"
        'contacts:\n  a: {name: 张三, phone: "0351-6819551"}\n  b: {name: 李四, phone: "13912345678"}\n'
    )
    found = problems(event, Event)
    assert [(line, code, message) for line, _, code, message in found] == [
        (5, "Y103", "“measures”第2项应为整数，实际是文本“abc”")
    ]


def test_a_bad_item_of_a_list_of_mappings_is_named_by_its_list_and_place() -> None:
    text = MINIMAL_REPORT + "measures:\n  7:\n    status: 推进中\n    progress: 有\n    cases: [案例]\n"
    found = problems(text)
    assert [(code, message) for _, _, code, message in found] == [
        ("Y103", "“cases”第1项应为映射（键: 值），实际是文本“案例”")
    ]
