"""The county registry (campaign/counties.csv) against what is known of Shanxi's divisions, and the opt-in.

The counts per city were typed from the 2022 division list (/work/shared/domain.md), not from the CSV.
"""

from __future__ import annotations

import re

import pytest

from conftest import CITY_TASKS, TASKS_YAML
from yejin.campaign import counties as registry
from yejin.campaign.campaign import Campaign
from yejin.campaign.models import TasksFile
from yejin.checking.dataset import load_tasks

PER_CITY = {
    "taiyuan": 10,
    "datong": 10,
    "shuozhou": 6,
    "xinzhou": 14,
    "yangquan": 5,
    "lvliang": 13,
    "jinzhong": 11,
    "changzhi": 12,
    "jincheng": 6,
    "linfen": 17,
    "yuncheng": 13,
}


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    """data/tasks.yaml without 太原's opt-in: no city's counties report."""
    return load_tasks(CITY_TASKS.parent)[0]


def test_the_shipped_task_list_opts_太原_in() -> None:
    shipped = load_tasks(TASKS_YAML.parent)[0]
    assert [c.id for c in shipped.counties] == [d.id for d in registry.divisions() if d.parent == "taiyuan"]
    assert [u.id for u in shipped.units if shipped.has_counties(u)] == ["taiyuan"]


def opted_in(campaign: Campaign, *city_ids: str, **plan) -> Campaign:
    data = campaign.spec.model_dump()
    for unit in data["units"]:
        if unit["id"] in city_ids:
            unit["counties"] = {"report": True, **plan}
    return Campaign(TasksFile.model_validate(data))


def test_117_divisions_counted_per_city() -> None:
    found: dict[str, int] = {}
    for d in registry.divisions():
        found[d.parent] = found.get(d.parent, 0) + 1
    assert found == PER_CITY
    assert sum(PER_CITY.values()) == len(registry.divisions()) == 117


def test_every_code_shares_its_prefix_with_its_parent_city(campaign: Campaign) -> None:
    for d in registry.divisions():
        city = campaign.unit_by_id[d.parent]
        assert re.fullmatch(r"14[0-9]{4}", d.code), d
        assert d.code[:4] == city.code[:4] and d.code != city.code, d
        assert d.code[4] != "7", d  # 7x: development zones, not county-level divisions
        assert registry.of_city(city).count(d) == 1


def test_ids_and_codes_unique_and_ascii() -> None:
    ids = [d.id for d in registry.divisions()]
    codes = [d.code for d in registry.divisions()]
    assert len(set(ids)) == len(set(codes)) == 117
    for d in registry.divisions():
        assert re.fullmatch(r"[a-z][a-z0-9_-]*", d.id) and d.id.startswith(d.parent + "-"), d


def test_known_rows_as_the_dataset_has_them() -> None:
    by_code = {d.code: d for d in registry.divisions()}
    assert by_code["140105"] == registry.Division("140105", "小店区", "taiyuan-xiaodian", "taiyuan")
    assert by_code["140181"].name == "古交市"
    assert by_code["141082"].name == "霍州市" and by_code["141082"].parent == "linfen"
    assert [by_code[c].name for c in ("140302", "140502")] == ["城区", "城区"]
    assert "140171" not in by_code  # 山西转型综合改革示范区


def test_no_city_opts_in_by_default(campaign: Campaign) -> None:
    assert campaign.counties == []
    assert [u.id for u in campaign.all_units] == [u.id for u in campaign.units]
    assert campaign.resolve_unit("小店区") is None


def test_an_opted_in_city_gets_its_counties_by_every_name(campaign: Campaign) -> None:
    bigger = opted_in(campaign, "taiyuan", "yangquan", "jincheng")
    assert [c.name for c in bigger.counties_of("taiyuan")][:3] == ["小店区", "迎泽区", "杏花岭区"]
    assert len(bigger.counties) == 10 + 5 + 6
    assert bigger.counties_of("datong") == []
    xiaodian = bigger.unit_by_id["taiyuan-xiaodian"]
    assert (xiaodian.level, xiaodian.parent, xiaodian.code, xiaodian.short_name) == ("县", "taiyuan", "140105", "小店")
    for name in ("小店区", "小店", "太原小店区", "太原市小店区", "140105", "taiyuan-xiaodian", "小店区应急管理局"):
        assert bigger.resolve_unit(name) is xiaodian, name
    # 城区 is two divisions: only the name with its city names one
    assert bigger.resolve_unit("城区") is None
    assert bigger.resolve_unit("阳泉市城区").id == "yangquan-chengqu"
    assert bigger.resolve_unit("晋城城区").id == "jincheng-chengqu"
    assert [u.id for u in bigger.all_units][:3] == ["shanxi", "taiyuan", "taiyuan-xiaodian"]


def test_which_measures_a_county_and_its_city_report(campaign: Campaign) -> None:
    """The responsible-level rules: a county reports 各级, 市、县 and 县、区 measures; 市本级 leaves 9 to them."""
    bigger = opted_in(campaign, "taiyuan")
    county = bigger.unit_by_id["taiyuan-qingxu"]
    assert [m.number for m in bigger.applicable_measures(county)] == [
        n for n in range(1, 19) if n not in (10, 12, 13, 15)
    ]
    city = bigger.unit_by_id["taiyuan"]
    assert [m.number for m in bigger.applicable_measures(city)] == [n for n in range(1, 19) if n not in (9, 12, 13, 15)]
    assert [u.id for u in bigger.applicable_units(bigger.measures[9])][:2] == ["taiyuan", "datong"]  # 全市
    assert not bigger.applies(city, bigger.measures[9])  # but not 市本级
    assert len(bigger.applicable_counties(city, bigger.measures[9])) == 10
    assert bigger.applicable_counties(city, bigger.measures[10]) == []


def test_key_counties_by_any_name(campaign: Campaign) -> None:
    bigger = opted_in(campaign, "taiyuan", key=["清徐县", "古交", 140122, "清徐"])
    assert [d.code for d in bigger.key_counties(bigger.unit_by_id["taiyuan"])] == ["140121", "140181", "140122"]
