"""data/tasks.yaml against the official notice (docs/notice.txt, 晋应急发〔2022〕80号, 附件 1).

The table below was typed from the notice, not from tasks.yaml, so a slip in either shows up.
Merged cells of the notice's table are read as applying to every row they span.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import REPO, TASKS_YAML
from yejin.campaign.campaign import Campaign
from yejin.checking.dataset import load_tasks

NOTICE = (REPO / "docs" / "notice.txt").read_text(encoding="utf-8")

ALL = ("省", "市", "县")  # 各级应急管理部门
CITY_COUNTY = ("市", "县")  # 市、县应急管理部门
COUNTY = ("县",)  # 县、区应急管理部门
PROVINCE_CITY = ("省", "市")  # 省、市应急管理部门
PROVINCE = ("省",)  # 省应急管理厅

YEAR_END = dt.date(2022, 12, 31)  # 2022 年底前
# measure number -> (task number, 完成时限, 责任层级), as the notice's table reads
NOTICE_TABLE: dict[int, tuple[int, dt.date, tuple[str, ...]]] = {
    1: (1, YEAR_END, ALL),
    2: (1, YEAR_END, ALL),
    3: (2, dt.date(2022, 9, 30), ALL),
    4: (2, dt.date(2022, 9, 30), ALL),
    5: (2, YEAR_END, ALL),
    6: (3, dt.date(2022, 3, 31), CITY_COUNTY),
    7: (3, YEAR_END, ALL),
    8: (4, YEAR_END, CITY_COUNTY),
    9: (5, dt.date(2022, 9, 30), COUNTY),
    10: (5, YEAR_END, PROVINCE_CITY),
    11: (6, YEAR_END, ALL),
    12: (6, dt.date(2022, 6, 30), PROVINCE),
    13: (7, YEAR_END, PROVINCE),
    14: (7, YEAR_END, ALL),
    15: (8, dt.date(2022, 11, 30), PROVINCE),
    16: (8, YEAR_END, ALL),
    17: (9, YEAR_END, ALL),
    18: (9, YEAR_END, ALL),
}

TASK_TITLES = {
    1: "完善危险作业管理制度体系",
    2: "强化重大危险源安全风险管控",
    3: "深化重点行业领域专项治理",
    4: "开展涉爆粉尘企业专项整治“回头看”",
    5: "组织有限空间作业专家指导服务",
    6: "建立健全落实企业主体责任长效机制",
    7: "推动落实双重预防机制建设",
    8: "落实分级分类监管提高监管执法效能",
    9: "加强企业安全设施“三同时”源头管控",
}

# The 11 设区市 of Shanxi with their GB/T 2260 codes
CITIES = {
    "taiyuan": ("太原市", "140100"),
    "datong": ("大同市", "140200"),
    "yangquan": ("阳泉市", "140300"),
    "changzhi": ("长治市", "140400"),
    "jincheng": ("晋城市", "140500"),
    "shuozhou": ("朔州市", "140600"),
    "jinzhong": ("晋中市", "140700"),
    "yuncheng": ("运城市", "140800"),
    "xinzhou": ("忻州市", "140900"),
    "linfen": ("临汾市", "141000"),
    "lvliang": ("吕梁市", "141100"),
}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    campaign, _, problems, _ = load_tasks(TASKS_YAML.parent)
    assert problems == [], problems
    assert campaign is not None
    return campaign


def test_nine_tasks_eighteen_measures(campaign: Campaign) -> None:
    assert [t.number for t in campaign.tasks] == list(range(1, 10))
    assert sorted(campaign.measures) == list(range(1, 19))
    assert sum(len(t.measures) for t in campaign.tasks) == 18
    assert "（9 项 18 条）" in NOTICE


def test_task_titles(campaign: Campaign) -> None:
    assert {t.number: t.title for t in campaign.tasks} == TASK_TITLES
    for title in TASK_TITLES.values():
        assert title in NOTICE


@pytest.mark.parametrize("number", sorted(NOTICE_TABLE))
def test_measure_matches_notice_table(campaign: Campaign, number: int) -> None:
    task, deadline, levels = NOTICE_TABLE[number]
    measure = campaign.measures[number]
    assert campaign.task_of[number].number == task
    assert measure.deadline_date == deadline
    assert measure.levels == levels


@pytest.mark.parametrize("number", sorted(NOTICE_TABLE))
def test_measure_wording_is_verbatim(campaign: Campaign, number: int) -> None:
    measure = campaign.measures[number]
    assert f"{number}. {measure.text}" in NOTICE
    for field in (measure.target, measure.responsible, measure.deadline):
        assert isinstance(field, str) and field in NOTICE, field


def test_measures_are_in_notice_order(campaign: Campaign) -> None:
    positions = [NOTICE.index(f"{n}. {campaign.measures[n].text}") for n in range(1, 19)]
    assert positions == sorted(positions)


def test_campaign_metadata(campaign: Campaign) -> None:
    info = campaign.info
    assert info.document_number == "晋应急发〔2022〕80号"
    assert info.issue_date == dt.date(2022, 3, 4)
    assert info.report_day == 30
    assert info.year == 2022
    assert info.issuer == "山西省应急管理厅"
    assert info.name == "冶金制造安全专项整治三年行动"
    for value in (info.document_number, info.issuer, info.name):
        assert value in NOTICE
    assert squeeze(info.notice_title) in squeeze(NOTICE)
    assert squeeze(info.table_title) in squeeze(NOTICE)
    assert "每月 30 日报送当月工作进展情况" in NOTICE
    assert "2022年3月4日印发" in NOTICE
    assert info.contact is not None and info.contact in NOTICE


def test_units_are_the_province_and_eleven_cities(campaign: Campaign) -> None:
    province, *cities = campaign.units
    assert (province.id, province.name, province.code, province.level) == ("shanxi", "山西省应急管理厅", "140000", "省")
    assert province.parent is None
    assert {u.id: (u.name, u.code) for u in cities} == CITIES
    assert all(u.level == "市" and u.parent == "shanxi" for u in cities)
    assert len({u.code for u in campaign.units}) == 12


@pytest.mark.parametrize(
    "name", ["太原", "太原市", "taiyuan", "TaiYuan", " 太原市 ", 140100, "140100", "太原市应急管理局"]
)
def test_unit_resolution(campaign: Campaign, name: object) -> None:
    unit = campaign.resolve_unit(name)
    assert unit is not None and unit.id == "taiyuan"


@pytest.mark.parametrize("name", ["省厅", "山西省应急管理厅", "省应急管理厅", 140000, "shanxi"])
def test_province_resolution(campaign: Campaign, name: object) -> None:
    unit = campaign.resolve_unit(name)
    assert unit is not None and unit.id == "shanxi"


@pytest.mark.parametrize("name", ["吕梁地区", "临汾地区"])
def test_old_names_resolve(campaign: Campaign, name: str) -> None:
    assert campaign.resolve_unit(name) is not None


@pytest.mark.parametrize("name", ["太远", "", None, True, 140101, "山西", "1401"])
def test_unknown_units(campaign: Campaign, name: object) -> None:
    assert campaign.resolve_unit(name) is None


@pytest.mark.parametrize("number", [12, 13, 15])
def test_province_only_measures(campaign: Campaign, number: int) -> None:
    assert [u.id for u in campaign.applicable_units(campaign.measures[number])] == ["shanxi"]


def test_county_measure_9_is_reported_by_cities(campaign: Campaign) -> None:
    units = campaign.applicable_units(campaign.measures[9])
    assert {u.id for u in units} == set(CITIES)


@pytest.mark.parametrize("number", [6, 8])
def test_city_county_measures_are_not_the_provinces(campaign: Campaign, number: int) -> None:
    assert {u.id for u in campaign.applicable_units(campaign.measures[number])} == set(CITIES)


def test_measure_10_is_province_and_cities(campaign: Campaign) -> None:
    assert len(campaign.applicable_units(campaign.measures[10])) == 12


def test_every_unit_has_work(campaign: Campaign) -> None:
    province = campaign.unit_by_id["shanxi"]
    city = campaign.unit_by_id["datong"]
    assert [m.number for m in campaign.applicable_measures(province)] == [n for n in range(1, 19) if n not in (6, 8, 9)]
    assert [m.number for m in campaign.applicable_measures(city)] == [n for n in range(1, 19) if n not in (12, 13, 15)]
    # 太原's counties report on their own: 市本级 leaves county-only measure 9 to them
    own = campaign.unit_by_id["taiyuan"]
    assert [m.number for m in campaign.applicable_measures(own)] == [
        n for n in range(1, 19) if n not in (9, 12, 13, 15)
    ]
