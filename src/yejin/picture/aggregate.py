"""The department's monthly picture, as plain data: submissions, progress, totals, pace, warnings.

Used by `status`, `deadlines`, `export` and `bulletin`; nothing here prints.
Conventions:
- a unit's figures are year-to-date (截至当月底累计); 本月 = this report minus the
  unit's previous report in the same year (the whole figure when there is none);
- totals add up the reports of the month; units that did not report are listed, not guessed;
- rates are computed from summed parts, never averaged; a zero denominator gives None ("/");
- pace (序时进度): share of the target achieved against the share of time elapsed
  between the notice's issue date and the measure's deadline.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Optional

from yejin.campaign import wording as terms
from yejin.campaign.models import Indicator, Measure, Report, Unit, as_decimal
from yejin.words import DONE, GREEN, LATE, MISSING, NOT_DUE, NOT_REPORTED, ON_TIME, RED, STATUS_ORDER, YELLOW

if TYPE_CHECKING:
    from yejin.checking.dataset import Dataset


@dataclass
class Submission:  # 报送情况
    unit: Unit
    state: str  # 按时 / 迟报 / 未报 / 未到报送日
    due: dt.date
    submitted: Optional[dt.date] = None
    days_late: int = 0
    contacts: Optional[dict] = None  # {"a": {"name", "phone"}, "b": {...}} from the latest report


@dataclass
class IndicatorTotal:
    indicator: Indicator
    value: Optional[Decimal]  # cumulative total; for a rate: the percentage, None when the denominator is 0
    this_month: Optional[Decimal] = None  # 本月 (counts and amounts only)
    numerator: Optional[Decimal] = None
    denominator: Optional[Decimal] = None
    achieved_share: Optional[float] = None  # of the target, 0..1+
    behind_pace: bool = False


@dataclass
class UnitState:  # one unit on one measure
    unit: Unit
    status: str  # 已完成 / 推进中 / 未启动 / 未报
    last_status: Optional[str] = None  # latest status reported in or before the month
    last_month: Optional[str] = None

    @property
    def done(self) -> bool:  # a unit that reported 已完成 stays done if it misses a later month
        return self.last_status == DONE


@dataclass
class MeasureProgress:
    measure: Measure
    task_number: int
    task_title: str
    deadline: dt.date
    days_left: int  # negative: days overdue
    time_share: float  # 序时进度, 0..1
    counts: dict[str, int]
    units: list[UnitState]
    indicators: list[IndicatorTotal]
    warning: str = GREEN
    reasons: list[str] = field(default_factory=list)

    @property
    def applicable(self) -> int:
        return len(self.units)

    @property
    def done(self) -> bool:
        """Done for the province only when every applicable unit has reported it done."""
        return self.applicable > 0 and all(u.done for u in self.units)

    @property
    def not_done(self) -> list[UnitState]:
        return [u for u in self.units if not u.done]

    @property
    def behind_pace(self) -> list[IndicatorTotal]:
        return [t for t in self.indicators if t.behind_pace]


@dataclass
class UnitFigures:  # one unit's figures for the month, for the statistics table
    unit: Unit
    report: Optional[Report]
    previous: Optional[Report]
    values: dict[tuple[int, str], IndicatorTotal]


@dataclass
class MonthPicture:
    month: str
    as_of: dt.date
    within: int
    submissions: list[Submission]
    measures: list[MeasureProgress]
    figures: dict[str, UnitFigures]  # unit id -> figures

    def warning_counts(self) -> dict[str, int]:
        counts = {RED: 0, YELLOW: 0, GREEN: 0}
        for m in self.measures:
            counts[m.warning] += 1
        return counts

    def submission_counts(self) -> dict[str, int]:
        counts = {ON_TIME: 0, LATE: 0, MISSING: 0, NOT_DUE: 0}
        for s in self.submissions:
            counts[s.state] += 1
        return counts


def latest_month(data: "Dataset") -> Optional[str]:
    months = [r.month for r in data.valid_reports()]
    return max(months) if months else None


def default_as_of(month: str) -> dt.date:
    year, m = terms.parse_month(month)
    return terms.month_end(year, m)


def time_share(start: dt.date, deadline: dt.date, as_of: dt.date) -> float:
    total = (deadline - start).days
    if total <= 0:
        return 1.0
    return min(1.0, max(0.0, (as_of - start).days / total))


def rate(numerator: Decimal, denominator: Decimal) -> Optional[Decimal]:
    """A percentage from parts; None (shown as "/") when there is nothing to divide by."""
    if denominator == 0:
        return None
    return numerator * 100 / denominator


def _reports_by_unit(data: "Dataset", month: str) -> dict[str, list[Report]]:
    """Each unit's reports of the campaign year up to and including the month, oldest first."""
    series: dict[str, list[Report]] = defaultdict(list)
    for loaded in sorted(data.valid_reports(), key=lambda r: r.month):
        if loaded.month[:4] == month[:4] and loaded.month <= month:
            series[loaded.unit_id].append(loaded.report)
    return series


