"""全市 = 市本级 + counties (picture/rollup.py), as properties over random county reports.

The data: the counties fixture's task list (M1 各级 with checked/found/fixed and 整改率, M2 县、区 only,
M3 省、市 only) with 阳泉 (5 counties) and 晋城 (6 counties) opted in and 大同 reporting 全市 itself.
Every unit reports any of the months 2022-03..06 (or none), on any day up to 07-10; the picture is
taken as of 07-05.  Expected totals are worked out from the generated figures, not from the picture.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from conftest import TESTS
from hardening_helpers import budget
from yejin.checking.dataset import load_dataset
from yejin.picture.aggregate import build_picture, city_view
from yejin.words import DONE, IN_PROGRESS, NOT_STARTED, STATUSES

MONTHS = ("2022-03", "2022-04", "2022-05", "2022-06")
AS_OF = dt.date(2022, 7, 5)
UNITS = {  # unit id -> (name in the file, measures it reports)
    "shanxi": ("省厅", (1, 3)),
    "yangquan": ("阳泉市", (1, 3)),
    **{f"yangquan-{c}": (n, (1, 2)) for c, n in [("chengqu", "阳泉市城区"), ("kuangqu", "矿区"), ("jiaoqu", "郊区")]},
    **{f"yangquan-{c}": (n, (1, 2)) for c, n in [("pingding", "平定县"), ("yuxian", "盂县")]},
    "jincheng": ("晋城市", (1, 3)),
    **{
        f"jincheng-{c}": (n, (1, 2))
        for c, n in [("chengqu", "晋城市城区"), ("qinshui", "沁水县"), ("yangcheng", "阳城县")]
    },
    **{f"jincheng-{c}": (n, (1, 2)) for c, n in [("lingchuan", "陵川县"), ("zezhou", "泽州县"), ("gaoping", "高平市")]},
    "datong": ("大同市", (1, 2, 3)),  # not opted in: reports county work (M2) for its area
}
CITIES = ("yangquan", "jincheng", "datong")

month_report = st.fixed_dictionaries(
    {
        "day": st.integers(1, 40),  # days after the 1st of the month's 30th… up to 07-10 for June
        "checked": st.integers(0, 9),
        "found": st.integers(0, 9),
        "fixed_share": st.integers(0, 100),
        "reviewed": st.integers(0, 9),
        "status": st.sampled_from(STATUSES),
    }
)
unit_series = st.lists(st.one_of(st.none(), month_report), min_size=4, max_size=4)


def write(root: Path, series: dict[str, list]) -> dict[str, dict]:
    """The reports as files; returns each unit's latest counted figures and statuses (the carry rule)."""
    data = root / "data"
    (data / "reports").mkdir(parents=True)
    shutil.copy(TESTS / "fixtures" / "counties" / "tasks.yaml", data / "tasks.yaml")
    tasks = (data / "tasks.yaml").read_text(encoding="utf-8")
    tasks = tasks.replace(
        "  - {id: yangquan,",
        '  - {id: datong, name: 大同市, code: "140200", level: 市, parent: shanxi}\n'
        '  - {id: jincheng, name: 晋城市, code: "140500", level: 市, parent: shanxi, counties: {report: true}}\n'
        "  - {id: yangquan,",
    )
    (data / "tasks.yaml").write_text(tasks, encoding="utf-8")
    latest: dict[str, dict] = {}
    for unit_id, months in series.items():
        name, measures = UNITS[unit_id]
        totals = {"checked": 0, "found": 0, "fixed": 0, "reviewed": 0}
        for month, r in zip(MONTHS, months):
            if r is None:
                continue
            for key in ("checked", "found", "reviewed"):
                totals[key] += r[key]
            totals["fixed"] = max(totals["fixed"], totals["found"] * r["fixed_share"] // 100)
            submitted = dt.date(int(month[:4]), int(month[5:]), 1) + dt.timedelta(days=r["day"] - 1)
            lines = [f"unit: {name}", f'month: "{month}"', f"submitted: {submitted.isoformat()}"]
            lines.append('contacts: {a: {name: 甲, phone: "0353-2000001"}, b: {name: 乙, phone: "13900000001"}}')
            lines.append("measures:")
            body = {
                1: f"{{checked: {totals['checked']}, found: {totals['found']}, fixed: {totals['fixed']}}}",
                2: f"{{reviewed: {totals['reviewed']}}}",
                3: "{}",
            }
            for number in measures:
                lines.append(f"  {number}: {{status: {r['status']}, progress: 进展。, indicators: {body[number]}}}")
            folder = data / "reports" / unit_id
            folder.mkdir(exist_ok=True)
            (folder / f"{month}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
            if submitted <= AS_OF:
                latest[unit_id] = {**totals, "status": r["status"], "month": month}
    return latest


def value(picture, number, key):
    return next(
        t for p in picture.measures if p.measure.number == number for t in p.indicators if t.indicator.key == key
    )


@budget(15)
@given(st.fixed_dictionaries({u: unit_series for u in UNITS}))
def test_province_total_is_the_sum_of_cities_and_of_their_parts(series):
    with tempfile.TemporaryDirectory() as folder:
        latest = write(Path(folder), series)
        data = load_dataset(Path(folder) / "data", today=dt.date(2022, 12, 31), cache=False)
        assert [p for p in data.problems if p.level == "error"] == []
        picture = build_picture(data, "2022-06", AS_OF)
    campaign = data.campaign
    for number, key in ((1, "checked"), (1, "found"), (1, "fixed"), (2, "reviewed")):
        expected = sum(Decimal(f[key]) for u, f in latest.items() if number in UNITS[u][1])
        province = value(picture, number, key)
        cities = [picture.figures[u.id].values.get((number, key)) for u in campaign.units]
        assert province.value == expected == sum(t.value for t in cities if t is not None)
        for city_id in ("yangquan", "jincheng"):  # 全市 = 市本级 + counties
            view = city_view(campaign, picture, campaign.unit_by_id[city_id])
            whole = picture.figures[city_id].values.get((number, key))
            parts = [f.values.get((number, key)) for f in view.figures.values()]
            assert sum((t.value for t in parts if t is not None), Decimal(0)) == (whole.value if whole else 0)
            mine = sum(Decimal(f[key]) for u, f in latest.items() if u.startswith(city_id) and number in UNITS[u][1])
            assert (whole.value if whole else 0) == mine
            if whole is not None:
                assert value(view, number, key).value == whole.value  # the city's 合计 is its 全市 row
    # counts of units add up at each level
    for progress in picture.measures:
        assert sum(progress.counts.values()) == progress.applicable
        for state in progress.units:
            if state.parts:
                assert state.done == all(part.done for part in state.parts)
                given_ = [p.status for p in state.parts if p.month]
                if not given_:
                    assert state.month is None
                elif state.status == NOT_STARTED:
                    assert all(s == NOT_STARTED for s in given_)
                elif state.status == IN_PROGRESS:
                    assert any(s in (DONE, IN_PROGRESS) for s in given_)
    for city_id in ("yangquan", "jincheng"):
        view = city_view(campaign, picture, campaign.unit_by_id[city_id])
        assert len(view.submissions) == 1 + len(campaign.counties_of(city_id))
        assert sum(view.submission_counts().values()) == len(view.submissions)
        for progress in view.measures:
            assert sum(progress.counts.values()) == progress.applicable
    assert sum(picture.submission_counts().values()) == len(CITIES)


def test_the_shipped_太原_enforcement_is_市本级_plus_its_counties():
    """执法情况 (once per report) rolls up like a measure's figures; the province adds the 全市 row."""
    from conftest import SHIPPED_DATA

    data = load_dataset(SHIPPED_DATA, today=dt.date(2022, 12, 31), cache=False)
    picture = build_picture(data, "2022-06", AS_OF)
    view = city_view(data.campaign, picture, data.campaign.unit_by_id["taiyuan"])
    assert len(view.figures) == 11
    for ind in data.campaign.enforcement:
        whole = picture.figures["taiyuan"].enforcement[ind.key]
        parts = [f.enforcement[ind.key] for f in view.figures.values()]
        assert whole.value == sum(p.value for p in parts) and whole.this_month == sum(p.this_month for p in parts)
        province = next(t for t in picture.enforcement if t.indicator.key == ind.key)
        assert province.value == sum(f.enforcement[ind.key].value for f in picture.figures.values())
        assert next(t for t in view.enforcement if t.indicator.key == ind.key).value == whole.value
