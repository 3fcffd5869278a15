"""The month's picture, as plain data: the one place where the 统计口径 (README) is worked out.

`status`, `status --json`, `deadlines`, `export` (every sheet) and `bulletin` render this picture;
none of them works out a figure, a state or a warning of its own.  Nothing here prints.

The rules, as README's “统计口径” states them for the department:
1. Dates.  The period is the month; its last day (期末) is the date the figures stand at: days to a
   deadline and 序时进度 are measured there.  `as_of` (统计日, default today) decides submissions:
   a report counts once submitted on or before it.  Without one a unit is 未到报送日 up to and
   including the report day (the 30th; February's last day) and 未报 after it; a report submitted
   after the report day counts and is 迟报 by the days since.  (The bulletin's 成文日期 is its own.)
2. Carry forward (沿用).  A unit without a counted report of the month stands with its latest
   earlier report of the year — statuses and cumulative figures, marked with that month; a figure
   left out of a report stands at the latest report that has it (carry.py).  A unit with no report
   at all adds nothing and is named.  So a total never falls because a report is late.
3. 本月 = the month's figure minus the unit's latest earlier one (all of it if none); a carried
   figure has no 本月, so the 本月 total adds the units that reported the month.
4. A rate adds numerator and denominator over the units that give both, then divides (never an
   average of rates); None ("/") when the denominator is 0.
5. A measure is done when every responsible unit's status (carried or not) is 已完成.
6. Warnings at the period end: 红灯 past the deadline and not done; 黄灯 within `within` days of it and
   not done, or a target behind pace; 待报 when not done and no responsible unit has reported the
   month yet (pace is not judged on figures that are all carried); otherwise 绿灯.
7. The department (省厅) is a responsible unit of the measures of its level, but submission counts
   and the list of units behind cover the cities (设区市) only.
8. Units behind (for the bulletin): every city with a measure past its deadline and not done, or a
   rate of its own behind pace (rates are the targets a single city can be measured by); none cut off.
9. Files with an error and drafts do not count (checking/dataset.py); the picture names them.
10. Province-wide totals (`MonthPicture.totals`), computed once for every output: the 执法情况 block
   (tasks.yaml `enforcement`, reported once per report) summed over all units, then each total of
   tasks.yaml `totals` (e.g. 隐患 found/fixed) summed over the measure indicators whose `adds_to` names it.
   Each is cumulative to the month with this month's change, by rules 2 and 3.  A yes/no indicator
   counts the units that answered 是 (no 本月).
11. A city whose counties report on their own (tasks.yaml `counties: {report: true}`): its report is
   市本级, each county stands by rule 2 on its own, and the city's standing everywhere is 全市 =
   市本级 + counties (rollup.py).  Its submission row is 市本级's; `counties` holds the breakdown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Optional

from yejin.campaign import wording as terms
from yejin.campaign.counties import KEY_COUNTIES
from yejin.campaign.models import Measure, Report, Unit, as_decimal
from yejin.picture.carry import IndicatorTotal, Standing, rate, stand
from yejin.picture.rollup import CityParts, combine
from yejin.words import (
    CITIES,
    CITY_OWN,
    DONE,
    GREEN,
    IN_PROGRESS,
    LATE,
    MISSING,
    NOT_DUE,
    NOT_REPORTED,
    NOT_STARTED,
    ON_TIME,
    PENDING,
    RED,
    WARNINGS,
    YELLOW,
    carried_words,
    submission_words,
)

if TYPE_CHECKING:
    from yejin.campaign.campaign import Campaign
    from yejin.checking.dataset import Dataset, Excluded


@dataclass
class Submission:  # 报送情况
    unit: Unit
    state: str  # 按时 / 迟报 / 未报 / 未到报送日
    due: dt.date
    submitted: Optional[dt.date] = None
    days_late: int = 0
    contacts: Optional[dict] = None  # {"a": {"name", "phone"}, "b": {...}} from the latest counted report
    department: bool = False  # the province department: its own row, out of the city counts
    carried_from: Optional[str] = None  # no report of the month: the earlier month its data comes from
    draft: Optional[str] = None  # a draft of the month's report (path): 未报（草稿）
    excluded: Optional[Excluded] = None  # the month's report, left out for an error

    @property
    def never(self) -> bool:
        """No counted report at all this year up to the month: nothing to carry."""
        return self.submitted is None and self.carried_from is None

    @property
    def text(self) -> str:  # 按时 / 迟报4天 / 未报（草稿） …
        return submission_words(self.state, self.days_late, self.draft is not None, self.excluded is not None)


@dataclass
class UnitState:  # one unit on one measure, by the carry-forward rule
    unit: Unit
    status: str  # 已完成 / 推进中 / 未启动; 未报 when the unit has never reported the measure
    month: Optional[str] = None  # the month of the report the status comes from
    carried_from: Optional[str] = None  # that month, when it is earlier than the picture's
    parts: list["UnitState"] = field(default_factory=list)  # a city with counties: 市本级 and each county

    @property
    def done(self) -> bool:
        return self.status == DONE


@dataclass
class MeasureProgress:
    measure: Measure
    task_number: int
    task_title: str
    deadline: dt.date
    days_left: int  # at the period end; negative: days overdue
    time_share: float  # 序时进度 at the period end, 0..1
    units: list[UnitState]
    indicators: list[IndicatorTotal]
    department_only: bool = False  # only the department reports it (措施 12, 13, 15)
    pending: bool = False  # 待报: not done, and no responsible unit has reported the month yet
    warning: str = GREEN
    reasons: list[str] = field(default_factory=list)

    @property
    def applicable(self) -> int:
        return len(self.units)

    @property
    def counts(self) -> dict[str, int]:
        """Units per status (carried statuses included; 未报: never reported the measure)."""
        out = {DONE: 0, IN_PROGRESS: 0, NOT_STARTED: 0, NOT_REPORTED: 0}
        for u in self.units:
            out[u.status] += 1
        return out

    @property
    def carried(self) -> int:
        """How many units' statuses are carried from an earlier month."""
        return sum(1 for u in self.units if u.carried_from)

    @property
    def done(self) -> bool:
        """Done for the province only when every applicable unit's status is 已完成."""
        return self.applicable > 0 and all(u.done for u in self.units)

    @property
    def not_done(self) -> list[UnitState]:
        return [u for u in self.units if not u.done]

    @property
    def behind_pace(self) -> list[IndicatorTotal]:
        return [t for t in self.indicators if t.behind_pace]


