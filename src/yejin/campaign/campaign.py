"""The campaign as the rest of yejin asks about it: units by any name, measures, who reports what.

Units come in two tiers.  `units` are the department and the cities, the rows of the province's
tables; `counties` are the county-level divisions of the cities that opted in for them in tasks.yaml
(`counties: {report: true}`), taken from the registry (counties.py).  Such a city's own report covers
市本级 work; its 全市 figures are worked out in the picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from yejin.campaign import counties as registry
from yejin.words import date_words

if TYPE_CHECKING:  # annotations only
    from yejin.campaign.models import Indicator, Measure, Task, TasksFile, Unit


@dataclass
class Campaign:
    spec: TasksFile
    _names: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        names: dict[str, str] = {}
        for unit in self.all_units:
            for name in unit_names(unit):
                names.setdefault(name, unit.id)
        self._names = names

    @property
    def names(self) -> dict[str, str]:
        """Every accepted name of every unit -> its id."""
        return dict(self._names)

    @property
    def info(self):  # 专项行动基本信息
        return self.spec.campaign

    @cached_property
    def units(self) -> list[Unit]:
        """The department and the cities in the official order (the order of tasks.yaml): the rows of the
        province's tables.  Counties are in `counties`."""
        return [u for u in self.spec.units if u.level != registry.LEVEL]

    @cached_property
    def counties(self) -> list[Unit]:
        """The county units of the cities that opted in (registry order: by code within each city)."""
        return [c for city in self.units for c in self.counties_of(city.id)]

    @cached_property
    def _counties_by_city(self) -> dict[str, list[Unit]]:
        out: dict[str, list[Unit]] = {}
        for city in self.spec.units:
            if city.level == "市" and city.counties is not None and city.counties.report:
                out[city.id] = [registry.county_unit(d, city) for d in registry.of_city(city)]
        return out

    def counties_of(self, city_id: str) -> list[Unit]:
        """The counties reporting under a city ([] when the city reports 全市 figures itself)."""
        return self._counties_by_city.get(city_id, [])

    def has_counties(self, unit: Unit) -> bool:
        """A city whose counties report on their own: its own report is 市本级."""
        return bool(self._counties_by_city.get(unit.id))

    @cached_property
    def all_units(self) -> list[Unit]:
        """Every reporting unit, each city followed by its counties."""
        return [u for top in self.units for u in (top, *self.counties_of(top.id))]

    @cached_property
    def unit_by_id(self) -> dict[str, Unit]:
        return {u.id: u for u in self.all_units}

    def key_counties(self, city: Unit) -> list[registry.Division]:
        """重点县区 of a city (measure 10's 应复核), as tasks.yaml lists them; names not found are left out
        (checks.check_tasks reports them)."""
        if city.counties is None:
            return []
        mine = registry.of_city(city)
        found = [registry.find(mine, name) for name in city.counties.key]
        return list(dict.fromkeys(d for d in found if d is not None))

    @cached_property
    def tasks(self) -> list[Task]:
        return list(self.spec.tasks)

    @cached_property
    def measures(self) -> dict[int, Measure]:
        return {m.number: m for t in self.spec.tasks for m in t.measures}

    @cached_property
    def enforcement(self) -> list[Indicator]:
        """执法情况: indicators reported once per report (the report's `enforcement`), not per measure."""
        return list(self.spec.enforcement)

    @cached_property
    def enforcement_map(self) -> dict[str, Indicator]:
        return {i.key: i for i in self.spec.enforcement}

    @cached_property
    def totals(self) -> list[Indicator]:
        """全省合计: each adds up the measure indicators whose adds_to names it (not reported)."""
        return list(self.spec.totals)

    @cached_property
    def task_of(self) -> dict[int, Task]:
        return {m.number: t for t in self.spec.tasks for m in t.measures}

    @cached_property
    def first_month(self) -> str:
        """The campaign's first month: the month the notice was issued (晋应急发〔2022〕80号: 2022-03)."""
        issued = self.info.issue_date
        return max(f"{issued.year}-{issued.month:02d}", f"{self.info.year}-01")

    @cached_property
    def last_month(self) -> str:
        return f"{self.info.year}-12"

    def month_problem(self, month: str) -> str | None:
        """Why a month (YYYY-MM) lies outside the campaign, or None: before the notice's month, after its year."""
        if month[:4] != str(self.info.year):
            return f"月份{month}不在{self.info.year}年度内"
        if month < self.first_month:
            return f"月份{month}早于通知印发的月份{self.first_month}（通知{date_words(self.info.issue_date)}印发）"
        return None

    def is_department(self, unit: Unit) -> bool:
        """The province department (省厅): it reports its own measures, but it is not one of the cities
        whose submissions are counted and ranked."""
        return unit.level == "省"

    @cached_property
    def cities(self) -> list[Unit]:
        """The reporting units other than the department, in the official order (设区市)."""
        return [u for u in self.units if not self.is_department(u)]

    def table_file_name(self, month: str) -> str:
        """附件2's file name for a month, e.g. …统计表（2022年6月）.xlsx (export and bulletin share it)."""
        year, m = month.split("-")
        return f"{self.info.table_title}（{int(year)}年{int(m)}月）.xlsx"

    def resolve_unit(self, name: str | int | None) -> Unit | None:
        """太原市, 太原, taiyuan, 140100 and 太原市应急管理局 all name the same unit."""
        if name is None or isinstance(name, bool):
            return None
        key = str(name).strip()
        unit_id = self._names.get(key) or self._names.get(key.lower())
        return self.unit_by_id.get(unit_id) if unit_id else None

    def dormant_county(self, name: str | int | None) -> str | None:
        """Why a county's name names no unit: its city reports 全市 figures itself (None for other names)."""
        if name is None or isinstance(name, bool):
            return None
        for city in self.cities:
            found = registry.find(registry.of_city(city), name)
            if found is not None and not self.has_counties(city):
                return (
                    f"{found.name}是{city.name}的县（区），{city.name}尚未启用县（区）单独报送，由{city.name}汇总报送；"
                    f"如要单独报送，请省厅在 tasks.yaml 的{city.name}下写 counties: {{report: true}}。"
                )
        return None

    def applies(self, unit: Unit, measure: Measure) -> bool:
        """Does this unit's own report list this measure?

        A unit reports the measures its level is responsible for (a county: 各级, 市、县 and 县、区 ones,
        not 省、市 or 省 ones).  Until its counties report on their own, a city reports county-level
        work for its area; once they do, its own report is 市本级 and leaves county-only work to them.
        """
        if unit.level in measure.levels:
            return True
        return unit.level == "市" and "县" in measure.levels and not self.has_counties(unit)

    def applicable_measures(self, unit: Unit) -> list[Measure]:
        return [m for m in self.measures.values() if self.applies(unit, m)]

    def applicable_units(self, measure: Measure) -> list[Unit]:
        """The department and cities responsible for the measure in the province's tables: those whose own
        reports list it, and the cities whose counties report it (the city's 全市 covers it)."""
        return [u for u in self.units if self.applies(u, measure) or self.applicable_counties(u, measure)]

    def applicable_counties(self, city: Unit, measure: Measure) -> list[Unit]:
        """A city's counties that report the measure."""
        return [c for c in self.counties_of(city.id) if self.applies(c, measure)]


def unit_names(unit: Unit) -> list[str]:
    names = [unit.id, unit.name, unit.code, *unit.aliases]
    if unit.short_name:
        names.append(unit.short_name)
    if not unit.name.endswith(("厅", "局")):
        names.append(unit.name + "应急管理局")
    if unit.level == "省":
        names.append("省应急管理厅")
    return names
