"""The aggregation as plain functions, and its invariants over random valid report sets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TESTS
from yejin.campaign.models import Report
from yejin.checking.dataset import Dataset, LoadedReport, load_tasks
from yejin.picture import aggregate

FIXTURE = TESTS / "fixtures" / "status"
CAMPAIGN = load_tasks(FIXTURE)[0]


def test_time_share_and_rate():
    start, deadline = dt.date(2022, 3, 4), dt.date(2022, 12, 31)
    assert aggregate.time_share(start, deadline, dt.date(2022, 3, 4)) == 0
    assert aggregate.time_share(start, deadline, dt.date(2023, 1, 5)) == 1
    assert aggregate.time_share(start, deadline, dt.date(2022, 6, 30)) == 118 / 302
    assert aggregate.rate(Decimal(3), Decimal(4)) == Decimal(75)
    assert aggregate.rate(Decimal(0), Decimal(0)) is None


def _report(unit_id: str, month: str, entries: dict) -> LoadedReport:
    report = Report.model_validate(
        {
            "unit": unit_id,
            "month": month,
            "submitted": dt.date.fromisoformat(month + "-28"),
            "contacts": {"a": {"name": "甲", "phone": "0351-1234567"}, "b": {"name": "乙", "phone": "13912345678"}},
            "measures": entries,
        }
    )
    return LoadedReport(f"reports/{unit_id}/{month}.yaml", None, report, unit_id)


counts = st.integers(min_value=0, max_value=1000)
statuses = st.sampled_from(["未启动", "推进中", "已完成"])


@st.composite
def report_sets(draw):
    """For each unit: reported or not in May and June, random statuses, growing cumulative figures."""
    reports = []
    for unit in CAMPAIGN.units:
        previous: dict = {}
        for month in ("2022-05", "2022-06"):
            if not draw(st.booleans()):
                continue
            entries = {}
            for measure in CAMPAIGN.applicable_measures(unit):
                if not draw(st.booleans()):
                    continue  # a measure left out of the report counts as 未报
                values = {}
                for ind in measure.indicators:
                    if ind.kind == "rate":
                        continue
                    before = previous.get((measure.number, ind.key), 0)
                    values[ind.key] = before + draw(counts)
                for ind in measure.indicators:
                    if ind.kind == "rate" and values[ind.numerator] > values[ind.denominator]:
                        values[ind.numerator] = values[ind.denominator]
                previous.update({(measure.number, k): v for k, v in values.items()})
                entries[measure.number] = {"status": draw(statuses), "indicators": values}
            reports.append(_report(unit.id, month, entries))
    return reports


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report_sets())
def test_totals_are_sums_and_counts_add_up(reports):
    data = Dataset(root=FIXTURE, campaign=CAMPAIGN, reports=reports)
    picture = aggregate.build_picture(data, "2022-06", dt.date(2022, 6, 30))
    june = {r.unit_id: r.report for r in reports if r.month == "2022-06"}
    may = {r.unit_id: r.report for r in reports if r.month == "2022-05"}
    for progress in picture.measures:
        m = progress.measure
        assert sum(progress.counts.values()) == progress.applicable == len(CAMPAIGN.applicable_units(m))
        done = sum(1 for r in june.values() if m.number in r.measures and r.measures[m.number].status == "已完成")
        assert progress.counts["已完成"] == done
        for total in progress.indicators:
            ind = total.indicator
            if ind.kind == "rate":
                continue
            expected = sum(r.measures[m.number].indicators[ind.key] for r in june.values() if m.number in r.measures)
            assert total.value == expected
            month_delta = 0
            for unit_id, r in june.items():
                if m.number in r.measures:
                    before = may.get(unit_id)
                    old = before.measures[m.number].indicators[ind.key] if before and m.number in before.measures else 0
                    month_delta += r.measures[m.number].indicators[ind.key] - old
            assert total.this_month == month_delta
        for total in progress.indicators:
            if total.indicator.kind == "rate":
                parts = {t.indicator.key: t.value for t in progress.indicators}
                num, den = parts[total.indicator.numerator], parts[total.indicator.denominator]
                assert total.value == (None if den == 0 else num * 100 / den)
    states = picture.submission_counts()
    assert sum(states.values()) == len(CAMPAIGN.units)
    assert states["按时"] + states["迟报"] == len(june)