@dataclass
class UnitFigures:  # one unit's figures for the month (统计表 rows, status --unit)
    unit: Unit
    report: Optional[Report]  # the month's counted report
    latest: Optional[Report]  # the report the unit stands with: the month's, or the one carried
    values: dict[tuple[int, str], IndicatorTotal]
    enforcement: dict[str, IndicatorTotal] = field(default_factory=dict)  # 执法情况, by indicator key

    @property
    def carried_from(self) -> Optional[str]:
        return self.latest.month if self.report is None and self.latest is not None else None


@dataclass
class CityBreakdown:  # a city whose counties report: 市本级 and each county (status --unit, export --unit)
    city: Unit
    parts: CityParts
    submissions: list[Submission]  # 市本级 first, then the counties in the official order
    figures: dict[str, UnitFigures]  # unit id (the city's: 市本级) -> figures

    @property
    def county_submissions(self) -> list[Submission]:
        return self.submissions[1:]


@dataclass
class UnitBehind:  # a city behind (通报: 进度滞后的单位)
    unit: Unit
    overdue: list[MeasureProgress]  # past the deadline, the city's status not 已完成
    behind_pace: list[tuple[MeasureProgress, IndicatorTotal]]  # the city's own rate behind pace
    carried_from: Optional[str] = None


