"""A city whose counties report on their own: 全市 = 市本级 + its counties (README “统计口径” 12).

Each part (the city's own report, 市本级, and each county) stands by the carry-forward rule on its own
(carry.stand); the city's 全市 standing is made from the parts here, and the rest of the picture treats
it as the city's standing, so every city figure shown anywhere is 全市:
- a count or amount is the sum of the parts that have it; 本月 adds the parts that reported it this
  month (None when none did); the figure is carried (沿用) from the oldest month any part carries;
- a rate adds numerators and denominators over the parts that give both, then divides (never an
  average of rates);
- a yes/no answer (是/否) is 是 for the city when every part that answered says 是;
- the 执法情况 block (campaign-wide, once per report) the same way as a measure's figures;
- a measure is 已完成 for the city when every part that reports it says so; 推进中 once any part has
  started; 未启动 when the parts that reported it have not; not there (未报) when none reported it.
  Its month is the oldest month a part's status comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Optional

from yejin.picture.carry import IndicatorTotal, Standing, StatusEntry, rate
from yejin.words import DONE, IN_PROGRESS, NOT_STARTED

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable

    from yejin.campaign.models import Indicator, Measure, Unit


@dataclass
class CityParts:
    """A city with counties in one month: its own standing (市本级), its counties' and the sum (全市)."""

    own: Standing
    counties: list[Standing]
    whole: Standing = field(init=False)

    @property
    def parts(self) -> list[Standing]:
        return [self.own, *self.counties]


def combine(
    city: Unit,
    own: Standing,
    counties: list[Standing],
    measures: list[tuple[Measure, list[str]]],
    enforcement: Iterable[Indicator] = (),
) -> Standing:
    """The city's 全市 standing.  `measures`: each measure the city covers, with the ids of the parts that
    report it (市本级 and/or counties); `enforcement`: the campaign's 执法情况 indicators."""
    parts = {s.unit.id: s for s in (own, *counties)}
    reported = [s.current for s in parts.values() if s.current is not None]
    latest = [s.latest for s in parts.values() if s.latest is not None]
    whole = Standing(
        city,
        own.current or (reported[0] if reported else None),
        own.latest or (max(latest, key=lambda r: r.month) if latest else None),
    )
    for measure, ids in measures:
        mine = [parts[i] for i in ids if i in parts]
        entry = _status([s.statuses.get(measure.number) for s in mine])
        if entry is not None:
            whole.statuses[measure.number] = entry
        for ind in measure.indicators:
            figures = [t for s in mine if (t := s.values.get((measure.number, ind.key))) is not None]
            if figures:
                whole.values[measure.number, ind.key] = _sum(ind, figures)
    for ind in enforcement:
        figures = [t for s in parts.values() if (t := s.enforcement.get(ind.key)) is not None]
        if figures:
            whole.enforcement[ind.key] = _sum(ind, figures)
    return whole


def _status(entries: list[Optional[StatusEntry]]) -> Optional[StatusEntry]:
    given = [e for e in entries if e is not None]
    if not given:
        return None
    month = min(e.month for e in given)
    if len(given) == len(entries) and all(e.status == DONE for e in given):
        return StatusEntry(DONE, month)
    if any(e.status in (DONE, IN_PROGRESS) for e in given):
        return StatusEntry(IN_PROGRESS, month)
    return StatusEntry(NOT_STARTED, month)


def _sum(ind, figures: list[IndicatorTotal]) -> IndicatorTotal:
    carried = sorted(t.carried_from for t in figures if t.carried_from)
    oldest = carried[0] if carried else None
    if ind.kind == "rate":
        num = sum((t.numerator for t in figures), Decimal(0))
        den = sum((t.denominator for t in figures), Decimal(0))
        total = IndicatorTotal(ind, rate(num, den), None, num, den, carried_from=oldest)
    elif ind.kind == "yesno":  # 1 is 是 (carry.number): 是 when every answer is
        value = Decimal(1 if all(t.value == 1 for t in figures) else 0)
        total = IndicatorTotal(ind, value, None, carried_from=oldest)
    else:
        months = [t.this_month for t in figures if t.this_month is not None]
        this_month = sum(months, Decimal(0)) if months else None
        total = IndicatorTotal(ind, sum((t.value for t in figures), Decimal(0)), this_month, carried_from=oldest)
    total.units, total.carried_units = len(figures), len(carried)
    return total
