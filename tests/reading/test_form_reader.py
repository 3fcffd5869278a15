"""Reading one cell of a filled-in form: the value handed on as a YAML file would hand it."""

from __future__ import annotations

import datetime as dt

import pytest

from yejin.campaign import form_fields as ff
from yejin.reading.form_reader import convert

COUNT = ff.FormField(
    "m5_sources_inspected", ("measures", 5, "indicators", "sources_inspected"), ff.COUNT, "措施5", "个"
)
AMOUNT = ff.FormField("m5_fines", ("measures", 5, "indicators", "fines"), ff.AMOUNT, "措施5\u3000罚款", "万元")
DATE = ff.FormField("submitted", ("submitted",), ff.DATE, "报送日期")
PHONE = ff.FormField("contact_a_phone", ("contacts", "a", "phone"), ff.PHONE, "A 角电话")
YESNO = ff.FormField("m18_mechanism_established", (), ff.YESNO, "措施18", "个")
TEXT = ff.FormField("m5_progress", ("measures", 5, "progress"), ff.TEXT, "措施5\u3000进展情况")


@pytest.mark.parametrize(
    ("field", "typed", "read"),
    [
        (COUNT, 12, 12),
        (COUNT, 12.0, 12),  # Excel keeps every number as a float
        (COUNT, "12", 12),  # a number stored as text
        (COUNT, " 12\u3000", 12),
        (COUNT, "1.5", 1.5),  # the report's rule then says 应为整数
        (COUNT, "45家", "45家"),  # left to the report's rule and its hint
        (COUNT, "１２", "１２"),
        (COUNT, "1,234", "1,234"),
        (COUNT, "  ", None),
        (COUNT, None, None),
        (AMOUNT, 25.65, 25.65),
        (AMOUNT, 6, 6.0),  # a file keeps 6.0 as 6; amounts are decimals (万元)
        (AMOUNT, "12", 12.0),
        (DATE, dt.datetime(2022, 7, 28), dt.date(2022, 7, 28)),
        (DATE, dt.datetime(2022, 7, 28, 10, 30), dt.datetime(2022, 7, 28, 10, 30)),  # the rule: 日期不要带时间
        (DATE, "2022年7月28日", "2022年7月28日"),
        (PHONE, "0351-6819551", "0351-6819551"),
        (PHONE, 13912345678, "13912345678"),  # a mobile number lost nothing
        (TEXT, "第一行\r\n第二行  ", "第一行\n第二行"),
        (TEXT, 12, "12"),
        (YESNO, " 是 ", "是"),
        (YESNO, "yes", "yes"),  # the report's rule: 写“是”或“否”
    ],
)
def test_a_cell_reads_as_its_yaml_would(field, typed, read) -> None:
    assert convert(field, typed) == (read, None)


def test_a_phone_stored_as_a_number_lost_its_leading_zero() -> None:
    value, problem = convert(PHONE, 3516819551)
    assert value == "3516819551"
    assert problem == (
        "Y108",
        "电话存成了数字3516819551，开头的0丢了",
        "请把单元格格式设为“文本”后重新输入，或在号码前加英文单引号：'0351-6819551",
    )


def test_a_formula_error_is_named() -> None:
    assert convert(COUNT, "#VALUE!") == (
        "#VALUE!",
        ("Y103", "单元格显示错误值 #VALUE!", "请删去公式，直接输入数值或文字"),
    )


def test_a_date_typed_as_a_bare_number() -> None:
    assert convert(DATE, 44770)[1][0] == "Y103"