@dataclass
class MonthPicture:
    month: str
    period_end: dt.date  # 期末: the figures stand at this date
    as_of: dt.date  # 统计日: submissions up to this date count
    within: int
    submissions: list[Submission]
    measures: list[MeasureProgress]
    figures: dict[str, UnitFigures]  # unit id -> figures
    excluded: list[Excluded] = field(default_factory=list)  # files left out, of the year up to the month
    behind: list[UnitBehind] = field(default_factory=list)
    # 全省合计 (rule 10): the 执法情况 totals, and tasks.yaml's `totals` (隐患 found/fixed …) summed over measures
    enforcement: list[IndicatorTotal] = field(default_factory=list)
    summed: list[IndicatorTotal] = field(default_factory=list)

    counties: dict[str, CityBreakdown] = field(default_factory=dict)  # city id -> its breakdown (rule 11)
    scope: Optional[Unit] = None  # a city's own view (city_view): its rows are 市本级 and its counties

    @property
    def totals(self) -> list[IndicatorTotal]:
        """Every province-wide total, 执法情况 first: what a 通报 leads with."""
        return self.enforcement + self.summed

    def warning_counts(self) -> dict[str, int]:
        counts = {w: 0 for w in WARNINGS}
        for m in self.measures:
            counts[m.warning] += 1
        return counts

    @cached_property
    def responsible(self) -> set[tuple[str, int]]:
        """(unit id, measure number) for each row responsible for a measure: in the province's picture a
        city whose counties report covers their measures (全市); in a city's view 市本级 only its own."""
        return {(u.unit.id, p.measure.number) for p in self.measures for u in p.units}

    @property
    def units(self) -> list[Unit]:
        """The rows of the tables, in order: the department and the cities, or (a city's view) 市本级 and
        the counties."""
        return [s.unit for s in self.submissions]

    @property
    def rows_word(self) -> str:
        """What the submission counts count: 设区市 (the province), 市本级和县（区） (a city's own view)."""
        return CITIES if self.scope is None else f"{CITY_OWN}和县（区）"

    @property
    def city_submissions(self) -> list[Submission]:
        return [s for s in self.submissions if not s.department]

    def submission_counts(self) -> dict[str, int]:
        """The cities' submissions (the department has its own row, out of these counts)."""
        counts = {ON_TIME: 0, LATE: 0, MISSING: 0, NOT_DUE: 0}
        for s in self.city_submissions:
            counts[s.state] += 1
        return counts

    @property
    def carried(self) -> list[Submission]:
        """Units without a report of the month that stand with an earlier one."""
        return [s for s in self.submissions if s.carried_from]

    @property
    def never(self) -> list[Submission]:
        return [s for s in self.submissions if s.never]


def city_view(campaign: "Campaign", picture: MonthPicture, city: Unit) -> MonthPicture:
    """A city's own month (status --unit, export --unit): its rows are 市本级 and each county, its totals
    are 全市 — the same figures the province's picture shows for the city.  `scope` is the city."""
    breakdown = picture.counties[city.id]
    own = breakdown.parts.own
    label = own.unit.model_copy(update={"name": f"{city.name}（{CITY_OWN}）", "short_name": CITY_OWN})
    standings = {s.unit.id: s for s in breakdown.parts.counties}
    standings[city.id] = Standing(label, own.current, own.latest, own.statuses, own.values, own.enforcement)
    units = [standings[city.id].unit, *(s.unit for s in breakdown.parts.counties)]
    measures = []
    for m in campaign.measures.values():
        responsible = [u for u in units if campaign.applies(u, m)]
        if responsible:
            measures.append(
                _measure_progress(
                    campaign, m, responsible, standings, picture.month, picture.period_end, picture.within, {}, False
                )
            )
    submissions = [replace(s, unit=u) for s, u in zip(breakdown.submissions, units)]
    figures = {u.id: replace(f, unit=standings[u.id].unit) for u, f in zip(units, breakdown.figures.values())}
    excluded = [e for e in picture.excluded if e.unit_id in figures]
    view = MonthPicture(
        picture.month,
        picture.period_end,
        picture.as_of,
        picture.within,
        submissions,
        measures,
        figures,
        excluded,
        scope=city,
    )
    view.enforcement, view.summed = province_totals(campaign, list(standings.values()))  # the city's 合计
    return view


def latest_month(data: "Dataset", as_of: Optional[dt.date] = None) -> Optional[str]:
    """The latest month with a counted report submitted by `as_of` (any date when None)."""
    months = [r.month for r in data.valid_reports() if as_of is None or r.report.submitted <= as_of]
    return max(months) if months else None


def period_end(month: str) -> dt.date:
    year, m = terms.parse_month(month)
    return terms.month_end(year, m)


def time_share(start: dt.date, deadline: dt.date, day: dt.date) -> float:
    total = (deadline - start).days
    if total <= 0:
        return 1.0
    return min(1.0, max(0.0, (day - start).days / total))


