"""The shipped sample data (data/): made by scripts/make_sample_data.py only, marked 示例数据, within real bounds,
and measure 10's 重点县区覆盖率 computed from the 重点县区 tasks.yaml lists (issue 17).

The June figures below were added up by hand from data/reports/*/2022-06.yaml (吕梁市: 2022-05.yaml, carried).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from chinese_text import gaps
from conftest import SHIPPED_DATA, TASKS_YAML, run_cli
from yejin.campaign import counties as registry
from yejin.checking.dataset import load_tasks

REPO = SHIPPED_DATA.parent
REPORTS = sorted((SHIPPED_DATA / "reports").glob("*/*.yaml"))
# 重点县区 as data/tasks.yaml lists them (示例): 35 in all, 2–4 a city
KEY = {
    "taiyuan": ["小店区", "晋源区", "清徐县"],
    "datong": ["平城区", "云州区", "浑源县"],
    "shuozhou": ["朔城区", "山阴县", "怀仁市"],
    "xinzhou": ["忻府区", "定襄县", "原平市"],
    "yangquan": ["郊区", "盂县"],
    "lvliang": ["文水县", "交城县", "孝义市", "汾阳市"],
    "jinzhong": ["榆次区", "祁县", "平遥县", "介休市"],
    "changzhi": ["潞州区", "上党区", "长子县"],
    "jincheng": ["阳城县", "泽州县", "高平市"],
    "linfen": ["尧都区", "洪洞县", "侯马市"],
    "yuncheng": ["盐湖区", "新绛县", "永济市", "河津市"],
}
# 复核重点县区数 in June (吕梁: May, carried): 2+1+2+2+1+2+4+3+2+2+3 = 24 of 35
REVIEWED_JUNE = {
    "taiyuan": 2,
    "datong": 1,
    "shuozhou": 2,
    "xinzhou": 2,
    "yangquan": 1,
    "lvliang": 2,
    "jinzhong": 4,
    "changzhi": 3,
    "jincheng": 2,
    "linfen": 2,
    "yuncheng": 3,
}


@pytest.fixture(scope="module")
def campaign():
    return load_tasks(SHIPPED_DATA)[0]


def _reports():
    for path in REPORTS:
        yield path, yaml.safe_load(path.read_text(encoding="utf-8"))


def test_every_city_lists_its_key_counties_from_the_registry(campaign) -> None:
    for unit in campaign.units:
        names = [d.name for d in campaign.key_counties(unit)]
        assert names == KEY.get(unit.id, []), unit.id
        assert all(d in registry.of_city(unit) for d in campaign.key_counties(unit))
    assert sum(len(v) for v in KEY.values()) == 35
    text = TASKS_YAML.read_text(encoding="utf-8")
    assert "是示例" in text and "请省厅换成实际确定的重点县区" in text


def test_measure_10_coverage_is_reviewed_key_counties_over_the_listed_ones() -> None:
    doc = json.loads(
        run_cli("--data", str(SHIPPED_DATA), "status", "--month", "2022-06", "--as-of", "2022-07-05", "--json").stdout
    )
    m10 = next(m for m in doc["measures"] if m["number"] == 10)
    figures = {i["key"]: i for i in m10["indicators"]}
    assert list(figures) == ["counties_reviewed", "key_counties_reviewed", "issues_reviewed", "coverage"]
    assert figures["key_counties_reviewed"]["value"] == sum(REVIEWED_JUNE.values()) == 24  # 省厅 0
    coverage = figures["coverage"]
    assert (coverage["numerator"], coverage["denominator"], coverage["units"]) == (24, 35, 11)  # not 省厅
    assert coverage["value"] == 68.5714 and coverage["target_text"] == "重点县区全覆盖" and m10["warning"] == "green"
    behind = {b["unit_id"]: [p["key"] for p in b["behind_pace"]] for b in doc["units_behind"]}
    assert behind["datong"] == ["coverage"]  # 1 of 3 = 33.3% < 序时进度 39.1%


def test_a_citys_coverage_and_the_departments_none() -> None:
    def m10(unit: str) -> dict:
        doc = json.loads(
            run_cli(
                "--data",
                str(SHIPPED_DATA),
                "status",
                "--month",
                "2022-06",
                "--as-of",
                "2022-07-05",
                "--json",
                "-u",
                unit,
            ).stdout
        )
        return {i["key"]: i for i in next(m for m in doc["measures"] if m["number"] == 10)["indicators"]}

    datong = m10("大同")["coverage"]
    assert (datong["value"], datong["numerator"], datong["denominator"], datong["behind_pace"]) == (
        33.3333,
        1,
        3,
        True,
    )
    department = m10("省厅")
    assert department["key_counties_reviewed"]["value"] == 0 and "coverage" not in department


def test_every_report_is_marked_sample_data_and_stays_within_real_counts(campaign) -> None:
    assert len(REPORTS) == 87
    for path, doc in _reports():
        text = path.read_text(encoding="utf-8")
        assert doc["sample_data"] is True and "# 示例数据：" in text, path
        unit = campaign.resolve_unit(doc["unit"])
        m10 = (doc["measures"].get(10) or {}).get("indicators", {})
        if m10:
            divisions = len(registry.of_city(unit)) if unit.level == "市" else 117
            assert m10["counties_reviewed"] <= divisions, path
            assert m10["key_counties_reviewed"] <= min(len(KEY.get(unit.id, [])), m10["counties_reviewed"]), path
        if doc["month"] == "2022-06" and unit.id in REVIEWED_JUNE and unit.id != "lvliang":
            assert m10["key_counties_reviewed"] == REVIEWED_JUNE[unit.id], path
        if doc["month"] == "2022-05" and unit.id == "lvliang":
            assert m10["key_counties_reviewed"] == REVIEWED_JUNE["lvliang"], path


def test_typical_cases_name_authority_basis_and_a_fine_within_the_fines_reported() -> None:
    cases_by_unit: dict[str, float] = {}
    seen = 0
    for path, doc in sorted(_reports(), key=lambda pd: pd[1]["month"]):
        for case in (doc["measures"].get(7) or {}).get("cases", []):
            seen += 1
            assert case["authority"] == doc["unit"] + "应急管理局", path
            assert re.fullmatch(r"《中华人民共和国安全生产法》第(九十九|一百零一)条第[一二三四五]项", case["basis"]), (
                path
            )
            limit = 5 if "第九十九条" in case["basis"] else 10  # 五万元以下 / 十万元以下
            assert 0 < case["fine"] <= limit, path
            cases_by_unit[doc["unit"]] = cases_by_unit.get(doc["unit"], 0) + case["fine"]
            assert cases_by_unit[doc["unit"]] <= doc["enforcement"]["fines"], path  # within the unit's 罚款 so far
    assert seen == 10


def test_no_space_between_chinese_and_digits_in_any_sample_text() -> None:
    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)

    for path, doc in _reports():
        assert [g for s in strings(doc) for g in gaps(s)] == [], path


def test_measure_1_note_is_official_chinese_and_the_notice_text_is_untouched(campaign) -> None:
    m1 = campaign.measures[1]
    assert m1.note == "GB 30871-2014已被GB 30871-2022《危险化学品企业特殊作业安全规范》代替，自2022年10月1日起实施"
    assert m1.text.startswith("督促企业依据《化学品生产单位特殊作业安全规范》(GB30871-2014), 完善")
    assert m1.deadline == "2022 年底前"  # the notice's spacing stays in text and deadline


def test_the_script_is_the_one_way_the_reports_are_made(tmp_path: Path) -> None:
    """Regenerating into an empty folder gives data/reports byte for byte: nothing was edited by hand."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(TASKS_YAML, data / "tasks.yaml")
    script = REPO / "scripts" / "make_sample_data.py"
    done = subprocess.run([sys.executable, str(script), str(data)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    made = sorted(p.relative_to(data) for p in (data / "reports").rglob("*") if p.is_file())
    shipped = sorted(p.relative_to(SHIPPED_DATA) for p in (SHIPPED_DATA / "reports").rglob("*") if p.is_file())
    assert made == shipped
    for rel in made:
        assert (data / rel).read_bytes() == (SHIPPED_DATA / rel).read_bytes(), rel
