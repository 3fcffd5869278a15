"""全省合计 (MonthPicture.totals, aggregate rule 10) and the yes/no kind, worked out by hand on
tests/fixtures/totals:

    unit     month    执法情况 inspected/penalties/fines   M1 found/fixed   M2 major found/fixed  mechanism
    taiyuan  2022-05  10 / 2 / 1.5                        4 / 2            1 / 0                 否
    taiyuan  2022-06  25 / 3 / 2.25                       9 / 6            3 / 2                 是
    datong   2022-05  7 / 1 / 0.5                         5 / 5            2 / 1                 是
    shanxi   2022-06  4 / 0 / 0                           2 / 1            (M2 is 市、县)

datong has no June report: its May figures are carried (no 本月).  hazards_found adds M1 found and
M2 major_found, hazards_fixed M1 fixed and M2 major_fixed (adds_to in tasks.yaml).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from conftest import TESTS
from yejin.checking.dataset import load_dataset
from yejin.picture.aggregate import build_picture

FIXTURE = TESTS / "fixtures" / "totals"
AFTER = dt.date(2022, 7, 5)


def picture(month: str):
    return build_picture(load_dataset(FIXTURE), month, as_of=AFTER)


def by_key(totals) -> dict:
    return {t.indicator.key: t for t in totals}


def test_june_enforcement_totals_add_every_unit_once():
    june = by_key(picture("2022-06").enforcement)
    assert june["inspected"].value == 36  # 25 + 7 (datong, carried) + 4
    assert june["inspected"].this_month == 19  # (25 - 10) + 4 (shanxi's first report: all of it); datong carried
    assert june["penalties"].value == 4 and june["penalties"].this_month == 1  # 3 + 1 + 0; (3 - 2) + 0
    assert june["fines"].value == Decimal("2.75")  # 2.25 + 0.5 + 0
    assert june["fines"].this_month == Decimal("0.75")  # 2.25 - 1.5
    assert june["inspected"].units == 3 and june["inspected"].carried_units == 1


def test_june_hazards_summed_over_measures():
    june = by_key(picture("2022-06").summed)
    assert june["hazards_found"].value == 21  # M1 9 + 5 + 2, M2 3 + 2
    assert june["hazards_found"].this_month == 9  # taiyuan (9 - 4) + (3 - 1), shanxi 2
    assert june["hazards_fixed"].value == 15  # M1 6 + 5 + 1, M2 2 + 1
    assert june["hazards_fixed"].this_month == 7  # taiyuan (6 - 2) + (2 - 0), shanxi 1
    assert june["hazards_found"].units == 3 and june["hazards_found"].carried_units == 1


def test_may_totals_are_first_reports():
    may = picture("2022-05")
    assert [(t.indicator.key, t.value, t.this_month) for t in may.totals] == [
        ("inspected", 17, 17),  # 10 + 7
        ("penalties", 3, 3),  # 2 + 1
        ("fines", Decimal("2.0"), Decimal("2.0")),  # 1.5 + 0.5
        ("hazards_found", 12, 12),  # 4 + 1 + 5 + 2
        ("hazards_fixed", 8, 8),  # 2 + 0 + 5 + 1
    ]


def test_yes_no_counts_the_units_that_answered_yes():
    may, june = picture("2022-05"), picture("2022-06")
    m2 = {p.measure.number: p for p in june.measures}[2]
    mechanism = next(t for t in m2.indicators if t.indicator.key == "mechanism")
    assert mechanism.value == 2 and mechanism.this_month is None  # taiyuan 是, datong 是 (carried)
    may_m2 = {p.measure.number: p for p in may.measures}[2]
    assert next(t for t in may_m2.indicators if t.indicator.key == "mechanism").value == 1  # taiyuan 否, datong 是
    own = june.figures["taiyuan"].values[2, "mechanism"]
    assert own.value == 1 and own.this_month is None and own.carried_from is None
    assert may.figures["taiyuan"].values[2, "mechanism"].value == 0


def test_a_unit_carries_its_enforcement_block():
    datong = picture("2022-06").figures["datong"].enforcement
    assert datong["inspected"].value == 7 and datong["inspected"].carried_from == "2022-05"
    assert datong["inspected"].this_month is None
