"""The month picture worked out by hand on a tiny data set (tests/fixtures/aggregate).

Every expected number below is computed from the fixture's files, the computation written beside it.
The data set in short (cumulative year-to-date figures; issue date 2022-02-15, report day 30):

    unit     month    submitted   M1 checked/found/fixed/fines  M2 sessions  M3 listed  M4 items/closed
    taiyuan  2022-02  2022-03-01  5 / 4 / 1 / 0.1               -            10 推进中   0 / 0 未启动
    taiyuan  2022-05  2022-05-27  12 / 10 / 4 / 0.2             -            22 已完成   0 / 0 推进中
    taiyuan  2022-06  2022-06-30  30 / 20 / 9 / 12.5            -            22 已完成   0 / 0 推进中
    datong   2022-05  2022-06-02  3 / 2 / 2 / 0.1               -            9 推进中    0 / 0 推进中
    datong   2022-06  2022-07-01  12 / 4 / 3 / 0.35             -            15 推进中   (no figures) 推进中
    shanxi   2022-05  2022-05-30  8 / 6 / 6 / 12.5              1 已完成     -          -

M1 各级 (年底前 = 2022-12-31), M2 省应急管理厅 (6 月底前 = 2022-06-30),
M3 市、县 (5 月底前 = 2022-05-31), M4 县、区 (年底前; the cities report it, having no counties).

The 统计口径 of issue 14 (README) changed some expectations; each such test says “issue 14” and what
changed: a missing unit's latest report is carried (totals, counts, rates, done), a figure left out
stands at the latest report that has it, reports submitted after as_of do not count yet, a unit is
未到报送日 on the report day itself, and deadlines and pace are measured at the month's end.
Figure tests use AFTER as as_of, when every report of the fixture has been submitted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import TESTS
from yejin.checking.dataset import load_dataset
from yejin.picture import aggregate
from yejin.picture.aggregate import build_picture
from yejin.words import GREEN, LATE, MISSING, NOT_DUE, ON_TIME, PENDING, RED, YELLOW

FIXTURE = TESTS / "fixtures" / "aggregate"
D = dt.date
ISSUE = D(2022, 2, 15)
AFTER = D(2022, 7, 5)  # every report of the fixture submitted (the latest, datong's June, on 2022-07-01)


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
    may = build_picture(data, "2022-05", AFTER)
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


def test_a_unit_stands_with_its_latest_report(data):
    # issue 14: the picture keeps the report a unit stands with (latest), not "the previous report"
    may = build_picture(data, "2022-05", AFTER)
    june = build_picture(data, "2022-06", AFTER)
    assert may.figures["taiyuan"].latest.month == "2022-05" and may.figures["taiyuan"].carried_from is None
    assert may.figures["datong"].latest.month == "2022-05"  # first report of the year
    assert june.figures["shanxi"].report is None  # missed June
    assert june.figures["shanxi"].latest.month == "2022-05"  # its latest report: carried (沿用)
    assert june.figures["shanxi"].carried_from == "2022-05"
    assert submission(june, "shanxi").carried_from == "2022-05"
    feb = build_picture(data, "2022-02", AFTER)
    assert feb.figures["datong"].latest is None and submission(feb, "datong").never  # nothing to carry


# --- totals and 本月 --------------------------------------------------------------------------


def test_june_cumulative_totals_carry_the_missing_units_latest_figures(data):
    # issue 14 (rule 2): shanxi missed June; its May figures (8 / 6 / 6 / 12.5) are carried, not dropped
    june = build_picture(data, "2022-06", AFTER)
    assert total(june, 1, "checked").value == Decimal(50)  # taiyuan 30 + datong 12 + shanxi 8 (May)
    assert total(june, 1, "found").value == Decimal(30)  # 20 + 4 + 6
    assert total(june, 1, "fixed").value == Decimal(18)  # 9 + 3 + 6
    assert total(june, 1, "fines").value == Decimal("25.35")  # 12.5 + 0.35 + 12.5
    assert (total(june, 1, "checked").units, total(june, 1, "checked").carried_units) == (3, 1)  # shanxi
    assert unit_value(june, "shanxi", 1, "checked").carried_from == "2022-05"
    assert total(june, 3, "listed").value == Decimal(37)  # 22 + 15
    may = build_picture(data, "2022-05", AFTER)
    assert total(june, 1, "checked").value >= total(may, 1, "checked").value  # 50 >= 23: never falls


def test_june_this_month_is_cumulative_minus_previous_report(data):
    june = build_picture(data, "2022-06", AFTER)
    # shanxi's carried figures have no 本月 (issue 14, rule 3): the 本月 total adds taiyuan and datong
    assert unit_value(june, "shanxi", 1, "checked").this_month is None
    assert total(june, 1, "checked").this_month == Decimal(27)  # (30 - 12) + (12 - 3) = 18 + 9
    assert total(june, 1, "found").this_month == Decimal(12)  # (20 - 10) + (4 - 2) = 10 + 2
    assert total(june, 1, "fixed").this_month == Decimal(6)  # (9 - 4) + (3 - 2) = 5 + 1
    assert total(june, 1, "fines").this_month == Decimal("12.55")  # (12.5 - 0.2) + (0.35 - 0.1) = 12.3 + 0.25
    assert total(june, 3, "listed").this_month == Decimal(6)  # (22 - 22) + (15 - 9) = 0 + 6


def test_may_this_month_spans_back_to_the_previous_report_or_is_the_whole_figure(data):
    may = build_picture(data, "2022-05", AFTER)
    assert unit_value(may, "taiyuan", 1, "checked").this_month == Decimal(7)  # 12 - 5 (February's report)
    assert unit_value(may, "taiyuan", 1, "fixed").this_month == Decimal(3)  # 4 - 1
    assert unit_value(may, "datong", 1, "checked").this_month == Decimal(3)  # no earlier report: all of 3
    assert unit_value(may, "shanxi", 1, "found").this_month == Decimal(6)  # no earlier report: all of 6
    assert total(may, 1, "checked").value == Decimal(23)  # 8 + 12 + 3
    assert total(may, 1, "checked").this_month == Decimal(18)  # 8 + 7 + 3
    assert total(may, 1, "found").this_month == Decimal(14)  # 6 + (10 - 4) + 2
    assert total(may, 3, "listed").this_month == Decimal(21)  # (22 - 10) + 9


def test_amounts_are_exact_decimals(data):
    may = build_picture(data, "2022-05", AFTER)
    june = build_picture(data, "2022-06", AFTER)
    fines = total(may, 1, "fines")
    assert isinstance(fines.value, Decimal)
    assert fines.value == Decimal("12.8")  # 12.5 + 0.2 + 0.1 (in floats: 12.799999999999999)
    assert fines.this_month == Decimal("12.7")  # 12.5 + (0.2 - 0.1) + 0.1
    assert unit_value(june, "datong", 1, "fines").this_month == Decimal("0.25")  # 0.35 - 0.1 (floats: 0.2499…)
    assert unit_value(june, "taiyuan", 1, "fines").this_month == Decimal("12.3")  # 12.5 - 0.2


# --- rates -------------------------------------------------------------------------------------


def test_june_rate_is_computed_from_summed_parts_not_averaged(data):
    june = build_picture(data, "2022-06", AFTER)
    fix_rate = total(june, 1, "fix_rate")
    # issue 14: shanxi's May parts are carried: 9 + 3 + 6, 20 + 4 + 6
    assert (fix_rate.numerator, fix_rate.denominator) == (Decimal(18), Decimal(30))
    assert fix_rate.value == Decimal(60)  # 18 * 100 / 30
    assert fix_rate.this_month is None  # no 本月 for a rate
    units = [unit_value(june, u, 1, "fix_rate").value for u in ("shanxi", "taiyuan", "datong")]
    assert units == [Decimal(100), Decimal(45), Decimal(75)]  # 6 * 100 / 6, 9 * 100 / 20, 3 * 100 / 4
    assert sum(units) / 3 == Decimal(220) / 3 != fix_rate.value  # averaging the units' rates would say 73.3


def test_may_rate_from_summed_parts_differs_from_the_average(data):
    may = build_picture(data, "2022-05", AFTER)
    fix_rate = total(may, 1, "fix_rate")
    assert (fix_rate.numerator, fix_rate.denominator) == (Decimal(12), Decimal(18))  # 6 + 4 + 2, 6 + 10 + 2
    assert fix_rate.value == Decimal(1200) / Decimal(18)  # 12 * 100 / 18 = 66.67
    assert fix_rate.value.quantize(Decimal("0.01")) == Decimal("66.67")
    units = [unit_value(may, u, 1, "fix_rate").value for u in ("shanxi", "taiyuan", "datong")]
    assert units == [Decimal(100), Decimal(40), Decimal(100)]  # 6/6, 4/10, 2/2
    assert sum(units) / 3 == Decimal(80)  # the average of the units' rates: not what is shown


def test_zero_denominator_gives_none_for_units_and_total(data):
    june = build_picture(data, "2022-06", AFTER)
    closure = total(june, 4, "closure_rate")
    # issue 14: datong's June entry for M4 has no figures, so its May 0 / 0 stands (carried)
    assert (closure.numerator, closure.denominator) == (Decimal(0), Decimal(0))  # taiyuan 0 / 0, datong 0 / 0
    assert (closure.units, closure.carried_units) == (2, 1)
    assert closure.value is None  # 0 / 0: shown as "/"
    assert closure.achieved_share is None and closure.behind_pace is False  # target 100, but nothing to compare
    assert unit_value(june, "taiyuan", 4, "closure_rate").value is None
    assert unit_value(june, "datong", 4, "closure_rate").carried_from == "2022-05"


# --- submissions -------------------------------------------------------------------------------


def test_june_submissions_on_time_late_and_missing(data):
    june = build_picture(data, "2022-06", D(2022, 7, 1))
    due = D(2022, 6, 30)  # report_day 30
    assert [(s.unit.id, s.state, s.due, s.submitted, s.days_late) for s in june.submissions] == [
        ("shanxi", MISSING, due, None, 0),  # no June report, as of Jul 1 (after the report day)
        ("taiyuan", ON_TIME, due, D(2022, 6, 30), 0),  # on the report day itself: on time
        ("datong", LATE, due, D(2022, 7, 1), 1),  # Jul 1 - Jun 30 = 1 day
    ]
    assert june.submission_counts() == {ON_TIME: 1, LATE: 1, MISSING: 0, NOT_DUE: 0}  # issue 14: cities only
    assert submission(june, "shanxi").department  # the department has its own row, out of the counts


def test_missing_report_is_not_due_up_to_and_on_the_report_day(data):
    # issue 14 (finding 4): a report submitted after as_of does not count yet; taiyuan's (Jun 30) and
    # datong's (Jul 1) were not in on Jun 29.  Before, they counted and the unit showed 按时 / 迟报.
    before = build_picture(data, "2022-06", D(2022, 6, 29))
    assert [submission(before, u).state for u in ("shanxi", "taiyuan", "datong")] == [NOT_DUE] * 3
    assert before.submission_counts() == {ON_TIME: 0, LATE: 0, MISSING: 0, NOT_DUE: 2}  # cities only
    # issue 14 (finding 5): on the report day itself a unit without its report is not yet 未报
    on_the_day = build_picture(data, "2022-06", D(2022, 6, 30))
    assert [submission(on_the_day, u).state for u in ("shanxi", "taiyuan", "datong")] == [NOT_DUE, ON_TIME, NOT_DUE]


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
    taiyuan = submission(after, "taiyuan")  # issue 14: as of Feb 27 taiyuan's report (Mar 1) is not in yet
    assert (taiyuan.state, taiyuan.days_late) == (LATE, 1)  # Mar 1 - Feb 28 = 1 (not due "Feb 30")
    assert [submission(before, u).state for u in ("shanxi", "taiyuan", "datong")] == [NOT_DUE] * 3  # Feb 27 < 28
    assert [submission(after, u).state for u in ("shanxi", "datong")] == [MISSING, MISSING]  # Mar 1 > Feb 28


def test_missing_unit_keeps_contacts_of_its_latest_report(data):
    june = build_picture(data, "2022-06", D(2022, 7, 1))
    assert submission(june, "shanxi").contacts["a"] == {"name": "省甲", "phone": "0351-1000001"}  # from May
    assert submission(june, "taiyuan").contacts["a"]["name"] == "太丙"  # June's A changed from May's 太甲
    feb = build_picture(data, "2022-02", D(2022, 3, 1))
    assert submission(feb, "datong").contacts is None  # no report yet this year


# --- pace, deadlines and warnings --------------------------------------------------------------


def test_measure_time_share_and_days_left(data):
    june = build_picture(data, "2022-06", AFTER)  # issue 14: measured at the month's end whatever the as_of
    m1, m2, m3 = measure(june, 1), measure(june, 2), measure(june, 3)
    assert (m1.deadline, m1.days_left, m1.time_share) == (D(2022, 12, 31), 184, 135 / 319)  # 31+31+30+31+30+31
    assert (m2.deadline, m2.days_left, m2.time_share) == (D(2022, 6, 30), 0, 1.0)  # 135 / 135
    assert (m3.deadline, m3.days_left, m3.time_share) == (D(2022, 5, 31), -30, 1.0)  # 30 days overdue; clamped
    may = build_picture(data, "2022-05", AFTER)
    assert (measure(may, 2).days_left, measure(may, 2).time_share) == (30, 105 / 135)  # 30 days of June left


def test_achieved_share_and_behind_pace(data):
    june = build_picture(data, "2022-06", AFTER)
    checked = total(june, 1, "checked")
    # issue 14: shanxi's carried 8 counts: 50 / 100 (was 42, behind pace)
    assert checked.achieved_share == 0.5
    assert not checked.behind_pace  # 0.5 >= 135 / 319 = 0.4232
    fix_rate = total(june, 1, "fix_rate")
    assert fix_rate.achieved_share == 0.6 and not fix_rate.behind_pace  # 60% / 100%
    assert total(june, 1, "found").achieved_share is None  # no target
    listed = total(june, 3, "listed")
    assert listed.achieved_share == 0.925 and listed.behind_pace  # 37 / 40 < time share 1.0


def test_pace_is_measured_at_the_month_end_whatever_the_as_of(data):
    # issue 14 (rule 1): 序时进度 is measured at the period end; as_of only decides which reports are in
    early = build_picture(data, "2022-06", D(2022, 6, 20))
    m1 = measure(early, 1)
    assert m1.time_share == measure(build_picture(data, "2022-06", AFTER), 1).time_share == 135 / 319
    # on Jun 20 nobody had reported June: every figure of M1 is carried from May, so M1 is 待报, not judged
    assert m1.pending and [u.carried_from for u in m1.units] == ["2022-05"] * 3
    assert total(early, 1, "checked").value == Decimal(23)  # 8 + 12 + 3 (May), 23 / 100 < 0.4232
    assert not total(early, 1, "checked").behind_pace
    assert (m1.warning, m1.reasons) == (PENDING, ["责任单位本月尚未报告（数据截至5月），不判断序时进度"])


def test_yellow_when_behind_pace(data):
    # issue 14: June's M1 is on pace now (shanxi carried); May shows a measure behind pace
    may = build_picture(data, "2022-05", AFTER)
    m1 = measure(may, 1)
    assert m1.warning == YELLOW  # 214 days left (> 30), but checked is behind pace
    assert [t.indicator.key for t in m1.behind_pace] == ["checked"]
    assert m1.reasons == ["检查企业数完成目标的23.0%，低于序时进度32.9%"]  # (8 + 12 + 3) / 100; 105 / 319


def test_red_when_past_deadline_and_not_done(data):
    june = build_picture(data, "2022-06", AFTER)
    m3 = measure(june, 3)
    assert m3.warning == RED  # deadline May 31, as of Jun 30; datong still 推进中
    assert [u.unit.id for u in m3.not_done] == ["datong"]  # taiyuan reported 已完成
    assert not m3.done
    assert m3.reasons == ["已超过完成时限30天，1个单位未完成"]  # red ends there: no pace reason for listed


def test_yellow_near_deadline_adds_pace_reason(data):
    may = build_picture(data, "2022-05", D(2022, 6, 5))  # issue 14: datong's May report came in on Jun 2
    m3 = measure(may, 3)
    assert (m3.days_left, m3.warning) == (0, YELLOW)  # deadline day itself: not yet red
    assert m3.reasons == [
        "距完成时限0天，1个单位未完成",  # datong 推进中 in May
        "列入清单企业数完成目标的77.5%，低于序时进度100.0%",  # (22 + 9) / 40 = 0.775; 105 / 105
    ]


def test_within_decides_how_near_a_deadline_turns_yellow(data):
    # issue 14: days to the deadline are counted from the month's end.  November: Nov 30 -> Dec 31 = 31 days
    # for M4; nobody has reported since June, so M4 is also 待报 (no pace judged)
    near = measure(build_picture(data, "2022-11", AFTER, within=31), 4)
    assert (near.days_left, near.warning, near.pending) == (31, YELLOW, True)
    assert near.reasons == [
        "距完成时限31天，2个单位未完成",  # taiyuan and datong 推进中 (June)
        "责任单位本月尚未报告（数据截至6月），不判断序时进度",
    ]
    far = measure(build_picture(data, "2022-11", AFTER, within=30), 4)
    assert (far.warning, far.reasons) == (PENDING, ["责任单位本月尚未报告（数据截至6月），不判断序时进度"])


def test_green_when_done_even_with_deadline_near(data):
    may = build_picture(data, "2022-05", D(2022, 5, 31))
    m2 = measure(may, 2)
    assert m2.days_left == 30 and m2.done  # would be yellow with within=30 if not done
    assert (m2.warning, m2.reasons) == (GREEN, [])
    assert total(may, 2, "sessions").achieved_share == 1.0  # 1 / 1


def test_done_survives_a_missed_later_month(data):
    june = build_picture(data, "2022-06", AFTER)
    m2 = measure(june, 2)
    (shanxi,) = m2.units
    # issue 14: the status is carried and marked, and the counts use it too (they said 未报 before)
    assert (shanxi.status, shanxi.month, shanxi.carried_from) == ("已完成", "2022-05", "2022-05")
    assert shanxi.done and m2.done and not m2.pending
    assert m2.counts == {"已完成": 1, "推进中": 0, "未启动": 0, "未报": 0} and m2.carried == 1
    assert (m2.days_left, m2.warning) == (0, GREEN)  # the deadline day at the month's end; done: no light
    assert total(june, 2, "sessions").value == Decimal(1)  # issue 14: carried (was 0, "not guessed")


def test_status_counts_of_the_month(data):
    june = build_picture(data, "2022-06", AFTER)
    # issue 14: counts use the carried status, as `done` does: shanxi's May 推进中 (it was 未报)
    assert measure(june, 1).counts == {"已完成": 0, "推进中": 3, "未启动": 0, "未报": 0}
    assert measure(june, 1).carried == 1
    assert measure(june, 3).counts == {"已完成": 1, "推进中": 1, "未启动": 0, "未报": 0}
    # datong's June report has M4 with a status and no figures: its status is June's
    m4 = measure(june, 4)
    assert m4.counts == {"已完成": 0, "推进中": 2, "未启动": 0, "未报": 0}
    assert [(u.status, u.month, u.carried_from) for u in m4.units] == [
        ("推进中", "2022-06", None),
        ("推进中", "2022-06", None),
    ]
    feb = build_picture(data, "2022-02", D(2022, 3, 1))
    assert measure(feb, 4).counts == {"已完成": 0, "推进中": 0, "未启动": 1, "未报": 1}  # taiyuan 未启动, datong none


def test_warning_counts_of_june(data):
    june = build_picture(data, "2022-06", AFTER)
    # issue 14: M1 is on pace with shanxi's carried figures (it was yellow)
    assert [m.warning for m in june.measures] == [GREEN, GREEN, RED, GREEN]  # on pace, done, overdue, on track
    assert june.warning_counts() == {RED: 1, YELLOW: 0, GREEN: 3, PENDING: 0}


def test_unit_completion_counts_done_measures_per_unit(data):
    june = build_picture(data, "2022-06", AFTER)
    assert aggregate.unit_completion(june) == {
        "shanxi": (1, 2),  # M2 done in May (kept though June is missing); M1 推进中
        "taiyuan": (1, 3),  # M3 已完成; M1, M4 推进中
        "datong": (0, 3),  # M1, M3 推进中; M4 left out (推进中 in May)
    }
    feb = build_picture(data, "2022-02", D(2022, 3, 1))
    assert aggregate.unit_completion(feb) == {"shanxi": (0, 2), "taiyuan": (0, 3), "datong": (0, 3)}