def _unit_values(
    measure: Measure, report: Optional[Report], previous: Optional[Report], out: Optional[dict] = None
) -> dict[tuple[int, str], IndicatorTotal]:
    """One unit's totals on one measure, keyed (measure number, indicator key); added to `out` if given."""
    out = {} if out is None else out
    entry = report.measures.get(measure.number) if report is not None else None
    if entry is None:
        return out
    number = measure.number
    got = entry.indicators.get
    before = previous.measures.get(number) if previous else None
    old_got = before.indicators.get if before else None
    plain, rates = _indicator_kinds(measure)
    for ind in plain:
        raw = got(ind.key)
        if raw is None:
            continue
        value = Decimal(raw) if type(raw) is int else as_decimal(raw)  # (ints: most figures)
        old = old_got(ind.key) if old_got else None
        out[number, ind.key] = IndicatorTotal(
            ind, value, value - (0 if old is None else Decimal(old) if type(old) is int else as_decimal(old))
        )
    for ind in rates:
        num, den = out.get((number, ind.numerator)), out.get((number, ind.denominator))
        if num is not None and den is not None:
            out[number, ind.key] = IndicatorTotal(ind, rate(num.value, den.value), None, num.value, den.value)
    return out


_KINDS: dict[int, tuple[Measure, tuple[Indicator, ...], tuple[Indicator, ...]]] = {}


def _indicator_kinds(measure: Measure) -> tuple[tuple[Indicator, ...], tuple[Indicator, ...]]:
    """(counts and amounts, rates) of a measure: asked for every unit, worked out once per measure."""
    known = _KINDS.get(id(measure))
    if known is None or known[0] is not measure:
        plain = tuple(i for i in measure.indicators if i.kind != "rate")
        known = _KINDS[id(measure)] = (measure, plain, tuple(i for i in measure.indicators if i.kind == "rate"))
    return known[1], known[2]


def build_picture(data: "Dataset", month: str, as_of: Optional[dt.date] = None, within: int = 30) -> MonthPicture:
    campaign = data.campaign
    assert campaign is not None, "build_picture needs a valid data set"
    as_of = as_of or default_as_of(month)
    series = _reports_by_unit(data, month)
    due = terms.report_due(month, campaign.info.report_day)

    submissions: list[Submission] = []
    figures: dict[str, UnitFigures] = {}
    for unit in campaign.units:
        reports = series.get(unit.id, [])
        current = reports[-1] if reports and reports[-1].month == month else None
        previous = (
            (reports[-2] if current and len(reports) > 1 else None) if current else (reports[-1] if reports else None)
        )
        contacts = reports[-1].contacts.model_dump() if reports else None
        if current is None:
            state = NOT_DUE if as_of < due else MISSING
            submissions.append(Submission(unit, state, due, contacts=contacts))
        else:
            late = (current.submitted - due).days
            submissions.append(
                Submission(unit, LATE if late > 0 else ON_TIME, due, current.submitted, max(late, 0), contacts)
            )
        values: dict[tuple[int, str], IndicatorTotal] = {}
        if current is not None:
            for measure in campaign.applicable_measures(unit):
                _unit_values(measure, current, previous, values)
        figures[unit.id] = UnitFigures(unit, current, previous, values)

    latest = {unit_id: _latest_statuses(reports) for unit_id, reports in series.items()}
    measures = [_measure_progress(campaign, m, latest, figures, as_of, within) for m in campaign.measures.values()]
    return MonthPicture(month, as_of, within, submissions, measures, figures)


def _latest_statuses(reports: list[Report]) -> dict[int, tuple[str, str]]:
    """Measure number -> (status, month) of the latest of a unit's reports (oldest first) that has it."""
    latest: dict[int, tuple[str, str]] = {}
    for report in reports:
        for number, entry in report.measures.items():
            latest[number] = (entry.status, report.month)
    return latest