def _counted(data: "Dataset", month: str, as_of: dt.date) -> dict[str, list[Report]]:
    """Each unit's counted reports of the month's year up to the month, submitted by as_of, oldest first."""
    series: dict[str, list[Report]] = {}
    for loaded in sorted(data.valid_reports(), key=lambda r: r.month):
        report = loaded.report
        if report.month[:4] == month[:4] and report.month <= month and report.submitted <= as_of:
            series.setdefault(loaded.unit_id, []).append(report)
    return series


def build_picture(data: "Dataset", month: str, as_of: Optional[dt.date] = None, within: int = 30) -> MonthPicture:
    campaign = data.campaign
    assert campaign is not None, "build_picture needs the campaign"
    as_of = as_of or dt.date.today()
    end = period_end(month)
    series = _counted(data, month, as_of)
    due = terms.report_due(month, campaign.info.report_day)
    excluded = [e for e in data.excluded() if e.month is None or (e.month[:4] == month[:4] and e.month <= month)]
    broken = {(e.unit_id, e.month): e for e in excluded if e.kind == "report"}
    drafts = {(d.unit_id, d.month): d.path for d in data.valid_reports(drafts=True)}

    def submission(standing: Standing) -> Submission:
        unit, current, latest = standing.unit, standing.current, standing.latest
        out = Submission(
            unit,
            NOT_DUE if as_of <= due else MISSING,
            due,
            contacts=latest.contacts.model_dump() if latest else None,
            department=campaign.is_department(unit),
            carried_from=standing.carried_from,
            draft=drafts.get((unit.id, month)),
            excluded=broken.get((unit.id, month)),
        )
        if current is not None:
            late = (current.submitted - due).days
            out.state, out.submitted, out.days_late = (LATE if late > 0 else ON_TIME, current.submitted, max(late, 0))
        return out

    def standing(unit: Unit) -> Standing:
        given = {KEY_COUNTIES: len(campaign.key_counties(unit))} if campaign.key_counties(unit) else None
        measures = campaign.applicable_measures(unit)
        return stand(unit, measures, series.get(unit.id, []), month, campaign.enforcement, given)

    submissions: list[Submission] = []
    standings: dict[str, Standing] = {}
    breakdowns: dict[str, CityBreakdown] = {}
    for unit in campaign.units:
        own = standing(unit)
        submissions.append(submission(own))
        if not campaign.has_counties(unit):
            standings[unit.id] = own
            continue
        parts = CityParts(own, [standing(c) for c in campaign.counties_of(unit.id)])
        standings[unit.id] = parts.whole = combine(
            unit, own, parts.counties, _covered(campaign, unit), campaign.enforcement
        )
        breakdowns[unit.id] = CityBreakdown(
            unit,
            parts,
            [submissions[-1], *(submission(s) for s in parts.counties)],
            {s.unit.id: UnitFigures(s.unit, s.current, s.latest, s.values, s.enforcement) for s in parts.parts},
        )

    figures = {u: UnitFigures(s.unit, s.current, s.latest, s.values, s.enforcement) for u, s in standings.items()}
    for city_id, breakdown in breakdowns.items():  # the city's row: 市本级's report, 全市 figures
        own, whole = breakdown.parts.own, standings[city_id]
        figures[city_id] = UnitFigures(own.unit, own.current, own.latest, whole.values, whole.enforcement)
    measures = [
        _measure_progress(campaign, m, campaign.applicable_units(m), standings, month, end, within, breakdowns)
        for m in campaign.measures.values()
    ]
    picture = MonthPicture(month, end, as_of, within, submissions, measures, figures, excluded, counties=breakdowns)
    picture.enforcement, picture.summed = province_totals(campaign, list(standings.values()))
    picture.behind = _units_behind(campaign, picture)
    return picture


def _covered(campaign: "Campaign", city: Unit) -> list[tuple[Measure, list[str]]]:
    """The measures a city with counties covers, each with the parts (市本级, counties) that report it."""
    out = []
    for measure in campaign.measures.values():
        ids = [city.id] if campaign.applies(city, measure) else []
        ids += [c.id for c in campaign.applicable_counties(city, measure)]
        if ids:
            out.append((measure, ids))
    return out


