"""The campaign as the rest of yejin asks about it: units by any name, measures, who reports what."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only
    from yejin.campaign.models import Indicator, Measure, Task, TasksFile, Unit


@dataclass
class Campaign:
    spec: TasksFile
    _names: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        names: dict[str, str] = {}
        for unit in self.spec.units:
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
        """Reporting units in the official order (the order of tasks.yaml)."""
        return list(self.spec.units)

    @cached_property
    def unit_by_id(self) -> dict[str, Unit]:
        return {u.id: u for u in self.spec.units}

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
    def _has_children(self) -> set[str]:
        return {u.parent for u in self.spec.units if u.parent}

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
            return f"月份 {month} 不在 {self.info.year} 年度内"
        if month < self.first_month:
            return f"月份 {month} 早于通知印发的月份 {self.first_month}（{self.info.issue_date.isoformat()} 印发）"
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

    def applies(self, unit: Unit, measure: Measure) -> bool:
        """Does this unit report this measure?

        A unit reports the measures its level is responsible for.  Until counties
        report on their own, a city reports county-level work for its area.
        """
        if unit.level in measure.levels:
            return True
        return unit.level == "市" and "县" in measure.levels and unit.id not in self._has_children

    def applicable_measures(self, unit: Unit) -> list[Measure]:
        return [m for m in self.measures.values() if self.applies(unit, m)]

    def applicable_units(self, measure: Measure) -> list[Unit]:
        return [u for u in self.units if self.applies(u, measure)]


def unit_names(unit: Unit) -> list[str]:
    names = [unit.id, unit.name, unit.code, *unit.aliases]
    if unit.short_name:
        names.append(unit.short_name)
    if not unit.name.endswith(("厅", "局")):
        names.append(unit.name + "应急管理局")
    if unit.level == "省":
        names.append("省应急管理厅")
    return names
