"""The aggregation as plain functions, and its invariants over random valid report sets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHIPPED_DATA, TESTS
from yejin.campaign.models import Report
from yejin.checking.dataset import Dataset, LoadedReport, load_dataset, load_tasks
from yejin.picture import aggregate

FIXTURE = TESTS / "fixtures" / "status"
CAMPAIGN = load_tasks(FIXTURE)[0]
MONTHS = ("2022-04", "2022-05", "2022-06")
LATE = dt.date(2022, 7, 31)  # every report of these months submitted


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
    """For each unit: reported or not in April, May and June, random statuses, growing cumulative figures;
    a report may leave a measure or a figure out (the picture carries the latest one that has it)."""
    reports = []
    for unit in CAMPAIGN.units:
        previous: dict = {}
        for month in MONTHS:
            if not draw(st.booleans()):
                continue
            entries = {}
            for measure in CAMPAIGN.applicable_measures(unit):
                if not draw(st.booleans()):
                    continue
                values = {}
                for ind in measure.indicators:
                    if ind.kind == "rate":
                        continue
                    before = previous.get((measure.number, ind.key), 0)
                    values[ind.key] = before + draw(counts)
                for ind in measure.indicators:
                    if ind.kind == "rate" and values[ind.numerator] > values[ind.denominator]:
                        values[ind.numerator] = values[ind.denominator]
                if values and draw(st.booleans()):
                    values.pop(draw(st.sampled_from(sorted(values))))  # a figure left out
                previous.update({(measure.number, k): v for k, v in values.items()})
                entries[measure.number] = {"status": draw(statuses), "indicators": values}
            reports.append(_report(unit.id, month, entries))
    return reports


def _latest(reports: list[LoadedReport], unit_id: str, month: str, pick):
    """The latest value `pick(report)` gives (not None) among the unit's reports up to the month."""
    for r in sorted((r for r in reports if r.unit_id == unit_id and r.month <= month), key=lambda r: r.month)[::-1]:
        value = pick(r.report)
        if value is not None:
            return value, r.month
    return None, None


def rate_parts(reports: list[LoadedReport], unit_id: str, number: int, ind) -> tuple[Decimal, Decimal] | None:
    """A unit's parts of a rate: from its latest report up to June that gives both."""

    def both(r):
        got = r.measures[number].indicators if number in r.measures else {}
        return (got[ind.numerator], got[ind.denominator]) if ind.numerator in got and ind.denominator in got else None

    parts, _ = _latest(reports, unit_id, "2022-06", both)
    return None if parts is None else (Decimal(parts[0]), Decimal(parts[1]))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report_sets())
def test_totals_carry_each_units_latest_figure_and_counts_add_up(reports):
    data = Dataset(root=FIXTURE, campaign=CAMPAIGN, reports=reports)
    picture = aggregate.build_picture(data, "2022-06", LATE)
    june = {r.unit_id for r in reports if r.month == "2022-06"}
    for progress in picture.measures:
        m = progress.measure
        units = CAMPAIGN.applicable_units(m)
        assert sum(progress.counts.values()) == progress.applicable == len(units)

        def status(r, n=m.number):
            return r.measures[n].status if n in r.measures else None

        latest = {u.id: _latest(reports, u.id, "2022-06", status) for u in units}
        assert progress.counts["已完成"] == sum(1 for status, _ in latest.values() if status == "已完成")
        assert progress.counts["未报"] == sum(1 for status, _ in latest.values() if status is None)
        assert progress.done == all(status == "已完成" for status, _ in latest.values())
        for total in progress.indicators:
            ind = total.indicator
            if ind.kind == "rate":
                continue
            value = this_month = Decimal(0)
            for u in units:

                def got(r, n=m.number, k=ind.key):
                    return r.measures[n].indicators.get(k) if n in r.measures else None

                figure, when = _latest(reports, u.id, "2022-06", got)
                if figure is None:
                    continue
                value += figure
                if when == "2022-06":
                    earlier, _ = _latest(reports, u.id, "2022-05", got)
                    this_month += figure - (earlier or 0)
            assert total.value == value
            assert total.this_month == this_month
        for total in progress.indicators:
            ind = total.indicator
            if ind.kind == "rate":
                both = [rate_parts(reports, u.id, m.number, ind) for u in units]
                both = [b for b in both if b is not None]
                num = sum((n for n, _ in both), Decimal(0))
                den = sum((d for _, d in both), Decimal(0))
                assert (total.numerator, total.denominator, total.units) == (num, den, len(both))
                assert total.value == (None if den == 0 else num * 100 / den)
                assert total.value is None or total.value <= 100  # never above 100%: parts of the same units
    states = picture.submission_counts()
    assert sum(states.values()) == len(CAMPAIGN.cities)  # the department is not counted among the cities
    assert states["按时"] + states["迟报"] == len(june - {"shanxi"})


# --- the property: a late report never makes a total fall -----------------------------------

SHIPPED = load_dataset(SHIPPED_DATA, cache=False)
SHIPPED_REPORTS = sorted(SHIPPED.valid_reports(), key=lambda r: r.path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.booleans(), min_size=len(SHIPPED_REPORTS), max_size=len(SHIPPED_REPORTS)))
def test_no_total_falls_below_the_previous_months_when_reports_are_missing(kept):
    """Any subset of the shipped reports missing: each cumulative total of a month is at least the month before's."""
    data = Dataset(SHIPPED.root, SHIPPED.campaign, [r for r, keep in zip(SHIPPED_REPORTS, kept) if keep])
    before = None
    for month in ("2022-03", "2022-04", "2022-05", "2022-06", "2022-07"):
        picture = aggregate.build_picture(data, month, LATE)
        totals = {
            (p.measure.number, t.indicator.key): t.value
            for p in picture.measures
            for t in p.indicators
            if t.indicator.kind != "rate"
        }
        if before is not None:
            fell = {key: (before[key], value) for key, value in totals.items() if value < before[key]}
            assert not fell, (month, fell)
        before = totals
