"""Write the synthetic sample reports in data/reports/ (示例数据, not official figures).

    python scripts/make_sample_data.py [DATA_DIR]

Deterministic (fixed seed).  What the sample shows on purpose:
- 2022-03 to 2022-06 for the 11 cities and the province department;
- 大同市 reports June late (2022-07-04); 吕梁市 has not reported June;
- cumulative figures grow month by month; rates stay within their denominators;
- measure 6 (deadline end of March) done by every city but 运城市 (overdue);
- measure 12 done by the province in May, before its June deadline;
- one important situation (太原市, 2022-06-12), so `yejin events` has something to show;
- 执法情况 (enforcement) once per report: 检查企业家次 at least the measure 7 special enforcement's,
  行政处罚 a few 起 a month, 罚款 0.5–3 万元 a case;
- measure 10 复核县区数 within each city's county-level divisions (COUNTIES, 117 in all) and 复核重点县区数
  within the 重点县区 tasks.yaml lists for the city (its 重点县区覆盖率's denominator, computed by yejin): most
  cities on pace for 全覆盖 by the year end, 长治 and 晋中 covered by June, 大同 behind; the province
  department reviews counties too but lists no 重点县区 of its own: its 复核重点县区数 is 0 (counting its reviews
  there would count a city's key county twice), its 重点县区覆盖率 is none (no denominator);
- typical cases (measure 7) with 执法单位, 处罚依据 (an article of the 安全生产法 that fits the violation) and
  罚款金额 within the article's limit and within the fines the city has reported so far;
- measure 18's 沟通协调工作机制 answered 是 from some month on (否 before), as text, never a YAML boolean;
- quotes inside quotes as 『』 inside “ ” (never “““);
- every sentence with a number joined by words.zh: no space between Chinese and digits (截至6月底, 7个).
- 太原市's 10 county-level divisions report on their own (tasks.yaml `counties: {report: true}`) and
  太原市 reports 市本级: each month's 全市 figures are generated as before and split between 市本级
  and the counties (split_for_counties), so 太原's 全市 row and every total stay what they were.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from yejin.campaign.counties import KEY_COUNTIES, divisions  # noqa: E402
from yejin.checking.dataset import load_tasks  # noqa: E402
from yejin.outputs.report_writer import MeasureDraft, ReportDraft, render_report  # noqa: E402
from yejin.words import zh  # noqa: E402

SAMPLE_EVENT = """\
# yaml-language-server: $schema=../../../../schemas/event.schema.json
# 示例数据：本文件是为演示和测试合成的数据，不是官方统计数字。
# 太原市 重要情况（随时报送）
# 填写说明：写明时间、地点、企业、经过和已采取的措施；文字请写在英文双引号内；保存为 UTF-8 编码。

sample_data: true  # 示例数据
unit: 太原市
date: 2022-06-12
title: "某钢铁企业煤气泄漏险情（示例数据）"
category: 险情  # 事故 / 险情 / 重大隐患 / 执法行动 / 其他
measures: [5]  # 涉及的措施序号，如 [5, 7]
summary: "6月12日，某钢铁企业高炉煤气管道阀门泄漏，企业立即停产处置，未造成人员伤亡；市应急管理局已派员督促整改。（示例数据）"  # 情况摘要
contacts:  # 信息报送 A、B 角
  a: {name: "吴丽华", phone: "0351-5550137"}
  b: {name: "刘海燕", phone: "13900048376"}
