"""One unit in one month, by the carry-forward rule (README “统计口径” 2–4).

A unit stands with its counted reports of the year up to the month: each measure's status from
the latest report that has the measure, each cumulative figure from the latest report that has
the figure.  What comes from a report of an earlier month is carried (沿用) and marked with that
month.  本月 is the month's figure minus the latest earlier one; a carried figure has none.
A unit's rate comes from its own numerator and denominator as one report gives them (the latest that
gives both), so it is never above 100% (Y208 checks each report).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from yejin.campaign.models import Indicator, Measure, Report, Unit, as_decimal
from yejin.words import YES


@dataclass
class IndicatorTotal:
    """One figure: a unit's (carry.stand) or the province's total (aggregate.build_picture)."""

    indicator: Indicator
    value: Optional[Decimal]  # cumulative; for a rate the percentage, None when there is nothing to divide by
    this_month: Optional[Decimal] = None  # 本月 (counts and amounts); None for a carried figure and for rates
    numerator: Optional[Decimal] = None
    denominator: Optional[Decimal] = None
    achieved_share: Optional[float] = None  # of the target, 0..1+
    behind_pace: bool = False
    carried_from: Optional[str] = None  # a unit's figure: the earlier month it comes from (沿用)
    units: int = 0  # a total: how many units it adds up
    carried_units: int = 0  # a total: how many of them with carried figures


@dataclass(frozen=True)
class StatusEntry:
    status: str  # 已完成 / 推进中 / 未启动
    month: str  # of the report that says so


@dataclass
class Standing:
    """A unit in a month: its report of the month if any, else the latest earlier one it stands with."""

    unit: Unit
    current: Optional[Report]  # the month's counted report
    latest: Optional[Report]  # the latest counted report up to the month: current, or the one carried
    statuses: dict[int, StatusEntry] = field(default_factory=dict)
    values: dict[tuple[int, str], IndicatorTotal] = field(default_factory=dict)  # (measure, indicator key)
    enforcement: dict[str, IndicatorTotal] = field(default_factory=dict)  # 执法情况, by indicator key

    @property
    def carried_from(self) -> Optional[str]:
        """The earlier month the unit's data comes from when it has no report of the month."""
        return self.latest.month if self.current is None and self.latest is not None else None


def number(raw: int | float | str) -> Decimal:
    """A reported value as a figure; a yes/no answer counts 1 (是) or 0 (否), so a total counts the 是."""
    if isinstance(raw, str):
        return Decimal(1 if raw == YES else 0)
    return Decimal(raw) if type(raw) is int else as_decimal(raw)


History = dict[str, list[tuple[str, Decimal]]]  # indicator key -> [(month, value)], oldest first


def stand(
    unit: Unit,
    measures: list[Measure],
    reports: list[Report],
    month: str,
    enforcement=(),
    given: Optional[dict[str, int]] = None,
) -> Standing:
    """The unit's standing in `month` from its counted reports of the year up to it (oldest first);
    `enforcement`: the campaign's 执法情况 indicators, carried by the same rule as a measure's.
    `given`: figures the unit does not report but tasks.yaml gives (重点县区 to review: counties.KEY_COUNTIES);
    a rate over one of them takes it as the denominator of every report that gives the numerator."""
    current = reports[-1] if reports and reports[-1].month == month else None
    standing = Standing(unit, current, reports[-1] if reports else None)
    history: dict[int, History] = {}  # measure -> its figures' histories
    enforced: History = {}
    for report in reports:
        for number_, entry in report.measures.items():
            standing.statuses[number_] = StatusEntry(entry.status, report.month)
            for key, raw in entry.indicators.items():
                history.setdefault(number_, {}).setdefault(key, []).append((report.month, number(raw)))
        for key, raw in report.enforcement.items():
            enforced.setdefault(key, []).append((report.month, number(raw)))
    for measure in measures:
        for key, total in figures(measure.indicators, history.get(measure.number, {}), month, given).items():
            standing.values[measure.number, key] = total
    standing.enforcement = figures(list(enforcement), enforced, month)
    return standing


def figures(
    indicators: list[Indicator], history: History, month: str, given: Optional[dict[str, int]] = None
) -> dict[str, IndicatorTotal]:
    """One unit's figures of a list of indicators (a measure's or 执法情况) in `month`, carried forward."""
    out: dict[str, IndicatorTotal] = {}
    rates = []
    for ind in indicators:
        if ind.kind == "rate":
            rates.append(ind)
            continue
        seen = history.get(ind.key)
        if not seen:
            continue
        when, value = seen[-1]
        if when != month:
            out[ind.key] = IndicatorTotal(ind, value, carried_from=when)
        elif ind.kind == "yesno":  # an answer, not a cumulative count: no 本月
            out[ind.key] = IndicatorTotal(ind, value)
        else:
            before = seen[-2][1] if len(seen) > 1 else Decimal(0)
            out[ind.key] = IndicatorTotal(ind, value, value - before)
    for ind in rates:  # both parts from one report, the latest that gives both: never above 100% (Y208)
        dens = dict(history.get(ind.denominator, []))
        if given and ind.denominator in given:
            dens = {when: Decimal(given[ind.denominator]) for when, _ in history.get(ind.numerator, [])}
        both = [(when, num, dens[when]) for when, num in history.get(ind.numerator, []) if when in dens]
        if both:
            when, num, den = both[-1]
            out[ind.key] = IndicatorTotal(
                ind, rate(num, den), None, num, den, carried_from=None if when == month else when
            )
    return out


def rate(numerator: Decimal, denominator: Decimal) -> Optional[Decimal]:
    """A percentage from parts; None (shown as "/") when there is nothing to divide by."""
    if denominator == 0:
        return None
    return numerator * 100 / denominator