def _state(standing: Standing, number: int, month: str) -> UnitState:
    entry = standing.statuses.get(number)
    if entry is None:
        return UnitState(standing.unit, NOT_REPORTED)
    return UnitState(standing.unit, entry.status, entry.month, entry.month if entry.month != month else None)


def _measure_progress(
    campaign: "Campaign",
    measure: Measure,
    responsible: list[Unit],
    standings: dict[str, Standing],
    month: str,
    end: dt.date,
    within: int,
    breakdowns: dict[str, CityBreakdown],
    province: bool = True,
) -> MeasureProgress:
    """province=False: a city's own view, where a count's target (the province's, such as 全省 80 个) is not
    the city's: only rates are measured against their targets (as for the units behind, rule 8)."""
    number = measure.number
    units: list[UnitState] = []
    for unit in responsible:
        units.append(_state(standings[unit.id], number, month))
        if unit.id in breakdowns:
            parts = breakdowns[unit.id].parts.parts
            units[-1].parts = [_state(s, number, month) for s in parts if campaign.applies(s.unit, measure)]
    deadline = measure.deadline_date
    share = time_share(campaign.info.issue_date, deadline, end)
    task = campaign.task_of[number]
    progress = MeasureProgress(
        measure,
        task.number,
        task.title,
        deadline,
        (deadline - end).days,
        share,
        units,
        _measure_totals(measure, [standings[u.unit.id] for u in units], province),
        department_only=bool(units) and all(campaign.is_department(u.unit) for u in units),
    )
    progress.pending = not progress.done and all(standings[u.unit.id].current is None for u in units)
    if not progress.pending:
        for total in progress.indicators:
            total.behind_pace = _behind(total, share)
    for ind in measure.indicators:  # a unit's own rates against the target, judged on its figures of the month
        if ind.kind != "rate" or ind.target is None:
            continue
        for u in units:
            mine = standings[u.unit.id].values.get((number, ind.key))
            if mine is not None and mine.value is not None:
                mine.achieved_share = _share(mine.value, ind.target)
                mine.behind_pace = mine.carried_from is None and _behind(mine, share)
    _warn(progress, within)
    return progress


def _measure_totals(measure: Measure, standings: list[Standing], province: bool = True) -> list[IndicatorTotal]:
    """The province's totals of one measure: sums of the units' (carried) figures; rates from summed parts."""
    out: list[IndicatorTotal] = []
    for ind in measure.indicators:
        figures = [t for s in standings if (t := s.values.get((measure.number, ind.key))) is not None]
        carried = sum(1 for t in figures if t.carried_from)
        if ind.kind == "rate":  # the units that give both parts (their own rate exists)
            num = sum((t.numerator for t in figures), Decimal(0))
            den = sum((t.denominator for t in figures), Decimal(0))
            total = IndicatorTotal(ind, rate(num, den), None, num, den, units=len(figures), carried_units=carried)
        else:
            total = _sum(ind, figures)
        if ind.target is not None and total.value is not None and (province or ind.kind == "rate"):
            total.achieved_share = _share(total.value, ind.target)
        out.append(total)
    return out


def province_totals(
    campaign: "Campaign", standings: list[Standing]
) -> tuple[list[IndicatorTotal], list[IndicatorTotal]]:
    """Rule 10: the 执法情况 totals over every unit, and each of tasks.yaml's `totals` over the measure
    indicators that add to it (each unit's figures by the carry-forward rule)."""
    enforcement, out = [], []
    for ind in campaign.enforcement:
        figures = [t for s in standings if (t := s.enforcement.get(ind.key)) is not None]
        if ind.kind == "rate":  # parts summed over the units that give both, then divided (rule 4)
            num = sum((t.numerator for t in figures), Decimal(0))
            den = sum((t.denominator for t in figures), Decimal(0))
            enforcement.append(IndicatorTotal(ind, rate(num, den), None, num, den, units=len(figures)))
        else:
            enforcement.append(_sum(ind, figures))
    for total in campaign.totals:
        parts = [(m.number, i.key) for m in campaign.measures.values() for i in m.indicators if i.adds_to == total.key]
        figures = [t for s in standings for part in parts if (t := s.values.get(part)) is not None]
        summed = _sum(total, figures)
        summed.units = sum(1 for s in standings if any(part in s.values for part in parts))
        summed.carried_units = sum(
            1 for s in standings if any(part in s.values and s.values[part].carried_from for part in parts)
        )
        out.append(summed)
    return enforcement, out