"""
MONTHS = ["2022-03", "2022-04", "2022-05", "2022-06"]
AREA_CODES = {
    "shanxi": "0351",
    "taiyuan": "0351",
    "datong": "0352",
    "yangquan": "0353",
    "changzhi": "0355",
    "jincheng": "0356",
    "shuozhou": "0349",
    "jinzhong": "0354",
    "yuncheng": "0359",
    "xinzhou": "0350",
    "linfen": "0357",
    "lvliang": "0358",
}
# major hazard sources (重大危险源) per city; they add up to the notice's 80
SOURCES = {
    "taiyuan": 12,
    "datong": 8,
    "shuozhou": 5,
    "xinzhou": 4,
    "yangquan": 6,
    "lvliang": 9,
    "jinzhong": 8,
    "changzhi": 10,
    "jincheng": 6,
    "linfen": 7,
    "yuncheng": 5,
    "shanxi": 0,
}
# county-level divisions (县级行政区划) per city, from the registry (117 in Shanxi).  Measure 10's 复核县区数
# stays within them.
COUNTIES = Counter(d.parent for d in divisions())
# measure 10's 复核重点县区数 as a share of the city's 重点县区, March to June (default: 全覆盖 by the year end)
KEY_REVIEWED = {"default": (0, 0.25, 0.5, 0.75), "changzhi": (0, 0.25, 0.5, 1), "jinzhong": (0, 0.25, 0.5, 1)}
KEY_REVIEWED["datong"] = (0, 0, 0, 0.34)  # behind pace
# typical cases: what was found, the article it breaks (《中华人民共和国安全生产法》, 2021) and its fine limit (万元)
VIOLATIONS = [
    ("煤气区域未设置固定式一氧化碳报警仪", "第九十九条第二项", 5),
    ("动火作业未安排专门人员进行现场安全管理", "第一百零一条第三项", 10),
    ("未建立事故隐患排查治理制度", "第一百零一条第五项", 10),
    ("有限空间作业场所未设置明显的安全警示标志", "第九十九条第一项", 5),
]
MECHANISM_FROM = {
    "taiyuan": "2022-04",
    "datong": "2022-05",
    "changzhi": "2022-04",
    "jincheng": "2022-06",
    "linfen": "2022-05",
    "yuncheng": "2022-06",
    "shanxi": "2022-04",
    "jinzhong": "2022-05",
}
# measure 6's list by category (家 per city): 钢铁, 铝加工（深井铸造）, 涉爆粉尘 (10 人以上)
LISTED = {
    "enterprises_listed_steel": (1, 8),
    "enterprises_listed_aluminium": (0, 3),
    "enterprises_listed_dust": (3, 15),
}
SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ["建国", "海燕", "志强", "丽华", "晓东", "春梅", "卫东", "秀英", "国庆", "红梅", "文军", "小芳"]
LATE = {("datong", "2022-06"): "2022-07-04"}
MISSING = {("lvliang", "2022-06")}
STATUS_DONE_MONTH = {6: "2022-03", 12: "2022-05", 15: "2022-06"}  # measures finished early, by month
DONE_EARLY = {(3, "taiyuan"): "2022-05", (3, "changzhi"): "2022-06", (9, "jincheng"): "2022-06"}
NOT_DONE = {(6, "yuncheng")}


def nested(text: str) -> str:
    """Quotes inside “ ”: “三同时” becomes 『三同时』."""
    return text.replace("“", "『").replace("”", "』")


def case_facts(case: dict, unit, month: str) -> None:
    """A typical case's summary, 执法单位, 处罚依据 and 罚款金额 (万元, to the half; the fines the unit reports bound
    it later).  A generator of its own: the figures drawn from the main one do not move."""
    rng = random.Random(f"case-{unit.id}-{month}")
    found, article, limit = rng.choice(VIOLATIONS)
    case["summary"] = f"执法检查发现该企业{found}，依法责令限期整改并处罚款。（示例数据）"
    case["authority"] = f"{unit.name}应急管理局"
    case["basis"] = f"《中华人民共和国安全生产法》{article}"
    case["fine"] = min(limit, rng.randint(2, 8) / 2)


def figure_words(ind, value) -> str:
    if ind.kind == "yesno":  # 已与生态环境部门建立沟通协调工作机制 / 尚未…
        return ("已" if value == "是" else "尚未") + ind.name
    return zh("累计", ind.name, value, ind.unit)


def progress_text(unit_name: str, measure, status: str, values: dict, month: str) -> str:
    m = int(month[5:])
    if status == "未启动":
        return f"{unit_name}正在研究部署{measure.short_title}工作，尚未启动。（示例数据）"
    parts = [zh("截至", m, "月底，", unit_name, "围绕“", nested(measure.short_title), "”")]
    shown = [i for i in measure.indicators if i.kind != "rate"][:3]
    if shown:
        parts.append("，".join(figure_words(i, values.get(i.key, 0)) for i in shown))
    else:
        parts.append("按计划推进相关工作")
    text = "，".join(parts) + "。"
    if status == "已完成":
        text += "该项工作已按要求完成，转入常态化监管。"
    text += "（示例数据）"
    return text


# --- 太原市's counties: the city's 全市 figures split between 市本级 and its 10 county-level divisions -------

COUNTY_RNG_SEED = 140100  # a generator of its own: the other cities' figures do not move


def covered(campaign, unit):
    """The measures a unit's 全市 figures cover: its own and, for a city whose counties report, theirs."""
    return [m for m in campaign.measures.values() if campaign.applies(unit, m) or campaign.applicable_counties(unit, m)]


