"""The month picture worked out by hand on a tiny data set (tests/fixtures/aggregate).

Every expected number below is computed from the fixture's files, the computation written beside it.
The data set in short (cumulative year-to-date figures; issue date 2022-02-15, report day 30):

    unit     month    submitted   M1 checked/found/fixed/fines  M2 sessions  M3 listed  M4 items/closed
    taiyuan  2022-02  2022-03-01  5 / 4 / 1 / 0.1               -            10 推进中   0 / 0
    taiyuan  2022-05  2022-05-27  12 / 10 / 4 / 0.2             -            22 已完成   0 / 0
    taiyuan  2022-06  2022-06-30  30 / 20 / 9 / 12.5            -            22 已完成   0 / 0
    datong   2022-05  2022-06-02  3 / 2 / 2 / 0.1               -            9 推进中    0 / 0
    datong   2022-06  2022-07-01  12 / 4 / 3 / 0.35             -            15 推进中   (left out)
    shanxi   2022-05  2022-05-30  8 / 6 / 6 / 12.5              1 已完成     -          -

M1 各级 (年底前 = 2022-12-31), M2 省应急管理厅 (6 月底前 = 2022-06-30),
M3 市、县 (5 月底前 = 2022-05-31), M4 县、区 (年底前; the cities report it, having no counties).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import TESTS
from yejin.checking.dataset import load_dataset
from yejin.picture import aggregate
from yejin.picture.aggregate import build_picture
from yejin.words import GREEN, LATE, MISSING, NOT_DUE, ON_TIME, RED, YELLOW

FIXTURE = TESTS / "fixtures" / "aggregate"
D = dt.date
ISSUE = D(2022, 2, 15)


@pytest.fixture(scope="module")
def data():
    loaded = load_dataset(FIXTURE, today=D(2022, 12, 31), cache=False)
    assert loaded.problems == []
    return loaded


def measure(picture, number):
    return next(m for m in picture.measures if m.measure.number == number)


def total(picture, number, key):
    return next(t for t in measure(picture, number).indicators if t.indicator.key == key)


def unit_value(picture, unit_id, number, key):
    return picture.figures[unit_id].values[number, key]


def submission(picture, unit_id):
    return next(s for s in picture.submissions if s.unit.id == unit_id)


# --- helpers called directly -------------------------------------------------------------------


def test_time_share_counts_days_from_issue_to_deadline():
    # Feb 15 -> Jun 30: 13 (rest of Feb) + 31 + 30 + 31 + 30 = 135; -> Dec 31: 135 + 31+31+30+31+30+31 = 319
    assert aggregate.time_share(ISSUE, D(2022, 12, 31), D(2022, 6, 30)) == 135 / 319
    # Feb 15 -> May 31: 13 + 31 + 30 + 31 = 105, out of 135 days to Jun 30
    assert aggregate.time_share(ISSUE, D(2022, 6, 30), D(2022, 5, 31)) == 105 / 135
    # Feb 15 -> Feb 28: 13 days of 319
    assert aggregate.time_share(ISSUE, D(2022, 12, 31), D(2022, 2, 28)) == 13 / 319


def test_time_share_is_clamped_to_zero_and_one():
    assert aggregate.time_share(ISSUE, D(2022, 12, 31), D(2022, 2, 1)) == 0.0  # before the issue date: -14/319 -> 0
    assert aggregate.time_share(ISSUE, D(2022, 5, 31), D(2022, 6, 30)) == 1.0  # 135/105 -> 1
    assert aggregate.time_share(ISSUE, ISSUE, D(2022, 3, 1)) == 1.0  # no time given at all
    assert aggregate.time_share(ISSUE, D(2022, 2, 1), D(2022, 2, 10)) == 1.0  # deadline before the issue date


def test_rate_is_a_percentage_of_parts_and_none_without_denominator():
    assert aggregate.rate(Decimal("12.5"), Decimal(50)) == Decimal(25)  # 12.5 * 100 / 50
    assert aggregate.rate(Decimal(2), Decimal(3)) == Decimal(200) / Decimal(3)  # 66.66...
    assert aggregate.rate(Decimal(3), Decimal(0)) is None  # numerator without a denominator: "/"


# --- who reports what --------------------------------------------------------------------------


def test_measures_apply_to_the_levels_of_the_responsible_text(data):
    june = build_picture(data, "2022-06", D(2022, 6, 30))
    ids = {m.measure.number: [u.unit.id for u in m.units] for m in june.measures}
    assert ids == {
        1: ["shanxi", "taiyuan", "datong"],  # 各级应急管理部门: every level, in tasks.yaml's order
        2: ["shanxi"],  # 省应急管理厅: the province only, not asked of the cities
        3: ["taiyuan", "datong"],  # 市、县应急管理部门: the cities
        4: ["taiyuan", "datong"],  # 县、区: cities without counties report it for their area
    }


def test_unit_figures_hold_only_the_units_measures(data):
    may = build_picture(data, "2022-05", D(2022, 5, 31))
    assert set(may.figures["shanxi"].values) == {
        (1, "checked"),
        (1, "found"),
        (1, "fixed"),
        (1, "fix_rate"),
        (1, "fines"),
        (2, "sessions"),
    }
    assert set(may.figures["datong"].values) == {
        (1, "checked"),
        (1, "found"),
        (1, "fixed"),
        (1, "fix_rate"),
        (1, "fines"),
        (3, "listed"),
        (4, "items"),
        (4, "closed"),
        (4, "closure_rate"),
    }


def test_previous_report_is_the_units_latest_earlier_one(data):
    may = build_picture(data, "2022-05", D(2022, 5, 31))
    june = build_picture(data, "2022-06", D(2022, 6, 30))
    assert may.figures["taiyuan"].previous.month == "2022-02"  # no March or April report
    assert may.figures["datong"].previous is None  # first report of the year
    assert june.figures["taiyuan"].previous.month == "2022-05"
    assert june.figures["shanxi"].report is None  # missed June
    assert june.figures["shanxi"].previous.month == "2022-05"  # its latest report, kept for contacts


# --- totals and 本月 --------------------------------------------------------------------------


def test_june_cumulative_totals_add_the_months_reports_only(data):
    june = build_picture(data, "2022-06", D(2022, 6, 30))
    # shanxi missed June: its May figures (8 / 6 / 6 / 12.5) are not carried over
    assert total(june, 1, "checked").value == Decimal(42)  # taiyuan 30 + datong 12
    assert total(june, 1, "found").value == Decimal(24)  # 20 + 4
    assert total(june, 1, "fixed").value == Decimal(12)  # 9 + 3
    assert total(june, 1, "fines").value == Decimal("12.85")  # 12.5 + 0.35
    assert total(june, 3, "listed").value == Decimal(37)  # 22 + 15


def test_june_this_month_is_cumulative_minus_previous_report(data):
    june = build_picture(data, "2022-06", D(2022, 6, 30))
    assert total(june, 1, "checked").this_month == Decimal(27)  # (30 - 12) + (12 - 3) = 18 + 9
    assert total(june, 1, "found").this_month == Decimal(12)  # (20 - 10) + (4 - 2) = 10 + 2
    assert total(june, 1, "fixed").this_month == Decimal(6)  # (9 - 4) + (3 - 2) = 5 + 1
    assert total(june, 1, "fines").this_month == Decimal("12.55")  # (12.5 - 0.2) + (0.35 - 0.1) = 12.3 + 0.25
    assert total(june, 3, "listed").this_month == Decimal(6)  # (22 - 22) + (15 - 9) = 0 + 6


def test_may_this_month_spans_back_to_the_previous_report_or_is_the_whole_figure(data):
    may = build_picture(data, "2022-05", D(2022, 5, 31))
    assert unit_value(may, "taiyuan", 1, "checked").this_month == Decimal(7)  # 12 - 5 (February's report)
    assert unit_value(may, "taiyuan", 1, "fixed").this_month == Decimal(3)  # 4 - 1
    assert unit_value(may, "datong", 1, "checked").this_month == Decimal(3)  # no earlier report: all of 3
    assert unit_value(may, "shanxi", 1, "found").this_month == Decimal(6)  # no earlier report: all of 6
    assert total(may, 1, "checked").value == Decimal(23)  # 8 + 12 + 3
    assert total(may, 1, "checked").this_month == Decimal(18)  # 8 + 7 + 3
    assert total(may, 1, "found").this_month == Decimal(14)  # 6 + (10 - 4) + 2
    assert total(may, 3, "listed").this_month == Decimal(21)  # (22 - 10) + 9


def test_amounts_are_exact_decimals(data):
    may = build_picture(data, "2022-05", D(2022, 5, 31))
    june = build_picture(data, "2022-06", D(2022, 6, 30))
    fines = total(may, 1, "fines")
    assert isinstance(fines.value, Decimal)
    assert fines.value == Decimal("12.8")  # 12.5 + 0.2 + 0.1 (in floats: 12.799999999999999)
    assert fines.this_month == Decimal("12.7")  # 12.5 + (0.2 - 0.1) + 0.1
    assert unit_value(june, "datong", 1, "fines").this_month == Decimal("0.25")  # 0.35 - 0.1 (floats: 0.2499…)
    assert unit_value(june, "taiyuan", 1, "fines").this_month == Decimal("12.3")  # 12.5 - 0.2


# --- rates -------------------------------------------------------------------------------------


def test_june_rate_is_computed_from_summed_parts_not_averaged(data):
    june = build_picture(data, "2022-06", D(2022, 6, 30))
    fix_rate = total(june, 1, "fix_rate")
    assert (fix_rate.numerator, fix_rate.denominator) == (Decimal(12), Decimal(24))  # 9 + 3, 20 + 4
    assert fix_rate.value == Decimal(50)  # 12 * 100 / 24
    assert fix_rate.this_month is None  # no 本月 for a rate
    units = [unit_value(june, u, 1, "fix_rate").value for u in ("taiyuan", "datong")]
    assert units == [Decimal(45), Decimal(75)]  # 9 * 100 / 20, 3 * 100 / 4
    assert sum(units) / 2 == Decimal(60) != fix_rate.value  # averaging the units' rates would say 60


def test_may_rate_from_summed_parts_differs_from_the_average(data):
    may = build_picture(data, "2022-05", D(2022, 5, 31))
    fix_rate = total(may, 1, "fix_rate")
    assert (fix_rate.numerator, fix_rate.denominator) == (Decimal(12), Decimal(18))  # 6 + 4 + 2, 6 + 10 + 2
    assert fix_rate.value == Decimal(1200) / Decimal(18)  # 12 * 100 / 18 = 66.67
    assert fix_rate.value.quantize(Decimal("0.01")) == Decimal("66.67")
    units = [unit_value(may, u, 1, "fix_rate").value for u in ("shanxi", "taiyuan", "datong")]
    assert units == [Decimal(100), Decimal(40), Decimal(100)]  # 6/6, 4/10, 2/2
    assert sum(units) / 3 == Decimal(80)  # the average of the units' rates: not what is shown


def test_zero_denominator_gives_none_for_units_and_total(data):
    june = build_picture(data, "2022-06", D(2022, 6, 30))
    closure = total(june, 4, "closure_rate")
    assert (closure.numerator, closure.denominator) == (Decimal(0), Decimal(0))  # taiyuan 0 / 0; datong left M4 out
    assert closure.value is None  # 0 / 0: shown as "/"
    assert closure.achieved_share is None and closure.behind_pace is False  # target 100, but nothing to compare
    assert unit_value(june, "taiyuan", 4, "closure_rate").value is None
    assert (4, "closure_rate") not in june.figures["datong"].values  # no entry at all for a measure left out


# --- submissions -------------------------------------------------------------------------------


def test_june_submissions_on_time_late_and_missing(data):
    june = build_picture(data, "2022-06", D(2022, 7, 1))
    due = D(2022, 6, 30)  # report_day 30
    assert [(s.unit.id, s.state, s.due, s.submitted, s.days_late) for s in june.submissions] == [
        ("shanxi", MISSING, due, None, 0),  # no June report, as of Jul 1 (after the report day)
        ("taiyuan", ON_TIME, due, D(2022, 6, 30), 0),  # on the report day itself: on time
        ("datong", LATE, due, D(2022, 7, 1), 1),  # Jul 1 - Jun 30 = 1 day
    ]
    assert june.submission_counts() == {ON_TIME: 1, LATE: 1, MISSING: 1, NOT_DUE: 0}


def test_missing_report_is_not_due_before_the_report_day(data):
    june = build_picture(data, "2022-06", D(2022, 6, 29))
    assert submission(june, "shanxi").state == NOT_DUE  # Jun 29 < Jun 30
    assert june.submission_counts() == {ON_TIME: 1, LATE: 1, MISSING: 0, NOT_DUE: 1}


def test_may_submission_three_days_late(data):
    may = build_picture(data, "2022-05", D(2022, 6, 5))
    late = submission(may, "datong")
    assert (late.state, late.due, late.days_late) == (LATE, D(2022, 5, 30), 3)  # Jun 2 - May 30 = 1 + 2 days
    assert submission(may, "shanxi").state == ON_TIME  # submitted May 30, the report day
    assert submission(may, "taiyuan").days_late == 0  # May 27: early, not negative


def test_february_report_day_is_the_last_day_of_the_month(data):
    before = build_picture(data, "2022-02", D(2022, 2, 27))
    after = build_picture(data, "2022-02", D(2022, 3, 1))
    feb_end = D(2022, 2, 28)  # report_day 30 > 28 days in February 2022
    assert {s.due for s in before.submissions} == {feb_end}
    taiyuan = submission(before, "taiyuan")
    assert (taiyuan.state, taiyuan.days_late) == (LATE, 1)  # Mar 1 - Feb 28 = 1 (not due "Feb 30")
    assert [submission(before, u).state for u in ("shanxi", "datong")] == [NOT_DUE, NOT_DUE]  # Feb 27 < Feb 28
    assert [submission(after, u).state for u in ("shanxi", "datong")] == [MISSING, MISSING]  # Mar 1 > Feb 28


def test_missing_unit_keeps_contacts_of_its_latest_report(data):
    june = build_picture(data, "2022-06", D(2022, 7, 1))
    assert submission(june, "shanxi").contacts["a"] == {"name": "省甲", "phone": "0351-1000001"}  # from May
    assert submission(june, "taiyuan").contacts["a"]["name"] == "太丙"  # June's A changed from May's 太甲
    feb = build_picture(data, "2022-02", D(2022, 3, 1))
    assert submission(feb, "datong").contacts is None  # no report yet this year


# --- pace, deadlines and warnings --------------------------------------------------------------


def test_measure_time_share_and_days_left(data):
    june = build_picture(data, "2022-06", D(2022, 6, 30))
    m1, m2, m3 = measure(june, 1), measure(june, 2), measure(june, 3)
    assert (m1.deadline, m1.days_left, m1.time_share) == (D(2022, 12, 31), 184, 135 / 319)  # 31+31+30+31+30+31
    assert (m2.deadline, m2.days_left, m2.time_share) == (D(2022, 6, 30), 0, 1.0)  # 135 / 135
    assert (m3.deadline, m3.days_left, m3.time_share) == (D(2022, 5, 31), -30, 1.0)  # 30 days overdue; clamped
    may = build_picture(data, "2022-05", D(2022, 5, 31))
    assert (measure(may, 2).days_left, measure(may, 2).time_share) == (30, 105 / 135)  # 30 days of June left


def test_achieved_share_and_behind_pace(data):
    june = build_picture(data, "2022-06", D(2022, 6, 30))
    checked = total(june, 1, "checked")
    assert checked.achieved_share == 0.42  # 42 / 100
    assert checked.behind_pace  # 0.42 < 135 / 319 = 0.4232
    fix_rate = total(june, 1, "fix_rate")
    assert fix_rate.achieved_share == 0.5 and not fix_rate.behind_pace  # 50% / 100%; 0.5 > 0.4232
    assert total(june, 1, "found").achieved_share is None  # no target
    listed = total(june, 3, "listed")
    assert listed.achieved_share == 0.925 and listed.behind_pace  # 37 / 40 < time share 1.0


def test_pace_depends_on_as_of(data):
    early = build_picture(data, "2022-06", D(2022, 6, 20))
    m1 = measure(early, 1)
    assert m1.time_share == 125 / 319  # Feb 15 -> Jun 20: 13 + 31 + 30 + 31 + 20 = 125
    assert not total(early, 1, "checked").behind_pace  # 0.42 >= 0.3918
    assert (m1.warning, m1.reasons) == (GREEN, [])  # 194 days left, on pace, not done: no light


def test_yellow_when_behind_pace(data):
    june = build_picture(data, "2022-06", D(2022, 6, 30))
    m1 = measure(june, 1)
    assert m1.warning == YELLOW  # 184 days left (> 30), but checked is behind pace
    assert [t.indicator.key for t in m1.behind_pace] == ["checked"]
    assert m1.reasons == ["检查企业数完成目标的 42.0%，低于序时进度 42.3%"]  # 42/100; 135/319 = 0.42320


def test_red_when_past_deadline_and_not_done(data):
    june = build_picture(data, "2022-06", D(2022, 6, 30))
    m3 = measure(june, 3)
    assert m3.warning == RED  # deadline May 31, as of Jun 30; datong still 推进中
    assert [u.unit.id for u in m3.not_done] == ["datong"]  # taiyuan reported 已完成
    assert not m3.done
    assert m3.reasons == ["已超过完成时限 30 天，1 个单位未完成"]  # red ends there: no pace reason for listed


def test_yellow_near_deadline_adds_pace_reason(data):
    may = build_picture(data, "2022-05", D(2022, 5, 31))
    m3 = measure(may, 3)
    assert (m3.days_left, m3.warning) == (0, YELLOW)  # deadline day itself: not yet red
    assert m3.reasons == [
        "距完成时限 0 天，1 个单位未完成",  # datong 推进中 in May
        "列入清单企业数完成目标的 77.5%，低于序时进度 100.0%",  # (22 + 9) / 40 = 0.775; 105 / 105
    ]


def test_within_decides_how_near_a_deadline_turns_yellow(data):
    december = D(2022, 12, 1)  # Dec 1 -> Dec 31 = 30 days left for M4
    near = measure(build_picture(data, "2022-06", december, within=30), 4)
    assert (near.days_left, near.warning) == (30, YELLOW)
    assert near.reasons == ["距完成时限 30 天，2 个单位未完成"]  # taiyuan 推进中, datong 未报
    far = measure(build_picture(data, "2022-06", december, within=29), 4)
    assert (far.warning, far.reasons) == (GREEN, [])  # 30 > 29; no targets that could fall behind (rate is None)
    late = measure(build_picture(data, "2022-06", D(2023, 1, 1)), 4)
    assert (late.days_left, late.warning) == (-1, RED)


def test_green_when_done_even_with_deadline_near(data):
    may = build_picture(data, "2022-05", D(2022, 5, 31))
    m2 = measure(may, 2)
    assert m2.days_left == 30 and m2.done  # would be yellow with within=30 if not done
    assert (m2.warning, m2.reasons) == (GREEN, [])
    assert total(may, 2, "sessions").achieved_share == 1.0  # 1 / 1


def test_done_survives_a_missed_later_month(data):
    june = build_picture(data, "2022-06", D(2022, 7, 5))
    m2 = measure(june, 2)
    (shanxi,) = m2.units
    assert (shanxi.status, shanxi.last_status, shanxi.last_month) == ("未报", "已完成", "2022-05")
    assert shanxi.done and m2.done
    assert m2.counts == {"已完成": 0, "推进中": 0, "未启动": 0, "未报": 1}  # the month itself: not reported
    assert (m2.days_left, m2.warning) == (-5, GREEN)  # past the deadline, but done: no red
    assert total(june, 2, "sessions").value == Decimal(0)  # the missing month is not guessed into the total


def test_status_counts_of_the_month(data):
    june = build_picture(data, "2022-06", D(2022, 6, 30))
    assert measure(june, 1).counts == {"已完成": 0, "推进中": 2, "未启动": 0, "未报": 1}  # shanxi missed June
    assert measure(june, 3).counts == {"已完成": 1, "推进中": 1, "未启动": 0, "未报": 0}
    # datong reported June but left measure 4 out: 未报 for it, its May status 推进中 as the last one
    m4 = measure(june, 4)
    assert m4.counts == {"已完成": 0, "推进中": 1, "未启动": 0, "未报": 1}
    assert [(u.status, u.last_status, u.last_month) for u in m4.units] == [
        ("推进中", "推进中", "2022-06"),
        ("未报", "推进中", "2022-05"),
    ]
    feb = build_picture(data, "2022-02", D(2022, 3, 1))
    assert measure(feb, 4).counts == {"已完成": 0, "推进中": 0, "未启动": 1, "未报": 1}  # taiyuan 未启动, datong none


def test_warning_counts_of_june(data):
    june = build_picture(data, "2022-06", D(2022, 6, 30))
    assert [m.warning for m in june.measures] == [YELLOW, GREEN, RED, GREEN]  # behind pace, done, overdue, on track
    assert june.warning_counts() == {RED: 1, YELLOW: 1, GREEN: 2}


def test_unit_completion_counts_done_measures_per_unit(data):
    june = build_picture(data, "2022-06", D(2022, 6, 30))
    assert aggregate.unit_completion(june) == {
        "shanxi": (1, 2),  # M2 done in May (kept though June is missing); M1 推进中
        "taiyuan": (1, 3),  # M3 已完成; M1, M4 推进中
        "datong": (0, 3),  # M1, M3 推进中; M4 left out (推进中 in May)
    }
    feb = build_picture(data, "2022-02", D(2022, 3, 1))
    assert aggregate.unit_completion(feb) == {"shanxi": (0, 2), "taiyuan": (0, 3), "datong": (0, 3)}