def _sum(ind, figures: list[IndicatorTotal]) -> IndicatorTotal:
    """A count or amount added up: cumulative, 本月 over the figures that have one (rule 3)."""
    value = sum((t.value for t in figures), Decimal(0))
    this_month = None
    if ind.kind != "yesno":
        this_month = sum((t.this_month for t in figures if t.this_month is not None), Decimal(0))
    carried = sum(1 for t in figures if t.carried_from)
    return IndicatorTotal(ind, value, this_month, units=len(figures), carried_units=carried)


def _share(value: Decimal, target: int | float) -> float:
    return float(value / as_decimal(target)) if target else 1.0


def _behind(total: IndicatorTotal, share: float) -> bool:
    return total.achieved_share is not None and total.achieved_share < share and total.achieved_share < 1


def _warn(progress: MeasureProgress, within: int) -> None:
    """红灯: past the deadline and not done; 黄灯: deadline near and not done, or behind pace; 待报 (rule 6)."""
    if progress.done or progress.applicable == 0:
        progress.warning = GREEN
        return
    not_done = len(progress.not_done)
    if progress.days_left < 0:
        progress.warning = RED
        progress.reasons.append(f"已超过完成时限{-progress.days_left}天，{not_done}个单位未完成")
        return
    if progress.days_left <= within:
        progress.warning = YELLOW
        progress.reasons.append(f"距完成时限{progress.days_left}天，{not_done}个单位未完成")
    if progress.pending:
        months = sorted({u.carried_from for u in progress.units if u.carried_from})
        progress.warning = YELLOW if progress.warning == YELLOW else PENDING
        progress.reasons.append(
            "责任单位本月尚未报告" + (f"（{carried_words(months[-1])}），不判断序时进度" if months else "")
        )
        return
    for total in progress.behind_pace:
        progress.warning = YELLOW
        progress.reasons.append(
            f"{total.indicator.name}完成目标的{total.achieved_share:.1%}，低于序时进度{progress.time_share:.1%}"
        )


def _units_behind(campaign: "Campaign", picture: MonthPicture) -> list[UnitBehind]:
    """Cities with a measure overdue and not done or a rate of their own behind pace (rule 8), most behind
    first; every one of them is listed, in the official order among equals."""
    by_unit = measures_by_unit(picture)
    out = []
    for unit in campaign.cities:
        overdue, behind = [], []
        values = picture.figures[unit.id].values
        for p, state in by_unit.get(unit.id, []):
            if p.days_left < 0 and not state.done:
                overdue.append(p)
            for ind in p.measure.indicators:
                total = values.get((p.measure.number, ind.key))
                if total is not None and ind.kind == "rate" and total.behind_pace:
                    behind.append((p, total))
        if overdue or behind:
            out.append(UnitBehind(unit, overdue, behind, picture.figures[unit.id].carried_from))
    out.sort(key=lambda b: (-len(b.overdue), -len(b.behind_pace)))  # stable: official order among equals
    return out


def unit_measures(picture: MonthPicture, unit_id: str) -> list[tuple[MeasureProgress, UnitState]]:
    """The measures a unit reports, with its own state on each (for `status --unit`)."""
    return measures_by_unit(picture).get(unit_id, [])


def measures_by_unit(picture: MonthPicture) -> dict[str, list[tuple[MeasureProgress, UnitState]]]:
    """unit_measures for every unit at once (the export's 进展情况: once per unit would be quadratic)."""
    out: dict[str, list[tuple[MeasureProgress, UnitState]]] = {}
    for progress in picture.measures:
        for state in progress.units:
            out.setdefault(state.unit.id, []).append((progress, state))
    return out


def unit_completion(picture: MonthPicture) -> dict[str, tuple[int, int]]:
    """Per unit id: (measures done, measures the unit reports), for the export's chart (carried statuses count)."""
    out: dict[str, tuple[int, int]] = {}
    for progress in picture.measures:
        for state in progress.units:
            done, applicable = out.get(state.unit.id, (0, 0))
            out[state.unit.id] = (done + int(state.done), applicable + 1)
    return out