def _shares(rng: random.Random, n: int) -> list[int]:
    return [rng.randint(1, 9) for _ in range(n)]


def _split(total: int, weights: list[int], capacity: list[int] | None = None) -> list[int]:
    """An increment in whole units split by weight (the remainder to the first), never over a part's capacity."""
    out = [total * w // sum(weights) for w in weights]
    out[0] += total - sum(out)
    if capacity is not None:  # numerators: within each part's own denominator
        spill = 0
        for i, cap in enumerate(capacity):
            if out[i] > cap:
                spill, out[i] = spill + out[i] - cap, cap
        for i, cap in enumerate(capacity):
            more = min(spill, cap - out[i])
            out[i], spill = out[i] + more, spill - more
    return out


def split_for_counties(campaign, draft: ReportDraft, cumulative: dict) -> list[ReportDraft]:
    """A city's month as its own report (市本级) and one per county, whose sums are the draft's figures.

    Increments are split (so each part's cumulative figures never fall), counts in whole units and amounts in
    cents; a rate's numerator stays within each part's denominator; a yes/no answer is every part's; the
    执法情况 block is split over all parts.  Statuses: 已完成 and 未启动 for all parts alike; 推进中 for 市本级,
    and for every other county 已完成 from May (the city is still 推进中)."""
    city = draft.unit
    counties = campaign.counties_of(city.id)
    if not counties:
        return [draft]
    rng = random.Random(f"{COUNTY_RNG_SEED}-{draft.month}")
    parts = [city, *counties]
    drafts = {
        u.id: ReportDraft(
            unit=u,
            month=draft.month,
            submitted=draft.submitted if u is city else f"{draft.month}-{rng.randint(22, 28):02d}",
            contacts=draft.contacts if u is city else _county_contacts(rng),
            measures={},
            problems=draft.problems,
            next_steps=draft.next_steps,
            sample_data=True,
        )
        for u in parts
    }
    enforcement = _split_values(rng, city, parts, 0, draft.enforcement, {}, cumulative)
    for u in parts:
        drafts[u.id].enforcement = enforcement[u.id]
    for number, whole in draft.measures.items():
        measure = campaign.measures[number]
        mine = [u for u in parts if campaign.applies(u, measure)]
        numerators = {
            i.numerator: i.denominator
            for i in measure.indicators
            if i.kind == "rate" and i.denominator in whole.indicators
        }
        values = _split_values(rng, city, mine, number, whole.indicators, numerators, cumulative)
        for i, u in enumerate(mine):
            status = whole.status
            if status == "推进中" and u is not city and i % 2 == 0 and draft.month >= "2022-05":
                status = "已完成"
            drafts[u.id].measures[number] = MeasureDraft(
                status=status,
                progress=progress_text(u.name, measure, status, values[u.id], draft.month),
                indicators=values[u.id],
                cases=whole.cases if u is city else [],
            )
    return list(drafts.values())


def _split_values(rng, city, mine, number: int, whole: dict, numerators: dict, cumulative: dict) -> dict:
    """The figures of one measure (or of 执法情况: number 0) split over the parts that report them."""
    weights = [w * (3 if u is city else 1) for w, u in zip(_shares(rng, len(mine)), mine)]
    values: dict[str, dict[str, int | float | str]] = {u.id: {} for u in mine}
    keys = [k for k in whole if k not in numerators] + [k for k in whole if k in numerators]
    for key in keys:
        if isinstance(whole[key], str):  # a yes/no answer: the same for every part
            for u in mine:
                values[u.id][key] = whole[key]
            continue
        if key == "typical_cases":  # the cases are listed in the city's own report
            shares = [whole[key] - cumulative.get((mine[0].id, number, key), 0)] + [0] * (len(mine) - 1)
        else:
            scale = 100 if isinstance(whole[key], float) else 1  # amounts in cents
            before = sum(cumulative.get((u.id, number, key), 0) for u in mine)
            step = round(whole[key] * scale) - before
            capacity = None
            if key in numerators:
                den = numerators[key]
                capacity = [
                    cumulative.get((u.id, number, den), 0) - cumulative.get((u.id, number, key), 0) for u in mine
                ]
            shares = _split(step, weights, capacity)
        for u, share in zip(mine, shares):
            total = cumulative.get((u.id, number, key), 0) + share
            cumulative[(u.id, number, key)] = total
            amount = key != "typical_cases" and isinstance(whole[key], float)
            values[u.id][key] = round(total / 100, 2) if amount else total
    return values


def _county_contacts(rng: random.Random) -> dict:
    names = [rng.choice(SURNAMES) + rng.choice(GIVEN) for _ in range(2)]
    return {
        "a": {"name": names[0], "phone": f"0351-55502{rng.randint(10, 99)}"},
        "b": {"name": names[1], "phone": f"139001{rng.randint(10000, 99999)}"},
    }


def make(data_dir: Path) -> int:
    campaign, _, problems, _ = load_tasks(data_dir)
    if campaign is None:
        raise SystemExit(f"tasks.yaml 无效：{problems}")
    rng = random.Random(2022)
    written = 0
    listed: dict[str, list[dict]] = {}  # typical cases of each unit so far
    for unit in campaign.units:
        scale = 0.3 if unit.level == "省" else rng.uniform(0.6, 1.6)
        names = [rng.choice(SURNAMES) + rng.choice(GIVEN) for _ in range(2)]
        area = AREA_CODES[unit.id]
        contacts = {
            "a": {"name": names[0], "phone": f"{area}-55501{rng.randint(10, 99)}"},
            "b": {"name": names[1], "phone": f"139000{rng.randint(10000, 99999)}"},
        }
        totals: dict[tuple[int, str], float] = {}
        split_totals: dict[tuple[str, int, str], int] = {}  # 市本级 and counties: (unit id, measure, key) -> cumulative
        for month_index, month in enumerate(MONTHS):
            if (unit.id, month) in MISSING:
                continue
            m = int(month[5:])
            measures: dict[int, MeasureDraft] = {}
            for measure in covered(campaign, unit):
                values: dict[str, int | float] = {}
                started = measure.number not in (13, 18) or month_index >= 1
                for ind in measure.indicators:
                    if ind.kind == "rate":
                        continue
                    key = (measure.number, ind.key)
                    if measure.number == 5 and ind.key == "sources_inspected":
                        # reaches 63 of 80 province-wide by June (the notice's 全覆盖 by year end)
                        share = [0.2, 0.45, 0.65, 0.79][month_index]
                        values[ind.key] = round(SOURCES[unit.id] * share)
                        continue
                    if ind.kind == "yesno":  # measure 18's 沟通协调工作机制: 是 from its month on
                        since = MECHANISM_FROM.get(unit.id)
                        values[ind.key] = "是" if since and month >= since else "否"
                        continue
                    if measure.number == 10 and ind.key == "counties_reviewed":
                        # within the city's county-level divisions; the department a few key counties
                        share = [0.1, 0.3, 0.5, 0.7][month_index]
                        values[ind.key] = int(COUNTIES[unit.id] * share) if unit.id in COUNTIES else 2 * month_index
                        continue
                    if measure.number == 10 and ind.key == "key_counties_reviewed":
                        # within the city's 重点县区 and the counties it reviewed; none for the department
                        key = len(campaign.key_counties(unit))
                        if key:
                            share = KEY_REVIEWED.get(unit.id, KEY_REVIEWED["default"])[month_index]
                            values[ind.key] = min(int(key * share), values["counties_reviewed"])
                        continue
                    if measure.number == 6 and ind.key in LISTED:  # the list is made in March (运城 late)
                        low, high = LISTED[ind.key]
                        if month_index == 0 or (unit.id == "yuncheng" and month_index == 1):
                            totals[key] = totals.get(key, 0) + rng.randint(low, high)
                        values[ind.key] = totals[key]
                        continue
                    if ind.key == "typical_cases":  # counted from the cases listed below
                        values[ind.key] = totals.get(key, 0)
                        continue
                    if measure.number == 15:
                        values[ind.key] = (0, 0, 0, 1)[month_index] * (1 if ind.key == "sessions" else 96)
                        continue
                    step = rng.randint(0, int(12 * scale) + 1) if started else 0
                    if ind.unit == "万元":
                        totals[key] = round(totals.get(key, 0) + step * 1.35, 2)
                    else:
                        totals[key] = totals.get(key, 0) + step
                    values[ind.key] = totals[key]
                for ind in measure.indicators:  # parts of a rate: numerator within denominator
                    if ind.kind == "rate" and ind.denominator != KEY_COUNTIES:
                        num, den = values[ind.numerator], values[ind.denominator]
                        if num > den:
                            values[ind.numerator], values[ind.denominator] = den, num
                            totals[(measure.number, ind.numerator)] = den
                            totals[(measure.number, ind.denominator)] = num
                done_month = DONE_EARLY.get((measure.number, unit.id)) or STATUS_DONE_MONTH.get(measure.number)
                if (measure.number, unit.id) in NOT_DONE:
                    status = "推进中"
                elif done_month and month >= done_month:
                    status = "已完成"
                elif not started:
                    status = "未启动"
                else:
                    status = "推进中"
                cases = []
                if measure.number == 7 and unit.level == "市" and rng.random() < 0.3:
                    cases.append(
                        {
                            "title": f"某{rng.choice(['钢铁', '铝加工', '铸造'])}企业未落实重点执法检查事项整改案（示例）",
                            "enterprise": f"{unit.short_name}某{rng.choice(['钢铁', '金属制品', '铝业'])}有限公司（示例）",
                        }
                    )
                    case_facts(cases[-1], unit, month)
                    key = (7, "typical_cases")
                    totals[key] = totals.get(key, 0) + 1
                    values["typical_cases"] = totals[key]
                measures[measure.number] = MeasureDraft(
                    status=status,
                    progress=progress_text(unit.name, measure, status, values, month),
                    indicators=values,
                    cases=cases,
                )
            # 执法情况, once per report: inspections at least measure 7's special enforcement (家次)
            enforcement: dict[str, int | float] = {}
            for ind in campaign.enforcement:
                key = (0, ind.key)
                if ind.key == "enterprises_inspected":
                    extra = rng.randint(5, int(40 * scale) + 6)
                    totals[key] = totals.get(key, 0) + extra
                    enforcement[ind.key] = totals[key] + totals.get((7, "enterprises_inspected"), 0)
                elif ind.key == "penalties":
                    cases_ = rng.randint(0, int(4 * scale) + 1)
                    totals[key] = totals.get(key, 0) + cases_
                    totals[(0, "fines")] = round(totals.get((0, "fines"), 0) + cases_ * rng.uniform(0.5, 3.0), 2)
                    enforcement[ind.key] = totals[key]
                elif ind.key == "fines":
                    enforcement[ind.key] = totals.get(key, 0)
            submitted = LATE.get((unit.id, month), f"{month}-{rng.randint(24, 30):02d}")
            draft = ReportDraft(
                unit=unit,
                month=month,
                submitted=submitted,
                contacts=contacts,
                measures=measures,
                problems=zh("部分企业主体责任落实不到位，", m, "月检查中发现的问题仍有未整改到位的。（示例数据）"),
                next_steps="继续督促企业整改，加强执法检查，按时限完成各项任务。（示例数据）",
                sample_data=True,
                enforcement=enforcement,
            )
            parts = split_for_counties(campaign, draft, split_totals)  # the unit's own report first
            for case in parts[0].measures[7].cases if 7 in parts[0].measures else []:
                # within the fines the unit (太原: 市本级, whose report lists the cases) has reported so far
                fined = round(sum(c["fine"] for c in listed.get(unit.id, [])), 2)
                case["fine"] = min(case["fine"], max(0, int((parts[0].enforcement["fines"] - fined) * 2) / 2))
                listed.setdefault(unit.id, []).append(case)
            for part in parts:
                path = data_dir / "reports" / part.unit.id / f"{month}.yaml"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(render_report(campaign, part), encoding="utf-8")
                written += 1
    event = data_dir / "reports" / "taiyuan" / "events" / "2022-06-12-gas-leak.yaml"
    event.parent.mkdir(parents=True, exist_ok=True)
    event.write_text(SAMPLE_EVENT, encoding="utf-8")
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "data"
    print(f"写入 {make(target)} 份示例月报到 {target / 'reports'}")