def _measure_progress(campaign, measure: Measure, latest, figures, as_of, within) -> MeasureProgress:
    units: list[UnitState] = []
    counts = {s: 0 for s in STATUS_ORDER}
    number = measure.number
    for unit in campaign.applicable_units(measure):
        last_status, last_month = latest.get(unit.id, {}).get(number, (None, None))
        report = figures[unit.id].report
        entry = report.measures.get(number) if report is not None else None
        status = entry.status if entry is not None else NOT_REPORTED
        counts[status] += 1
        units.append(UnitState(unit, status, last_status, last_month))

    deadline = measure.deadline_date
    share = time_share(campaign.info.issue_date, deadline, as_of)
    totals = _measure_totals(measure, [figures[u.unit.id] for u in units], share)
    task = campaign.task_of[measure.number]
    progress = MeasureProgress(
        measure, task.number, task.title, deadline, (deadline - as_of).days, share, counts, units, totals
    )
    _warn(progress, within)
    return progress


def _measure_totals(measure: Measure, unit_figures: list[UnitFigures], share: float) -> list[IndicatorTotal]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    month_sums: dict[str, Decimal] = defaultdict(Decimal)
    keys = [((measure.number, ind.key), ind.key) for ind in _indicator_kinds(measure)[0]]
    for fig in unit_figures:
        got = fig.values.get
        for full, key in keys:
            total = got(full)
            if total is not None:
                sums[key] += total.value
                month_sums[key] += total.this_month or 0
    out: list[IndicatorTotal] = []
    for ind in measure.indicators:
        if ind.kind == "rate":
            num, den = sums[ind.numerator], sums[ind.denominator]
            total = IndicatorTotal(ind, rate(num, den), None, num, den)
        else:
            total = IndicatorTotal(ind, sums[ind.key], month_sums[ind.key])
        if ind.target is not None and total.value is not None:
            total.achieved_share = float(total.value / as_decimal(ind.target)) if ind.target else 1.0
            total.behind_pace = total.achieved_share < share and total.achieved_share < 1
        out.append(total)
    return out


def _warn(progress: MeasureProgress, within: int) -> None:
    """红灯: past the deadline and not done; 黄灯: deadline near and not done, or behind pace."""
    if progress.done or progress.applicable == 0:
        progress.warning = GREEN
        return
    not_done = len(progress.not_done)
    if progress.days_left < 0:
        progress.warning = RED
        progress.reasons.append(f"已超过完成时限 {-progress.days_left} 天，{not_done} 个单位未完成")
        return
    if progress.days_left <= within:
        progress.warning = YELLOW
        progress.reasons.append(f"距完成时限 {progress.days_left} 天，{not_done} 个单位未完成")
    for total in progress.behind_pace:
        progress.warning = YELLOW
        progress.reasons.append(
            f"{total.indicator.name}完成目标的 {total.achieved_share:.1%}，低于序时进度 {progress.time_share:.1%}"
        )


def unit_measures(picture: MonthPicture, unit_id: str) -> list[tuple[MeasureProgress, UnitState]]:
    """The measures a unit reports, with its own state on each (for `status --unit`)."""
    out = []
    for progress in picture.measures:
        for state in progress.units:
            if state.unit.id == unit_id:
                out.append((progress, state))
    return out


def measures_by_unit(picture: MonthPicture) -> dict[str, list[tuple[MeasureProgress, UnitState]]]:
    """unit_measures for every unit at once (the export's 进展情况: once per unit would be quadratic)."""
    out: dict[str, list[tuple[MeasureProgress, UnitState]]] = defaultdict(list)
    for progress in picture.measures:
        for state in progress.units:
            out[state.unit.id].append((progress, state))
    return out


def unit_completion(picture: MonthPicture) -> dict[str, tuple[int, int]]:
    """Per unit id: (measures done, measures the unit reports), for the export's chart.

    Done as in UnitState.done: the latest report in or before the month says 已完成.
    """
    out: dict[str, tuple[int, int]] = {}
    for progress in picture.measures:
        for state in progress.units:
            done, applicable = out.get(state.unit.id, (0, 0))
            out[state.unit.id] = (done + int(state.done), applicable + 1)
    return out
